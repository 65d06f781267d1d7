"""Handlers (:mod:`analystkit.timex.handlers`) of durations ("three weeks", "six-year",
"for months"), sets ("every Monday", "daily") and vague references ("recently").
"""

from __future__ import annotations

import re

from .context import _Context, _Reject, _Result, _sentence_initial
from .rules import lexicon
from .values import _duration_value, _number, _unit_key


def _h_duration(m: re.Match, ctx: _Context) -> _Result:
    unit = _unit_key(m["unit"])
    num_text = m["num"].lower()
    n = _number(num_text)
    if m["half"] and n is not None:
        n += 0.5
    if "\n" in ctx.text[m.end("num"):m.start("unit")] and (
            m["unit"].isupper() or m["unit"].lower().rstrip("s") in lexicon().unit_aliases):
        raise _Reject  # "APR 7\n MTH BYR": a heading's number, a table's header
    if unit == "hour" and re.fullmatch(r"(?:[01]\d|2[0-3])[0-5]\d", num_text):
        raise _Reject  # "2100 hrs": a clock time, not 2,100 hours
    if unit in ("year", "month", "week", "day") and _is_age(ctx.text, m.end()):
        raise _Reject  # "52 years old"
    if n == 1 and unit in ("second", "quarter") and not m["rel"] and not m["approx"]:
        following = ctx.text[m.end():m.end() + 14]
        if not re.match(r"\s*(?:[.,;:)]|$|(?:later|earlier|ago|or|and|in|to|for|after|before"
                        r"|each|every|per|at)\b)", following):
            raise _Reject  # "a second group", "a quarter of the market"
    plural = m["unit"].lower().endswith("s") or m["unit"].lower() in ("centuries", "millennia")
    if num_text in ("a", "an") and plural:
        raise _Reject
    if num_text == "some" and not plural:
        raise _Reject  # "some day"
    if num_text == "one" and unit == "day" and not (m["rel"] or m["approx"] or m["det"]) \
            and not re.search(
            r"\b(?:for|in|within|after|of|by|than|over|about|only|just|a|the|per|each|every"
            r"|and|or|to|from|one|that|this|on)\s+$", ctx.text[max(0, m.start() - 8):m.start()],
            re.IGNORECASE) and re.match(r"\s+[a-z]", ctx.text[m.end():m.end() + 2]):
        # "Islam will one day be ...": some day, not a span of 24 hours
        past = ctx.tense(m.start(), m.end()) == "past"
        return "DATE", "PAST_REF" if past else "FUTURE_REF", False
    if n is not None and n > 1000 and unit not in ("second", "minute", "hour", "day"):
        raise _Reject
    rel = (m["rel"] or "").lower()
    if rel in ("first", "last", "past", "next", "coming") and n is None \
            and num_text not in ("several", "few", "a few", "many", "some"):
        raise _Reject
    if unit == "quarter" and n is not None and num_text not in ("a", "an") and not rel \
            and not plural:
        raise _Reject
    if m["lo"] or m["lo2"]:  # "two to three weeks": a range, the number of units is not known
        return "DURATION", _duration_value(None, unit), False
    return "DURATION", _duration_value(n, unit), False


_PERSON_NOUNS = frozenset(
    "boy boys girl girls man men woman women son sons daughter daughters child children kid "
    "kids baby babies infant infants mother father brother sister wife husband grandmother "
    "grandfather widow widower student students teenager teen youth patient patient victim "
    "veteran resident native citizen worker employee driver pilot soldier officer lawyer "
    "doctor nurse farmer friend cousin nephew niece uncle aunt player girlfriend boyfriend "
    "suspect gunman bride mare horse colt filly dog resident student president patient "
    "immigrant participant defendant servant adolescent".split())


def _h_durhyph(m: re.Match, ctx: _Context) -> _Result:
    num_text = (m["num"] or m["num2"]).lower()
    n = 1.0 if num_text == "a" else _number(num_text)
    if n is None and num_text not in ("several", "few", "many"):
        raise _Reject
    if m["unit"].lower() == "second" and not ctx.text.startswith("-", m.start("unit") - 1):
        raise _Reject  # "one second delay" is rare, "the one second thing" is not
    if n is not None and n > 1000 and m["unit"].lower() not in ("second", "minute", "hour"):
        raise _Reject  # "the 1986 year results": a year, not 1,986 years
    if _is_age(ctx.text, m.end()):
        raise _Reject  # an age: "a 44-year-old man", "6-year-old Elian"
    return "DURATION", _duration_value(n, m["unit"]), False


_AGENT_SUFFIX = re.compile(r"(?:er|or|ist|ian|ee|man|men|person|people)s?$")
_NATIONALITY = re.compile(r"(?:an|ese|ish|i|ic)$")
_AGE_FOLLOWERS = frozenset("and or who was is has had said says in from of with".split())


def _is_age(text: str, end: int) -> bool:
    """Whether the "-old" / "years old" after ``text[:end]`` gives a person's age."""
    after = text[end:end + 60]
    old = re.match(r"(?:-|\s+)old(?:s)?\b(?P<rest>[^.;:!?()]*)", after)
    if not old:
        return False
    words = re.findall(r"[\w'’-]+", old["rest"])[:3]
    if not words or words[0].lower() in _AGE_FOLLOWERS:
        return True  # "the 6-year-old said", "52 years old, will..."
    if words[0][:1].isupper():
        if not (_NATIONALITY.search(words[0]) and len(words) > 1 and words[1][:1].islower()):
            return True  # "6-year-old Elian"
        words = words[1:]  # "the six-year-old Syrian civil war": look at what follows
    for word in words:
        word = re.sub(r"['’]s$", "", word.lower())
        if word in _PERSON_NOUNS or (_AGENT_SUFFIX.search(word) and len(word) > 4):
            return True
    return False


def _h_durplain(m: re.Match, ctx: _Context) -> _Result:
    pre = " ".join((m["pre"] or "").lower().split())
    unit = _unit_key(m["unit"])
    if pre in ("in", "after", "take", "takes", "took") and not m["q"]:
        if pre == "in":
            raise _Reject
        if pre in ("after",):
            raise _Reject
    if pre == "recent":  # "in recent weeks": some time before the DCT
        return "DATE", "PAST_REF", False
    return "DURATION", _duration_value(None, unit), False


def _h_decadeslong(m: re.Match, ctx: _Context) -> _Result:
    unit = m["unit"].lower()
    n = None if unit.endswith(("s", "ies")) else 1
    return "DURATION", _duration_value(n, unit), False


def _h_vague(m: re.Match, ctx: _Context) -> _Result:
    word = " ".join(m["w"].lower().split())
    after = ctx.text[m.end():m.end() + 30]
    if word == "current" and re.match(r"\s+(?:account|accounts|affairs|assets|liabilities"
                                      r"|events|ratio|price|prices|yield|coupon|market"
                                      r"|value|values|dollars|terms)\b", after, re.IGNORECASE):
        raise _Reject
    if word in ("the past", "the future") and re.match(r"\s*(?:\d|tense)", after):
        raise _Reject
    if word == "the moment":
        before = ctx.text[max(0, m.start() - 4):m.start()]
        if not before.lower().endswith("at "):
            raise _Reject
    return "DATE", lexicon().vague[word], False


def _h_set(m: re.Match, ctx: _Context) -> _Result:
    q = m["q"].lower()
    word = m["unit"].lower().rstrip(".")
    if q == "a":
        before = ctx.text[max(0, m.start() - 30):m.start()]
        if word not in ("day", "week", "month", "year", "hour") or not re.search(
                r"(?:\d|illion|times|twice|once|percent|pct|dlrs|cents|[a-z]{2}s)\s*$",
                before, re.IGNORECASE) or re.search(
                r"\b(?:was|is|has|its|this|as|thus|less|plus|across|unless|perhaps|always"
                r"|sometimes|his|hers|yours|ours|theirs|whereas|was|does|goes|years|days"
                r"|months|weeks|hours)\s*$", before, re.IGNORECASE):
            raise _Reject
        if re.match(r"\s+(?:before|after|earlier|later|ago|prior)\b", ctx.text[m.end():]):
            raise _Reject  # "comes a day after ...": a relative duration, not a rate
    if q == "per" and word not in lexicon().set_units:
        raise _Reject
    if word in lexicon().weekdays and word not in ("sat", "sun", "mon", "wed", "fri"):
        value = f"XXXX-WXX-{lexicon().weekdays[word]}"
    elif word in lexicon().months:
        value = f"XXXX-{lexicon().months[word]:02d}"
    elif word in lexicon().set_units:
        value = lexicon().set_units[word]
    else:
        raise _Reject
    if m["other"] and value.startswith("P1"):
        value = "P2" + value[2:]
    return "SET", value, False


def _h_setadv(m: re.Match, ctx: _Context) -> _Result:
    word = m["w"]
    if word[:1].isupper() and not word.isupper() and not _sentence_initial(ctx.text, m.start()):
        raise _Reject  # a name: "the China Daily"
    return "SET", lexicon().set_adverbs[m["w"].lower()], False
