"""Normalisation across scripts: standard table pairs, name parts, cross-script agreement."""

import pytest

from peaceops.linkage import translit as tr
from peaceops.linkage.names import father_key, normalise_name, surname_family


@pytest.mark.parametrize("armenian, iso, bgn", [
    ("Երևան", "erewan", "yerevan"),  # ISO 9985: ե→e, և→ew; BGN/PCGN: initial ե→ye, ւ→v
    ("Հովհաննիսյան", "hovhannisyan", "hovhannisyan"),
    ("Ոսկանյան", "oskanyan", "voskanyan"),  # BGN: initial ո → vo
    ("Ժամկոչյան", "žamkočʼyan", "zhamkoch'yan"),
    ("Ղուկասյան", "łowkasyan", "ghukasyan"),  # ISO ու → ow; BGN → u
    ("Խաչատրյան", "xačʼatryan", "khach'atryan"),
])
def test_armenian_iso9985_and_bgn(armenian: str, iso: str, bgn: str) -> None:
    assert tr.hy_iso9985(armenian) == iso
    assert tr.hy_bgn(armenian) == bgn


@pytest.mark.parametrize("russian, gost, bgn, icao", [
    ("Щукин", "shhukin", "shchukin", "shchukin"),
    ("Юрий", "yurij", "yuriy", "iurii"),
    ("Хачатрян", "xachatryan", "khachatryan", "khachatrian"),
    ("Оганесян", "oganesyan", "oganesyan", "oganesian"),
])
def test_russian_gost_bgn_icao(russian: str, gost: str, bgn: str, icao: str) -> None:
    # GOST 7.79 System B, BGN/PCGN, ICAO Doc 9303 (2015 edition: я → ia, й → i).
    assert tr.ru_gost779(russian) == gost
    assert tr.ru_bgn(russian) == bgn
    assert tr.ru_icao(russian) == icao


@pytest.mark.parametrize("az, ru", [
    ("Əliyev", "алиев"), ("Məmmədov", "мамедов"), ("Hüseynov", "гусейнов"), ("Həsənov", "гасанов"),
    ("Qasımov", "гасымов"), ("Rəşad", "рашад"), ("Əhməd", "ахмед"),
])
def test_azerbaijani_to_russified_cyrillic(az: str, ru: str) -> None:
    assert tr.az_to_russian(az) == ru


@pytest.mark.parametrize("a, b", [
    ("Əliyev", "Алиев"), ("Məmmədov", "Мамедов"), ("Hüseynov", "Гусейнов"),
    ("Հովհաննիսյան", "Оганесян"), ("Оганесян", "Hovhannisyan"), ("Հակոբյան", "Акопян"),
    ("Qasımov", "Гасымов"), ("Petrosyan", "Պետրոսյան"),
])
def test_same_surname_across_scripts_meets_on_a_key(a: str, b: str) -> None:
    na, nb = normalise_name(a), normalise_name(b)
    sym = na.surname_symbols & nb.surname_symbols
    assert sym or na.surname_skeleton == nb.surname_skeleton


def test_hovhannisyan_three_scripts_share_a_name_symbol() -> None:
    forms = [normalise_name(x) for x in ("Հովհաննիսյան", "Оганесян", "Hovhannisyan")]
    assert forms[0].surname_symbols & forms[1].surname_symbols & forms[2].surname_symbols


@pytest.mark.parametrize("written", [
    "Оганесян", "Ованесян", "Hovhannisyan", "Hovannisyan", "Ovanesyan", "Hovanesian", "Oganesyan", "Ованнисян",
])
def test_every_habit_of_writing_hovhannisyan_shares_its_skeleton(written: str) -> None:
    # Russian desks write Հովհաննիսյան as Оганесян or as Ованесян, Latin ones drop the second h (Hovannisyan):
    # before, only the "og" habit met the Armenian spelling.
    assert tr.skeleton(written) == tr.skeleton("Հովհաննիսյան")


@pytest.mark.parametrize("a, b", [("Հովհաննես", "Ованес"), ("Hovhannes", "Ohannes"), ("Оганес", "Hovannes"),
                                  ("Տեր-Հովհաննիսյան".replace("-", ""), "ТерОванесян")])
def test_hovhannes_and_compounds_with_ter_share_a_skeleton(a: str, b: str) -> None:
    assert tr.skeleton(a) == tr.skeleton(b)


@pytest.mark.parametrize("a, b", [("Hovik", "Hayk"), ("Hovsep", "Hovik"), ("Hovhannisyan", "Petrosyan"),
                                  ("Oğuz", "Ovuz")])
def test_the_opening_ovan_rule_does_not_join_other_names(a: str, b: str) -> None:
    assert tr.skeleton(a) != tr.skeleton(b)


def test_different_surnames_do_not_meet() -> None:
    a, b = normalise_name("Hovhannisyan"), normalise_name("Petrosyan")
    assert not (a.surname_symbols & b.surname_symbols)
    assert a.surname_skeleton != b.surname_skeleton


def test_gost779_system_a_is_reversible_letter_for_letter() -> None:
    assert tr.ru_gost779a("Щукин Юрий") == "ŝukin ûrij"


@pytest.mark.parametrize("text, script", [
    ("Արամ", "hy"), ("Арам", "cyrl"), ("Rəşad", "az"), ("Rashad", "latn"), ("123", ""),
    ("", ""), ("— 12, .", ""), ("Арам Petrosyan", "latn"), ("Aram Петросян", "cyrl"),  # most letters win
    ("Ab Աբ", "hy"), ("Аб Ab", "cyrl"),  # ties: Armenian, then Cyrillic
    ("İlqar", "az"), ("Ilgar", "latn"), ("Jose\u0301", "latn"), ("Ёж", "cyrl"),
])
def test_script_detection(text: str, script: str) -> None:
    assert tr.detect_script(text) == script


def test_russian_order_with_patronymic() -> None:
    n = normalise_name("Петров Иван Сергеевич")
    assert (n.surname, n.given, n.patronymic, n.father) == ("petrov", "ivan", "sergeevich", "sergey")


def test_female_patronymic_and_surname() -> None:
    n = normalise_name("Иванова Мария Петровна")
    assert (n.surname, n.given, n.father, n.sex_hint) == ("ivanova", "mariya", "petr", "F")


def test_azerbaijani_oglu_and_qizi() -> None:
    n = normalise_name("Əliyev Rəşad Elçin oğlu")
    assert (n.surname, n.given, n.father) == ("aliyev", "rashad", "elchin")
    f = normalise_name("Leyla Vüqar qızı Hüseynova")
    assert (f.surname, f.given, f.father, f.sex_hint) == ("huseynova", "leyla", "vugar", "F")


def test_any_order_gives_the_same_parts_and_sorted_key() -> None:
    a, b = normalise_name("Aram Hovhannisyan"), normalise_name("Hovhannisyan Aram")
    assert (a.given, a.surname) == (b.given, b.surname) == ("aram", "hovhannisyan")
    assert a.sorted_key == b.sorted_key
    # A given name that looks like a weak surname ending (-in) loses to a real one (-ov).
    assert normalise_name("Məmmədov Elçin").surname == "mammadov"


@pytest.mark.parametrize("token, family", [
    ("Хачатрян", "-yan"), ("Խաչատրյան", "-yan"), ("Petrosian", "-yan"), ("Алиев", "-ov"),
    ("Aliyeva", "-ov"), ("Quliyev", "-ov"), ("Hacılı", "-li"), ("Rzazadə", "-zade"), ("Mirzəzadə", "-zade"),
    ("Смирнов", "-ov"), ("Aram", ""),
])
def test_surname_suffix_families(token: str, family: str) -> None:
    assert surname_family(token) == family


def test_father_key_from_patronymic_or_name() -> None:
    assert father_key("Сергеевич")[0] == "sergey"
    assert father_key("Ivanovich")[0] == "ivan"
    assert father_key("Rəşad oğlu")[0] == "rashad"
    assert father_key("Սերգեյ")[0] == father_key("Сергей")[0] == "sergey"
    assert father_key("") == ("", "", frozenset())


def test_romanisations_listed_per_script() -> None:
    assert set(normalise_name("Արամ").romanisations) == {"iso9985", "bgn", "passport", "ru"}
    assert set(normalise_name("Арам").romanisations) == {"gost779", "gost779a", "bgn", "icao"}
    assert normalise_name("Əliyev Rəşad").romanisations["ru"] == "алиев рашад"
