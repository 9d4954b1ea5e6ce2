"""Every shipped form exports as an XLSForm in English and Russian that pyxform converts, from the models' lists."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from peaceops.ceasefire.taxonomy import SUBTYPES
from peaceops.fieldforms.catalogue import forms

pytestmark = pytest.mark.django_db


def test_export_writes_every_form_and_pyxform_converts_each(tmp_path):
    out = io.StringIO()
    call_command("forms", "export", "--out", str(tmp_path), stdout=out)
    for form_id, form in forms().items():
        path = tmp_path / f"{form_id}.xlsx"
        xform = convert(xlsform=str(path), validate=False).xform
        version = form.built().version
        assert f'id="{form_id}"' in xform and f'version="{version}"' in xform
        assert 'lang="Russian (ru)"' in xform and 'lang="English (en)"' in xform
        assert (tmp_path / f"{form_id}.xml").read_text(encoding="utf-8") == xform
    assert out.getvalue().count("version") == len(forms())


def test_the_incident_form_follows_the_taxonomy_and_the_gazetteer(world):
    workbook = load_workbook(io.BytesIO(forms()["incident_report"].built().xlsx_bytes()))
    rows = list(workbook["choices"].iter_rows(values_only=True))
    header = rows[0]
    choices = [dict(zip(header, row)) for row in rows[1:]]
    sub_types = {(c["incident_type"], c["name"]) for c in choices if c["list_name"] == "sub_type"}
    assert sub_types == {(t, s) for t, subs in SUBTYPES.items() for s in subs}
    places = {c["label::English (en)"] for c in choices if c["list_name"] == "place"}
    assert world["places"]["stepanakert"].name in places
    russian = next(c for c in choices if c["list_name"] == "incident_type" and c["name"] == "shelling")
    assert russian["label::Russian (ru)"] and russian["label::English (en)"] == "shelling"
    survey = [dict(zip(next(workbook["survey"].iter_rows(values_only=True)), row))
              for row in list(workbook["survey"].iter_rows(values_only=True))[1:]]
    assert next(r for r in survey if r["name"] == "sub_type")["choice_filter"] == "incident_type=${incident_type}"


def test_the_version_changes_with_the_vocabulary_and_only_then(world):
    before = forms()["incident_report"].built().version
    assert forms()["incident_report"].built().version == before
    from peaceops.core.models import Place

    Place.objects.create(name="Synthetic hamlet", kind="settlement", parent=world["places"]["stepanakert"].parent)
    from peaceops.fieldforms.catalogue import forget_built

    forget_built()  # within a process a build is reused for BUILT_SECONDS
    assert forms()["incident_report"].built().version != before


def test_export_refuses_an_unknown_form(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No form"):
        call_command("forms", "export", "--out", str(tmp_path), "--form", "nothing_here")
