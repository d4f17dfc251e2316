"""The library API behind the CLI: build, extract, export, import, stats.

Each function streams documents one at a time, so memory does not grow with the
corpus; only the store does.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import ImportRDFError, KGError
from .extract import extract_document
from .graph import PREFIXES, document_quads
from .ingest import DEFAULT_MAX_BYTES, Problem, read_documents
from .iri import doc_iri
from .model import Document, Fact
from .store import DEFAULT_STORE, atomic_write, open_store, replace_graph, sorted_nquads, sorted_ntriples, writing

EXPORT_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}
QUAD_FORMATS = {"trig", "nq"}
IMPORT_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}
# RDF/XML is refused: Oxigraph's parser expands nested XML entities without limit
# (a 1 KB "billion laughs" file needs 10 GB) and slows down cubically with depth.
REFUSED_SUFFIXES = {".rdf", ".owl", ".xml"}


@dataclass
class BuildReport:
    documents: int = 0
    facts: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Extraction:
    document: Document
    facts: list[Fact]


def extract_paths(paths, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Extraction | Problem]:
    """Extraction of every readable document, and a Problem for every bad file."""
    for item in read_documents(paths, max_bytes=max_bytes):
        if isinstance(item, Problem):
            yield item
        else:
            yield Extraction(item, extract_document(item))


def language_warning(doc: Document) -> str | None:
    from .lexicon import lexicon_or_none

    if lexicon_or_none(doc.lang) is None:
        return f"{doc.source}: language {doc.lang!r} is not supported (id, en); no facts extracted"
    return None


def build(paths, store_dir: str | Path = DEFAULT_STORE, *, max_bytes: int = DEFAULT_MAX_BYTES,
          progress: Callable[[str], None] | None = None) -> BuildReport:
    """Ingest, extract, link and write every document into the store, one named graph each."""
    report = BuildReport()
    store = None  # opened at the first good document, so a failed batch leaves no empty store
    try:
        for item in extract_paths(paths, max_bytes=max_bytes):
            if isinstance(item, Problem):
                report.problems.append(item)
                continue
            warning = language_warning(item.document)
            if warning:
                report.warnings.append(warning)
            if store is None:
                store = open_store(store_dir, write=True)
            graph = ox.NamedNode(doc_iri(item.document.key))
            replace_graph(store, graph, document_quads(item.document, item.facts))
            report.documents += 1
            report.facts += len(item.facts)
            if progress:
                progress(item.document.source)
    finally:
        if store is not None:
            store.flush()
    return report


def export(store_dir: str | Path = DEFAULT_STORE, fmt: str = "turtle", output: str | Path | None = None) -> bytes:
    """Serialise the store: triple formats get the union of all graphs, quad formats keep them.

    Output is sorted and uses fixed prefixes, so the same store gives the same bytes.
    """
    if fmt not in EXPORT_FORMATS:
        raise KGError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    store = open_store(store_dir)
    lines = sorted_nquads(store) if fmt in QUAD_FORMATS else sorted_ntriples(store)
    store.close()  # a build may start while the bytes are serialised and written
    if fmt in ("nt", "nq"):
        payload = lines
    else:  # re-serialised in the sorted order, with fixed prefixes
        source = ox.RdfFormat.N_QUADS if fmt in QUAD_FORMATS else ox.RdfFormat.N_TRIPLES
        payload = ox.serialize(ox.parse(lines, format=source), format=EXPORT_FORMATS[fmt], prefixes=PREFIXES)
    if output is not None:
        try:
            atomic_write(output, payload)
        except OSError as err:
            raise KGError(f"{output}: cannot write the export ({err.strerror}); check the folder and its permissions") from None
    return payload


def import_rdf(path: str | Path, store_dir: str | Path = DEFAULT_STORE, fmt: str | None = None, *,
               base_iri: str | None = None) -> int:
    """Load an RDF file into the store; returns the number of quads added.

    The file is parsed completely (strictly, by Oxigraph) before anything is
    written, so a broken file leaves the store unchanged. Triples outside a named
    graph go to a graph named after the file's content hash, so importing the same
    file again replaces it. Relative IRIs resolve against ``base_iri``, by default
    that graph's IRI (never the file's location, which would put a local path in
    the graph).
    """
    path = Path(path)
    if not fmt and path.suffix.lower() in REFUSED_SUFFIXES:
        raise ImportRDFError(f"{path}: RDF/XML is not imported (its parser expands XML entities without limit); "
                             "convert it to Turtle or N-Triples first")
    rdf_format = EXPORT_FORMATS.get(fmt) if fmt else IMPORT_FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        raise ImportRDFError(f"{path}: unknown RDF format; use .ttl, .nt, .trig, .nq or .jsonld, or pass --format")
    if base_iri is not None:
        _check_base(path, base_iri)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ImportRDFError(f"{path}: cannot be read ({err.strerror}); check the path") from None
    graph = ox.NamedNode(doc_iri(hashlib.sha256(raw).hexdigest()))
    try:
        parsed = list(ox.parse(raw, format=rdf_format, base_iri=base_iri or graph.value))
    except SyntaxError as err:
        where = f"line {err.lineno}" if err.lineno else "unknown position"
        message = " ".join(str(err).split(" (line")[0].split())
        raise ImportRDFError(f"{path}: {where}: {message}; fix the file and import again") from None
    quads = [q if isinstance(q, ox.Quad) and q.graph_name != ox.DefaultGraph() else ox.Quad(q.subject, q.predicate, q.object, graph) for q in parsed]
    with writing(store_dir) as store:
        replace_graph(store, graph, [q for q in quads if q.graph_name == graph])
        store.extend([q for q in quads if q.graph_name != graph])
    return len(quads)


def _check_base(path: Path, base_iri: str) -> None:
    try:
        ox.NamedNode(base_iri)
    except ValueError as err:
        raise ImportRDFError(f"{path}: base IRI {base_iri!r} is not an absolute IRI ({err}); give one like https://example.org/") from None
    if base_iri.lower().startswith("file:"):
        raise ImportRDFError(f"{path}: base IRI {base_iri!r} is a local path; give an http(s) or urn: IRI")


def stats(store_dir: str | Path = DEFAULT_STORE) -> dict:
    """Counts of entities per class and facts per relation (over all graphs)."""
    store = open_store(store_dir)
    classes: Counter = Counter()
    relations: Counter = Counter()
    query_classes = """
        PREFIX kgo: <https://w3id.org/autokg/ontology#>
        SELECT ?class (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?class } GROUP BY ?class"""
    for row in store.query(query_classes, use_default_graph_as_union=True):
        classes[row["class"].value.rsplit("#", 1)[-1]] = int(row["n"].value)
    query_relations = """
        PREFIX kgo: <https://w3id.org/autokg/ontology#>
        SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE {
          ?s ?p ?o . FILTER(STRSTARTS(STR(?p), STR(kgo:)) && isIRI(?o)
          && ?p NOT IN (kgo:holder, kgo:heldEntity, kgo:heldVia, kgo:assertedBy, kgo:inDocument)) } } GROUP BY ?p"""
    for row in store.query(query_relations, use_default_graph_as_union=True):
        relations[row["p"].value.rsplit("#", 1)[-1]] = int(row["n"].value)
    documents = classes.pop("Document", 0)
    return {"documents": documents, "entities": dict(sorted(classes.items())), "facts": dict(sorted(relations.items()))}


def evaluate_folder(gold_dir, corpus_dir=None, fmt: str = "table") -> str:
    """Extract the articles behind ``gold_dir`` and score them (see :mod:`kg.evaluate`)."""
    from .evaluate import format_report, load_gold, load_languages, score
    from .ingest import SUFFIXES

    gold_dir = Path(gold_dir)
    gold = load_gold(gold_dir, Path(corpus_dir) if corpus_dir else None)
    langs = load_languages(gold_dir, Path(corpus_dir) if corpus_dir else None)
    folders = [Path(corpus_dir)] if corpus_dir else [gold_dir, gold_dir.parent / "corpus"]
    articles = [
        path for folder in folders if folder.is_dir() for path in sorted(folder.iterdir())
        if path.suffix in SUFFIXES and path.stem in gold
    ]
    predictions = []
    for item in extract_paths(articles):
        if isinstance(item, Extraction):
            predictions.extend(fact.to_json() for fact in item.facts)
    return format_report(score(predictions, gold, langs), fmt)
