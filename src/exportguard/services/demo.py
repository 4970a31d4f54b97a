"""Load a reference case (the 2019-2021 Turkey case) through the real named commands.

Every act goes through the same command a clerk or minister would use, so each has its audit
event. The case is replayed in date order on a clock set to each act's date, so "as of" and "as
recorded at" questions about the case have the answers they had at the time. Loading is idempotent
step by step (STYLE 13): a step whose result is already in the database is skipped, so loading the
case twice changes nothing and a load interrupted halfway resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from exportguard.db.models import DestinationMeasure, Principal, Product, Shipment
from exportguard.domain.permits import PermitCommand
from exportguard.services import parties, permits, policies, reference, shipments
from exportguard.services.common import Act
from exportguard.services.context import ExportGuard
from exportguard.services.demo_applications import plan_application
from exportguard.services.demo_case import ActSpec, Case, ShipmentSpec, load_case_file
from exportguard.services.demo_replay import DemoPrincipal, LoadReport, Replay

__all__ = ["DemoPrincipal", "LoadReport", "load_case"]


def load_case(system: ExportGuard, case: Case | None = None) -> LoadReport:
    """Load ``case`` (default: the packaged Turkey case); returns what ran and the demo principals."""
    case = case or load_case_file()
    with system.read() as session:
        reference.sync_reference_data(session)
    loader = Replay(system, case)
    _plan_registry(loader)
    for spec in case.measures:
        loader.add(spec.effective_from, _measure_step(loader, spec.key))
    for app in case.applications:
        plan_application(loader, app)
    for ship in case.shipments:
        loader.add(ship.shipped_on, _shipment_step(loader, ship))
    for act in case.acts:
        for number in act.permits:
            loader.add(act.effective_date, _act_step(loader, act, number))
    return loader.run()


def _plan_registry(loader: Replay) -> None:
    case, day = loader.case, loader.case.setup_date

    def principal(n: int) -> Callable[[], bool]:
        def step() -> bool:
            spec = case.principals[n]
            # SQLite sessions hold the database lock: resolve keys before opening the session.
            org = loader.party_id(spec.organisation) if spec.organisation else None
            with loader.system.read() as session:
                if session.scalar(select(Principal.id).where(Principal.username == spec.username)):
                    return False
                data = parties.NewPrincipal(
                    username=spec.username,
                    display_name=spec.display_name,
                    role=spec.role,
                    organisation_id=org,
                )
                parties.create_principal(session, data, token=spec.token)
            return True

        return step

    def party(n: int) -> Callable[[], bool]:
        def step() -> bool:
            spec = case.parties[n]
            try:
                loader.party_id(spec.key)
                return False
            except LookupError:
                pass
            fields = spec.model_dump(exclude={"key"})
            with loader.system.uow(loader.registrar()) as uow:
                parties.register_party(uow, parties.NewParty.model_validate(fields))
            return True

        return step

    def product(n: int) -> Callable[[], bool]:
        def step() -> bool:
            spec = case.products[n]
            maker = loader.party_id(spec.maker)
            with loader.system.read() as session:
                if session.scalar(
                    select(Product.id).where(Product.maker_id == maker, Product.model == spec.model)
                ):
                    return False
            data = reference.NewProduct(maker_id=maker, **spec.model_dump(exclude={"key", "maker"}))
            with loader.system.uow(loader.registrar()) as uow:
                reference.register_product(uow, data)
            return True

        return step

    # Officials first (they register the parties), then parties, then exporters' principals.
    for n, spec in enumerate(case.principals):
        if spec.organisation is None:
            loader.add(day, principal(n))
    for n in range(len(case.parties)):
        loader.add(day, party(n))
    for n, spec in enumerate(case.principals):
        if spec.organisation is not None:
            loader.add(day, principal(n))
    for n in range(len(case.products)):
        loader.add(day, product(n))


def _measure_step(loader: Replay, key: str) -> Callable[[], bool]:
    def step() -> bool:
        spec = next(m for m in loader.case.measures if m.key == key)
        with loader.system.read() as session:
            if session.scalar(select(DestinationMeasure.id).where(DestinationMeasure.key == key)):
                return False
        with loader.system.uow(loader.actor(spec.by)) as uow:
            policies.record_measure(
                uow, policies.MeasureInput.model_validate(spec.model_dump(exclude={"by"}))
            )
        return True

    return step


def _shipment_step(loader: Replay, spec: ShipmentSpec) -> Callable[[], bool]:
    def step() -> bool:
        with loader.system.read() as session:
            if session.scalar(select(Shipment.id).where(Shipment.declaration_id == spec.declaration_id)):
                return False
        data = shipments.ShipmentInput(
            declaration_id=spec.declaration_id,
            permit_id=loader.permit_id(spec.permit),
            shipped_on=spec.shipped_on,
            port=spec.port,
            lines=[
                shipments.ShipmentLineInput(permit_line_no=no, quantity=q) for no, q in spec.lines.items()
            ],
        )
        with loader.system.uow(loader.actor(spec.by)) as uow:
            shipments.record_shipment(uow, data)
        return True

    return step


def _act_step(loader: Replay, act: ActSpec, number: str) -> Callable[[], bool]:
    command = PermitCommand(act.command)

    def step() -> bool:
        permit_id = loader.permit_id(number)
        with loader.system.read() as session:
            done = any(
                change.command is command and change.effective_date == act.effective_date
                for change in permits.history_of(session, permit_id)
            )
        if done:
            return False
        with loader.system.uow(loader.actor(act.by)) as uow:
            permits.alter_permit(
                uow,
                permit_id,
                command,
                Act(reason=act.reason, legal_basis=act.legal_basis, effective_date=act.effective_date),
            )
        return True

    return step
