"""In a browser: import two lists, confirm matches, complete an exchange of two people."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

ARMENIAN = "reference,name,birth_date\nA1,Արամ Պետրոսյան,1995-03-02\nA2,Elvin Məmmədov,1999-01-01\n"
OTHER = "reference,name,birth_date\nB1,Aram Petrosyan,1995-03-02\nB2,Эльвин Мамедов,1999-01-01\n"


def _import(page, tmp_path, name: str, text: str, party: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page.goto("/exchanges/lists/import/")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_party", label=party)
    page.select_option("#id_kind", value="we_hold")
    page.fill("#id_received_on", "2020-12-03")
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("text=entries imported")


def test_import_confirm_and_exchange(browser_page, tmp_path):
    # The live server runs in this process: load the linkage engine (Splink, DuckDB) before the clock starts.
    pytest.importorskip("peaceops.linkage.engine")
    page = browser_page
    login(page, "exchange_officer")
    _import(page, tmp_path, "armenian.csv", ARMENIAN, "Armenian side")
    _import(page, tmp_path, "other.csv", OTHER, "Azerbaijani side")
    page.select_option("#id_against", index=1)  # the other list
    page.click("text=Reconcile", timeout=90000)
    page.wait_for_selector("#proposals", timeout=90000)
    assert "Արամ Պետրոսյան" in page.content()
    for _ in range(2):
        page.locator("#proposals button", has_text="Confirm").first.click()
        page.wait_for_selector("text=Match confirmed.")
    assert page.locator("#proposals .decided.ok").count() == 2

    page.goto("/exchanges/events/new/")
    page.select_option("#id_kind", value="n_for_m")
    page.fill("#id_date", "2020-12-14")
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("#roster-form")
    for from_label, to_label in (("Azerbaijani side", "Armenian side"), ("Armenian side", "Azerbaijani side")):
        page.select_option("#id_person", index=1)
        page.select_option("#id_from_party", label=from_label)
        page.select_option("#id_to_party", label=to_label)
        page.click("#roster-form button")
        page.wait_for_load_state()
    for _ in range(2):
        form = page.locator("form.handover-form").first
        form.locator("input[name=witnessed_by]").fill("Red Cross delegate")
        form.locator("input[name=handed_at]").fill("2020-12-14T15:00")
        form.locator("button").click()
        page.wait_for_load_state()
    page.click("#complete")
    page.wait_for_selector("text=Exchange completed: 2 persons handed over.")
    assert "completed" in page.locator("#event-status").inner_text()
