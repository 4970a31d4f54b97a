"""An act on one permit from its page (EIPA s.10(1)): suspend, reinstate, cancel or amend, with a
preview of what changes (today, and from the effective date) before it is confirmed with its reason.
Only the director and the minister may (PERMISSIONS[ALTER_PERMIT]); the services decide."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from exportguard.domain.access import Action, Actor, require
from exportguard.domain.errors import DomainError, Problem
from exportguard.domain.permits import PermitCommand
from exportguard.services.kernel.common import Act, Input
from exportguard.services.permits import commands as permits
from exportguard.services.permits import queries as permit_queries
from exportguard.services.permits.act_preview import SINGLE_ACTS, preview_permit_act
from exportguard.services.permits.commands import LEGAL_BASIS
from exportguard.services.permits.views import PermitView
from exportguard.services.system import ExportGuard
from exportguard.web.api.use_case import run
from exportguard.web.auth import PageActor, System
from exportguard.web.errors import validation_problems
from exportguard.web.pages.forms import PostedForm
from exportguard.web.pages.rendering import form_page

router = APIRouter()
FIELDS = ("command", "effective_date", "valid_from", "valid_to", "conditions")
CONFIRM_FIELDS = ("reason", "legal_basis")


class ActRequest(Input):
    """The act as chosen on the form (``conditions`` may be set to empty: kept as typed)."""

    command: PermitCommand
    effective_date: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    conditions: str | None = None


def _chosen(values: dict[str, Any]) -> dict[str, str]:
    return {
        k: str(values[k]).strip()
        for k in FIELDS
        if k in values and (str(values[k]).strip() or k == "conditions")
    }


def _render(
    request: Request,
    system: ExportGuard,
    actor: Actor,
    permit_id: str,
    chosen: dict[str, str],
    *,
    problems: list[Problem] | None = None,
    confirm: dict[str, str] | None = None,
) -> Response:
    problems = list(problems or [])
    found = None
    today = system.clock.today()
    try:
        if "command" not in chosen:
            raise LookupError  # nothing chosen yet: the form alone
        asked = ActRequest.model_validate(chosen)
        with system.read() as session:
            found = preview_permit_act(
                session,
                actor,
                permit_id,
                asked.command,
                today,
                effective_date=asked.effective_date,
                valid_from=asked.valid_from,
                valid_to=asked.valid_to,
                conditions=asked.conditions if asked.command is PermitCommand.AMEND else None,
            )
    except ValidationError as exc:
        problems.extend(validation_problems(exc.errors()))
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        problems.extend(exc.problems or [Problem("command", str(exc))])
    except LookupError:
        pass
    permit: PermitView
    if found is not None:
        permit = found.permit
    else:
        # Without a preview the page still shows the permit (and still checks who may act on it).
        require(actor, Action.ALTER_PERMIT)
        with system.read() as session:
            permit = permit_queries.get_permit(session, actor, permit_id, today=today)
    return form_page(
        request,
        "permit_act.html",
        actor,
        problems,
        preview=found,
        permit=permit,
        chosen=chosen,
        confirm=confirm or {},
        commands=[c.value for c in SINGLE_ACTS],
        legal_basis=LEGAL_BASIS[PermitCommand.SUSPEND],
        today=today,
    )


@router.get("/permits/{permit_id}/act")
def act_page(request: Request, system: System, actor: PageActor, permit_id: str) -> Response:
    return _render(request, system, actor, permit_id, _chosen(dict(request.query_params)))


@router.post("/permits/{permit_id}/act")
def confirm_act(
    request: Request, system: System, actor: PageActor, posted: PostedForm, permit_id: str
) -> Response:
    form = posted
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    chosen = _chosen(values)
    confirm = {k: values.get(k, "").strip() for k in CONFIRM_FIELDS}
    try:
        asked = ActRequest.model_validate(chosen)
        with system.read() as session:
            key = permit_queries.get_permit(session, actor, permit_id).id
        act = {"reason": confirm["reason"], "legal_basis": confirm["legal_basis"] or None}
        if asked.command is PermitCommand.AMEND:
            data = permits.AmendInput.model_validate({**act, **asked.model_dump(exclude={"command"})})
            view = run(system, actor, permits.amend_permit, key, data)
        else:
            plain = Act.model_validate({**act, "effective_date": asked.effective_date})
            view = run(system, actor, permits.alter_permit, key, asked.command, plain)
    except ValidationError as exc:
        return _render(
            request,
            system,
            actor,
            permit_id,
            chosen,
            problems=validation_problems(exc.errors()),
            confirm=confirm,
        )
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        return _render(
            request, system, actor, permit_id, chosen, problems=list(exc.problems), confirm=confirm
        )
    # Post/Redirect/Get: the permit (its new version, for an amendment) with its timeline.
    return RedirectResponse(f"/permits/{view.id}", status_code=303)
