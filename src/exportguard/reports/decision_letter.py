"""The letter telling an applicant the Minister's decision on an application: approval (with the
permits issued on it), or denial with its reasons (EIPA s.7.3, s.7.4), as a printable PDF."""

from __future__ import annotations

from exportguard.reports.pdf import Sheet, Translate
from exportguard.services.applications.letters import DecisionLetter


def _same(text: str) -> str:
    return text


def reason_texts(t: Translate) -> dict[str, str]:
    """Each recorded denial reason as the letter states it, with its source."""
    risk = t("a substantial risk that the goods would")
    use = t("be used to commit or facilitate")
    return {
        "peace_and_security": f"{risk} {t('undermine peace and security')} (EIPA s.7.3(1)(a))",
        "ihl": f"{risk} {use} {t('a serious violation of international humanitarian law')}"
        " (EIPA s.7.3(1)(b)(i))",
        "ihrl": f"{risk} {use} {t('a serious violation of international human rights law')}"
        " (EIPA s.7.3(1)(b)(ii))",
        "terrorism": f"{risk} {use} {t('an act of terrorism')} (EIPA s.7.3(1)(b)(iii))",
        "organized_crime": f"{risk} {use} {t('transnational organized crime')} (EIPA s.7.3(1)(b)(iv))",
        "gender_based_violence": f"{risk} {use} "
        + t("serious acts of gender-based violence or serious acts of violence against women and children")
        + " (EIPA s.7.3(1)(b)(v))",
        "diversion": t("a risk that the goods would be diverted to an unauthorised end user or end use"),
        "sanctions": t("a party to the export is subject to sanctions"),
        "security": t("the security of Canada or of its allies"),
        "destination_policy": t("the destination policy in force on the date of the decision"),
    }


def render_decision_letter(letter: DecisionLetter, t: Translate = _same) -> bytes:
    app, d = letter.application, letter.decision
    approved = d.outcome == "approve"
    ref = f"{app.reference}/v{app.version}"
    title = (t("Approval of application {ref}") if approved else t("Denial of application {ref}")).format(
        ref=ref
    )
    sheet = Sheet(
        title, t("Decision on application {ref}, {day}").format(ref=ref, day=d.decided_on.isoformat()), t
    )
    a = letter.applicant
    address = ", ".join(x for x in (a.address, a.city, letter.countries.get(a.country, a.country)) if x)
    sheet.paragraph(d.decided_on.isoformat())
    sheet.paragraph(f"{a.name}\n{address}")
    sheet.ln(2)
    sheet.heading(title, 14)
    destination = letter.countries.get(app.destination, app.destination)
    if approved:
        sheet.boxed(t("The application is approved."))
        sheet.paragraph(
            t(
                "Your application {ref} to export the goods listed below to {destination} is approved "
                "under the Export and Import Permits Act. The permit is the authority to export; "
                "this letter is not."
            ).format(ref=ref, destination=destination)
        )
    else:
        sheet.boxed(t("The application is denied."))
        sheet.paragraph(
            t(
                "Your application {ref} to export the goods listed below to {destination} is denied. "
                "No permit will be issued on it. The reasons are:"
            ).format(ref=ref, destination=destination)
        )
        texts = reason_texts(t)
        for r in d.reasons:
            sheet.paragraph("• " + texts.get(r, r.replace("_", " ")))
    sheet.section(t("Reasons given by the decision-maker"))
    sheet.paragraph(d.justification)
    if d.policy_exception:
        sheet.section(t("Exception to a destination measure"))
        sheet.facts([(k.replace("_", " "), str(v)) for k, v in d.policy_exception.items()])
    sheet.section(t("Goods applied for"))
    sheet.ruled_table(
        [t("Line"), t("Item"), t("Description"), t("Quantity"), t("Total value")],
        [
            (
                str(x.line_no),
                x.item_code,
                x.description,
                f"{x.quantity:,} {x.unit}",
                f"{x.total_value:,.2f} {x.currency}",
            )
            for x in app.lines
        ],
        (9, 11, 50, 16, 22),
    )
    sheet.section(t("Decision"))
    rows = [
        (t("Decided on"), d.decided_on.isoformat()),
        (t("Decided by"), f"{d.decided_by} ({t(d.decided_by_role)})"),
        (t("Legal basis"), d.legal_basis),
    ]
    if approved:
        rows.append((t("Permits issued"), ", ".join(letter.permits) or t("none yet")))
    sheet.facts(rows)
    if not approved:
        sheet.paragraph(
            t(
                "You may apply again with new information. You may also ask the Federal Court to review "
                "this decision (Federal Courts Act, s.18.1) within 30 days of receiving it."
            ),
            8.5,
        )
    return sheet.output_bytes()
