"""Who says what about whom: attributed statements, target polarity, conflict/cooperation.

:func:`statements_table` turns every attribution found by :mod:`analystkit.attribution`
(source, cue, content; direct, mixed or indirect) into a row with

* ``source_entity``: the canonical entity named in the source ("A United States official"
  -> United States); a pronoun or "the statement" is resolved to the previous statement's
  source in the same document (``source_resolution`` says ``named``, ``previous statement``,
  ``previous mention`` ("he" -> the person named just before, "the company" -> the company
  named before), ``speaker label`` ("I" in a transcript turn "SEC. RUMSFELD: ...") or
  ``unresolved``, and the source text is kept as written);
* ``targets``: canonical entities mentioned in the content (demonyms credited to their
  place: "the Russians" -> Russia), the source's own entity left out;
* ``polarity``: how the content treats its targets, from the target-polarity model
  (:mod:`analystkit.polarity`; ``polarity="lexicon"`` for a fast, cruder estimate); the
  model scores each target in its sentence, so :func:`statement_targets` gives one row and
  one score per statement and target (a statement can be hostile to one target and
  friendly to another), and the statement's own ``polarity`` is the mean over them;
* ``quad_class`` and ``goldstein``: CAMEO-style coding (:mod:`analystkit.coding`) of the
  cue ("warned" -> verbal conflict) or, for a neutral cue, of what the content announces
  ("we depend upon the Russians" -> verbal cooperation); a statement is a verbal act, so
  material codes are counted as the threat or promise they voice. Past material events
  that are merely reported ("confirmed the strike was carried out") do not code the
  statement; without any code a negative statement is verbal conflict, a positive one
  verbal cooperation.

Tables (rows carry ``doc_id``, ``sent_id`` and character offsets):

============ ==============================================================================
statements   statement_id, doc_id, sent_id, start_char, end_char, source, source_entity,
             source_resolution, cue, cue_lemma, content, kind, targets, polarity,
             polarity_score, quad_class, goldstein, evidence, source_start, source_end,
             cue_start, cue_end, content_start, content_end
targets      statement_id, doc_id, sent_id, source_entity, target_entity, mentions,
             target_start, target_end, polarity, polarity_score, p_negative, p_neutral,
             p_positive, quad_class
matrix       source_entity, target_entity, statements, mean_polarity, quad_class, evidence
             (from the targets table: the mean score towards each target)
mentions     entity mentions + polarity, p_negative, p_neutral, p_positive
tone         entity_id, canonical, label, mentions, negative, neutral, positive,
             mean_polarity
============ ==============================================================================
"""

from __future__ import annotations

import bisect
import html
import re
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from spacy.tokens import Doc

from .aliases import AliasTable, load_alias_table
from .attribution import Attribution, find_attributions, find_quotes
from .coding import LEXICON, load_lexicon
from .pipeline import AnnotatedCorpus, SentenceIndex
from .resources import cached
from .schema import TABLES

__all__ = [
    "POLARITY_LABELS",
    "entity_tone",
    "mention_polarity",
    "stance_matrix",
    "statement_targets",
    "statements_and_targets",
    "statements_html",
    "statements_table",
]

POLARITY_LABELS = {-1: "negative", 0: "neutral", 1: "positive"}
_PRONOUNS = {"he", "she", "it", "this", "that"}
"""Sources that take the previous statement's source. Not "I", "we", "you": in letters,
e-mails and speeches the previous statement is usually someone else's (wrong in 6 of 10
field statements checked); a transcript's speaker label or an e-mail's sender resolves
them instead. Not "they" either: the previous source was one person in every field case
seen ("They said" -> Laci Peterson, for the jurors)."""
_FIRST_PERSON = {"i", "we"}
_SPEAKER_LABEL = re.compile(
    r"(?:\A|(?<=\n)|(?<=[.?!]\s))[ \t]*((?:[A-Z][A-Z.'-]*[ \t]+){0,3}[A-Z][A-Z'-]+)[ \t]*:")
"""A transcript's speaker label: "SEC. RUMSFELD:", "GEN. MYERS:" at a line or sentence start."""
_SENDER = re.compile(r"\bFrom:[ \t]*([^\n:]{2,60}?)[ \t]+(?:To|Sent|Date|Cc|CC)[ \t]*:")
"""An e-mail header's sender: "From: Peter Teets SAF/US To: ..."."""
_LABEL_CHARS = 5000
"""How far back (characters) "I" / "we" looks for the speaker label of its turn."""
_ANAPHORIC = {"statement", "spokesman", "spokeswoman", "spokesperson", "group", "ministry",
              "agency"}
_SPEAKS_FOR = {"for", "at", "from", "with"}
"""Prepositions after a speaker noun that name the body it speaks for ("a spokesman for X");
not "of" ("supporters of Israel" do not speak for Israel)."""
_BASED = re.compile(r"\s*-?\s*based\b", re.IGNORECASE)
"""After a place: where the speaker is based ("the New York-based Committee ...")."""
_PERSONAL = {"he", "she"}
"""Pronouns resolved to the nearest person named before them."""
_PRONOUN_CHARS = 600
"""How far back (characters) "he" / "she" looks for a named person."""
_LOCATIVE = {"in", "near", "outside", "inside", "across", "throughout"}
_ORG_NOUNS = {"company", "firm", "university", "agency", "institute", "center", "centre",
              "ministry", "department", "council", "committee", "commission", "party",
              "association", "union", "bank", "foundation", "organisation", "organization"}
"""Nouns of kinds of organisation: "the university said" names the one mentioned before."""
_CIVIL_BODIES = {"association", "union", "foundation", "institute", "university", "company",
                 "firm", "party", "society", "federation", "confederation", "league", "club",
                 "observatory", "corporation", "chamber", "alliance", "network", "center",
                 "centre", "organisation", "organization", "movement", "front", "council"}
"""Heads of names of bodies that do not speak for the country a demonym in them names."""
_ANTECEDENT_CHARS = 2000
"""How far back (characters) an organisation can be the antecedent of "the university"."""
_COMMUNICATION = {"statement", "report", "communique", "release", "announcement", "message",
                  "letter", "spokesman", "spokeswoman", "spokesperson", "account", "post"}
_VERBAL = {"material conflict": ("verbal conflict", -4.4),
           "material cooperation": ("verbal cooperation", 4.0)}


# ------------------------------------------------------------------------------ polarity

def _score_items(items: list[tuple[str, int, int]], polarity: str,
                 model_path: str | Path | None, cache_dir: Path | None = None) -> np.ndarray:
    """Probabilities (negative, neutral, positive) for (sentence, start, end) items."""
    if not items:
        return np.zeros((0, 3))
    if polarity == "model":
        from .polarity import ScoreCache, load_polarity_model

        model = load_polarity_model(model_path)
        cache = ScoreCache(cache_dir) if cache_dir is not None else None
        return np.array([probs for _, probs in model.predict(items, cache=cache)], dtype=float)
    if polarity == "lexicon":
        return np.array([_lexicon_probs(sentence) for sentence, _, _ in items])
    raise ValueError(f"polarity must be 'model' or 'lexicon', not {polarity!r}")


def _word_scores() -> dict[str, float]:
    """Goldstein scores of the coding lexicon's one-word, non-neutral phrases."""
    return cached("lexicon_word_scores", (LEXICON,), lambda: {
        phrase: code.goldstein for phrase, code in load_lexicon().codes.items()
        if " " not in phrase and code.quad_class != "neutral"})


def _lexicon_probs(sentence: str) -> tuple[float, float, float]:
    """A crude sentence-level estimate from the coding lexicon's Goldstein scores."""
    word_scores = _word_scores()
    scores = []
    for word in sentence.lower().replace(",", " ").replace(".", " ").split():
        # Crude lemma guess, good enough for a fallback: "attacked" -> "attack".
        for form in (word, word[:-1], word[:-2], word[:-3]):
            if form in word_scores:
                scores.append(word_scores[form])
                break
    if not scores:
        return 0.1, 0.8, 0.1
    mean = sum(scores) / len(scores)
    negative = min(0.9, max(0.05, -mean / 10))
    positive = min(0.9, max(0.05, mean / 10))
    return negative, max(0.05, 1 - negative - positive), positive


class _SentenceLocator:
    """``(doc_id, start, end)`` -> :func:`_sentence_item`, faster for many mentions: each
    document's sentence bounds are listed once and searched by bisection."""

    def __init__(self, docs: dict[str, Doc]) -> None:
        self._docs = docs
        self._bounds: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}

    def __call__(self, doc_id: str, start: int, end: int) -> tuple[str, int, int] | None:
        doc = self._docs[doc_id]
        if doc_id not in self._bounds:
            spans = [(sent.start_char, sent.end_char) for sent in doc.sents]
            self._bounds[doc_id] = ([a for a, _ in spans], spans)
        starts, spans = self._bounds[doc_id]
        index = bisect.bisect_right(starts, start) - 1
        if index >= 0:
            sent_start, sent_end = spans[index]
            if sent_start <= start < end <= sent_end:
                return doc.text[sent_start:sent_end], start - sent_start, end - sent_start
        return _sentence_item(doc, start, end)  # white space, or a span across sentences


def _sentence_item(doc: Doc, start: int, end: int) -> tuple[str, int, int] | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    sentence = span.sent
    return sentence.text, start - sentence.start_char, end - sentence.start_char


def mention_polarity(annotated: AnnotatedCorpus, mentions: pd.DataFrame, *,
                     polarity: str = "model", model_path: str | Path | None = None
                     ) -> pd.DataFrame:
    """The polarity of each mention's sentence towards the mentioned entity.

    Args:
        annotated: The annotated corpus.
        mentions: :func:`analystkit.entities.entity_mentions`.
        polarity: ``"model"`` (default) or ``"lexicon"`` (fast, crude).
        model_path: Another exported polarity model folder.

    Returns:
        ``mentions`` with ``polarity`` (-1/0/1), ``p_negative``, ``p_neutral``,
        ``p_positive``.

    Example:
        >>> tone = mention_polarity(annotated, mentions)  # doctest: +SKIP
    """
    docs = {document.doc_id: doc for document, doc in annotated}
    locate = _SentenceLocator(docs)
    items, rows = [], []
    for row, (doc_id, start, end) in enumerate(zip(
            mentions["doc_id"], mentions["start_char"], mentions["end_char"], strict=True)):
        item = locate(doc_id, int(start), int(end))
        if item is not None:
            items.append(item)
            rows.append(row)
    probs = np.full((len(mentions), 3), np.nan)
    if items:
        probs[rows] = _score_items(items, polarity, model_path, annotated.cache_dir)
    result = mentions.copy()
    result["p_negative"], result["p_neutral"], result["p_positive"] = probs.T
    labels = np.where(np.isnan(probs).any(axis=1), 0, np.nanargmax(np.nan_to_num(probs), 1) - 1)
    result["polarity"] = pd.array(labels, dtype="Int64")
    result.loc[np.isnan(probs).any(axis=1), "polarity"] = pd.NA
    return TABLES["scored_mentions"].conform(result)


def entity_tone(tone_mentions: pd.DataFrame) -> pd.DataFrame:
    """How the sentences that mention each entity treat it.

    Args:
        tone_mentions: :func:`mention_polarity` output.

    Returns:
        Columns ``entity_id, canonical, label, mentions, negative, neutral, positive,
        mean_polarity``; most mentioned first.
    """
    frame = tone_mentions.dropna(subset=["entity_id", "polarity"])
    if frame.empty:
        return TABLES["tone"].empty()
    grouped = frame.groupby("entity_id", sort=False, observed=True)
    table = pd.DataFrame({
        "canonical": grouped["canonical"].first(),
        "label": grouped["label"].agg(lambda s: s.astype(str).value_counts().index[0]),
        "mentions": grouped.size(),
        "negative": grouped["polarity"].agg(lambda s: int((s == -1).sum())),
        "neutral": grouped["polarity"].agg(lambda s: int((s == 0).sum())),
        "positive": grouped["polarity"].agg(lambda s: int((s == 1).sum())),
        "mean_polarity": grouped["polarity"].agg(lambda s: float(s.astype(float).mean())),
    }).reset_index()
    return TABLES["tone"].conform(table.sort_values(
        ["mentions", "canonical"], ascending=[False, True], kind="stable").reset_index(drop=True))


# ---------------------------------------------------------------------------- statements

def _lexical_code(doc: Doc, attribution: Attribution, lexicon) -> tuple[str, float] | None:
    """The statement's code from its cue, else from what its content announces."""
    cue = doc.char_span(*attribution.cue, alignment_mode="expand")
    for token in cue or []:
        code = lexicon.code(token)
        if code is not None and code.quad_class != "neutral":
            return _VERBAL.get(code.quad_class, (code.quad_class, code.goldstein))
    content = doc.char_span(*attribution.content, alignment_mode="expand")
    best = None
    for token in content or []:
        if token.pos_ not in ("VERB", "NOUN", "ADJ"):
            continue
        code = lexicon.code(token)
        if code is None or code.quad_class == "neutral":
            continue
        if code.quad_class.startswith("material") and _reported_past(token):
            continue  # a past event the speaker only reports is not the speaker's act
        if best is None or abs(code.goldstein) > abs(best.goldstein):
            best = code
    if best is not None:
        return _VERBAL.get(best.quad_class, (best.quad_class, best.goldstein))
    return None


def _fallback_code(polarity_label: str | None) -> tuple[str, float]:
    """Without a lexical code, a negative statement is verbal conflict, a positive one
    verbal cooperation."""
    if polarity_label == "negative":
        return "verbal conflict", -2.0
    if polarity_label == "positive":
        return "verbal cooperation", 1.0
    return "neutral", 0.0


def _reported_past(token) -> bool:
    verb = token
    # Token objects are made anew on each access (`head is not verb` never ends at a
    # root that is no verb): compare indices.
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if any(child.tag_ == "MD" or child.lower_ in ("will", "would", "to") for child in
           verb.children):
        return False
    return "Past" in verb.morph.get("Tense") or verb.tag_ in ("VBD", "VBN")


def _span_text(text: str, span: tuple[int, int] | None) -> str | None:
    return " ".join(text[span[0]:span[1]].split()) if span else None


STATEMENT_COLUMNS = list(TABLES["statements"].names)
TARGET_COLUMNS = list(TABLES["targets"].names)


def _mentions_by_doc(mentions: pd.DataFrame) -> dict[str, list[_Mention]]:
    named = mentions.dropna(subset=["entity_id"])
    by_doc: dict[str, list[_Mention]] = {}
    for values in zip(*(named[c].tolist() for c in (
            "doc_id", "start_char", "end_char", "label", "canonical", "demonym_of")),
            strict=True):
        by_doc.setdefault(values[0], []).append(_Mention(*values[1:]))
    return by_doc


def _target_name(mention: _Mention, places: dict) -> str:
    """A demonym counts for its place ("the Russians" -> Russia)."""
    if isinstance(mention.demonym_of, str) and mention.demonym_of in places:
        return places[mention.demonym_of].canonical
    return mention.canonical


def _evidence(doc: Doc, text: str, first: int, last: int) -> str:
    span = doc.char_span(first, last, alignment_mode="expand")
    evidence = (text[span[0].sent.start_char:span[-1].sent.end_char]
                if span is not None and len(span) else text[first:last])
    return " ".join(evidence.split())


def _doc_statements(document, doc: Doc, doc_mentions: list[_Mention], places: dict,
                    lexicon) -> list[tuple[dict, list[_Mention], tuple | None]]:
    """One document's statements: (row, target mentions, lexical code or None)."""
    text = document.text
    found = []
    previous_source = None
    previous_written = ""
    sentences = SentenceIndex(doc)
    previous_is_person = False
    for attribution in find_attributions(doc):
        source_entity, resolution = _source_entity(doc, attribution, doc_mentions)
        written = text[attribution.source[0]:attribution.source[1]] if attribution.source else ""
        if source_entity is None and previous_source and _is_anaphoric(written) \
                and _fits_pronoun(written, previous_is_person) \
                and _fits_description(written, previous_written):
            source_entity, resolution = previous_source, "previous statement"
        if source_entity is not None and resolution != "previous statement":
            previous_source, previous_written = source_entity, written
            previous_is_person = _speaks_as_person(doc, attribution.source, doc_mentions)
        start, end = attribution.content
        targets = [m for m in doc_mentions if m.start_char >= start and m.end_char <= end
                   and _target_name(m, places) != source_entity]
        parts = [p for p in (attribution.source, attribution.cue, attribution.content) if p]
        first, last = min(p[0] for p in parts), max(p[1] for p in parts)
        row = {
            "doc_id": document.doc_id,
            "sent_id": sentences.at_char(first),
            "start_char": first, "end_char": last,
            "source": _span_text(text, attribution.source), "source_entity": source_entity,
            "source_resolution": resolution, "cue": _span_text(text, attribution.cue),
            "cue_lemma": attribution.cue_lemma, "content": _span_text(text, attribution.content),
            "kind": attribution.kind,
            "targets": "|".join(dict.fromkeys(_target_name(m, places) for m in targets)),
            "evidence": _evidence(doc, text, first, last),
            "source_start": attribution.source[0] if attribution.source else None,
            "source_end": attribution.source[1] if attribution.source else None,
            "cue_start": attribution.cue[0], "cue_end": attribution.cue[1],
            "content_start": start, "content_end": end,
        }
        found.append((row, targets, _lexical_code(doc, attribution, lexicon)))
    return found


def _target_rows(statement_id: int, row: dict, targets: list[_Mention], places: dict,
                 probs_of: dict) -> list[dict]:
    """One row per target entity of a statement, with the mean of its mentions' scores."""
    grouped: dict[str, list[_Mention]] = {}
    for mention in targets:
        grouped.setdefault(_target_name(mention, places), []).append(mention)
    rows = []
    for name, group in grouped.items():
        scores = [probs_of[(row["doc_id"], m.start_char, m.end_char)] for m in group]
        scores = [s for s in scores if not np.isnan(s).any()]
        mean = np.mean(scores, axis=0) if scores else np.full(3, np.nan)
        rows.append({
            "statement_id": statement_id, "doc_id": row["doc_id"], "sent_id": row["sent_id"],
            "source_entity": row["source_entity"], "target_entity": name,
            "mentions": len(group), "target_start": group[0].start_char,
            "target_end": group[0].end_char,
            "polarity": POLARITY_LABELS[int(np.argmax(mean)) - 1] if scores else None,
            "polarity_score": float(mean[2] - mean[0]) if scores else None,
            "p_negative": mean[0], "p_neutral": mean[1], "p_positive": mean[2],
        })
    return rows


def _scores_for(annotated: AnnotatedCorpus, keys: list[tuple[str, int, int]],
                scored_mentions: pd.DataFrame | None, polarity: str | None,
                model_path: str | Path | None) -> dict[tuple[str, int, int], np.ndarray]:
    """(doc_id, start, end) -> probabilities, from ``scored_mentions`` where it has them;
    all missing (NaN) when ``polarity`` is ``None``."""
    if polarity is None:
        return {key: np.full(3, np.nan) for key in keys}
    known: dict[tuple[str, int, int], np.ndarray] = {}
    if scored_mentions is not None:
        known = {(d, int(a), int(b)): np.array((n, u, p), dtype=float)
                 for d, a, b, n, u, p in zip(
                     scored_mentions["doc_id"], scored_mentions["start_char"],
                     scored_mentions["end_char"], scored_mentions["p_negative"],
                     scored_mentions["p_neutral"], scored_mentions["p_positive"], strict=True)}
    missing = [key for key in dict.fromkeys(keys) if key not in known]
    if missing:
        docs = {document.doc_id: doc for document, doc in annotated}
        items, owners = [], []
        for key in missing:
            item = _sentence_item(docs[key[0]], key[1], key[2])
            known[key] = np.full(3, np.nan)
            if item is not None:
                items.append(item)
                owners.append(key)
        scores = _score_items(items, polarity, model_path, annotated.cache_dir)
        for key, probs in zip(owners, scores, strict=True):
            known[key] = np.asarray(probs, dtype=float)
    return known


def _extract(annotated: AnnotatedCorpus, *, mentions: pd.DataFrame, places: dict,
             scored_mentions: pd.DataFrame | None, polarity: str | None,
             model_path: str | Path | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The statements and their per-target rows, in three steps: find, score, code."""
    lexicon = load_lexicon()
    by_doc = _mentions_by_doc(mentions)
    found = [item for document, doc in annotated
             for item in _doc_statements(document, doc, by_doc.get(document.doc_id, []),
                                         places, lexicon)]
    keys = [(row["doc_id"], m.start_char, m.end_char) for row, targets, _ in found
            for m in targets]
    probs_of = _scores_for(annotated, keys, scored_mentions, polarity, model_path)
    statement_rows, target_rows = [], []
    for statement_id, (row, targets, code) in enumerate(found):
        rows = _target_rows(statement_id, row, targets, places, probs_of)
        scored = [r for r in rows if r["polarity"] is not None]
        if scored:
            mean = np.mean([(r["p_negative"], r["p_neutral"], r["p_positive"]) for r in scored],
                           axis=0)
            row["polarity"] = POLARITY_LABELS[int(np.argmax(mean)) - 1]
            row["polarity_score"] = float(mean[2] - mean[0])
        else:
            row["polarity"], row["polarity_score"] = None, None
        row["quad_class"], row["goldstein"] = code if code is not None else \
            _fallback_code(row["polarity"])
        for target in rows:
            target["quad_class"] = row["quad_class"]
        statement_rows.append({"statement_id": statement_id, **row})
        target_rows.extend(rows)
    return (TABLES["statements"].conform(pd.DataFrame(statement_rows, columns=STATEMENT_COLUMNS)),
            TABLES["targets"].conform(pd.DataFrame(target_rows, columns=TARGET_COLUMNS)))


def _places(aliases: AliasTable | str | Path | None) -> dict:
    table = aliases if isinstance(aliases, AliasTable) else load_alias_table(aliases)
    return table.entities


def statements_table(annotated: AnnotatedCorpus, *, mentions: pd.DataFrame,
                     aliases: AliasTable | str | Path | None = None,
                     polarity: str | None = "model",
                     model_path: str | Path | None = None,
                     scored_mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every attributed statement with source entity, targets, polarity and coding.

    Args:
        annotated: The annotated corpus (with a dependency parse).
        mentions: :func:`analystkit.entities.entity_mentions` of the same corpus, made with
            the analysis's options (alias file, demonyms).
        aliases: The alias table (or the analyst's alias file) the mentions were made with;
            demonym targets are credited to its places.
        polarity: ``"model"`` (default; the shipped target-polarity model), ``"lexicon"``,
            or ``None``: no scores (sources, targets and the coding of the cue only; fast).
        model_path: Another exported polarity model folder.
        scored_mentions: :func:`mention_polarity` of the same mentions: the statements'
            targets take their scores from it instead of running the model again (the
            model's input, the mention in its sentence, is the same).

    Returns:
        Columns as in the module docstring; ``targets`` joins canonical names with ``|``;
        ``polarity`` is ``negative``, ``neutral`` or ``positive`` over all targets (missing
        without targets); :func:`statement_targets` has the score towards each target.

    Example:
        >>> statements_table(annotated, mentions=mentions).head()  # doctest: +SKIP
    """
    return statements_and_targets(annotated, mentions=mentions, aliases=aliases,
                                  polarity=polarity, model_path=model_path,
                                  scored_mentions=scored_mentions)[0]


def statement_targets(annotated: AnnotatedCorpus, *, mentions: pd.DataFrame,
                      aliases: AliasTable | str | Path | None = None,
                      polarity: str | None = "model",
                      model_path: str | Path | None = None,
                      scored_mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per statement and target entity, with the polarity towards that target.

    "Hezbollah warned the United States ... its ally Syria" gets two rows: the model scores
    each target in its sentence separately, so the two can differ.

    Args:
        annotated, mentions, aliases, polarity, model_path, scored_mentions: As for
            :func:`statements_table`.

    Returns:
        Columns ``statement_id, doc_id, sent_id, source_entity, target_entity, mentions``
        (mentions of the target in the content), ``target_start, target_end`` (its first
        mention), ``polarity, polarity_score`` (p_positive - p_negative), ``p_negative,
        p_neutral, p_positive`` (mean over its mentions) and the statement's ``quad_class``.

    Example:
        >>> statement_targets(annotated, mentions=mentions).head()  # doctest: +SKIP
    """
    return statements_and_targets(annotated, mentions=mentions, aliases=aliases,
                                  polarity=polarity, model_path=model_path,
                                  scored_mentions=scored_mentions)[1]


def statements_and_targets(annotated: AnnotatedCorpus, *, mentions: pd.DataFrame,
                           aliases: AliasTable | str | Path | None = None,
                           polarity: str | None = "model",
                           model_path: str | Path | None = None,
                           scored_mentions: pd.DataFrame | None = None
                           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`statements_table` and :func:`statement_targets` from one pass.

    Example:
        >>> pair = statements_and_targets(annotated, mentions=mentions)  # doctest: +SKIP
    """
    return _extract(annotated, mentions=mentions, places=_places(aliases),
                    scored_mentions=scored_mentions, polarity=polarity,
                    model_path=model_path)


class _Mention(NamedTuple):
    start_char: int
    end_char: int
    label: str
    canonical: str
    demonym_of: str | None


def _source_entity(doc: Doc, attribution: Attribution, doc_mentions: list[_Mention]
                   ) -> tuple[str | None, str]:
    """The entity the source names: in its head noun phrase ("A United States official,
    speaking ..."), or the agent of a communication noun ("a statement released by OIR")."""
    if attribution.source is None:
        return None, "unresolved"
    span = doc.char_span(*attribution.source, alignment_mode="expand")
    if span is None or not len(span):
        return None, "unresolved"
    if span.text.lower() in _PERSONAL:
        return _nearest_person(doc, attribution, doc_mentions)
    if span.text.lower() in _FIRST_PERSON:
        return _speaker_label(doc, attribution, doc_mentions)
    head = span.root
    # Places in a locative phrase are where the speaker is, not who speaks ("a WHO
    # spokesperson in New Delhi").
    where = [(t.idx, t.right_edge.idx + len(t.right_edge)) for t in span
             if t.dep_ == "prep" and t.lower_ in _LOCATIVE]
    inside = _named_in_head(doc, span, head, doc_mentions, where) \
        or _named_spoken_for(span, head, doc_mentions, where)
    if not any(str(m.label) in ("PERSON", "ORG") for m in inside):
        inside = _named_in_apposition(span, head, doc_mentions) or inside
    if not inside and head.lemma_.lower() in _COMMUNICATION and head.dep_ == "dobj":
        inside = _named_issuer(head, doc_mentions)
    inside = _without_modifying_demonyms(inside, head)
    if inside:
        return _best_named(inside, head), "named"
    return _named_elsewhere(attribution, span, head, doc_mentions)


def _without_modifying_demonyms(inside: list[_Mention], head) -> list[_Mention]:
    """Leave out a demonym in the name of a body that is not the state, when no mention
    covers the name: "The British Beer and Pub Association", "the Syrian Observatory for
    Human Rights" are organisations the model did not tag, not the United Kingdom or Syria
    ("British officials", "the Nigerian Oil Minister" still speak for their country)."""
    if head.pos_ != "PROPN" or head.lemma_.lower() not in _CIVIL_BODIES \
            or any(m.start_char <= head.idx < m.end_char for m in inside):
        return inside
    return [m for m in inside if not isinstance(m.demonym_of, str) or not m.demonym_of]


def _inside(doc_mentions: list[_Mention], start: int, end: int) -> list[_Mention]:
    return [m for m in doc_mentions if m.start_char >= start and m.end_char <= end]


def _named_in_head(doc: Doc, span, head, doc_mentions: list[_Mention],
                   where: list[tuple[int, int]]) -> list[_Mention]:
    """Names in the source up to its head noun (all of it for "a statement by X"), not in
    brackets, a locative phrase or before "-based"."""
    end = span.end_char if head.lemma_.lower() in _COMMUNICATION else head.idx + len(head)
    return [m for m in _inside(doc_mentions, span.start_char, end)
            if not _bracketed(doc.text, span.start_char, m.start_char)
            and not any(a <= m.start_char < b for a, b in where)
            and not _BASED.match(doc.text, m.end_char)]


def _named_spoken_for(span, head, doc_mentions: list[_Mention],
                      where: list[tuple[int, int]]) -> list[_Mention]:
    """"a spokesman for the ministry", "officials at the Pentagon": the body the head
    speaks for. Never the place of an "in" phrase ("a WHO spokesperson in New Delhi")."""
    for child in head.children:
        if child.dep_ != "prep" or child.lower_ not in _SPEAKS_FOR:
            continue
        p_start = max(child.left_edge.idx, span.start_char)
        p_end = min(child.right_edge.idx + len(child.right_edge), span.end_char)
        named = [m for m in _inside(doc_mentions, p_start, p_end)
                 if str(m.label) in ("ORG", "GPE", "NORP", "PERSON")
                 and not any(a <= m.start_char < b for a, b in where)]
        if named:
            return named
    return []


def _named_in_apposition(span, head, doc_mentions: list[_Mention]) -> list[_Mention]:
    """"The Health Secretary, John Reid", "The trio's Ohio attorney, Kurt Tunnell": the
    name in apposition to the head, before a place that only qualifies it."""
    for child in head.children:
        if child.dep_ == "appos" and span.start <= child.i < span.end:
            a_end = min(child.right_edge.idx + len(child.right_edge), span.end_char)
            named = [m for m in _inside(doc_mentions, child.left_edge.idx, a_end)
                     if str(m.label) in ("PERSON", "ORG")]
            if named:
                return named
    return []


def _named_issuer(head, doc_mentions: list[_Mention]) -> list[_Mention]:
    """"The NBA issued a statement saying ...": the statement is its issuer's."""
    issuer = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
    if issuer is None:
        return []
    return _inside(doc_mentions, issuer.left_edge.idx, issuer.idx + len(issuer))


def _best_named(inside: list[_Mention], head) -> str:
    """The name of the head itself ("Chelsea boss Jose Mourinho" -> Jose Mourinho), else an
    organisation or person over a place or nationality named inside it ("the Syrian army"
    -> Syrian Arab Army), else the first name; a demonym speaks for its place ("the
    Egyptian foreign minister" -> Egypt)."""
    rank = {"PERSON": 0, "ORG": 0, "GPE": 1, "NORP": 2}
    best = min(inside, key=lambda m: (not m.start_char <= head.idx < m.end_char,
                                      rank.get(str(m.label), 3), m.start_char))
    if isinstance(best.demonym_of, str):
        place = load_alias_table().entities.get(best.demonym_of)
        if place is not None:
            return place.canonical
    return best.canonical


def _nearest_person(doc: Doc, attribution: Attribution, doc_mentions: list[_Mention]
                    ) -> tuple[str | None, str]:
    """"he" / "she": the last person named before it, outside quotations and outside the
    statement's own content, within ``_PRONOUN_CHARS`` ("I talked to anchor Marsha
    McCallum, and she said" -> Marsha McCallum). Checked by hand on field news against the
    previous statement's source: right more often (8 of 11 disagreements where a person
    was found); without a person in reach the caller falls back to the previous statement.
    """
    source_start = attribution.source[0]
    low = max(0, source_start - _PRONOUN_CHARS)
    quotes = [(low + a, low + b) for a, b, _ in find_quotes(doc.text[low:source_start])]
    c_start, c_end = attribution.content
    before = [m for m in doc_mentions if str(m.label) == "PERSON"
              and low <= m.start_char and m.end_char <= source_start
              and not c_start <= m.start_char < c_end
              and not any(a <= m.start_char < b for a, b in quotes)]
    # Not a person inside a reported clause ("Harris told the jury that Peterson began
    # plotting ... he told the jury": "he" is Harris).
    before = [m for m in before if not _reported(doc, m)]
    if before:
        return max(before, key=lambda m: m.start_char).canonical, "previous mention"
    return None, "unresolved"


def _speaker_label(doc: Doc, attribution: Attribution, doc_mentions: list[_Mention]
                   ) -> tuple[str | None, str]:
    """"I" / "we" in a transcript or an e-mail: the person of the last speaker label or
    sender before it ("SEC. RUMSFELD: ... I think" -> Donald H. Rumsfeld; "From: Peter
    Teets ... I think" -> Peter Teets); a questioner's label or none leaves it unresolved."""
    source_start = attribution.source[0]
    low = max(0, source_start - _LABEL_CHARS)
    labels = list(_SPEAKER_LABEL.finditer(doc.text, low, source_start))
    senders = list(_SENDER.finditer(doc.text, low, source_start))
    found = max(labels[-1:] + senders[-1:], key=lambda m: m.start(), default=None)
    if found is None:
        return None, "unresolved"
    if found in labels:
        words = [found.group(1).split()[-1].lower()]
    else:  # "Peter Teets SAF/US", "Roche, James Dr. SAF/OS": any word may be the surname
        words = [w.strip(",.").lower() for w in found.group(1).split()]
    words = [w for w in words if len(w) > 2]
    # The person whose surname is in the label and who shares most of its words ("From:
    # John Jumper" -> John Jumper, not a "John" named elsewhere).
    best, best_shared = None, 0
    for m in doc_mentions:
        names = m.canonical.lower().split()
        if str(m.label) == "PERSON" and names and names[-1] in words:
            shared = len(set(names) & set(words))
            if shared > best_shared:
                best, best_shared = m, shared
    if best is not None:
        return best.canonical, "speaker label"
    return None, "unresolved"


def _reported(doc: Doc, mention: _Mention) -> bool:
    span = doc.char_span(mention.start_char, mention.end_char, alignment_mode="expand")
    return span is not None and len(span) > 0 and any(
        t.dep_ in ("ccomp", "xcomp") for t in span.root.ancestors)


def _named_elsewhere(attribution: Attribution, span, head, doc_mentions: list[_Mention]
                     ) -> tuple[str | None, str]:
    """A source the entity tagger missed here but that the document names: a name written
    in full elsewhere ("MYERS:" or "Ponting said" -> the Myers / Ponting mentioned before),
    or "the university" / "the company" -> the nearest preceding organisation of that kind.
    """
    label = attribution.cue_lemma == ":"
    if head.pos_ == "PROPN" or label and span[-1].is_upper:
        # Case must match, except in a transcript's speaker label ("MYERS:" -> Myers), so
        # "RAND" never becomes Ronald Rand; a label ends with the surname ("GEN. MYERS").
        word = span[-1].text.lower() if label else head.text
        for m in doc_mentions:
            words = (m.canonical.lower() if label else m.canonical).split()
            if str(m.label) == "PERSON" and words[-1:] == [word] \
                    or str(m.label) == "ORG" and words == [word]:
                return m.canonical, "named"
    lemma = head.lemma_.lower()
    if lemma in _ORG_NOUNS and head.tag_ in ("NN", "NNP") \
            and any(t.lower_ in ("the", "this") for t in span[:2]):
        before = [m for m in doc_mentions if m.end_char <= span.start_char
                  and str(m.label) == "ORG" and span.start_char - m.end_char <= _ANTECEDENT_CHARS]
        # A kind named in the organisation's name ("the university" -> Harvard University);
        # a company or firm is the nearest organisation.
        fitting = [m for m in before if lemma in m.canonical.lower()
                   or lemma in ("company", "firm")]
        if fitting:
            return fitting[-1].canonical, "previous mention"
    return None, "unresolved"


def _bracketed(text: str, start: int, offset: int) -> bool:
    """Whether ``offset`` sits inside brackets opened after ``start`` ("(Reuters)")."""
    before = text[start:offset]
    return before.count("(") > before.count(")") or before.count("[") > before.count("]")


def _fits_pronoun(source: str, previous_is_person: bool) -> bool:
    """"he"/"she" stand for a person ("a United States official", "Mr Smith"), "it" for a
    body that spoke as itself ("the Pentagon said"), never the other way round."""
    word = source.lower().strip()
    if word in ("he", "she"):
        return previous_is_person
    if word == "it":
        return not previous_is_person
    return True


_SPOKES = frozenset({"spokesman", "spokeswoman", "spokesperson"})


def _fits_description(source: str, previous: str) -> bool:
    """A definite description ("the spokesman") takes the previous statement's source only
    when that source was written with the same noun ("a Microsoft spokesman said ... the
    spokesman said"); after "Lula said" or "Geoff Johnston said", "the spokesman" is someone
    else (checked by hand on field news: both such resolutions in a sample were wrong). A
    pronoun or "the statement" always fits."""
    words = source.lower().split()
    if len(words) != 2 or words[0] != "the" or words[1] == "statement":
        return True
    before = set(previous.lower().replace("-", " ").split())
    if words[1] in _SPOKES:
        return bool(before & _SPOKES)
    return words[1] in before


def _speaks_as_person(doc: Doc, source: tuple[int, int] | None,
                      doc_mentions: list[_Mention]) -> bool:
    """A source names a person when it is a PERSON or its head is not the name of the
    organisation or place it mentions ("an official", "a spokesman for X")."""
    if source is None:
        return False
    span = doc.char_span(*source, alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    for mention in doc_mentions:
        if mention.start_char <= root.idx < mention.end_char:
            return str(mention.label) == "PERSON"
    return root.pos_ in ("NOUN", "PROPN") or root.lower_ in ("he", "she", "i")


def _is_anaphoric(source: str) -> bool:
    """A pronoun ("he"), or a definite description ("the statement", "the spokesman")."""
    words = source.lower().split()
    if len(words) == 1 and words[0] in _PRONOUNS:
        return True
    return len(words) == 2 and words[0] == "the" and words[1] in _ANAPHORIC


# ---------------------------------------------------------------------------- aggregation

def stance_matrix(targets: pd.DataFrame, *, min_statements: int = 1) -> pd.DataFrame:
    """Source x target stance in long form, from the polarity towards each target.

    Args:
        targets: :func:`statement_targets` (one row per statement and target).
        min_statements: Keep pairs with at least this many statements.

    Returns:
        Columns ``source_entity, target_entity, statements, mean_polarity, quad_class,
        evidence`` (``doc_id:sent_id`` of each statement, ``;``-joined);
        ``mean_polarity`` averages the statements' scores towards that target (from -1, all
        negative, to +1); ``quad_class`` is the pair's most frequent class.

    Example:
        >>> stance_matrix(targets, min_statements=2)  # doctest: +SKIP
    """
    frame = targets.dropna(subset=["source_entity"])
    if frame.empty:
        return TABLES["matrix"].empty()
    frame = frame.assign(evidence=frame["doc_id"].astype(str) + ":"
                         + frame["sent_id"].astype(str),
                         score=pd.to_numeric(frame["polarity_score"], errors="coerce"))
    grouped = frame.groupby(["source_entity", "target_entity"], sort=False)
    table = pd.DataFrame({
        "statements": grouped["statement_id"].nunique(),
        "mean_polarity": grouped["score"].mean(),
        "quad_class": grouped["quad_class"].agg(lambda s: Counter(s).most_common(1)[0][0]),
        "evidence": grouped["evidence"].agg(lambda s: ";".join(dict.fromkeys(s))),
    }).reset_index()
    table = table[table["statements"] >= min_statements]
    return TABLES["matrix"].conform(table.sort_values(
        ["statements", "source_entity", "target_entity"], ascending=[False, True, True],
        kind="stable").reset_index(drop=True))


def statements_html(statements: pd.DataFrame, texts: dict[str, str], *, limit: int = 50) -> str:
    """Statements with source, cue and content highlighted in their sentence (escaped HTML).

    Args:
        statements: :func:`statements_table`.
        texts: ``doc_id`` -> document text.
        limit: Rows to show.

    Returns:
        HTML; document text is escaped, so it never becomes markup.
    """
    colours = {"source": "#cde4ff", "cue": "#ffe3a3", "content": "#d9f2d0"}
    rows = []
    for row in statements.head(limit).itertuples():
        text = texts[row.doc_id]
        spans = sorted((getattr(row, f"{part}_start"), getattr(row, f"{part}_end"), part)
                       for part in ("source", "cue", "content")
                       if pd.notna(getattr(row, f"{part}_start")))
        cursor, pieces = row.start_char, []
        for start, end, part in spans:
            start, end = int(start), int(end)
            if start < cursor:
                continue
            pieces.append(html.escape(text[cursor:start]))
            pieces.append(f"<span style='background:{colours[part]}' title='{part}'>"
                          f"{html.escape(text[start:end])}</span>")
            cursor = end
        pieces.append(html.escape(text[cursor:row.end_char]))
        meta = " · ".join(html.escape(str(v)) for v in (
            row.source_entity if isinstance(row.source_entity, str) else "?",
            row.polarity if isinstance(row.polarity, str) else "no target", row.quad_class))
        rows.append(f"<tr><td style='white-space:nowrap;color:#555'>{html.escape(row.doc_id)}:"
                    f"{row.sent_id}<br>{meta}</td><td style='text-align:left'>"
                    f"{''.join(pieces)}</td></tr>")
    legend = " ".join(f"<span style='background:{c}'>{p}</span>" for p, c in colours.items())
    return (f"<p>{legend}</p><table class='analystkit-statements'><tbody>\n"
            + "\n".join(rows) + "\n</tbody></table>")
