"""Reference data: countries, the Export Control List, and products classified against it."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import select

from exportguard.db.models import Country
from exportguard.services.kernel.common import View
from exportguard.services.reference import control_list as reference
from exportguard.web.api.use_case import run
from exportguard.web.auth import ApiActor, System

router = APIRouter(tags=["reference"])
# Reading reference data is open to every role, the public included (PERMISSIONS[READ_REFERENCE]).


class CountryView(View):
    code: str
    name: str


@router.get("/countries", response_model=list[CountryView])
def list_countries(system: System) -> list[CountryView]:
    with system.read() as session:
        rows = session.scalars(select(Country).order_by(Country.code))
        return [CountryView.model_validate(c) for c in rows]


@router.get("/control-list", response_model=list[reference.GroupView])
def control_list(system: System) -> list[reference.GroupView]:
    with system.read() as session:
        return reference.control_list(session)


@router.get("/products", response_model=list[reference.ProductView])
def list_products(system: System) -> list[reference.ProductView]:
    with system.read() as session:
        return reference.list_products(session)


@router.post("/products", response_model=reference.ProductView, status_code=status.HTTP_201_CREATED)
def register_product(system: System, actor: ApiActor, body: reference.NewProduct) -> reference.ProductView:
    return run(system, actor, reference.register_product, body)
