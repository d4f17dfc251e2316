"""Helpers shared by the test modules (CLI runs, RDF term conversion independent of kg)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef

from kg.cli import main
from kg.store import open_store

# Prefix lines for Turtle written in tests as if by another tool (ex: is its namespace).
TTL_PREFIXES = """\
@prefix kgo: <https://w3id.org/autokg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/auto/> .
"""
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def run(*args):
    """Invoke the `kg` CLI in-process; exceptions that are not user errors propagate."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def one_error_line(result) -> str:
    """The user-facing error: a failing exit code, exactly one non-empty line on stderr, no traceback."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code != 0
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def term(node):
    """A pyoxigraph term as the equal rdflib term (written here, independent of kg)."""
    if isinstance(node, ox.NamedNode):
        return URIRef(node.value)
    if isinstance(node, ox.BlankNode):
        return BNode(node.value)
    if isinstance(node, ox.Literal):
        if node.language:
            return Literal(node.value, lang=node.language)
        datatype = node.datatype.value
        return Literal(node.value, datatype=None if datatype in (XSD_STRING, RDF_LANGSTRING) else URIRef(datatype))
    raise TypeError(f"unexpected term {node!r}")


def rdflib_graph(triples) -> Graph:
    graph = Graph()
    for t in triples:
        graph.add((term(t.subject), term(t.predicate), term(t.object)))
    return graph


def store_quads(store_dir) -> list[ox.Quad]:
    return list(open_store(store_dir).quads_for_pattern(None, None, None))


def imported_store(folder: Path, turtle: str) -> Path:
    """A store in ``folder`` holding ``turtle`` loaded with `kg import` (a graph from another tool)."""
    source = folder / "graph.ttl"
    source.write_text(turtle, encoding="utf-8")
    result = run("import", source, "--store", folder / "store")
    assert result.exit_code == 0, result.output
    return folder / "store"
