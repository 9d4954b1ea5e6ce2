"""Reading a report from its bytes: plain text (any common encoding) or an HTML page saved from a browser,
whose article body and metadata `trafilatura` extracts. Nothing here touches the database."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

from peaceops.sources.extraction import dates

MAX_BYTES = 5 * 1024 * 1024


class UnreadableReport(ValueError):
    """The file is not a report we can read; the message says why."""


@dataclass
class Report:
    text: str
    sha256: str
    format: str  # "text", "html" or "pasted"
    title: str = ""
    outlet: str = ""
    byline: str = ""
    language: str = ""  # declared by the report's metadata, if it says
    published_at: dt.datetime | None = None
    published_on: dt.date | None = None
    year_known: bool = True  # False: the date came from a dateline without its year
    dateline: tuple[int, int] | None = None
    notes: list[str] = field(default_factory=list)


_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<article|<div|<p[\s>]|<meta)", re.IGNORECASE)
# A metadata header a person or a script may put above a pasted or saved text: "Title: …", "Outlet: …".
_HEADER = re.compile(r"^(?P<key>title|headline|outlet|source|agency|published|date|by|byline|author|language|lang)"
                     r"\s*:\s*(?P<value>.+)$", re.IGNORECASE)
# The seed's export line: " date 2020-11-21 UrduPoint.com".
_EXPORT_LINE = re.compile(r"^\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\s+(?P<outlet>\S.*)$", re.IGNORECASE)


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        raise UnreadableReport(_("%(name)s: the text is in an encoding that cannot be read.") % {"name": name})
    return str(best)


def _is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return control > len(sample) * 0.05


def _parse_when(text: str) -> tuple[dt.datetime | None, dt.date | None]:
    import dateparser

    text = text.strip()
    if not text:
        return None, None
    try:
        return None, dt.date.fromisoformat(text[:10]) if len(text) == 10 else None
    except ValueError:
        pass
    parsed = dateparser.parse(text, settings={"RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None:
        return None, None
    has_time = bool(re.search(r"\d{1,2}:\d{2}", text))
    return (parsed if has_time else None), parsed.date()


def _header(text: str, report: Report) -> str:
    """Take a leading metadata header off the text, filling the report's fields."""
    lines = text.split("\n")
    taken = 0
    for line in lines[:10]:
        if not line.strip():
            if taken:
                taken += 1
                break
            taken += 1
            continue
        export = _EXPORT_LINE.match(line)
        header = _HEADER.match(line.strip())
        if export:
            report.published_on = dt.date.fromisoformat(export.group("date"))
            report.outlet = report.outlet or export.group("outlet").strip()
        elif header:
            key, value = header.group("key").lower(), header.group("value").strip()
            if key in ("title", "headline"):
                report.title = value
            elif key in ("outlet", "source", "agency"):
                report.outlet = value
            elif key in ("published", "date"):
                report.published_at, report.published_on = _parse_when(value)
            elif key in ("by", "byline", "author"):
                report.byline = value
            else:
                report.language = value.lower()[:2]
        else:
            break
        taken += 1
    return "\n".join(lines[taken:]).strip("\n")


def _from_html(data: bytes, name: str, report: Report) -> str:
    import trafilatura

    html = _decode(data, name)
    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                           include_tables=False, favor_precision=True)
    assert not isinstance(document, dict)  # as_dict is not asked for: a Document, or None when nothing was found
    body = (document.text if document else "") or ""
    if document is None or len(body.strip()) < 40:
        raise UnreadableReport(_("%(name)s: the page has no article in it.") % {"name": name})
    report.title = (document.title or "").strip()
    report.outlet = (document.sitename or "").strip()
    report.byline = (document.author or "").strip()
    report.language = (document.language or "")[:2]
    if document.date:
        report.published_at, report.published_on = _parse_when(document.date)
    return body


def read_bytes(data: bytes, name: str, *, pasted: bool = False) -> Report:
    """A Report from the original bytes. Raises UnreadableReport with a message a user can act on."""
    if not data or not data.strip():
        raise UnreadableReport(_("%(name)s is empty.") % {"name": name})
    if len(data) > MAX_BYTES:
        raise UnreadableReport(_("%(name)s is larger than %(mb)d MB; a report is text.") % {
            "name": name, "mb": MAX_BYTES // (1024 * 1024)})
    if _is_binary(data):
        raise UnreadableReport(_("%(name)s is a binary file, not a text or a saved web page.") % {"name": name})
    report = Report(text="", sha256=hashlib.sha256(data).hexdigest(), format="pasted" if pasted else "text")
    if _HTML.match(data[:2000]):
        report.format = "html"
        text = _from_html(data, name, report)
    else:
        text = _header(_decode(data, name).replace("\r\n", "\n").replace("\r", "\n"), report)
    text = re.sub(r"[ \t]+\n", "\n", text).strip()
    if not text:
        raise UnreadableReport(_("%(name)s has no text.") % {"name": name})
    report.text = text
    if not report.title:
        first = text.split("\n", 1)[0].strip()
        report.title = first[:200] if len(first) <= 200 and not first.endswith(".") else first[:120] + "…"
    return report


def settle_date(report: Report, language: str, published: dt.date | None,
                period: tuple[dt.date, dt.date]) -> None:
    """The report's date: `published` when given, else its metadata, else its dateline; a dateline without a
    year takes it from `published`, the metadata, or else the operation's `period` (latest such date)."""
    line = dates.find_dateline(report.text, language)
    if line is not None:
        report.dateline = (line.start, line.end)
    if published is not None:
        report.published_on = published
        return
    if report.published_on is not None:
        return
    if line is None:
        return
    if line.day is not None:
        report.published_on = line.day
        return
    month, day = line.month_day
    report.published_on = dates.latest_in_period(month, day, *period)
    report.year_known = False
    if report.published_on:
        report.notes.append(_("The dateline gives no year; %(date)s is the latest such day of the operation.") % {
            "date": report.published_on.isoformat()})
