"""The Russian translation: the UI renders in Russian, the catalogue is complete and correct, the .mo is current.

The catalogue is read with the standard library only (no polib, no msgfmt), so these tests run anywhere.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections import Counter
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "peaceops" / "locale" / "ru" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"

RUSSIAN_PLURALS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
# A Python %-directive: %(name)s, %s, %d, %.1f, %(change)+d ... and the escaped %%.
PY_FORMAT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


# --------------------------------------------------------------------------------------------------------------
# A small .po reader (enough for what makemessages writes).


class Entry:
    def __init__(self):
        self.flags: set[str] = set()
        self.msgctxt: str | None = None
        self.msgid = ""
        self.msgid_plural: str | None = None
        self.msgstr = ""
        self.msgstr_plural: dict[int, str] = {}
        self.obsolete = False
        self.line = 0

    @property
    def key(self) -> str:
        # The key under which the .mo stores the entry: context EOT msgid [NUL msgid_plural].
        base = self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"
        return base


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    current = Entry()
    field: tuple[str, int | None] | None = None

    def flush():
        nonlocal current, field
        if field is not None:
            entries.append(current)
        current, field = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if line.startswith("#,"):
            if field is not None:
                flush()
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            if field is not None:
                flush()
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            value = ast.literal_eval(line)
            name, index = field
        else:
            value = ast.literal_eval(rest)
            match = re.fullmatch(r"(msgctxt|msgid|msgid_plural|msgstr)(?:\[(\d+)\])?", keyword)
            assert match, f"{path}:{number}: cannot read {raw!r}"
            if match.group(1) in ("msgctxt", "msgid") and field is not None and field[0].startswith("msgstr"):
                flush()
            name, index = match.group(1), (int(match.group(2)) if match.group(2) else None)
            field = (name, index)
            if not current.line:
                current.line = number
            if name == "msgctxt":
                current.msgctxt = ""
            elif name == "msgid_plural":
                current.msgid_plural = ""
            elif name == "msgstr" and index is not None:
                current.msgstr_plural[index] = ""
        if name == "msgstr" and index is not None:
            current.msgstr_plural[index] += value
        else:
            setattr(current, name, getattr(current, name) + value)
    flush()
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    return read_po(PO)


@pytest.fixture(scope="module")
def messages(catalogue) -> list[Entry]:
    return [e for e in catalogue if e.msgid and not e.obsolete]


# --------------------------------------------------------------------------------------------------------------
# The catalogue.


def test_header_declares_russian_and_its_three_plural_forms(catalogue):
    header = catalogue[0]
    assert header.msgid == ""
    assert "Language: ru\n" in header.msgstr
    assert "charset=UTF-8" in header.msgstr
    assert f"Plural-Forms: {RUSSIAN_PLURALS}\n" in header.msgstr
    assert "fuzzy" not in header.flags


def test_the_catalogue_is_large_and_has_no_obsolete_entries(catalogue, messages):
    assert len(messages) > 1000
    assert not [e for e in catalogue if e.obsolete]


def test_every_message_is_translated_and_none_is_fuzzy(messages):
    untranslated = [e.msgid for e in messages if (e.msgstr_plural and not all(e.msgstr_plural.values()))
                    or (not e.msgstr_plural and not e.msgstr.strip())]
    assert untranslated == []
    assert [e.msgid for e in messages if "fuzzy" in e.flags] == []


def test_plural_messages_have_exactly_three_forms(messages):
    plurals = [e for e in messages if e.msgid_plural is not None]
    assert plurals, "the catalogue should have plural messages"
    for entry in plurals:
        assert sorted(entry.msgstr_plural) == [0, 1, 2], entry.msgid
        assert entry.msgstr == ""


def _directives(text: str) -> Counter:
    return Counter(PY_FORMAT.findall(text))


def _named(text: str) -> set[str]:
    return set(re.findall(r"%\(([^)]+)\)", text))


def test_placeholders_are_kept_exactly(messages):
    problems = []
    for entry in messages:
        translations = list(entry.msgstr_plural.values()) or [entry.msgstr]
        source = entry.msgid_plural if entry.msgid_plural is not None else entry.msgid
        for text in translations:
            if "python-format" in entry.flags:
                # Every form carries the plural's directives (Russian uses form 0 for 21, 31 ... too).
                if _directives(text) != _directives(source):
                    problems.append((entry.line, entry.msgid, text))
            elif _named(text) != _named(source) or _named(text) != _named(entry.msgid):
                problems.append((entry.line, entry.msgid, text))
            if "{{" in source or "{{" in text:
                if set(re.findall(r"{{.*?}}", text)) != set(re.findall(r"{{.*?}}", source)):
                    problems.append((entry.line, entry.msgid, text))
    assert problems == []


def test_markup_and_edge_whitespace_are_kept(messages):
    problems = []
    for entry in messages:
        for text in list(entry.msgstr_plural.values()) or [entry.msgstr]:
            if sorted(TAG.findall(text)) != sorted(TAG.findall(entry.msgid)):
                problems.append(("markup", entry.msgid, text))
            if (entry.msgid[:1].isspace(), entry.msgid[-1:].isspace()) != (text[:1].isspace(), text[-1:].isspace()):
                problems.append(("whitespace", entry.msgid, text))
            if entry.msgid.endswith("\n") != text.endswith("\n"):
                problems.append(("newline", entry.msgid, text))
    assert problems == []


def test_place_names_in_examples_are_not_translated(messages):
    # Names of people and places are data, never translated: examples quoting them keep them as written.
    by_id = {e.msgid: e.msgstr for e in messages}
    search = next(v for k, v in by_id.items() if k.startswith("A place name in any script"))
    for name in ("Stepanakert", "Khankendi", "Степанакерт", "Ստեփանակերտ"):
        assert name in search
    spelling = next(v for k, v in by_id.items() if k.startswith("Any spelling or script"))
    for name in ("Martuni", "Xocavənd", "Мартуни", "OP-09"):
        assert name in spelling
    assert "Shushi / Shusha" in next(v for k, v in by_id.items() if k.startswith("Where the parties name a place"))


def test_the_compiled_mo_matches_the_po(messages):
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = compiled._catalog  # the parsed .mo: {msgid: msgstr} and {(msgid, n): msgstr} for plurals
    expected = {}
    for entry in messages:
        if entry.msgid_plural is not None:
            for index, text in entry.msgstr_plural.items():
                expected[(entry.key, index)] = text
        else:
            expected[entry.key] = entry.msgstr
    actual = {k: v for k, v in catalog.items() if k != ""}
    stale = sorted(str(k) for k in expected.keys() ^ actual.keys())
    assert stale == [], "django.mo is out of date: run compilemessages"
    assert [k for k in expected if expected[k] != actual[k]] == [], "django.mo is out of date: run compilemessages"
    assert compiled.plural(1) == 0 and compiled.plural(3) == 1 and compiled.plural(5) == 2
    assert compiled.plural(21) == 0 and compiled.plural(11) == 2 and compiled.plural(112) == 2


# --------------------------------------------------------------------------------------------------------------
# The interface in Russian.

@pytest.fixture(autouse=True)
def back_to_the_default_language():
    # A request in Russian leaves Russian active in this thread; later tests that call services directly
    # expect the default language.
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture
def in_russian(client_for):
    def make(role: str):
        client = client_for(role)
        response = client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
        assert response.status_code == 302
        return client

    return make


@pytest.mark.django_db
def test_dashboard_and_navigation_render_in_russian(in_russian):
    body = in_russian("coordinator").get("/dashboard/").content.decode()
    assert '<html lang="ru">' in body
    for text in ("Панель управления", "Выйти", "Координатор", "Инциденты", "Сводка", "Колонны",
                 "PeaceOps — время указано местное"):
        assert text in body, text
    for english in (">Dashboard<", ">Log out<", ">Incidents<"):
        assert english not in body
    # The language switcher names each language in that language.
    assert ">English</option>" in body and ">Русский</option>" in body


@pytest.mark.django_db
def test_dates_use_russian_month_names_in_the_genitive(in_russian):
    body = in_russian("returns_officer").get("/returns/", {"as_of": "2020-11-21"}).content.decode()
    assert "Вернулись на 21 ноября 2020" in body


@pytest.mark.django_db
def test_dashboard_sections_are_in_russian(in_russian):
    body = in_russian("coordinator").get("/dashboard/").content.decode()
    assert "Режим прекращения огня" in body
    assert "Возвращение вынужденных переселенцев и беженцев" in body


@pytest.mark.django_db
def test_accept_language_header_selects_russian_and_place_names_stay_as_written(client_for):
    client = client_for("monitor")
    body = client.get("/places/", {"q": "Степанакерт"}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Stepanakert / Khankendi" in body
    assert "Поиск мест" in body and "Название" in body and "Search places" not in body
    english = client.get("/places/", {"q": "Степанакерт"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Stepanakert / Khankendi" in english and "Search places" in english


@pytest.mark.django_db
def test_login_page_is_in_russian_for_anonymous_visitors(client):
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Имя пользователя" in body and "Пароль" in body


@pytest.mark.django_db
def test_form_labels_and_choices_are_in_russian(in_russian):
    body = in_russian("monitor").get("/ceasefire/incidents/new/").content.decode()
    assert "Зарегистрировать инцидент" in body
    assert "Широта" in body and "Долгота" in body
    assert "обстрел" in body  # incident type


@pytest.mark.django_db
def test_section_titles_defined_at_import_time_follow_the_language(in_russian):
    body = in_russian("exchange_officer").get("/exchanges/").content.decode()
    assert "Дела о задержании" in body and "Detention cases" not in body
