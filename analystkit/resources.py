"""Rule data and models, loaded once: one loader, one cache policy, one way to clear it.

Every file the library reads besides the documents (alias tables, the cue lexicon, the
coding lexicon, event nouns, the polarity model, the spaCy pipelines) goes through
:func:`cached`: the first call builds the object, later calls with the same key get the same
object. The key is the resource's kind, its files (resolved paths with their size and
modification time, so an edited file is read again) and any extra settings. Nothing is read
at import time. :func:`clear` empties the cache (tests, a long-running kernel after editing
a rule file by hand: edits are seen anyway, but memory is freed).

The shipped data files live in ``analystkit/data/`` (:func:`data_path`).

Example:
    >>> from analystkit import resources
    >>> calls = []
    >>> build = lambda: calls.append(1) or {"built": True}
    >>> resources.cached("example", (), build) is resources.cached("example", (), build)
    True
    >>> len(calls)
    1
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["DATA_DIR", "cached", "clear", "data_path", "file_stamp"]

DATA_DIR = Path(__file__).parent / "data"
"""The shipped rule data and models."""

T = TypeVar("T")

_CACHE: dict[tuple, _Entry] = {}
_LOCK = threading.RLock()


def data_path(name: str) -> Path:
    """Path of a shipped data file or folder, e.g. ``data_path("cues.txt")``.

    Args:
        name: File or folder name under ``analystkit/data/``.

    Returns:
        The path (not checked for existence: the loader reports a missing file).
    """
    return DATA_DIR / name


def file_stamp(path: str | Path) -> tuple[str, int, int]:
    """``(resolved path, size, mtime_ns)`` of a file; a folder stamps its files together.

    Args:
        path: A file or folder; a missing one gets size and mtime ``-1``, so it is keyed
            apart from the file once it exists.

    Returns:
        The stamp, a hashable part of a cache key.
    """
    path = Path(path).resolve()
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file())
        stats = [p.stat() for p in files]
        return str(path), sum(s.st_size for s in stats), max((s.st_mtime_ns for s in stats),
                                                              default=-1)
    try:
        stat = path.stat()
    except OSError:
        return str(path), -1, -1
    return str(path), stat.st_size, stat.st_mtime_ns


_RECHECK_SECONDS = 2.0
"""How long a hit is trusted before the files' stamps are looked at again (a stat per file:
cheap, but not on every call of a hot path)."""


class _Entry:
    __slots__ = ("checked", "stamps", "value")

    def __init__(self, value: Any, stamps: tuple, checked: float) -> None:
        self.value, self.stamps, self.checked = value, stamps, checked


def cached(kind: str, files: Iterable[str | Path], build: Callable[[], T], *,
           settings: Hashable = None) -> T:
    """The object ``build()`` makes, built once per kind, files and settings.

    A hit is returned as is; every ``_RECHECK_SECONDS`` the files' stamps (size and
    modification time) are compared with those it was built from, and an edited file is
    read again.

    Args:
        kind: What it is ("aliases", "cues", "polarity_model" ...).
        files: The files (or folders) it is read from.
        build: Makes the object; called only on a miss. Its errors propagate and nothing
            is cached.
        settings: Anything else the object depends on (hashable).

    Returns:
        The cached object (the same object on every hit: do not mutate it).
    """
    files = files if isinstance(files, tuple) else tuple(files)
    key = (kind, files, settings)
    now = time.monotonic()
    entry = _CACHE.get(key)  # a dict read needs no lock: the hot path stays cheap
    if entry is not None and now - entry.checked < _RECHECK_SECONDS:
        return entry.value
    stamps = tuple(file_stamp(f) for f in files)
    if entry is not None and entry.stamps == stamps:
        entry.checked = now
        return entry.value
    value = build()
    with _LOCK:
        _CACHE[key] = _Entry(value, stamps, now)
    return value


def clear(kind: str | None = None) -> None:
    """Forget cached resources: all of them, or those of one ``kind``.

    Example:
        >>> clear("example")
    """
    with _LOCK:
        for key in [k for k in _CACHE if kind is None or k[0] == kind]:
            del _CACHE[key]
