"""Dashboard and sitrep curves drawn by matplotlib as SVG, so the PDF embeds them as vector graphics."""

from __future__ import annotations

import base64
import datetime as dt
import io
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")  # no display on servers; we only ever write SVG

from matplotlib import rcParams
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

# Text stays text in the SVG (searchable in the PDF) and uses DejaVu, which covers Armenian and Cyrillic.
rcParams["svg.fonttype"] = "none"
rcParams["svg.hashsalt"] = "peaceops"  # stable ids: the same data always gives the same SVG
rcParams["font.family"] = "DejaVu Sans"
rcParams["font.size"] = 8


@lru_cache(maxsize=256)
def _svg(title: str, unit: str, points: tuple, width_cm: float, height_cm: float) -> str:
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
        axes.set_xticks([t + 0.5 for t in ticks], [days[t].strftime("%d %b") for t in ticks])
        axes.set_xlim(0, len(values))
    if not any(values):
        axes.set_ylim(0, 1)  # else matplotlib centres a flat zero line between −0.03 and 0.03
    axes.yaxis.set_major_locator(MaxNLocator(4, integer=True))  # every tick is an artist: few of them
    axes.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    axes.set_title(title, loc="left", fontsize=9)
    if unit:
        axes.set_ylabel(unit)
    axes.spines[["top", "right"]].set_visible(False)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def series_svg(title: str, unit: str, points, width_cm: float = 16, height_cm: float = 5.5) -> str:
    """One daily curve as an SVG document; points are (date or ISO string, value) pairs. The same curve is drawn
    once per process: frozen versions and unchanged days come from the cache."""
    return _svg(str(title), str(unit), tuple((d if isinstance(d, str) else d.isoformat(), v) for d, v in points),
                width_cm, height_cm)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def series_charts(series: list[dict], width_cm: float = 9, height_cm: float = 5) -> list[dict]:
    """[{key, title, uri}] for each series in a report's content (the public view's points already cut); sized to
    sit two to a row on an A4 page."""
    return [{"key": s["key"], "title": s["title"],
             "uri": data_uri(series_svg(s["title"], s["unit"], s["points"], width_cm, height_cm))} for s in series]
