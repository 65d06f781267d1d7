"""Timeline: reference-date fallback, TIMEX3 ranges, events and their dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analystkit import timeline
from analystkit.corpus import Document

D = dt.date


# --------------------------------------------------------------- reference date fallback

def test_reference_date_parameter_wins_over_everything():
    doc = Document("a", "Text on 3 March 2015.", date=D(2016, 1, 1),
                   meta={"reference_date": D(2017, 1, 1)})
    ref = timeline.reference_dates([doc], reference_date="2018-02-02")["a"]
    assert (ref.date, ref.source) == (D(2018, 2, 2), "parameter")


def test_metadata_date_then_assumed_reference_date():
    dated = Document("a", "Text.", date=D(2016, 1, 1), meta={"reference_date": D(2017, 1, 1)})
    assumed = Document("b", "Text.", meta={"reference_date": D(2017, 1, 1)})
    refs = timeline.reference_dates([dated, assumed])
    assert (refs["a"].date, refs["a"].source) == (D(2016, 1, 1), "metadata date")
    assert refs["b"].date == D(2017, 1, 1) and "assumption" in refs["b"].source


def test_inferred_from_the_latest_full_date_in_text_with_a_warning():
    doc = Document("a", "Talks began on March 3, 2015 and ended on March 9, 2015.")
    with pytest.warns(UserWarning, match="no date"):
        ref = timeline.reference_dates([doc])["a"]
    assert (ref.date, ref.source) == (D(2015, 3, 9), "inferred from text")


def test_relative_when_nothing_is_known():
    ref = timeline.reference_dates([Document("a", "They met yesterday.")])["a"]
    assert ref.date is None and ref.source.startswith("relative")


# --------------------------------------------------------------------------- timex ranges

@pytest.mark.parametrize(("value", "expected"), [
    ("2017-06-06", (D(2017, 6, 6), D(2017, 6, 6), "day")),
    ("2017-06-06TMO", (D(2017, 6, 6), D(2017, 6, 6), "time")),
    ("2017-06-06T14:30", (D(2017, 6, 6), D(2017, 6, 6), "time")),
    ("2017-W23", (D(2017, 6, 5), D(2017, 6, 11), "week")),
    ("2016-W53", (None, None, "undated")),  # 2016 has 52 ISO weeks
    ("2020-W53", (D(2020, 12, 28), D(2021, 1, 3), "week")),
    ("2017-06", (D(2017, 6, 1), D(2017, 6, 30), "month")),
    ("2016-02", (D(2016, 2, 1), D(2016, 2, 29), "month")),
    ("2017-12", (D(2017, 12, 1), D(2017, 12, 31), "month")),
    ("2017-Q2", (D(2017, 4, 1), D(2017, 6, 30), "quarter")),
    ("2017-Q4", (D(2017, 10, 1), D(2017, 12, 31), "quarter")),
    ("2017", (D(2017, 1, 1), D(2017, 12, 31), "year")),
    ("2017-SU", (D(2017, 1, 1), D(2017, 12, 31), "year")),
    ("199", (D(1990, 1, 1), D(1999, 12, 31), "decade")),
    ("PAST_REF", (D(2017, 6, 8), D(2017, 6, 8), "vague")),
    ("P6Y", (None, None, "undated")),
    ("XXXX-WXX-2", (None, None, "undated")),
    ("2017-02-30", (None, None, "undated")),
    (None, (None, None, "undated")),
])
def test_timex_range(value, expected):
    assert timeline.timex_range(value, D(2017, 6, 8)) == expected


def test_timeline_table_sorts_dated_first():
    events = pd.DataFrame({
        "doc_id": ["a", "a", "b"], "start_char": [5, 1, 0],
        "date": pd.to_datetime([None, "2017-06-07", "2017-06-06"]),
        "event": ["x", "y", "z"]})
    ordered = timeline.timeline_table(events)
    assert list(ordered.event) == ["z", "y", "x"] and list(ordered["order"]) == [0, 1, 2]


# ------------------------------------------------------------------ seed acceptance (model)

@pytest.fixture(scope="module")
def seed(seed_annotated):
    timexes = timeline.timexes_table(seed_annotated, reference_date="2017-06-08")
    events = timeline.events_table(seed_annotated, reference_date="2017-06-08",
                                   timexes=timexes)
    return timexes, events


@pytest.mark.model
def test_seed_weekdays_resolved_by_tense(seed):
    timexes, _ = seed
    values = timexes.groupby("text")["value"].agg(list)
    assert values["Wednesday"] == ["2017-06-07"]
    assert values["Tuesday"] == ["2017-06-06", "2017-06-06"]


@pytest.mark.model
def test_seed_six_year_old_is_a_duration(seed):
    timexes, _ = seed
    row = timexes[timexes.text.str.contains("six-year")].iloc[0]
    assert (row.type, row.value) == ("DURATION", "P6Y")


@pytest.mark.model
def test_seed_recent_days_and_weeks_are_past(seed):
    timexes, _ = seed
    recent = timexes[timexes.text.str.contains("recent")]
    assert len(recent) == 2 and set(recent.value) == {"PAST_REF"}


@pytest.mark.model
def test_seed_events_on_the_timeline(seed):
    _, events = seed
    on = events.set_index("predicate")
    release = events[events.predicate == "release"].iloc[0]
    assert release.date == pd.Timestamp("2017-06-07") and "footage" in release.event
    tuesday = events[events.date == pd.Timestamp("2017-06-06")]
    assert any("strikes" in e for e in tuesday.event), list(tuesday.event)
    assert any(p == "announce" for p in tuesday.predicate), list(tuesday.predicate)
    announce = tuesday[tuesday.predicate == "announce"].iloc[0]
    assert "assault" in announce.evidence and "Raqqa" in announce.evidence
    strikes = events[events.predicate == "strike"]
    assert set(strikes.quad_class) == {"material conflict"}
    assert (strikes.goldstein == -10).all()
    assert on is not None


def _parsed(words, heads, deps, pos, lemmas):
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.blank("en")
    return Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)


def test_relative_anchor_preposition_and_clause():
    # "released a day before the strike"
    doc = _parsed(["released", "a", "day", "before", "the", "strike"],
                  [0, 2, 0, 0, 5, 3], ["ROOT", "det", "npadvmod", "prep", "det", "pobj"],
                  ["VERB", "DET", "NOUN", "ADP", "DET", "NOUN"],
                  ["release", "a", "day", "before", "the", "strike"])
    assert timeline._relative_anchor(doc[1:3]) == ("before", "strike")
    # "came hours after allies threatened"
    doc = _parsed(["came", "hours", "after", "allies", "threatened"],
                  [0, 0, 4, 4, 0], ["ROOT", "npadvmod", "mark", "nsubj", "advcl"],
                  ["VERB", "NOUN", "SCONJ", "NOUN", "VERB"],
                  ["come", "hour", "after", "ally", "threaten"])
    assert timeline._relative_anchor(doc[1:2]) == ("after", "threaten")
    assert timeline._relative_anchor(doc[3:4]) is None


def test_anchored_event_takes_its_date_from_the_anchor():
    found = {
        1: {"predicate": "strike", "date": dt.date(2017, 6, 8), "date_end": dt.date(2017, 6, 8),
            "precision": "day", "event": "coalition struck", "anchor": None},
        5: {"predicate": "release", "date": None, "date_end": None, "precision": "undated",
            "event": "footage released", "anchor": None},
    }
    timeline._resolve_anchors(found, [(5, ("before", "strike"), 1.0)])
    assert found[5]["date"] == dt.date(2017, 6, 7) and found[5]["precision"] == "day"
    assert found[5]["anchor"].startswith("before coalition struck")


def test_documents_without_dct_get_relative_labels_not_fake_dates():
    import spacy

    from analystkit.corpus import Corpus
    from analystkit.pipeline import AnnotatedCorpus

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    text = "They met yesterday. The deal was signed in March 2015."
    annotated = AnnotatedCorpus(Corpus([Document("a", text)], pd.DataFrame()), [nlp(text)],
                                "blank")
    timexes = timeline.timexes_table(annotated)  # no full date in the text: relative
    assert set(timexes.dct_source) == {"relative (no date known)"}
    rows = timexes.set_index("text")
    assert rows.loc["yesterday", "precision"] == "relative"
    assert rows.loc["yesterday", "relative"] == "DCT-1d"
    assert pd.isna(rows.loc["yesterday", "date"]) and pd.isna(rows.loc["yesterday", "value"])
    assert rows.loc["March 2015", "value"] == "2015-03"  # absolute dates keep their value
