"""Pages, downloads, the approval buttons, the dashboard curves and the public pages, role by role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from peaceops.reports import exports, services
from peaceops.reports.models import Sitrep

DAY = dt.date(2020, 11, 21)
PAGE = reverse("reports:sitrep", kwargs={"day": DAY})


@pytest.fixture
def published(fixed_world, users):
    coordinator = users["coordinator"]
    second = users["coordinator2"]  # four eyes
    return services.publish(services.approve(services.start_draft(DAY, coordinator), second), second,
                            confirmed=True)


@pytest.mark.parametrize("role", ["analyst", "monitor", "returns_officer", "exchange_officer", "engineer",
                                  "coordinator"])
def test_working_roles_read_the_live_draft_with_links(fixed_world, client_for, role):
    response = client_for(role).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "6,950" in html and "+1,300" in html
    assert 'href="/returns/movements/?arrived=2020-11-21"' in html
    assert "Internal notes" in html


@pytest.mark.parametrize("role", ["public", "admin"])
def test_other_roles_do_not_see_drafts(fixed_world, client_for, role):
    assert client_for(role).get(PAGE).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(fixed_world):
    response = Client().get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_date_picker_opens_the_chosen_day(fixed_world, client_for):
    response = client_for("analyst").get(reverse("reports:index") + "?date=2020-11-19")
    assert response.status_code == 302 and response["Location"].endswith("/reports/sitrep/2020-11-19/")


def test_only_a_coordinator_sees_and_uses_the_buttons(fixed_world, client_for):
    assert "Start a draft" not in client_for("analyst").get(PAGE).content.decode()
    draft_url = reverse("reports:start_draft", kwargs={"day": DAY})
    assert client_for("analyst").post(draft_url).status_code == 403
    coordinator = client_for("coordinator")
    assert "Start a draft" in coordinator.get(PAGE).content.decode()
    coordinator.post(draft_url)
    sitrep = Sitrep.objects.get(day=DAY)
    approve_url = reverse("reports:approve", kwargs={"pk": sitrep.pk})
    assert client_for("analyst").post(approve_url).status_code == 403
    second = client_for("coordinator2")  # four eyes: the drafter is not the one who approves
    assert second.post(approve_url).status_code == 302
    publish_url = reverse("reports:publish", kwargs={"pk": sitrep.pk})
    assert client_for("engineer").post(publish_url).status_code == 403
    second.post(publish_url, {"confirm": "yes"})
    assert Sitrep.objects.get(pk=sitrep.pk).status == "published"
    page = coordinator.get(PAGE).content.decode()
    assert "Start a correction" in page and Sitrep.objects.get(pk=sitrep.pk).content_sha256 in page


def test_version_history_shows_what_changed(published, client_for, monkeypatch):
    from tests.reports import conftest as world

    monkeypatch.setitem(world.ARRIVALS, DAY, 1308)
    coordinator = client_for("coordinator")
    coordinator.post(reverse("reports:start_draft", kwargs={"day": DAY}), {"note": "Late arrivals added."})
    correction = Sitrep.objects.get(day=DAY, version=2)
    client_for("coordinator2").post(reverse("reports:approve", kwargs={"pk": correction.pk}))
    html = coordinator.get(PAGE).content.decode()
    assert "Late arrivals added." in html and "6,950 → 6,958" in html
    assert "3 changes" in html  # two figures and the summary
    old = coordinator.get(PAGE + "?version=1").content.decode()
    assert "6,958" not in old


@pytest.mark.parametrize("fmt,kind", [("html", "text/html"), ("md", "text/markdown"), ("pdf", "application/pdf")])
def test_downloads(published, client_for, fmt, kind):
    url = reverse("reports:sitrep_download", kwargs={"day": DAY, "fmt": fmt}) + "?version=1"
    response = client_for("analyst").get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith(kind)
    assert f"sitrep-2020-11-21-v1.{fmt}" in response["Content-Disposition"]
    if fmt == "pdf":
        assert response.content.startswith(b"%PDF")
    else:
        assert "6,950" in response.content.decode()


def test_dashboard_draws_every_series(fixed_world, client_for):
    response = client_for("returns_officer").get(reverse("reports:dashboard") + "?from=2020-11-10&to=2020-11-21")
    html = response.content.decode()
    assert response.status_code == 200
    for key in ["returns.per_day", "returns.cumulative", "exchanges.remains"]:
        assert f'id="series-{key}"' in html
    assert html.count("data:image/svg+xml;base64,") == 3
    assert "People returned in total: 6,950" in html
    assert client_for("public").get(reverse("reports:dashboard")).status_code == 404


def test_dashboard_card(published, client_for):
    html = client_for("coordinator").get(reverse("dashboard")).content.decode()
    assert 'id="section-sitrep"' in html and "2020-11-21 · v1 · published" in html


def test_public_pages_need_no_login_and_show_published_only(published, users):
    services.start_draft(DAY + dt.timedelta(days=1), users["coordinator"])
    anonymous = Client()
    home = anonymous.get(reverse("public_home")).content.decode()
    assert "/reports/public/2020-11-21/" in home and "2020-11-22" not in home
    assert anonymous.get(reverse("reports:public_sitrep", kwargs={"day": DAY + dt.timedelta(days=1)})
                         ).status_code == 404
    page = anonymous.get(reverse("reports:public_sitrep", kwargs={"day": DAY}))
    html = page.content.decode()
    assert page.status_code == 200 and "6,950" in html
    assert "&lt;5" in html and "Internal notes" not in html
    assert "/returns/movements/" not in html  # no links into case records
    row = html.split('data-key="exchanges.remains_total"')[1].split("</tr>")[0]
    assert ">3<" not in row and "&lt;5" in row


def test_public_pdf_download(published):
    response = Client().get(reverse("reports:public_download", kwargs={"day": DAY, "fmt": "pdf"}))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_public_hxl_download_is_valid_and_suppressed(published):
    response = Client().get(reverse("reports:public_hxl"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert exports.validate(text) == []
    lines = text.splitlines()
    assert lines[1].startswith("#date,#meta+version,#sector+code,#indicator+code")
    assert "2020-11-21,1,returns,returns.returned_total,People returned in total,6950,1300," in text
    remains = next(line for line in lines if ",exchanges.remains_total," in line)
    assert remains.endswith(",,,<5")
    assert "internal" not in text
    assert "Shushi / Shusha — People,,,<5" in text


def test_hxl_validation_catches_a_bad_file():
    bad = "Date,Indicator code,Value\n#date,#indicator+code,#indicator+num\n2020-11-21,x,many\n"
    assert exports.validate(bad)


def test_api_roles(published, api_for, users):
    services.start_draft(DAY + dt.timedelta(days=1), users["coordinator"])
    rows = api_for("analyst").get("/api/sitreps/").json()["results"]
    assert {r["status"] for r in rows} == {"published", "draft"}
    assert api_for("admin").get("/api/sitreps/").status_code == 404
    draft = Sitrep.objects.get(status="draft")
    assert api_for("analyst").post(f"/api/sitreps/{draft.pk}/approve/").status_code == 403
    # Four eyes: the coordinator who opened the draft is refused; a second one approves, then confirms.
    assert api_for("coordinator").post(f"/api/sitreps/{draft.pk}/approve/").status_code == 403
    assert api_for("coordinator2").post(f"/api/sitreps/{draft.pk}/approve/").json()["status"] == "approved"
    assert api_for("coordinator2").post(f"/api/sitreps/{draft.pk}/publish/").status_code == 400
    assert api_for("coordinator2").post(f"/api/sitreps/{draft.pk}/publish/", {"confirm": True},
                                        format="json").json()["status"] == "published"
    created = api_for("coordinator").post("/api/sitreps/", {"day": "2020-11-25"}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    assert api_for("coordinator").post("/api/sitreps/", {"day": "2020-11-21"}, format="json").status_code == 400


def test_public_api(published, users):
    services.start_draft(DAY + dt.timedelta(days=1), users["coordinator"])
    rows = Client().get("/api/public/sitreps/").json()["results"]
    assert [r["day"] for r in rows] == ["2020-11-21"]
    figures = {f["key"]: f for s in rows[0]["content"]["sections"] for f in s["figures"]}
    assert figures["remains_total"]["value"] == "<5" and figures["returned_total"]["value"] == 6950
    assert "pending" not in figures
