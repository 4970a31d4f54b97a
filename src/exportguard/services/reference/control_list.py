"""Reference data: ISO countries and the Export Control List, and products classified against it."""

from __future__ import annotations

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.adapters.countries import iso_countries
from exportguard.db.models import (
    ControlListGroup,
    ControlListItem,
    Country,
    Party,
    Product,
    ProductClassification,
)
from exportguard.domain import reference
from exportguard.domain.access import Action
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import Conflict, InvalidInput, Problem
from exportguard.services.kernel.common import Input, NonEmpty, View, get_or_404
from exportguard.services.kernel.unit_of_work import UnitOfWork


def sync_reference_data(session: Session) -> None:
    """Idempotently load countries and the control list (run after every migration)."""
    have = set(session.scalars(select(Country.code)))
    session.add_all(Country(code=c, name=n) for c, n in iso_countries() if c not in have)
    groups = {g.number: g for g in session.scalars(select(ControlListGroup))}
    for g in reference.GROUPS:
        row = groups.get(g.number)
        if row is None:
            session.add(ControlListGroup(number=g.number, title=g.title, repealed=g.repealed))
        else:
            row.title, row.repealed = g.title, g.repealed
    session.flush()
    items = {i.code: i for i in session.scalars(select(ControlListItem))}
    for i in reference.ITEMS:
        row_item = items.get(i.code) or ControlListItem(code=i.code)
        row_item.group_number, row_item.title = i.group, i.title
        row_item.wassenaar_ref, row_item.att_category = i.wassenaar_ref, i.att_category
        row_item.is_software, row_item.is_technology = i.is_software, i.is_technology
        session.add(row_item)
    session.commit()


def known_countries(session: Session) -> frozenset[str]:
    return frozenset(session.scalars(select(Country.code)))


class ItemView(View):
    code: str
    group_number: int
    title: str
    wassenaar_ref: str | None
    att_category: str | None


class GroupView(View):
    number: int
    title: str
    repealed: bool
    items: list[ItemView] = []


def control_list(session: Session) -> list[GroupView]:
    items = session.scalars(select(ControlListItem)).all()
    by_group: dict[int, list[ItemView]] = {}
    for item in items:
        by_group.setdefault(item.group_number, []).append(ItemView.model_validate(item))
    out = []
    for g in session.scalars(select(ControlListGroup).order_by(ControlListGroup.number)):
        listed = sorted(by_group.get(g.number, []), key=lambda i: _item_sort_key(i.code))
        out.append(GroupView(number=g.number, title=g.title, repealed=g.repealed, items=listed))
    return out


def _item_sort_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in code.replace(".", "-").split("-"))


class Classification(Input):
    item_code: NonEmpty
    rationale: NonEmpty


class NewProduct(Input):
    maker_id: int
    model: NonEmpty
    name: NonEmpty
    description: str = ""
    classifications: list[Classification] = Field(min_length=1)


class ProductView(View):
    id: int
    maker_id: int
    model: str
    name: str
    description: str
    item_codes: list[str]


def product_view(product: Product) -> ProductView:
    return ProductView(
        id=product.id,
        maker_id=product.maker_id,
        model=product.model,
        name=product.name,
        description=product.description,
        item_codes=[c.item_code for c in product.classifications],
    )


def register_product(uow: UnitOfWork, data: NewProduct) -> ProductView:
    uow.require(Action.MANAGE_REFERENCE)
    session = uow.session
    get_or_404(session, Party, data.maker_id, "party", "maker_id")
    problems = [
        Problem(f"classifications[{n}].item_code", f"'{c.item_code}' is not an Export Control List item")
        for n, c in enumerate(data.classifications)
        if c.item_code not in reference.ITEMS_BY_CODE
    ]
    if problems:
        raise InvalidInput("unknown control list items", problems)
    duplicate = session.scalar(
        select(Product).where(Product.maker_id == data.maker_id, Product.model == data.model)
    )
    if duplicate is not None:
        raise Conflict(
            f"product {data.model} of this maker exists (id {duplicate.id})",
            [Problem("model", "already registered for this maker")],
        )
    product = Product(
        maker_id=data.maker_id,
        model=data.model,
        name=data.name,
        description=data.description,
        classifications=[
            ProductClassification(item_code=c.item_code, rationale=c.rationale) for c in data.classifications
        ],
    )
    session.add(product)
    session.flush()
    view = product_view(product)
    uow.record(
        AuditEntry(
            command=AuditCommand.REGISTER_PRODUCT,
            subject_type="product",
            subject_id=product.id,
            subject_ref=product.model,
            legal_basis="EIPA s.3 (Export Control List)",
            reason="product classified",
            effective_date=uow.clock.today(),
            before=None,
            after=view.model_dump(mode="json"),
        )
    )
    uow.commit()
    return view


def list_products(session: Session) -> list[ProductView]:
    return [product_view(p) for p in session.scalars(select(Product).order_by(Product.id))]
