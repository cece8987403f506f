"""One home for "load a sheet in a bounded child process".

calamine (Rust) can end the whole interpreter on a hostile file (an allocation failure is an
abort, which no exception handler sees) and loads a sheet whole. It therefore only runs in a
child process with bounded memory (``PROBE_MEMORY`` of address space) and time
(``PROBE_SECONDS``): whatever happens there ends the child, never this process.
"""

from __future__ import annotations

import contextlib
import faulthandler
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


def start_child(
    target: Callable[..., None], *args: Any, extra_memory: int | None = None
) -> tuple[BaseProcess, Connection] | None:
    """Run ``target(connection, *args)`` in a bounded child; the parent's end of the pipe.
    None when no child process can be started here (the caller reads another way).
    ``extra_memory``: the address space the child may add to what it starts with (where
    that is known), instead of ``PROBE_MEMORY`` in all."""
    # fork shares the parent's memory for free (no file re-read, no re-import); spawn is
    # the only start method elsewhere.
    method = "fork" if os.name == "posix" and sys.platform != "darwin" else "spawn"
    context = multiprocessing.get_context(method)
    mine, theirs = context.Pipe(duplex=False)
    process = context.Process(  # type: ignore[attr-defined]
        target=_bounded, args=(target, theirs, extra_memory, *args), daemon=True
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


def _bounded(
    target: Callable[..., None], connection: Connection, extra_memory: int | None, *args: Any
) -> None:
    limit_child(extra_memory)
    try:
        target(connection, *args)
    finally:
        connection.close()


def limit_child(extra_memory: int | None = None) -> None:
    """In the child: bound its address space; Rust's panic hook would write a panic (and a
    backtrace) to file descriptor 2, so that goes to /dev/null."""
    memory = PROBE_MEMORY
    if extra_memory is not None:
        # A forked child starts with its parent's address space, whatever that is.
        memory = min(memory, _address_space() + extra_memory)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ImportError, ValueError, OSError):
        pass  # no such limit here (Windows): the time bound still holds
    os.environ["RUST_BACKTRACE"] = "0"
    # An abort here is expected and ends only this child: no traceback dump (a fork keeps
    # the parent's faulthandler, which writes to its own copy of stderr).
    faulthandler.disable()
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
    except OSError:
        pass


def _address_space() -> int:
    """This process's address space in bytes (Linux), else PROBE_MEMORY (no tighter bound)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            pages = int(statm.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return PROBE_MEMORY
