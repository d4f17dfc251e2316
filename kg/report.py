"""Ownership, control, paths and lineage of named entities, as data and as tables.

The library behind ``kg owners``, ``kg holdings``, ``kg control``, ``kg path`` and
``kg lineage`` (and the ``controls``/``holdings``/``connection`` questions of
``kg ask``): open the store read-only, resolve names the way ``kg ask`` does, run
:mod:`kg.analytics` on the projections of the store and return plain dicts -- the
JSON the commands print with ``--format json`` -- that :func:`format_report` renders
as text. The shapes are documented in the README.

They work on any graph written in the ontology's terms, e.g. one loaded with
``kg import``: stakes come from ``kgo:Shareholding`` nodes, and a bare
``kgo:ownsStake`` triple without such a node counts as a holding of unknown size.

Common pieces of every shape:

- an entity is ``{"iri", "label", "type"}`` (``type``: the ontology class, or null);
- a piece of evidence is ``{"text", "file", "doc_iri", "start", "end", "hedged",
  "confidence"}`` (the sentence and where it was read);
- percentages are numbers from 0 to 100 (null when no source gives a figure);
- ``notes`` says how a misspelt name was read, ``warnings`` what could not be computed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .ask import Graph, _candidates, _compact, evidence_line
from .errors import AnalyticsError
from .model import RELATIONS
from .store import DEFAULT_STORE, open_store

if TYPE_CHECKING:  # pragma: no cover - typing only
    import networkx as nx

__all__ = ["Analysis", "owners", "holdings", "control", "path", "lineage", "format_report", "percent_text"]

DEFAULT_THRESHOLD = 20.0  # percent of the votes that makes an ultimate owner (La Porta et al. 1999)
DEFAULT_LIMIT = 5


def percent(fraction: float | None) -> float | None:
    """A fraction 0..1 as a percentage rounded to 4 decimals.

    >>> percent(0.1 * 0.15), percent(None)
    (1.5, None)
    """
    return None if fraction is None else round(float(fraction) * 100, 4)


def percent_text(value: float | None) -> str:
    """A percentage for people.

    >>> percent_text(15.0), percent_text(2.25), percent_text(None)
    ('15 %', '2.25 %', 'size unknown')
    """
    return "size unknown" if value is None else f"{value:.4g} %"


def _threshold(value: float) -> float:
    if not 0 < value <= 100:
        raise AnalyticsError(f"threshold {value!r} must be a percentage in (0, 100], e.g. 20")
    return float(value)


def _relations(names: Iterable[str] | None) -> list[str] | None:
    if names is None:
        return None
    chosen = list(dict.fromkeys(names))
    if not chosen:
        return None
    unknown = [n for n in chosen if n not in RELATIONS]
    if unknown:
        raise AnalyticsError(f"unknown relation {unknown[0]!r}; use one of: {', '.join(RELATIONS)}")
    return chosen


def _evidence(item: dict) -> dict:
    """kg.analytics evidence (``doc`` is the file name) in the report shape."""
    return {
        "text": item.get("text"),
        "file": item.get("doc"),
        "doc_iri": item.get("doc_iri"),
        "start": item.get("start"),
        "end": item.get("end"),
        "hedged": bool(item.get("hedged")),
        "confidence": item.get("confidence"),
    }


def _unique(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for item in items:
        key = (item.get("text"), item.get("file"), item.get("start"))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


class Analysis:
    """Analytics over one open store; the graph projections are built once, on demand."""

    def __init__(self, graph: Graph):
        self.graph = graph

    # -- projections ------------------------------------------------------------------

    @cached_property
    def ownership(self) -> nx.DiGraph:
        """:func:`kg.analytics.ownership_graph`, plus bare ``ownsStake`` triples (no
        Shareholding node for the pair) as edges of unknown size."""
        from .analytics import ownership_graph

        G = ownership_graph(self.graph.store)
        for row in self.graph.rows("bare_stakes"):
            holder, held = row["holder"].value, row["held"].value
            if holder != held and not G.has_edge(holder, held):
                G.add_edge(holder, held, weight=None, voting=None, as_of=None, via=[], stakes=[], documents=[])
        for node in G:
            if "label" not in G.nodes[node]:  # nodes of bare triples only
                G.nodes[node]["label"] = self.graph.label(node)
        return G

    @cached_property
    def relations(self) -> nx.MultiDiGraph:
        from .analytics import relation_graph

        return relation_graph(self.graph.store)

    # -- pieces -------------------------------------------------------------------------

    def ref(self, iri: str | ox.NamedNode) -> dict:
        iri = iri.value if isinstance(iri, ox.NamedNode) else iri
        return {"iri": iri, "label": self.graph.label(iri), "type": self.graph.kind(iri)}

    def stake_evidence(self, holder: str, held: str) -> list[dict]:
        """Sentences behind the stakes counted for ``holder`` -> ``held`` (else behind the triple)."""
        G = self.ownership
        stakes = G[holder][held].get("stakes", []) if G.has_edge(holder, held) else []
        items = [ev for stake in stakes for ev in self.graph.evidence(None, "ownsStake", None, stake=ox.NamedNode(stake))]
        if not items:
            items = self.graph.evidence(ox.NamedNode(holder), "ownsStake", ox.NamedNode(held))
        return _unique(items)

    def _stake(self, holder: str, held: str, key: str) -> dict:
        data = self.ownership[holder][held]
        return {
            key: self.ref(held if key == "held" else holder),
            "percent": percent(data.get("weight")),
            "voting_percent": percent(data.get("voting")),
            "as_of": data.get("as_of"),
            "via": [self.ref(v) for v in data.get("via") or []],
            "evidence": self.stake_evidence(holder, held),
        }

    def _by_size(self, items: list[dict], key: str) -> list[dict]:
        return sorted(items, key=lambda i: (i["percent"] is None, -(i["percent"] or 0.0), i[key]["label"], i[key]["iri"]))

    def _group_votes(self, members: set[str], target: str) -> float:
        """Votes in ``target`` of ``members`` together (a controller and what it controls)."""
        total = 0.0
        for holder, _, data in self.ownership.in_edges(target, data=True):
            votes = data.get("voting") if data.get("voting") is not None else data.get("weight")
            if holder in members and votes is not None:
                total += float(votes)
        return total

    def _control_paths(self, controller: str, target: str) -> tuple[float, list[list[dict]]]:
        """The votes a controller commands in ``target`` and the holding paths that carry them."""
        import networkx as nx

        from .analytics import controlled_by

        G = self.ownership
        group = controlled_by(G, controller) | {controller}
        group.discard(target)
        inside = G.subgraph(group)
        routes = [nx.shortest_path(inside, controller, h) + [target] for h in G.predecessors(target) if h in group]
        routes.sort(key=lambda r: (len(r), [self.graph.label(n) for n in r], r))  # the direct holding first
        return self._group_votes(group, target), [[self.ref(n) for n in route] for route in routes]

    def _chains(self, items: list[dict], start: str, incoming: bool) -> list[dict]:
        """Lineage-walk items (:func:`kg.analytics.lineage`) with the chain of edges from ``start``."""
        by_node = {}
        for item in items:
            by_node.setdefault(item["model"], item)
        out = []
        for item in items:
            if by_node[item["model"]] is not item:
                continue
            chain, current = [], item
            while True:
                chain.insert(0, self._edge(current))
                nearer = current["object"] if incoming else current["subject"]
                if nearer == start or nearer not in by_node:
                    break
                current = by_node[nearer]
            out.append({"entity": self.ref(item["model"]), "depth": item["depth"], "chain": chain})
        return out

    def _edge(self, item: dict) -> dict:
        return {
            "subject": self.ref(item["subject"]),
            "relation": item["relation"],
            "object": self.ref(item["object"]),
            "evidence": _unique([_evidence(e) for e in item.get("evidence", [])]),
        }

    def _base(self, node: ox.NamedNode) -> dict:
        return {"entity": self.ref(node), "notes": list(self.graph.notes), "warnings": []}

    # -- reports ------------------------------------------------------------------------

    def owners(self, node: ox.NamedNode, threshold: float = DEFAULT_THRESHOLD) -> dict:
        """Who holds ``node``: direct stakes, integrated shares, controllers, ultimate owners."""
        import networkx as nx

        from .analytics import integrated_ownership

        threshold = _threshold(threshold)
        report = self._base(node) | {"threshold_percent": threshold, "direct": [], "integrated": [],
                                     "controllers": [], "ultimate_owners": []}
        G, x = self.ownership, node.value
        if x not in G:
            return report
        report["direct"] = self._by_size([self._stake(h, x, "holder") for h in G.predecessors(x)], "holder")
        upstream = nx.ancestors(G, x)
        try:
            shares = integrated_ownership(G.subgraph(upstream | {x}), holders=sorted(upstream))
        except AnalyticsError as err:
            report["warnings"].append(f"integrated ownership: {err.message}")
            shares = {}
        report["integrated"] = self._by_size(
            [
                {
                    "holder": self.ref(h),
                    "percent": percent(row[x]),
                    "direct_percent": percent(G[h][x].get("weight")) if G.has_edge(h, x) else None,
                }
                for h, row in shares.items()
                if row.get(x)
            ],
            "holder",
        )
        report |= self._controllers(x, threshold)
        return report

    def _controllers(self, x: str, threshold: float) -> dict:
        import networkx as nx

        from .analytics import controllers, ultimate_owners

        G = self.ownership
        found = []
        for c in sorted(controllers(G, x), key=lambda n: (self.graph.label(n), n)):
            votes, paths = self._control_paths(c, x)
            found.append({"controller": self.ref(c), "votes_percent": percent(votes), "paths": paths})
        owners = [
            {"owner": self.ref(o), "rights_percent": percent(rights), "path": [self.ref(n) for n in nx.shortest_path(G, o, x)]}
            for o, rights in ultimate_owners(G, x, threshold / 100)
        ]
        return {"controllers": found, "ultimate_owners": owners}

    def holdings(self, node: ox.NamedNode) -> dict:
        """What ``node`` holds: direct stakes, integrated shares (direct and through others),
        and the companies it controls by majority."""
        import networkx as nx

        from .analytics import integrated_ownership_of

        report = self._base(node) | {"direct": [], "integrated": [], "controls": []}
        G, x = self.ownership, node.value
        if x not in G:
            return report
        report["direct"] = self._by_size([self._stake(x, h, "held") for h in G.successors(x)], "held")
        try:
            shares = integrated_ownership_of(G, x)
        except AnalyticsError as err:
            report["warnings"].append(f"integrated ownership: {err.message}")
            shares = {}
        routes = nx.single_source_shortest_path(G, x)
        items = []
        for held, route in routes.items():
            if held == x:
                continue
            items.append(
                {
                    "held": self.ref(held),
                    "percent": percent(shares.get(held)) if shares.get(held) else None,
                    "direct_percent": percent(G[x][held].get("weight")) if G.has_edge(x, held) else None,
                    "through": [self.ref(n) for n in route[1:-1]],
                }
            )
        report["integrated"] = self._by_size(items, "held")
        report["controls"] = self._controlled(x)
        return report

    def _controlled(self, x: str) -> list[dict]:
        from .analytics import controlled_by

        found = []
        for target in sorted(controlled_by(self.ownership, x), key=lambda n: (self.graph.label(n), n)):
            votes, paths = self._control_paths(x, target)
            found.append({"entity": self.ref(target), "votes_percent": percent(votes), "paths": paths})
        return found

    def control(self, node: ox.NamedNode, threshold: float = DEFAULT_THRESHOLD) -> dict:
        """Who controls ``node`` and what it controls: majority control through stakes,
        ultimate owners at ``threshold`` %, and ``subsidiaryOf`` parents and subsidiaries."""
        from .analytics import lineage

        threshold = _threshold(threshold)
        report = self._base(node) | {"threshold_percent": threshold, "controllers": [], "ultimate_owners": [],
                                     "parents": [], "controls": [], "subsidiaries": []}
        x = node.value
        if x in self.ownership:
            report |= self._controllers(x, threshold)
            report["controls"] = self._controlled(x)
        if x in self.relations:
            walk = lineage(self.relations, x, relations=("subsidiaryOf",))
            report["parents"] = [
                {"parent": c["entity"], "depth": c["depth"], "chain": c["chain"]} for c in self._chains(walk["sources"], x, incoming=False)
            ]
            report["subsidiaries"] = [
                {"subsidiary": c["entity"], "depth": c["depth"], "chain": c["chain"]}
                for c in self._chains(walk["derived"], x, incoming=True)
            ]
        return report

    def paths(self, a: ox.NamedNode, b: ox.NamedNode, relations: Iterable[str] | None = None,
              through: Sequence[ox.NamedNode] = (), limit: int = DEFAULT_LIMIT) -> dict:
        """The ``limit`` shortest connections from ``a`` to ``b`` over ``relations`` (default:
        all), passing through ``through`` in order; each edge with its evidence."""
        from .analytics import shortest_paths

        chosen = _relations(relations)
        if limit < 1:
            raise AnalyticsError(f"limit {limit!r} must be at least 1")
        report = {"from": self.ref(a), "to": self.ref(b), "relations": chosen, "through": [self.ref(t) for t in through],
                  "paths": [], "notes": list(self.graph.notes), "warnings": []}
        R = self.relations
        stops = [a.value, *(t.value for t in through), b.value]
        if len(set(stops)) < len(stops):
            report["warnings"].append("the same entity is named twice; name different entities")
            return report
        if any(s not in R for s in stops):
            return report  # an entity with no relation at all connects to nothing
        found = shortest_paths(R, a.value, b.value, via=[t.value for t in through] or None, limit=limit, relations=chosen)
        for hops in found:
            report["paths"].append(
                {
                    "length": len(hops),
                    "hops": [
                        {
                            "source": self.ref(hop["source"]),
                            "target": self.ref(hop["target"]),
                            "edges": [
                                {
                                    "subject": self.ref(e["subject"]),
                                    "relation": e["relation"],
                                    "object": self.ref(e["object"]),
                                    "forward": e["forward"],
                                    "evidence": _unique([_evidence(ev) for ev in e["evidence"]]),
                                }
                                for e in hop["edges"]
                            ],
                        }
                        for hop in hops
                    ],
                }
            )
        return report

    def lineage(self, node: ox.NamedNode) -> dict:
        """Models derived from ``node`` and what it derives from (rebadgeOf/basedOn, transitively)."""
        from .analytics import lineage

        report = self._base(node) | {"derived": [], "sources": []}
        if node.value not in self.relations:
            return report
        walk = lineage(self.relations, node.value)
        for key in ("derived", "sources"):
            report[key] = [{"model": self.ref(i["model"]), "depth": i["depth"]} | self._edge(i) for i in walk[key]]
        return report


# -- one call per command -------------------------------------------------------------


def _analysis(store_dir) -> Analysis:
    return Analysis(Graph(open_store(store_dir)))


def _resolve(analysis: Analysis, name: str) -> ox.NamedNode:
    return analysis.graph.resolve(*_candidates(name))


def owners(name: str, store_dir=DEFAULT_STORE, threshold: float = DEFAULT_THRESHOLD) -> dict:
    """``kg owners NAME``: who holds the entity, directly and integrated, and who controls it."""
    analysis = _analysis(store_dir)
    return analysis.owners(_resolve(analysis, name), threshold)


def holdings(name: str, store_dir=DEFAULT_STORE) -> dict:
    """``kg holdings NAME``: what the entity holds, directly and through others."""
    analysis = _analysis(store_dir)
    return analysis.holdings(_resolve(analysis, name))


def control(name: str, store_dir=DEFAULT_STORE, threshold: float = DEFAULT_THRESHOLD) -> dict:
    """``kg control NAME``: who controls the entity and what it controls."""
    analysis = _analysis(store_dir)
    return analysis.control(_resolve(analysis, name), threshold)


def path(a: str, b: str, store_dir=DEFAULT_STORE, relations: Iterable[str] | None = None,
         through: Sequence[str] = (), limit: int = DEFAULT_LIMIT) -> dict:
    """``kg path A B``: the shortest connections between two entities, with evidence."""
    _relations(relations)  # a bad relation name is reported before any name
    analysis = _analysis(store_dir)
    nodes = [_resolve(analysis, n) for n in (a, b, *through)]
    return analysis.paths(nodes[0], nodes[1], relations, nodes[2:], limit)


def lineage(name: str, store_dir=DEFAULT_STORE) -> dict:
    """``kg lineage NAME``: models derived from the entity and what it derives from."""
    analysis = _analysis(store_dir)
    return analysis.lineage(_resolve(analysis, name))


# -- text -----------------------------------------------------------------------------


def _who(ref: dict) -> str:
    kind = f"{ref['type']}, " if ref.get("type") else ""
    return f"{ref['label']} ({kind}{_compact(ref['iri'])})"


def _evidence_lines(items: list[dict], indent: str = "      ") -> list[str]:
    return [evidence_line(ev["text"], ev.get("file"), ev.get("start"), ev.get("end"), bool(ev.get("hedged")), indent)
            for ev in items]


def _table(headers: list[str], rows: list[tuple[list[str], list[str]]], indent: str = "  ") -> list[str]:
    """Aligned columns; each row may carry lines printed under it (its evidence)."""
    if not rows:
        return [f"{indent}(none)"]
    widths = [max(len(h), *(len(cells[i]) for cells, _ in rows)) for i, h in enumerate(headers)]
    lines = [indent + "  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines.append(indent + "  ".join("-" * w for w in widths))
    for cells, extra in rows:
        lines.append(indent + "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
        lines.extend(extra)
    return lines


def _pct(value: float | None) -> str:
    return "?" if value is None else f"{value:.4g} %"


def _stake_rows(items: list[dict], key: str) -> list[tuple[list[str], list[str]]]:
    return [
        (
            [i[key]["label"], _pct(i["percent"]), _pct(i["voting_percent"]), i["as_of"] or "",
             ", ".join(v["label"] for v in i["via"])],
            _evidence_lines(i["evidence"]),
        )
        for i in items
    ]


def _path_text(refs: list[dict]) -> str:
    return " → ".join(r["label"] for r in refs)


def _chain_lines(chain: list[dict], indent: str = "    ") -> list[str]:
    lines = []
    for edge in chain:
        lines.append(f"{indent}{edge['subject']['label']} —{edge['relation']}→ {edge['object']['label']}")
        lines.extend(_evidence_lines(edge["evidence"], indent + "    "))
    return lines


def _control_lines(report: dict) -> list[str]:
    lines = ["Controlled by (majority of the votes, directly or through controlled companies):"]
    if not report["controllers"]:
        lines.append("  nobody holds a majority")
    for item in report["controllers"]:
        lines.append(f"  {item['controller']['label']}: {_pct(item['votes_percent'])} of the votes")
        lines += [f"    via {_path_text(p)}" for p in item["paths"]]
    lines.append(f"Ultimate owners at {report['threshold_percent']:g} % of the votes (weakest link):")
    if not report["ultimate_owners"]:
        lines.append("  none: widely held")
    for item in report["ultimate_owners"]:
        lines.append(f"  {item['owner']['label']}: {_pct(item['rights_percent'])} ({_path_text(item['path'])})")
    return lines


def format_report(kind: str, report: dict) -> str:
    """Render a report of :func:`owners`, :func:`holdings`, :func:`control`, :func:`path`
    or :func:`lineage` (``kind`` names it) as text."""
    lines: list[str] = []
    if kind == "path":
        over = f"over {', '.join(report['relations'])}" if report["relations"] else "over any relation"
        lines.append(f"Connections between {_who(report['from'])} and {_who(report['to'])}, {over}:")
        if report["through"]:
            lines.append(f"  through {', '.join(r['label'] for r in report['through'])}")
        if not report["paths"]:
            lines.append("  no connection in the store")
        for n, item in enumerate(report["paths"], 1):
            nodes = [item["hops"][0]["source"]] + [hop["target"] for hop in item["hops"]]
            steps = f"{item['length']} step{'s' if item['length'] != 1 else ''}"
            lines.append(f"{n}. {' — '.join(r['label'] for r in nodes)} ({steps})")
            lines += _chain_lines([edge for hop in item["hops"] for edge in hop["edges"]], "   ")
    else:
        title = {"owners": "Owners of", "holdings": "Holdings of", "control": "Control of", "lineage": "Lineage of"}[kind]
        lines.append(f"{title} {_who(report['entity'])}")
    if kind == "owners":
        lines.append("Direct holders:")
        lines += _table(["holder", "percent", "votes", "as of", "via"], _stake_rows(report["direct"], "holder"))
        lines.append("Integrated ownership (direct and through others):")
        lines += _table(["holder", "percent", "direct"],
                        [([i["holder"]["label"], _pct(i["percent"]), _pct(i["direct_percent"])], []) for i in report["integrated"]])
        lines += _control_lines(report)
    elif kind == "holdings":
        lines.append("Direct holdings:")
        lines += _table(["held", "percent", "votes", "as of", "via"], _stake_rows(report["direct"], "held"))
        lines.append("Integrated holdings (direct and through others):")
        lines += _table(["held", "percent", "direct", "through"],
                        [([i["held"]["label"], _pct(i["percent"]), _pct(i["direct_percent"]),
                           ", ".join(r["label"] for r in i["through"])], []) for i in report["integrated"]])
        lines.append("Controls by majority:")
        lines += [f"  {i['entity']['label']}: {_pct(i['votes_percent'])} of the votes" for i in report["controls"]] or ["  nothing"]
    elif kind == "control":
        lines += _control_lines(report)
        for key, label, title in (("parents", "parent", "Parent companies (subsidiaryOf):"),
                                  ("subsidiaries", "subsidiary", "Subsidiaries (subsidiaryOf):")):
            lines.append(title)
            if not report[key]:
                lines.append("  none")
            for item in report[key]:
                lines.append(f"  {item[label]['label']} (depth {item['depth']})")
                lines += _chain_lines(item["chain"])
        lines.append("Controls by majority:")
        lines += [f"  {i['entity']['label']}: {_pct(i['votes_percent'])} of the votes" for i in report["controls"]] or ["  nothing"]
    elif kind == "lineage":
        for key, title in (("derived", "Derived from it:"), ("sources", "It derives from:")):
            lines.append(title)
            if not report[key]:
                lines.append("  none")
            for item in report[key]:
                lines.append(f"  {item['model']['label']} (depth {item['depth']})")
                lines += _chain_lines([item])
    lines += [f"note: {n}" for n in report.get("notes", [])]
    lines += [f"warning: {w}" for w in report.get("warnings", [])]
    return "\n".join(lines)
