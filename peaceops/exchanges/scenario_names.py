"""Synthetic names for the demo lists, and how each side writes the other side's people (scripts,
transliterations, typos, missing patronymics). Combinations of common names: no real person is meant."""

from __future__ import annotations

import random

from anyascii import anyascii

# (Armenian, Russian, English)
ARM_MEN = [("Արամ", "Арам", "Aram"), ("Դավիթ", "Давид", "Davit"), ("Գագիկ", "Гагик", "Gagik"),
           ("Սամվել", "Самвел", "Samvel"), ("Արմեն", "Армен", "Armen"), ("Տիգրան", "Тигран", "Tigran"),
           ("Հայկ", "Айк", "Hayk"), ("Նարեկ", "Нарек", "Narek"), ("Վահե", "Ваге", "Vahe"),
           ("Գևորգ", "Геворг", "Gevorg"), ("Արթուր", "Артур", "Artur"), ("Կարեն", "Карен", "Karen"),
           ("Էդգար", "Эдгар", "Edgar"), ("Ռուբեն", "Рубен", "Ruben"), ("Սարգիս", "Саргис", "Sargis"),
           ("Հովհաննես", "Ованес", "Hovhannes")]
ARM_WOMEN = [("Անի", "Ани", "Ani"), ("Մարինե", "Марине", "Marine"), ("Գայանե", "Гаяне", "Gayane"),
             ("Լուսինե", "Лусине", "Lusine"), ("Նարինե", "Нарине", "Narine")]
ARM_SURNAMES = [("Պետրոսյան", "Петросян", "Petrosyan"), ("Հակոբյան", "Акопян", "Hakobyan"),
                ("Սարգսյան", "Саргсян", "Sargsyan"), ("Գրիգորյան", "Григорян", "Grigoryan"),
                ("Հարությունյան", "Арутюнян", "Harutyunyan"), ("Մկրտչյան", "Мкртчян", "Mkrtchyan"),
                ("Խաչատրյան", "Хачатрян", "Khachatryan"), ("Ավետիսյան", "Аветисян", "Avetisyan"),
                ("Կարապետյան", "Карапетян", "Karapetyan"), ("Վարդանյան", "Варданян", "Vardanyan"),
                ("Մարտիրոսյան", "Мартиросян", "Martirosyan"), ("Բաղդասարյան", "Багдасарян", "Baghdasaryan"),
                ("Ղազարյան", "Казарян", "Ghazaryan"), ("Առաքելյան", "Аракелян", "Arakelyan"),
                ("Սահակյան", "Саакян", "Sahakyan"), ("Ստեփանյան", "Степанян", "Stepanyan")]
# (Azerbaijani Latin, Russian)
AZ_MEN = [("Elvin", "Эльвин"), ("Rəşid", "Рашид"), ("Orxan", "Орхан"), ("Tural", "Турал"), ("Kamran", "Камран"),
          ("Elçin", "Эльчин"), ("Ramil", "Рамиль"), ("Vüsal", "Вюсал"), ("Nicat", "Ниджат"), ("Fərid", "Фарид"),
          ("Anar", "Анар"), ("Ceyhun", "Джейхун")]
AZ_WOMEN = [("Leyla", "Лейла"), ("Günay", "Гюнай"), ("Səbinə", "Сабина")]
AZ_SURNAMES = [("Məmmədov", "Мамедов"), ("Əliyev", "Алиев"), ("Həsənov", "Гасанов"), ("Hüseynov", "Гусейнов"),
               ("Quliyev", "Кулиев"), ("İsmayılov", "Исмаилов"), ("Abbasov", "Аббасов"), ("Rzayev", "Рзаев"),
               ("Cəfərov", "Джафаров"), ("Nəsirov", "Насиров")]

_AZ_LATIN = (("kh", "x"), ("sh", "ş"), ("ch", "ç"), ("gh", "ğ"), ("zh", "j"))


def feminine(surname_ru: str, sex: str) -> str:
    return surname_ru + "а" if sex == "F" and surname_ru.endswith("ов") else surname_ru


def typo(text: str, rng: random.Random) -> str:
    """One slip of the pen: two neighbouring letters swapped or one doubled."""
    if len(text) < 5:
        return text
    i = rng.randrange(1, len(text) - 2)
    if rng.random() < 0.5:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + text[i] + text[i:]


def armenian_person(rng: random.Random, sex: str) -> dict:
    given = rng.choice(ARM_MEN if sex == "M" else ARM_WOMEN)
    return {"given": given, "surname": rng.choice(ARM_SURNAMES), "father": rng.choice(ARM_MEN), "origin": "hy"}


def azerbaijani_person(rng: random.Random, sex: str) -> dict:
    given = rng.choice(AZ_MEN if sex == "M" else AZ_WOMEN)
    return {"given": given, "surname": rng.choice(AZ_SURNAMES), "father": rng.choice(AZ_MEN), "origin": "az"}


def own_spelling(person: dict, sex: str) -> tuple[str, str]:
    """(name, father's name) as the person's own side writes them."""
    if person["origin"] == "hy":
        return f"{person['given'][0]} {person['surname'][0]}", person["father"][0]
    surname = person["surname"][0] + ("a" if sex == "F" and person["surname"][0].endswith("v") else "")
    return f"{person['given'][0]} {surname}", person["father"][0]


def other_spelling(person: dict, sex: str, rng: random.Random) -> tuple[str, str]:
    """(name, father's name) as the other side writes them: another script or romanisation, maybe a typo,
    often without the father's name."""
    roll = rng.random()
    if person["origin"] == "hy":
        if roll < 0.4:
            given, surname, father = person["given"][2], person["surname"][2], person["father"][2]
            for a, b in _AZ_LATIN:
                given, surname, father = (given.replace(a, b), surname.replace(a, b), father.replace(a, b))
        elif roll < 0.7:
            given, surname, father = person["given"][2], person["surname"][2], person["father"][2]
        else:
            given, surname = person["given"][1], person["surname"][1]
            father = person["father"][1] + ("ович" if sex == "M" else "овна")
    else:
        if roll < 0.6:
            given, surname, father = (person["given"][1], feminine(person["surname"][1], sex),
                                      person["father"][1])
        else:
            given, surname, father = (anyascii(person["given"][0]), anyascii(person["surname"][0]),
                                      anyascii(person["father"][0]))
    if rng.random() < 0.25:
        surname = typo(surname, rng)
    if rng.random() < 0.5:
        father = ""
    return f"{given} {surname}", father
