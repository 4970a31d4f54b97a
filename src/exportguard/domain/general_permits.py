"""General Export Permit No. 41 (SOR/2015-200): its eligible destinations and reporting periods.

s.4(a): the exporter notifies the Export Controls Division before its first export under the permit
in each calendar year. s.4(b): a report within 30 days after each six-month period ending on
31 January or 31 July.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

REPORT_DUE_DAYS = 30


@dataclass(frozen=True)
class ReportPeriod:
    start: date
    end: date

    @property
    def due(self) -> date:
        return self.end + timedelta(days=REPORT_DUE_DAYS)


def period_of(day: date) -> ReportPeriod:
    """The six-month period containing ``day``: 1 Feb - 31 Jul, or 1 Aug - 31 Jan."""
    if date(day.year, 2, 1) <= day <= date(day.year, 7, 31):
        return ReportPeriod(date(day.year, 2, 1), date(day.year, 7, 31))
    start_year = day.year if day.month >= 8 else day.year - 1
    return ReportPeriod(date(start_year, 8, 1), date(start_year + 1, 1, 31))


def periods_due(registered_years: set[int], filed: set[date], today: date) -> list[ReportPeriod]:
    """Periods of registered years that have ended and whose report is not filed (overdue or due)."""
    out = []
    for year in sorted(registered_years):
        for p in (period_of(date(year, 1, 1)), period_of(date(year, 7, 1)), period_of(date(year, 12, 1))):
            if p.end < today and p.end not in filed and p not in out:
                out.append(p)
    return out
