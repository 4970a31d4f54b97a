"""The letter telling an applicant the Minister's decision on an application: approval (with the
permits issued on it), or denial with its reasons (EIPA s.7.3, s.7.4), as a printable PDF."""

from __future__ import annotations

from exportguard import i18n
from exportguard.i18n import _
from exportguard.reports.pdf import Sheet, remembered
from exportguard.services.applications.letters import DecisionLetter


def reason_texts() -> dict[str, str]:
    """Each recorded denial reason as the letter states it, with its source."""
    return {
        "peace_and_security": _(
            "a substantial risk that the goods would undermine peace and security (EIPA s.7.3(1)(a))"
        ),
        "ihl": _(
            "a substantial risk that the goods would be used to commit or facilitate a serious violation "
            "of international humanitarian law (EIPA s.7.3(1)(b)(i))"
        ),
        "ihrl": _(
            "a substantial risk that the goods would be used to commit or facilitate a serious violation "
            "of international human rights law (EIPA s.7.3(1)(b)(ii))"
        ),
        "terrorism": _(
            "a substantial risk that the goods would be used to commit or facilitate an act of terrorism "
            "(EIPA s.7.3(1)(b)(iii))"
        ),
        "organized_crime": _(
            "a substantial risk that the goods would be used to commit or facilitate transnational "
            "organized crime (EIPA s.7.3(1)(b)(iv))"
        ),
        "gender_based_violence": _(
            "a substantial risk that the goods would be used to commit or facilitate serious acts of "
            "gender-based violence or serious acts of violence against women and children "
            "(EIPA s.7.3(1)(b)(v))"
        ),
        "diversion": _("a risk that the goods would be diverted to an unauthorised end user or end use"),
        "sanctions": _("a party to the export is subject to sanctions"),
        "security": _("the security of Canada or of its allies"),
        "destination_policy": _("the destination policy in force on the date of the decision"),
    }


def render_decision_letter(letter: DecisionLetter) -> bytes:
    """The letter's PDF bytes (the same facts: the same bytes)."""
    return remembered(letter.model_dump_json(), lambda: _render(letter))


def _render(letter: DecisionLetter) -> bytes:
    app, d = letter.application, letter.decision
    approved = d.outcome == "approve"
    ref = f"{app.reference}/v{app.version}"
    title = (
        _("Approval of application %(ref)s", ref=ref)
        if approved
        else _("Denial of application %(ref)s", ref=ref)
    )
    sheet = Sheet(title, _("Decision on application %(ref)s, %(day)s", ref=ref, day=d.decided_on.isoformat()))
    a = letter.applicant
    address = ", ".join(x for x in (a.address, a.city, letter.countries.get(a.country, a.country)) if x)
    sheet.paragraph(d.decided_on.isoformat())
    sheet.paragraph(f"{a.name}\n{address}")
    sheet.ln(2)
    sheet.heading(title, 14)
    destination = letter.countries.get(app.destination, app.destination)
    if approved:
        sheet.boxed(_("The application is approved."))
        sheet.paragraph(
            _(
                "Your application %(ref)s to export the goods listed below to %(destination)s is approved "
                "under the Export and Import Permits Act. The permit is the authority to export; "
                "this letter is not.",
                ref=ref,
                destination=destination,
            )
        )
    else:
        sheet.boxed(_("The application is denied."))
        sheet.paragraph(
            _(
                "Your application %(ref)s to export the goods listed below to %(destination)s is denied. "
                "No permit will be issued on it. The reasons are:",
                ref=ref,
                destination=destination,
            )
        )
        texts = reason_texts()
        for r in d.reasons:
            sheet.paragraph("• " + texts.get(r, r.replace("_", " ")))
    sheet.section(_("Reasons given by the decision-maker"))
    sheet.paragraph(d.justification)
    if d.policy_exception:
        sheet.section(_("Exception to a destination measure"))
        sheet.facts([(k.replace("_", " "), str(v)) for k, v in d.policy_exception.items()])
    sheet.section(_("Goods applied for"))
    sheet.ruled_table(
        [_("Line"), _("Item"), _("Description"), _("Quantity"), _("Total value")],
        [
            (
                str(x.line_no),
                x.item_code,
                x.description,
                f"{i18n.format_number(x.quantity, 0)} {x.unit}",
                f"{i18n.format_number(x.total_value)} {x.currency}",
            )
            for x in app.lines
        ],
        (9, 11, 50, 16, 22),
    )
    sheet.section(_("Decision"))
    rows = [
        (_("Decided on"), d.decided_on.isoformat()),
        (_("Decided by"), f"{d.decided_by} ({d.decided_by_role})"),
        (_("Legal basis"), d.legal_basis),
    ]
    if approved:
        rows.append((_("Permits issued"), ", ".join(letter.permits) or _("none yet")))
    sheet.facts(rows)
    if not approved:
        sheet.paragraph(
            _(
                "You may apply again with new information. You may also ask the Federal Court to review "
                "this decision (Federal Courts Act, s.18.1) within 30 days of receiving it."
            ),
            8.5,
        )
    return sheet.output_bytes()
