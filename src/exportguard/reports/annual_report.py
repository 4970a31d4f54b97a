"""The annual report on exports of military goods as a document: a PDF that prints well (fpdf2, the
same page as permits and letters), with its charts, in the reader's language."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from exportguard import i18n
from exportguard.i18n import gettext as _
from exportguard.i18n import lazy_gettext as _l
from exportguard.reports import charts
from exportguard.reports.pdf import Sheet
from exportguard.services.transparency.annual import AnnualReport, Figure

# The words of the records' codes, in the reader's language.
WORDS = {
    "adopted": _l("adopted"),
    "revised": _l("revised"),
    "lifted": _l("lifted"),
    "ended": _l("ended"),
    "suspend": _l("suspension"),
    "reinstate": _l("reinstatement"),
    "cancel": _l("cancellation"),
    "amend_validity": _l("amendment of validity"),
    "minister": _l("Minister"),
    "director": _l("Director"),
    "officer": _l("officer"),
}


def word(code: str) -> str:
    return str(WORDS.get(code, code))


def money(value: Decimal | None, currency: str) -> str:
    if value is None:
        return _("withheld")
    return f"{i18n.format_number(value, 2)} {currency}"


def _name(report: AnnualReport, code: str) -> str:
    return f"{report.country_names.get(code, code)} ({code})"


def timeline_events(report: AnnualReport) -> list[tuple[date, str, str]]:
    events: list[tuple[date, str, str]] = [
        (m.on, "measure", f"{m.destination}: {m.title} ({word(m.change)})") for m in report.measures
    ]
    events += [
        (
            a.on,
            "act",
            i18n.ngettext(
                "%(act)s, %(num)d permit (%(where)s)",
                "%(act)s, %(num)d permits (%(where)s)",
                a.permits,
                act=word(a.act),
                where=", ".join(a.destinations),
            ),
        )
        for a in report.ministerial_acts
    ]
    return events


def _rows(report: AnnualReport, figures: list[Figure], named: bool = True) -> list[list[object]]:
    out: list[list[object]] = []
    for f in figures:
        first = _name(report, f.key[0]) if named else f.key[0]
        out.append([first, *f.key[1:], i18n.format_number(f.quantity, 0), money(f.value, report.currency)])
    return out


def render_annual_report(report: AnnualReport, history: dict[int, dict[str, Decimal]]) -> bytes:
    """``history``: each year's exports by destination, for the chart over the years."""
    title = _("Report on Exports of Military Goods from Canada, %(year)s", year=report.year)
    basis = _("Export and Import Permits Act, s.27. Actual exports of ECL Groups 2 and 9.")
    if report.as_of is not None:
        basis += " " + _("As the records stood on %(day)s.", day=report.as_of.isoformat())
    sheet = Sheet(title, basis, _)
    sheet.heading(title)
    sheet.paragraph(basis)
    s = report.summary
    sheet.section(_("Summary of key data"))
    sheet.facts(
        [
            (_("Total value of exports"), money(s.total_value, report.currency)),
            (_("Destinations"), i18n.format_number(s.destinations, 0)),
            (_("Top destination"), _name(report, s.top_destination) if s.top_destination else "-"),
            (_("Permits issued"), i18n.format_number(s.permits_issued, 0)),
            (_("Applications received"), i18n.format_number(s.applications_received, 0)),
            (_("Permit denials"), i18n.format_number(s.denials, 0)),
            (_("Exceptions granted"), i18n.format_number(s.exceptions, 0)),
            (_("Ministerial acts"), i18n.format_number(s.ministerial_acts, 0)),
            (_("To be tabled by"), report.tabling_deadline.isoformat()),
        ]
    )
    sheet.section(_("Developments in the year"))
    events = timeline_events(report)
    sheet.image(io.BytesIO(charts.timeline(report.year, events, "png")), w=sheet.epw)
    if report.measures:
        sheet.ruled_table(
            [_("Date"), _("Change"), _("Destination"), _("Measure"), _("Legal basis")],
            [
                [m.on.isoformat(), word(m.change), m.destination, m.title, m.legal_basis]
                for m in report.measures
            ],
            [12, 10, 10, 40, 28],
        )
    if report.ministerial_acts:
        sheet.ruled_table(
            [_("Date"), _("Act"), _("Reference"), _("Permits"), _("Reason")],
            [
                [a.on.isoformat(), word(a.act), a.reference, a.permits, a.reason]
                for a in report.ministerial_acts
            ],
            [12, 10, 16, 8, 54],
        )
    if report.exceptions:
        sheet.paragraph(_("Exceptions granted against a presumptive denial"), style="B")
        sheet.ruled_table(
            [_("Date"), _("Destination"), _("Items"), _("Measure"), _("Ground"), _("Authority")],
            [
                [e.on.isoformat(), e.destination, ", ".join(e.items), e.measure, e.ground,
                 word(e.decided_by_role)]
                for e in report.exceptions
            ],
            [12, 10, 14, 16, 34, 14],
        )  # fmt: skip
    sheet.paragraph(_("Permit denials"), style="B")
    if report.denials:
        sheet.ruled_table(
            [_("Date"), _("Destination"), _("Items"), _("Reasons")],
            [
                [d.on.isoformat(), d.destination, ", ".join(d.items), "; ".join(d.reasons)]
                for d in report.denials
            ],
            [12, 14, 18, 56],
        )
    else:
        sheet.paragraph(_("No permit was denied in the year."))
    sheet.section(_("Military export statistics"))
    sheet.image(
        io.BytesIO(charts.exports_over_years(history, report.country_names, report.currency, "png")),
        w=sheet.epw,
    )
    heads = [_("Destination"), _("Quantity"), _("Value")]
    sheet.paragraph(_("Value by destination"), style="B")
    sheet.ruled_table(heads, _rows(report, report.by_destination), [50, 20, 30])
    sheet.paragraph(_("Value by region"), style="B")
    sheet.ruled_table(
        [_("Region"), _("Quantity"), _("Value")], _rows(report, report.by_region, named=False), [50, 20, 30]
    )
    sheet.paragraph(_("Exports to the United States of certain Group 2 items"), style="B")
    sheet.paragraph(
        _("Permits issued: %(n)s.", n=report.us_subset.permits)
        + " "
        + _(
            "Permits issued for the US-controlled subset of Group 2 (2-1, 2-2.a, 2-2.b, 2-3, 2-4.a); most "
            "Group 2 exports to the United States need no permit and are not captured."
        )
    )
    sheet.section(_("Service standard"))
    share = "-" if report.share_within is None else f"{report.share_within} %"
    sheet.facts(
        [
            (_("Applications decided"), i18n.format_number(report.decided, 0)),
            (_("Decided within %(days)s days", days=report.service_standard_days), share),
            (_("Median days to a decision"), "-" if report.median_days is None else str(report.median_days)),
        ]
    )
    sheet.section(_("Annex: exports by destination and Export Control List item"))
    sheet.ruled_table(
        [_("Destination"), _("ECL item"), _("Quantity"), _("Value")],
        _rows(report, report.by_destination_and_item),
        [40, 16, 18, 26],
    )
    sheet.section(_("Annex: UN Register of Conventional Arms (actual exports)"))
    if report.un_register:
        sheet.ruled_table(
            [_("Category"), _("Sub-category"), _("Destination"), _("Quantity")],
            [
                [r.category, r.subcategory, _name(report, r.destination), r.quantity]
                for r in report.un_register
            ],
            [16, 16, 48, 20],
        )
    else:
        sheet.paragraph(_("Nil report: no exports of UN Register categories in the year."))
    if report.public:
        sheet.paragraph(
            _(
                "Values are withheld where fewer than three exporters stand behind a figure below "
                "CAD 1,000,000, so that no exporter's commercial figures can be read from the report."
            ),
            size=8,
        )  # fmt: skip
    return sheet.output_bytes()
