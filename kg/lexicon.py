"""Per-language extraction knowledge, compiled from ``kg/data/lang/<lang>/*.yaml``.

Relation patterns are regular expressions over a *masked sentence*: each mention is
replaced by a placeholder ``⟦<index><type code>⟧`` so that a pattern reads like the
construction it states, e.g. ``{M:s} {ADV}diproduksi oleh {O:o}``.

Placeholders in pattern text:

``{M:s}``      a mention of type code(s) ``M`` captured as the fact's subject (``s``)
               or object (``o``); type codes: C Company, B Brand, G Organization,
               M CarModel, P Person, L Market, T Technology, O any organisation (CBG),
               X any type
``{NAME}``     a macro from the language's ``macros`` (e.g. ADV, GAP, PCT)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .model import BRAND, CAR_MODEL, COMPANY, MARKET, ORGANIZATION, PERSON, TECHNOLOGY
from .resources import languages, load_yaml

TYPE_CODES = {COMPANY: "C", BRAND: "B", ORGANIZATION: "G", CAR_MODEL: "M", PERSON: "P", MARKET: "L", TECHNOLOGY: "T"}
_CODE_ALIASES = {"O": "CBG", "X": "CBGMPLT"}
_SLOT = re.compile(r"\{([A-Z]+):(\w+)\}")
_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


def placeholder(index: int, type_: str) -> str:
    return f"\u27e6{index}{TYPE_CODES[type_]}\u27e7"


PLACEHOLDER = re.compile(r"\u27e6(\d+)([A-Z])\u27e7")


@dataclass(frozen=True)
class RelationRule:
    id: str
    relation: str
    regex: re.Pattern
    confidence: float
    both_ways: bool = False  # cross-holdings: emit the fact in both directions
    needs: tuple[frozenset[str], ...] = ()  # type codes each slot accepts (cheap prefilter)
    anchored: bool = False  # starts with a slot: only try at placeholder positions
    each_object: bool = False  # every mention of the object's type inside the match is an object
    object_codes: frozenset[str] = frozenset()
    keywords: frozenset[str] | None = None  # one of these is in every match (prefilter)
    fallback: bool = False  # generic tier: yields to a specific rule on the same subject
    spread_subject: bool = True  # False: an apposition after a list belongs to its last item only


@dataclass(frozen=True)
class MentionRule:
    id: str
    kind: str  # derived | branch | variant | named | person | engine | organization
    regex: re.Pattern
    params: dict
    needs: tuple[frozenset[str], ...] = ()
    keywords: frozenset[str] | None = None


@dataclass(frozen=True)
class Lexicon:
    lang: str
    relations: tuple[RelationRule, ...]
    mention_rules: tuple[MentionRule, ...]
    coref: tuple[tuple[str, re.Pattern, bool], ...]  # (entity type, referring expressions, refers to a pair?)
    hedges: re.Pattern  # hedge words that qualify the clause they stand in
    sentence_hedges: re.Pattern  # reporting frames that qualify the whole sentence
    sentence_negations: re.Pattern  # denials of a report, which deny the whole sentence ("menepis kabar bahwa")
    negations: re.Pattern
    contrasts: re.Pattern  # "tidak diimpor, melainkan dirakit": a negation before it does not reach past it
    respectively: re.Pattern  # "respectively" pairs two lists item by item
    date_patterns: tuple[re.Pattern, ...]
    relative_object: re.Pattern | None
    asides: re.Pattern | None  # an apposition or relative clause between commas after a name
    lists: re.Pattern  # a coordinated list of placeholders ("⟦1C⟧, ⟦2C⟧ dan ⟦3C⟧")
    months: dict[str, int]  # month names for full dates
    relative_dates: tuple[tuple[re.Pattern, int, int], ...]  # (expression, years, months) back from publication
    words: dict  # small vocabularies (e.g. engine fuel names) used by mention rules

    @property
    def fallback_ids(self) -> frozenset[str]:
        """Ids of the generic-tier relation rules."""
        if not self._fallback_ids:
            self._fallback_ids.append(frozenset(rule.id for rule in self.relations if rule.fallback))
        return self._fallback_ids[0]

    _by_codes: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    _keyword_automaton: list = field(default_factory=list, compare=False, hash=False, repr=False)
    _by_word: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    _fallback_ids: list = field(default_factory=list, compare=False, hash=False, repr=False)

    def keywords_in(self, lowered: str) -> set[str]:
        """The rule keywords (see :func:`required_words`) present in a lower-cased text."""
        if not self._keyword_automaton:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for rule in (*self.relations, *self.mention_rules):
                for word in rule.keywords or ():
                    automaton.add_word(word, word)
            automaton.make_automaton()
            self._keyword_automaton.append(automaton)
        automaton = self._keyword_automaton[0]
        return {word for _end, word in automaton.iter(lowered)} if len(automaton) else set()

    def relations_for(self, present: frozenset[str], words: set[str]) -> list[RelationRule]:
        """The relation rules that can match a sentence: all their slots can be filled
        by mentions of the ``present`` type codes, and one of their required words is
        among ``words`` (or they require none). Both tests are set operations over
        rule indices, so a sentence costs no loop over every rule."""
        if present not in self._by_codes:
            self._by_codes[present] = frozenset(
                i for i, rule in enumerate(self.relations) if applicable(rule.needs, present))
        if not self._by_word:
            for i, rule in enumerate(self.relations):
                for word in rule.keywords or ("",):  # "" = no required word
                    self._by_word.setdefault(word, set()).add(i)
        candidates = set(self._by_word.get("", ()))
        for word in words:
            candidates |= self._by_word.get(word, set())
        return [self.relations[i] for i in sorted(candidates & self._by_codes[present])]


def compile_pattern(text: str, macros: dict[str, str]) -> re.Pattern:
    """Expand slots and macros, wrap in a lookahead so overlapping matches are found.

    >>> rx = compile_pattern("{M:s} diproduksi oleh {O:o}", {})
    >>> m = next(rx.finditer("⟦0M⟧ diproduksi oleh ⟦1C⟧"))
    >>> m.group("s"), m.group("o")
    ('0', '1')
    """

    def slot(match: re.Match) -> str:
        codes = "".join(_CODE_ALIASES.get(c, c) for c in match.group(1))
        name = match.group(2)
        return f"\u27e6(?P<{name}>\\d+)[{codes}]\u27e7"

    def macro(match: re.Match) -> str:
        name = match.group(1)
        if name not in macros:
            raise ValueError(f"unknown macro {{{name}}} in pattern {text!r}")
        return _MACRO.sub(macro, macros[name])

    expanded = _MACRO.sub(macro, _SLOT.sub(slot, text))
    return re.compile(f"(?=(?P<all>{expanded}))", re.IGNORECASE)


def _list_pattern(conjunctions: list[str], item_prefix: str = "", item_suffix: str = "") -> re.Pattern:
    """Two or more placeholders joined by commas and a final conjunction (or only commas
    when there are three or more). A placeholder glued to another by a hyphen is half of
    a pair ("Rush-Terios"), not an item, so such runs are not lists."""
    joiner = "|".join(re.escape(c).replace("\\ ", r"\s+") for c in conjunctions) or "(?!x)x"
    # an item may carry its abbreviation in brackets: "PT Aneka Tambang (⟦3C⟧)"
    item = f"{item_prefix}\u27e6\\d+[A-Z]\u27e7(?:\\s*\\(\u27e6\\d+[A-Z]\u27e7\\))?{item_suffix}"
    # "A dan B", "A, B dan C", "A, B, dan C", "A, B, C" -- but "A, dan B" joins clauses
    body = (rf"{item}(?:\s*,\s*{item})+\s*,?\s*(?:{joiner})\s+{item}|{item}\s+(?:{joiner})\s+{item}"
            rf"|{item}(?:\s*,\s*{item}){{2,}}")
    # "saham SGMW dan General Motors 44 persen": a name followed by its own figure is a holder, not an item
    own_figure = r"(?!\s*,?\s*(?:sebesar\s+|about\s+|around\s+)?\d+(?:[.,]\d+)?\s*(?:%|persen|per\s*cent))"
    return re.compile(rf"(?<![\u27e7][-\u2013])(?<![\u27e7]\s[-\u2013]\s)(?:{body}){own_figure}(?!\s?[-\u2013]\s?\u27e6)",
                      re.IGNORECASE)


def required_words(regex: re.Pattern) -> frozenset[str] | None:
    """Lower-cased words one of which occurs in every match of ``regex``, or None.

    A cheap prefilter: a sentence containing none of them cannot match, so the rule is
    not run on it. Derived from the parsed pattern (literal runs of three or more
    characters, alternations whose every branch has such a word, required repeats,
    lookaheads); placeholders and character classes give nothing.

    >>> sorted(required_words(compile_pattern("{M:s} (?:di)?(?:produksi|rakit) oleh {O:o}", {})))
    ['produksi', 'rakit']
    >>> sorted(required_words(compile_pattern("{O:s} (?:holds|owns) {O:o}", {})))
    ['holds', 'owns']
    >>> required_words(compile_pattern("{O:s}, {O:o}", {})) is None
    True
    """
    try:
        from re import _constants as constants, _parser as parser
    except ImportError:  # pragma: no cover - a Python without these internals: no prefilter
        return None
    return _required(parser.parse(regex.pattern, regex.flags), constants)


def _required(sequence, c) -> frozenset[str] | None:
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        text = "".join(run).strip().lower()
        if len(text) >= 3 and any(ch.isalpha() for ch in text) and "\u27e6" not in text and "\u27e7" not in text:
            candidates.append(frozenset([text]))
        run.clear()

    for op, argument in sequence:
        if op is c.LITERAL:
            run.append(chr(argument))
            continue
        close_run()
        found = None
        if op is c.SUBPATTERN:
            found = _required(argument[-1], c)
        elif op is c.BRANCH:
            branches = [_required(branch, c) for branch in argument[1]]
            found = frozenset().union(*branches) if all(branches) else None
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and argument[0] >= 1:
            found = _required(argument[2], c)
        elif op is c.ASSERT:
            found = _required(argument[1], c)
        if found:
            candidates.append(found)
    close_run()
    if not candidates:
        return None
    return max(candidates, key=lambda words: (min(map(len, words)), -len(words)))


def slot_codes(text: str, name: str) -> frozenset[str]:
    """Type codes accepted by the slot called ``name``."""
    for match in _SLOT.finditer(text):
        if match.group(2) == name:
            return frozenset("".join(_CODE_ALIASES.get(c, c) for c in match.group(1)))
    return frozenset()


def slot_needs(text: str) -> tuple[frozenset[str], ...]:
    """The type codes each named slot of a pattern accepts.

    >>> slot_needs("{M:s} diproduksi oleh {O:o}") == (frozenset("M"), frozenset("CBG"))
    True
    """
    return tuple(frozenset("".join(_CODE_ALIASES.get(c, c) for c in m.group(1))) for m in _SLOT.finditer(text))


def matches(rule: RelationRule, text: str, starts: dict[str, list[int]]):
    """All (overlapping) matches of a rule; anchored rules are tried only where a mention
    of a type their first slot accepts starts (``starts``: type code -> positions)."""
    if not rule.anchored:
        return rule.regex.finditer(text)
    positions = sorted(p for code in rule.needs[0] for p in starts.get(code, ()))
    return filter(None, (rule.regex.match(text, position) for position in positions))


def applicable(needs: tuple[frozenset[str], ...], present: set[str]) -> bool:
    """Whether a sentence with mentions of the ``present`` codes can match at all."""
    return all(codes & present for codes in needs)


def _word_list(words: list[str]) -> re.Pattern:
    if not words:
        return re.compile(r"(?!x)x")  # matches nothing
    alternatives = "|".join(sorted((re.escape(w).replace("\\ ", r"\s+") for w in words), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=None)
def lexicon(lang: str) -> Lexicon:
    if lang not in languages():
        raise KeyError(lang)
    data = load_yaml(f"lang/{lang}/lexicon.yaml")
    macros = data.get("macros", {})
    relations = tuple(
        RelationRule(
            id=f"{lang}.{rule['id']}",
            relation=rule["relation"],
            regex=compile_pattern(rule["pattern"], macros),
            confidence=float(rule.get("confidence", 0.8)),
            both_ways=bool(rule.get("both_ways", False)),
            needs=slot_needs(rule["pattern"]),
            anchored=bool(_SLOT.match(rule["pattern"])),
            each_object=bool(rule.get("each_object", False)),
            object_codes=slot_codes(rule["pattern"], "o"),
            keywords=required_words(compile_pattern(rule["pattern"], macros)),
            fallback=rule["id"].startswith(data.get("fallback_prefix") or "\0"),
            spread_subject=bool(rule.get("spread_subject", True)),
        )
        for rule in data.get("relations", [])
    )
    mention_rules = tuple(
        MentionRule(
            id=f"{lang}.{rule['id']}",
            kind=rule["kind"],
            regex=compile_pattern(rule["pattern"], macros),
            params={k: v for k, v in rule.items() if k not in {"id", "kind", "pattern"}},
            needs=slot_needs(rule["pattern"]),
            keywords=required_words(compile_pattern(rule["pattern"], macros)),
        )
        for rule in data.get("mentions", [])
    )
    coref = tuple(
        (type_, re.compile("|".join(f"(?:{p})" for p in patterns)), key == "coref_pair")
        for key in ("coref", "coref_pair")
        for type_, patterns in data.get(key, {}).items()
    )
    return Lexicon(
        lang=lang,
        relations=relations,
        mention_rules=mention_rules,
        coref=coref,
        hedges=_word_list(data.get("hedges", [])),
        sentence_hedges=_word_list(data.get("sentence_hedges", [])),
        sentence_negations=_word_list(data.get("sentence_negations", [])),
        negations=_word_list(data.get("negations", [])),
        contrasts=_word_list(data.get("contrasts", [])),
        respectively=_word_list(data.get("respectively", [])),
        date_patterns=tuple(re.compile(p, re.IGNORECASE) for p in data.get("dates", [])),
        words=data.get("words", {}),
        lists=_list_pattern(data.get("conjunctions", []), data.get("list_item_prefix", ""), data.get("list_item_suffix", "")),
        months={name.lower(): number for name, number in data.get("months", {}).items()},
        relative_dates=tuple(
            (re.compile(item["pattern"], re.IGNORECASE), int(item.get("years", 0)), int(item.get("months", 0)))
            for item in data.get("relative_dates", [])
        ),
        relative_object=re.compile(data["relative_object"], re.IGNORECASE) if data.get("relative_object") else None,
        asides=re.compile(data["asides"]) if data.get("asides") else None,
    )


def lexicon_or_none(lang: str) -> Lexicon | None:
    try:
        return lexicon(lang)
    except KeyError:
        return None
