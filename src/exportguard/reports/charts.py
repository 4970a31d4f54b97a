"""Charts for the annual report (matplotlib, no display): exports by destination over the years,
and the year's timeline of measures and ministerial acts. PNG for print, SVG for the web; the SVG
carries no date and a fixed id salt, so the same figures give the same file.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: charts are files
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from exportguard import i18n

PALETTE = ("#26374a", "#1c578a", "#2b8cc4", "#7fb3d5", "#b85c00", "#d3080c", "#6b7785", "#9e9e9e")
_STYLE: dict[Any, Any] = {
    "svg.hashsalt": "exportguard",
    "svg.fonttype": "none",  # text stays text in the SVG: readable, searchable, translatable
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _save(fig: Figure, fmt: str) -> bytes:
    buf = io.BytesIO()
    metadata: dict[str, str | None] = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buf, format=fmt, dpi=150, bbox_inches="tight", metadata=metadata)
    plt.close(fig)
    return buf.getvalue()


def exports_over_years(
    values: Mapping[int, Mapping[str, Decimal]],
    names: Mapping[str, str],
    currency: str,
    fmt: str,
    top: int = 6,
) -> bytes:
    """Stacked bars: each year's actual exports, the ``top`` destinations over all years by name
    and the rest as "other destinations"."""
    years = sorted(values)
    overall: dict[str, Decimal] = {}
    for per_dest in values.values():
        for dest, v in per_dest.items():
            overall[dest] = overall.get(dest, Decimal(0)) + v
    leaders = [d for d, _v in sorted(overall.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(7.5, 3.8))
        bottom = [0.0] * len(years)
        series = [(names.get(d, d), [float(values[y].get(d, 0)) / 1e6 for y in years]) for d in leaders]
        rest = [
            float(sum((v for d, v in values[y].items() if d not in leaders), Decimal(0))) / 1e6 for y in years
        ]
        if any(rest):
            series.append((i18n.gettext("Other destinations"), rest))
        for n, (label, heights) in enumerate(series):
            ax.bar(
                [str(y) for y in years], heights, bottom=bottom, label=label, color=PALETTE[n % len(PALETTE)]
            )
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_ylabel(i18n.gettext("Millions of %(currency)s", currency=currency))
        ax.set_title(
            i18n.gettext("Military exports by destination (actual exports, Groups 2 and 9)"), loc="left"
        )
        if series:
            ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        else:
            ax.text(
                0.5,
                0.5,
                i18n.gettext("No exports recorded"),
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        return _save(fig, fmt)


def timeline(year: int, events: Sequence[tuple[date, str, str]], fmt: str) -> bytes:
    """The year's measures and acts on one line: (date, kind "measure" or "act", label)."""
    first = date(year, 1, 1)

    def x(day: date) -> int:
        return (day - first).days

    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.32 * max(1, len(events))))
        ax.set_xlim(0, x(date(year, 12, 31)))
        ax.set_xticks([x(date(year, m, 1)) for m in range(1, 13)], [f"{m:02d}" for m in range(1, 13)])
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        colours = {"measure": PALETTE[1], "act": PALETTE[5]}
        for n, (day, kind, label) in enumerate(sorted(events)):
            y = len(events) - n
            ax.plot([x(day), x(day)], [0, y], color="#bbbbbb", linewidth=0.6)
            ax.plot([x(day)], [y], "o", color=colours.get(kind, PALETTE[6]), markersize=5)
            late = day.month > 8  # labels of the year's last months read leftwards, inside the chart
            ax.annotate(f"{day.isoformat()}  {label}", (x(day), y), xytext=(-6 if late else 6, -3),
                        textcoords="offset points", fontsize=8, ha="right" if late else "left")  # fmt: skip
        ax.set_ylim(0, len(events) + 1)
        ax.set_title(i18n.gettext("%(year)s: measures and ministerial acts", year=year), loc="left")
        if not events:
            ax.text(0.5, 0.5, i18n.gettext("No measures or acts this year"), ha="center", va="center",
                    transform=ax.transAxes)  # fmt: skip
        return _save(fig, fmt)
