"""Tests for analystkit.polarity: loading, output shape, obvious cases, offsets, errors.

The model tests load the shipped ONNX artefact (``analystkit/data/polarity``) offline and are
skipped when it, ``onnxruntime`` or ``tokenizers`` is missing. No torch. The sentences are
invented for these tests.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analystkit.errors import AnalystkitError
from analystkit.polarity import (
    DEFAULT_MODEL_DIR,
    LABELS,
    PolarityModel,
    PolarityModelError,
    check_offsets,
    encode_targets,
    load_polarity_model,
    piece_range,
    plan_passes,
)

HAVE_ARTEFACT = all((DEFAULT_MODEL_DIR / name).is_file()
                    for name in ("model.onnx", "tokenizer.json", "config.json"))
needs_model = pytest.mark.skipif(not HAVE_ARTEFACT, reason="polarity artefact not built")


def span(sentence: str, mention: str) -> tuple[str, int, int]:
    start = sentence.index(mention)
    return sentence, start, start + len(mention)


@pytest.fixture(scope="module")
def model() -> PolarityModel:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tokenizers")
    if not HAVE_ARTEFACT:
        pytest.skip("polarity artefact not built")
    return load_polarity_model()


HOSTILE = [
    span("Critics blasted Senator Harlow as a corrupt liar who betrayed his own voters.",
         "Senator Harlow"),
    span("The report accuses Mayor Ostrander of fraud, abuse of power and shameless lies.",
         "Mayor Ostrander"),
    span("Protesters denounced Kessler's brutal crackdown as a disgrace and a crime.",
         "Kessler"),
]
PRAISING = [
    span("Colleagues praised Dr. Amara Quill as a brilliant, generous and tireless leader.",
         "Dr. Amara Quill"),
    span("Volunteers thanked Governor Lindqvist for her heroic, compassionate response.",
         "Governor Lindqvist"),
    span("Fans celebrated Rovelli, hailing the striker as an inspiring champion.", "Rovelli"),
]


@needs_model
def test_shape_labels_probabilities(model: PolarityModel) -> None:
    items = HOSTILE + PRAISING + [span("The committee met on Tuesday in Oslo.", "committee")]
    out = model.predict(items)
    assert len(out) == len(items)
    for label, probs in out:
        assert label in LABELS
        assert len(probs) == 3
        assert all(0.0 <= p <= 1.0 for p in probs)
        assert sum(probs) == pytest.approx(1.0, abs=1e-4)
        assert label == LABELS[max(range(3), key=probs.__getitem__)]
    assert model.predict([]) == []


@needs_model
def test_obvious_cases(model: PolarityModel) -> None:
    hostile = model.predict(HOSTILE)
    praising = model.predict(PRAISING)
    assert sum(label == -1 for label, _ in hostile) >= 2
    assert sum(label == 1 for label, _ in praising) >= 2
    # on average a hostile sentence is more negative about its target than a praising one
    neg_h = sum(p[0] for _, p in hostile) / len(hostile)
    neg_p = sum(p[0] for _, p in praising) / len(praising)
    assert neg_h > neg_p + 0.3


@needs_model
def test_target_dependence(model: PolarityModel) -> None:
    # one sentence, two targets treated in opposite ways
    sentence = ("Mayor Brandt won praise for rescuing the flood victims, while Okafor was "
                "booed for mocking them.")
    (_, p_b), (_, p_o) = model.predict([span(sentence, "Mayor Brandt"),
                                        span(sentence, "Okafor")])
    assert p_b[2] > p_o[2] + 0.3
    assert p_o[0] > p_b[0] + 0.3


@needs_model
def test_order_does_not_change_results(model: PolarityModel) -> None:
    sentence = "Mayor Brandt praised Okafor, while Lund attacked both of them."
    items = HOSTILE + PRAISING + [span(sentence, name) for name in ("Mayor Brandt", "Okafor",
                                                                     "Lund")]
    forward = model.predict_proba(items)
    backward = model.predict_proba(items[::-1])[::-1]
    assert forward.tolist() == backward.tolist()


@needs_model
def test_scores_do_not_depend_on_other_sentences(model: PolarityModel) -> None:
    # A target scores the same whatever corpus it comes in: the CLI and a notebook, or a
    # corpus and its subset, give the same numbers (one encoder call per sentence).
    items = HOSTILE + PRAISING
    alone = [model.predict_proba([item])[0] for item in items]
    together = model.predict_proba(items[::-1])[::-1]
    for a, b in zip(alone, together, strict=True):
        assert a.tolist() == b.tolist()


@needs_model
def test_targets_of_one_sentence_share_one_pass(model: PolarityModel) -> None:
    sentence = "Mayor Brandt praised Okafor, while Lund attacked both of them."
    items = [span(sentence, "Lund"), ("Ann won.", 0, 3), span(sentence, "Mayor Brandt"),
             span(sentence, "Lund")]  # the last one repeats the first
    passes, owners = model.encode(items)
    assert owners == [[2, 0], [1]]
    assert [len(p.spans) for p in passes] == [2, 1]
    probs = model.predict_proba(items)
    assert probs[3].tolist() == probs[0].tolist()
    # overlapping targets go to separate passes
    passes, owners = model.encode([span(sentence, "Mayor Brandt"), span(sentence, "Brandt")])
    assert owners == [[0], [1]]


@needs_model
def test_robust_inputs(model: PolarityModel) -> None:
    long_left = "The weather was mild and the council discussed road repairs. " * 60
    long_sentence = long_left + "Everyone condemned Varga as a vicious thug." + long_left
    items = [
        ("", 0, 0),  # empty sentence, empty target
        ("Ann", 1, 1),  # empty target inside a word
        span("Zoë Müller-Łukasiewicz, 東京 — “naïve” café owner 😀, was honoured.",
             "Zoë Müller-Łukasiewicz"),
        span(long_sentence, "Varga"),
        ("Varga", 0, 5),  # target is the whole sentence
    ]
    out = model.predict(items)
    assert len(out) == len(items)
    assert all(label in LABELS for label, _ in out)
    passes, _ = model.encode([span(long_sentence, "Varga")])
    assert len(passes) == 1 and len(passes[0].ids) <= model.max_length


@needs_model
@pytest.mark.parametrize("item", [
    ("Ann won.", -1, 3),
    ("Ann won.", 0, 9),
    ("Ann won.", 5, 2),
    ("Ann won.", 0.0, 3),
    ("Ann won.", 0),
    (None, 0, 0),
])
def test_offsets_validation(model: PolarityModel, item: tuple) -> None:
    with pytest.raises(ValueError, match="item 1"):
        model.predict([("Ann won.", 0, 3), item])


def test_check_offsets() -> None:
    check_offsets("Ann won.", 0, 8)
    check_offsets("", 0, 0)
    with pytest.raises(ValueError, match="out of range"):
        check_offsets("Ann", 2, 4)


def _encode(ids, ranges, max_length):
    return encode_targets(ids, ranges, max_length=max_length, cls_id=101, sep_id=102,
                          open_id=1, close_id=2)


def test_encode_targets_window() -> None:
    ids = list(range(1000, 1100))
    offsets = [(2 * i, 2 * i + 1) for i in range(100)]
    rng = piece_range(offsets, 100, 103)
    assert rng == (50, 52)
    e = _encode(ids, [rng], 12)
    assert len(e.ids) == 12
    assert e.ids[0] == 101 and e.ids[-1] == 102
    ((first, last),) = e.spans
    assert e.ids[first] == 1 and e.ids[last] == 2
    assert e.ids[first + 1:last] == [1050, 1051]
    # the context kept is centred on the target
    assert e.ids[1:first] == [1047, 1048, 1049]
    assert e.ids[last + 1:-1] == [1052, 1053, 1054]


def test_encode_targets_marks_each_target_in_order_given() -> None:
    ids = [10, 11, 12, 13, 14]
    e = _encode(ids, [(3, 4), (0, 2)], 32)
    assert e.ids == [101, 1, 10, 11, 2, 12, 1, 13, 2, 14, 102]
    assert e.spans == ((6, 8), (1, 4))
    empty = _encode(ids, [(2, 2)], 32)  # an empty target: the markers side by side
    assert empty.ids == [101, 10, 11, 1, 2, 12, 13, 14, 102] and empty.spans == ((3, 4),)


def test_plan_passes_splits_overlaps_and_what_does_not_fit() -> None:
    assert plan_passes([(0, 2), (1, 3), (5, 6)], max_length=64) == [[0, 2], [1]]
    assert plan_passes([(0, 1), (0, 1)], max_length=64) == [[0], [1]]
    # two targets 40 pieces apart do not fit together in 30 ids
    assert plan_passes([(0, 1), (40, 41)], max_length=30) == [[0], [1]]
    assert plan_passes([], max_length=30) == []


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)), max_size=8),
       st.integers(8, 40))
def test_plan_and_encode_properties(starts_and_widths, max_length) -> None:
    n_pieces = 70
    ids = list(range(1000, 1000 + n_pieces))
    ranges = [(a, min(a + w, n_pieces)) for a, w in starts_and_widths]
    passes = plan_passes(ranges, max_length=max_length)
    assert sorted(i for group in passes for i in group) == list(range(len(ranges)))
    for group in passes:
        e = _encode(ids, [ranges[g] for g in group], max_length)
        assert len(e.ids) <= max_length or len(group) == 1 and len(e.ids) <= max_length + 1
        assert e.ids.count(1) == e.ids.count(2) == len(group)
        for g, (first, last) in zip(group, e.spans, strict=True):
            assert e.ids[first] == 1 and e.ids[last] == 2
            a, b = ranges[g]
            inside = e.ids[first + 1:last]
            assert inside == ids[a:a + len(inside)]
            if len(group) > 1:
                assert inside == ids[a:b]  # several targets are kept whole


def test_missing_folder_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(PolarityModelError, match="nope") as info:
        PolarityModel.load(missing)
    assert isinstance(info.value, AnalystkitError)


@needs_model
def test_missing_and_corrupt_files(tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tokenizers")
    folder = tmp_path / "polarity"
    shutil.copytree(DEFAULT_MODEL_DIR, folder)
    (folder / "model.onnx").write_bytes(b"not an onnx model")
    with pytest.raises(PolarityModelError, match="model.onnx"):
        PolarityModel.load(folder)
    (folder / "config.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(PolarityModelError, match="config.json"):
        PolarityModel.load(folder)
    (folder / "tokenizer.json").unlink()
    with pytest.raises(PolarityModelError, match="tokenizer.json"):
        PolarityModel.load(folder)


@needs_model
def test_metadata_and_cache(model: PolarityModel) -> None:
    config = json.loads((DEFAULT_MODEL_DIR / "config.json").read_text(encoding="utf-8"))
    assert config["labels"] == [-1, 0, 1]
    assert len(config["train_sha256"]) == 64
    assert load_polarity_model() is model
    assert load_polarity_model(DEFAULT_MODEL_DIR) is model


def test_score_cache_returns_the_scores_it_was_given_and_only_for_its_model(tmp_path):
    from analystkit.polarity import ScoreCache

    cache = ScoreCache(tmp_path)
    items = ["Ann won the race. 0-3", "Bo lost it. 0-2"]
    probs = np.array([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]], dtype=np.float32)
    cache.put("model-a", items, probs)
    found = cache.get("model-a", [items[1], "Cy ran. 0-2", items[0]])
    assert sorted(found) == [0, 2]
    assert found[0].tolist() == probs[1].tolist() and found[2].tolist() == probs[0].tolist()
    assert cache.get("model-b", items) == {}


def test_cache_keys_name_the_other_targets_of_the_sentence():
    from analystkit.polarity import _cache_keys

    alone = _cache_keys([("Ann met Bo.", 0, 3)])
    with_bo = _cache_keys([("Ann met Bo.", 0, 3), ("Ann met Bo.", 8, 10), ("Cy ran.", 0, 2)])
    assert alone[0] != with_bo[0]  # Bo marked too: another score
    assert with_bo[2] == _cache_keys([("Cy ran.", 0, 2)])[0]  # other sentences do not count


def test_score_cache_unreadable_file_is_recomputed_with_a_warning(tmp_path):
    from analystkit.polarity import ScoreCache

    (tmp_path / "polarity-scores.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.warns(UserWarning, match="unreadable"):
        assert ScoreCache(tmp_path).get("m", ["Ann won. 0-3"]) == {}


@needs_model
def test_cached_scores_equal_fresh_scores(tmp_path):
    from analystkit.polarity import ScoreCache, _cache_keys, load_polarity_model

    model = load_polarity_model()
    items = [("Critics slammed Smith's reckless plan.", 16, 21), ("Ann won the race.", 0, 3),
             ("Ann won the race.", 0, 3)]
    fresh = model.predict_proba(items)
    cache = ScoreCache(tmp_path)
    first = model.predict_proba(items, cache=cache)
    again = model.predict_proba(items, cache=cache)
    assert np.array_equal(fresh, first) and np.array_equal(first, again)
    assert len(cache.get(model.digest, _cache_keys(items))) == 3
