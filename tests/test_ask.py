"""`kg ask` in English and Indonesian, name resolution, and the named SPARQL query library.

Real behaviour on a store built from seeds/ and on a small graph "from another tool"
loaded with `kg import`; no mocks.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.ask import AmbiguousEntity, _INTENTS, ask, format_response, named_queries, parse
from kg.errors import QuestionError, UnknownEntity
from kg.resources import load_yaml
from helpers import TTL_PREFIXES, imported_store, one_error_line, run

KGR = "https://w3id.org/autokg/entity/"
EX = "https://example.org/auto/"
HOSTILE = 'x" } ; DROP ALL ; #'

OTHER_TOOL_TTL = TTL_PREFIXES + """

ex:alpha a kgo:Company ; rdfs:label "Alpha Holdings" .
ex:beta a kgo:Company ; rdfs:label "Beta Motors" ; skos:altLabel "Beta" .
ex:delta a kgo:Brand ; rdfs:label "Delta Beta" ; skos:altLabel "Beta" .
ex:one a kgo:CarModel ; rdfs:label "Beta One" .
ex:s1 a kgo:Shareholding ; kgo:holder ex:alpha ; kgo:heldEntity ex:beta ;
  kgo:percent "60.0"^^xsd:decimal ; kgo:assertedBy ex:a1 .
ex:alpha kgo:ownsStake ex:beta .
ex:a1 a kgo:Assertion ; rdf:subject ex:alpha ; rdf:predicate kgo:ownsStake ; rdf:object ex:beta ;
  kgo:evidenceText "Alpha Holdings owns 60 percent of Beta Motors." .
ex:one kgo:producedBy ex:beta .
"""




def dump(store: Path) -> bytes:
    result = run("export", "--format", "nq", "--store", store)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.fixture(scope="session")
def other_store(tmp_path_factory) -> Path:
    return imported_store(tmp_path_factory.mktemp("other-tool"), OTHER_TOOL_TTL)


# --------------------------------------------------------------------------- templates


def test_every_intent_has_templates_in_both_languages():
    templates = load_yaml("questions.yaml")
    for lang in ("en", "id"):
        assert {t["intent"] for t in templates[lang]} == set(_INTENTS), lang


@pytest.mark.parametrize(
    "question, intent, names",
    [
        ("who controls Nissan?", "controls", ("Nissan",)),
        ("siapa yang mengendalikan PT Astra Daihatsu Motor?", "controls", ("PT Astra Daihatsu Motor",)),
        ("siapa yang menguasai saham Nissan?", "owners", ("Nissan",)),
        ("what does Renault own?", "holdings", ("Renault",)),
        ("apa saja yang dimiliki Renault?", "holdings", ("Renault",)),
        ("Nissan Livina berbasis apa?", "based_on", ("Nissan Livina",)),
        ("What is the Toyota Agya a rebadge of?", "based_on", ("Toyota Agya",)),
        ("model turunan Xpander", "derived", ("Xpander",)),
        ("which models are derived from the Twingo?", "derived", ("Twingo",)),
        ("siapa CEO Nissan?", "ceo", ("Nissan",)),
        ("di mana BYD Atto 1 diluncurkan?", "launched", ("BYD Atto 1",)),
        ("Ioniq 5 menggunakan teknologi apa?", "technology", ("Ioniq 5",)),
        ("siapa mitra Nissan?", "partners", ("Nissan",)),
        ("who are Nissan's partners?", "partners", ("Nissan",)),
        ("how is Ampere connected to Nissan?", "connection", ("Ampere", "Nissan")),
        ("What is the connection between Geely and Renault?", "connection", ("Geely", "Renault")),
        ("bagaimana hubungan Ampere dan Nissan?", "connection", ("Ampere", "Nissan")),
        ("siapa pemilik Nissan?", "owners", ("Nissan",)),
        ("Who builds the Twingo-derived model?", "producer", ("Twingo",)),
    ],
)
def test_questions_parse_to_intent_and_names(question, intent, names):
    parsed = parse(question)
    assert (parsed.intent, parsed.names) == (intent, names)


# ----------------------------------------------------------------- answers on the seeds


@pytest.mark.parametrize(
    "english, indonesian, expected",
    [
        ("who builds the Twingo-derived model?", "siapa yang memproduksi model turunan Twingo?", "Ampere"),
        ("who owns Nissan?", "siapa pemilik Nissan?", "Renault Group"),
        ("who controls PT Mitsubishi Motors Krama Yudha Indonesia?", "siapa yang mengendalikan MMKI?", "Mitsubishi Motors"),
        ("who controls Ampere?", "siapa yang mengendalikan Ampere?", "Renault Group"),
        ("what does Renault own?", "apa saja yang dimiliki Renault?", "Nissan"),
        ("what is the Nissan Livina based on?", "Nissan Livina berbasis apa?", "Mitsubishi Xpander"),
        ("which models are derived from the Xpander?", "model turunan Xpander", "Nissan Livina"),
        ("who is the CEO of Nissan?", "siapa CEO Nissan?", "Ivan Espinosa"),
        ("where is the BYD Atto 1 launched?", "di mana BYD Atto 1 diluncurkan?", "Indonesia"),
        ("what technology does the Ioniq 5 use?", "Ioniq 5 menggunakan teknologi apa?", "E-GMP"),
        ("who are Nissan's partners?", "siapa mitra Nissan?", "Mitsubishi Motors"),
        ("what is the parent company of Ampere?", "apa induk perusahaan Ampere?", "Renault Group"),
    ],
)
def test_intents_answer_in_both_languages_with_evidence(seeds_store, english, indonesian, expected):
    for question in (english, indonesian):
        response = ask(question, seeds_store)
        labels = [a.label for a in response.answers]
        assert expected in labels, (question, labels)
        answer = next(a for a in response.answers if a.label == expected)
        steps = [s for s in answer.chain if not s.context]
        assert steps, question
        for step in steps:  # every step of the chain cites the sentence it was read from
            assert step.evidence and all(ev.text and ev.file for ev in step.evidence), (question, step)


def test_controls_combines_majority_ultimate_owner_and_parent(seeds_store):
    response = ask("who controls PT Mitsubishi Motors Krama Yudha Indonesia?", seeds_store)
    assert response.intent == "controls"
    mmc = next(a for a in response.answers if a.label == "Mitsubishi Motors")
    assert "majority" in mmc.detail and "parent company" in mmc.detail
    stake = next(s for s in mmc.chain if s.relation == "ownsStake")
    assert (stake.subject, stake.object) == ("Mitsubishi Motors", "PT Mitsubishi Motors Krama Yudha Indonesia")
    assert any("51 persen" in ev.text for ev in stake.evidence)
    assert any("ultimate owner" in (a.detail or "") for a in response.answers)


def test_holdings_lists_direct_and_indirect_with_the_chain(seeds_store):
    response = ask("apa saja yang dimiliki Renault Group?", seeds_store)
    assert response.intent == "holdings"
    by_label = {a.label: a for a in response.answers}
    nissan = by_label["Nissan"]
    assert "direct" in nissan.detail and nissan.chain[0].relation == "ownsStake"
    indirect = [a for a in response.answers if "through" in (a.detail or "")]
    assert indirect, [a.detail for a in response.answers]
    for answer in indirect:  # one ownsStake step per link of the holding chain, each with its sentence
        assert len(answer.chain) >= 2
        assert answer.chain[0].subject == "Renault Group" and answer.chain[-1].object == answer.label
        assert all(step.relation == "ownsStake" and step.evidence for step in answer.chain)


@pytest.mark.parametrize("question", ["how is the Twingo connected to Nissan?", "bagaimana hubungan Twingo dan Nissan?"])
def test_connection_shows_shortest_paths_with_evidence(seeds_store, question):
    response = ask(question, seeds_store)
    assert response.intent == "connection"
    assert (response.entity_iri, response.other_iri) == (KGR + "renault-twingo", KGR + "nissan")
    assert response.answers
    lengths = [int(a.detail.split()[0]) for a in response.answers]
    assert lengths == sorted(lengths) and lengths[0] == 2
    first = response.answers[0]
    assert first.label.startswith("Renault Twingo") and first.label.endswith("Nissan")
    assert all(step.evidence for step in first.chain)


def test_json_has_the_same_content_as_the_text(seeds_store):
    for question in ("who builds the Twingo-derived model?", "siapa yang mengendalikan MMKI?",
                     "what does Nissan own?", "bagaimana hubungan Ampere dan Nissan?", "who owns Nisan?"):
        text = run("ask", question, "--store", seeds_store).stdout
        data = json.loads(run("ask", question, "--store", seeds_store, "--format", "json").stdout)
        assert data["question"] == question and data["intent"] in text
        assert len([line for line in text.splitlines() if line.startswith("→ ")]) == len(data["answers"])
        for answer in data["answers"]:
            assert f"→ {answer['label']}" + (f" ({answer['detail']})" if answer["detail"] else "") in text
            for step in answer["chain"]:
                assert f"{step['subject']} —{step['relation']}→ {step['object']}" in text
                for ev in step["evidence"]:
                    assert f"“{ev['text']}” ({ev['file']}:{ev['start']}-{ev['end']})" in text
        for note in data["notes"]:
            assert note in text


def test_misspelt_name_is_read_and_said_so(seeds_store):
    response = ask("who owns Nisan?", seeds_store)
    assert response.entity_iri == KGR + "nissan"
    assert response.notes == ["read 'Nisan' as Nissan"]
    assert "(read 'Nisan' as Nissan)" in format_response(response)


def test_accents_case_and_punctuation_do_not_matter(seeds_store):
    assert ask("WHO OWNS nissan", seeds_store).entity_iri == KGR + "nissan"
    assert ask("siapa CEO renault group?", seeds_store).answers  # "François Provost"
    people = {a.label for a in ask("who is the CEO of Renault Group?", seeds_store).answers}
    assert "François Provost" in people
    assert ask("who owns kgr:nissan?", seeds_store).entity_iri == KGR + "nissan"


def test_unknown_name_suggests_close_names(seeds_store):
    with pytest.raises(UnknownEntity, match="did you mean: .*Hyundai"):
        ask("who owns Hyundai Motorworks International?", seeds_store)


# ------------------------------------------------------------ a graph from another tool


def test_imported_graph_answers_with_its_evidence(other_store):
    response = ask("who owns Beta Motors?", other_store)
    (answer,) = response.answers
    assert (answer.label, answer.iri, answer.percent) == ("Alpha Holdings", EX + "alpha", 60.0)
    assert [ev.text for ev in answer.chain[0].evidence] == ["Alpha Holdings owns 60 percent of Beta Motors."]
    assert "(imported)" in format_response(response)
    assert [a.label for a in ask("what does Alpha Holdings own?", other_store).answers] == ["Beta Motors"]
    assert [a.label for a in ask("who builds Beta One?", other_store).answers] == ["Beta Motors"]


def test_ambiguous_name_lists_the_choices_with_their_types(other_store):
    with pytest.raises(AmbiguousEntity) as caught:
        ask("who owns Beta?", other_store)
    assert isinstance(caught.value, QuestionError)
    choices = [(c.label, c.type, c.iri) for c in caught.value.choices]
    assert choices == [("Beta Motors", "Company", EX + "beta"), ("Delta Beta", "Brand", EX + "delta")]
    line = one_error_line(run("ask", "siapa pemilik Beta?", "--store", other_store))
    assert "ambiguous" in line and "Beta Motors (Company" in line and "Delta Beta (Brand" in line
    # the IRI from the choice list answers the question
    assert ask(f"who owns <{EX}beta>?", other_store).answers[0].label == "Alpha Holdings"


# ----------------------------------------------------------------------------- safety


@pytest.mark.parametrize("template", ["who owns {}?", "siapa pemilik {}?", "how is {} connected to Nissan?"])
def test_hostile_name_is_an_unknown_entity_and_the_store_is_unchanged(seeds_store, template):
    before = dump(seeds_store)
    with pytest.raises(UnknownEntity, match=re.escape(repr(HOSTILE))):
        ask(template.format(HOSTILE), seeds_store)
    line = one_error_line(run("ask", template.format(HOSTILE), "--store", seeds_store))
    assert "KG501" in line
    assert dump(seeds_store) == before


# ------------------------------------------------------------------- named query library


def test_every_named_query_says_what_it_answers_and_projects_its_params():
    queries = named_queries()
    assert {"stakes_in", "stakes_held", "producers", "derived_models", "ceo", "partners"} <= set(queries)
    for query in queries.values():
        assert query.text.startswith("# ") and query.description, query.name
        select = re.search(r"SELECT(.*?)(?:WHERE|\{)", query.text, re.S | re.I).group(1)
        projected = set(re.findall(r"\?(\w+)", select))
        # pyoxigraph only substitutes variables the query projects
        assert set(query.params) <= projected, (query.name, query.params, projected)


def test_sparql_list_shows_every_named_query(seeds_store):
    result = run("sparql", "--list")
    assert result.exit_code == 0
    for name, query in named_queries().items():
        assert f"{name}\n    {query.description}" in result.stdout
    listing = json.loads(run("sparql", "--list", "--format", "json").stdout)
    assert {q["name"] for q in listing} == set(named_queries())


def rows(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["results"]["bindings"]


@pytest.mark.parametrize("value", ["Nissan", "kgr:nissan", f"<{KGR}nissan>", "nisan"])
def test_named_query_param_binds_iris_and_names(seeds_store, value):
    found = rows(run("sparql", "--name", "stakes_in", "--param", f"held={value}", "--store", seeds_store, "--format", "json"))
    assert found and {r["held"]["value"] for r in found} == {KGR + "nissan"}
    assert KGR + "renault-group" in {r["holder"]["value"] for r in found}


def test_named_query_numbers_and_two_params(seeds_store):
    found = rows(run("sparql", "--name", "big_stakes", "--param", "min=40", "--param", "held=Horse Powertrain",
                     "--store", seeds_store, "--format", "json"))
    assert found and all(float(r["percent"]["value"]) >= 40 for r in found)
    assert {r["held"]["value"] for r in found} == {KGR + "horse-powertrain"}
    models = rows(run("sparql", "--name", "derived_models", "--param", "model=Xpander", "--store", seeds_store, "--format", "json"))
    assert KGR + "nissan-livina" in {r["derived"]["value"] for r in models}


def test_hostile_param_is_a_literal_with_no_rows_and_the_store_is_unchanged(seeds_store):
    before = dump(seeds_store)
    for query, key in (("stakes_in", "held"), ("facts_about", "e"), ("entities", "class")):
        result = run("sparql", "--name", query, "--param", f"{key}={HOSTILE}", "--store", seeds_store, "--format", "json")
        assert rows(result) == []
        assert "bound as a text literal" in result.stderr
    result = run("sparql", "--name", "stakes_in", "--param", f"held=<{HOSTILE}>", "--store", seeds_store)
    assert "not a valid IRI" in one_error_line(result)
    assert dump(seeds_store) == before


def test_named_query_mistakes_are_one_line(seeds_store, other_store):
    assert "has no parameter 'hold'; it takes: held" in one_error_line(
        run("sparql", "--name", "stakes_in", "--param", "hold=Nissan", "--store", seeds_store))
    assert "no named query 'nope'" in one_error_line(run("sparql", "--name", "nope", "--store", seeds_store))
    assert "key=value" in one_error_line(run("sparql", "--name", "stakes_in", "--param", "Nissan", "--store", seeds_store))
    assert "ambiguous" in one_error_line(run("sparql", "--name", "stakes_in", "--param", "held=Beta", "--store", other_store))


# ---------------------------------------------------------------------------- start-up


def test_query_commands_keep_heavy_imports_out(seeds_store):
    """`import kg.cli` and an ownership question import no numpy/networkx/spaCy/rdflib."""
    code = (
        "import sys; from kg.cli import main; from kg.ask import ask; "
        f"ask('who owns Nissan?', {str(seeds_store)!r}); ask('siapa CEO Nissan?', {str(seeds_store)!r}); "
        "print(sorted(m for m in ('numpy', 'scipy', 'networkx', 'spacy', 'rdflib', 'kg.extract') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
