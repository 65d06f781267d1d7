"""The briefing: the answer on one page, for a reader who will not open the other reports.

Notebook 04 shows these tables; each is computed from the tables of one
:class:`~analystkit.analysis.Analysis` (nothing is recomputed with other options):

* :func:`corpus_facts`: documents, words, the span of the publication dates, the model;
* :func:`publication_dates`: each document's publication date: its metadata date, else one
  its text states in a dateline or its URL (never an assumed working date, never a date the
  text merely mentions), for counting mentions over time;
* :func:`key_actors`: the most mentioned canonical entities with the tone of the sentences
  that mention them;
* :func:`strongest_statements`: who said what about whom, the statements with the
  strongest polarity towards a target, each with its conflict/cooperation class, and
  :func:`evidence`: the sentence each of them comes from, with document, sentence number and
  character offsets. :func:`statements_html` and :func:`evidence_html` show them, linked:
  every row's evidence link points to the anchor ``#ev-<doc>-<sentence>`` of its quoted
  sentence (:func:`evidence_anchor`: built from ids only, never from text; all document
  text is escaped);
* :func:`unresolved`: what could not be resolved, counted: events without a calendar date,
  statements whose source is not a known entity; :func:`unresolved_sources` lists those
  sources.

Tables:

============= ============================================================================
actors        entity_id, canonical, label, mentions, documents, negative, neutral,
              positive, mean_polarity, tone
strongest     rank, statement_id, doc_id, sent_id, source, source_entity, target_entity,
              polarity, polarity_score, quad_class, goldstein, cue, content, anchor
evidence      anchor, doc_id, sent_id, start_char, end_char, text, statements
unresolved    what, status, count, total, percent
sources       source, statements, documents, evidence
published     doc_id, date, how
============= ============================================================================
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from .corpus import Document
from .errors import plural
from .pipeline import AnnotatedCorpus, SentenceIndex
from .schema import TABLES, TEXT_DTYPE
from .timeline import infer_reference_date

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["corpus_facts", "evidence", "evidence_anchor", "evidence_html", "key_actors",
           "publication_dates", "statements_html", "strongest_statements", "tone_word",
           "unresolved", "unresolved_sources"]

MAJORITY = 0.5
"""A tone is "mostly negative" (neutral, positive) when more than this share of the
sentences mentioning the entity are."""

MIN_STRENGTH = 0.1
"""A statement-target pair scored closer to 0 than this (either way) is not a strong one."""
MIN_CLAIM_WORDS = 2
"""Words a statement's content needs besides its target's name to say something about it:
"accused Mr Reid" read without its "of ..." has none, and is not listed as a strong one."""
_TITLE_WORDS = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sir|Prof)\b\.?|'s\b|\u2019s\b")
LINK_LABEL_CHARS = 24
"""Document labels in an evidence link are cut to this length (the list names them whole)."""

_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]+")


def evidence_anchor(doc_id: str, sent_id: int) -> str:
    """The HTML id of a quoted sentence: ``ev-<doc>-<sentence>``, from ids only.

    Characters other than ASCII letters, digits, ``_`` and ``-`` are replaced by ``_``, so
    the anchor is safe in an attribute and in a URL fragment whatever the document id.

    Args:
        doc_id: The document (``Document.doc_id``).
        sent_id: 0-based sentence number in the document.

    Returns:
        The anchor, without ``#``.

    Example:
        >>> evidence_anchor("000_b90b8c2adf6b94b3-77b8f2b1", 4)
        'ev-000_b90b8c2adf6b94b3-77b8f2b1-4'
    """
    return f"ev-{_UNSAFE_ID.sub('_', str(doc_id))}-{int(sent_id)}"


def _span_of_dates(dates: pd.DataFrame) -> str:
    known = pd.to_datetime(dates["date"]).dropna()
    if known.empty:
        return "none: no document has a publication date"
    span = (f"{known.min():%Y-%m-%d}" if known.min() == known.max()
            else f"{known.min():%Y-%m-%d} to {known.max():%Y-%m-%d}")
    text = f"{span} ({known.size:,} of {plural(len(dates), 'document')} dated"
    if "how" in dates:
        stated = dates.loc[dates["date"].notna(), "how"].ne("metadata date").sum()
        if stated:
            text += f", {stated:,} by a dateline or URL in the text"
    return text + ")"


def publication_dates(documents: Iterable[Document]) -> pd.DataFrame:
    """Each document's publication date: from its metadata, else as its text states it.

    A document without a metadata ``date`` takes the date of its dateline or URL
    (:func:`analystkit.timeline.infer_reference_date`); an analyst's assumed
    ``reference_date`` and the ``reference_date`` parameter are working dates, not
    publication dates, and are not used.

    Args:
        documents: The corpus's documents.

    Returns:
        The ``published`` table: ``doc_id, date, how`` (``metadata date``, ``dateline``,
        ``url`` or ``none``), in corpus order.

    Example:
        >>> publication_dates(analysis.corpus).how.value_counts()  # doctest: +SKIP
    """
    rows = []
    for document in documents:
        if document.date is not None:
            rows.append((document.doc_id, document.date, "metadata date"))
            continue
        found = infer_reference_date(document)
        rows.append((document.doc_id, found.date, found.source if found.date else "none"))
    frame = pd.DataFrame(rows, columns=["doc_id", "date", "how"])
    return TABLES["published"].conform(frame) if len(frame) else TABLES["published"].empty()


def _options_text(options: Mapping[str, Any]) -> str:
    """The options that shape the tables, in words (defaults said as such)."""
    method = "shipped model" if options.get("polarity") == "model" else "lexicon"
    words = [f"polarity from the {method}",
             "demonyms counted as their country" if options.get("merge_demonyms")
             else "demonyms counted apart",
             f"aliases: {options['aliases']}" if options.get("aliases")
             else "shipped alias table only",
             f"every document resolved against {options['reference_date']}"
             if options.get("reference_date") else "each document's own reference date"]
    if options.get("keep_other_languages"):
        words.append("documents not in English kept")
    return "; ".join(words)


def corpus_facts(documents: pd.DataFrame, *, model: str, dates: pd.DataFrame | None = None,
                 options: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The corpus and how it was analysed, in a few lines.

    Args:
        documents: :func:`analystkit.tables.documents_table`.
        model: The spaCy pipeline's name and version (``AnnotatedCorpus.model``).
        dates: :func:`publication_dates` (default: the metadata dates of ``documents``).
        options: ``Analysis.options`` (said in words); default: not listed.

    Returns:
        Columns ``item, value`` (both text): documents, words, publication dates, model and,
        with ``options``, the options.

    Example:
        >>> docs = pd.DataFrame({"doc_id": ["a"], "date": [pd.NaT], "n_words": [549]})
        >>> corpus_facts(docs, model="en_core_web_sm 3.8.0")["value"].tolist()[:2]
        ['1', '549']
    """
    rows = [("Documents", f"{len(documents):,}"),
            ("Words", f"{int(documents['n_words'].sum()):,}"),
            ("Publication dates", _span_of_dates(documents if dates is None else dates)),
            ("Language model", str(model))]
    if options is not None:
        rows.append(("Options", _options_text(options)))
    return pd.DataFrame(rows, columns=["item", "value"])


def tone_word(negative: int, neutral: int, positive: int) -> str:
    """The tone of an entity's sentences in words: ``mostly negative``, ... or ``mixed``.

    Args:
        negative: Sentences negative towards it.
        neutral: Sentences neutral towards it.
        positive: Sentences positive towards it.

    Returns:
        ``mostly negative``, ``mostly neutral`` or ``mostly positive`` when more than
        :data:`MAJORITY` of the sentences are; ``mixed`` otherwise; ``not scored`` without any.

    Example:
        >>> tone_word(3, 1, 0), tone_word(2, 2, 2)
        ('mostly negative', 'mixed')
    """
    total = negative + neutral + positive
    if not total:
        return "not scored"
    for word, n in (("negative", negative), ("neutral", neutral), ("positive", positive)):
        if n / total > MAJORITY:
            return f"mostly {word}"
    return "mixed"


def key_actors(frequency: pd.DataFrame, tone: pd.DataFrame, *, top_n: int = 10
               ) -> pd.DataFrame:
    """The canonical entities in the most documents, with the tone of their sentences.

    Ranked by documents, then mentions: one long article that names an entity a hundred
    times does not make it the corpus's leading actor (in a one-document corpus, mentions
    decide).

    Args:
        frequency: :func:`analystkit.entities.entity_frequency`.
        tone: :func:`analystkit.stance.entity_tone`.
        top_n: How many entities.

    Returns:
        The ``actors`` table (``schema.describe("actors")``): the first ``top_n`` entities
        of ``frequency`` by documents, then mentions (ties in ``frequency``'s order), with
        the tone counts (zero, and ``tone`` "not scored", for an entity
        no sentence was scored for) and ``tone`` in words (:func:`tone_word`).

    Example:
        >>> key_actors(analysis.frequency, analysis.tone, top_n=5)  # doctest: +SKIP
    """
    top = frequency.sort_values(["documents", "mentions"], ascending=False, kind="stable") \
        .head(top_n)[["entity_id", "canonical", "label", "mentions", "documents"]]
    scores = tone.set_index("entity_id")[["negative", "neutral", "positive", "mean_polarity"]]
    out = top.join(scores, on="entity_id")
    for column in ("negative", "neutral", "positive"):
        out[column] = out[column].fillna(0).astype("int64")
    out["tone"] = [tone_word(*counts) for counts in
                   zip(out["negative"], out["neutral"], out["positive"], strict=True)]
    return TABLES["actors"].conform(out.reset_index(drop=True))


def strongest_statements(targets: pd.DataFrame, statements: pd.DataFrame, *,
                         top_n: int = 10, known_sources: bool = False,
                         min_strength: float = MIN_STRENGTH) -> pd.DataFrame:
    """Who said what about whom: the statements with the strongest polarity to a target.

    Args:
        targets: :func:`analystkit.stance.statement_targets` (one row per statement and
            target, with its own score).
        statements: :func:`analystkit.stance.statements_table` (source, cue, content).
        top_n: How many statement-target pairs.
        known_sources: Only statements whose source is a known entity (``source_entity``);
            default: every statement.
        min_strength: Pairs with ``|polarity_score|`` below this are not strong and are
            left out (:data:`MIN_STRENGTH`; 0 keeps every scored pair).

    Returns:
        The ``strongest`` table: pairs by ``|polarity_score|``, strongest first (ties by
        statement, then target); pairs without a score are left out. ``source`` is as
        written, ``source_entity`` the canonical speaker (missing: not a known entity);
        ``anchor`` is the :func:`evidence_anchor` of the statement's first sentence.

    Example:
        >>> strongest_statements(analysis.statement_targets, analysis.statements)  # doctest: +SKIP
    """
    scored = targets.dropna(subset=["polarity_score"])
    # A pair the model reads as neutral is not a strong one, whatever its score.
    scored = scored[(scored["polarity_score"].abs() >= min_strength)
                    & scored["polarity"].isin(["positive", "negative"])]
    if known_sources:
        scored = scored.dropna(subset=["source_entity"])
    said = statements.set_index("statement_id")[["source", "cue", "content", "goldstein",
                                                 "content_start", "content_end"]]
    scored = scored.join(said, on="statement_id")
    scored = scored[[_says_something(row) for row in scored.itertuples()]]
    if scored.empty:
        return TABLES["strongest"].empty()
    out = scored.assign(strength=scored["polarity_score"].abs()).sort_values(
        ["strength", "statement_id", "target_entity"], ascending=[False, True, True],
        kind="stable").head(top_n).drop(columns=["strength"])
    out["rank"] = range(1, len(out) + 1)
    out["anchor"] = [evidence_anchor(d, s) for d, s in
                     zip(out["doc_id"], out["sent_id"], strict=True)]
    return TABLES["strongest"].conform(out[list(TABLES["strongest"].names)]
                                       .reset_index(drop=True))


def _says_something(row: Any) -> bool:
    """Whether the content has :data:`MIN_CLAIM_WORDS` words besides its target's name."""
    content = str(row.content)
    if pd.notna(row.target_start) and pd.notna(row.content_start) \
            and row.content_start <= row.target_start < row.content_end:
        a = int(row.target_start - row.content_start)
        b = int(min(row.target_end, row.content_end) - row.content_start)
        content = content[:a] + " " + content[b:]
    return len(re.findall(r"\w+", _TITLE_WORDS.sub(" ", content))) >= MIN_CLAIM_WORDS


def _quote(doc, start: int, end: int) -> tuple[int, int, int]:
    """(first sentence, start, end) of the sentences covering ``[start, end)``, trimmed."""
    index = SentenceIndex(doc)
    first, last = index.at_char(start), index.at_char(max(start, end - 1))
    a, _ = index.bounds(first)
    _, b = index.bounds(last)
    span = doc[a:b]
    text = doc.text[span.start_char:span.end_char]
    lead = len(text) - len(text.lstrip())
    return first, span.start_char + lead, span.start_char + len(text.rstrip())


def evidence(strongest: pd.DataFrame, statements: pd.DataFrame,
             annotated: AnnotatedCorpus | Callable[[str], Doc]) -> pd.DataFrame:
    """The sentences the strongest statements come from, quoted with their offsets.

    Args:
        strongest: :func:`strongest_statements`.
        statements: :func:`analystkit.stance.statements_table` (the statements' spans).
        annotated: The annotated corpus, or ``doc_id`` -> Doc (``analysis.doc``): sentence
            boundaries and text.

    Returns:
        The ``evidence`` table: one row per anchor, in the order the statements are ranked;
        ``text`` is ``document_text[start_char:end_char]``, the whole sentences that hold
        the statement (a quote across sentences covers them all); ``statements`` lists the
        ranks that point to it (``1; 4``).

    Example:
        >>> evidence(strongest, analysis.statements, analysis.annotated)  # doctest: +SKIP
    """
    if strongest.empty:
        return TABLES["evidence"].empty()
    if isinstance(annotated, AnnotatedCorpus):
        docs = {document.doc_id: doc for document, doc in annotated}
        annotated = docs.__getitem__
    spans = statements.set_index("statement_id")[["start_char", "end_char"]]
    rows: dict[str, dict[str, Any]] = {}
    for row in strongest.itertuples(index=False):
        anchor = str(row.anchor)
        if anchor in rows:
            rows[anchor]["statements"] += f"; {row.rank}"
            continue
        doc = annotated(row.doc_id)
        start, end = (int(v) for v in spans.loc[row.statement_id])
        sent_id, first, last = _quote(doc, start, end)
        rows[anchor] = {"anchor": anchor, "doc_id": row.doc_id, "sent_id": sent_id,
                        "start_char": first, "end_char": last, "text": doc.text[first:last],
                        "statements": str(row.rank)}
    return TABLES["evidence"].conform(pd.DataFrame(list(rows.values())))


def _source_cell(row: Any) -> str:
    if isinstance(row.source_entity, str) and row.source_entity:
        return html.escape(row.source_entity)
    written = " ".join(str(row.source or "").split())
    return (f"&ldquo;{html.escape(written)}&rdquo; <span class='ak-muted'>(not a known "
            "entity)</span>") if written else "<span class='ak-muted'>(no source)</span>"


_BRIEF_STYLE = """<style>
table.ak-brief{border-collapse:collapse;font-size:13px;margin:0.4em 0 1em 0;max-width:100%}
table.ak-brief th,table.ak-brief td{border-bottom:1px solid #ddd;padding:4px 7px;
 vertical-align:top;text-align:left !important;overflow-wrap:break-word}
table.ak-brief th{background:#f3f3f3}
table.ak-brief td.ak-num{text-align:right !important;white-space:nowrap}
.ak-muted{color:#666}
ol.ak-evidence{font-size:13px;padding-left:1.6em}
ol.ak-evidence li{margin:0 0 0.6em 0}
ol.ak-evidence blockquote{margin:0.2em 0 0 0;padding-left:0.6em;border-left:3px solid #ccc}
ol.ak-evidence li:target,table.ak-brief tr:target{background:#fff3c4}
</style>"""


def statements_html(strongest: pd.DataFrame, *, labels: Mapping[str, str] | None = None,
                    content_chars: int = 160) -> str:
    """The strongest statements as a table whose rows link to their evidence sentences.

    Args:
        strongest: :func:`strongest_statements`.
        labels: ``doc_id`` -> document label (``analysis.labels``).
        content_chars: Contents longer than this end in an ellipsis.

    Returns:
        HTML: every text escaped; row ``N`` has the id ``st-N`` and its last cell links to
        ``#<anchor>`` (:func:`evidence_html` links back).
    """
    labels = labels or {}
    head = "".join(f"<th>{h}</th>" for h in ("#", "Source", "About", "Polarity", "Class",
                                            "What was said", "Evidence"))
    body = []
    for row in strongest.itertuples(index=False):
        content = " ".join(str(row.content or "").split())
        if len(content) > content_chars:
            content = content[:content_chars - 1].rstrip() + "…"
        label = str(labels.get(row.doc_id, row.doc_id))
        label = label if len(label) <= LINK_LABEL_CHARS else (
            label[:LINK_LABEL_CHARS - 1].rstrip() + "…")
        where = f"{label}, sentence {row.sent_id}"
        body.append(
            f"<tr id=\"st-{int(row.rank)}\"><td class='ak-num'>{int(row.rank)}</td>"
            f"<td>{_source_cell(row)}</td>"
            f"<td>{html.escape(str(row.target_entity))}</td>"
            f"<td class='ak-num'>{html.escape(str(row.polarity))} "
            f"{float(row.polarity_score):+.2f}</td>"
            f"<td>{html.escape(str(row.quad_class))}</td><td>{html.escape(content)}</td>"
            f"<td><a href=\"#{html.escape(str(row.anchor), quote=True)}\">"
            f"{html.escape(where)}</a></td></tr>")
    return (_BRIEF_STYLE + f"<table class='ak-brief ak-strongest'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _back_links(ranks: str) -> str:
    """``"3; 4"`` as links back to rows ``#st-3`` and ``#st-4`` (ids from integers only)."""
    return "; ".join(f'<a href="#st-{int(rank)}">{int(rank)}</a>'
                     for rank in str(ranks).split(";") if rank.strip())


def evidence_html(quotes: pd.DataFrame, *, labels: Mapping[str, str] | None = None) -> str:
    """The evidence sentences as a list, each under its anchor, quoted in full (escaped).

    Args:
        quotes: :func:`evidence`.
        labels: ``doc_id`` -> document label.

    Returns:
        HTML: ``<ol class="ak-evidence">`` with one ``<li id="ANCHOR">`` per sentence,
        naming the document (label and id), sentence number, character offsets and the
        statements (ranks, linked back to their rows ``#st-N``) that cite it.
    """
    labels = labels or {}
    items = []
    for row in quotes.itertuples(index=False):
        label = labels.get(row.doc_id, row.doc_id)
        items.append(
            f"<li id=\"{html.escape(str(row.anchor), quote=True)}\">"
            f"<b>{html.escape(label)}</b> <span class='ak-muted'>({html.escape(row.doc_id)}), "
            f"sentence {int(row.sent_id)}, characters {int(row.start_char):,}–"
            f"{int(row.end_char):,}; statement {_back_links(row.statements)}</span>"
            f"<blockquote>{html.escape(str(row.text))}</blockquote></li>")
    return _BRIEF_STYLE + f"<ol class='ak-evidence'>{''.join(items)}</ol>"


_EVENT_STATUS = (("relative", "relative: the document has no reference date"),
                 ("vague", "vague ('recently', 'now')"),
                 ("undated", "no temporal expression"))


def unresolved(timeline: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """What could not be resolved, counted: undated events and sources not known.

    Args:
        timeline: :func:`analystkit.timeline.timeline_table`.
        statements: :func:`analystkit.stance.statements_table`.

    Returns:
        The ``unresolved`` table: for ``events``, those without a calendar date by reason
        (``relative``, ``vague``, ``undated``); for ``statements``, those whose source is
        not a known entity (kept as written) and, apart, those resolved from the previous
        statement or mention. ``total`` is all events (statements); a count of zero is kept,
        so a reader sees that it was checked.

    Example:
        >>> unresolved(analysis.timeline, analysis.statements)  # doctest: +SKIP
    """
    precision = timeline["precision"].astype(TEXT_DTYPE).fillna("undated")
    rows = [("events", words, int((precision == status).sum()), len(timeline))
            for status, words in _EVENT_STATUS]
    named = statements["source_entity"].notna()
    resolution = statements["source_resolution"].astype(TEXT_DTYPE).fillna("")
    rows.append(("statements", "source not a known entity (kept as written)",
                 int((~named).sum()), len(statements)))
    rows.append(("statements", "source taken from the previous statement or mention",
                 int((named & ~resolution.isin(["named"])).sum()), len(statements)))
    out = pd.DataFrame(rows, columns=["what", "status", "count", "total"])
    out["percent"] = (100 * out["count"] / out["total"].where(out["total"] > 0)).fillna(0.0) \
        .round(1)
    return TABLES["unresolved"].conform(out)


def unresolved_sources(statements: pd.DataFrame) -> pd.DataFrame:
    """The sources of statements that are not a known entity, as written, counted.

    Args:
        statements: :func:`analystkit.stance.statements_table`.

    Returns:
        The ``sources`` table: one row per source text (whitespace and case folded
        together, the first spelling shown), most statements first (ties by text);
        ``evidence`` is the first statement's ``doc_id:sent_id``.

    Example:
        >>> unresolved_sources(analysis.statements).head(5)  # doctest: +SKIP
    """
    kept = statements[statements["source_entity"].isna()]
    if kept.empty:
        return TABLES["sources"].empty()
    written = kept["source"].astype(TEXT_DTYPE).fillna("").map(lambda s: " ".join(s.split()))
    frame = pd.DataFrame({"key": written.str.lower().replace("", "(no source)").to_numpy(),
                          "source": written.replace("", "(no source)").to_numpy(),
                          "doc_id": kept["doc_id"].astype(str).to_numpy(),
                          "evidence": (kept["doc_id"].astype(str) + ":"
                                       + kept["sent_id"].astype(str)).to_numpy()})
    grouped = frame.groupby("key", sort=False)
    out = pd.DataFrame({"source": grouped["source"].first(), "statements": grouped.size(),
                        "documents": grouped["doc_id"].nunique(),
                        "evidence": grouped["evidence"].first()}).reset_index(drop=True)
    return TABLES["sources"].conform(out.sort_values(
        ["statements", "source"], ascending=[False, True], kind="stable").reset_index(drop=True))
