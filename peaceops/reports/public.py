"""The reports' block on the public landing page: published sitreps and the HXL download."""

from __future__ import annotations

from peaceops.reports.exports import latest_published_versions


def published_block(request) -> list[dict]:
    published = latest_published_versions()[::-1][:14]
    if not published:
        return []
    return [{"template": "reports/_public_list.html", "data": published}]


BLOCKS = [published_block]
