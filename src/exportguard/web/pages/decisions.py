"""The forms that carry a case to its end: the officer's assessment (EIPA s.7.3 considerations, s.7.4
mitigation, recommendation), a department's advice, the director's or minister's decision (approve,
approve as an exception naming the ground, deny with reasons), and the issue of the permit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from exportguard.domain.access import Action, Actor, require
from exportguard.domain.assessment import Advice, Consideration, DenialReason, Recommendation, Risk
from exportguard.domain.errors import DomainError, InvalidInput
from exportguard.i18n import gettext as _
from exportguard.services.applications import assessments
from exportguard.services.permits import commands as permits
from exportguard.services.system import ExportGuard
from exportguard.web.api.use_case import run
from exportguard.web.auth import PageActor, System
from exportguard.web.pages.applications import case_facts
from exportguard.web.pages.forms import PostedForm, problems_of, read_form
from exportguard.web.pages.rendering import form_page
from exportguard.web.params import RecordIdPath

router = APIRouter()
# Each form and what the reader must be allowed to do to see it (the service checks again on sending).
FORMS = {
    "assess": Action.ASSESS_APPLICATION,
    "advice": Action.GIVE_ADVICE,
    "decide": Action.DECIDE_APPLICATION,
    "issue": Action.ISSUE_PERMIT,
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def assessment_body(f: dict[str, str]) -> dict[str, Any]:
    return {
        "findings": [
            {
                "consideration": c.value,
                "risk": f.get(f"findings.{n}.risk", ""),
                "residual_risk": f.get(f"findings.{n}.residual_risk") or None,
                "rationale": f.get(f"findings.{n}.rationale", ""),
            }
            for n, c in enumerate(Consideration)
        ],
        "mitigating_measures": _lines(f.get("mitigating_measures", "")),
        "diversion_risk": f.get("diversion_risk") or None,
        "diversion_rationale": f.get("diversion_rationale", ""),
        "recommendation": f.get("recommendation") or None,
        "recommendation_rationale": f.get("recommendation_rationale", ""),
    }


def decision_body(f: dict[str, str]) -> tuple[str, BaseModel]:
    outcome = f.get("outcome", "")
    if outcome == "deny":
        reasons = [r.value for r in DenialReason if f.get(f"reason_{r.value}")]
        return outcome, assessments.DenialInput.model_validate(
            {"reasons": reasons, "justification": f.get("justification", "")}
        )
    if outcome not in ("approve", "approve_exception"):
        raise InvalidInput.of("outcome", _("Choose one of the options."))
    exception = None
    if outcome == "approve_exception":
        measure, _sep, ground = f.get("exception", "").partition("|")
        if not ground:
            raise InvalidInput.of("exception", _("Choose the ground of the exception."))
        exception = {"measure": measure, "ground": ground, "justification": f.get("justification", "")}
    return outcome, assessments.ApprovalInput.model_validate(
        {"justification": f.get("justification", ""), "policy_exception": exception}
    )


def issue_body(f: dict[str, str]) -> permits.IssueInput:
    """Each application line's quantity; a line's number rides in a hidden field beside it."""
    rows = sorted({int(k.split(".")[1]) for k in f if k.startswith("lines.") and k.split(".")[1].isdigit()})
    return permits.IssueInput.model_validate(
        {
            "valid_from": f.get("valid_from") or None,
            "valid_to": f.get("valid_to") or None,
            "conditions": f.get("conditions", ""),
            "lines": [
                {
                    "application_line_no": f.get(f"lines.{i}.line_no", ""),
                    "quantity": f.get(f"lines.{i}.quantity", ""),
                }
                for i in rows
            ],
        }
    )


def _prefill(facts: dict[str, Any], form: str) -> dict[str, str]:
    app, assessment = facts["app"], facts["assessment"]
    if form == "assess":
        found = {x.consideration: x for x in assessment.findings}
        out = {
            "mitigating_measures": "\n".join(assessment.mitigating_measures),
            "diversion_risk": assessment.diversion_risk or "",
            "diversion_rationale": assessment.diversion_rationale,
            "recommendation": assessment.recommendation or "",
            "recommendation_rationale": assessment.recommendation_rationale,
        }
        for n, c in enumerate(Consideration):
            if c.value in found:
                x = found[c.value]
                out |= {
                    f"findings.{n}.risk": x.risk,
                    f"findings.{n}.residual_risk": x.residual_risk,
                    f"findings.{n}.rationale": x.rationale,
                }
        return out
    if form == "issue":
        out = {
            "valid_from": str(app.requested_valid_from or ""),
            "valid_to": str(app.requested_valid_to or ""),
        }
        for i, ln in enumerate(app.lines):
            out |= {f"lines.{i}.line_no": str(ln.line_no), f"lines.{i}.quantity": str(ln.quantity)}
        return out
    if form == "advice":
        asked = facts["case"].advice_requests
        return {"department": asked[-1].department if asked else ""}
    return {}


def _form(
    request: Request, system: ExportGuard, actor: Actor, application_id: RecordIdPath, form: str, **kw: Any
) -> Response:
    facts = case_facts(system, actor, application_id)
    chosen = kw.pop("chosen", None) or _prefill(facts, form)
    return form_page(
        request,
        f"case_{form}.html",
        actor,
        kw.pop("problems", []),
        chosen=chosen,
        considerations=list(Consideration),
        risks=list(Risk),
        advices=list(Advice),
        recommendations=list(Recommendation),
        denial_reasons=list(DenialReason),
        **facts,
    )


@router.get("/applications/{application_id}/{form}")
def show(
    request: Request, system: System, actor: PageActor, application_id: RecordIdPath, form: str
) -> Response:
    if form not in FORMS:
        return RedirectResponse(f"/applications/{application_id}", status_code=303)
    require(actor, FORMS[form])
    return _form(request, system, actor, application_id, form)


@router.post("/applications/{application_id}/{form}")
def send(
    request: Request,
    system: System,
    actor: PageActor,
    *,
    posted: PostedForm,
    application_id: RecordIdPath,
    form: str,
) -> Response:
    f, _files = read_form(posted)
    if form not in FORMS:
        return RedirectResponse(f"/applications/{application_id}", status_code=303)
    try:
        command = _command(system, form, application_id, f)
        command(actor)
    except (ValidationError, DomainError) as exc:
        return _form(request, system, actor, application_id, form, problems=problems_of(exc), chosen=f)
    return RedirectResponse(f"/applications/{application_id}", status_code=303)


def _command(
    system: ExportGuard, form: str, application_id: RecordIdPath, f: dict[str, str]
) -> Callable[[Actor], object]:
    """The named service command a form's fields call for (validated before anything is written)."""
    if form == "assess":
        data = assessments.AssessmentInput.model_validate(assessment_body(f))
        return lambda actor: run(system, actor, assessments.record_assessment, application_id, data)
    if form == "advice":
        advice = assessments.AdviceInput.model_validate(
            {
                "department": f.get("department", ""),
                "advice": f.get("advice", ""),
                "conditions": _lines(f.get("conditions", "")),
                "rationale": f.get("rationale", ""),
            }
        )
        return lambda actor: run(system, actor, assessments.give_advice, application_id, advice)
    if form == "decide":
        outcome, decision = decision_body(f)
        if outcome == "deny":
            assert isinstance(decision, assessments.DenialInput)
            return lambda actor: run(system, actor, assessments.deny_application, application_id, decision)
        assert isinstance(decision, assessments.ApprovalInput)
        return lambda actor: run(system, actor, assessments.approve_application, application_id, decision)
    issue = issue_body(f)
    return lambda actor: run(system, actor, permits.issue_permit, application_id, issue)
