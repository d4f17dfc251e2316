"""The curated knowledge base (kg/data/kb/*.yaml) and the sample gold files in seeds/.

The KB is data, so these tests are its schema: unique keys, resolvable parents, valid
types, no alias shared by two entities, and ordinary words only on entries marked
``ambiguous``. The gold files beside the sample articles must quote their articles
exactly and name entities by their KB labels.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from kg.iri import slugify
from kg.model import ENTITY_TYPES, ORG_TYPES, RELATIONS
from kg.resources import data_file

KB_FILES = {
    "companies.yaml": {"Company", "Organization"},
    "brands.yaml": {"Brand"},
    "models.yaml": {"CarModel"},
    "markets.yaml": {"Market"},
    "technologies.yaml": {"Technology"},
    "people.yaml": {"Person"},
}
FIELDS = {"key", "label", "type", "aliases", "parent", "ambiguous"}
KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Single words that are ordinary English or Indonesian words. An entry may use one as
# an alias only when it is marked ``ambiguous: true`` (the matcher is then strict).
COMMON_WORDS = frozenset(
    """
    leaf jazz note life city kicks rush crown swift carry alto across mirage colt rocky
    move soul carnival venue accord fit pilot odyssey prologue amaze elevate civic rogue
    frontier patrol march terra sakura serena pathfinder ranger everest explorer puma
    focus fiesta territory escape maverick expedition mustang bronco transit capri golf
    polo bolt equinox colorado trailblazer tahoe compass renegade avenger gladiator
    cherokee wrangler panda ami seal dolphin han tang shark seagull spring duster master
    scenic rafale austral zoe boreal jogger logan sonata palisade casper tasman punch
    harrier safari defender spectre cayenne superb ibiza leon saga persona tank ora ram
    dodge lincoln mini jaguar alpine mobilize genesis firefly leopard sprinter junior
    outback elf panther sienna tundra highlander galaxy apollo air born model go cross
    one max plus pro sport star mega free dream semi gravity kijang tanah
    mobil baru listrik harga murah jalan bintang
    """.split()
)


def _entries_by_file() -> dict[str, list[dict]]:
    return {
        name: yaml.load(data_file(f"kb/{name}").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        for name in KB_FILES
    }


ENTRIES = _entries_by_file()
ALL = [(name, e) for name, entries in ENTRIES.items() for e in entries]
BY_KEY = {e["key"]: e for _, e in ALL}


def test_every_file_is_a_list_of_mappings():
    for name, entries in ENTRIES.items():
        assert isinstance(entries, list) and entries, name
        for e in entries:
            assert isinstance(e, dict), (name, e)
            assert set(e) <= FIELDS, (name, e.get("key"), set(e) - FIELDS)
            assert {"key", "label", "type"} <= set(e), (name, e)


def test_sizes_are_useful():
    counts = {name: len(entries) for name, entries in ENTRIES.items()}
    assert counts["companies.yaml"] >= 150
    assert counts["models.yaml"] >= 300
    assert counts["markets.yaml"] >= 40
    assert counts["people.yaml"] >= 25


def test_keys_are_unique_slugs_of_labels():
    dupes = [k for k, n in Counter(e["key"] for _, e in ALL).items() if n > 1]
    assert not dupes
    for _, e in ALL:
        assert KEY.match(e["key"]), e["key"]
        # keys are the entity IRI slugs: minted the same way the linker mints new ones
        assert e["key"] == slugify(e["label"]), (e["key"], e["label"])


def test_types_fit_their_file():
    for name, e in ALL:
        assert e["type"] in ENTITY_TYPES, e
        assert e["type"] in KB_FILES[name], (name, e["key"], e["type"])


def test_fields_are_well_formed():
    for _, e in ALL:
        assert isinstance(e["label"], str) and e["label"] == " ".join(e["label"].split()), e
        aliases = e.get("aliases") or []
        assert isinstance(aliases, list), e
        for alias in aliases:
            assert isinstance(alias, str) and alias and alias == " ".join(alias.split()), (e["key"], alias)
            assert alias != e["label"], (e["key"], alias)
        assert isinstance(e.get("ambiguous", False), bool), e


def test_parents_resolve_to_fitting_types():
    allowed = {
        "CarModel": ORG_TYPES,
        "Brand": ORG_TYPES,
        "Company": ORG_TYPES,
        "Organization": ORG_TYPES,
        "Person": ORG_TYPES,
        "Technology": ORG_TYPES,
        "Market": {"Market"},
    }
    for _, e in ALL:
        parent = e.get("parent")
        if parent is None:
            continue
        assert parent in BY_KEY, (e["key"], parent)
        assert parent != e["key"], e["key"]
        assert BY_KEY[parent]["type"] in allowed[e["type"]], (e["key"], parent)


def test_parent_chains_have_no_cycles():
    for _, e in ALL:
        seen, key = set(), e["key"]
        while key is not None:
            assert key not in seen, f"parent cycle through {key}"
            seen.add(key)
            key = BY_KEY[key].get("parent")


def test_no_alias_names_two_entities():
    owner: dict[str, str] = {}
    clashes = []
    for _, e in ALL:
        for name in {n.lower() for n in [e["label"], *(e.get("aliases") or [])]}:
            if owner.setdefault(name, e["key"]) != e["key"]:
                clashes.append((name, owner[name], e["key"]))
    assert not clashes


def test_ordinary_words_only_on_ambiguous_entries():
    offenders = [
        (e["key"], alias)
        for _, e in ALL
        if not e.get("ambiguous")
        for alias in e.get("aliases") or []
        if alias.lower() in COMMON_WORDS
    ]
    assert not offenders


def test_models_carry_their_make_in_the_label():
    for e in ENTRIES["models.yaml"]:
        assert e.get("parent"), e["key"]
        assert " " in e["label"] or any(ch.isdigit() for ch in e["label"]), e["label"]


def test_names_the_brief_relies_on():
    lookup = {n.lower(): e["key"] for _, e in ALL for n in [e["label"], *(e.get("aliases") or [])]}
    expected = {
        "Renault": "renault-group",
        "Group Renault": "renault-group",
        "Nissan Motor": "nissan",
        "Mitsubishi": "mitsubishi-motors",
        "Mitsubishi Corporation": "mitsubishi-corporation",
        "Ampere SAS": "ampere",
        "Daimler": "mercedes-benz-group",
        "VW": "volkswagen-group",
        "Astra": "pt-astra-international-tbk",
        "HMMI": "pt-hyundai-motor-manufacturing-indonesia",
        "Micra": "nissan-micra",
        "R5": "renault-5",
        "Outlander PHEV": "mitsubishi-outlander-phev",
        "Outlander": "mitsubishi-outlander",
        "Amerika Serikat": "united-states",
        "Tiongkok": "china",
        "baterai Blade": "blade-battery",
        "hibrida plug-in": "plug-in-hybrid",
        "E-Power": "e-power",
        "Espinosa": "ivan-espinosa",
    }
    for name, key in expected.items():
        assert lookup.get(name.lower()) == key, name


# --- sample articles and their gold files -------------------------------------------

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GOLD_FIELDS = ["subject", "subject_aliases", "relation", "object", "object_aliases", "percent", "date", "hedged", "evidence"]
HEADER_KEYS = ["url", "title", "language", "published"]
DATE = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")


def _article_body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n\n")
    keys = [line.split(":", 1)[0] for line in head.splitlines()]
    assert sep and keys == HEADER_KEYS, f"{path.name}: header must be {HEADER_KEYS} then a blank line"
    return body


GOLD = sorted(SEEDS.glob("*.gold.json"))


@pytest.mark.parametrize("gold_path", GOLD, ids=lambda p: p.name)
def test_gold_quotes_its_article_and_names_kb_entities(gold_path):
    article = gold_path.with_name(gold_path.name.replace(".gold.json", ".txt"))
    body = _article_body(article)
    facts = json.loads(gold_path.read_text(encoding="utf-8"))
    assert isinstance(facts, list) and facts
    labels = {e["label"] for _, e in ALL}
    for fact in facts:
        assert list(fact) == GOLD_FIELDS, fact
        assert fact["relation"] in RELATIONS, fact
        assert fact["evidence"] in body, fact["evidence"]
        assert fact["subject"] in labels and fact["object"] in labels, fact
        assert fact["percent"] is None or 0 < fact["percent"] <= 100, fact
        assert fact["date"] is None or DATE.match(fact["date"]), fact
        assert isinstance(fact["hedged"], bool), fact
        for alias in fact["subject_aliases"] + fact["object_aliases"]:
            assert alias in body, (gold_path.name, alias)


def test_gold_covers_every_relation_in_both_languages():
    by_lang: dict[str, set[str]] = {"id": set(), "en": set()}
    hedged = {"id": False, "en": False}
    for gold_path in GOLD:
        lang = gold_path.name[:2]
        if lang not in by_lang:
            continue
        for fact in json.loads(gold_path.read_text(encoding="utf-8")):
            by_lang[lang].add(fact["relation"])
            hedged[lang] |= fact["hedged"]
    for lang, seen in by_lang.items():
        assert seen == set(RELATIONS), (lang, set(RELATIONS) - seen)
        assert hedged[lang], lang
