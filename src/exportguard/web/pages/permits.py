"""The permit register (filters: destination, status, as-of date, item, holder) and permit pages."""

from __future__ import annotations

from datetime import date
from typing import Any, get_args

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from exportguard.domain.access import Action, may, require
from exportguard.domain.assurances import CheckResult
from exportguard.domain.errors import DomainError, InvalidInput, Problem
from exportguard.domain.verification import code_of
from exportguard.services.border import usage
from exportguard.services.investigations import assurances, verification
from exportguard.services.lobbying import links as lobbying
from exportguard.services.parties import registry as parties
from exportguard.services.permits import queries as permit_queries
from exportguard.services.permits.act_preview import acts_open
from exportguard.services.permits.documents import issue_event_hash
from exportguard.services.permits.queries import PermitFilter, Status
from exportguard.web.api.use_case import run
from exportguard.web.auth import PageActor, System
from exportguard.web.errors import validation_problems
from exportguard.web.pages.forms import PostedForm
from exportguard.web.pages.rendering import page, problems_by_field

router = APIRouter()
FILTERS = ("destination", "status", "as_of", "item_code", "holder_id")


@router.get("/permits")
def register(request: Request, system: System, actor: PageActor) -> Response:
    # An empty box in the form means "any": drop it rather than reject it.
    chosen = {k: v.strip() for k in FILTERS if (v := request.query_params.get(k, "")).strip()}
    problems: list[Problem] = []
    try:
        f = PermitFilter.model_validate(chosen)
    except ValidationError as exc:
        problems = validation_problems(exc.errors())
        f = PermitFilter()
    today = system.clock.today()
    with system.read() as session:
        rows = [] if problems else permit_queries.list_permits(session, actor, f, today)
        holders = [
            p for p in parties.list_parties(session, actor) if p.kind == "organisation" and actor.sees(p.id)
        ]
    return page(
        request,
        "permits.html",
        actor,
        status_code=422 if problems else 200,
        rows=rows,
        chosen=chosen,
        as_of=f.as_of or today,
        today=today,
        statuses=get_args(Status),
        holders=holders,
        errors=problems_by_field(problems),
        problems=problems,
    )


@router.get("/permits/{id_or_number}")
def permit_page(
    request: Request, system: System, actor: PageActor, id_or_number: str, as_of: str = ""
) -> Response:
    return _permit_page(request, system, actor, id_or_number, as_of)


def _permit_page(
    request: Request,
    system: System,
    actor: PageActor,
    id_or_number: str,
    as_of: str = "",
    *,
    failed: list[Problem] | None = None,
) -> Response:
    problems: list[Problem] = list(failed or [])
    day: date | None = None
    if as_of.strip():
        try:
            day = date.fromisoformat(as_of.strip())
        except ValueError:
            problems.append(Problem("as_of", f"'{as_of}' is not a date (YYYY-MM-DD)"))
    today = system.clock.today()
    with system.read() as session:
        permit = permit_queries.get_permit(session, actor, id_or_number, as_of=day, today=today)
        versions = permit_queries.list_permits(
            session, actor, PermitFilter(number=permit.number, include_superseded=True), today
        )
        drawn = usage.permit_usage(session, actor, permit.id, as_of=day, today=today)
        code = code_of(issue_event_hash(session, permit.id) or "")
        on_record: dict[str, Any] = {
            "assurances": assurances.visible_assurances(session, actor, permit_id=permit.id),
            "lobbying": lobbying.for_application(session, actor, permit.application_id),
            # Post-shipment verification (ATT Art. 11(2)): internal, as the assurances it verifies.
            "checks": verification.list_checks(session, actor, permit.number)
            if may(actor.role, Action.READ_ASSURANCES)
            else None,
        }
    return page(
        request,
        "permit.html",
        actor,
        status_code=422 if problems else 200,
        permit=permit,
        as_of=day,
        today=today,
        versions=versions,
        usage=drawn,
        problems=problems,
        verification=f"/v/{permit.id}/{code}",
        acts=acts_open(permit.state),
        check_results=list(CheckResult),
        errors=problems_by_field(problems),
        **on_record,
    )


@router.post("/permits/{id_or_number}/verification")
def verification_command(
    request: Request, system: System, actor: PageActor, posted: PostedForm, id_or_number: str
) -> Response:
    """Plan a post-shipment verification check of the permit's goods, or record a check's result."""
    require(actor, Action.VERIFY_END_USE)
    f = {k: str(v).strip() for k, v in posted.items() if isinstance(v, str)}
    try:
        with system.read() as session:
            number = permit_queries.get_permit(
                session, actor, id_or_number, today=system.clock.today()
            ).number
            mine = {c.id for c in verification.list_checks(session, actor, number)}
        if f.get("form") == "result":
            check = int(f["check"]) if f.get("check", "").isdigit() else 0
            if check not in mine:
                raise InvalidInput.of("check", f"not found: no verification check {check} of {number}")
            result = verification.CheckResultInput.model_validate(
                {"result": f.get("result"), "notes": f.get("notes", ""), "on": f.get("on") or None}
            )
            run(system, actor, verification.record_result, check, result)
        else:
            plan = verification.PlanCheckInput.model_validate(
                {
                    "permit": number,
                    "place": f.get("place", ""),
                    "planned_on": f.get("planned_on") or None,
                    "assurance": f.get("assurance") or None,
                }
            )
            run(system, actor, verification.plan_check, plan)
    except ValidationError as exc:
        return _permit_page(request, system, actor, id_or_number, failed=validation_problems(exc.errors()))
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        return _permit_page(
            request, system, actor, id_or_number, failed=exc.problems or [Problem("", str(exc))]
        )
    return RedirectResponse(f"/permits/{id_or_number}#verification", status_code=303)
