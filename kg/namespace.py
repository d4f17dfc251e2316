"""Ontology terms as a closed namespace, and access to the shipped ontology files.

``KGO`` mirrors ``ontology/kg.ttl`` term for term (a test checks both directions),
so a typo such as ``KGO.producedby`` fails at once instead of minting a new IRI.

>>> KGO.producedBy
rdflib.term.URIRef('https://w3id.org/autokg/ontology#producedBy')
>>> KGO.madeUpTerm
Traceback (most recent call last):
...
AttributeError: term 'madeUpTerm' not in namespace 'https://w3id.org/autokg/ontology#'
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from rdflib import Graph, Namespace, URIRef
from rdflib import namespace as _rdflib_namespace

from .iri import DOC as _DOC
from .iri import ENTITY as _ENTITY
from .iri import ONTOLOGY as _ONTOLOGY


class KGO(_rdflib_namespace.DefinedNamespace):
    """The kg ontology, ``https://w3id.org/autokg/ontology#`` (prefix ``kgo``)."""

    _fail = True
    _NS = Namespace(_ONTOLOGY)

    # Classes
    Organization: URIRef  # company, brand, group or other organised body
    Company: URIRef  # a business (subclass of Organization)
    Brand: URIRef  # a marque (subclass of Organization)
    CarModel: URIRef  # a model or model line of motor vehicle
    Person: URIRef
    Market: URIRef  # geographic market: country or region
    Technology: URIRef  # powertrain, platform, technology
    Shareholding: URIRef  # one equity stake, qualified
    Document: URIRef  # an ingested article; names its graph
    Assertion: URIRef  # one extracted fact, reified (subclass of rdf:Statement)

    # Relations between entities
    ownsStake: URIRef  # Organization|Person -> Organization
    subsidiaryOf: URIRef  # Organization -> Organization
    rebadgeOf: URIRef  # CarModel -> CarModel (subproperty of basedOn)
    basedOn: URIRef  # CarModel -> CarModel|Technology
    producedBy: URIRef  # CarModel -> Organization
    marketedBy: URIRef  # CarModel -> Organization
    partnerOf: URIRef  # Organization <-> Organization (symmetric)
    ceoOf: URIRef  # Person -> Organization
    launchedIn: URIRef  # CarModel -> Market
    usesTechnology: URIRef  # CarModel -> Technology
    divestedFrom: URIRef  # Organization -> Organization

    # Shareholding terms
    holder: URIRef
    heldEntity: URIRef
    heldVia: URIRef
    assertedBy: URIRef  # Shareholding -> Assertion
    percent: URIRef  # xsd:decimal, 0..100
    votingPercent: URIRef  # xsd:decimal, 0..100
    startDate: URIRef  # xsd:date | xsd:gYearMonth | xsd:gYear
    endDate: URIRef  # xsd:date | xsd:gYearMonth | xsd:gYear

    # Provenance terms
    inDocument: URIRef  # Assertion -> Document
    evidenceText: URIRef
    charStart: URIRef  # xsd:integer, 0-based
    charEnd: URIRef  # xsd:integer, exclusive
    rule: URIRef
    confidence: URIRef  # xsd:decimal, 0..1
    hedged: URIRef  # xsd:boolean
    language: URIRef  # ISO 639-1 code or "und"
    factDate: URIRef  # xsd:date | xsd:gYearMonth | xsd:gYear
    fileName: URIRef
    sha256: URIRef
    published: URIRef  # xsd:date


#: The ontology IRI (no trailing ``#``): ``owl:Ontology`` subject of kg.ttl.
ONTOLOGY_IRI = URIRef(_ONTOLOGY.rstrip("#"))
#: Entities: ``kgr:<slug>``.
KGR = Namespace(_ENTITY)
#: Documents: ``doc:<sha256>``; each also names the graph of its facts.
DOC = Namespace(_DOC)
#: SHACL shapes of ``ontology/shapes.ttl``.
SHAPES = Namespace("https://w3id.org/autokg/shapes#")

#: Prefixes kg binds when it writes RDF.
PREFIXES: dict[str, str] = {
    "kgo": _ONTOLOGY,
    "kgr": _ENTITY,
    "doc": _DOC,
}

_PACKAGE = "kg.ontology"


def ontology_path() -> Traversable:
    """``kg.ttl`` as shipped in the installed package (works from a wheel too)."""
    return resources.files(_PACKAGE) / "kg.ttl"


def shapes_path() -> Traversable:
    """``shapes.ttl`` as shipped in the installed package."""
    return resources.files(_PACKAGE) / "shapes.ttl"


def load_ontology() -> Graph:
    """A fresh rdflib graph holding the ontology.

    >>> (ONTOLOGY_IRI, None, None) in load_ontology()
    True
    """
    graph = Graph()
    # read_bytes rather than a file path: the resource may live inside a zip.
    graph.parse(data=ontology_path().read_bytes(), format="turtle")
    return graph


def load_shapes() -> Graph:
    """A fresh rdflib graph holding the SHACL shapes."""
    graph = Graph()
    graph.parse(data=shapes_path().read_bytes(), format="turtle")
    return graph
