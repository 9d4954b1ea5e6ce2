"""Plumbing written once (issue 18, item 4): one date reader for what users type, one sex vocabulary, one script
detector, the operation's day from the local date. Each test fails when a second way comes back."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from peaceops.core.params import BadParameter, parse_date, parse_day
from peaceops.core.text import SEX_WORDS, detect_script, sex_code

PACKAGE = Path(__file__).resolve().parents[2] / "peaceops"


def _python_files():
    return [path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts]


# --- dates ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("returns", "count", "--as-of", "soon"),
    ("restoration", "status", "--as-of", "soon"),
    ("exchanges", "summary", "--as-of", "soon"),
    ("sitrep", "--date", "soon", "--format", "md"),
    ("ceasefire", "counts", "--from", "soon", "--to", "2020-11-20"),
    ("sources", "check", "--as-of", "soon"),
    ("mission", "new", "--ceasefire-start", "soon"),
    ("forms", "pull", "--form", "incident_report", "--project", "1", "--user", "monitor", "--since", "soon"),
])
def test_every_command_refuses_a_malformed_date_with_the_same_message(args, db):
    option = next(arg for arg in args if arg.startswith("--") and args[args.index(arg) + 1] == "soon")
    with pytest.raises(CommandError) as refused:
        call_command(*args)
    assert re.search(rf"argument {option}: date must be .*\(YYYY-MM-DD\), not “soon”", str(refused.value)), \
        str(refused.value)


def test_no_command_parses_dates_its_own_way():
    own = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in ("_date", "_parse_date", "_day"):
                own.append(f"{path.relative_to(PACKAGE)} {node.name}")
            if (isinstance(node, ast.keyword) and node.arg == "type" and isinstance(node.value, ast.Attribute)
                    and node.value.attr in ("fromisoformat", "strptime")):
                own.append(f"{path.relative_to(PACKAGE)}:{node.value.lineno} type={node.value.attr}")
    # restoration's work import turns the one reader's error into its row error (the row names the column).
    assert own == ["restoration/services/work_import.py _date"], own


def test_one_reader_one_error():
    assert str(parse_date(" 2020-11-21 ", "as_of")) == "2020-11-21"
    for text in ("soon", "21/11/2020", "20201121", "2020-02-30", ""):
        with pytest.raises(BadParameter, match=r"as_of must be .*\(YYYY-MM-DD\)"):
            parse_date(text, "as_of")
        with pytest.raises(BadParameter, match=r"as_of must be .*\(YYYY-MM-DD\)"):
            parse_day(text, "as_of")


def test_the_operation_day_is_the_local_date_not_the_machine_s():
    """date.today() is the server's day, not the mission's (UTC+4: four hours a day apart). Linkage is exempt:
    it runs without Django in Spark workers, and only bounds birth years with it."""
    calls = []
    for path in _python_files():
        if "linkage" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "today"
                    and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "date"):
                calls.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not calls, calls


# --- one sex vocabulary, one script detector ----------------------------------------------------------------------

def test_party_lists_and_linkage_read_sex_with_one_vocabulary():
    from peaceops.core.models.people import Sex
    from peaceops.exchanges.services import imports as party_lists
    from peaceops.linkage.prepare import _norm_sex

    assert set(SEX_WORDS.values()) <= set(Sex.values)
    for word, code in SEX_WORDS.items():
        assert sex_code(f" {word} ") == code
        assert _norm_sex(f" {word} ") == code, word
        assert party_lists.SEX_VALUES.get(word) == code, word
    # the words the two used to disagree on
    assert (sex_code("Woman"), sex_code("իգ"), sex_code("MALE"), sex_code("ар"), sex_code(None)) == (
        "F", "F", "M", "", "")


LINKAGE_SCRIPT = {"hy": "Armn", "cyrl": "Cyrl", "az": "Latn", "latn": "Latn"}


@pytest.mark.parametrize("text", ["Ստեփանակերտ", "Степанакерт", "Xankəndi", "Stepanakert", "Шуши Shushi Շուշի"])
def test_linkage_tells_scripts_as_the_core_does(text):
    from peaceops.linkage.translit import detect_script as linkage_script

    assert LINKAGE_SCRIPT[linkage_script(text)] == detect_script(text)


def test_linkage_and_the_core_text_helpers_import_without_django():
    """Spark workers import linkage (and through it core.text) with no Django settings."""
    code = ("import sys; import peaceops.linkage.translit, peaceops.linkage.prepare, peaceops.core.text, "
            "peaceops.core.hxl; bad = sorted(m for m in sys.modules if m.split('.')[0] == 'django'); "
            "print(bad); sys.exit(1 if bad else 0)")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PACKAGE.parent)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
