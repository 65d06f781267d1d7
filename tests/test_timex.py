"""Temporal expressions: normalisation table, spans in sentences, DCT-less use, properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analystkit
from analystkit.timex import (
    TIMEX3_VALUE,
    Timex,
    is_valid_timex3_value,
    normalize_timex,
    numeric_date_order,
    tag_timexes,
)

WED = dt.date(2017, 6, 7)  # a Wednesday; ISO week 2017-W23, second quarter
NEW_YEAR = dt.date(2017, 1, 2)  # a Monday, ISO week 2017-W01
LEAP = dt.date(2016, 3, 1)  # the day after a leap day
NON_LEAP = dt.date(2017, 3, 1)

# (expression, DCT, tense, expected type, expected value)
NORMALISATION = [
    # explicit dates in common news formats
    ("January 5, 2017", WED, None, "DATE", "2017-01-05"),
    ("Jan. 5, 2017", WED, None, "DATE", "2017-01-05"),
    ("5 January 2017", WED, None, "DATE", "2017-01-05"),
    ("5th of January, 2017", WED, None, "DATE", "2017-01-05"),
    ("2017-06-08", WED, None, "DATE", "2017-06-08"),
    ("06/08/2017", WED, None, "DATE", "2017-XX-XX"),  # day-month order unknown: the year
    ("6/18/2017", WED, None, "DATE", "2017-06-18"),  # only one reading
    ("12/31/99", WED, None, "DATE", "1999-12-31"),
    ("Sept. 30", WED, "past", "DATE", "2016-09-30"),
    ("Sept. 30", WED, "future", "DATE", "2017-09-30"),
    ("June 12", WED, None, "DATE", "2017-06-12"),
    ("on May 1", WED, "past", "DATE", "2017-05-01"),
    ("Friday, June 2", WED, None, "DATE", "2017-06-02"),
    ("payable April one.", WED, None, "DATE", "2017-04-01"),
    ("Feb. 29, 2016", WED, None, "DATE", "2016-02-29"),
    ("2017-06-08 14:30", WED, None, "TIME", "2017-06-08T14:30"),
    # month and year, year, decades, centuries
    ("March 2016", WED, None, "DATE", "2016-03"),
    ("June last year", WED, None, "DATE", "2016-06"),
    ("January this year", WED, None, "DATE", "2017-01"),
    ("in October", WED, "past", "DATE", "2016-10"),
    ("in October", WED, "future", "DATE", "2017-10"),
    ("last May", WED, None, "DATE", "2016-05"),
    ("next March", WED, None, "DATE", "2018-03"),
    ("early December", WED, "future", "DATE", "2017-12"),
    ("1998", WED, None, "DATE", "1998"),
    ("fiscal 2016", WED, None, "DATE", "2016"),
    ("mid-1996", WED, None, "DATE", "1996"),
    ("the 1990s", WED, None, "DATE", "199"),
    ("the late 1970s", WED, None, "DATE", "197"),
    ("the '80s", WED, None, "DATE", "198"),
    ("the 20th century", WED, None, "DATE", "19"),
    ("the late 1800s", WED, None, "DATE", "18"),  # the century 1800-1899, not 1800-1809
    ("the 1900s", WED, None, "DATE", "19"),
    ("the 2000s", WED, None, "DATE", "200"),  # news mostly mean the decade 2000-2009
    ("the nineties", WED, None, "DATE", "199"),
    ("nineteen ninety-six", WED, None, "DATE", "1996"),
    # seasons, quarters, halves
    ("last summer", WED, None, "DATE", "2016-SU"),
    ("this winter", WED, None, "DATE", "2017-WI"),
    ("the summer of 1999", WED, None, "DATE", "1999-SU"),
    ("the third quarter", WED, "future", "DATE", "2017-Q3"),
    ("third-quarter", WED, "past", "DATE", "2016-Q3"),
    ("the first quarter", WED, None, "DATE", "2017-Q1"),
    ("the fourth quarter of 2015", WED, None, "DATE", "2015-Q4"),
    ("last quarter", WED, None, "DATE", "2017-Q1"),
    ("next quarter", WED, None, "DATE", "2017-Q3"),
    ("the first half", WED, None, "DATE", "2017-H1"),
    ("the last half of 2016", WED, None, "DATE", "2016-H2"),
    ("4th qtr", WED, "past", "DATE", "2016-Q4"),
    # weeks and weekends
    ("last week", WED, None, "DATE", "2017-W22"),
    ("this week", WED, None, "DATE", "2017-W23"),
    ("next week", WED, None, "DATE", "2017-W24"),
    ("last week", NEW_YEAR, None, "DATE", "2016-W52"),
    ("this weekend", WED, "future", "DATE", "2017-W23-WE"),
    ("last weekend", WED, None, "DATE", "2017-W22-WE"),
    # weekdays by tense (DCT is a Wednesday)
    ("Friday", WED, "past", "DATE", "2017-06-02"),
    ("Friday", WED, "future", "DATE", "2017-06-09"),
    ("Friday", WED, "present", "DATE", "2017-06-09"),
    ("Monday", WED, None, "DATE", "2017-06-05"),
    ("Wednesday", WED, "past", "DATE", "2017-06-07"),
    ("Friday", NEW_YEAR, "past", "DATE", "2016-12-30"),
    ("last Friday", WED, None, "DATE", "2017-06-02"),
    ("next Monday", WED, None, "DATE", "2017-06-12"),
    ("this Thursday", WED, None, "DATE", "2017-06-08"),
    # relative days
    ("today", WED, None, "DATE", "2017-06-07"),
    ("yesterday", WED, None, "DATE", "2017-06-06"),
    ("tomorrow", WED, None, "DATE", "2017-06-08"),
    ("the day before yesterday", WED, None, "DATE", "2017-06-05"),
    ("the day after tomorrow", WED, None, "DATE", "2017-06-09"),
    ("yesterday", LEAP, None, "DATE", "2016-02-29"),
    ("yesterday", NON_LEAP, None, "DATE", "2017-02-28"),
    ("yesterday", NEW_YEAR, None, "DATE", "2017-01-01"),
    ("tomorrow", dt.date(2016, 12, 31), None, "DATE", "2017-01-01"),
    # last / this / next month and year, boundaries
    ("last month", WED, None, "DATE", "2017-05"),
    ("this month", WED, None, "DATE", "2017-06"),
    ("next month", WED, None, "DATE", "2017-07"),
    ("last month", NEW_YEAR, None, "DATE", "2016-12"),
    ("next month", dt.date(2016, 12, 15), None, "DATE", "2017-01"),
    ("last year", WED, None, "DATE", "2016"),
    ("this year", WED, None, "DATE", "2017"),
    ("next year", WED, None, "DATE", "2018"),
    ("earlier this month", WED, None, "DATE", "2017-06"),
    ("later this year", WED, None, "DATE", "2017"),
    ("late last year", WED, None, "DATE", "2016"),
    ("early next year", WED, None, "DATE", "2018"),
    ("last decade", WED, None, "DATE", "200"),
    # N units ago / from now
    ("two days ago", WED, None, "DATE", "2017-06-05"),
    ("three weeks ago", WED, None, "DATE", "2017-W20"),
    ("six months ago", WED, None, "DATE", "2016-12"),
    ("a year ago", WED, None, "DATE", "2016"),
    ("nearly four years ago", WED, None, "DATE", "2013"),
    ("two days from now", WED, None, "DATE", "2017-06-09"),
    ("a week ago", NEW_YEAR, None, "DATE", "2016-W52"),
    ("a year earlier", WED, None, "DATE", "2016"),
    ("several years ago", WED, None, "DATE", "PAST_REF"),
    ("a year before", WED, None, "DATE", "2016"),
    ("the past year", WED, None, "DATE", "2016"),
    # durations
    ("six-year-old war", WED, None, "DURATION", "P6Y"),
    ("for three weeks", WED, None, "DURATION", "P3W"),
    ("two days later", WED, None, "DURATION", "P2D"),
    ("two decades", WED, None, "DURATION", "P20Y"),
    ("the past two months", WED, None, "DURATION", "P2M"),
    ("the first nine months", WED, None, "DURATION", "P9M"),
    ("more than four hours", WED, None, "DURATION", "PT4H"),
    ("90 minutes", WED, None, "DURATION", "PT90M"),
    ("2 1/2 years", WED, None, "DURATION", "P2Y6M"),
    ("a minute and a half", WED, None, "DURATION", "PT1M30S"),
    ("a couple of years", WED, None, "DURATION", "P2Y"),
    ("twenty-four hours", WED, None, "DURATION", "PT24H"),
    ("a 10-day trip", WED, None, "DURATION", "P10D"),
    ("for hours", WED, None, "DURATION", "PTXH"),
    ("for years", WED, None, "DURATION", "PXY"),
    ("several months", WED, None, "DURATION", "PXM"),
    ("decades-long", WED, None, "DURATION", "PXDE"),
    ("the next few days", WED, None, "DURATION", "PXD"),
    ("nine mths", WED, None, "DURATION", "P9M"),
    # vague references
    ("now", WED, None, "DATE", "PRESENT_REF"),
    ("currently", WED, None, "DATE", "PRESENT_REF"),
    ("recently", WED, None, "DATE", "PAST_REF"),
    ("in recent weeks", WED, None, "DATE", "PAST_REF"),
    ("in the past", WED, None, "DATE", "PAST_REF"),
    ("in the future", WED, None, "DATE", "FUTURE_REF"),
    ("the near future", WED, None, "DATE", "FUTURE_REF"),
    ("at the moment", WED, None, "DATE", "PRESENT_REF"),
    # sets
    ("every Monday", WED, None, "SET", "XXXX-WXX-1"),
    ("each Thursday", WED, None, "SET", "XXXX-WXX-4"),
    ("every week", WED, None, "SET", "P1W"),
    ("each year", WED, None, "SET", "P1Y"),
    ("every day", WED, None, "SET", "P1D"),
    ("every other week", WED, None, "SET", "P2W"),
    ("each July", WED, None, "SET", "XXXX-07"),
    ("daily", WED, None, "SET", "P1D"),
    ("weekly", WED, None, "SET", "P1W"),
    ("monthly", WED, None, "SET", "P1M"),
    ("Tuesday nights", WED, None, "SET", "XXXX-WXX-2TNI"),
    # times of day
    ("3 p.m.", WED, None, "TIME", "2017-06-07T15:00"),
    ("10:35 a.m.", WED, None, "TIME", "2017-06-07T10:35"),
    ("noon", WED, None, "TIME", "2017-06-07T12:00"),
    ("midnight", WED, None, "TIME", "2017-06-07T24:00"),
    ("1430 GMT", WED, None, "TIME", "2017-06-07T14:30"),
    ("10 p.m. Tuesday", WED, "past", "TIME", "2017-06-06T22:00"),
    ("Tuesday morning", WED, "past", "TIME", "2017-06-06TMO"),
    ("tonight", WED, None, "TIME", "2017-06-07TNI"),
    ("this morning", WED, None, "TIME", "2017-06-07TMO"),
    ("last night", WED, None, "TIME", "2017-06-06TNI"),
    ("yesterday afternoon", WED, None, "TIME", "2017-06-06TAF"),
    ("mid-afternoon yesterday", WED, None, "TIME", "2017-06-06TAF"),
    # holidays
    ("Christmas", WED, "past", "DATE", "2016-12-25"),
    ("Thanksgiving Day", WED, "future", "DATE", "2017-11-23"),
    ("New Year's Day 2018", WED, None, "DATE", "2018-01-01"),
    ("Election Day", dt.date(2016, 10, 1), "future", "DATE", "2016-11-08"),
]


@pytest.mark.parametrize(("expression", "dct", "tense", "kind", "value"), NORMALISATION,
                         ids=[f"{c[0]}|{c[1]}|{c[2]}" for c in NORMALISATION])
def test_normalize_timex(expression, dct, tense, kind, value):
    assert normalize_timex(expression, dct, tense=tense) == (kind, value)
    assert is_valid_timex3_value(value)


def test_normalisation_table_is_large_and_covers_every_type():
    assert len(NORMALISATION) >= 80
    assert {case[3] for case in NORMALISATION} == {"DATE", "TIME", "DURATION", "SET"}


@pytest.mark.parametrize("expression", [
    "", "   ", "hello world", "the may be", "The report said", "12345", "3/4", "$1,998",
    "per cent", "a", "March forward", "future contracts",
])
def test_normalize_timex_finds_nothing(expression):
    assert normalize_timex(expression, WED) is None


@pytest.mark.parametrize(("value", "valid"), [
    ("2017-06-06", True), ("2017-06", True), ("2017", True), ("199", True), ("19", True),
    ("2017-W23", True), ("2017-W23-WE", True), ("2017-Q2", True), ("2017-H1", True),
    ("2017-SU", True), ("P6Y", True), ("P1D", True), ("PXD", True), ("PT1H30M", True),
    ("P2Y6M", True), ("PTXH", True), ("PAST_REF", True), ("PRESENT_REF", True),
    ("FUTURE_REF", True), ("XXXX-WXX-2", True), ("XXXX-WXX-2TNI", True),
    ("2017-06-06TEV", True), ("1998-08-07T14:30", True), ("2017-06-07T24:00", True),
    ("1998-XX-XX", True), ("", False), ("2017-13", False), ("2017-06-32", False),
    ("2017-W54", False), ("P", False), ("PT", False), ("P6", False), ("yesterday", False),
    ("2017-06-06T25:00", False), ("2017-Q5", False), (None, False), (2017, False),
])
def test_timex3_validator(value, valid):
    assert is_valid_timex3_value(value) is valid
    if valid:
        assert TIMEX3_VALUE.fullmatch(value)


# (sentence, DCT, expected (text, type, value) in order)
SENTENCES = [
    ("The ministry said on Friday that exports rose 5% last year.", WED,
     [("Friday", "DATE", "2017-06-02"), ("last year", "DATE", "2016")]),
    ("The six-year-old war has killed thousands in recent weeks.", WED,
     [("six-year", "DURATION", "P6Y"), ("recent weeks", "DATE", "PAST_REF")]),
    ("Talks will resume Friday and could last for three weeks.", WED,
     [("Friday", "DATE", "2017-06-09"), ("three weeks", "DURATION", "P3W")]),
    ("Officials met Tuesday morning and again at 3 p.m.", WED,
     [("Tuesday morning", "TIME", "2017-06-06TMO"), ("3 p.m.", "TIME", "2017-06-07T15:00")]),
    ("Profit in the third quarter fell 12% from a year earlier.", dt.date(2017, 10, 20),
     [("the third quarter", "DATE", "2017-Q3"), ("a year earlier", "DATE", "2016-Q3")]),
    ("Shares closed higher yesterday, and the index is now up 4% this month.", WED,
     [("yesterday", "DATE", "2017-06-06"), ("now", "DATE", "PRESENT_REF"),
      ("this month", "DATE", "2017-06")]),
    ("He was born on Feb. 29, 2016 and the family moves every year.", WED,
     [("Feb. 29, 2016", "DATE", "2016-02-29"), ("every year", "SET", "P1Y")]),
    ("The 44-year-old driver was arrested two days later.", WED,
     [("two days", "DURATION", "P2D")]),
    ("The company was founded in the 1990s and currently employs 300 people.", WED,
     [("the 1990s", "DATE", "199"), ("currently", "DATE", "PRESENT_REF")]),
    ("Prices may fall in the spring, analysts said Monday.", WED,
     [("the spring", "DATE", "2018-SP"), ("Monday", "DATE", "2017-06-05")]),
    ("The truce held overnight and talks resume tomorrow.", WED,
     [("tomorrow", "DATE", "2017-06-08")]),
    ("May said the vote would come in May.", WED,
     [("May", "DATE", "2017-05")]),
    ("The plant, which makes 2000 cars a year, opened in 1987.", WED,
     [("a year", "SET", "P1Y"), ("1987", "DATE", "1987")]),
    ("Sales in February rose 5% from the same month last year.", dt.date(2017, 3, 10),
     [("February", "DATE", "2017-02"), ("the same month last year", "DATE", "2016-02")]),
    ("The well pumps 500 barrels a day, up from 300 a year before.", WED,
     [("a day", "SET", "P1D"), ("a year before", "DATE", "2016")]),
    ("Analysts expect a drop in the second half of a two-week period.", WED,
     [("two-week", "DURATION", "P2W")]),
]


@pytest.mark.parametrize(("sentence", "dct", "expected"), SENTENCES,
                         ids=[s[0][:40] for s in SENTENCES])
def test_tag_timexes_spans_without_model(sentence, dct, expected):
    found = tag_timexes(sentence, dct)
    assert [(t.text, t.type, t.value) for t in found] == expected
    for timex in found:
        assert sentence[timex.start:timex.end] == timex.text


def test_tag_timexes_returns_timex_records():
    (timex,) = tag_timexes("They left last week.", WED)
    assert timex == Timex(10, 19, "last week", "DATE", "2017-W22", True)
    absolute = tag_timexes("They left in 1998.", WED)[0]
    assert absolute.anchored is False


def test_datetime_dct_is_accepted():
    found = tag_timexes("It happened yesterday.", dt.datetime(2017, 6, 7, 18, 30))
    assert [(t.text, t.value) for t in found] == [("yesterday", "2017-06-06")]


def test_without_dct_absolute_values_stay_and_relative_ones_are_underspecified():
    found = tag_timexes("On Jan. 5, 2017 and in 1998 and last week and on Friday for two "
                        "days; now every week, tonight.", None)
    got = {t.text: (t.type, t.value, t.anchored) for t in found}
    assert got["Jan. 5, 2017"] == ("DATE", "2017-01-05", False)
    assert got["1998"] == ("DATE", "1998", False)
    assert got["last week"] == ("DATE", "XXXX-WXX", True)
    assert got["Friday"] == ("DATE", "XXXX-WXX-5", True)
    assert got["two days"] == ("DURATION", "P2D", False)
    assert got["now"] == ("DATE", "PRESENT_REF", False)
    assert got["every week"] == ("SET", "P1W", False)
    assert got["tonight"] == ("TIME", "XXXX-XX-XXTNI", True)
    words = {t.text: t.relative for t in found}
    assert words["last week"] == "the week before publication"
    assert words["tonight"] == "night of the day of publication"
    assert words["Jan. 5, 2017"] is None and words["now"] is None


# (sentence, expression, underspecified value, words) for texts without a DCT
WITHOUT_DCT = [
    ("They met yesterday.", "yesterday", "XXXX-XX-XX", "the day before publication"),
    ("He left two days ago.", "two days ago", "XXXX-XX-XX", "two days before publication"),
    ("They will meet next week.", "next week", "XXXX-WXX", "the week after publication"),
    ("Sales fell last year.", "last year", "XXXX", "the year before publication"),
    ("It ends tomorrow at 3 p.m.", "tomorrow at 3 p.m.", "XXXX-XX-XXT15:00",
     "15:00 on the day after publication"),
    ("The talks resumed on Thursday.", "Thursday", "XXXX-WXX-4",
     "Thursday, within the week before the unknown publication date"),
    ("The talks will resume on Thursday.", "Thursday", "XXXX-WXX-4",
     "Thursday, within the week after the unknown publication date"),
    ("Talks on Thursday.", "Thursday", "XXXX-WXX-4",
     "Thursday, within a week of the unknown publication date"),
    ("Aug 04", "Aug 04", "XXXX-08-04", "4 August, within a year of the unknown publication date"),
    ("The plant opened in August.", "August", "XXXX-08",  # past-tense window: 10 back, 2 on
     "August, within a year of the unknown publication date"),
    ("He was hurt in January and died the next day.", "the next day", "XXXX-XX-XX",
     "the next day: relative to an earlier time of the text, not resolved"),  # a month: no day
    ("Profit rose in the third quarter.", "the third quarter", "XXXX-Q3",
     "the third quarter, within the year before the unknown publication date"),
]


@pytest.mark.parametrize(("sentence", "text", "value", "words"), WITHOUT_DCT,
                         ids=[c[0] for c in WITHOUT_DCT])
def test_without_dct_values_keep_only_what_the_text_says(sentence, text, value, words):
    found = {t.text: t for t in tag_timexes(sentence, None)}
    timex = found[text]
    assert (timex.value, timex.relative, timex.anchored) == (value, words, True)
    assert is_valid_timex3_value(timex.value)


def test_without_dct_no_probe_date_leaks():
    text = ("They met yesterday and on Thursday; next week, last month, this year, two days "
            "ago, tonight, at 3 p.m., in August, on Aug 4, at Christmas, last summer, this "
            "weekend, early next year and the third quarter are all relative.")
    found = tag_timexes(text, None)
    assert len(found) >= 12
    for timex in found:
        assert timex.value is None or timex.value.startswith("XXXX"), timex  # no year
        assert timex.relative, timex


def test_normalize_timex_without_dct():
    assert normalize_timex("March 3, 2001", None) == ("DATE", "2001-03-03")
    assert normalize_timex("yesterday", None) == ("DATE", None)


def test_reference_time_anchors_later_expressions():
    text = "The deal closed on March 3, 1998. Later that year the firm moved."
    found = tag_timexes(text, WED)
    assert [(t.text, t.value) for t in found] == [("March 3, 1998", "1998-03-03"),
                                                  ("Later that year", "1998")]


# A date anchors "the next day" and the like only from the same or the previous sentence.
ANCHORING = [
    ("He was arrested on March 3, 2004. The next day he was released.", "The next day",
     "2004-03-04", None),
    ("He was arrested on March 3, 2004 and freed the next morning.", "the next morning",
     "2004-03-04TMO", None),
    ("He was arrested on March 3, 2004. Police said little. Neighbours were shocked. The "
     "next day he was released.", "The next day", "XXXX-XX-XX",
     "the next day: relative to an earlier time of the text, not resolved"),
    # without a DCT "Monday" is undated, but it is the frame: not "May 2, 1990"
    ("The firm was founded on May 2, 1990. Its staff were sacked on Monday and the next "
     "day they marched.", "the next day", "XXXX-WXX-2",
     "the next day: relative to an earlier, undated time of the text"),
    ("The firm was founded on May 2, 1990. Its staff were sacked on Monday and left the "
     "following week.", "the following week", "XXXX-WXX",
     "the following week: relative to an earlier, undated time of the text"),
    ("The firm was founded on May 2, 1990. Its staff were sacked. Police came. Two years "
     "later, they marched.", "Two years later", "XXXX",
     "two years later: relative to an earlier, undated time of the text"),
    ("In March, the firm got an offer. It also weighed a sale. A fund urged it to act.\n"
     "The following month, it put itself up for sale.", "The following month", "2004-04",
     None),  # a month frames a stretch of narrative, not only the next sentence
]


@pytest.mark.parametrize(("text", "expression", "value", "words"), ANCHORING,
                         ids=[c[0][:40] for c in ANCHORING])
def test_anaphora_anchor_only_on_a_close_date(text, expression, value, words):
    found = {t.text: t for t in tag_timexes(text, dt.date(2004, 12, 1))}
    if "May 2, 1990" in text:  # without a DCT
        found = {t.text: t for t in tag_timexes(text, None)}
    timex = found[expression]
    assert (timex.value, timex.relative, timex.anchored) == (value, words, True)


def test_a_date_mentioned_sentences_earlier_does_not_anchor_the_morning():
    text = ("She vanished the day before Christmas 2002, and the country followed the case. "
            "In January, a judge moved the trial. It lasted months. The jurors spent the "
            "morning deliberating, and then announced at 11:30 a.m. they had decided.")
    found = {t.text: t for t in tag_timexes(text, None)}
    assert found["Christmas 2002"].value == "2002-12-25"
    assert (found["the morning"].value, found["the morning"].relative) == (
        "XXXX-XX-XXTMO", "morning of the day of publication")
    assert found["11:30 a.m."].relative == "11:30 on the day of publication"
    dated = {t.text: t.value for t in tag_timexes(text, dt.date(2004, 12, 13))}
    assert dated["the morning"] == "2004-12-13TMO" and dated["11:30 a.m."] == "2004-12-13T11:30"


def test_the_same_day_as_an_event_is_not_the_last_date():
    text = "Date: July 25, 2003\nThe hearing is the same day as the opening game."
    found = {t.text: t for t in tag_timexes(text, dt.date(2003, 7, 25))}
    assert (found["the same day"].value, found["the same day"].relative) == (
        "XXXX-XX-XX", "the same day as the event named after it")


def test_that_day_far_from_any_date_is_not_tagged():
    text = ("Prices fell on March 3, 2004. Traders sold. Dealers bought. You get a news item "
            "and strong redemptions that day.")
    assert [t.text for t in tag_timexes(text, dt.date(2004, 12, 1))] == ["March 3, 2004"]
    close = "Prices fell on March 3, 2004. Dealers lost money that day."
    assert [t.value for t in tag_timexes(close, dt.date(2004, 12, 1))] == ["2004-03-03",
                                                                          "2004-03-03"]


def test_windowed_scan_finds_what_a_full_scan_finds():
    cut = "1" + "0" * 38 + ":1000S"  # a window of another anchor ends inside "1000S"
    for text in [s[0] for s in SENTENCES] + [c[0] for c in NORMALISATION] + [cut]:
        assert _windowed(text) == _full_scan(text), text


def _full_scan(text):
    from analystkit.timex.rules import rule_set

    return {(m.start(), m.end(), rule.order) for rule in rule_set().rules
            for m in rule.pattern.finditer(text) if m.end() > m.start()}


def _windowed(text):
    from analystkit.timex.engine import _candidates

    return {(c[0], c[1], c[2]) for c in _candidates(text)}


def test_ages_are_not_durations():
    assert tag_timexes("A 6-year-old boy and his 37-year-old father, 52 years old.", WED) == []


def test_bad_inputs_do_not_raise():
    assert tag_timexes("", WED) == []
    assert tag_timexes("Friday", "2017-06-07") == [  # a string DCT is ignored, not parsed
        Timex(0, 6, "Friday", "DATE", "XXXX-WXX-5", True,
              "Friday, within a week of the unknown publication date")]
    assert normalize_timex(None, WED) is None  # type: ignore[arg-type]
    assert normalize_timex("Friday", "not a date") == ("DATE", None)  # type: ignore[arg-type]
    assert normalize_timex("tomorrow", dt.date.max) is None  # beyond the calendar: no value
    assert normalize_timex("yesterday", dt.date.min) is None


@pytest.fixture(scope="module")
def nlp():
    try:
        return analystkit.load_model()
    except analystkit.ModelNotFoundError as exc:
        pytest.skip(f"no spaCy model: {exc}")


# (sentence, text of the weekday, expected value) with DCT = WED (2017-06-07)
TENSED = [
    ("The minister resigned on Friday after a long dispute.", "Friday", "2017-06-02"),
    ("The minister will resign on Friday, aides say.", "Friday", "2017-06-09"),
    ("The court is expected to rule Friday on the appeal.", "Friday", "2017-06-09"),
    ("Police said Monday that the suspect had fled.", "Monday", "2017-06-05"),
    ("The vote has been postponed until Monday.", "Monday", "2017-06-12"),
    ("Friday's vote was marred by violence.", "Friday", "2017-06-02"),
    # past tense: the last such day, also for verbs that can move dates ("extend")
    ("China extended an apology Tuesday to its neighbour.", "Tuesday", "2017-06-06"),
    ("The deadline was extended until Tuesday.", "Tuesday", "2017-06-13"),
]


@pytest.mark.model
@pytest.mark.parametrize(("sentence", "word", "value"), TENSED, ids=[t[0][:30] for t in TENSED])
def test_weekday_tense_from_the_parse(nlp, sentence, word, value):
    found = tag_timexes(sentence, WED, doc=nlp(sentence))
    assert [(t.text, t.value) for t in found] == [(word, value)]


@pytest.mark.model
def test_doc_of_another_text_is_ignored(nlp):
    text = "He will arrive Friday."
    found = tag_timexes(text, WED, doc=nlp("Something else entirely."))
    assert [(t.text, t.value) for t in found] == [("Friday", "2017-06-09")]


@pytest.mark.model
def test_model_and_no_model_give_the_same_spans(nlp):
    text = ("Exports rose 4% in the first quarter from a year earlier, the ministry said on "
            "Tuesday. Shipments will resume next month, and a new plant opens in 2019.")
    with_doc = tag_timexes(text, WED, doc=nlp(text))
    without = tag_timexes(text, WED)
    assert [(t.start, t.end) for t in with_doc] == [(t.start, t.end) for t in without]
    assert [t.value for t in with_doc] == ["2017-Q1", "2016-Q1", "2017-06-06", "2017-07",
                                           "2019"]


TEMPORAL_WORDS = [
    "Friday", "Jan.", "January", "May", "March", "5", "2017", "1998", "31", "29", "last",
    "next", "this", "week", "weeks", "month", "year", "years", "ago", "later", "earlier", "the",
    "a", "an", "two", "twenty-four", "1/2", "and", "half", "day", "days", "now", "recent",
    "recently", "every", "each", "daily", "p.m.", "noon", "3", "10:35", "GMT", "tonight",
    "morning", "quarter", "third-quarter", "fiscal", "1990s", "'80s", "century", "-", "/",
    ",", ".", "'s", "six-year-old", "-old", "until", "since", "in", "on", "of", "yesterday",
    "Tuesday", "nights", "Christmas", "summer", "fall", "early", "late", "mid-", "more than",
    "nineteen", "ninety-six", "the past", "future", "\n", "  ", "é", "İ", "\u00a0",
]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_normalize_timex_never_raises_on_any_text(text):
    _check_normalized(normalize_timex(text, WED))
    _check_normalized(normalize_timex(text, LEAP, tense="past"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TEMPORAL_WORDS), max_size=12),
       st.sampled_from(["past", "present", "future", None]),
       st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_normalize_timex_never_raises_on_temporal_words(words, tense, dct):
    _check_normalized(normalize_timex(" ".join(words), dct, tense=tense))


def _check_normalized(result):
    assert result is None or (isinstance(result, tuple) and len(result) == 2)
    if result is not None:
        kind, value = result
        assert kind in {"DATE", "TIME", "DURATION", "SET"}
        assert value is None or is_valid_timex3_value(value)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(TEMPORAL_WORDS), max_size=25).map(
    " ".join)), st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1),
                                               max_value=dt.date(9999, 12, 31))))
def test_tag_timexes_spans_are_sound(text, dct):
    assert _windowed(text) == _full_scan(text)
    found = tag_timexes(text, dct)
    previous_end = 0
    for timex in found:
        assert 0 <= timex.start < timex.end <= len(text)
        assert timex.start >= previous_end
        assert text[timex.start:timex.end] == timex.text
        assert timex.type in {"DATE", "TIME", "DURATION", "SET"}
        assert timex.value is None or is_valid_timex3_value(timex.value)
        previous_end = timex.end


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The fallout could change the course of the six-year-old Syrian civil war.",
     [("six-year", "DURATION", "P6Y")]),
    ("The incident comes a day after the group warned.", [("a day", "DURATION", "P1D")]),
    ("A six-year-old Syrian boy was hurt.", []),
])
def test_age_and_relative_day_edge_cases(sentence, expected):
    found = [(t.text, t.type, t.value) for t in tag_timexes(sentence, dt.date(2017, 6, 8))]
    assert found == expected


# ------------------------------------------------------------------ numbers that are not years

@pytest.mark.parametrize("sentence", [
    "For help call 1800 100 188 or 1300 555 000.",
    "The army sent 1500 troops and 1200 police.",
    "About 1,800 people and 2,000 others fled.",
    "The 1850 delegates voted.",
    "Reference 1066 4410 was filed.",
    "Upgrade from Windows 2000 to SQL Server 2005; asteroid Asteroid 2004 MN4.",
    "Trades are entered by 1000 London time.",
    "The asteroid 2004 MN4 will pass.",
])
def test_numbers_that_are_not_years(sentence):
    assert [t for t in tag_timexes(sentence, WED) if t.type == "DATE"] == []


@pytest.mark.parametrize(("sentence", "years"), [
    ("The war of 1812 ended in 1815.", ["1812", "1815"]),
    ("Prices doubled from 1848 to 1850.", ["1848", "1850"]),
    ("The firm was founded in 1998 and listed in 2004.", ["1998", "2004"]),
    ("Since 1870 the town has grown.", ["1870"]),
    ("A 1996 law and the 2005 release passed.", ["1996", "2005"]),
    ("Imports hit a record, raising the U.S. 1987 total; French 1986/87 wheat fell.",
     ["1987", "1986"]),
    ("NOTE: 1986 12 mths net excludes gains.", ["1986", "P12M"]),
])
def test_years_with_evidence(sentence, years):
    assert [t.value for t in tag_timexes(sentence, WED)] == years


# ------------------------------------------------------------------- numeric date conventions

def test_numeric_date_order_from_the_reference_date():
    assert numeric_date_order("Dated 02/12/2004.", dct=dt.date(2004, 12, 2))[0] == "dmy"
    assert numeric_date_order("Dated 12/02/2004.", dct=dt.date(2004, 12, 2))[0] == "mdy"
    found = tag_timexes("Dated 02/12/2004.", dt.date(2004, 12, 2))
    assert [(t.text, t.value, t.relative) for t in found] == [
        ("02/12/2004", "2004-12-02", None)]


def test_numeric_date_order_from_unambiguous_dates():
    assert numeric_date_order("From 03/04/2004 to 25/04/2004.") == (
        "dmy", "unambiguous date '25/04/2004'")
    assert numeric_date_order("From 03/04/2004 to 04/25/2004.")[0] == "mdy"
    found = tag_timexes("From 03/04/2004 to 25/04/2004.", None)
    assert [t.value for t in found] == ["2004-04-03", "2004-04-25"]


def test_numeric_date_order_unknown_keeps_both_readings():
    assert numeric_date_order("On 03/04/2004.") == (None, "no evidence")
    order, why = numeric_date_order("On 25/04/2004 and 04/25/2004.")
    assert order is None and why.startswith("conflicting")
    (timex,) = tag_timexes("On 03/04/2004.", WED)
    assert (timex.value, timex.relative) == (
        "2004-XX-XX", "3 April or 4 March 2004 (day-month order unknown)")


def test_outlet_hint_only_without_evidence_in_the_text():
    assert numeric_date_order("On 03/04/2004.", hint="dmy") == ("dmy", "the outlet's convention")
    assert numeric_date_order("On 03/04/2004 and 04/25/2004.", hint="dmy")[0] == "mdy"
    found = tag_timexes("On 03/04/2004.", WED, date_order="mdy")
    assert [t.value for t in found] == ["2004-03-04"]


def test_related_links_line_has_a_two_digit_year():
    found = tag_timexes("Related: Talks resume (01 Aug 04 | Business ) and Aug 04.", None)
    assert [(t.text, t.value) for t in found] == [("01 Aug 04", "2004-08-01"),
                                                  ("Aug 04", "XXXX-08-04")]


def test_dotted_and_dashed_dates_need_four_digit_years():
    found = tag_timexes("Filed 26.11.2004 16:43, revised 18-11-2004; version 3.5.12.", None)
    assert [(t.text, t.value) for t in found] == [("26.11.2004", "2004-11-26"),
                                                  ("18-11-2004", "2004-11-18")]


# --------------------------------------------------------------------------------------------
# Long texts (issue 8): the faster selection and the once-scanned candidates change no result


def _select_by_scan(found, ctx):
    """The selection as a scan of every span taken (the quadratic reference)."""
    from analystkit.timex.context import _Context, _Reject
    from analystkit.timex.engine import _handler

    found = sorted(found, key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken, chosen = [], []
    probe = _Context(text=ctx.text, dct=ctx.dct, doc=ctx.doc, date_order=ctx.date_order)
    for start, end, _order, name, match in found:
        if any(start < b and a < end for a, b in taken):
            continue
        try:
            _handler(name)(match, probe)
        except _Reject:
            continue
        except Exception:
            pass
        taken.append((start, end))
        chosen.append((start, end, name, match))
    return sorted(chosen, key=lambda c: c[0])


# Phrases whose candidates nest ("2017" in "Jan. 5, 2017", "two days" in "two days ago").
TEMPORAL_PHRASES = [
    "Jan. 5, 2017", "two days ago", "the third quarter of 1998", "10:35 p.m. GMT on Friday",
    "last week", "a year earlier", "in the 1990s", "next month", "March 31", "each day",
    "six-year-old", "until Tuesday night", "the past five years", "early summer", "said",
]


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(TEMPORAL_WORDS), max_size=40).map(" ".join),
                 st.lists(st.sampled_from(TEMPORAL_PHRASES), max_size=12).map(", ".join)),
       st.one_of(st.none(), st.just(WED), st.just(LEAP)))
def test_select_bisect_equals_a_scan_of_every_span_taken(text, dct):
    from analystkit.timex.context import _Context
    from analystkit.timex.engine import _candidates, _select

    ctx = _Context(text=text, dct=dct, doc=None)
    found = _candidates(text)
    expected = [c[:3] for c in _select_by_scan(list(found), ctx)]
    assert [c[:3] for c in _select(list(found), ctx)] == expected


def test_probes_share_the_candidates_scan():
    from analystkit.timex.engine import _candidates, _tag
    from analystkit.timex.undated import _PROBES

    text = ("Sales rose on Monday, the day after the vote. A year earlier, in the third "
            "quarter, they fell; next month and on Aug. 4 the board meets again. ") * 3
    candidates = _candidates(text)
    for probe in _PROBES:
        assert _tag(text, probe, None, candidates=candidates) == _tag(text, probe, None)
    assert len(candidates) == len(_candidates(text))  # the shared list is not consumed


# Extents as TimeML draws them (issue 13): (sentence, DCT, expected (text, type, value)).
EXTENTS = [
    # a weekday and the date it names are one expression
    ("The mayor resigned on Tuesday, March 7, after the vote.", WED,
     [("Tuesday, March 7", "DATE", "2017-03-07")]),
    ("Polls close Sunday June 11 in most towns.", WED,
     [("Sunday June 11", "DATE", "2017-06-11")]),
    ("The race is on Saturday, 10 June.", WED, [("Saturday, 10 June", "DATE", "2017-06-10")]),
    # the determiner of a counted duration belongs to it
    ("Exports rose 4% in the six months to March.", WED,
     [("the six months", "DURATION", "P6M"), ("March", "DATE", "2017-03")]),
    ("The strikers held out for the 12 weeks of the dispute.", WED,
     [("the 12 weeks", "DURATION", "P12W")]),
    # ... but not the determiner of the noun a hyphenated quarter modifies
    ("The fourth-quarter deficit was smaller than the third-quarter one.",
     dt.date(2017, 2, 1), [("fourth-quarter", "DATE", "2016-Q4"),
                           ("third-quarter", "DATE", "2016-Q3")]),
    ("Orders in the fourth quarter doubled.", dt.date(2017, 2, 1),
     [("the fourth quarter", "DATE", "2016-Q4")]),
    # focus particles set no TIMEX3 mod: out of the span; bounds and approximations stay in
    ("The ferry stopped only four hours in port.", WED, [("four hours", "DURATION", "PT4H")]),
    ("The bridge opened just two years ago.", WED, [("two years ago", "DATE", "2015")]),
    ("The crew had barely a week to prepare.", WED, [("a week", "DURATION", "P1W")]),
    ("The truce must last no more than ninety days.", WED,
     [("no more than ninety days", "DURATION", "P90D")]),
    ("The envoy stayed nearly three weeks.", WED, [("nearly three weeks", "DURATION", "P3W")]),
    # "or so" approximates (mod APPROX): in the span
    ("The plant will stay shut for the next month or so.", WED,
     [("the next month or so", "DATE", "2017-07")]),
    ("The ship sank a decade or so ago.", WED, [("a decade or so ago", "DATE", "2007")]),
    # "last" before a bound is the verb: "to last [over a week]"
    ("The repairs will last over a week.", WED, [("over a week", "DURATION", "P1W")]),
    ("Prices rose in the last nearly four years.", WED,
     [("the last nearly four years", "DURATION", "P4Y")]),
    ("Repairs take three days or so.", WED, [("three days or so", "DURATION", "P3D")]),
    # a range of counts is one duration of an unknown number of units
    ("Repairs need two to three weeks.", WED, [("two to three weeks", "DURATION", "PXW")]),
    ("Delivery takes 10-14 days.", WED, [("10-14 days", "DURATION", "PXD")]),
    ("Rates will rise over the next 12 to 18 months.", WED,
     [("the next 12 to 18 months", "DURATION", "PXM")]),
    # after a modal or "to", "last" is the verb
    ("The hearing could last five days.", WED, [("five days", "DURATION", "P5D")]),
    ("Rents fell in the last five days.", WED, [("the last five days", "DURATION", "P5D")]),
    # "this past"
    ("Turnout fell this past spring.", WED, [("this past spring", "DATE", "2017-SP")]),
    ("Rains flooded the valley this past week.", WED, [("this past week", "DATE", "2017-W22")]),
    # "earlier"/"later" before a weekday relate an event to the day: out; "late" (END) in
    ("Earlier Monday, the court adjourned; late Monday it ruled.", WED,
     [("Monday", "DATE", "2017-06-05"), ("late Monday", "DATE", "2017-06-05")]),
    ("Later Tuesday morning the talks resumed.", WED,
     [("Tuesday morning", "TIME", "2017-06-06TMO")]),
    # "the end of" a year
    ("The mine closes at the end of 2019.", WED, [("the end of 2019", "DATE", "2019")]),
]


@pytest.mark.parametrize(("sentence", "dct", "expected"), EXTENTS,
                         ids=[s[0][:40] for s in EXTENTS])
def test_extents_follow_timeml(sentence, dct, expected):
    found = tag_timexes(sentence, dct)
    assert [(t.text, t.type, t.value) for t in found] == expected


# Numbers of price tables and clock times are not years (issue 13): no expression at all.
@pytest.mark.parametrize("text", [
    "ROTTERDAM SUGAR OPENING\n Aug 1140/1152 ba\n Oct 1171/1180 ba\n",
    "GRAIN CLOSE\n Jul 1312 1318 1320 1309   52\n Sep 1333 1340 nil\n",
    "Mar 1275      BID\n",
    "MAY8  1940L  1943H  1951\nJUL8  1962B  1966A  1970\n",
    "NOK  41.1984/2260  (41.2015/2290)",
    "Sessions run from 1045 to 1230 local time.",
    "Bids are taken between 1600 and 2030 hrs.",
    "STOCKS\n WEEK AGO 1,450   3,200\n YEAR AGO 2,100   3,900\n",
    "Output rose by 412,000 year on year.",
])
def test_table_cells_and_clock_times_are_not_dates(text):
    assert [(t.text, t.value) for t in tag_timexes(text, WED)] == []


@pytest.mark.parametrize(("text", "expected"), [
    # a day and month in a table's cells across a line break are not a date
    ("PRICES 14\n Sep 1290 1296 nil\n", []),
    # a date then a clock time in a message header keeps its year
    ("Sent: 12 June 2016 1745 Subj: budget", [("12 June 2016", "2016-06-12")]),
    # an old year needs a preposition, with or without a month
    ("The charter was sealed in June 1215.", [("June 1215", "1215-06")]),
    ("The abbey dates from 1132.", [("1132", "1132")]),
    # the day of a list of days keeps the year ("4,5,6 May 2016")
    ("The match was played on 4,5,6 May 2016.", [("6 May 2016", "2016-05-06")]),
    ("(C) COPYRIGHT 2016, ACME NEWS SERVICE, INC., 1200 MAIN STREET",
     [("2016", "2016")]),
    ("The quake struck at 0312 hours local time.", []),
    ("The auction closes at 1600 (1500 GMT).", [("1500 GMT", "2017-06-07T15:00")]),
    ("SUGAR - JUN 6\n Aug 1140/1152 ba\n", [("JUN 6", "2017-06-06")]),
    ("Workers lost 1,200 hours in the strike.", [("1,200 hours", "PT1200H")]),
])
def test_dates_near_tables_and_numbers(text, expected):
    assert [(t.text, t.value) for t in tag_timexes(text, WED)] == expected
