"""Replaying an application of a case: draft, submit, review, assess, advise, decide, issue.

Each stage is a step of its own on its own date; a stage already reached is skipped. The
application is found again by its first supporting document (the end-use certificate) and its
applicant, since the application reference is numbered by the system.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from exportguard.db.models import (
    AdviceRecord,
    AdviceRequest,
    Application,
    Assessment,
    Permit,
    Product,
    SupportingDocument,
)
from exportguard.demo.case import AdviceSpec, ApplicationSpec, PermitSpec
from exportguard.demo.replay import Replay
from exportguard.domain.applications import ApplicationState, PartyRole
from exportguard.services.applications import assessments, casework
from exportguard.services.applications import commands as applications
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.permits import commands as permits

S = ApplicationState


def _find(replay: Replay, spec: ApplicationSpec) -> tuple[int, str] | None:
    """The application's id and state, or None when it is not yet drafted."""
    # SQLite sessions hold the database lock: resolve keys before opening the session.
    organisation_id = replay.party_id(spec.exporter)
    with replay.system.read() as session:
        row = session.execute(
            select(Application.id, Application.state)
            .join(SupportingDocument, SupportingDocument.application_id == Application.id)
            .where(
                SupportingDocument.reference == spec.documents[0].reference,
                Application.organisation_id == organisation_id,
            )
            .order_by(Application.version.desc())
        ).first()
    return None if row is None else (row[0], row[1])


def _input(replay: Replay, spec: ApplicationSpec) -> applications.ApplicationInput:
    exporter = replay.party_id(spec.exporter)
    roles = [
        (PartyRole.APPLICANT, exporter),
        (PartyRole.EXPORTER, exporter),
        (PartyRole.CONSIGNEE, replay.party_id(spec.consignee)),
    ]
    if spec.end_user:
        roles.append((PartyRole.END_USER, replay.party_id(spec.end_user)))
    makers = {p.key: replay.party_id(p.maker) for p in replay.case.products}
    with replay.system.read() as session:
        products = {
            p.key: session.scalar(
                select(Product.id).where(
                    Product.maker_id == makers[p.key],
                    Product.model == p.model,
                )
            )
            for p in replay.case.products
        }
    return applications.ApplicationInput(
        destination=spec.destination,
        end_use=spec.end_use,
        end_use_location=spec.end_use_location,
        parties=[applications.PartyInRole(role=role, party_id=pid) for role, pid in roles],
        lines=[
            applications.LineInput(
                line_no=n, product_id=products[line.product], **line.model_dump(exclude={"product"})
            )
            for n, line in enumerate(spec.lines, start=1)
        ],
        documents=spec.documents,
        no_diversion_declared=spec.no_diversion_declared,
        requested_valid_from=spec.requested_valid_from,
        requested_valid_to=spec.requested_valid_to,
        application_date=spec.application_date,
    )


def plan_application(replay: Replay, spec: ApplicationSpec) -> None:
    def draft() -> bool:
        if _find(replay, spec) is not None:
            return False
        with replay.system.uow(replay.actor(spec.drafted_by)) as uow:
            applications.draft_application(uow, _input(replay, spec), reason="application received")
        return True

    def move(state: str, by: str, command: Callable[[UnitOfWork, int], object]) -> Callable[[], bool]:
        def step() -> bool:
            found = _find(replay, spec)
            if found is None or found[1] != state:
                return False
            with replay.system.uow(replay.actor(by)) as uow:
                command(uow, found[0])
            return True

        return step

    def assess() -> bool:
        found = _find(replay, spec)
        if found is None or found[1] != S.UNDER_REVIEW.value:
            return False
        with replay.system.read() as session:
            if session.scalar(select(Assessment.id).where(Assessment.application_id == found[0])):
                return False
        with replay.system.uow(replay.actor(spec.officer)) as uow:
            assessments.record_assessment(uow, found[0], replay.case.assessments[spec.assessment])
        return True

    submitted_on = spec.submitted_on or spec.application_date
    decision = spec.decision
    approval = assessments.ApprovalInput(
        justification=decision.justification,
        effective_date=decision.decided_on,
        policy_exception=decision.policy_exception,
    )
    replay.add(spec.application_date, draft)
    replay.add(
        submitted_on,
        move(
            S.DRAFT.value,
            spec.drafted_by,
            lambda uow, i: applications.submit_application(uow, i, effective_date=submitted_on),
        ),
    )
    replay.add(
        spec.review_on,
        move(
            S.SUBMITTED.value,
            spec.officer,
            lambda uow, i: applications.begin_review(uow, i, effective_date=spec.review_on),
        ),
    )
    for advice in spec.advice:
        replay.add(advice.given_on or spec.review_on, _advice_step(replay, spec, advice))
    replay.add(spec.assessed_on, assess)
    replay.add(
        decision.decided_on,
        move(
            S.UNDER_REVIEW.value,
            decision.by,
            lambda uow, i: assessments.approve_application(uow, i, approval),
        ),
    )
    for permit in spec.permits:
        replay.add(permit.issued_on, _issue_step(replay, spec, permit))


def _advice_step(replay: Replay, spec: ApplicationSpec, advice: AdviceSpec) -> Callable[[], bool]:
    def step() -> bool:
        found = _find(replay, spec)
        if found is None or found[1] != S.UNDER_REVIEW.value:
            return False
        with replay.system.read() as session:
            given = session.scalar(
                select(AdviceRecord.id).where(
                    AdviceRecord.application_id == found[0], AdviceRecord.department == advice.department
                )
            )
        if given is not None:
            return False
        with replay.system.read() as session:
            asked = session.scalar(
                select(AdviceRequest.id).where(
                    AdviceRequest.application_id == found[0], AdviceRequest.department == advice.department
                )
            )
        if asked is None:  # an advisor sees, and advises on, only a case sent to them for advice
            due = advice.given_on or spec.review_on
            request = casework.AdviceRequestInput(department=advice.department, due_on=due)
            with replay.system.uow(replay.actor(spec.officer)) as uow:
                casework.request_advice(uow, found[0], request)
        data = assessments.AdviceInput.model_validate(advice.model_dump(exclude={"by"}))
        with replay.system.uow(replay.actor(advice.by)) as uow:
            assessments.give_advice(uow, found[0], data)
        return True

    return step


def _issue_step(replay: Replay, spec: ApplicationSpec, permit: PermitSpec) -> Callable[[], bool]:
    def step() -> bool:
        with replay.system.read() as session:
            if session.scalar(select(Permit.id).where(Permit.number == permit.number)):
                return False
        found = _find(replay, spec)
        if found is None:
            raise LookupError(f"application {spec.key} is not loaded")
        data = permits.IssueInput(
            valid_from=permit.valid_from or permit.issued_on,
            valid_to=permit.valid_to,
            issued_on=permit.issued_on,
            number=permit.number,
            conditions=permit.conditions,
            lines=[
                permits.PermitLineInput(application_line_no=no, quantity=qty)
                for no, qty in permit.lines.items()
            ],
        )
        with replay.system.uow(replay.actor(spec.officer)) as uow:
            permits.issue_permit(uow, found[0], data)
        return True

    return step
