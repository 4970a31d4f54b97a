"""HTML pages over the same services as the API (read-only, apart from signing in and out,
recording a screening disposition, confirming a ministerial act, and the border's checks and
declaration files)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from exportguard.web.csrf import csrf_guard
from exportguard.web.pages import (
    accounts,
    applications,
    audit,
    border,
    casework,
    decisions,
    docs,
    documents,
    general_permits,
    investigations,
    list_imports,
    ministerial_acts,
    permit_acts,
    permits,
    policies,
    portal,
    registry,
    screening,
    session,
    transparency,
)
from exportguard.web.pages.rendering import templates

__all__ = ["page_router", "templates"]


def page_router() -> APIRouter:
    # Every page's state-changing form is checked for cross-site forgery (web/csrf.py).
    router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_guard)])
    for module in (
        session,
        permits,
        applications,
        portal,
        casework,
        audit,
        screening,
        list_imports,
        general_permits,
        policies,
        registry,
        ministerial_acts,
        border,
        investigations,
        docs,
        documents,
        permit_acts,
        transparency,
        accounts,
        decisions,  # last: its /applications/{id}/{form} must not catch the others' paths
    ):
        router.include_router(module.router)
    return router
