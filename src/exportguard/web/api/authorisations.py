"""``POST /api/authorisations/check``: is this export authorised? (EPR s.5-6; EIPA s.13)."""

from __future__ import annotations

import threading

from fastapi import APIRouter, Request

from exportguard.services import authorisations
from exportguard.services.authorisations import CheckAnswer, CheckInput
from exportguard.services.context import ExportGuard
from exportguard.services.permit_read_model import PermitReadModel
from exportguard.web.api.use_case import run
from exportguard.web.auth import ApiActor

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
    return run(system, actor, authorisations.check_authorisation, body, read_model(request))
