"""General Export Permit No. 41 (SOR/2015-200): registrations (notice of first use in a year),
semi-annual reports with their due dates (overdue in red), and the forms to register and to report
(PERMISSIONS[RECORD_SHIPMENT]; exporters for their own organisation). Also the notices outbox:
what holders were told of acts on their permits, and whether it reached them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from exportguard.db.models.notices import NOTICE_STATUSES
from exportguard.domain.access import Action, Actor, may, require
from exportguard.domain.errors import DomainError, Problem
from exportguard.domain.general_permits import REPORT_DUE_DAYS
from exportguard.services.parties import registry as parties
from exportguard.services.permits import notices
from exportguard.services.policy import general_permits
from exportguard.services.policy.general_permit_records import on_record
from exportguard.services.system import ExportGuard
from exportguard.web.api.use_case import run
from exportguard.web.auth import PageActor, System
from exportguard.web.pages.forms import PostedForm
from exportguard.web.pages.rendering import page, problems_by_field, refusal

router = APIRouter()
LINE_FIELDS = ("consignee", "item_code", "destination", "quantity", "value")
REPORT_ROWS = 3


def _render(
    request: Request,
    system: ExportGuard,
    actor: Actor,
    *,
    status: int = 200,
    problems: list[Problem] | None = None,
    **context: Any,
) -> Response:
    problems = problems or []
    today = system.clock.today()
    with system.read() as session:
        registrations, reports = on_record(session, actor)
        due = general_permits.reports_due(session, actor, today)
        exporters = [
            p
            for p in parties.list_parties(session, actor)
            if p.kind == "organisation" and actor.sees(p.id) and p.country == "CA"
        ]
    names = {p.id: p.name for p in exporters}
    return page(
        request,
        "general_permit.html",
        actor,
        status_code=status if problems else 200,
        gep=general_permits.gep41(),
        due_days=REPORT_DUE_DAYS,
        registrations=registrations,
        reports=reports,
        due=due,
        names=names,
        exporters=exporters,
        today=today,
        rows=REPORT_ROWS,
        may_record=may(actor.role, Action.RECORD_SHIPMENT),
        problems=problems,
        errors=problems_by_field(problems),
        form=context.pop("form", {}),
        **context,
    )


@router.get("/general-permits/41")
def gep41_page(request: Request, system: System, actor: PageActor, done: str = "") -> Response:
    return _render(request, system, actor, done=done)


@router.post("/general-permits/41/registrations")
def register(request: Request, system: System, actor: PageActor, posted: PostedForm) -> Response:
    require(actor, Action.RECORD_SHIPMENT)
    form = {k: str(v).strip() for k, v in posted.items() if isinstance(v, str)}
    try:
        data = general_permits.RegistrationInput.model_validate(
            {k: form.get(k) or None for k in ("exporter_id", "notified_on")}
        )
        run(system, actor, general_permits.register_use, data)
    except (ValidationError, DomainError) as exc:
        status, problems = refusal(exc)
        return _render(request, system, actor, status=status, problems=problems, form=form)
    return RedirectResponse("/general-permits/41?done=registered", status_code=303)


@router.post("/general-permits/41/reports")
def report(request: Request, system: System, actor: PageActor, posted: PostedForm) -> Response:
    require(actor, Action.RECORD_SHIPMENT)
    raw = posted
    form: dict[str, Any] = {
        k: str(raw.get(k) or "").strip() for k in ("exporter_id", "period_end", "filed_on")
    }
    columns = [[str(v).strip() for v in raw.getlist(k)] for k in LINE_FIELDS]
    rows = [dict(zip(LINE_FIELDS, cells, strict=True)) for cells in zip(*columns, strict=False)]
    form["lines"] = [r for r in rows if any(r.values())]
    try:
        data = general_permits.ReportInput.model_validate(
            {k: v or None for k, v in form.items() if k != "lines"} | {"lines": form["lines"]}
        )
        run(system, actor, general_permits.file_report, data)
    except (ValidationError, DomainError) as exc:
        status, problems = refusal(exc)
        return _render(request, system, actor, status=status, problems=problems, form=form)
    return RedirectResponse("/general-permits/41?done=reported", status_code=303)


@router.get("/notices")
def notices_page(request: Request, system: System, actor: PageActor, status: str = "") -> Response:
    chosen = status if status in NOTICE_STATUSES else ""
    with system.read() as session:
        found = list(reversed(notices.list_notices(session, actor, chosen or None)))
        names = {p.id: p.name for p in parties.list_parties(session, actor)}
    return page(
        request, "notices.html", actor, notices=found, names=names, statuses=NOTICE_STATUSES, chosen=chosen
    )
