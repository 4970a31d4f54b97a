"""Load a reference case (the 2019-2021 Turkey case) through the real named commands.

Every act goes through the same command a clerk or minister would use, so each has its audit
event. The case is replayed in date order on a clock set to each act's date, so "as of" and "as
recorded at" questions about the case have the answers they had at the time. Loading is idempotent
step by step (STYLE 13): a step whose result is already in the database is skipped, so loading the
case twice changes nothing and a load interrupted halfway resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import PurePosixPath

from sqlalchemy import select

from exportguard.db.models import DestinationMeasure, MinisterialDecision, Principal, Product, Shipment
from exportguard.demo.applications import plan_application
from exportguard.demo.case import (
    ActSpec,
    Case,
    ListImportSpec,
    ShipmentSpec,
    load_case_file,
    load_data_bytes,
    load_policy_text,
)
from exportguard.demo.investigations import plan_allegation, plan_assurance, plan_investigation, plan_lobbying
from exportguard.demo.replay import DEMO_PASSWORD, DemoPrincipal, LoadReport, Replay, demo_totp_secret
from exportguard.domain.accounts import needs_second_factor
from exportguard.services.accounts import credentials, principals
from exportguard.services.border import shipments
from exportguard.services.parties import registry as parties
from exportguard.services.permits import bulk_actions
from exportguard.services.policy import measures as policies
from exportguard.services.policy import policy_files
from exportguard.services.reference import control_list as reference
from exportguard.services.screening import list_imports
from exportguard.services.system import ExportGuard

__all__ = ["DemoPrincipal", "LoadReport", "load_case"]


def load_case(system: ExportGuard, case: Case | None = None, *, until: date | None = None) -> LoadReport:
    """Load ``case`` (default: the packaged Turkey case); returns what ran and the demo principals.

    With ``until``, the case is loaded as it stood at the end of that day: the acts after it (the
    5 Oct 2020 suspension, the April 2021 cancellation...) are left for a newcomer to perform."""
    case = case or load_case_file()
    with system.read() as session:
        reference.sync_reference_data(session)
    loader = Replay(system, case)
    _plan_registry(loader)
    for spec in case.measures:
        loader.add(spec.effective_from, _measure_step(loader, spec.key))
    if case.policy_file:
        policy, digest = policy_files.parse_policy_file(load_policy_text(case.policy_file))
        for measure in policy.measures:
            step = _policy_step(loader, policy, digest, measure.key, case.policy_authors[measure.key])
            loader.add(measure.effective_from, step)
    for app in case.applications:
        plan_application(loader, app)
    for ship in case.shipments:
        loader.add(ship.shipped_on, _shipment_step(loader, ship))
    for act in case.acts:
        loader.add(act.effective_date, _act_step(loader, act))
    for publication in case.lists:
        loader.add(publication.imported_on, _list_step(loader, publication))
    for assurance in case.assurances:
        plan_assurance(loader, assurance)
    for allegation in case.allegations:
        plan_allegation(loader, allegation)
    for investigation in case.investigations:
        plan_investigation(loader, investigation)
    for export in case.lobbying:
        plan_lobbying(loader, export)
    return loader.run(until)


def _list_step(loader: Replay, spec: ListImportSpec) -> Callable[[], bool]:
    """A list publication imported as an officer would (the same file twice changes nothing)."""

    def step() -> bool:
        data = load_data_bytes(spec.file)
        with loader.system.uow(loader.actor(spec.by)) as uow:
            return list_imports.import_files(
                uow, spec.source, [(PurePosixPath(spec.file).name, data)]
            ).created

    return step


def _plan_registry(loader: Replay) -> None:
    case, day = loader.case, loader.case.setup_date
    hashed: list[str] = []

    def demo_hash() -> str:
        """The demo password's argon2 hash, made once per load (it is slow on purpose)."""
        if not hashed:
            hashed.append(credentials.hash_password(DEMO_PASSWORD))
        return hashed[0]

    def principal(n: int) -> Callable[[], bool]:
        def step() -> bool:
            spec = case.principals[n]
            # SQLite sessions hold the database lock: resolve keys before opening the session.
            org = loader.party_id(spec.organisation) if spec.organisation else None
            with loader.system.read() as session:
                if session.scalar(select(Principal.id).where(Principal.username == spec.username)):
                    return False
                data = principals.NewPrincipal(
                    username=spec.username,
                    display_name=spec.display_name,
                    role=spec.role,
                    organisation_id=org,
                )
                secret = demo_totp_secret(spec.username) if needs_second_factor(spec.role) else None
                principals.create_principal(
                    session, data, token=spec.token, password_hash=demo_hash(), totp_secret=secret
                )
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


def _policy_step(
    loader: Replay, policy: policy_files.PolicyFile, digest: str, key: str, by: str
) -> Callable[[], bool]:
    def step() -> bool:
        with loader.system.uow(loader.actor(by)) as uow:
            report = policy_files.apply_policy_file(uow, policy, digest, only={key})
        return report.changed

    return step


def _act_step(loader: Replay, act: ActSpec) -> Callable[[], bool]:
    """One bulk act (EIPA s.10(1)); its preview must hit exactly the permits the case lists."""

    def step() -> bool:
        with loader.system.read() as session:
            if session.scalar(
                select(MinisterialDecision.id).where(MinisterialDecision.reference == act.decision_ref)
            ):
                return False
        scope = {
            ("holder_id" if k == "holder" else f"{k}_id" if k in ("consignee", "end_user") else k): (
                loader.party_id(str(v)) if k in ("holder", "consignee", "end_user") else v
            )
            for k, v in act.scope.items()
        }
        data = bulk_actions.BulkActInput.model_validate(
            {
                "command": act.command,
                "scope": scope,
                "reason": act.reason,
                "legal_basis": act.legal_basis,
                "effective_date": act.effective_date,
                "decision_ref": act.decision_ref,
            }
        )
        actor = loader.actor(act.by)
        with loader.system.read() as session:
            shown = bulk_actions.preview_act(session, actor, data, act.effective_date)
        if sorted(p.number for p in shown.permits) != sorted(act.permits):
            raise LookupError(f"act {act.decision_ref}: the preview differs from the permits the case lists")
        with loader.system.uow(actor) as uow:
            bulk_actions.execute(uow, data)
        return True

    return step
