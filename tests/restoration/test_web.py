"""Pages: who may see and change what; the forms call the services and refuse bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from peaceops.restoration.models import DamageAssessment, Facility, Work
from peaceops.restoration.services.assessments import record_assessment
from tests.restoration.conftest import D

PAGES = ["restoration:status", "restoration:facility_list", "restoration:work_list", "restoration:mine_action"]


@pytest.mark.parametrize("role", ["engineer", "coordinator", "monitor", "analyst", "returns_officer"])
def test_staff_read_the_pages(client_for, grid, role):
    from django.urls import reverse

    client = client_for(role)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("restoration:facility_detail", args=[grid["clinic"].pk])).status_code == 200


@pytest.mark.parametrize("role", ["public", "admin"])
def test_roles_without_access_get_404(client_for, grid, role):
    from django.urls import reverse

    client = client_for(role)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get(reverse("restoration:facility_detail", args=[grid["clinic"].pk])).status_code == 404
    assert client.get(reverse("restoration:facilities_geojson")).status_code == 404


def test_only_engineers_write(client_for, grid, world):
    from django.urls import reverse

    data = {"name": "Telecom mast", "kind": "telecom", "place": world["places"]["shushi"].pk,
            "settlements": [world["places"]["shushi"].pk]}
    assert client_for("coordinator").post(reverse("restoration:facility_new"), data).status_code == 403
    assert client_for("monitor").post(reverse("restoration:facility_new"), data).status_code == 403
    response = client_for("engineer").post(reverse("restoration:facility_new"), data)
    assert response.status_code == 302
    assert Facility.objects.get(name="Telecom mast").sector == "telecom"


def test_dependency_cycle_is_refused_in_the_form(client_for, grid):
    from django.urls import reverse

    sub = grid["substation"]
    data = {"name": sub.name, "kind": sub.kind, "place": sub.place_id, "settlements": [grid["town"].pk],
            "depends_on": [grid["network"].pk]}
    response = client_for("engineer").post(reverse("restoration:facility_edit", args=[sub.pk]), data)
    assert response.status_code == 200
    assert "go round in a circle" in response.content.decode()
    assert not sub.depends_on.exists()


def test_monitors_file_assessments_and_see_only_their_own(client_for, grid, users):
    from django.urls import reverse

    record_assessment(grid["clinic"], D, "Engineer", 1, 80, user=users["engineer"])
    response = client_for("monitor").post(reverse("restoration:assessment_new"), {
        "facility": grid["substation"].pk, "date": D.isoformat(), "assessor": "Monitor 7", "severity": 3,
        "functionality": 20, "needs": "transformer"})
    assert response.status_code == 302
    mine = DamageAssessment.objects.get(assessor="Monitor 7")
    assert mine.submitted_by == users["monitor"]
    listing = client_for("monitor").get(reverse("restoration:assessment_list")).content.decode()
    assert "Monitor 7" in listing and "Engineer" not in listing.split("<tbody>")[1]
    assert "Engineer" in client_for("coordinator").get(reverse("restoration:assessment_list")).content.decode()
    assert client_for("analyst").get(reverse("restoration:assessment_list")).status_code == 404


def test_assessment_outside_0_100_is_refused(client_for, grid):
    from django.urls import reverse

    response = client_for("engineer").post(reverse("restoration:assessment_new"), {
        "facility": grid["substation"].pk, "date": D.isoformat(), "assessor": "X", "severity": 3,
        "functionality": 150})
    assert response.status_code == 200
    assert not DamageAssessment.objects.exists()


def test_work_form_refuses_end_before_start_and_percent_out_of_range(client_for, grid, org):
    from django.urls import reverse

    base = {"organisation": org.pk, "activity": "Repair", "facility": grid["substation"].pk, "status": "ongoing",
            "actual_start": "2020-11-20", "percent_complete": 10, "restores_to": 100}
    client = client_for("engineer")
    response = client.post(reverse("restoration:work_new"), {**base, "status": "completed", "percent_complete": 100,
                                                             "actual_end": "2020-11-18"})
    assert "cannot finish before it starts" in response.content.decode()
    response = client.post(reverse("restoration:work_new"), {**base, "percent_complete": 120})
    assert "between 0 and 100" in response.content.decode()
    assert not Work.objects.exists()


def test_completing_a_work_on_the_page_restores_the_settlement(client_for, grid, org):
    from django.urls import reverse

    record_assessment(grid["substation"], D - dt.timedelta(days=1), "Eng", 4, 0)
    work = Work.objects.create(organisation=org, activity="Transformer", facility=grid["substation"])
    client = client_for("engineer")
    page = client.get(reverse("restoration:status") + f"?as_of={D.isoformat()}").content.decode()
    assert 'data-level="none"' in page
    response = client.post(reverse("restoration:work_detail", args=[work.pk]),
                           {"action": "complete", "date": D.isoformat()})
    assert response.status_code == 302
    page = client.get(reverse("restoration:status") + f"?as_of={D.isoformat()}").content.decode()
    assert 'data-level="none"' not in page
    assert "↑" in page  # restored since the previous day


def test_hxl_export_names_only_its_two_files(client_for, grid):
    """An unknown export name is a 404, not the service-status file under another name."""
    client = client_for("engineer")
    works = client.get("/restoration/export/works.hxl.csv")
    status = client.get("/restoration/export/status.hxl.csv?as_of=2020-11-21")
    assert works.status_code == 200 and "#activity" in works.content.decode()
    assert status.status_code == 200 and "service-status-2020-11-21" in status["Content-Disposition"]
    assert grid["clinic"].place.name in status.content.decode()
    assert client.get("/restoration/export/anything.hxl.csv").status_code == 404
