"""One home for "load a sheet in a bounded child process".

calamine (Rust) can end the whole interpreter on a hostile file (an allocation failure is an
abort, which no exception handler sees) and loads a sheet whole. It therefore only runs in a
child process with bounded memory (``PROBE_MEMORY`` of address space) and time
(``PROBE_SECONDS``): whatever happens there ends the child, never this process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Final

# The child process: address space and time it may use to load the sheet once.
PROBE_MEMORY: Final = 3 << 30
PROBE_SECONDS: Final = 120


def start_child(target: Callable[..., None], *args: Any) -> tuple[BaseProcess, Connection] | None:
    """Run ``target(connection, *args)`` in a bounded child; the parent's end of the pipe.
    None when no child process can be started here (the caller reads another way)."""
    # fork shares the parent's memory for free (no file re-read, no re-import); spawn is
    # the only start method elsewhere.
    method = "fork" if os.name == "posix" and sys.platform != "darwin" else "spawn"
    context = multiprocessing.get_context(method)
    mine, theirs = context.Pipe(duplex=False)
    process = context.Process(  # type: ignore[attr-defined]
        target=_bounded, args=(target, theirs, *args), daemon=True
    )
    try:
        process.start()
    except OSError:
        mine.close()
        theirs.close()
        return None
    theirs.close()  # the child holds the only writing end: its death is EOF here
    return process, mine


def stop_child(process: BaseProcess, connection: Connection) -> None:
    with contextlib.suppress(OSError):
        connection.close()
    if process.is_alive():
        process.kill()
    process.join()


def _bounded(target: Callable[..., None], connection: Connection, *args: Any) -> None:
    limit_child()
    try:
        target(connection, *args)
    finally:
        connection.close()


def limit_child() -> None:
    """In the child: bound its address space; Rust's panic hook would write a panic (and a
    backtrace) to file descriptor 2, so that goes to /dev/null."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (PROBE_MEMORY, PROBE_MEMORY))
    except (ImportError, ValueError, OSError):
        pass  # no such limit here (Windows): the time bound still holds
    os.environ["RUST_BACKTRACE"] = "0"
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
    except OSError:
        pass
