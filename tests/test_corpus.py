"""Tests for analystkit.corpus: loading, manifest, metadata, normalisation and dates.

Every input is written to ``tmp_path`` by the test itself; no shared data is read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from analystkit.corpus import (
    MANIFEST_COLUMNS,
    Corpus,
    detect_language,
    load_corpus,
    normalise_text,
    parse_date,
)
from analystkit.errors import NoDocumentsError

ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]+-[0-9a-f]{8}$")


def write(path: Path, content: str | bytes) -> Path:
    """Write ``content`` (text as UTF-8, bytes as is), creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))
    return path


def rows_for(corpus: Corpus, path: Path) -> pd.DataFrame:
    """Manifest rows of one input file."""
    return corpus.manifest[corpus.manifest["path"] == str(path)]


def only_row(corpus: Corpus, path: Path) -> pd.Series:
    rows = rows_for(corpus, path)
    assert len(rows) == 1, rows
    return rows.iloc[0]


def load_one_skipped(path: Path, **kwargs) -> pd.Series:
    """Load a single bad file (allow_empty) and return its one manifest row."""
    corpus = load_corpus(path, allow_empty=True, **kwargs)
    assert len(corpus) == 0
    row = only_row(corpus, path)
    assert row["status"] == "skipped"
    assert pd.isna(row["doc_id"])
    return row


# ------------------------------------------------------------------------------ formats


def test_txt_file_is_read_whole(tmp_path):
    path = write(tmp_path / "story.txt", "the army said the strike hit a base.\nMore text here.\n")
    corpus = load_corpus(path)
    assert len(corpus) == 1
    doc = corpus[0]
    assert doc.text == "the army said the strike hit a base.\nMore text here.\n"
    assert doc.title is None
    assert doc.date is None
    assert doc.path == str(path)
    assert doc.record is None
    assert doc.changes == {}
    assert ID_PATTERN.match(doc.doc_id)
    assert doc.doc_id.startswith("story-")
    row = only_row(corpus, path)
    assert row["status"] == "ok"
    assert row["kind"] == ""
    assert row["doc_id"] == doc.doc_id


def test_manifest_columns_and_record_dtype(tmp_path):
    path = write(tmp_path / "a.txt", "Some body text.")
    corpus = load_corpus(path)
    assert list(corpus.manifest.columns) == MANIFEST_COLUMNS
    assert corpus.manifest["record"].dtype == "Int64"


def test_md_front_matter_gives_metadata_and_is_removed_from_text(tmp_path):
    path = write(tmp_path / "note.md", (
        "---\n"
        "title: Front Matter Title\n"
        "date: 2017-06-08\n"
        "source: Wire Service\n"
        "url: https://example.org/a\n"
        "author: Jo Bloggs\n"
        "---\n"
        "the body of the story starts here.\n"
    ))
    doc = load_corpus(path)[0]
    assert doc.text == "the body of the story starts here.\n"
    assert doc.title == "Front Matter Title"
    assert doc.date == dt.date(2017, 6, 8)
    assert doc.source == "Wire Service"
    assert doc.url == "https://example.org/a"
    assert doc.meta == {"author": "Jo Bloggs"}
    assert doc.headline_end is None


def test_front_matter_id_is_used_for_doc_id(tmp_path):
    path = write(tmp_path / "note.md", "---\nid: My Story 7\n---\nbody text.\n")
    doc = load_corpus(path)[0]
    assert re.match(r"^My-Story-7-[0-9a-f]{8}$", doc.doc_id)


HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Drone  Footage
 Released</title>
<meta property="og:site_name" content="Example News">
<meta property="og:url" content="https://example.org/drone">
<meta property="article:published_time" content="2017-06-08T10:00:00Z">
<style>body { color: red; } .secretStyle {}</style>
<script>var secretScript = "do not show";</script>
</head>
<body><h1>Drone Footage Released</h1>
<p>The   footage was
released on Wednesday &amp; shown.</p>
<script type="text/javascript">alert("hiddenAlert");</script>
<style>p { margin: 0 } /* hiddenCss */</style>
<noscript>Enable JavaScript</noscript>
<div>Second block<br>after break</div>
</body></html>
"""


def test_html_visible_text_only_and_metadata(tmp_path):
    path = write(tmp_path / "page.html", HTML_PAGE)
    doc = load_corpus(path)[0]
    for hidden in ("secretScript", "do not show", "secretStyle", "color: red", "hiddenAlert",
                   "hiddenCss", "margin", "Enable JavaScript", "<p>", "&amp;"):
        assert hidden not in doc.text
    assert doc.text == (
        "Drone Footage Released\n\n"
        "The footage was released on Wednesday & shown.\n\n"
        "Second block\n\nafter break"
    )
    assert doc.title == "Drone Footage Released"
    # The <h1> repeats the <title>, so it is recognised as the headline.
    assert doc.headline_end == len("Drone Footage Released")
    assert doc.date == dt.date(2017, 6, 8)
    assert doc.source == "Example News"
    assert doc.url == "https://example.org/drone"


def test_html_title_from_og_title_when_no_title_tag(tmp_path):
    path = write(tmp_path / "page.htm", (
        '<html><head><meta property="og:title" content="OG Headline"></head>'
        "<body><p>just a paragraph of body text.</p></body></html>"
    ))
    doc = load_corpus(path)[0]
    assert doc.title == "OG Headline"
    assert doc.text == "just a paragraph of body text."


def test_jsonl_text_and_metadata_fields(tmp_path):
    lines = [
        {"id": "a1", "title": "First", "date": "2017-06-08", "source": "Reuters",
         "url": "https://x.org/1", "lang": "en", "text": "first article body."},
        {"title": "Second", "body": "second article body.", "section": "world"},
    ]
    path = write(tmp_path / "feed.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    corpus = load_corpus(path)
    assert [doc.text for doc in corpus] == ["first article body.", "second article body."]
    first, second = corpus
    assert first.doc_id.startswith("a1-")
    assert first.title == "First"
    assert first.date == dt.date(2017, 6, 8)
    assert first.source == "Reuters"
    assert first.url == "https://x.org/1"
    assert first.meta == {"lang": "en"}
    assert first.record == 1
    assert second.doc_id.startswith("feed-r2-")
    assert second.title == "Second"
    assert second.meta == {"section": "world"}
    assert second.record == 2
    rows = rows_for(corpus, path)
    assert rows["status"].tolist() == ["ok", "ok"]
    assert rows["record"].tolist() == [1, 2]


def test_jsonl_blank_lines_are_ignored_but_counted(tmp_path):
    path = write(tmp_path / "feed.jsonl", '{"text": "one"}\n\n{"text": "two"}\n')
    corpus = load_corpus(path)
    assert [(doc.text, doc.record) for doc in corpus] == [("one", 1), ("two", 3)]


def test_csv_text_column_and_metadata_columns(tmp_path):
    path = write(tmp_path / "data.csv", (
        "title,Date,TEXT,section\n"
        'First,2017-06-08,"Body one, with a comma.",world\n'
        "Second,,Body two.,\n"
    ))
    corpus = load_corpus(path)
    assert [doc.text for doc in corpus] == ["Body one, with a comma.", "Body two."]
    first, second = corpus
    assert first.title == "First"
    assert first.date == dt.date(2017, 6, 8)
    assert first.meta == {"section": "world"}
    assert first.record == 2
    assert second.title == "Second"
    assert second.date is None
    assert second.meta == {"section": None}
    assert second.record == 3
    assert rows_for(corpus, path)["status"].tolist() == ["ok", "ok"]


def test_csv_quoted_multiline_text(tmp_path):
    path = write(tmp_path / "data.csv", 'text,title\n"line one\nline two",T\n')
    doc = load_corpus(path)[0]
    assert doc.text == "line one\nline two"
    assert doc.title == "T"


@pytest.mark.parametrize("suffix", [".meta.yaml", ".meta.yml"])
def test_yaml_sidecar_metadata(tmp_path, suffix):
    path = write(tmp_path / "story.txt", "the body of the story.\n")
    write(tmp_path / f"story{suffix}", (
        "title: Sidecar Title\ndate: 2017-06-08\nsource: Agency\n"
        "reference_date: '8 June 2017'\nnote: checked\n"
    ))
    doc = load_corpus(path)[0]
    assert doc.title == "Sidecar Title"
    assert doc.date == dt.date(2017, 6, 8)
    assert doc.source == "Agency"
    assert doc.meta == {"reference_date": dt.date(2017, 6, 8), "note": "checked"}


def test_json_sidecar_metadata(tmp_path):
    path = write(tmp_path / "story.txt", "the body of the story.\n")
    write(tmp_path / "story.meta.json", json.dumps({"title": "Json Title", "date": "June 8, 2017",
                                                    "url": "https://x.org"}))
    doc = load_corpus(path)[0]
    assert doc.title == "Json Title"
    assert doc.date == dt.date(2017, 6, 8)
    assert doc.url == "https://x.org"


def test_front_matter_overrides_sidecar_which_overrides_html(tmp_path):
    md = write(tmp_path / "a.md", "---\ntitle: From Front\n---\nbody a.\n")
    write(tmp_path / "a.meta.yaml", "title: From Sidecar\nsource: Sidecar Source\n")
    page = write(tmp_path / "b.html", "<html><head><title>From Html</title></head>"
                                      "<body><p>body b.</p></body></html>")
    write(tmp_path / "b.meta.json", json.dumps({"title": "From Sidecar B"}))
    corpus = load_corpus([md, page])
    assert [doc.title for doc in corpus] == ["From Front", "From Sidecar B"]
    assert corpus[0].source == "Sidecar Source"


def test_folder_is_read_recursively_in_sorted_order(tmp_path):
    write(tmp_path / "d.txt", "doc d body.")
    write(tmp_path / "b" / "c.md", "doc c body.")
    write(tmp_path / "a.txt", "doc a body.")
    write(tmp_path / "b" / "e" / "f.jsonl", '{"text": "doc f body."}\n')
    write(tmp_path / "a.meta.yaml", "title: A Title\n")  # a sidecar is not a document
    corpus = load_corpus(tmp_path)
    assert [doc.text for doc in corpus] == ["doc a body.", "doc c body.", "doc f body.",
                                            "doc d body."]
    assert corpus[0].title == "A Title"
    assert len(corpus.manifest) == 4
    assert (corpus.manifest["status"] == "ok").all()


def test_list_of_paths_keeps_given_order(tmp_path):
    first = write(tmp_path / "z.txt", "doc z body.")
    folder = tmp_path / "folder"
    write(folder / "x.txt", "doc x body.")
    write(folder / "y.txt", "doc y body.")
    second = write(tmp_path / "a.txt", "doc a body.")
    corpus = load_corpus([first, str(folder), second])
    assert [doc.text for doc in corpus] == ["doc z body.", "doc x body.", "doc y body.",
                                            "doc a body."]


def test_utf16_and_utf32_with_bom_are_decoded(tmp_path):
    texts = ["Grüße aus Köln.\n", "Un café noir.\n", "Ça va très bien.\n"]
    paths = [
        write(tmp_path / "le16.txt", texts[0].encode("utf-16")),
        write(tmp_path / "be16.txt", b"\xfe\xff" + texts[1].encode("utf-16-be")),
        write(tmp_path / "le32.txt", texts[2].encode("utf-32")),
    ]
    corpus = load_corpus(paths)
    assert corpus.skipped.empty
    assert [doc.text for doc in corpus] == texts
    assert [doc.changes for doc in corpus] == [{}, {}, {}]


def test_utf8_bom_is_removed_from_txt(tmp_path):
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbfplain text.")
    doc = load_corpus(path)[0]
    assert doc.text == "plain text."


def test_encoding_argument_decodes_latin1(tmp_path):
    path = write(tmp_path / "latin.txt", b"un caf\xe9 noir.")
    doc = load_corpus(path, encoding="latin-1")[0]
    assert doc.text == "un café noir."


def test_normalisation_is_recorded_in_document_and_manifest(tmp_path):
    path = write(tmp_path / "n.txt", "the USA -backed attack\r\non Tuesday.\r\n")
    corpus = load_corpus(path)
    doc = corpus[0]
    assert doc.text == "the USA-backed attack\non Tuesday.\n"
    assert doc.changes == {"newlines": 2, "detached_hyphen": 1}
    row = only_row(corpus, path)
    assert row["status"] == "ok"
    assert row["kind"] == "normalised"
    assert "newlines=2" in row["reason"]
    assert "detached_hyphen=1" in row["reason"]


# ---------------------------------------------------------------------------- bad inputs


def test_empty_file_is_skipped(tmp_path):
    row = load_one_skipped(write(tmp_path / "empty.txt", ""))
    assert row["kind"] == "empty"
    assert "empty" in row["reason"]


def test_whitespace_only_file_is_skipped_as_empty(tmp_path):
    row = load_one_skipped(write(tmp_path / "blank.md", " \n\t\r\n\u200b\n"))
    assert row["kind"] == "empty"


def test_binary_file_is_skipped(tmp_path):
    row = load_one_skipped(write(tmp_path / "image.txt", b"GIF89a\x00\x01\x02\x00\xff\xfe"))
    assert row["kind"] == "binary"
    assert "binary" in row["reason"]


@pytest.mark.parametrize("name", ["bin.jsonl", "bin.csv"])
def test_binary_records_file_is_skipped(tmp_path, name):
    row = load_one_skipped(write(tmp_path / name, b'{"text": "a"}\x00\x00\n'))
    assert row["kind"] == "binary"


def test_undecodable_file_is_skipped(tmp_path):
    # An explicit encoding is used as given: no guessing.
    row = load_one_skipped(write(tmp_path / "latin.txt", b"caf\xe9"), encoding="utf-8")
    assert row["kind"] == "undecodable"
    assert "UTF-8" in row["reason"]
    assert "0xe9" in row["reason"]
    assert "encoding=" in row["reason"]


def test_undecodable_single_line_jsonl_is_skipped(tmp_path):
    path = write(tmp_path / "latin.jsonl", b'{"text": "caf\xe9"}\n')
    corpus = load_corpus(path, allow_empty=True, encoding="utf-8")
    row = only_row(corpus, path)
    assert row["status"] == "skipped"
    assert row["kind"] == "undecodable"
    assert row["record"] == 1
    assert "UTF-8" in row["reason"]


def test_file_over_size_limit_is_skipped(tmp_path):
    path = write(tmp_path / "big.txt", "x" * 50)
    row = load_one_skipped(path, max_bytes=10)
    assert row["kind"] == "too_large"
    assert "50 bytes" in row["reason"]
    assert "10 bytes" in row["reason"]
    # The same file fits a larger limit.
    assert len(load_corpus(path, max_bytes=50)) == 1


def test_record_over_size_limit_is_skipped(tmp_path):
    path = write(tmp_path / "feed.jsonl", '{"text": "short"}\n{"text": "%s"}\n' % ("y" * 40))
    corpus = load_corpus(path, max_bytes=20)
    assert [doc.text for doc in corpus] == ["short"]
    row = rows_for(corpus, path).iloc[1]
    assert row["status"] == "skipped"
    assert row["kind"] == "too_large"
    assert row["record"] == 2
    assert row["reason"].startswith("line 2: ")
    assert "40 bytes" in row["reason"]


def test_malformed_jsonl_lines_are_skipped_and_good_lines_kept(tmp_path):
    path = write(tmp_path / "feed.jsonl", "\n".join([
        '{"text": "good one."}',
        '{"text": "broken",',
        '{"title": "no text here"}',
        '{"text": "good two."}',
    ]) + "\n")
    corpus = load_corpus(path)
    assert [(doc.text, doc.record) for doc in corpus] == [("good one.", 1), ("good two.", 4)]
    rows = rows_for(corpus, path).set_index("record")
    assert rows["status"].to_dict() == {1: "ok", 2: "skipped", 3: "skipped", 4: "ok"}
    assert rows.loc[2, "kind"] == "bad_json"
    assert rows.loc[2, "reason"].startswith("line 2: invalid JSON")
    assert rows.loc[3, "kind"] == "no_text_field"
    assert rows.loc[3, "reason"].startswith("line 3: no text field")
    assert "text, body, content" in rows.loc[3, "reason"]


def test_jsonl_line_that_is_not_an_object_is_skipped(tmp_path):
    path = write(tmp_path / "feed.jsonl", '{"text": "good one."}\n["not", "an", "object"]\n')
    corpus = load_corpus(path)
    assert [doc.text for doc in corpus] == ["good one."]
    row = rows_for(corpus, path).iloc[1]
    assert (row["status"], row["kind"], row["record"]) == ("skipped", "not_object", 2)
    assert row["reason"] == "line 2: expected a JSON object, got list"


def test_jsonl_text_field_that_is_not_a_string_is_skipped(tmp_path):
    path = write(tmp_path / "feed.jsonl", '{"text": "good one."}\n{"text": 42}\n')
    corpus = load_corpus(path)
    assert [doc.text for doc in corpus] == ["good one."]
    row = rows_for(corpus, path).iloc[1]
    assert (row["status"], row["kind"], row["record"]) == ("skipped", "text_not_string", 2)
    assert row["reason"] == "line 2: text field 'text' is int, not a string"


def test_malformed_csv_rows_are_skipped_and_good_rows_kept(tmp_path):
    path = write(tmp_path / "data.csv", (
        "title,text\n"
        "One,first body.\n"
        "Two,second body.,extra field\n"
        "Three\n"
        "Four,fourth body.\n"
    ))
    corpus = load_corpus(path)
    assert [(doc.text, doc.record) for doc in corpus] == [("first body.", 2),
                                                          ("fourth body.", 5)]
    rows = rows_for(corpus, path).set_index("record")
    assert rows["status"].to_dict() == {2: "ok", 3: "skipped", 4: "skipped", 5: "ok"}
    assert rows.loc[3, "kind"] == "bad_row"
    assert rows.loc[3, "reason"] == "row 3: 3 fields, header has 2"
    assert rows.loc[4, "kind"] == "bad_row"
    assert rows.loc[4, "reason"] == "row 4: 1 fields, header has 2"


def test_csv_row_with_empty_text_is_skipped_as_empty(tmp_path):
    path = write(tmp_path / "data.csv", "title,text\nOne,\nTwo,body two.\n")
    corpus = load_corpus(path)
    assert [doc.text for doc in corpus] == ["body two."]
    assert rows_for(corpus, path).iloc[0]["kind"] == "empty"


def test_csv_without_text_column_is_skipped(tmp_path):
    row = load_one_skipped(write(tmp_path / "data.csv", "title,summary\nOne,a summary\n"))
    assert row["kind"] == "no_text_column"
    assert "no text column" in row["reason"]
    assert "title, summary" in row["reason"]


def test_bad_date_keeps_document_with_warning(tmp_path):
    path = write(tmp_path / "d.md", "---\ndate: sometime in June\n---\nthe body text.\n")
    corpus = load_corpus(path)
    assert len(corpus) == 1
    assert corpus[0].date is None
    row = only_row(corpus, path)
    assert row["status"] == "ok"
    assert row["kind"] == "bad_date"
    assert "sometime in June" in row["reason"]
    assert row["doc_id"] == corpus[0].doc_id


def test_ambiguous_numeric_date_in_jsonl_is_bad_date(tmp_path):
    path = write(tmp_path / "f.jsonl", '{"text": "body.", "date": "06/08/2017"}\n')
    corpus = load_corpus(path)
    assert corpus[0].date is None
    row = only_row(corpus, path)
    assert (row["status"], row["kind"]) == ("ok", "bad_date")
    assert "06/08/2017" in row["reason"]


def test_bad_reference_date_is_reported_with_its_key(tmp_path):
    path = write(tmp_path / "f.jsonl", '{"text": "body.", "reference_date": "soon"}\n')
    corpus = load_corpus(path)
    assert corpus[0].meta == {"reference_date": None}
    row = only_row(corpus, path)
    assert row["kind"] == "bad_date"
    assert row["reason"].startswith("reference_date: ")


def test_duplicate_document_is_skipped(tmp_path):
    first = write(tmp_path / "a.txt", "the same article text.")
    second = write(tmp_path / "b.txt", "the  same article\u00a0text.")  # same once normalised
    corpus = load_corpus([first, second])
    assert len(corpus) == 1
    row = only_row(corpus, second)
    assert row["status"] == "skipped"
    assert row["kind"] == "duplicate"
    assert corpus[0].doc_id in row["reason"]
    assert str(first) in row["reason"]


def test_duplicate_record_inside_jsonl_is_skipped(tmp_path):
    path = write(tmp_path / "f.jsonl", '{"text": "same"}\n{"text": "same"}\n')
    corpus = load_corpus(path)
    assert len(corpus) == 1
    rows = rows_for(corpus, path)
    assert rows["kind"].tolist() == ["", "duplicate"]
    assert rows["record"].tolist() == [1, 2]


def test_unsupported_suffix_is_skipped(tmp_path):
    row = load_one_skipped(write(tmp_path / "report.pdf", b"%PDF-1.4 some content"))
    assert row["kind"] == "unsupported"
    assert "'.pdf'" in row["reason"]
    assert ".txt" in row["reason"]


def test_hidden_files_in_folder_are_skipped(tmp_path):
    write(tmp_path / "visible.txt", "visible body.")
    hidden = write(tmp_path / ".hidden.txt", "hidden body.")
    in_hidden_dir = write(tmp_path / ".git" / "notes.txt", "hidden dir body.")
    corpus = load_corpus(tmp_path)
    assert [doc.text for doc in corpus] == ["visible body."]
    for path in (hidden, in_hidden_dir):
        row = only_row(corpus, path)
        assert row["status"] == "skipped"
        assert row["kind"] == "hidden"
        assert "hidden" in row["reason"]


def test_missing_path_is_skipped(tmp_path):
    good = write(tmp_path / "good.txt", "good body.")
    missing = tmp_path / "no_such_file.txt"
    corpus = load_corpus([missing, good])
    assert len(corpus) == 1
    row = only_row(corpus, missing)
    assert row["status"] == "skipped"
    assert row["kind"] == "missing"
    assert "no such file" in row["reason"]


@pytest.mark.parametrize(("front", "detail"), [
    ("title: [unclosed\n", ""),
    ("- a list\n- not a mapping\n", "expected a mapping"),
])
def test_malformed_front_matter_is_skipped(tmp_path, front, detail):
    row = load_one_skipped(write(tmp_path / "fm.md", f"---\n{front}---\nbody text.\n"))
    assert row["kind"] == "bad_front_matter"
    assert "front matter" in row["reason"]
    assert detail in row["reason"]


@pytest.mark.parametrize(("sidecar", "content", "detail"), [
    ("story.meta.json", "{not json", ""),
    ("story.meta.yaml", "title: [unclosed\n", ""),
    ("story.meta.yaml", "- just\n- a list\n", "expected a mapping"),
])
def test_malformed_sidecar_is_skipped(tmp_path, sidecar, content, detail):
    path = write(tmp_path / "story.txt", "the body of the story.")
    write(tmp_path / sidecar, content)
    row = load_one_skipped(path)
    assert row["kind"] == "bad_sidecar"
    assert sidecar in row["reason"]
    assert detail in row["reason"]


def test_folder_of_only_bad_files_raises_naming_them(tmp_path):
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "binary.txt", b"\x00\x01\x02\x03")
    write(tmp_path / "scan.pdf", b"%PDF")
    with pytest.raises(NoDocumentsError) as info:
        load_corpus(tmp_path)
    message = str(info.value)
    for name in ("empty.txt", "binary.txt", "scan.pdf"):
        assert name in message
    assert str(tmp_path) in message


def test_allow_empty_returns_empty_corpus_with_manifest(tmp_path):
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "scan.pdf", b"%PDF")
    corpus = load_corpus(tmp_path, allow_empty=True)
    assert len(corpus) == 0
    assert list(corpus) == []
    assert corpus.n_words == 0
    assert sorted(corpus.manifest["kind"]) == ["empty", "unsupported"]
    assert (corpus.manifest["status"] == "skipped").all()


def test_empty_folder_raises_unless_allow_empty(tmp_path):
    with pytest.raises(NoDocumentsError):
        load_corpus(tmp_path)
    corpus = load_corpus(tmp_path, allow_empty=True)
    assert len(corpus) == 0
    assert corpus.manifest.empty


def test_skipped_property_lists_only_skipped_rows(tmp_path):
    write(tmp_path / "a.txt", "good body.")
    write(tmp_path / "b.txt", "")
    corpus = load_corpus(tmp_path)
    assert corpus.skipped["path"].tolist() == [str(tmp_path / "b.txt")]


# ------------------------------------------------------------------------ ids and headline


def test_document_id_is_stable_across_loads(tmp_path):
    path = write(tmp_path / "story.txt", "an article body.")
    first = load_corpus(path)[0].doc_id
    second = load_corpus(path)[0].doc_id
    assert first == second
    assert ID_PATTERN.match(first)


def test_document_id_changes_when_text_changes(tmp_path):
    path = write(tmp_path / "story.txt", "an article body.")
    before = load_corpus(path)[0]
    write(path, "an edited article body.")
    after = load_corpus(path)[0]
    assert before.doc_id != after.doc_id
    assert before.doc_id.rsplit("-", 1)[0] == after.doc_id.rsplit("-", 1)[0] == "story"
    assert before.doc_id.endswith(before.text_hash[:8])
    assert after.doc_id.endswith(after.text_hash[:8])


def test_title_case_first_line_becomes_headline(tmp_path):
    text = "Iranian Drone Shadows US Forces In Syria\n\nthe footage was released on Wednesday.\n"
    doc = load_corpus(write(tmp_path / "h.txt", text))[0]
    assert doc.title == "Iranian Drone Shadows US Forces In Syria"
    assert doc.headline_end == len("Iranian Drone Shadows US Forces In Syria")
    assert doc.text[:doc.headline_end] == doc.title


@pytest.mark.parametrize(("first_line", "title"), [
    ("# Storm hits the coast", "Storm hits the coast"),
    ("## Bush meets Blair ##", "Bush meets Blair"),
])
def test_markdown_heading_is_the_headline_whatever_its_case(tmp_path, first_line, title):
    doc = load_corpus(write(tmp_path / "h.md", f"{first_line}\n\nThe storm came at night.\n"))[0]
    assert doc.title == title
    assert doc.headline_end == len(first_line)


def test_hashtag_first_line_is_not_a_heading(tmp_path):
    doc = load_corpus(write(tmp_path / "t.md", "#breaking news from the coast\nMore text.\n"))[0]
    assert doc.title is None


def test_sentence_first_line_is_not_a_headline(tmp_path):
    text = "The Syrian army said the warplanes struck a position.\nMore Text Follows Here\n"
    doc = load_corpus(write(tmp_path / "s.txt", text))[0]
    assert doc.title is None
    assert doc.headline_end is None


@pytest.mark.parametrize("first_line", [
    "Measures to cut obesity revealed",
    "ODA looks wasted on China",
    "2004 budget keeps out tax cuts",
])
def test_sentence_case_first_line_over_a_blank_line_is_a_headline(tmp_path, first_line):
    text = f"{first_line}\n\nThe plans were published on Tuesday by the department.\n"
    doc = load_corpus(write(tmp_path / "h.txt", text))[0]
    assert doc.title == first_line
    assert doc.headline_end == len(first_line)


@pytest.mark.parametrize("first_line", [
    "The Syrian army said the warplanes struck a position.",  # a first sentence
    "Is this the end?",
    "He said:",
    "“We will not leave,” the minister told reporters.",
    "the footage was released on Wednesday",  # no capital
])
def test_untitled_text_keeps_its_first_sentence_over_a_blank_line(tmp_path, first_line):
    text = f"{first_line}\n\nMore text follows here in a second paragraph.\n"
    doc = load_corpus(write(tmp_path / "s.txt", text))[0]
    assert doc.title is None
    assert doc.headline_end is None


def test_sentence_case_first_line_without_a_blank_line_is_body_text(tmp_path):
    # A caption or lede over the next line (BBC pages as scraped) is not a headline.
    text = "Cutting obesity is a top priority\nMeasures include restrictions on ads.\n"
    doc = load_corpus(write(tmp_path / "c.txt", text))[0]
    assert doc.title is None


def test_one_line_document_has_no_headline(tmp_path):
    doc = load_corpus(write(tmp_path / "one.txt", "Iranian Drone Shadows US Forces"))[0]
    assert doc.title is None
    assert doc.headline_end is None


def test_metadata_title_equal_to_first_line_sets_headline_end(tmp_path):
    path = write(tmp_path / "h.txt", "Drone Shadows Forces\nthe body.\n")
    write(tmp_path / "h.meta.yaml", "title: Drone Shadows Forces\n")
    doc = load_corpus(path)[0]
    assert (doc.title, doc.headline_end) == ("Drone Shadows Forces", 20)


def test_metadata_title_different_from_first_line_wins_without_headline(tmp_path):
    path = write(tmp_path / "h.txt", "Drone Shadows Forces\nthe body.\n")
    write(tmp_path / "h.meta.yaml", "title: Another Title\n")
    doc = load_corpus(path)[0]
    assert (doc.title, doc.headline_end) == ("Another Title", None)


# ----------------------------------------------------------------------------- summary


def test_str_is_one_line_summary_with_counts(tmp_path):
    write(tmp_path / "a.txt", "one two three")
    write(tmp_path / "b.txt", "four five six seven")
    corpus = load_corpus(tmp_path)
    text = str(corpus)
    assert "\n" not in text
    assert "2 documents" in text
    assert "7 words" in text
    assert "skipped" not in text
    assert corpus.n_words == 7


def test_str_mentions_skipped_inputs(tmp_path):
    write(tmp_path / "a.txt", "one two three")
    write(tmp_path / "b.txt", "")
    text = str(load_corpus(tmp_path))
    assert "\n" not in text
    assert "1 documents" in text or "1 document" in text
    assert "3 words" in text
    assert "1 input skipped" in text


# ----------------------------------------------------------------------- normalise_text


@pytest.mark.parametrize(("raw", "expected", "changes"), [
    ("\ufeffHello", "Hello", {"bom": 1}),
    ("a\r\nb\r\nc", "a\nb\nc", {"newlines": 2}),
    ("a\rb\rc", "a\nb\nc", {"newlines": 2}),
    ("a\r\nb\rc", "a\nb\nc", {"newlines": 2}),
    ("cafe\u0301", "caf\u00e9", {"nfc": 1}),
    ("e\u0301 and e\u0301", "\u00e9 and \u00e9", {"nfc": 2}),
    ("a\u00a0b", "a b", {"spaces": 1}),
    ("a\u200bb\u200c\u200dc\u2060d", "abcd", {"zero_width": 4}),
    ("a   b  c", "a b c", {"spaces": 2}),
    ("a\t\tb", "a b", {"spaces": 1}),
    ("a\x00b\x07c", "abc", {"control": 2}),
    # cp1252 bytes read as latin-1: C1 controls stand for quotes and dashes; undefined ones go.
    ("don\x92t \x93go\x94 \x96 now\x81", "don\u2019t \u201cgo\u201d \u2013 now", {"cp1252": 5}),
    ("end  \nnext \n", "end\nnext\n", {"spaces": 1, "trailing_space": 2}),
    ("the USA -backed attack", "the USA-backed attack", {"detached_hyphen": 1}),
    ("the six-year -old war", "the six-year-old war", {"detached_hyphen": 1}),
    ("US -led and USA -backed", "US-led and USA-backed", {"detached_hyphen": 2}),
])
def test_normalise_text_each_kind(raw, expected, changes):
    assert normalise_text(raw) == (expected, changes)


@pytest.mark.parametrize("text", [
    "Syria - a response to air strikes",
    "the temperature fell to -5 degrees",
    "a -b c",
    "already clean text.\nSecond line.",
    "",
])
def test_normalise_text_leaves_dashes_and_clean_text_alone(text):
    assert normalise_text(text) == (text, {})


def test_normalise_text_counts_every_kind_together():
    raw = "\ufeffThe USA -backed\u00a0caf\u0065\u0301\u200b  attack\r\nended.  \r"
    text, changes = normalise_text(raw)
    assert text == "The USA-backed café attack\nended.\n"
    # spaces: the NBSP, the double space before "attack", the double space before "\r".
    assert changes == {"bom": 1, "newlines": 2, "nfc": 1, "zero_width": 1, "spaces": 3,
                       "detached_hyphen": 1, "trailing_space": 1}


# --------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize("value", [
    "2017-06-08",
    "2017-06-08T10:00:00",
    "2017-06-08T10:00:00Z",
    "2017/06/08",
    "June 8, 2017",
    "Jun 8, 2017",
    "8 June 2017",
    "8 Jun 2017",
    "  8 June 2017  ",
    "Thu, 08 Jun 2017 10:00:00 +0000",
    "Thu, 08 Jun 2017 10:00:00 GMT",
    dt.date(2017, 6, 8),
    dt.datetime(2017, 6, 8, 23, 59),
])
def test_parse_date_accepts_known_forms(value):
    result = parse_date(value)
    assert result == dt.date(2017, 6, 8)
    assert type(result) is dt.date


@pytest.mark.parametrize("value", [None, "", "   ", float("nan")])
def test_parse_date_no_value_is_none(value):
    assert parse_date(value) is None


@pytest.mark.parametrize("value", ["06/08/2017", "not a date", "2017-02-30", "June 31, 2017"])
def test_parse_date_rejects_ambiguous_and_invalid(value):
    with pytest.raises(ValueError):
        parse_date(value)


# ------------------------------------------------------------------------- known bugs


def test_front_matter_with_crlf_line_endings(tmp_path):
    path = write(tmp_path / "win.md", b"---\r\ntitle: Windows Title\r\n---\r\nthe body.\r\n")
    doc = load_corpus(path)[0]
    assert doc.title == "Windows Title"
    assert doc.text == "the body.\n"


def test_impossible_front_matter_date_does_not_crash_loading(tmp_path):
    bad = write(tmp_path / "bad.md", "---\ndate: 2017-02-30\n---\nthe body.\n")
    write(tmp_path / "good.txt", "another body.")
    corpus = load_corpus(tmp_path)
    row = only_row(corpus, bad)
    assert row["kind"] in ("bad_date", "bad_front_matter")


def test_undecodable_jsonl_line_does_not_lose_earlier_lines(tmp_path):
    path = write(tmp_path / "feed.jsonl", b'{"text": "good one"}\n{"text": "caf\xe9"}\n')
    corpus = load_corpus(path, allow_empty=True, encoding="utf-8")
    assert [doc.text for doc in corpus] == ["good one"]
    bad = rows_for(corpus, path).query("status == 'skipped'").iloc[0]
    assert bad["kind"] == "undecodable"
    assert bad["record"] == 2


def test_undecodable_csv_row_does_not_lose_earlier_rows(tmp_path):
    path = write(tmp_path / "data.csv", b"text\ngood one\ncaf\xe9\n")
    corpus = load_corpus(path, allow_empty=True, encoding="utf-8")
    assert [doc.text for doc in corpus] == ["good one"]
    bad = rows_for(corpus, path).query("status == 'skipped'").iloc[0]
    assert bad["kind"] == "undecodable"
    assert bad["record"] == 3


def test_csv_with_utf8_bom(tmp_path):
    path = write(tmp_path / "excel.csv", "\ufefftext,title\nthe body.,T\n")
    corpus = load_corpus(path, allow_empty=True)
    assert [(doc.text, doc.title) for doc in corpus] == [("the body.", "T")]


def test_jsonl_with_utf8_bom(tmp_path):
    path = write(tmp_path / "feed.jsonl", '\ufeff{"text": "first"}\n{"text": "second"}\n')
    corpus = load_corpus(path)
    assert [doc.text for doc in corpus] == ["first", "second"]


def test_utf16_csv_with_bom(tmp_path):
    path = write(tmp_path / "data.csv", "text,title\nthe body.,T\n".encode("utf-16"))
    corpus = load_corpus(path, allow_empty=True)
    assert [doc.text for doc in corpus] == ["the body."]


# ----------------------------------------------------------------------------- languages
# Texts written for these tests (not taken from any corpus).

GERMAN = (
    "Die Regierung hat am Dienstag neue Maßnahmen angekündigt, um die Preise für Energie zu "
    "senken. Nach Angaben des Ministeriums sollen die Hilfen schon im nächsten Monat "
    "ausgezahlt werden. Kritiker sagen, dass das Paket zu spät komme und vor allem den großen "
    "Unternehmen nütze. Die Opposition forderte eine Debatte im Parlament."
)
PORTUGUESE = (
    "O governo anunciou nesta terça-feira um novo pacote de medidas para reduzir o preço da "
    "energia. Segundo o ministério, os primeiros pagamentos serão feitos no próximo mês. Os "
    "críticos afirmam que o plano chega tarde demais e beneficia sobretudo as grandes "
    "empresas. A oposição pediu um debate no parlamento."
)
FRENCH = (
    "Le gouvernement a annoncé mardi de nouvelles mesures pour faire baisser les prix de "
    "l'énergie. Selon le ministère, les premières aides seront versées dès le mois prochain. "
    "Les critiques estiment que le plan arrive trop tard et profite surtout aux grandes "
    "entreprises. L'opposition a réclamé un débat au parlement."
)
SPANISH = (
    "El gobierno anunció el martes un nuevo paquete de medidas para reducir el precio de la "
    "energía. Según el ministerio, los primeros pagos se harán el próximo mes. Los críticos "
    "dicen que el plan llega demasiado tarde y beneficia sobre todo a las grandes empresas. "
    "La oposición pidió un debate en el parlamento."
)
RUSSIAN = (
    "Правительство во вторник объявило о новых мерах по снижению цен на энергию. По словам "
    "министерства, первые выплаты будут сделаны в следующем месяце."
)
ENGLISH = (
    "The government announced new measures on Tuesday to bring down energy prices. The "
    "ministry said the first payments would be made next month. Critics said the package came "
    "too late and would mostly help large companies, and the opposition called for a debate "
    "in parliament."
)


@pytest.mark.parametrize(("text", "code"), [
    (GERMAN, "de"), (PORTUGUESE, "pt"), (FRENCH, "fr"), (SPANISH, "es"), (RUSSIAN, "ru"),
    (ENGLISH, "en"),
])
def test_detect_language(text, code):
    guess = detect_language(text)
    assert (guess.code, guess.share) == (code, 1.0)
    assert not guess.mixed


@pytest.mark.parametrize("text", [
    "President George W. Bush met Tony Blair in London on Tuesday.",
    "Luiz Inacio Lula da Silva met Hu Jintao and Jacques Chirac in Sao Paulo on Monday.",
    "Bush Meets Blair In London",
    "BANCO DO BRASIL SA SETS NEW DIVIDEND",
    "CASSA DI RISPARMIO DI LUCCA LAUNCHING A NEW CD PROGRAM OF THE BANCA DI ROMA",
    "Shr 35 cts vs 25 cts Net 1,590,000 vs 1,140,000 Revs 32.2 mln vs 23.0 mln",
    "Qtly div 25 cts vs 25 cts prior Pay April one Record March 15",
    "BRASILIA, Brazil (Reuters) - Petrobras said on Monday it would raise output at the Campos "
    "basin fields by 10 pct this year, according to Jose Carlos de Oliveira.",
    "Angela Merkel, Gerhard Schröder und Joschka Fischer: Berlin, 12.10.2004, 14:00 Uhr.",
])
def test_short_english_headlines_and_wire_copy_are_never_taken_for_another_language(text):
    assert detect_language(text).code in ("en", "und")


def test_language_of_a_text_too_short_to_tell_is_undetermined():
    guess = detect_language("Der Spiegel")
    assert (guess.code, guess.name, guess.shares) == ("und", "undetermined", {})


def test_bilingual_document_is_english_with_a_mixed_note(tmp_path):
    path = write(tmp_path / "statement.txt", ENGLISH + "\n\n" + PORTUGUESE + "\n")
    corpus = load_corpus(path)
    assert len(corpus) == 1 and corpus[0].language == "en"
    row = only_row(corpus, path)
    assert (row["status"], row["kind"], row["language"]) == ("ok", "mixed_language", "en")
    assert "pt" in row["reason"] and "analysed as English" in row["reason"]


@pytest.mark.parametrize(("text", "code", "name"), [
    (GERMAN, "de", "German"), (PORTUGUESE, "pt", "Portuguese"), (FRENCH, "fr", "French"),
    (SPANISH, "es", "Spanish"),
])
def test_other_language_file_is_skipped_with_its_language(tmp_path, text, code, name):
    other = write(tmp_path / f"{code}.txt", text)
    english = write(tmp_path / "en.txt", ENGLISH)
    corpus = load_corpus(tmp_path)
    assert [doc.path for doc in corpus] == [str(english)]
    row = only_row(corpus, other)
    assert (row["status"], row["kind"], row["language"]) == ("skipped", "not_english", code)
    assert f"{code} ({name}" in row["reason"]
    assert "keep_other_languages=True" in row["reason"]
    assert only_row(corpus, english)["language"] == "en"


def test_keep_other_languages_keeps_them_with_a_note(tmp_path):
    path = write(tmp_path / "de.txt", GERMAN)
    corpus = load_corpus(path, keep_other_languages=True)
    assert len(corpus) == 1 and corpus[0].language == "de"
    row = only_row(corpus, path)
    assert (row["status"], row["kind"], row["language"]) == ("ok", "other_language", "de")
    assert "German" in row["reason"]


def test_only_other_language_documents_raise_no_documents(tmp_path):
    write(tmp_path / "de.txt", GERMAN)
    with pytest.raises(NoDocumentsError, match="not English"):
        load_corpus(tmp_path)


def test_language_per_record_of_a_jsonl_file(tmp_path):
    path = write(tmp_path / "feed.jsonl", "".join(json.dumps({"text": text}) + "\n"
                                                  for text in (ENGLISH, PORTUGUESE, "Short.")))
    corpus = load_corpus(path)
    assert [doc.language for doc in corpus] == ["en", "und"]
    rows = rows_for(corpus, path).set_index("record")
    assert rows["language"].to_dict() == {1: "en", 2: "pt", 3: "und"}
    assert rows.loc[2, "status"] == "skipped"


def test_every_manifest_row_has_language_and_encoding_columns(tmp_path):
    write(tmp_path / "a.txt", ENGLISH)
    write(tmp_path / "b.pdf", b"%PDF-1.4")
    corpus = load_corpus(tmp_path)
    rows = corpus.manifest.set_index("path")
    assert rows.loc[str(tmp_path / "a.txt"), ["language", "encoding"]].tolist() == ["en", "utf-8"]
    assert rows.loc[str(tmp_path / "b.pdf"), ["language", "encoding"]].isna().all()


# ----------------------------------------------------------------------------- encodings

CP1252_TEXT = "The minister said: \u201cWe will not give up\u201d \u2013 and left the caf\u00e9."


def test_cp1252_file_is_decoded_and_the_guess_recorded(tmp_path):
    path = write(tmp_path / "win.txt", CP1252_TEXT.encode("cp1252"))
    corpus = load_corpus(path)
    assert corpus[0].text == CP1252_TEXT
    row = only_row(corpus, path)
    assert (row["status"], row["kind"], row["encoding"]) == ("ok", "encoding_guessed", "cp1252")
    assert "not UTF-8" in row["reason"] and "cp1252" in row["reason"]


def test_latin1_file_is_decoded(tmp_path):
    text = "A na\u00efve caf\u00e9 owner in Z\u00fcrich said prices would rise by 5%."
    corpus = load_corpus(write(tmp_path / "latin.txt", text.encode("latin-1")))
    assert corpus[0].text == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_bom_are_detected_not_binary(tmp_path, codec):
    path = write(tmp_path / "wide.txt", ENGLISH.encode(codec))
    corpus = load_corpus(path)
    assert corpus[0].text == ENGLISH
    row = only_row(corpus, path)
    assert (row["status"], row["encoding"], row["kind"]) == ("ok", codec, "encoding_guessed")


@pytest.mark.parametrize(("codec", "recorded"), [("utf-16", "utf-16"), ("utf-8-sig", "utf-8-sig"),
                                                 ("utf-32", "utf-32")])
def test_byte_order_mark_decides_and_is_no_guess(tmp_path, codec, recorded):
    path = write(tmp_path / "bom.txt", ENGLISH.encode(codec))
    corpus = load_corpus(path)
    assert corpus[0].text == ENGLISH
    row = only_row(corpus, path)
    assert (row["encoding"], row["kind"]) == (recorded, "")


def test_binary_with_nul_bytes_on_both_sides_stays_binary(tmp_path):
    data = bytes(range(256)) * 8
    assert load_one_skipped(write(tmp_path / "blob.txt", data))["kind"] == "binary"


@pytest.mark.parametrize("name", ["feed.jsonl", "data.csv"])
def test_records_file_in_cp1252_is_decoded_whole(tmp_path, name):
    texts = [CP1252_TEXT, "A second story about the caf\u00e9 \u2013 and its owner."]
    if name.endswith(".jsonl"):
        content = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
    else:
        content = "text\n" + "".join(f'"{t}"\n' for t in texts)
    path = write(tmp_path / name, content.encode("cp1252"))
    corpus = load_corpus(path)
    assert [doc.text for doc in corpus] == texts
    rows = rows_for(corpus, path)
    assert (rows["encoding"] == "cp1252").all() and (rows["kind"] == "encoding_guessed").all()


def test_jsonl_in_utf16_without_bom(tmp_path):
    content = json.dumps({"text": ENGLISH}) + "\n" + json.dumps({"text": "Second one."}) + "\n"
    path = write(tmp_path / "feed.jsonl", content.encode("utf-16-le"))
    corpus = load_corpus(path)
    assert [doc.text for doc in corpus] == [ENGLISH, "Second one."]
    assert (rows_for(corpus, path)["encoding"] == "utf-16-le").all()


# ---------------------------------------------------------------------------- CSV dialects


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_csv_with_another_delimiter_loads(tmp_path, delimiter):
    rows = [["title", "date", "text"],
            ["Talks go on", "2004-12-02", "Talks went on; officials said, again, that they would."],
            ["Second", "2004-12-03", "A second body,\nwith a line break; and more."]]
    content = "".join(delimiter.join(f'"{cell}"' if any(c in cell for c in ",;\n|") else cell
                                     for cell in row) + "\n" for row in rows)
    path = write(tmp_path / "data.csv", content)
    corpus = load_corpus(path)
    assert [(doc.title, doc.text) for doc in corpus] == [(r[0], r[2]) for r in rows[1:]]
    assert corpus[0].date == dt.date(2004, 12, 2)


def test_comma_csv_whose_text_holds_semicolons_stays_comma(tmp_path):
    path = write(tmp_path / "data.csv", 'text,title\n"One; two; three; four.",T\n"Five; six.",U\n')
    corpus = load_corpus(path)
    assert [(doc.text, doc.title) for doc in corpus] == [("One; two; three; four.", "T"),
                                                        ("Five; six.", "U")]


def test_one_column_csv_loads(tmp_path):
    path = write(tmp_path / "data.csv", "text\nfirst body.\nsecond body.\n")
    assert [doc.text for doc in load_corpus(path)] == ["first body.", "second body."]


def test_semicolon_csv_without_text_column_lists_its_columns(tmp_path):
    row = load_one_skipped(write(tmp_path / "data.csv", "title;date\nA;2004-01-01\nB;2004-01-02\n"))
    assert row["kind"] == "no_text_column"
    assert "columns are: title, date" in row["reason"]


def test_language_of_a_long_single_line_text_is_judged_on_an_even_sample():
    from analystkit import corpus as corpus_module

    line = " ".join(["The ministry said on Tuesday that the talks would go on."] * 40_000)
    passages = corpus_module._passages(line + " " + GERMAN)
    assert len(passages) == corpus_module._MAX_PASSAGES
    assert all(len(p) <= 2 * corpus_module._PASSAGE_CHARS for p in passages)
    assert detect_language(line).code == "en"


def test_a_csv_with_a_field_over_the_csv_module_limit_loads_and_the_limit_is_put_back(tmp_path):
    import csv

    before = csv.field_size_limit()
    long_text = "The ministry said the talks would go on. " * 4000  # ~170 KB, over 128 KiB
    path = write(tmp_path / "long.csv", f'title,text\nLong,"{long_text}"\n')
    doc = load_corpus(path)[0]
    assert len(doc.text) > 131072
    assert csv.field_size_limit() == before  # no lasting change to the process


@pytest.mark.parametrize("batch_size", [1, 2, 100])
def test_stream_reads_exactly_what_load_corpus_reads(tmp_path, batch_size):
    from analystkit.corpus import CorpusStream

    (tmp_path / "a.txt").write_text("---\ndate: 2020-01-02\n---\nThe first article text.\n")
    (tmp_path / "b.txt").write_text("The first article text.\n")  # a duplicate of a.txt
    (tmp_path / "c.bin").write_bytes(b"\x00\x01")  # unsupported
    (tmp_path / "empty.txt").write_text("")
    records = [{"id": f"r{i}", "title": f"Story {i}", "text": f"Story number {i} is here."}
               for i in range(5)]
    (tmp_path / "d.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n{bad\n")
    whole = load_corpus(tmp_path)
    stream = CorpusStream(tmp_path, batch_size=batch_size)
    batches = list(stream)
    assert all(len(batch) <= batch_size for batch in batches)
    assert [vars(d) for batch in batches for d in batch] == [vars(d) for d in whole]
    pd.testing.assert_frame_equal(stream.manifest, whole.manifest)
    assert stream.n_documents == len(whole) == 6


def test_stream_without_documents_raises_at_the_end(tmp_path):
    from analystkit.corpus import CorpusStream

    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(NoDocumentsError, match="empty.txt"):
        list(CorpusStream(tmp_path, batch_size=10))


def test_stream_closed_early_ends_its_reader(tmp_path):
    import threading

    from analystkit.corpus import CorpusStream

    for i in range(300):
        (tmp_path / f"d{i:03d}.txt").write_text(f"Article {i} has its own words.\n")
    stream = iter(CorpusStream(tmp_path, batch_size=2))
    assert len(next(stream)) == 2
    stream.close()  # the consumer stops: the reader must not wait on a full queue forever
    assert not [t for t in threading.enumerate() if t.name == "analystkit-corpus-reader"]
