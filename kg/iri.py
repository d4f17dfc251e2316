"""Deterministic, always-valid IRIs for entities, documents and assertions."""

from __future__ import annotations

import hashlib
import re
import unicodedata

ONTOLOGY = "https://w3id.org/autokg/ontology#"
ENTITY = "https://w3id.org/autokg/entity/"
DOC = "https://w3id.org/autokg/doc/"

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(name: str) -> str:
    """Lower-case ASCII slug; names with no letters or digits get a hash slug.

    >>> slugify("Group Renault")
    'group-renault'
    >>> slugify("Škoda Auto a.s.")
    'skoda-auto-a-s'
    >>> slugify('x" } ; DROP ALL ; #')
    'x-drop-all'
    >>> slugify("🚗🚗")[:2]
    'h-'
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = _NON_SLUG.sub("-", folded.lower()).strip("-")
    if not slug:
        slug = "h-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
    return slug[:120]


def entity_iri(key: str) -> str:
    return ENTITY + key


def doc_iri(doc_key: str) -> str:
    return DOC + doc_key


def digest(*parts: object) -> str:
    """Short stable hash of the parts, for assertion and stake node IRIs."""
    h = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8"))
    return h.hexdigest()[:20]
