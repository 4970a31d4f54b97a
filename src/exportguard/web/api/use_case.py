"""Run one service command in its own unit of work, as the request's actor.

The service commits once at its end; any error leaves the ``with`` block and rolls back, so an
endpoint never commits and never half-writes (STYLE 5: one commit per use case).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from exportguard.domain.access import Actor
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.system import ExportGuard

P = ParamSpec("P")
T = TypeVar("T")


def run(
    system: ExportGuard,
    actor: Actor,
    command: Callable[Concatenate[UnitOfWork, P], T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    with system.uow(actor) as uow:
        return command(uow, *args, **kwargs)
