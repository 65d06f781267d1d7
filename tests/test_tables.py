"""Tests for analystkit.tables on a hand-built AnnotatedCorpus (no model needed).

Docs are tokenised by ``spacy.blank("en")``; parts of speech, lemmas, sentence starts and
entities are set by hand, so every expected value below is known exactly.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import spacy
from spacy.tokens import Doc, Span

from analystkit.corpus import Corpus, Document
from analystkit.pipeline import AnnotatedCorpus
from analystkit.tables import (
    corpus_statistics,
    documents_table,
    honorifics,
    lemma_frequency,
    mentions_table,
    reporting_verbs,
    sentences_table,
    tokens_table,
)

TEXT_1 = "Syria said the US struck a base. Iran warned the U.S.\n\nDamascus replied."
TEXT_2 = "Hezbollah aired footage. Hezbollah warned."

POS = {
    "Syria": "PROPN", "said": "VERB", "the": "DET", "US": "PROPN", "struck": "VERB",
    "a": "DET", "base": "NOUN", ".": "PUNCT", "Iran": "PROPN", "warned": "VERB",
    "U.S.": "PROPN", "\n\n": "SPACE", "Damascus": "PROPN", "replied": "VERB",
    "Hezbollah": "PROPN", "aired": "VERB", "footage": "NOUN",
}
LEMMAS = {"said": "say", "struck": "strike", "warned": "warn", "replied": "reply",
          "aired": "air"}


def build_doc(nlp: spacy.language.Language, text: str, sent_starts: list[int],
              ents: list[tuple[int, int, str]]) -> Doc:
    doc = nlp.make_doc(text)
    for token in doc:
        token.pos_ = POS[token.text]
        if token.text in LEMMAS:
            token.lemma_ = LEMMAS[token.text]
        token.is_sent_start = token.i in sent_starts
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    return doc


@pytest.fixture(scope="module")
def annotated() -> AnnotatedCorpus:
    nlp = spacy.blank("en")
    # TEXT_1 tokens: Syria(0) said the US struck a base .(7) Iran(8) warned the U.S.(11)
    # \n\n(12) Damascus(13) replied .(15)
    doc_1 = build_doc(nlp, TEXT_1, [0, 8, 13],
                      [(0, 1, "GPE"), (3, 4, "GPE"), (8, 9, "GPE"), (11, 12, "GPE"),
                       (13, 14, "GPE")])
    # TEXT_2 tokens: Hezbollah(0) aired footage .(3) Hezbollah(4) warned .(6)
    doc_2 = build_doc(nlp, TEXT_2, [0, 4], [(0, 1, "ORG"), (4, 5, "ORG")])
    documents = [
        Document(doc_id="doc-1", text=TEXT_1, title="Strike Report", date=dt.date(2017, 6, 8),
                 source="Wire", url="https://x.org/1", path="in/a.txt"),
        Document(doc_id="doc-2", text=TEXT_2, path="in/b.jsonl", record=3),
    ]
    return AnnotatedCorpus(corpus=Corpus(documents, pd.DataFrame()), docs=[doc_1, doc_2],
                           model="en_test 0.0.0")


@pytest.fixture(scope="module")
def empty() -> AnnotatedCorpus:
    return AnnotatedCorpus(corpus=Corpus([], pd.DataFrame()), docs=[], model="en_test 0.0.0")


def assert_dtypes(frame: pd.DataFrame, expected: dict[str, str]) -> None:
    assert list(frame.columns) == list(expected)
    for name, kind in expected.items():
        dtype = frame[name].dtype
        if kind == "string":
            assert isinstance(dtype, pd.StringDtype), (name, dtype)
        elif kind == "category":
            assert isinstance(dtype, pd.CategoricalDtype), (name, dtype)
        else:
            assert dtype == kind, (name, dtype)


def assert_offsets_point_to_text(frame: pd.DataFrame, data: AnnotatedCorpus) -> None:
    texts = {document.doc_id: document.text for document in data.corpus}
    assert len(frame) > 0
    for row in frame.itertuples():
        assert texts[row.doc_id][row.start_char:row.end_char] == row.text


def test_fixture_is_consistent(annotated):
    for document, doc in annotated:
        assert doc.text == document.text
    assert [t.text for t in annotated.docs[0]][11:14] == ["U.S.", "\n\n", "Damascus"]


# ---------------------------------------------------------------------------- documents


DOCUMENT_DTYPES = {
    "doc_id": "string", "label": "string", "title": "string", "date": "datetime64[ns]",
    "source": "string",
    "url": "string", "path": "string", "record": "Int64", "n_chars": "int64",
    "n_words": "int64", "n_sentences": "int64", "n_tokens": "int64",
}


def test_documents_table_columns_dtypes_and_values(annotated):
    table = documents_table(annotated)
    assert_dtypes(table, DOCUMENT_DTYPES)
    assert table["doc_id"].tolist() == ["doc-1", "doc-2"]
    assert table["label"].tolist() == ["Strike Report", "b.jsonl #3"]  # title, else file
    assert table.loc[0, "title"] == "Strike Report"
    assert pd.isna(table.loc[1, "title"])
    assert table.loc[0, "date"] == pd.Timestamp("2017-06-08")
    assert pd.isna(table.loc[1, "date"])
    assert table["source"].tolist()[0] == "Wire"
    assert table["url"].tolist()[0] == "https://x.org/1"
    assert table["path"].tolist() == ["in/a.txt", "in/b.jsonl"]
    assert pd.isna(table.loc[0, "record"])
    assert table.loc[1, "record"] == 3
    assert table["n_chars"].tolist() == [len(TEXT_1), len(TEXT_2)]
    assert table["n_words"].tolist() == [13, 5]
    assert table["n_sentences"].tolist() == [3, 2]
    assert table.loc[1, "n_tokens"] == 7


def test_documents_table_of_plain_corpus_has_no_annotation_columns(annotated):
    table = documents_table(annotated.corpus)
    expected = {k: v for k, v in DOCUMENT_DTYPES.items() if k not in ("n_sentences", "n_tokens")}
    assert_dtypes(table, expected)
    assert table["n_words"].tolist() == [13, 5]


# ---------------------------------------------------------------------------- sentences


SENTENCE_DTYPES = {"doc_id": "string", "sent_id": "int64", "start_char": "int64",
                   "end_char": "int64", "n_tokens": "int64", "text": "string"}


def test_sentences_table(annotated):
    table = sentences_table(annotated)
    assert_dtypes(table, SENTENCE_DTYPES)
    assert_offsets_point_to_text(table, annotated)
    rows = list(table.itertuples(index=False, name=None))
    assert rows == [
        ("doc-1", 0, 0, 32, 8, "Syria said the US struck a base."),
        ("doc-1", 1, 33, 55, 4, "Iran warned the U.S.\n\n"),  # n_tokens leaves out "\n\n"
        ("doc-1", 2, 55, 72, 3, "Damascus replied."),
        ("doc-2", 0, 0, 24, 4, "Hezbollah aired footage."),
        ("doc-2", 1, 25, 42, 3, "Hezbollah warned."),
    ]


# ------------------------------------------------------------------------------- tokens


TOKEN_DTYPES = {
    "doc_id": "string", "sent_id": "int64", "token_id": "int64", "start_char": "int64",
    "end_char": "int64", "text": "string", "lemma": "string", "pos": "category",
    "tag": "category", "is_stop": "bool", "is_punct": "bool", "is_space": "bool",
    "is_alpha": "bool",
}


def test_tokens_table_columns_dtypes_and_offsets(annotated):
    table = tokens_table(annotated)
    assert_dtypes(table, TOKEN_DTYPES)
    assert_offsets_point_to_text(table, annotated)
    assert len(table) == 16 + 7
    assert table["token_id"].tolist() == list(range(16)) + list(range(7))
    assert table["doc_id"].tolist() == ["doc-1"] * 16 + ["doc-2"] * 7


def test_tokens_table_sent_ids(annotated):
    table = tokens_table(annotated)
    assert table["sent_id"].tolist() == [0] * 8 + [1] * 5 + [2] * 3 + [0] * 4 + [1] * 3


def test_tokens_table_values(annotated):
    table = tokens_table(annotated).set_index(["doc_id", "token_id"])
    said = table.loc[("doc-1", 1)]
    assert (said["text"], said["lemma"], said["pos"]) == ("said", "say", "VERB")
    syria = table.loc[("doc-1", 0)]
    assert syria["lemma"] == "Syria"  # no lemma set: falls back to the text
    assert (syria["start_char"], syria["end_char"]) == (0, 5)
    space = table.loc[("doc-1", 12)]
    assert space["text"] == "\n\n"
    assert bool(space["is_space"]) and not bool(space["is_alpha"])
    assert space["sent_id"] == 1
    period = table.loc[("doc-1", 7)]
    assert bool(period["is_punct"]) and not bool(period["is_alpha"])
    assert bool(table.loc[("doc-1", 2), "is_stop"])  # "the"
    assert bool(table.loc[("doc-1", 3), "is_stop"])  # "US" is the stop word "us"
    assert not bool(table.loc[("doc-1", 11), "is_alpha"])  # "U.S."
    assert table["is_space"].sum() == 1
    assert table["is_punct"].sum() == 4  # the four "." tokens


# ----------------------------------------------------------------------------- mentions


MENTION_DTYPES = {"doc_id": "string", "sent_id": "int64", "start_char": "int64",
                  "end_char": "int64", "text": "string", "label": "category"}


def test_mentions_table(annotated):
    table = mentions_table(annotated)
    assert_dtypes(table, MENTION_DTYPES)
    assert_offsets_point_to_text(table, annotated)
    rows = list(table.itertuples(index=False, name=None))
    assert rows == [
        ("doc-1", 0, 0, 5, "Syria", "GPE"),
        ("doc-1", 0, 15, 17, "US", "GPE"),
        ("doc-1", 1, 33, 37, "Iran", "GPE"),
        ("doc-1", 1, 49, 53, "U.S.", "GPE"),
        ("doc-1", 2, 55, 63, "Damascus", "GPE"),
        ("doc-2", 0, 0, 9, "Hezbollah", "ORG"),
        ("doc-2", 1, 25, 34, "Hezbollah", "ORG"),
    ]


def test_mentions_table_label_filter(annotated):
    org = mentions_table(annotated, labels=["ORG"])
    assert org["text"].tolist() == ["Hezbollah", "Hezbollah"]
    assert org["sent_id"].tolist() == [0, 1]
    assert_dtypes(org, MENTION_DTYPES)
    gpe = mentions_table(annotated, labels={"GPE"})
    assert gpe["text"].tolist() == ["Syria", "US", "Iran", "U.S.", "Damascus"]
    assert len(mentions_table(annotated, labels=("GPE", "ORG"))) == 7


def test_mentions_table_label_filter_without_match_is_empty_but_typed(annotated):
    none = mentions_table(annotated, labels=["PERSON"])
    assert none.empty
    assert_dtypes(none, MENTION_DTYPES)


# ------------------------------------------------------------------------------ lemmas


def test_lemma_frequency_order_and_exclusions(annotated):
    table = lemma_frequency(tokens_table(annotated), exclude=())
    assert list(table.columns) == ["lemma", "count", "documents"]
    assert table["count"].dtype == "int64"
    assert table["documents"].dtype == "int64"
    # Count descending, then lemma ascending; "the"/"a" (DET, stop), "US" (stop word),
    # "U.S." (not alphabetic), "." (punctuation) and "\n\n" (space) are left out.
    assert list(table.itertuples(index=False, name=None)) == [
        ("hezbollah", 2, 1),
        ("warn", 2, 2),
        ("air", 1, 1),
        ("base", 1, 1),
        ("damascus", 1, 1),
        ("footage", 1, 1),
        ("iran", 1, 1),
        ("reply", 1, 1),
        ("say", 1, 1),
        ("strike", 1, 1),
        ("syria", 1, 1),
    ]


def test_lemma_frequency_leaves_out_reporting_verbs_by_default(annotated):
    # "say", "warn" and "reply" are speech cues of cues.txt: how news reports, not what.
    assert {"say", "warn", "reply"} <= reporting_verbs()
    lemmas = lemma_frequency(tokens_table(annotated))["lemma"].tolist()
    assert lemmas == ["hezbollah", "air", "base", "damascus", "footage", "iran", "strike",
                      "syria"]


def test_lemma_frequency_leaves_out_honorifics_and_keeps_reporting_nouns():
    nlp = spacy.blank("en")
    doc = nlp.make_doc("Mr Hu issued a warning . Mr Li said no .")
    tags = ["PROPN", "PROPN", "VERB", "DET", "NOUN", "PUNCT", "PROPN", "PROPN", "VERB", "DET",
            "PUNCT"]
    for token, tag in zip(doc, tags, strict=True):
        token.pos_ = tag
        token.is_sent_start = token.i in (0, 6)
    doc[8].lemma_ = "say"
    doc[4].lemma_ = "warn"  # the noun "warning" lemmatised like the verb: kept as a noun
    corpus = AnnotatedCorpus(corpus=Corpus([Document(doc_id="d", text=doc.text)],
                                           pd.DataFrame()), docs=[doc], model="en_test 0.0.0")
    assert "mr" in honorifics()
    lemmas = lemma_frequency(tokens_table(corpus))["lemma"].tolist()
    assert "mr" not in lemmas and "say" not in lemmas
    assert {"hu", "li", "issued", "warn"} <= set(lemmas)  # no lemma set: the text
    assert "mr" in lemma_frequency(tokens_table(corpus), exclude=())["lemma"].tolist()


def test_lemma_frequency_top_and_pos(annotated):
    tokens = tokens_table(annotated)
    assert lemma_frequency(tokens, top=2, exclude=())["lemma"].tolist() == ["hezbollah", "warn"]
    nouns = lemma_frequency(tokens, pos=["NOUN"])
    assert nouns["lemma"].tolist() == ["base", "footage"]


# -------------------------------------------------------------------------- statistics


def test_corpus_statistics(annotated):
    stats = corpus_statistics(annotated)
    assert stats.to_dict() == {
        "documents": 2,
        "sentences": 5,
        "tokens": 22,  # 23 tokens, the "\n\n" whitespace token excluded
        "words": 18,
        "mentions": 7,
        "tokens_per_sentence": 4.4,
        "sentences_per_document": 2.5,
    }
    assert stats["tokens"] == sentences_table(annotated)["n_tokens"].sum()


def test_tables_of_empty_corpus(empty):
    assert_dtypes(documents_table(empty), DOCUMENT_DTYPES)
    assert_dtypes(sentences_table(empty), SENTENCE_DTYPES)
    assert_dtypes(tokens_table(empty), TOKEN_DTYPES)
    assert_dtypes(mentions_table(empty), MENTION_DTYPES)
    for frame in (documents_table(empty), sentences_table(empty), tokens_table(empty),
                  mentions_table(empty)):
        assert frame.empty
    assert corpus_statistics(empty).to_dict() == {
        "documents": 0, "sentences": 0, "tokens": 0, "words": 0, "mentions": 0,
        "tokens_per_sentence": 0.0, "sentences_per_document": 0.0,
    }


# ------------------------------------------------------------------------------ known bug


def test_document_token_counts_agree_with_sentences_and_statistics(annotated):
    documents = documents_table(annotated)
    per_document = sentences_table(annotated).groupby("doc_id")["n_tokens"].sum()
    assert documents.set_index("doc_id")["n_tokens"].to_dict() == per_document.to_dict()
    assert documents["n_tokens"].sum() == corpus_statistics(annotated)["tokens"]


# ---------------------------------------------------------------------------- display


def _cells(page: str) -> list[str]:
    import re

    return re.findall(r"<td[^>]*>(.*?)</td>", page)


def test_show_table_blanks_missing_values_and_escapes_text():
    from analystkit.display import show_table

    frame = pd.DataFrame({
        "text": pd.array(["<script>alert(1)</script>", pd.NA], dtype="string"),
        "score": [0.5, float("nan")], "count": pd.array([3, pd.NA], dtype="Int64"),
        "date": [pd.Timestamp("2017-06-08"), pd.NaT], "other": ["x", None]})
    page = show_table(frame, name="t", display=False)
    cells = _cells(page)
    assert cells[:5] == ["&lt;script&gt;alert(1)&lt;/script&gt;", "0.5", "3", "2017-06-08", "x"]
    assert cells[5:] == ["", "", "", "", ""]
    assert "<script>alert" not in page


def test_show_table_labels_documents_and_keeps_the_full_id():
    from analystkit.display import document_labels, show_table

    documents = [Document(doc_id="000_b90b8c2adf6b94b3-77b8f2b1", text="a", title="Same"),
                 Document(doc_id="b-0123abcd", text="b", title="Same"),
                 Document(doc_id="c-r4-89abcdef", text="c", path="in/c.jsonl", record=4)]
    labels = document_labels(documents)
    assert list(labels.values()) == ["Same", "Same (2)", "c.jsonl #4"]
    frame = pd.DataFrame({"doc_id": [d.doc_id for d in documents],
                          "evidence": ["000_b90b8c2adf6b94b3-77b8f2b1:3; b-0123abcd:1", "", ""]})
    page = show_table(frame, name="t", labels=labels, display=False)
    import re

    assert re.search(r'<td[^>]* title="000_b90b8c2adf6b94b3-77b8f2b1">Same</td>', page)
    assert ">Same:3; Same (2):1<" in page
    assert "000_b90b8c2adf6b94b3-77b8f2b1:3" in page  # the full evidence as tooltip


def test_show_table_shows_the_top_rows_and_links_the_whole_table(tmp_path, monkeypatch):
    from analystkit.display import TABLES_DIR_VARIABLE, show_table

    frame = pd.DataFrame({"doc_id": ["a-0123abcd"] * 25, "n": range(25),
                          "content": ["word " * 100] * 25})
    monkeypatch.delenv(TABLES_DIR_VARIABLE, raising=False)
    page = show_table(frame, name="statements", source="analysis.statements", display=False)
    assert "showing 20 of 25 rows" in page and "analysis.statements" in page
    assert len(_cells(page)) == 20 * 3
    assert "…" in page and "word " * 100 not in page.split("title=")[0]
    folder = tmp_path / "tables" / "02_stance"
    monkeypatch.setenv(TABLES_DIR_VARIABLE, str(folder))
    page = show_table(frame, name="statements", top=5, labels={"a-0123abcd": "A"},
                      columns=["doc_id", "n"], display=False)
    assert 'href="tables/02_stance/statements.csv"' in page and "showing 5 of 25" in page
    written = pd.read_csv(folder / "statements.csv")
    assert len(written) == 25 and list(written.columns) == ["doc_id", "n", "content", "label"]
    assert set(written["label"]) == {"A"}


def test_show_table_of_a_counted_index_shows_it_as_a_column():
    from analystkit.display import show_table

    counts = pd.Series({"GPE": 3, "ORG": 1}, name="mentions").rename_axis("label")
    page = show_table(counts, name="labels", display=False)
    assert _cells(page) == ["GPE", "3", "ORG", "1"] and "2 rows" in page


def test_show_table_leaves_out_empty_columns_and_filtered_row_numbers():
    from analystkit.display import show_table

    frame = pd.DataFrame({"event": ["a", "b", "c"], "url": [None, "", float("nan")]})
    page = show_table(frame[frame["event"] != "a"], name="events", display=False)
    assert _cells(page) == ["b", "c"]  # no url column, no index 1, 2
    assert "no values in: url" in page and "2 rows" in page


def test_relabel_html_names_documents_by_their_escaped_labels():
    from analystkit.display import relabel_html

    page = "<td>doc-0123abcd:3</td><td>other-89abcdef:1</td>"
    assert relabel_html(page, {"doc-0123abcd": "A <b> story"}) == (
        "<td>A &lt;b&gt; story:3</td><td>other-89abcdef:1</td>")


def test_show_left_out_lists_what_a_chart_did_not_draw():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analystkit.display import show_left_out

    figure, ax = plt.subplots()
    assert show_left_out(ax, name="left_out", display=False) == ""
    figure.analystkit_left_out = pd.DataFrame({"date": [pd.Timestamp("1800-01-01")],
                                               "event": ["founded"]})
    page = show_left_out(ax, name="left_out", display=False)
    assert _cells(page) == ["1800-01-01", "founded"]
    plt.close(figure)
