"""Helpers for the exchanges tests: small party lists in the region's scripts."""

from __future__ import annotations

import datetime as dt

import pytest

from peaceops.exchanges.services.imports import import_party_list

# The same three people, written by each side in its own way.
ARMENIAN_LIST = """reference,name,father_name,birth_date,sex
A-1,Արամ Պետրոսյան,Գագիկ,1995-03-02,M
A-2,Անի Սարգսյան,,1990,F
A-3,Դավիթ Հակոբյան,Սամվել,1987-11-20,M
"""
RUSSIAN_LIST = """номер,ФИО,отчество,дата рождения,пол
R-1,Арам Петросян,Гагикович,1995-03-02,М
R-2,Давид Акопян,,1987-11-20,М
R-3,Эльвин Мамедов,,1999-01-01,М
"""
AZERBAIJANI_LIST = """nömrə,ad,ata adı,doğum tarixi,cins
Z-1,Aram Petrosyan,Qaqik,1995-03-02,kişi
Z-2,Elvin Məmmədov,Rəşid,1999-01-01,kişi
"""
ENGLISH_LIST = """reference,name,father_name,birth_date,birth_place,sex
E-1,Aram Petrosyan,Gagik,1995-03-02,Stepanakert,M
E-2,Ani Sargsyan,,1990-05-01,,F
E-3,Leyla Aliyeva,,1992,,F
"""


@pytest.fixture
def make_list(world, users):
    def make(text: str, party: str = "armenian-side", kind: str = "we_hold", name: str = "list.csv",
             encoding: str = "", data: bytes | None = None):
        return import_party_list(data if data is not None else text.encode("utf-8"), name,
                                 party=world["parties"][party], kind=kind, received_on=dt.date(2020, 12, 1),
                                 encoding=encoding, user=users["exchange_officer"])

    return make
