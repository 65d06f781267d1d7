"""The tense of the clause around an expression: from a spaCy parse, else from nearby words.

It decides where a bare weekday or month falls ("said Friday": the last one; "will meet
Friday": the next).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is only needed when the caller passes a Doc
    from spacy.tokens import Doc, Token

_PAST_WORDS = frozenset(
    "was were had did said told met left came went took gave made got saw began became fell "
    "rose won lost held led sent paid sold bought brought thought found kept knew ran spoke "
    "wrote stood struck hit cut set put shot fought flew broke chose drew drove ate grew hung "
    "laid lay meant overtook quit rode rang sank sang slid spent spun stole swept swore threw "
    "tore understood woke wore withdrew ago".split())
_PRESENT_WORDS = frozenset("is are am says say has have does do".split())
_FUTURE_WORDS = frozenset("will 'll ’ll shall wo would".split())
_MODAL_FUTURE = frozenset("may might should must".split())
_FUTURE_BEFORE_TO = frozenset(
    "scheduled expected due set going plans plan planned planning intends intended aims aimed "
    "hopes hoped wants wanted seeks sought agreed promised vowed threatened prepares preparing "
    "likely".split())
_NOT_PAST_ED = frozenset(
    "need indeed speed hundred red bed feed seed proceed exceed succeed shed embed united "
    "limited based related alleged so-called detailed advanced biased".split())
_WORD_RE = re.compile(r"[A-Za-z'’]+")
_SENT_END = re.compile(r"(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})[.!?]\s+"
                       r"(?=[A-Z\"“'‘`(])|\n\s*\n")


_CLAUSE_BREAK = re.compile(r"[,;:()\"“”—]|\s[-–]{1,2}\s|``|''")


def _word_tense(words: list[str], i: int) -> str | None:
    word = words[i]
    if word in _FUTURE_WORDS or word in _MODAL_FUTURE:
        return "future"
    if word in _FUTURE_BEFORE_TO and i + 1 < len(words) and words[i + 1] == "to":
        return "future"
    if word in _PAST_WORDS or (word.endswith("ed") and len(word) > 4
                               and word not in _NOT_PAST_ED):
        before = words[i - 1] if i else ""
        if before in ("be", "been", "being", "to"):
            return None  # "to be paid", "has been delayed": the auxiliary decides
        if before in ("is", "are", "am"):
            return "present"
        return "past"
    if word in _PRESENT_WORDS:
        return "present"
    return None


def _tense_from_words(text: str, start: int, end: int) -> str | None:
    """A cheap guess of the tense of the clause around ``text[start:end]``.

    Verbs nearest the expression in its own clause count first (left, then right), then the
    rest of the sentence; "will"/"may" give the future, "-ed" forms and irregular past forms
    the past, "is"/"says" the present.
    """
    left_text = text[max(0, start - 160):start]
    ends = list(_SENT_END.finditer(left_text))
    if ends:
        left_text = left_text[ends[-1].end():]
    right_text = text[end:end + 120]
    cut = _SENT_END.search(right_text)
    if cut:
        right_text = right_text[:cut.start() + 1]
    left_parts = _CLAUSE_BREAK.split(left_text)
    right_parts = _CLAUSE_BREAK.split(right_text)
    segments = ((left_parts[-1], True), (right_parts[0], False),
                (" ".join(left_parts[:-1]), True), (" ".join(right_parts[1:]), False))
    for segment, leftward in segments:
        words = [w.lower() for w in _WORD_RE.findall(segment)]
        order = range(len(words) - 1, -1, -1) if leftward else range(len(words))
        for i in order:
            tense = _word_tense(words, i)
            if tense is not None:
                return tense
    return None


_FUTURE_LEMMAS = frozenset(
    "schedule expect plan set intend hope aim want seek agree promise vow threaten prepare go "
    "due likely be".split())
_PLAN_NOUNS = frozenset(
    "agreement plan deal offer proposal bid decision intention move effort attempt promise "
    "pledge commitment contract accord option right deadline schedule".split())
# Verbs whose time adjunct names a moment still to come ("postponed until Tuesday").
_FUTURE_VERBS = frozenset("schedule reschedule plan slate postpone delay adjourn extend".split())
_SCHEDULE_VERBS = frozenset("schedule reschedule slate plan".split())
_UNTIL_BEFORE = re.compile(r"\b(?:until|till|to|through|into|for)\s+(?:next\s+|this\s+)?$",
                           re.IGNORECASE)


def _tense_from_doc(doc: Doc, start: int, end: int, *, text: str | None = None) -> str | None:
    # ``text``: the doc's text, when the caller has it (``Doc.text`` joins every token anew
    # on each access: once per expression, that is quadratic in a long text).
    if text is None:
        text = doc.text
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token, through_noun = _governing_verb(span)
    if token.pos_ not in ("VERB", "AUX"):
        return None
    lemma = token.lemma_.lower()
    if lemma in _FUTURE_VERBS and not any(
            c.lower_ == "had" for c in token.children if c.dep_ in ("aux", "auxpass")) and (
            lemma in _SCHEDULE_VERBS or _UNTIL_BEFORE.search(text, max(0, start - 16), start)):
        return "future"  # "postponed until Monday", "scheduled Friday"; not "extended an
        # apology Tuesday", where Tuesday is when it was extended
    for _ in range(4):
        auxes = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
        lowers = {a.lower_ for a in auxes}
        if lowers & {"will", "'ll", "’ll", "shall", "wo", "would", "may", "might", "should",
                     "must"}:
            return "future"
        if "to" in lowers and token.tag_ == "VB":
            head = token.head
            if not through_noun and (head.lemma_.lower() in _FUTURE_LEMMAS
                                     or head.lemma_.lower() in _PLAN_NOUNS):
                return "future"  # "expected to meet Friday", "an agreement to buy it in May"
            if head.i == token.i:
                return None
            token = head
            continue
        return _verb_tense(token, auxes, lowers)
    return None


def _governing_verb(span) -> tuple[Token, bool]:
    """The verb above the expression (or the last head tried), and whether the way there
    passes a noun ("strikes on Tuesday")."""
    token: Token = span.root
    inside = range(span.start, span.end)
    seen = 0
    through_noun = False
    while token.pos_ not in ("VERB", "AUX") or token.i in inside:
        if token.head.i == token.i:
            break
        token = token.head
        seen += 1
        if token.pos_ in ("NOUN", "PROPN") and token.i not in inside:
            through_noun = True
        if seen > 12:
            break
    return token, through_noun


def _verb_tense(token: Token, auxes: list[Token], lowers: set[str]) -> str | None:
    """Tense of a finite verb group from its tags and auxiliaries."""
    if token.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if token.tag_ == "VBN":
        return "past" if (not auxes or lowers & {"has", "have", "had", "'ve", "’ve"}) \
            else "present"
    if token.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        if token.tag_ == "VBG" and lowers & {"is", "are", "'re", "am"}:
            return "future"
        return "present"
    return None
    return None
