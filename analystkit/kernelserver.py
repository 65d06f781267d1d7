"""Preloaded notebook kernels for ``analystkit report``: imports and the model paid once.

A fresh Python kernel spends most of a small report's time before its first table: starting
IPython, importing pandas, spaCy, matplotlib and analystkit, loading the spaCy pipeline
(about 3 s of CPU per notebook on a 2-core machine). The kernel server does that once, then
forks one ready process per notebook: each kernel is still its own process with its own
namespace, working folder and environment, started from the same preloaded state whatever
the order, so its page is the one a fresh kernel writes (a test compares them). The server
computes nothing from the corpus; before it serves kernels, a forked child of it fills the
annotation and polarity caches (:func:`analystkit.analysis.warm_caches`), and the notebooks
compute every table themselves, from the corpus and those caches.

How it fits Jupyter: :class:`KernelServer` listens on a Unix socket. The report's kernel
manager launches ``python -I analystkit/kernel_stub.py SOCKET CONNECTION_FILE`` instead of
``python -m ipykernel_launcher -f CONNECTION_FILE``; the stub (standard library only, starts
in milliseconds) sends the connection file, its folder and environment to the server, which
forks a child that becomes the IPython kernel. The stub forwards interrupts and termination
to the child and exits with its exit status, so the kernel manager sees an ordinary kernel
process. The server stops when the report closes its stdin (or dies), killing any kernel
left; a kernel whose stub is killed is killed too.

Only a kernel that would run this very interpreter's ``ipykernel_launcher`` is forked; any
other kernelspec starts as usual. The server imports nothing that starts threads (the
polarity model, whose runtime does, is loaded by each kernel that needs it).

Example:
    >>> with KernelServer.start(model=None) as server:  # doctest: +SKIP
    ...     server.kernel_command("/tmp/kernel-1.json")
    ['/usr/bin/python3', '-I', '.../kernel_stub.py', '/tmp/.../server.sock', '/tmp/kernel-1.json']
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["KernelServer", "serve"]

STUB = Path(__file__).with_name("kernel_stub.py")
READY = "analystkit-kernel-server ready"


class KernelServer:
    """A running kernel server process (see the module docstring), seen from the report.

    Args:
        process: The server process (its stdin open; closing it stops the server).
        socket_path: The Unix socket stubs connect to.
        folder: Temporary folder holding the socket (removed on :meth:`close`).
    """

    def __init__(self, process: subprocess.Popen, socket_path: str, folder: str) -> None:
        self.process, self.socket_path, self.folder = process, socket_path, folder
        self._ready: bool | None = None
        self._lock = threading.Lock()
        self.model_label: str | None = None
        """The pipeline's name and version when the server warmed the caches, else None."""

    @classmethod
    def start(cls, *, model: str | None, aliases: str | Path | None = None,
              env: dict[str, str] | None = None,
              warm: dict | None = None) -> KernelServer:
        """Start a server that preloads analystkit and the pipeline ``model``.

        Args:
            model: spaCy pipeline to load (see :func:`analystkit.pipeline.resolve_model`).
            aliases: The analyst's alias file the pipeline's gazetteer reads (absolute).
            env: The server's environment (kernels get their own from their stub).
            warm: ``{"corpus": path, "options": Analysis options, "cache_dir": path}``:
                before it serves kernels, a child of the server annotates what the cache
                lacks and scores its polarity (analystkit.report's cache warm-up), so the
                report's own process never loads the pipeline.

        Returns:
            The server, still preloading: :meth:`ready` waits for it.
        """
        folder = tempfile.mkdtemp(prefix="analystkit-kernels-")
        socket_path = os.path.join(folder, "server.sock")
        settings = json.dumps({"model": model, "aliases": str(aliases) if aliases else None,
                               "warm": warm}, default=str)
        process = subprocess.Popen(
            [sys.executable, "-m", "analystkit.kernelserver", socket_path, settings],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
        return cls(process, socket_path, folder)

    def ready(self, timeout: float | None = None) -> bool:
        """Whether the server has preloaded (and warmed the caches) and listens.

        Waits while the server works, however long a cold corpus takes to annotate, unless
        ``timeout`` (seconds) is given; ``False`` if the server exited without being ready.
        """
        with self._lock:
            if self._ready is None:
                deadline = None if timeout is None else time.monotonic() + timeout
                line = ""
                while not line:
                    readable, _, _ = select.select([self.process.stdout], [], [], 1.0)
                    if readable:
                        line = self.process.stdout.readline() or "(exited)"
                    elif self.process.poll() is not None or (
                            deadline is not None and time.monotonic() > deadline):
                        break
                head, _, details = line.strip().partition(" {")
                self._ready = head == READY
                if self._ready and details:
                    self.model_label = json.loads("{" + details).get("model")
            return self._ready

    def kernel_command(self, connection_file: str, arguments: list[str] = ()) -> list[str]:
        """The command that starts a preloaded kernel for ``connection_file``, with further
        kernel ``arguments`` (such as nbclient's ``--HistoryManager.hist_file=:memory:``)."""
        return [sys.executable, "-I", str(STUB), self.socket_path, connection_file,
                *arguments]

    def close(self) -> None:
        """Stop the server (it kills any kernel still running) and remove its socket."""
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(OSError):
            self.process.stdout.close()
        with contextlib.suppress(OSError):
            os.unlink(self.socket_path)
        with contextlib.suppress(OSError):
            os.rmdir(self.folder)

    def __enter__(self) -> KernelServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_plain_ipykernel(cmd: list[str]) -> bool:
    """Whether ``cmd`` starts this interpreter's ``ipykernel_launcher -f FILE`` (further
    arguments are passed on to the forked kernel)."""
    return (len(cmd) >= 5 and cmd[1:4] == ["-m", "ipykernel_launcher", "-f"]
            and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable))


PRELOADED = ("ipykernel.ipkernel", "ipykernel.kernelapp", "matplotlib.pyplot",
             "matplotlib.backends.backend_agg", "networkx", "onnxruntime", "tokenizers",
             "PIL.PngImagePlugin", "sqlite3")
"""Modules the notebooks' kernels import, besides analystkit's own. Not the inline
backend: imported before IPython runs, it would not hook into the kernel; not debugpy."""


_NOT_IN_KERNELS = frozenset({"__main__", "cli", "kernel_stub", "kernelserver", "provenance",
                             "report"})
"""analystkit modules no notebook imports (``report`` pulls in nbformat and jsonschema)."""


def _preload(model: str | None, aliases: str | None) -> None:
    """What every kernel would import and load; nothing that starts a thread."""
    import importlib
    import pkgutil

    import analystkit
    from analystkit.pipeline import load_model

    own = [f"analystkit.{info.name}" for info in pkgutil.walk_packages(analystkit.__path__)
           if info.name not in _NOT_IN_KERNELS]
    for name in (*PRELOADED, *own):
        with contextlib.suppress(ImportError):  # a kernel that needs it reports it
            importlib.import_module(name)
    with contextlib.suppress(Exception):  # a kernel that needs it reports the error itself
        load_model(model, aliases=aliases)
    if threading.active_count() > 1:  # forking a threaded process is unsafe
        raise RuntimeError("a preloaded module started a thread; kernels are not forked")


def _warm_up(model: str | None, warm: dict) -> str | None:
    """Fill the caches in a forked child (the polarity runtime starts threads: never here).

    Returns:
        The pipeline's name and version, or ``None`` when the warm-up failed (the report
        then warms the caches itself, and shows any error as it would without a server).
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(read)
            from analystkit.analysis import load_input, warm_caches  # not report: nbformat

            options = warm["options"]
            corpus, label = load_input(
                warm["corpus"], keep_other_languages=options.get("keep_other_languages", False))
            if label is None:  # a corpus, not an annotated dataset
                label = warm_caches(corpus, model=model, options=options,
                                    cache_dir=Path(warm["cache_dir"]))
            os.write(write, label.encode("utf-8"))
            code = 0
        except BaseException:  # the report's own warm-up shows the error
            pass
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as stream:
        label = stream.read().decode("utf-8")
    _, status = os.waitpid(pid, 0)
    return label if os.waitstatus_to_exitcode(status) == 0 and label else None


def _run_kernel(request: dict, fds: list[int], listener: socket.socket,
                clients: list[socket.socket], start_path: str) -> None:
    """In the forked child: become the IPython kernel of ``request`` (never returns)."""
    code = 1
    try:
        for sock in (listener, *clients):
            sock.close()
        for number, fd in enumerate(fds):  # the stub's stdin, stdout and stderr
            os.dup2(fd, number)
            os.close(fd)
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
            signal.signal(number, signal.SIG_DFL)
        os.setsid()
        os.chdir(request["cwd"])
        env = dict(request["env"])
        # Exit if the server, its parent, dies. (IPKernelApp read JPY_PARENT_PID when the
        # server imported it, so the parent is given on its command line.)
        parent = str(os.getppid())
        env["JPY_PARENT_PID"] = parent
        os.environ.clear()
        os.environ.update(env)
        if sys.path and sys.path[0] in ("", start_path):
            del sys.path[0]  # as ipykernel_launcher does; the kernel adds its own folder
        argv = ["-f", request["connection_file"], *request.get("argv", []),
                f"--IPKernelApp.parent_handle={parent}"]
        sys.argv = ["ipykernel_launcher", *argv]
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _read_request(client: socket.socket) -> tuple[dict, list[int]] | None:
    """A stub's request: its standard streams (passed as file descriptors) and the JSON
    ``{"connection_file", "cwd", "env"}`` after an 8-byte length."""
    head, fds, _, _ = socket.recv_fds(client, 8, 3)
    while head and len(head) < 8:
        more = client.recv(8 - len(head))
        if not more:
            break
        head += more
    data, size = b"", int.from_bytes(head, "big") if len(head) == 8 else -1
    while 0 <= len(data) < size:
        chunk = client.recv(min(65536, size - len(data)))
        if not chunk:
            break
        data += chunk
    if size < 0 or len(data) != size or len(fds) != 3:
        for fd in fds:
            os.close(fd)
        return None
    return json.loads(data), fds


def _send(client: socket.socket, message: dict) -> None:
    with contextlib.suppress(OSError):
        client.sendall(json.dumps(message).encode() + b"\n")


def _reap(children: dict[int, socket.socket]) -> None:
    """Tell each stub whose kernel exited its exit status."""
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        client = children.pop(pid, None)
        if client is not None:
            _send(client, {"exit": os.waitstatus_to_exitcode(status)})
            client.close()


def serve(socket_path: str, settings: dict) -> None:
    """The server loop: preload, then fork a kernel per stub until stdin closes.

    Args:
        socket_path: The Unix socket to listen on.
        settings: ``{"model": ..., "aliases": ...}`` for the pipeline to preload.
    """
    start_path = sys.path[0] if sys.path else ""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(64)
    _preload(settings.get("model"), settings.get("aliases"))
    label = _warm_up(settings["model"], settings["warm"]) if settings.get("warm") else None
    print(READY, json.dumps({"model": label}), flush=True)
    children: dict[int, socket.socket] = {}
    try:
        _loop(listener, children, start_path)
    finally:
        for pid in children:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
        listener.close()


def _loop(listener: socket.socket, children: dict[int, socket.socket],
          start_path: str) -> None:
    stdin = sys.stdin.fileno()
    while True:
        watched = [listener, stdin, *children.values()]
        readable, _, _ = select.select(watched, [], [], 0.05)
        _reap(children)
        if stdin in readable and not os.read(stdin, 4096):
            return  # the report is done (or gone)
        if listener in readable:
            client, _ = listener.accept()
            received = _read_request(client)
            if received is None:
                client.close()
                continue
            request, fds = received
            pid = os.fork()
            if pid == 0:
                _run_kernel(request, fds, listener, [*children.values(), client], start_path)
            for fd in fds:
                os.close(fd)
            children[pid] = client
            _send(client, {"pid": pid})
        for pid, client in list(children.items()):
            if client in readable and not client.recv(4096):  # the stub was killed
                with contextlib.suppress(OSError):
                    os.killpg(pid, signal.SIGKILL)


@contextlib.contextmanager
def maybe_server(enabled: bool, *, model: str | None, aliases: str | Path | None,
                 env: dict[str, str] | None = None,
                 warm: dict | None = None) -> Iterator[KernelServer | None]:
    """A :class:`KernelServer` when ``enabled`` and the platform can fork, else ``None``."""
    if not enabled or not hasattr(os, "fork") or not hasattr(socket, "AF_UNIX"):
        yield None
        return
    server = KernelServer.start(model=model, aliases=aliases, env=env, warm=warm)
    try:
        yield server
    finally:
        server.close()


if __name__ == "__main__":
    serve(sys.argv[1], json.loads(sys.argv[2]))
