"""`kg import` against the W3C RDF 1.1 Turtle and N-Triples test suites.

Every positive file (syntax and evaluation tests) is accepted, every negative one is
refused with one line naming the file and the line, a non-zero exit code and the
store unchanged; evaluation inputs give exactly the expected graph. The suites are
vendored under tests/data/w3c (see the README.md there).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

import kg.pipeline as pipeline
from kg.errors import ImportRDFError
from kg.iri import DOC
from kg.pipeline import export, import_rdf
from kg.store import open_store
from helpers import run, term

W3C = Path(__file__).parent / "data" / "w3c"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
RDFT = "http://www.w3.org/ns/rdftest#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUITES = {
    # folder: the base the suite's relative IRIs assume (its manifest's mf:assumedTestBase)
    "rdf11-turtle": "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/",
    "rdf11-ntriples": "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-n-triples/",
}


def _manifest(folder: str) -> list[tuple[str, str, str, str | None]]:
    """(folder, kind, action file, result file) for every test of a suite's manifest."""
    base = SUITES[folder]
    triples = list(ox.parse(path=str(W3C / folder / "manifest.ttl"), format=ox.RdfFormat.TURTLE,
                            base_iri=base + "manifest.ttl"))
    kinds = {t.subject: t.object.value.removeprefix(RDFT) for t in triples if t.predicate.value == RDF_TYPE}
    actions = {t.subject: t.object.value.removeprefix(base) for t in triples if t.predicate.value == MF + "action"}
    results = {t.subject: t.object.value.removeprefix(base) for t in triples if t.predicate.value == MF + "result"}
    return sorted((folder, kind, actions[node], results.get(node)) for node, kind in kinds.items() if node in actions)


TESTS = _manifest("rdf11-turtle") + _manifest("rdf11-ntriples")
POSITIVE = [t for t in TESTS if "Positive" in t[1] or t[1].endswith("Eval")]
NEGATIVE = [t for t in TESTS if "Negative" in t[1]]
EVAL = [t for t in TESTS if t[1].endswith("Eval")]


def _id(test) -> str:
    return test[2]




def graph_of(quads) -> Graph:
    graph = Graph()
    for q in quads:
        graph.add((term(q.subject), term(q.predicate), term(q.object)))
    return graph


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A small store the negative tests must leave exactly as it is."""
    folder = tmp_path_factory.mktemp("w3c")
    seed = folder / "seed.ttl"
    seed.write_text('<https://example.org/s> <https://example.org/p> "unchanged" .\n', encoding="utf-8")
    import_rdf(seed, folder / "store")
    return folder / "store"


@pytest.fixture(scope="module")
def open_store_once(tmp_path_factory):
    path = tmp_path_factory.mktemp("w3c-open") / "store"
    path.mkdir()
    (path / "kg-store").touch()
    store = ox.Store(str(path))
    yield store
    del store


@pytest.fixture
def kept_open(open_store_once, monkeypatch):
    """Imports go to one store kept open, instead of opening and flushing RocksDB
    for each of ~300 files (0.2 s each); everything else `kg import` does (format,
    base IRI, parsing, graph naming, writing) still runs."""

    @contextmanager
    def writing(_store_dir):
        yield open_store_once

    monkeypatch.setattr(pipeline, "writing", writing)
    return open_store_once


# --------------------------------------------------------------------- the suites


def test_suites_are_complete():
    counts = {}
    for folder, kind, _action, _result in TESTS:
        counts[(folder, kind)] = counts.get((folder, kind), 0) + 1
    assert counts == {
        ("rdf11-turtle", "TestTurtleEval"): 145,
        ("rdf11-turtle", "TestTurtlePositiveSyntax"): 74,
        ("rdf11-turtle", "TestTurtleNegativeSyntax"): 94,
        ("rdf11-ntriples", "TestNTriplesPositiveSyntax"): 41,
        ("rdf11-ntriples", "TestNTriplesNegativeSyntax"): 29,
    }
    for folder, _kind, action, result in TESTS:
        assert (W3C / folder / action).is_file(), action
        assert result is None or (W3C / folder / result).is_file(), result
    for folder in SUITES:
        assert (W3C / folder / "LICENSE.md").is_file() and (W3C / folder / "README.md").is_file()


def fingerprint(folder: Path) -> list:
    """Every file of a store folder with its size and modification time."""
    return sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("test", NEGATIVE, ids=_id)
def test_negative_file_is_refused_in_one_line_and_store_untouched(store, tmp_path, test):
    folder, _kind, action, _result = test
    source = tmp_path / action
    shutil.copyfile(W3C / folder / action, source)
    before = fingerprint(store)
    result = run("import", source, "--store", store)
    assert result.exit_code != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    assert str(source) in lines[0]
    assert re.search(r": line [0-9]+: ", lines[0]), lines[0]
    assert result.stdout == ""
    assert fingerprint(store) == before  # not even opened for writing


def test_negative_files_leave_the_store_content_as_it_was(store):
    before = export(store, "nq")
    for folder, _kind, action, _result in NEGATIVE:
        assert run("import", W3C / folder / action, "--store", store).exit_code != 0
    assert export(store, "nq") == before
    assert b'"unchanged"' in before


def test_negative_file_never_creates_a_store(tmp_path):
    folder, _kind, action, _result = NEGATIVE[0]
    target = tmp_path / "store"
    assert run("import", W3C / folder / action, "--store", target).exit_code != 0
    assert not target.exists()


def test_positive_files_are_all_accepted(kept_open, tmp_path):
    """Every positive and evaluation input of both suites goes in, through the CLI."""
    failures = []
    for folder, _kind, action, _result in POSITIVE:
        result = run("import", W3C / folder / action, "--store", tmp_path / "unused")
        if result.exit_code != 0 or not result.stdout.startswith("imported "):
            failures.append((action, result.output))
    assert failures == []
    iris = {term.value for q in kept_open for term in (q.subject, q.object, q.graph_name)
            if isinstance(term, ox.NamedNode)}
    # relative IRIs resolved against the graph IRI, never the files' folder (only
    # IRI-resolution-07.ttl has file: IRIs, from its own @base <file:///a/bb/ccc/d;p?q>)
    own = {t.object.value for t in ox.parse(path=str(W3C / "rdf11-turtle" / "IRI-resolution-07.nt"),
                                             format=ox.RdfFormat.N_TRIPLES)}
    assert not [iri for iri in iris if str(W3C) in iri or (iri.startswith("file:") and iri not in own)]


@pytest.mark.parametrize("folder", sorted(SUITES))
def test_a_few_positive_files_into_a_real_store(tmp_path, folder):
    target = tmp_path / "store"
    chosen = [t for t in POSITIVE if t[0] == folder][:4]
    for _folder, _kind, action, _result in chosen:
        result = run("import", W3C / folder / action, "--store", target)
        assert result.exit_code == 0, result.output
    graphs = {q.graph_name for q in open_store(target).quads_for_pattern(None, None, None)}
    assert len(graphs) == len({(W3C / folder / t[2]).read_bytes() for t in chosen if (W3C / folder / t[2]).stat().st_size})


def test_evaluation_inputs_give_the_expected_graph(kept_open):
    """With the suite's base IRI, each Turtle input imports as exactly its N-Triples result.

    The expected graph is loaded into an in-memory Oxigraph store first, because
    Oxigraph keeps XSD numbers, booleans and dates in canonical form ("1.0"^^xsd:decimal
    is stored as "1"^^xsd:decimal): same value, not the same lexical form.
    """
    wrong = []
    for folder, _kind, action, result in EVAL:
        path = W3C / folder / action
        count = import_rdf(path, "unused", base_iri=SUITES[folder] + action)
        graph = ox.NamedNode(DOC + hashlib.sha256(path.read_bytes()).hexdigest())
        got = graph_of(kept_open.quads_for_pattern(None, None, None, graph))
        canonical = ox.Store()
        canonical.extend(ox.Quad(t.subject, t.predicate, t.object, graph)
                         for t in ox.parse(path=str(W3C / folder / result), format=ox.RdfFormat.N_TRIPLES))
        expected = graph_of(canonical)
        if len(got) != len(expected) or not isomorphic(got, expected):
            wrong.append(action)
        assert count >= len(expected)
    assert wrong == []


def test_numbers_keep_their_value_not_their_spelling(tmp_path):
    """The one way an import is not byte-for-byte: Oxigraph canonicalises XSD literals."""
    source = tmp_path / "numbers.ttl"
    source.write_text("<https://x.example/s> <https://x.example/p> 1.0, 1.50, 01, 1E0, true .\n", encoding="utf-8")
    import_rdf(source, tmp_path / "store")
    values = sorted(q.object.value for q in open_store(tmp_path / "store").quads_for_pattern(None, None, None))
    assert values == ["1", "1", "1", "1.5", "true"]


# --------------------------------------------------------------------- base IRI and refused formats


def test_relative_iris_resolve_against_the_graph_not_the_file(tmp_path):
    source = tmp_path / "relative.ttl"
    source.write_text("<s> <p> <#o> .\n<> <p> <../up> .\n", encoding="utf-8")
    store = tmp_path / "store"
    assert run("import", source, "--store", store).exit_code == 0
    data = export(store, "nt").decode("utf-8")
    assert str(tmp_path) not in data and "file:" not in data
    (graph,) = {q.graph_name.value for q in open_store(store).quads_for_pattern(None, None, None)}
    assert graph.startswith(DOC)
    assert f"<{graph}#o>" in data and f"<{graph}> <{DOC}p> <https://w3id.org/autokg/up> ." in data


@pytest.mark.parametrize("base", ["file:///tmp/", "FILE:/etc/", "relative/", "http://x/ y"])
def test_local_or_invalid_base_is_refused(tmp_path, base):
    source = tmp_path / "a.ttl"
    source.write_text("<s> <p> <o> .\n", encoding="utf-8")
    with pytest.raises(ImportRDFError, match="base IRI") as caught:
        import_rdf(source, tmp_path / "store", base_iri=base)
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "store").exists()


def _entity_bomb(depth: int) -> bytes:
    entities = "".join(f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">' for i in range(1, depth + 1))
    return (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a0 "aaaaaaaaaa">' + entities + "]>"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">'
        f'<rdf:Description rdf:about="http://ex.org/s"><ex:p>&a{depth};</ex:p></rdf:Description></rdf:RDF>'
    ).encode()


@pytest.mark.parametrize("suffix", [".rdf", ".owl", ".xml"])
def test_rdf_xml_is_refused_before_parsing(tmp_path, suffix):
    """Oxigraph's RDF/XML parser expands this 1 KB file to 10 GB: kg never hands it over."""
    bomb = tmp_path / f"bomb{suffix}"
    bomb.write_bytes(_entity_bomb(9))
    started = time.monotonic()
    result = run("import", bomb, "--store", tmp_path / "store")
    assert time.monotonic() - started < 5
    assert result.exit_code != 0
    (line,) = [line for line in result.stderr.splitlines() if line.strip()]
    assert str(bomb) in line and "RDF/XML" in line and "Turtle" in line
    assert not (tmp_path / "store").exists()


def test_jsonld_with_remote_context_is_refused_without_fetching(tmp_path):
    """The JSON-LD parser has no document loader: a remote @context is an error, not a download."""
    source = tmp_path / "remote.jsonld"
    source.write_text('{"@context": "https://schema.org/", "@id": "https://example.org/x", "name": "X"}',
                      encoding="utf-8")
    result = run("import", source, "--store", tmp_path / "store")
    assert result.exit_code != 0
    (line,) = [line for line in result.stderr.splitlines() if line.strip()]
    assert str(source) in line and "context" in line
    assert not (tmp_path / "store").exists()
