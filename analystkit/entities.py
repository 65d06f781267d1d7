"""Who and what is mentioned: canonical entities, frequencies, co-occurrence, concordance.

Raw NER output splits one entity over many strings (US, U.S., USA, the United States) and
drags in determiners, possessives and compounds. :func:`entity_mentions` gives every name
mention an ``entity_id`` and a ``canonical`` name by, in order:

1. cleaning the span: leading determiners and "so-called" and trailing possessives are
   dropped, a hyphenated compound ("US-backed", "pro-Syrian") is credited to the entity
   and its ``role`` kept (``-backed``, ``pro-``, ``possessive``, ``name``);
2. the alias table (:mod:`analystkit.aliases`: shipped rows + the analyst's file);
3. in-document rules: an acronym introduced next to its expansion ("Operation Inherent
   Resolve (OIR)"), a later surname of a PERSON, a later short form of an ORG
   ("Texaco Inc" ... "Texaco");
4. demonyms ("Syrians") linked to their place in ``demonym_of``; counted on their own
   unless ``merge_demonyms=True``;
5. otherwise the cleaned name itself, so the same string in two documents is one entity.

Tables (all rows carry ``doc_id``, ``sent_id`` and character offsets into the document):

============= ============================================================================
mentions      doc_id, sent_id, start_char, end_char, text, label, entity_id, canonical,
              role, demonym_of
frequency     entity_id, canonical, label, mentions, documents, surface_forms (``|``),
              first_doc, first_char
cooccurrence  entity_a, entity_b, canonical_a, canonical_b, count, pmi, documents, evidence
concordance   doc_id, sent_id, start_char, end_char, left, match, right
============= ============================================================================
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
from spacy.tokens import Doc, Span

from .aliases import AliasTable, load_alias_table
from .pipeline import AnnotatedCorpus

__all__ = [
    "NAME_LABELS",
    "concordance",
    "concordance_html",
    "cooccurrence",
    "document_entity_matrix",
    "entity_frequency",
    "entity_mentions",
]

NAME_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
               "LAW", "LANGUAGE")
"""Entity labels that name something (numbers, dates and amounts are left out)."""

_ALL_LABELS = set(NAME_LABELS) | {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL",
                                  "CARDINAL"}
MENTION_COLUMNS = ["doc_id", "sent_id", "start_char", "end_char", "text", "label", "entity_id",
                   "canonical", "role", "demonym_of"]
_LEADING = {"the", "a", "an", "so", "-", "called", "so-called", "\"", "'", "“", "‘", "(", "[", "<"}
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
_SLUG = re.compile(r"[^0-9a-z]+")


def _slug(name: str) -> str:
    return _SLUG.sub("_", name.lower()).strip("_") or "entity"


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


class _Resolver:
    """Per-corpus canonicalisation with per-document in-text aliases."""

    def __init__(self, table: AliasTable, merge_demonyms: bool) -> None:
        self.table = table
        self.merge_demonyms = merge_demonyms

    def known(self, name: str):
        return self.table.lookup(name)

    def resolve_doc(self, doc: Doc, keep: set[str]) -> list[tuple]:
        """Rows (start_char, end_char, text, label, entity_id, canonical, role, demonym_of,
        token index) for the name mentions of one Doc."""
        local: dict[str, tuple[str, str, str]] = {}  # in-document alias -> (id, canonical, label)
        surnames: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
        rows = []
        for ent in doc.ents:
            if ent.label_ not in keep:
                continue
            if ent.label_ not in NAME_LABELS:  # dates, amounts: listed, not entities
                rows.append((ent.start_char, ent.end_char, ent.text, ent.label_, None, None,
                             "value", None, ent.start))
                continue
            start, end, role = _clean(ent)
            name_span = doc[start:end]
            name, label = _EDGE_JUNK.sub("", name_span.text) or name_span.text, ent.label_
            compound = _COMPOUND.match(name)
            if compound and role == "name" and self._resolvable(compound["name"]):
                name, role = compound["name"], "-" + compound["part"]
            prefixed = _PREFIX.match(name)
            if prefixed and self._resolvable(prefixed["name"]):
                name, role = prefixed["name"], prefixed["part"].lower() + "-"
            offset = name_span.text.find(name)
            start_char = name_span.start_char + max(offset, 0)
            end_char = start_char + len(name)
            entity_id, canonical, label, demonym_of = self._identify(name, label, local, surnames)
            # Register in-document aliases introduced by this mention.
            key = (entity_id, canonical, label)
            self._acronym_after(doc, name_span, key, local)
            if label == "PERSON" and len(name_span) > 1 and not name_span[-1].is_space:
                surnames[name_span[-1].text].add(key)
            if label == "ORG":
                self._org_short_forms(name_span, key, local)
            rows.append((start_char, end_char, name, label, entity_id, canonical, role,
                         demonym_of, ent.start))
            rows.extend(self._nested_compounds(name_span, entity_id))
        return rows

    def _nested_compounds(self, span: Span, outer_id: str) -> list[tuple]:
        """"US-led coalition": the coalition is one entity, and the US is credited too."""
        rows = []
        doc = span.doc
        for token in span[:-2] if len(span) > 2 else []:
            after, part = doc[token.i + 1], doc[token.i + 2]
            if after.text not in ("-", "–") or token.whitespace_ or not part.is_lower:
                continue
            for first in range(max(span.start, token.i - 2), token.i + 1):
                name = doc[first:token.i + 1].text
                entity = self.known(name)
                place = None if entity else self.table.demonym_of(name)
                if entity is None and place is None:
                    continue
                if entity is not None and entity.entity_id != outer_id:
                    rows.append((doc[first].idx, token.idx + len(token), name, entity.label,
                                 entity.entity_id, entity.canonical, "-" + part.lower_, None,
                                 first))
                elif place is not None:
                    entity_id, canonical, label, demonym_of = self._identify(
                        name, "NORP", {}, {})
                    rows.append((doc[first].idx, token.idx + len(token), name, label,
                                 entity_id, canonical, "-" + part.lower_, demonym_of, first))
                break
        return rows

    def _resolvable(self, name: str) -> bool:
        return self.known(name) is not None or self.table.demonym_of(name) is not None \
            or (name[:1].isupper() and " " not in name)

    def _identify(self, name: str, label: str, local, surnames):
        name = " ".join(name.split())  # "United\nStates" in wrapped wire copy
        if name in local:
            entity_id, canonical, label = local[name]
            return entity_id, canonical, label, None
        entity = self.known(name)
        if entity is not None:
            return entity.entity_id, entity.canonical, entity.label, None
        place = self.table.demonym_of(name) if label in ("NORP", "GPE", "LANGUAGE") else None
        if place is not None:
            if self.merge_demonyms:
                return place.entity_id, place.canonical, place.label, place.entity_id
            return (f"{place.entity_id}.demonym", place.demonyms[0] if place.demonyms else name,
                    "NORP", place.entity_id)
        if label == "PERSON" or (label in ("ORG", "GPE", "NORP") and " " not in name):
            people = surnames.get(name)
            if people and len(people) == 1:
                entity_id, canonical, person_label = next(iter(people))
                return entity_id, canonical, person_label, None
        canonical = " ".join(name.split())
        return _slug(canonical), canonical, label, None

    @staticmethod
    def _acronym_after(doc: Doc, name_span: Span, key, local) -> None:
        """"Operation Inherent Resolve (OIR)": OIR becomes an alias of the mention's entity."""
        end = name_span.end
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
            acronym = doc[end + 1].text
            if _ACRONYM.match(acronym) and _initials_match(acronym, name_span):
                local.setdefault(acronym, key)

    def _org_short_forms(self, name_span: Span, key, local) -> None:
        words = [_EDGE_JUNK.sub("", t.text) for t in name_span if not t.is_space]
        full_length = len(words)
        while len(words) > 1 and words[-1] in _ORG_SUFFIXES | {","}:
            words.pop()
        if len(words) < full_length:  # only a name with a corporate suffix has short forms
            base = " ".join(words)
            local.setdefault(base, key)
            first = words[0]
            # "Tanzania Railway Corp" does not make "Tanzania" a short form of the company.
            if (len(words) > 1 and first not in _GENERIC_FIRST and first[:1].isupper()
                    and self.known(first) is None and self.table.demonym_of(first) is None):
                local.setdefault(first, key)


def entity_mentions(
    annotated: AnnotatedCorpus,
    *,
    aliases: str | Path | None = None,
    merge_demonyms: bool = False,
    labels: Iterable[str] | None = NAME_LABELS,
) -> pd.DataFrame:
    """Every name mention with its canonical entity.

    Args:
        annotated: The annotated corpus.
        aliases: The analyst's alias file (CSV or YAML) overriding/extending the shipped one.
        merge_demonyms: Count "Syrian(s)" as Syria (``True``) or as its own entity linked by
            ``demonym_of`` (``False``, the default).
        labels: Entity labels to keep (default: :data:`NAME_LABELS`; ``None``: all). Mentions
            with other labels (DATE, MONEY, ...) are listed with role ``value`` and no entity.

    Returns:
        Columns ``doc_id, sent_id, start_char, end_char, text, label, entity_id, canonical,
        role, demonym_of``; ``text`` is ``document.text[start_char:end_char]``; ``role`` is
        ``name``, ``possessive``, a compound part (``-backed``, ``pro-``) or ``value``.

    Example:
        >>> mentions = entity_mentions(annotated)  # doctest: +SKIP
        >>> mentions.query("canonical == 'United States'").text.unique()  # doctest: +SKIP
        array(['U.S.', 'US', 'USA', 'United States'], dtype=object)
    """
    resolver = _Resolver(load_alias_table(aliases), merge_demonyms)
    keep = set(labels) if labels is not None else _ALL_LABELS
    records = []
    for document, doc in annotated:
        if not doc.ents:
            continue
        sent_of = np.zeros(len(doc), dtype=np.int64)
        for sent_id, sent in enumerate(doc.sents):
            sent_of[sent.start:sent.end] = sent_id
        for row in resolver.resolve_doc(doc, keep):
            *values, token = row
            records.append((document.doc_id, int(sent_of[token]), *values))
    frame = pd.DataFrame.from_records(records, columns=MENTION_COLUMNS)
    return frame.astype({"doc_id": "string", "sent_id": "int64", "start_char": "int64",
                         "end_char": "int64", "text": "string", "label": "category",
                         "entity_id": "string", "canonical": "string", "role": "category",
                         "demonym_of": "string"})


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
    columns = ["entity_id", "canonical", "label", "mentions", "documents", "surface_forms",
               "first_doc", "first_char"]
    if mentions.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for entity_id, group in mentions.groupby("entity_id", sort=False, observed=True):
        forms = group["text"].str.split().str.join(" ").value_counts()
        forms = forms.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
        label_counts = group["label"].astype(str).value_counts()
        first = group.iloc[0]
        rows.append((entity_id, group["canonical"].iloc[0], label_counts.index[0], len(group),
                     group["doc_id"].nunique(), "|".join(forms.index), first["doc_id"],
                     int(first["start_char"])))
    table = pd.DataFrame(rows, columns=columns)
    if labels is not None:
        table = table[table["label"].isin(list(labels))]
    return (table.sort_values(["mentions", "canonical"], ascending=[False, True], kind="stable")
            .reset_index(drop=True)
            .astype({"mentions": "int64", "documents": "int64", "first_char": "int64"}))


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
    columns = ["entity_a", "entity_b", "canonical_a", "canonical_b", "count", "pmi",
               "documents", "evidence"]
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
    return (table.sort_values(["count", "pmi", "canonical_a", "canonical_b"],
                              ascending=[False, False, True, True], kind="stable")
            .reset_index(drop=True))


def concordance(annotated: AnnotatedCorpus, mentions: pd.DataFrame, entity: str, *,
                width: int = 60) -> pd.DataFrame:
    """Keyword in context for one entity across all its surface forms.

    Args:
        annotated: The annotated corpus (for the text around each mention).
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
    texts = {document.doc_id: document.text for document in annotated.corpus}
    rows = []
    for row in hits.itertuples():
        text = texts[row.doc_id]
        left = text[max(0, row.start_char - width):row.start_char]
        right = text[row.end_char:row.end_char + width]
        rows.append((row.doc_id, row.sent_id, row.start_char, row.end_char,
                     " ".join(left.split()) + (" " if left[-1:].isspace() else ""),
                     text[row.start_char:row.end_char],
                     (" " if right[:1].isspace() else "") + " ".join(right.split())))
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "start_char", "end_char", "left",
                                       "match", "right"])


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
