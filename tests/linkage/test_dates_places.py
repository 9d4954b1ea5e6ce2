import pytest

from peaceops.linkage.dates import BadDate, BirthDate, parse_birth_date
from peaceops.linkage.places import builtin_place_key, place_key_or_fold


@pytest.mark.parametrize("text, expected", [
    ("1985", BirthDate(1985)), ("1985-03", BirthDate(1985, 3)), ("1985-03-12", BirthDate(1985, 3, 12)),
    ("12.03.1985", BirthDate(1985, 3, 12)), ("--02-29", BirthDate(None, 2, 29)), (" 1985-3-2 ", BirthDate(1985, 3, 2)), ("", None), (None, None),
])
def test_parse_birth_date(text, expected) -> None:
    assert parse_birth_date(text) == expected


@pytest.mark.parametrize("text", ["31.02.1985", "1985-13", "--02-30", "--13-01", "12/03/1985", "abc", "0985", "19850312"])
def test_bad_birth_dates_raise_with_reason(text: str) -> None:
    with pytest.raises(BadDate, match="birth_date"):
        parse_birth_date(text)


def test_compact_dates_only_when_allowed() -> None:
    assert parse_birth_date("19850312", allow_compact=True) == BirthDate(1985, 3, 12)


def test_precision_and_iso() -> None:
    assert parse_birth_date("1985-03").precision == "month"
    assert parse_birth_date("12.03.1985").iso() == "1985-03-12"
    assert parse_birth_date("--6-27").iso() == "--06-27"  # year unknown: day and month still compare


@pytest.mark.parametrize("names, key", [
    (("Stepanakert", "Khankendi", "Xankəndi", "Степанакерт", "Ստեփանակերտ", "г. Степанакерт"), "stepanakert"),
    (("Shushi", "Shusha", "Şuşa", "Шуша"), "shushi"), (("Berdzor", "Lachin", "Laçın", "Лачин"), "berdzor"),
    (("Martuni", "Khojavend", "Xocavənd"), "martuni"), (("Martakert", "Aghdara", "Ağdərə"), "martakert"),
    (("Yerevan", "Երևան", "Ереван"), "yerevan"), (("Baku", "Bakı", "Баку"), "baku"),
])
def test_builtin_place_aliases(names, key) -> None:
    assert {builtin_place_key(n) for n in names} == {key}


def test_unknown_place_folds_and_resolver_hook_wins() -> None:
    assert builtin_place_key("Paris") is None
    assert place_key_or_fold("Paris") == "paris"
    assert place_key_or_fold("Anywhere", resolver=lambda s: "P-42") == "P-42"
    assert place_key_or_fold("") == ""


@pytest.mark.parametrize("text, kept, warned", [
    ("1945-04-93", "1945-04", True),  # FEBRL's dirty day: the month still tells namesakes apart
    ("1945-00-12", "1945", True),  # month 0 keeps the year
    ("19560493", "1956-04", True),  # FEBRL's compact form
    ("31.02.1990", "1990-02", True),
    ("1985/04/31", "1985-04", True),
    ("1985-04-12", "1985-04-12", False),
    ("--06-27", "--06-27", False),
    ("2990-01-01", None, True),  # nothing trustworthy left
    ("unknown", None, True),
    ("", None, False),
])
def test_salvage_birth_date_keeps_the_valid_parts(text, kept, warned) -> None:
    from peaceops.linkage.dates import salvage_birth_date

    result = salvage_birth_date(text)
    assert (result.date.iso() if result.date else None) == kept
    assert (result.warning is not None) == warned
    if warned:
        assert text in result.warning
