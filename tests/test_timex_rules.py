"""The timex rules as data: every rule's example, the rule file's integrity, lazy loading."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import pytest

from analystkit.timex import rules as timex_rules
from analystkit.timex import tag_timexes
from analystkit.timex.context import _Context
from analystkit.timex.engine import _candidates, _select
from analystkit.timex.handlers import HANDLERS


def _records() -> list[dict]:
    with (timex_rules.DATA_DIR / "rules.toml").open("rb") as file:
        return tomllib.load(file)["rule"]


RULE_NAMES = [record["name"] for record in _records()]


@pytest.mark.parametrize("name", RULE_NAMES)
def test_each_rule_finds_its_example_and_gives_its_value(name):
    rule = timex_rules.rule_set().by_name[name]
    example = rule.example
    assert rule.pattern.search(example.text), f"{name} does not match {example.text!r}"
    # the engine selects a match of this very rule in the example ...
    ctx = _Context(text=example.text, dct=example.dct, doc=None)
    chosen = [example.text[start:end] for start, end, rule_name, _ in
              _select(_candidates(example.text), ctx) if rule_name == name]
    assert chosen, f"{name}: no candidate of the rule is selected in {example.text!r}"
    # ... and tagging the example gives the expression and value the record states
    tagged = [(t.text, t.value) for t in tag_timexes(example.text, example.dct)]
    assert (example.timex, example.value) in tagged, tagged


def test_rule_records_name_known_handlers_anchor_classes_and_lists():
    rule_set = timex_rules.rule_set()
    anchor_classes = {c for classes in rule_set.anchor_words.values() for c in classes}
    anchor_classes |= {"year", "decade", "digits", "isodate", "clock"}  # found without words
    for rule in rule_set.rules:
        assert rule.handler in HANDLERS, rule.name
        assert set(rule.anchors) <= anchor_classes, rule.name
        assert "{" not in re.sub(r"\{\d+(?:,\d*)?\}", "", rule.source), rule.name  # all expanded
    assert [rule.order for rule in rule_set.rules] == list(range(len(rule_set.rules)))


def test_every_word_list_is_used_by_a_pattern_or_anchor():
    text = (timex_rules.DATA_DIR / "rules.toml").read_text(encoding="utf-8")
    named = set(re.findall(r"\{([A-Za-z_]+)(?::[a-z0-9-]+)?\}", text))
    lexicon_only = {"other_number", "ordinal_abbreviation"}  # values for the handlers
    assert set(timex_rules.word_lists()) - named == lexicon_only


def test_list_forms():
    assert timex_rules.alternation(["May", "March", "at least"]) == r"at\s+least|March|May"
    unit = timex_rules.compiled("{unit}").pattern
    assert unit.startswith("(?:seconds?|minutes?|hours?|days?|nights?")
    assert "centur(?:y|ies)" in unit and "millenni(?:um|a)" in unit and "weekend" not in unit
    month = timex_rules.compiled("^{month}$")
    assert month.match("May") and month.match("MAY") and not month.match("may")
    assert month.match("Sept.") and not month.match("Sept")  # an abbreviation needs its dot
    assert timex_rules.compiled("^(?:{small_number:1-9})$").match("nine")
    assert not timex_rules.compiled("^(?:{small_number:1-9})$").match("ten")


def test_lexicon_values_come_from_the_lists():
    words = timex_rules.lexicon()
    assert words.months["sept"] == words.months["september"] == 9
    assert words.weekdays["thurs"] == 4 and words.weekday_names[0] == "Monday"
    assert words.units["hour"] == ("H", True) and words.units["weekend"] == ("WE", False)
    assert words.unit_aliases["mth"] == "month" and words.number_words["half"] == 0.5
    assert words.vague["the near future"] == "FUTURE_REF"


def test_nothing_is_read_at_import_and_clear_cache_reloads():
    code = ("import analystkit.timex as t, analystkit.timex.rules as r, analystkit.resources as c; "
            "print(sum(k[0].startswith('timex') for k in c._CACHE))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["0"]
    before = timex_rules.rule_set()
    timex_rules.clear_cache()
    after = timex_rules.rule_set()
    assert after is not before and [r.source for r in after.rules] == [
        r.source for r in before.rules]
