"""Ask: a question in English or Indonesian -> answers with the chain of evidence.

Templates (``kg/data/questions.yaml``) pick an intent and the entity names; a name
is resolved against the store's labels and aliases (then the knowledge base, then
fuzzy matching with rapidfuzz); each intent runs named SPARQL queries with the entity
bound as an RDF term (``substitutions``), never formatted into query text. The
ownership, control and connection intents use :mod:`kg.analytics` through
:mod:`kg.report`, imported only when such a question is asked (networkx, numpy and
scipy stay out of the other questions' start-up).

The named queries in ``kg/data/queries/*.rq`` double as a user-facing library
(``kg sparql --list``, ``kg sparql --name NAME --param key=value``): each file starts
with ``#`` comment lines saying what it answers and, on a ``# Params:`` line, the
variables a caller may bind.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from .errors import QueryError, QuestionError, UnknownEntity
from .iri import DOC, ENTITY, ONTOLOGY
from .resources import data_file, load_yaml
from .store import DEFAULT_STORE, open_store

LINEAGE = ("basedOn", "rebadgeOf")
#: A misspelt name is taken as an entity when it is this close (rapidfuzz ratio, 0-100)
#: to one entity's name and to no other's.
FUZZY_ACCEPT = 90
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_SKOS_ALT_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
# The most specific class wins when an entity carries several (as in kg.analytics).
_TYPE_PRIORITY = ("CarModel", "Person", "Market", "Technology", "Brand", "Company", "Organization")
_PREFIXES = {
    "kgr": ENTITY,
    "kgo": ONTOLOGY,
    "doc": DOC,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}
_XSD = _PREFIXES["xsd"]


@dataclass(frozen=True)
class Evidence:
    text: str
    file: str | None
    start: int | None
    end: int | None
    hedged: bool = False


@dataclass(frozen=True)
class Step:
    subject: str
    relation: str
    object: str
    evidence: tuple[Evidence, ...]
    context: bool = False  # background for the answer, not part of the derivation


@dataclass
class Answer:
    label: str
    iri: str
    detail: str | None = None
    chain: list[Step] = field(default_factory=list)
    percent: float | None = None  # stakes only
    current: bool = True  # False for a stake that has ended


@dataclass
class Response:
    question: str
    intent: str
    entity: str
    entity_iri: str
    answers: list[Answer]
    other: str | None = None  # the second entity of a connection question
    other_iri: str | None = None
    notes: list[str] = field(default_factory=list)  # e.g. how a misspelt name was read

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Choice:
    """One entity an ambiguous name may mean."""

    label: str
    type: str | None
    iri: str

    def __str__(self) -> str:
        return f"{self.label} ({self.type or 'entity'}, {_compact(self.iri)})"


class AmbiguousEntity(QuestionError):
    """A name fits several entities; ``choices`` lists them (label, type, IRI)."""

    code = "KG502"

    def __init__(self, name: str, choices: list[Choice]):
        self.name = name
        self.choices = choices
        listing = "; ".join(str(c) for c in choices)
        super().__init__(f"{name!r} is ambiguous: it may mean {listing}; ask again with the full name or the IRI")


def _compact(iri: str) -> str:
    for prefix in ("kgr", "kgo"):
        namespace = _PREFIXES[prefix]
        if iri.startswith(namespace) and re.fullmatch(r"[\w.-]+", iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def fold(name: str) -> str:
    """A name as compared when resolving: case, accents, punctuation and spacing dropped.

    >>> fold("  José  Muñoz ") == fold("jose munoz"), fold("Daihatsu Motor Co.")
    (True, 'daihatsu motor co')
    """
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in plain).split())


# --- named queries -----------------------------------------------------------------


@dataclass(frozen=True)
class NamedQuery:
    """A ``.rq`` file of the query library: what it answers and the variables it binds."""

    name: str
    description: str
    params: dict[str, str]  # variable -> what to pass
    text: str


@lru_cache(maxsize=None)
def query_text(name: str) -> str:
    return data_file(f"queries/{name}.rq").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def named_queries() -> dict[str, NamedQuery]:
    """Every query shipped in ``kg/data/queries``, by name (the file name without ``.rq``)."""
    found = {}
    for item in sorted(data_file("queries").iterdir(), key=lambda p: p.name):
        if item.name.endswith(".rq"):
            name = item.name[: -len(".rq")]
            found[name] = _read_named(name, query_text(name))
    return found


def _read_named(name: str, text: str) -> NamedQuery:
    """Parse the ``#`` header: description lines, then ``# Params: a (what), b (what).``

    >>> q = _read_named("x", "# Who holds ?held.\\n# Params: held (entity), min (number).\\nSELECT ?held ?min {}")
    >>> q.description, q.params
    ('Who holds ?held.', {'held': 'entity', 'min': 'number'})
    """
    description, params = [], {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        line = line.lstrip("#").strip()
        if line.lower().startswith("params:"):
            params.update(re.findall(r"(\w+)\s*\(([^)]*)\)", line))
        elif line:
            description.append(line)
    return NamedQuery(name, " ".join(description), params, text)


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no named query {name!r}; `kg sparql --list` shows them: {', '.join(queries)}")
    return queries[name]


_NUMBER = re.compile(r"[+-]?(?:\d+(?P<frac>\.\d*)?|\.\d+)")


def param_term(value: str, graph: Graph | None = None, notes: list[str] | None = None):
    """The RDF term a ``--param key=value`` stands for, never query text.

    ``<iri>``, ``scheme://...``, ``urn:...`` and ``prefix:name`` (kgr, kgo, doc, rdf,
    rdfs, xsd, owl, skos) are IRIs; ``"text"`` is a literal; numbers are typed
    literals; anything else is an entity name, resolved like ``kg ask`` does, or, if no
    entity has that name, a plain literal (with a note in ``notes``).

    >>> param_term("kgr:nissan")
    <NamedNode value=https://w3id.org/autokg/entity/nissan>
    >>> param_term('"Nissan"'), param_term("43.4")
    (<Literal value=Nissan datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>, <Literal value=43.4 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#decimal>>)
    """
    text = value.strip()
    iri = _as_iri(text)
    if iri is not None:
        return iri
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return ox.Literal(text[1:-1])
    number = _NUMBER.fullmatch(text)
    if number:
        return ox.Literal(text, datatype=ox.NamedNode(_XSD + ("decimal" if number.group("frac") is not None or text.startswith((".", "+.", "-.")) else "integer")))
    if graph is not None:
        try:
            return graph.resolve(text)
        except AmbiguousEntity:
            raise
        except UnknownEntity as err:
            if notes is not None:
                notes.append(f"{text!r} is no entity name, so it is bound as a text literal ({err.message})")
    return ox.Literal(value)


def _as_iri(text: str) -> ox.NamedNode | None:
    """An IRI written as ``<...>``, ``scheme://...``, ``urn:...`` or ``prefix:local``, else None."""
    candidate = None
    if text.startswith("<") and text.endswith(">"):
        candidate = text[1:-1]
    elif re.match(r"[A-Za-z][A-Za-z0-9+.-]*://\S+$", text) or re.match(r"urn:\S+$", text, re.IGNORECASE):
        candidate = text
    else:
        match = re.fullmatch(r"([a-z]+):([\w.-]+)", text)
        if match and match.group(1) in _PREFIXES:
            candidate = _PREFIXES[match.group(1)] + match.group(2)
    if candidate is None:
        return None
    try:
        return ox.NamedNode(candidate)
    except ValueError:
        raise UnknownEntity(f"{text!r} is not a valid IRI; write it as <https://...>") from None


# --- questions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    intent: str
    names: tuple[str, ...]  # as written (case kept); two for a connection question
    derived: bool
    language: str


@lru_cache(maxsize=1)
def _templates() -> list[tuple[str, str, re.Pattern]]:
    return [
        (lang, item["intent"], re.compile(item["pattern"] + r"$", re.IGNORECASE))
        for lang, items in load_yaml("questions.yaml").items()
        for item in items
    ]


_QUOTES = " \"'“”‘’«»"
_LEADING = re.compile(r"^(?:the|model|mobil|perusahaan|company)\s+", re.IGNORECASE)


def parse(question: str) -> Parsed:
    """Intent, entity names and language of a question (see ``kg/data/questions.yaml``).

    >>> parse("How is Ampere connected to Nissan?")
    Parsed(intent='connection', names=('Ampere', 'Nissan'), derived=False, language='en')
    >>> parse("siapa yang mengendalikan PT Astra Daihatsu Motor?").intent
    'controls'
    >>> parse("Who builds the Twingo-derived model?")
    Parsed(intent='producer', names=('Twingo',), derived=True, language='en')
    """
    text = " ".join(question.strip().rstrip("?!. ？").split())
    for lang, intent, pattern in _templates():
        match = pattern.match(text)
        if match:
            groups = [g for g in ("x", "y") if g in pattern.groupindex]
            names = tuple(match.group(g).strip(_QUOTES) for g in groups)
            derived = "derived" in pattern.groupindex and match.group("derived") is not None
            if all(names):
                return Parsed(intent, names, derived, lang)
    raise QuestionError(
        f"did not understand {question!r}; try e.g. 'who builds X?', 'who owns X?', 'who controls X?', "
        "'what does X own?', 'who is the CEO of X?', 'what is X based on?', 'how is X connected to Y?', "
        "'siapa pemilik X?', 'bagaimana hubungan X dan Y?'"
    )


def _candidates(name: str) -> list[str]:
    """The name, then the name without a leading "the"/"model"/"mobil" (tried in order)."""
    out = [name]
    while _LEADING.match(out[-1]) and _LEADING.sub("", out[-1]):
        out.append(_LEADING.sub("", out[-1]).strip(_QUOTES))
    return out


class Graph:
    """Read-only access to the store for answering questions."""

    def __init__(self, store: ox.Store):
        self.store = store
        self._labels: dict[str, str] = {}
        self._kinds: dict[str, str | None] = {}
        self._names: tuple[dict[str, set[str]], dict[str, str]] | None = None
        self.notes: list[str] = []

    def rows(self, name: str, **params: ox.NamedNode):
        bindings = {ox.Variable(key): value for key, value in params.items()}
        return list(self.store.query(query_text(name), use_default_graph_as_union=True, substitutions=bindings))

    def label(self, node: ox.NamedNode | str) -> str:
        node = ox.NamedNode(node) if isinstance(node, str) else node
        if node.value not in self._labels:
            found = self.store.quads_for_pattern(node, _RDFS_LABEL, None)
            first = next(iter(found), None)
            self._labels[node.value] = first.object.value if first else node.value.rsplit("/", 1)[-1]
        return self._labels[node.value]

    def kind(self, node: ox.NamedNode | str) -> str | None:
        """The ontology class of an entity (the most specific one), or None."""
        node = ox.NamedNode(node) if isinstance(node, str) else node
        if node.value not in self._kinds:
            kinds = {
                q.object.value[len(ONTOLOGY):]
                for q in self.store.quads_for_pattern(node, _RDF_TYPE, None)
                if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(ONTOLOGY)
            }
            self._kinds[node.value] = next((t for t in _TYPE_PRIORITY if t in kinds), min(kinds) if kinds else None)
        return self._kinds[node.value]

    def out(self, node: ox.NamedNode, relation: str) -> list[ox.NamedNode]:
        return [row["o"] for row in self.rows("edges", s=node, p=ox.NamedNode(ONTOLOGY + relation))]

    def into(self, node: ox.NamedNode, relation: str) -> list[ox.NamedNode]:
        return [row["s"] for row in self.rows("edges_in", o=node, p=ox.NamedNode(ONTOLOGY + relation))]

    def evidence(self, s: ox.NamedNode, relation: str, o: ox.NamedNode, stake: ox.NamedNode | None = None) -> list[dict]:
        """Source sentences of one edge (of one Shareholding node when ``stake`` is given).

        Each is ``{"text", "file", "doc_iri", "start", "end", "hedged", "confidence"}``.
        """
        if stake is not None:
            rows = self.rows("stake_evidence", stake=stake)
        else:
            rows = self.rows("evidence", s=s, p=ox.NamedNode(ONTOLOGY + relation), o=o)
        return [
            {
                "text": row["text"].value,
                "file": row["file"].value if row["file"] else None,
                "doc_iri": row["d"].value if row["d"] else None,
                "start": int(row["start"].value) if row["start"] else None,
                "end": int(row["end"].value) if row["end"] else None,
                "hedged": bool(row["hedged"] and row["hedged"].value in ("true", "1")),
                "confidence": float(row["confidence"].value) if row["confidence"] else None,
            }
            for row in rows
        ]

    def step(self, s: ox.NamedNode, relation: str, o: ox.NamedNode, context: bool = False,
             stake: ox.NamedNode | None = None) -> Step:
        """One edge with its evidence (for a stake: the evidence of that Shareholding node only)."""
        return Step(self.label(s), relation, self.label(o), evidence_tuple(self.evidence(s, relation, o, stake)), context)

    # -- names --------------------------------------------------------------------

    def _name_index(self) -> tuple[dict[str, set[str]], dict[str, str]]:
        """folded name -> entity IRIs, and folded name -> one spelling of it."""
        if self._names is None:
            names: dict[str, set[str]] = {}
            spelled: dict[str, str] = {}
            for row in self.rows("names"):
                key = fold(row["name"].value)
                if key:
                    names.setdefault(key, set()).add(row["e"].value)
                    spelled.setdefault(key, row["name"].value)
            self._names = names, spelled
        return self._names

    def choice(self, iri: str) -> Choice:
        return Choice(self.label(iri), self.kind(iri), iri)

    def resolve(self, name: str, *alternatives: str) -> ox.NamedNode:
        """The entity a name refers to.

        In order: an IRI (``<...>``, ``kgr:slug``) present in the store; a label or
        alias in the store (ignoring case, accents and punctuation; ``alternatives``
        are other spellings tried next, e.g. without a leading "the"); a knowledge-base
        alias of an entity in the store; a close misspelling of exactly one entity's
        name (noted in :attr:`notes`). Raises :class:`AmbiguousEntity` when several
        entities fit, :class:`UnknownEntity` (with suggestions) when none does.
        """
        iri = _as_iri(name.strip())
        if iri is not None:
            if next(iter(self.store.quads_for_pattern(iri, None, None)), None) is None:
                raise UnknownEntity(f"no entity {_compact(iri.value)} in the store; check the IRI")
            return iri
        tried = [name, *alternatives]
        exact = self._exact_names(tried)
        if exact:  # indexed lookups: no need to read every name of a big store
            return self._one(name, exact)
        names, spelled = self._name_index()
        for candidate in tried:
            found = names.get(fold(candidate))
            if found:
                return self._one(candidate, found)
        for candidate in tried:
            found = self._from_kb(candidate, names)
            if found:
                return self._one(candidate, found)
        wanted = fold(tried[-1])
        from rapidfuzz import fuzz, process

        keys = sorted(names)
        if len(wanted) >= 4:
            close = process.extract(wanted, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_ACCEPT, limit=None)
            found = set().union(*(names[key] for key, _score, _ in close)) if close else set()
            if found:
                node = self._one(tried[-1], found)
                self.notes.append(f"read {tried[-1]!r} as {self.label(node)}")
                return node
        suggestions = [spelled[key] for key, _score, _ in process.extract(wanted, keys, scorer=fuzz.WRatio, limit=3)]
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else "; build some articles first"
        raise UnknownEntity(f"no entity called {name!r} in the store{hint}")

    def _exact_names(self, tried: list[str]) -> set[str]:
        """Entities whose label or alias is written exactly as one of ``tried`` (or in
        its title or upper case), found through the store's index."""
        predicates = (_RDFS_LABEL, _SKOS_ALT_LABEL)
        for candidate in tried:
            text = " ".join(candidate.split())
            found = {
                quad.subject.value
                for variant in dict.fromkeys((text, text.title(), text.upper()))
                for predicate in predicates
                for quad in self.store.quads_for_pattern(None, predicate, ox.Literal(variant))
                if isinstance(quad.subject, ox.NamedNode)
            }
            if found:
                return found
        return set()

    def _from_kb(self, name: str, names: dict[str, set[str]]) -> set[str] | None:
        from .kb import default_kb

        entity = default_kb().lookup(name)
        if entity is None:
            return None
        iri = ENTITY + entity.key
        return {iri} if any(iri in iris for iris in names.values()) else None

    def _one(self, name: str, found: set[str]) -> ox.NamedNode:
        if len(found) > 1:
            choices = sorted((self.choice(i) for i in found), key=lambda c: (c.label, c.type or "", c.iri))
            raise AmbiguousEntity(name, choices)
        return ox.NamedNode(next(iter(found)))


def evidence_tuple(items) -> tuple[Evidence, ...]:
    """Evidence records from evidence dicts (``kg.report`` / ``kg.analytics`` shape)."""
    out = []
    for item in items:
        if item.get("text") is None:
            continue
        ev = Evidence(item["text"], item.get("file", item.get("doc")), item.get("start"), item.get("end"),
                      bool(item.get("hedged")))
        if ev not in out:
            out.append(ev)
    return tuple(out)


def ask(question: str, store_dir=DEFAULT_STORE) -> Response:
    parsed = parse(question)
    graph = Graph(open_store(store_dir))
    nodes = [graph.resolve(*_candidates(name)) for name in parsed.names]
    node = nodes[0]
    if parsed.intent == "connection":
        answers = _connection(graph, node, nodes[1])
    elif parsed.intent == "producer":
        answers = _producer(graph, node, parsed.derived)
    else:
        answers = _INTENTS[parsed.intent](graph, node)
    subject = f"models derived from {graph.label(node)}" if parsed.derived else graph.label(node)
    other = nodes[1] if len(nodes) > 1 else None
    return Response(question, parsed.intent, subject, node.value, answers,
                    graph.label(other) if other else None, other.value if other else None, list(graph.notes))


# --- intents ---------------------------------------------------------------------


def _producer(graph: Graph, node: ox.NamedNode, derived: bool) -> list[Answer]:
    """Who builds ``node`` (or the models derived from it), following lineage to a donor."""
    models = [m for rel in LINEAGE for m in graph.into(node, rel)] if derived else [node]
    answers: dict[str, Answer] = {}
    for model in models:
        for producer, path in _producers_along_lineage(graph, model, []):
            answer = answers.setdefault(producer.value, Answer(graph.label(producer), producer.value, chain=path))
            for parent in graph.out(producer, "subsidiaryOf"):
                step = graph.step(producer, "subsidiaryOf", parent, context=True)
                if step not in answer.chain:
                    answer.chain.append(step)
    return sorted(answers.values(), key=lambda a: a.label)


def _producers_along_lineage(graph: Graph, model: ox.NamedNode, chain: list[Step], seen=None):
    """Direct producers of ``model``; if none, the producers of what it derives from."""
    seen = (seen or set()) | {model.value}
    direct = graph.out(model, "producedBy")
    for producer in direct:
        yield producer, chain + [graph.step(model, "producedBy", producer)]
    if direct:
        return
    for relation in LINEAGE:
        for donor in graph.out(model, relation):
            if donor.value not in seen:
                yield from _producers_along_lineage(graph, donor, chain + [graph.step(model, relation, donor)], seen)


def _owners(graph: Graph, node: ox.NamedNode) -> list[Answer]:
    answers = []
    for row in graph.rows("stakes_in", held=node):
        holder = row["holder"]
        detail_parts = []
        if row["percent"]:
            detail_parts.append(f"{float(row['percent'].value):g} %")
        if row["start"]:
            detail_parts.append(f"since {row['start'].value}")
        if row["end"]:
            detail_parts.append(f"until {row['end'].value}")
        answers.append(Answer(graph.label(holder), holder.value, " ".join(detail_parts) or None,
                              [graph.step(holder, "ownsStake", node, stake=row["stake"])],
                              percent=float(row["percent"].value) if row["percent"] else None,
                              current=row["end"] is None))
    # current stakes first, the biggest on top; ended ones after them
    return sorted(answers, key=lambda a: (not a.current, -(a.percent or -1.0), a.label))


def _stake_chain(analysis, nodes: list[str]) -> list[Step]:
    """ownsStake steps along a holding path, each with the evidence of the stakes counted."""
    return [
        Step(analysis.graph.label(u), "ownsStake", analysis.graph.label(v), evidence_tuple(analysis.stake_evidence(u, v)))
        for u, v in zip(nodes, nodes[1:])
    ]


def _holdings(graph: Graph, node: ox.NamedNode) -> list[Answer]:
    """What ``node`` holds, directly and through the companies it holds (integrated %)."""
    from .report import Analysis, percent_text

    analysis = Analysis(graph)
    report = analysis.holdings(node)
    answers = []
    for item in report["integrated"]:
        held = item["held"]["iri"]
        parts = []
        if item["direct_percent"] is not None:
            parts.append(f"{percent_text(item['direct_percent'])} direct")
        elif not item["through"]:
            parts.append("direct, size unknown")
        if item["percent"] is not None and item["percent"] != item["direct_percent"]:
            parts.append(f"{percent_text(item['percent'])} integrated")
        if item["through"]:
            parts.append("through " + ", ".join(ref["label"] for ref in item["through"]))
        path = [node.value, *(ref["iri"] for ref in item["through"]), held]
        answers.append(Answer(item["held"]["label"], held, "; ".join(parts) or None, _stake_chain(analysis, path),
                              percent=item["percent"]))
    return answers


def _controls(graph: Graph, node: ox.NamedNode) -> list[Answer]:
    """Who controls ``node``: majority holders (directly or through companies they
    control), ultimate owners at 20 % (La Porta et al.), and parent companies."""
    from .report import Analysis, percent_text

    analysis = Analysis(graph)
    report = analysis.control(node)
    answers: dict[str, Answer] = {}

    def answer(ref: dict) -> Answer:
        return answers.setdefault(ref["iri"], Answer(ref["label"], ref["iri"], chain=[]))

    def add(target: Answer, detail: str, steps: list[Step]) -> None:
        target.detail = f"{target.detail}; {detail}" if target.detail else detail
        target.chain.extend(s for s in steps if s not in target.chain)

    for item in report["controllers"]:
        steps = []
        for path in item["paths"]:
            steps += _stake_chain(analysis, [ref["iri"] for ref in path])
        add(answer(item["controller"]), f"controls it by majority ({percent_text(item['votes_percent'])} of the votes)", steps)
    for item in report["ultimate_owners"]:
        path = [ref["iri"] for ref in item["path"]]
        add(answer(item["owner"]),
            f"ultimate owner at {percent_text(report['threshold_percent'])} ({percent_text(item['rights_percent'])} of the votes)",
            _stake_chain(analysis, path))
    for item in report["parents"]:
        steps = [Step(e["subject"]["label"], e["relation"], e["object"]["label"], evidence_tuple(e["evidence"]))
                 for e in item["chain"]]
        add(answer(item["parent"]), "parent company" if item["depth"] == 1 else f"parent company ({item['depth']} levels up)", steps)
    return list(answers.values())


def _connection(graph: Graph, a: ox.NamedNode, b: ox.NamedNode) -> list[Answer]:
    """The shortest connections between two entities over any relation, each edge with its evidence."""
    from .report import Analysis

    report = Analysis(graph).paths(a, b)
    answers = []
    for path in report["paths"]:
        labels = [path["hops"][0]["source"]["label"]] + [hop["target"]["label"] for hop in path["hops"]]
        steps = [
            Step(edge["subject"]["label"], edge["relation"], edge["object"]["label"], evidence_tuple(edge["evidence"]))
            for hop in path["hops"]
            for edge in hop["edges"]
        ]
        length = path["length"]
        answers.append(Answer(" — ".join(labels), b.value, f"{length} step{'s' if length != 1 else ''}", steps))
    return answers


def _neighbours(relation: str, incoming: bool = False, both: bool = False):
    def handler(graph: Graph, node: ox.NamedNode) -> list[Answer]:
        answers = []
        if not incoming or both:
            answers += [Answer(graph.label(o), o.value, chain=[graph.step(node, relation, o)]) for o in graph.out(node, relation)]
        if incoming or both:
            answers += [Answer(graph.label(s), s.value, chain=[graph.step(s, relation, node)]) for s in graph.into(node, relation)]
        unique = {a.iri: a for a in answers}
        return sorted(unique.values(), key=lambda a: a.label)

    return handler


def _lineage(incoming: bool):
    parts = [_neighbours(rel, incoming=incoming) for rel in LINEAGE]
    return lambda graph, node: [answer for part in parts for answer in part(graph, node)]


_INTENTS = {
    "producer": _producer,
    "owners": _owners,
    "holdings": _holdings,
    "controls": _controls,
    "ceo": _neighbours("ceoOf", incoming=True),
    "based_on": _lineage(incoming=False),
    "derived": _lineage(incoming=True),
    "launched": _neighbours("launchedIn"),
    "technology": _neighbours("usesTechnology"),
    "partners": _neighbours("partnerOf", both=True),
    "parent": _neighbours("subsidiaryOf"),
    "connection": _connection,
}


def format_response(response: Response) -> str:
    about = f"{response.entity} and {response.other}" if response.other else response.entity
    lines = [f"Q: {response.question}", f"   ({response.intent} of {about})"]
    lines += [f"   ({note})" for note in response.notes]
    if not response.answers:
        lines.append("No answer in the store.")
    for answer in response.answers:
        lines.append(f"→ {answer.label}" + (f" ({answer.detail})" if answer.detail else ""))
        for step in answer.chain:
            marker = "  context:" if step.context else "  because"
            lines.append(f"{marker} {step.subject} —{step.relation}→ {step.object}")
            lines += [evidence_line(ev.text, ev.file, ev.start, ev.end, ev.hedged) for ev in step.evidence]
    return "\n".join(lines)


def evidence_line(text: str, file: str | None, start: int | None, end: int | None, hedged: bool,
                  indent: str = "      ") -> str:
    """One source sentence as shown under a step: the text, where it is, and whether hedged."""
    where = (file or "imported") + (f":{start}-{end}" if start is not None else "")
    return f"{indent}“{text}” ({where})" + (" [hedged]" if hedged else "")
