"""What happened when: temporal expressions on the calendar, dated events, a timeline.

Every document needs a reference date (the document creation time, DCT) to resolve
"on Tuesday" or "last week". :func:`reference_dates` picks it, in order: the
``reference_date`` parameter; the document's ``date`` (metadata wins over a dateline that
disagrees, and the disagreement is noted); an analyst's ``reference_date`` in its metadata
(an assumption, labelled so); the publication date a dateline of the text gives ("Updated:
2 December 2004", a date line at the top), else a date in the document's URL
(:func:`infer_reference_date`); otherwise none, and the document's timeline is relative.
Dates the text merely mentions are never used. :func:`describe_reference_date` words the
choice the same way for every table and page (the ``dct_source`` column).

Tables (rows carry ``doc_id``, ``sent_id`` and character offsets into the document):

========= ==================================================================================
timexes   doc_id, sent_id, start_char, end_char, text, type, value, anchored, date,
          date_end, precision, relative, dct, dct_source
events    doc_id, sent_id, start_char, end_char, predicate, event, actors, date, date_end,
          precision, relative, timex, timex_value, source, statement_id (the statement that
          reports the event, whose source it is), anchor, evidence, dct_source, quad_class,
          goldstein (CAMEO-style coding of the predicate, :mod:`analystkit.coding`)
timeline  the events columns plus ``order``: dated events sorted by date (ranges placed at
          their start, ``precision`` says which), then vague and relative events (no
          calendar date) per document in text order, then the undated ones
========= ==================================================================================

``precision`` is one of ``time``, ``day``, ``week``, ``month``, ``quarter``, ``year``,
``decade``, ``century`` ("the 1800s", "the 19th century": TIMEX3 ``18``), ``vague`` ("now",
"the past": never a calendar date; ``relative`` says "some
time before 2004-12-02 (vague)"), ``relative`` (a document without a DCT: no calendar
date; ``relative`` says what is known, "two days before publication", "Thursday, within the
week before the unknown publication date", and ``value`` is an underspecified TIMEX3 value
such as ``XXXX-WXX-4``) or ``undated``. ``relative`` also gives both readings of a numeric
date whose day-month order is unknown in its document ("2 December or 12 February 2004";
``value`` ``2004-XX-XX``, ``precision`` ``year``). No date is ever computed from a stand-in
for an unknown DCT.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from spacy.tokens import Doc, Span, Token

from .corpus import Document, parse_date
from .pipeline import AnnotatedCorpus, SentenceIndex
from .resources import cached, data_path
from .schema import TABLES
from .timex import Timex, numeric_date_order, tag_timexes

__all__ = [
    "ReferenceDate",
    "describe_reference_date",
    "event_nouns",
    "document_date_order",
    "spelling_date_order",
    "events_table",
    "infer_reference_date",
    "outlet_date_order",
    "reference_dates",
    "timeline_table",
    "timex_range",
    "timexes_table",
]

_BEFORE_AFTER = {"before", "after", "earlier", "later", "prior"}


EVENT_NOUNS_PATH = data_path("event_nouns.txt")


def event_nouns() -> frozenset[str]:
    """Nouns that name events ("strike", "assault", "election"), from
    ``analystkit/data/event_nouns.txt`` (read once, on first use).

    Example:
        >>> "strike" in event_nouns()
        True
    """
    def read() -> frozenset[str]:
        lines = EVENT_NOUNS_PATH.read_text(encoding="utf-8").splitlines()
        return frozenset(line.strip() for line in lines
                         if line.strip() and not line.startswith("#"))

    return cached("event_nouns", (EVENT_NOUNS_PATH,), read)


# ----------------------------------------------------------------------- reference dates

@dataclass(frozen=True)
class ReferenceDate:
    """The DCT used for one document, where it came from and the evidence.

    Attributes:
        date: The reference date, or None (the document's timeline is relative).
        source: How it was chosen: ``"parameter"``, ``"metadata date"``, ``"metadata
            reference_date (assumption)"``, ``"dateline"`` (a date line of the text),
            ``"url"`` (a date in the document's address) or ``"none"``.
        evidence: The text it was read from (the dateline as written, the URL part).
        start: Offset of the evidence in the document text (datelines only).
        end: Offset after the evidence (datelines only).
        note: Anything a reader should know: a dateline that disagrees with the metadata
            date, a dateline without a year.
    """

    date: dt.date | None
    source: str
    evidence: str | None = None
    start: int | None = None
    end: int | None = None
    note: str | None = None


def describe_reference_date(reference: ReferenceDate, *, with_date: bool = False) -> str:
    """How a document's reference date was chosen, in the words every table and page uses.

    Args:
        reference: The document's :class:`ReferenceDate`.
        with_date: Start with the date itself ("2004-12-02, dateline '...'"), for pages that
            do not show it in a column of its own.

    Returns:
        E.g. ``"parameter"``, ``"metadata date"``, ``"dateline 'Updated: 2 December 2004'"``,
        ``"URL date '/2004/11/14/'"``, ``"none: relative timeline"``; the ``dct_source``
        column of the timexes and events tables.

    Example:
        >>> describe_reference_date(ReferenceDate(dt.date(2004, 12, 2), "dateline",
        ...                                       "Updated: 2 December 2004"))
        "dateline 'Updated: 2 December 2004'"
    """
    if reference.source == "dateline":
        words = f"dateline '{reference.evidence}'"
    elif reference.source == "url":
        words = f"URL date '{reference.evidence}'"
    elif reference.source == "none":
        words = "none: relative timeline"
    else:
        words = reference.source
    if reference.note:
        words += f" ({reference.note})"
    if with_date:
        when = reference.date.isoformat() if reference.date else "no reference date"
        return f"{when}, {words}"
    return words


# A label that makes a date the publication date: "Updated: ", "Published Wednesday, ".
# "Date" only with a colon ("Date: June 16, 2003"; "the payment date April 9" is a sentence),
# and the weekday slot capitalised ("Published Wednesday,", not "date was").
_LABEL_BEFORE = re.compile(
    r"(?:\b(?:last\s+updated|last\s+update|updated|published|posted|first\s+published)\b"
    r"\s*(?:on\b)?\s*[:\-–]?|\bdate\s*:)"
    r"\s*(?:at\s+)?(?:\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?\s*,?\s*)?"
    r"(?:(?-i:[A-Z][a-z]{2,8})\.?,?\s*)?$", re.IGNORECASE)
# Words before a date that make it part of a sentence ("On Oct. 16, 1998, the Air Force"),
# or digits of a range of days ("26,27,28 November 2004").
_IN_SENTENCE_BEFORE = re.compile(
    r"(?:\b(?:on|in|of|since|from|until|till|to|before|after|at|as\s+of|than|and|or|the|by"
    r"|between|effective|dated|date\s+of|through|for)|\d[,–-])\s*,?\s*$", re.IGNORECASE)
# What may stand before a header date on its line: nothing, a separator, a weekday, a
# byline or place of capitalised words ("By Jane Roe", "Cape Canaveral (SPX)").
_HEADER_BEFORE = re.compile(
    r"(?:^|[>|:\-–—(),]|\b(?:Mon|Tues?|Wed|Thu|Thurs?|Fri|Sat|Sun)\.?,?|\b[A-Z][a-z]+day,?"
    r"|^(?:[A-Z][\w.'’-]*\s+){1,6})\s*$")
# ... or after it: a separator, a time, a byline.
_HEADER_AFTER_MARK = re.compile(r"[ \t]*(?:[-–—|(]|\d{1,2}[:.]\d\d|(?:BY|By)\s+[A-Z])")
_HEADER_CHARS, _HEADER_LINES, _FOOTER_CHARS = 600, 8, 300
# A sign-off at the foot of a text: "Oslo, 8 October 2004." as its own line or last sentence
# (a place of one to four capitalised words, or two such parts: "Cape Town, South Africa",
# then the date, then the end of the text).
_PLACE = r"[A-Z][\w.'’-]*(?:[ -][A-Z][\w.'’-]*){0,3}"
_SIGN_OFF_BEFORE = re.compile(rf"(?:^|[.!?][\"”’')]*\s+){_PLACE}(?:,[ \t]*{_PLACE})?,[ \t]*$",
                              re.MULTILINE)
_SIGN_OFF_AFTER = re.compile(r"[ \t]*\.?\s*$")
# Month names in lower case ("january 11 2005" opening a page): capitalised for the tagger
# when they begin a full date (a day and a year, or a day before them and a year after).
_MONTH_WORDS = ("january|february|march|april|may|june|july|august|september|october"
                "|november|december")
_LOWER_FULL_DATE = re.compile(
    rf"\b(?:(?P<md>{_MONTH_WORDS})(?=\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b)"
    rf"|(?<=\d\s)(?P<dm>{_MONTH_WORDS})(?=,?\s+(?:19|20)\d\d\b))")


def _capitalised_dates(text: str) -> str:
    """``text`` with lower-case month names of full dates capitalised (same length)."""
    return _LOWER_FULL_DATE.sub(lambda m: m.group().capitalize(), text)
# "LONDON, Dec 2 (Reuters) -", "NEW YORK, March 3 -": a wire dateline, usually without a year.
_WIRE_DATELINE = re.compile(
    r"^(?:[A-Z][A-Za-z.'’ -]{1,40},\s*)?[A-Z][A-Za-z.'’ -]{1,40},\s+(?P<when>"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})"
    r"(?:,\s*(?P<y>\d{4}))?\s*(?:\([A-Za-z/ .]+\)\s*)?(?:-|--|–|—)\s", re.MULTILINE)
_URL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[/-]?)(?P<m>0[1-9]|1[0-2]|[a-z]{3})(?P=sep)"
    r"(?P<d>0[1-9]|[12]\d|3[01])(?!\d)", re.IGNORECASE)
# CNN style: "/2004/TECH/internet/11/16/".
_URL_PATH_DATE = re.compile(r"/(?P<y>(?:19|20)\d\d)/(?:[A-Za-z][\w.-]*/){1,3}"
                            r"(?P<m>0[1-9]|1[0-2])/(?P<d>0[1-9]|[12]\d|3[01])/")
_URL_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
# Day-first outlets by the country of their site (a weak hint, used only without evidence in
# the text itself); .gov, .mil and .us sites write month first.
_DMY_COUNTRIES = frozenset("uk ie au nz in za sg my pk de fr nl it es be ch at dk se no fi pl "
                           "pt br ar".split())
_MDY_COUNTRIES = frozenset("us gov mil".split())


def _site(document: Document) -> str:
    site = (document.url or "").split("//", 1)[-1].split("/", 1)[0] or (document.source or "")
    return site.lower().strip().rstrip(".")


def outlet_date_order(document: Document) -> str | None:
    """``"dmy"`` or ``"mdy"`` from the country of the document's site, else None.

    Args:
        document: A document with a ``url`` or ``source`` such as ``news.bbc.co.uk``.

    Returns:
        The outlet's usual order of numeric dates, or None when the site says nothing
        (``.com`` sites are everywhere).
    """
    suffix = _site(document).rsplit(".", 1)[-1]
    if suffix in _DMY_COUNTRIES:
        return "dmy"
    if suffix in _MDY_COUNTRIES:
        return "mdy"
    return None


# British and American spellings of common news words: a hint of the date convention when
# the outlet says nothing (British usage writes day first).
_BRITISH = re.compile(r"\b(?:colour|favour|honour|labour|neighbour|centre|theatre"
                      r"|organisation|organisations|organised|realised|recognised|criticised"
                      r"|programme|programmes|defence|travelled|analyse|analysed)\b")
_AMERICAN = re.compile(r"\b(?:color|favor|honor|labor|neighbor|center|theater"
                       r"|organization|organizations|organized|realized|recognized|criticized"
                       r"|defense|traveled|analyze|analyzed)\b")


def spelling_date_order(text: str) -> str | None:
    """``"dmy"`` when British spellings clearly outnumber American ones ("organisation",
    "defence"), ``"mdy"`` for the reverse, else None (lower-case words only, so that names
    such as "Labor Day" do not count).

    Args:
        text: The document text.

    Returns:
        ``"dmy"``, ``"mdy"`` or None.
    """
    british, american = len(_BRITISH.findall(text)), len(_AMERICAN.findall(text))
    if british >= 2 and british >= 3 * american:
        return "dmy"
    if american >= 2 and american >= 3 * british:
        return "mdy"
    return None


def document_date_order(document: Document, dct: dt.date | None = None) -> str | None:
    """The order of numeric dates in ``document`` (:func:`analystkit.timex.numeric_date_order`
    with the metadata date or ``dct`` as evidence, then the outlet's country, then its
    spelling)."""
    hint = outlet_date_order(document) or spelling_date_order(document.text)
    return numeric_date_order(document.text, dct=dct or document.date, hint=hint)[0]


def _header_date(text: str, start: int, end: int, line_start: int) -> bool:
    """Whether the full date ``text[start:end]`` near the top stands outside a sentence: on
    its line only a separator, a weekday, a byline or a place before it ("By Jane Roe",
    "REDMOND, Wash. --"), nothing of a sentence before it, even on the line above when the
    date opens a wrapped line ("the payment date is\nMarch 30, 1990."), and no sentence
    going on after it ("March 31 1988 when the committee met")."""
    before = text[max(line_start, start - 60):start]
    if _IN_SENTENCE_BEFORE.search(before) or not (
            _HEADER_BEFORE.search(before) or _HEADER_AFTER_MARK.match(text, end)):
        return False
    if re.match(r",?[ \t]+[a-z]", text[end:end + 3]):
        return False
    if line_start and not text[line_start:start].strip():  # the date opens its line
        above = " ".join(text[max(0, line_start - 60):line_start].split())
        if _IN_SENTENCE_BEFORE.search(above + " "):
            return False
        if re.search(r"[a-z,]$", above) and re.match(r"[.,;:](?:\s|$)", text[end:end + 2]):
            return False  # "... the payment date is\nMarch 30, 1990." ends a sentence
    return True


def _dateline(document: Document) -> ReferenceDate | None:
    """The publication date a dateline of the text gives, with its evidence.

    A full date is a dateline when a label names it ("Updated:", "Published", "Posted",
    "Date:") at the top or the foot of the text, or when it stands in the first lines
    outside a sentence ("17 November 2004" on its own line, "By Jane Doe 30 November 2004",
    "REDMOND, Wash. -- Nov. 11, 2004 --"). Dates the text talks about are never used.
    """
    text = document.text
    order = document_date_order(document)
    header_end = min(len(text), _HEADER_CHARS)
    lines_end = 0
    for _ in range(_HEADER_LINES):
        next_break = text.find("\n", lines_end)
        if next_break < 0:
            lines_end = len(text)
            break
        lines_end = next_break + 1
    header_end = min(header_end, max(lines_end, 1))
    footer_start = max(header_end, len(text) - _FOOTER_CHARS)
    labelled, plain = [], []
    signed = []
    for part_start, part in ((0, text[:header_end]), (footer_start, text[footer_start:])):
        for timex in tag_timexes(_capitalised_dates(part), None, date_order=order):
            if timex.anchored or not re.fullmatch(r"\d{4}-\d\d-\d\d(?:T.*)?", timex.value or ""):
                continue
            start, end = part_start + timex.start, part_start + timex.end
            line_start = text.rfind("\n", 0, start) + 1
            before = text[max(line_start, start - 60):start]
            label = _LABEL_BEFORE.search(before)
            in_header = part_start == 0
            if label and (in_header or not label.group().lower().startswith("date")):
                label_start = max(line_start, start - 60) + label.start()
                evidence = " ".join(text[label_start:end].split())
                labelled.append((label_start, end, timex, evidence))
            elif in_header and _header_date(text, start, end, line_start):
                plain.append((start, end, timex, " ".join(text[start:end].split())))
            elif not in_header and _SIGN_OFF_AFTER.fullmatch(text, end) and (
                    sign := _SIGN_OFF_BEFORE.search(text, line_start, start)):
                place_start = sign.start() + len(sign.group()) - len(sign.group().lstrip(
                    ".!?\"”’') \t\n"))
                signed.append((place_start, end, timex,
                               " ".join(text[place_start:end].split())))
    for start, end, timex, evidence in labelled[:1] or plain[:1] or signed[-1:]:
        day = dt.date.fromisoformat(timex.value[:10])
        return ReferenceDate(day, "dateline", evidence, start, end)
    return None


def _url_date(document: Document) -> ReferenceDate | None:
    url = document.url or ""
    for match in [*_URL_DATE.finditer(url), *_URL_PATH_DATE.finditer(url)]:
        month = match["m"].lower()
        month_number = _URL_MONTHS.get(month) if month.isalpha() else int(month)
        if month_number is None:
            continue
        try:
            day = dt.date(int(match["y"]), month_number, int(match["d"]))
        except ValueError:
            continue
        return ReferenceDate(day, "url", match.group())
    return None


# The year a page was published in, for a dateline without one: a year segment of its URL
# ("/2004/"), an agency's end mark ("(END/2004)") or a copyright line at its foot.
_URL_YEAR = re.compile(r"[/_-](?P<y>(?:19|20)\d\d)(?=[/_-])")
_FOOT_YEAR = re.compile(r"\(END/(?P<y>(?:19|20)\d\d)\)|(?:copyright|©|\(c\))\s*(?:(?:19|20)\d\d"
                        r"\s*,\s*)*(?P<y2>(?:19|20)\d\d)\b", re.IGNORECASE)


def _publication_year(document: Document) -> tuple[int, str] | None:
    url = document.url or ""
    if match := _URL_YEAR.search(url):
        return int(match["y"]), f"the URL's '{url[match.start():match.end() + 1]}'"
    foot = document.text[-_FOOTER_CHARS:]
    years = [(m["y"] or m["y2"], m.group()) for m in _FOOT_YEAR.finditer(foot)]
    if years:
        year, evidence = years[-1]
        return int(year), f"'{evidence}'"
    return None


def _wire_dateline(document: Document) -> ReferenceDate | str | None:
    """A "CITY, Dec 2 -" dateline: a date with its own year or the page's, else a note."""
    match = _WIRE_DATELINE.search(document.text, 0, _HEADER_CHARS)
    if match is None:
        return None
    evidence = " ".join(match.group().split()).rstrip(" -–—")
    note = None
    year = match["y"]
    if year is None:
        found_year = _publication_year(document)
        if found_year is None:
            return f"the dateline '{evidence}' has no year"
        year, where = found_year
        note = f"year {year} from {where}"
    found = tag_timexes(f"{match['when']}, {year}", None)
    if not found or not re.fullmatch(r"\d{4}-\d\d-\d\d", found[0].value or ""):
        return None
    return ReferenceDate(dt.date.fromisoformat(found[0].value), "dateline", evidence,
                         match.start(), match.end(), note)


def infer_reference_date(document: Document) -> ReferenceDate:
    """The most likely publication date of a document without one in its metadata.

    In order: a dateline of the text (:func:`_dateline`); a date in the document's URL
    (``/2004/11/14/``, ``nn20041113``); a wire dateline ("LONDON, Dec 2 (Reuters) -") with
    the page's year (a year in its URL, "(END/2004)", a copyright line at its foot). Never
    the latest or any other date the text mentions: without such evidence there is no
    reference date and the timeline is relative.

    Args:
        document: The document.

    Returns:
        A :class:`ReferenceDate` (``source="none"`` when nothing reliable is found).
    """
    found = _dateline(document)
    if found is not None:
        return found
    url = _url_date(document)
    if url is not None:
        return url
    wire = _wire_dateline(document)
    if isinstance(wire, ReferenceDate):
        return wire
    return ReferenceDate(None, "none", note=wire)


def reference_dates(documents: Iterable[Document], *,
                    reference_date: str | dt.date | None = None,
                    warn: bool = True) -> dict[str, ReferenceDate]:
    """The DCT of each document, following the order in the module docstring.

    Args:
        documents: The documents.
        reference_date: One date for all documents (overrides everything).
        warn: Warn (once, naming the documents) when reference dates come from the text.

    Returns:
        ``doc_id`` -> :class:`ReferenceDate`; :func:`describe_reference_date` says how each
        was chosen.

    Example:
        >>> reference_dates(corpus, reference_date="2017-06-08")  # doctest: +SKIP
    """
    forced = parse_date(reference_date) if reference_date is not None else None
    result = {}
    inferred = []
    for document in documents:
        if forced is not None:
            result[document.doc_id] = ReferenceDate(forced, "parameter")
        elif document.date is not None:
            dateline = _dateline(document)
            note = None
            if dateline is not None and dateline.date != document.date:
                note = (f"the dateline '{dateline.evidence}' says {dateline.date}; the metadata "
                        "date is used")
            result[document.doc_id] = ReferenceDate(document.date, "metadata date", note=note)
        elif isinstance(document.meta.get("reference_date"), dt.date):
            result[document.doc_id] = ReferenceDate(document.meta["reference_date"],
                                                    "metadata reference_date (assumption)")
        else:
            reference = infer_reference_date(document)
            result[document.doc_id] = reference
            if reference.date is not None:
                inferred.append(document.doc_id)
    if inferred and warn:
        shown = ", ".join(inferred[:5]) + (f" and {len(inferred) - 5} more"
                                           if len(inferred) > 5 else "")
        warnings.warn(f"analystkit: {len(inferred)} document(s) without a metadata date take "
                      f"their reference date from a dateline or URL ({shown}); see dct_source",
                      stacklevel=2)
    return result


# --------------------------------------------------------------------------- timex values

def timex_range(value: str | None, dct: dt.date | None = None
                ) -> tuple[dt.date | None, dt.date | None, str]:
    """Calendar range and precision of a TIMEX3 value.

    Args:
        value: A TIMEX3 value (``2017-06-06``, ``2017-W23``, ``2017-Q2``, ``PAST_REF``...).
        dct: Unused; kept for callers that pass the reference date.

    Returns:
        ``(first day, last day, precision)``; ``(None, None, "vague")`` for ``PAST_REF``,
        ``PRESENT_REF`` and ``FUTURE_REF`` (no calendar period, whatever the DCT); a date
        whose month and day are unknown (``2004-XX-XX``) covers its year, a decade (``199``)
        its ten years, a century (``18``) its hundred; ``(None, None,
        "undated")`` when the value names no calendar period (durations, sets, unknown
        years).

    Example:
        >>> timex_range("2017-W23")
        (datetime.date(2017, 6, 5), datetime.date(2017, 6, 11), 'week')
    """
    if not value:
        return None, None, "undated"
    if value in ("PAST_REF", "PRESENT_REF", "FUTURE_REF"):
        return None, None, "vague"
    try:
        if m := re.fullmatch(r"(\d{4})-XX(?:-XX)?", value):
            return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31), "year"
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
        if m := re.fullmatch(r"(\d{2})", value):  # "18": the 1800s, the 19th century
            return dt.date(int(m[1]) * 100, 1, 1), dt.date(int(m[1]) * 100 + 99, 12, 31), \
                "century"
    except ValueError:  # a syntactically valid but impossible date
        pass
    return None, None, "undated"


# ------------------------------------------------------------------------------ timexes

def timexes_table(annotated: AnnotatedCorpus, *,
                  reference_date: str | dt.date | None = None,
                  dcts: Mapping[str, ReferenceDate] | None = None) -> pd.DataFrame:
    """Every temporal expression with its TIMEX3 type and value and its calendar range.

    Args:
        annotated: The annotated corpus.
        reference_date: One DCT for all documents (see :func:`reference_dates`).
        dcts: Reference dates already chosen (:func:`reference_dates`), so that they are
            chosen once; ``reference_date`` is then not used.

    Returns:
        Columns as in the module docstring. In a document without a DCT, an expression
        that depends on it has an underspecified ``value`` (``XXXX-WXX-4``), no ``date``,
        ``precision="relative"`` and ``relative`` words ("Thursday, within the week before
        the unknown publication date").

    Example:
        >>> timexes_table(annotated, reference_date="2017-06-08")  # doctest: +SKIP
    """
    if dcts is None:
        dcts = reference_dates(annotated.corpus, reference_date=reference_date)
    rows = []
    for document, doc in annotated:
        reference = dcts[document.doc_id]
        source = describe_reference_date(reference)
        sentences = SentenceIndex(doc)
        order = document_date_order(document, reference.date)
        for timex in tag_timexes(document.text, reference.date, doc=doc, date_order=order):
            first, last, precision, relative = _resolve(timex, reference)
            rows.append((document.doc_id, sentences.at_char(timex.start), timex.start,
                         timex.end, timex.text, timex.type, timex.value, timex.anchored, first,
                         last, precision, relative, reference.date, source))
    frame = pd.DataFrame(rows, columns=TIMEX_COLUMNS)
    return TABLES["timexes"].conform(frame)


TIMEX_COLUMNS = list(TABLES["timexes"].names)
EVENT_COLUMNS = list(TABLES["events"].names)

_VAGUE_WORDS = {"PAST_REF": "some time before {when} (vague)",
                "PRESENT_REF": "around {when} (vague)",
                "FUTURE_REF": "some time after {when} (vague)"}


def _resolve(timex: Timex, reference: ReferenceDate
             ) -> tuple[dt.date | None, dt.date | None, str, str | None]:
    """(first day, last day, precision, relative words) of an expression in its document.

    A vague expression ("now", "the past") never gets a calendar date; its words place it
    around the reference date. Without a DCT, a DCT-relative expression gets no calendar
    date either, only the tagger's words ("two days before publication").
    """
    if timex.value in _VAGUE_WORDS:
        when = reference.date.isoformat() if reference.date else "publication"
        return None, None, "vague", _VAGUE_WORDS[timex.value].format(when=when)
    first, last, precision = timex_range(timex.value)
    if reference.date is None and timex.anchored and timex.relative:
        return None, None, "relative", timex.relative
    return first, last, precision, timex.relative


# ------------------------------------------------------------------------------- events

def _timex_tokens(doc: Doc, timex: Timex) -> Span | None:
    return doc.char_span(timex.start, timex.end, alignment_mode="expand")


def _governor(span: Span) -> Token | None:
    """The verb or event noun that a temporal expression modifies."""
    token = span.root
    seen = 0
    while token.head.i != token.i and seen < 12:
        token = token.head
        seen += 1
        if token.i in range(span.start, span.end):
            continue
        if token.pos_ in ("VERB", "AUX") or (token.pos_ == "NOUN"
                                               and token.lemma_.lower() in event_nouns()):
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


class _Statement(NamedTuple):
    statement_id: int
    content_start: int
    content_end: int
    source: str | None


def _doc_statements(statements: pd.DataFrame) -> dict[str, list[_Statement]]:
    """``doc_id`` -> its statements, each with who says it: the source entity, else the
    source as written (the attribution engine's reading, the same as in the stance tables)."""
    by_doc: dict[str, list[_Statement]] = {}
    columns = ("doc_id", "statement_id", "content_start", "content_end", "source_entity",
               "source")
    for doc_id, statement_id, first, last, entity, written in zip(
            *(statements[c].tolist() for c in columns), strict=True):
        source = entity if isinstance(entity, str) else written if isinstance(written, str) \
            else None
        by_doc.setdefault(doc_id, []).append(_Statement(int(statement_id), int(first),
                                                        int(last), source))
    return by_doc


def _narrower(a: _Statement, b: _Statement) -> bool:
    """``a`` is the inner of two statements (shorter content; the first on a tie)."""
    return (a.content_end - a.content_start, a.statement_id) < \
        (b.content_end - b.content_start, b.statement_id)


class _StatementIndex:
    """One document's statements by content span, for "which statement holds this
    character" in about constant time (a scan per event is quadratic in a long text)."""

    def __init__(self, statements: list[_Statement]) -> None:
        self.statements = sorted(statements, key=lambda s: (s.content_start, s.content_end))
        self.starts = [s.content_start for s in self.statements]
        # reach[j]: the furthest content end among statements 0..j; going back from a
        # character, once it is passed no earlier statement can hold it.
        self.reach = list(itertools.accumulate((s.content_end for s in self.statements),
                                               max))

    def __iter__(self):
        return iter(self.statements)

    def holding(self, char: int) -> _Statement | None:
        """The innermost statement whose content holds ``char`` (a report inside a report
        is told by its inner source)."""
        best = None
        j = bisect.bisect_right(self.starts, char) - 1
        while j >= 0 and self.reach[j] > char:
            candidate = self.statements[j]
            if candidate.content_end > char and (best is None or _narrower(candidate, best)):
                best = candidate
            j -= 1
        return best


def _content_predicate(doc: Doc, statement: _Statement) -> Token | None:
    """The main verb of a statement's content: its first verb governed from outside it."""
    span = doc.char_span(statement.content_start, statement.content_end,
                         alignment_mode="contract")
    if span is None:
        return None
    inside = range(span.start, span.end)
    return next((t for t in span if t.pos_ in ("VERB", "AUX")
                 and (t.head.i == t.i or t.head.i not in inside)), None)


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


def events_table(annotated: AnnotatedCorpus, *, mentions: pd.DataFrame,
                 timexes: pd.DataFrame, statements: pd.DataFrame,
                 dcts: Mapping[str, ReferenceDate] | None = None,
                 reference_date: str | dt.date | None = None) -> pd.DataFrame:
    """Dated (and reported, undated) events: predicate, actors, date, source, evidence.

    An event is a clause or event noun governing a temporal expression, or the main
    clause of a reported statement ("officials said ..."). A duration followed by
    "before"/"after" and an event ("a day before the strike") is resolved through that
    event when it has a date. Each event takes ``date``, ``date_end``, ``precision`` and
    ``relative`` from its row of ``timexes``, so both tables always agree; events of
    documents without a reference date keep their ``relative`` words. An event inside a
    statement's content is told by that statement's source (``statement_id``), so an event
    and the statement it comes from always name the same source.

    Args:
        annotated: The annotated corpus (with a dependency parse).
        mentions: :func:`analystkit.entities.entity_mentions` of the same corpus, with the
            analysis's options; actors are canonical entities where a mention is found.
        timexes: :func:`timexes_table` of the same corpus.
        statements: :func:`analystkit.stance.statements_table` of the same corpus (scored
            or not, ``polarity=None``): its columns ``doc_id, statement_id, content_start,
            content_end, source_entity, source`` are used.
        dcts: The reference dates the timexes were resolved with (:func:`reference_dates`);
            they give ``dct_source``. Without them it comes from ``timexes``, and for
            documents without temporal expressions from :func:`reference_dates` with
            ``reference_date`` (the option ``timexes`` was made with).
        reference_date: See ``dcts``; dates always come from ``timexes``.

    Returns:
        Columns as in the module docstring.

    Example:
        >>> events_table(annotated, mentions=mentions, timexes=timexes,
        ...              statements=statements)  # doctest: +SKIP
    """
    names = _names_by_doc(mentions)
    tagged, dct_sources = _tagged_timexes(timexes)
    dct_sources.update(_dct_sources(annotated, dct_sources, dcts, reference_date))
    told = _doc_statements(statements)
    rows = []
    for document, doc in annotated:
        if not doc.has_annotation("DEP"):
            continue
        context = _DocEvents(document.doc_id, doc, names.get(document.doc_id, {}),
                             SentenceIndex(doc), dct_sources.get(document.doc_id),
                             _StatementIndex(told.get(document.doc_id, [])))
        found, pending_anchors = _dated_events(context, tagged.get(document.doc_id, []))
        _add_reported_events(context, found)
        _resolve_anchors(found, pending_anchors)
        rows.extend(found[i] for i in sorted(found))
    return TABLES["events"].conform(pd.DataFrame(rows, columns=EVENT_COLUMNS))


@dataclass(frozen=True)
class _DocEvents:
    """What every event row of one document needs."""

    doc_id: str
    doc: Doc
    names: dict[int, str]  # mention start -> canonical name
    sentences: SentenceIndex
    dct_source: str | None
    statements: _StatementIndex


def _names_by_doc(mentions: pd.DataFrame) -> dict[str, dict[int, str]]:
    by_doc: dict[str, dict[int, str]] = {}
    for doc_id, start, canonical in zip(mentions["doc_id"].tolist(),
                                        mentions["start_char"].tolist(),
                                        mentions["canonical"].tolist(), strict=True):
        if isinstance(canonical, str):
            by_doc.setdefault(doc_id, {})[start] = canonical
    return by_doc


_Resolved = tuple  # (first day, last day, precision, relative words)


def _tagged_timexes(timexes: pd.DataFrame
                    ) -> tuple[dict[str, list[tuple[Timex, _Resolved]]], dict[str, str]]:
    """The timexes table back as ``Timex`` objects with their resolution, per document, and
    each document's ``dct_source``."""
    tagged: dict[str, list[tuple[Timex, _Resolved]]] = {}
    sources: dict[str, str] = {}
    columns = ("doc_id", "start_char", "end_char", "text", "type", "value", "anchored",
               "date", "date_end", "precision", "relative", "dct_source")
    for doc_id, start, end, text, kind, value, anchored, first, last, precision, relative, \
            source in zip(*(timexes[c].tolist() for c in columns), strict=True):
        timex = Timex(start, end, text, kind, None if pd.isna(value) else value, bool(anchored),
                      None if pd.isna(relative) else relative)
        resolved = (_day_or_none(first), _day_or_none(last), precision, timex.relative)
        tagged.setdefault(doc_id, []).append((timex, resolved))
        if isinstance(source, str):
            sources.setdefault(doc_id, source)
    return tagged, sources


def _dct_sources(annotated: AnnotatedCorpus, known: dict[str, str],
                 dcts: Mapping[str, ReferenceDate] | None,
                 reference_date: str | dt.date | None) -> dict[str, str]:
    """``dct_source`` of every document: from ``dcts``, else for the documents the timexes
    do not cover, from :func:`reference_dates` with ``reference_date``."""
    if dcts is None:
        missing = [d for d in annotated.corpus if d.doc_id not in known]
        dcts = reference_dates(missing, reference_date=reference_date, warn=False) \
            if missing else {}
    return {doc_id: describe_reference_date(reference) for doc_id, reference in dcts.items()}


def _dated_events(context: _DocEvents, tagged: list[tuple[Timex, _Resolved]]
                  ) -> tuple[dict[int, dict], list]:
    """Events dated by a temporal expression (predicate index -> row), and the durations
    waiting for the event they are counted from ("a day before the strike")."""
    found: dict[int, dict] = {}
    pending_anchors = []
    for timex, resolved in tagged:
        span = _timex_tokens(context.doc, timex)
        anchor = _relative_anchor(span) if span is not None else None
        # A date or time dates its clause; a duration only with an anchor ("a day before").
        if span is None or timex.type == "SET" or (timex.type == "DURATION" and not anchor):
            continue
        predicate = _governor(span)
        if predicate is None:
            continue
        row = found.get(predicate.i)
        precision = resolved[2]
        if row is not None and _rank(row["precision"]) <= _rank(precision) \
                and precision != "day":
            continue  # keep the more precise expression already found for this clause
        found[predicate.i] = _event_row(context, predicate, span, timex, resolved)
        if timex.type == "DURATION" and anchor is not None:
            pending_anchors.append((predicate.i, anchor, _duration_days(timex.value)))
    return found, pending_anchors


def _add_reported_events(context: _DocEvents, found: dict[int, dict]) -> None:
    """The main clause of each reported statement, undated unless a timex dates it."""
    for statement in context.statements:
        predicate = _content_predicate(context.doc, statement)
        if predicate is not None and predicate.i not in found:
            found[predicate.i] = _event_row(context, predicate, None, None,
                                            (None, None, "undated", None))


# Which expression dates a clause best: calendar dates, then vague or relative ones.
_PRECISION_RANK = {"time": 0, "day": 1, "week": 2, "month": 3, "quarter": 4, "year": 5,
                   "decade": 6, "century": 7, "relative": 8, "vague": 9, "undated": 10}


def _rank(precision: str) -> int:
    return _PRECISION_RANK.get(precision, 10)


def _day_or_none(value: object) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date() if not isinstance(value, dt.date) else value


def _event_row(context: _DocEvents, predicate: Token, span: Span | None, timex: Timex | None,
               resolved: _Resolved) -> dict:
    first, last, precision, relative = resolved
    exclude: set[int] = set()
    if span is not None:
        exclude = set(range(span.start, span.end))
        if span.root.head.dep_ == "prep" and span.root.head.i == span.start - 1:
            exclude.add(span.start - 1)  # "on" of "on Tuesday"
    clause = _clause_tokens(predicate)
    if predicate.dep_ in ("acl", "relcl"):  # "US-backed forces announced": the noun it modifies
        clause += [t for t in predicate.head.subtree if t.i < predicate.i]
    sentence = predicate.sent
    statement = context.statements.holding(predicate.idx)
    return {
        "doc_id": context.doc_id,
        "sent_id": context.sentences.at_char(sentence.start_char),
        "start_char": predicate.idx,
        "end_char": predicate.idx + len(predicate),
        "predicate": predicate.lemma_.lower(),
        "event": _event_phrase(predicate, exclude),
        "actors": _actors(clause, context.names),
        "date": first,
        "date_end": last,
        "precision": precision,
        "relative": relative,
        "timex": timex.text if timex else None,
        "timex_value": timex.value if timex else None,
        "source": statement.source if statement else None,
        "statement_id": statement.statement_id if statement else None,
        "anchor": None,
        "evidence": " ".join(sentence.text.split()),
        "dct_source": context.dct_source,
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
    """Events in order: dated ones by date, then those with only words for a time, then undated.

    Vague events ("now", "in the past") and relative ones (a document without a reference
    date: "two days before publication") have no calendar date, so they are never sorted
    among dated events: they follow them, document by document in text order (their words
    in ``relative`` say when). Events without any time come last.

    Args:
        events: An :func:`events_table` (``date`` is required; ``relative``, ``doc_id`` and
            ``start_char`` are used when present).

    Returns:
        The same columns, re-ordered rows, with a 0-based ``order`` column.
    """
    if "relative" in events:
        worded = events["relative"].notna().to_numpy()
    else:
        worded = np.zeros(len(events), dtype=bool)
    group = np.where(events["date"].notna(), 0, np.where(worded, 1, 2))
    keys = ["_group", "date"] + [c for c in ("doc_id", "start_char") if c in events]
    ordered = events.assign(_group=group).sort_values(keys, kind="stable")
    return ordered.drop(columns=["_group"]).reset_index(drop=True) \
        .rename_axis("order").reset_index()
