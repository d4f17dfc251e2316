"""The ontology, its SHACL shapes and the KGO namespace agree with each other."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph
import pytest
from pyshacl import validate
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

from kg.namespace import (
    DOC,
    KGO,
    KGR,
    ONTOLOGY_IRI,
    SHAPES,
    load_ontology,
    load_shapes,
    ontology_path,
    shapes_path,
)

KGO_NS = str(KGO)
# A plain Namespace: rdflib's XSD DefinedNamespace warns when doctest collection probes it.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
DECLARATION_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
    RDFS.Class,
)
CLASSES = {"Organization", "Company", "Brand", "CarModel", "Person", "Market",
           "Technology", "Shareholding", "Document", "Assertion"}
RELATIONS = {"ownsStake", "subsidiaryOf", "rebadgeOf", "basedOn", "producedBy",
             "marketedBy", "partnerOf", "ceoOf", "launchedIn", "usesTechnology",
             "divestedFrom"}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def declared_terms(graph: Graph) -> set[URIRef]:
    return {
        s
        for t in DECLARATION_TYPES
        for s in graph.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(KGO_NS)
    }


def local(term: URIRef) -> str:
    return str(term)[len(KGO_NS):]


# (a) KGO and kg.ttl name the same terms -------------------------------------------

def test_every_kgo_term_is_declared_in_the_ontology(ontology):
    missing = {local(t) for t in dir(KGO)} - {local(t) for t in declared_terms(ontology)}
    assert missing == set()


def test_every_declared_term_is_in_kgo(ontology):
    extra = {local(t) for t in declared_terms(ontology)} - {local(t) for t in dir(KGO)}
    assert extra == set()


def test_kgo_holds_the_contract_terms():
    names = {local(t) for t in dir(KGO)}
    assert CLASSES | RELATIONS <= names
    assert len(names) == 41


def test_kgo_is_closed():
    with pytest.raises(AttributeError):
        KGO.producedby  # noqa: B018 - wrong case must not mint an IRI


def test_classes_and_properties_have_the_declared_kind(ontology):
    for name in CLASSES:
        assert (KGO[name], RDF.type, OWL.Class) in ontology, name
    for name in RELATIONS:
        assert (KGO[name], RDF.type, OWL.ObjectProperty) in ontology, name
    assert (KGO.partnerOf, RDF.type, OWL.SymmetricProperty) in ontology
    for name in ("percent", "votingPercent", "startDate", "endDate", "charStart",
                 "evidenceText", "confidence", "hedged", "sha256", "published"):
        assert (KGO[name], RDF.type, OWL.DatatypeProperty) in ontology, name
    for name in ("holder", "heldEntity", "heldVia", "assertedBy", "inDocument"):
        assert (KGO[name], RDF.type, OWL.ObjectProperty) in ontology, name


# (b) labels and comments ----------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_term_has_a_label_in(ontology, lang):
    unlabelled = [
        local(t)
        for t in declared_terms(ontology)
        if not any(getattr(label, "language", None) == lang
                   for label in ontology.objects(t, RDFS.label))
    ]
    assert unlabelled == []


def test_every_term_has_an_english_comment(ontology):
    uncommented = [
        local(t)
        for t in declared_terms(ontology)
        if not any(c.language == "en" for c in ontology.objects(t, RDFS.comment))
    ]
    assert uncommented == []


# domains, ranges and alignments as the design table says -------------------------

def _union_members(graph: Graph, node) -> set[str]:
    if isinstance(node, URIRef):
        return {local(node)}
    members = graph.value(node, OWL.unionOf)
    assert members is not None, f"{node} is neither a class IRI nor a union"
    return {local(m) for m in graph.items(members)}


@pytest.mark.parametrize(
    ("prop", "domain", "range_"),
    [
        ("ownsStake", {"Organization", "Person"}, {"Organization"}),
        ("subsidiaryOf", {"Organization"}, {"Organization"}),
        ("rebadgeOf", {"CarModel"}, {"CarModel"}),
        ("basedOn", {"CarModel"}, {"CarModel", "Technology"}),
        ("producedBy", {"CarModel"}, {"Organization"}),
        ("marketedBy", {"CarModel"}, {"Organization"}),
        ("partnerOf", {"Organization"}, {"Organization"}),
        ("ceoOf", {"Person"}, {"Organization"}),
        ("launchedIn", {"CarModel"}, {"Market"}),
        ("usesTechnology", {"CarModel"}, {"Technology"}),
        ("divestedFrom", {"Organization"}, {"Organization"}),
        ("holder", {"Shareholding"}, {"Organization", "Person"}),
        ("heldEntity", {"Shareholding"}, {"Organization"}),
        ("assertedBy", {"Shareholding"}, {"Assertion"}),
        ("inDocument", {"Assertion"}, {"Document"}),
    ],
)
def test_domain_and_range(ontology, prop, domain, range_):
    [d] = ontology.objects(KGO[prop], RDFS.domain)
    [r] = ontology.objects(KGO[prop], RDFS.range)
    assert _union_members(ontology, d) == domain
    assert _union_members(ontology, r) == range_


def test_class_hierarchy_and_key_alignments(ontology):
    assert (KGO.Company, RDFS.subClassOf, KGO.Organization) in ontology
    assert (KGO.Brand, RDFS.subClassOf, KGO.Organization) in ontology
    assert (KGO.Assertion, RDFS.subClassOf, RDF.Statement) in ontology
    prov = Namespace("http://www.w3.org/ns/prov#")
    assert (KGO.inDocument, RDFS.subPropertyOf, prov.wasDerivedFrom) in ontology
    wd = Namespace("http://www.wikidata.org/entity/")
    assert (KGO.producedBy, SKOS.closeMatch, wd.P176) in ontology
    assert (KGO.subsidiaryOf, SKOS.closeMatch, wd.P749) in ontology
    assert (KGO.CarModel, SKOS.closeMatch, wd.Q3231690) in ontology


def test_no_close_match_to_an_inverse_property(ontology):
    # wd:P169 (CEO) and wd:P127 (owned by) run the other way round: mentioned, not matched.
    wd = Namespace("http://www.wikidata.org/entity/")
    for prop, inverse in ((KGO.ceoOf, wd.P169), (KGO.ownsStake, wd.P127)):
        assert (prop, SKOS.closeMatch, inverse) not in ontology
        assert (prop, RDFS.seeAlso, inverse) in ontology


# (c) both parsers accept the files -------------------------------------------------

@pytest.mark.parametrize("path", [ontology_path, shapes_path], ids=["kg.ttl", "shapes.ttl"])
def test_files_parse_in_rdflib_and_pyoxigraph_alike(path):
    data = path().read_bytes()
    rdflib_graph = Graph().parse(data=data, format="turtle")
    quads = list(pyoxigraph.parse(data, pyoxigraph.RdfFormat.TURTLE))
    assert len(rdflib_graph) > 100
    assert len(quads) == len(rdflib_graph)
    iris = {str(q.subject.value) for q in quads if isinstance(q.subject, pyoxigraph.NamedNode)}
    assert {str(t) for t in declared_terms(rdflib_graph)} <= iris


def test_ontology_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert str(ONTOLOGY_IRI) == "https://w3id.org/autokg/ontology"
    assert str(KGO) == "https://w3id.org/autokg/ontology#"


# (d) SHACL -------------------------------------------------------------------------

SHA = "8c6e1202c8561c30" * 4
DOC_IRI = DOC[SHA]
AMPERE, TWINGO, RENAULT, NISSAN = KGR.ampere, KGR["renault-twingo"], KGR["renault-group"], KGR.nissan
LUCA = KGR["luca-de-meo"]


def conforming_graph() -> Graph:
    """The RDF shape the graph module writes, by hand (one document's graph)."""
    g = Graph()
    for iri, cls, label in (
        (AMPERE, KGO.Company, "Ampere"),
        (RENAULT, KGO.Company, "Renault Group"),
        (NISSAN, KGO.Brand, "Nissan"),
        (TWINGO, KGO.CarModel, "Renault Twingo"),
        (LUCA, KGO.Person, "Luca de Meo"),
    ):
        g.add((iri, RDF.type, cls))
        g.add((iri, RDFS.label, Literal(label)))
    g.add((TWINGO, SKOS.altLabel, Literal("Twingo")))

    g.add((TWINGO, KGO.producedBy, AMPERE))
    g.add((AMPERE, KGO.subsidiaryOf, RENAULT))
    g.add((LUCA, KGO.ceoOf, RENAULT))
    g.add((RENAULT, KGO.partnerOf, NISSAN))

    produced = URIRef(f"{DOC_IRI}#a-0001")
    g.add((produced, RDF.type, KGO.Assertion))
    g.add((produced, RDF.subject, TWINGO))
    g.add((produced, RDF.predicate, KGO.producedBy))
    g.add((produced, RDF.object, AMPERE))
    g.add((produced, KGO.inDocument, DOC_IRI))
    g.add((produced, KGO.evidenceText, Literal("Twingo diproduksi oleh Ampere.")))
    g.add((produced, KGO.charStart, Literal(12)))
    g.add((produced, KGO.charEnd, Literal(42)))
    g.add((produced, KGO.rule, Literal("id.produced.passive")))
    g.add((produced, KGO.confidence, Literal(Decimal("0.9"))))
    g.add((produced, KGO.hedged, Literal(False)))
    g.add((produced, KGO.language, Literal("id")))
    g.add((produced, KGO.factDate, Literal("2026", datatype=XSD.gYear)))

    stake_fact = URIRef(f"{DOC_IRI}#a-0002")
    g.add((stake_fact, RDF.type, KGO.Assertion))
    g.add((stake_fact, RDF.subject, RENAULT))
    g.add((stake_fact, RDF.predicate, KGO.ownsStake))
    g.add((stake_fact, RDF.object, NISSAN))
    g.add((stake_fact, KGO.inDocument, DOC_IRI))
    g.add((stake_fact, KGO.evidenceText, Literal("Renault memegang 10 persen saham Nissan.")))
    g.add((stake_fact, KGO.charStart, Literal(50)))
    g.add((stake_fact, KGO.charEnd, Literal(90)))
    g.add((stake_fact, KGO.rule, Literal("id.stake.cross_holding")))
    g.add((stake_fact, KGO.confidence, Literal(Decimal("0.9"))))
    g.add((stake_fact, KGO.hedged, Literal(False)))
    g.add((stake_fact, KGO.language, Literal("id")))
    g.add((stake_fact, KGO.percent, Literal(Decimal("10.0"))))

    stake = URIRef(f"{DOC_IRI}#stake-0001")
    g.add((stake, RDF.type, KGO.Shareholding))
    g.add((stake, KGO.holder, RENAULT))
    g.add((stake, KGO.heldEntity, NISSAN))
    g.add((stake, KGO.percent, Literal(Decimal("10.0"))))
    g.add((stake, KGO.startDate, Literal("2023-07", datatype=XSD.gYearMonth)))
    g.add((stake, KGO.assertedBy, stake_fact))
    g.add((RENAULT, KGO.ownsStake, NISSAN))  # the shortcut: the stake has no end date

    g.add((DOC_IRI, RDF.type, KGO.Document))
    g.add((DOC_IRI, KGO.fileName, Literal("000_8c6e1202c8561c30.txt")))
    g.add((DOC_IRI, KGO.language, Literal("id")))
    g.add((DOC_IRI, KGO.sha256, Literal(SHA)))
    g.add((DOC_IRI, DCTERMS.title, Literal("Nissan dan Renault")))
    g.add((DOC_IRI, KGO.published, Literal("2024-01-22", datatype=XSD.date)))
    return g


def shacl(data: Graph, ontology: Graph, shapes: Graph) -> tuple[bool, Graph]:
    conforms, report, _text = validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs",
    )
    return conforms, report


def failing_shapes(report: Graph) -> set[str]:
    """Local names (or property paths) of the shapes that reported violations."""
    sh = Namespace("http://www.w3.org/ns/shacl#")
    found = set()
    for result in report.subjects(RDF.type, sh.ValidationResult):
        shape = report.value(result, sh.sourceShape)
        if isinstance(shape, URIRef):
            found.add(str(shape).rsplit("#", 1)[-1])
        path = report.value(result, sh.resultPath)
        if path is not None:
            found.add(f"path:{str(path).rsplit('#', 1)[-1]}")
    return found


def test_hand_made_graph_conforms(ontology, shapes):
    conforms, report = shacl(conforming_graph(), ontology, shapes)
    assert conforms, report.serialize(format="turtle")


def test_shapes_use_the_shapes_namespace(shapes):
    assert (SHAPES.EntityShape, RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")) in shapes


def test_percent_over_100_fails(ontology, shapes):
    g = conforming_graph()
    stake = URIRef(f"{DOC_IRI}#stake-0001")
    g.set((stake, KGO.percent, Literal(Decimal("150"))))
    conforms, report = shacl(g, ontology, shapes)
    assert not conforms
    assert "ShareholdingPercent" in failing_shapes(report)


def test_car_model_as_ceo_fails(ontology, shapes):
    g = conforming_graph()
    g.add((TWINGO, KGO.ceoOf, RENAULT))
    conforms, report = shacl(g, ontology, shapes)
    assert not conforms
    # RDFS infers the Twingo is a Person; the entity shape sees two kinds at once.
    assert "EntityShape" in failing_shapes(report)


def test_organization_as_object_of_launched_in_fails(ontology, shapes):
    g = conforming_graph()
    g.add((TWINGO, KGO.launchedIn, NISSAN))
    conforms, report = shacl(g, ontology, shapes)
    assert not conforms
    assert "EntityShape" in failing_shapes(report)  # Nissan inferred to be a Market too


def test_market_as_stake_holder_fails(ontology, shapes):
    # a union domain: RDFS infers nothing, the sh:or on the subject must catch it
    g = conforming_graph()
    market = KGR.indonesia
    g.add((market, RDF.type, KGO.Market))
    g.add((market, RDFS.label, Literal("Indonesia")))
    g.add((market, KGO.ownsStake, NISSAN))
    conforms, report = shacl(g, ontology, shapes)
    assert not conforms
    assert "OwnsStakeShape" in failing_shapes(report)


def test_missing_label_fails(ontology, shapes):
    g = conforming_graph()
    g.remove((AMPERE, RDFS.label, None))
    conforms, report = shacl(g, ontology, shapes)
    assert not conforms
    assert "EntityLabel" in failing_shapes(report)


def test_two_labels_fail(ontology, shapes):
    g = conforming_graph()
    g.add((NISSAN, RDFS.label, Literal("Nissan Motor")))
    conforms, report = shacl(g, ontology, shapes)
    assert not conforms
    assert "EntityLabel" in failing_shapes(report)


def test_shareholding_without_holder_fails(ontology, shapes):
    g = conforming_graph()
    stake = URIRef(f"{DOC_IRI}#stake-0001")
    g.remove((stake, KGO.holder, None))
    conforms, report = shacl(g, ontology, shapes)
    assert not conforms
    assert "ShareholdingHolder" in failing_shapes(report)


def test_open_stake_without_shortcut_fails_and_ended_stake_passes(ontology, shapes):
    g = conforming_graph()
    stake = URIRef(f"{DOC_IRI}#stake-0001")
    g.remove((RENAULT, KGO.ownsStake, NISSAN))
    conforms, report = shacl(g, ontology, shapes)
    assert not conforms
    assert "ShareholdingShape" in failing_shapes(report)
    g.add((stake, KGO.endDate, Literal("2024-01-22", datatype=XSD.date)))
    conforms, report = shacl(g, ontology, shapes)
    assert conforms, report.serialize(format="turtle")


def test_date_as_plain_string_fails(ontology, shapes):
    g = conforming_graph()
    stake = URIRef(f"{DOC_IRI}#stake-0001")
    g.set((stake, KGO.startDate, Literal("July 2023")))
    conforms, report = shacl(g, ontology, shapes)
    assert not conforms
    assert "ShareholdingStartDate" in failing_shapes(report)


@pytest.mark.parametrize(
    ("prop", "value"),
    [
        (KGO.confidence, Literal(Decimal("1.5"))),
        (KGO.charStart, Literal(99)),  # after charEnd (42)
        (KGO.hedged, Literal("no")),
        (KGO.charEnd, Literal("42")),  # a string, not an xsd:integer
    ],
    ids=["confidence>1", "start>end", "hedged-not-boolean", "end-not-integer"],
)
def test_bad_assertion_values_fail(ontology, shapes, prop, value):
    g = conforming_graph()
    g.set((URIRef(f"{DOC_IRI}#a-0001"), prop, value))
    conforms, report = shacl(g, ontology, shapes)
    assert not conforms
    assert f"path:{local(prop)}" in failing_shapes(report)


def test_assertion_without_document_fails(ontology, shapes):
    g = conforming_graph()
    g.remove((URIRef(f"{DOC_IRI}#a-0001"), KGO.inDocument, None))
    conforms, report = shacl(g, ontology, shapes)
    assert not conforms
    assert "path:inDocument" in failing_shapes(report)


def test_document_with_bad_sha256_fails(ontology, shapes):
    g = conforming_graph()
    g.set((DOC_IRI, KGO.sha256, Literal("not-a-digest")))
    conforms, report = shacl(g, ontology, shapes)
    assert not conforms
    assert "path:sha256" in failing_shapes(report)


def test_blank_node_stake_fails(ontology, shapes):
    # output must be byte-stable: no blank nodes for stakes
    g = conforming_graph()
    stake = BNode()
    g.add((stake, RDF.type, KGO.Shareholding))
    g.add((stake, KGO.holder, RENAULT))
    g.add((stake, KGO.heldEntity, NISSAN))
    conforms, report = shacl(g, ontology, shapes)
    assert not conforms
    assert "ShareholdingShape" in failing_shapes(report)
