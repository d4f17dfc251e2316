"""Link: names -> canonical entities with deterministic IRIs.

A name the knowledge base knows becomes that entity; any other name becomes a new
entity whose key is the slug of its label, so the same name always gets the same
IRI, in every run and every document.
"""

from __future__ import annotations

from .iri import slugify
from .kb import KnowledgeBase
from .model import Entity


def new_entity(kb: KnowledgeBase, label: str, type_: str) -> Entity:
    """The KB entity called ``label``, or a new one keyed by its slug.

    >>> kb = KnowledgeBase([{"key": "nissan", "label": "Nissan", "type": "Company"}])
    >>> new_entity(kb, "nissan", "Company").key, new_entity(kb, "Ivan  Espinosa", "Person")
    ('nissan', Entity(key='ivan-espinosa', label='Ivan Espinosa', type='Person', aliases=(), parent=None))
    """
    label = " ".join(label.split())
    known = kb.lookup(label)
    if known is not None:
        return known
    key = slugify(label)
    if key in kb.entities:  # a different thing whose slug collides with a KB key
        key = f"{key}-{type_.lower()}"
    return Entity(key=key, label=label, type=type_)
