"""The exporter's portal: applications drafted step by step (a task list: goods, parties, end use,
documents, declarations), each step saved as it is sent, each problem beside its field; submit;
follow the status; permits, usage and notices.

Every step rebuilds the draft's whole content from what is stored plus the step's fields and saves
it through ``edit_draft``: one named command, one audit event, nothing half-written.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from exportguard.domain.access import Actor
from exportguard.domain.applications import DocumentKind, PartyRole
from exportguard.domain.errors import DomainError, InvalidInput, Problem
from exportguard.domain.evidence import MAX_FILE_BYTES
from exportguard.i18n import gettext as _
from exportguard.services.applications import commands, files, queries
from exportguard.services.applications.views import ApplicationView
from exportguard.services.parties import registry
from exportguard.services.permits import notices
from exportguard.services.permits.amendment_requests import request_amendment
from exportguard.services.reference import control_list
from exportguard.services.system import ExportGuard
from exportguard.web.api.use_case import run
from exportguard.web.auth import PageActor, System
from exportguard.web.labels import LABELS
from exportguard.web.pages.forms import PostedForm, problems_of, read_form
from exportguard.web.pages.rendering import form_page, page
from exportguard.web.params import RecordIdPath

router = APIRouter()
SECTIONS = ("goods", "parties", "end-use", "documents", "declarations")
# Where a submission problem's field is put right: the step that holds it.
SECTION_OF = {
    "lines": "goods",
    "parties": "parties",
    "destination": "end-use",
    "end_use": "end-use",
    "end_use_location": "end-use",
    "requested_validity": "end-use",
    "requested_valid_from": "end-use",
    "requested_valid_to": "end-use",
    "documents": "documents",
    "no_diversion_declared": "declarations",
}
LINE_FIELDS = ("product_id", "item_code", "description", "quantity", "unit_value", "us_content_percent")


def section_of(field: str) -> str:
    return SECTION_OF.get(field.split(".", maxsplit=1)[0], "goods")


def status_of(app: ApplicationView) -> dict[str, bool]:
    """Which steps are done (the task list's "Completed")."""
    roles = {p.role for p in app.parties}
    return {
        "goods": bool(app.lines),
        "parties": {PartyRole.CONSIGNEE.value, PartyRole.END_USER.value} <= roles,
        "end-use": bool(app.end_use and app.requested_valid_from and app.requested_valid_to),
        "documents": bool(app.documents),
        "declarations": app.no_diversion_declared,
    }


def content(app: ApplicationView) -> dict[str, Any]:
    """The stored draft as ``ApplicationInput`` fields (what a step starts from)."""
    return {
        "destination": app.destination,
        "end_use": app.end_use,
        "end_use_location": app.end_use_location,
        "parties": [{"role": p.role, "party_id": p.party_id} for p in app.parties],
        "lines": [
            {
                "line_no": ln.line_no,
                **{k: getattr(ln, k) for k in LINE_FIELDS},
                "unit": ln.unit,
                "currency": ln.currency,
                "origin_country": ln.origin_country,
            }
            for ln in app.lines
        ],
        "documents": [d.model_dump() for d in app.documents],
        "no_diversion_declared": app.no_diversion_declared,
        "requested_valid_from": app.requested_valid_from,
        "requested_valid_to": app.requested_valid_to,
        "application_date": app.application_date,
    }


def flat(body: dict[str, Any]) -> dict[str, str]:
    """The draft's content as the steps' form fields (``lines.0.quantity``, ``consignee``, ...)."""
    out = {k: "" if v is None else str(v) for k, v in body.items() if not isinstance(v, list | bool)}
    for n, line in enumerate(body["lines"]):
        out.update({f"lines.{n}.{k}": str(line[k]) for k in LINE_FIELDS})
    out.update({p["role"]: str(p["party_id"]) for p in body["parties"]})
    out["no_diversion_declared"] = "yes" if body["no_diversion_declared"] else ""
    return out


def apply_step(body: dict[str, Any], section: str, f: dict[str, str]) -> dict[str, Any]:
    """The draft's content with one step's fields in place of what it held."""
    if section == "goods":
        rows = sorted(
            {int(k.split(".")[1]) for k in f if k.startswith("lines.") and k.split(".")[1].isdigit()}
        )
        lines: list[dict[str, Any]] = []
        for n in rows:
            row = {k: f.get(f"lines.{n}.{k}", "") for k in LINE_FIELDS}
            if not any(row.values()):
                continue  # the empty row offered for a new line
            lines.append(
                {"line_no": len(lines) + 1, **row, "us_content_percent": row["us_content_percent"] or "0"}
            )
        body["lines"] = lines
    elif section == "parties":
        kept = [
            p for p in body["parties"] if p["role"] in (PartyRole.APPLICANT.value, PartyRole.EXPORTER.value)
        ]
        chosen = [
            {"role": role, "party_id": f[role]}
            for role in (
                PartyRole.CONSIGNEE.value,
                PartyRole.INTERMEDIATE_CONSIGNEE.value,
                PartyRole.END_USER.value,
            )
            if f.get(role)
        ]
        body["parties"] = kept + chosen
    elif section == "end-use":
        for k in ("destination", "end_use", "end_use_location", "requested_valid_from", "requested_valid_to"):
            body[k] = f.get(k) or (None if k.startswith("requested") else "")
    elif section == "documents":
        doc = {k: f.get(k) or None for k in ("kind", "reference", "issued_by", "issued_on")}
        if any(doc.values()):
            body["documents"] = [*body["documents"], {**doc, "issued_by": doc["issued_by"] or ""}]
    elif section == "declarations":
        body["no_diversion_declared"] = f.get("no_diversion_declared") == "yes"
    return body


def _choices(system: ExportGuard, actor: Actor) -> dict[str, Any]:
    with system.read() as session:
        products = control_list.list_products(session)
        groups = [g for g in control_list.control_list(session) if not g.repealed]
        parties = [p for p in registry.list_parties(session, actor) if p.kind == "organisation"]
    return {
        "product_options": [(p.id, f"{p.name} ({', '.join(p.item_codes)})") for p in products],
        "party_options": [(p.id, f"{p.name} ({p.country})") for p in parties],
        "kind_options": [(k.value, LABELS[k.value]) for k in DocumentKind],
        "item_groups": groups,
    }


@router.get("/portal")
def portal(request: Request, system: System, actor: PageActor) -> Response:
    with system.read() as session:
        apps = queries.list_applications(session, actor, queries.ApplicationFilter())
        sent = notices.list_notices(session, actor)
    return page(request, "portal.html", actor, apps=apps, notices=sent)


@router.post("/portal/applications")
def start(request: Request, system: System, actor: PageActor, posted: PostedForm) -> Response:
    f, _files = read_form(posted)
    body = {
        "destination": f.get("destination", "").upper(),
        "parties": [
            {"role": r.value, "party_id": actor.organisation_id}
            for r in (PartyRole.APPLICANT, PartyRole.EXPORTER)
        ],
    }
    try:
        data = commands.ApplicationInput.model_validate(body)
        view = run(system, actor, commands.draft_application, data)
    except (ValidationError, DomainError) as exc:
        with system.read() as session:
            apps = queries.list_applications(session, actor, queries.ApplicationFilter())
        return form_page(request, "portal.html", actor, problems_of(exc), apps=apps, notices=[], chosen=f)
    return RedirectResponse(f"/applications/{view.id}/draft", status_code=303)


def _task_list(
    request: Request, system: System, actor: Actor, application_id: RecordIdPath, problems: list[Problem]
) -> Response:
    with system.read() as session:
        app = queries.get_application(session, actor, application_id)
        held = files.files_of(session, actor, application_id)
    linked = [Problem(p.field, p.message, p.said) for p in problems]
    return form_page(
        request,
        "draft.html",
        actor,
        linked,
        app=app,
        done=status_of(app),
        sections=SECTIONS,
        files=held,
        section_of=section_of,
    )


@router.get("/applications/{application_id}/draft")
def task_list(request: Request, system: System, actor: PageActor, application_id: RecordIdPath) -> Response:
    return _task_list(request, system, actor, application_id, [])


@router.get("/applications/{application_id}/draft/{section}")
def step_form(
    request: Request, system: System, actor: PageActor, application_id: RecordIdPath, section: str
) -> Response:
    with system.read() as session:
        app = queries.get_application(session, actor, application_id)
    return _step(
        request,
        system,
        actor,
        app,
        section,
        problems=[],
        chosen=flat(content(app)) if section in SECTIONS else {},
    )


def _step(
    request: Request,
    system: System,
    actor: Actor,
    app: ApplicationView,
    section: str,
    *,
    problems: list[Problem],
    chosen: dict[str, Any],
) -> Response:
    if section not in SECTIONS:
        return RedirectResponse(f"/applications/{app.id}/draft", status_code=303)
    given = sum(1 for k in chosen if k.startswith("lines.") and k.endswith(".product_id"))
    return form_page(
        request,
        "draft_step.html",
        actor,
        problems,
        app=app,
        section=section,
        chosen=chosen,
        line_rows=max(given, 1) if problems else given + 1,
        **_choices(system, actor),
    )


@router.post("/applications/{application_id}/draft/{section}")
def save_step(
    request: Request,
    system: System,
    actor: PageActor,
    *,
    posted: PostedForm,
    application_id: RecordIdPath,
    section: str,
) -> Response:
    f, uploads = read_form(posted)
    with system.read() as session:
        app = queries.get_application(session, actor, application_id)
    body = apply_step(content(app), section, f)
    upload = uploads.get("file")
    try:
        data = commands.ApplicationInput.model_validate(body)
        if section == "documents" and upload is not None and not f.get("kind"):
            raise InvalidInput.of("kind", _("Choose what kind of document the file is."))
        run(system, actor, commands.edit_draft, application_id, data)
        if section == "documents" and upload is not None:
            raw = upload.file.read(MAX_FILE_BYTES + 1)
            run(
                system,
                actor,
                files.add_file,
                application_id,
                DocumentKind(f["kind"]),
                upload.filename or "",
                raw,
            )
    except (ValidationError, DomainError) as exc:
        return _step(
            request, system, actor, app, section, problems=_on_step(problems_of(exc), section), chosen=f
        )
    if f.get("then") == "stay":
        return RedirectResponse(f"/applications/{application_id}/draft/{section}", status_code=303)
    return RedirectResponse(f"/applications/{application_id}/draft", status_code=303)


def _on_step(problems: list[Problem], section: str) -> list[Problem]:
    """A document's problems name the form's fields (``documents.3.reference`` -> ``reference``)."""
    if section != "documents":
        return problems
    return [
        Problem(p.field.split(".")[-1] if p.field.startswith("documents.") else p.field, p.message, p.said)
        for p in problems
    ]


@router.post("/applications/{application_id}/submit")
def submit(
    request: Request, system: System, actor: PageActor, posted: PostedForm, application_id: RecordIdPath
) -> Response:
    read_form(posted)
    try:
        run(system, actor, commands.submit_application, application_id)
    except DomainError as exc:
        return _task_list(request, system, actor, application_id, problems_of(exc))
    return RedirectResponse(f"/applications/{application_id}?submitted=1", status_code=303)


@router.post("/permits/{permit_id}/amendment-request")
def amendment_request(
    request: Request, system: System, actor: PageActor, posted: PostedForm, permit_id: RecordIdPath
) -> Response:
    """Before it expires, the holder asks for a permit to be amended: a new draft version opens."""
    f, _files = read_form(posted)
    if not f.get("reason"):
        raise InvalidInput.of("reason", _("Say what should change, and why."))
    view = run(system, actor, request_amendment, permit_id, reason=f["reason"])
    return RedirectResponse(f"/applications/{view.id}/draft", status_code=303)
