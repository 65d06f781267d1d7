"""Target-dependent polarity: how does a sentence treat one of the people or things it mentions?

For a sentence and target mentions given by character offsets, :class:`PolarityModel`
predicts negative / neutral / positive (``-1`` / ``0`` / ``1``) with class probabilities.

* The model is all-MiniLM-L6-v2 fine-tuned on the NewsMTSC training set (Hamborg & Donnay,
  EACL 2021) by ``bench/train_polarity.py``, exported to ONNX and quantized to int8. It runs
  with ``onnxruntime`` + ``tokenizers`` + ``numpy`` only: no torch at inference time.
* The targets are marked in the input: marker tokens (``[unused0]`` / ``[unused1]`` of the
  BERT vocabulary) are inserted around each target's word pieces. All targets of a sentence
  are marked in one encoder pass (more passes only for overlapping targets, or targets too
  far apart for one window), and the classifier reads, for each target, the ``[CLS]`` vector
  and the mean of the vectors from its opening marker to its closing one. A news sentence
  mentions two entities on average, so this halves the encoder passes, and the model sees
  the other people a sentence treats (it was trained so, marking the other named-entity
  mentions of training sentences as the kit does).
* A sentence longer than the model's maximum length is cut to a window around its targets;
  each distinct sentence is tokenized once per :meth:`PolarityModel.predict` call.
* Scores can be kept on disk (:class:`ScoreCache`, SQLite, one file per model digest): a
  target's score depends only on its sentence and the targets marked with it (one encoder
  call per pass), so a re-run of a report scores only what it has not seen.
* The shipped artefact lives in ``analystkit/data/polarity/`` (``model.onnx``,
  ``tokenizer.json``, ``config.json`` with labels, maximum length, marker tokens, training
  data hash, seed and dev scores).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import warnings
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import AnalystkitError
from .resources import cached, data_path

__all__ = [
    "DEFAULT_MODEL_DIR",
    "LABELS",
    "PolarityModel",
    "PolarityModelError",
    "ScoreCache",
    "encode_targets",
    "piece_range",
    "plan_passes",
    "load_polarity_model",
]

DEFAULT_MODEL_DIR = data_path("polarity")
"""The shipped model folder (``model.onnx``, ``tokenizer.json``, ``config.json``)."""

LABELS: tuple[int, int, int] = (-1, 0, 1)
"""Class labels in the order of the probability vector: negative, neutral, positive."""

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "config.json"


class PolarityModelError(AnalystkitError):
    """The polarity model folder is missing, incomplete or unreadable (names the path)."""


@dataclass(frozen=True)
class Encoded:
    """One encoder pass: a sentence (or a window of it) with one or more targets marked.

    Attributes:
        ids: ``[CLS] ... [M1] target [M2] ... [M1] target [M2] ... [SEP]`` as vocabulary ids.
        spans: ``(first, last)`` positions (inclusive) of each target's opening and closing
            markers, in the order the targets were given.
    """

    ids: list[int]
    spans: tuple[tuple[int, int], ...]


def check_offsets(sentence: str, start: int, end: int) -> None:
    """Raise :class:`ValueError` unless ``0 <= start <= end <= len(sentence)``.

    Args:
        sentence: The sentence text.
        start: Character offset of the target's first character.
        end: Character offset just past the target (exclusive).

    Example:
        >>> check_offsets("Ann won.", 0, 3)
    """
    if not isinstance(sentence, str):
        raise ValueError(f"sentence must be a str, got {type(sentence).__name__}")
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise ValueError(f"{name} must be an int, got {type(value).__name__}")
    if not 0 <= start <= end <= len(sentence):
        raise ValueError(
            f"target offsets ({start}, {end}) out of range for a sentence of "
            f"{len(sentence)} characters (need 0 <= start <= end <= len(sentence))"
        )


def piece_range(piece_offsets: Sequence[tuple[int, int]], start: int, end: int
                ) -> tuple[int, int]:
    """The word pieces ``[first, last)`` of the target ``[start, end)`` of a sentence.

    A target that overlaps no piece (empty, or on white space) gets the empty range at the
    first piece starting at or after ``start``.

    Example:
        >>> piece_range([(0, 3), (4, 7), (7, 8)], 4, 7)
        (1, 2)
    """
    inside = [i for i, (a, b) in enumerate(piece_offsets) if b > start and a < end]
    if inside:
        return inside[0], inside[-1] + 1
    first = next((i for i, (a, _) in enumerate(piece_offsets) if a >= start),
                 len(piece_offsets))
    return first, first


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a == b:
        return True
    return a[0] < b[1] and b[0] < a[1]


def plan_passes(ranges: Sequence[tuple[int, int]], *, max_length: int) -> list[list[int]]:
    """Group targets into encoder passes: no two overlapping targets in one pass, and each
    pass's targets fit, with their markers, in ``max_length`` ids.

    Args:
        ranges: Word-piece ranges ``[first, last)`` of the targets of one sentence.
        max_length: Maximum ids per pass (``[CLS]``, ``[SEP]`` and markers included).

    Returns:
        Lists of indices into ``ranges``, each in order of position; every index once.

    Example:
        >>> plan_passes([(0, 2), (1, 3), (5, 6)], max_length=64)
        [[0, 2], [1]]
    """
    passes: list[list[int]] = []
    for index in sorted(range(len(ranges)), key=lambda i: (ranges[i], i)):
        rng = ranges[index]
        for members in passes:
            lo = min(ranges[m][0] for m in members)
            needed = max(ranges[m][1] for m in members + [index]) - min(lo, rng[0])
            fits = needed + 2 * (len(members) + 1) + 2 <= max_length
            if fits and not any(_overlap(rng, ranges[m]) for m in members):
                members.append(index)
                break
        else:
            passes.append([index])
    return [sorted(members, key=lambda i: (ranges[i], i)) for members in passes]


def encode_targets(
    piece_ids: Sequence[int],
    ranges: Sequence[tuple[int, int]],
    *,
    max_length: int,
    cls_id: int,
    sep_id: int,
    open_id: int,
    close_id: int,
) -> Encoded:
    """Mark non-overlapping targets of one tokenized sentence and fit it into ``max_length``.

    If the sentence is too long, the context kept is a window around the targets (a single
    target longer than the window keeps its first pieces).

    Args:
        piece_ids: Word-piece ids of the sentence, without special tokens.
        ranges: Word-piece ranges of the targets (:func:`piece_range`), not overlapping
            (:func:`plan_passes` makes such groups).
        max_length: Maximum number of ids including ``[CLS]``, ``[SEP]`` and the markers.
        cls_id: Id of ``[CLS]``.
        sep_id: Id of ``[SEP]``.
        open_id: Id of the opening target marker.
        close_id: Id of the closing target marker.

    Returns:
        The :class:`Encoded` ids and the marker span of each target, in the given order.

    Example:
        >>> e = encode_targets([5, 6, 7], [(1, 2)], max_length=16,
        ...                    cls_id=101, sep_id=102, open_id=1, close_id=2)
        >>> e.ids, e.spans
        ([101, 5, 1, 6, 2, 7, 102], ((2, 4),))
    """
    order = sorted(range(len(ranges)), key=lambda i: (ranges[i], i))
    first = min(r[0] for r in ranges)
    last = max(r[1] for r in ranges)
    budget = max(max_length - 2 - 2 * len(ranges), 1)
    if len(ranges) == 1 and last - first > budget:
        last = first + budget  # a target longer than the window keeps its first pieces
    room = max(budget - (last - first), 0)
    n_left, n_right = first, len(piece_ids) - last
    keep_left = min(n_left, room // 2)
    keep_right = min(n_right, room - keep_left)
    keep_left = min(n_left, room - keep_right)
    lo, hi = first - keep_left, last + keep_right
    ids = [cls_id]
    spans: dict[int, tuple[int, int]] = {}
    position = lo
    for index in order:
        a, b = ranges[index]
        a, b = max(a, position), min(max(b, a), hi)
        ids += piece_ids[position:a]
        opening = len(ids)
        ids += [open_id, *piece_ids[a:b], close_id]
        spans[index] = (opening, len(ids) - 1)
        position = b
    ids += [*piece_ids[position:hi], sep_id]
    return Encoded(ids=list(ids), spans=tuple(spans[i] for i in range(len(ranges))))


def batch_arrays(encoded: Sequence[Encoded]) -> dict[str, np.ndarray]:
    """Pad encoder passes into the model's inputs.

    Args:
        encoded: Passes from :func:`encode_targets`.

    Returns:
        ``input_ids`` and ``attention_mask`` (int64, ``(passes, longest)``), ``target_mask``
        (float32, ``(targets, longest)``: 1 from a target's opening marker to its closing
        one) and ``target_pass`` (int64, ``(targets,)``: the row of each target's pass).

    Example:
        >>> arrays = batch_arrays([Encoded([101, 1, 2, 102], ((1, 2),))])
        >>> arrays["target_mask"].tolist(), arrays["target_pass"].tolist()
        ([[0.0, 1.0, 1.0, 0.0]], [0])
    """
    width = max(len(e.ids) for e in encoded)
    n_targets = sum(len(e.spans) for e in encoded)
    ids = np.zeros((len(encoded), width), dtype=np.int64)
    attention = np.zeros((len(encoded), width), dtype=np.int64)
    target = np.zeros((n_targets, width), dtype=np.float32)
    target_pass = np.zeros(n_targets, dtype=np.int64)
    t = 0
    for row, e in enumerate(encoded):
        ids[row, : len(e.ids)] = e.ids
        attention[row, : len(e.ids)] = 1
        for first, last in e.spans:
            target[t, first:last + 1] = 1.0
            target_pass[t] = row
            t += 1
    return {"input_ids": ids, "attention_mask": attention, "target_mask": target,
            "target_pass": target_pass}


class PolarityModel:
    """Target-dependent polarity classifier (ONNX int8, torch-free).

    Use :meth:`load` (or the cached :func:`load_polarity_model`) to build one.

    Example:
        >>> model = PolarityModel.load()
        >>> label, probs = model.predict([("Critics slammed Smith's reckless plan.", 16, 21)])[0]
        >>> label in (-1, 0, 1) and abs(sum(probs) - 1) < 1e-5
        True
    """

    def __init__(self, session: object, tokenizer: object, config: dict, path: Path) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self.config = config
        self.path = path
        self.digest = _files_digest(path)
        self.max_length = int(config["max_length"])
        self.labels = tuple(int(x) for x in config.get("labels", LABELS))
        markers = config["markers"]
        ids = {name: tokenizer.token_to_id(tok)
               for name, tok in (("cls", "[CLS]"), ("sep", "[SEP]"),
                                 ("open", markers[0]), ("close", markers[1]))}
        missing = [name for name, value in ids.items() if value is None]
        if missing:
            raise PolarityModelError(
                f"{path / TOKENIZER_FILE}: tokens missing from the vocabulary: {missing}")
        self._ids = ids
        self.threads = 1

    @classmethod
    def load(cls, path: str | Path | None = None, *, threads: int | None = None) -> PolarityModel:
        """Load a polarity model folder.

        Args:
            path: Folder with ``model.onnx``, ``tokenizer.json`` and ``config.json``; default
                the shipped ``analystkit/data/polarity``.
            threads: Encoder passes run side by side, each on one onnxruntime thread
                (default: one per core; 1.3x two threads per call, measured on 2 cores).

        Returns:
            The loaded :class:`PolarityModel`.

        Raises:
            PolarityModelError: The folder or one of its files is missing or unreadable.

        Example:
            >>> PolarityModel.load().labels
            (-1, 0, 1)
        """
        folder = Path(path) if path is not None else DEFAULT_MODEL_DIR
        if not folder.is_dir():
            raise PolarityModelError(
                f"polarity model folder not found: {folder} (expected {MODEL_FILE}, "
                f"{TOKENIZER_FILE} and {CONFIG_FILE}; train one with bench/train_polarity.py)")
        for name in (MODEL_FILE, TOKENIZER_FILE, CONFIG_FILE):
            if not (folder / name).is_file():
                raise PolarityModelError(f"polarity model file missing: {folder / name}")
        try:
            config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
            config["max_length"], config["markers"][1]
        except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
            raise PolarityModelError(
                f"polarity model config unreadable: {folder / CONFIG_FILE} ({exc!r})") from exc
        try:
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
            tokenizer.no_truncation()
            tokenizer.no_padding()
        except ImportError as exc:
            raise PolarityModelError("the polarity model needs `pip install tokenizers`") from exc
        except Exception as exc:  # tokenizers raises plain Exception on bad files
            raise PolarityModelError(
                f"polarity tokenizer unreadable: {folder / TOKENIZER_FILE} ({exc})") from exc
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise PolarityModelError("the polarity model needs `pip install onnxruntime`") from exc
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        try:
            session = ort.InferenceSession(str(folder / MODEL_FILE), options,
                                           providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types
            raise PolarityModelError(
                f"polarity model unreadable: {folder / MODEL_FILE} ({exc})") from exc
        model = cls(session, tokenizer, config, folder)
        model.threads = max(1, int(threads)) if threads else max(1, os.cpu_count() or 1)
        return model

    def encode(self, items: Sequence[tuple[str, int, int]]
               ) -> tuple[list[Encoded], list[list[int]]]:
        """Check offsets and plan the encoder passes: one per sentence, all of its targets
        marked (more passes only where targets overlap or do not fit together).

        Args:
            items: ``(sentence, start, end)`` triples, ``end`` exclusive.

        Returns:
            The passes, and for each pass the index in ``items`` of each marked target
            (an item given twice is encoded once and listed first where it first occurs).

        Raises:
            ValueError: An item is malformed or its offsets are out of range.

        Example:
            >>> passes, owners = PolarityModel.load().encode([("Ann met Bo.", 0, 3),
            ...                                              ("Ann met Bo.", 8, 10)])
            >>> len(passes), owners
            (1, [[0, 1]])
        """
        by_sentence: dict[str, dict[tuple[int, int], int]] = {}
        for index, item in enumerate(items):
            try:
                sentence, start, end = item
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"item {index}: expected (sentence, start, end), got {item!r}") from exc
            try:
                check_offsets(sentence, start, end)
            except ValueError as exc:
                raise ValueError(f"item {index}: {exc}") from None
            by_sentence.setdefault(sentence, {}).setdefault((int(start), int(end)), index)
        passes, owners = [], []
        sentences = list(by_sentence)
        encodings = self._tokenizer.encode_batch(sentences, add_special_tokens=False)
        for sentence, enc in zip(sentences, encodings, strict=True):
            targets = by_sentence[sentence]
            spans = list(targets)
            ranges = [piece_range(enc.offsets, start, end) for start, end in spans]
            for group in plan_passes(ranges, max_length=self.max_length):
                passes.append(encode_targets(
                    enc.ids, [ranges[g] for g in group], max_length=self.max_length,
                    cls_id=self._ids["cls"], sep_id=self._ids["sep"],
                    open_id=self._ids["open"], close_id=self._ids["close"]))
                owners.append([targets[spans[g]] for g in group])
        return passes, owners

    def predict_proba(self, items: Sequence[tuple[str, int, int]], *,
                      cache: ScoreCache | None = None) -> np.ndarray:
        """Class probabilities for each target.

        The targets of one sentence are scored together, in one encoder pass with all of
        them marked, so a target's score depends on its sentence and on the other targets of
        that sentence given in the same call (the kit always gives every mention of a
        sentence). Each pass is its own encoder call: the int8 model quantizes activations
        per call, so batching passes would let other sentences shift the scores.

        Args:
            items: ``(sentence, start, end)`` triples, ``end`` exclusive.
            cache: Scores kept on disk: sentences whose targets are found there (the same
                model, sentence and set of targets) are not scored again.

        Returns:
            Array of shape ``(len(items), 3)``: ``p_neg, p_neu, p_pos`` per row.

        Raises:
            ValueError: An item is malformed or its offsets are out of range.

        Example:
            >>> PolarityModel.load().predict_proba([("Ann won.", 0, 3)]).shape
            (1, 3)
        """
        passes, owners = self.encode(items)
        probs = np.zeros((len(items), 3), dtype=np.float32)
        first = {}  # an item given twice gets the score of its first occurrence
        for members in owners:
            for index in members:
                first[_item_key(items[index])] = index
        keys = _cache_keys(items) if cache is not None else []
        known = cache.get(self.digest, keys) if cache is not None else {}
        todo = []
        for encoded, members in zip(passes, owners, strict=True):
            if all(index in known for index in members):
                for index in members:
                    probs[index] = known[index]
            else:
                todo.append((encoded, members))

        done = set()
        for (_, members), out in zip(todo, self._run([p for p, _ in todo]), strict=True):
            probs[members] = out
            done.update(members)
        for index, item in enumerate(items):
            probs[index] = probs[first[_item_key(item)]]
        if cache is not None and done:
            todo = sorted(done)
            cache.put(self.digest, [keys[i] for i in todo], probs[todo])
        return probs

    def _run(self, passes: list[Encoded]) -> list[np.ndarray]:
        """Probabilities of each pass's targets, one encoder call per pass."""
        def run(encoded: Encoded) -> np.ndarray:
            return self._session.run(["probs"], batch_arrays([encoded]))[0]

        if self.threads > 1 and len(passes) > 1:  # onnxruntime releases the GIL in run()
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(self.threads) as pool:
                return list(pool.map(run, passes))
        return [run(encoded) for encoded in passes]

    def predict(self, items: Sequence[tuple[str, int, int]], *,
                cache: ScoreCache | None = None
                ) -> list[tuple[int, tuple[float, float, float]]]:
        """Polarity of each target towards which its sentence is written.

        Args:
            items: ``(sentence, start, end)`` triples: the target is ``sentence[start:end]``.
            cache: Scores kept on disk (see :meth:`predict_proba`).

        Returns:
            One ``(label, (p_neg, p_neu, p_pos))`` per item, ``label`` in ``-1, 0, 1``.

        Raises:
            ValueError: An item is malformed or its offsets are out of range.

        Example:
            >>> model = load_polarity_model()
            >>> s = "Critics slammed Smith's reckless, corrupt plan."
            >>> model.predict([(s, 16, 21)])[0][0]
            -1
        """
        probs = self.predict_proba(items, cache=cache)
        return [(self.labels[int(np.argmax(p))], (float(p[0]), float(p[1]), float(p[2])))
                for p in probs]


def _files_digest(folder: Path) -> str:
    """SHA-256 of the model's files: a retrained model never reads another's cached scores."""
    digest = hashlib.sha256()
    for name in (MODEL_FILE, TOKENIZER_FILE, CONFIG_FILE):
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes())
    return digest.hexdigest()


def _item_key(item: tuple[str, int, int]) -> tuple[str, int, int]:
    sentence, start, end = item
    return sentence, int(start), int(end)


def _cache_keys(items: Sequence[tuple[str, int, int]]) -> list[str]:
    """One key per item: its sentence, its offsets and the offsets of every target of that
    sentence among ``items`` (they are marked in the same pass, so they shape its score)."""
    spans: dict[str, set[tuple[int, int]]] = {}
    for sentence, start, end in map(_item_key, items):
        spans.setdefault(sentence, set()).add((start, end))
    signature = {sentence: ";".join(f"{a},{b}" for a, b in sorted(found))
                 for sentence, found in spans.items()}
    return [f"{start}\0{end}\0{signature[sentence]}\0{sentence}"
            for sentence, start, end in map(_item_key, items)]


class ScoreCache:
    """Polarity scores on disk: ``FOLDER/polarity-scores.sqlite``, keyed by model and item
    (an item's key is built by :meth:`PolarityModel.predict_proba`: its sentence, offsets
    and the other targets of the sentence).

    Unreadable or unwritable files are not fatal: the scores are computed (with a warning).

    Args:
        folder: The cache folder (the annotation cache's, usually).

    Example:
        >>> import tempfile
        >>> cache = ScoreCache(tempfile.mkdtemp())
        >>> cache.put("m", ["Ann won. 0-3"], np.array([[0.1, 0.2, 0.7]]))
        >>> found = cache.get("m", ["Ann won. 0-3", "Bo lost. 0-2"])
        >>> sorted(found), float(found[0][2]) > 0.69
        ([0], True)
    """

    def __init__(self, folder: str | Path) -> None:
        self.path = Path(folder) / "polarity-scores.sqlite"

    @staticmethod
    def _key(model_digest: str, item_key: str) -> str:
        return hashlib.sha256(f"{model_digest}\0{item_key}".encode()).hexdigest()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        connection.execute("CREATE TABLE IF NOT EXISTS scores "
                           "(key TEXT PRIMARY KEY, neg REAL, neu REAL, pos REAL)")
        return connection

    def get(self, model_digest: str, items: Sequence[str]) -> dict[int, np.ndarray]:
        """``{index in items: probabilities}`` for the item keys already scored."""
        keys = [self._key(model_digest, item) for item in items]
        found: dict[str, np.ndarray] = {}
        try:
            with closing(self._connect()) as connection:
                for lo in range(0, len(keys), 500):
                    chunk = keys[lo:lo + 500]
                    marks = ",".join("?" * len(chunk))
                    for key, *row in connection.execute(
                            f"SELECT key, neg, neu, pos FROM scores WHERE key IN ({marks})",
                            chunk):
                        found[key] = np.array(row, dtype=np.float32)
        except sqlite3.Error as exc:
            warnings.warn(f"analystkit: polarity score cache {self.path} unreadable ({exc}); "
                          "scores are recomputed", stacklevel=3)
            return {}
        return {i: found[key] for i, key in enumerate(keys) if key in found}

    def put(self, model_digest: str, items: Sequence[str], probs: np.ndarray) -> None:
        """Store the probabilities of the item keys (row ``i`` of ``probs`` for key ``i``)."""
        rows = [(self._key(model_digest, item), *map(float, p))
                for item, p in zip(items, probs, strict=True)]
        try:
            with closing(self._connect()) as connection, connection:
                connection.executemany("INSERT OR REPLACE INTO scores VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:
            warnings.warn(f"analystkit: cannot write the polarity score cache {self.path} "
                          f"({exc})", stacklevel=3)


def load_polarity_model(path: str | Path | None = None) -> PolarityModel:
    """Load a polarity model once per folder and reuse it.

    Args:
        path: Model folder; default the shipped ``analystkit/data/polarity``.

    Returns:
        The cached :class:`PolarityModel` for that folder.

    Raises:
        PolarityModelError: The folder or one of its files is missing or unreadable.

    Example:
        >>> load_polarity_model() is load_polarity_model()
        True
    """
    folder = (Path(path) if path is not None else DEFAULT_MODEL_DIR).resolve()
    return cached("polarity_model", (folder,), lambda: PolarityModel.load(folder))
