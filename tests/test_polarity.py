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

from analystkit.errors import AnalystkitError
from analystkit.polarity import (
    DEFAULT_MODEL_DIR,
    LABELS,
    PolarityModel,
    PolarityModelError,
    check_offsets,
    encode_target,
    load_polarity_model,
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
    out = model.predict(items, batch_size=3)
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
def test_batching_and_order_do_not_change_results(model: PolarityModel) -> None:
    items = HOSTILE + PRAISING
    one = model.predict(items, batch_size=1)
    many = model.predict(items[::-1], batch_size=4)[::-1]
    # int8 dynamic quantization scales activations per batch, so padding and batch company
    # move probabilities a little (measured < 0.03); clear decisions do not change
    for (la, pa), (lb, pb) in zip(one, many, strict=True):
        assert pa == pytest.approx(pb, abs=0.05)
        if max(pa) - sorted(pa)[1] > 0.1:
            assert la == lb


@needs_model
def test_default_scores_do_not_depend_on_the_other_targets(model: PolarityModel) -> None:
    # A target scores the same whatever corpus (and so batch) it comes in: the CLI and a
    # notebook, or a corpus and its subset, give the same numbers.
    items = HOSTILE + PRAISING
    alone = [model.predict_proba([item])[0] for item in items]
    together = model.predict_proba(items[::-1])[::-1]
    for a, b in zip(alone, together, strict=True):
        assert a.tolist() == b.tolist()


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
    encoded = model.encode([span(long_sentence, "Varga")])[0]
    assert len(encoded.ids) <= model.max_length


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


def test_encode_target_window() -> None:
    ids = list(range(1000, 1100))
    offsets = [(2 * i, 2 * i + 1) for i in range(100)]
    e = encode_target(ids, offsets, 100, 103, max_length=12, cls_id=101, sep_id=102,
                      open_id=1, close_id=2)
    assert len(e.ids) == 12
    assert e.ids[0] == 101 and e.ids[-1] == 102
    assert e.ids[e.span[0]] == 1 and e.ids[e.span[1]] == 2
    assert e.ids[e.span[0] + 1:e.span[1]] == [1050, 1051]
    # the context kept is centred on the target
    assert e.ids[1:e.span[0]] == [1047, 1048, 1049]
    assert e.ids[e.span[1] + 1:-1] == [1052, 1053, 1054]


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
    items = [("Ann won the race.", 0, 3), ("Bo lost it.", 0, 2)]
    probs = np.array([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]], dtype=np.float32)
    cache.put("model-a", items, probs)
    found = cache.get("model-a", [items[1], ("Cy ran.", 0, 2), items[0]])
    assert sorted(found) == [0, 2]
    assert found[0].tolist() == probs[1].tolist() and found[2].tolist() == probs[0].tolist()
    assert cache.get("model-b", items) == {}
    assert cache.get("model-a", [("Ann won the race.", 4, 7)]) == {}  # other offsets


def test_score_cache_unreadable_file_is_recomputed_with_a_warning(tmp_path):
    from analystkit.polarity import ScoreCache

    (tmp_path / "polarity-scores.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.warns(UserWarning, match="unreadable"):
        assert ScoreCache(tmp_path).get("m", [("Ann won.", 0, 3)]) == {}


def test_cached_scores_equal_fresh_scores(tmp_path):
    from analystkit.polarity import ScoreCache, load_polarity_model

    model = load_polarity_model()
    items = [("Critics slammed Smith's reckless plan.", 16, 21), ("Ann won the race.", 0, 3)]
    fresh = model.predict_proba(items)
    cache = ScoreCache(tmp_path)
    first = model.predict_proba(items, cache=cache)
    again = model.predict_proba(items, cache=cache)
    assert np.array_equal(fresh, first) and np.array_equal(first, again)
    assert len(cache.get(model.digest, items)) == 2
