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
from typing import Generic, TypeVar

T = TypeVar("T")


def default_jobs() -> int:
    """How many processes may work at once: REPORTGEN_JOBS, else as many as this process has CPUs
    to run on (docs/performance.md, "Session 6": on the 2-vCPU machines reportgen is measured on,
    two processes build the example in 0.53 s instead of 0.58 s and 10 000 projects in 8.3 s
    instead of 14.2 s, for more memory). ``reportgen build --jobs 1`` or REPORTGEN_JOBS=1: one process."""
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
    with contextlib.suppress(OSError, AttributeError, ImportError):  # without it, the child is as before
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


class ChildDied(Exception):
    """The child of :func:`aside` ended without a result (killed, out of memory)."""

    def __init__(self, status: int):
        super().__init__(f"the process ended with status {status}")
        self.status = status


class Aside(Generic[T]):
    """Work started by :func:`aside`: :meth:`result` waits for it, :meth:`cancel` stops it."""

    def __init__(self, work: Callable[..., T], args: tuple, fallback: bool):
        self._work, self._args, self._fallback = work, args, fallback
        self._pid: int | None = None
        self._pipe: int | None = None
        if not can_fork():
            return
        parent = os.getpid()
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:
            os.close(read_end)
            _run_child(parent, write_end, work, args)  # never returns
        os.close(write_end)
        self._pid, self._pipe = pid, read_end

    def result(self) -> T:
        """The work's result or what it raised, as if it were done here. A child that ended
        without sending either: the work is done here (``fallback``), or :class:`ChildDied`."""
        if self._pid is None:
            return self._work(*self._args)
        pid, pipe = self._pid, self._pipe
        self._pid = self._pipe = None
        chunks = []
        try:
            with open(pipe, "rb", closefd=True) as reader:
                while chunk := reader.read(1 << 20):
                    chunks.append(chunk)
        except BaseException:  # interrupted here: the child is of no use any more
            _kill(pid)
            raise
        _, status = os.waitpid(pid, 0)
        outcome = None
        if os.waitstatus_to_exitcode(status) == 0:
            with contextlib.suppress(Exception):
                outcome = pickle.loads(b"".join(chunks))
        if outcome is None:
            if self._fallback:
                return self._work(*self._args)
            raise ChildDied(os.waitstatus_to_exitcode(status))
        kind, value = outcome
        if kind == "raised":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child, if there is one still working (the result is not wanted)."""
        if self._pid is not None:
            os.close(self._pipe)
            _kill(self._pid)
            self._pid = self._pipe = None


def aside(work: Callable[..., T], *args, fallback: bool = True) -> Aside[T]:
    """Start ``work(*args)`` in a forked child; ``.result()`` waits for what it returns or raises.

    The child needs nothing sent to it (it starts with this process's memory); its outcome comes
    back pickled. Where no child can be had (:func:`can_fork`), the work is done by ``result()``,
    here. A child that ends without an outcome (killed, out of memory, an outcome that cannot be
    pickled): with ``fallback``, ``result()`` does the work here, so that whatever it reports or
    raises, it does as it would have without a child; without, it raises :class:`ChildDied`.
    Whoever starts work aside either waits for its result or cancels it.
    """
    return Aside(work, args, fallback)


def _run_child(parent: int, pipe: int, work: Callable, args: tuple) -> None:
    status = 1
    try:
        die_with_parent(parent)
        try:
            outcome = ("returned", work(*args))
        except Exception as exc:  # noqa: BLE001 - sent to the parent, which raises it
            outcome = ("raised", exc)
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - an outcome that cannot be sent: the parent sees no outcome
            data = b""
        view = memoryview(data)
        while view:
            view = view[os.write(pipe, view):]
        status = 0 if data else 1
    finally:
        os._exit(status)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, ChildProcessError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
