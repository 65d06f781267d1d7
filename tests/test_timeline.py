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


def test_dates_the_text_mentions_are_not_the_reference_date():
    doc = Document("a", "Talks began on March 3, 2015 and ended on March 9, 2015.\nThe "
                        "attacks of September 11, 2001 were recalled; the deadline is "
                        "December 31, 2004.")
    ref = timeline.reference_dates([doc])["a"]
    assert (ref.date, ref.source) == (None, "none")
    assert timeline.describe_reference_date(ref) == "none: relative timeline"


def test_relative_when_nothing_is_known():
    ref = timeline.reference_dates([Document("a", "They met yesterday.")])["a"]
    assert ref.date is None and ref.source == "none"


@pytest.mark.parametrize(("text", "date", "evidence"), [
    ("Talks resume\nUpdated: 2 December 2004\nThe talks resumed on Monday.",
     D(2004, 12, 2), "Updated: 2 December 2004"),
    ("Talks resume\nBy Jane Roe\n17 November 2004\nThe talks resumed on Monday.",
     D(2004, 11, 17), "17 November 2004"),
    ("Talks resume\nREDMOND, Wash. -- Nov. 11, 2004 -- The company said on Monday.",
     D(2004, 11, 11), "Nov. 11, 2004"),
    ("Talks resume\n18/11/2004 - 17:36\nThe talks resumed on Monday.",
     D(2004, 11, 18), "18/11/2004"),
    ("The talks resumed on Monday, officials said.\nPublished: December 3, 2004",
     D(2004, 12, 3), "Published: December 3, 2004"),
])
def test_reference_date_from_a_dateline(text, date, evidence):
    with pytest.warns(UserWarning, match="dateline or URL"):
        ref = timeline.reference_dates([Document("a", text)])["a"]
    assert (ref.date, ref.source, ref.evidence) == (date, "dateline", evidence)
    assert " ".join(text[ref.start:ref.end].split()) == evidence  # offsets of the evidence
    assert timeline.describe_reference_date(ref) == f"dateline '{evidence}'"
    assert timeline.describe_reference_date(ref, with_date=True) == (
        f"{date.isoformat()}, dateline '{evidence}'")


_BODY = "Talks\n" + "".join(f"Paragraph {i} says the committee met at length.\n" for i in range(12))


@pytest.mark.parametrize(("text", "date", "evidence"), [
    ("january 11 2005 Home > Programs > Trade\nThe talks resumed on Monday.",
     D(2005, 1, 11), "january 11 2005"),  # a page date in lower case
    (_BODY + "It is an inspiration to us all. Oslo, 8 October 2004.", D(2004, 10, 8),
     "Oslo, 8 October 2004"),  # a sign-off: place and date, the last sentence
    (_BODY + "Cape Town, South Africa, 8 October 2004\n", D(2004, 10, 8),
     "Cape Town, South Africa, 8 October 2004"),
])
def test_more_dateline_patterns(text, date, evidence):
    with pytest.warns(UserWarning, match="dateline or URL"):
        ref = timeline.reference_dates([Document("a", text)])["a"]
    assert (ref.date, ref.source, ref.evidence) == (date, "dateline", evidence)
    assert " ".join(text[ref.start:ref.end].split()) == evidence


@pytest.mark.parametrize("text", [
    _BODY + "The prize went to her in Oslo, 8 October 2004.",  # in a sentence
    _BODY + "Oslo, 8 October 2004. More news follows below.",  # not the end of the text
    _BODY + "The prize was given on 8 October 2004.",
    # wrapped wire lines: the date opens a line, the sentence began on the line above
    "Bonds\nThe company will offer 75 mln dlrs of notes due\nMarch 1, 1997 and more.\nText.",
    "Bonds\nThe payment date is\nMarch 30, 1990.\nThe selling concession is 1-3/8 pct.",
    "Bonds\nThe original exercise date was April 15, 1987.\nThe company said so.",
    "Bonds\nSales for the four-week period ended\nFeb 28, 1987, A 7.2 pct increase.\nText.",
])
def test_dates_of_sentences_are_no_datelines(text):
    assert timeline.reference_dates([Document("a", text)])["a"].date is None


def test_a_date_in_a_sentence_is_no_dateline():
    text = "Delta program\nOn Oct. 16, 1998, the Air Force announced a contract."
    assert timeline.reference_dates([Document("a", text)])["a"].date is None


def test_reference_date_from_the_url_and_wire_datelines():
    url = Document("a", "Talks resumed on Monday.",
                   url="http://example.com/2004/nov/14/world/talks")
    cnn = Document("b", "Talks resumed on Monday.",
                   url="http://www.example.com/2004/TECH/internet/11/16/talks/index.html")
    wire = Document("c", "CARACAS, Dec 7 (IPS) - Talks resumed on Monday.")
    wire_url = Document("d", "CARACAS, Dec 7 (IPS) - Talks resumed on Monday.",
                        url="http://example.org/news/2004/talks.html")
    with pytest.warns(UserWarning):
        refs = timeline.reference_dates([url, cnn, wire, wire_url])
    assert (refs["a"].date, refs["a"].source) == (D(2004, 11, 14), "url")
    assert timeline.describe_reference_date(refs["a"]) == "URL date '2004/nov/14'"
    assert refs["b"].date == D(2004, 11, 16)
    assert refs["c"].date is None
    assert timeline.describe_reference_date(refs["c"]) == (
        "none: relative timeline (the dateline 'CARACAS, Dec 7 (IPS)' has no year)")
    # a year in the URL completes the dateline; alone it is no publication date
    assert refs["d"].date == D(2004, 12, 7)
    assert timeline.describe_reference_date(refs["d"]) == (
        "dateline 'CARACAS, Dec 7 (IPS)' (year 2004 from the URL's '/2004/')")
    only_year = Document("e", "Talks resumed on Monday.", url="http://example.org/2004/t.html")
    assert timeline.reference_dates([only_year])["e"].date is None
    foot = Document("f", "SANTIAGO, Dec 7 (IPS) - Talks resumed on Monday. (END/2004)")
    with pytest.warns(UserWarning):
        assert timeline.reference_dates([foot])["f"].date == D(2004, 12, 7)


def test_metadata_wins_over_a_conflicting_dateline():
    doc = Document("a", "Talks\n02/12/2004\nThe talks resumed.", date=D(2004, 12, 2))
    ref = timeline.reference_dates([doc])["a"]
    assert (ref.date, ref.note) == (D(2004, 12, 2), None)  # day-first, so no conflict
    other = Document("b", "Talks\n3 December 2004\nThe talks resumed.", date=D(2004, 12, 2))
    ref = timeline.reference_dates([other])["b"]
    assert ref.date == D(2004, 12, 2)
    assert timeline.describe_reference_date(ref) == (
        "metadata date (the dateline '3 December 2004' says 2004-12-03; the metadata date "
        "is used)")


def test_one_warning_for_many_inferred_documents():
    docs = [Document(str(i), f"Talks\nUpdated: {i + 1} December 2004\nText.") for i in range(8)]
    with pytest.warns(UserWarning) as record:
        refs = timeline.reference_dates(docs)
    assert len(record) == 1 and "8 document(s)" in str(record[0].message)
    assert refs["7"].date == D(2004, 12, 8)
    assert timeline.reference_dates(docs, warn=False)["7"].date == D(2004, 12, 8)


def test_outlet_date_order():
    assert timeline.outlet_date_order(Document("a", "x", url="http://news.bbc.co.uk/1/a")) == \
        "dmy"
    assert timeline.outlet_date_order(Document("a", "x", url="http://www.state.gov/r/1")) == \
        "mdy"
    assert timeline.outlet_date_order(Document("a", "x", url="http://www.cnn.com/a")) is None


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
    ("18", (D(1800, 1, 1), D(1899, 12, 31), "century")),  # "the late 1800s"
    ("PAST_REF", (None, None, "vague")),  # never a calendar date, even with a DCT
    ("PRESENT_REF", (None, None, "vague")),
    ("2004-XX-XX", (D(2004, 1, 1), D(2004, 12, 31), "year")),
    ("XXXX-WXX-4", (None, None, "undated")),
    ("XXXX-08-04", (None, None, "undated")),
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


def test_timeline_table_never_sorts_vague_or_relative_among_dated_events():
    events = pd.DataFrame({
        "doc_id": ["a", "a", "b", "b", "c"], "start_char": [9, 1, 5, 2, 0],
        "date": pd.to_datetime([None, None, "2017-06-07", None, "2017-06-06"]),
        "precision": ["relative", "undated", "day", "vague", "day"],
        "relative": ["the day before publication", None, None,
                     "some time before 2017-06-08 (vague)", None],
        "event": ["rel", "undated", "dated2", "vague", "dated1"]})
    ordered = timeline.timeline_table(events)
    assert list(ordered.event) == ["dated1", "dated2", "rel", "vague", "undated"]


# ------------------------------------------------------------------ seed acceptance (model)

@pytest.fixture(scope="module")
def seed(seed_annotated):
    from analystkit.entities import entity_mentions

    dcts = timeline.reference_dates(seed_annotated.corpus, reference_date="2017-06-08")
    timexes = timeline.timexes_table(seed_annotated, dcts=dcts)
    from analystkit.stance import statements_table

    mentions = entity_mentions(seed_annotated)
    statements = statements_table(seed_annotated, mentions=mentions, polarity=None)
    events = timeline.events_table(seed_annotated, mentions=mentions, timexes=timexes,
                                   statements=statements, dcts=dcts)
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


def _blank_annotated(texts: dict[str, str]):
    import spacy

    from analystkit.corpus import Corpus
    from analystkit.pipeline import AnnotatedCorpus

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    docs = [Document(doc_id, text) for doc_id, text in texts.items()]
    return AnnotatedCorpus(Corpus(docs, pd.DataFrame()), [nlp(d.text) for d in docs], "blank")


def test_documents_without_dct_get_relative_words_not_fake_dates():
    text = ("They met yesterday and will meet again on Thursday. The deal was signed in March "
            "2015. Now the past is the past.")
    timexes = timeline.timexes_table(_blank_annotated({"a": text}))
    assert set(timexes.dct_source) == {"none: relative timeline"}
    rows = timexes.set_index("text")
    assert rows.loc["yesterday", "precision"] == "relative"
    assert rows.loc["yesterday", "relative"] == "the day before publication"
    assert rows.loc["yesterday", "value"] == "XXXX-XX-XX"
    assert pd.isna(rows.loc["yesterday", "date"]) and pd.isna(rows.loc["yesterday", "date_end"])
    assert rows.loc["Thursday", "value"] == "XXXX-WXX-4"
    assert rows.loc["Thursday", "relative"].startswith("Thursday, within the week after")
    assert rows.loc["March 2015", "value"] == "2015-03"  # absolute dates keep their value
    assert rows.loc["March 2015", "date"] == pd.Timestamp("2015-03-01")
    vague = timexes[timexes.precision == "vague"]
    assert len(vague) == 3 and vague.date.isna().all()
    assert set(vague.relative) == {"around publication (vague)",
                                   "some time before publication (vague)"}
    assert not (timexes.date == pd.Timestamp("2000-01-01")).any()


def test_vague_expressions_with_a_dct_have_no_calendar_date():
    timexes = timeline.timexes_table(_blank_annotated({"a": "Prices are high now."}),
                                     reference_date="2017-06-08")
    (row,) = timexes.itertuples()
    assert (row.value, row.precision, row.relative) == (
        "PRESENT_REF", "vague", "around 2017-06-08 (vague)")
    assert pd.isna(row.date)


def test_timexes_table_uses_given_reference_dates():
    annotated = _blank_annotated({"a": "They met yesterday."})
    dcts = {"a": timeline.ReferenceDate(D(2004, 12, 2), "dateline", "Updated: 2 December 2004",
                                        0, 24)}
    timexes = timeline.timexes_table(annotated, reference_date="2017-01-01", dcts=dcts)
    assert list(timexes.value) == ["2004-12-01"]
    assert list(timexes.dct_source) == ["dateline 'Updated: 2 December 2004'"]
    assert list(timexes.columns) == timeline.TIMEX_COLUMNS


def _parsed_annotated(doc_id: str, words, spaces, heads, deps, pos, lemmas):
    import spacy
    from spacy.tokens import Doc

    from analystkit.corpus import Corpus
    from analystkit.pipeline import AnnotatedCorpus

    nlp = spacy.blank("en")
    doc = Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos,
              lemmas=lemmas, sent_starts=[True] + [False] * (len(words) - 1))
    return AnnotatedCorpus(Corpus([Document(doc_id, doc.text)], pd.DataFrame()), [doc], "hand")


_NO_MENTIONS = pd.DataFrame({"doc_id": [], "start_char": [], "canonical": []})
_NO_STATEMENTS = pd.DataFrame({c: [] for c in ("doc_id", "statement_id", "content_start",
                                               "content_end", "source_entity", "source")})


def test_events_of_undated_documents_keep_their_relative_words():
    # "Rebels attacked yesterday ." with a hand-made parse
    annotated = _parsed_annotated(
        "a", ["Rebels", "attacked", "yesterday", "."], [True, True, False, False],
        [1, 1, 1, 1], ["nsubj", "ROOT", "npadvmod", "punct"],
        ["NOUN", "VERB", "NOUN", "PUNCT"], ["rebel", "attack", "yesterday", "."])
    dcts = timeline.reference_dates(annotated.corpus)
    timexes = timeline.timexes_table(annotated, dcts=dcts)
    events = timeline.events_table(annotated, mentions=_NO_MENTIONS, timexes=timexes,
                                   statements=_NO_STATEMENTS, dcts=dcts)
    assert list(events.columns) == timeline.EVENT_COLUMNS
    (event,) = events.itertuples()
    assert (event.predicate, event.precision, event.relative, event.timex_value) == (
        "attack", "relative", "the day before publication", "XXXX-XX-XX")
    assert pd.isna(event.date) and event.dct_source == "none: relative timeline"
    ordered = timeline.timeline_table(events)
    assert list(ordered.predicate) == ["attack"]  # kept, after any dated event


def test_events_take_their_dates_from_the_timexes_table():
    annotated = _parsed_annotated(
        "a", ["Rebels", "attacked", "yesterday", "."], [True, True, False, False],
        [1, 1, 1, 1], ["nsubj", "ROOT", "npadvmod", "punct"],
        ["NOUN", "VERB", "NOUN", "PUNCT"], ["rebel", "attack", "yesterday", "."])
    timexes = timeline.timexes_table(annotated, reference_date="2017-06-08")
    events = timeline.events_table(annotated, mentions=_NO_MENTIONS, timexes=timexes,
                                   statements=_NO_STATEMENTS)
    (event,) = events.itertuples()
    assert (event.date, event.precision, event.dct_source) == (
        pd.Timestamp("2017-06-07"), "day", "parameter")


def _officials_said_rebels_attacked():
    # "Officials said rebels attacked yesterday ." with a hand-made parse
    return _parsed_annotated(
        "a", ["Officials", "said", "rebels", "attacked", "yesterday", "."],
        [True, True, True, True, False, False], [1, 1, 3, 1, 3, 1],
        ["nsubj", "ROOT", "nsubj", "ccomp", "npadvmod", "punct"],
        ["NOUN", "VERB", "NOUN", "VERB", "NOUN", "PUNCT"],
        ["official", "say", "rebel", "attack", "yesterday", "."])


def test_an_event_inside_a_statement_is_told_by_the_statement_source():
    annotated = _officials_said_rebels_attacked()
    text = annotated.docs[0].text
    statements = pd.DataFrame({
        "doc_id": ["a"], "statement_id": [7], "content_start": [text.index("rebels")],
        "content_end": [text.index(".")], "source_entity": [None], "source": ["Officials"]})
    timexes = timeline.timexes_table(annotated, reference_date="2017-06-08")
    events = timeline.events_table(annotated, mentions=_NO_MENTIONS, timexes=timexes,
                                   statements=statements)
    (event,) = events.itertuples()
    assert (event.predicate, event.source, event.statement_id) == ("attack", "Officials", 7)
    assert event.date == pd.Timestamp("2017-06-07")
    # Without a statement the same clause is told by nobody, and is not a reported event.
    alone = timeline.events_table(annotated, mentions=_NO_MENTIONS, timexes=timexes,
                                  statements=_NO_STATEMENTS)
    assert pd.isna(alone.source.iloc[0]) and pd.isna(alone.statement_id.iloc[0])


def test_the_main_clause_of_an_undated_statement_is_a_reported_event():
    annotated = _officials_said_rebels_attacked()
    doc = annotated.docs[0]
    text = doc.text
    statements = pd.DataFrame({
        "doc_id": ["a"], "statement_id": [0], "content_start": [text.index("rebels")],
        "content_end": [text.index(" yesterday")], "source_entity": ["Ministry of Defence"],
        "source": ["Officials"]})
    no_timexes = timeline.timexes_table(annotated).iloc[0:0]
    events = timeline.events_table(annotated, mentions=_NO_MENTIONS, timexes=no_timexes,
                                   statements=statements)
    (event,) = events.itertuples()
    assert (event.predicate, event.precision, event.source) == (
        "attack", "undated", "Ministry of Defence")


def test_events_table_needs_its_inputs():
    annotated = _blank_annotated({"a": "Text."})
    with pytest.raises(TypeError):
        timeline.events_table(annotated)  # type: ignore[call-arg]


def test_spelling_hints_the_date_order_only_without_other_evidence():
    british = "The organisation said its defence programme starts on 03/04/2004."
    assert timeline.spelling_date_order(british) == "dmy"
    assert timeline.spelling_date_order("The organization said its defense plan.") == "mdy"
    assert timeline.spelling_date_order("Labor Day and the Labour Party.") is None
    assert timeline.document_date_order(Document("a", british)) == "dmy"
    # the text's own unambiguous date wins over spelling
    assert timeline.document_date_order(Document("a", british + " And 04/25/2004.")) == "mdy"
    timexes = timeline.timexes_table(_blank_annotated({"a": british}))
    assert list(timexes.value) == ["2004-04-03"]


def test_statement_index_finds_the_innermost_holding_statement_as_a_scan_does():
    import random

    from analystkit.timeline import _Statement, _StatementIndex

    rng = random.Random(7)
    for _ in range(200):
        statements = []
        for number in range(rng.randint(0, 12)):
            start = rng.randint(0, 300)
            statements.append(_Statement(number, start, start + rng.randint(1, 120), "x"))
        index = _StatementIndex(statements)
        for char in range(0, 430, 3):
            holding = [s for s in statements if s.content_start <= char < s.content_end]
            expected = min(holding, key=lambda s: (s.content_end - s.content_start,
                                                   s.statement_id), default=None)
            assert index.holding(char) == expected
