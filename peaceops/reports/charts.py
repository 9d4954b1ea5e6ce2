"""Dashboard and sitrep curves drawn by matplotlib as SVG, so the PDF embeds them as vector graphics."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")  # no display on servers; we only ever write SVG

from django.utils import formats
from django.utils.translation import get_language, pgettext_lazy
from matplotlib import rcParams
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

# Text stays text in the SVG (searchable in the PDF) and uses DejaVu, which covers Armenian and Cyrillic.
rcParams["svg.fonttype"] = "none"
rcParams["svg.hashsalt"] = "peaceops"  # stable ids: the same data always gives the same SVG
rcParams["font.family"] = "DejaVu Sans"
rcParams["font.size"] = 8
# Part of every stored chart's key: change it when the drawing changes, so stored charts are drawn again.
DRAWING = 2


# Short month names as they read after a day number: Django's own abbreviations are nominative and capitalised
# in Russian ("21 Ноя"), where a date needs the genitive ("21 нояб.").
MONTHS_AFTER_DAY = (
    pgettext_lazy("month after a day number", "Jan"), pgettext_lazy("month after a day number", "Feb"),
    pgettext_lazy("month after a day number", "Mar"), pgettext_lazy("month after a day number", "Apr"),
    pgettext_lazy("month after a day number", "May"), pgettext_lazy("month after a day number", "Jun"),
    pgettext_lazy("month after a day number", "Jul"), pgettext_lazy("month after a day number", "Aug"),
    pgettext_lazy("month after a day number", "Sep"), pgettext_lazy("month after a day number", "Oct"),
    pgettext_lazy("month after a day number", "Nov"), pgettext_lazy("month after a day number", "Dec"),
)


def tick_label(day: dt.date) -> str:
    """"21 Nov", "21 нояб.": a chart's date axis in the active language."""
    return f"{day.day} {MONTHS_AFTER_DAY[day.month - 1]}"


@lru_cache(maxsize=256)
def _svg(title: str, unit: str, points: tuple, width_cm: float, height_cm: float, language: str | None) -> str:
    """Draw one curve; `language` only keys the cache (the labels follow the active language)."""
    days = [dt.date.fromisoformat(d) if isinstance(d, str) else d for d, _v in points]
    values = [v or 0 for _d, v in points]
    figure = Figure(figsize=(width_cm / 2.54, height_cm / 2.54))
    # A fixed layout and one artist per curve: tight_layout, date locators and one bar per day cost 3× as much.
    # The left margin is fixed in centimetres so the unit and "45,000" fit on a narrow chart too.
    figure.subplots_adjust(left=min(0.25, 1.7 / width_cm), right=0.98, bottom=0.16, top=0.86)
    axes = figure.add_subplot()
    if values:
        axes.stairs(values, range(len(values) + 1), fill=True, color="#1f5f8b")
        step = max(1, len(days) // max(2, int(width_cm / 2.6)))  # a "10 Nov" label needs about 2.6 cm
        ticks = list(range(0, len(days), step))
        axes.set_xticks([t + 0.5 for t in ticks], [tick_label(days[t]) for t in ticks])
        axes.set_xlim(0, len(values))
    if not any(values):
        axes.set_ylim(0, 1)  # else matplotlib centres a flat zero line between −0.03 and 0.03
    axes.yaxis.set_major_locator(MaxNLocator(4, integer=True))  # every tick is an artist: few of them
    axes.yaxis.set_major_formatter(FuncFormatter(lambda x, _pos: formats.number_format(round(x), force_grouping=True)))
    axes.set_title(title, loc="left", fontsize=9)
    if unit:
        axes.set_ylabel(unit)
    axes.spines[["top", "right"]].set_visible(False)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _points(points) -> tuple:
    return tuple((d if isinstance(d, str) else d.isoformat(), v) for d, v in points)


def series_svg(title: str, unit: str, points, width_cm: float = 16, height_cm: float = 5.5) -> str:
    """One daily curve as an SVG document; points are (date or ISO string, value) pairs. The same curve is drawn
    once per process and language (the dashboard's curves change with its date range, so they are not stored)."""
    return _svg(str(title), str(unit), _points(points), width_cm, height_cm, get_language())


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def chart_key(title: str, unit: str, points: tuple, width_cm: float, height_cm: float) -> str:
    spec = [DRAWING, str(title), str(unit), [list(p) for p in points], width_cm, height_cm, get_language()]
    return hashlib.sha256(json.dumps(spec, ensure_ascii=False).encode("utf-8")).hexdigest()


def series_charts(series: list[dict], width_cm: float = 9, height_cm: float = 5) -> list[dict]:
    """[{key, title, uri}] for each series in a report's content (the public view's points already cut); sized to
    sit two to a row on an A4 page. Charts already stored (approval draws a frozen version's) are read in one
    query; the others are drawn and stored, so no process draws the same chart twice."""
    from peaceops.reports.models import StoredChart

    wanted = [(s, _points(s["points"])) for s in series]
    keys = [chart_key(s["title"], s["unit"], points, width_cm, height_cm) for s, points in wanted]
    stored = dict(StoredChart.objects.filter(key__in=keys).values_list("key", "svg")) if keys else {}
    drawn = {}
    for (s, points), key in zip(wanted, keys, strict=True):
        if key not in stored and key not in drawn:
            drawn[key] = _svg(str(s["title"]), str(s["unit"]), points, width_cm, height_cm, get_language())
    if drawn:
        StoredChart.objects.bulk_create([StoredChart(key=k, svg=v) for k, v in drawn.items()], ignore_conflicts=True)
    svgs = {**stored, **drawn}
    return [{"key": s["key"], "title": s["title"], "uri": data_uri(svgs[key])}
            for (s, _p), key in zip(wanted, keys, strict=True)]
