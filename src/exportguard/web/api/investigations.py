"""Allegations (the public's form needs no account) and investigations: named commands only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Response, UploadFile, status

from exportguard.domain.evidence import MAX_FILE_BYTES
from exportguard.domain.investigations import AllegationState
from exportguard.services.investigations import actions, allegations, assurances, commands, evidence, views
from exportguard.services.permits.bulk_actions import BulkResult
from exportguard.services.permits.bulk_scope import Preview
from exportguard.web.api.use_case import run
from exportguard.web.auth import ApiActor, System
from exportguard.web.params import RecordIdPath
from exportguard.web.rate_limits import rate_limited
from exportguard.web.request_limits import KIB, PUBLIC

router = APIRouter(tags=["allegations and investigations"])


# The public's allegation form (API and page alike): a few a day per client is plenty for a person.
ALLEGATION_RATE = "5/hour"
allegation_rate = rate_limited("allegations", ALLEGATION_RATE)
# An evidence file and the form around it.
EVIDENCE_BODY_LIMIT = MAX_FILE_BYTES + 64 * KIB


@router.post(
    "/public/allegations",
    response_model=allegations.AllegationReceipt,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(allegation_rate)],
    openapi_extra=PUBLIC,
    max_body_size=64 * KIB,
)
def submit_allegation(
    system: System, actor: ApiActor, body: allegations.AllegationInput
) -> allegations.AllegationReceipt:
    """File an allegation without an account: rate-limited per client; only the receipt comes back."""
    return run(system, actor, allegations.submit_allegation, body)


@router.post("/allegations", response_model=allegations.AllegationView, status_code=status.HTTP_201_CREATED)
def record_allegation(
    system: System, actor: ApiActor, body: allegations.RecordedAllegationInput
) -> allegations.AllegationView:
    return run(system, actor, allegations.record_allegation, body)


@router.get("/allegations", response_model=list[allegations.AllegationView])
def list_allegations(
    system: System, actor: ApiActor, state: AllegationState | None = None
) -> list[allegations.AllegationView]:
    with system.read() as session:
        return allegations.list_allegations(session, actor, state)


@router.get("/allegations/{ref}", response_model=allegations.AllegationView)
def get_allegation(system: System, actor: ApiActor, ref: str) -> allegations.AllegationView:
    with system.read() as session:
        return allegations.get_allegation(session, actor, ref)


@router.post("/allegations/{ref}/dismiss", response_model=allegations.AllegationView)
def dismiss(
    system: System, actor: ApiActor, ref: str, body: allegations.DismissInput
) -> allegations.AllegationView:
    """Triage: no investigation, for the reason given."""
    return run(system, actor, allegations.dismiss, ref, body)


@router.post(
    "/allegations/{ref}/open-investigation",
    response_model=views.InvestigationView,
    status_code=status.HTTP_201_CREATED,
)
def open_investigation(
    system: System, actor: ApiActor, ref: str, body: allegations.OpenInput, response: Response
) -> views.InvestigationView:
    """Triage: open an investigation on the allegation (or join an open one with ``join``)."""
    inv = run(system, actor, commands.open_investigation, ref, body)
    response.headers["Location"] = f"/api/investigations/{inv.reference}"
    with system.read() as session:
        return views.get_investigation(session, actor, inv.reference)


@router.get("/investigations", response_model=list[views.InvestigationSummary])
def list_investigations(system: System, actor: ApiActor) -> list[views.InvestigationSummary]:
    with system.read() as session:
        return views.list_investigations(session, actor)


@router.get("/investigations/{ref}", response_model=views.InvestigationView)
def get_investigation(system: System, actor: ApiActor, ref: str) -> views.InvestigationView:
    """The investigation with its whole story in date order (``timeline``)."""
    with system.read() as session:
        return views.get_investigation(session, actor, ref)


def _then_view(system: System, actor: ApiActor, ref: str) -> views.InvestigationView:
    with system.read() as session:
        return views.get_investigation(session, actor, ref)


@router.post("/investigations/{ref}/assign", response_model=views.InvestigationView)
def assign(system: System, actor: ApiActor, ref: str, body: commands.AssignInput) -> views.InvestigationView:
    run(system, actor, commands.assign, ref, body)
    return _then_view(system, actor, ref)


@router.post("/investigations/{ref}/questions", response_model=views.InvestigationView)
def ask_question(
    system: System, actor: ApiActor, ref: str, body: commands.QuestionInput
) -> views.InvestigationView:
    run(system, actor, commands.ask_question, ref, body)
    return _then_view(system, actor, ref)


@router.post("/investigations/{ref}/questions/{number}/finding", response_model=views.InvestigationView)
def record_finding(
    system: System, actor: ApiActor, ref: str, number: int, body: commands.FindingInput
) -> views.InvestigationView:
    """Yes, no or insufficient evidence, with the rationale."""
    run(system, actor, commands.record_finding, ref, number, body)
    return _then_view(system, actor, ref)


@router.post("/investigations/{ref}/consultations", response_model=views.InvestigationView)
def consult(
    system: System, actor: ApiActor, ref: str, body: commands.ConsultInput
) -> views.InvestigationView:
    """A request to another department or to a foreign government."""
    run(system, actor, commands.consult, ref, body)
    return _then_view(system, actor, ref)


@router.post(
    "/investigations/{ref}/consultations/{consultation_id}/response", response_model=views.InvestigationView
)
def record_response(
    system: System, actor: ApiActor, ref: str, consultation_id: RecordIdPath, body: commands.ResponseInput
) -> views.InvestigationView:
    """The answer, or the refusal to answer."""
    run(system, actor, commands.record_response, ref, consultation_id, body)
    return _then_view(system, actor, ref)


@router.post("/investigations/{ref}/assurance-breaches", response_model=assurances.AssuranceView)
def find_breached(
    system: System, actor: ApiActor, ref: str, body: assurances.BreachInput
) -> assurances.AssuranceView:
    """A finding that an end-use assurance was breached: raises the diversion flags."""
    return run(system, actor, assurances.find_breached, ref, body)


@router.post(
    "/investigations/{ref}/actions", response_model=actions.ActionView, status_code=status.HTTP_201_CREATED
)
def recommend(system: System, actor: ApiActor, ref: str, body: actions.RecommendInput) -> actions.ActionView:
    """Recommend a ministerial act (suspend, cancel, reinstate) on exactly the permits named."""
    return run(system, actor, actions.recommend, ref, body)


@router.post("/investigations/{ref}/actions/{action_id}/preview", response_model=Preview)
def preview_action(
    system: System, actor: ApiActor, ref: str, action_id: RecordIdPath, body: actions.ExecuteInput
) -> Preview:
    with system.read() as session:
        return actions.preview(session, actor, ref, action_id, data=body, today=system.clock.today())


@router.post("/investigations/{ref}/actions/{action_id}/execute", response_model=BulkResult)
def execute_action(
    system: System, actor: ApiActor, ref: str, action_id: RecordIdPath, body: actions.ExecuteInput
) -> BulkResult:
    """The Minister executes the recommended act (EIPA s.10(1)) through the bulk-act machinery."""
    return run(system, actor, actions.execute, ref, action_id, body)


@router.post("/investigations/{ref}/actions/{action_id}/withdraw", response_model=actions.ActionView)
def withdraw_action(
    system: System, actor: ApiActor, ref: str, action_id: RecordIdPath, body: actions.WithdrawInput
) -> actions.ActionView:
    return run(system, actor, actions.withdraw, ref, action_id, body)


@router.post("/investigations/{ref}/close", response_model=views.InvestigationView)
def close(system: System, actor: ApiActor, ref: str, body: commands.CloseInput) -> views.InvestigationView:
    run(system, actor, commands.close, ref, body)
    return _then_view(system, actor, ref)


@router.get("/reports/allegations-to-acts", response_model=list[views.AllegationToAct])
def allegations_to_acts(system: System, actor: ApiActor) -> list[views.AllegationToAct]:
    """Which allegations led to which ministerial acts."""
    with system.read() as session:
        return views.acts_from_allegations(session, actor)


# --- Evidence ---------------------------------------------------------------------------------------


def _read_upload(file: UploadFile) -> bytes:
    # One byte past the limit is enough to refuse: an oversized file is never read whole.
    return file.file.read(MAX_FILE_BYTES + 1)


def _add_file(
    system: System,
    actor: ApiActor,
    record: evidence.RecordKind,
    ref: str,
    *,
    file: UploadFile,
    description: str,
) -> evidence.EvidenceView:
    content = _read_upload(file)
    return run(
        system, actor, evidence.add_file, record, ref, file.filename or "", content, description=description
    )


UploadedFile = Annotated[
    UploadFile, File(description="At most 10 MiB: PDF, PNG, JPEG, GIF, WebP or plain text")
]


@router.post(
    "/allegations/{ref}/evidence",
    response_model=evidence.EvidenceView,
    status_code=status.HTTP_201_CREATED,
    max_body_size=EVIDENCE_BODY_LIMIT,
)
def add_allegation_evidence(
    system: System, actor: ApiActor, ref: str, file: UploadedFile, description: Annotated[str, Form()] = ""
) -> evidence.EvidenceView:
    """Attach a file to an allegation; the same bytes sent twice are recognised and held once."""
    return _add_file(system, actor, "allegation", ref, file=file, description=description)


@router.post(
    "/investigations/{ref}/evidence",
    response_model=evidence.EvidenceView,
    status_code=status.HTTP_201_CREATED,
)
def add_investigation_evidence(
    system: System, actor: ApiActor, ref: str, file: UploadedFile, description: Annotated[str, Form()] = ""
) -> evidence.EvidenceView:
    """Attach a file to an investigation; the same bytes sent twice are recognised and held once."""
    return _add_file(system, actor, "investigation", ref, file=file, description=description)


@router.post(
    "/investigations/{ref}/evidence-links",
    response_model=evidence.EvidenceView,
    status_code=status.HTTP_201_CREATED,
)
def add_evidence_link(
    system: System, actor: ApiActor, ref: str, body: evidence.LinkInput
) -> evidence.EvidenceView:
    return run(system, actor, evidence.add_link, "investigation", ref, body)


@router.get("/evidence/{evidence_id}/custody", response_model=list[evidence.CustodyView])
def custody(system: System, actor: ApiActor, evidence_id: RecordIdPath) -> list[evidence.CustodyView]:
    """The chain of custody: received, attached, downloaded, verified; by whom and when."""
    with system.read() as session:
        return evidence.custody(session, actor, evidence_id)


@router.get("/evidence/{evidence_id}/download")
def download(system: System, actor: ApiActor, evidence_id: RecordIdPath) -> Response:
    """The file as an attachment, never rendered in the browser (and logged in the custody chain)."""
    _view, content, name = run(system, actor, evidence.download, evidence_id)
    return Response(content, media_type="application/octet-stream", headers=attachment_headers(name))


@router.post("/evidence/{evidence_id}/verify")
def verify(system: System, actor: ApiActor, evidence_id: RecordIdPath) -> dict[str, object]:
    """Recompute the SHA-256 of what is held and compare it with the one taken on receipt."""
    return run(system, actor, evidence.verify, evidence_id)


def attachment_headers(name: str) -> dict[str, str]:
    return {
        "Content-Disposition": f'attachment; filename="{name}"',
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "X-Content-Type-Options": "nosniff",
    }
