"""The border page (EPR s.5-6): ask whether an export is authorised, check or record a customs
declaration file, and read the recent checks, newest first.

The recent checks are for the roles that may read them (PERMISSIONS[READ_CHECKS]); auditors read
them only, without the forms. Asking and checking a file need [CHECK_AUTHORISATION]; recording a file
needs [RECORD_SHIPMENT]. Exporters see only their own organisation's checks. The services decide;
the page only hides what they would refuse. A check is answered and recorded exactly as
``POST /api/authorisations/check`` does (the same service, the same per-process read model).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from exportguard.domain.access import Actor
from exportguard.domain.errors import DomainError, InvalidInput, Problem
from exportguard.services.border import authorisations, check_records, declaration_upload
from exportguard.services.border.authorisations import CheckAnswer, CheckInput
from exportguard.services.border.declaration_upload import MAX_UPLOAD_BYTES, FileOutcome, Mode
from exportguard.services.border.read_model import PermitReadModel
from exportguard.services.system import ExportGuard
from exportguard.web.api.authorisations import read_model
from exportguard.web.api.use_case import run
from exportguard.web.auth import PageActor, System
from exportguard.web.errors import validation_problems
from exportguard.web.labels import label
from exportguard.web.pages.rendering import page

router = APIRouter()
QUESTION_FIELDS = ("permit", "shipped_on", "destination", "consignee")
LINE_FIELDS = ("goods", "quantity", "value")  # goods: a permit line number, or a control list item
GOODS_ROWS = 3
# The multipart envelope around the file (boundaries, the other fields): a little over the file.
FORM_OVERHEAD = 64 * 1024
_LINE_FIELD = re.compile(r"^lines[.\[](\d+)\]?\.?(.*)$")


@dataclass
class Question:
    """The check form as filled in: the question's fields, and its goods lines (blank rows dropped,
    so that "goods line 2" in a message is the second row shown)."""

    fields: dict[str, str] = field(default_factory=dict)
    lines: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, form: FormData) -> Question:
        fields = {k: str(form.get(k) or "").strip() for k in QUESTION_FIELDS}
        columns = [[str(v).strip() for v in form.getlist(k)] for k in LINE_FIELDS]
        rows = [dict(zip(LINE_FIELDS, cells, strict=True)) for cells in zip(*columns, strict=False)]
        return cls(fields, [r for r in rows if any(r.values())])

    @property
    def rows(self) -> list[dict[str, str]]:
        """The goods rows to show: those filled in, then blank ones up to ``GOODS_ROWS``."""
        blank = dict.fromkeys(LINE_FIELDS, "")
        return [*self.lines, *([blank] * (GOODS_ROWS - len(self.lines)))]

    def check_input(self) -> CheckInput:
        lines = []
        for row in self.lines:
            goods = row["goods"]
            line: dict[str, str] = {"quantity": row["quantity"]}
            if goods:
                line["line_no" if goods.isdigit() else "item_code"] = goods
            if row["value"]:
                line["value"] = row["value"]
            lines.append(line)
        asked = {k: v for k, v in self.fields.items() if v}
        return CheckInput.model_validate({**asked, "lines": lines})


def field_label(name: str) -> str:
    """``lines[1].quantity`` -> ``goods line 2 quantity``: a field as the form names it."""
    if m := _LINE_FIELD.match(name):
        rest = {"line_no": "", "item_code": "", "product_id": ""}.get(m[2], label(m[2]))
        return f"goods line {int(m[1]) + 1} {rest}".strip()
    return {"shipped_on": "date", "lines": "goods"}.get(name, label(name))


def _labelled(problems: list[Problem]) -> list[Problem]:
    return [Problem(field_label(p.field), p.message, p.said) for p in problems]


def _render(
    request: Request,
    system: ExportGuard,
    actor: Actor,
    *,
    status_code: int = 200,
    question: Question | None = None,
    **context: object,
) -> Response:
    with system.read() as session:
        checks = check_records.recent_checks(session, actor)
    question = question or Question({"shipped_on": system.clock.today().isoformat()})
    return page(
        request,
        "border.html",
        actor,
        status_code=status_code,
        question=question,
        checks=checks,
        max_megabytes=MAX_UPLOAD_BYTES // (1024 * 1024),
        recent=check_records.RECENT,
        field_label=field_label,
        **context,
    )


@router.get("/border")
def border_page(request: Request, system: System, actor: PageActor) -> Response:
    return _render(request, system, actor)


def _ask(
    request: Request, system: ExportGuard, actor: Actor, model: PermitReadModel, question: Question
) -> Response:
    try:
        answer: CheckAnswer = run(
            system, actor, authorisations.check_authorisation, question.check_input(), model
        )
    except ValidationError as exc:
        problems = _labelled(validation_problems(exc.errors()))
        return _render(request, system, actor, status_code=422, question=question, check_problems=problems)
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        problems = _labelled(exc.problems)
        return _render(
            request, system, actor, status_code=exc.status, question=question, check_problems=problems
        )
    return _render(request, system, actor, question=question, answer=answer)


@router.post("/border/check")
async def check(request: Request, system: System, actor: PageActor) -> Response:
    """The answer is shown with the question still filled in, to ask again with a change; each
    asking is a check of its own, recorded."""
    authorisations.may_check(actor)  # before the form is read
    question = Question.of(await request.form())
    return await run_in_threadpool(_ask, request, system, actor, read_model(request), question)


def _send(
    system: ExportGuard, actor: Actor, model: PermitReadModel, *, mode: str, name: str, data: bytes
) -> FileOutcome:
    if mode == Mode.RECORD:
        return declaration_upload.record_upload(system, actor, name, data)
    if mode == Mode.CHECK:
        return declaration_upload.check_upload(system, actor, name, data)
    raise InvalidInput.of("mode", "choose 'check only' or 'record'")


async def _received(request: Request) -> tuple[str, str, bytes]:
    """The form's mode, the file's name and its bytes (at most one byte over the limit)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES + FORM_OVERHEAD:
        # Refused before the body is read: nothing of an oversized file is stored, even for a moment.
        raise declaration_upload.too_large("the file", int(declared))
    form = await request.form(max_files=1)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput.of("file", "choose a declaration file (CSV) to send")
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    return str(form.get("mode") or Mode.CHECK), upload.filename, data


# The page answers a declared size over MAX_UPLOAD_BYTES + FORM_OVERHEAD itself, in its own words;
# the route's limit stops a body sent without a length just past that.
@router.post("/border/declarations", max_body_size=MAX_UPLOAD_BYTES + 2 * FORM_OVERHEAD)
async def declaration_file(request: Request, system: System, actor: PageActor) -> Response:
    authorisations.may_check(actor)  # before the file is read; recording is asked of the service
    mode = Mode.CHECK.value
    try:
        mode, name, data = await _received(request)
        outcome = await run_in_threadpool(
            _send, system, actor, read_model(request), mode=mode, name=name, data=data
        )
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        return await run_in_threadpool(
            _render, request, system, actor, status_code=exc.status, file_problems=exc.problems, mode=mode
        )
    return await run_in_threadpool(_render, request, system, actor, outcome=outcome, mode=mode)
