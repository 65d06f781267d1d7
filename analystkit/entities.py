"""Who and what is mentioned: canonical entities, frequencies, co-occurrence, concordance.

Raw NER output splits one entity over many strings (US, U.S., USA, the United States) and
drags in determiners, possessives, titles and compounds. :func:`entity_mentions` gives every
name mention an ``entity_id`` and a ``canonical`` name, resolving the whole corpus at once:

1. cleaning the span: leading determiners and "so-called" and trailing possessives are
   dropped, a hyphenated compound ("US-backed", "pro-Syrian") is credited to the entity
   and its ``role`` kept (``-backed``, ``pro-``, ``possessive``, ``name``). Honorifics (Mr,
   Mrs, Ms, Dr, Prof, Sir, ...) and offices (President, Secretary of State, Sen., Gen., ...)
   are not part of a person's name ("President Bush" is Bush); titles that are how someone
   is named (King, Queen, Prince, Pope, Sheikh, Lord) stay. A bare title ("Secretary of
   State" tagged ORG, the "State" of "Secretary of State") is not an entity;
2. not entities either: common nouns the model tags alone ("University", "state"), time
   zones, and, in normally capitalised text, a name without a capital letter;
3. bodies every country has ("Cabinet", "Parliament", "Senate", "Air Force", "Foreign
   Ministry") are qualified by the country named before them in the sentence, else by the
   document's most mentioned country: the alias table's row if it has one (``U.S.
   Senate``), else ``Cabinet (Japan)`` with id ``japan.cabinet``; without any country, a
   table row for the bare word or nothing;
4. the alias table (:mod:`analystkit.aliases`: shipped rows + the analyst's file), by exact
   form, by case, then by a key that ignores punctuation and legal forms ("Boeing Co.");
   "Washington state", "Seattle, Washington" and "Spokane, Wash." are the state, not D.C.;
   a one-word form of a row with ``context`` words ("SAF", "ISI", "Wagner") only in a
   document that has a long form of the row or a context word ("Khartoum"), else it is a
   free name (below); an all-caps name of four letters or more ("WASHINGTON", a dateline)
   is looked up in title case too;
5. demonyms ("Syrians") linked to their place in ``demonym_of``; counted on their own
   unless ``merge_demonyms=True``;
6. every other name is matched by a key: accents transliterated (Häupl -> haupl, ß -> ss),
   case, punctuation and spacing ignored, legal forms dropped for organisations ("Boeing
   Co." = "Boeing Company" = "Boeing"; "Sears Holdings" stays apart from "Sears, Roebuck").
   Across the corpus, a person's name without the middle initial or with a common
   nickname ("James Roche", "Jim Roche") joins the one fuller name it fits ("James G.
   Roche"); "Roche, James" in a mail header is James Roche; in one document, two spellings
   of a full name whose first names are one edit apart (not at the end: Mark/Mary stay two)
   are one person ("Darlene"/"Darleen Druyun"), the spelling more frequent in the corpus;
7. short forms are linked to the one full name they can mean, first inside their own
   document, then in the corpus (``link_across_documents``): a surname ("Bush" -> George W.
   Bush), a first name or a surname written first ("Saddam", "Bao", "Mr Hu") when some
   document links it, an acronym introduced next to its expansion ("Operation Inherent
   Resolve (OIR)", this document only), and a company's short name ("Sears" of "Sears,
   Roebuck and Co.", "Kmart" of "Kmart Holding Corp"). A short form two entities could
   mean stays its own entity: "Reid" with John Reid and Harry Reid in the corpus, unless
   its document names only one of them; "Sears" with Michael Sears and Sears, Roebuck. A
   first name links to the one person of the document written with it ("Mike" of "Mike
   Wynne"), else to the one person whose first name it is a nickname of ("Jim" of "James
   Roche"). A mention the model did not tag PERSON links to a person only inside its own
   document: a surname (or a given name) of exactly one person there, whatever its label
   ("Geldof" tagged ORG), except for works, events, laws and products ("the Nobel");
8. each entity gets one canonical name and one label: the most frequent spelling among
   the mentions that name it in full (spellings that differ only in case or punctuation
   count together, the best-formed shows: "George W. Bush" over "George W Bush"; for a
   person the fullest name first), and the label most of those mentions carry.

``entity_id`` is the table's id, ``PLACE.demonym``, ``COUNTRY.body`` or the name's key in
ASCII snake case (``.label`` appended if it would collide with a table id). Resolution is
one pass over the mentions plus dictionary look-ups: linear in the corpus.

Tables (all rows carry ``doc_id``, ``sent_id`` and character offsets into the document):

============= ============================================================================
mentions      doc_id, sent_id, start_char, end_char, text, label, entity_id, canonical,
              role, demonym_of
frequency     entity_id, canonical, label, mentions, documents, surface_forms (``|``),
              first_doc, first_char
cooccurrence  entity_a, entity_b, canonical_a, canonical_b, count, pmi, documents, evidence
concordance   doc_id, sent_id, start_char, end_char, left, match, right
over_time     entity_id, canonical, period, period_start, period_end, mentions, documents,
              published (:func:`mentions_over_time`: per day, week or month)
============= ============================================================================
"""

from __future__ import annotations

import functools
import html
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from itertools import combinations
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
from spacy.tokens import Doc, Span

from .aliases import AliasTable, load_alias_table
from .labels import NAME_LABELS
from .pipeline import AnnotatedCorpus, SentenceIndex
from .schema import TABLES

__all__ = [
    "NAME_LABELS",
    "fold",
    "concordance",
    "concordance_html",
    "cooccurrence",
    "dated_in_window",
    "document_entity_matrix",
    "entity_frequency",
    "entity_mentions",
    "mentions_over_time",
    "over_time_period",
    "publication_window",
]


_ALL_LABELS = set(NAME_LABELS) | {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL",
                                  "CARDINAL"}
MENTION_COLUMNS = list(TABLES["mentions"].names)
_LEADING = {"the", "a", "an", "this", "these", "that", "those", "so", "-", "called", "so-called",
            "\"", "'", "“", "‘", "(", "[", "<"}
_POSSESSIVE = {"'s", "’s", "'", "’"}
_TRAILING_PUNCT = {".", ",", ";", ":", "\"", "'", "”", "’", ")", "]", "-", ">"}
# Quote and bracket characters glued to a name's first or last token ("<Texaco", "Inc>").
_EDGE_JUNK = re.compile(r"^[<(\[\"'“‘]+|[>)\]\"”,;:]+$")
_COMPOUND = re.compile(r"^(?P<name>.+?)\s?[-–](?P<part>[a-z]+)$")
_PREFIX = re.compile(r"^(?P<part>pro|anti|non|ex|post|pre|pan)-(?P<name>.+)$", re.IGNORECASE)
_ORG_SUFFIXES = {"Inc", "Inc.", "Corp", "Corp.", "Co", "Co.", "Ltd", "Ltd.", "Plc", "plc", "PLC",
                 "LLC", "AG", "SA", "NV", "Group", "Holdings", "Corporation", "Company",
                 "Incorporated", "Limited"}
_GENERIC_FIRST = {"Bank", "National", "First", "General", "American", "United", "International",
                  "Union", "Federal", "Central", "New", "Royal", "State", "World", "Islamic",
                  "Free", "Democratic", "People", "Popular", "Arab", "European", "Global"}
_ACRONYM = re.compile(r"^[A-Z][A-Z&.-]{1,9}$")
_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")

# Transliteration of letters that NFKD does not decompose into a base letter + a mark.
_FOLD = str.maketrans({"ß": "ss", "ẞ": "SS", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE",
                       "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d",
                       "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t",
                       "Ŧ": "T", "ŋ": "ng", "Ŋ": "Ng", "ĸ": "k"})
_KEY_JUNK = re.compile(r"[\W_]+")

# Courtesy and academic honorifics: never part of a canonical name ("Mr Hu" is Hu).
_HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "messrs", "mme", "mlle", "dr", "prof",
               "professor", "rev", "reverend", "sir", "dame", "herr", "frau", "monsieur",
               "madame"}
# Offices and ranks: a role the person holds (and loses), not part of the name, so
# "President Bush" and "Bush" are one person. Titles that form how someone is named (King,
# Queen, Prince, Princess, Pope, Sheikh, Ayatollah, Lord, Lady, Emperor) are kept.
_ROLE_TITLES = {"president", "vice", "prime", "minister", "pm", "premier", "chancellor",
                "secretary", "secretary-general", "under", "undersecretary", "deputy",
                "assistant", "senator", "sen", "rep", "representative", "congressman",
                "congresswoman", "gov", "governor", "lt", "lieutenant", "mayor", "general",
                "gen", "col", "colonel", "maj", "capt", "captain", "cmdr", "commander", "adm",
                "admiral", "sgt", "sergeant", "cpl", "pvt", "brig", "judge", "justice",
                "ambassador", "chairman", "chairwoman", "chief", "director", "commissioner",
                "inspector", "detective", "former", "ex", "acting", "then", "spokesman",
                "spokeswoman", "attorney", "foreign", "defense", "defence", "interior",
                "finance", "health", "sec"}
# The department in "Secretary of State Colin Powell", "Secretary of the Air Force Roche".
_OFFICE_WORDS = {"of", "the", "state", "defense", "defence", "homeland", "security", "energy",
                 "labor", "commerce", "agriculture", "treasury", "transportation", "education",
                 "health", "interior", "justice", "air", "force", "army", "navy", "staff",
                 "veterans", "affairs", "housing", "human", "services", "foreign", "general"}
_TRAILING_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof"}
# Mail headers and greetings glued to a name by the model ("James Roche Sent", "Good Luck
# Jim", "Subject Roche"): not part of it.
_HEADER_WORDS = {"subject", "subj", "date", "sent", "cc", "bcc", "to", "from", "re", "fw",
                 "fwd", "dear", "hi", "hello", "thanks", "thank", "best", "regards", "good",
                 "luck", "cheers", "sincerely", "attn"}
# A "PERSON" whose last word is one of these is an organisation ("Carter Center").
_ORG_HEADS = {"center", "centre", "university", "institute", "foundation", "company",
              "corporation", "party", "bank", "council", "committee", "agency", "department",
              "ministry", "association", "organization", "organisation", "group", "church",
              "college", "school", "hospital", "airlines", "airways", "times", "post", "news",
              "union", "commission", "federation", "society", "fund", "trust", "club",
              "league", "network", "press", "journal", "magazine", "office", "court", "army",
              "navy", "police", "inc", "corp", "ltd", "plc", "llc",
              # "the Bush administration" is not a person called Administration
              "administration", "government", "campaign", "cabinet", "camp", "team"}
# Legal forms: "Boeing Co." and "Boeing Company" are Boeing. Descriptive words (Holdings,
# Group, International) stay: Sears Holdings is not Sears, Roebuck.
_LEGAL_SUFFIXES = {"inc", "incorporated", "corp", "corporation", "co", "company", "cos", "ltd",
                   "limited", "plc", "llc", "l l c", "lp", "l p", "ag", "sa", "s a", "nv",
                   "n v", "spa", "gmbh", "bv", "ab", "asa", "oyj", "pty", "bhd", "berhad", "kk"}
# Bodies every country has: "the Cabinet" is Japan's or Vanuatu's, never one entity.
_GOVERNMENT_BODIES = {"cabinet", "parliament", "senate", "government", "ministry", "congress",
                      "assembly", "national assembly", "army", "navy", "air force", "police",
                      "supreme court", "constitutional court", "high court", "treasury",
                      "legislature", "upper house", "lower house", "house of representatives",
                      "foreign ministry", "interior ministry", "defense ministry",
                      "defence ministry", "finance ministry", "health ministry",
                      "justice ministry", "foreign office", "central bank", "national guard",
                      "coast guard", "military", "armed forces", "administration",
                      "opposition", "junta", "presidency", "federal government",
                      "ministry of defense", "ministry of defence", "ministry of foreign affairs",
                      "defense department", "defence department", "embassy", "house"}
# Common nouns the model capitalises or tags alone: not names, so not entities.
_GENERIC_NOUNS = {"university", "center", "centre", "company", "department", "agency",
                  "committee", "commission", "council", "board", "court", "party", "group",
                  "bank", "institute", "school", "college", "hospital", "church", "union",
                  "organization", "organisation", "authority", "office", "service", "state",
                  "city", "county", "province", "region", "corporation", "firm",
                  "the state", "republic", "kingdom", "federation", "secretary of state",
                  "secretary", "minister", "president", "prime minister",
                  # time zones are not organisations
                  "gmt", "utc", "est", "edt", "pst", "pdt", "cst", "cdt", "mst", "mdt", "cet",
                  "cest", "bst", "jst",
                  # a department's subject without the department
                  "defense", "defence", "interior", "homeland security",
                  # transcript labels ("QUESTION: Mr. Secretary, ..."), not people
                  "question", "questions", "answer", "q", "a", "moderator", "interviewer",
                  "unidentified speaker"}
# Capitals and cities with demonyms in the shipped table: places, but not a country whose
# cabinet or parliament a bare "Cabinet" could be.
_NOT_COUNTRIES = {"athens", "berlin", "boston", "cairo", "chicago", "dublin", "london",
                  "los_angeles", "moscow", "mosul", "new_york_city", "paris", "washington_dc"}
# States, provinces and nations of the shipped table and their country: they have a senate
# or a supreme court of their own, not an air force or a foreign ministry.
_PART_OF = {
    **dict.fromkeys(
        ["alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut",
         "delaware", "florida", "georgia_us_state", "hawaii", "idaho", "illinois", "indiana",
         "iowa", "kansas", "kentucky", "louisiana", "maine", "maryland", "massachusetts",
         "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada",
         "new_hampshire", "new_jersey", "new_mexico", "new_york_state", "north_carolina",
         "north_dakota", "ohio", "oklahoma", "oregon", "pennsylvania", "rhode_island",
         "south_carolina", "south_dakota", "tennessee", "texas", "utah", "vermont", "virginia",
         "washington_state", "west_virginia", "wisconsin", "wyoming", "puerto_rico", "guam"],
        "united_states"),
    **dict.fromkeys(
        ["alberta", "british_columbia", "manitoba", "new_brunswick", "newfoundland_and_labrador",
         "nova_scotia", "ontario", "prince_edward_island", "quebec", "saskatchewan", "yukon",
         "northwest_territories", "nunavut"], "canada"),
    **dict.fromkeys(["england", "scotland", "wales", "northern_ireland"], "united_kingdom"),
}
_LOCAL_BODIES = {"senate", "supreme court", "high court", "legislature", "assembly",
                 "national assembly", "government", "house of representatives", "parliament",
                 "cabinet", "upper house", "lower house", "police", "national guard", "house"}
# A city and the US state of the same name: "Seattle, Washington", "Washington state".
_STATE_TWINS = {"washington_dc": "washington_state", "new_york_city": "new_york_state"}
# Common English short forms of given names, so "Jim Roche" is "James G. Roche".
_NICKNAMES = {"jim": "james", "jimmy": "james", "bill": "william", "billy": "william",
              "will": "william", "mike": "michael", "bob": "robert", "rob": "robert",
              "bobby": "robert", "tom": "thomas", "tommy": "thomas", "dick": "richard",
              "rick": "richard", "tony": "anthony", "dave": "david", "joe": "joseph",
              "chuck": "charles", "charlie": "charles", "pete": "peter", "ed": "edward",
              "ted": "edward", "ron": "ronald", "don": "donald", "jerry": "gerald",
              "larry": "lawrence", "steve": "stephen", "andy": "andrew", "dan": "daniel",
              "danny": "daniel", "pat": "patrick", "sam": "samuel", "ben": "benjamin",
              "fred": "frederick", "hank": "henry", "jack": "john", "jeff": "jeffrey",
              "ken": "kenneth", "matt": "matthew", "nick": "nicholas", "chris": "christopher",
              "liz": "elizabeth", "kate": "katherine", "sue": "susan", "jenny": "jennifer",
              "marv": "marvin", "al": "albert", "alex": "alexander", "greg": "gregory",
              "jon": "jonathan", "tim": "timothy", "vince": "vincent", "walt": "walter"}


def fold(text: str) -> str:
    """``text`` with accents removed and special letters transliterated (Häupl -> Haupl).

    Args:
        text: Any string.

    Returns:
        The NFKD decomposition without combining marks, after a small table for letters
        that do not decompose (ß -> ss, ø -> o, æ -> ae, ł -> l, đ -> d, þ -> th, ...).

    Example:
        >>> fold("Michael Häupl, Łódź, Søren, Straße")
        'Michael Haupl, Lodz, Soren, Strasse'
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65536)  # names repeat: fold each spelling once
def _key(name: str) -> str:
    """The matching key of a name: folded, lower case, punctuation and spacing removed."""
    return " ".join(_KEY_JUNK.sub(" ", fold(name).lower()).split())


def _slug(name: str) -> str:
    """An entity id from a name; letters outside ASCII are transliterated, never dropped."""
    return _key(name).replace(" ", "_") or "entity"


def _org_base(key: str) -> str:
    """``key`` without trailing legal forms ("sears roebuck and co" -> "sears roebuck")."""
    words = key.split()
    while len(words) > 1:
        if words[-1] in _LEGAL_SUFFIXES:
            words.pop()
        elif len(words) > 2 and " ".join(words[-2:]) in _LEGAL_SUFFIXES:
            words[-2:] = []
        elif len(words) > 1 and words[-1] in ("and", "&"):
            words.pop()
        else:
            break
    return " ".join(words)


def _initials_match(acronym: str, expansion: Span) -> bool:
    letters = [c for c in acronym if c.isalpha()]
    initials = [t.text[0] for t in expansion if t.text[:1].isupper()]
    if len(letters) < 2 or not initials or letters[0] != initials[0]:
        return False
    words = iter(initials)
    return all(any(letter == w for w in words) for letter in letters)  # ordered subsequence


def _clean(span: Span) -> tuple[int, int, str]:
    """Token bounds of the name inside ``span`` and the role of the wrapper."""
    start, end, role = span.start, span.end, "name"
    doc = span.doc
    while start < end - 1 and (doc[start].lower_ in _LEADING or doc[start].is_space):
        start += 1
    while end - 1 > start and (doc[end - 1].text in _TRAILING_PUNCT | _POSSESSIVE
                               or doc[end - 1].is_space):
        if doc[end - 1].text in _POSSESSIVE:
            role = "possessive"
        end -= 1
    if end < len(doc) and doc[end].text in _POSSESSIVE and role == "name":
        role = "possessive"
    # "US" followed by "-backed" outside the span: credit the entity, keep the role.
    if (role == "name" and end + 1 < len(doc) and doc[end].text in ("-", "–")
            and not doc[end - 1].whitespace_ and doc[end + 1].is_lower and doc[end + 1].is_alpha):
        role = "-" + doc[end + 1].lower_
    elif role == "name" and end < len(doc) and doc[end].text.startswith("-") \
            and doc[end].text[1:].isalpha() and doc[end].text[1:].islower():
        role = doc[end].lower_
    return start, end, role


def _word(token) -> str:
    return token.lower_.rstrip(".")


def _strip_titles(doc: Doc, start: int, end: int, label: str) -> tuple[int, int, str]:
    """Drop honorifics (any label) and offices (PERSON) around a name; ``start == end`` when
    nothing but a title is left ("Secretary of State", "President")."""
    if _word(doc[start]) in ("mr", "mrs", "ms", "mx", "messrs") and end - start > 1:
        label = "PERSON"  # "Mr Hu" tagged ORG is still a person
    if label == "PERSON":
        while start < end and (_word(doc[start]) in _HONORIFICS | _ROLE_TITLES | _HEADER_WORDS
                               or doc[start].is_punct or doc[start].is_space
                               or (start > 0 and _word(doc[start]) in _OFFICE_WORDS
                                   and _word(doc[start - 1]) in _OFFICE_WORDS | _ROLE_TITLES
                                   and end - start > 1 and doc[start + 1].is_title)):
            start += 1
        while end - 1 > start and (_word(doc[end - 1]) in _TRAILING_HONORIFICS | _HEADER_WORDS
                                   or doc[end - 1].is_punct or doc[end - 1].is_space
                                   or _office_code(doc[end - 1], doc[start])):
            end -= 1
    elif end - start > 1 and any(_word(t) in _ROLE_TITLES for t in doc[start:end]) \
            and all(_word(t) in _ROLE_TITLES | _OFFICE_WORDS for t in doc[start:end]):
        start = end  # "Secretary of State" tagged ORG: a title, not an organisation
    return start, end, label


def _transcript_title(doc: Doc, ent: Span) -> bool:
    """ "SEC. RUMSFELD:" in a briefing transcript: "SEC" is Secretary, not the SEC."""
    if _word(ent[-1]) not in ("sec", "gen", "adm", "amb"):
        return False
    i = ent.end
    if not ent[-1].text.endswith("."):
        if i >= len(doc) or doc[i].text != ".":
            return False
        i += 1
    while i < len(doc) and doc[i].is_space:
        i += 1
    return i < len(doc) and doc[i].is_upper and doc[i].ent_type_ == "PERSON"


def _office_code(token, first) -> bool:
    """ "CIV", "OSD" after a title-case name in a mail header; not roman numerals."""
    return (token.is_upper and token.is_alpha and len(token) <= 4 and first.is_title
            and token.text not in _ROMAN)


_ROMAN = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}


class _Mention:
    """One name mention while the corpus is resolved (see :func:`entity_mentions`)."""

    __slots__ = ("doc", "sent", "start", "end", "text", "label", "role", "entity_id",
                 "canonical", "demonym_of", "key", "words", "free", "suffixed")

    def __init__(self, doc: int, sent: int, start: int, end: int, text: str, label: str,
                 role: str) -> None:
        self.doc, self.sent, self.start, self.end = doc, sent, start, end
        self.text, self.label, self.role = text, label, role
        self.entity_id = self.canonical = self.demonym_of = None
        self.key = ""
        self.words: list[str] = []
        self.free = False  # named by its own text (no table row): resolved corpus-wide
        self.suffixed = False  # a company name with its legal form ("Sears Plc")

    def fix(self, entity_id: str | None, canonical: str | None, label: str,
            demonym_of: str | None = None) -> _Mention:
        self.entity_id, self.canonical, self.label, self.demonym_of = \
            entity_id, canonical, label, demonym_of
        return self


class _Resolver:
    """Canonicalisation of a whole corpus: per-document rules, then corpus-wide linking."""

    def __init__(self, table: AliasTable, merge_demonyms: bool) -> None:
        self.table = table
        self.merge_demonyms = merge_demonyms
        # Forms of unambiguous rows by matching key: "Boeing Co." finds a row "Boeing".
        self.by_key = {}
        self.places = set()  # keys of every place form, ambiguous rows too
        for entity in table.entities.values():
            for form in (entity.canonical, *entity.aliases):
                if not entity.ambiguous:
                    self.by_key.setdefault(_key(form), entity)
                if entity.label in ("GPE", "LOC", "FAC"):
                    self.places.add(_key(form))
        self._bodies: dict[str, tuple[str, str] | None] = {}
        self._prior: dict[str, Counter[str]] = defaultdict(Counter)  # body -> countries
        self._pending: list[tuple] = []  # bare bodies waiting for the corpus prior
        # The document being resolved and which context rows it supports (known_here).
        self._text = ""
        self._support: dict[str, bool] = {}
        self._support_patterns: dict[str, re.Pattern] = {}
        self.countries = {entity_id for entity_id, entity in table.entities.items()
                          if entity.label == "GPE" and entity.demonyms
                          and entity_id not in _NOT_COUNTRIES} \
            | (set(_PART_OF) & set(table.entities))

    def known(self, name: str):
        return self.table.lookup(name)

    def known_here(self, name: str, entity=None):
        """The table row ``name`` (or the given row) names in the current document: a short
        form of a row with context words only where the document supports the row."""
        entity = self.known(name) if entity is None else entity
        if entity is None or not self.table.needs_support(entity, name):
            return entity
        supported = self._support.get(entity.entity_id)
        if supported is None:
            pattern = self._support_patterns.get(entity.entity_id)
            if pattern is None:
                words = sorted({*entity.context, *entity.long_forms}, key=len, reverse=True)
                pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words))
                                     + r")(?!\w)")
                self._support_patterns[entity.entity_id] = pattern
            supported = self._support[entity.entity_id] = bool(pattern.search(self._text))
        return entity if supported else None

    # ------------------------------------------------------------ one document

    def resolve_doc(self, number: int, doc: Doc, ents: tuple[Span, ...], keep: set[str],
                    sent_of, text: str) -> list[_Mention]:
        """The name mentions of one Doc; table, demonym and in-document rules applied,
        free names left for :meth:`link` (``free=True``)."""
        # doc.text is rebuilt from the tokens on each access: the caller passes the text.
        cased = len(_UPPER.findall(text)) >= 0.01 * len(text)
        self._text, self._support = text, {}
        acronyms: dict[str, str] = {}  # in-document acronym -> key of its expansion
        mentions: list[_Mention] = []
        for ent in ents:
            if ent.label_ not in keep:
                continue
            sent = int(sent_of[ent.start])
            if ent.label_ not in NAME_LABELS:  # dates, amounts: listed, not entities
                mentions.append(_Mention(number, sent, ent.start_char, ent.end_char, ent.text,
                                         ent.label_, "value"))
                continue
            if _transcript_title(doc, ent):
                continue
            start, end, role = _clean(ent)
            start, end, label = _strip_titles(doc, start, end, ent.label_)
            if start >= end:
                continue  # only a title
            name_span = doc[start:end]
            name = _EDGE_JUNK.sub("", name_span.text) or name_span.text
            compound = _COMPOUND.match(name)
            if compound and role == "name" and self._resolvable(compound["name"]):
                name, role = compound["name"], "-" + compound["part"]
            prefixed = _PREFIX.match(name)
            if prefixed and self._resolvable(prefixed["name"]):
                name, role = prefixed["name"], prefixed["part"].lower() + "-"
            offset = name_span.text.find(name)
            start_char = name_span.start_char + max(offset, 0)
            mention = _Mention(number, sent, start_char, start_char + len(name), name, label,
                               role)
            if self._identify(mention, doc, name_span, acronyms, cased):
                mentions.append(mention)
            if mention.free:
                self._acronym_after(doc, name_span, mention.key, acronyms)
            mentions.extend(self._nested_compounds(number, sent, name_span, mention.entity_id))
        self._qualify_bodies(mentions)
        for mention in mentions:  # an acronym introduced anywhere in the document
            if mention.free and mention.text in acronyms:
                mention.key = acronyms[mention.text]
                mention.words = mention.key.split()
        return mentions

    def _identify(self, mention: _Mention, doc: Doc, span: Span, acronyms, cased: bool) -> bool:
        """Name ``mention`` from the table or its demonyms, else mark it free; ``False`` when
        it is not an entity at all (a generic word, a lower-case word in cased text)."""
        name = " ".join(mention.text.split())  # "United\nStates" in wrapped wire copy
        key = _key(name)
        if key in _GOVERNMENT_BODIES or self._body_of_country(key) is not None:
            if cased and name == name.lower():
                return False  # "navy vessels": a common noun
            mention.key = key  # qualified by the country in context (_qualify_bodies)
            return True
        if key in _GENERIC_NOUNS or not key:
            return False
        entity = self._table_entity(name, doc, span) if name not in acronyms else None
        if entity is None:
            entity = self._demonym(mention, name)
            if entity is not None:
                return True
            if cased and not _UPPER.search(name) and name == name.lower():
                return False  # "state", "earth", "sec" in normally capitalised text
            entity = self._entity_by_key(name, key)
        if entity is not None:
            mention.fix(entity.entity_id, entity.canonical, entity.label)
            return True
        return self._free(mention, name, key)

    def _table_entity(self, name: str, doc: Doc, span: Span):
        """The table's row for this form (a state's twin in a state's context)."""
        entity = self.known_here(name) or self._dateline_form(name)
        if entity is not None:
            twin = _STATE_TWINS.get(entity.entity_id)
            if twin and twin in self.table.entities and self._state_context(doc, span):
                entity = self.table.entities[twin]
        return entity

    def _demonym(self, mention: _Mention, name: str):
        """A demonym names its place (``merge_demonyms``) or its own NORP entity; the
        place, or ``None`` when ``name`` is no demonym."""
        place = self.table.demonym_of(name) \
            if mention.label in ("NORP", "GPE", "LANGUAGE") else None
        if place is None:
            return None
        if self.merge_demonyms:
            mention.fix(place.entity_id, place.canonical, place.label, place.entity_id)
        else:
            mention.fix(f"{place.entity_id}.demonym",
                        place.demonyms[0] if place.demonyms else name, "NORP", place.entity_id)
        return place

    def _entity_by_key(self, name: str, key: str):
        """A table row whose form has this key ("Boeing Co." finds "Boeing"); "Reuters Inc"
        finds "Reuters", but "Canada Inc" is a company, not Canada."""
        base = _org_base(key)
        entity = self.by_key.get(key)
        if entity is None and base != key:
            entity = self.by_key.get(base)
            entity = entity if entity is not None and entity.label == "ORG" else None
        return self.known_here(name, entity) if entity is not None else None

    def _free(self, mention: _Mention, name: str, key: str) -> bool:
        """A name outside the table: its key and label for linking (a legal form makes an
        organisation), ``False`` for a bare legal form ("Co Ltd")."""
        label = mention.label
        words = key.split()
        if all(word in _LEGAL_SUFFIXES for word in words):
            return False  # "Co Ltd" cut from a longer name
        if label == "PERSON" and "," in name:  # "Roche, James" in a mail header
            last, _, first = name.partition(",")
            key = _key(f"{first} {last}")
            words = key.split()
        if label == "PERSON" and len(words) > 1 and words[-1] in _ORG_HEADS:
            label = "ORG"  # "Carter Center"
        if len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
            label = "ORG" if label == "PERSON" else label
        mention.label = label
        base = _org_base(key) if label != "PERSON" else key
        # "New York Corp" keeps its legal form: its base names a place ("new york").
        mention.key = key if base != key and base in self.places else base
        mention.words = mention.key.split()
        mention.suffixed = mention.key != key
        mention.free = True
        return True

    def _dateline_form(self, name: str):
        """ "WASHINGTON" (a dateline, an all-caps headline) is the row of "Washington";
        three letters or fewer stay acronyms ("SAF" is not "Saf")."""
        if sum(c.isalpha() for c in name) < 4 or name != name.upper() \
                or not name.replace(" ", "").replace("-", "").isalpha():
            return None
        return self.known_here(" ".join(w.capitalize() for w in name.lower().split()))

    @staticmethod
    def _state_context(doc: Doc, span: Span) -> bool:
        """ "Washington state", "Seattle, Washington": the US state, not the city."""
        after = doc[span.end] if span.end < len(doc) else None
        if after is not None and after.lower_ == "state":
            return True
        before = doc[span.start - 2] if span.start >= 2 else None
        return bool(before is not None and doc[span.start - 1].text == ","
                    and before.is_alpha and (before.ent_type_ == "GPE" or before.is_upper))

    def _body_of_country(self, key: str):
        """ "japanese cabinet", "parliament of vanuatu": (country, body) or ``None``."""
        words = key.split()
        if len(words) < 2:
            return None
        for cut in (1, 2):
            head, body = " ".join(words[:cut]), " ".join(words[cut:])
            if body in _GOVERNMENT_BODIES:
                place = self._country(head)
                if place is not None:
                    return place, body
        if " of " in key:
            body, head = key.rsplit(" of ", 1)
            if body in _GOVERNMENT_BODIES:
                place = self._country(head)
                if place is not None:
                    return place, body
        return None

    def _country(self, form: str):
        entity = self.known(form) or self.known(form.title()) or self.table.demonym_of(form)
        if entity is None:
            entity = self.known(form.upper())
        return entity if entity is not None and entity.entity_id in self.countries else None

    def _qualify_bodies(self, mentions: list[_Mention]) -> None:
        """Give each bare body ("Cabinet", "Senate", "Air Force") its country, in order:

        1. written with it: "Japan's Cabinet", "the Japanese Cabinet", "Parliament of
           Vanuatu", "Florida Senate";
        2. the one country this document named the same body with before ("the Italian
           Air Force ... the Air Force");
        3. the country the corpus names the body with most often ("Air Force" in a
           Pentagon briefing about Iraq), when the document mentions that country;
        4. the alias table's row for the bare word ("Senate" -> U.S. Senate) when the
           document mentions that row's country, or mentions no country at all;
        5. the country that has most (at least 60%) of the document's country mentions.

        A state or province qualifies only the bodies it has; a national body goes to its
        country. A body none of these decides is left out: a guess would join or mislabel
        different countries' institutions."""
        counts: Counter[str] = Counter()
        for mention in mentions:
            place = mention.demonym_of or mention.entity_id
            if place in self.countries:
                counts[_PART_OF.get(place, place)] += 1
        main, share = None, 0.0
        if counts:
            main, top = counts.most_common(1)[0]
            share = top / sum(counts.values())
        explicit: dict[str, Counter[str]] = defaultdict(Counter)
        pending = []
        previous: _Mention | None = None
        for mention in mentions:
            if mention.entity_id is not None or mention.free or mention.role == "value":
                for named in (self._body_of_entity(mention.entity_id),
                              self._body_of_name(mention.text) if mention.label == "ORG"
                              else None):
                    if named is not None:  # "U.S. Air Force", "U.S. House"
                        explicit[named[1]][named[0]] += 1
                previous = mention
                continue
            own = self._body_of_country(mention.key)
            before = (previous.demonym_of or previous.entity_id) if previous else None
            if own is not None:
                country, body = own[0].entity_id, own[1]
            elif before in self.countries and previous.sent == mention.sent \
                    and mention.start - previous.end <= 4:  # "Japan's Cabinet"
                country, body = before, mention.key
            else:
                # only what was named before it: "the Air Force ... the Italian Air Force"
                pending.append((mention, {k: set(v) for k, v in explicit.items()}))
                continue
            if country in _PART_OF and body not in _LOCAL_BODIES:
                country = _PART_OF[country]  # the Air Force of Florida is the U.S. Air Force
            explicit[body][country] += 1
            self._qualify(mention, country, body)
        for body, countries in explicit.items():
            self._prior[body].update(countries)
        self._pending.extend((mention, counts, main, share, seen) for mention, seen in pending)

    def qualify_pending(self, mentions: list[_Mention]) -> list[_Mention]:
        """Steps 2-5 of :meth:`_qualify_bodies` once every document has been read (step 3
        needs the corpus); returns ``mentions`` without the bodies left out."""
        for mention, counts, main, share, seen in self._pending:
            body = mention.key
            country = _one(seen.get(body))
            if country is None and self._prior.get(body):
                usual = self._prior[body].most_common(1)[0][0]
                country = usual if usual in counts else None
            row = self.known(mention.text)
            if country is None and row is not None:
                owner = self._body_of_entity(row.entity_id)
                if owner is None or owner[0] in counts or not counts:
                    mention.fix(row.entity_id, row.canonical, row.label)
                    continue
            if country is None and share >= 0.6:
                country = main
            if country is None:
                mention.role = "drop"
                continue
            if country in _PART_OF and body not in _LOCAL_BODIES:
                country = _PART_OF[country]
            self._qualify(mention, country, body)
        self._pending = []
        return [m for m in mentions if m.role != "drop"]

    def _body_of_entity(self, entity_id: str | None) -> tuple[str, str] | None:
        """(country id, body key) of a table row such as "U.S. Air Force", else ``None``."""
        if entity_id is None or entity_id not in self.table.entities:
            return None
        entity = self.table.entities[entity_id]
        return self._body_of_name(entity.canonical) if entity.label == "ORG" else None

    def _body_of_name(self, name: str) -> tuple[str, str] | None:
        """(country id, body key) of a name such as "U.S. House", else ``None``."""
        if name in self._bodies:
            return self._bodies[name]
        found = None
        words = name.split()
        for cut in (1, 2):
            body = _key(" ".join(words[cut:]))
            if len(words) > cut and body in _GOVERNMENT_BODIES:
                place = self._country(" ".join(words[:cut]))
                if place is not None:
                    found = (place.entity_id, body)
                    break
        self._bodies[name] = found
        return found

    def _qualify(self, mention: _Mention, country: str, body: str) -> None:
        """The table's row for the country's body ("U.S. Senate"), else ``COUNTRY.body``."""
        place = self.table.entities[country]
        title = " ".join(w if w in ("of", "the", "and") else w.capitalize()
                         for w in body.split())
        for form in (place.canonical, *place.aliases, *place.demonyms):
            found = self.known(f"{form} {title}") or self.known(f"{title} of {form}")
            if found is not None:
                mention.fix(found.entity_id, found.canonical, found.label)
                return
        mention.fix(f"{country}.{_slug(body)}", f"{title} ({place.canonical})", "ORG")

    def _nested_compounds(self, number: int, sent: int, span: Span, outer_id) -> list[_Mention]:
        """"US-led coalition": the coalition is one entity, and the US is credited too."""
        rows = []
        doc = span.doc
        for token in span[:-2] if len(span) > 2 else []:
            after, part = doc[token.i + 1], doc[token.i + 2]
            if after.text not in ("-", "–") or token.whitespace_ or not part.is_lower:
                continue
            for first in range(max(span.start, token.i - 2), token.i + 1):
                name = doc[first:token.i + 1].text
                entity = self.known_here(name)
                place = None if entity else self.table.demonym_of(name)
                if entity is None and place is None:
                    continue
                mention = _Mention(number, sent, doc[first].idx, token.idx + len(token), name,
                                   "NORP", "-" + part.lower_)
                if entity is not None and entity.entity_id != outer_id:
                    rows.append(mention.fix(entity.entity_id, entity.canonical, entity.label))
                elif place is not None:
                    if self.merge_demonyms:
                        mention.fix(place.entity_id, place.canonical, place.label,
                                    place.entity_id)
                    else:
                        mention.fix(f"{place.entity_id}.demonym",
                                    place.demonyms[0] if place.demonyms else name, "NORP",
                                    place.entity_id)
                    rows.append(mention)
                break
        return rows

    def _resolvable(self, name: str) -> bool:
        return self.known(name) is not None or self.table.demonym_of(name) is not None \
            or (name[:1].isupper() and " " not in name)

    @staticmethod
    def _acronym_after(doc: Doc, name_span: Span, key: str, acronyms) -> None:
        """"Operation Inherent Resolve (OIR)": OIR becomes an alias of the mention's entity."""
        end = name_span.end
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
            acronym = doc[end + 1].text
            if _ACRONYM.match(acronym) and _initials_match(acronym, name_span):
                acronyms.setdefault(acronym, key)

    # ------------------------------------------------------------ the whole corpus

    def link(self, mentions: list[_Mention]) -> None:
        """Give every free mention its entity: variants of one name merge (spelling, case,
        honorifics, a middle initial, a nickname), and a surname or a company's short form
        links to the one full name it can mean, first in its own document, then in the
        corpus. Linear in the number of mentions."""
        free = [m for m in mentions if m.free]
        label_of, defined, frequency = _corpus_labels(free)
        people, rep = _people(label_of, frequency)
        self._merge_spellings(free, rep, frequency)
        by_last: dict[str, set[str]] = defaultdict(set)
        for key in people:
            if key.split()[-1] not in _GIVEN_NAMES:  # "Ken Kreig Ltr James": junk
                by_last[key.split()[-1]].add(rep[key])
        # Short forms of companies: "Sears" of "Sears, Roebuck & Co." (strong: the name
        # before its comma) and "Kmart" of "Kmart Holding Corp" (weak: the first word of a
        # name with a legal suffix).
        strong: dict[str, set[str]] = defaultdict(set)
        for mention in free:
            if label_of[mention.key] != "PERSON" and len(mention.words) >= 2:
                for kind, short in self._short_forms(mention):
                    if kind == "strong":
                        strong[short].add(mention.key)
        evidence = _Evidence(defaultdict(set), defaultdict(set))
        docs: dict[int, list[_Mention]] = defaultdict(list)
        for mention in free:
            docs[mention.doc].append(mention)
        links: list[tuple[_Mention, str | None]] = []
        for group in docs.values():
            names = self._doc_names(group, rep, label_of)
            links.extend((mention, _doc_target(mention, names, rep, label_of, evidence))
                         for mention in group)
        for mention, target in links:
            if target is None and len(mention.words) == 1:  # nothing in its own document
                target = _corpus_target(mention, label_of, strong, defined, by_last, evidence)
            mention.key = target or mention.key
        self._name(free, defined)

    def _doc_names(self, group: list[_Mention], rep: dict[str, str],
                   label_of: dict[str, str]) -> _DocNames:
        """The full names of one document by surname, first and given name, and its
        companies by short form."""
        names = _DocNames(*(defaultdict(set) for _ in range(5)),
                          {mention.key for mention in group if mention.suffixed})
        for mention in group:
            if mention.key in rep:
                if mention.words[-1] not in _GIVEN_NAMES:
                    names.last[mention.words[-1]].add(rep[mention.key])
                names.first[mention.words[0]].add(rep[mention.key])
                names.given[_given(mention.words[0])].add(rep[mention.key])
            elif label_of[mention.key] != "PERSON" and len(mention.words) > 1:
                for kind, short in self._short_forms(mention):
                    (names.strong if kind == "strong" else names.weak)[short].add(mention.key)
        return names

    @staticmethod
    def _merge_spellings(free: list[_Mention], rep: dict[str, str],
                         frequency: dict[str, int]) -> None:
        """Two spellings of one full name in one document join in ``rep``: the same surname
        and middle, first names one edit apart ("Darlene"/"Darleen Druyun"), the spelling
        more frequent in the corpus wins."""
        by_doc: dict[tuple[int, str], set[str]] = defaultdict(set)
        for mention in free:
            if mention.key in rep:
                by_doc[(mention.doc, mention.words[-1])].add(rep[mention.key])
        into: dict[str, str] = {}
        for keys in by_doc.values():
            for a, b in combinations(sorted(keys), 2):
                (first_a, *rest_a), (first_b, *rest_b) = a.split(), b.split()
                if rest_a == rest_b and min(len(first_a), len(first_b)) >= 4 \
                        and _one_edit(first_a, first_b):
                    keep, drop = sorted((a, b), key=lambda k: (-frequency[k], k))
                    into[drop] = into.get(keep, keep)
        for key, target in rep.items():
            rep[key] = into.get(target, target)

    @staticmethod
    def _short_forms(mention: _Mention) -> list[tuple[str, str]]:
        claims = []
        raw = _key(mention.text).split()
        suffixed = len(raw) > len(mention.words)  # only a company's name has short forms
        if suffixed and "," in mention.text:
            head = _key(mention.text.split(",", 1)[0])
            if head and head != mention.key and head not in _GENERIC_FIRST_KEYS \
                    and not set(head.split()) & (_ROLE_TITLES | _OFFICE_WORDS):
                claims.append(("strong", head))
        if suffixed and mention.words[0] not in _GENERIC_FIRST_KEYS \
                and mention.text[:1].isupper():
            claims.append(("weak", mention.words[0]))
        return claims

    def _name(self, free: list[_Mention], companies: set[str]) -> None:
        """One id, one canonical name and one label per entity: the most frequent spelling
        among the mentions that name it in full (for people, the fullest form first)."""
        forms: dict[str, Counter[str]] = defaultdict(Counter)
        labels: dict[str, Counter[str]] = defaultdict(Counter)
        fallback: dict[str, Counter[str]] = defaultdict(Counter)
        short_labels: dict[str, Counter[str]] = defaultdict(Counter)
        for mention in free:
            display = " ".join(mention.text.split())
            own = _key(display)
            if own == mention.key or _org_base(own) == mention.key or "," in display:
                forms[mention.key][display] += 1
                labels[mention.key][mention.label] += 1
            else:
                fallback[mention.key][display] += 1
                short_labels[mention.key][mention.label] += 1
        names = {}
        for key in {**fallback, **forms}:
            # The full names decide the label: "Sears" tagged ORG is Michael Sears, a PERSON.
            label = "ORG" if key in companies else \
                (labels.get(key) or short_labels[key]).most_common(1)[0][0]
            person = label == "PERSON"
            # A span the model cut badly ("EADS Paris.--European ...", "Fund (ICO") does not
            # name the entity when a clean spelling exists, even a short one.
            counts = _clean_forms(forms.get(key)) or _clean_forms(fallback.get(key)) \
                or forms.get(key) or fallback[key]
            # Spellings that differ only in case or punctuation count together ("Boeing",
            # "BOEING"); each cluster shows its best-formed spelling.
            clusters: dict[str, list] = {}
            for form, count in counts.items():
                cluster = clusters.setdefault(_key(form), [0, form])
                cluster[0] += count
                if (_well_formed(form), count) > (_well_formed(cluster[1]), counts[cluster[1]]):
                    cluster[1] = form
            best = max(clusters.values(), key=lambda item: (
                "," not in item[1] if person else True,
                len(item[1].split()) if person else 0, item[0], _well_formed(item[1]),
                len(item[1]), item[1]))[1]
            entity_id = _slug(key)
            if entity_id in self.table.entities:
                entity_id = f"{entity_id}.{label.lower()}"
            names[key] = (entity_id, best, label)
        for mention in free:
            mention.entity_id, mention.canonical, mention.label = names[mention.key]


# Things named after a person are not the person: the "Nobel" (prize) is not Alfred Nobel.
_NAMED_AFTER = {"WORK_OF_ART", "EVENT", "LAW", "PRODUCT", "LANGUAGE"}
_GENERIC_FIRST_KEYS = {_key(word) for word in _GENERIC_FIRST}
_GIVEN_NAMES = set(_NICKNAMES) | set(_NICKNAMES.values())


def _given(word: str) -> str:
    """A first name with a common nickname spelt out ("jim" -> "james")."""
    return _NICKNAMES.get(word, word)


def _one_edit(a: str, b: str) -> bool:
    """Two spellings of one given name: one substitution, insertion or transposition apart,
    not at the end (the ending makes another name: Mark/Mary, Louis/Louise)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 2:  # "Darlene"/"Darleen"
            return diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] \
                and a[diff[1]] == b[diff[0]]
        return diff[0] < len(a) - 1 if len(diff) == 1 else False
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_) - 1))


class _Evidence(NamedTuple):
    """Short form -> full names it was linked to inside some document: a first name
    ("Saddam") or a weak company short form travels across documents only with it."""

    person: dict[str, set[str]]
    org: dict[str, set[str]]


class _DocNames(NamedTuple):
    """One document's full names (people) by surname, first name and given name (nicknames
    spelt out), its companies by strong and weak short form, and its defined names."""

    last: dict[str, set[str]]
    first: dict[str, set[str]]
    given: dict[str, set[str]]
    strong: dict[str, set[str]]
    weak: dict[str, set[str]]
    defined: set[str]


def _corpus_labels(free: list[_Mention]) -> tuple[dict[str, str], set[str], dict[str, int]]:
    """Each name key's most frequent label, the keys written with a legal form (a company,
    and a full name itself: "Sears Plc" is not the short form of "Sears, Roebuck and Co"),
    and each key's number of mentions."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for mention in free:
        votes[mention.key][mention.label] += 1
    label_of = {key: counts.most_common(1)[0][0] for key, counts in votes.items()}
    defined = {mention.key for mention in free if mention.suffixed}
    label_of.update((key, "ORG") for key in defined)
    return label_of, defined, {key: sum(counts.values()) for key, counts in votes.items()}


def _people(label_of: dict[str, str], frequency: dict[str, int]
            ) -> tuple[list[str], dict[str, str]]:
    """Full names of people, and the representative key of each: a variant without (or
    with another spelling of) the middle and a nickname merge into one."""
    people = [key for key, label in label_of.items() if label == "PERSON"
              and len(key.split()) > 1 and not any(c.isdigit() for c in key)]
    by_ends: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key in people:
        words = key.split()
        by_ends[(_NICKNAMES.get(words[0], words[0]), words[-1])].append(key)
    rep: dict[str, str] = {}
    for keys in by_ends.values():
        middles = {tuple(k.split()[1:-1]) for k in keys} - {()}
        for key in keys:
            middle = tuple(key.split()[1:-1])
            if middle or len(middles) == 1:
                group = [k for k in keys if tuple(k.split()[1:-1]) in
                         ({middle} if middle else middles)]
            elif not middles:
                group = keys
            else:
                group = [key]  # "George Bush" with "George W." and "George H. W.": apart
            rep[key] = max(group, key=lambda k: (len(k.split()), frequency[k], k))
    return people, rep


def _doc_target(mention: _Mention, names: _DocNames, rep: dict[str, str],
                label_of: dict[str, str], evidence: _Evidence) -> str | None:
    """What ``mention`` links to in its own document: a key, ``""`` (its own name, as it is
    ambiguous here) or ``None`` (nothing here: the corpus decides)."""
    key = mention.key
    if key in rep:
        return rep[key]
    if key in names.defined:  # "Texaco" after "Texaco Inc" in the same document
        return ""
    person = label_of[key] == "PERSON" or mention.label == "PERSON"
    if person:
        target = _doc_person(mention, names, evidence)
        ambiguous_here = bool(names.last.get(key) or names.given.get(_given(key)))
    else:
        target = _doc_company(mention, names, evidence)
        ambiguous_here = bool(names.strong.get(key) or names.weak.get(key))
    return target or ("" if ambiguous_here else None)


def _doc_person(mention: _Mention, names: _DocNames, evidence: _Evidence) -> str | None:
    """A one-word person: the one full name with this surname, else with this first name
    ("Mike" of "Mike Wynne"), else given name ("Jim" of the one James, "James Roche")."""
    key = mention.key
    if len(mention.words) != 1:
        return None
    first = names.first.get(key) or names.given.get(_given(key))
    target = _one(names.last.get(key)) or (None if names.last.get(key) else _one(first))
    if target and not names.last.get(key):
        evidence.person[key].add(target)
    return target


def _doc_company(mention: _Mention, names: _DocNames, evidence: _Evidence) -> str | None:
    """A short form of the one company of the document it can stand for; else a surname or
    a given name the model called ORG, LOC, ...: "Geldof" of Bob Geldof, "Marv" of Marv
    Sambur (not "ICI" of "ICI Pharma")."""
    key = mention.key
    target = _one(names.strong.get(key)) or (
        None if names.strong.get(key) else _one(names.weak.get(key)))
    if target and not names.strong.get(key):
        evidence.org[key].add(target)
    if target is None and len(mention.words) == 1 and not names.strong.get(key) \
            and not names.weak.get(key) and mention.label not in _NAMED_AFTER:
        first = names.first.get(key) or names.given.get(_given(key))
        given = first if _given(key) in _GIVEN_NAMES else None
        target = _one(names.last.get(key)) or (None if names.last.get(key) else _one(given))
    return target


def _corpus_target(mention: _Mention, label_of: dict[str, str], strong: dict[str, set[str]],
                   defined: set[str], by_last: dict[str, set[str]],
                   evidence: _Evidence) -> str | None:
    """One candidate in the whole corpus, people and companies alike: "Sears" stays apart
    when the corpus has Michael Sears and Sears, Roebuck. A mention the model did not call
    a person links to a person only inside its document: "Roche" the drug maker is not
    James G. Roche."""
    key = mention.key
    person = label_of[key] == "PERSON" or mention.label == "PERSON"
    companies = strong.get(key, set()) | ({key} if key in defined else set())
    named = by_last.get(key, set()) | companies
    known = evidence.org.get(key, set())
    if person:
        known = known | evidence.person.get(key, set())
    target = _one(named) or (None if named else _one(known))
    if not person and target not in companies | known:
        target = None
    return target


def _clean_forms(counts: Counter[str] | None) -> Counter[str]:
    """The spellings in ``counts`` that are not broken spans."""
    return Counter({form: n for form, n in (counts or {}).items()
                    if "--" not in form and form.count("(") == form.count(")")})


def _one(candidates: set[str] | None) -> str | None:
    """The only candidate, else ``None`` (none, or ambiguous)."""
    if candidates and len(candidates) == 1:
        return next(iter(candidates))
    return None


def _well_formed(form: str) -> int:
    """Mixed case beats all capitals beats lower case; a dotted initial ("W.") scores."""
    score = 2 if form != form.upper() and form != form.lower() else int(form == form.upper())
    return 2 * score + int(bool(re.search(r"\b[A-Z]\.", form)))


def entity_mentions(
    annotated: AnnotatedCorpus,
    *,
    aliases: str | Path | None = None,
    merge_demonyms: bool = False,
    labels: Iterable[str] | None = NAME_LABELS,
    link_across_documents: bool = True,
) -> pd.DataFrame:
    """Every name mention with its canonical entity, resolved over the whole corpus.

    Args:
        annotated: The annotated corpus.
        aliases: The analyst's alias file (CSV or YAML) overriding/extending the shipped one.
        merge_demonyms: Count "Syrian(s)" as Syria (``True``) or as its own entity linked by
            ``demonym_of`` (``False``, the default).
        labels: Entity labels to keep (default: :data:`NAME_LABELS`; ``None``: all). Mentions
            with other labels (DATE, MONEY, ...) are listed with role ``value`` and no entity.
        link_across_documents: Link a surname or a short form to the one full name it can
            mean in the corpus when its own document names nobody it fits (``False``: only
            inside a document).

    Returns:
        Columns ``doc_id, sent_id, start_char, end_char, text, label, entity_id, canonical,
        role, demonym_of``; ``text`` is ``document.text[start_char:end_char]``; ``role`` is
        ``name``, ``possessive``, a compound part (``-backed``, ``pro-``) or ``value``. Each
        ``entity_id`` has exactly one ``canonical`` name and one ``label``.

    Example:
        >>> mentions = entity_mentions(annotated)  # doctest: +SKIP
        >>> mentions.query("canonical == 'United States'").text.unique()  # doctest: +SKIP
        array(['U.S.', 'US', 'USA', 'United States'], dtype=object)
    """
    resolver = _Resolver(load_alias_table(aliases), merge_demonyms)
    keep = set(labels) if labels is not None else _ALL_LABELS
    doc_ids = []
    mentions: list[_Mention] = []
    for number, (document, doc) in enumerate(annotated):
        doc_ids.append(document.doc_id)
        ents = doc.ents  # built from the token array on every access: read it once
        if not ents:
            continue
        sent_of = SentenceIndex(doc).of_token
        mentions.extend(resolver.resolve_doc(number, doc, ents, keep, sent_of.tolist(),
                                             document.text))
    mentions = resolver.qualify_pending(mentions)
    _link(resolver, mentions, across_documents=link_across_documents)
    records = [(doc_ids[m.doc], m.sent, m.start, m.end, m.text, m.label, m.entity_id,
                m.canonical, m.role, m.demonym_of) for m in mentions]
    return TABLES["mentions"].conform(
        pd.DataFrame.from_records(records, columns=MENTION_COLUMNS))


def _link(resolver: _Resolver, mentions: list[_Mention], *, across_documents: bool) -> None:
    if across_documents:
        resolver.link(mentions)
        return
    by_doc: dict[int, list[_Mention]] = defaultdict(list)  # the same, a document at a time
    for mention in mentions:
        by_doc[mention.doc].append(mention)
    for group in by_doc.values():
        resolver.link(group)
    _unify(mentions)


def _unify(mentions: list[_Mention]) -> None:
    """One canonical name and label per id after per-document linking (the first wins)."""
    first: dict[str, tuple[str, str]] = {}
    for mention in mentions:
        if mention.entity_id is not None:
            mention.canonical, mention.label = first.setdefault(
                mention.entity_id, (mention.canonical, mention.label))


def entity_frequency(mentions: pd.DataFrame, *, labels: Iterable[str] | None = None
                     ) -> pd.DataFrame:
    """How often each canonical entity is mentioned, and in how many documents.

    Args:
        mentions: An :func:`entity_mentions` table.
        labels: Keep only entities with these labels (e.g. ``["GPE", "ORG"]``).

    Returns:
        Columns ``entity_id, canonical, label, mentions, documents, surface_forms,
        first_doc, first_char``; most mentioned first (ties by canonical name). ``label`` is
        the entity's most frequent label; ``surface_forms`` joins the distinct texts by ``|``,
        most frequent first.

    Example:
        >>> entity_frequency(mentions, labels=["GPE"]).head(10)  # doctest: +SKIP
    """
    columns = list(TABLES["frequency"].names)
    named = mentions.dropna(subset=["entity_id"])
    if named.empty:
        return TABLES["frequency"].empty()
    # Grouped column operations, not a Python loop per entity (thousands of entities).
    frame = pd.DataFrame({
        "entity_id": named["entity_id"].astype(str).to_numpy(),
        "canonical": named["canonical"].astype(str).to_numpy(),
        "label": named["label"].astype(str).to_numpy(),
        "doc_id": named["doc_id"].astype(str).to_numpy(),
        "form": named["text"].astype(str).str.replace(r"\s+", " ", regex=True).to_numpy(),
        "start_char": named["start_char"].to_numpy(),
    })
    grouped = frame.groupby("entity_id", sort=False)
    table = grouped[["canonical", "doc_id", "start_char"]].first()
    table["mentions"] = grouped.size()
    table["documents"] = grouped["doc_id"].nunique()
    labels_ = frame.groupby(["entity_id", "label"], sort=True).size().rename("n").reset_index()
    labels_ = labels_.sort_values("n", ascending=False, kind="stable") \
        .drop_duplicates("entity_id").set_index("entity_id")["label"]
    table["label"] = labels_
    # Surface forms: most frequent first, ties alphabetical.
    forms = frame.groupby(["entity_id", "form"], sort=True).size().rename("n").reset_index()
    forms = forms.sort_values("n", ascending=False, kind="stable")
    table["surface_forms"] = forms.groupby("entity_id", sort=False)["form"].agg("|".join)
    table = table.reset_index().rename(columns={"doc_id": "first_doc",
                                                "start_char": "first_char"})[columns]
    if labels is not None:
        table = table[table["label"].isin(list(labels))]
    return TABLES["frequency"].conform(
        table.sort_values(["mentions", "canonical"], ascending=[False, True], kind="stable")
        .reset_index(drop=True))


def document_entity_matrix(mentions: pd.DataFrame, *, top: int | None = None) -> pd.DataFrame:
    """Mentions per document (rows, ``doc_id``) and entity (columns, canonical name).

    Args:
        mentions: An :func:`entity_mentions` table.
        top: Keep only the ``top`` most mentioned entities as columns.

    Returns:
        An integer DataFrame, columns ordered by total mentions.
    """
    matrix = pd.crosstab(mentions["doc_id"], mentions["canonical"])
    order = matrix.sum().sort_values(ascending=False, kind="stable").index
    return matrix[order[:top] if top else order]


def cooccurrence(mentions: pd.DataFrame, *, window: int = 1, min_count: int = 1
                 ) -> pd.DataFrame:
    """Pairs of entities mentioned together within ``window`` consecutive sentences.

    Units are all windows of ``window`` sentences inside a document (a document shorter
    than the window is one unit); ``count`` is the number of units holding both entities and
    ``pmi = log2(count * units / (units_a * units_b))``.

    Args:
        mentions: An :func:`entity_mentions` table.
        window: Sentences per window (1: same sentence).
        min_count: Drop pairs seen fewer times.

    Returns:
        Columns ``entity_a, entity_b, canonical_a, canonical_b, count, pmi, documents,
        evidence`` (``doc_id:sent_id`` of the first unit), most frequent first.

    Example:
        >>> cooccurrence(mentions, window=2).head()  # doctest: +SKIP
    """
    if window < 1:
        raise ValueError("window must be at least 1")
    columns = list(TABLES["cooccurrence"].names)
    names = dict(zip(mentions["entity_id"], mentions["canonical"], strict=True))
    single: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    pair_docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    evidence: dict[tuple[str, str], str] = {}
    units = 0
    for doc_id, group in mentions.groupby("doc_id", sort=False, observed=True):
        by_sentence: dict[int, set[str]] = defaultdict(set)
        for sent_id, entity_id in zip(group["sent_id"], group["entity_id"], strict=True):
            by_sentence[int(sent_id)].add(entity_id)
        last = max(by_sentence)
        for first in range(0, max(1, last - window + 2)):
            unit = set().union(*(by_sentence.get(s, ()) for s in range(first, first + window)))
            units += 1
            single.update(unit)
            for pair in combinations(sorted(unit), 2):
                pairs[pair] += 1
                pair_docs[pair].add(doc_id)
                evidence.setdefault(pair, f"{doc_id}:{first}")
    rows = [(a, b, names[a], names[b], n,
             math.log2(n * units / (single[a] * single[b])), len(pair_docs[(a, b)]),
             evidence[(a, b)])
            for (a, b), n in pairs.items() if n >= min_count]
    table = pd.DataFrame(rows, columns=columns)
    return TABLES["cooccurrence"].conform(
        table.sort_values(["count", "pmi", "canonical_a", "canonical_b"],
                          ascending=[False, False, True, True], kind="stable")
        .reset_index(drop=True))


def concordance(annotated: AnnotatedCorpus | Mapping[str, str], mentions: pd.DataFrame,
                entity: str, *, width: int = 60) -> pd.DataFrame:
    """Keyword in context for one entity across all its surface forms.

    Args:
        annotated: The annotated corpus, or ``doc_id`` -> text (``analysis.texts``): the
            text around each mention.
        mentions: An :func:`entity_mentions` table.
        entity: An ``entity_id``, a canonical name or any surface form of it.
        width: Characters of context on each side (line breaks shown as spaces).

    Returns:
        Columns ``doc_id, sent_id, start_char, end_char, left, match, right``.

    Example:
        >>> concordance(annotated, mentions, "United States", width=40)  # doctest: +SKIP
    """
    ids = set(mentions.loc[(mentions["entity_id"] == entity) | (mentions["canonical"] == entity)
                           | (mentions["text"] == entity), "entity_id"])
    hits = mentions[mentions["entity_id"].isin(ids)]
    texts = ({document.doc_id: document.text for document in annotated.corpus}
             if isinstance(annotated, AnnotatedCorpus) else annotated)
    rows = []
    for row in hits.itertuples():
        text = texts[row.doc_id]
        left = text[max(0, row.start_char - width):row.start_char]
        right = text[row.end_char:row.end_char + width]
        rows.append((row.doc_id, row.sent_id, row.start_char, row.end_char,
                     " ".join(left.split()) + (" " if left[-1:].isspace() else ""),
                     text[row.start_char:row.end_char],
                     (" " if right[:1].isspace() else "") + " ".join(right.split())))
    return TABLES["concordance"].conform(
        pd.DataFrame(rows, columns=list(TABLES["concordance"].names)))


def concordance_html(kwic: pd.DataFrame) -> str:
    """A concordance as an HTML table, contexts right/left aligned, all text escaped.

    Args:
        kwic: A :func:`concordance` table.

    Returns:
        HTML (document text never becomes markup).
    """
    esc = html.escape
    rows = "\n".join(
        f"<tr><td style='color:#666'>{esc(str(r.doc_id))}:{r.sent_id}</td>"
        f"<td style='text-align:right'>{esc(r.left)}</td>"
        f"<td><b>{esc(r.match)}</b></td><td style='text-align:left'>{esc(r.right)}</td></tr>"
        for r in kwic.itertuples())
    return ("<table class='analystkit-kwic'><thead><tr><th>doc:sentence</th><th>left</th>"
            f"<th>match</th><th>right</th></tr></thead><tbody>\n{rows}\n</tbody></table>")


OVER_TIME_PERIODS = {"D": "day", "W": "week", "M": "month"}
"""Periods :func:`mentions_over_time` counts in: pandas code -> the word a caption uses."""
DAILY_UP_TO_DAYS = 62
"""Publication dates spanning at most this many days are counted per day."""
WEEKLY_UP_TO_DAYS = 731
"""Longer spans up to this many days (two years) per week (Monday to Sunday), else month."""
GAP_MIN_DAYS = 60
"""Publication dates further apart than this (at least) are counted as separate groups."""
GAP_FACTOR = 10
"""... or further apart than this many times the median gap between documents."""


def over_time_period(dates: Iterable) -> str:
    """The period to count mentions in, chosen by the span and the number of the dates.

    The finest of day and week whose span limit the dates fit and that has, on average,
    at least one document per period (a point per day for a week of wire stories, per week
    for a dozen articles over two months), else month.

    Args:
        dates: Publication dates (missing values are ignored).

    Returns:
        ``"D"`` (per day: a span of at most :data:`DAILY_UP_TO_DAYS` days), ``"W"`` (per
        week, Monday to Sunday: at most :data:`WEEKLY_UP_TO_DAYS`) or ``"M"`` (per month);
        :data:`OVER_TIME_PERIODS` gives the word.

    Example:
        >>> over_time_period(["2004-05-03", "2004-05-04", "2004-05-04"]), \\
        ...     over_time_period(["2004-05-03", "2004-05-10", "2004-05-20"])
        ('D', 'W')
    """
    days = pd.to_datetime(pd.Series(list(dates), dtype=object), errors="coerce").dropna()
    if days.empty:
        return "D"
    span = (days.max() - days.min()).days
    for code, longest in (("D", DAILY_UP_TO_DAYS), ("W", WEEKLY_UP_TO_DAYS)):
        periods = len(pd.period_range(days.min(), days.max(), freq=code))
        if span <= longest and len(days) >= periods:
            return code
    return "M"


def publication_window(dates: Iterable) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The span of publication dates to count over: the largest group of close dates.

    A corpus of last week's news with one article from three years ago (or two collections
    seventeen years apart) would otherwise be counted per month over years, with nearly
    everything in one point. The dates are cut into groups wherever two consecutive dates
    are more than :data:`GAP_MIN_DAYS` days apart, or :data:`GAP_FACTOR` times the median
    gap between consecutive documents (the lower median) if that is longer: a corpus of one
    article a quarter stays one group, and so do two dates alone. The window is the group
    with the most documents, the latest of equal groups.

    Args:
        dates: Publication dates (missing values are ignored).

    Returns:
        ``(first, last)`` day, or ``None`` when there is no date.

    Example:
        >>> first, last = publication_window(["2004-11-01"] * 6 + ["2004-11-20", "2001-10-30"])
        >>> f"{first:%Y-%m-%d} {last:%Y-%m-%d}"
        '2004-11-01 2004-11-20'
    """
    days = pd.to_datetime(pd.Series(list(dates), dtype=object), errors="coerce").dropna()
    if days.empty:
        return None
    days = days.dt.normalize().sort_values(ignore_index=True)
    gaps = days.diff().dt.days.fillna(0)
    # The lower median: of two gaps, a day and seventeen years, the day is the typical one.
    typical = float(gaps.iloc[1:].quantile(0.5, interpolation="lower")) if len(days) > 1 else 0
    limit = max(GAP_MIN_DAYS, GAP_FACTOR * typical)
    group = (gaps > limit).cumsum()
    sizes = group.value_counts()
    best = max(sizes.index, key=lambda g: (sizes[g], g))  # most documents, then latest
    inside = days[group == best]
    return inside.iloc[0], inside.iloc[-1]


def dated_in_window(documents: pd.DataFrame, *, window: tuple[Any, Any] | None = None
                    ) -> pd.DataFrame:
    """The documents :func:`mentions_over_time` counts: dated, inside the window.

    Args:
        documents: Rows with ``doc_id`` and ``date``.
        window: First and last day; default: :func:`publication_window` of the dates.

    Returns:
        ``doc_id, date`` of the documents counted.
    """
    dated = documents.loc[documents["date"].notna(), ["doc_id", "date"]]
    window = window or publication_window(dated["date"])
    if window is None:
        return dated
    days = pd.to_datetime(dated["date"]).dt.normalize()
    return dated[(days >= pd.Timestamp(window[0])) & (days <= pd.Timestamp(window[1]))]


def _publication_periods(documents: pd.DataFrame, *, window: tuple[Any, Any] | None,
                         freq: str | None) -> tuple[pd.Series, str]:
    """``doc_id`` -> period of publication for the documents counted, and the period code.

    The period is chosen from the window's dates; then every dated document in the
    window's periods counts (one a day past the window but in its last week too).
    """
    if freq is not None and freq not in OVER_TIME_PERIODS:
        raise ValueError(f"freq must be one of {', '.join(OVER_TIME_PERIODS)}, not {freq!r}")
    inside = dated_in_window(documents, window=window)
    code = freq or over_time_period(inside["date"])
    dated = documents.loc[documents["date"].notna(), ["doc_id", "date"]]
    periods = pd.Series(pd.to_datetime(dated["date"]).dt.to_period(code).to_numpy(),
                        index=dated["doc_id"].astype(str).to_numpy())
    if inside.empty:
        return periods.iloc[:0], code
    first, last = periods[inside["doc_id"].astype(str)].min(), \
        periods[inside["doc_id"].astype(str)].max()
    return periods[(periods >= first) & (periods <= last)], code


def mentions_over_time(mentions: pd.DataFrame, documents: pd.DataFrame, *, top_n: int = 8,
                       freq: str | None = None,
                       window: tuple[Any, Any] | None = None) -> pd.DataFrame:
    """Mentions of the most mentioned entities per day, week or month of publication.

    Only documents with a publication date (``documents.date``) inside the window count;
    the entities are the ``top_n`` with the most mentions in those documents (ties by
    name). Every period of the window has a row for each entity, zero when nothing was
    published or said that period (``published`` tells the two apart), so a line drawn
    from the table never skips one.

    Args:
        mentions: An :func:`entity_mentions` table (``doc_id``, ``entity_id``,
            ``canonical``).
        documents: One row per document with ``doc_id`` and ``date``
            (:func:`analystkit.tables.documents_table`).
        top_n: How many entities.
        freq: ``"D"``, ``"W"`` or ``"M"``; default: :func:`over_time_period` of the window.
        window: First and last publication day counted; default:
            :func:`publication_window` (far outliers left out).

    Returns:
        Columns ``entity_id, canonical, period, period_start, period_end, mentions,
        documents, published`` (see ``schema.describe("mentions_over_time")``), the most
        mentioned entity first, each in date order; no rows when no document is dated or
        no entity is mentioned in the dated ones.

    Example:
        >>> mentions_over_time(analysis.mentions, documents_table(analysis.corpus),
        ...                    top_n=5).head()  # doctest: +SKIP
    """
    table = TABLES["mentions_over_time"]
    published, code = _publication_periods(documents, window=window, freq=freq)
    if published.empty or top_n < 1:
        return table.empty()
    named = mentions.dropna(subset=["entity_id"])
    named = named[named["doc_id"].astype(str).isin(published.index)]
    frame = pd.DataFrame({"entity_id": named["entity_id"].astype(str).to_numpy(),
                          "canonical": named["canonical"].astype(str).to_numpy(),
                          "doc_id": named["doc_id"].astype(str).to_numpy()})
    frame["period"] = published.reindex(frame["doc_id"]).to_numpy()
    totals = frame.groupby("entity_id").agg(n=("doc_id", "size"), canonical=("canonical", "first"))
    top = totals.sort_values(["n", "canonical"], ascending=[False, True], kind="stable") \
        .head(top_n)
    if top.empty:  # dated documents, but no entity in them
        return table.empty()
    periods = pd.period_range(published.min(), published.max(), freq=code)
    counts = frame[frame["entity_id"].isin(top.index)].groupby(["entity_id", "period"]).agg(
        mentions=("doc_id", "size"), documents=("doc_id", "nunique"))
    grid = pd.MultiIndex.from_product([top.index, periods], names=["entity_id", "period"])
    out = counts.reindex(grid, fill_value=0).reset_index()
    out["published"] = out["period"].map(published.value_counts()).fillna(0).astype("int64")
    out["canonical"] = out["entity_id"].map(top["canonical"])
    out["period_start"] = out["period"].map(lambda p: p.start_time.normalize())
    out["period_end"] = out["period"].map(lambda p: p.end_time.normalize())
    out["period"] = OVER_TIME_PERIODS[code]
    return table.conform(out)
