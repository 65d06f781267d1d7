"""Stand-in for ``ipykernel_launcher`` when ``analystkit report`` preloads its kernels.

Run as ``python -I kernel_stub.py SOCKET CONNECTION_FILE [KERNEL ARGUMENTS]`` (standard
library only, so it starts in milliseconds; see :mod:`analystkit.kernelserver`): it hands
its standard streams,
working folder, environment and the connection file to the kernel server, which forks a
preloaded IPython kernel for them. The stub forwards SIGINT (interrupt) and SIGTERM to the
kernel, and exits with the kernel's exit status, so the kernel manager that started it sees
an ordinary kernel process; if the stub is killed, the server kills the kernel.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys


def main(socket_path: str, connection_file: str, arguments: list[str]) -> int:
    """Start a kernel through the server and wait for it.

    Args:
        socket_path: The kernel server's Unix socket.
        connection_file: The kernel's Jupyter connection file.
        arguments: Further kernel command-line arguments.

    Returns:
        The kernel's exit status (1 when the server cannot be reached).
    """
    request = json.dumps({"connection_file": connection_file, "argv": arguments,
                          "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(socket_path)
        socket.send_fds(client, [len(request).to_bytes(8, "big")], [0, 1, 2])
        client.sendall(request)
    except OSError as exc:
        print(f"analystkit kernel stub: no kernel server at {socket_path} ({exc})",
              file=sys.stderr)
        return 1
    reader = client.makefile("rb")
    first = reader.readline()
    if not first:
        return 1
    pid = json.loads(first)["pid"]

    def forward(number: int, _frame: object) -> None:
        try:
            os.kill(pid, number)
        except OSError:
            pass

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, forward)
    for line in reader:
        message = json.loads(line)
        if "exit" in message:
            code = message["exit"]
            return code if code >= 0 else 128 - code
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
