"""Public block: region aggregates only — how many people have each life-support service, as the newest
published report gives them (never the live register: the public sees published versions only)."""

from __future__ import annotations

from django.urls import reverse

from peaceops.reports import render, services


def services_block(request) -> list[dict]:
    sitrep, view = services.latest_public_view()
    section = services.public_section(view, "restoration")
    if section is None or sitrep is None:  # a section is only read from a published version
        return []
    rows = [(f["label"], render.shown(f), None) for f in section["figures"]
            if f["key"].startswith("restoration.people_with_")]
    if not rows:
        return []
    return [{"template": "restoration/_public_services.html",
             "data": {"rows": rows, "day": sitrep.day, "url": _public_url(sitrep)}}]


def _public_url(sitrep) -> str:
    return reverse("reports:public_sitrep", kwargs={"day": sitrep.day})


BLOCKS = [services_block]
