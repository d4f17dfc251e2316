"""Indonesian constructions of kg/data/lang/id/lexicon.yaml, on small articles written for
these tests (not devset text). Each test states the facts a construction must yield."""

from __future__ import annotations

import hashlib

import pytest

from kg.extract import extract_document
from kg.model import Document


def _facts(text: str) -> set[tuple]:
    doc = Document(source="test.txt", text=text, lang="id", key=hashlib.sha256(text.encode()).hexdigest())
    return {(f.subject.label, f.predicate, f.object.label) for f in extract_document(doc)}


def _facts_full(text: str) -> list:
    doc = Document(source="test.txt", text=text, lang="id", key=hashlib.sha256(text.encode()).hexdigest())
    return extract_document(doc)


# --- rebadgeOf ----------------------------------------------------------------------


def test_twin_with():
    facts = _facts("Suzuki kini memasarkan XL7, yang wajahnya kembar dengan Mitsubishi Xpander.")
    assert ("Suzuki XL7", "rebadgeOf", "Mitsubishi Xpander") in facts


def test_twins_namely_pair():
    facts = _facts("Toyota dan Daihatsu sudah lama punya pasangan kembar, yaitu Avanza dan Xenia.")
    assert ("Toyota Avanza", "rebadgeOf", "Daihatsu Xenia") in facts
    assert ("Toyota Motor Corporation", "partnerOf", "Daihatsu Motor Co.") in facts


def test_twin_pairs_hyphenated_list():
    facts = _facts("Ada pula mobil kembar lain, yakni Agya-Ayla dan Calya-Sigra.")
    assert ("Toyota Agya", "rebadgeOf", "Daihatsu Ayla") in facts
    assert ("Toyota Calya", "rebadgeOf", "Daihatsu Sigra") in facts
    assert ("Toyota Agya", "rebadgeOf", "Daihatsu Sigra") not in facts


def test_versi_rebadge_is_not_a_derived_model():
    facts = _facts("Di Eropa, Mitsubishi Colt merupakan versi rebadge dari Renault Clio.")
    assert ("Mitsubishi Colt", "rebadgeOf", "Renault Clio") in facts
    assert not any(s.endswith("-based model") for s, _, _ in facts)


# --- partnerOf ----------------------------------------------------------------------


def test_partner_mitra_apposition():
    facts = _facts("Mobil itu dirakit oleh Toyota dan FAW Group, salah satu dari dua mitra Toyota di China.")
    assert ("FAW Group", "partnerOf", "Toyota Motor Corporation") in facts or (
        "Toyota Motor Corporation", "partnerOf", "FAW Group") in facts


def test_partner_share_platform():
    facts = _facts("Suzuki pernah membagi platform Ertiga dengan Mazda.")
    assert ("Suzuki Motor Corporation", "partnerOf", "Mazda Motor Corporation") in facts


def test_partner_jv_negated_plan_keeps_the_jv():
    facts = _facts("Belum ada rencana bagi usaha patungan Toyota yang lain, yakni dengan GAC, untuk merakit mobil itu.")
    assert ("Toyota Motor Corporation", "partnerOf", "GAC Group") in facts


def test_partner_negated_is_dropped():
    facts = _facts("Toyota tidak bekerja sama dengan GAC dalam proyek itu.")
    assert not any(p == "partnerOf" for _, p, _ in facts)


# --- ownsStake ----------------------------------------------------------------------


def test_stake_menguasai_and_remainder():
    facts = _facts_full("Astra menguasai 40% saham ADM, sementara sisanya dipegang Toyota Tsusho.")
    stakes = {(f.subject.label, f.object.label): f.percent for f in facts if f.predicate == "ownsStake"}
    assert stakes[("PT Astra International Tbk", "PT Astra Daihatsu Motor")] == 40.0
    assert stakes[("Toyota Tsusho", "PT Astra Daihatsu Motor")] is None


def test_stake_jv_share():
    facts = _facts_full("Dalam laporan tahunan, LG Energy Solution mencatat HLI Green Power sebagai usaha patungan dengan porsi kepemilikan 45 persen.")
    stake = [f for f in facts if f.predicate == "ownsStake"]
    assert [(f.subject.label, f.object.label, f.percent, f.hedged) for f in stake] == [
        ("LG Energy Solution", "PT Hyundai LG Indonesia Green Power", 45.0, False)
    ]


def test_stake_change_verb_keeps_current_figure():
    facts = _facts_full("Nissan telah memangkas kepemilikannya di Mitsubishi Motors dari 34 persen menjadi 20 persen.")
    current = [f for f in facts if f.predicate == "ownsStake" and not f.extras.get("ended")]
    assert [(f.subject.label, f.object.label, f.percent) for f in current] == [("Nissan", "Mitsubishi Motors", 20.0)]


# --- producedBy / marketedBy / launchedIn ------------------------------------------------


def test_produced_made_by_namely_list():
    facts = _facts("Ada dua model keluaran Daihatsu yang dijual di Malaysia, yaitu Gran Max dan Ayla.")
    assert ("Daihatsu Gran Max", "producedBy", "Daihatsu Motor Co.") in facts
    assert ("Daihatsu Gran Max", "launchedIn", "Malaysia") in facts


def test_produced_at_named_plant():
    facts = _facts("Xforce dirakit di pabrik Cikarang milik Mitsubishi Motors.")
    assert ("Mitsubishi Xforce", "producedBy", "Mitsubishi Motors") in facts


def test_marketed_made_for():
    facts = _facts("Livina diproduksi oleh Mitsubishi Motors untuk Nissan.")
    assert ("Nissan Livina", "marketedBy", "Nissan") in facts
    assert ("Nissan Livina", "producedBy", "Mitsubishi Motors") in facts


def test_launched_fronted_market():
    facts = _facts("Di Thailand, mobil itu dijual oleh dealer resmi. Di Malaysia, Toyota Yaris dijual dengan nama lain.")
    assert ("Toyota Yaris", "launchedIn", "Malaysia") in facts


def test_launched_for_people_of_market():
    facts = _facts("Hyundai memulai produksi Stargazer, model yang dibuat di Indonesia untuk masyarakat Vietnam.")
    assert ("Hyundai Stargazer", "launchedIn", "Vietnam") in facts


# --- ceoOf / hedges -----------------------------------------------------------------------


def test_ceo_english_title_in_indonesian_text():
    facts = _facts("President Director PT Astra Daihatsu Motor, Sri Agung Handayani, meresmikan fasilitas itu.")
    assert ("Sri Agung Handayani", "ceoOf", "PT Astra Daihatsu Motor") in facts


@pytest.mark.parametrize("frame, hedged", [("Menurut laporan media, ", True), ("Dalam laporan tahunan, ", False)])
def test_report_frames(frame, hedged):
    facts = _facts_full(frame + "Toyota menguasai 20% saham Isuzu.")
    stake = [f for f in facts if f.predicate == "ownsStake"]
    assert stake and stake[0].hedged is hedged


def test_unknown_names_introduced_by_what_they_are():
    from kg.extract import extract_document
    from kg.model import Document

    text = "Produsen mobil asal Vietnam Lumora Auto akan memproduksi model LX7 di pabrik Subang."
    doc = Document(source="t.txt", text=text, lang="id", key="k")
    found = {(f.subject.label, f.predicate, f.object.label) for f in extract_document(doc)}
    assert ("LX7", "producedBy", "Lumora Auto") in found
