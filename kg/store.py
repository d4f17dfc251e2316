"""Store: the embedded, persistent quad store (Oxigraph on disk).

One named graph per document; writing a document replaces exactly its graph.
Oxigraph locks a folder for one writer: a second writer gets :class:`StoreInUse`.
Readers open the store read-only and never block a writer.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from .errors import StoreError, StoreInUse

DEFAULT_STORE = ".kg"
_MARKER = "kg-store"  # file that tells a kg store from any other folder


def open_store(path: str | Path = DEFAULT_STORE, *, write: bool = False) -> ox.Store:
    """Open the store at ``path``; create it when writing."""
    path = Path(path)
    if write:
        if path.exists() and any(path.iterdir()) and not (path / _MARKER).exists():
            raise StoreError(f"{path}: folder exists and is not a kg store; choose another --store")
        path.mkdir(parents=True, exist_ok=True)
        try:
            store = ox.Store(str(path))
        except OSError as err:
            if "lock" in str(err).lower():
                raise StoreInUse(f"{path}: store in use by another kg process; wait for it to finish") from None
            raise StoreError(f"{path}: cannot open the store ({err}); check the folder") from None
        (path / _MARKER).touch()
        return store
    if not (path / _MARKER).exists():
        raise StoreError(f"{path}: no kg store here; run `kg build PATH --store {path}` first")
    try:
        return ox.Store.read_only(str(path))
    except OSError as err:
        raise StoreError(f"{path}: cannot read the store ({err}); check the folder") from None


@contextmanager
def writing(path: str | Path = DEFAULT_STORE) -> Iterator[ox.Store]:
    store = open_store(path, write=True)
    try:
        yield store
    finally:
        store.flush()
        del store


def replace_graph(store: ox.Store, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> None:
    """Put ``quads`` in ``graph``, removing whatever the graph held before."""
    quads = list(quads)
    store.remove_graph(graph)
    store.extend(quads)


def union_triples(store: ox.Store) -> list[ox.Triple]:
    """Every distinct triple of every graph, sorted (stable output order)."""
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None)}
    return sorted(triples, key=str)


def all_quads(store: ox.Store) -> list[ox.Quad]:
    return sorted(store.quads_for_pattern(None, None, None), key=str)


def store_path_ok(path: str | Path) -> bool:
    return (Path(path) / _MARKER).exists()


def atomic_write(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temp file and a rename: all or nothing."""
    target = Path(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
