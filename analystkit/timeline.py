"""What happened when: temporal expressions on the calendar, dated events, a timeline.

Every document needs a reference date (the document creation time, DCT) to resolve
"on Tuesday" or "last week". :func:`reference_dates` picks it, in order: the
``reference_date`` parameter; the document's ``date``; an analyst's ``reference_date`` in its
metadata (an assumption, labelled so); the most specific absolute date in the text (with a
warning); otherwise none, and the document's timeline is relative ("DCT-1 day").

Tables (rows carry ``doc_id``, ``sent_id`` and character offsets into the document):

========= ==================================================================================
timexes   doc_id, sent_id, start_char, end_char, text, type, value, anchored, date,
          date_end, precision, relative, dct, dct_source
events    doc_id, sent_id, start_char, end_char, predicate, event, actors, date, date_end,
          precision, relative, timex, timex_value, source, anchor, evidence, dct_source, quad_class,
          goldstein (CAMEO-style coding of the predicate, :mod:`analystkit.coding`)
timeline  the dated events sorted by date (ranges and vague dates placed at their start,
          ``precision`` says which), then the undated ones
========= ==================================================================================

``precision`` is one of ``time``, ``day``, ``week``, ``month``, ``quarter``, ``year``,
``decade``, ``vague`` (PAST_REF and the like, placed at the DCT), ``relative`` (no DCT:
no calendar date, and ``relative`` says ``DCT-2d``, two days before the unknown DCT) or
``undated``.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from spacy.tokens import Doc, Span, Token

from .corpus import Document, parse_date
from .pipeline import AnnotatedCorpus
from .timex import Timex, tag_timexes

__all__ = [
    "RELATIVE_ORIGIN",
    "events_table",
    "reference_dates",
    "timeline_table",
    "timex_range",
    "timexes_table",
]

RELATIVE_ORIGIN = dt.date(2000, 1, 1)
"""Stand-in DCT for documents without one; their dates are reported relative to it."""

_DATA = Path(__file__).parent / "data"
_REPORTING = {
    "say", "tell", "report", "confirm", "announce", "warn", "claim", "state", "add", "note",
    "deny", "insist", "argue", "explain", "write", "reveal", "allege", "acknowledge", "admit",
    "threaten", "declare", "predict", "estimate", "suggest", "complain", "indicate", "accuse",
}
_BEFORE_AFTER = {"before", "after", "earlier", "later", "prior"}


def _event_nouns() -> set[str]:
    path = _DATA / "event_nouns.txt"
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


EVENT_NOUNS = _event_nouns()
"""Nouns that name events ("strike", "assault", "election"); ``analystkit/data/event_nouns.txt``."""


# ----------------------------------------------------------------------- reference dates

@dataclass(frozen=True)
class ReferenceDate:
    """The DCT used for one document and where it came from."""

    date: dt.date | None
    source: str  # parameter | metadata date | metadata reference_date (assumption) | ...


def _most_specific_date(document: Document) -> dt.date | None:
    days = [t.value for t in tag_timexes(document.text, None)
            if t.type == "DATE" and t.value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", t.value)]
    return max(dt.date.fromisoformat(v) for v in days) if days else None


def reference_dates(documents: Iterable[Document], *,
                    reference_date: str | dt.date | None = None,
                    warn: bool = True) -> dict[str, ReferenceDate]:
    """The DCT of each document, following the fallback order in the module docstring.

    Args:
        documents: The documents.
        reference_date: One date for all documents (overrides everything).
        warn: Warn when a reference date is inferred from the text.

    Returns:
        ``doc_id`` -> :class:`ReferenceDate`.

    Example:
        >>> reference_dates(corpus, reference_date="2017-06-08")  # doctest: +SKIP
    """
    forced = parse_date(reference_date) if reference_date is not None else None
    result = {}
    for document in documents:
        if forced is not None:
            result[document.doc_id] = ReferenceDate(forced, "parameter")
        elif document.date is not None:
            result[document.doc_id] = ReferenceDate(document.date, "metadata date")
        elif isinstance(document.meta.get("reference_date"), dt.date):
            result[document.doc_id] = ReferenceDate(document.meta["reference_date"],
                                                    "metadata reference_date (assumption)")
        else:
            inferred = _most_specific_date(document)
            if inferred is not None and warn:
                warnings.warn(f"analystkit: {document.doc_id} has no date; using {inferred}, "
                              "the latest full date in its text, as reference date",
                              stacklevel=2)
                result[document.doc_id] = ReferenceDate(inferred, "inferred from text")
            else:
                result[document.doc_id] = ReferenceDate(None, "relative (no date known)")
    return result


# --------------------------------------------------------------------------- timex values

def timex_range(value: str | None, dct: dt.date | None = None
                ) -> tuple[dt.date | None, dt.date | None, str]:
    """Calendar range and precision of a TIMEX3 value.

    Args:
        value: A TIMEX3 value (``2017-06-06``, ``2017-W23``, ``2017-Q2``, ``PAST_REF``...).
        dct: The reference date, used to place vague values.

    Returns:
        ``(first day, last day, precision)``; ``(None, None, "undated")`` when the value
        names no calendar period (durations, sets, unknown parts).

    Example:
        >>> timex_range("2017-W23")
        (datetime.date(2017, 6, 5), datetime.date(2017, 6, 11), 'week')
    """
    if not value:
        return None, None, "undated"
    if value in ("PAST_REF", "PRESENT_REF", "FUTURE_REF"):
        return (dct, dct, "vague") if dct else (None, None, "undated")
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(T.*)?", value):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return day, day, "time" if m[4] else "day"
        if m := re.fullmatch(r"(\d{4})-W(\d{2})(-WE)?", value):
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, monday + dt.timedelta(days=6), "week"
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            first = dt.date(int(m[1]), int(m[2]), 1)
            following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, following - dt.timedelta(days=1), "month"
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            quarter = int(m[2])
            first = dt.date(int(m[1]), 3 * quarter - 2, 1)
            last = dt.date(int(m[1]) + quarter // 4, (3 * quarter) % 12 + 1, 1)
            return first, last - dt.timedelta(days=1), "quarter"
        if m := re.fullmatch(r"(\d{4})(-(SP|SU|FA|WI|H[12]))?", value):
            return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31), "year"
        if m := re.fullmatch(r"(\d{3})", value):
            return dt.date(int(m[1]) * 10, 1, 1), dt.date(int(m[1]) * 10 + 9, 12, 31), "decade"
    except ValueError:  # a syntactically valid but impossible date
        pass
    return None, None, "undated"


# ------------------------------------------------------------------------------ timexes

def _doc_timexes(document: Document, doc: Doc, dct: dt.date | None) -> list[Timex]:
    return tag_timexes(document.text, dct if dct is not None else RELATIVE_ORIGIN, doc=doc)


def timexes_table(annotated: AnnotatedCorpus, *,
                  reference_date: str | dt.date | None = None) -> pd.DataFrame:
    """Every temporal expression with its TIMEX3 type and value and its calendar range.

    Args:
        annotated: The annotated corpus.
        reference_date: One DCT for all documents (see :func:`reference_dates`).

    Returns:
        Columns as in the module docstring; for a document without a DCT, ``date`` counts
        from :data:`RELATIVE_ORIGIN` and ``precision`` is ``relative``.

    Example:
        >>> timexes_table(annotated, reference_date="2017-06-08")  # doctest: +SKIP
    """
    dcts = reference_dates(annotated.corpus, reference_date=reference_date)
    rows = []
    for document, doc in annotated:
        reference = dcts[document.doc_id]
        sent_of = _sentence_index(doc)
        for timex in _doc_timexes(document, doc, reference.date):
            first, last, precision, relative = _resolve(timex, reference)
            value = None if relative else timex.value
            rows.append((document.doc_id, _sent_at(doc, sent_of, timex.start), timex.start,
                         timex.end, timex.text, timex.type, value, timex.anchored, first,
                         last, precision, relative, reference.date, reference.source))
    columns = ["doc_id", "sent_id", "start_char", "end_char", "text", "type", "value",
               "anchored", "date", "date_end", "precision", "relative", "dct", "dct_source"]
    frame = pd.DataFrame(rows, columns=columns)
    return _typed(frame)


def _resolve(timex: Timex, reference: ReferenceDate
             ) -> tuple[dt.date | None, dt.date | None, str, str | None]:
    """(first day, last day, precision, relative label) of an expression in its document.

    Without a DCT, a DCT-relative expression gets no calendar date, only a label such as
    ``DCT-2d`` (two days before the unknown reference date), so it never poses as a date.
    """
    first, last, precision = timex_range(timex.value, reference.date or RELATIVE_ORIGIN)
    if reference.date is None and timex.anchored:
        if first is None:
            return None, None, "undated", None
        return None, None, "relative", f"DCT{(first - RELATIVE_ORIGIN).days:+d}d"
    return first, last, precision, None


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    # Second resolution: expressions reach far outside the nanosecond range ("the 1000s").
    for column in ("date", "date_end", "dct"):
        if column in frame:
            values = [np.datetime64("NaT", "s") if value is None or pd.isna(value)
                      else np.datetime64(pd.Timestamp(value).date(), "s")
                      for value in frame[column].tolist()]
            frame[column] = pd.Series(np.array(values, dtype="datetime64[s]"),
                                      index=frame.index)
    return frame.astype({c: "string" for c in frame.columns
                         if frame[c].dtype == object and c not in ("anchored",)})


def _sentence_index(doc: Doc) -> np.ndarray:
    starts = np.array([s.start_char for s in doc.sents], dtype=np.int64)
    return starts


def _sent_at(doc: Doc, starts: np.ndarray, char: int) -> int:
    return int(max(0, np.searchsorted(starts, char, side="right") - 1))


# ------------------------------------------------------------------------------- events

def _timex_tokens(doc: Doc, timex: Timex) -> Span | None:
    return doc.char_span(timex.start, timex.end, alignment_mode="expand")


def _governor(span: Span) -> Token | None:
    """The verb or event noun that a temporal expression modifies."""
    token = span.root
    seen = 0
    while token.head is not token and seen < 12:
        token = token.head
        seen += 1
        if token.i in range(span.start, span.end):
            continue
        if token.pos_ in ("VERB", "AUX") or (token.pos_ == "NOUN"
                                               and token.lemma_.lower() in EVENT_NOUNS):
            return token
    return token if token.pos_ in ("VERB", "AUX") else None


def _short_phrase(token: Token, *, limit: int = 6) -> str:
    """The head noun with what stands before it in its phrase: "US-backed forces"."""
    start = max(token.left_edge.i, token.i - limit)
    doc = token.doc
    while start < token.i and (doc[start].dep_ in ("det", "punct") or doc[start].is_space):
        start += 1
    return " ".join(doc[start:token.i + 1].text.split())


def _event_phrase(predicate: Token, exclude: set[int]) -> str:
    if predicate.pos_ == "NOUN":
        tokens = [t for t in predicate.subtree if t.i not in exclude]
        while tokens and (tokens[0].dep_ == "det" or tokens[0].is_punct):
            tokens = tokens[1:]
        return " ".join("".join(t.text_with_ws for t in tokens[:16]).split()).rstrip(" ,;:-")
    subject = next((c for c in predicate.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None and predicate.dep_ in ("acl", "relcl") and predicate.head.pos_ != "VERB":
        subject = predicate.head
    verb = [t for t in predicate.children if t.dep_ in ("aux", "auxpass", "neg", "prt")]
    verb = " ".join(t.text for t in sorted([*verb, predicate], key=lambda t: t.i))
    obj = next((c for c in predicate.children if c.dep_ in ("dobj", "attr", "oprd")), None)
    pieces = [_short_phrase(subject) if subject is not None else "", verb,
              _short_phrase(obj) if obj is not None else ""]
    return " ".join(p for p in pieces if p)


def _clause_tokens(predicate: Token) -> list[Token]:
    """Tokens of the predicate's clause, without embedded clauses of other verbs."""
    tokens = []
    stack = [predicate]
    while stack:
        token = stack.pop()
        tokens.append(token)
        for child in token.children:
            if child.dep_ in ("ccomp", "advcl", "relcl", "conj", "parataxis") \
                    and child.pos_ in ("VERB", "AUX"):
                continue
            stack.append(child)
    return tokens


def _source(predicate: Token, mentions_by_char: dict[int, str]) -> str | None:
    """Who reports the event: the subject of a reporting verb above it, or "according to"."""
    token = predicate
    for _ in range(8):
        for child in token.children:
            if child.lower_ == "according":
                target = [t for t in child.subtree if t.dep_ == "pobj"]
                if target:
                    return _name_of(target[0], mentions_by_char)
        if token.head is token:
            break
        if token.dep_ in ("ccomp", "xcomp", "parataxis") and token.head.lemma_ in _REPORTING:
            subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                return _name_of(subject, mentions_by_char)
        token = token.head
    return None


def _name_of(token: Token, mentions_by_char: dict[int, str]) -> str:
    """The canonical entity the phrase headed by ``token`` names, else the phrase itself."""
    start = max(token.left_edge.i, token.i - 6)
    for t in token.doc[start:token.i + 1]:
        if t.idx in mentions_by_char:
            return mentions_by_char[t.idx]
    return _short_phrase(token)


def _actors(tokens: Iterable[Token], mentions_by_char: dict[int, str]) -> str:
    names = []
    for token in sorted(tokens, key=lambda t: t.i):
        name = mentions_by_char.get(token.idx)
        if name and name not in names:
            names.append(name)
    return "|".join(names)


def _relative_anchor(span: Span) -> tuple[str, str] | None:
    """("before"|"after", anchor lemma) for "a day before the strike" (a preposition and its
    event noun) or "hours after the alliance threatened" (a conjunction and its clause)."""
    doc = span.doc
    if span.end >= len(doc) or doc[span.end].lower_ not in _BEFORE_AFTER:
        return None
    word = doc[span.end]
    direction = "before" if word.lower_ in ("before", "earlier", "prior") else "after"
    if word.dep_ == "mark" and word.head.pos_ in ("VERB", "AUX"):
        return direction, word.head.lemma_.lower()
    objects = [t for t in word.subtree if t.dep_ == "pobj"]
    if objects:
        return direction, objects[0].lemma_.lower()
    return None


def _duration_days(value: str | None) -> float | None:
    match = re.fullmatch(r"P(\d+(?:\.\d+)?)([DWMY])", value or "")
    if not match:
        return 0.5 if value in ("PT1H", "PTXH") else None
    return float(match[1]) * {"D": 1, "W": 7, "M": 30.4, "Y": 365.25}[match[2]]


def events_table(annotated: AnnotatedCorpus, *, reference_date: str | dt.date | None = None,
                 mentions: pd.DataFrame | None = None, timexes: pd.DataFrame | None = None
                 ) -> pd.DataFrame:
    """Dated (and reported, undated) events: predicate, actors, date, source, evidence.

    An event is a clause or event noun governing a temporal expression, or the main
    clause of a reported statement ("officials said ..."). A duration followed by
    "before"/"after" and an event ("a day before the strike") is resolved through that
    event when it has a date.

    Args:
        annotated: The annotated corpus (with a dependency parse).
        reference_date: One DCT for all documents (see :func:`reference_dates`).
        mentions: :func:`analystkit.entities.entity_mentions` (computed if not given);
            actors and sources are canonical entities where a mention is found.
        timexes: :func:`timexes_table` for the same corpus and reference date (computed if
            not given), so that expressions are tagged once.

    Returns:
        Columns as in the module docstring.

    Example:
        >>> events_table(annotated, reference_date="2017-06-08")  # doctest: +SKIP
    """
    from .entities import entity_mentions

    if mentions is None:
        mentions = entity_mentions(annotated)
    by_doc: dict[str, dict[int, str]] = {}
    for doc_id, start, canonical in zip(mentions["doc_id"].tolist(),
                                        mentions["start_char"].tolist(),
                                        mentions["canonical"].tolist(), strict=True):
        if isinstance(canonical, str):
            by_doc.setdefault(doc_id, {})[start] = canonical
    if timexes is None:
        timexes = timexes_table(annotated, reference_date=reference_date)
    tagged: dict[str, list[Timex]] = {}
    columns = ("doc_id", "start_char", "end_char", "text", "type", "value", "anchored")
    for doc_id, start, end, text, kind, value, anchored in zip(
            *(timexes[c].tolist() for c in columns), strict=True):
        tagged.setdefault(doc_id, []).append(
            Timex(start, end, text, kind, None if pd.isna(value) else value, bool(anchored)))
    # The timexes table warned already about inferred reference dates.
    dcts = reference_dates(annotated.corpus, reference_date=reference_date, warn=False)
    rows = []
    for document, doc in annotated:
        if not doc.has_annotation("DEP"):
            continue
        reference = dcts[document.doc_id]
        names = by_doc.get(document.doc_id, {})
        sent_of = _sentence_index(doc)
        found: dict[int, dict] = {}
        pending_anchors = []
        for timex in tagged.get(document.doc_id, []):
            span = _timex_tokens(doc, timex)
            anchor = _relative_anchor(span) if span is not None else None
            # A date or time dates its clause; a duration only with an anchor ("a day before").
            if span is None or timex.type == "SET" or (timex.type == "DURATION" and not anchor):
                continue
            predicate = _governor(span)
            if predicate is None:
                continue
            first, last, precision, relative = _resolve(timex, reference)
            row = found.get(predicate.i)
            if row is not None and row["date"] is not None and precision != "day":
                continue  # keep the more precise expression already found for this clause
            found[predicate.i] = _event_row(document, doc, predicate, span, timex, first, last,
                                            precision, names, sent_of, reference)
            found[predicate.i]["relative"] = relative
            if timex.type == "DURATION" and anchor is not None:
                pending_anchors.append((predicate.i, anchor, _duration_days(timex.value)))
        # main clauses of reported statements, undated unless they carry a timex
        for token in doc:
            if token.lemma_ in _REPORTING and token.pos_ == "VERB":
                for child in token.children:
                    if child.dep_ == "ccomp" and child.pos_ in ("VERB", "AUX") \
                            and child.i not in found:
                        found[child.i] = _event_row(document, doc, child, None, None, None,
                                                    None, "undated", names, sent_of, reference)
        _resolve_anchors(found, pending_anchors)
        rows.extend(found[i] for i in sorted(found))
    columns = ["doc_id", "sent_id", "start_char", "end_char", "predicate", "event", "actors",
               "date", "date_end", "precision", "relative", "timex", "timex_value", "source",
               "anchor", "evidence", "dct_source", "quad_class", "goldstein"]
    return _typed(pd.DataFrame(rows, columns=columns))


def _event_row(document, doc, predicate, span, timex, first, last, precision, names, sent_of,
               reference) -> dict:
    exclude: set[int] = set()
    if span is not None:
        exclude = set(range(span.start, span.end))
        if span.root.head.dep_ == "prep" and span.root.head.i == span.start - 1:
            exclude.add(span.start - 1)  # "on" of "on Tuesday"
    clause = _clause_tokens(predicate)
    if predicate.dep_ in ("acl", "relcl"):  # "US-backed forces announced": the noun it modifies
        clause += [t for t in predicate.head.subtree if t.i < predicate.i]
    sentence = predicate.sent
    return {
        "doc_id": document.doc_id,
        "sent_id": _sent_at(doc, sent_of, sentence.start_char),
        "start_char": predicate.idx,
        "end_char": predicate.idx + len(predicate),
        "predicate": predicate.lemma_.lower(),
        "event": _event_phrase(predicate, exclude),
        "actors": _actors(clause, names),
        "date": first,
        "date_end": last,
        "precision": precision,
        "timex": timex.text if timex else None,
        "timex_value": timex.value if timex else None,
        "source": _source(predicate, names),
        "anchor": None,
        "evidence": " ".join(sentence.text.split()),
        "dct_source": reference.source,
        "relative": None,
        **_coding(predicate),
    }


def _coding(predicate: Token) -> dict:
    from .coding import load_lexicon

    code = load_lexicon().code(predicate)
    return {"quad_class": code.quad_class if code else "neutral",
            "goldstein": code.goldstein if code else 0.0}


def _resolve_anchors(found: dict[int, dict], pending) -> None:
    """Date "a day before the strike" from the dated event "strike" in the same document."""
    for index, (direction, lemma), days in pending:
        row = found[index]
        anchors = [r for i, r in found.items() if i != index and r["date"] is not None
                   and r["predicate"] == lemma and r["precision"] in ("day", "time")]
        if not anchors or days is None:
            continue
        anchor = anchors[0]
        shift = dt.timedelta(days=round(days)) * (-1 if direction == "before" else 1)
        row["date"] = row["date_end"] = anchor["date"] + shift
        row["precision"] = "day" if days >= 1 else anchor["precision"]
        row["anchor"] = f"{direction} {anchor['event']} ({anchor['date']})"


def timeline_table(events: pd.DataFrame) -> pd.DataFrame:
    """Events in order: dated by date, then relative ones (no DCT) by offset, then undated.

    Args:
        events: An :func:`events_table`.

    Returns:
        The same columns, re-ordered rows, with a 0-based ``order`` column.
    """
    relative = events["relative"] if "relative" in events else pd.Series(None, index=events.index)
    offset = pd.to_numeric(relative.astype("string").str.extract(r"DCT([+-]\d+)d")[0],
                           errors="coerce")
    group = np.where(events["date"].notna(), 0, np.where(offset.notna(), 1, 2))
    ordered = events.assign(_group=group, _offset=offset).sort_values(
        ["_group", "date", "_offset", "doc_id", "start_char"], kind="stable")
    return ordered.drop(columns=["_group", "_offset"]).reset_index(drop=True) \
        .rename_axis("order").reset_index()
