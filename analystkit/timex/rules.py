"""The tagger's rules and word lists, read from ``analystkit/data/timex/`` when first needed.

``rules.toml`` holds one record per rule (name, pattern, handler, anchor classes, flags,
example) and the fragments and anchor classes the patterns share; ``lists.toml`` the word
lists, each written once (month names, units, time zones...). A pattern names a fragment or
a list as ``{name}`` (see the head of ``lists.toml`` for the forms). Nothing is read at
import time: :func:`rule_set` and :func:`lexicon` load and compile on first use and keep the
result (:func:`clear_cache` forgets it, e.g. after editing the files).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from ..resources import cached, clear, data_path

DATA_DIR = data_path("timex")
"""Folder of ``rules.toml`` and ``lists.toml``."""
_FILES = (DATA_DIR / "rules.toml", DATA_DIR / "lists.toml")

_REFERENCE = re.compile(r"\{([A-Za-z_]+)(?::([a-z0-9-]+))?\}")
UNDATED_TYPES = ("DATE", "TIME", "TIME_WITH_PART")
# Alternatives of (group, pattern) pairs, each alternative a conjunction.
_Conditions = tuple[tuple[tuple[str, re.Pattern[str]], ...], ...]


@dataclass(frozen=True)
class Example:
    """A rule's example: tagging ``text`` against ``dct`` gives ``timex`` with ``value``."""

    text: str
    dct: _dt.date | None
    timex: str
    value: str


@dataclass(frozen=True)
class Rule:
    """One rule record of ``rules.toml``, its pattern compiled.

    Attributes:
        name: The rule's name.
        order: Its position in the file (ties between candidates of one length).
        source: The pattern with every ``{name}`` expanded.
        pattern: ``source`` compiled (case-insensitive).
        handler: Name of the handler function (``analystkit.timex.handlers.HANDLERS``).
        anchors: Anchor classes the rule runs near.
        drop_leading: A leading word to leave out of the span, or None.
        undated_type: Type when the value needs a DCT that is missing (``UNDATED_TYPES``).
        not_reference: The expression never becomes the story's last date, nor the new
            frame when it cannot be dated.
        not_reference_when: Alternatives of ``{group: pattern}``: when a group starts with
            its pattern, the same as ``not_reference``.
        not_last_date_when: The same alternatives: when one holds, the expression does not
            become the last date (an undated one is still the new frame).
        example: The example a test runs.
    """

    name: str
    order: int
    source: str
    pattern: re.Pattern[str]
    handler: str
    anchors: tuple[str, ...]
    drop_leading: re.Pattern[str] | None
    undated_type: str
    not_reference: bool
    not_reference_when: _Conditions
    not_last_date_when: _Conditions
    example: Example

    def is_reference(self, match: re.Match[str]) -> bool:
        """Whether ``match`` of this rule may become the story's last date or frame."""
        return not (self.not_reference or _holds(self.not_reference_when, match))

    def may_be_last_date(self, match: re.Match[str]) -> bool:
        """Whether ``match`` of this rule, dated, may become the story's last date."""
        return not _holds(self.not_last_date_when, match)


def _holds(conditions: _Conditions, match: re.Match[str]) -> bool:
    """Whether, in one of ``conditions``, every group named starts with its pattern."""
    return any(all(match[group] and pattern.match(match[group]) for group, pattern in condition)
               for condition in conditions)


@dataclass(frozen=True)
class RuleSet:
    """Every rule, in file order, and the anchor words that start their windows.

    Attributes:
        rules: The rules, in file order.
        by_name: The same rules by name.
        anchor_words: Lower-case anchor word -> the anchor classes it belongs to.
        anchors: The one pattern that finds numbers, "a.m."/"p.m." and anchor words in a
            lower-cased text (group ``num``, ``clock`` or ``word``).
    """

    rules: tuple[Rule, ...]
    by_name: dict[str, Rule]
    anchor_words: dict[str, tuple[str, ...]]
    anchors: re.Pattern[str]


def _read(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open("rb") as file:
        return tomllib.load(file)


def _joined(pattern: str) -> str:
    """A pattern written over several indented lines, as one line."""
    return "".join(line.strip() for line in pattern.splitlines())


def word_lists() -> dict[str, Any]:
    """The lists of ``lists.toml`` as read: name -> table (entry -> value) or list."""
    return cached("timex_lists", _FILES, lambda: _read("lists.toml"))


def _entries(name: str, selection: str | None) -> list[str]:
    if name not in word_lists():
        raise ValueError(f"a timex pattern names {name!r}: no such list or fragment")
    table = word_lists()[name]
    if selection is None or selection == "cased":
        entries = list(table)
        return entries + [e.upper() for e in entries] if selection else entries
    low, _, high = selection.partition("-")
    return [e for e, value in table.items() if int(low) <= value <= int(high)]


def alternation(words: list[str]) -> str:
    """A regex alternation of ``words`` (spaces: any white space), longest first.

    Args:
        words: Words or phrases, in the order of their list (kept among equal lengths); an
            apostrophe matches "'" and "’".

    Returns:
        The alternation, without a group around it.
    """
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(r"\s+".join(word.split(" ")).replace("'", "['’]") for word in ordered)


def _forms(name: str) -> str:
    """Singular and plural of each counted entry, in list order: "days?", "centur(?:y|ies)"."""
    forms = []
    for word, entry in word_lists()[name].items():
        if not entry.get("counted", True):
            continue
        plural = entry["plural"]
        stem = os.path.commonprefix([word, plural])
        if plural == word + "s":
            forms.append(f"{word}s?")
        else:
            forms.append(f"{stem}(?:{word[len(stem):]}|{plural[len(stem):]})")
    return "|".join(forms)


def _expand(source: str, fragments: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name, form = match[1], match[2]
        if name in fragments and form is None:  # a fragment, else the list of that name
            return _expand(_joined(fragments[name]), fragments)
        if form == "forms":
            return _forms(name)
        return alternation(_entries(name, form))

    return _REFERENCE.sub(replace, source)


def _rules_file() -> dict[str, Any]:
    return cached("timex_rules_file", _FILES, lambda: _read("rules.toml"))


def _fragments() -> dict[str, str]:
    return _rules_file()["fragment"]


def compiled(source: str) -> re.Pattern[str]:
    """``source`` with its ``{name}`` references expanded, compiled case-insensitive.

    Handlers use it for their own patterns (``compiled(r"({weekday}),?\\s+$")``).

    Args:
        source: A pattern that may name fragments of ``rules.toml`` and lists.

    Returns:
        The compiled pattern (kept: the same source is compiled once).
    """
    return cached("timex_pattern", _FILES, lambda: re.compile(
        _expand(source, _fragments()), re.IGNORECASE), settings=source)


def _anchor_words(classes: dict[str, str]) -> dict[str, tuple[str, ...]]:
    words: dict[str, tuple[str, ...]] = {}
    for anchor_class, text in classes.items():
        for word in _REFERENCE.sub(lambda m: " ".join(_list_words(m[1])), text).split():
            words[word.lower()] = words.get(word.lower(), ()) + (anchor_class,)
    return words


def _list_words(name: str) -> list[str]:
    """Every entry of a list and its plural (if it has one), for the anchor words."""
    table = word_lists()[name]
    words = list(table)
    if isinstance(table, dict):
        words += [v["plural"] for v in table.values() if isinstance(v, dict) and "plural" in v]
    return words


def _trie(words: list[str]) -> str:
    """A regex alternation of ``words`` shaped as a trie (fast: no backtracking over words)."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items())
                    if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(tree)


def _anchor_pattern(words: list[str]) -> re.Pattern[str]:
    # Run on the lower-cased text (same length), so no IGNORECASE is needed.
    return re.compile(r"\b(?:(?P<num>(?:1\d|20)\d\d(?:-\d\d-\d\d|['’]?s\b)?|\d0['’]?s"
                      r"|\d{1,2}/\d{1,2}/\d\d)"
                      r"|(?P<clock>[ap]\.m)|(?P<word>" + _trie(words) + r")\b)")


def _example(record: dict[str, Any]) -> Example:
    example = record["example"]
    return Example(text=example["text"], dct=example.get("dct"), timex=example["timex"],
                   value=example["value"])


def _rule(order: int, record: dict[str, Any], fragments: dict[str, str]) -> Rule:
    source = _expand(_joined(record["pattern"]), fragments)
    drop = record.get("drop_leading")
    undated_type = record.get("undated_type", "DATE")
    if undated_type not in UNDATED_TYPES:
        raise ValueError(f"rule {record['name']}: undated_type {undated_type!r}")
    return Rule(name=record["name"], order=order, source=source,
                pattern=re.compile(source, re.IGNORECASE), handler=record["handler"],
                anchors=tuple(record["anchors"]),
                drop_leading=re.compile(_joined(drop), re.IGNORECASE) if drop else None,
                undated_type=undated_type, not_reference=record.get("not_reference", False),
                not_reference_when=_conditions(record.get("not_reference_when", [])),
                not_last_date_when=_conditions(record.get("not_last_date_when", [])),
                example=_example(record))


def _conditions(records: list[dict[str, str]]) -> _Conditions:
    return tuple(tuple((group, re.compile(pattern, re.IGNORECASE))
                       for group, pattern in condition.items()) for condition in records)


def rule_set() -> RuleSet:
    """The rules of ``rules.toml``, compiled (read once, on first use).

    Returns:
        The :class:`RuleSet`.

    Raises:
        ValueError: A rule names an unknown ``undated_type`` or a duplicate name.
    """
    return cached("timex_rule_set", _FILES, _build_rule_set)


def _build_rule_set() -> RuleSet:
    data = _rules_file()
    fragments = _fragments()
    rules = tuple(_rule(i, record, fragments) for i, record in enumerate(data["rule"]))
    by_name = {rule.name: rule for rule in rules}
    if len(by_name) != len(rules):
        raise ValueError("rules.toml: two rules share a name")
    anchor_words = _anchor_words(data["anchors"])
    return RuleSet(rules=rules, by_name=by_name, anchor_words=anchor_words,
                   anchors=_anchor_pattern(list(anchor_words)))


def clear_cache() -> None:
    """Forget the rules, lists and patterns read so far (the next use reads the files)."""
    for kind in ("timex_lists", "timex_rules_file", "timex_pattern", "timex_rule_set",
                 "timex_lexicon"):
        clear(kind)


@dataclass(frozen=True)
class Lexicon:
    """The values of the word lists, as the handlers look them up (lower-case keys).

    Attributes:
        months: Month names and abbreviations -> month number.
        month_names: The twelve full names ("January").
        weekdays: Weekday names and abbreviations -> ISO weekday.
        weekday_names: The seven full names ("Monday").
        small_numbers: "zero" to "nineteen", in order.
        number_words: Number words ("three", "twenty", "dozen", "half") -> value.
        ordinals: "first", "twenty-first", "1st" -> value.
        decade_words: "sixties" -> 60.
        day_parts: "morning" -> "MO".
        seasons: "fall" -> "FA".
        units: Unit -> (duration letter, whether it follows the "T").
        unit_aliases: Abbreviation ("mth") -> unit ("month").
        set_units: "week" -> "P1W".
        set_adverbs: "daily" -> "P1D".
        vague: "recently" -> "PAST_REF" (phrases with single spaces).
        holidays: "New Year's Day" (straight apostrophe, single spaces) -> its day:
            "MM-DD", [month, weekday, n(, days)] or "easter".
    """

    months: dict[str, int]
    month_names: tuple[str, ...]
    weekdays: dict[str, int]
    weekday_names: tuple[str, ...]
    small_numbers: tuple[str, ...]
    number_words: dict[str, float]
    ordinals: dict[str, int]
    decade_words: dict[str, int]
    day_parts: dict[str, str]
    seasons: dict[str, str]
    units: dict[str, tuple[str, bool]]
    unit_aliases: dict[str, str]
    set_units: dict[str, str]
    set_adverbs: dict[str, str]
    vague: dict[str, str]
    holidays: dict[str, str | list[int]]


def _lower(*tables: dict[str, Any]) -> dict[str, Any]:
    return {key.lower(): value for table in tables for key, value in table.items()}


def lexicon() -> Lexicon:
    """The word lists' values for the handlers (read once, on first use).

    Returns:
        The :class:`Lexicon`.
    """
    return cached("timex_lexicon", _FILES, _build_lexicon)


def _build_lexicon() -> Lexicon:
    lists = word_lists()
    return Lexicon(
        months=_lower(lists["month"], lists["month_abbreviation"]),
        month_names=tuple(lists["month"]),
        weekdays=_lower(lists["weekday"], lists["weekday_abbreviation"]),
        weekday_names=tuple(lists["weekday"]),
        small_numbers=tuple(lists["small_number"]),
        number_words=_lower(lists["small_number"], lists["tens"], lists["other_number"]),
        ordinals=_lower(lists["ordinal"], lists["ordinal_abbreviation"]),
        decade_words=_lower(lists["decade_word"]),
        day_parts=_lower(lists["day_part"]),
        seasons=_lower(lists["season"]),
        units={unit: (entry["letter"], entry.get("clock", False))
               for unit, entry in lists["unit"].items()},
        unit_aliases={short: entry["unit"] for short, entry in lists["unit_abbreviation"].items()},
        set_units=_lower(lists["set_unit"]),
        set_adverbs=_lower(lists["set_adverb"]),
        vague=_lower(lists["vague"]),
        holidays=dict(lists["holiday"]),
    )
