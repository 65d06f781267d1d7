"""Target-dependent polarity: how does a sentence treat one of the people or things it mentions?

For a sentence and a target mention given by character offsets, :class:`PolarityModel`
predicts negative / neutral / positive (``-1`` / ``0`` / ``1``) with class probabilities.

* The model is all-MiniLM-L6-v2 fine-tuned on the NewsMTSC training set (Hamborg & Donnay,
  EACL 2021) by ``bench/train_polarity.py``, exported to ONNX and quantized to int8. It runs
  with ``onnxruntime`` + ``tokenizers`` + ``numpy`` only: no torch at inference time.
* The target is marked in the input: the marker tokens (``[unused0]`` / ``[unused1]`` of the
  BERT vocabulary) are inserted around the target's word pieces, so each target costs one
  encoder pass. The classifier reads the ``[CLS]`` vector and the mean of the vectors from
  the opening marker to the closing one.
* A sentence longer than the model's maximum length is cut to a window around the target;
  each distinct sentence is tokenized once per :meth:`PolarityModel.predict` call.
* Scores can be kept on disk (:class:`ScoreCache`, SQLite, one file per model digest): a
  target's score depends only on its sentence and offsets (one target per encoder call), so
  a re-run of a report scores only what it has not seen.
* The shipped artefact lives in ``analystkit/data/polarity/`` (``model.onnx``,
  ``tokenizer.json``, ``config.json`` with labels, maximum length, marker tokens, training
  data hash, seed and dev scores).
"""

from __future__ import annotations

import hashlib
import json
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
    "encode_target",
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
    """One target ready for the encoder: word-piece ids and the pooled span.

    Attributes:
        ids: ``[CLS] left [M1] target [M2] right [SEP]`` as vocabulary ids.
        span: ``(first, last)`` positions (inclusive) of the opening and closing markers.
    """

    ids: list[int]
    span: tuple[int, int]


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


def encode_target(
    piece_ids: Sequence[int],
    piece_offsets: Sequence[tuple[int, int]],
    start: int,
    end: int,
    *,
    max_length: int,
    cls_id: int,
    sep_id: int,
    open_id: int,
    close_id: int,
) -> Encoded:
    """Insert the target markers into a tokenized sentence and fit it into ``max_length``.

    The target's word pieces are those overlapping ``[start, end)``; an empty target puts
    both markers at ``start``. If the sentence is too long, the context kept is a window
    centred on the target (a target longer than the window keeps its first pieces).

    Args:
        piece_ids: Word-piece ids of the sentence, without special tokens.
        piece_offsets: ``(start, end)`` character offsets of each word piece.
        start: Character offset of the target's first character.
        end: Character offset just past the target (exclusive).
        max_length: Maximum number of ids including ``[CLS]``, ``[SEP]`` and both markers.
        cls_id: Id of ``[CLS]``.
        sep_id: Id of ``[SEP]``.
        open_id: Id of the opening target marker.
        close_id: Id of the closing target marker.

    Returns:
        The :class:`Encoded` ids and marker span.

    Example:
        >>> e = encode_target([5, 6, 7], [(0, 3), (4, 7), (7, 8)], 4, 7, max_length=16,
        ...                   cls_id=101, sep_id=102, open_id=1, close_id=2)
        >>> e.ids, e.span
        ([101, 5, 1, 6, 2, 7, 102], (2, 4))
    """
    inside = [i for i, (a, b) in enumerate(piece_offsets) if b > start and a < end]
    if inside:
        first, last = inside[0], inside[-1] + 1
    else:
        first = next((i for i, (a, _) in enumerate(piece_offsets) if a >= start),
                     len(piece_offsets))
        last = first
    budget = max(max_length - 4, 1)
    target = list(piece_ids[first:last])[:budget]
    room = budget - len(target)
    n_left, n_right = first, len(piece_ids) - last
    keep_left = min(n_left, room // 2)
    keep_right = min(n_right, room - keep_left)
    keep_left = min(n_left, room - keep_right)
    left = list(piece_ids[first - keep_left:first])
    right = list(piece_ids[last:last + keep_right])
    ids = [cls_id, *left, open_id, *target, close_id, *right, sep_id]
    open_pos = 1 + len(left)
    return Encoded(ids=ids, span=(open_pos, open_pos + len(target) + 1))


def batch_arrays(encoded: Sequence[Encoded]) -> dict[str, np.ndarray]:
    """Pad encoded targets into the model's inputs.

    Args:
        encoded: Targets from :func:`encode_target`.

    Returns:
        ``input_ids`` and ``attention_mask`` (int64) and ``target_mask`` (float32, 1 from the
        opening marker to the closing one), each of shape ``(len(encoded), longest)``.

    Example:
        >>> batch_arrays([Encoded([101, 1, 2, 102], (1, 2))])["target_mask"].tolist()
        [[0.0, 1.0, 1.0, 0.0]]
    """
    width = max(len(e.ids) for e in encoded)
    ids = np.zeros((len(encoded), width), dtype=np.int64)
    attention = np.zeros((len(encoded), width), dtype=np.int64)
    target = np.zeros((len(encoded), width), dtype=np.float32)
    for row, e in enumerate(encoded):
        ids[row, : len(e.ids)] = e.ids
        attention[row, : len(e.ids)] = 1
        target[row, e.span[0] : e.span[1] + 1] = 1.0
    return {"input_ids": ids, "attention_mask": attention, "target_mask": target}


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

    @classmethod
    def load(cls, path: str | Path | None = None, *, threads: int | None = None) -> PolarityModel:
        """Load a polarity model folder.

        Args:
            path: Folder with ``model.onnx``, ``tokenizer.json`` and ``config.json``; default
                the shipped ``analystkit/data/polarity``.
            threads: onnxruntime intra-op threads (default: onnxruntime's choice, all cores).

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
        if threads:
            options.intra_op_num_threads = threads
        try:
            session = ort.InferenceSession(str(folder / MODEL_FILE), options,
                                           providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types
            raise PolarityModelError(
                f"polarity model unreadable: {folder / MODEL_FILE} ({exc})") from exc
        return cls(session, tokenizer, config, folder)

    def encode(self, items: Sequence[tuple[str, int, int]]) -> list[Encoded]:
        """Check offsets and encode targets (each distinct sentence is tokenized once).

        Args:
            items: ``(sentence, start, end)`` triples, ``end`` exclusive.

        Returns:
            One :class:`Encoded` per item, in order.

        Raises:
            ValueError: An item is malformed or its offsets are out of range.

        Example:
            >>> PolarityModel.load().encode([("Ann won.", 0, 3)])[0].span
            (1, 3)
        """
        pieces: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}
        out = []
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
            if sentence not in pieces:
                enc = self._tokenizer.encode(sentence, add_special_tokens=False)
                pieces[sentence] = (enc.ids, enc.offsets)
            ids, offsets = pieces[sentence]
            out.append(encode_target(
                ids, offsets, int(start), int(end), max_length=self.max_length,
                cls_id=self._ids["cls"], sep_id=self._ids["sep"],
                open_id=self._ids["open"], close_id=self._ids["close"]))
        return out

    def predict_proba(self, items: Sequence[tuple[str, int, int]], *, batch_size: int = 1,
                      cache: ScoreCache | None = None) -> np.ndarray:
        """Class probabilities for each target.

        Args:
            items: ``(sentence, start, end)`` triples, ``end`` exclusive.
            batch_size: Targets per encoder call. The default, 1, makes each score depend on
                its own sentence only: the int8 model quantizes activations per call, so in
                a batch of several targets the others shift the scores (by up to 0.2 seen),
                and one target would score differently in two corpora. On 2 cores batches
                of 1 are as fast as batches of 32.
            cache: Scores kept on disk: items found there are not scored again, new ones
                are added (used only with ``batch_size=1``, where a score depends on its
                item alone).

        Returns:
            Array of shape ``(len(items), 3)``: ``p_neg, p_neu, p_pos`` per row.

        Raises:
            ValueError: An item is malformed, its offsets are out of range or
                ``batch_size < 1``.

        Example:
            >>> PolarityModel.load().predict_proba([("Ann won.", 0, 3)]).shape
            (1, 3)
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        encoded = self.encode(items)
        probs = np.zeros((len(encoded), 3), dtype=np.float32)
        cache = cache if batch_size == 1 else None
        known = cache.get(self.digest, items) if cache is not None else {}
        todo = [i for i in range(len(encoded)) if i not in known]
        for i, row in known.items():
            probs[i] = row
        order = sorted(todo, key=lambda i: len(encoded[i].ids))
        for lo in range(0, len(order), batch_size):
            rows = order[lo:lo + batch_size]
            (out,) = self._session.run(["probs"], batch_arrays([encoded[i] for i in rows]))
            probs[rows] = out
        if cache is not None and todo:
            cache.put(self.digest, [items[i] for i in todo], probs[todo])
        return probs

    def predict(self, items: Sequence[tuple[str, int, int]], *, batch_size: int = 1,
                cache: ScoreCache | None = None
                ) -> list[tuple[int, tuple[float, float, float]]]:
        """Polarity of each target towards which its sentence is written.

        Args:
            items: ``(sentence, start, end)`` triples: the target is ``sentence[start:end]``.
            batch_size: Targets per encoder call (see :meth:`predict_proba`).
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
        probs = self.predict_proba(items, batch_size=batch_size, cache=cache)
        return [(self.labels[int(np.argmax(p))], (float(p[0]), float(p[1]), float(p[2])))
                for p in probs]


def _files_digest(folder: Path) -> str:
    """SHA-256 of the model's files: a retrained model never reads another's cached scores."""
    digest = hashlib.sha256()
    for name in (MODEL_FILE, TOKENIZER_FILE, CONFIG_FILE):
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes())
    return digest.hexdigest()


class ScoreCache:
    """Polarity scores on disk: ``FOLDER/polarity-scores.sqlite``, keyed by model and item.

    Unreadable or unwritable files are not fatal: the scores are computed (with a warning).

    Args:
        folder: The cache folder (the annotation cache's, usually).

    Example:
        >>> import tempfile
        >>> cache = ScoreCache(tempfile.mkdtemp())
        >>> cache.put("m", [("Ann won.", 0, 3)], np.array([[0.1, 0.2, 0.7]]))
        >>> found = cache.get("m", [("Ann won.", 0, 3), ("Bo lost.", 0, 2)])
        >>> sorted(found), float(found[0][2]) > 0.69
        ([0], True)
    """

    def __init__(self, folder: str | Path) -> None:
        self.path = Path(folder) / "polarity-scores.sqlite"

    @staticmethod
    def _key(model_digest: str, item: tuple[str, int, int]) -> str:
        sentence, start, end = item
        material = f"{model_digest}\0{int(start)}\0{int(end)}\0{sentence}"
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        connection.execute("CREATE TABLE IF NOT EXISTS scores "
                           "(key TEXT PRIMARY KEY, neg REAL, neu REAL, pos REAL)")
        return connection

    def get(self, model_digest: str, items: Sequence[tuple[str, int, int]]
            ) -> dict[int, np.ndarray]:
        """``{index in items: probabilities}`` for the items already scored."""
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

    def put(self, model_digest: str, items: Sequence[tuple[str, int, int]],
            probs: np.ndarray) -> None:
        """Store the probabilities of ``items`` (row ``i`` of ``probs`` for item ``i``)."""
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
