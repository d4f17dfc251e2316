"""Ask: a question in English or Indonesian -> answers with the chain of evidence.

Templates (``kg/data/questions.yaml``) pick an intent and the entity name; the name
is resolved against the store's labels and aliases (then the knowledge base, then
fuzzy suggestions); each intent runs named SPARQL queries with the entity bound as
an RDF term (``substitutions``), never formatted into query text.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from .errors import QuestionError, UnknownEntity
from .iri import ONTOLOGY
from .resources import data_file, load_yaml
from .store import DEFAULT_STORE, open_store

LINEAGE = ("basedOn", "rebadgeOf")


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

    def to_dict(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=None)
def query_text(name: str) -> str:
    return data_file(f"queries/{name}.rq").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _templates() -> list[tuple[str, str, re.Pattern]]:
    return [
        (lang, item["intent"], re.compile(item["pattern"] + r"$"))
        for lang, items in load_yaml("questions.yaml").items()
        for item in items
    ]


def parse_question(question: str) -> tuple[str, str, bool]:
    """(intent, entity name, derived?) for a question.

    >>> parse_question("Who builds the Twingo-derived model?")
    ('producer', 'twingo', True)
    >>> parse_question("siapa pemilik Nissan?")
    ('owners', 'nissan', False)
    """
    text = " ".join(question.strip().rstrip("?!. ").split()).lower()
    for _lang, intent, pattern in _templates():
        match = pattern.match(text)
        if match:
            name = match.group("x").strip(" \"'")
            name = re.sub(r"^(?:the|model|mobil)\s+", "", name)
            derived = "derived" in pattern.groupindex and match.group("derived") is not None
            return intent, name, derived
    raise QuestionError(
        f"did not understand {question!r}; try e.g. 'who builds X?', 'who owns X?', 'who is the CEO of X?', "
        "'what is X based on?', 'siapa pemilik X?'"
    )


class Graph:
    """Read-only access to the store for answering questions."""

    def __init__(self, store: ox.Store):
        self.store = store
        self._labels: dict[str, str] = {}

    def rows(self, name: str, **params: ox.NamedNode):
        bindings = {ox.Variable(key): value for key, value in params.items()}
        return list(self.store.query(query_text(name), use_default_graph_as_union=True, substitutions=bindings))

    def label(self, node: ox.NamedNode) -> str:
        if node.value not in self._labels:
            found = self.store.quads_for_pattern(node, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None)
            first = next(iter(found), None)
            self._labels[node.value] = first.object.value if first else node.value.rsplit("/", 1)[-1]
        return self._labels[node.value]

    def out(self, node: ox.NamedNode, relation: str) -> list[ox.NamedNode]:
        return [row["o"] for row in self.rows("edges", s=node, p=ox.NamedNode(ONTOLOGY + relation))]

    def into(self, node: ox.NamedNode, relation: str) -> list[ox.NamedNode]:
        return [row["s"] for row in self.rows("edges_in", o=node, p=ox.NamedNode(ONTOLOGY + relation))]

    def step(self, s: ox.NamedNode, relation: str, o: ox.NamedNode, context: bool = False,
             stake: ox.NamedNode | None = None) -> Step:
        """One edge with its evidence (for a stake: the evidence of that Shareholding node only)."""
        if stake is not None:
            rows = self.rows("stake_evidence", stake=stake)
        else:
            rows = self.rows("evidence", s=s, p=ox.NamedNode(ONTOLOGY + relation), o=o)
        evidence = tuple(
            Evidence(
                text=row["text"].value,
                file=row["file"].value if row["file"] else None,
                start=int(row["start"].value) if row["start"] else None,
                end=int(row["end"].value) if row["end"] else None,
                hedged=bool(row["hedged"] and row["hedged"].value == "true"),
            )
            for row in rows
        )
        return Step(self.label(s), relation, self.label(o), evidence, context)

    def resolve(self, name: str) -> ox.NamedNode:
        """The entity a name refers to: label/alias in the store, then the KB, then fail with suggestions."""
        wanted = " ".join(name.split()).lower()
        names: dict[str, set[str]] = {}
        spelled: dict[str, str] = {}
        for row in self.rows("names"):
            names.setdefault(row["name"].value.lower(), set()).add(row["e"].value)
            spelled[row["name"].value.lower()] = row["name"].value
        found = names.get(wanted)
        if not found:
            from .kb import default_kb

            entity = default_kb().lookup(wanted)
            if entity is not None:
                iri = f"https://w3id.org/autokg/entity/{entity.key}"
                found = {iri} if any(iri in iris for iris in names.values()) else None
        if not found:
            from rapidfuzz import fuzz, process

            suggestions = [spelled[n] for n, _score, _ in process.extract(wanted, sorted(names), scorer=fuzz.WRatio, limit=3)]
            hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else "; build some articles first"
            raise UnknownEntity(f"no entity called {name!r} in the store{hint}")
        if len(found) > 1:
            options = ", ".join(sorted(self.label(ox.NamedNode(i)) for i in found))
            raise QuestionError(f"{name!r} is ambiguous ({options}); ask again with the full name")
        return ox.NamedNode(found.pop())


def ask(question: str, store_dir=DEFAULT_STORE) -> Response:
    intent, name, derived = parse_question(question)
    graph = Graph(open_store(store_dir))
    node = graph.resolve(name)
    handler = _INTENTS[intent]
    answers = handler(graph, node, derived) if intent == "producer" else handler(graph, node)
    subject = f"models derived from {graph.label(node)}" if derived else graph.label(node)
    return Response(question, intent, subject, node.value, answers)


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
    "holdings": _neighbours("ownsStake"),
    "ceo": _neighbours("ceoOf", incoming=True),
    "based_on": _lineage(incoming=False),
    "derived": _lineage(incoming=True),
    "launched": _neighbours("launchedIn"),
    "technology": _neighbours("usesTechnology"),
    "partners": _neighbours("partnerOf", both=True),
    "parent": _neighbours("subsidiaryOf"),
}


def format_response(response: Response) -> str:
    lines = [f"Q: {response.question}", f"   ({response.intent} of {response.entity})"]
    if not response.answers:
        lines.append("No answer in the store.")
    for answer in response.answers:
        lines.append(f"→ {answer.label}" + (f" ({answer.detail})" if answer.detail else ""))
        for step in answer.chain:
            marker = "  context:" if step.context else "  because"
            lines.append(f"{marker} {step.subject} —{step.relation}→ {step.object}")
            for ev in step.evidence:
                where = f"{ev.file}:{ev.start}-{ev.end}" if ev.file else "imported"
                hedge = " [hedged]" if ev.hedged else ""
                lines.append(f"      “{ev.text}” ({where}){hedge}")
    return "\n".join(lines)
