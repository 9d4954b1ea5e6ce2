"""The counts page's chart as SVG (matplotlib, no display needed), drawn here rather than in the view."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _


def violations_chart_svg(series: list[tuple[dt.date, int]]) -> str:
    """Violations per reporting day as a bar chart, from (day, count) pairs in day order."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 2.6))
    axes = figure.subplots()
    # Dates go through matplotlib's units registry; its stubs accept numbers only.
    axes.bar([d for d, _n in series], [n for _d, n in series], color="#a12a2a")  # type: ignore[arg-type]
    axes.set_ylabel(_("violations (at least)"))
    axes.set_title(_("Ceasefire violations per reporting day"))
    # The y axis's default locator is an AutoLocator (a MaxNLocator); the stubs type it as a plain Locator.
    axes.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    # A count starts at zero; without a floor an empty range drew an axis from -0.04 to 0.04.
    axes.set_ylim(0, max([n for _d, n in series] + [1]) * 1.1)
    figure.autofmt_xdate()
    figure.tight_layout()
    out = io.StringIO()
    figure.savefig(out, format="svg")
    return out.getvalue()
