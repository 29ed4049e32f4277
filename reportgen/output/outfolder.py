"""The output folder, replaced as a whole: a lock, a staging folder beside it, an atomic swap.

A build writes its complete new output tree into a staging folder next to the output folder (on
the same filesystem): the files it writes, plus hard links (or copies) of the existing files it
does not replace, so building one deliverable keeps the others. Only a complete tree is swapped in:

* on Linux, ``renameat2(RENAME_EXCHANGE)`` exchanges the staging folder and the output folder in
  one step, then the old tree is deleted;
* elsewhere (or where the filesystem refuses the exchange) the output folder is renamed aside
  (``.<name>.old-XXXX``) and the new tree renamed into place. A build killed between the two
  renames leaves leftovers that :func:`recover` finds at the start of the next build: it finishes
  the swap with the complete new tree, or rolls back to the old one;
* a missing output folder is simply renamed into place.

So a reader never sees a truncated file or a mix of two builds' deliverables. The swap gives the
output folder a new inode: a shell or file manager open inside it keeps showing the old (deleted)
folder until it is reopened. An output folder that is a mount point (or a bind mount, whose
rename fails with EBUSY) cannot be renamed; its files are replaced one by one (each atomically)
instead. A file that fails to be written (a full disk) is removed, whichever way. Named pipes,
sockets and devices in the output folder cannot be carried into a new tree: the build refuses
them (SpecialFile) rather than dropping them.

Two builds into the same folder serialize on ``.<name>.lock`` beside it (``fcntl.flock``; the
kernel releases it when a build dies); the second waits, up to a timeout.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: builds are not serialized
    fcntl = None  # type: ignore[assignment]

#: Seconds a build waits for another build into the same output folder.
LOCK_TIMEOUT = 120.0
_KINDS = ("staging", "ready", "old")  # leftovers: being filled, complete new tree, previous tree


class SpecialFile(OSError):
    """The output folder holds a named pipe, a socket or a device: a new tree cannot carry it over,
    and dropping it silently would lose something another program put there."""

    def __init__(self, path: Path, kind: str):
        super().__init__(errno.EINVAL, f"the output folder holds {kind}", str(path))
        self.path = path
        self.kind = kind


#: Errors of a rename that cannot move the output folder itself (a bind mount on the same
#: filesystem, which os.path.ismount does not see, gives EBUSY; some overlay setups EXDEV):
#: the files are then replaced one by one in place, as for a mount point.
_CANNOT_MOVE_FOLDER = (errno.EBUSY, errno.EXDEV)


class LockTimeout(Exception):
    def __init__(self, lock: Path, waited: float):
        super().__init__(f"{lock} is held by another build")
        self.lock = lock
        self.waited = waited


def target_of(out_dir: Path) -> Path:
    """The folder that is actually replaced: ``out_dir`` with symlinks resolved, absolute."""
    return Path(os.path.realpath(out_dir))


def lock_path(out_dir: Path) -> Path:
    target = target_of(out_dir)
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def locked(out_dir: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[Path]:
    """Hold the output folder's lock; wait at most ``timeout`` seconds for it (LockTimeout)."""
    path = lock_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None:  # pragma: no cover
        yield path
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        start = time.monotonic()
        delay = 0.01
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - start
                if waited >= timeout:
                    raise LockTimeout(path, waited) from None
                time.sleep(min(delay, timeout - waited))
                delay = min(delay * 2, 0.2)
            except OSError as exc:
                if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP):
                    break  # a filesystem without locks: go on unserialized rather than not at all
                raise
        yield path
    finally:
        os.close(fd)  # releases the lock


def recover(out_dir: Path) -> list[str]:
    """Clean up after a build that died while replacing ``out_dir``; call with the lock held.

    When the output folder is missing, a swap by renames was cut short between its two steps:
    the complete new tree (``.ready-``) is put in place, else the previous tree (``.old-``). Every
    other leftover (staging folders, old trees, a new tree that was never swapped in) is deleted.
    Returns what was done, for messages and tests.
    """
    target = target_of(out_dir)
    leftovers = _leftovers(target)
    done: list[str] = []
    if not os.path.lexists(target):
        for kind in ("ready", "old"):  # finish the swap, else roll it back
            if leftovers[kind]:
                newest = max(leftovers[kind], key=lambda p: p.lstat().st_mtime_ns)
                os.rename(newest, target)
                leftovers[kind].remove(newest)
                done.append(f"{'finished' if kind == 'ready' else 'rolled back'} an interrupted swap: "
                            f"{newest.name} → {target.name}")
                break
    for paths in leftovers.values():
        for path in paths:
            _remove(path)
            done.append(f"removed {path.name}")
    if done:
        _fsync_dir(target.parent)
    return done


def needs_recovery(out_dir: Path) -> bool:
    """Whether a build died while replacing ``out_dir``: leftovers beside it, or it is missing
    while a swap's trees are there. Cheap; takes no lock."""
    return any(_leftovers(target_of(out_dir)).values())


def replace(out_dir: Path, files: Mapping[str, bytes]) -> None:
    """Make ``out_dir`` hold its current files with ``files`` (relative path → bytes) written over
    them, replacing the folder as a whole. Call with the lock held (:func:`locked`)."""
    target = target_of(out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(target) and not target.is_dir():  # never swap away (and delete) a file of that name
        raise NotADirectoryError(errno.ENOTDIR, "the output folder is a file", str(target))
    if target.is_dir() and os.path.ismount(target):
        _write_in_place(target, files)
        return
    staging = _sibling(target, "staging")
    os.mkdir(staging)
    try:
        if target.is_dir():
            os.chmod(staging, stat.S_IMODE(target.stat().st_mode))
            _link_tree(target, staging, files)
        for rel, data in files.items():
            _write_file(staging / rel, data)
        _fsync_tree(staging)
        ready = _sibling(target, "ready")
        os.rename(staging, ready)  # complete: recover() may now finish a swap with it
    except BaseException:
        _remove(staging)
        raise
    try:
        old = _swap(ready, target)
    except OSError as exc:
        if exc.errno not in _CANNOT_MOVE_FOLDER:
            raise
        # Nothing was moved: the folder cannot be renamed. Write its files in place instead.
        _remove(ready)
        _write_in_place(target, files)
        return
    _fsync_dir(target.parent)
    if old is not None:
        _remove(old)


# --- the swap ------------------------------------------------------------------------------------

def _swap(ready: Path, target: Path) -> Path | None:
    """Put ``ready`` at ``target``; returns where the previous tree now is (None when there was none)."""
    if not os.path.lexists(target):
        os.rename(ready, target)
        return None
    if _exchange(ready, target):
        return ready  # now holds the previous tree
    old = _sibling(target, "old")
    os.rename(target, old)
    try:
        os.rename(ready, target)
    except OSError:
        os.rename(old, target)  # put the previous tree back at once; recover() would do it next time
        raise
    return old


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@functools.cache
def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # glibc before 2.28, musl, ...
        return None
    fn.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    fn.restype = ctypes.c_int
    return fn


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two folders atomically (Linux renameat2); False where that is not available.

    REPORTGEN_NO_EXCHANGE=1 takes the two-rename way instead (for filesystems that misbehave, and tests).
    """
    fn = _renameat2()
    if fn is None or os.environ.get("REPORTGEN_NO_EXCHANGE"):
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # the kernel or the filesystem does not support it
    raise OSError(err, os.strerror(err), str(b))


# --- building the new tree ----------------------------------------------------------------------

def _sibling(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name}.{kind}-{secrets.token_hex(4)}"


def _leftovers(target: Path) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {kind: [] for kind in _KINDS}
    prefix = f".{target.name}."
    try:
        names = os.listdir(target.parent)
    except FileNotFoundError:
        return found
    for name in names:
        if name.startswith(prefix):
            kind, sep, token = name[len(prefix):].partition("-")
            if kind in found and sep and token:
                found[kind].append(target.parent / name)
    return found


def _link_tree(src: Path, dst: Path, replaced: Mapping[str, bytes]) -> None:
    """Hard-link (else copy) every entry of ``src`` into ``dst``, except what ``replaced`` overwrites."""
    new_dirs = {parent.as_posix() for rel in replaced for parent in Path(rel).parents if parent != Path(".")}
    for root, dirs, names in os.walk(src, onerror=_raise):  # an unreadable subfolder must not be dropped
        rel_root = Path(root).relative_to(src)
        for name in sorted(dirs) + sorted(names):
            rel = (rel_root / name).as_posix()
            source, copy = Path(root) / name, dst / rel_root / name
            st = source.lstat()
            if stat.S_ISDIR(st.st_mode):
                if rel in replaced:  # a folder where a new file goes: drop it
                    dirs.remove(name)
                    continue
                os.mkdir(copy)
                os.chmod(copy, stat.S_IMODE(st.st_mode))
            elif rel in replaced or rel in new_dirs:  # replaced, or a file where a new folder goes
                continue
            elif stat.S_ISLNK(st.st_mode):
                os.symlink(os.readlink(source), copy)
            elif stat.S_ISREG(st.st_mode):
                try:
                    os.link(source, copy, follow_symlinks=False)
                except OSError:  # no hard links here (some filesystems, Windows shares)
                    shutil.copy2(source, copy)
            else:  # a pipe, a socket or a device: refused rather than dropped (see SpecialFile)
                raise SpecialFile(source, _special_kind(st.st_mode))


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def _raise(exc: OSError) -> None:
    raise exc


def _write_file(path: Path, data: bytes) -> None:
    """Write a new file; on any failure (a full disk, Ctrl-C) the partial file is removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "xb")  # noqa: SIM115 - closed below, before the partial file is removed
    try:
        with fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def _write_in_place(target: Path, files: Mapping[str, bytes]) -> None:
    """Each file written to a temporary name beside it and renamed over the old one."""
    staged: list[tuple[Path, Path]] = []
    try:
        for rel, data in files.items():
            final = target / rel
            tmp = final.parent / f".{final.name}.{secrets.token_hex(4)}.tmp"
            staged.append((tmp, final))  # before writing: a failed write is cleaned up too
            _write_file(tmp, data)
        for tmp, final in staged:
            os.replace(tmp, final)
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def _fsync_tree(root: Path) -> None:
    for folder, _, _ in os.walk(root):
        _fsync_dir(Path(folder))


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - folders cannot be opened (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
