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

Encodings are detected per file (a byte-order mark, UTF-16/32 without one, UTF-8, else the
guess of charset-normalizer, noted in the manifest); CSV dialects (comma, semicolon, tab,
bar) are sniffed. Each document's language is identified (:func:`detect_language`);
documents not in English are listed in the manifest with their language and left out
unless ``keep_other_languages=True``.
"""

from __future__ import annotations

import codecs
import contextlib
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

from .errors import InputError, NoDocumentsError, Reason, plural, reason
from .resources import cached

__all__ = [
    "Corpus",
    "CorpusStream",
    "Document",
    "LanguageGuess",
    "detect_language",
    "load_corpus",
    "normalise_text",
    "parse_date",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", ".csv")
SIDECAR_SUFFIXES = (".meta.json", ".meta.yaml", ".meta.yml")
TEXT_FIELDS = ("text", "body", "content", "article")
META_FIELDS = ("id", "title", "date", "source", "url")
EXTRA_DATE_FIELDS = ("reference_date",)
"""Metadata keys besides ``date`` that are parsed as dates (an analyst's working date)."""
DEFAULT_MAX_BYTES = 20_000_000
"""Largest single document (a file, or one record's text) accepted by default."""

MANIFEST_COLUMNS = [
    "path", "record", "doc_id", "status", "kind", "reason", "language", "encoding",
]


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
        language: ISO 639-1 code of the text's language (``und``: too short to tell); see
            :func:`detect_language`.
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
    language: str | None = None

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
            ``path, record, doc_id, status, kind, reason, language, encoding``; ``status`` is
            ``ok`` or ``skipped``; ``reason`` says why an input was skipped or, for ``ok``
            rows, what was adjusted; ``kind`` is the reason's short name (``duplicate``,
            ``bad_json``, ``not_english``, ...); ``language`` is the ISO 639-1 code found for
            the text (``und``: undetermined; empty when no text was read); ``encoding`` is the
            codec the file was decoded with (a guess is noted in ``reason``).
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
        line = f"Corpus: {plural(len(self.documents), 'document')}, {plural(self.n_words, 'word')}"
        if n_skipped:
            line += f" ({plural(n_skipped, 'input')} skipped: see the manifest)"
        return line

    def __repr__(self) -> str:
        return f"<{self.summary()}>"

    __str__ = summary


# --------------------------------------------------------------------------- normalisation

_EXOTIC_SPACES = "\u00a0\u2000-\u200a\u202f\u205f\u3000"
_SPACE_RUN = re.compile(rf"[ \t{_EXOTIC_SPACES}]{{2,}}|[{_EXOTIC_SPACES}]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# C1 controls U+0080-U+009F in decoded text are cp1252 bytes that went through latin-1 on
# the way (scrapers, old CMSs): "don\x92t" means "don't". They are never meant as controls.
_C1_CONTROL = re.compile(r"[\x80-\x9f]")


def _cp1252_char(match: re.Match[str]) -> str:
    try:
        return bytes([ord(match[0])]).decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: undefined in cp1252 too
        return ""
# A hyphen detached from the word it joins, as scrapers leave it: "USA -backed", "six-year -old".
# Only a lowercase continuation after a word character, so " - " dashes and "-5" stay.
_DETACHED_HYPHEN = re.compile(r"(?<=\w) -(?=[a-z]{2,})")
_TRAILING_SPACE = re.compile(r"[ \t]+(?=\n)")


def normalise_text(text: str) -> tuple[str, dict[str, int]]:
    """Normalise scraped text and report what changed.

    Steps, each counted in the returned record: ``bom`` (byte-order marks removed),
    ``newlines`` (CRLF/CR to LF), ``nfc`` (Unicode NFC composition), ``cp1252`` (C1 control
    characters read as the cp1252 characters they stand for, ``\\x92`` to a right quote),
    ``control`` (control characters removed), ``zero_width`` (zero-width characters
    removed), ``spaces`` (runs of spaces and exotic spaces to one space),
    ``detached_hyphen`` ("USA -backed" to "USA-backed"), ``trailing_space`` (spaces before a
    line break).

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
        ("cp1252", _C1_CONTROL, _cp1252_char),
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


# ----------------------------------------------------------------------------- language

UNDETERMINED = "und"
"""ISO 639 code for a text too short, or too full of names and numbers, to tell its language."""
MIN_ENGLISH_SHARE = 0.25
"""A document with at least this share of English (by words of the passages whose language
is clear) is analysed as English; a bilingual statement keeps its English half."""

# Function words, frequent in running text of each language and rare in the others', so that
# a passage full of names and numbers ("Lula da Silva met Hu Jintao in Sao Paulo") is not
# taken for Portuguese: the identifier's guess must be backed by its function words.
_FUNCTION_WORDS = {
    "en": "the of and to that for with said by from has have it its are were this be he his "
          "which would been they their not but or who after also than more about we you she "
          "her there had",
    "de": "der die das und ist nicht mit von den des sich auf für dem ein eine einer zu im auch "
          "es werden wurde hat sind bei nach sagte aus wie noch über oder aber vor",
    "fr": "le la les des et est une un du dans pour que qui pas sur au aux avec par plus ont "
          "été sont cette il elle ce se son sa ses ne mais selon",
    "es": "el la los las de del y que en un una por con para es se al su sus lo como más pero "
          "fue ha han según está sobre también entre",
    "pt": "o os a as de do da dos das e que em no na nos um uma para com por não é foi mais ao "
          "pelo pela seu sua são como mas também segundo",
    "it": "il lo la gli le di del della dei e che è un una per con non sono si da al nel alla "
          "più anche come ma ha hanno stato dopo secondo",
    "nl": "de het een en van in is dat op te zijn voor met niet aan er die ook als bij om door "
          "maar werd heeft naar nog over",
}
_FUNCTION_SETS = {code: frozenset(words.split()) for code, words in _FUNCTION_WORDS.items()}
_LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "pt": "Portuguese",
    "it": "Italian", "nl": "Dutch", "sv": "Swedish", "da": "Danish", "no": "Norwegian",
    "nb": "Norwegian", "fi": "Finnish", "pl": "Polish", "cs": "Czech", "sk": "Slovak",
    "hu": "Hungarian", "ro": "Romanian", "hr": "Croatian", "sl": "Slovenian", "sr": "Serbian",
    "bg": "Bulgarian", "ru": "Russian", "uk": "Ukrainian", "el": "Greek", "tr": "Turkish",
    "ar": "Arabic", "fa": "Persian", "he": "Hebrew", "hi": "Hindi", "ur": "Urdu",
    "bn": "Bengali", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "id": "Indonesian",
    "ms": "Malay", "vi": "Vietnamese", "th": "Thai", "ca": "Catalan", "eu": "Basque",
    "gl": "Galician", "et": "Estonian", "lv": "Latvian", "lt": "Lithuanian", "sw": "Swahili",
    "tl": "Tagalog", "af": "Afrikaans", "is": "Icelandic", "ga": "Irish", "cy": "Welsh",
    UNDETERMINED: "undetermined",
}
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
_PASSAGE_CHARS = 600
_MAX_PASSAGES = 40
_MIN_WORDS = 8
_MIN_OTHER_WORDS = 15  # fewer words are not enough to call a passage another language


@dataclass(frozen=True)
class LanguageGuess:
    """The language of a text.

    Attributes:
        code: ISO 639-1 code of the main language (``en``, ``de``...), or ``und`` when no
            passage is long enough, or wordy enough, to tell.
        name: English name of that language.
        share: Share of that language among the words of passages whose language is clear.
        shares: Share of every language found, largest first.
    """

    code: str
    name: str
    share: float
    shares: dict[str, float]

    @property
    def mixed(self) -> bool:
        """More than one language holds at least a fifth of the text."""
        return sum(share >= 0.2 for share in self.shares.values()) > 1


def _identifier() -> Any:
    # py3langid (langid.py's maintained fork, a 4 MB model shipped in the package) loads
    # once per process, on the first document.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return cached("language_identifier", (MODEL_FILE,),
                  lambda: LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))


@contextlib.contextmanager
def _csv_field_limit(limit: int):
    """The csv module's field limit raised while a file is read (articles are longer than
    its default 128 KiB), then put back: no lasting change to the process."""
    saved = csv.field_size_limit()
    csv.field_size_limit(max(saved, limit))
    try:
        yield
    finally:
        csv.field_size_limit(saved)


def _passages(text: str) -> list[str]:
    """The text in passages of up to about ``_PASSAGE_CHARS`` characters (whole paragraphs or
    lines where they are short, cut at spaces where a line is long), at most
    ``_MAX_PASSAGES`` spread evenly over the text."""
    passages: list[str] = []
    current = ""
    for line in text.split("\n"):
        start = 0  # long lines are cut by position: slicing off the rest would be quadratic
        while len(line) - start > 2 * _PASSAGE_CHARS:
            cut = line.rfind(" ", start + _PASSAGE_CHARS // 2, start + _PASSAGE_CHARS * 2)
            cut = cut if cut > start else start + _PASSAGE_CHARS
            passages.append(line[start:cut])
            start = cut
        line = line[start:] if start else line
        # A passage ends when it is long enough, or at a paragraph break once it holds a
        # few sentences (so a bilingual text's halves stay apart).
        if not line.strip() and len(current) >= _PASSAGE_CHARS // 4:
            passages.append(current)
            current = ""
            continue
        current = f"{current}\n{line}" if current else line
        if len(current) >= _PASSAGE_CHARS:
            passages.append(current)
            current = ""
    if current.strip():
        passages.append(current)
    if len(passages) > _MAX_PASSAGES:  # a long text: an even sample is enough
        step = len(passages) / _MAX_PASSAGES
        passages = [passages[int(k * step)] for k in range(_MAX_PASSAGES)]
    return passages


def _passage_language(passage: str) -> tuple[str, int]:
    """(language or ``und``, number of words) of one passage."""
    words = [word.lower() for word in _LETTER_WORD.findall(passage)]
    if len(words) < _MIN_WORDS:
        return UNDETERMINED, len(words)
    ratio = {code: sum(word in vocabulary for word in words) / len(words)
             for code, vocabulary in _FUNCTION_SETS.items()}
    if ratio["en"] >= 0.15:
        return "en", len(words)  # plenty of English function words: English, whatever else
    code, probability = _identifier().classify(passage.lower())  # case-blind: all-caps wires
    latin = sum("a" <= ch <= "z" for ch in "".join(words)) / max(1, sum(map(len, words)))
    if code == "en":
        return ("en" if probability >= 0.9 and ratio["en"] >= 0.05 else UNDETERMINED), len(words)
    if code in ratio:  # backed by its own function words, and clearly not English
        # (a headline such as "BANCO DO BRASIL SETS NEW DIVIDEND" is too short to judge)
        backed = (len(words) >= _MIN_OTHER_WORDS and ratio[code] >= 0.15
                  and ratio[code] > 2 * ratio["en"])
        return (code if backed else UNDETERMINED), len(words)
    if latin < 0.5:  # another script: the identifier is reliable there
        return (code if probability >= 0.9 else UNDETERMINED), len(words)
    # A Latin-script language without a word list: only a long, sure, un-English passage.
    sure = len(words) >= 30 and probability >= 0.99 and ratio["en"] < 0.05
    return (code if sure else UNDETERMINED), len(words)


def language_name(code: str) -> str:
    """The English name of a language code the detector gives (``de`` -> ``German``), else
    the code itself.

    Example:
        >>> language_name("de"), language_name("xx")
        ('German', 'xx')
    """
    return _LANGUAGE_NAMES.get(code, code)


def detect_language(text: str) -> LanguageGuess:
    """Tell the main language of a document.

    Passages (about 600 characters; at most 40, spread over a long text) are identified by
    py3langid, and a guess is kept only when it is backed by that language's function words
    (English, German, French, Spanish, Portuguese, Italian, Dutch), or by a non-Latin
    script. Headlines, short texts and tables of names and numbers come out undetermined
    (``und``) rather than misread. The document's language is English when English holds
    at least :data:`MIN_ENGLISH_SHARE` of the words of the passages whose language is clear.

    Args:
        text: The document text.

    Returns:
        A :class:`LanguageGuess`.

    Example:
        >>> detect_language("Die Regierung hat am Dienstag neue Pläne für die Bahn "
        ...                 "vorgestellt, die nach Angaben des Ministeriums bald gelten.").code
        'de'
    """
    counts: dict[str, int] = {}
    for passage in _passages(text):
        code, n_words = _passage_language(passage)
        if code != UNDETERMINED:
            counts[code] = counts.get(code, 0) + n_words
    total = sum(counts.values())
    if not total:
        return LanguageGuess(UNDETERMINED, _LANGUAGE_NAMES[UNDETERMINED], 0.0, {})
    shares = {code: count / total
              for code, count in sorted(counts.items(), key=lambda item: -item[1])}
    code = "en" if shares.get("en", 0.0) >= MIN_ENGLISH_SHARE else next(iter(shares))
    return LanguageGuess(code, _LANGUAGE_NAMES.get(code, code), shares[code], shares)


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

_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Single-byte code pages charset-normalizer may prefer on short samples where Windows-1252,
# the usual encoding of Western news text, decodes the same bytes just as cleanly.
_WESTERN = "cp1252"


@dataclass
class _Decoded:
    """Decoded text, the codec that decoded it and whether that codec was a guess."""

    text: str
    encoding: str
    guessed: bool = False


def _bom_encoding(raw: bytes) -> str | None:
    return next((codec for bom, codec in _BOMS if raw.startswith(bom)), None)


def _wide_encoding(head: bytes) -> str | None:
    """UTF-16/32 without a byte-order mark, from where the NUL bytes fall.

    Text that is mostly Latin script has a NUL in every other byte in UTF-16 (odd offsets in
    little-endian, even ones in big-endian) and three NULs in four in UTF-32; binary data
    has NULs on both sides.
    """
    head = head[:len(head) - len(head) % 4]
    if len(head) < 8:
        return None
    share = [head[k::4].count(0) / (len(head) // 4) for k in range(4)]
    if min(share[1], share[2], share[3]) > 0.9 and share[0] < 0.1:
        return "utf-32-le"
    if min(share[0], share[1], share[2]) > 0.9 and share[3] < 0.1:
        return "utf-32-be"
    even, odd = (share[0] + share[2]) / 2, (share[1] + share[3]) / 2
    if odd > 0.3 and even < 0.02:
        return "utf-16-le"
    if even > 0.3 and odd < 0.02:
        return "utf-16-be"
    return None


def _guess_encoding(raw: bytes) -> str | None:
    """The encoding charset-normalizer finds for bytes that are not UTF-8, or ``None``."""
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    best = from_bytes(raw).best()
    if best is None:
        return None
    encoding = best.encoding
    if encoding.replace("_", "").startswith(("utf8", "ascii")):
        return None  # the caller already knows it is not UTF-8
    try:
        western = raw.decode(_WESTERN)
    except UnicodeDecodeError:
        return encoding
    # Prefer Windows-1252 when it reads the text no worse than the detector's choice (short
    # samples often tie between cp1250 and cp1252, and Western news is far more common).
    if encoding != _WESTERN and mess_ratio(western[:100_000], 1.0) <= best.chaos + 0.01:
        return _WESTERN
    return encoding


def _decode(raw: bytes, encoding: str | None, errors: str = "strict") -> _Decoded:
    """Decode a file's bytes, detecting the encoding unless one is given.

    Order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-16/32 without one (NUL-byte
    pattern); binary data is refused; then the ``encoding`` given, else UTF-8, else the guess
    of charset-normalizer (recorded as guessed). Raises ``_Skip`` with the reason otherwise.
    """
    codec = _bom_encoding(raw)
    guessed = False
    head = raw[:8192]
    if codec is None:
        codec = _wide_encoding(head)
        guessed = codec is not None
    if codec is None:
        if b"\x00" in head or _looks_binary(head):
            raise _Skip(reason("binary"))
        codec = encoding or "utf-8"
    try:
        text = raw.decode(codec, errors)
    except UnicodeDecodeError as exc:
        detail = f"byte 0x{raw[exc.start]:02x} at offset {exc.start}"
        if guessed:  # the NUL pattern was a coincidence
            raise _Skip(reason("binary")) from None
        if encoding is None and codec == "utf-8":
            other = _guess_encoding(raw)
            if other is not None:
                return _Decoded(raw.decode(other, errors), other, True)
            raise _Skip(reason("encoding_unknown", detail=detail)) from None
        raise _Skip(reason("undecodable", encoding=codec.upper(), detail=detail)) from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    if guessed and _looks_binary(text[:4096].encode("utf-8", "replace")):
        raise _Skip(reason("binary"))
    return _Decoded(text, codec, guessed)


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
    return yaml.load(text, Loader=_MetadataLoader)  # safe: _MetadataLoader is a SafeLoader


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


def is_title_case_line(line: str) -> bool:
    """A short line without final punctuation whose words are mostly capitalised.

    Example:
        >>> is_title_case_line("Iranian Drone Shadows US Forces"), is_title_case_line("Storm hits")
        (True, False)
    """
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
    heading = _MARKDOWN_HEADING.match(line)
    if heading:  # "# Storm hits coast": a heading whatever its case
        return heading[1], end
    if line and is_title_case_line(line):
        return line, end
    if line and _BLANK_LINE_AFTER.match(text, end) and is_sentence_case_headline(line):
        return line, end  # "Storm hits the coast" over a blank line (BBC, Japan Times)
    return None


# The first line ends and a blank line follows ("\n\n", "\n  \n").
_BLANK_LINE_AFTER = re.compile(r"\n[ \t]*\n")


def is_sentence_case_headline(line: str) -> bool:
    """A line that reads as a sentence-case headline when a blank line follows it.

    A headline starts with a capital or a digit, has 2 to 16 words, and ends without the
    punctuation that ends a sentence or a dateline ("." "!" "?" ":" ";" "," "-" quote marks),
    so the first sentence of an untitled text ("The army said it struck a base.") is never
    taken for its title.

    Example:
        >>> is_sentence_case_headline("Storm hits the coast"), is_sentence_case_headline(
        ...     "The army said it struck a base.")
        (True, False)
    """
    words = re.findall(r"[^\W_][\w'’.-]*", line)
    if not 2 <= len(words) <= 16 or len(line) > 150:
        return False
    if not (line[:1].isupper() or line[:1].isdigit()):
        return False
    return line.rstrip()[-1:] not in ".!?:;,-–—\"”'’(["


# An ATX heading ("# Title", "## Title #"); "#hashtag" (no space) is text.
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+(.*?\S)(?:\s+#+)?\s*$")


_SLUG = re.compile(r"[^A-Za-z0-9_.-]+")


def _slug(value: str) -> str:
    return _SLUG.sub("-", value).strip("-.")[:60] or "doc"


# ------------------------------------------------------------------------------ loading

@dataclass
class _Loader:
    """Walks the inputs and builds documents and manifest rows."""

    encoding: str | None
    max_bytes: int
    keep_other_languages: bool = False
    documents: list[Document] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    # Text hash -> (doc_id, path) of the first document with that text (not the Document:
    # a streamed corpus must not keep every text).
    seen: dict[str, tuple[str, str]] = field(default_factory=dict)
    # The encoding of the file being read (None before it is decoded) and whether it was
    # guessed: every manifest row of that file records it.
    file_encoding: str | None = None
    file_guessed: bool = False

    def note(self, path: Path | str, status: str, why: str = "", *, record: int | None = None,
             doc_id: str | None = None, language: str | None = None) -> None:
        self.rows.append({"path": str(path), "record": record, "doc_id": doc_id, "status": status,
                          "kind": getattr(why, "kind", ""), "reason": str(why),
                          "language": language, "encoding": self.file_encoding})

    def decoded(self, result: _Decoded) -> str:
        """Remember how the current file was decoded; return its text."""
        self.file_encoding, self.file_guessed = result.encoding, result.guessed
        return result.text

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
        date, extra = _dates_and_extra(meta, warnings)
        base = _clean_str(meta.get("id"))
        if base is None:
            base = path.stem + (f"-r{record}" if record is not None else "")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        doc_id = f"{_slug(base)}-{digest[:8]}"
        if digest in self.seen:
            first_id, first_path = self.seen[digest]
            self.note(path, "skipped", reason("duplicate", doc_id=first_id, path=first_path),
                      record=record)
            return
        if self.file_guessed:
            warnings.append(reason("encoding_guessed", encoding=self.file_encoding))
        guess = detect_language(text)
        if guess.code not in ("en", UNDETERMINED):
            why = reason("not_english", language=guess.code, name=guess.name, share=guess.share)
            if not self.keep_other_languages:
                self.note(path, "skipped", why, record=record, language=guess.code)
                return
            warnings.insert(0, reason("other_language", language=guess.code, name=guess.name,
                                      share=guess.share))
        elif guess.mixed:
            listed = ", ".join(f"{code} {share:.0%}" for code, share in guess.shares.items())
            warnings.append(reason("mixed_language", languages=listed))
        document = Document(
            doc_id=doc_id, text=text, title=title, date=date,
            source=_clean_str(meta.get("source")), url=_clean_str(meta.get("url")),
            path=str(path), record=record, headline_end=headline_end, meta=extra, changes=changes,
            language=guess.code,
        )
        self.seen[digest] = (document.doc_id, document.path)
        self.documents.append(document)
        if changes:
            summary = ", ".join(f"{k}={v}" for k, v in changes.items())
            warnings.append(Reason(f"normalised: {summary}", "normalised"))
        why = Reason("; ".join(warnings), warnings[0].kind) if warnings else ""
        self.note(path, "ok", why, record=record, doc_id=doc_id, language=guess.code)

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
        self.file_encoding, self.file_guessed = None, False
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
        text = self.decoded(_decode(path.read_bytes(), self.encoding))
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
        a Reason so that only it is lost. A file in UTF-16/32, or one whose encoding had to be
        guessed (not UTF-8 as a whole), is decoded whole."""
        raw = path.read_bytes()
        head = raw[:8192]
        bom = _bom_encoding(raw)
        if (bom is not None and bom != "utf-8-sig") or _wide_encoding(head) is not None:
            yield from enumerate(_split_lines(self.decoded(_decode(raw, self.encoding))), 1)
            return
        if b"\x00" in head:
            raise _Skip(reason("binary"))
        encoding = self.encoding or "utf-8"
        if self.encoding is None:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                other = _guess_encoding(raw)
                if other is not None:  # a whole file in one other encoding
                    text = self.decoded(_Decoded(raw.decode(other), other, True))
                    yield from enumerate(_split_lines(text), 1)
                    return
        is_utf8 = encoding.lower().replace("_", "-") in ("utf-8", "utf8")
        self.file_encoding = "utf-8-sig" if bom == "utf-8-sig" else encoding.lower()
        for line_no, line in enumerate(io.BytesIO(raw), 1):  # split at LF only, as JSONL
            try:
                first = line_no == 1 and is_utf8
                yield line_no, line.decode("utf-8-sig" if first else encoding)
            except UnicodeDecodeError as exc:
                detail = f"byte 0x{line[exc.start]:02x} at column {exc.start + 1}"
                yield line_no, reason("undecodable", encoding=encoding.upper(),
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
        raw = path.read_bytes()
        try:
            content = self.decoded(_decode(raw, self.encoding))
        except _Skip as skip:
            if skip.args[0].kind not in ("encoding_unknown", "undecodable"):
                raise
            # Undecodable bytes are kept as lone surrogates, so that only the rows holding
            # one are skipped (see _csv_row) and the rest of the file is read.
            encoding = self.encoding or "utf-8"
            content = self.decoded(_Decoded(raw.decode(encoding, "surrogateescape"), encoding))
        content = content.lstrip("\ufeff")
        with _csv_field_limit(self.max_bytes + 1):
            self._csv_rows(path, content)

    def _csv_rows(self, path: Path, content: str) -> None:
        dialect, columns = _csv_dialect(content)
        if not any(name in columns for name in TEXT_FIELDS):
            raise _Skip(reason("no_text_column", fields=", ".join(TEXT_FIELDS),
                               columns=", ".join(columns) or "(none)"))
        reader = csv.DictReader(io.StringIO(content, newline=""), dialect=dialect,
                                restkey=_EXTRA)
        row_no = 1  # spreadsheet numbering: the header is row 1
        try:
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
            why = reason("undecodable", encoding=(self.file_encoding or "utf-8").upper(),
                         detail=f"byte 0x{byte:02x}")
            self.note(path, "skipped", why.prefixed(f"row {row_no}: "), record=row_no)
            return
        record = {key.strip().lower(): (value if value != "" else None)
                  for key, value in row.items()}
        self._add_record(path, record, row_no, f"row {row_no}")


_CSV_DELIMITERS = ",;\t|"
_CSV_SAMPLE = 65_536


def _csv_dialect(content: str) -> tuple[type[csv.Dialect] | csv.Dialect, list[str]]:
    """The CSV dialect of ``content`` and its lower-cased header.

    ``csv.Sniffer`` guesses the delimiter (comma, semicolon, tab or bar) and quoting from a
    sample; the delimiter that occurs most in the header line is tried next, then plain
    comma. The first whose header has a text column wins (else the first that parses).
    """
    sample = content[:_CSV_SAMPLE]
    candidates: list[type[csv.Dialect] | csv.Dialect] = []
    try:
        candidates.append(csv.Sniffer().sniff(sample, delimiters=_CSV_DELIMITERS))
    except csv.Error:
        pass  # no consistent delimiter in the sample (e.g. one column)
    header_line = sample.split("\n", 1)[0]
    counts = {delimiter: header_line.count(delimiter) for delimiter in _CSV_DELIMITERS}
    by_header = max(counts, key=counts.__getitem__)
    if counts[by_header]:
        candidates.append(type("_HeaderDialect", (csv.excel,), {"delimiter": by_header}))
    candidates.append(csv.excel)
    found: list[tuple[type[csv.Dialect] | csv.Dialect, list[str]]] = []
    for dialect in candidates:
        try:
            header = next(csv.reader(io.StringIO(sample, newline=""), dialect=dialect), [])
        except csv.Error:
            continue
        columns = [name.strip().lower() for name in header]
        if any(name in columns for name in TEXT_FIELDS):
            return dialect, columns
        found.append((dialect, columns))
    return found[0] if found else (csv.excel, [])


def _split_lines(text: str) -> Iterator[str]:
    """Lines ending at LF only (str.splitlines also breaks at U+2028, valid inside JSON)."""
    return iter(io.StringIO(text, newline="\n"))


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
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    keep_other_languages: bool = False,
    allow_empty: bool = False,
) -> Corpus:
    """Read articles from files and folders into a :class:`Corpus`.

    Args:
        paths: A file, a folder (read recursively) or a list of them.
        encoding: Text encoding of the inputs. Default: detected per file (a byte-order
            mark; UTF-16/32 without one; UTF-8; else the guess of charset-normalizer, noted
            in the manifest). A byte-order mark always wins.
        max_bytes: Largest document accepted, in bytes: a bigger file, or JSONL/CSV record,
            is skipped and listed in the manifest.
        keep_other_languages: Keep documents that are not in English (listed in the manifest
            with their language either way); by default they are skipped, since the English
            pipeline gives junk entities on them.
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
    loader = _Loader(encoding=encoding, max_bytes=max_bytes,
                     keep_other_languages=keep_other_languages)
    for path in paths:
        loader.load_path(Path(path))
    manifest = _manifest(loader.rows)
    corpus = Corpus(documents=loader.documents, manifest=manifest)
    if not corpus.documents and not allow_empty:
        raise _no_documents(paths, manifest)
    return corpus


def _manifest(rows: list[dict[str, Any]]) -> pd.DataFrame:
    manifest = pd.DataFrame(rows, columns=MANIFEST_COLUMNS)
    manifest["record"] = manifest["record"].astype("Int64")
    return manifest


def _no_documents(paths: list, manifest: pd.DataFrame) -> NoDocumentsError:
    skipped = [f"{row.path}: {row.reason}" for row in manifest.itertuples()]
    listed = "; ".join(skipped[:5])
    if len(skipped) > 5:
        listed += f"; and {len(skipped) - 5} more"
    return NoDocumentsError("no readable documents in " + ", ".join(str(p) for p in paths)
                            + (f" ({listed})" if skipped else " (no input files found)"))


class _Stopped(Exception):
    """The consumer of a :class:`CorpusStream` stopped reading: the reader thread ends."""


class _Handoff(list):
    """The loader's document list, streamed: each document goes to a bounded queue (the
    reading thread waits while the consumer is that far behind, and ends once it stops)."""

    def __init__(self, queue: Any, stop: Any) -> None:
        super().__init__()
        self._queue, self._stop = queue, stop

    def append(self, document: Document) -> None:  # the loader's only use of its list
        import queue

        while not self._stop.is_set():
            try:
                self._queue.put(document, timeout=0.1)
                return
            except queue.Full:
                continue
        raise _Stopped


class CorpusStream:
    """A corpus read in batches as the files are read, for corpora too big to hold at once.

    The documents, their ids, the skipped inputs and their reasons are exactly those of
    :func:`load_corpus` on the same paths; only ``batch_size`` documents (plus a short
    read-ahead) are held at a time. :attr:`manifest` is complete once iteration ends.

    Args:
        paths: As for :func:`load_corpus`.
        batch_size: Documents per batch (the last one may be smaller).
        encoding, max_bytes, keep_other_languages: As for :func:`load_corpus`.

    Raises:
        NoDocumentsError: At the end of iteration, if no document could be read.

    Example:
        >>> stream = CorpusStream("seeds/", batch_size=100)  # doctest: +SKIP
        >>> sum(len(batch) for batch in stream), len(stream.manifest)  # doctest: +SKIP
    """

    def __init__(self, paths: str | Path | Iterable[str | Path], *, batch_size: int,
                 encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                 keep_other_languages: bool = False) -> None:
        self.paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
        self.batch_size = batch_size
        self._options = {"encoding": encoding, "max_bytes": max_bytes,
                         "keep_other_languages": keep_other_languages}
        self.manifest: pd.DataFrame | None = None
        self.n_documents = 0

    def __iter__(self) -> Iterator[list[Document]]:
        import queue
        import threading

        handoff: queue.Queue = queue.Queue(maxsize=max(2 * self.batch_size, 64))
        stop = threading.Event()
        loader = _Loader(**self._options)
        loader.documents = _Handoff(handoff, stop)
        end = object()

        def read() -> None:
            try:
                for path in self.paths:
                    loader.load_path(Path(path))
                handoff.put(end)
            except _Stopped:
                pass
            except BaseException as exc:  # raised again in the consumer
                handoff.put(exc)

        reader = threading.Thread(target=read, name="analystkit-corpus-reader", daemon=True)
        reader.start()
        batch: list[Document] = []
        self.n_documents = 0
        try:
            while (item := handoff.get()) is not end:
                if isinstance(item, BaseException):
                    raise item
                batch.append(item)
                self.n_documents += 1
                if len(batch) == self.batch_size:
                    yield batch
                    batch = []
            if batch:
                yield batch
        finally:  # also when the consumer stops early: the reader is told, and ends
            stop.set()
            reader.join()
        self.manifest = _manifest(loader.rows)
        if not self.n_documents:
            raise _no_documents(self.paths, self.manifest)


def _dates_and_extra(meta: dict[str, Any], warnings: list[Reason]
                     ) -> tuple[dt.date | None, dict[str, Any]]:
    """The metadata date and the extra fields (their dates parsed); an unreadable date is
    left out with a warning added to ``warnings``."""
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
    return date, extra
