"""Graph: a document and its facts -> RDF quads in the document's named graph.

No blank nodes: stake and assertion nodes are minted under the document IRI from a
hash of what they say, so the same input always gives the same quads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pyoxigraph import Literal, NamedNode, Quad

from .iri import DOC, ENTITY, ONTOLOGY, digest, doc_iri, entity_iri
from .model import Document, Entity, Fact

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PREFIXES = {
    "kgo": ONTOLOGY,
    "kgr": ENTITY,
    "doc": DOC,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
}

_TYPE = NamedNode(RDF + "type")
_LABEL = NamedNode(RDFS + "label")
_ALT = NamedNode(SKOS + "altLabel")


def kgo(name: str) -> NamedNode:
    return NamedNode(ONTOLOGY + name)


def _decimal(value: float) -> Literal:
    return Literal(repr(float(value)), datatype=NamedNode(XSD + "decimal"))


def date_literal(value: str) -> Literal:
    """xsd:gYear, xsd:gYearMonth or xsd:date by the shape of the value.

    >>> date_literal("2026").datatype.value, date_literal("2024-01-22").datatype.value[-4:]
    ('http://www.w3.org/2001/XMLSchema#gYear', 'date')
    """
    kind = {4: "gYear", 7: "gYearMonth"}.get(len(value), "date")
    return Literal(value, datatype=NamedNode(XSD + kind))


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "integer"))


def _boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=NamedNode(XSD + "boolean"))


def document_quads(doc: Document, facts: Iterable[Fact]) -> list[Quad]:
    """Every quad of one document's named graph, sorted and without duplicates."""
    graph = NamedNode(doc_iri(doc.key))
    quads: set[Quad] = set(_document_node(doc, graph))
    for fact in facts:
        quads.update(_fact_quads(fact, graph))
    return sorted(quads, key=str)


def _document_node(doc: Document, graph: NamedNode) -> Iterator[Quad]:
    node = graph
    yield Quad(node, _TYPE, kgo("Document"), graph)
    yield Quad(node, kgo("fileName"), Literal(doc.name), graph)
    yield Quad(node, kgo("language"), Literal(doc.lang), graph)
    yield Quad(node, kgo("sha256"), Literal(doc.key), graph)
    if doc.title:
        yield Quad(node, NamedNode(DCTERMS + "title"), Literal(doc.title), graph)
    if doc.url and _valid_iri(doc.url):
        yield Quad(node, NamedNode(DCTERMS + "source"), NamedNode(doc.url), graph)
    if doc.published:
        yield Quad(node, kgo("published"), date_literal(doc.published), graph)


def _valid_iri(value: str) -> bool:
    if not value.startswith(("http://", "https://")):
        return False
    try:
        NamedNode(value)
    except ValueError:
        return False
    return True


def entity_quads(entity: Entity, graph: NamedNode) -> Iterator[Quad]:
    node = NamedNode(entity_iri(entity.key))
    yield Quad(node, _TYPE, kgo(entity.type), graph)
    yield Quad(node, _LABEL, Literal(entity.label), graph)


def _fact_quads(fact: Fact, graph: NamedNode) -> Iterator[Quad]:
    subject = NamedNode(entity_iri(fact.subject.key))
    obj = NamedNode(entity_iri(fact.object.key))
    predicate = kgo(fact.predicate)
    yield from entity_quads(fact.subject, graph)
    yield from entity_quads(fact.object, graph)
    for entity, surface in ((fact.subject, fact.extras.get("subject_text")), (fact.object, fact.extras.get("object_text"))):
        if surface in fact.extras.get("aliases", ()):
            yield Quad(NamedNode(entity_iri(entity.key)), _ALT, Literal(surface), graph)

    ended = fact.extras.get("ended", False)
    assertion = NamedNode(f"{graph.value}#a-{digest(fact.subject.key, fact.predicate, fact.object.key, fact.evidence.start, fact.percent, ended)}")
    if fact.predicate != "ownsStake" or not ended:
        yield Quad(subject, predicate, obj, graph)
    yield Quad(assertion, _TYPE, kgo("Assertion"), graph)
    yield Quad(assertion, NamedNode(RDF + "subject"), subject, graph)
    yield Quad(assertion, NamedNode(RDF + "predicate"), predicate, graph)
    yield Quad(assertion, NamedNode(RDF + "object"), obj, graph)
    yield Quad(assertion, kgo("inDocument"), graph, graph)
    yield Quad(assertion, kgo("evidenceText"), Literal(fact.evidence.text), graph)
    yield Quad(assertion, kgo("charStart"), _integer(fact.evidence.start), graph)
    yield Quad(assertion, kgo("charEnd"), _integer(fact.evidence.end), graph)
    yield Quad(assertion, kgo("rule"), Literal(fact.rule), graph)
    yield Quad(assertion, kgo("confidence"), _decimal(fact.confidence), graph)
    yield Quad(assertion, kgo("hedged"), _boolean(fact.hedged), graph)
    yield Quad(assertion, kgo("language"), Literal(fact.lang), graph)
    if fact.date:
        yield Quad(assertion, kgo("factDate"), date_literal(fact.date), graph)
    if fact.percent is not None:
        yield Quad(assertion, kgo("percent"), _decimal(fact.percent), graph)

    if fact.predicate == "ownsStake":
        stake = NamedNode(f"{graph.value}#stake-{digest(fact.subject.key, fact.object.key, fact.percent, ended)}")
        yield Quad(stake, _TYPE, kgo("Shareholding"), graph)
        yield Quad(stake, kgo("holder"), subject, graph)
        yield Quad(stake, kgo("heldEntity"), obj, graph)
        yield Quad(stake, kgo("assertedBy"), assertion, graph)
        if fact.percent is not None:
            yield Quad(stake, kgo("percent"), _decimal(fact.percent), graph)
        if fact.date and not ended:
            yield Quad(stake, kgo("startDate"), date_literal(fact.date), graph)
        if ended and fact.end_date:
            yield Quad(stake, kgo("endDate"), date_literal(fact.end_date), graph)
