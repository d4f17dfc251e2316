"""Graph analytics: ownership, control, paths and model lineage.

Plain functions ``f(G, ...)`` over networkx graphs, in the networkx style. Two
projections of the store feed them:

- :func:`ownership_graph` -- a ``DiGraph`` holder -> held, one edge per pair, with the
  economic fraction ``weight`` (0..1) and the voting fraction ``voting``;
- :func:`relation_graph` -- a ``MultiDiGraph`` of every kgo relation between entities,
  each edge carrying its ``relation`` and the ``evidence`` sentences behind it.

Nodes are entity IRIs with a ``label`` attribute. Every function that takes a node also
accepts the entity's slug (``"nissan"`` for ``https://w3id.org/autokg/entity/nissan``).
Toy graphs with any hashable nodes work as well:

>>> import networkx as nx
>>> G = nx.DiGraph()
>>> G.add_edge("A", "B", weight=0.6)
>>> G.add_edge("B", "C", weight=0.4)
>>> round(integrated_ownership_of(G, "A")["C"], 4)
0.24
>>> controls(G, "A", "B"), controls(G, "A", "C")
(True, False)

numpy and scipy are imported inside the functions that do linear algebra, and networkx
inside the functions that build or search graphs, so importing this module is cheap.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Iterator, Sequence
from itertools import islice, pairwise, product
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import AnalyticsError
from .iri import ENTITY, ONTOLOGY
from .model import RELATIONS

if TYPE_CHECKING:  # pragma: no cover - typing only
    import networkx as nx
    import numpy as np
    import pyoxigraph

__all__ = [
    "ownership_graph",
    "relation_graph",
    "direct_ownership",
    "integrated_ownership",
    "integrated_ownership_matrix",
    "integrated_ownership_of",
    "controlled_by",
    "controls",
    "controllers",
    "control_rights",
    "ultimate_owner",
    "ultimate_owners",
    "shortest_paths",
    "lineage",
    "LINEAGE_RELATIONS",
]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_PREFIXES = f"PREFIX kgo: <{ONTOLOGY}>\nPREFIX rdf: <{_RDF}>\nPREFIX rdfs: <{_RDFS}>\n"

LINEAGE_RELATIONS = ("rebadgeOf", "basedOn")
_MAJORITY = 0.5
_EPS = 1e-12
# Systems up to this many companies are solved densely with LAPACK (exact, fast);
# bigger ones iteratively on sparse matrices (see _solve_row).
_DENSE_LIMIT = 2000
# The most specific type wins when an entity carries several rdf:types.
_TYPE_PRIORITY = ("CarModel", "Person", "Market", "Technology", "Brand", "Company", "Organization")


# --------------------------------------------------------------------------------------
# Projections of the store
# --------------------------------------------------------------------------------------


class _Stake(NamedTuple):
    iri: str
    report: str  # the document (named graph) that reports it
    percent: float | None
    voting: float | None
    start: str | None
    end: str | None
    via: str | None
    published: str | None
    ended: bool


_STAKES_QUERY = (
    _PREFIXES
    + """
SELECT ?s ?holder ?held ?percent ?voting ?start ?end ?via ?g ?published ?doc ?docPublished ?open
WHERE {
  ?s a kgo:Shareholding ; kgo:holder ?holder ; kgo:heldEntity ?held .
  FILTER(isIRI(?holder) && isIRI(?held))
  OPTIONAL { ?s kgo:percent ?percent }
  OPTIONAL { ?s kgo:votingPercent ?voting }
  OPTIONAL { ?s kgo:startDate ?start }
  OPTIONAL { ?s kgo:endDate ?end }
  OPTIONAL { ?s kgo:heldVia ?via }
  OPTIONAL {
    GRAPH ?g { ?s a kgo:Shareholding }
    OPTIONAL { ?g kgo:published ?published }
    OPTIONAL { GRAPH ?g { ?holder kgo:ownsStake ?held } BIND(true AS ?open) }
  }
  OPTIONAL {
    ?s kgo:assertedBy/kgo:inDocument ?doc .
    OPTIONAL { ?doc kgo:published ?docPublished }
  }
}
"""
)

_STAKE_LABELS_QUERY = (
    _PREFIXES
    + """
SELECT DISTINCT ?e ?label WHERE {
  ?s a kgo:Shareholding ; kgo:holder|kgo:heldEntity ?e .
  ?e rdfs:label ?label .
}
"""
)

_DATE = re.compile(r"-?\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _date(term: Any) -> str | None:
    """ISO prefix of an xsd:date/gYearMonth/gYear literal, comparable as a string.

    ``"2024" < "2024-03" < "2024-03-01" < "2025"``: a coarser date sorts before the
    finer dates inside it, which is the order we want for "most recent".
    """
    if term is None:
        return None
    match = _DATE.match(term.value.strip())
    return match.group(0) if match else None


def _number(term: Any) -> float | None:
    if term is None:
        return None
    try:
        value = float(term.value)
    except ValueError:
        return None
    return value if value == value else None  # drop NaN


def _value(term: Any) -> str | None:
    return None if term is None else term.value


def _query(store: pyoxigraph.Store, sparql: str) -> Iterator[Any]:
    return iter(store.query(sparql, use_default_graph_as_union=True))


def _labels(store: pyoxigraph.Store, sparql: str) -> dict[str, str]:
    """Entity -> one label, chosen deterministically (plain literals before tagged)."""
    found: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for row in _query(store, sparql):
        label = row["label"]
        lang = getattr(label, "language", None) or ""
        rank = 0 if not lang else (1 if lang == "en" else 2)
        found[row["e"].value].append((rank, lang, label.value))
    return {entity: min(options)[2] for entity, options in found.items()}


def ownership_graph(store: pyoxigraph.Store) -> nx.DiGraph:
    """The current holdings in ``store`` as a ``DiGraph`` holder -> held.

    Every ``kgo:Shareholding`` node of every document is read (the query runs with
    ``use_default_graph_as_union=True``). Edge attributes:

    - ``weight``: economic fraction 0..1, or ``None`` when no report gives a percentage
      (such edges are listed by :func:`direct_ownership` and walked by paths, but the
      ownership and control arithmetic skips them);
    - ``voting``: ``kgo:votingPercent`` if given, else ``kgo:percent``, as a fraction;
    - ``as_of``: the date of the report the figures come from (or ``None``);
    - ``via``: the ``kgo:heldVia`` intermediaries of the stakes counted (sorted list);
    - ``stakes``: the Shareholding node IRIs counted; ``documents``: every document
      that reports the pair as current (not superseded by a later sale).

    Node attribute ``label`` (``rdfs:label``).

    How a pair's figure is chosen (news repeats itself; the same stake must not be
    added twice):

    1. Stakes with a ``kgo:endDate`` are over and never counted. A stake without an end
       date but whose document lacks the ``holder kgo:ownsStake held`` shortcut is also
       over (the graph writer omits the shortcut for ended stakes, with or without a
       known end date).
    2. Each document is one *report*. Inside a report, stakes held through different
       channels (direct, or ``kgo:heldVia`` some vehicle) are summed; two figures for the
       same channel ("raised its stake from 10 to 15 %") are not, the one with the latest
       ``startDate`` wins.
    3. Several documents reporting the same pair describe the *same* holding at
       different times, so they are never added: the report with the most recent date
       wins, a report's date being the later of its stakes' ``startDate`` and the
       document's ``kgo:published`` date. Undated reports rank oldest; among equally
       dated ones the choice is by document IRI, to stay deterministic. Reports with a
       figure win over reports without one, so "X raised its stake in Y" (no number)
       keeps the last known number.
    4. A report dated on or before the latest ``endDate`` that another report gives the
       pair (or undated when such an end exists) is superseded: "X sold its stake in
       2023" closes "X holds 10 %" from 2021. An end in the same report closes only its
       own stake: "X cut its stake from 34 % to 24 %" keeps the 24 %.
    """
    import networkx as nx

    stakes: dict[str, dict[str, Any]] = {}
    for row in _query(store, _STAKES_QUERY):
        iri = row["s"].value
        rec = stakes.setdefault(
            iri,
            {
                "holder": row["holder"].value,
                "held": row["held"].value,
                "percent": set(),
                "voting": set(),
                "start": set(),
                "end": set(),
                "via": set(),
                "graph": set(),
                "published": set(),
                "doc": set(),
                "open": False,
            },
        )
        for key, value in (
            ("percent", _number(row["percent"])),
            ("voting", _number(row["voting"])),
            ("start", _date(row["start"])),
            ("end", _date(row["end"])),
            ("via", _value(row["via"])),
            ("graph", _value(row["g"])),
            ("published", _date(row["published"])),
            ("doc", _value(row["doc"])),
            ("published", _date(row["docPublished"])),
        ):
            if value is not None:
                rec[key].add(value)
        if row["open"] is not None:
            rec["open"] = True
        if row["end"] is not None and _date(row["end"]) is None:
            rec["end"].add("")  # an endDate we cannot read still ends the stake

    by_pair: dict[tuple[str, str], list[_Stake]] = defaultdict(list)
    for iri, rec in stakes.items():
        graphs = sorted(rec["graph"])
        report = graphs[0] if graphs else (min(rec["doc"]) if rec["doc"] else iri)
        ended = bool(rec["end"]) or (bool(graphs) and not rec["open"])
        by_pair[rec["holder"], rec["held"]].append(
            _Stake(
                iri=iri,
                report=report,
                # one node should carry one figure; if it has several, take the largest
                percent=max(rec["percent"], default=None),
                voting=max(rec["voting"], default=None),
                start=max(rec["start"], default=None),
                end=max(rec["end"], default=None),
                via=min(rec["via"], default=None),
                published=max(rec["published"], default=None),
                ended=ended,
            )
        )

    G = nx.DiGraph()
    for (holder, held), pair_stakes in sorted(by_pair.items()):
        edge = _pair_edge(pair_stakes)
        if edge is not None:
            G.add_edge(holder, held, **edge)
    labels = _labels(store, _STAKE_LABELS_QUERY)
    for node in G:
        G.nodes[node]["label"] = labels.get(node, _local_name(node))
    return G


def _pair_edge(stakes: list[_Stake]) -> dict[str, Any] | None:
    """Edge attributes for one holder/held pair, or None if no stake is current."""
    ends = [(s.report, s.end) for s in stakes if s.ended and s.end is not None]

    reports: dict[str, list[_Stake]] = defaultdict(list)
    for stake in stakes:
        if not stake.ended:
            reports[stake.report].append(stake)

    candidates = []
    for doc, members in reports.items():
        dates = [d for s in members for d in (s.start, s.published) if d]
        as_of = max(dates) if dates else None
        # a sale closes other reports only: "cut its stake from 34 % to 24 %" ends one
        # figure and states the current one in the same report, on the same date
        other_ends = [end for report, end in ends if report != doc]
        latest_end = max(other_ends) if other_ends else None
        if latest_end is not None and (as_of is None or as_of <= latest_end):
            continue  # superseded by a later sale
        # one figure per channel: the latest start wins, then a stated figure
        channels: dict[str | None, _Stake] = {}
        for stake in sorted(members, key=lambda s: (s.start or "", s.percent is not None, s.percent or 0.0, s.iri)):
            channels[stake.via] = stake
        counted = list(channels.values())
        percents = [s.percent for s in counted if s.percent is not None]
        votes = [s.voting if s.voting is not None else s.percent for s in counted]
        votes = [v for v in votes if v is not None]
        weight = sum(percents) / 100.0 if percents else None
        voting = sum(votes) / 100.0 if votes else None
        has_figure = weight is not None or voting is not None
        candidates.append(((has_figure, as_of or "", doc), weight, voting, as_of, counted))
    if not candidates:
        return None
    _, weight, voting, as_of, counted = max(candidates, key=lambda c: c[0])
    return {
        "weight": weight,
        "voting": voting,
        "as_of": as_of,
        "via": sorted({s.via for s in counted if s.via}),
        "stakes": sorted(s.iri for s in counted),
        "documents": sorted(c[0][2] for c in candidates),
    }


def _local_name(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1] or iri


def _relation_values(relations: Iterable[str] | None) -> list[str]:
    if relations is None:
        return list(RELATIONS)
    if isinstance(relations, str):
        relations = [relations]
    chosen = list(dict.fromkeys(relations))
    unknown = [r for r in chosen if r not in RELATIONS]
    if unknown:
        raise AnalyticsError(f"unknown relation {unknown[0]!r}; use one of: {', '.join(RELATIONS)}")
    return chosen


def relation_graph(store: pyoxigraph.Store, relations: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """Every kgo relation triple between entities in ``store`` as a ``MultiDiGraph``.

    One edge per ``subject relation object`` triple (keyed by the relation's local
    name, so a triple stated in several documents is one edge), with attributes
    ``relation`` and ``evidence``: a list of dicts ``text`` (the sentence), ``doc``
    (``kgo:fileName``), ``doc_iri``, ``start``/``end`` (``kgo:charStart``/``charEnd``),
    ``assertion`` (the kgo:Assertion IRI), ``confidence`` and ``hedged``, read from the
    Assertion nodes whose rdf:subject/predicate/object match the triple. Edges keep
    the direction written in the graph (``partnerOf`` is stored one way only).

    ``relations`` limits the graph to some relation names (default: all of
    :data:`kg.model.RELATIONS`). Node attributes: ``label`` and ``type``.
    """
    import networkx as nx

    names = _relation_values(relations)
    values = " ".join(f"kgo:{name}" for name in names)
    triples = set()
    for row in _query(
        store,
        _PREFIXES + f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o . "
        "FILTER(isIRI(?s) && isIRI(?o)) }",
    ):
        triples.add((row["s"].value, _local_name(row["p"].value), row["o"].value))

    evidence: dict[tuple[str, str, str], dict[str, dict]] = defaultdict(dict)
    for row in _query(
        store,
        _PREFIXES
        + f"""
SELECT ?a ?s ?p ?o ?doc ?file ?text ?start ?end ?confidence ?hedged WHERE {{
  VALUES ?p {{ {values} }}
  ?a a kgo:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  # evidence only from documents that state the triple themselves: the assertion of
  # a stake that has ended is no evidence that it is held
  OPTIONAL {{ GRAPH ?g {{ ?a a kgo:Assertion }} }}
  FILTER(!BOUND(?g) || EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }})
  OPTIONAL {{ ?a kgo:inDocument ?doc . OPTIONAL {{ ?doc kgo:fileName ?file }} }}
  OPTIONAL {{ ?a kgo:evidenceText ?text }}
  OPTIONAL {{ ?a kgo:charStart ?start }}
  OPTIONAL {{ ?a kgo:charEnd ?end }}
  OPTIONAL {{ ?a kgo:confidence ?confidence }}
  OPTIONAL {{ ?a kgo:hedged ?hedged }}
}}""",
    ):
        key = (row["s"].value, _local_name(row["p"].value), row["o"].value)
        if key not in triples:
            continue  # no triple anywhere (e.g. a stake that has ended): no edge
        start, end = _number(row["start"]), _number(row["end"])
        evidence[key].setdefault(
            row["a"].value,
            {
                "text": _value(row["text"]),
                "doc": _value(row["file"]),
                "doc_iri": _value(row["doc"]),
                "start": None if start is None else int(start),
                "end": None if end is None else int(end),
                "assertion": row["a"].value,
                "confidence": _number(row["confidence"]),
                "hedged": None if row["hedged"] is None else row["hedged"].value in ("true", "1"),
            },
        )

    nodes = sorted({s for s, _, _ in triples} | {o for _, _, o in triples})
    labels: dict[str, list] = defaultdict(list)
    types: dict[str, set[str]] = defaultdict(set)
    if nodes:
        for row in _query(
            store,
            _PREFIXES
            + f"""
SELECT DISTINCT ?e ?label ?type WHERE {{
  VALUES ?p {{ {values} }}
  {{ ?e ?p ?x }} UNION {{ ?x ?p ?e }}
  FILTER(isIRI(?e))
  OPTIONAL {{ ?e rdfs:label ?label }}
  OPTIONAL {{ ?e a ?type . FILTER(STRSTARTS(STR(?type), "{ONTOLOGY}")) }}
}}""",
        ):
            entity = row["e"].value
            if row["label"] is not None:
                lang = getattr(row["label"], "language", None) or ""
                labels[entity].append((0 if not lang else (1 if lang == "en" else 2), lang, row["label"].value))
            if row["type"] is not None:
                types[entity].add(_local_name(row["type"].value))

    G = nx.MultiDiGraph()
    for node in nodes:
        kinds = types.get(node, set())
        kind = next((t for t in _TYPE_PRIORITY if t in kinds), min(kinds) if kinds else None)
        label = min(labels[node])[2] if labels.get(node) else _local_name(node)
        G.add_node(node, label=label, type=kind)
    for s, rel, o in sorted(triples):
        items = sorted(
            evidence.get((s, rel, o), {}).values(),
            key=lambda e: (e["doc"] or "", e["start"] if e["start"] is not None else -1, e["assertion"]),
        )
        G.add_edge(s, o, key=rel, relation=rel, evidence=items)
    return G


# --------------------------------------------------------------------------------------
# Helpers shared by the analytics
# --------------------------------------------------------------------------------------


def _node(G: nx.Graph, name: Hashable) -> Hashable:
    """``name`` itself if it is a node, else the entity IRI of a slug."""
    if name in G:
        return name
    if isinstance(name, str) and ENTITY + name in G:
        return ENTITY + name
    raise AnalyticsError(
        f"{name!r} is not in the graph; pass an entity IRI (e.g. {ENTITY}nissan) "
        "or its slug, and check the spelling with `kg ask`"
    )


def _label(G: nx.Graph, node: Hashable) -> str:
    return str(G.nodes[node].get("label") or node) if node in G else str(node)


def _check_threshold(threshold: float) -> float:
    if not 0 < threshold <= 1:
        raise AnalyticsError(f"threshold {threshold!r} must be a fraction in (0, 1], e.g. 0.20 for 20 %")
    return float(threshold)


def _votes(data: dict, voting: str, weight: str) -> float:
    """Voting fraction of an edge: ``voting`` if set, else the economic ``weight``."""
    value = data.get(voting)
    if value is None:
        value = data.get(weight)
    return float(value) if value is not None else 0.0


# --------------------------------------------------------------------------------------
# Ownership
# --------------------------------------------------------------------------------------


def direct_ownership(G: nx.DiGraph, holder: Hashable, weight: str = "weight") -> dict[Hashable, float | None]:
    """What ``holder`` holds directly: ``{held: fraction}``, ``None`` where unknown.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("A", "B", weight=0.6)
    >>> G.add_edge("A", "C", weight=None)
    >>> direct_ownership(G, "A")
    {'B': 0.6, 'C': None}
    """
    holder = _node(G, holder)
    out: dict[Hashable, float | None] = {}
    for _, held, value in G.out_edges(holder, data=weight):
        if value is None:
            out.setdefault(held, None)
        else:
            out[held] = (out.get(held) or 0.0) + float(value)  # parallel edges add up
    return out


class _Matrix(NamedTuple):
    nodes: list
    index: dict
    W: Any  # scipy.sparse.csr_matrix, W[i, j] = fraction of j held directly by i
    held: Any  # numpy array: total fraction of each node held by anyone
    weight: str  # the edge attribute it was read from


def _ownership_matrix(G: nx.DiGraph, weight: str = "weight", nodelist: Sequence | None = None) -> _Matrix:
    import numpy as np
    import scipy.sparse as sp

    nodes = list(G) if nodelist is None else [_node(G, n) for n in nodelist]
    index = {node: i for i, node in enumerate(nodes)}
    if len(index) != len(nodes):
        raise AnalyticsError("nodelist contains the same node twice; list each node once")
    rows: list[int] = []
    cols: list[int] = []
    vals: list[Any] = []
    # G.adjacency() hands out the raw neighbour dicts, skipping the edge-view machinery
    # of G.edges(data=...): this loop is most of the time of a 100,000-company query.
    multi = G.is_multigraph()
    for u, neighbours in G.adjacency():
        i = index.get(u)
        if i is None:
            continue
        for v, data in neighbours.items():
            j = index.get(v)
            if j is None:
                continue
            for d in data.values() if multi else (data,):
                value = d.get(weight)
                if value is not None:
                    rows.append(i)
                    cols.append(j)
                    vals.append(value)
    try:
        data = np.asarray(vals, dtype=float)
    except (TypeError, ValueError):
        data = np.array([_as_float(v) for v in vals])
    bad = ~np.isfinite(data) | (data < 0) | (data > 1)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        u, v = nodes[rows[k]], nodes[cols[k]]
        raise AnalyticsError(
            f"the stake of {_label(G, u)} in {_label(G, v)} is {vals[k]!r}; ownership weights are "
            "fractions between 0 and 1 (divide percentages by 100)"
        )
    n = len(nodes)
    W = sp.csr_matrix((data, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))), shape=(n, n))
    W.sum_duplicates()  # parallel edges of a MultiDiGraph add up
    W.eliminate_zeros()  # a 0 % stake is no link (keeps cycle detection honest)
    held = np.asarray(W.sum(axis=0)).ravel()
    return _Matrix(nodes, index, W, held, weight)


def _as_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _check_system(G: nx.DiGraph, W: Any, nodes: Sequence, held: Any, weight: str) -> None:
    """Refuse systems whose integrated ownership is undefined.

    With every company held at most 100 % in total, the spectral radius of W is at
    most 1, and it is exactly 1 (I - W singular) iff some ownership cycle holds all of
    its own members with nobody outside holding any of them: a strongly connected
    component whose internal column sums are all 1. More than 100 % in total is bad
    data, and in a cycle it can make the series diverge, so it is refused too.
    """
    import numpy as np
    from scipy.sparse.csgraph import connected_components

    over = np.flatnonzero(held > 1 + 1e-9)
    if over.size:
        j = int(over[0])
        stakes = [(float(w), str(u), u) for u, _, w in G.in_edges(nodes[j], data=weight) if w is not None]
        listing = ", ".join(f"{_label(G, u)} {100 * w:.4g} %" for w, _, u in sorted(stakes, key=lambda t: (-t[0], t[1]))[:5])
        raise AnalyticsError(
            f"{_label(G, nodes[j])} is held {100 * held[j]:.4g} % in total ({listing}); "
            "more than 100 % cannot be right: an older stake probably needs a kgo:endDate"
        )
    n = W.shape[0]
    if n == 0:
        return
    ncomp, comp = connected_components(W, directed=True, connection="strong")
    coo = W.tocoo()
    inside = comp[coo.row] == comp[coo.col]
    internal = np.bincount(coo.col[inside], weights=coo.data[inside], minlength=n)
    cyclic = np.bincount(comp, minlength=ncomp) > 1
    cyclic[comp[coo.row[coo.row == coo.col]]] = True  # a self-holding is a cycle too
    lowest = np.full(ncomp, np.inf)
    np.minimum.at(lowest, comp, internal)
    closed = np.flatnonzero(cyclic & (lowest >= 1 - 1e-12))
    if closed.size:
        members = sorted((_label(G, nodes[i]) for i in np.flatnonzero(comp == closed[0])), key=str)
        shown = ", ".join(members[:6]) + (", ..." if len(members) > 6 else "")
        raise AnalyticsError(
            f"integrated ownership is undefined: the ownership cycle {shown} holds 100 % of "
            "itself with no outside holder (I - W is singular); correct or end one of the "
            "stakes in that cycle"
        )


def _dense_integrated(G: nx.DiGraph, m: _Matrix) -> np.ndarray:
    import numpy as np

    _check_system(G, m.W, m.nodes, m.held, m.weight)
    W = m.W.toarray()
    n = W.shape[0]
    if n == 0:
        return W
    try:
        M = np.linalg.solve(np.eye(n) - W, W)
    except np.linalg.LinAlgError as exc:  # pragma: no cover - excluded by _check_system
        raise AnalyticsError(f"integrated ownership is undefined: I - W is singular ({exc})") from None
    M[np.abs(M) < _EPS] = 0.0
    return M


def integrated_ownership_matrix(
    G: nx.DiGraph, nodelist: Sequence | None = None, weight: str = "weight"
) -> np.ndarray:
    """Integrated ownership as a dense matrix ``M = (I - W)^-1 W``.

    ``W[i, j]`` is the fraction of ``j`` that ``i`` holds directly; ``M[i, j]`` adds
    every indirect path, also around cycles (Brioschi, Buzzacchi & Colombo 1989;
    Vitali, Glattfelder & Battiston 2011). Rows and columns follow ``nodelist``
    (default ``list(G)``); a node's stake in itself through a cycle is on the diagonal.
    Dense: for big graphs use :func:`integrated_ownership_of` one holder at a time.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("A", "B", {"weight": 0.5}), ("B", "A", {"weight": 0.5})])
    >>> integrated_ownership_matrix(G).round(4).tolist()
    [[0.3333, 0.6667], [0.6667, 0.3333]]

    Raises :class:`~kg.errors.AnalyticsError` when ``I - W`` is singular.
    """
    return _dense_integrated(G, _ownership_matrix(G, weight, nodelist))


def integrated_ownership(
    G: nx.DiGraph, weight: str = "weight", holders: Iterable[Hashable] | None = None
) -> dict[Hashable, dict[Hashable, float]]:
    """Integrated ownership of every holder: ``{holder: {held: fraction}}``.

    Only non-zero entries are kept. Graphs up to a few thousand nodes are solved as
    one dense system; bigger ones one holder at a time (pass ``holders`` to limit the
    work) -- see :func:`integrated_ownership_of`.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("A", "B", 0.6), ("A", "C", 0.7), ("B", "D", 0.3), ("C", "D", 0.25)])
    >>> {k: round(v, 4) for k, v in integrated_ownership(G)["A"].items()}
    {'B': 0.6, 'C': 0.7, 'D': 0.355}
    """
    import numpy as np

    m = _ownership_matrix(G, weight)
    wanted = list(G) if holders is None else [_node(G, h) for h in holders]
    if len(m.nodes) <= _DENSE_LIMIT:
        M = _dense_integrated(G, m)
        out: dict[Hashable, dict[Hashable, float]] = {}
        for holder in wanted:
            row = M[m.index[holder]]
            cols = np.flatnonzero(row)
            if cols.size:
                out[holder] = {m.nodes[j]: float(row[j]) for j in cols}
        return out
    result = {}
    for holder in wanted:
        row = _integrated_row(G, m, holder)
        if row:
            result[holder] = row
    return result


def integrated_ownership_of(G: nx.DiGraph, holder: Hashable, weight: str = "weight") -> dict[Hashable, float]:
    """Row ``holder`` of the integrated ownership ``(I - W)^-1 W``: ``{held: fraction}``.

    Sorted by fraction, largest first; zero entries are left out; ``holder`` itself
    appears when it owns part of itself through a cycle. Only the companies reachable
    from ``holder`` enter the linear system, which is solved with LAPACK when small and
    iteratively on a sparse matrix otherwise, so a 100,000-company graph answers in a
    fraction of a second.

    Two companies holding 10 % of each other, each held 90 % by an outsider:

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("A", "B", 0.1), ("B", "A", 0.1), ("X", "A", 0.9), ("Y", "B", 0.9)])
    >>> {k: round(v, 6) for k, v in integrated_ownership_of(G, "X").items()}
    {'A': 0.909091, 'B': 0.090909}

    A cycle that owns all of itself has no answer:

    >>> H = nx.DiGraph()
    >>> H.add_weighted_edges_from([("A", "B", 1.0), ("B", "A", 1.0)])
    >>> integrated_ownership_of(H, "A")
    Traceback (most recent call last):
    ...
    kg.errors.AnalyticsError: KG600: integrated ownership is undefined: the ownership cycle A, B holds 100 % of itself with no outside holder (I - W is singular); correct or end one of the stakes in that cycle
    """
    holder = _node(G, holder)
    return _integrated_row(G, _ownership_matrix(G, weight), holder)


def _integrated_row(G: nx.DiGraph, m: _Matrix, holder: Hashable) -> dict[Hashable, float]:
    import numpy as np
    from scipy.sparse.csgraph import breadth_first_order

    h = m.index[holder]
    # y^T = e_h^T (I - W)^-1 is non-zero only downstream of the holder, so the system
    # shrinks to the companies reachable from it.
    reach = np.sort(breadth_first_order(m.W, h, directed=True, return_predecessors=False))
    sub = m.W if reach.size == m.W.shape[0] else m.W[reach][:, reach].tocsr()
    at = int(np.searchsorted(reach, h))
    _check_system(G, sub, _Subset(m.nodes, reach), m.held[reach], m.weight)
    y = _solve_row(sub, at)
    # (I - W)^-1 W = (I - W)^-1 - I, so the row is y minus the identity's 1 at the holder.
    y[at] -= 1.0
    keep = np.flatnonzero(y > _EPS)
    keep = keep[np.argsort(-y[keep], kind="stable")]  # largest first, ties in node order
    nodes = m.nodes
    return dict(zip([nodes[i] for i in reach[keep].tolist()], y[keep].tolist()))


class _Subset(Sequence):
    """``nodes[reach[k]]`` without building the list (only read for error messages)."""

    def __init__(self, nodes: list, reach: Any):
        self._nodes, self._reach = nodes, reach

    def __len__(self) -> int:
        return len(self._reach)

    def __getitem__(self, k: Any) -> Any:
        return self._nodes[int(self._reach[k])]


def _solve_row(W: Any, at: int) -> np.ndarray:
    """Solve ``(I - W)^T y = e_at`` for a checked system (spectral radius of W < 1)."""
    import numpy as np
    import scipy.sparse as sp
    from scipy.sparse.linalg import lgmres

    n = W.shape[0]
    e = np.zeros(n)
    e[at] = 1.0
    if n <= _DENSE_LIMIT:
        return np.linalg.solve(np.eye(n) - W.toarray().T, e)
    # A sparse direct solve (spsolve/SuperLU) is exact but the LU of a large ownership
    # cycle fills in catastrophically: on a random 100,000-company graph it ran for
    # minutes. The Neumann series y = e + W^T y converges instead (spectral radius < 1
    # was checked), needs one sparse product per step and ends exactly on acyclic parts.
    WT = W.T.tocsr()
    y = e.copy()
    previous = None
    calm = 0
    converged = False
    for _ in range(500):
        step = e + WT @ y
        change = float(np.abs(step - y).max())
        y = step
        if change == 0.0:
            converged = True
            break
        # geometric tail bound of the remaining error, trusted once it held twice running
        rate = change / previous if previous else 1.0
        small = rate < 1 and change * rate / (1 - rate) <= 1e-13 * max(1.0, float(y.max()))
        calm = calm + 1 if small else 0
        if calm >= 2:
            converged = True
            break
        previous = change
    if not converged:  # slow geometric rate (cycles held almost 100 % inside): Krylov
        A = (sp.identity(n, format="csr") - WT).tocsr()
        y, _info = lgmres(A, e, x0=y, rtol=1e-13, atol=0.0, maxiter=2000)
    A = sp.identity(n, format="csr") - WT
    residual = float(np.abs(A @ y - e).max())
    if not np.all(np.isfinite(y)) or residual > 1e-9:
        raise AnalyticsError(
            f"integrated ownership did not converge (residual {residual:.2g}); the ownership "
            "cycles are held almost 100 % inside -- check their stakes"
        )
    return y


# --------------------------------------------------------------------------------------
# Control
# --------------------------------------------------------------------------------------


def controlled_by(
    G: nx.DiGraph, holder: Hashable, voting: str = "voting", weight: str = "weight"
) -> set[Hashable]:
    """The companies ``holder`` controls by majority, directly or through others.

    Fixpoint: ``holder`` controls ``B`` when the votes it holds in ``B`` directly plus
    the votes held in ``B`` by the companies it already controls sum to strictly more
    than 50 %. Votes are the edge's ``voting`` fraction, else its ``weight``; a
    company's votes in itself (treasury shares) never count.

    51 % of 51 % is control (though only 26.01 % ownership):

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("A", "B", 0.51), ("B", "C", 0.51), ("C", "D", 0.5)])
    >>> sorted(controlled_by(G, "A"))
    ['B', 'C']
    """
    holder = _node(G, holder)
    votes: dict[Hashable, float] = defaultdict(float)
    controlled: set[Hashable] = set()
    queue = deque([holder])
    while queue:
        company = queue.popleft()
        for _, target, data in G.out_edges(company, data=True):
            if target == holder or target == company or target in controlled:
                continue
            votes[target] += _votes(data, voting, weight)
            if votes[target] > _MAJORITY + 1e-9:
                controlled.add(target)
                queue.append(target)
    return controlled


def controls(G: nx.DiGraph, a: Hashable, b: Hashable, voting: str = "voting", weight: str = "weight") -> bool:
    """Whether ``a`` controls ``b`` by majority (see :func:`controlled_by`).

    Diamond: A holds 60 % of B and 70 % of C, which hold 30 % and 25 % of D; A
    commands 55 % of D's votes through the two companies it controls.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("A", "B", 0.6), ("A", "C", 0.7), ("B", "D", 0.3), ("C", "D", 0.25)])
    >>> controls(G, "A", "D"), controls(G, "B", "D")
    (True, False)
    """
    return _node(G, b) in controlled_by(G, a, voting, weight)


def controllers(
    G: nx.DiGraph, company: Hashable | None = None, voting: str = "voting", weight: str = "weight"
) -> dict[Hashable, set[Hashable]] | set[Hashable]:
    """Who controls what, by the majority fixpoint of :func:`controlled_by`.

    Without ``company``: ``{company: {controllers}}`` for every controlled company,
    the direct parent and everyone controlling it up the chain. With ``company``: the
    set of its controllers (empty when nobody controls it).

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("A", "B", 0.51), ("B", "C", 0.51), ("X", "C", 0.3)])
    >>> {k: sorted(v) for k, v in sorted(controllers(G).items())}
    {'B': ['A'], 'C': ['A', 'B']}
    >>> controllers(G, "X")
    set()
    """
    import networkx as nx

    if company is not None:
        company = _node(G, company)
        return {o for o in nx.ancestors(G, company) if company in controlled_by(G, o, voting, weight)}
    result: dict[Hashable, set[Hashable]] = defaultdict(set)
    for holder in G:
        if G.out_degree(holder):
            for target in controlled_by(G, holder, voting, weight):
                result[target].add(holder)
    return dict(result)


def control_rights(
    G: nx.DiGraph, holder: Hashable, threshold: float = 0.20, voting: str = "voting", weight: str = "weight"
) -> dict[Hashable, float]:
    """Voting rights of ``holder`` in every company, by the weakest-link rule.

    La Porta, Lopez-de-Silanes & Shleifer (1999): along a chain of holdings the
    control right is the weakest link, and a shareholder's direct and indirect rights
    add up. Here: the right of ``holder`` in ``X`` is its direct votes in ``X`` plus,
    for every holder ``H`` of ``X`` that ``holder`` itself commands at ``threshold``
    or more, ``min(right in H, votes of H in X)``. Chains through a company held
    below the threshold carry nothing.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("C", "B", 0.51), ("B", "A", 0.23), ("C", "A", 0.05)])
    >>> {k: round(v, 4) for k, v in sorted(control_rights(G, "C").items())}
    {'A': 0.28, 'B': 0.51}
    """
    holder = _node(G, holder)
    threshold = _check_threshold(threshold)

    def incoming(company: Hashable) -> dict[Hashable, float]:
        votes: dict[Hashable, float] = defaultdict(float)
        for source, _, data in G.in_edges(company, data=True):
            if source != company:
                votes[source] += _votes(data, voting, weight)
        return votes

    rights: dict[Hashable, float] = {}
    for _, target, data in G.out_edges(holder, data=True):
        if target != holder:
            rights[target] = rights.get(target, 0.0) + _votes(data, voting, weight)
    rights = {t: min(v, 1.0) for t, v in rights.items()}
    queue = deque(sorted((t for t, v in rights.items() if v >= threshold - _EPS), key=str))
    # Monotone fixpoint: a right only grows, is capped at 100 %, and is re-propagated
    # only when it grows, so cycles terminate.
    while queue:
        company = queue.popleft()
        for _, target, _data in G.out_edges(company, data=True):
            if target in (holder, company):
                continue
            total = 0.0
            for source, votes in incoming(target).items():
                if source == holder:
                    total += votes
                elif rights.get(source, 0.0) >= threshold - _EPS:
                    total += min(rights[source], votes)
            total = min(total, 1.0)
            if total > rights.get(target, 0.0) + _EPS:
                rights[target] = total
                if total >= threshold - _EPS:
                    queue.append(target)
    return rights


def ultimate_owner(
    G: nx.DiGraph, company: Hashable, threshold: float = 0.20, voting: str = "voting", weight: str = "weight"
) -> Hashable | None:
    """The ultimate owner of ``company`` at ``threshold`` (0.20 or 0.10), or ``None``.

    La Porta, Lopez-de-Silanes & Shleifer (1999): a shareholder controls the company
    when its voting rights -- direct plus indirect, each chain counting its weakest
    link (:func:`control_rights`) -- reach ``threshold``. The ultimate owner is the
    controlling shareholder at the top, itself controlled by no one at that threshold;
    if several qualify, the one with the largest rights (see :func:`ultimate_owners`
    for all of them, e.g. the two parents of a 50/50 joint venture). ``None`` means
    widely held.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("C", "B", 0.15), ("B", "A", 0.23)])
    >>> ultimate_owner(G, "A"), ultimate_owner(G, "A", threshold=0.10)
    ('B', 'C')
    >>> ultimate_owner(G, "B") is None
    True
    """
    owners = ultimate_owners(G, company, threshold, voting, weight)
    return owners[0][0] if owners else None


def ultimate_owners(
    G: nx.DiGraph, company: Hashable, threshold: float = 0.20, voting: str = "voting", weight: str = "weight"
) -> list[tuple[Hashable, float]]:
    """Every top controlling shareholder of ``company``: ``[(owner, rights)]``.

    The shareholders whose weakest-link rights in ``company`` reach ``threshold`` and
    who are controlled by no one at that threshold, largest rights first (ties by node
    id). Members of a cross-holding loop with nobody above it are all listed. ``[]``
    means widely held.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("Geely", "JV", 0.45), ("Renault", "JV", 0.45), ("Aramco", "JV", 0.10)])
    >>> ultimate_owners(G, "JV")
    [('Geely', 0.45), ('Renault', 0.45)]
    """
    import networkx as nx

    company = _node(G, company)
    threshold = _check_threshold(threshold)
    upstream = nx.ancestors(G, company)
    H = G.subgraph(upstream | {company})
    rights = {o: control_rights(H, o, threshold, voting, weight) for o in upstream}
    candidates = sorted((o for o in upstream if rights[o].get(company, 0.0) >= threshold - _EPS), key=str)
    # Who among the candidates commands whom: the owners are at the top of that order.
    D = nx.DiGraph()
    D.add_nodes_from(candidates)
    D.add_edges_from(
        (a, b) for a in candidates for b in candidates if a != b and rights[a].get(b, 0.0) >= threshold - _EPS
    )
    C = nx.condensation(D)
    tops = [o for c in C if C.in_degree(c) == 0 for o in C.nodes[c]["members"]]
    tops.sort(key=lambda o: (-rights[o][company], str(o)))
    return [(o, rights[o][company]) for o in tops]


# --------------------------------------------------------------------------------------
# Paths and lineage over the relation graph
# --------------------------------------------------------------------------------------


def _edge_record(s: Hashable, o: Hashable, key: Hashable, data: dict, forward: bool) -> dict:
    return {
        "subject": s,
        "relation": data.get("relation", key),
        "object": o,
        "forward": forward,
        "evidence": list(data.get("evidence", [])),
    }


def _undirected(G: nx.MultiDiGraph, relations: Iterable[str] | None) -> nx.Graph:
    import networkx as nx

    wanted = None if relations is None else set(_relation_values(relations))
    U = nx.Graph()
    U.add_nodes_from(sorted(G, key=str))
    for s, o, key, data in sorted(G.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        if s != o and (wanted is None or data.get("relation", key) in wanted):
            U.add_edge(s, o)
    return U


def _hop(G: nx.MultiDiGraph, u: Hashable, v: Hashable, relations: set[str] | None) -> dict:
    edges = []
    for s, o, forward in ((u, v, True), (v, u, False)):
        if G.has_edge(s, o):
            for key, data in sorted(G[s][o].items(), key=lambda kv: str(kv[0])):
                if relations is None or data.get("relation", key) in relations:
                    edges.append(_edge_record(s, o, key, data, forward))
    return {"source": u, "target": v, "edges": edges}


def shortest_paths(
    G: nx.MultiDiGraph,
    a: Hashable,
    b: Hashable,
    via: Hashable | Sequence[Hashable] | None = None,
    limit: int = 5,
    *,
    relations: Iterable[str] | None = None,
) -> list[list[dict]]:
    """Up to ``limit`` shortest simple paths from ``a`` to ``b``, shortest first.

    Connectivity ignores edge direction (a rebadge and its original are linked either
    way), but every hop reports the edges as stored: a path is a list of hops
    ``{"source", "target", "edges"}``, and each edge is ``{"subject", "relation",
    "object", "forward", "evidence"}`` with ``forward`` False when the edge points
    from ``target`` back to ``source``. ``via`` is a node (or a sequence of nodes) the
    path must pass through, in order; the result then combines each leg's ``limit``
    shortest paths. ``relations`` restricts the edges walked. No path: ``[]``.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("Nissan model", "Twingo", key="rebadgeOf", relation="rebadgeOf", evidence=[])
    >>> _ = G.add_edge("Twingo", "Ampere", key="producedBy", relation="producedBy", evidence=[])
    >>> [[(e["subject"], e["relation"], e["object"], e["forward"]) for e in hop["edges"]]
    ...  for hop in shortest_paths(G, "Ampere", "Nissan model")[0]]
    [[('Twingo', 'producedBy', 'Ampere', False)], [('Nissan model', 'rebadgeOf', 'Twingo', False)]]
    """
    import networkx as nx

    if limit < 1:
        raise AnalyticsError(f"limit {limit!r} must be at least 1")
    if via is None:
        stops: list[Hashable] = []
    elif via in G or isinstance(via, (str, bytes)) or not isinstance(via, Sequence):
        stops = [via]  # one node (a tuple can be a node too)
    else:
        stops = list(via)
    waypoints = [_node(G, x) for x in (a, *stops, b)]
    wanted = None if relations is None else set(_relation_values(relations))
    U = _undirected(G, relations)

    legs = []
    for x, y in pairwise(waypoints):
        try:
            legs.append(list(islice(nx.shortest_simple_paths(U, x, y), limit)))
        except nx.NetworkXNoPath:
            return []
    paths = []
    for combo in product(*legs):
        nodes = list(combo[0])
        for leg in combo[1:]:
            nodes.extend(leg[1:])
        if len(set(nodes)) == len(nodes) or len(nodes) == 1:
            paths.append(nodes)
    paths.sort(key=lambda p: (len(p), [str(n) for n in p]))
    return [[_hop(G, u, v, wanted) for u, v in pairwise(p)] for p in paths[:limit]]


def lineage(
    G: nx.MultiDiGraph, model: Hashable, relations: Iterable[str] = LINEAGE_RELATIONS
) -> dict[str, list[dict]]:
    """What derives from ``model`` and what ``model`` derives from.

    ``"derived"``: models reaching ``model`` by incoming ``rebadgeOf``/``basedOn``
    edges, transitively (a rebadge of a rebadge); ``"sources"``: what ``model`` reaches
    by outgoing ones. Each item is one edge ``{"model", "label", "depth", "subject",
    "relation", "object", "evidence"}`` where ``model`` is the node found at ``depth``
    hops; items are in breadth-first order.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("Nissan A", "Twingo", key="rebadgeOf", relation="rebadgeOf", evidence=[])
    >>> _ = G.add_edge("Twingo", "CMF-A", key="basedOn", relation="basedOn", evidence=[])
    >>> _ = G.add_edge("Kwid", "CMF-A", key="basedOn", relation="basedOn", evidence=[])
    >>> [(i["model"], i["relation"], i["depth"]) for i in lineage(G, "CMF-A")["derived"]]
    [('Kwid', 'basedOn', 1), ('Twingo', 'basedOn', 1), ('Nissan A', 'rebadgeOf', 2)]
    >>> [(i["model"], i["relation"]) for i in lineage(G, "Nissan A")["sources"]]
    [('Twingo', 'rebadgeOf'), ('CMF-A', 'basedOn')]
    """
    model = _node(G, model)
    wanted = set(_relation_values(relations))
    return {
        "derived": _walk(G, model, wanted, incoming=True),
        "sources": _walk(G, model, wanted, incoming=False),
    }


def _walk(G: nx.MultiDiGraph, start: Hashable, relations: set[str], incoming: bool) -> list[dict]:
    depth = {start: 0}
    frontier = [start]
    items: list[dict] = []
    while frontier:
        found: dict[Hashable, list[dict]] = defaultdict(list)
        for node in frontier:
            edges = G.in_edges(node, keys=True, data=True) if incoming else G.out_edges(node, keys=True, data=True)
            for s, o, key, data in edges:
                relation = data.get("relation", key)
                if relation not in relations:
                    continue
                other = s if incoming else o
                if other in depth:  # already placed nearer the start (or a loop)
                    continue
                found[other].append(
                    {
                        "model": other,
                        "label": _label(G, other),
                        "depth": depth[node] + 1,
                        "subject": s,
                        "relation": relation,
                        "object": o,
                        "evidence": list(data.get("evidence", [])),
                    }
                )
        for other in sorted(found, key=str):
            depth[other] = depth[frontier[0]] + 1
            items.extend(sorted(found[other], key=lambda i: (str(i["subject"]), i["relation"], str(i["object"]))))
        frontier = sorted(found, key=str)
    return items
