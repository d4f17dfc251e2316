"""Typed records passed between pipeline stages.

Offsets are character offsets into :attr:`Document.text`, so
``doc.text[ev.start:ev.end] == ev.text`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Entity types are the ontology's class local names.
COMPANY = "Company"
BRAND = "Brand"
ORGANIZATION = "Organization"
CAR_MODEL = "CarModel"
PERSON = "Person"
MARKET = "Market"
TECHNOLOGY = "Technology"
ENTITY_TYPES = (ORGANIZATION, COMPANY, BRAND, CAR_MODEL, PERSON, MARKET, TECHNOLOGY)
ORG_TYPES = frozenset({ORGANIZATION, COMPANY, BRAND})

RELATIONS = (
    "ownsStake",
    "subsidiaryOf",
    "rebadgeOf",
    "basedOn",
    "producedBy",
    "marketedBy",
    "partnerOf",
    "ceoOf",
    "launchedIn",
    "usesTechnology",
    "divestedFrom",
)
SYMMETRIC = frozenset({"partnerOf"})


@dataclass(frozen=True)
class Document:
    """One ingested article. ``key`` is the sha256 of the normalised text."""

    source: str  # path as the user gave it (never written into RDF)
    text: str  # normalised body: NFC, LF line ends, no BOM, header removed
    lang: str  # ISO 639-1 code, or "und" when unknown
    key: str  # sha256 hex of text
    title: str | None = None
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD or None

    @property
    def name(self) -> str:
        """File name without folders: safe to show and to store."""
        return self.source.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity:
    """A canonical thing in the world. ``key`` is its IRI slug."""

    key: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None  # KB key of the maker/owner, used for linking only


@dataclass(frozen=True)
class Mention:
    """A span of text that names (or refers back to) an entity."""

    start: int
    end: int
    text: str
    type: str
    entity: Entity
    sentence: int
    source: str = "kb"  # kb | rule | coref | derived | title (a name in the headline)
    fallbacks: tuple[Entity, ...] = ()  # coref: the next antecedents, nearest first
    pair_part: int | None = None  # coref to a pair ("the two companies"): 0 or 1


@dataclass(frozen=True)
class Evidence:
    doc: str  # Document.source
    doc_key: str
    text: str  # the sentence(s), exactly doc.text[start:end]
    start: int
    end: int


@dataclass(frozen=True)
class Fact:
    subject: Entity
    predicate: str
    object: Entity
    evidence: Evidence
    rule: str
    lang: str
    confidence: float
    hedged: bool = False
    percent: float | None = None
    date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    end_date: str | None = None  # for stakes that ended
    extras: dict = field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> dict:
        """The JSONL machine contract of DESIGN.md."""
        from .iri import entity_iri

        return {
            "doc": self.evidence.doc,
            "subject": self.subject.label,
            "subject_iri": entity_iri(self.subject.key),
            "predicate": self.predicate,
            "object": self.object.label,
            "object_iri": entity_iri(self.object.key),
            "percent": self.percent,
            "date": self.date,
            "hedged": self.hedged,
            "confidence": self.confidence,
            "evidence": {
                "text": self.evidence.text,
                "start": self.evidence.start,
                "end": self.evidence.end,
            },
            "rule": self.rule,
            "lang": self.lang,
            # surface strings of the two mentions, for scoring and debugging
            "subject_text": self.extras.get("subject_text"),
            "object_text": self.extras.get("object_text"),
        }
