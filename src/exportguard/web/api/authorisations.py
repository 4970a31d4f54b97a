"""``POST /api/authorisations/check``: is this export authorised? (EPR s.5-6; EIPA s.13).

``GET /api/authorisations/checks``: the checks recorded, read back for the border's audit.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Query, Request

from exportguard.services.border import authorisations, check_records
from exportguard.services.border.authorisations import CheckAnswer, CheckInput
from exportguard.services.border.check_records import CheckFilter, CheckRecord
from exportguard.services.border.read_model import PermitReadModel
from exportguard.services.system import ExportGuard
from exportguard.web.api.use_case import run
from exportguard.web.auth import ApiActor, System
from exportguard.web.texts import localised_answer

router = APIRouter(tags=["authorisations"])
_creating = threading.Lock()


def read_model(request: Request) -> PermitReadModel:
    """The app's permit read model, made on first use (one per process, shared by requests)."""
    state = request.app.state
    model: PermitReadModel | None = getattr(state, "permit_read_model", None)
    if model is None:
        with _creating:
            model = getattr(state, "permit_read_model", None)
            if model is None:
                model = PermitReadModel(state.system)
                state.permit_read_model = model
    return model


@router.post("/authorisations/check", response_model=CheckAnswer)
def check(request: Request, actor: ApiActor, body: CheckInput) -> CheckAnswer:
    """Authorised or not, and every reason why not; the question and answer are recorded.

    A refusal is an answer, not an error: the response is 200 with ``authorised: false``.
    """
    # The system is taken from the app here rather than by a (threadpool) dependency: the border's
    # check is the hot path, and each hop to the threadpool costs as much as answering.
    system: ExportGuard = request.app.state.system
    answer = run(system, actor, authorisations.check_authorisation, body, read_model(request))
    return localised_answer(answer)


@router.get("/authorisations/checks", response_model=list[CheckRecord])
def checks(system: System, actor: ApiActor, f: Annotated[CheckFilter, Query()]) -> list[CheckRecord]:
    """The checks recorded, newest first, with the question and the reasons as recorded.

    ``permit`` finds the checks presented as that number (or id) and those answered on that permit;
    ``answer`` is ``authorised`` or ``refused``; ``asked_from`` and ``asked_to`` are days (UTC),
    both included. Exporters see only the checks asked by their own organisation.
    """
    with system.read() as session:
        return check_records.list_checks(session, actor, f)
