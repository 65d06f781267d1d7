"""The alias table: canonical entities, their surface forms and demonyms.

The shipped table is ``analystkit/data/aliases.csv`` (documented in ``aliases.md``) with the
columns ``entity_id, canonical, label, aliases, demonyms, ambiguous`` and an optional
``context``; ``aliases``, ``demonyms`` and ``context`` join several values with ``|``. A row
with ``context`` words names its short forms (an acronym, a single word: ``ISI``, ``Wagner``)
only in documents that support it: see :meth:`AliasTable.needs_support`. An analyst's own
file (CSV, or YAML: a list of mappings with the same keys) overrides rows with the same
``entity_id`` and adds new ones; a surface form it claims is taken away from any other entity.

Both annotation (gazetteer patterns for places and organisations the model misses) and
canonicalisation (:mod:`analystkit.entities`) read the table through this module.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import InputError
from .resources import cached, data_path

__all__ = ["AliasTable", "alias_digest", "is_short", "load_alias_table", "SHIPPED_ALIASES"]

SHIPPED_ALIASES = data_path("aliases.csv")
COLUMNS = ("entity_id", "canonical", "label", "aliases", "demonyms", "ambiguous")
LABELS = ("GPE", "LOC", "ORG", "NORP", "FAC", "PERSON", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW")


@dataclass(frozen=True)
class Entity:
    """One row of the alias table."""

    entity_id: str
    canonical: str
    label: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    ambiguous: bool
    context: tuple[str, ...] = ()  # words that support a short form in a document

    @property
    def long_forms(self) -> tuple[str, ...]:
        """The canonical name and aliases of more than one word ("Inter-Services
        Intelligence", "Wagner Group"): they support the row's short forms."""
        return tuple(form for form in (self.canonical, *self.aliases) if not is_short(form))


@dataclass(frozen=True)
class AliasTable:
    """Canonical entities and look-ups from surface form to entity.

    Attributes:
        entities: ``entity_id`` -> :class:`Entity`.
        by_form: surface form (canonical name or alias, exact case) -> ``entity_id``.
        by_lower: lower-cased form -> ``entity_id``, for forms not marked ambiguous.
        demonyms: demonym (exact case, e.g. ``Americans``) -> ``entity_id`` of its place.
    """

    entities: dict[str, Entity]
    by_form: dict[str, str]
    by_lower: dict[str, str]
    demonyms: dict[str, str]

    def lookup(self, form: str) -> Entity | None:
        """The entity a surface form names: exact case first, then case-insensitive."""
        entity_id = self.by_form.get(form) or self.by_lower.get(form.lower())
        return self.entities.get(entity_id) if entity_id else None

    def needs_support(self, entity: Entity, form: str) -> bool:
        """Whether ``form`` names ``entity`` only in a document that supports it: a short
        form of a row with ``context`` words (``SAF`` of the Sudanese Armed Forces, not of
        the Secretary of the Air Force). The canonical name ("MI6") always names the row."""
        return bool(entity.context) and is_short(form) and form != entity.canonical

    def demonym_of(self, form: str) -> Entity | None:
        """The place a demonym (``Syrian``, ``Russians``) refers to, if known."""
        entity_id = self.demonyms.get(form) or self.demonyms.get(form.title())
        return self.entities.get(entity_id) if entity_id else None


def is_short(form: str) -> bool:
    """A form of one word: an acronym ("SAF", "MI6") or a single name ("Wagner")."""
    return len(form.split()) == 1


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split("|") if part.strip())


def _read_rows(path: Path) -> list[dict[str, str]]:
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise InputError(f"{path}: expected a YAML list of mappings with keys "
                                 + ", ".join(COLUMNS))
            return [{k: ("|".join(v) if isinstance(v, list) else str(v if v is not None else ""))
                     for k, v in row.items()} for row in rows]
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read alias file ({exc})") from None


def _entity(row: dict[str, str], path: Path, line: int) -> Entity:
    entity_id = (row.get("entity_id") or "").strip()
    canonical = (row.get("canonical") or "").strip()
    label = (row.get("label") or "").strip().upper()
    if not entity_id or not canonical:
        raise InputError(f"{path}: row {line}: entity_id and canonical are required")
    if label not in LABELS:
        raise InputError(f"{path}: row {line}: label {label!r} is not one of {', '.join(LABELS)}")
    return Entity(entity_id, canonical, label, _split(row.get("aliases")),
                  _split(row.get("demonyms")),
                  str(row.get("ambiguous") or "0").strip().lower() in ("1", "true", "yes"),
                  _split(row.get("context")))


def _load(files: tuple[Path, ...]) -> AliasTable:
    """Merge the files in order (a later file's forms win)."""
    entities: dict[str, Entity] = {}
    for path in files:
        for line, row in enumerate(_read_rows(path), start=2):
            entity = _entity(row, path, line)
            claimed = {entity.canonical, *entity.aliases, *entity.demonyms}
            # A later file's forms win: take them away from every earlier entity.
            for other_id, other in list(entities.items()):
                if other_id != entity.entity_id and claimed & {*other.aliases, *other.demonyms}:
                    entities[other_id] = Entity(
                        other.entity_id, other.canonical, other.label,
                        tuple(a for a in other.aliases if a not in claimed),
                        tuple(d for d in other.demonyms if d not in claimed), other.ambiguous,
                        other.context)
            entities[entity.entity_id] = entity
    by_form: dict[str, str] = {}
    by_lower: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for entity in entities.values():
        for form in (entity.canonical, *entity.aliases):
            by_form.setdefault(form, entity.entity_id)
            if not entity.ambiguous:
                by_lower.setdefault(form.lower(), entity.entity_id)
        for form in entity.demonyms:
            demonyms.setdefault(form, entity.entity_id)
    return AliasTable(entities, by_form, by_lower, demonyms)


def load_alias_table(extra: str | Path | None = None) -> AliasTable:
    """The shipped alias table, optionally overridden and extended by an analyst's file.

    Args:
        extra: Path of a CSV or YAML alias file with the shipped table's columns.

    Returns:
        The merged :class:`AliasTable` (cached per file set).

    Raises:
        InputError: If a file cannot be read or a row lacks ``entity_id``/``canonical`` or has
            an unknown label; the message names the file and row.

    Example:
        >>> table = load_alias_table()
        >>> table.lookup("U.S.").canonical
        'United States'
    """
    paths = [SHIPPED_ALIASES]
    if extra is not None:
        extra = Path(extra)
        if not extra.is_file():
            raise InputError(f"{extra}: alias file not found")
        paths.append(extra)
    return cached("aliases", paths, lambda: _load(tuple(paths)))


def alias_digest(extra: str | Path | None = None) -> str:
    """A hash of the CONTENT of the alias tables :func:`load_alias_table` would read.

    Two different files at the same path give two digests, so a cache keyed on it is
    invalidated by an edit, not only by a new path.

    Args:
        extra: The analyst's alias file, as for :func:`load_alias_table`.

    Returns:
        A hex SHA-256 over the shipped table and ``extra``.

    Raises:
        InputError: If ``extra`` does not exist.

    Example:
        >>> len(alias_digest())
        64
    """
    digest = hashlib.sha256(SHIPPED_ALIASES.read_bytes())
    if extra is not None:
        extra = Path(extra)
        if not extra.is_file():
            raise InputError(f"{extra}: alias file not found")
        digest.update(b"\0" + extra.read_bytes())
    return digest.hexdigest()
