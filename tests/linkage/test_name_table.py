"""Names parsed by columns (the path large lists take) must agree with names parsed one at a time."""

import pytest

from peaceops.linkage.name_table import parse_columns
from peaceops.linkage.names import parse_tokens, tokenize
from peaceops.linkage.synthetic import generate_party_lists, generate_registrations

_FIELDS = {"given": "given", "surname": "surname", "given_sk": "given_skeleton", "surname_sk": "surname_skeleton",
           "father": "father", "given_tok": "given_token", "surname_tok": "surname_token"}

EDGE_CASES = [
    "Петров Иван Сергеевич", "Иванова Мария Петровна", "Əliyev Rəşad Elçin oğlu", "Leyla Vüqar qızı Hüseynova",
    "Aram Hovhannisyan", "Hovhannisyan Aram", "Հովհաննիսյան Արամ", "Оганесян Арам Ервандович",
    "Tural", "Hovhannisyan", "Сергеевич", "oğlu", "", "123 456", "Ivan 2",
    "Aram Петросян",  # mixed scripts: the name's letter counts decide
    "Петросян Aram Ivanovich",
    "Anna Maria Sofia Luisa Carla Teresa Elena Ruslanova",  # more tokens than a shape key holds
    "Тер-Петросян Ашот", "O'Brien, Sean", "Məmmədov Elçin Rəşad oğlu Əli qızı",
]


def _compare(names: list[str], given: list[str] | None = None, surname: list[str] | None = None) -> None:
    split = [tokenize(n) if n else tokenize(f"{g} {s}")
             for n, g, s in zip(names, given or [""] * len(names), surname or [""] * len(names), strict=True)]
    cols = parse_columns(split, given, surname)
    for i, tokens in enumerate(split):
        one = parse_tokens(tokens, given[i] if given else "", surname[i] if surname else "")
        for col, field in _FIELDS.items():
            assert cols[col][i] == getattr(one, field), (names[i], col)
        assert bool(cols["female"][i]) == (one.sex_hint == "F"), names[i]


def test_edge_cases_parse_the_same_by_columns() -> None:
    _compare(EDGE_CASES)


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_party_lists_parse_the_same_by_columns(seed: int) -> None:
    left, right, _ = generate_party_lists(300, seed=seed)
    names = [r["name"] for r in left + right]
    assert any(" oğlu" in n or " оглы" in n for n in names)  # the generator writes patronymic markers
    _compare(names)


def test_registrations_parse_the_same_by_columns() -> None:
    rows, _ = generate_registrations(2_000, seed=7)
    _compare([r["name"] for r in rows])


def test_split_name_columns_win_over_parsing() -> None:
    _compare(["", "", "Smith John"], given=["John", "Anna Maria", ""], surname=["Smith", "Petrosyan", "Jones"])
    cols = parse_columns([["John", "Smith"]], ["John"], ["Smith"])
    assert (cols["given"][0], cols["surname"][0]) == ("john", "smith")


def test_shapes_decide_parts_in_bulk() -> None:
    cols = parse_columns([tokenize(n) for n in ("Петров Иван Сергеевич", "Aram Hovhannisyan")])
    assert list(cols["surname"]) == ["petrov", "hovhannisyan"]
    assert list(cols["given"]) == ["ivan", "aram"]
    assert list(cols["father"]) == ["sergey", ""]
