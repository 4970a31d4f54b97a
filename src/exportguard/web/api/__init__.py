"""The REST API: one router per noun, named commands only (never a PATCH of a status)."""

from __future__ import annotations

from fastapi import APIRouter

from exportguard.web.api import (
    accounts,
    applications,
    assessments,
    assurances,
    audit,
    authorisations,
    investigations,
    parties,
    permits,
    policies,
    reference,
    reports,
    screening,
    shipments,
)


def api_router() -> APIRouter:
    router = APIRouter()
    for module in (
        reference,
        reports,
        parties,
        applications,
        assessments,
        permits,
        shipments,
        authorisations,
        audit,
        screening,
        policies,
        investigations,
        assurances,
        accounts,
    ):
        router.include_router(module.router)
    return router
