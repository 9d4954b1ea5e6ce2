"""The sitrep is written by a team and signed by two: section narratives (who, when, history), four eyes on
approval and publication, a confirmation before anything goes public, and a classification/distribution line
and absolute links in every downloaded file."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from markdown_it import MarkdownIt
from pypdf import PdfReader

from peaceops.core.reporting import narrative_capability
from peaceops.reports import content as sitrep_content
from peaceops.reports import render as renderer
from peaceops.reports import services
from peaceops.reports.models import ImmutableSitrep, SectionNarrative, Sitrep

DAY = dt.date(2020, 11, 21)
SITE = "https://peaceops.example.org/ops"
HOSTILE = '<script>alert("x")</script> [click](javascript:alert(1)) **bold** & <b>tag</b>'


@pytest.fixture
def site(settings):
    settings.PEACEOPS_SITE_URL = SITE


@pytest.fixture
def draft(fixed_world, users):
    return services.start_draft(DAY, users["coordinator"], classification="confidential",
                                distribution="Mission leadership; the parties' liaison officers")


def _pdf(data: bytes) -> tuple[str, list[str]]:
    """The text of every page and the address of every link in the PDF."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    links = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and action.get("/URI"):
                links.append(str(action["/URI"]))
    return text, links


# Four eyes ---------------------------------------------------------------------------------------------------

def test_the_drafter_cannot_approve_a_second_coordinator_can(draft, users):
    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.approve(draft, users["coordinator"])
    assert Sitrep.objects.get(pk=draft.pk).status == "draft"
    approved = services.approve(draft, users["coordinator2"])
    assert approved.status == "approved" and approved.approved_by == users["coordinator2"]


def test_the_drafter_cannot_publish_either(draft, users):
    approved = services.approve(draft, users["coordinator2"])
    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.publish(approved, users["coordinator"], confirmed=True)
    assert services.publish(approved, users["coordinator2"], confirmed=True).status == "published"


def test_a_coordinator_who_wrote_a_narrative_is_a_drafter_too(draft, users):
    services.write_narrative(draft, "internal", "Staff shortages at the posts.", users["coordinator2"])
    assert services.drafters(draft) == {users["coordinator"].pk, users["coordinator2"].pk}
    with pytest.raises(PermissionDenied):
        services.approve(draft, users["coordinator2"])
    # Removing the paragraph does not undo having written it: the history remembers.
    services.write_narrative(draft, "internal", "", users["coordinator2"])
    with pytest.raises(PermissionDenied):
        services.approve(draft, users["coordinator2"])


def test_an_officers_narrative_does_not_stop_the_second_coordinator(draft, users):
    services.write_narrative(draft, "returns", "Convoys ran on time.", users["returns_officer"])
    assert services.approve(draft, users["coordinator2"]).status == "approved"


def test_publication_needs_a_confirmation(draft, users):
    approved = services.approve(draft, users["coordinator2"])
    with pytest.raises(ValidationError, match="confirmation"):
        services.publish(approved, users["coordinator2"])
    with pytest.raises(ValidationError):
        services.publish(approved, users["coordinator2"], confirmed="yes")  # only True confirms
    assert Sitrep.objects.get(pk=draft.pk).status == "approved"


# Narratives --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role, section, allowed", [
    ("analyst", "ceasefire", True), ("analyst", "returns", False),
    ("returns_officer", "returns", True), ("returns_officer", "exchanges", False),
    ("exchange_officer", "exchanges", True), ("engineer", "ceasefire", False),
    ("monitor", "ceasefire", False), ("public", "returns", False), ("admin", "returns", False),
    ("coordinator2", "returns", True), ("coordinator2", "internal", True), ("analyst", "internal", False),
])
def test_who_writes_which_narrative(draft, users, role, section, allowed):
    if allowed:
        assert services.write_narrative(draft, section, "Calm day.", users[role]).text == "Calm day."
    else:
        with pytest.raises(PermissionDenied):
            services.write_narrative(draft, section, "Calm day.", users[role])
        assert not SectionNarrative.objects.filter(sitrep=draft, section=section).exists()


def test_capabilities_follow_the_convention():
    assert narrative_capability("ceasefire") == "reports.write_narrative.ceasefire"
    assert narrative_capability("restoration") == "reports.write_narrative.restoration"
    assert narrative_capability("something_new") == "reports.write_narrative"  # coordinators only


def test_a_narrative_keeps_its_history_and_refuses_a_stale_edit(draft, users):
    first = services.write_narrative(draft, "returns", "Two convoys.", users["returns_officer"])
    services.write_narrative(draft, "returns", "Two convoys, both escorted.", users["coordinator"],
                             based_on=first.written_at.isoformat())
    with pytest.raises(ValidationError, match="changed this narrative meanwhile"):
        services.write_narrative(draft, "returns", "Overwrite.", users["returns_officer"],
                                 based_on=first.written_at.isoformat())
    history = services.narrative_history(draft, "returns")
    assert [(h["text"], h["by"]) for h in history] == [("Two convoys, both escorted.", "coordinator"),
                                                       ("Two convoys.", "returns_officer")]


def test_narratives_are_checked(draft, users):
    with pytest.raises(ValidationError):
        services.write_narrative(draft, "returns", "x" * (services.NARRATIVE_MAX_CHARS + 1), users["coordinator"])
    with pytest.raises(ValidationError, match="no section"):
        services.write_narrative(draft, "nowhere", "text", users["coordinator"])


def test_approval_freezes_narratives_into_the_hashed_content(draft, users):
    services.write_narrative(draft, "returns", "Convoys ran on time.", users["returns_officer"])
    approved = services.approve(draft, users["coordinator2"])
    returns = next(s for s in approved.content["sections"] if s["key"] == "returns")
    assert returns["narrative"]["text"] == "Convoys ran on time."
    assert returns["narrative"]["by"] == "returns_officer"
    assert approved.content["marking"] == {"classification": "confidential",
                                           "distribution": "Mission leadership; the parties' liaison officers"}
    with pytest.raises(ValidationError):
        services.write_narrative(approved, "returns", "Changed later.", users["returns_officer"])
    narrative = SectionNarrative.objects.get(sitrep=approved, section="returns")
    narrative.text = "Sneaky."
    with pytest.raises(ImmutableSitrep):
        narrative.save()
    with pytest.raises(ValidationError):
        services.set_marking(approved, users["coordinator2"], "unclassified", "everyone")
    published = services.publish(approved, users["coordinator2"], confirmed=True)
    assert services.verify_published(published)
    assert published.content_sha256 == sitrep_content.digest(published.content)


def test_the_public_sees_the_narrative_only_once_published_and_never_its_author(draft, users):
    services.write_narrative(draft, "ceasefire", "The line was calm all day.", users["analyst"])
    public = Client()
    assert public.get(reverse("reports:public_sitrep", kwargs={"day": DAY})).status_code == 404
    approved = services.approve(draft, users["coordinator2"])
    assert public.get(reverse("reports:public_sitrep", kwargs={"day": DAY})).status_code == 404
    services.publish(approved, users["coordinator2"], confirmed=True)
    page = public.get(reverse("reports:public_sitrep", kwargs={"day": DAY})).content.decode()
    assert "The line was calm all day." in page and "Written by" not in page and "analyst" not in page
    api = public.get("/api/public/sitreps/").json()["results"][0]["content"]
    ceasefire = next(s for s in api["sections"] if s["key"] == "ceasefire")
    assert ceasefire["narrative"] == {"text": "The line was calm all day."}


def test_a_narrative_naming_a_small_count_of_people_is_withheld_publicly(draft, users):
    services.write_narrative(draft, "returns", "3 families arrived after the cut-off.", users["returns_officer"])
    published = services.publish(services.approve(draft, users["coordinator2"]), users["coordinator2"],
                                  confirmed=True)
    view = sitrep_content.public_view(published.content)
    returns = next(s for s in view["sections"] if s["key"] == "returns")
    assert "3 families" not in returns["narrative"]["text"] and "not shown publicly" in returns["narrative"]["text"]


def test_nothing_in_a_narrative_goes_through_unescaped(draft, users, client_for):
    services.write_narrative(draft, "ceasefire", HOSTILE, users["analyst"])
    page = client_for("coordinator").get(reverse("reports:sitrep", kwargs={"day": DAY})).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page and "<b>tag</b>" not in page
    doc = services.content_of(draft, DAY)
    context = renderer.document_context(doc, draft, public=False, charts_wanted=False)
    html = renderer.render("html", context)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    markdown = renderer.render("md", context)
    rendered = MarkdownIt("commonmark").render(markdown)  # as a Markdown viewer would show the file
    assert "<script" not in rendered and "<b>" not in rendered and "javascript:" not in re.sub(
        r">[^<]*<", "><", rendered)  # no link to it, only the words
    assert "<strong>bold</strong>" not in rendered
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in rendered


# Marking and absolute links ----------------------------------------------------------------------------------

def test_downloads_carry_the_marking_and_absolute_links(draft, users, site, client_for):
    services.write_narrative(draft, "returns", "Convoys ran on time.", users["returns_officer"])
    client = client_for("analyst")
    html = client.get(reverse("reports:sitrep_download", kwargs={"day": DAY, "fmt": "html"})).content.decode()
    assert "CONFIDENTIAL · Distribution: Mission leadership; the parties&#x27; liaison officers" in html
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs and all(h.startswith(SITE + "/") for h in hrefs), hrefs
    assert f'{SITE}/reports/sitrep/2020-11-21/?version=1' in hrefs
    markdown = client.get(reverse("reports:sitrep_download", kwargs={"day": DAY, "fmt": "md"})).content.decode()
    assert "CONFIDENTIAL · Distribution: Mission leadership; the parties' liaison officers" in markdown
    assert f"]({SITE}/returns/movements/?arrived_until=2020-11-21)" in markdown
    assert "](/" not in markdown
    # The web page itself keeps the site's own relative links.
    page = client.get(reverse("reports:sitrep", kwargs={"day": DAY})).content.decode()
    assert 'href="/returns/movements/?arrived_until=2020-11-21"' in page


def test_the_pdf_reads_back_narrative_marking_and_absolute_links(draft, users, site):
    services.write_narrative(draft, "returns", "Convoys ran on time despite the snow.", users["returns_officer"])
    approved = services.approve(draft, users["coordinator2"])
    context = renderer.document_context(approved.content, approved, public=False, charts_wanted=False)
    text, links = _pdf(renderer.render("pdf", context))
    flat = " ".join(text.split())
    assert "Convoys ran on time despite the snow." in flat
    assert "Written by returns_officer" in flat
    assert "CONFIDENTIAL · Distribution: Mission leadership; the parties' liaison officers" in flat
    assert links and all(link.startswith(SITE + "/") for link in links), links
    assert f"{SITE}/returns/movements/?arrived_until=2020-11-21" in links
    assert f"{SITE}/reports/sitrep/2020-11-21/?version=1" in links


def test_the_public_pdf_is_marked_public_and_links_to_the_public_page(draft, users, site):
    services.write_narrative(draft, "ceasefire", "The line was calm all day.", users["analyst"])
    services.publish(services.approve(draft, users["coordinator2"]), users["coordinator2"], confirmed=True)
    response = Client().get(reverse("reports:public_download", kwargs={"day": DAY, "fmt": "pdf"}))
    text, links = _pdf(response.content)
    flat = " ".join(text.split())
    assert "PUBLIC · Distribution: unrestricted (public release)" in flat and "CONFIDENTIAL" not in flat
    assert "The line was calm all day." in flat and "Written by" not in flat
    assert links == [f"{SITE}/reports/public/2020-11-21/?version=1"]  # no link into case records


def test_the_cli_export_carries_the_marking(draft, users, site, tmp_path):
    out = io.StringIO()
    call_command("sitrep", "--date", "2020-11-21", "--format", "md", stdout=out)
    assert "**CONFIDENTIAL · Distribution: Mission leadership; the parties' liaison officers**" in out.getvalue()
    assert f"<{SITE}/reports/sitrep/2020-11-21/?version=1>" in out.getvalue()
    services.publish(services.approve(draft, users["coordinator2"]), users["coordinator2"], confirmed=True)
    target = tmp_path / "public.pdf"
    call_command("sitrep", "--date", "2020-11-21", "--format", "pdf", "--public", "--out", str(target),
                 stderr=io.StringIO())
    text, _links = _pdf(target.read_bytes())
    assert "PUBLIC · Distribution: unrestricted" in " ".join(text.split())


def test_a_correction_keeps_the_marking_of_what_it_corrects(draft, users):
    services.publish(services.approve(draft, users["coordinator2"]), users["coordinator2"], confirmed=True)
    correction = services.start_draft(DAY, users["coordinator2"], "Late arrivals.")
    assert (correction.classification, correction.distribution) == (draft.classification, draft.distribution)
    with pytest.raises(ValidationError):
        services.set_marking(correction, users["coordinator2"], "top-secret", "")
    assert services.set_marking(correction, users["coordinator2"], "unclassified", "All staff").classification \
        == "unclassified"
    with pytest.raises(PermissionDenied):
        services.set_marking(correction, users["analyst"], "restricted", "")


# Web UI and API ---------------------------------------------------------------------------------------------

def test_the_web_page_offers_approval_only_to_a_second_coordinator(draft, client_for):
    page = reverse("reports:sitrep", kwargs={"day": DAY})
    mine = client_for("coordinator").get(page).content.decode()
    assert 'id="four-eyes"' in mine and ">Approve<" not in mine
    theirs = client_for("coordinator2").get(page).content.decode()
    assert ">Approve<" in theirs and 'id="four-eyes"' not in theirs
    # Posting anyway is refused with the reason, and nothing changes.
    response = client_for("coordinator").post(reverse("reports:approve", kwargs={"pk": draft.pk}), follow=True)
    assert "Four eyes" in response.content.decode()
    assert Sitrep.objects.get(pk=draft.pk).status == "draft"


def test_the_web_publication_goes_through_a_confirmation_page(draft, users, client_for):
    services.approve(draft, users["coordinator2"])
    second = client_for("coordinator2")
    url = reverse("reports:publish", kwargs={"pk": draft.pk})
    confirm = second.get(url)
    body = confirm.content.decode()
    assert confirm.status_code == 200 and "What the public will see" in body and "PUBLIC · Distribution" in body
    assert "Internal notes" in body  # named as left out of the public release
    second.post(url)  # without the box ticked
    assert Sitrep.objects.get(pk=draft.pk).status == "approved"
    second.post(url, {"confirm": "yes"})
    assert Sitrep.objects.get(pk=draft.pk).status == "published"


def test_the_drafter_is_not_shown_the_confirmation_page(draft, users, client_for):
    services.approve(draft, users["coordinator2"])
    response = client_for("coordinator").get(reverse("reports:publish", kwargs={"pk": draft.pk}))
    assert response.status_code == 302
    assert client_for("analyst").get(reverse("reports:publish", kwargs={"pk": draft.pk})).status_code == 403


def test_the_web_narrative_form(draft, client_for):
    page = reverse("reports:sitrep", kwargs={"day": DAY})
    officer = client_for("returns_officer")
    html = officer.get(page).content.decode()
    assert 'id="narrative-returns"' in html and 'id="narrative-ceasefire"' not in html
    url = reverse("reports:narrative", kwargs={"pk": draft.pk, "section": "returns"})
    officer.post(url, {"text": "Convoys ran on time.", "based_on": ""})
    assert SectionNarrative.objects.get(sitrep=draft, section="returns").text == "Convoys ran on time."
    html = officer.get(page).content.decode()
    assert "Written by returns_officer" in html and "History (1 version)" in html
    refused = client_for("analyst").post(url, {"text": "Not mine."})
    assert refused.status_code == 403
    assert client_for("monitor").post(url, {"text": "Not mine."}).status_code == 403


def test_the_api(draft, api_for):
    officer = api_for("returns_officer")
    answer = officer.post(f"/api/sitreps/{draft.pk}/narrative/", {"section": "returns", "text": "On time."},
                          format="json")
    assert answer.status_code == 200
    assert answer.json()["narratives"][0]["section"] == "returns"
    assert answer.json()["narratives"][0]["written_by"] == "returns_officer"
    assert officer.post(f"/api/sitreps/{draft.pk}/narrative/", {"section": "ceasefire", "text": "x"},
                        format="json").status_code == 403
    assert api_for("monitor").post(f"/api/sitreps/{draft.pk}/narrative/", {"section": "ceasefire", "text": "x"},
                                   format="json").status_code == 403
    marking = api_for("coordinator").post(f"/api/sitreps/{draft.pk}/marking/",
                                          {"classification": "unclassified", "distribution": "All staff"},
                                          format="json")
    assert marking.status_code == 200 and marking.json()["classification"] == "unclassified"
    assert api_for("coordinator").post(f"/api/sitreps/{draft.pk}/approve/").status_code == 403
    second = api_for("coordinator2")
    assert second.post(f"/api/sitreps/{draft.pk}/approve/").json()["status"] == "approved"
    preview = second.get(f"/api/sitreps/{draft.pk}/public-preview/").json()["content"]
    returns = next(s for s in preview["sections"] if s["key"] == "returns")
    assert returns["narrative"] == {"text": "On time."} and preview["marking"]["classification"] == "public"
    refused = second.post(f"/api/sitreps/{draft.pk}/publish/", {"confirm": False}, format="json")
    assert refused.status_code == 400 and "confirmation" in str(refused.json())
    assert second.post(f"/api/sitreps/{draft.pk}/publish/", {"confirm": True},
                       format="json").json()["status"] == "published"
