"""Rendering a report's content as HTML, Markdown and PDF (WeasyPrint, A4, page numbers, vector charts)."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from peaceops.core.numbers import grouped
from peaceops.core.reporting import ReportingPeriod, local_zone
from peaceops.reports import charts, disclosure, overview
from peaceops.reports import content as sitrep_content
from peaceops.reports.models import Sitrep
from peaceops.reports.numbers import number, signed

WIDE_COLUMNS = 6
FORMATS = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8", "pdf": "application/pdf"}


def shown(figure: dict) -> str:
    text = number(figure["value"])
    # "at least 0" says nothing a plain 0 does not; a lower bound only qualifies a count of something.
    if figure.get("lower_bound") and figure["value"] not in (None, 0):
        text = _("at least %(n)s") % {"n": text}
    return f"{text} {figure['unit']}".strip() if figure.get("unit") else text


def document_context(doc: dict, sitrep: Sitrep | None, public: bool, charts_wanted: bool = True) -> dict:
    """What every renderer needs, from the content (already narrowed when public) and the version it is, in the
    language its sections were written in."""
    language = sitrep_content.report_language(doc)
    with translation.override(language):
        context = _document_context(doc, sitrep, public, charts_wanted)
    context["report_language"] = language
    return context


def _document_context(doc: dict, sitrep: Sitrep | None, public: bool, charts_wanted: bool) -> dict:
    day = dt.date.fromisoformat(doc["day"])
    period = ReportingPeriod.ending_on(day)
    zone = local_zone()
    sections = []
    for section in doc["sections"]:
        figures = [{**f, "shown": shown(f), "delta": signed(f.get("change")),
                    "before": number(f.get("previous"))} for f in section["figures"]]
        # A table with no rows is left out: the section's summary already says there was nothing to count.
        tables = [_table(t) for t in section["tables"] if t["rows"]]
        sections.append({**section, "figures": figures, "tables": tables,
                         "narrative": _narrative(section.get("narrative"), zone)})
    changes = sitrep.changes if sitrep is not None else []
    if public:
        changes = sitrep_content.public_changes(changes)
    context = {
        "doc": doc,
        "day": day,
        "period_start": period.start.astimezone(zone),
        "period_end": period.end.astimezone(zone),
        "sections": sections,
        "overview": overview.sentences(doc),
        "charts": charts.series_charts(headline_series(doc.get("series", []))) if charts_wanted else [],
        "sitrep": sitrep,
        "status": _status_text(sitrep),
        "changes": [{**c, "old_shown": number(c["old"]) if not isinstance(c["old"], str) else c["old"],
                     "new_shown": number(c["new"]) if not isinstance(c["new"], str) else c["new"]}
                    for c in changes],
        "public": public,
        "disclosure_note": disclosure.note() if public else "",
        "marking": marking(doc, public),
        "online_url": online_path(day, sitrep, public),
    }
    checkpoint = context["checkpoint"] = publication_checkpoint(sitrep)
    context["checkpoint_text"] = checkpoint_text(checkpoint) if checkpoint else ""
    return context


def _narrative(narrative: dict | None, zone) -> dict | None:
    if not narrative or not narrative.get("text"):
        return None
    shown = {"text": narrative["text"], "byline": ""}
    if narrative.get("by"):  # internal renderings say who wrote it and when
        at = dt.datetime.fromisoformat(narrative["at"]).astimezone(zone)
        shown["byline"] = _("Written by %(who)s, %(when)s") % {
            "who": narrative["by"], "when": formats.date_format(at, "j E Y H:i")}
    return shown


def marking(doc: dict, public: bool) -> dict:
    """The classification and distribution line: the full report's as set for the version (frozen in its
    content at approval), or the public release's."""
    from peaceops.reports.models import Classification

    if public:
        return {"classification": _("Public"), "distribution": _("unrestricted (public release)"),
                "line": _("PUBLIC · Distribution: unrestricted (public release)")}
    found = doc.get("marking") or {}
    level = found.get("classification") or Classification.RESTRICTED
    label = str(dict(Classification.choices).get(level, level))
    distribution = found.get("distribution") or _("not set")
    return {"classification": label, "distribution": distribution,
            "line": _("%(classification)s · Distribution: %(distribution)s") % {
                "classification": label.upper(), "distribution": distribution}}


def online_path(day: dt.date, sitrep: Sitrep | None, public: bool) -> str:
    """Where this report is read online, as a path (made absolute from PEACEOPS_SITE_URL in downloads)."""
    from django.urls import reverse

    path = reverse("reports:public_sitrep" if public else "reports:sitrep", kwargs={"day": day})
    return f"{path}?version={sitrep.version}" if sitrep is not None else path


def absolute(url: str) -> str:
    """An address inside this deployment as an absolute one, from PEACEOPS_SITE_URL (others are kept)."""
    if not url or not url.startswith("/") or url.startswith("//"):
        return url
    return settings.PEACEOPS_SITE_URL + url


def for_download(context: dict) -> dict:
    """The context of a file that leaves the site: every link in it absolute, so it still leads somewhere
    when read from a mail attachment or a printout."""
    sections = [{**section, "figures": [{**f, "url": absolute(f.get("url", ""))} for f in section["figures"]]}
                for section in context["sections"]]
    return {**context, "sections": sections, "online_url": absolute(context.get("online_url", "")),
            "download": True}


def publication_checkpoint(sitrep: Sitrep | None) -> dict | None:
    """The first signed audit checkpoint that covers the version's publication (count, head, time, key id)."""
    from peaceops.core import anchoring
    from peaceops.core.models.audit import AuditAction, AuditEvent

    if sitrep is None or not sitrep.is_published:
        return None
    event_id = (AuditEvent.objects.filter(action=AuditAction.PUBLISH, model=Sitrep._meta.label,
                                          object_id=str(sitrep.pk)).order_by("-id").values_list("id", flat=True)
                .first())
    checkpoint = anchoring.covering(event_id) if event_id else None
    if checkpoint is None:
        return {"missing": True}
    return {"count": checkpoint.count, "head": checkpoint.head[:16], "time": checkpoint.signed_at,
            "key_id": checkpoint.key_id}


def headline_series(series: list[dict]) -> list[dict]:
    """One curve per module for the report (the dashboard has them all): its running total where it has one,
    else its first curve. A curve that stays at zero adds a blank chart and no information, so it is skipped."""
    chosen: dict[str, dict] = {}
    for s in series:
        if not any(v for _d, v in s["points"]):
            continue
        module = s["key"].split(".")[0]
        running = any(word in s["key"] for word in ("cumulative", "total"))
        if module not in chosen or (running and not chosen[module]["_running"]):
            chosen[module] = {**s, "_running": running}
    return [{k: v for k, v in s.items() if k != "_running"} for s in chosen.values()]


def draw_charts(doc: dict) -> None:
    """Draw and store the charts of a frozen version, internal and public, in every language: approval pays for
    matplotlib once, and every later rendering, in any process, only reads them back."""
    from django.conf import settings
    from django.utils import translation

    views = [doc, sitrep_content.public_view(doc)]
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for view in views:
                charts.series_charts(headline_series(view.get("series", [])))


def _table(table: dict) -> dict:
    cells = [[number(c) if isinstance(c, (int, float)) and not isinstance(c, bool) else c for c in row]
             for row in table["rows"]]
    numeric = [_is_numeric_column(table["rows"], i) for i in range(len(table["columns"]))]
    # A table of many columns does not fit a portrait A4 page: the PDF gives it a landscape page of its own.
    return {**table, "cells": cells, "numeric": numeric, "wide": len(table["columns"]) > WIDE_COLUMNS,
            "head": [{"text": c, "num": n} for c, n in zip(table["columns"], numeric, strict=False)],
            "body": [[{"text": c, "num": i < len(numeric) and numeric[i]} for i, c in enumerate(row)]
                     for row in cells]}


def _is_numeric_column(rows: list[list], index: int) -> bool:
    cells = [row[index] for row in rows if index < len(row) and row[index] not in (None, "", "—")]
    return bool(cells) and all((isinstance(c, (int, float)) and not isinstance(c, bool))
                               or disclosure.is_hidden(c) for c in cells)


def _status_text(sitrep: Sitrep | None) -> str:
    if sitrep is None:
        return _("Preview from live data, not saved")
    if sitrep.status == "draft":
        return _("Version %(v)s, draft (live data)") % {"v": sitrep.version}
    return _("Version %(v)s, %(status)s") % {"v": sitrep.version, "status": sitrep.get_status_display()}


def to_html(context: dict) -> str:
    """A self-contained HTML document (inline styles, charts as data URIs): the download and the PDF's source."""
    return render_to_string("reports/sitrep_document.html", context)


def to_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(context)).write_pdf()


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


_MD_INLINE = set("\\`*_[]<>&|~")
_MD_LINE_START = re.compile(r"^(\s*)(\d*)([#+\-=>.)])")


def md_text(text: str) -> str:
    """Free text written by people (a narrative) as Markdown that reads as the same plain text: the marks that
    Markdown or inline HTML give a meaning to are backslash-escaped ("<script>", "[a link](javascript:…)",
    "**", a "# heading" or "1." at a line's start stay words), and lines keep their breaks."""
    lines = []
    for line in str(text).splitlines():
        line = "".join("\\" + ch if ch in _MD_INLINE else ch for ch in line)
        lines.append(_MD_LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), line))
    return "  \n".join(lines)


def to_markdown(context: dict) -> str:
    day = context["day"]
    lines = [f"# {_('Situation report')} — {formats.date_format(day, 'j E Y')}", "",
             f"**{md_text(context['marking']['line'])}**", "",
             f"*{context['status']}.* "
             + _("Reporting period %(start)s – %(end)s (local time).") % {
                 "start": formats.date_format(context["period_start"], "j E Y H:i"),
                 "end": formats.date_format(context["period_end"], "j E Y H:i")}, ""]
    if not context["sections"]:
        lines += [_("No module has contributed to this report yet."), ""]
    if context["overview"]:
        lines += [f"## {_('Overview')}", "", " ".join(context["overview"]), ""]
    for section in context["sections"]:
        lines += [f"## {section['title']}", "", section["summary"], ""]
        if section.get("narrative"):
            lines += [md_text(section["narrative"]["text"]), ""]
            if section["narrative"]["byline"]:
                lines += [f"*{md_text(section['narrative']['byline'])}*", ""]
        if section["figures"]:
            lines += [f"| {_('Figure')} | {_('Value')} | {_('Change since previous day')} |", "|---|---:|---:|"]
            for figure in section["figures"]:
                label = _cell(figure["label"])
                if figure.get("url"):
                    label = f"[{label}]({figure['url']})"
                lines.append(f"| {label} | {_cell(figure['shown'])} | {figure['delta']} |")
            lines.append("")
        for table in section["tables"]:
            lines += [f"### {table['title']}", "", "| " + " | ".join(_cell(c) for c in table["columns"]) + " |",
                      "|" + "".join("---:|" if numeric else "---|" for numeric in table["numeric"])]
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table["cells"]]
            lines.append("")
    if context.get("disclosure_note"):
        lines += [f"*{context['disclosure_note']}*", ""]
    if context["changes"]:
        lines += [f"## {_('What changed in this version')}", ""]
        if context["sitrep"] is not None and context["sitrep"].change_note:
            lines += [context["sitrep"].change_note, ""]
        lines += [f"- {_cell(c['label'])}: {c['old_shown']} → {c['new_shown']}" for c in context["changes"]]
        lines.append("")
    sitrep = context["sitrep"]
    if sitrep is not None and sitrep.content_sha256:
        lines += [f"SHA-256: `{sitrep.content_sha256}`", ""]
    if context.get("checkpoint"):
        lines += [checkpoint_text(context["checkpoint"]), ""]
    if context.get("online_url"):
        lines += [_("This report online: %(url)s") % {"url": f"<{context['online_url']}>"}, ""]
    lines += [f"**{md_text(context['marking']['line'])}**", ""]
    return "\n".join(lines)


def checkpoint_text(checkpoint: dict) -> str:
    if checkpoint.get("missing"):
        return _("Audit checkpoint: none covers this publication yet (audit anchoring is off, or the next "
                 "checkpoint is pending).")
    return _("Audit checkpoint: %(count)s events, head %(head)s…, signed %(time)s, key %(key)s.") % {
        "count": grouped(checkpoint["count"]), "head": checkpoint["head"],
        "time": formats.date_format(checkpoint["time"].astimezone(local_zone()), "j E Y H:i"),
        "key": checkpoint["key_id"]}


def render(fmt: str, context: dict) -> str | bytes:
    """A downloadable file of the report (its links absolute, see `for_download`)."""
    with translation.override(context.get("report_language") or settings.LANGUAGE_CODE):
        return _render(fmt, for_download(context))


def _render(fmt: str, context: dict) -> str | bytes:
    if fmt == "html":
        return to_html(context)
    if fmt == "md":
        return to_markdown(context)
    if fmt == "pdf":
        return to_pdf(context)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
