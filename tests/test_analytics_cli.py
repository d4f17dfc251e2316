"""`kg owners|holdings|control|path|lineage` end to end (CliRunner on kg.cli.main).

Exact figures on a small graph "from another tool" (Shareholding nodes plus the
ownsStake shortcut, loaded with `kg import`), and real behaviour on a store built from
seeds/.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.analytics import ownership_graph
from helpers import TTL_PREFIXES, imported_store, one_error_line, run

KGR = "https://w3id.org/autokg/entity/"
EX = "https://example.org/auto/"
HOSTILE = 'x" } ; DROP ALL ; #'
REF = {"iri", "label", "type"}
EVIDENCE = {"text", "file", "doc_iri", "start", "end", "hedged", "confidence"}

# Alpha holds 60 % of Beta and 15 % of Gamma; Beta holds 40 % of Gamma, so Alpha holds
# 15 + 60 % x 40 % = 39 % of Gamma and commands 55 % of its votes (its own 15 % plus
# the 40 % of Beta, which it controls). The Fund's 30 % of Beta has ended; its stake in
# Delta is a bare ownsStake triple (size unknown). Models: Uno is a rebadged One, Sport
# is based on Uno; Gamma builds the One; Delta is a unit of Gamma.
OTHER_TOOL_TTL = TTL_PREFIXES + """

ex:alpha a kgo:Company ; rdfs:label "Alpha Holdings" .
ex:beta a kgo:Company ; rdfs:label "Beta Motors" ; skos:altLabel "Beta" .
ex:gamma a kgo:Company ; rdfs:label "Gamma Assembly" .
ex:delta a kgo:Company ; rdfs:label "Delta Parts" .
ex:fund a kgo:Organization ; rdfs:label "Republic Fund" .
ex:one a kgo:CarModel ; rdfs:label "Beta One" .
ex:uno a kgo:CarModel ; rdfs:label "Gamma Uno" .
ex:sport a kgo:CarModel ; rdfs:label "Gamma Uno Sport" .

ex:s1 a kgo:Shareholding ; kgo:holder ex:alpha ; kgo:heldEntity ex:beta ;
  kgo:percent "60.0"^^xsd:decimal ; kgo:startDate "2021"^^xsd:gYear ; kgo:assertedBy ex:a1 .
ex:alpha kgo:ownsStake ex:beta .
ex:a1 a kgo:Assertion ; rdf:subject ex:alpha ; rdf:predicate kgo:ownsStake ; rdf:object ex:beta ;
  kgo:evidenceText "Alpha Holdings owns 60 percent of Beta Motors." .
ex:s2 a kgo:Shareholding ; kgo:holder ex:beta ; kgo:heldEntity ex:gamma ; kgo:percent "40.0"^^xsd:decimal .
ex:beta kgo:ownsStake ex:gamma .
ex:s3 a kgo:Shareholding ; kgo:holder ex:alpha ; kgo:heldEntity ex:gamma ; kgo:percent "15.0"^^xsd:decimal .
ex:alpha kgo:ownsStake ex:gamma .
ex:s4 a kgo:Shareholding ; kgo:holder ex:fund ; kgo:heldEntity ex:beta ; kgo:percent "30.0"^^xsd:decimal ;
  kgo:endDate "2020"^^xsd:gYear .
ex:fund kgo:ownsStake ex:delta .
ex:delta kgo:subsidiaryOf ex:gamma .

ex:uno kgo:rebadgeOf ex:one .
ex:sport kgo:basedOn ex:uno .
ex:one kgo:producedBy ex:gamma .
ex:a2 a kgo:Assertion ; rdf:subject ex:uno ; rdf:predicate kgo:rebadgeOf ; rdf:object ex:one ;
  kgo:evidenceText "The Gamma Uno is a rebadged Beta One." .
"""



def report(*args) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)



@pytest.fixture(scope="session")
def other(tmp_path_factory) -> Path:
    return imported_store(tmp_path_factory.mktemp("imported"), OTHER_TOOL_TTL)


@pytest.fixture(scope="session")
def seeds(seeds_store) -> Path:
    return seeds_store


def ref(name: str) -> str:
    return EX + name


# ------------------------------------------------------------- a graph from another tool


def test_owners_direct_integrated_and_control(other):
    data = report("owners", "Gamma Assembly", "--store", other)
    assert set(data) == {"entity", "threshold_percent", "direct", "integrated", "controllers", "ultimate_owners",
                         "notes", "warnings"}
    assert data["entity"] == {"iri": ref("gamma"), "label": "Gamma Assembly", "type": "Company"}
    direct = [(d["holder"]["iri"], d["percent"], d["voting_percent"]) for d in data["direct"]]
    assert direct == [(ref("beta"), 40.0, 40.0), (ref("alpha"), 15.0, 15.0)]
    assert set(data["direct"][0]) == {"holder", "percent", "voting_percent", "as_of", "via", "evidence"}
    integrated = {i["holder"]["iri"]: (i["percent"], i["direct_percent"]) for i in data["integrated"]}
    assert integrated == {ref("beta"): (40.0, 40.0), ref("alpha"): (pytest.approx(39.0), 15.0)}
    (controller,) = data["controllers"]
    assert controller["controller"]["iri"] == ref("alpha")
    assert controller["votes_percent"] == pytest.approx(55.0)
    assert [[r["label"] for r in p] for p in controller["paths"]] == [
        ["Alpha Holdings", "Gamma Assembly"],
        ["Alpha Holdings", "Beta Motors", "Gamma Assembly"],
    ]
    (owner,) = data["ultimate_owners"]
    assert owner["owner"]["iri"] == ref("alpha") and owner["rights_percent"] == pytest.approx(55.0)
    assert data["threshold_percent"] == 20.0 and data["warnings"] == []


def test_owners_skip_ended_stakes_and_cite_evidence(other):
    data = report("owners", "Beta Motors", "--store", other)
    (stake,) = data["direct"]  # the Fund's 30 % ended in 2020
    assert stake["holder"]["label"] == "Alpha Holdings" and stake["percent"] == 60.0
    assert stake["as_of"] == "2021"
    (evidence,) = stake["evidence"]
    assert set(evidence) == EVIDENCE
    assert evidence["text"] == "Alpha Holdings owns 60 percent of Beta Motors." and evidence["file"] is None
    text = run("owners", "Beta Motors", "--store", other).stdout
    assert "“Alpha Holdings owns 60 percent of Beta Motors.” (imported)" in text


def test_holdings_direct_through_others_and_unknown_sizes(other):
    data = report("holdings", "Alpha Holdings", "--store", other)
    assert set(data) == {"entity", "direct", "integrated", "controls", "notes", "warnings"}
    assert [(d["held"]["label"], d["percent"]) for d in data["direct"]] == [("Beta Motors", 60.0), ("Gamma Assembly", 15.0)]
    integrated = {i["held"]["label"]: i for i in data["integrated"]}
    assert integrated["Gamma Assembly"]["percent"] == pytest.approx(39.0)
    assert integrated["Gamma Assembly"]["direct_percent"] == 15.0
    assert integrated["Beta Motors"]["through"] == []
    assert [c["entity"]["label"] for c in data["controls"]] == ["Beta Motors", "Gamma Assembly"]
    fund = report("holdings", "Republic Fund", "--store", other)
    # a bare ownsStake triple is a holding of unknown size; the ended stake is gone
    assert [(d["held"]["label"], d["percent"]) for d in fund["direct"]] == [("Delta Parts", None)]
    assert [(i["held"]["label"], i["percent"]) for i in fund["integrated"]] == [("Delta Parts", None)]
    table = run("holdings", "Alpha Holdings", "--store", other).stdout
    assert "Gamma Assembly  39 %" in table and "Controls by majority:" in table


def test_control_walks_stakes_and_subsidiaries(other):
    data = report("control", "Delta Parts", "--store", other)
    assert set(data) == {"entity", "threshold_percent", "controllers", "ultimate_owners", "parents", "controls",
                         "subsidiaries", "notes", "warnings"}
    (parent,) = data["parents"]
    assert parent["parent"]["label"] == "Gamma Assembly" and parent["depth"] == 1
    assert [(e["subject"]["label"], e["relation"], e["object"]["label"]) for e in parent["chain"]] == [
        ("Delta Parts", "subsidiaryOf", "Gamma Assembly")
    ]
    gamma = report("control", "gamma assembly", "--store", other)
    assert [c["controller"]["label"] for c in gamma["controllers"]] == ["Alpha Holdings"]
    assert [s["subsidiary"]["label"] for s in gamma["subsidiaries"]] == ["Delta Parts"]
    # at a 56 % threshold nobody's weakest-link rights suffice
    assert report("control", "Gamma Assembly", "--threshold", "56", "--store", other)["ultimate_owners"] == []


def test_path_over_any_relation_and_restricted(other):
    data = report("path", "Alpha Holdings", "Gamma Uno Sport", "--store", other)
    assert set(data) == {"from", "to", "relations", "through", "paths", "notes", "warnings"}
    first = data["paths"][0]
    assert first["length"] == 4 and len(first["hops"]) == 4
    assert set(first["hops"][0]) == {"source", "target", "edges"}
    edges = [(e["subject"]["label"], e["relation"], e["object"]["label"], e["forward"])
             for hop in first["hops"] for e in hop["edges"]]
    assert edges == [
        ("Alpha Holdings", "ownsStake", "Gamma Assembly", True),
        ("Beta One", "producedBy", "Gamma Assembly", False),
        ("Gamma Uno", "rebadgeOf", "Beta One", False),
        ("Gamma Uno Sport", "basedOn", "Gamma Uno", False),
    ]
    assert first["hops"][2]["edges"][0]["evidence"][0]["text"] == "The Gamma Uno is a rebadged Beta One."
    assert [p["length"] for p in data["paths"]] == sorted(p["length"] for p in data["paths"])
    assert report("path", "Alpha Holdings", "Gamma Uno Sport", "--via", "ownsStake", "--store", other)["paths"] == []
    owned = report("path", "Alpha Holdings", "Gamma Assembly", "--via", "ownsStake", "--limit", "1", "--store", other)
    assert owned["relations"] == ["ownsStake"] and len(owned["paths"]) == 1 and owned["paths"][0]["length"] == 1
    via_beta = report("path", "Alpha Holdings", "Gamma Assembly", "--through", "Beta Motors", "--store", other)
    assert [h["target"]["label"] for h in via_beta["paths"][0]["hops"]] == ["Beta Motors", "Gamma Assembly"]


def test_lineage_both_directions(other):
    data = report("lineage", "Beta One", "--store", other)
    assert set(data) == {"entity", "derived", "sources", "notes", "warnings"}
    assert [(d["model"]["label"], d["depth"], d["relation"]) for d in data["derived"]] == [
        ("Gamma Uno", 1, "rebadgeOf"),
        ("Gamma Uno Sport", 2, "basedOn"),
    ]
    assert set(data["derived"][0]) == {"model", "depth", "subject", "relation", "object", "evidence"}
    assert data["derived"][0]["evidence"][0]["text"] == "The Gamma Uno is a rebadged Beta One."
    sport = report("lineage", "Gamma Uno Sport", "--store", other)
    assert [s["model"]["label"] for s in sport["sources"]] == ["Gamma Uno", "Beta One"] and sport["derived"] == []


# -------------------------------------------------------------------------- the seeds


def test_seed_owners_and_the_same_report_cut(seeds):
    data = report("owners", "Nissan", "--store", seeds)
    holders = {d["holder"]["iri"] for d in data["direct"]}
    assert KGR + "renault-group" in holders
    assert all(ev["text"] and ev["file"] for d in data["direct"] for ev in d["evidence"])
    # "Nissan cut its stake in Mitsubishi Motors from 34 to 24 percent": one article
    # ends the 34 % and states the 24 %; the current figure must survive
    mitsubishi = report("owners", "Mitsubishi Motors", "--store", seeds)
    nissan = [d for d in mitsubishi["direct"] if d["holder"]["iri"] == KGR + "nissan"]
    assert nissan and nissan[0]["percent"] == 24.0


def test_seed_control_path_and_lineage(seeds):
    ampere = report("control", "Ampere", "--store", seeds)
    assert [p["parent"]["label"] for p in ampere["parents"]] == ["Renault Group"]
    assert ampere["parents"][0]["chain"][0]["evidence"][0]["file"] == "000_8c6e1202c8561c30.txt"
    twingo = report("lineage", "Twingo", "--store", seeds)
    assert twingo["entity"]["iri"] == KGR + "renault-twingo"
    assert twingo["derived"] and all(d["evidence"] for d in twingo["derived"])
    route = report("path", "Renault Twingo", "Renault Group", "--store", seeds)
    labels = [[route["from"]["label"]] + [h["target"]["label"] for h in p["hops"]] for p in route["paths"]]
    assert ["Renault Twingo", "Ampere", "Renault Group"] in labels
    text = run("path", "Renault Twingo", "Renault Group", "--store", seeds).stdout
    assert "Renault Twingo —producedBy→ Ampere" in text and "Ampere —subsidiaryOf→ Renault Group" in text
    assert "diproduksi oleh Ampere" in text


def test_table_output_of_every_command(seeds):
    for args, needle in (
        (("owners", "Nissan"), "Direct holders:"),
        (("holdings", "Renault Group"), "Integrated holdings"),
        (("control", "Ampere"), "Parent companies"),
        (("path", "Ampere", "Nissan"), "Connections between Ampere"),
        (("lineage", "Xpander"), "Derived from it:"),
    ):
        result = run(*args, "--store", seeds)
        assert result.exit_code == 0, result.output
        assert needle in result.stdout


# ------------------------------------------------------------------------------ errors


def test_mistakes_are_one_line(seeds, tmp_path):
    assert "unknown relation 'ownStake'" in one_error_line(run("path", "Ampere", "Nissan", "--via", "ownStake", "--store", seeds))
    assert "did you mean" in one_error_line(run("owners", "Nisan Motorz", "--store", seeds))
    assert "threshold" in one_error_line(run("owners", "Nissan", "--threshold", "0", "--store", seeds))
    assert str(tmp_path / "none") in one_error_line(run("owners", "Nissan", "--store", tmp_path / "none"))


@pytest.mark.parametrize("command", [("owners",), ("holdings",), ("control",), ("lineage",), ("path", "Nissan")])
def test_hostile_name_is_an_unknown_entity_and_the_store_is_unchanged(seeds, command):
    before = run("export", "--format", "nq", "--store", seeds).stdout_bytes
    line = one_error_line(run(command[0], HOSTILE, *command[1:], "--store", seeds))
    assert "KG501" in line and repr(HOSTILE) in line
    assert run("export", "--format", "nq", "--store", seeds).stdout_bytes == before


def test_a_cut_in_one_report_keeps_the_new_figure():
    """kg.analytics fix: an end date in a report closes only that report's own old stake."""
    trig = """
    @prefix kgo: <https://w3id.org/autokg/ontology#> .
    @prefix kgr: <https://w3id.org/autokg/entity/> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    <https://w3id.org/autokg/doc/a> {
      <https://w3id.org/autokg/doc/a> a kgo:Document ; kgo:published "2025-07-24"^^xsd:date .
      <https://w3id.org/autokg/doc/a#s1> a kgo:Shareholding ; kgo:holder kgr:n ; kgo:heldEntity kgr:m ;
          kgo:percent "34.0"^^xsd:decimal ; kgo:endDate "2025-07-24"^^xsd:date .
      <https://w3id.org/autokg/doc/a#s2> a kgo:Shareholding ; kgo:holder kgr:n ; kgo:heldEntity kgr:m ;
          kgo:percent "24.0"^^xsd:decimal .
      kgr:n kgo:ownsStake kgr:m .
    }
    <https://w3id.org/autokg/doc/b> {
      <https://w3id.org/autokg/doc/b#s1> a kgo:Shareholding ; kgo:holder kgr:x ; kgo:heldEntity kgr:m ;
          kgo:percent "10.0"^^xsd:decimal ; kgo:startDate "2019"^^xsd:gYear .
      kgr:x kgo:ownsStake kgr:m .
    }
    <https://w3id.org/autokg/doc/c> {
      <https://w3id.org/autokg/doc/c#s1> a kgo:Shareholding ; kgo:holder kgr:x ; kgo:heldEntity kgr:m ;
          kgo:endDate "2020"^^xsd:gYear .
    }
    """
    store = ox.Store()
    store.load(trig.encode(), format=ox.RdfFormat.TRIG)
    G = ownership_graph(store)
    assert G[KGR + "n"][KGR + "m"]["weight"] == pytest.approx(0.24)
    assert not G.has_edge(KGR + "x", KGR + "m")  # a sale in another report still closes older ones
