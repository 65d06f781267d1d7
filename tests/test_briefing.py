"""Tests for analystkit.briefing, entities.mentions_over_time and plots.mentions_over_time_chart:
hand-built frames and spacy.blank Docs (the model is not the point here)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import matplotlib
import pandas as pd
import pytest
import spacy
from spacy.tokens import Doc

from analystkit import briefing, entities, plots
from analystkit.corpus import Corpus, Document
from analystkit.pipeline import AnnotatedCorpus
from analystkit.schema import TABLES

matplotlib.use("Agg")

HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def _targets(rows: list[tuple]) -> pd.DataFrame:
    """statement_id, doc_id, sent_id, source_entity, target_entity, polarity_score, class."""
    frame = pd.DataFrame(rows, columns=["statement_id", "doc_id", "sent_id", "source_entity",
                                        "target_entity", "polarity_score", "quad_class"])
    frame["polarity"] = frame["polarity_score"].map(
        lambda s: None if pd.isna(s) else "negative" if s < -0.1 else "positive" if s > 0.1
        else "neutral")
    return frame.assign(target_start=None, target_end=None)


def _statements(rows: list[tuple]) -> pd.DataFrame:
    """statement_id, doc_id, sent_id, start_char, end_char, source, source_entity, resolution."""
    frame = pd.DataFrame(rows, columns=["statement_id", "doc_id", "sent_id", "start_char",
                                        "end_char", "source", "source_entity",
                                        "source_resolution"])
    return frame.assign(cue="said", content="it is so", goldstein=-4.0,
                        content_start=frame["start_char"], content_end=frame["end_char"])


def test_evidence_anchor_is_built_from_ids_only_and_safe_anywhere():
    assert briefing.evidence_anchor("wn-0001-0a1b2c3d", 7) == "ev-wn-0001-0a1b2c3d-7"
    anchor = briefing.evidence_anchor(HOSTILE, 3)
    assert re.fullmatch(r"ev-[A-Za-z0-9_-]+-3", anchor)
    with pytest.raises((TypeError, ValueError)):
        briefing.evidence_anchor("doc", "1; alert(1)")


def test_strongest_statements_rank_by_absolute_polarity_and_skip_unscored():
    targets = _targets([(0, "d-1", 0, "Iran", "Syria", -0.2, "verbal conflict"),
                        (1, "d-1", 2, None, "Iraq", 0.9, "verbal cooperation"),
                        (2, "d-2", 1, "Iran", "Iraq", -0.9, "verbal conflict"),
                        (3, "d-2", 4, "Iran", "Syria", None, "neutral")])
    statements = _statements([(0, "d-1", 0, 0, 5, "Tehran", "Iran", "named"),
                              (1, "d-1", 2, 10, 20, "officials", None, "unresolved"),
                              (2, "d-2", 1, 3, 9, "Iran", "Iran", "named"),
                              (3, "d-2", 4, 30, 40, "Iran", "Iran", "named")])
    out = briefing.strongest_statements(targets, statements, top_n=10)
    assert list(out.columns) == list(TABLES["strongest"].names)
    # |-0.9| ties |0.9|: the earlier statement first; the unscored pair is left out
    assert out["statement_id"].tolist() == [1, 2, 0] and out["rank"].tolist() == [1, 2, 3]
    assert out.loc[0, "source"] == "officials" and pd.isna(out.loc[0, "source_entity"])
    assert out.loc[1, "anchor"] == "ev-d-2-1"
    assert len(briefing.strongest_statements(targets, statements, top_n=1)) == 1
    assert briefing.strongest_statements(targets.iloc[3:], statements).empty
    weak = targets.assign(polarity_score=[0.05, -0.09, 0.1, None])
    assert briefing.strongest_statements(weak, statements)["statement_id"].tolist() == [2]
    assert len(briefing.strongest_statements(weak, statements, min_strength=0)) == 3


def test_strongest_statements_leave_out_neutral_reads_and_contents_that_only_name_the_target():
    targets = _targets([(0, "d", 0, "Iran", "Syria", -0.9, "verbal conflict"),
                        (1, "d", 1, "Iran", "John Reid", -0.9, "verbal conflict"),
                        (2, "d", 2, "Iran", "Iraq", -0.8, "verbal conflict")])
    targets.loc[0, "polarity"] = "neutral"  # the model's label: strong score, neutral read
    # statement 1's content is only its target's name ("accused Mr Reid" without its "of")
    targets.loc[1, ["target_start", "target_end"]] = [24, 31]
    statements = _statements([(0, "d", 0, 0, 10, "Iran", "Iran", "named"),
                              (1, "d", 1, 20, 31, "Iran", "Iran", "named"),
                              (2, "d", 2, 40, 60, "Iran", "Iran", "named")])
    statements.loc[1, ["content", "content_start", "content_end"]] = ["Mr Reid", 24, 31]
    out = briefing.strongest_statements(targets, statements)
    assert out["statement_id"].tolist() == [2]
    # with a claim besides the name, it is listed
    statements.loc[1, ["content", "content_end"]] = ["Mr Reid of a ban on eating", 50]
    assert briefing.strongest_statements(targets, statements)["statement_id"].tolist() == [1, 2]


def _annotated(texts: dict[str, list[str]]) -> AnnotatedCorpus:
    """Docs of whitespace-separated words; each list item is one sentence."""
    vocab = spacy.blank("en").vocab
    documents, docs = [], []
    for doc_id, sentences in texts.items():
        words, starts, spaces = [], [], []
        for sentence in sentences:
            for i, word in enumerate(sentence.split()):
                words.append(word)
                starts.append(i == 0)
                spaces.append(True)
        doc = Doc(vocab, words=words, spaces=spaces, sent_starts=starts)
        documents.append(Document(doc_id=doc_id, text=doc.text, title=doc_id))
        docs.append(doc)
    return AnnotatedCorpus(corpus=Corpus(documents=documents, manifest=pd.DataFrame()), docs=docs,
                          model="blank")


def test_evidence_quotes_whole_sentences_with_true_offsets_once_per_anchor():
    annotated = _annotated({"d-1": ["Tehran said it is so .", "Baghdad said no , " + HOSTILE,
                                    "Damascus agreed ."]})
    text = annotated.docs[0].text
    start = text.index("said no")
    targets = _targets([(0, "d-1", 1, "Iraq", "Iran", -0.8, "verbal conflict"),
                        (0, "d-1", 1, "Iraq", "Syria", -0.5, "verbal conflict"),
                        (1, "d-1", 0, "Iran", "Iraq", 0.2, "neutral")])
    statements = _statements([(0, "d-1", 1, start, start + 7, "Baghdad", "Iraq", "named"),
                              (1, "d-1", 0, 0, 11, "Tehran", "Iran", "named")])
    strongest = briefing.strongest_statements(targets, statements)
    quotes = briefing.evidence(strongest, statements, annotated)
    assert list(quotes.columns) == list(TABLES["evidence"].names)
    assert quotes["anchor"].tolist() == ["ev-d-1-1", "ev-d-1-0"]
    assert quotes["statements"].tolist() == ["1; 2", "3"]
    for row in quotes.itertuples():
        assert text[row.start_char:row.end_char] == row.text
    assert quotes.loc[0, "text"].startswith("Baghdad said no") and \
        quotes.loc[0, "text"].endswith("onerror=alert(2)>")
    page = briefing.evidence_html(quotes)
    assert '<a href="#st-1">1</a>; <a href="#st-2">2</a>' in page and "<img" not in page


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_statements_link_to_evidence_and_every_text_is_escaped():
    annotated = _annotated({HOSTILE: ["Tehran said it is so .", "Baghdad said no ."]})
    doc_id = HOSTILE
    targets = _targets([(0, doc_id, 1, None, HOSTILE, -0.8, "verbal conflict")])
    statements = _statements([(0, doc_id, 1, 23, 30, HOSTILE, None, "unresolved")])
    statements["content"] = HOSTILE
    strongest = briefing.strongest_statements(targets, statements)
    quotes = briefing.evidence(strongest, statements, annotated)
    labels = {doc_id: HOSTILE}
    page = briefing.statements_html(strongest, labels=labels) + briefing.evidence_html(
        quotes, labels=labels)
    parser = _Collect()
    parser.feed(page)
    tags = {tag for tag, _ in parser.tags}
    assert "script" not in tags and "img" not in tags
    hrefs = [a["href"] for tag, a in parser.tags if tag == "a"]
    ids = [a["id"] for tag, a in parser.tags if tag == "li"]
    rows = [a["id"] for tag, a in parser.tags if tag == "tr" and "id" in a]
    assert hrefs == ["#" + ids[0], "#st-1"] and rows == ["st-1"]
    assert re.fullmatch(r"ev-[A-Za-z0-9_-]+-1", ids[0])
    assert "not a known" in page and "sentence 1" in page


def test_key_actors_join_tone_and_say_it_in_words():
    frequency = pd.DataFrame({"entity_id": ["us", "iran", "x"],
                              "canonical": ["United States", "Iran", "X"],
                              "label": ["GPE", "GPE", "ORG"], "mentions": [9, 4, 1],
                              "documents": [3, 2, 1]})
    tone = pd.DataFrame({"entity_id": ["iran", "us"], "negative": [3, 1], "neutral": [1, 1],
                         "positive": [0, 1], "mean_polarity": [-0.75, 0.0]})
    out = briefing.key_actors(frequency, tone, top_n=3)
    assert list(out.columns) == list(TABLES["actors"].names)
    assert out["tone"].tolist() == ["mixed", "mostly negative", "not scored"]
    assert out.loc[2, ["negative", "neutral", "positive"]].tolist() == [0, 0, 0]
    assert pd.isna(out.loc[2, "mean_polarity"])
    assert len(briefing.key_actors(frequency, tone, top_n=1)) == 1


def test_unresolved_counts_every_reason_and_sources_as_written():
    timeline = pd.DataFrame({"precision": ["day", "vague", "undated", "undated", "relative"]})
    statements = _statements([(0, "d", 0, 0, 1, "officials", None, "unresolved"),
                              (1, "d", 1, 0, 1, "Officials ", None, "unresolved"),
                              (2, "e", 0, 0, 1, "he", "Iran", "previous mention"),
                              (3, "e", 1, 0, 1, "Iran", "Iran", "named")])
    out = briefing.unresolved(timeline, statements)
    assert list(out.columns) == list(TABLES["unresolved"].names)
    assert out["count"].tolist() == [1, 1, 2, 2, 1]
    assert out["total"].tolist() == [5, 5, 5, 4, 4] and out.loc[2, "percent"] == 40
    empty = briefing.unresolved(timeline.iloc[:0], statements.iloc[:0])
    assert empty["count"].sum() == 0 and empty["percent"].sum() == 0
    sources = briefing.unresolved_sources(statements)
    assert sources.to_dict("records") == [{"source": "officials", "statements": 2,
                                           "documents": 1, "evidence": "d:0"}]


def test_corpus_facts_say_the_date_span_or_that_there_is_none():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "n_words": [10, 20, 30],
                         "date": pd.to_datetime(["2004-05-24", None, "2004-06-02"])})
    facts = briefing.corpus_facts(docs, model="m 1.0", options={"polarity": "lexicon"})
    values = dict(zip(facts["item"], facts["value"], strict=True))
    assert values["Words"] == "60" and values["Language model"] == "m 1.0"
    assert values["Publication dates"] == "2004-05-24 to 2004-06-02 (2 of 3 documents dated)"
    assert "lexicon" in values["Options"]
    undated = briefing.corpus_facts(docs.assign(date=pd.NaT), model="m")
    assert undated["value"].tolist()[2].startswith("none")
    assert "Options" not in undated["item"].tolist()


def _mentions(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["doc_id", "entity_id"]).assign(
        canonical=lambda f: f["entity_id"].str.title())


def test_over_time_period_follows_the_span_and_the_number_of_documents():
    week = [f"2004-05-{day:02d}" for day in range(3, 10)]
    assert entities.over_time_period(week) == "D"  # a document a day
    assert entities.over_time_period(week[::3] + [None]) == "W"  # fewer documents than days
    assert entities.over_time_period(["2004-05-01", "2004-05-30"]) == "M"
    weekly = pd.date_range("2004-01-05", "2005-06-27", freq="W-MON")
    assert entities.over_time_period(weekly) == "W"
    assert entities.over_time_period(list(weekly) * 2 + [pd.Timestamp("2006-03-01")]) == "M"
    assert entities.over_time_period(list(pd.date_range("2004-01-01", "2004-03-31")) * 2) \
        == "W"  # daily, but longer than two months
    assert entities.over_time_period([]) == "D"


def test_mentions_over_time_fills_every_period_and_skips_undated_documents():
    documents = pd.DataFrame({"doc_id": ["a", "b", "c", "u"],
                              "date": pd.to_datetime(["2004-05-03", "2004-05-05",
                                                      "2004-05-19", None])})
    mentions = _mentions([("a", "iran"), ("a", "iran"), ("b", "iraq"), ("c", "iran"),
                          ("u", "syria"), ("u", "syria"), ("u", "syria")])
    out = entities.mentions_over_time(mentions, documents, top_n=5, freq="W")
    assert list(out.columns) == list(TABLES["mentions_over_time"].names)
    assert out["entity_id"].drop_duplicates().tolist() == ["iran", "iraq"]  # syria: undated
    iran = out[out["entity_id"] == "iran"]
    assert iran["period_start"].dt.strftime("%Y-%m-%d").tolist() == [
        "2004-05-03", "2004-05-10", "2004-05-17"]  # Mondays; the empty week kept at zero
    assert iran["period_end"].dt.strftime("%a").unique().tolist() == ["Sun"]
    assert iran["mentions"].tolist() == [2, 0, 1] and iran["documents"].tolist() == [1, 0, 1]
    assert iran["published"].tolist() == [2, 0, 1] and set(out["period"]) == {"week"}
    daily = entities.mentions_over_time(mentions, documents, top_n=1, freq="D")
    assert set(daily["period"]) == {"day"} and len(daily) == 17
    chosen = entities.mentions_over_time(mentions, documents, top_n=1)
    assert set(chosen["period"]) == {"week"}  # 3 documents over 17 days: per week
    assert entities.mentions_over_time(mentions, documents.assign(date=pd.NaT), top_n=3).empty
    nobody = entities.mentions_over_time(mentions.iloc[:0], documents, top_n=3)
    assert nobody.empty and list(nobody.columns) == list(TABLES["mentions_over_time"].names)
    assert entities.mentions_over_time(mentions[mentions["doc_id"] == "u"], documents).empty
    with pytest.raises(ValueError, match="freq"):
        entities.mentions_over_time(mentions, documents, freq="Y")


def test_mentions_over_time_chart_labels_its_axes_and_says_what_is_left_out():
    documents = pd.DataFrame({"doc_id": ["a", "b", "u", "v", "w"],
                              "date": pd.to_datetime(["2004-05-03", "2004-06-20", None, None,
                                                      None])})
    mentions = _mentions([("a", "iran"), ("b", "iran"), ("b", "iraq")])
    frame = entities.mentions_over_time(mentions, documents, top_n=5, freq="D")
    ax = plots.mentions_over_time_chart(frame, documents=documents, title="Over time")
    assert ax.get_title() == "Over time" and ax.get_ylabel() == "Mentions per day"
    assert ax.get_xlabel() == "Publication date (per day)"
    assert len(ax.get_lines()) == 2
    caption = plots.caption_of(ax)
    assert "3 documents without a publication date are not counted" in caption
    assert "2004-05-03 to 2004-06-20" in caption
    assert ax.figure.get_figwidth() <= plots.MAX_WIDTH_INCHES
    with pytest.raises(ValueError, match="publication date"):
        plots.mentions_over_time_chart(frame.iloc[:0])
    matplotlib.pyplot.close("all")


def test_briefing_docstring_lists_the_declared_columns():
    from test_schema import _documented_columns

    for row, table in (("actors", "actors"), ("strongest", "strongest"),
                       ("evidence", "evidence"), ("unresolved", "unresolved"),
                       ("sources", "sources"), ("published", "published")):
        assert _documented_columns(briefing.__doc__, row) == list(TABLES[table].names)
    assert _documented_columns(entities.__doc__, "over_time") == list(
        TABLES["mentions_over_time"].names)


def test_strongest_statements_can_keep_known_speakers_only():
    targets = _targets([(0, "d-1", 0, None, "Iraq", -0.9, "verbal conflict"),
                        (1, "d-1", 1, "Iran", "Iraq", -0.4, "verbal conflict")])
    statements = _statements([(0, "d-1", 0, 0, 5, "officials", None, "unresolved"),
                              (1, "d-1", 1, 6, 9, "Iran", "Iran", "named")])
    assert briefing.strongest_statements(targets, statements)["statement_id"].tolist() == [0, 1]
    known = briefing.strongest_statements(targets, statements, known_sources=True)
    assert known["statement_id"].tolist() == [1] and known["rank"].tolist() == [1]


def test_publication_dates_come_from_metadata_or_what_the_text_states_never_assumptions():
    import datetime as dt

    documents = [
        Document(doc_id="meta", text="Rain fell.", date=dt.date(2004, 5, 24)),
        Document(doc_id="line", text="Storm report\nUpdated: 2 December 2004\nRain fell."),
        Document(doc_id="url", text="Rain fell.", url="http://example.org/2004/11/14/rain.html"),
        Document(doc_id="assumed", text="Rain fell.",
                 meta={"reference_date": dt.date(2017, 6, 8)}),
        Document(doc_id="none", text="Rain fell on Tuesday."),
    ]
    out = briefing.publication_dates(documents)
    assert list(out.columns) == list(TABLES["published"].names)
    assert out["how"].tolist() == ["metadata date", "dateline", "url", "none", "none"]
    assert out["date"].dt.strftime("%Y-%m-%d").fillna("").tolist() == [
        "2004-05-24", "2004-12-02", "2004-11-14", "", ""]
    facts = briefing.corpus_facts(pd.DataFrame({"n_words": [2] * 5}), model="m", dates=out)
    assert facts["value"].tolist()[2] == (
        "2004-05-24 to 2004-12-02 (3 of 5 documents dated, 2 by a dateline or URL in the text)")
    assert briefing.publication_dates([]).empty


def test_periods_without_a_dated_document_are_gaps_not_zeros():
    documents = pd.DataFrame({"doc_id": ["a", "b"],
                              "date": pd.to_datetime(["2004-05-03", "2004-05-06"])})
    mentions = _mentions([("a", "iran"), ("b", "iran")])
    frame = entities.mentions_over_time(mentions, documents, top_n=1, freq="D")
    assert frame["mentions"].tolist() == [1, 0, 0, 1]  # the table keeps the zeros
    ax = plots.mentions_over_time_chart(frame)
    drawn = ax.get_lines()[0].get_ydata()
    assert list(pd.isna(drawn)) == [False, True, True, False]
    assert "2 days without a dated document are gaps in the lines" in plots.caption_of(ax)
    matplotlib.pyplot.close("all")


def test_far_outlying_publication_dates_do_not_stretch_the_span():
    days = ["2004-11-01", "2004-11-02", "2004-11-03", "2004-11-05", "2004-11-08",
            "2004-11-09", "2004-11-15", "2004-11-20"]
    documents = pd.DataFrame({"doc_id": [f"d{i}" for i in range(10)],
                              "date": pd.to_datetime([*days, "2001-10-30", None])})
    first, last = entities.publication_window(documents["date"])
    assert (f"{first:%Y-%m-%d}", f"{last:%Y-%m-%d}") == ("2004-11-01", "2004-11-20")
    assert entities.publication_window(["1987-03-01", "1987-03-02", "2004-05-01"]) == (
        pd.Timestamp("1987-03-01"), pd.Timestamp("1987-03-02"))  # the larger group
    assert entities.publication_window(["1987-03-01", "1987-03-01", "2004-05-01",
                                        "2004-05-02"]) == (
        pd.Timestamp("2004-05-01"), pd.Timestamp("2004-05-02"))  # equal groups: the latest
    assert entities.publication_window(["1987-03-01", "2004-05-01"]) == (
        pd.Timestamp("1987-03-01"), pd.Timestamp("2004-05-01"))  # two dates: nothing typical
    quarterly = [f"{year}-{month:02d}-01" for year in (2001, 2002) for month in (1, 4, 7, 10)]
    assert entities.publication_window(quarterly) == (
        pd.Timestamp("2001-01-01"), pd.Timestamp("2002-10-01"))  # regular gaps: one group
    assert entities.publication_window([None]) is None
    mentions = _mentions([(f"d{i}", "iran") for i in range(9)])
    frame = entities.mentions_over_time(mentions, documents, top_n=1)
    assert set(frame["period"]) == {"week"} and len(frame) == 3  # not months since 2001
    assert frame["mentions"].sum() == 8 and frame["published"].sum() == 8
    wide = entities.mentions_over_time(mentions, documents, top_n=1,
                                       window=("2001-01-01", "2004-12-31"))
    assert set(wide["period"]) == {"month"} and wide["mentions"].sum() == 9
    ax = plots.mentions_over_time_chart(frame, documents=documents)
    caption = plots.caption_of(ax)
    assert "1 document dated far outside the others (2001-10-30 to 2001-10-30) is not " \
        "counted" in caption
    assert "1 document without a publication date is not counted" in caption
    matplotlib.pyplot.close("all")


def test_documents_in_the_last_period_count_even_past_the_window():
    documents = pd.DataFrame({"doc_id": ["a", "b", "c"],
                              "date": pd.to_datetime(["2004-05-03", "2004-05-04", "2004-05-09"])})
    mentions = _mentions([("a", "iran"), ("b", "iran"), ("c", "iran")])
    out = entities.mentions_over_time(mentions, documents, top_n=1, freq="W",
                                      window=("2004-05-03", "2004-05-04"))
    assert out["mentions"].tolist() == [3] and out["published"].tolist() == [3]
