"""Registering parties (PERMISSIONS[MANAGE_PARTIES]) and products classified against the Export
Control List (PERMISSIONS[MANAGE_REFERENCE]), beside the registers they join. The services decide
who may; the page shows the form only to those they would let through."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from exportguard.domain.access import Action, Actor, may, require
from exportguard.domain.errors import DomainError, Problem
from exportguard.services.parties import registry as parties
from exportguard.services.reference import control_list as reference
from exportguard.services.system import ExportGuard
from exportguard.web.api.use_case import run
from exportguard.web.auth import PageActor, System
from exportguard.web.pages.forms import PostedForm
from exportguard.web.pages.rendering import page, problems_by_field, refusal

router = APIRouter()
PARTY_FIELDS = ("kind", "name", "address", "city", "country", "identifier", "email", "phone")
PRODUCT_FIELDS = ("maker_id", "model", "name", "description")
CLASSIFICATION_ROWS = 3


def _page(
    request: Request, name: str, actor: Actor, status: int, problems: list[Problem], **context: Any
) -> Response:
    return page(
        request,
        name,
        actor,
        status_code=status if problems else 200,
        problems=problems,
        errors=problems_by_field(problems),
        **context,
    )


def _parties_page(
    request: Request,
    system: ExportGuard,
    actor: Actor,
    *,
    status: int = 200,
    problems: list[Problem],
    **context: Any,
) -> Response:
    with system.read() as session:
        found = parties.list_parties(session, actor)
    return _page(
        request,
        "parties.html",
        actor,
        status,
        problems,
        parties=list(reversed(found)),
        may_register=may(actor.role, Action.MANAGE_PARTIES),
        **context,
    )


@router.get("/parties")
def parties_page(
    request: Request, system: System, actor: PageActor, registered: int | None = None
) -> Response:
    return _parties_page(request, system, actor, problems=[], form={}, registered=registered)


@router.post("/parties")
def register_party(request: Request, system: System, actor: PageActor, posted: PostedForm) -> Response:
    require(actor, Action.MANAGE_PARTIES)
    form = _fields(posted, PARTY_FIELDS)
    try:
        data = parties.NewParty.model_validate({k: v for k, v in form.items() if v})
        view = run(system, actor, parties.register_party, data)
    except (ValidationError, DomainError) as exc:
        status, problems = refusal(exc)
        return _parties_page(request, system, actor, status=status, problems=problems, form=form)
    return RedirectResponse(f"/parties?registered={view.id}#party-{view.id}", status_code=303)


def _fields(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    return {k: str(form.get(k) or "").strip() for k in names}


def _products_page(
    request: Request,
    system: ExportGuard,
    actor: Actor,
    *,
    status: int = 200,
    problems: list[Problem],
    **context: Any,
) -> Response:
    require(actor, Action.READ_REFERENCE)
    with system.read() as session:
        found = reference.list_products(session)
        groups = reference.control_list(session)
        makers = (
            {p.id: p.name for p in parties.list_parties(session, actor) if p.kind == "organisation"}
            if may(actor.role, Action.READ_PARTIES)
            else {}
        )
    return _page(
        request,
        "products.html",
        actor,
        status,
        problems,
        products=list(reversed(found)),
        groups=[g for g in groups if not g.repealed],
        makers=makers,
        rows=CLASSIFICATION_ROWS,
        may_register=may(actor.role, Action.MANAGE_REFERENCE),
        **context,
    )


@router.get("/products")
def products_page(
    request: Request, system: System, actor: PageActor, registered: int | None = None
) -> Response:
    return _products_page(request, system, actor, problems=[], form={}, registered=registered)


@router.post("/products")
def register_product(request: Request, system: System, actor: PageActor, posted: PostedForm) -> Response:
    require(actor, Action.MANAGE_REFERENCE)
    raw = posted
    form: dict[str, Any] = _fields(raw, PRODUCT_FIELDS)
    items = [str(v).strip() for v in raw.getlist("item_code")]
    rationales = [str(v).strip() for v in raw.getlist("rationale")]
    pairs = [(i, r) for i, r in zip(items, rationales, strict=False) if i or r]
    form["classifications"] = [{"item_code": i, "rationale": r} for i, r in pairs]
    try:
        data = reference.NewProduct.model_validate({k: v for k, v in form.items() if v})
        view = run(system, actor, reference.register_product, data)
    except (ValidationError, DomainError) as exc:
        status, problems = refusal(exc)
        return _products_page(request, system, actor, status=status, problems=problems, form=form)
    return RedirectResponse(f"/products?registered={view.id}#product-{view.id}", status_code=303)
