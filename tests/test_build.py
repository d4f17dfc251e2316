"""Build seeds/ into real stores and check the graph: shapes, evidence offsets,
export round trips, determinism, rebuilds, bad batches, import and stats."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.errors import ImportRDFError, KGError
from kg.ingest import read_documents
from kg.model import Document
from kg.namespace import KGO, load_ontology, load_shapes
from kg.pipeline import build, export, import_rdf, stats
from helpers import term, rdflib_graph, store_quads

# rdflib's own parsers still call its deprecated ConjunctiveGraph API.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nq": "nquads"}
OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
              "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS}


# --------------------------------------------------------------------- helpers





def store_union(store_dir) -> Graph:
    """The union of all named graphs, read straight from the store."""
    return rdflib_graph(store_quads(store_dir))


def store_graphs(store_dir) -> dict[str, Graph]:
    graphs: dict[str, Graph] = {}
    for quad in store_quads(store_dir):
        assert isinstance(quad.graph_name, ox.NamedNode), f"triple outside a named graph: {quad}"
        graphs.setdefault(quad.graph_name.value, Graph()).add(
            (term(quad.subject), term(quad.predicate), term(quad.object)))
    return graphs


def seed_documents() -> dict[str, Document]:
    return {d.key: d for d in read_documents([SEEDS]) if isinstance(d, Document)}


def turtle_graph(data: bytes) -> Graph:
    return Graph().parse(data=data, format="turtle")


# --------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    store = tmp_path_factory.mktemp("build") / "store"
    report = build([SEEDS], store)
    return store, report


@pytest.fixture(scope="module")
def exported(built):
    store, _report = built
    return {fmt: export(store, fmt) for fmt in OX_FORMATS}


@pytest.fixture(scope="module")
def union_graph(exported) -> Graph:
    return turtle_graph(exported["turtle"])


# --------------------------------------------------------------------- the build


def test_seed_build_reports_documents_and_facts(built):
    store, report = built
    docs = seed_documents()
    assert docs, "seeds/ has no readable article"
    assert report.problems == []
    assert report.documents == len(docs)
    assert report.facts > 0
    graphs = store_graphs(store)
    from kg.iri import doc_iri

    assert set(graphs) == {doc_iri(key) for key in docs}


def test_every_document_graph_describes_its_document(built):
    store, _ = built
    docs = seed_documents()
    for iri, graph in store_graphs(store).items():
        node = URIRef(iri)
        assert (node, RDF_TYPE, KGO.Document) in graph
        (sha,) = list(graph.objects(node, KGO.sha256))
        assert iri.endswith(str(sha))
        (file_name,) = list(graph.objects(node, KGO.fileName))
        assert str(file_name) == docs[str(sha)].name
        assert "/" not in str(file_name)  # paths never go into RDF
        (lang,) = list(graph.objects(node, KGO.language))
        assert str(lang) == docs[str(sha)].lang


@pytest.mark.slow
def test_export_conforms_to_shapes(union_graph):
    from pyshacl import validate

    conforms, _report, text = validate(
        union_graph, shacl_graph=load_shapes(), ont_graph=load_ontology(), inference="rdfs")
    assert conforms, text


def test_evidence_offsets_slice_the_document_text(union_graph):
    docs = seed_documents()
    assertions = list(union_graph.subjects(RDF_TYPE, KGO.Assertion))
    assert assertions
    for node in assertions:
        (document,) = list(union_graph.objects(node, KGO.inDocument))
        (sha,) = list(union_graph.objects(document, KGO.sha256))
        text = docs[str(sha)].text
        (start,) = list(union_graph.objects(node, KGO.charStart))
        (end,) = list(union_graph.objects(node, KGO.charEnd))
        (evidence,) = list(union_graph.objects(node, KGO.evidenceText))
        start, end = int(start.toPython()), int(end.toPython())
        assert 0 <= start < end <= len(text)
        assert text[start:end] == str(evidence), node


def test_assertions_match_their_triples(union_graph):
    """Every reified assertion of a non-ended relation has its direct triple."""
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    for node in union_graph.subjects(RDF_TYPE, KGO.Assertion):
        s = union_graph.value(node, URIRef(rdf + "subject"))
        p = union_graph.value(node, URIRef(rdf + "predicate"))
        o = union_graph.value(node, URIRef(rdf + "object"))
        assert None not in (s, p, o)
        if p != KGO.ownsStake:
            assert (s, p, o) in union_graph, (s, p, o)


# --------------------------------------------------------------------- export round trips


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_triple_export_round_trips_in_rdflib_and_oxigraph(built, exported, fmt):
    store, _ = built
    expected = store_union(store)
    assert len(expected) > 0
    via_rdflib = Graph().parse(data=exported[fmt], format=RDFLIB_FORMATS[fmt])
    via_oxigraph = rdflib_graph(ox.parse(exported[fmt], format=OX_FORMATS[fmt]))
    assert len(via_rdflib) == len(expected)
    assert isomorphic(via_rdflib, expected)
    assert isomorphic(via_oxigraph, expected)


@pytest.mark.parametrize("fmt", ["trig", "nq"])
def test_quad_export_round_trips_graph_by_graph(built, exported, fmt):
    store, _ = built
    expected = store_graphs(store)
    # pyoxigraph
    got: dict[str, Graph] = {}
    for quad in ox.parse(exported[fmt], format=OX_FORMATS[fmt]):
        got.setdefault(quad.graph_name.value, Graph()).add(
            (term(quad.subject), term(quad.predicate), term(quad.object)))
    assert set(got) == set(expected)
    for name, graph in expected.items():
        assert isomorphic(got[name], graph), name
    # rdflib
    dataset = Dataset()
    dataset.parse(data=exported[fmt], format=RDFLIB_FORMATS[fmt])
    named = {str(g.identifier): g for g in dataset.graphs() if len(g)}
    assert set(named) == set(expected)
    for name, graph in expected.items():
        assert isomorphic(named[name], graph), name


def test_export_to_file_writes_same_bytes(built, exported, tmp_path):
    store, _ = built
    target = tmp_path / "out.ttl"
    payload = export(store, "turtle", target)
    assert target.read_bytes() == payload == exported["turtle"]
    assert not [p for p in tmp_path.iterdir() if p.name != "out.ttl"], "temp file left behind"


def test_export_unknown_format_is_a_kg_error(built):
    store, _ = built
    with pytest.raises(KGError, match="unknown export format 'xml'"):
        export(store, "xml")


# --------------------------------------------------------------------- determinism and rebuilds


@pytest.mark.slow
def test_two_fresh_builds_export_the_same_bytes(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    build([SEEDS], first)
    build([SEEDS], second)
    for fmt in ("turtle", "nt", "jsonld", "trig", "nq"):
        assert export(first, fmt) == export(second, fmt), fmt


def test_rebuild_into_same_store_changes_nothing(tmp_path):
    store = tmp_path / "store"
    build([SEEDS], store)
    before = {fmt: export(store, fmt) for fmt in ("nq", "turtle")}
    count = len(store_quads(store))
    report = build([SEEDS], store)
    assert report.problems == []
    assert len(store_quads(store)) == count
    assert {fmt: export(store, fmt) for fmt in ("nq", "turtle")} == before


def test_rebuild_replaces_the_document_graph(tmp_path):
    """Stale quads in a document's graph are dropped when the document is built again."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus, ignore=shutil.ignore_patterns("*.json"))
    store = tmp_path / "store"
    build([corpus], store)
    before = export(store, "nq")
    graph = next(iter(store_graphs(store)))
    stale = ox.Quad(ox.NamedNode("https://w3id.org/autokg/entity/stale"), ox.NamedNode(str(KGO.producedBy)),
                    ox.NamedNode("https://w3id.org/autokg/entity/nobody"), ox.NamedNode(graph))
    writer = ox.Store(str(store))
    writer.add(stale)
    writer.flush()
    del writer
    assert export(store, "nq") != before
    build([corpus], store)
    assert export(store, "nq") == before


def test_batch_with_a_bad_file_builds_the_rest(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus, ignore=shutil.ignore_patterns("*.json"))
    bad = corpus / "broken.txt"
    bad.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00binary")
    store = tmp_path / "store"
    report = build([corpus], store)
    assert report.documents == len(seed_documents())
    assert report.facts > 0
    assert [p.source for p in report.problems] == [str(bad)]
    assert str(bad) in str(report.problems[0].error)
    assert stats(store)["documents"] == report.documents


def test_build_reports_progress_per_document(tmp_path):
    seen: list[str] = []
    report = build([SEEDS], tmp_path / "store", progress=seen.append)
    assert len(seen) == report.documents
    assert seen == sorted(seen)


def test_unsupported_language_is_a_warning_not_a_failure(tmp_path):
    article = tmp_path / "fr.txt"
    article.write_text("Renault va produire la nouvelle Twingo en Slovénie à partir de 2026.", encoding="utf-8")
    store = tmp_path / "store"
    report = build([article], store)
    assert report.documents == 1 and report.problems == [] and report.facts == 0
    assert len(report.warnings) == 1
    assert str(article) in report.warnings[0] and "not supported" in report.warnings[0]
    assert stats(store)["documents"] == 1


# --------------------------------------------------------------------- import


def test_import_exported_turtle_into_fresh_store(built, exported, tmp_path):
    dump = tmp_path / "dump.ttl"
    dump.write_bytes(exported["turtle"])
    fresh = tmp_path / "fresh"
    added = import_rdf(dump, fresh)
    assert added == len(turtle_graph(exported["turtle"]))
    assert export(fresh, "turtle") == exported["turtle"]
    assert export(fresh, "nt") == exported["nt"]
    # importing the same file again replaces its graph instead of doubling it
    import_rdf(dump, fresh)
    assert len(store_quads(fresh)) == added


def test_import_broken_turtle_names_file_and_line_and_leaves_store(built, exported, tmp_path):
    store = tmp_path / "store"
    build([SEEDS], store)
    before = export(store, "nq")
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix kgr: <https://w3id.org/autokg/entity/> .\n"
        "kgr:a kgr:b kgr:c .\n"
        "kgr:d kgr:e kgr:f .\n"
        "kgr:g kgr:h \"unterminated .\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRDFError) as info:
        import_rdf(broken, store)
    message = str(info.value)
    assert str(broken) in message
    assert "line 4" in message
    assert "\n" not in message
    assert export(store, "nq") == before


def test_import_missing_file_and_unknown_suffix(tmp_path):
    with pytest.raises(ImportRDFError, match="nothing.ttl"):
        import_rdf(tmp_path / "nothing.ttl", tmp_path / "store")
    odd = tmp_path / "data.xyz"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(ImportRDFError, match="data.xyz"):
        import_rdf(odd, tmp_path / "store")


# --------------------------------------------------------------------- stats


def test_stats_counts_match_the_store(built, union_graph):
    store, report = built
    numbers = stats(store)
    assert numbers["documents"] == report.documents == len(set(union_graph.subjects(RDF_TYPE, KGO.Document)))

    classes = Counter()
    for subject, klass in set(union_graph.subject_objects(RDF_TYPE)):
        if str(klass).startswith(str(KGO)) and klass != KGO.Document:
            classes[str(klass)[len(str(KGO)):]] += 1
    assert numbers["entities"] == dict(classes)
    assert 0 < numbers["entities"]["Assertion"] <= report.facts

    skip = {KGO.holder, KGO.heldEntity, KGO.heldVia, KGO.assertedBy, KGO.inDocument}
    relations = Counter(
        str(p)[len(str(KGO)):]
        for s, p, o in union_graph
        if str(p).startswith(str(KGO)) and isinstance(o, URIRef) and p not in skip
    )
    assert numbers["facts"] == dict(relations)
    assert sum(numbers["facts"].values()) > 0


def test_stats_on_missing_store_is_a_kg_error(tmp_path):
    with pytest.raises(KGError, match="no kg store"):
        stats(tmp_path / "nowhere")
