"""Dashboard and sitrep curves drawn by matplotlib as SVG, so the PDF embeds them as vector graphics."""

from __future__ import annotations

import base64
import datetime as dt
import io

import matplotlib

matplotlib.use("Agg")  # no display on servers; we only ever write SVG

from matplotlib import rcParams
from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure

# Text stays text in the SVG (searchable in the PDF) and uses DejaVu, which covers Armenian and Cyrillic.
rcParams["svg.fonttype"] = "none"
rcParams["svg.hashsalt"] = "peaceops"  # stable ids: the same data always gives the same SVG
rcParams["font.family"] = "DejaVu Sans"
rcParams["font.size"] = 8


def series_svg(title: str, unit: str, points: list, width_cm: float = 16, height_cm: float = 5.5) -> str:
    """One curve as an SVG document; points are (date or ISO string, value) pairs."""
    days = [dt.date.fromisoformat(d) if isinstance(d, str) else d for d, _v in points]
    values = [v for _d, v in points]
    figure = Figure(figsize=(width_cm / 2.54, height_cm / 2.54))
    axes = figure.add_subplot()
    if days:
        if len(days) <= 62:
            axes.bar(days, values, width=0.8, color="#1f5f8b")
        else:
            axes.plot(days, values, color="#1f5f8b", linewidth=1.2)
        locator = AutoDateLocator(maxticks=8)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(DateFormatter("%d %b"))
    axes.set_title(title, loc="left", fontsize=9)
    if unit:
        axes.set_ylabel(unit)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", linewidth=0.3, color="#bbbbbb")
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def series_charts(series: list[dict]) -> list[dict]:
    """[{key, title, uri}] for each series in a report's content (the public view's points already cut)."""
    return [{"key": s["key"], "title": s["title"], "uri": data_uri(series_svg(s["title"], s["unit"], s["points"]))}
            for s in series]
