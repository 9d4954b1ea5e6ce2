"""Screenshots of running PeaceOps pages in Debian's Chromium, at a desktop and a phone width, in English and
Russian: what the brief asks to look at before closing anything with a screen.

    python scripts/screenshots.py --base http://127.0.0.1:8000 --user coordinator --out /tmp/shots \
        /dashboard/ /open-sources/claims/ /access/

Each page gives four PNGs, NAME-en-1366.png … NAME-ru-390.png, full-page. The script also prints, per shot, how
much wider than the window the page is (a page wider than a phone scrolls sideways) and any console error.
The demo's accounts share one password (`--password`); the demo runs without the second factor.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
WIDTHS = (1366, 390)
LANGUAGES = ("en", "ru")


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", help="page paths, such as /dashboard/")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="coordinator", help="demo account to sign in as ('' for anonymous)")
    parser.add_argument("--password", default="peaceops-demo")
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for language in LANGUAGES:
            context = browser.new_context(base_url=args.base, locale=language)
            page = context.new_page()
            errors: list[str] = []

            def console(message, errors=errors):
                if message.type == "error":
                    errors.append(message.text)

            page.on("console", console)
            if args.user:
                page.goto("/accounts/login/")
                page.fill("#id_username", args.user)
                page.fill("#id_password", args.password)
                page.click("button[type=submit]")
                page.wait_for_load_state()
            # The language switch is a cookie; Accept-Language covers a fresh session too.
            context.add_cookies([{"name": "django_language", "value": language, "url": args.base}])
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                for path in args.paths:
                    errors.clear()
                    response = page.goto(path)
                    page.wait_for_load_state("networkidle")
                    name = args.out / f"{slug(path)}-{language}-{width}.png"
                    page.screenshot(path=str(name), full_page=True)
                    overflow = page.evaluate("document.documentElement.scrollWidth") - width
                    status = response.status if response else "?"
                    note = f" {overflow}px wider than the window" if overflow > 0 else ""
                    print(f"{name.name}: HTTP {status}{note}{'; console: ' + '; '.join(errors) if errors else ''}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
