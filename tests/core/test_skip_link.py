"""Every page carries a "Skip to content" link as its first focusable element, leading to <main id="content">
(issue 17: keyboard users tabbed through the whole menu on every page)."""

from __future__ import annotations

from pathlib import Path

import pytest

import peaceops

pytestmark = pytest.mark.django_db

# Documents that are not pages of the application: the sitrep as printed (PDF/standalone HTML).
NOT_PAGES = {"sitrep_document.html"}


def test_the_base_template_opens_with_the_skip_link(client):
    html = client.get("/accounts/login/").content.decode()
    body = html[html.index("<body"):]
    first_link = body.index("<a ")
    assert body[first_link:].startswith('<a class="skip-link" href="#content">Skip to content</a>')
    assert body.index("skip-link") < body.index("<header") < body.index('<main id="content"')


def test_every_page_template_extends_the_base():
    root = Path(peaceops.__file__).parent
    standalone = {path.name for path in root.rglob("templates/**/*.html")
                  if not path.name.startswith("_") and path.name != "base.html"
                  and "{% extends" not in path.read_text(encoding="utf-8")
                  and "<html" in path.read_text(encoding="utf-8")}
    assert standalone <= NOT_PAGES
