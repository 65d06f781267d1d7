"""The engine: candidates of every rule, the selection among them, and the story's frame.

Rules and handlers are data and functions of their own (``rules.toml``, ``handlers.py``);
the engine runs each rule near its anchor words (:func:`_candidates`), keeps the longest
non-overlapping candidates its handler accepts (:func:`_select`), normalises them in text
order and keeps the story's last date up to date for anaphora (:func:`_tag`).
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from .context import (
    _UNDATED,
    _anaphoric_words,
    _Context,
    _NoDct,
    _NoRef,
    _Reject,
    _Result,
    _Unanchored,
)
from .handlers import HANDLERS
from .rules import Rule, rule_set
from .values import Timex, is_valid_timex3_value

if TYPE_CHECKING:  # spaCy is only needed when the caller passes a Doc
    from spacy.tokens import Doc

# Speed: a rule only runs near words it cannot match without (its "anchors"). One cheap scan
# finds the anchors; each rule then runs on the merged windows around its anchors, so most of
# a text is never tried by most rules. Every match of a rule contains one of its anchors, at
# most _LEFT characters after the match starts and _RIGHT before it ends (lookarounds included).
# Longest prefix before an anchor (e.g. "the past more than twenty-four ...") and longest
# suffix after one, lookaheads included; a test checks windowed and full scans agree.
_LEFT, _RIGHT = 48, 40

# (start, end, rule order, rule name, match)
_Candidate = tuple[int, int, int, str, re.Match]


def _handler(name: str) -> Callable[[re.Match, _Context], _Result]:
    """The handler function of the rule called ``name``."""
    return HANDLERS[rule_set().by_name[name].handler]


def _windows(spans: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """Merged ``[start - _LEFT, end + _RIGHT)`` windows around sorted anchor spans."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        low, high = max(0, start - _LEFT), min(size, end + _RIGHT)
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _anchor_spans(text: str) -> dict[str, list[tuple[int, int]]]:
    """Anchor class -> spans of its anchors in ``text``, in text order."""
    rules = rule_set()
    anchors: dict[str, list[tuple[int, int]]] = {}
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters change length when lower-cased
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for match in rules.anchors.finditer(lowered):
        span = match.span()
        if match.lastgroup == "word":
            for name in rules.anchor_words[match.group().lower()]:
                anchors.setdefault(name, []).append(span)
        elif match.lastgroup == "clock":
            anchors.setdefault("clock", []).append(span)
        else:
            digits = match.group()
            name = ("digits" if "/" in digits else "decade" if digits[-1] in "sS"
                    else "isodate" if len(digits) > 4 else "year")
            anchors.setdefault(name, []).append(span)
    return anchors


def _rule_matches(rule: Rule, text: str, windows: list[tuple[int, int]]
                  ) -> list[_Candidate]:
    """The matches of ``rule`` in the ``windows`` of ``text``."""
    found = []
    size = len(text)
    for low, high in windows:
        for match in rule.pattern.finditer(text, low, high):
            start, end = match.span()
            if end == high < size:
                # the window's end cut the text: a lookahead there saw no next character
                match = rule.pattern.match(text, start)
                if match is None:
                    continue
                end = match.end()
            if end > start:
                found.append((start, end, rule.order, rule.name, match))
    return found


def _candidates(text: str) -> list[_Candidate]:
    """Every match of every rule in ``text`` (one per span and rule), found near anchors."""
    anchors = _anchor_spans(text)
    if not anchors:
        return []
    found = {}
    windows: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for rule in rule_set().rules:
        classes = tuple(c for c in rule.anchors if c in anchors)
        if not classes:
            continue
        if classes not in windows:
            spans = sorted(span for c in classes for span in anchors[c])
            windows[classes] = _windows(spans, len(text))
        for candidate in _rule_matches(rule, text, windows[classes]):
            found[candidate[:3]] = candidate
    return list(found.values())


def _select(found: list[_Candidate], ctx: _Context) -> list[tuple[int, int, str, re.Match]]:
    """Non-overlapping candidates, longest first (ties: rule order, then position).

    A candidate whose rule rejects it (a handler raising ``_Reject``, judged without the
    document's reference time) leaves its room to shorter candidates.
    """
    found.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    # The spans taken are disjoint, so sorted by start they are sorted by end too: the only
    # one that can overlap [start, end) is the last one starting before ``end`` (a bisect,
    # not a scan of every span taken: a long text has thousands).
    starts: list[int] = []
    ends: list[int] = []
    chosen = []
    probe = _Context(text=ctx.text, dct=ctx.dct, doc=ctx.doc,
                     tense_override=ctx.tense_override, tense_cache=ctx.tense_cache,
                     date_order=ctx.date_order)
    for start, end, _order, name, match in found:
        i = bisect.bisect_left(starts, end)
        if i and ends[i - 1] > start:
            continue
        try:
            _handler(name)(match, probe)
        except _Reject:
            continue
        except Exception:
            pass
        starts.insert(i, start)
        ends.insert(i, end)
        chosen.append((start, end, name, match))
    chosen.sort(key=lambda c: c[0])
    return chosen


def _undated_type(rule: Rule, match: re.Match) -> str:
    """The type of an expression of ``rule`` whose value needs the missing DCT."""
    if rule.undated_type == "TIME_WITH_PART":
        tonight = (match.groupdict().get("w") or "").lower() == "tonight"
        return "TIME" if match["part"] or tonight else "DATE"
    return rule.undated_type


def _judged(rule: Rule, match: re.Match, ctx: _Context, text: str, start: int,
            end: int) -> _Result | None:
    """The handler's (type, value, anchored) of one selected match, None if it is dropped."""
    try:
        return HANDLERS[rule.handler](match, ctx)
    except (_Reject, _NoRef):
        return None
    except _Unanchored as unanchored:  # "the next day" with no date close before it
        ctx.notes[match.start()] = unanchored.words or _anaphoric_words(text[start:end])
        return unanchored.kind, unanchored.mask, True
    except _NoDct:
        return _undated_type(rule, match), None, True
    except (ValueError, OverflowError, KeyError, IndexError):
        return None


def _trimmed(rule: Rule, text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the leading word TimeML leaves out and without trailing spaces."""
    if rule.drop_leading is not None:
        lead = rule.drop_leading.match(text, start)
        if lead:
            start = lead.end()
    while end > start and text[end - 1] in " \t\n,":
        end -= 1
    return start, end


_LAST_DATE = re.compile(r"\d{4}(?:-(?:\d\d(?:-\d\d)?|Q[1-4]))?")


def _move_frame(ctx: _Context, rule: Rule, match: re.Match, timex: Timex) -> None:
    """Make ``timex`` the story's last date (or its undated frame) if it may be one."""
    if not rule.is_reference(match):
        return
    if timex.type == "DATE" and timex.value and _LAST_DATE.fullmatch(timex.value) \
            and rule.may_be_last_date(match):
        ctx.ref, ctx.ref_end = timex.value, timex.end
        ctx.ref_explicit = not timex.anchored
    elif timex.type in ("DATE", "TIME") and (timex.value is None
                                             or timex.value.startswith("XXXX")):
        # a time the text names but that cannot be dated ("on Monday" without a DCT)
        # is the new frame: later "that day" must not reach back past it
        ctx.ref, ctx.ref_end, ctx.ref_explicit = _UNDATED, timex.end, False


def _tag(text: str, dct: _dt.date | None, doc: Doc | None, tense: str | None = None, *,
         date_order: str | None = None,
         tense_cache: dict[tuple[int, int], str | None] | None = None,
         candidates: list[_Candidate] | None = None) -> list[Timex]:
    """The expressions of ``text`` against ``dct`` (None: values that need it are None).

    Args:
        text: The text.
        dct: The document creation time, or None.
        doc: A spaCy parse of ``text``, or None.
        tense: A tense for every expression (``""``: none), instead of reading it.
        date_order: ``"dmy"``, ``"mdy"`` or None for numeric dates.
        tense_cache: Tenses already read for this text (shared by calls with other DCTs).
        candidates: :func:`_candidates` of ``text``, if already found (not modified).

    Returns:
        The expressions in text order.
    """
    ctx = _Context(text=text, dct=dct, doc=doc, tense_override=tense, date_order=date_order)
    if tense_cache is not None:  # the tense of a clause does not depend on the DCT
        ctx.tense_cache = tense_cache
    # the candidates do not depend on the DCT either; a copy, as _select sorts its list
    found = _candidates(text) if candidates is None else list(candidates)
    timexes: list[Timex] = []
    prev_end = -1
    for start, end, name, match in _select(found, ctx):
        rule = rule_set().by_name[name]
        judged = _judged(rule, match, ctx, text, start, end)
        if judged is None:
            continue
        kind, value, anchored = judged
        note = ctx.notes.pop(match.start(), None)
        if value is not None and not is_valid_timex3_value(value):
            value = None
        start, end = _trimmed(rule, text, start, end)
        if start < prev_end or end <= start:
            continue
        timex = Timex(start, end, text[start:end], kind, value, anchored, note)
        timexes.append(timex)
        prev_end = end
        _move_frame(ctx, rule, match, timex)
    return timexes
