"""The curated knowledge base (``kg/data/kb/*.yaml``) and its gazetteer.

Every alias of every entity goes into one Aho-Corasick automaton over lower-cased
text; a hit counts only on token boundaries and when its case fits (acronyms and
entries marked ``ambiguous`` must match exactly, capitalised aliases must start with
a capital), and overlapping hits resolve to the longest leftmost one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from .model import ENTITY_TYPES, Entity
from .resources import data_file, load_yaml


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    entity: Entity


class KnowledgeBase:
    def __init__(self, entries: list[dict]):
        self.entities: dict[str, Entity] = {}
        self._exact: set[str] = set()  # aliases that must match case-exactly
        self._makers: set[str] | None = None
        self._by_alias: dict[str, tuple[str, str]] = {}  # lower alias -> (alias, key)
        self._spellings: dict[str, set[str]] = {}  # lower alias -> the spellings listed for it
        extensions = [entry for entry in entries if "extend" in entry]
        for entry in entries:
            if "extend" in entry:
                continue
            entity = Entity(
                key=entry["key"],
                label=entry["label"],
                type=entry["type"],
                aliases=tuple(entry.get("aliases") or ()),
                parent=entry.get("parent"),
            )
            if entity.type not in ENTITY_TYPES:
                raise ValueError(f"kb entry {entity.key}: unknown type {entity.type!r}")
            self.entities[entity.key] = entity
            for alias in (entity.label, *entity.aliases):
                self._by_alias.setdefault(alias.lower(), (alias, entity.key))
                if self._by_alias[alias.lower()][1] == entity.key:  # "NIO" and "Nio": both spellings fit
                    self._spellings.setdefault(alias.lower(), set()).add(alias)
                # an ordinary word ("Leaf", "Tank") counts only when written exactly so
                if entry.get("ambiguous") and (alias != entity.label or " " not in alias):
                    self._exact.add(alias)
        for entry in extensions:  # {extend: key, aliases: [...]} adds names to a known entity
            key = entry["extend"]
            if key not in self.entities:
                raise ValueError(f"kb extension: unknown key {key!r}")
            for alias in entry.get("aliases") or ():
                self._by_alias.setdefault(alias.lower(), (alias, key))
                if entry.get("ambiguous"):
                    self._exact.add(alias)
        self._automaton = ahocorasick.Automaton()
        for lower, (alias, key) in self._by_alias.items():
            self._automaton.add_word(lower, (alias, key))
        self._automaton.make_automaton()

    def lookup(self, name: str) -> Entity | None:
        """The entity whose label or alias is ``name`` (case-insensitive)."""
        found = self._by_alias.get(" ".join(name.split()).lower())
        return self.entities[found[1]] if found else None

    @property
    def makers(self) -> set[str]:
        """Keys of carmakers: the parents of models and brands, and their own parents."""
        if self._makers is None:
            direct = {e.parent for e in self.entities.values() if e.type in ("CarModel", "Brand") and e.parent}
            self._makers = {a.key for key in direct for a in self.ancestors(key, True)}
        return self._makers

    def ancestors(self, key: str, include_self: bool = False) -> list[Entity]:
        """The chain of ``parent`` entities above ``key`` (nearest first).

        >>> kb = KnowledgeBase([{"key": "g", "label": "G", "type": "Company"},
        ...                     {"key": "b", "label": "B", "type": "Brand", "parent": "g"},
        ...                     {"key": "m", "label": "M", "type": "CarModel", "parent": "b"}])
        >>> [e.key for e in kb.ancestors("m")], [e.key for e in kb.ancestors("g", True)]
        (['b', 'g'], ['g'])
        """
        chain: list[Entity] = [self.entities[key]] if include_self and key in self.entities else []
        seen = {key}
        current = self.entities.get(key)
        while current is not None and current.parent and current.parent not in seen:
            seen.add(current.parent)
            current = self.entities.get(current.parent)
            if current is not None:
                chain.append(current)
        return chain

    def find(self, text: str) -> list[Hit]:
        """Non-overlapping gazetteer hits in ``text``, longest leftmost first.

        >>> kb = KnowledgeBase([{"key": "renault-group", "label": "Renault Group", "type": "Company",
        ...                      "aliases": ["Renault", "Grup Renault"]},
        ...                     {"key": "us", "label": "United States", "type": "Market", "aliases": ["AS"]}])
        >>> [(h.start, h.entity.label) for h in kb.find("Aliansi Grup Renault-Nissan di AS, bukan as")]
        [(8, 'Renault Group'), (31, 'United States')]
        """
        lowered = text.lower()
        candidates: list[Hit] = []
        for end_index, (alias, key) in self._automaton.iter(lowered):
            end = end_index + 1
            start = end - len(alias)
            if not _on_boundaries(text, start, end) or not self._case_fits(alias, text[start:end]):
                continue
            if (alias in self._exact and " " not in alias and not alias.isupper()
                    and not self._maker_nearby(key, lowered, start, end)):
                continue
            candidates.append(Hit(start, end, self.entities[key]))
        candidates.sort(key=lambda h: (h.start, -(h.end - h.start)))
        hits: list[Hit] = []
        last_end = -1
        for hit in candidates:
            if hit.start >= last_end:
                hits.append(hit)
                last_end = hit.end
        return hits

    def _maker_nearby(self, key: str, lowered: str, start: int, end: int, reach: int = 200) -> bool:
        """An ordinary-word alias ("Leaf", "City") names a model only near its maker's name."""
        window = lowered[max(0, start - reach) : end + reach]
        names = {n.lower() for e in self.ancestors(key) for n in (e.label, *e.aliases) if len(n) > 2}
        return not names or any(name in window for name in names)

    def _case_fits(self, alias: str, surface: str) -> bool:
        """Case rules for a hit: exact for ordinary-word and short all-capital aliases; a
        capitalised alias needs a capital (or digit) first; and a short all-capital code after
        the first word ("IS" in "Lexus IS") is written as listed, so "Lexus is" is not the
        Lexus IS (names themselves vary: "DRB-Hicom", "Vinfast")."""
        if surface in self._spellings.get(alias.lower(), ()):
            return True
        if alias in self._exact or (alias.isupper() and len(alias) <= 5):
            return surface == alias
        for word, written in list(zip(alias.split(), surface.split()))[1:]:
            if word.isalpha() and word.isupper() and len(word) <= 3 and word != written:
                return False
        if alias[:1].isupper():
            return surface[:1].isupper() or surface[:1].isdigit()
        return True


def _on_boundaries(text: str, start: int, end: int) -> bool:
    """Whether a hit is a whole word: no letter or digit touches it, and it is not the tail
    of a dotted name ("Polo" in "ID.Polo", "MAS" in "e.MAS").

    >>> _on_boundaries("the ID.Polo car", 7, 11), _on_boundaries("Polo. Golf", 6, 10)
    (False, True)
    """
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before == "." and start > 1 and text[start - 2].isalnum():
        return False
    return not before.isalnum() and not after.isalnum()


@lru_cache(maxsize=1)
def default_kb() -> KnowledgeBase:
    """The shipped knowledge base: every YAML file in kg/data/kb/, in name order."""
    entries: list[dict] = []
    for item in sorted(data_file("kb").iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            entries.extend(load_yaml(f"kb/{item.name}") or [])
    return KnowledgeBase(entries)
