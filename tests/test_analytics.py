"""Ownership, control, paths and lineage (kg.analytics) with exact expected values."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pyoxigraph as ox
import pytest

from kg import analytics
from kg.analytics import (
    control_rights,
    controlled_by,
    controllers,
    controls,
    direct_ownership,
    integrated_ownership,
    integrated_ownership_matrix,
    integrated_ownership_of,
    lineage,
    ownership_graph,
    relation_graph,
    shortest_paths,
    ultimate_owner,
    ultimate_owners,
)
from kg.errors import AnalyticsError, KGError

KGO = "https://w3id.org/autokg/ontology#"
KGR = "https://w3id.org/autokg/entity/"
DOC = "https://w3id.org/autokg/doc/"


def stakes(*edges, **attrs) -> nx.DiGraph:
    """A toy ownership graph from (holder, held, percent) triples."""
    G = nx.DiGraph()
    for holder, held, percent in edges:
        G.add_edge(holder, held, weight=None if percent is None else percent / 100, **attrs)
    return G


@pytest.fixture(params=["dense", "sparse"])
def solver(request, monkeypatch):
    """Run a test on both solvers: LAPACK and the sparse iterative one."""
    if request.param == "sparse":
        monkeypatch.setattr(analytics, "_DENSE_LIMIT", 0)
    return request.param


# --------------------------------------------------------------------------------------
# Integrated ownership
# --------------------------------------------------------------------------------------


def test_chain_multiplies(solver):
    G = stakes(("A", "B", 60), ("B", "C", 40))
    assert integrated_ownership_of(G, "A") == pytest.approx({"B": 0.6, "C": 0.24})
    assert integrated_ownership_of(G, "B") == pytest.approx({"C": 0.4})
    assert integrated_ownership_of(G, "C") == {}


def test_diamond_adds_paths_and_gives_control(solver):
    G = stakes(("A", "B", 60), ("A", "C", 70), ("B", "D", 30), ("C", "D", 25))
    assert integrated_ownership_of(G, "A")["D"] == pytest.approx(0.355)
    assert integrated_ownership(G)["A"] == pytest.approx({"B": 0.6, "C": 0.7, "D": 0.355})
    assert controls(G, "A", "D")
    assert not controls(G, "B", "D") and not controls(G, "C", "D")
    assert controlled_by(G, "A") == {"B", "C", "D"}


def test_mutual_cross_holding_with_outside_holders(solver):
    G = stakes(("A", "B", 10), ("B", "A", 10), ("X", "A", 90), ("Y", "B", 90))
    x = integrated_ownership_of(G, "X")
    assert x == pytest.approx({"A": 10 / 11, "B": 1 / 11})
    assert integrated_ownership_of(G, "Y") == pytest.approx({"B": 10 / 11, "A": 1 / 11})
    # A owns part of itself through B: (I - W)^-1 W has 1/99 on its diagonal.
    assert integrated_ownership_of(G, "A") == pytest.approx({"B": 10 / 99, "A": 1 / 99})


def test_matrix_form_matches_rows():
    G = stakes(("A", "B", 10), ("B", "A", 10), ("X", "A", 90), ("Y", "B", 90))
    nodes = ["X", "Y", "A", "B"]
    M = integrated_ownership_matrix(G, nodelist=nodes)
    assert M.shape == (4, 4)
    assert M[0, 2] == pytest.approx(10 / 11) and M[0, 3] == pytest.approx(1 / 11)
    assert M[2, 2] == pytest.approx(1 / 99)
    W = np.array([[0, 0, 0.9, 0], [0, 0, 0, 0.9], [0, 0, 0, 0.1], [0, 0, 0.1, 0]])
    assert M == pytest.approx(np.linalg.inv(np.eye(4) - W) @ W)


def test_majority_of_majority_is_control_but_not_ownership(solver):
    G = stakes(("A", "B", 51), ("B", "C", 51))
    assert integrated_ownership_of(G, "A")["C"] == pytest.approx(0.2601)
    assert controls(G, "A", "C")
    assert controllers(G) == {"B": {"A"}, "C": {"A", "B"}}
    assert controllers(G, "C") == {"A", "B"}


def test_three_company_cycle_of_halves(solver):
    G = stakes(("A", "B", 50), ("B", "C", 50), ("C", "A", 50))
    assert controllers(G) == {}
    for a in "ABC":
        assert controlled_by(G, a) == set()
    # y_A = 1 + y_C / 2, y_B = y_A / 2, y_C = y_B / 2  =>  y = (8/7, 4/7, 2/7)
    assert integrated_ownership_of(G, "A") == pytest.approx({"B": 4 / 7, "C": 2 / 7, "A": 1 / 7})


def test_exactly_half_is_not_control():
    G = stakes(("A", "B", 50), ("A", "C", 60), ("C", "B", 0.0))
    assert not controls(G, "A", "B")
    G.add_edge("C", "B", weight=0.01)
    assert controls(G, "A", "B")


@pytest.mark.parametrize(
    "edges",
    [
        [("A", "B", 100), ("B", "A", 100)],
        [("A", "B", 100), ("B", "C", 100), ("C", "A", 100), ("A", "D", 40)],
        [("A", "A", 100)],
    ],
    ids=["two-cycle", "three-cycle", "self"],
)
def test_singular_system_raises(edges, solver):
    G = stakes(*edges)
    with pytest.raises(AnalyticsError, match="singular") as caught:
        integrated_ownership_of(G, "A")
    assert isinstance(caught.value, KGError) and caught.value.code == "KG600"
    with pytest.raises(AnalyticsError, match="ownership cycle A, B"):
        integrated_ownership(stakes(("A", "B", 100), ("B", "A", 100)))
    with pytest.raises(AnalyticsError):
        integrated_ownership_matrix(G)


def test_cycle_with_an_outside_holder_is_fine(solver):
    # A and B hold all of each other's free shares, but X holds 20 % of A: no singularity.
    G = stakes(("A", "B", 100), ("B", "A", 80), ("X", "A", 20))
    assert integrated_ownership_of(G, "X")["A"] == pytest.approx(1.0)
    assert integrated_ownership_of(G, "X")["B"] == pytest.approx(1.0)


def test_more_than_everything_raises_with_names():
    G = stakes(("A", "C", 60), ("B", "C", 55))
    with pytest.raises(AnalyticsError, match=r"C is held 115 % in total \(A 60 %, B 55 %\)"):
        integrated_ownership_of(G, "A")


@pytest.mark.parametrize("bad", [1.5, -0.1, float("nan"), "ten"])
def test_bad_weights_raise(bad):
    G = nx.DiGraph()
    G.add_edge("A", "B", weight=bad)
    with pytest.raises(AnalyticsError, match="stake of A in B"):
        integrated_ownership_of(G, "A")


def test_unknown_weight_is_listed_but_skipped_by_the_math(solver):
    G = stakes(("A", "B", None), ("A", "C", 30), ("B", "C", 60))
    assert direct_ownership(G, "A") == {"B": None, "C": 0.3}
    assert integrated_ownership_of(G, "A") == pytest.approx({"C": 0.3})
    assert not controls(G, "A", "C")


def test_unknown_node_is_a_clear_error():
    with pytest.raises(AnalyticsError, match="'Nope' is not in the graph"):
        integrated_ownership_of(stakes(("A", "B", 10)), "Nope")


def test_sparse_solver_agrees_with_dense_on_a_random_graph(monkeypatch):
    rng = np.random.default_rng(7)
    n = 600
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    for company in range(n):
        holders = rng.choice(n, size=3, replace=False)
        shares = rng.dirichlet(np.ones(3)) * rng.uniform(0.2, 0.95)
        for holder, share in zip(holders, shares):
            if holder != company:
                G.add_edge(int(holder), company, weight=float(share))
    W = nx.to_numpy_array(G, nodelist=range(n), weight="weight")
    expected = np.linalg.solve(np.eye(n) - W, W)
    monkeypatch.setattr(analytics, "_DENSE_LIMIT", 0)
    row = integrated_ownership_of(G, 0)
    got = np.array([row.get(j, 0.0) for j in range(n)])
    assert np.abs(got - expected[0]).max() < 1e-10


def test_slowly_converging_cycle_falls_back_to_krylov(monkeypatch):
    # A cycle holding 99.99 % of its members: the Neumann series would need ~10^5 steps.
    G = stakes(("A", "B", 99.99), ("B", "C", 99.99), ("C", "A", 99.99), ("X", "A", 0.01), ("C", "D", 0.005))
    nodes = list(G)
    W = nx.to_numpy_array(G, nodelist=nodes, weight="weight")
    expected = np.linalg.solve(np.eye(len(nodes)) - W, W)[nodes.index("X")]
    monkeypatch.setattr(analytics, "_DENSE_LIMIT", 0)
    row = integrated_ownership_of(G, "X")
    assert [row.get(n, 0.0) for n in nodes] == pytest.approx(expected.tolist(), rel=1e-9)
    assert row["A"] == pytest.approx(1e-4 / (1 - 0.9999**3), rel=1e-9)


# --------------------------------------------------------------------------------------
# Ultimate owner (La Porta, Lopez-de-Silanes & Shleifer 1999)
# --------------------------------------------------------------------------------------


def test_weakest_link_chain():
    G = stakes(("Family", "Holding", 51), ("Holding", "Firm", 23))
    assert ultimate_owner(G, "Firm") == "Family"
    assert control_rights(G, "Family")["Firm"] == pytest.approx(0.23)


def test_chain_breaks_below_threshold_and_ten_percent_variant():
    G = stakes(("C", "B", 15), ("B", "A", 23))
    assert ultimate_owner(G, "A") == "B"
    assert ultimate_owner(G, "A", threshold=0.10) == "C"


def test_widely_held():
    G = stakes(("P", "Firm", 15), ("Q", "Firm", 19.9))
    assert ultimate_owner(G, "Firm") is None
    assert ultimate_owner(G, "Firm", threshold=0.10) == "Q"


def test_direct_and_indirect_rights_add_up():
    # 15 % directly plus 15 % through a wholly owned company: 30 % of the votes.
    G = stakes(("A", "Firm", 15), ("A", "Sub", 100), ("Sub", "Firm", 15))
    assert control_rights(G, "A")["Firm"] == pytest.approx(0.30)
    assert ultimate_owner(G, "Firm") == "A"


def test_largest_controlling_shareholder_wins():
    G = stakes(("X", "A", 90), ("A", "Firm", 25), ("Y", "B", 21), ("B", "Firm", 40))
    assert ultimate_owner(G, "Firm") == "X"  # 25 % through A beats 21 % through B


def test_joint_venture_lists_both_parents():
    G = stakes(("Geely", "JV", 45), ("Renault", "JV", 45), ("Nissan", "Renault", 15), ("Renault", "Nissan", 15))
    assert ultimate_owners(G, "JV") == [("Geely", pytest.approx(0.45)), ("Renault", pytest.approx(0.45))]
    assert ultimate_owner(G, "JV") == "Geely"  # a tie: smallest node id, deterministically
    assert ultimate_owners(G, "Nissan") == []


def test_voting_rights_used_for_control():
    G = nx.DiGraph()
    G.add_edge("Founder", "Firm", weight=0.10, voting=0.60)
    G.add_edge("Fund", "Firm", weight=0.40, voting=0.15)
    assert ultimate_owner(G, "Firm") == "Founder"
    assert controls(G, "Founder", "Firm") and not controls(G, "Fund", "Firm")
    assert integrated_ownership_of(G, "Fund") == pytest.approx({"Firm": 0.40})


def test_cross_holding_loop_without_outside_owner():
    G = stakes(("A", "Firm", 40), ("A", "B", 30), ("B", "A", 30))
    assert ultimate_owner(G, "Firm") == "A"


def test_bad_threshold():
    with pytest.raises(AnalyticsError, match="threshold"):
        ultimate_owner(stakes(("A", "B", 30)), "B", threshold=20)


# --------------------------------------------------------------------------------------
# Projections from a pyoxigraph store in the graph module's shape
# --------------------------------------------------------------------------------------

PREFIXES = f"""
@prefix kgo: <{KGO}> .
@prefix kgr: <{KGR}> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def doc_graph(key: str, file: str, published: str | None, body: str) -> str:
    pub = f'; kgo:published "{published}"^^xsd:date' if published else ""
    return f"""
<{DOC}{key}> {{
  <{DOC}{key}> a kgo:Document ; kgo:fileName "{file}" {pub} .
  {body}
}}
"""


def assertion(key: str, name: str, s: str, p: str, o: str, text: str, start: int) -> str:
    return f"""
  <{DOC}{key}#a-{name}> a kgo:Assertion ; rdf:subject kgr:{s} ; rdf:predicate kgo:{p} ; rdf:object kgr:{o} ;
      kgo:inDocument <{DOC}{key}> ; kgo:evidenceText "{text}" ;
      kgo:charStart {start} ; kgo:charEnd {start + len(text)} ;
      kgo:confidence "0.9"^^xsd:decimal ; kgo:hedged false .
"""


def stake(key: str, name: str, holder: str, held: str, extra: str = "", ended: bool = False) -> str:
    shortcut = "" if ended else f"kgr:{holder} kgo:ownsStake kgr:{held} ."
    return f"""
  {shortcut}
  <{DOC}{key}#stake-{name}> a kgo:Shareholding ; kgo:holder kgr:{holder} ; kgo:heldEntity kgr:{held} ;
      kgo:assertedBy <{DOC}{key}#a-{name}> {extra} .
"""


ENTITIES = """
  kgr:renault a kgo:Company ; rdfs:label "Renault Group" .
  kgr:nissan a kgo:Company ; rdfs:label "Nissan" .
  kgr:ampere a kgo:Company ; rdfs:label "Ampere" .
  kgr:mitsubishi a kgo:Company ; rdfs:label "Mitsubishi Motors" .
  kgr:daimler a kgo:Company ; rdfs:label "Daimler" .
  kgr:state a kgo:Organization ; rdfs:label "French State" .
"""


@pytest.fixture()
def store() -> ox.Store:
    old = doc_graph(
        "old",
        "old.txt",
        "2019-05-01",
        ENTITIES
        + stake("old", "s1", "renault", "nissan", '; kgo:percent "43.4"^^xsd:decimal')
        + assertion("old", "s1", "renault", "ownsStake", "nissan", "Renault holds 43.4 percent of Nissan.", 0)
        + stake("old", "s2", "renault", "daimler", '; kgo:percent "1.55"^^xsd:decimal ; kgo:startDate "2010"^^xsd:gYear')
        + assertion("old", "s2", "renault", "ownsStake", "daimler", "Renault took 1.55 percent of Daimler.", 40)
        + stake("old", "s3", "state", "renault", '; kgo:percent "15.0"^^xsd:decimal ; kgo:votingPercent "28.6"^^xsd:decimal')
        + assertion("old", "s3", "state", "ownsStake", "renault", "The French State owns 15 percent.", 80)
        + stake("old", "s4", "nissan", "mitsubishi", '; kgo:percent "34.0"^^xsd:decimal')
        + assertion("old", "s4", "nissan", "ownsStake", "mitsubishi", "Nissan owns 34 percent of Mitsubishi.", 120),
    )
    new = doc_graph(
        "new",
        "new.txt",
        "2024-02-01",
        ENTITIES
        # the same pair again, at a later date: 43.4 % is superseded, not added to
        + stake("new", "s1", "renault", "nissan", '; kgo:percent "15.0"^^xsd:decimal ; kgo:startDate "2023-11"^^xsd:gYearMonth')
        + assertion("new", "s1", "renault", "ownsStake", "nissan", "Renault cut its Nissan stake to 15 percent.", 0)
        # an ended stake: ignored, and it closes the 2010 report of the same pair
        + stake("new", "s2", "renault", "daimler", '; kgo:percent "1.55"^^xsd:decimal ; kgo:endDate "2021"^^xsd:gYear', ended=True)
        + assertion("new", "s2", "renault", "ownsStake", "daimler", "Renault sold its Daimler shares in 2021.", 50)
        # no percentage: an edge with weight None
        + stake("new", "s3", "renault", "ampere")
        + assertion("new", "s3", "renault", "ownsStake", "ampere", "Ampere is owned by Renault.", 100)
        + "  kgr:ampere kgo:subsidiaryOf kgr:renault .\n"
        + assertion("new", "sub", "ampere", "subsidiaryOf", "renault", "Ampere, part of Renault Group.", 140),
    )
    s = ox.Store()
    s.load((PREFIXES + old + new).encode(), format=ox.RdfFormat.TRIG)
    return s


def test_ownership_graph_from_store(store):
    G = ownership_graph(store)
    renault, nissan, daimler, ampere, state, mitsu = (
        KGR + k for k in ("renault", "nissan", "daimler", "ampere", "state", "mitsubishi")
    )
    assert set(G.edges) == {(renault, nissan), (renault, ampere), (state, renault), (nissan, mitsu)}
    edge = G[renault][nissan]
    assert edge["weight"] == pytest.approx(0.15)  # the 2023 figure, not 0.434 + 0.15
    assert edge["as_of"] == "2024-02-01"
    assert edge["stakes"] == [f"{DOC}new#stake-s1"]
    assert edge["documents"] == [f"{DOC}new", f"{DOC}old"]
    assert G[renault][ampere]["weight"] is None and G[renault][ampere]["voting"] is None
    assert G[state][renault]["weight"] == pytest.approx(0.15)
    assert G[state][renault]["voting"] == pytest.approx(0.286)
    assert G[nissan][mitsu]["voting"] == pytest.approx(0.34)
    assert (renault, daimler) not in G.edges
    assert G.nodes[renault]["label"] == "Renault Group"
    assert G.nodes[state]["label"] == "French State"

    assert direct_ownership(G, "renault") == pytest.approx({nissan: 0.15, ampere: None})
    assert integrated_ownership_of(G, "state") == pytest.approx({renault: 0.15, nissan: 0.0225, mitsu: 0.00765})
    assert ultimate_owner(G, "nissan") is None  # 15 % is below 20 %
    # at 10 % the State commands Renault (28.6 % of its votes) and, through it, 15 % of Nissan
    assert ultimate_owner(G, "nissan", threshold=0.10) == state
    assert control_rights(G, "state", threshold=0.10)[nissan] == pytest.approx(0.15)


def test_ended_stake_without_end_date_is_ignored():
    body = (
        ENTITIES
        + stake("d", "s1", "nissan", "mitsubishi", '; kgo:percent "34.0"^^xsd:decimal', ended=True)
        + assertion("d", "s1", "nissan", "ownsStake", "mitsubishi", "Nissan sold its 34 percent.", 0)
    )
    s = ox.Store()
    s.load((PREFIXES + doc_graph("d", "d.txt", None, body)).encode(), format=ox.RdfFormat.TRIG)
    assert ownership_graph(s).number_of_edges() == 0


def test_same_stake_in_two_undated_documents_is_counted_once():
    body = ENTITIES + stake("X", "s1", "nissan", "mitsubishi", '; kgo:percent "34.0"^^xsd:decimal')
    trig = PREFIXES + doc_graph("a", "a.txt", None, body.replace("X", "a")) + doc_graph("b", "b.txt", None, body.replace("X", "b"))
    s = ox.Store()
    s.load(trig.encode(), format=ox.RdfFormat.TRIG)
    G = ownership_graph(s)
    assert G[KGR + "nissan"][KGR + "mitsubishi"]["weight"] == pytest.approx(0.34)


def test_a_sale_closes_older_reports_only_and_a_number_beats_no_number():
    first = ENTITIES + stake("a", "s1", "nissan", "mitsubishi", '; kgo:percent "34.0"^^xsd:decimal')
    sale = ENTITIES + stake("b", "s1", "nissan", "mitsubishi", '; kgo:endDate "2021-06"^^xsd:gYearMonth', ended=True)
    rebuy = ENTITIES + stake("c", "s1", "nissan", "mitsubishi", '; kgo:percent "20.0"^^xsd:decimal ; kgo:startDate "2022"^^xsd:gYear')
    vague = ENTITIES + stake("d", "s1", "nissan", "mitsubishi")  # "Nissan raised its stake", no number
    trig = PREFIXES + "".join(
        [
            doc_graph("a", "a.txt", "2019-01-01", first),
            doc_graph("b", "b.txt", "2021-07-01", sale),
            doc_graph("c", "c.txt", None, rebuy),
            doc_graph("d", "d.txt", "2024-01-01", vague),
        ]
    )
    s = ox.Store()
    s.load(trig.encode(), format=ox.RdfFormat.TRIG)
    edge = ownership_graph(s)[KGR + "nissan"][KGR + "mitsubishi"]
    assert edge["weight"] == pytest.approx(0.20) and edge["as_of"] == "2022"
    assert edge["documents"] == [f"{DOC}c", f"{DOC}d"]  # the 2019 report was closed by the sale


def test_channels_add_up_within_one_report():
    body = (
        ENTITIES
        + stake("d", "s1", "renault", "nissan", '; kgo:percent "15.0"^^xsd:decimal')
        + stake("d", "s2", "renault", "nissan", '; kgo:percent "28.4"^^xsd:decimal ; kgo:heldVia kgr:state')
    )
    s = ox.Store()
    s.load((PREFIXES + doc_graph("d", "d.txt", None, body)).encode(), format=ox.RdfFormat.TRIG)
    edge = ownership_graph(s)[KGR + "renault"][KGR + "nissan"]
    assert edge["weight"] == pytest.approx(0.434)
    assert edge["via"] == [KGR + "state"]


def test_relation_graph_carries_evidence(store):
    G = relation_graph(store)
    renault, nissan, ampere = KGR + "renault", KGR + "nissan", KGR + "ampere"
    assert G.has_edge(ampere, renault, key="subsidiaryOf")
    # the 2010 document still states the Daimler stake; the 2021 sale is not evidence for it
    daimler = G[renault][KGR + "daimler"]["ownsStake"]["evidence"]
    assert [e["text"] for e in daimler] == ["Renault took 1.55 percent of Daimler."]
    G2 = relation_graph(store, relations=["ownsStake"])
    texts = [e["text"] for e in G2[renault][nissan]["ownsStake"]["evidence"]]
    assert texts == ["Renault cut its Nissan stake to 15 percent.", "Renault holds 43.4 percent of Nissan."]
    ev = G[ampere][renault]["subsidiaryOf"]["evidence"]
    assert ev == [
        {
            "text": "Ampere, part of Renault Group.",
            "doc": "new.txt",
            "doc_iri": f"{DOC}new",
            "start": 140,
            "end": 140 + len("Ampere, part of Renault Group."),
            "assertion": f"{DOC}new#a-sub",
            "confidence": 0.9,
            "hedged": False,
        }
    ]
    assert G.nodes[ampere] == {"label": "Ampere", "type": "Company"}
    assert all(d["relation"] == "ownsStake" for *_, d in G2.edges(data=True))
    with pytest.raises(AnalyticsError, match="unknown relation 'ownStake'"):
        relation_graph(store, relations=["ownStake"])


# --------------------------------------------------------------------------------------
# Paths and lineage
# --------------------------------------------------------------------------------------


def test_paths_report_true_direction_and_evidence(store):
    G = relation_graph(store)
    paths = shortest_paths(G, "ampere", "mitsubishi")
    assert len(paths) == 1
    hops = [(h["source"], h["target"]) for h in paths[0]]
    assert hops == [(KGR + "ampere", KGR + "renault"), (KGR + "renault", KGR + "nissan"), (KGR + "nissan", KGR + "mitsubishi")]
    first = paths[0][0]["edges"]
    assert [(e["relation"], e["forward"]) for e in first] == [("subsidiaryOf", True), ("ownsStake", False)]
    assert first[1]["subject"] == KGR + "renault" and first[1]["object"] == KGR + "ampere"
    assert first[1]["evidence"][0]["text"] == "Ampere is owned by Renault."
    # restricted to one relation the path must go another way, or not at all
    assert shortest_paths(G, "ampere", "mitsubishi", relations=["subsidiaryOf"]) == []


def test_paths_limit_order_and_via():
    G = nx.MultiDiGraph()
    for s, o in [("a", "b"), ("b", "z"), ("a", "c"), ("c", "d"), ("d", "z"), ("e", "z")]:
        G.add_edge(s, o, key="partnerOf", relation="partnerOf", evidence=[])
    nodes = [[h["source"] for h in p] + [p[-1]["target"]] for p in shortest_paths(G, "a", "z")]
    assert nodes == [["a", "b", "z"], ["a", "c", "d", "z"]]
    assert len(shortest_paths(G, "a", "z", limit=1)) == 1
    via = shortest_paths(G, "a", "z", via="d")
    assert [[h["source"] for h in p] for p in via] == [["a", "c", "d"]]
    assert shortest_paths(G, "a", "e", via=["z"])[0][-1]["edges"][0]["forward"] is False
    with pytest.raises(AnalyticsError, match="'q' is not in the graph"):
        shortest_paths(G, "a", "q")


def test_lineage_both_directions():
    G = nx.MultiDiGraph()
    ev = [{"text": "The Nissan model is a rebadged Twingo.", "doc": "x.txt"}]
    G.add_edge("nissan-a", "twingo", key="rebadgeOf", relation="rebadgeOf", evidence=ev)
    G.add_edge("twingo", "ampr-small", key="basedOn", relation="basedOn", evidence=[])
    G.add_edge("clone", "nissan-a", key="rebadgeOf", relation="rebadgeOf", evidence=[])
    G.add_edge("twingo", "ampere", key="producedBy", relation="producedBy", evidence=[])
    out = lineage(G, "twingo")
    assert [(i["model"], i["depth"], i["relation"]) for i in out["derived"]] == [
        ("nissan-a", 1, "rebadgeOf"),
        ("clone", 2, "rebadgeOf"),
    ]
    assert out["derived"][0]["evidence"] == ev
    assert out["derived"][0]["subject"] == "nissan-a" and out["derived"][0]["object"] == "twingo"
    assert [(i["model"], i["relation"]) for i in out["sources"]] == [("ampr-small", "basedOn")]
    assert lineage(G, "clone")["sources"][-1]["model"] == "ampr-small"


def test_lineage_survives_cycles():
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key="basedOn", relation="basedOn")
    G.add_edge("b", "a", key="basedOn", relation="basedOn")
    assert [i["model"] for i in lineage(G, "a")["derived"]] == ["b"]
    assert [i["model"] for i in lineage(G, "a")["sources"]] == ["b"]
