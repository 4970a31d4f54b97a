"""An export permit (one version) as a printable PDF: what is licensed, to whom, until when, on what
conditions, and a QR code / short link to the public page saying whether it is in force today."""

from __future__ import annotations

from exportguard.reports.pdf import Sheet, Translate
from exportguard.services.parties.registry import PartyView
from exportguard.services.permits.documents import PermitDocument


def _same(text: str) -> str:
    return text


def verification_url(base_url: str, permit_id: int, code: str) -> str:
    """The short link printed (and encoded in the QR code) on a permit version."""
    return f"{base_url.rstrip('/')}/v/{permit_id}/{code}"


def _party(p: PartyView, countries: dict[str, str]) -> str:
    where = ", ".join(x for x in (p.address, p.city, countries.get(p.country, p.country)) if x)
    return f"{p.name}\n{where}" if where else p.name


def render_permit(doc: PermitDocument, url: str, t: Translate = _same) -> bytes:
    """The PDF bytes of ``doc``, whose verification page is ``url``."""
    p = doc.permit
    ref = f"{p.number} / v{p.version}"
    sheet = Sheet(
        t("Export permit {ref}").format(ref=ref),
        t("Export permit {ref}. Check that it is in force today: {url}").format(ref=ref, url=url),
        t,
    )
    qr_size = 30
    top = sheet.get_y()
    sheet.qr(url, sheet.w - sheet.r_margin - qr_size, top, qr_size)
    width = sheet.epw - qr_size - 6
    sheet.set_x(sheet.l_margin)
    sheet.heading(t("Export permit"), 18)
    sheet.facts(
        [
            (t("Permit number"), p.number),
            (t("Version"), str(p.version)),
            (t("Issued on"), p.issued_on.isoformat()),
            (
                t("Valid"),
                t("from {start} to {end} inclusive").format(
                    start=p.valid_from.isoformat(), end=p.valid_to.isoformat()
                ),
            ),
            (t("Destination"), f"{doc.countries.get(p.destination, p.destination)} ({p.destination})"),
        ],
        width=width,
    )
    sheet.set_y(max(sheet.get_y(), top + qr_size + 2))
    sheet.set_font("DejaVu", "", 7.5)
    sheet.set_x(sheet.w - sheet.r_margin - qr_size - 20)
    sheet.cell(qr_size + 20, 3.5, t("Scan to verify"), align="R")
    sheet.ln(5)
    if doc.amendment is not None:
        a = doc.amendment
        sheet.boxed(
            t("This version replaces version {v} from {day} (EIPA s.10(1)): {reason}").format(
                v=a.previous_version, day=a.effective_date.isoformat(), reason=a.reason
            ),
            9.5,
        )

    sheet.section(t("Parties"))
    rows = [
        (t("Permit holder (exporter)"), _party(doc.holder, doc.countries)),
        (t("Consignee"), _party(doc.consignee, doc.countries)),
        (t("End user"), _party(doc.end_user, doc.countries) if doc.end_user else t("not named")),
    ]
    sheet.facts(rows)

    sheet.section(t("Goods licensed"))
    sheet.ruled_table(
        [t("Line"), t("Item"), t("Description"), t("Quantity"), t("Unit value"), t("Total value")],
        [
            (
                str(line.line_no),
                line.item_code,
                line.description,
                f"{line.quantity:,} {line.unit}",
                f"{line.unit_value:,.2f} {line.currency}",
                f"{line.unit_value * line.quantity:,.2f} {line.currency}",
            )
            for line in p.lines
        ],
        (9, 11, 44, 16, 20, 22),
    )
    if doc.item_titles:
        sheet.paragraph(t("Export Control List items:"), 8.5, "B")
        for code in p.item_codes:
            sheet.paragraph(f"{code}  {doc.item_titles.get(code, '')}", 8.5)

    sheet.section(t("Conditions"))
    sheet.paragraph(p.conditions or t("None beyond those of the Act and the Regulations."))

    sheet.section(t("Authority and verification"))
    sheet.facts(
        [
            (t("Legal basis"), t("EIPA s.7(1); Export Permits Regulations (SOR/97-204)")),
            (t("Application"), doc.application_reference),
            (t("Issued by"), doc.issued_by),
            (t("Verification code"), doc.verification_code),
            (t("Verify at"), url),
        ]
    )
    sheet.paragraph(
        t(
            "This permit must be presented at export (EPR s.5-6). The Minister may amend, suspend, "
            "cancel or reinstate it (EIPA s.10(1)): its standing on any day is shown at the address "
            "above, which confirms only the number, version, state and dates printed here."
        ),
        8.5,
    )
    return sheet.output_bytes()
