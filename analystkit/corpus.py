"""Load news articles into a :class:`Corpus` of :class:`Document` with a manifest.

Raw files are never modified: the loader reads them, normalises the text in memory and keeps
a record of every change, so that character offsets in all later tables refer to
``Document.text`` and can be traced back to the file.

Supported inputs: a file, a folder (searched recursively, sorted by path) or a list of both.

======== ==================================================================================
Format   What is read
======== ==================================================================================
.txt     the whole file; optional YAML front matter between ``---`` lines
.md      as .txt
.html    visible text only (no script, style, head); title from ``<title>``/``og:title``
.jsonl   one document per line: a text field (``text``, ``body``, ``content``) + metadata
.csv     one document per row: a text column + metadata columns
======== ==================================================================================

Metadata per document (``id, title, date, source, url`` plus any extra keys) comes, in rising
priority, from a title-case first line (taken as the headline), HTML tags, a sidecar file
``NAME.meta.json`` / ``NAME.meta.yaml`` beside ``NAME.txt``, YAML front matter, or the record's
own fields. Inputs that cannot be used are skipped and listed in :attr:`Corpus.manifest`
with the reason; nothing is dropped silently.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import html.parser
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .errors import InputError, NoDocumentsError, Reason, reason

__all__ = ["Document", "Corpus", "load_corpus", "normalise_text", "parse_date"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", ".csv")
SIDECAR_SUFFIXES = (".meta.json", ".meta.yaml", ".meta.yml")
TEXT_FIELDS = ("text", "body", "content", "article")
META_FIELDS = ("id", "title", "date", "source", "url")
EXTRA_DATE_FIELDS = ("reference_date",)
"""Metadata keys besides ``date`` that are parsed as dates (an analyst's working date)."""
DEFAULT_MAX_BYTES = 20_000_000
"""Largest single document (a file, or one record's text) accepted by default."""

MANIFEST_COLUMNS = ["path", "record", "doc_id", "status", "kind", "reason"]


@dataclass
class Document:
    """One article: normalised text, metadata and a record of normalisation.

    Attributes:
        doc_id: Stable id: a slug of the file name (or record id) plus 8 hex digits of the
            text's SHA-256, so the same article under the same name always gets the same id.
        text: The normalised text; all character offsets refer to it.
        title: Headline, if known.
        date: Publication date, if known (never guessed).
        source: Publisher or feed, if known.
        url: Where the article came from, if known.
        path: The file it was read from.
        record: Line (JSONL) or row (CSV) number inside ``path``; ``None`` for single files.
        headline_end: When the title was taken from the text's first line, the offset where
            that line ends (later steps treat ``text[:headline_end]`` as a headline).
        meta: Any further metadata (e.g. ``reference_date`` for an analyst's assumption).
        changes: What normalisation changed, as ``{kind: count}``.
    """

    doc_id: str
    text: str
    title: str | None = None
    date: dt.date | None = None
    source: str | None = None
    url: str | None = None
    path: str = ""
    record: int | None = None
    headline_end: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)

    @property
    def text_hash(self) -> str:
        """SHA-256 of the normalised text (hex)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def n_words(self) -> int:
        """Whitespace-separated words in the text."""
        return len(self.text.split())


@dataclass
class Corpus:
    """Documents plus the manifest of every input that was looked at.

    Attributes:
        documents: The documents that were read, in input order.
        manifest: One row per input (file, or record of a JSONL/CSV file) with columns
            ``path, record, doc_id, status, kind, reason``; ``status`` is ``ok`` or
            ``skipped``; ``reason`` says why an input was skipped or, for ``ok`` rows, what was
            adjusted; ``kind`` is the reason's short name (``duplicate``, ``bad_json``, ...).
    """

    documents: list[Document]
    manifest: pd.DataFrame

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __getitem__(self, index: int) -> Document:
        return self.documents[index]

    @property
    def n_words(self) -> int:
        """Whitespace-separated words over all documents."""
        return sum(doc.n_words for doc in self.documents)

    @property
    def skipped(self) -> pd.DataFrame:
        """The manifest rows of inputs that were skipped."""
        return self.manifest[self.manifest["status"] == "skipped"]

    def summary(self) -> str:
        """One line: documents, words, skipped inputs."""
        n_skipped = len(self.skipped)
        line = f"Corpus: {len(self.documents):,} documents, {self.n_words:,} words"
        if n_skipped:
            line += f" ({n_skipped:,} inputs skipped: see the manifest)"
        return line

    def __repr__(self) -> str:
        return f"<{self.summary()}>"

    __str__ = summary


# --------------------------------------------------------------------------- normalisation

_EXOTIC_SPACES = "\u00a0\u2000-\u200a\u202f\u205f\u3000"
_SPACE_RUN = re.compile(rf"[ \t{_EXOTIC_SPACES}]{{2,}}|[{_EXOTIC_SPACES}]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A hyphen detached from the word it joins, as scrapers leave it: "USA -backed", "six-year -old".
# Only a lowercase continuation after a word character, so " - " dashes and "-5" stay.
_DETACHED_HYPHEN = re.compile(r"(?<=\w) -(?=[a-z]{2,})")
_TRAILING_SPACE = re.compile(r"[ \t]+(?=\n)")


def normalise_text(text: str) -> tuple[str, dict[str, int]]:
    """Normalise scraped text and report what changed.

    Steps, each counted in the returned record: ``bom`` (byte-order marks removed),
    ``newlines`` (CRLF/CR to LF), ``nfc`` (Unicode NFC composition), ``control`` (control
    characters removed), ``zero_width`` (zero-width characters removed), ``spaces`` (runs of
    spaces and exotic spaces to one space), ``detached_hyphen`` ("USA -backed" to
    "USA-backed"), ``trailing_space`` (spaces before a line break).

    Args:
        text: Decoded text.

    Returns:
        The normalised text and ``{kind: count}`` for the kinds that changed something.

    Example:
        >>> normalise_text("the six-year -old war\\r\\n")
        ('the six-year-old war\\n', {'newlines': 1, 'detached_hyphen': 1})
    """
    changes: dict[str, int] = {}

    def count(kind: str, n: int) -> None:
        if n:
            changes[kind] = changes.get(kind, 0) + n

    if text.startswith("\ufeff"):
        text = text[1:]
        count("bom", 1)
    n_crlf = text.count("\r\n")
    text = text.replace("\r\n", "\n")
    n_cr = text.count("\r")
    text = text.replace("\r", "\n")
    count("newlines", n_crlf + n_cr)
    if not unicodedata.is_normalized("NFC", text):
        nfc = unicodedata.normalize("NFC", text)
        count("nfc", max(1, len(text) - len(nfc)))
        text = nfc
    for kind, pattern, replacement in (
        ("control", _CONTROL, ""),
        ("zero_width", _ZERO_WIDTH, ""),
        ("spaces", _SPACE_RUN, " "),
        ("detached_hyphen", _DETACHED_HYPHEN, "-"),
        ("trailing_space", _TRAILING_SPACE, ""),
    ):
        text, n = pattern.subn(replacement, text)
        count(kind, n)
    return text, changes


# --------------------------------------------------------------------------------- dates

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%d-%b-%Y",
    "%d.%m.%Y",
    "%a, %d %b %Y %H:%M:%S %z",
    "%a, %d %b %Y %H:%M:%S %Z",
)


def parse_date(value: Any) -> dt.date | None:
    """Parse a publication date from metadata.

    Accepts ``datetime.date``/``datetime``, ISO 8601 (``2017-06-08``, ``2017-06-08T10:00Z``),
    RFC 2822 (RSS ``pubDate``) and common written forms (``8 June 2017``, ``June 8, 2017``).
    Ambiguous numeric forms such as ``06/08/2017`` are rejected rather than guessed.

    Args:
        value: The metadata value; ``None`` or an empty string mean "no date".

    Returns:
        The date, or ``None`` when there is no value.

    Raises:
        ValueError: If a value is given but is not a date in a known form.

    Example:
        >>> parse_date("June 8, 2017")
        datetime.date(2017, 6, 8)
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


# --------------------------------------------------------------------------------- HTML

_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "blockquote", "pre", "figcaption", "hr", "dd", "dt",
}


class _VisibleText(html.parser.HTMLParser):
    """Collects visible text, the ``<title>`` and a few ``<meta>`` values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            values = dict(attrs)
            key = (values.get("property") or values.get("name") or "").lower()
            if key and values.get("content"):
                self.meta[key] = values["content"] or ""
        elif tag == "title":
            self._in_title = True
        elif tag in _SKIP_TAGS:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in _SKIP_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif not self._skip_depth:
            self.parts.append(data)

    def text(self) -> str:
        joined = "".join(self.parts)
        # Inside a block, source line breaks are just spaces; blocks become paragraphs.
        blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n", joined)]
        return "\n\n".join(block for block in blocks if block)


def _html_to_text(raw: str) -> tuple[str, dict[str, Any]]:
    parser = _VisibleText()
    parser.feed(raw)
    parser.close()
    meta: dict[str, Any] = {}
    title = " ".join("".join(parser.title_parts).split()) or parser.meta.get("og:title")
    if title:
        meta["title"] = title
    for key, name in (
        ("article:published_time", "date"),
        ("og:url", "url"),
        ("og:site_name", "source"),
    ):
        if parser.meta.get(key):
            meta[name] = parser.meta[key]
    return parser.text(), meta


# ----------------------------------------------------------------------------- decoding

def _decode(raw: bytes, encoding: str, errors: str = "strict") -> str:
    """Decode bytes, honouring a UTF-16/32 byte-order mark; raises InputError-ready reasons."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            encoding = codec
            break
    else:
        head = raw[:8192]
        if b"\x00" in head or _looks_binary(head):
            raise _Skip(reason("binary"))
    try:
        return raw.decode(encoding, errors)
    except UnicodeDecodeError as exc:
        detail = f"byte 0x{raw[exc.start]:02x} at offset {exc.start}"
        raise _Skip(reason("undecodable", encoding=encoding.upper(), detail=detail)) from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls / len(head) > 0.05


class _Skip(Exception):
    """Internal: this input is skipped for the reason given."""


# ----------------------------------------------------------------------------- metadata

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


class _MetadataLoader(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay strings for :func:`parse_date`, so an
    impossible date ("2017-02-30") is reported as a bad date instead of failing the file."""


_MetadataLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_MetadataLoader)  # noqa: S506 - a SafeLoader subclass


def _split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = _load_yaml(match.group(1) or "") or {}
    except yaml.YAMLError as exc:
        raise _Skip(reason("bad_front_matter", detail=_one_line(exc))) from None
    if not isinstance(meta, dict):
        detail = f"expected a mapping, got {type(meta).__name__}"
        raise _Skip(reason("bad_front_matter", detail=detail))
    return meta, text[match.end():]


def _read_sidecar(path: Path) -> dict[str, Any]:
    for suffix in SIDECAR_SUFFIXES:
        sidecar = path.with_name(path.stem + suffix)
        if not sidecar.is_file():
            continue
        try:
            content = sidecar.read_text(encoding="utf-8")
            meta = json.loads(content) if suffix == ".meta.json" else _load_yaml(content)
        except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
            detail = _one_line(exc)
            raise _Skip(reason("bad_sidecar", sidecar=sidecar.name, detail=detail)) from None
        if not isinstance(meta, dict):
            raise _Skip(reason("bad_sidecar", sidecar=sidecar.name, detail="expected a mapping"))
        return meta
    return {}


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def _is_title_case_line(line: str) -> bool:
    """A short line without final punctuation whose words are mostly capitalised."""
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    if not 1 <= len(words) <= 25 or len(line) > 200 or line.rstrip()[-1:] in ".!?:;,\"”":
        return False
    content = [word for word in words if len(word) > 3]
    if not content:
        return False
    capitalised = sum(1 for word in content if word[0].isupper())
    return capitalised / len(content) >= 0.8


def _headline(text: str) -> tuple[str, int] | None:
    """The first line as a headline, with its end offset, if it looks like one."""
    stripped = text.lstrip()
    start = len(text) - len(stripped)
    end = text.find("\n", start)
    if end == -1:
        return None  # a one-line document is body text, not a headline
    line = text[start:end].strip()
    if line and _is_title_case_line(line):
        return line, end
    return None


_SLUG = re.compile(r"[^A-Za-z0-9_.-]+")


def _slug(value: str) -> str:
    return _SLUG.sub("-", value).strip("-.")[:60] or "doc"


# ------------------------------------------------------------------------------ loading

@dataclass
class _Loader:
    """Walks the inputs and builds documents and manifest rows."""

    encoding: str
    max_bytes: int
    documents: list[Document] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    seen: dict[str, Document] = field(default_factory=dict)

    def note(self, path: Path | str, status: str, why: str = "", *, record: int | None = None,
             doc_id: str | None = None) -> None:
        self.rows.append({"path": str(path), "record": record, "doc_id": doc_id, "status": status,
                          "kind": getattr(why, "kind", ""), "reason": str(why)})

    def add(self, path: Path, text: str, meta: dict[str, Any], *,
            record: int | None = None) -> None:
        """Normalise one text, validate its metadata, and keep it unless it is skipped."""
        text, changes = normalise_text(text)
        if not text.strip():
            self.note(path, "skipped", reason("empty"), record=record)
            return
        warnings: list[Reason] = []
        headline_end = None
        title = _clean_str(meta.get("title"))
        found = _headline(text)
        if found and title in (None, found[0]):
            title, headline_end = found
        try:
            date = parse_date(meta.get("date"))
        except (ValueError, TypeError, OverflowError):
            warnings.append(reason("bad_date", value=meta.get("date")))
            date = None
        extra = {k: v for k, v in meta.items() if k not in META_FIELDS and k not in TEXT_FIELDS}
        for key, value in list(extra.items()):
            if key in EXTRA_DATE_FIELDS and value is not None:
                try:
                    extra[key] = parse_date(value)
                except (ValueError, TypeError, OverflowError):
                    warnings.append(reason("bad_date", value=value).prefixed(f"{key}: "))
                    extra[key] = None
        base = _clean_str(meta.get("id"))
        if base is None:
            base = path.stem + (f"-r{record}" if record is not None else "")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        doc_id = f"{_slug(base)}-{digest[:8]}"
        if digest in self.seen:
            first = self.seen[digest]
            self.note(path, "skipped", reason("duplicate", doc_id=first.doc_id, path=first.path),
                      record=record)
            return
        document = Document(
            doc_id=doc_id, text=text, title=title, date=date,
            source=_clean_str(meta.get("source")), url=_clean_str(meta.get("url")),
            path=str(path), record=record, headline_end=headline_end, meta=extra, changes=changes,
        )
        self.seen[digest] = document
        self.documents.append(document)
        if changes:
            summary = ", ".join(f"{k}={v}" for k, v in changes.items())
            warnings.append(Reason(f"normalised: {summary}", "normalised"))
        why = Reason("; ".join(warnings), warnings[0].kind) if warnings else ""
        self.note(path, "ok", why, record=record, doc_id=doc_id)

    def load_path(self, path: Path) -> None:
        if not path.exists():
            self.note(path, "skipped", reason("missing"))
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_dir() or any(child.name.endswith(s) for s in SIDECAR_SUFFIXES):
                    continue
                relative = child.relative_to(path).parts
                if any(part.startswith(".") for part in relative):
                    self.note(child, "skipped", reason("hidden"))
                    continue
                self.load_file(child)
        else:
            self.load_file(path)

    def load_file(self, path: Path) -> None:
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            self.note(path, "skipped", reason("unsupported", suffix=suffix or "(none)",
                                              supported=", ".join(SUPPORTED_SUFFIXES)))
            return
        try:
            if suffix == ".jsonl":
                self.load_jsonl(path)
            elif suffix == ".csv":
                self.load_csv(path)
            else:
                self.load_single(path, suffix)
        except _Skip as skip:
            self.note(path, "skipped", skip.args[0])
        except OSError as exc:
            self.note(path, "skipped", reason("unreadable", detail=_one_line(exc)))

    def load_single(self, path: Path, suffix: str) -> None:
        size = path.stat().st_size
        if size > self.max_bytes:
            raise _Skip(reason("too_large", size=size, limit=self.max_bytes))
        text = _decode(path.read_bytes(), self.encoding)
        # Rising priority: HTML tags < sidecar file < front matter in the file itself.
        meta: dict[str, Any] = {}
        if suffix in (".html", ".htm"):
            text, meta = _html_to_text(text)
            front: dict[str, Any] = {}
        else:
            front, text = _split_front_matter(text.lstrip("\ufeff"))
        meta = {**meta, **_read_sidecar(path), **front}
        self.add(path, text, meta)

    def _add_record(self, path: Path, record: dict[str, Any], number: int, where: str) -> None:
        """Add one JSONL/CSV record, or list it as skipped."""
        try:
            text, meta = self._record_text(record, where)
        except _Skip as skip:
            self.note(path, "skipped", skip.args[0], record=number)
            return
        self.add(path, text, meta, record=number)

    def _record_text(self, record: dict[str, Any], where: str) -> tuple[str, dict[str, Any]]:
        field_name = next((name for name in TEXT_FIELDS if name in record), None)
        if field_name is None:
            raise _Skip(reason("no_text_field", where=where, fields=", ".join(TEXT_FIELDS)))
        text = record[field_name]
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise _Skip(reason("text_not_string", where=where, field=field_name,
                               type=type(text).__name__))
        if len(text.encode("utf-8")) > self.max_bytes:
            size = len(text.encode("utf-8"))
            raise _Skip(reason("too_large", size=size, limit=self.max_bytes).prefixed(f"{where}: "))
        meta = {k: v for k, v in record.items() if k != field_name}
        return text, meta

    def _lines(self, path: Path) -> Iterator[tuple[int, str | Reason]]:
        """(line number, decoded line) for a container file; an undecodable line comes as
        a Reason so that only it is lost. A UTF-16/32 file (byte-order mark) is decoded whole."""
        with path.open("rb") as handle:
            head = handle.read(8192)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            yield from enumerate(_decode(path.read_bytes(), self.encoding).splitlines(True), 1)
            return
        if b"\x00" in head:
            raise _Skip(reason("binary"))
        is_utf8 = self.encoding.lower().replace("_", "-") in ("utf-8", "utf8")
        encoding = "utf-8-sig" if is_utf8 else self.encoding
        with path.open("rb") as handle:
            for line_no, raw in enumerate(handle, 1):
                try:
                    yield line_no, raw.decode(encoding if line_no == 1 else self.encoding)
                except UnicodeDecodeError as exc:
                    detail = f"byte 0x{raw[exc.start]:02x} at column {exc.start + 1}"
                    yield line_no, reason("undecodable", encoding=self.encoding.upper(),
                                          detail=detail).prefixed(f"line {line_no}: ")

    def load_jsonl(self, path: Path) -> None:
        for line_no, line in self._lines(path):
            if isinstance(line, Reason):
                self.note(path, "skipped", line, record=line_no)
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                self.note(path, "skipped", reason("bad_json", line=line_no, detail=exc.msg),
                          record=line_no)
                continue
            if not isinstance(record, dict):
                self.note(path, "skipped", reason("not_object", line=line_no,
                                                  type=type(record).__name__), record=line_no)
                continue
            self._add_record(path, record, line_no, f"line {line_no}")

    def load_csv(self, path: Path) -> None:
        # Undecodable bytes are kept as lone surrogates, so that only the rows holding one
        # are skipped (see _csv_row) and the rest of the file is read.
        content = _decode(path.read_bytes(), self.encoding, "surrogateescape").lstrip("\ufeff")
        # Articles are longer than the csv module's default field limit of 128 KiB.
        csv.field_size_limit(max(csv.field_size_limit(), self.max_bytes + 1))
        reader = csv.DictReader(io.StringIO(content, newline=""), restkey=_EXTRA)
        try:
            columns = [name.strip().lower() for name in reader.fieldnames or []]
            if not any(name in columns for name in TEXT_FIELDS):
                raise _Skip(reason("no_text_column", fields=", ".join(TEXT_FIELDS),
                                   columns=", ".join(columns) or "(none)"))
            row_no = 1  # spreadsheet numbering: the header is row 1
            for row in reader:
                row_no += 1
                self._csv_row(path, row, row_no, len(columns))
        except csv.Error as exc:
            self.note(path, "skipped", reason("bad_row", line=row_no + 1, detail=_one_line(exc)),
                      record=row_no + 1)

    def _csv_row(self, path: Path, row: dict[str, Any], row_no: int, n_columns: int) -> None:
        n_fields = n_columns + len(row.get(_EXTRA, [])) - sum(v is None for v in row.values())
        if n_fields != n_columns:
            detail = f"{n_fields} fields, header has {n_columns}"
            self.note(path, "skipped", reason("bad_row", line=row_no, detail=detail), record=row_no)
            return
        bad = next((v for v in row.values() if isinstance(v, str) and _SURROGATE.search(v)), None)
        if bad is not None:
            byte = ord(_SURROGATE.search(bad).group()) - 0xDC00
            why = reason("undecodable", encoding=self.encoding.upper(), detail=f"byte 0x{byte:02x}")
            self.note(path, "skipped", why.prefixed(f"row {row_no}: "), record=row_no)
            return
        record = {key.strip().lower(): (value if value != "" else None)
                  for key, value in row.items()}
        self._add_record(path, record, row_no, f"row {row_no}")


_EXTRA = "\x00extra"
_SURROGATE = re.compile("[\udc80-\udcff]")


def _clean_str(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = " ".join(str(value).split())
    return text or None


def load_corpus(
    paths: str | Path | Iterable[str | Path],
    *,
    encoding: str = "utf-8",
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_empty: bool = False,
) -> Corpus:
    """Read articles from files and folders into a :class:`Corpus`.

    Args:
        paths: A file, a folder (read recursively) or a list of them.
        encoding: Text encoding of the inputs (UTF-16/32 with a byte-order mark is detected).
        max_bytes: Largest document accepted, in bytes: a bigger file, or JSONL/CSV record,
            is skipped and listed in the manifest.
        allow_empty: Return an empty corpus instead of raising when nothing could be read.

    Returns:
        The corpus; ``corpus.manifest`` lists every input with its status and reason.

    Raises:
        NoDocumentsError: If no document could be read (unless ``allow_empty``); the message
            lists the skipped inputs and their reasons.

    Example:
        >>> corpus = load_corpus("seeds/")  # doctest: +SKIP
        >>> print(corpus)  # doctest: +SKIP
        Corpus: 1 documents, 553 words
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = list(paths)
    loader = _Loader(encoding=encoding, max_bytes=max_bytes)
    for path in paths:
        loader.load_path(Path(path))
    manifest = pd.DataFrame(loader.rows, columns=MANIFEST_COLUMNS)
    manifest["record"] = manifest["record"].astype("Int64")
    corpus = Corpus(documents=loader.documents, manifest=manifest)
    if not corpus.documents and not allow_empty:
        skipped = [f"{row.path}: {row.reason}" for row in manifest.itertuples()]
        listed = "; ".join(skipped[:5])
        if len(skipped) > 5:
            listed += f"; and {len(skipped) - 5} more"
        raise NoDocumentsError(
            "no readable documents in " + ", ".join(str(p) for p in paths)
            + (f" ({listed})" if skipped else " (no input files found)")
        )
    return corpus
