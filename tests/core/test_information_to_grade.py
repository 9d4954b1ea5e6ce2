"""The dashboard's "Information to grade" figure leads to the items to grade (issue 17), and that page's title is
its title (a merge had put the whole to-grade table inside <title>)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_figure_links_to_the_items_to_grade(client_for, world):
    from django.utils import timezone

    from peaceops.core.models import SourceReport

    SourceReport.objects.create(source=world["sources"]["observation_post"], received_at=timezone.now(),
                                summary="shots heard", reliability="B")
    client = client_for("analyst")
    dashboard = client.get("/dashboard/").content.decode()
    card = dashboard[dashboard.index('id="section-sources"'):]
    assert re.search(r'<dd><a href="/sources/#to-grade">\d+</a></dd>', card[:card.index("</section>")])
    page = client.get("/sources/").content.decode()
    assert re.search(r"<title>[^<]*</title>", page)
    assert 'id="to-grade"' in page and "shots heard" in page
