"""The daily returns chart as SVG (matplotlib, no display needed)."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import dateformat
from django.utils.translation import gettext as _


def returns_chart_svg(rows: list[tuple[dt.date, int, int]]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.dates import num2date
    from matplotlib.ticker import FuncFormatter

    days = [r[0] for r in rows]
    fig, left = plt.subplots(figsize=(8, 3), dpi=96)
    try:
        # Dates go through matplotlib's units registry; its stubs accept numbers only.
        left.bar(days, [r[1] for r in rows], color="#8fb3d1", label=_("returned that day"))  # type: ignore[arg-type]
        left.set_ylabel(_("per day"))
        right = left.twinx()
        right.plot(days, [r[2] for r in rows], color="#1f5f8b", linewidth=2,  # type: ignore[arg-type]  # as above
                   label=_("in total"))
        right.set_ylabel(_("in total"))
        right.set_ylim(bottom=0)
        # Month names in the active language (matplotlib's %b would always be English).
        left.xaxis.set_major_formatter(FuncFormatter(lambda x, pos: dateformat.format(num2date(x).date(), "d M")))
        fig.legend(loc="upper left", bbox_to_anchor=(0.08, 0.95), frameon=False, fontsize=8)
        fig.autofmt_xdate()
        fig.tight_layout()
        out = io.StringIO()
        # No timestamp: the same figures give the same file (the public chart moves only on publication).
        fig.savefig(out, format="svg", metadata={"Date": None})
    finally:
        plt.close(fig)
    svg = out.getvalue()
    return svg[svg.find("<svg"):]
