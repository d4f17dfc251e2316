"""Indonesian constructions of kg/data/lang/id/lexicon.yaml, on small articles written for
these tests (not devset text). Each test states the facts a construction must yield."""

from __future__ import annotations

import hashlib

import pytest

from kg.extract import extract_document
from kg.model import Document


def _doc(text: str, **fields) -> Document:
    return Document(source="test.txt", text=text, lang="id", key=hashlib.sha256(text.encode()).hexdigest(), **fields)


def _facts(text: str) -> set[tuple]:
    return {(f.subject.label, f.predicate, f.object.label) for f in extract_document(_doc(text))}


def _facts_full(text: str) -> list:
    return extract_document(_doc(text))


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


# --- round 2: general constructions -------------------------------------------------


def _stakes(text: str) -> dict[tuple, float | None]:
    return {(f.subject.label, f.object.label): f.percent for f in _facts_full(text) if f.predicate == "ownsStake"}


def test_reduced_relative_and_bare_passive_agent():
    facts = _facts("Di Filipina, Fortuner menjadi basis model lain yang dirakit Toyota Motor Philippines. "
                   "Xpander rakitan PT Mitsubishi Motors Krama Yudha Indonesia laris di Vietnam.")
    assert ("Mitsubishi Xpander", "producedBy", "PT Mitsubishi Motors Krama Yudha Indonesia") in facts
    assert ("Mitsubishi Xpander", "launchedIn", "Vietnam") in facts


def test_head_noun_with_modifiers_refers_back():
    facts = _facts("Toyota memperkenalkan Kijang Innova Zenix di Jakarta. "
                   "MPV bermesin hybrid tersebut dirakit oleh PT Toyota Motor Manufacturing Indonesia di Karawang.")
    assert ("Toyota Kijang Innova Zenix", "producedBy", "PT Toyota Motor Manufacturing Indonesia") in facts


def test_relative_clause_subject_is_not_the_builder():
    facts = _facts("Perusahaan yang 70 persen sahamnya dimiliki Hyundai Motor Company itu kini merakit Creta, "
                   "selain SUV listrik Ioniq 5.")
    assert not any(rel == "producedBy" and o == "Hyundai Motor Company" for _s, rel, o in facts)


def test_plant_relative_clause_builds_list():
    facts = _facts("Pajero Sport diproduksi di pabrik PT Mitsubishi Motors Krama Yudha Indonesia di Cikarang, "
                   "yang juga merakit Xpander dan Xforce.")
    assert ("Mitsubishi Xpander", "producedBy", "PT Mitsubishi Motors Krama Yudha Indonesia") in facts
    assert ("Mitsubishi Xforce", "producedBy", "PT Mitsubishi Motors Krama Yudha Indonesia") in facts


def test_pair_reference_keduanya():
    facts = _facts("Avanza merupakan kembaran Xenia. Keduanya diproduksi PT Astra Daihatsu Motor di Karawang.")
    assert ("Toyota Avanza", "producedBy", "PT Astra Daihatsu Motor") in facts
    assert ("Daihatsu Xenia", "producedBy", "PT Astra Daihatsu Motor") in facts


def test_export_list_after_count_of_countries():
    facts = _facts("Xpander sudah diekspor ke lebih dari 30 negara, di antaranya Filipina, Vietnam, dan Meksiko.")
    for market in ("Philippines", "Vietnam", "Mexico"):
        assert ("Mitsubishi Xpander", "launchedIn", market) in facts


def test_enter_market_and_launch_venue():
    facts = _facts("Xforce lebih dulu dijual di Vietnam sebelum masuk ke Indonesia.")
    assert ("Mitsubishi Xforce", "launchedIn", "Indonesia") in facts
    facts = _facts("Mitsubishi Motors memilih Thailand sebagai tempat peluncuran global Xforce.")
    assert ("Mitsubishi Xforce", "launchedIn", "Thailand") in facts


def test_holder_list_with_figures():
    stakes = _stakes("PT Astra Daihatsu Motor dimiliki Daihatsu sebesar 60 persen, PT Astra International Tbk "
                     "35 persen, dan Toyota Tsusho 5 persen.")
    assert stakes[("Daihatsu Motor Co.", "PT Astra Daihatsu Motor")] == 60
    assert stakes[("PT Astra International Tbk", "PT Astra Daihatsu Motor")] == 35
    assert stakes[("Toyota Tsusho", "PT Astra Daihatsu Motor")] == 5


def test_relative_and_fronted_stakes():
    stakes = _stakes("Hyundai Motor Manufacturing Indonesia, yang 80 persen sahamnya dimiliki Hyundai Motor Company, "
                     "membuka lini baru.")
    assert stakes[("Hyundai Motor Company", "PT Hyundai Motor Manufacturing Indonesia")] == 80
    stakes = _stakes("Di PT Suzuki Indomobil Motor, Indomobil memegang 15 persen saham, sementara Suzuki memiliki "
                     "85 persen.")
    assert stakes[("PT Indomobil Sukses Internasional Tbk", "PT Suzuki Indomobil Motor")] == 15
    assert stakes[("Suzuki Motor Corporation", "PT Suzuki Indomobil Motor")] == 85


def test_seller_with_abbreviation():
    facts = _facts_full("PT Indomobil Sukses Internasional Tbk. (IMAS) melepas 30 persen sahamnya di "
                        "PT Suzuki Indomobil Motor kepada Suzuki.")
    sold = [f for f in facts if f.predicate == "divestedFrom"]
    assert sold and sold[0].percent == 30


def test_platform_is_technology_not_base_model():
    facts = _facts("Ioniq 5 dibangun di atas E-GMP dan mengandalkan baterai NMC.")
    assert ("Hyundai Ioniq 5", "usesTechnology", "E-GMP") in facts
    assert ("Hyundai Ioniq 5", "usesTechnology", "NMC battery") in facts
    assert not any(rel == "basedOn" for _s, rel, _o in facts)


def test_version_of_and_serves_as_base():
    facts = _facts("XL7 pada dasarnya adalah versi crossover yang dikembangkan dari Ertiga.")
    assert ("Suzuki XL7", "basedOn", "Suzuki Ertiga") in facts
    facts = _facts("Di India, Ertiga menjadi basis XL7.")
    assert ("Suzuki XL7", "basedOn", "Suzuki Ertiga") in facts


def test_brand_under_parent_and_assembly_partner():
    facts = _facts("Jaecoo sendiri merupakan merek anyar di bawah naungan Chery Automobile.")
    assert ("Jaecoo", "subsidiaryOf", "Chery Automobile") in facts
    facts = _facts("PT Handal Indonesia Motor selama ini menjadi mitra perakitan Chery untuk Tiggo 8 Pro.")
    assert ("PT Handal Indonesia Motor", "partnerOf", "Chery Automobile") in facts or \
        ("Chery Automobile", "partnerOf", "PT Handal Indonesia Motor") in facts
    assert ("Chery Tiggo 8 Pro", "producedBy", "PT Handal Indonesia Motor") in facts


def test_deputy_is_not_ceo():
    facts = _facts("Wakil Presiden Direktur PT Toyota Motor Manufacturing Indonesia Budi Santoso mengatakan ekspor naik.")
    assert not any(rel == "ceoOf" for _s, rel, _o in facts)


# --- generic tier: a trigger word between the nearest typed pair --------------------


def _rules(text: str) -> dict[tuple, str]:
    return {(f.subject.label, f.predicate, f.object.label): f.rule for f in _facts_full(text)}


def test_generic_stake_ownership_noun_and_figure():
    facts = {(f.subject.label, f.predicate, f.object.label, f.percent) for f in _facts_full(
        "Saat ini, porsi saham Toyota di Astra Daihatsu Motor tercatat sebesar 61,75 persen.")}
    assert ("Toyota Motor Corporation", "ownsStake", "PT Astra Daihatsu Motor", 61.75) in facts


def test_generic_stake_shareholder_of():
    facts = {(f.subject.label, f.predicate, f.object.label, f.percent) for f in _facts_full(
        "Nissan, pemegang saham terbesar Mitsubishi Motors, menguasai 34 persen.")}
    assert ("Nissan", "ownsStake", "Mitsubishi Motors", 34.0) in facts


def test_generic_stake_jv_shares_in_brackets():
    facts = {(f.subject.label, f.predicate, f.object.label, f.percent) for f in _facts_full(
        "PT Hyundai Motor Manufacturing Indonesia merupakan perusahaan patungan antara Hyundai Motor "
        "Company (70 persen) dan Kia (30 persen).")}
    assert ("Hyundai Motor Company", "ownsStake", "PT Hyundai Motor Manufacturing Indonesia", 70.0) in facts
    assert ("Kia Corporation", "ownsStake", "PT Hyundai Motor Manufacturing Indonesia", 30.0) in facts
    # the joint venture is not a partner of its own owners
    assert not any(r == "partnerOf" and "PT Hyundai Motor Manufacturing Indonesia" in (s, o)
                   for s, r, o, _ in facts)


def test_generic_stake_rest_and_subject_nya():
    facts = {(f.subject.label, f.predicate, f.object.label, f.percent) for f in _facts_full(
        "Astra International memiliki 50 persen saham Astra Honda Motor, sedangkan Honda memiliki "
        "50 persen sisanya. Daimler Truck dipisahkan dari Daimler dan kini 30 persen sahamnya dipegang "
        "oleh Mercedes-Benz Group.")}
    assert ("Honda Motor Co.", "ownsStake", "PT Astra Honda Motor", 50.0) in facts
    assert ("Mercedes-Benz Group", "ownsStake", "Daimler Truck", 30.0) in facts


def test_generic_stake_figure_of_a_list_is_not_a_holding_of_the_next_holder():
    facts = _facts("SAIC Motor menguasai 50,1 persen saham, General Motors 44 persen.")
    assert ("SAIC Motor", "ownsStake", "General Motors") not in facts


def test_generic_divest_sells_ownership():
    facts = _facts("Indomobil melepas kepemilikannya di Nissan Motor Distributor Indonesia kepada Nissan.")
    assert ("PT Indomobil Sukses Internasional Tbk", "divestedFrom", "PT Nissan Motor Distributor Indonesia") in facts
    assert not any(r == "divestedFrom" and o == "Nissan" for _, r, o in facts)


def test_generic_subsidiary_parent_first_and_induk_direction():
    facts = _facts("Hyundai Motor Company membawahi Kia dan Genesis. "
                   "Geely Holding Group, induk usaha Volvo Cars, juga memiliki Lotus.")
    assert ("Kia Corporation", "subsidiaryOf", "Hyundai Motor Company") in facts
    assert ("Genesis", "subsidiaryOf", "Hyundai Motor Company") in facts
    assert ("Volvo Cars", "subsidiaryOf", "Geely Holding Group") in facts
    assert ("Geely Holding Group", "subsidiaryOf", "Volvo Cars") not in facts


def test_generic_subsidiary_under_control():
    assert ("Polestar", "subsidiaryOf", "Geely Holding Group") in _facts(
        "Polestar kini berada di bawah kendali Geely Holding Group.")


def test_generic_partner_members_of_a_joint_venture():
    facts = _facts("Mitsubishi Motors Krama Yudha Indonesia merupakan patungan antara Mitsubishi Motors, "
                   "Mitsubishi Corporation dan Krama Yudha.")
    pairs = {frozenset((s, o)) for s, r, o in facts if r == "partnerOf"}
    assert frozenset(("Mitsubishi Motors", "Mitsubishi Corporation")) in pairs
    assert not any("PT Mitsubishi Motors Krama Yudha Indonesia" in p for p in pairs)


def test_generic_partner_kerja_sama_with_two_is_not_a_pair():
    facts = _facts("Astra menjalin kerja sama dengan Toyota dan Honda.")
    pairs = {frozenset((s, o)) for s, r, o in facts if r == "partnerOf"}
    assert frozenset(("Toyota Motor Corporation", "Honda Motor Co.")) not in pairs


def test_generic_partner_negated():
    assert not any(r == "partnerOf" for _, r, _ in _facts(
        "Kendati begitu, Honda tidak bermitra dengan Nissan dalam proyek tersebut."))


def test_generic_produced_active_after_apposition_and_plant():
    facts = _facts("Hyundai Motor Manufacturing Indonesia, anak usaha Hyundai Motor Company, memproduksi "
                   "Hyundai Creta dan Ioniq 5 untuk pasar domestik. Selain Xpander, pabrik Mitsubishi Motors "
                   "Krama Yudha Indonesia di Bekasi juga menghasilkan Mitsubishi Pajero Sport.")
    assert ("Hyundai Creta", "producedBy", "PT Hyundai Motor Manufacturing Indonesia") in facts
    assert ("Hyundai Ioniq 5", "producedBy", "PT Hyundai Motor Manufacturing Indonesia") in facts
    assert ("Hyundai Creta", "producedBy", "Hyundai Motor Company") not in facts
    assert ("Mitsubishi Pajero Sport", "producedBy", "PT Mitsubishi Motors Krama Yudha Indonesia") in facts


def test_generic_produced_noun_and_hasil_produksi():
    facts = _facts("Perakitan Hyundai Ioniq 5 dilakukan di pabrik Hyundai Motor Manufacturing Indonesia. "
                   "Suzuki Ertiga hasil produksi Suzuki Indomobil Motor diekspor ke Filipina.")
    assert ("Hyundai Ioniq 5", "producedBy", "PT Hyundai Motor Manufacturing Indonesia") in facts
    assert ("Suzuki Ertiga", "producedBy", "PT Suzuki Indomobil Motor") in facts


def test_generic_produced_not_for_a_later_clause():
    facts = _facts("Wuling BinguoEV dirakit secara lokal dan dipasarkan oleh Wuling di seluruh Indonesia.")
    assert ("Wuling BinguoEV", "producedBy", "Wuling") not in facts


def test_generic_launched_with_modifiers_between():
    facts = _facts("BYD Atto 3 yang dibekali baterai Blade kini tersedia di Indonesia. "
                   "Mitsubishi Xforce resmi meluncur di Indonesia pada Oktober 2023.")
    assert ("BYD Atto 3", "launchedIn", "Indonesia") in facts
    assert ("Mitsubishi Xforce", "launchedIn", "Indonesia") in facts


def test_generic_launched_not_the_makers_home():
    facts = _facts("Wuling BinguoEV dijual oleh Wuling yang berbasis di China.")
    assert ("Wuling BinguoEV", "launchedIn", "China") not in facts


def test_generic_tech_with_words_between_and_passive():
    facts = _facts("Kona Electric mengandalkan baterai berkapasitas 64 kWh berjenis NMC. "
                   "Baterai Blade digunakan pada BYD Dolphin.")
    assert ("Hyundai Kona Electric", "usesTechnology", "NMC battery") in facts
    assert ("BYD Dolphin", "usesTechnology", "Blade Battery") in facts


def test_generic_based_yields_to_twin_wording():
    facts = _facts("Nissan Livina, yang memakai platform Mitsubishi Xpander, adalah mobil kembar.")
    assert ("Nissan Livina", "basedOn", "Mitsubishi Xpander") not in facts


def test_generic_ceo_not_for_a_speaker():
    facts = _facts("Budi Santoso mengatakan CEO Toyota akan datang ke Jakarta.")
    assert not any(r == "ceoOf" for _, r, _ in facts)


# --- round 4: constructions from unseen news ------------------------------------------


def _stakes(text: str) -> dict[tuple, float | None]:
    return {(f.subject.label, f.object.label): f.extras.get("percent", getattr(f, "percent", None))
            for f in _facts_full(text) if f.predicate == "ownsStake"}


def test_holders_listed_with_bracketed_figures():
    facts = _facts_full("Saham PT Astra Daihatsu Motor dimiliki Daihatsu (61,75 persen), Astra International "
                        "(31,87 persen), dan Toyota Tsusho (6,38 persen).")
    stakes = {(f.subject.label, f.object.label, f.percent) for f in facts if f.predicate == "ownsStake"}
    assert ("Daihatsu Motor Co.", "PT Astra Daihatsu Motor", 61.75) in stakes
    assert ("PT Astra International Tbk", "PT Astra Daihatsu Motor", 31.87) in stakes
    stakes = {(f.subject.label, f.object.label): f.percent for f in facts if f.predicate == "ownsStake"}
    assert stakes.get(("Toyota Tsusho", "PT Astra Daihatsu Motor")) == 6.38


def test_holders_namely_each_share():
    facts = _facts_full("PT HLI Green Power dimiliki dua perusahaan, yakni Hyundai Motor Group dan "
                        "LG Energy Solution, masing-masing 50 persen.")
    stakes = {(f.subject.label, f.object.label): f.percent for f in facts if f.predicate == "ownsStake"}
    assert stakes.get(("Hyundai Motor Group", "PT Hyundai LG Indonesia Green Power")) == 50
    assert stakes.get(("LG Energy Solution", "PT Hyundai LG Indonesia Green Power")) == 50


def test_equal_joint_venture_split():
    facts = _facts_full("SAIC Volkswagen merupakan perusahaan patungan 50:50 antara SAIC Motor dan Volkswagen Group.")
    stakes = {(f.subject.label, f.object.label): f.percent for f in facts if f.predicate == "ownsStake"}
    assert stakes.get(("SAIC Motor", "SAIC Volkswagen")) == 50
    assert stakes.get(("Volkswagen Group", "SAIC Volkswagen")) == 50


def test_retains_stake():
    facts = _facts_full("Hyundai tetap mempertahankan 33 persen sahamnya di Kia.")
    stakes = {(f.subject.label, f.object.label): f.percent for f in facts if f.predicate == "ownsStake"}
    assert stakes.get(("Hyundai Motor Company", "Kia Corporation")) == 33


def test_merged_under_new_holding():
    facts = _facts("Kedua grup sepakat menggabungkan Hino Motors dan Mitsubishi Fuso di bawah satu perusahaan "
                   "induk baru bernama Toyota Industries.")
    assert ("Hino Motors", "subsidiaryOf", "Toyota Industries") in facts
    assert ("Mitsubishi Fuso Truck and Bus", "subsidiaryOf", "Toyota Industries") in facts


def test_subsidiary_through_unit_fronted_and_described_parent():
    facts = _facts("Melalui anak usahanya, Daihatsu, Toyota menggarap pasar mobil murah. "
                   "Denso, anak usaha pemasok besar Toyota Industries, menambah kapasitas.")
    assert ("Daihatsu Motor Co.", "subsidiaryOf", "Toyota Motor Corporation") in facts
    assert ("Denso", "subsidiaryOf", "Toyota Industries") in facts


def test_named_as_new_partner_and_joint_project():
    facts = _facts("Pemerintah menunjuk CATL sebagai mitra baru Indonesia Battery Corporation. "
                   "Sementara itu, proyek baterai Toyota bersama Panasonic berjalan.")
    assert ("CATL", "partnerOf", "Indonesia Battery Corporation") in facts
    assert ("Toyota Motor Corporation", "partnerOf", "Panasonic Holdings") in facts


def test_pair_of_companies_referred_to_together():
    facts = _facts("Honda dan Nissan membatalkan rencana merger. Meski begitu, kedua pabrikan Jepang tersebut "
                   "sepakat melanjutkan kemitraan di bidang perangkat lunak.")
    assert ("Honda Motor Co.", "partnerOf", "Nissan") in facts or ("Nissan", "partnerOf", "Honda Motor Co.") in facts


def test_ceo_post_filled_and_relative_holds_post():
    facts = _facts("Kursi CEO Hino Motors akan diisi Kenji Watanabe, yang selama ini menjabat CEO Daihatsu.")
    assert ("Kenji Watanabe", "ceoOf", "Hino Motors") in facts
    assert ("Kenji Watanabe", "ceoOf", "Daihatsu Motor Co.") in facts


def test_ceo_with_honorific_not_part_of_name():
    facts = _facts("Presiden dan CEO Proton, Datuk Seri Ahmad Fauzi Hasan, optimistis penjualan naik.")
    assert ("Ahmad Fauzi Hasan", "ceoOf", "Proton Holdings") in facts
    assert not any(s.startswith("Datuk") for s, _, _ in facts)


def test_produced_for_second_pairing():
    facts = _facts("PT Astra Daihatsu Motor memproduksi Toyota Avanza untuk Toyota serta Daihatsu Xenia untuk Daihatsu.")
    assert ("Toyota Avanza", "producedBy", "PT Astra Daihatsu Motor") in facts
    assert ("Daihatsu Xenia", "producedBy", "PT Astra Daihatsu Motor") in facts


def test_rebadge_with_relative_clause_and_twin_sold_as():
    facts = _facts("Toyota Rush yang dijual di Indonesia sejak 2018 sebenarnya merupakan kembaran Daihatsu Terios. "
                   "Mobil itu dikembangkan dari Daihatsu Rocky, yang kembarannya di Jepang dijual sebagai Toyota Raize.")
    assert ("Toyota Rush", "rebadgeOf", "Daihatsu Terios") in facts
    assert ("Toyota Raize", "rebadgeOf", "Daihatsu Rocky") in facts


def test_rebadge_none_other_than_is_not_negated():
    facts = _facts("Toyota Agya tak lain adalah kembaran Daihatsu Ayla.")
    assert ("Toyota Agya", "rebadgeOf", "Daihatsu Ayla") in facts


def test_both_models_built_on_platform_and_brand_after_producer():
    facts = _facts("Toyota Avanza dan Daihatsu Xenia bersaing ketat. Keduanya dibangun di atas platform DNGA. "
                   "Toyota Raize dibuat oleh Daihatsu dan dipasarkan dengan merek Toyota.")
    assert ("Toyota Avanza", "usesTechnology", "DNGA") in facts
    assert ("Daihatsu Xenia", "usesTechnology", "DNGA") in facts
    assert ("Toyota Raize", "marketedBy", "Toyota Motor Corporation") in facts


def test_tech_used_by_bare_agent():
    facts = _facts("Baterai LFP buatan CATL dipakai Wuling Air ev.")
    assert ("Wuling Air ev", "usesTechnology", "LFP battery") in facts


def test_parent_stated_with_copula_keeps_direction():
    facts = _facts("Toyota Motor Corporation merupakan induk usaha Daihatsu.")
    assert ("Daihatsu Motor Co.", "subsidiaryOf", "Toyota Motor Corporation") in facts
    assert ("Toyota Motor Corporation", "subsidiaryOf", "Daihatsu Motor Co.") not in facts


def test_owner_and_holder_nouns():
    facts = _facts_full("Hyundai Motor Company menjadi pemilik mayoritas Kia dengan 34 persen saham. "
                        "Geely kini tercatat sebagai pemegang 49,9 persen saham Proton.")
    stakes = {(f.subject.label, f.object.label): f.percent for f in facts if f.predicate == "ownsStake"}
    assert stakes.get(("Hyundai Motor Company", "Kia Corporation")) == 34
    assert stakes.get(("Geely Holding Group", "Proton Holdings")) == 49.9


def test_company_appoints_ceo():
    facts = _facts("Toyota menunjuk Koji Sato sebagai CEO baru. "
                   "Honda mengangkat Budi Santoso sebagai CEO Daihatsu.")
    assert ("Koji Sato", "ceoOf", "Toyota Motor Corporation") in facts
    assert ("Budi Santoso", "ceoOf", "Honda Motor Co.") not in facts


def test_launch_verb_boyong():
    facts = _facts("Chery resmi memboyong Tiggo 8 ke Indonesia pada Maret 2025.")
    assert ("Chery Tiggo 8", "launchedIn", "Indonesia") in facts


def test_produsen_model_itu_is_the_models_maker():
    from kg.extract import extract_document
    from kg.model import Document

    text = "Mitsubishi Pajero Sport laris. Namun, produsen Pajero Sport itu tetap menjalin kerja sama dengan Honda."
    found = {(f.subject.label, f.predicate, f.object.label)
             for f in extract_document(Document(source="t.txt", text=text, lang="id", key="k"))}
    assert ("Mitsubishi Motors", "partnerOf", "Honda Motor Co.") in found


# --- names the article itself introduces ----------------------------------------------


def test_model_code_listed_after_a_model_is_of_the_same_make():
    found = _facts("PT Gaya Motor merakit BMW Seri 3, X3, dan X5 di Sunter.")
    assert {("BMW 3 Series", "producedBy", "PT Gaya Motor"), ("BMW X3", "producedBy", "PT Gaya Motor"),
            ("BMW X5", "producedBy", "PT Gaya Motor")} <= found


def test_model_code_alone_refers_to_the_model_named_earlier():
    found = _facts("Polytron memperkenalkan Polytron G5 di Jakarta. Rencananya, G5 akan dijual di Indonesia pada 2026.")
    assert ("Polytron G5", "launchedIn", "Indonesia") in found


def test_pt_name_holding_a_known_name_is_its_own_company_and_its_abbreviation_is_learned():
    found = _facts("Aion Y Plus kini dirakit oleh PT Indomobil Manufacturing Indonesia (IMI) di Purwakarta. "
                   "IMI merupakan anak usaha PT Indomobil Sukses Internasional Tbk.")
    assert ("GAC Aion Y Plus", "producedBy", "PT Indomobil Manufacturing Indonesia") in found
    assert ("PT Indomobil Manufacturing Indonesia", "subsidiaryOf", "PT Indomobil Sukses Internasional Tbk") in found


def test_pt_with_a_known_name_only_is_that_company():
    found = _facts("PT Indomobil menguasai 40 persen saham PT Kestrel Baterai Nusantara.")
    assert ("PT Indomobil Sukses Internasional Tbk", "ownsStake", "PT Kestrel Baterai Nusantara") in found


# --- stakes stated in relative clauses and ventures ------------------------------------


def test_relative_clause_each_holder():
    found = _facts_full("Indomobil bekerja sama dengan Hino melalui PT Kestrel Truk Nusantara (KTN), yang sahamnya "
                        "dimiliki Indomobil dan Hino masing-masing 50 persen.")
    stakes = {(f.subject.label, f.object.label, f.percent) for f in found if f.predicate == "ownsStake"}
    assert stakes == {("PT Indomobil Sukses Internasional Tbk", "PT Kestrel Truk Nusantara", 50.0),
                      ("Hino Motors", "PT Kestrel Truk Nusantara", 50.0)}


def test_venture_between_two_holders_with_their_shares():
    found = _facts_full("PT Kestrel Motor merupakan perusahaan patungan antara Honda Motor Co., Ltd. yang memegang "
                        "51 persen saham dan PT Prospect Motor dengan 49 persen.")
    stakes = {(f.subject.label, f.object.label, f.percent) for f in found if f.predicate == "ownsStake"}
    assert stakes == {("Honda Motor Co.", "PT Kestrel Motor", 51.0), ("PT Prospect Motor", "PT Kestrel Motor", 49.0)}


def test_remaining_portion_and_rest_with_figure():
    found = _facts_full("Kini JSW memegang 35 persen saham JSW MG Motor India, sementara porsi SAIC tersisa 49 persen. "
                        "Geely menguasai 49,9 persen saham Proton sejak 2017, sementara 50,1 persen sisanya dipegang "
                        "DRB-HICOM.")
    stakes = {(f.subject.label, f.object.label, f.percent) for f in found if f.predicate == "ownsStake"}
    assert ("SAIC Motor", "JSW MG Motor India", 49.0) in stakes
    assert ("DRB-HICOM", "Proton Holdings", 50.1) in stakes


def test_plant_with_a_place_produces_a_list_and_import_from_a_plant():
    found = _facts("Saat ini pabrik HPM di Karawang, Jawa Barat, memproduksi Honda Brio, BR-V, dan HR-V. "
                   "Unit Atto 1 yang dijual di Tanah Air masih diimpor utuh dari pabrik BYD di Xi'an, China.")
    assert {("Honda Brio", "producedBy", "PT Honda Prospect Motor"), ("Honda BR-V", "producedBy", "PT Honda Prospect Motor"),
            ("Honda HR-V", "producedBy", "PT Honda Prospect Motor"), ("BYD Atto 1", "producedBy", "BYD")} <= found


def test_sold_as_another_name_by_a_company():
    found = _facts("Di India, Baojun 530 dijual sebagai MG Hector oleh JSW MG Motor India.")
    assert ("MG Hector", "marketedBy", "JSW MG Motor India") in found
    assert ("MG Hector", "launchedIn", "India") in found
    assert ("Baojun 530", "launchedIn", "India") not in found


def test_twin_built_alongside_and_twin_sold_under_another_name():
    found = _facts("ADM merakit Daihatsu Rocky beserta kembarannya, Toyota Raize, di pabrik Karawang. "
                   "Di Malaysia, kembaran EX5 dipasarkan sebagai Proton e.MAS 7.")
    assert {("Toyota Raize", "producedBy", "PT Astra Daihatsu Motor"), ("Toyota Raize", "rebadgeOf", "Daihatsu Rocky"),
            ("Proton e.MAS 7", "rebadgeOf", "Geely EX5"), ("Proton e.MAS 7", "launchedIn", "Malaysia")} <= found


def test_capitalised_model_reference_and_ceo_in_relative_clause():
    found = _facts("Atto 1 dikembangkan dari BYD Seagull. Hatchback ini memakai baterai Blade serta dibangun di atas "
                   "e-Platform 3.0. PT Geely Auto Indonesia merupakan anak usaha Geely Automobile Holdings, yang "
                   "dipimpin Chief Executive Officer Gui Shengyue.")
    assert {("BYD Atto 1", "basedOn", "BYD Seagull"), ("BYD Atto 1", "usesTechnology", "Blade Battery"),
            ("BYD Atto 1", "usesTechnology", "e-Platform 3.0"),
            ("Gui Shengyue", "ceoOf", "Geely Automobile Holdings")} <= found


def test_main_clause_read_past_a_relative_clause_and_buyer_is_not_the_divested():
    found = _facts("Mercedes-Benz, yang sejak 2021 hanya memegang 10 persen saham Denza, telah melepas sisa "
                   "kepemilikan tersebut kepada BYD.")
    assert ("Mercedes-Benz Group", "divestedFrom", "BYD") not in found


def test_headline_names_the_model_the_body_shortens():
    text = ("Lexus Indonesia resmi memperkenalkan LBX di Jakarta. LBX berbagi platform GA-B dengan Toyota Yaris Cross "
            "dan didatangkan dari pabrik Iwate milik Toyota Motor East Japan.")
    found = {(f.subject.label, f.predicate, f.object.label)
             for f in extract_document(_doc(text, title="Lexus LBX Resmi Dijual di Indonesia"))}
    assert any(s == "Lexus LBX" for s, _r, _o in found)
    untitled = _facts(text)
    assert not any(s == "Lexus LBX" for s, _r, _o in untitled)


def test_market_verbs_with_nasal_prefix_and_next_year():
    text = ("Toyota juga memasarkan Toyota Alphard di Tanah Air. Versi performa, Toyota GR Yaris, akan "
            "menyusul ke Indonesia tahun depan.")
    launched = {(f.subject.label, f.object.label, f.date)
                for f in extract_document(_doc(text, published="2025-01-15")) if f.predicate == "launchedIn"}
    assert ("Toyota Alphard", "Indonesia", None) in launched
    assert ("Toyota GR Yaris", "Indonesia", "2026") in launched


def test_relative_clause_holders_and_plant_that_also_builds():
    found = _facts_full("Xforce diproduksi di pabrik PT Mitsubishi Motors Krama Yudha Indonesia (MMKI) di Cikarang, "
                        "Bekasi, yang sejak 2017 juga merakit Xpander dan Pajero Sport. PT Mandiri Tunas Finance (MTF), "
                        "yang sahamnya dimiliki Bank Mandiri sebesar 51 persen dan Tunas Ridean 49 persen, tumbuh. "
                        "TMMIN, yang 95 persen sahamnya dimiliki Toyota Motor Corporation dan 5 persen oleh Astra "
                        "International, menyiapkan Mirai. AHM merupakan perusahaan patungan PT Astra International Tbk "
                        "dan Honda Motor Co., Ltd. dengan komposisi kepemilikan saham 50:50.")
    got = {(f.subject.label, f.predicate, f.object.label, f.percent) for f in found}
    assert {("Mitsubishi Xpander", "producedBy", "PT Mitsubishi Motors Krama Yudha Indonesia", None),
            ("PT Tunas Ridean Tbk", "ownsStake", "PT Mandiri Tunas Finance", 49.0),
            ("PT Astra International Tbk", "ownsStake", "PT Toyota Motor Manufacturing Indonesia", 5.0),
            ("Honda Motor Co.", "ownsStake", "PT Astra Honda Motor", 50.0)} <= got


def test_unknown_company_after_an_ownership_trigger():
    found = _facts_full("Tambang tersebut dimiliki Strand Minerals sebesar 90 persen. PT Adira Dinamika dimiliki "
                        "Bank Danamon. Polestar dimiliki Li Shufu.")
    names = {f.object.label for f in found} | {f.subject.label for f in found}
    assert "Bank Danamon" in names
    assert not any(f.subject.label == "Li Shufu" and f.predicate == "ownsStake" for f in found)


def test_technology_after_its_noun_and_acting_together():
    found = _facts("C3 Aircross dan Citroën C3 memakai platform Smart Car yang dikembangkan Stellantis. "
                   "PT Pertamina (Persero) bersama PT Toyota Motor Manufacturing Indonesia (TMMIN) meresmikan "
                   "stasiun pengisian hidrogen di Jakarta.")
    assert ("Citroën C3", "usesTechnology", "Smart Car") in found
    assert any(r == "partnerOf" and {s, o} == {"PT Pertamina (Persero)", "PT Toyota Motor Manufacturing Indonesia"}
               for s, r, o in found)


def test_division_with_words_and_distributor_and_majority_held():
    found = _facts("Lexus sendiri merupakan divisi kendaraan mewah Toyota sejak 1989. PT Hyundai Motors Indonesia "
                   "(HMID), distributor resmi milik Hyundai Motor Company, memastikan Nexo dipasarkan. Truk itu "
                   "dirakit PT Hino Motors Manufacturing Indonesia di Purwakarta, Jawa Barat, yang sebagian besar "
                   "sahamnya dimiliki Hino Motors Ltd. dari Jepang.")
    assert ("Lexus", "subsidiaryOf", "Toyota Motor Corporation") in found
    assert ("PT Hyundai Motors Indonesia", "subsidiaryOf", "Hyundai Motor Company") in found
    assert ("PT Hino Motors Manufacturing Indonesia", "subsidiaryOf", "Hino Motors") in found


def test_described_truck_and_brand_refer_back_and_shipped_towards():
    found = _facts("PT Hino Motors Sales Indonesia mengandalkan Hino Dutro. Truk ringan itu dirakit PT Hino "
                   "Motors Manufacturing Indonesia di Purwakarta. Mitsubishi Xforce dipamerkan di Jakarta. Sebanyak "
                   "1.200 unit SUV kompak tersebut diberangkatkan dari Tanjung Priok menuju Filipina.")
    assert ("Hino Dutro", "producedBy", "PT Hino Motors Manufacturing Indonesia") in found
    assert ("Mitsubishi Xforce", "launchedIn", "Philippines") in found


def test_vice_president_director_is_not_the_ceo_and_a_province_is_no_company():
    found = _facts('"Kami optimistis," kata Executive Vice President Director AHM Thomas Wijaya. Perakitan dilakukan '
                   'di fasilitas PT National Assemblers di Cikampek, Jawa Barat, anak usaha PT Indomobil Sukses '
                   'Internasional Tbk (IMAS).')
    assert not any(r == "ceoOf" for _s, r, _o in found)
    assert not any(s in ("Jawa Barat", "Barat") for s, _r, _o in found)


def test_reference_after_a_name_and_comma_is_that_name():
    found = _facts("Saham Daihatsu sepenuhnya dimiliki Toyota sejak 2016. PT Kestrel Motor Indonesia, perusahaan yang "
                   "dimiliki Indomobil, merakit mobil listrik.")
    assert ("PT Kestrel Motor Indonesia", "subsidiaryOf", "PT Indomobil Sukses Internasional Tbk") in found
    assert not any(s == "Daihatsu Motor Co." and o.startswith("PT Indomobil") for s, _r, o in found)


def test_twin_and_built_by_gives_the_subject_not_the_base_model():
    found = _facts("Volkswagen Transporter dikembangkan dari Ford Transit Custom dan dirakit oleh Ford Otosan di Turki. "
                   "Proton e.MAS 7 merupakan kembaran Geely EX5 dan kini dirakit di pabrik Proton di Tanjung Malim.")
    produced = {(s, o) for s, r, o in found if r == "producedBy"}
    assert produced == {("Volkswagen Transporter", "Ford Otosan"), ("Proton e.MAS 7", "Proton Holdings")}


def test_building_together_and_agreeing_to_collaborate():
    found = _facts("Hyundai Motor Group menggelontorkan investasi untuk membangun pabrik baterai bersama LG Energy "
                   "Solution di Karawang. Honda dan Suzuki sepakat berkolaborasi dalam pengembangan baterai.")
    pairs = {frozenset((s, o)) for s, r, o in found if r == "partnerOf"}
    assert frozenset(("Hyundai Motor Group", "LG Energy Solution")) in pairs
    assert frozenset(("Honda Motor Co.", "Suzuki Motor Corporation")) in pairs


def test_brand_owned_after_its_apposition_and_engine_codes():
    found = _facts("Merek mobil listrik asal Tiongkok, Neta, dimiliki oleh Hozon Auto. Toyota Agya menggunakan mesin "
                   "1.2 liter 3NR-VE. Mitsubishi Destinator mengandalkan mesin 1.5L turbo.")
    assert ("Neta", "subsidiaryOf", "Hozon Auto") in found
    assert ("Toyota Agya", "usesTechnology", "3NR-VE") in found
    assert not any(o == "1.5L" for _s, _r, o in found)


def test_second_holder_with_its_figure_majority_shares_and_bare_pt_name():
    found = _facts_full("SAIC Motor menggenggam 50,1 persen saham SGMW dan General Motors 44 persen, sedangkan sisanya "
                        "dipegang Guangxi Automobile Group. Saham mayoritas ADM dipegang Daihatsu Motor Co. PT Kreta Indo "
                        "Artha menjadi agen Kia. Kreta Indo Artha sendiri bekerja sama dengan Kia Corporation sejak 2019.")
    got = {(f.subject.label, f.predicate, f.object.label, f.percent) for f in found}
    assert ("General Motors", "ownsStake", "SAIC-GM-Wuling", 44.0) in got
    assert not any(s == "SAIC Motor" and o == "General Motors" for s, _r, o, _p in got)
    assert ("Guangxi Automobile Group", "ownsStake", "SAIC-GM-Wuling", None) in got
    assert ("Daihatsu Motor Co.", "ownsStake", "PT Astra Daihatsu Motor", None) in got
    assert any(r == "partnerOf" and "PT Kreta Indo Artha" in (s, o) for s, r, o, _p in got)


def test_contrast_after_a_negation_and_seller_of_bought_shares():
    found = _facts_full("Yep Plus tidak diimpor utuh, melainkan dirakit di pabrik PT SGMW Motor Indonesia di Cikarang. "
                        "Tambahan 20 persen saham PT Kestrel Nikel itu dibeli dari GEM Co., Ltd., produsen baterai.")
    got = {(f.subject.label, f.predicate, f.object.label, f.percent) for f in found}
    assert any(r == "producedBy" and o == "PT SGMW Motor Indonesia" for _s, r, o, _p in got)
    assert any(r == "divestedFrom" and o == "PT Kestrel Nikel" and p == 20.0 for _s, r, o, p in got)


def test_denied_report_states_nothing_and_made_by_attaches_to_the_battery():
    found = _facts("Eagle menepis kabar bahwa BYD akan menggandeng Indomobil untuk merakit mobil. Baik BYD Sealion 7 "
                   "maupun BYD M6 memakai Blade Battery buatan FinDreams, unit baterai milik BYD. Kia Sonet berbagi "
                   "platform dengan Hyundai Venue dan mengandalkan mesin Smartstream.")
    assert not any(r == "partnerOf" for _s, r, _o in found)
    assert not any(r == "producedBy" and o.startswith("FinDreams") for _s, r, o in found)
    assert not any(s == "Hyundai Venue" and r == "usesTechnology" for s, r, _o in found)


def test_market_phrasings_and_a_relative_clause_after_an_owner_apposition():
    found = _facts_full("Toyota Agya buatan Karawang juga diekspor ke Filipina dan sejumlah negara di Amerika Latin. Kia "
                        "juga akan memboyong SUV kompak Kia Syros dari India ke Indonesia. Di India, Honda menjual sedan "
                        "kompak Honda Amaze. Xpeng menggandeng Magna Steyr, unit manufaktur kontrak milik Magna "
                        "International, yang mulai merakit Xpeng G6 di Graz. PT Honda Prospect Motor (HPM) mencatat "
                        "produksi Honda Brio di pabriknya di Karawang.")
    got = {(f.subject.label, f.predicate, f.object.label) for f in found}
    assert {("Toyota Agya", "launchedIn", "Latin America"), ("Kia Syros", "launchedIn", "Indonesia"),
            ("Honda Amaze", "launchedIn", "India"), ("Magna Steyr", "subsidiaryOf", "Magna International"),
            ("Honda Brio", "producedBy", "PT Honda Prospect Motor")} <= got
    assert ("Kia Syros", "launchedIn", "India") not in got
    assert not any(r == "producedBy" and o == "Magna International" for _s, r, o in got)
