"""Every notebook parameter in one place: name, type, allowed values or range, meaning.

The notebooks' ``parameters`` cells declare the same names (a test reads each cell with
``papermill.inspect_notebook`` and checks it against :data:`PARAMETERS`), and
``analystkit report`` checks every ``--param NAME=VALUE`` here before any notebook runs, so
``--param top_n=abc`` is refused with one line naming the parameter and what it accepts
instead of ending in a pandas ``TypeError`` inside a notebook.

Example:
    >>> check_parameters({"top_n": 10, "labels": "gpe,org"})
    {'top_n': 10, 'labels': ['GPE', 'ORG']}
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ReportError
from .labels import NAME_LABELS

__all__ = ["PARAMETERS", "Parameter", "ParameterError", "check_parameters"]


class ParameterError(ReportError):
    """A notebook parameter is unknown or its value is not allowed (one-line message)."""


@dataclass(frozen=True)
class Parameter:
    """One notebook parameter.

    Attributes:
        name: The variable in the notebooks' ``parameters`` cell.
        kind: ``integer``, ``boolean``, ``choice``, ``date``, ``path`` (file or folder),
            ``file``, ``text`` or ``labels`` (a list of entity labels).
        meaning: One line for the reader.
        choices: Allowed values of a ``choice`` (or of each item of ``labels``).
        minimum: Smallest allowed ``integer``.
        maximum: Largest allowed ``integer`` (``None``: no bound).
        nullable: ``None`` (JSON ``null``) is allowed and means the notebook's default rule.
        option: The ``analystkit report`` option that sets it instead of ``--param``.
    """

    name: str
    kind: str
    meaning: str
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    nullable: bool = False
    option: str | None = None

    def accepts(self) -> str:
        """What the parameter accepts, in words (used in error messages)."""
        if self.kind == "integer":
            if self.maximum is None:
                text = f"an integer of at least {self.minimum}"
            else:
                text = f"an integer from {self.minimum} to {self.maximum}"
        elif self.kind == "boolean":
            text = "true or false"
        elif self.kind == "choice":
            text = "one of " + ", ".join(f'"{choice}"' for choice in self.choices)
        elif self.kind == "labels":
            text = "entity labels such as GPE,ORG among " + ", ".join(self.choices)
        elif self.kind == "date":
            text = "a date YYYY-MM-DD"
        elif self.kind == "path":
            text = "an existing file or folder"
        elif self.kind == "file":
            text = "an existing file"
        else:
            text = "a text"
        return text + (" or null" if self.nullable else "")


PARAMETERS: dict[str, Parameter] = {p.name: p for p in (
    Parameter("corpus_path", "path", "a file or folder of articles, or a dataset folder",
              option="--seeds"),
    Parameter("model", "text", "spaCy pipeline (default: ANALYSTKIT_MODEL, en_core_web_sm)",
              nullable=True, option="--model"),
    Parameter("aliases_path", "file", "your alias file (CSV/YAML) over the shipped table",
              nullable=True),
    Parameter("merge_demonyms", "boolean", 'count "Syrians" as Syria (true) or apart (false)'),
    Parameter("reference_date", "date", "the date every document is resolved against; "
              "null: each document's own", nullable=True),
    Parameter("polarity", "choice", "target polarity from the shipped model or a lexicon",
              choices=("model", "lexicon")),
    Parameter("keep_other_languages", "boolean", "also analyse documents not in English"),
    Parameter("top_n", "integer", "how many rows or bars a table or chart shows",
              minimum=1, maximum=500),
    Parameter("labels", "labels", "entity kinds to count", choices=NAME_LABELS),
    Parameter("window", "integer", "sentences within which two entities count as together",
              minimum=1, maximum=100),
    Parameter("min_statements", "integer", "statements a source x target pair needs to be "
              "shown", minimum=1),
    Parameter("color_by", "choice", "what colours the timeline", choices=("actors", "source")),
)}
"""Every parameter any notebook declares, by name."""


def _refuse(parameter: Parameter, value: Any) -> ParameterError:
    shown = json.dumps(value, default=str)  # as it was written: top_n="abc", top_n=true
    return ParameterError(f"parameter {parameter.name}={shown} refused: {parameter.name} "
                          f"must be {parameter.accepts()} ({parameter.meaning})")


def _check_labels(parameter: Parameter, value: Any) -> list[str]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise _refuse(parameter, value)
    labels = [item.strip().upper() for item in items if item.strip()]
    if not labels or set(labels) - set(parameter.choices):
        raise _refuse(parameter, value)
    return labels


def _check_value(parameter: Parameter, value: Any, base_dir: Path) -> Any:
    """The value as the notebook gets it; :class:`ParameterError` if not allowed."""
    from .corpus import parse_date

    kind = parameter.kind
    if value is None:
        if parameter.nullable:
            return None
        raise _refuse(parameter, value)
    if kind == "integer":
        # bool is an int in Python, but `top_n=true` is a mistake, not 1
        ok = isinstance(value, int) and not isinstance(value, bool) and (
            value >= parameter.minimum
            and (parameter.maximum is None or value <= parameter.maximum))
    elif kind == "boolean":
        ok = isinstance(value, bool)
    elif kind == "choice":
        ok = value in parameter.choices
    elif kind == "labels":
        return _check_labels(parameter, value)
    elif kind == "date":
        try:
            ok = isinstance(value, str) and parse_date(value) is not None
        except ValueError:
            ok = False
    elif kind in ("path", "file"):
        path = base_dir / value if isinstance(value, str) else None
        ok = path is not None and (path.is_file() if kind == "file" else path.exists())
    else:
        ok = isinstance(value, str) and bool(value.strip())
    if not ok:
        raise _refuse(parameter, value)
    return value


def check_parameters(values: Mapping[str, Any], *, base_dir: str | Path | None = None,
                     from_options: bool = False) -> dict[str, Any]:
    """Check notebook parameters against :data:`PARAMETERS`.

    Args:
        values: Parameter name -> value (as :func:`~analystkit.report.parse_param` reads
            ``--param NAME=VALUE``).
        base_dir: Folder that relative paths are read from (default: the current folder).
        from_options: ``True`` for ``--param`` values: parameters that have their own
            option (``corpus_path``: ``--seeds``, ``model``: ``--model``) are refused.

    Returns:
        The values as the notebooks get them (``labels`` as a list of upper-case labels;
        paths unchanged).

    Raises:
        ParameterError: For an unknown name or a value that is not allowed; the one-line
            message names the parameter, what it accepts and what it means.
    """
    base = Path(base_dir) if base_dir is not None else Path(os.getcwd())
    checked = {}
    for name, value in values.items():
        parameter = PARAMETERS.get(name)
        if parameter is None:
            settable = [known for known, p in PARAMETERS.items() if not p.option]
            raise ParameterError(f"unknown parameter {name!r}: not declared by the notebooks; "
                                 f"known parameters: {', '.join(sorted(settable))}")
        if from_options and parameter.option:
            raise ParameterError(f"parameter {name} is set with {parameter.option}, "
                                 "not --param")
        checked[name] = _check_value(parameter, value, base)
    return checked
