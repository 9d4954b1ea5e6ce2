"""Every HXL export writes its header and hashtag rows through the one writer (`peaceops.core.hxl`), so the
layout, the line ending and the formula guard cannot drift between the apps (issue 18, item 4)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from peaceops.core import hxl as core_hxl

DAY = dt.date(2020, 11, 21)


def _ceasefire():
    from peaceops.ceasefire import formats
    from peaceops.ceasefire.models import Incident

    out = io.StringIO()
    formats.export_hxl(Incident.objects.all(), out)
    return out.getvalue()


def _returns():
    from peaceops.returns.services.exporting import export_hxl

    return export_hxl(DAY, DAY)


def _works():
    from peaceops.restoration.services import hxl

    return hxl.works_csv()


def _status():
    from peaceops.restoration.services import hxl

    return hxl.status_csv(DAY)


def _public():
    from peaceops.reports import exports

    return exports.hxl_csv(exports.latest_published_versions())


EXPORTS = {"ceasefire incidents": _ceasefire, "returns per settlement": _returns, "restoration 3W": _works,
           "restoration service status": _status, "public aggregates": _public}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_the_hashtag_row_comes_from_the_one_writer(name, world, monkeypatch):
    calls = []
    real = core_hxl.write_hxl

    def spy(out, columns, rows):
        calls.append([tag for _header, tag in columns])
        return real(out, columns, rows)

    monkeypatch.setattr(core_hxl, "write_hxl", spy)
    text = EXPORTS[name]()
    assert len(calls) == 1, f"{name} wrote its HXL without peaceops.core.hxl.write_hxl"
    header, tags = text.split("\n")[:2]
    assert tags == ",".join(calls[0]) and all(tag.startswith("#") for tag in calls[0])
    assert len(header.split(",")) == len(calls[0])


def test_the_writer_lays_out_headers_hashtags_rows_and_guards_formulas():
    text = core_hxl.hxl_text([("Name", "#loc+name"), ("People", "#affected")], [["=cmd()", 3], [None, -4]])
    assert text == "Name,People\n#loc+name,#affected\n'=cmd(),3\n,-4\n"
    tags, rows = core_hxl.read_hxl(text)
    assert tags == ["#loc+name", "#affected"] and rows == [["=cmd()", "3"], ["", "-4"]]
