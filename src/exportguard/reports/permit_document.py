"""An export permit (one version) as a printable PDF: what is licensed, to whom, until when, on what
conditions, and a QR code / short link to the public page saying whether it is in force today."""

from __future__ import annotations

from exportguard import i18n
from exportguard.i18n import _
from exportguard.reports.pdf import Sheet, remembered
from exportguard.services.parties.registry import PartyView
from exportguard.services.permits.documents import PermitDocument


def verification_url(base_url: str, permit_id: int, code: str) -> str:
    """The short link printed (and encoded in the QR code) on a permit version."""
    return f"{base_url.rstrip('/')}/v/{permit_id}/{code}"


def _party(p: PartyView, countries: dict[str, str]) -> str:
    where = ", ".join(x for x in (p.address, p.city, countries.get(p.country, p.country)) if x)
    return f"{p.name}\n{where}" if where else p.name


def render_permit(doc: PermitDocument, url: str) -> bytes:
    """The PDF bytes of ``doc``, whose verification page is ``url`` (the same facts: the same bytes)."""
    return remembered(doc.model_dump_json() + url, lambda: _render(doc, url))


def _render(doc: PermitDocument, url: str) -> bytes:
    p = doc.permit
    ref = f"{p.number} / v{p.version}"
    sheet = Sheet(
        _("Export permit %(ref)s", ref=ref),
        _("Export permit %(ref)s. Check that it is in force today: %(url)s", ref=ref, url=url),
    )
    qr_size = 30
    top = sheet.get_y()
    sheet.qr(url, sheet.w - sheet.r_margin - qr_size, top, qr_size)
    width = sheet.epw - qr_size - 6
    sheet.set_x(sheet.l_margin)
    sheet.heading(_("Export permit"), 18)
    sheet.facts(
        [
            (_("Permit number"), p.number),
            (_("Version"), str(p.version)),
            (_("Issued on"), p.issued_on.isoformat()),
            (
                _("Valid"),
                _(
                    "from %(start)s to %(end)s inclusive",
                    start=p.valid_from.isoformat(),
                    end=p.valid_to.isoformat(),
                ),
            ),
            (_("Destination"), f"{doc.countries.get(p.destination, p.destination)} ({p.destination})"),
        ],
        width=width,
    )
    sheet.set_y(max(sheet.get_y(), top + qr_size + 2))
    sheet.set_font("DejaVu", "", 7.5)
    sheet.set_x(sheet.w - sheet.r_margin - qr_size - 20)
    sheet.cell(qr_size + 20, 3.5, _("Scan to verify"), align="R")
    sheet.ln(5)
    if doc.amendment is not None:
        a = doc.amendment
        sheet.boxed(
            _(
                "This version replaces version %(v)s from %(day)s (EIPA s.10(1)): %(reason)s",
                v=a.previous_version,
                day=a.effective_date.isoformat(),
                reason=a.reason,
            ),
            9.5,
        )

    sheet.section(_("Parties"))
    rows = [
        (_("Permit holder (exporter)"), _party(doc.holder, doc.countries)),
        (_("Consignee"), _party(doc.consignee, doc.countries)),
        (_("End user"), _party(doc.end_user, doc.countries) if doc.end_user else _("not named")),
    ]
    sheet.facts(rows)

    sheet.section(_("Goods licensed"))
    sheet.ruled_table(
        [_("Line"), _("Item"), _("Description"), _("Quantity"), _("Unit value"), _("Total value")],
        [
            (
                str(line.line_no),
                line.item_code,
                line.description,
                f"{i18n.format_number(line.quantity, 0)} {line.unit}",
                f"{i18n.format_number(line.unit_value)} {line.currency}",
                f"{i18n.format_number(line.unit_value * line.quantity)} {line.currency}",
            )
            for line in p.lines
        ],
        (9, 11, 44, 16, 20, 22),
    )
    if doc.item_titles:
        sheet.paragraph(_("Export Control List items:"), 8.5, "B")
        for code in p.item_codes:
            sheet.paragraph(f"{code}  {doc.item_titles.get(code, '')}", 8.5)

    sheet.section(_("Conditions"))
    sheet.paragraph(p.conditions or _("None beyond those of the Act and the Regulations."))

    sheet.section(_("Authority and verification"))
    sheet.facts(
        [
            (_("Legal basis"), _("EIPA s.7(1); Export Permits Regulations (SOR/97-204)")),
            (_("Application"), doc.application_reference),
            (_("Issued by"), doc.issued_by),
            (_("Verification code"), doc.verification_code),
            (_("Verify at"), url),
        ]
    )
    sheet.paragraph(
        _(
            "This permit must be presented at export (EPR s.5-6). The Minister may amend, suspend, "
            "cancel or reinstate it (EIPA s.10(1)): its standing on any day is shown at the address "
            "above, which confirms only the number, version, state and dates printed here."
        ),
        8.5,
    )
    return sheet.output_bytes()
