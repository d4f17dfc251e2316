"""The extraction scorer behind ``kg eval``, on small gold files written here."""

from __future__ import annotations

import json

import pytest

from kg.errors import EvalError
from kg.evaluate import EvalReport, Score, format_report, load_gold, load_languages, score


def gold_fact(subject, relation, obj, *, s_aliases=(), o_aliases=(), percent=None, date=None, hedged=False):
    return {
        "subject": subject,
        "subject_aliases": list(s_aliases),
        "relation": relation,
        "object": obj,
        "object_aliases": list(o_aliases),
        "percent": percent,
        "date": date,
        "hedged": hedged,
        "evidence": f"{subject} {relation} {obj}.",
    }


def pred(doc, subject, predicate, obj, **extra):
    p = {
        "doc": doc,
        "subject": subject,
        "predicate": predicate,
        "object": obj,
        "percent": None,
        "date": None,
        "hedged": False,
        "evidence": {"text": f"{subject} ... {obj}", "start": 0, "end": 10},
        "rule": "test.rule",
        "lang": "en",
    }
    p.update(extra)
    return p


def write_gold(folder, name, facts):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(facts), encoding="utf-8")
    return path


@pytest.fixture
def devset(tmp_path):
    """gold/ + corpus/ with one English and one Indonesian article."""
    gold_dir, corpus = tmp_path / "gold", tmp_path / "corpus"
    write_gold(
        gold_dir,
        "en-01-a.json",
        [
            gold_fact("Toyota Motor Corporation", "ownsStake", "Mazda", s_aliases=["Toyota"], percent=5.0),
            gold_fact("Toyota Motor Corporation", "partnerOf", "Mazda", s_aliases=["Toyota"]),
            gold_fact("Ford", "divestedFrom", "Mazda", date="2008"),
            gold_fact("Akio Toyoda", "ceoOf", "Toyota Motor Corporation", o_aliases=["Toyota"]),
        ],
    )
    write_gold(
        gold_dir,
        "id-01-b.json",
        [
            gold_fact("Nissan Livina", "rebadgeOf", "Mitsubishi Xpander", s_aliases=["Livina"], o_aliases=["Xpander"]),
            gold_fact("Nissan Livina", "producedBy", "Mitsubishi Motors", s_aliases=["Livina"],
                      o_aliases=["Mitsubishi Indonesia"]),
        ],
    )
    corpus.mkdir()
    (corpus / "en-01-a.txt").write_text("url: x\ntitle: t\nlanguage: English\npublished: unknown\n\nBody.\n")
    (corpus / "id-01-b.txt").write_text("url: x\ntitle: t\nlanguage: Indonesian\npublished: unknown\n\nIsi.\n")
    return gold_dir, corpus


def test_score_properties():
    assert Score(2, 2, 0).precision == 0.5
    assert Score(0, 0, 5).precision == 0.0 and Score(0, 0, 5).f1 == 0.0
    assert Score(0, 3, 0).recall == 0.0


def test_load_gold_reads_language_from_header_and_prefix(devset, tmp_path):
    gold_dir, corpus = devset
    gold = load_gold(gold_dir, corpus)
    assert set(gold) == {"en-01-a", "id-01-b"}
    assert {f["lang"] for f in gold["id-01-b"]} == {"id"}
    assert gold["en-01-a"][0]["doc"] == "en-01-a"
    assert load_languages(gold_dir, corpus) == {"en-01-a": "en", "id-01-b": "id"}
    # header wins over the prefix; no header and no prefix -> "und"
    other = tmp_path / "other"
    write_gold(other, "id-02-c.gold.json", [])
    write_gold(other, "plain.gold.json", [])
    (other / "id-02-c.txt").write_text("language: English\n\nBody.\n")
    (other / "plain.txt").write_text("No header here.\n")
    assert load_languages(other) == {"id-02-c": "en", "plain": "und"}
    # the gold folder's sibling corpus/ is found without being named
    assert load_languages(gold_dir) == {"en-01-a": "en", "id-01-b": "id"}


def test_exact_precision_recall_f1(devset):
    gold_dir, corpus = devset
    gold = load_gold(gold_dir, corpus)
    preds = [
        pred("corpus/en-01-a.txt", "Toyota", "ownsStake", "Mazda", percent=5.0),  # TP
        pred("corpus/en-01-a.txt", "Ford", "divestedFrom", "Mazda", date="2008"),  # TP
        pred("corpus/en-01-a.txt", "Mazda", "ownsStake", "Toyota"),  # FP (direction matters)
        pred("corpus/en-01-a.txt", "Akio Toyoda", "ceoOf", "Mazda"),  # FP (wrong object)
        pred("corpus/id-01-b.txt", "Nissan Livina", "producedBy", "Mitsubishi Motors", lang="id"),  # TP
        pred("corpus/id-01-b.txt", "Nissan Livina", "launchedIn", "Indonesia", lang="id"),  # FP
    ]
    report = score(preds, gold, load_languages(gold_dir, corpus))
    assert isinstance(report, EvalReport)
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (3, 3, 3)
    assert report.overall.precision == pytest.approx(0.5)
    assert report.overall.recall == pytest.approx(0.5)
    assert report.overall.f1 == pytest.approx(0.5)
    en, id_ = report.by_language["en"], report.by_language["id"]
    assert (en.tp, en.fp, en.fn) == (2, 2, 2)
    assert (id_.tp, id_.fp, id_.fn) == (1, 1, 1)
    assert id_.precision == pytest.approx(0.5) and id_.recall == pytest.approx(0.5)
    own = report.by_relation["ownsStake"]
    assert (own.tp, own.fp, own.fn) == (1, 1, 0)
    assert own.precision == pytest.approx(0.5) and own.recall == 1.0
    assert own.f1 == pytest.approx(2 / 3)
    ceo = report.by_relation["ceoOf"]
    assert (ceo.tp, ceo.fp, ceo.fn) == (0, 1, 1)
    assert report.by_doc["id-01-b"].tp == 1
    missed = {(m["doc"], m["relation"]) for m in report.misses}
    assert missed == {("en-01-a", "partnerOf"), ("en-01-a", "ceoOf"), ("id-01-b", "rebadgeOf")}
    fp = {(f["relation"], f["subject"], f["object"]) for f in report.false_positives}
    assert ("launchedIn", "Nissan Livina", "Indonesia") in fp
    first = report.false_positives[0]
    assert first["rule"] == "test.rule" and first["evidence"] and first["doc"] == "en-01-a"


def test_partner_of_is_symmetric(tmp_path):
    gold = load_gold(write_gold(tmp_path / "g", "en-x.json", [
        gold_fact("Renault Group", "partnerOf", "Nissan", s_aliases=["Renault"]),
    ]).parent)
    report = score([pred("en-x.txt", "Nissan", "partnerOf", "Renault")], gold, {})
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (1, 0, 0)
    # a non-symmetric relation does not match in reverse
    gold2 = {"en-x": [gold_fact("Renault Group", "ownsStake", "Nissan", s_aliases=["Renault"])]}
    report = score([pred("en-x.txt", "Nissan", "ownsStake", "Renault")], gold2, {})
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (0, 1, 1)


def test_alias_and_surface_text_matching_is_case_and_space_insensitive(tmp_path):
    gold = {"id-x": [gold_fact("Mitsubishi Motors", "producedBy", "Astra Daihatsu Motor",
                               s_aliases=["pabrik Mitsubishi Indonesia"], o_aliases=["ADM", "PT Astra Daihatsu Motor"])]}
    gold["id-x"][0]["relation"] = "producedBy"
    preds = [pred("x/id-x.txt", "  PABRIK   mitsubishi\tindonesia ", "producedBy", "pt astra daihatsu motor")]
    report = score(preds, gold, {"id-x": "id"})
    assert report.overall.tp == 1 and report.overall.fp == 0
    # a canonical name the gold does not know still matches through subject_text/object_text
    preds = [pred("id-x.txt", "Mitsubishi Motors Corp", "producedBy", "Daihatsu Astra",
                  subject_text="Mitsubishi Motors", object_text="ADM")]
    report = score(preds, gold, {})
    assert report.overall.tp == 1
    assert report.by_language == {"id": Score(1, 0, 0)}  # language from the basename prefix
    # neither name nor alias: no match
    report = score([pred("id-x.txt", "Mitsubishi", "producedBy", "ADM")], gold, {})
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (0, 1, 1)


def test_rebadge_and_based_on_accept_either_direction():
    gold = {"en-x": [
        gold_fact("Mitsubishi ASX", "rebadgeOf", "Renault Captur", s_aliases=["ASX"], o_aliases=["Captur"]),
        gold_fact("Volkswagen Amarok", "basedOn", "Ford Ranger", s_aliases=["Amarok"], o_aliases=["Ranger"]),
    ]}
    preds = [
        pred("en-x.txt", "Captur", "rebadgeOf", "ASX"),
        pred("en-x.txt", "Ford Ranger", "basedOn", "Volkswagen Amarok"),
    ]
    report = score(preds, gold, {})
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (2, 0, 0)
    # but the relation itself must be right
    report = score([pred("en-x.txt", "Captur", "basedOn", "ASX")], gold, {})
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (0, 1, 2)


def test_duplicates_count_once():
    gold = {"en-x": [
        gold_fact("Toyota", "partnerOf", "Isuzu"),
        gold_fact("Toyota", "ownsStake", "Isuzu", percent=5.9, date="2006"),
        gold_fact("Toyota", "ownsStake", "Isuzu", percent=4.6),
    ]}
    preds = [
        # the same partnership from three sentences, once reversed: one TP
        pred("en-x.txt", "Toyota", "partnerOf", "Isuzu"),
        pred("en-x.txt", "Toyota", "partnerOf", "Isuzu"),
        pred("en-x.txt", "Isuzu", "partnerOf", "Toyota"),
        # an identical stake claim twice can only match one of the two stake facts
        pred("en-x.txt", "Toyota", "ownsStake", "Isuzu", percent=4.6),
        pred("en-x.txt", "Toyota", "ownsStake", "Isuzu", percent=4.6),
        # the same wrong triple three times: one FP
        pred("en-x.txt", "Hino", "subsidiaryOf", "Isuzu"),
        pred("en-x.txt", "Hino", "subsidiaryOf", "Isuzu", hedged=True),
        pred("en-x.txt", "hino", "subsidiaryOf", "ISUZU", percent=3),
    ]
    report = score(preds, gold, {})
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (2, 1, 1)
    assert report.misses[0]["percent"] == 5.9  # the 4.6 claim took the 4.6 fact
    assert report.false_positives[0]["count"] == 3
    # two distinct stake claims match the two stake facts
    preds += [pred("en-x.txt", "Toyota", "ownsStake", "Isuzu", percent=5.9, date="2006")]
    report = score(preds, gold, {})
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (3, 1, 0)
    assert report.qualifiers["percent"] == (3, 3) and report.qualifiers["date"] == (3, 3)


def test_qualifier_accuracy():
    gold = {"id-x": [
        gold_fact("Astra", "ownsStake", "ADM", percent=31.87),
        gold_fact("Volvo Cars", "divestedFrom", "Polestar", hedged=True),
        gold_fact("Ford", "divestedFrom", "Mazda", date="2008"),
        gold_fact("Hyundai", "ownsStake", "Kia", percent=33.88, date="2017"),
    ]}
    preds = [
        pred("id-x.txt", "Astra", "ownsStake", "ADM", percent=31.875),  # within 0.01
        pred("id-x.txt", "Volvo Cars", "divestedFrom", "Polestar", hedged=False),  # hedge missed
        pred("id-x.txt", "Ford", "divestedFrom", "Mazda", date="2008-01"),  # date differs
        pred("id-x.txt", "Hyundai", "ownsStake", "Kia", percent=33.8, hedged=True),  # percent, date, hedge wrong
    ]
    report = score(preds, gold, {})
    assert report.overall.tp == 4
    assert report.qualifiers == {"percent": (3, 4), "date": (2, 4), "hedged": (2, 4)}
    assert report.qualifier_accuracy("date") == 0.5
    wrong = {e["gold"]["subject"]: e["wrong"] for e in report.qualifier_errors}
    assert wrong == {"Volvo Cars": ["hedged"], "Ford": ["date"], "Hyundai": ["percent", "date", "hedged"]}


def test_predictions_without_gold_doc_are_not_scored():
    gold = {"en-x": [gold_fact("A", "partnerOf", "B")]}
    report = score([pred("elsewhere/other.txt", "A", "partnerOf", "B")], gold, {})
    assert report.overall == Score(0, 0, 1)
    assert report.ignored_docs == ["other"]


def test_gold_json_suffix_matches_txt_prediction(tmp_path):
    write_gold(tmp_path, "000_abc.gold.json", [gold_fact("Ampere", "subsidiaryOf", "Renault Group",
                                                        o_aliases=["Group Renault"])])
    gold = load_gold(tmp_path, None)
    report = score([pred("seeds/000_abc.txt", "Ampere", "subsidiaryOf", "Group Renault", lang="id")], gold,
                   load_languages(tmp_path))
    assert report.overall == Score(1, 0, 0)
    assert set(report.by_language) == {"id"}  # no header/prefix: the predictions' lang


@pytest.mark.parametrize(
    "content, needle",
    [
        ("[{\"subject\": ", "invalid JSON"),
        ("{\"subject\": \"A\"}", "expected a JSON list"),
        (json.dumps([{k: v for k, v in gold_fact("A", "partnerOf", "B").items() if k != "object"}]), "object"),
        (json.dumps([{**gold_fact("A", "partnerOf", "B"), "relation": "ownsStakes"}]), "ownsStakes"),
        (json.dumps([{**gold_fact("A", "ownsStake", "B"), "percent": "10"}]), "percent"),
        (json.dumps([{**gold_fact("A", "ownsStake", "B"), "hedged": "no"}]), "hedged"),
        (json.dumps([{**gold_fact("A", "ownsStake", "B"), "subject_aliases": "A"}]), "subject_aliases"),
    ],
)
def test_malformed_gold_raises_eval_error_naming_the_file(tmp_path, content, needle):
    write_gold(tmp_path, "en-good.json", [gold_fact("A", "partnerOf", "B")])
    (tmp_path / "en-bad.json").write_text(content, encoding="utf-8")
    with pytest.raises(EvalError) as exc:
        load_gold(tmp_path, None)
    message = str(exc.value)
    assert "en-bad.json" in message and needle in message
    assert "\n" not in message
    assert message.startswith("KG700")


def test_missing_or_empty_gold_folder(tmp_path):
    with pytest.raises(EvalError, match="not found"):
        load_gold(tmp_path / "nope", None)
    with pytest.raises(EvalError, match="no .json gold files"):
        load_gold(tmp_path, None)


def test_format_report_table_json_markdown(devset):
    gold_dir, corpus = devset
    gold = load_gold(gold_dir, corpus)
    preds = [
        pred("en-01-a.txt", "Toyota", "ownsStake", "Mazda", percent=5.0),
        pred("en-01-a.txt", "Mazda", "subsidiaryOf", "Ford", rule="en.sub.appos"),
    ]
    report = score(preds, gold, load_languages(gold_dir, corpus))
    table = format_report(report)
    assert "ownsStake" in table and "ALL" in table
    assert "en " in table and "id " in table  # language rows
    assert "qualifier accuracy" in table
    assert "misses (5)" in table and "false positives (1)" in table
    assert "rule=en.sub.appos" in table and "subsidiaryOf(Mazda, Ford)" in table

    data = json.loads(format_report(report, "json"))
    assert data["overall"] == {"tp": 1, "fp": 1, "fn": 5, "precision": 0.5, "recall": 0.1667, "f1": 0.25}
    assert data["qualifiers"]["percent"] == {"correct": 1, "compared": 1, "accuracy": 1.0}
    assert data["by_language"]["id"]["fn"] == 2
    assert len(data["misses"]) == 5

    md = format_report(report, "markdown")
    lines = md.splitlines()
    assert lines[0].startswith("| relation | P | R | F1 |")
    assert lines[1].startswith("| --- |")
    assert any(line.startswith("| **all** |") for line in lines)

    with pytest.raises(EvalError, match="unknown report format"):
        format_report(report, "xml")
