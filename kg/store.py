"""Store: the embedded, persistent quad store (Oxigraph on disk).

One named graph per document; writing a document replaces exactly its graph.

Readers and writers are kept apart by a lock on the folder's marker file: any number
of readers, or one writer. RocksDB itself only locks out a second writer; a reader
opening the files while a writer compacts them is undefined behaviour (seen: missing
files, "Corruption", a 2 GB allocation). A process that cannot get the lock within
a few seconds gets :class:`StoreInUse`.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from .errors import StoreError, StoreInUse

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: RocksDB's own writer lock only
    fcntl = None

DEFAULT_STORE = ".kg"
_MARKER = "kg-store"  # file that tells a kg store from any other folder, and is its lock
_GATE = "kg-store.gate"  # taken by a waiting writer so that new readers queue behind it
_READ_ATTEMPTS = 5
LOCK_WAIT = 5.0  # seconds a reader waits for a writer (or a writer for readers) to finish


class StoreHandle:
    """An open :class:`pyoxigraph.Store` that holds the folder's lock until closed.

    Behaves like the store it wraps; the lock goes when :meth:`close` is called or
    the last reference is dropped.
    """

    __slots__ = ("_store", "_lock")

    def __init__(self, store: ox.Store, lock: int | None):
        self._store = store
        self._lock = lock

    def __getattr__(self, name):
        if name in StoreHandle.__slots__:  # not set yet: __init__ did not run
            raise AttributeError(name)
        return getattr(self._store, name)

    def __iter__(self):
        return iter(self._store)

    def __len__(self) -> int:
        return len(self._store)

    def __contains__(self, quad) -> bool:
        return quad in self._store

    def __bool__(self) -> bool:
        return True  # never len(): that scans every quad

    def close(self) -> None:
        self._store = None  # RocksDB closes before the lock is released
        lock, self._lock = getattr(self, "_lock", None), None
        _unlock(lock)

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown; the OS drops the lock anyway
            pass


def open_store(path: str | Path = DEFAULT_STORE, *, write: bool = False) -> StoreHandle:
    """Open the store at ``path``; create it when writing."""
    path = Path(path)
    if write:
        marker = path / _MARKER
        # listing first: once the folder has any file of a kg store, the marker is there
        if path.exists() and any(path.iterdir()) and not marker.exists():
            raise StoreError(f"{path}: folder exists and is not a kg store; choose another --store")
        path.mkdir(parents=True, exist_ok=True)
        # the marker goes in before the database files: a second kg process that
        # starts at the same moment then sees a kg store (and gets "store in use"),
        # not a foreign folder
        created = not marker.exists()
        lock = _lock(path, exclusive=True)
        try:
            store = ox.Store(str(path))
        except OSError as err:
            _unlock(lock)
            if "lock" in str(err).lower():
                raise StoreInUse(f"{path}: store in use by another kg process; wait for it to finish") from None
            if created:
                marker.unlink(missing_ok=True)
            raise StoreError(f"{path}: cannot open the store ({err}); check the folder") from None
        return StoreHandle(store, lock)
    if not (path / _MARKER).exists():
        raise StoreError(f"{path}: no kg store here; run `kg build PATH --store {path}` first")
    lock = _lock(path, exclusive=False)
    for attempt in range(_READ_ATTEMPTS):
        try:
            return StoreHandle(ox.Store.read_only(str(path)), lock)
        except (OSError, RuntimeError) as err:
            # a writer outside kg's lock may be compacting right now and deleting
            # files the reader was about to open: the next attempt sees the new state
            if attempt + 1 == _READ_ATTEMPTS:
                _unlock(lock)
                message = " ".join(str(err).split())
                raise StoreError(f"{path}: cannot read the store ({message}); check the folder") from None
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


@contextmanager
def locked(path: str | Path = DEFAULT_STORE, *, exclusive: bool = False) -> Iterator[None]:
    """Hold the store's readers' (or, ``exclusive``, writer's) lock, for code that
    opens the store itself, e.g. in a child process. A folder without the kg marker
    (a bare Oxigraph store) is not locked."""
    path = Path(path)
    lock = _lock(path, exclusive=exclusive) if (path / _MARKER).exists() else None
    try:
        yield
    finally:
        _unlock(lock)


@contextmanager
def writing(path: str | Path = DEFAULT_STORE) -> Iterator[StoreHandle]:
    store = open_store(path, write=True)
    try:
        yield store
    finally:
        store.flush()
        store.close()


def _lock(path: Path, *, exclusive: bool) -> int | None:
    """A descriptor of the marker file holding a shared or exclusive lock on it.

    Writers go first: a writer takes the gate file before waiting for the readers to
    leave, and a reader passes the gate (shared) before it takes its lock, so a stream
    of readers cannot keep a writer out for ever.
    """
    if fcntl is None:
        return None
    deadline = time.monotonic() + LOCK_WAIT
    gate = _open(path / _GATE, exclusive=exclusive) if exclusive or (path / _GATE).exists() else None
    try:
        if gate is not None:
            _flock(path, gate, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, deadline, exclusive)
        fd = _open(path / _MARKER, exclusive=exclusive)
        try:
            _flock(path, fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, deadline, exclusive)
        except StoreInUse:
            os.close(fd)
            raise
        return fd
    finally:
        if gate is not None:
            os.close(gate)  # releases the gate: the data lock is what guards the store


def _open(file: Path, *, exclusive: bool) -> int:
    try:
        return os.open(file, (os.O_RDWR | os.O_CREAT) if exclusive else os.O_RDONLY, 0o666)
    except OSError as err:
        raise StoreError(f"{file.parent}: cannot open the store ({err.strerror}); check the folder") from None


def _flock(path: Path, fd: int, mode: int, deadline: float, exclusive: bool) -> None:
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                busy = "read or written" if exclusive else "written"
                raise StoreInUse(f"{path}: store in use (being {busy} by another kg process); "
                                 "wait for it to finish") from None
            time.sleep(0.02)


def _unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # closing the descriptor releases the lock


def replace_graph(store: ox.Store, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> None:
    """Put ``quads`` in ``graph``, removing whatever the graph held before."""
    quads = list(quads)
    store.remove_graph(graph)
    store.extend(quads)


def sorted_ntriples(store: ox.Store) -> bytes:
    """Every distinct triple of every graph as sorted canonical N-Triples.

    Works on Oxigraph's native dump instead of Python term objects (3-4x faster on
    big stores). A named graph's quad line ends with its graph IRI, the only term
    after the object, so cutting at the last " <" leaves the triple; lines of the
    default graph are known from a dump of that graph alone.
    """
    default = set(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).splitlines())
    lines = {
        line if line in default else line.rsplit(b" <", 1)[0] + b" ."
        for line in store.dump(format=ox.RdfFormat.N_QUADS).splitlines()
    }
    return b"".join(line + b"\n" for line in sorted(lines))


def sorted_nquads(store: ox.Store) -> bytes:
    """Every quad as sorted canonical N-Quads."""
    return b"".join(line + b"\n" for line in sorted(set(store.dump(format=ox.RdfFormat.N_QUADS).splitlines())))



def atomic_write(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` all or nothing: the old file or the new one, never half.

    Where the OS allows it (Linux), the bytes go to an unnamed file that only gets
    a name once complete, so a process killed mid-write (even by SIGKILL) leaves no
    temp file. Elsewhere a named temp file is used, and temp files left by dead
    processes are removed by the next write.
    """
    target = Path(target)
    _remove_stale_temps(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if not _write_unnamed(target.parent, tmp.name, data):
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            try:
                _write_all(fd, data)
            finally:
                os.close(fd)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)


def _write_unnamed(folder: Path, name: str, data: bytes) -> bool:
    """Write ``data`` to an unnamed file in ``folder`` (Linux O_TMPFILE), then link it as ``name``.

    False when the OS or filesystem cannot do it; the caller then uses a named temp file.
    """
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return False
    try:
        fd = os.open(folder, flag | os.O_WRONLY, 0o666)
    except OSError as err:
        if err.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):  # no O_TMPFILE here
            return False
        raise
    try:
        _write_all(fd, data)
        folder_fd = os.open(folder, os.O_RDONLY)
        try:
            # passing dir fds makes Python call linkat(..., AT_SYMLINK_FOLLOW), which
            # links the file behind the /proc/self/fd entry rather than the entry
            os.link(f"/proc/self/fd/{fd}", name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
        except OSError as err:
            if err.errno in (errno.EXDEV, errno.EPERM, errno.ENOENT, errno.EACCES):
                return False
            raise
        finally:
            os.close(folder_fd)
    finally:
        os.close(fd)
    return True


def _remove_stale_temps(target: Path) -> None:
    """Delete ``.NAME.PID.tmp`` files next to ``target`` whose writer process is gone."""
    if os.name != "posix":  # os.kill(pid, 0) is not a harmless probe elsewhere
        return
    prefix, suffix = f".{target.name}.", ".tmp"
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        pid = name[len(prefix):-len(suffix)]
        if name.startswith(prefix) and name.endswith(suffix) and pid.isdigit() and not _alive(int(pid)):
            try:
                os.unlink(target.parent / name)
            except OSError:
                pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True
