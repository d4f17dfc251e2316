"""Extract: one document -> mentions -> facts with evidence and qualifiers.

Per sentence: knowledge-base hits, then mention rules (people, engines, legal
names, derived and branch entities), then short-range coreference, then relation
patterns over the masked sentence (see :mod:`kg.lexicon`). Everything
language-specific is data; this module only runs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .kb import Hit, KnowledgeBase, default_kb
from .lexicon import PLACEHOLDER, TYPE_CODES, Lexicon, MentionRule, RelationRule, applicable, matches, lexicon_or_none, placeholder
from .link import new_entity
from .model import CAR_MODEL, COMPANY, ORG_TYPES, ORGANIZATION, SYMMETRIC, Document, Entity, Evidence, Fact, Mention, Sentence
from .lang import paragraph_languages
from .text import split_sentences

COREF_WINDOW = 3  # sentences an antecedent may lie back
TOPIC = "Topic"  # coref type of a pronoun that opens a sentence and means its predecessor's topic
_CLAUSE_BREAK = re.compile(r"[,;:()]")
HEDGE_FACTOR = 0.6
# Relations whose facts take a date found next to them; a year near a technology or a
# rebadge usually dates something else in the sentence (a launch).
DATED_RELATIONS = frozenset({"ownsStake", "divestedFrom", "launchedIn", "partnerOf", "subsidiaryOf", "ceoOf", "producedBy"})
COREF_FACTOR = 0.9


@dataclass
class _Masked:
    """A sentence with its mentions replaced by placeholders, and the way back."""

    text: str
    mentions: list[Mention]
    segments: list[tuple[int, int, int]]  # (masked_start, original_start, length) of plain text

    def to_original(self, pos: int, sentence: Sentence) -> int:
        for masked_start, original_start, length in self.segments:
            if masked_start <= pos <= masked_start + length:
                return original_start + (pos - masked_start)
        # inside or at the edge of a placeholder: snap to that mention
        for match in PLACEHOLDER.finditer(self.text):
            if match.start() <= pos < match.end():
                return self.mentions[int(match.group(1))].start
        return sentence.end


def _mask(sentence: Sentence, mentions: list[Mention]) -> _Masked:
    mentions = sorted(mentions, key=lambda m: (m.start, m.end))
    parts: list[str] = []
    segments: list[tuple[int, int, int]] = []
    cursor = sentence.start
    length = 0
    for index, mention in enumerate(mentions):
        plain = sentence.text[cursor - sentence.start : mention.start - sentence.start]
        if mention.pair_part:  # second half of "kedua perusahaan": reads as "A and B"
            plain = " & "
        segments.append((length, cursor, len(plain)))
        token = placeholder(index, mention.type)
        parts += [plain, token]
        length += len(plain) + len(token)
        cursor = mention.end
    plain = sentence.text[cursor - sentence.start :]
    segments.append((length, cursor, len(plain)))
    parts.append(plain)
    return _Masked("".join(parts), mentions, segments)


@dataclass
class _DocState:
    doc: Document
    lex: Lexicon | None  # the lexicon of the current paragraph's language
    kb: KnowledgeBase
    recent: list[Mention] = field(default_factory=list)  # resolved mentions, document order
    facts: list[Fact] = field(default_factory=list)
    learned: dict[str, Entity] = field(default_factory=dict)  # names the document itself introduced
    learned_words: int = 0  # words in the longest learned name
    learned_starts: set[str] = field(default_factory=set)  # first words of learned names


def extract_document(doc: Document, kb: KnowledgeBase | None = None) -> list[Fact]:
    """All facts of one document, in sentence order.

    Unknown languages yield no facts (the caller warns); see :func:`kg.lang.detect_language`.
    """
    paragraph_langs = paragraph_languages(doc.text, doc.lang)
    if all(lexicon_or_none(lang) is None for _start, _end, lang in paragraph_langs):
        return []
    kb = kb or default_kb()
    state = _DocState(doc, lexicon_or_none(doc.lang), kb)
    if doc.title:  # a headline names in full what the body may shorten ("Lexus LBX" ... "LBX")
        title_hits = kb.find(doc.title)
        _learn_names(state, [Mention(h.start, h.end, doc.title[h.start:h.end], h.entity.type, h.entity, -1, "title")
                             for h in title_hits if h.entity.type == CAR_MODEL])
    hits = _split_compound_names(kb, doc.text, kb.find(doc.text))
    position = 0
    for sentence in split_sentences(doc.text, [(hit.start, hit.end) for hit in hits]):
        lang = next((lang for start, end, lang in paragraph_langs if start <= sentence.start < end), doc.lang)
        state.lex = lexicon_or_none(lang)
        if state.lex is None:
            continue
        while position < len(hits) and hits[position].start < sentence.start:
            position += 1
        mentions = []
        while position < len(hits) and hits[position].end <= sentence.end:
            hit = hits[position]
            mentions.append(Mention(hit.start, hit.end, doc.text[hit.start : hit.end], hit.entity.type, hit.entity, sentence.index))
            position += 1
        seen = len(state.recent)
        _extract_sentence(state, sentence, _with_learned(state, sentence, mentions))
        _learn_names(state, state.recent[seen:])
    return _dedupe(state.facts + _marketed_by_make(kb, state.facts, state.recent))


# "PT Indomobil Manufacturing Indonesia (IMI)": a short form the article defines for a name
_ABBREVIATION = re.compile(r"\s*\((?-i:(?P<abbr>[A-Z][A-Za-z0-9&]{1,7}))\)")


def _learn_names(state: _DocState, mentions: list[Mention]) -> None:
    """Remember names the article introduced, so later sentences find them too: a name
    read from context ("carmaker VinFast", "PT Baterai Sel Nusantara") and a short form
    defined in brackets after any name ("... (IMI)"). Within one article a name keeps
    the sense it was given, even over a knowledge-base entry of the same spelling."""
    def learn(name: str, entity: Entity, replace: bool = False) -> None:
        if replace or name not in state.learned:
            state.learned[name] = entity
            state.learned_words = max(state.learned_words, len(name.split()))
            state.learned_starts.add(name.split()[0])

    for mention in mentions:
        if mention.source == "rule" and (mention.type in ORG_TYPES or mention.type == CAR_MODEL):
            name = " ".join(mention.text.split())
            learn(name, mention.entity)
            bare = re.sub(r"^PT\.?\s+|\s+Tbk\.?$", "", name)  # "PT Kreta Indo Artha" ... "Kreta Indo Artha"
            if bare != name and " " in bare:
                learn(bare, mention.entity)
        if mention.source == "kb" and mention.type == CAR_MODEL and " " not in mention.text:
            # an ordinary-word model name ("Elevate") found next to its maker counts later on too
            learn(mention.text, mention.entity)
        if mention.type == CAR_MODEL and mention.source in ("kb", "rule", "title"):
            code = _code_after_make(state.kb, mention.entity)
            if code:  # "BMW iX1" ... later "the iX1"
                learn(code, mention.entity)
        defined = _ABBREVIATION.match(state.doc.text, mention.end)
        if defined and mention.source in ("kb", "rule"):
            learn(defined.group("abbr"), mention.entity, replace=True)


def _make_prefix(kb: KnowledgeBase, entity: Entity) -> str | None:
    """The name of its make (a knowledge-base ancestor) that a model's label starts with:
    "BMW" of "BMW iX1"."""
    names = sorted((n for e in kb.ancestors(entity.key) for n in (e.label, *e.aliases)), key=len, reverse=True)
    return next((n for n in names if entity.label.startswith(n + " ")), None)


def _code_after_make(kb: KnowledgeBase, entity: Entity) -> str | None:
    """The model code of a model label after its make ("BMW iX1" -> "iX1", "Polytron G3" ->
    "G3"): a short rest with letters and digits, which the article may use on its own."""
    make = _make_prefix(kb, entity)
    rest = entity.label[len(make) + 1 :] if make else (entity.label.split(" ", 1) + [""])[1]
    if 2 <= len(rest) <= 12 and re.search(r"\d", rest) and re.search(r"[A-Za-z]", rest):
        return rest
    if re.fullmatch(r"[A-Z]{3,4}", rest) and rest not in _NOT_CODES:  # "Lexus LBX" -> "LBX"
        return rest
    return None


_NOT_CODES = frozenset({"PHEV", "BEV", "HEV", "EREV", "SUV", "MPV", "LCGC", "CEO", "CKD", "CBU"})


def _with_learned(state: _DocState, sentence: Sentence, mentions: list[Mention]) -> list[Mention]:
    """The sentence's mentions with the article's own names added (or put in place of a
    knowledge-base reading of the same text)."""
    if not state.learned:
        return mentions
    result = list(mentions)
    for start, end in _learned_spans(state, sentence.text):
        start, end = sentence.start + start, sentence.start + end
        if any(m.start <= start and end <= m.end and (m.end - m.start) > (end - start) for m in result):
            continue  # part of a longer name
        name = state.doc.text[start:end]
        entity = state.learned[" ".join(name.split())]
        result = [m for m in result if not (m.start < end and start < m.end)]
        result.append(Mention(start, end, name, entity.type, entity, sentence.index, "kb"))
    return sorted(result, key=lambda m: m.start)


def _stops(text: str, start: int, end: int):
    """Where a name may end inside ``text[start:end]``: the end itself, then without
    trailing punctuation or a possessive ("Motor (Thailand),", "Rivian's")."""
    while end > start:
        yield end
        if text[end - 1] in _CLOSING:
            end -= 1
        elif text[start:end].endswith(("'s", "’s")):
            end -= 2
        else:
            return


_TOKEN = re.compile(r"\S+")
_OPENING, _CLOSING = "(\"'“‘", ".,;:!?\"'”’)"


def _learned_spans(state: _DocState, text: str) -> list[tuple[int, int]]:
    """Where the article's own names occur in ``text``: runs of up to ``learned_words``
    words, longest first, without touching punctuation. A lookup per run, so a long
    article with many names costs no more per sentence than a short one."""
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    spans, i = [], 0
    while i < len(tokens):
        first = text[tokens[i][0] : tokens[i][1]].lstrip(_OPENING).rstrip(_CLOSING)
        if first not in state.learned_starts and first.removesuffix("'s").removesuffix("’s") not in state.learned_starts:
            i += 1
            continue
        for n in range(min(state.learned_words, len(tokens) - i), 0, -1):
            start, end = tokens[i][0], tokens[i + n - 1][1]
            while start < end and text[start] in _OPENING:
                start += 1
            stop = next((stop for stop in _stops(text, start, end) if " ".join(text[start:stop].split()) in state.learned), None)
            if stop is not None:
                spans.append((start, stop))
                i += n
                break
        else:
            i += 1
    return spans


def _marketed_by_make(kb: KnowledgeBase, facts: list[Fact], mentions: list[Mention]) -> list[Fact]:
    """A model built by another carmaker is sold under its own make: "Livina dirakit di
    pabrik Mitsubishi" -> the Livina is marketed by Nissan. The make comes from the
    knowledge base; nothing is said when the two share a parent, or when the producer
    is not a carmaker (a contract assembler)."""
    derived = []
    for fact in facts:
        if fact.predicate != "producedBy":
            continue
        lineage = kb.ancestors(fact.subject.key)
        make = next((e for e in lineage if e.type in ORG_TYPES), None)
        producer_group = {e.key for e in kb.ancestors(fact.object.key, True)}
        if make is None or {e.key for e in kb.ancestors(make.key, True)} & producer_group:
            continue
        if not producer_group & kb.makers:
            continue  # a contract assembler has no make of its own to sell under
        if not _named_near(make, fact, mentions):
            continue  # the text must name the make the model is sold under
        rule = f"{fact.lang}.derived.marketed_by_make"
        derived.append(replace(fact, predicate="marketedBy", object=make, rule=rule,
                               confidence=round(fact.confidence * 0.9, 3),
                               extras={**fact.extras, "object_text": make.label, "aliases": ()}))
    return derived


_COMPOUND_PART = re.compile(r"[^\s\-\u2013]+(?:\s+[^\s\-\u2013]+)*")


def _split_compound_names(kb: KnowledgeBase, text: str, hits: list[Hit]) -> list[Hit]:
    """Read "Renault-Nissan-Mitsubishi Alliance" as its members, so the name itself can
    state the partnership: an organisation hit whose hyphen-joined parts are all known
    organisations (a last part may end with a common noun such as "Alliance") is replaced
    by hits for the parts."""
    result: list[Hit] = []
    for hit in hits:
        surface = text[hit.start : hit.end]
        parts = list(_COMPOUND_PART.finditer(surface)) if hit.entity.type == ORGANIZATION else []
        members = []
        for number, part in enumerate(parts):
            name = part.group()
            if number == len(parts) - 1 and " " in name:
                name = name.rsplit(" ", 1)[0]  # "Mitsubishi Alliance" -> "Mitsubishi"
            entity = kb.lookup(name)
            if entity is None or entity.type not in ORG_TYPES:
                break
            members.append(Hit(hit.start + part.start(), hit.start + part.start() + len(name), entity))
        if len(parts) >= 2 and len(members) == len(parts):
            result.extend(members)
        else:
            result.append(hit)
    return result


def _named_near(entity: Entity, fact: Fact, mentions: list[Mention]) -> bool:
    """Whether the fact's sentence, or the one before it, names ``entity`` (its own
    mention, or a model name that starts with it: "Nissan Livina")."""
    here = [m.sentence for m in mentions if fact.evidence.start <= m.start < fact.evidence.end]
    if not here:
        return False
    near = {here[0], here[0] - 1}
    names = tuple(n.lower() for n in (entity.label, *entity.aliases))
    return any(
        m.sentence in near and (m.entity.key == entity.key or m.text.lower().startswith(names))
        for m in mentions
    )


def _extract_sentence(state: _DocState, sentence: Sentence, mentions: list[Mention]) -> None:
    masked = _mask(sentence, mentions)
    present = {TYPE_CODES[m.type] for m in masked.mentions}
    words = state.lex.keywords_in(masked.text.lower())
    for rule in state.lex.mention_rules:
        if applicable(rule.needs, present) and _may_match(rule.keywords, words):
            changed = _apply_mention_rule(state, sentence, masked, rule)
            if changed is not masked:
                masked, present = changed, {TYPE_CODES[m.type] for m in changed.mentions}
                words = state.lex.keywords_in(masked.text.lower())
    masked = _resolve_coreference(state, sentence, masked)
    if len(masked.mentions) >= 2:
        first = len(state.facts)
        _match_relations(state, sentence, masked)
        plain = _without_asides(state.lex, masked)
        if plain is not None:  # "X, a venture of A and B, builds Y" read again as "X builds Y"
            _match_relations(state, sentence, plain)
        state.facts[first:] = _prefer_specific(state.lex, state.facts[first:])
    state.recent.extend(m for m in masked.mentions if m.source != "coref")


# relations a subject has one object of in a sentence: a generic-tier guess at another
# object gives way to what a specific construction found
SINGLE_VALUED = frozenset({"producedBy", "subsidiaryOf", "marketedBy", "ceoOf"})


def _prefer_specific(lex: Lexicon, facts: list[Fact]) -> list[Fact]:
    fallback = lex.fallback_ids
    specific = {(f.subject.key, f.predicate) for f in facts if f.rule not in fallback}
    return [f for f in facts if not (f.predicate in SINGLE_VALUED and f.rule in fallback
                                     and (f.subject.key, f.predicate) in specific)]


def _match_relations(state: _DocState, sentence: Sentence, masked: _Masked) -> None:
    starts: dict[str, list[int]] = {}  # type code of the placeholders in the text -> where they start
    for placeholder_match in PLACEHOLDER.finditer(masked.text):
        starts.setdefault(placeholder_match.group(2), []).append(placeholder_match.start())
    groups = _coordinated(state.lex, masked)
    words = state.lex.keywords_in(masked.text.lower())
    for rule in state.lex.relations_for(frozenset(starts), words):
        for match in matches(rule, masked.text, starts):
            _emit_relation(state, sentence, masked, rule, match, groups)


def _without_asides(lex: Lexicon, masked: _Masked) -> _Masked | None:
    """The masked sentence without its asides (``asides`` in the lexicon: an apposition or a
    relative clause between commas after a name), or None when it has none. Its facts are
    still read from the full sentence; this reading adds what the main clause says."""
    if lex.asides is None:
        return None
    text = lex.asides.sub("", masked.text)
    return None if text == masked.text else _Masked(text, masked.mentions, [])


def _may_match(keywords: frozenset[str] | None, present: set[str]) -> bool:
    """A rule can match only if one of its required words is in the sentence."""
    return keywords is None or not keywords.isdisjoint(present)


def _coordinated(lex: Lexicon, masked: _Masked) -> dict[int, tuple[int, ...]]:
    """Mention index -> all indices of the list it is an item of ("A, B dan C").

    Items must be of one kind (all organisations, or all of one other type)."""
    groups: dict[int, tuple[int, ...]] = {}
    for match in lex.lists.finditer(masked.text):
        items = tuple(int(m.group(1)) for m in PLACEHOLDER.finditer(match.group())
                      if not match.group().startswith("(", max(0, m.start() - 1)))  # not "(ABBR)"
        kinds = {_kind(masked.mentions[i].type) for i in items}
        if len(kinds) == 1:
            for index in items:
                groups[index] = items
    # the two halves of "both cars" / "kedua perusahaan" are one list, whatever stands around
    halves = [i for i, m in enumerate(masked.mentions) if m.pair_part is not None]
    for first, second in zip(halves[::2], halves[1::2]):
        for index in (first, second):
            groups[index] = (first, second)
    return groups


def _kind(type_: str) -> str:
    return "org" if type_ in ORG_TYPES else type_


# --- mention rules -----------------------------------------------------------


def _apply_mention_rule(state: _DocState, sentence: Sentence, masked: _Masked, rule: MentionRule) -> _Masked:
    for match in rule.regex.finditer(masked.text):
        span_group = "span" if "span" in rule.regex.groupindex else "all"
        m_start = match.start(span_group)
        m_end = m_start + len(match.group(span_group)) if span_group == "all" else match.end(span_group)
        start = masked.to_original(m_start, sentence)
        end = _original_end(masked, m_end, sentence)
        if any(m.start < end and start < m.end and not (start <= m.start and m.end <= end) for m in masked.mentions):
            continue  # would cut an existing mention in two
        group = _group_mentions(masked, match)
        made = _make_mention(state, sentence, masked, rule, match, group, start, end)
        if made is None:
            continue
        mention, facts = made
        kept = [m for m in masked.mentions if not (mention.start <= m.start and m.end <= mention.end)]
        for fact_relation, other, confidence in facts:
            _add_fact(state, sentence, fact_relation, mention, other, rule.id, confidence, hedged=False)
        return _apply_mention_rule(state, sentence, _mask(sentence, kept + [mention]), rule)
    return masked


def _original_end(masked: _Masked, pos: int, sentence: Sentence) -> int:
    for match in PLACEHOLDER.finditer(masked.text):
        if match.end() == pos:
            return masked.mentions[int(match.group(1))].end
    return masked.to_original(pos, sentence)


def _group_mentions(masked: _Masked, match: re.Match) -> dict[str, Mention]:
    found = {}
    for name, value in match.groupdict().items():
        if value is not None and value.isdigit() and name not in {"all", "span"}:
            found[name] = masked.mentions[int(value)]
    return found


def _make_mention(state, sentence, masked: _Masked, rule: MentionRule, match, group, start, end):
    text = state.doc.text[start:end]
    params = rule.params
    kind = rule.kind
    facts: list[tuple[str, Mention, float]] = []
    if kind == "derived":
        base = group["base"]
        makers = ([group["maker"].entity] if "maker" in group
                  else _antecedents(state, masked.mentions, COMPANY, start, sentence.index))
        prefix = f"{makers[0].label} " if makers else ""
        entity = new_entity(state.kb, f"{prefix}{base.text}-based model", CAR_MODEL)
        facts.append((params.get("relation", "basedOn"), base, params.get("confidence", 0.8)))
    elif kind == "branch":
        parent, place = group["parent"], group["place"]
        entity = new_entity(state.kb, f"{parent.entity.label} {place.entity.label}", parent.entity.type)
        facts.append(("subsidiaryOf", parent, params.get("confidence", 0.8)))
    elif kind == "variant":  # a model with a trim or powertrain suffix: "Haval H6 HEV", "Harrier.ev"
        base = group["base"]
        if "tech" in group and not re.fullmatch(params.get("suffixes", ".*"), group["tech"].text):
            return None  # "Rogue e-Power" is the Rogue with a technology, not a new model
        suffix = params.get("suffix") or (group["tech"].text if "tech" in group else match.group("suffix"))
        joined = suffix if suffix.startswith(".") else " " + " ".join(suffix.split())
        entity = new_entity(state.kb, f"{base.entity.label}{joined}", CAR_MODEL)
    elif kind == "sibling":  # a code after its make ("Rivian's R2"), or listed after a model ("BMW Seri 3, X3 dan X5")
        if "make" in group:
            make = " ".join(group["make"].text.split())
        else:
            previous = group["previous"].entity
            make = _make_prefix(state.kb, previous) or previous.label.split(" ", 1)[0]
        start, end = _plain_span(masked, sentence, match, "name")
        label = f"{make} {match.group('name')}"
        entity = state.kb.lookup(label) or new_entity(state.kb, label, CAR_MODEL)
        return Mention(start, end, state.doc.text[start:end], CAR_MODEL, entity, sentence.index, "rule"), facts
    elif kind == "maker":  # "produsen Pajero Sport itu", "the Pajero Sport's maker"
        maker = next((e for e in state.kb.ancestors(group["model"].entity.key) if e.type in ORG_TYPES), None)
        if maker is None:
            return None
        start, end = _plain_span(masked, sentence, match, "head")
        return Mention(start, end, state.doc.text[start:end], maker.type, maker, sentence.index, "coref"), facts
    elif kind == "named":
        named = group["name"]
        entity = named.entity
        start, end = _plain_span(masked, sentence, match, "head")
        text = state.doc.text[start:end]
        mention = Mention(start, end, text, entity.type, entity, sentence.index, "coref")
        return mention, facts
    else:  # person, engine, organization, market...: a name read from the text
        if "name" in match.groupdict():
            start, end = _plain_span(masked, sentence, match, "name")
            text = state.doc.text[start:end]
        label = _label_from_template(params.get("label"), match, state.lex) or " ".join(text.split())
        inside = [m for m in masked.mentions if start <= m.start and m.end <= end]
        entity = (state.kb.lookup(label) or _legal_name_of(state.lex, label, inside)
                  or new_entity(state.kb, label, params["type"]))
    return Mention(start, end, text, entity.type, entity, sentence.index, "rule"), facts


def _legal_name_of(lex: Lexicon, label: str, inside: list[Mention]) -> Entity | None:
    """The entity of a known name written with its legal form ("PT Indomobil", "DRB-Hicom
    Bhd"): the label minus the lexicon's ``legal_forms`` words is one mention it holds."""
    forms = lex.words.get("legal_forms", ())
    for mention in inside:
        name = " ".join(mention.text.split())
        if name in label and all(w.lower().strip(",") in forms for w in label.replace(name, " ", 1).split() if w != ","):
            return mention.entity
    return None


def _plain_span(masked: _Masked, sentence: Sentence, match: re.Match, group: str) -> tuple[int, int]:
    """Original offsets of a group that holds plain words (no placeholders)."""
    return masked.to_original(match.start(group), sentence), masked.to_original(match.end(group), sentence)


def _label_from_template(template: str | None, match: re.Match, lex: Lexicon) -> str | None:
    if not template:
        return None
    values = {}
    for name, value in match.groupdict().items():
        if value is None:
            continue
        vocabulary = lex.words.get(name, {})
        values[name] = vocabulary.get(value.lower(), value).replace(",", ".") if name == "size" else vocabulary.get(value.lower(), value)
    return template.format(**values)


# --- coreference ---------------------------------------------------------------


def _resolve_coreference(state: _DocState, sentence: Sentence, masked: _Masked) -> _Masked:
    added: list[Mention] = []
    taken = [(m.start, m.end) for m in masked.mentions]
    for type_, pattern, pair in state.lex.coref:
        for match in pattern.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if any(s < end and start < e for s, e in taken):
                continue
            if type_ == TOPIC:  # "It sold ...": the previous sentence's topic, whatever its type
                candidates = _topic_first(state, sentence.index, type_, []) if _opens_clause(masked, match.start()) else []
            else:
                candidates = _antecedents(state, masked.mentions + added, type_, start, sentence.index)
                if _opens_clause(masked, match.start()):
                    candidates = _topic_first(state, sentence.index, type_, candidates)
            wanted = 2 if pair else 1
            if len(candidates) < wanted:
                continue
            chosen = candidates[:wanted][::-1] if pair else candidates[:1]
            for number, entity in enumerate(chosen):
                rest = tuple(candidates[wanted:]) if not pair else ()
                added.append(Mention(start, end, state.doc.text[start:end], entity.type, entity, sentence.index,
                                     "coref", fallbacks=rest, pair_part=number if pair else None))
            taken.append((start, end))
    return _mask(sentence, masked.mentions + added) if added else masked


def _opens_clause(masked: _Masked, offset: int) -> bool:
    """Whether a referring expression opens its sentence, possibly after one fronted
    phrase ("Bedanya, SUV ini ...", "Like the A and B, the car ...")."""
    before = masked.text[: masked_offset(masked, offset)]
    if _APPOSITION_HEAD.fullmatch(before.strip()):
        return False  # "X, perusahaan yang ...": an apposition to the name before it
    return before.strip() == "" or (before.count(",") == 1 and before.rstrip().endswith(","))


_APPOSITION_HEAD = re.compile(r"\u27e6\d+[A-Z]\u27e7(?:\s*\([^()]*\))?\s*,")


def masked_offset(masked: _Masked, offset: int) -> int:
    """The masked-text position of a plain-text offset of the sentence."""
    sentence_start = masked.segments[0][1] if masked.segments else 0
    target = sentence_start + offset
    for masked_start, original_start, length in masked.segments:
        if original_start <= target <= original_start + length:
            return masked_start + (target - original_start)
    return len(masked.text)


def _topic_first(state: _DocState, sentence: int, type_: str, candidates: list[Entity]) -> list[Entity]:
    """For a sentence-opening reference, the previous sentence's first compatible
    mention (its subject, usually the topic) comes before nearer mentions."""
    previous = [m for m in state.recent if m.sentence == sentence - 1 and _compatible(m.type, type_)]
    if not previous:
        return candidates
    topic = previous[0].entity
    return [topic] + [c for c in candidates if c.key != topic.key]


def _antecedents(state: _DocState, here: list[Mention], type_: str, before: int, sentence: int) -> list[Entity]:
    """Distinct compatible entities mentioned before ``before``, nearest first."""
    seen: dict[str, Entity] = {}
    earlier = [m for m in here if m.end <= before] + [m for m in state.recent if m.start < before]
    earlier.sort(key=lambda m: m.start, reverse=True)
    for mention in earlier:
        if _compatible(mention.type, type_) and sentence - mention.sentence <= COREF_WINDOW and mention.source != "coref":
            seen.setdefault(mention.entity.key, mention.entity)
    return list(seen.values())


def _compatible(mention_type: str, wanted: str) -> bool:
    if wanted == TOPIC:
        return mention_type in ORG_TYPES or mention_type == CAR_MODEL
    return mention_type in ORG_TYPES if wanted in ORG_TYPES else mention_type == wanted


# --- relations -----------------------------------------------------------------


def _emit_relation(state: _DocState, sentence: Sentence, masked: _Masked, rule: RelationRule, match: re.Match,
                   groups: dict[int, tuple[int, ...]]) -> None:
    subject_index = int(match.group("s"))
    object_index = int(match.group("o"))
    start = match.start()
    end = start + len(match.group("all"))
    if _inside_relative_clause(state.lex, masked.text, start, subject_index):
        return
    named = match.groupdict()
    own_words = [_group_span(match, name) for name in ("t", "rel") if name in named]
    lookback = _clause_start(masked.text, start)
    local = _without(masked.text, lookback, end, own_words)
    contrasts = [m.end() for m in state.lex.contrasts.finditer(local)]
    if (state.lex.negations.search(local[contrasts[-1]:] if contrasts else local)
            or state.lex.sentence_negations.search(masked.text)):
        return
    hedged = bool(state.lex.hedges.search(local) or state.lex.sentence_hedges.search(masked.text))
    percent = parse_number(named["pct"], state.lex.lang) if named.get("pct") else None
    date = (_find_date(state.lex, masked.text[start : end + 40], state.doc.published)
            if rule.relation in DATED_RELATIONS else None)
    objects = [object_index]
    if rule.each_object:  # every object-typed mention between subject and object counts
        objects = [int(p.group(1)) for p in PLACEHOLDER.finditer(masked.text, start, end)
                   if p.group(2) in rule.object_codes and int(p.group(1)) != subject_index]
    respectively = bool(state.lex.respectively.search(masked.text))
    spread = groups if rule.spread_subject else {k: v for k, v in groups.items() if k != subject_index}
    pairs = [pair for o in objects
             for pair in _expand(masked, spread, subject_index, o, rule.relation in SYMMETRIC, respectively)]
    if rule.both_ways:
        pairs += [(o, s) for s, o in pairs]
    for s, o in pairs:
        _add_fact(state, sentence, rule.relation, s, o, rule.id, rule.confidence, hedged, percent, date)
        if named.get("pct_from") and rule.relation == "ownsStake":
            old = parse_number(named["pct_from"], state.lex.lang)
            _add_fact(state, sentence, rule.relation, s, o, rule.id, rule.confidence, hedged, old, None,
                      end_date=date or state.doc.published, ended=True)


def _inside_relative_clause(lex: Lexicon, text: str, start: int, subject_index: int) -> bool:
    """True when the match starts at a subject that is the object of a relative clause
    ("SUV yang didasarkan pada <X> akan diluncurkan...": X does not launch anything).
    An apposition ("<X>, bos baru Y") still describes X, so it is let through."""
    placeholder_match = PLACEHOLDER.match(text, start)
    if not placeholder_match or int(placeholder_match.group(1)) != subject_index or lex.relative_object is None:
        return False
    if text.startswith(",", placeholder_match.end()):
        return False
    return bool(lex.relative_object.search(text, 0, start))


def _expand(masked: _Masked, groups, s: int, o: int, symmetric: bool,
            respectively: bool = False) -> list[tuple[Mention, Mention]]:
    """The argument pairs a match stands for once lists are spread out.

    A subject or object that is an item of a list stands for every item; when both
    are items of the same list, only a symmetric relation spreads (to every pair);
    two lists of one length in a "respectively" sentence pair item by item."""
    if s in groups and groups[s] is groups.get(o):
        items = groups[s] if symmetric else ()
        pairs = [(a, b) for i, a in enumerate(items) for b in items[i + 1 :]] or [(s, o)]
    elif respectively and s in groups and o in groups and len(groups[s]) == len(groups[o]):
        pairs = list(zip(groups[s], groups[o]))  # "A and B ... C and D, respectively"
    else:
        pairs = [(a, b) for a in groups.get(s, (s,)) for b in groups.get(o, (o,))]
    mentions = masked.mentions
    return [pair for a, b in pairs if (pair := _distinct(mentions[a], mentions[b]))]


def _distinct(subject: Mention, obj: Mention) -> tuple[Mention, Mention] | None:
    """The pair, unless both name the same entity; a referring expression that landed on
    the other argument falls back to its next antecedent ("HMMI, a unit of the carmaker")."""
    if subject.entity.key != obj.entity.key:
        return subject, obj
    for mention, other in ((subject, obj), (obj, subject)):
        fallback = next((e for e in mention.fallbacks if e.key != other.entity.key), None)
        if fallback is not None:
            moved = replace(mention, entity=fallback, type=fallback.type)
            return (moved, obj) if mention is subject else (subject, moved)
    return None


def _group_span(match: re.Match, name: str) -> tuple[int, int] | None:
    return (match.start(name), match.end(name)) if match.group(name) is not None else None


def _clause_start(text: str, start: int, limit: int = 40) -> int:
    window_start = max(0, start - limit)
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, window_start, start)]
    return breaks[-1] if breaks else window_start


def _without(text: str, start: int, end: int, holes) -> str:
    chars = list(text[start:end])
    for hole in holes:
        if hole:
            for i in range(max(hole[0], start), min(hole[1], end)):
                chars[i - start] = " "
    return "".join(chars)


def _find_date(lex: Lexicon, window: str, published: str | None = None) -> str | None:
    """The earliest date in the window: YYYY, or YYYY-MM(-DD) when the pattern has
    ``month`` (a number or a name from the lexicon's ``months``) and ``day`` groups.
    Relative dates ("bulan lalu", "last year") and dates without a year ("from
    October 1") resolve against the publication date; without one they are skipped.

    >>> from kg.lexicon import lexicon
    >>> _find_date(lexicon("id"), "diluncurkan pada tahun lalu di Jakarta", "2024-01-22")
    '2023'
    >>> _find_date(lexicon("id"), "diluncurkan bulan lalu", "2024-01-22"), _find_date(lexicon("id"), "bulan lalu")
    ('2023-12', None)
    >>> _find_date(lexicon("en"), "takes effect from October 1, after talks in 2019", "2024-05-02")
    '2024-10-01'
    """
    found: list[tuple[int, str]] = []
    if published:
        for pattern, years, months in lex.relative_dates:
            match = pattern.search(window)
            if match:
                year, month = int(published[:4]) + years, int(published[5:7]) + months
                year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
                found.append((match.start(), f"{year:04d}-{month:02d}" if months else f"{year:04d}"))
    for pattern in lex.date_patterns:
        match = pattern.search(window)
        if match:
            value = _date_value(lex, match.groupdict(), published)
            if value:
                found.append((match.start(), value))
    return min(found)[1] if found else None


def _date_value(lex: Lexicon, parts: dict, published: str | None) -> str | None:
    year = parts.get("year") or (published[:4] if published else None)
    if year is None:
        return None
    month = parts.get("month")
    number = (int(month) if month.isdigit() else lex.months.get(month.lower())) if month else None
    if not number or not 1 <= number <= 12:
        return year if parts.get("year") else None
    day = parts.get("day")
    if day and 1 <= int(day) <= 31:
        return f"{year}-{number:02d}-{int(day):02d}"
    return f"{year}-{number:02d}"


def parse_number(text: str, lang: str) -> float:
    """A decimal figure as written in ``lang``.

    >>> parse_number("43,4", "id"), parse_number("43.4", "en"), parse_number("1.234,5", "id")
    (43.4, 43.4, 1234.5)
    """
    if lang == "id":
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    return float(text)


def _add_fact(state, sentence, relation, subject: Mention, obj: Mention, rule_id, confidence, hedged,
              percent=None, date=None, end_date=None, ended=False) -> None:
    if subject.source == "coref" or obj.source == "coref":
        confidence *= COREF_FACTOR
    if hedged:
        confidence *= HEDGE_FACTOR
    evidence = Evidence(state.doc.source, state.doc.key, sentence.text, sentence.start, sentence.end)
    extras = {
        "subject_text": subject.text,
        "object_text": obj.text,
        # surface forms worth keeping as alternative names (not "mereka", "versi X")
        "aliases": tuple(m.text for m in (subject, obj) if m.source in ("kb", "rule") and m.text != m.entity.label),
    }
    if ended:
        extras["ended"] = True
    state.facts.append(
        Fact(subject.entity, relation, obj.entity, evidence, rule_id, state.lex.lang, round(confidence, 3),
             hedged, percent, date, end_date, extras)
    )


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per sentence and (subject, relation, object, percent, ended); best confidence wins."""
    best: dict[tuple, Fact] = {}
    for fact in facts:
        key = (fact.evidence.start, fact.subject.key, fact.predicate, fact.object.key, fact.percent,
               fact.extras.get("ended", False))
        if fact.predicate == "partnerOf":
            key = (fact.evidence.start, *sorted((fact.subject.key, fact.object.key)), fact.predicate)
        if key not in best or fact.confidence > best[key].confidence:
            best[key] = fact
    return sorted(best.values(), key=lambda f: (f.evidence.start, f.predicate, f.subject.key, f.object.key))
