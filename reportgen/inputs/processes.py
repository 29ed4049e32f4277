"""Doing work in a second process, where the machine has a CPU for it.

A build spends most of its time in pure Python, which one process runs on one CPU at a time.
Two places use a second CPU: loading programme.yaml while finances.xlsx is read
(:func:`reportgen.inputs.load.load_inputs`), and rendering the deliverables in worker processes
(:func:`reportgen.output.build.render_all`). Both fork (Linux): the child starts with the
parent's memory, so it needs nothing sent to it, and sends back only its result. Where a child
cannot be had, the work is done in this process instead, with the same result.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def default_jobs() -> int:
    """How many processes may work at once: REPORTGEN_JOBS, else as many as this process has CPUs
    to run on (docs/performance.md, "Session 6": on the 2-vCPU machines reportgen is measured on,
    two processes build the example in 0.55 s instead of 0.62 s and 10 000 projects in 10 s
    instead of 15 s, for more memory). ``reportgen build --jobs 1`` or REPORTGEN_JOBS=1: one process."""
    env = os.environ.get("REPORTGEN_JOBS", "").strip()
    if env.isdecimal() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether this process can fork a child that shares its memory.

    Only on Linux, and only while this process runs one thread: a thread that holds a lock when
    the process forks leaves that lock held for ever in the child, which would hang it (the API
    may be called from a server or a test runner with threads of its own).
    """
    return sys.platform.startswith("linux") and threading.active_count() == 1


def die_with_parent(parent: int) -> None:
    """Run first in a forked child: end it when ``parent`` ends.

    A child outlives a parent killed from outside (``kill -9``, the out-of-memory killer): it
    would go on working for no one, then wait for ever on a pipe no one reads, holding its memory
    and every file descriptor it inherited, the output folder's lock among them, so that the next
    build into that folder would wait for it in vain. Linux ends it instead.
    """
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def aside(work: Callable[..., T], *args) -> Callable[[], T]:
    """Start ``work(*args)`` in a forked child; the returned function waits for its result.

    The result is sent back pickled. If the child cannot be started, or dies, or its result
    cannot be read, the returned function does the work itself, in this process: so whatever
    ``work`` reports or raises, it reports or raises here as it would have without a child.
    """
    if not can_fork():
        return lambda: work(*args)
    parent = os.getpid()
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        return lambda: work(*args)
    if pid == 0:  # the child: never returns
        status = 1
        try:
            os.close(read_end)
            die_with_parent(parent)
            data = memoryview(pickle.dumps(work(*args), protocol=pickle.HIGHEST_PROTOCOL))
            while data:
                data = data[os.write(write_end, data):]
            status = 0
        except BaseException:  # noqa: BLE001 - whatever it was, the parent does the work again and sees it
            pass
        finally:
            os._exit(status)
    os.close(write_end)

    def result() -> T:
        chunks = []
        try:
            with open(read_end, "rb", closefd=True) as pipe:
                while chunk := pipe.read(1 << 20):
                    chunks.append(chunk)
        finally:
            _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == 0:
            with contextlib.suppress(Exception):
                return pickle.loads(b"".join(chunks))
        return work(*args)

    return result
