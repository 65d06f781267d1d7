"""News-grade fixes to the statistical NER, applied during annotation.

* A gazetteer component (``analystkit_gazetteer``, after ``ner``) tags names from the alias
  table (:mod:`analystkit.aliases`: the shipped rows plus the analyst's file, given as the
  component setting ``aliases`` so it is part of ``nlp.config``) and named geographic
  features ("Jabal Ghrab", "Euphrates River"). A match replaces the model's entities only
  where it covers them completely ("Tanf" PRODUCT -> GPE; "Islamic" NORP inside "Islamic
  State" -> ORG), so a longer name the model found ("Bank of America", "Michael Jordan") is
  never cut down.
  Rows marked ambiguous contribute only their safe forms (several words, dotted
  abbreviations, capitals of three letters or more that are not English words).
* Tokenizer: a hyphen after an abbreviation's period ("U.S.-led") and a leading hyphen
  before a capital ("-US-backed", a scraped bullet) are split off, as after letters.
* A blank line always ends a sentence (``analystkit_paragraphs``, before the parser): a
  headline or a paragraph is never glued to the next one.
* :func:`sentence_case_headline` lowers a title-case headline for tagging (known names,
  acronyms and the first word keep their case) and :func:`with_text` puts the original
  characters back, so offsets never change.
"""

from __future__ import annotations

import re
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .aliases import SHIPPED_ALIASES, AliasTable, alias_digest, load_alias_table
from .corpus import is_title_case_line
from .resources import cached

__all__ = ["add_entity_fixes", "sentence_case_headline", "with_text"]

GAZETTEER = "analystkit_gazetteer"

# Named geographic features the small model misses or calls PERSON ("Jabal Ghrab").
_FEATURE_BEFORE = ["Jabal", "Jebel", "Jbel", "Mount", "Mt.", "Lake", "Wadi", "Cape", "Gulf",
                   "Strait", "Bay", "Isle", "Tell", "Tal"]
_FEATURE_AFTER = ["River", "Valley", "Mountains", "Mountain", "Desert", "Sea", "Strait",
                  "Gulf", "Bay", "Island", "Islands", "Peninsula", "Heights", "Plateau",
                  "Canal", "Lake", "Basin", "Delta", "Ocean", "Hills"]
_NOT_NAME = ["The", "A", "An", "In", "On", "At", "Of", "And", "But", "For", "From", "To", "By",
             "With", "Near", "North", "South", "East", "West", "Upper", "Lower", "This", "That",
             "Its", "Their", "His", "Her", "Our", "New"]


def _feature_patterns() -> list[list[dict]]:
    name = {"IS_TITLE": True, "IS_SENT_START": False,
            "TEXT": {"NOT_IN": _NOT_NAME + _FEATURE_AFTER + _FEATURE_BEFORE}}
    return [
        [{"TEXT": {"IN": _FEATURE_BEFORE}}, name, dict(name, OP="?")],
        [name, dict(name, OP="?"), {"TEXT": {"IN": _FEATURE_AFTER}},
         {"TEXT": {"IN": _FEATURE_AFTER}, "OP": "?"}],
    ]


def _safe_forms(table: AliasTable, stop_words: set[str]):
    """(entity, form) pairs the gazetteer may tag anywhere in running text."""
    for entity in table.entities.values():
        for form in (entity.canonical, *entity.aliases):
            if form.islower():
                continue  # "the coalition" is a description, not a name
            if entity.ambiguous and not (
                " " in form or "." in form
                or (form.isupper() and len(form) >= 3 and form.lower() not in stop_words)
            ):
                continue
            yield entity, form


class Gazetteer:
    """Tags alias-table names and geographic features; see the module docstring.

    Args:
        nlp: The pipeline (for its vocab and tokenizer).
        aliases: The analyst's alias file (CSV or YAML) read on top of the shipped table.

    Attributes:
        aliases: The alias file's path as given (``None``: shipped table only).
        aliases_digest: A hash of the CONTENT of the shipped and the analyst's tables as
            read when the patterns were built (part of the annotation cache fingerprint).
    """

    def __init__(self, nlp: Language, *, aliases: str | None = None) -> None:
        table = load_alias_table(aliases)
        self.aliases = aliases
        self.aliases_digest = alias_digest(aliases)
        self.labels: dict[int, str] = {}
        self.phrases = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_label: dict[str, list[str]] = {}
        for entity, form in _safe_forms(table, set(nlp.Defaults.stop_words)):
            by_label.setdefault(entity.label, []).append(form)
        for label, forms in by_label.items():
            key = f"{GAZETTEER}:{label}"
            self.labels[nlp.vocab.strings.add(key)] = label
            self.phrases.add(key, list(nlp.tokenizer.pipe(forms)))
        self.features = Matcher(nlp.vocab)
        self.features.add(f"{GAZETTEER}:LOC", _feature_patterns())
        self.labels[nlp.vocab.strings[f"{GAZETTEER}:LOC"]] = "LOC"

    def __call__(self, doc: Doc) -> Doc:
        matches = [Span(doc, start, end, label=self.labels[key])
                   for key, start, end in [*self.phrases(doc), *self.features(doc)]]
        if not matches:
            return doc
        ents = list(doc.ents)
        for match in filter_spans(matches):
            inside = [e for e in ents if e.start < match.end and e.end > match.start]
            if all(match.start <= e.start and e.end <= match.end for e in inside):
                ents = [e for e in ents if e not in inside] + [match]
        doc.ents = sorted(ents)
        return doc


PARAGRAPHS = "analystkit_paragraphs"


@Language.component(PARAGRAPHS)
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every whitespace token that holds a blank line."""
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 2:
            doc[token.i + 1].is_sent_start = True
    return doc


@Language.factory(GAZETTEER, default_config={"aliases": None})
def _make_gazetteer(nlp: Language, name: str, aliases: str | None) -> Gazetteer:
    return Gazetteer(nlp, aliases=aliases)


def add_entity_fixes(nlp: Language, *, aliases: str | Path | None = None) -> None:
    """Add the tokenizer rules, the gazetteer after ``ner`` and paragraph boundaries.

    Args:
        nlp: A pipeline with an ``ner`` component (changed in place).
        aliases: The analyst's alias file; it becomes the gazetteer's ``aliases`` setting
            (an absolute path in ``nlp.config``).

    Example:
        >>> nlp = spacy.load("en_core_web_sm")  # doctest: +SKIP
        >>> add_entity_fixes(nlp)  # doctest: +SKIP
    """
    infixes = [*nlp.Defaults.infixes, r"(?<=[A-Za-z]\.)[-–](?=[a-z])"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    prefixes = [*nlp.Defaults.prefixes, r"-(?=[A-Z])"]
    nlp.tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search
    setting = str(Path(aliases).resolve()) if aliases is not None else None
    nlp.add_pipe(GAZETTEER, after="ner", config={"aliases": setting})
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS, before="parser")


def _known_names() -> re.Pattern[str]:
    """A regex over every name and demonym in the alias table, longest first."""
    def build() -> re.Pattern[str]:
        table = load_alias_table()
        forms = {form for entity in table.entities.values()
                 for form in (entity.canonical, *entity.aliases, *entity.demonyms)}
        alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")

    return cached("known_names", (SHIPPED_ALIASES,), build)


_WORD = re.compile(r"[^\W\d_][\w'’]*")


def sentence_case_headline(text: str, headline_end: int) -> str:
    """``text`` with its title-case headline ``text[:headline_end]`` in sentence case.

    Known names (alias table), acronyms and the first word keep their case; only characters
    whose lower case has the same length change, so every offset stays valid.

    Args:
        text: The document text.
        headline_end: Where the headline ends.

    Returns:
        A string of the same length as ``text``.

    Example:
        >>> sentence_case_headline("Iranian Drone Shadows US Forces\\n\\nBody.", 31)
        'Iranian drone shadows US forces\\n\\nBody.'
    """
    headline = text[:headline_end]
    if not is_title_case_line(headline.lstrip("# ")):
        return text  # a sentence-case heading ("# Bush meets Blair") is cased as written
    protected = [m.span() for m in _known_names().finditer(headline)]
    chars = list(headline)
    for number, match in enumerate(_WORD.finditer(headline)):
        word = match.group()
        if number == 0 or word.isupper() or any(a <= match.start() < b for a, b in protected):
            continue
        for i in range(match.start(), match.end()):
            lowered = chars[i].lower()
            if len(lowered) == 1:
                chars[i] = lowered
    return "".join(chars) + text[headline_end:]


def with_text(doc: Doc, text: str) -> Doc:
    """A copy of ``doc`` whose tokens read ``text`` (same length), annotations kept.

    Args:
        doc: A Doc annotated on a same-length variant of ``text``.
        text: The original text.

    Returns:
        A new Doc with ``doc``'s tokenization, tags, parse, lemmas and entities.
    """
    words = [text[t.idx:t.idx + len(t)] for t in doc]
    spaces = [bool(t.whitespace_) for t in doc]
    restored = Doc(doc.vocab, words=words, spaces=spaces)
    attrs = [name for name, present in (
        ("TAG", doc.has_annotation("TAG")), ("POS", doc.has_annotation("POS")),
        ("MORPH", doc.has_annotation("MORPH")), ("LEMMA", doc.has_annotation("LEMMA")),
        ("HEAD", doc.has_annotation("DEP")), ("DEP", doc.has_annotation("DEP")),
        ("SENT_START", not doc.has_annotation("DEP") and doc.has_annotation("SENT_START")),
        ("ENT_IOB", True), ("ENT_TYPE", True), ("ENT_KB_ID", True), ("ENT_ID", True),
    ) if present]
    restored.from_array(attrs, doc.to_array(attrs))
    return restored
