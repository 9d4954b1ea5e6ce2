"""The API's documentation pages render under the project's own Content Security Policy (issue 17: /api/docs/
was blank, its inline start-up script refused)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("address", "title"), [("/api/docs/", ".swagger-ui .info .title"),
                                                ("/api/redoc/", "h1")])
def test_api_docs_render_under_the_csp(browser_page, address, title):
    page = browser_page
    refused = []
    outside = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text and "script" in message.text else None)
    page.on("request", lambda request: outside.append(request.url)
            if "fonts.g" in request.url else None)
    page.goto(address)
    page.wait_for_selector(title, timeout=90_000)  # ReDoc lays out a 2.5 MB schema; slow on a busy machine
    assert "PeaceOps API" in page.inner_text(title)
    assert refused == []
    assert outside == []  # the stock ReDoc page fetched Google's fonts
