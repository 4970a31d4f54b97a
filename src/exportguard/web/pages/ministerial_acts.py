"""A ministerial act in bulk (EIPA s.10(1)): choose the act and its scope, read the preview (the
exact permits, holders, undelivered quantities and values, pending shipments), then confirm it
with reason, legal basis, effective date and decision reference. Only the director and the minister
may (PERMISSIONS[ALTER_PERMIT]); the services check, the page only hides what they would refuse.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from exportguard.domain.access import Action, Actor, require
from exportguard.domain.bulk_actions import EIPA_10_1, BulkCommand
from exportguard.domain.errors import DomainError, InvalidInput, Problem
from exportguard.services.parties import registry as parties
from exportguard.services.permits import bulk_actions
from exportguard.services.permits.bulk_scope import saved_scopes
from exportguard.services.system import ExportGuard
from exportguard.web.api.use_case import run
from exportguard.web.auth import PageActor, System
from exportguard.web.errors import validation_problems
from exportguard.web.pages.forms import PostedForm
from exportguard.web.pages.rendering import page, problems_by_field

router = APIRouter()
SCOPE_FIELDS = (
    "destination", "consignee_id", "end_user_id", "holder_id", "item_code", "item_group", "product_id",
    "issued_from", "issued_to",
)  # fmt: skip
ACT_FIELDS = ("command", "scope_name", "effective_date", "valid_to")
CONFIRM_FIELDS = ("reason", "legal_basis", "decision_ref")
# The preview shows what the act would do; its reason is asked for only when confirming.
PREVIEW_REASON = "preview"


def act_input(chosen: dict[str, str], **confirm: str) -> bulk_actions.BulkActInput:
    scope = {k: v for k, v in chosen.items() if k in SCOPE_FIELDS}
    body: dict[str, Any] = {k: v for k, v in chosen.items() if k in ACT_FIELDS}
    body["scope"] = scope or None
    body.update({"reason": PREVIEW_REASON, **{k: v for k, v in confirm.items() if v.strip()}})
    return bulk_actions.BulkActInput.model_validate(body)


def _render(
    request: Request,
    system: ExportGuard,
    actor: Actor,
    chosen: dict[str, str],
    *,
    status_code: int = 200,
    problems: list[Problem] | None = None,
    **context: object,
) -> Response:
    problems = list(problems or [])
    found = None
    with system.read() as session:
        require(actor, Action.ALTER_PERMIT)
        if "command" in chosen:
            try:
                found = bulk_actions.preview_act(session, actor, act_input(chosen), system.clock.today())
            except ValidationError as exc:
                problems.extend(validation_problems(exc.errors()))
            except DomainError as exc:
                if exc.status in (401, 403, 404):
                    raise
                problems.extend(exc.problems or [Problem("scope", str(exc))])
        organisations = [p for p in parties.list_parties(session, actor) if p.kind == "organisation"]
        scopes = saved_scopes(session, actor)
    return page(
        request,
        "ministerial_act.html",
        actor,
        status_code=status_code if status_code != 200 else (422 if problems else 200),
        chosen=chosen,
        preview=found,
        organisations=organisations,
        scopes=scopes,
        commands=[c.value for c in BulkCommand],
        today=system.clock.today(),
        legal_basis=EIPA_10_1,
        errors=problems_by_field(problems),
        problems=problems,
        **context,
    )


@router.get("/ministerial-acts")
def act_page(request: Request, system: System, actor: PageActor) -> Response:
    names = (*ACT_FIELDS, *SCOPE_FIELDS)
    chosen = {k: v.strip() for k in names if (v := request.query_params.get(k, "")).strip()}
    return _render(request, system, actor, chosen)


@router.post("/ministerial-acts")
def confirm_act(request: Request, system: System, actor: PageActor, posted: PostedForm) -> Response:
    form = posted
    fields = {k: str(v).strip() for k, v in form.items() if isinstance(v, str) and str(v).strip()}
    chosen = {k: v for k, v in fields.items() if k in (*ACT_FIELDS, *SCOPE_FIELDS)}
    confirm = {k: fields.get(k, "") for k in CONFIRM_FIELDS}
    try:
        if not confirm["reason"]:
            raise InvalidInput.of("reason", "give the reason for the act: it is sent to every holder")
        data = act_input(chosen, **confirm)
        result = run(system, actor, bulk_actions.execute, data)
    except ValidationError as exc:
        problems = validation_problems(exc.errors())
        return _render(request, system, actor, chosen, status_code=422, problems=problems, confirm=confirm)
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        return _render(
            request, system, actor, chosen, status_code=exc.status, problems=exc.problems, confirm=confirm
        )
    # Post/Redirect/Get: a reload does not send the act again (and a repeat returns the first result).
    return RedirectResponse(f"/ministerial-acts/{result.decision_ref}", status_code=303)


@router.get("/ministerial-acts/{reference:path}")
def decision_page(request: Request, system: System, actor: PageActor, reference: str) -> Response:
    with system.read() as session:
        decision = bulk_actions.get_decision(session, actor, reference)
    return page(request, "ministerial_decision.html", actor, decision=decision)
