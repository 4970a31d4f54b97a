"""Replaying the case's allegation, investigation, end-use assurance and lobbying record.

Every step runs the named command an officer or the Minister would use, on its own date, and is
skipped when its result is already recorded (loading twice changes nothing). The recommended
cancellation is executed through the bulk-act machinery; its preview must hit exactly the permits
the case lists.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from importlib.resources import files

from sqlalchemy import func, select

from exportguard.db.models import (
    Allegation,
    Consultation,
    EndUseAssurance,
    Investigation,
    InvestigationQuestion,
    RecommendedAction,
)
from exportguard.demo.applications import _find
from exportguard.demo.case import (
    AllegationSpec,
    AssuranceSpec,
    BreachSpec,
    ConsultationSpec,
    InvestigationSpec,
    LobbyingSpec,
    RecommendedActSpec,
)
from exportguard.demo.replay import Replay
from exportguard.services.investigations import actions, allegations, assurances, commands
from exportguard.services.lobbying import records

Step = Callable[[], bool]


def plan_assurance(loader: Replay, spec: AssuranceSpec) -> None:
    def step() -> bool:
        app_spec = next((a for a in loader.case.applications if a.key == spec.application), None)
        found = _find(loader, app_spec) if app_spec else None
        with loader.system.read() as session:
            if session.scalar(
                select(EndUseAssurance.id).where(
                    EndUseAssurance.given_by == spec.given_by, EndUseAssurance.given_on == spec.given_on
                )
            ):
                return False
        data = assurances.AssuranceInput(
            application=str(found[0]) if found else None,
            **spec.model_dump(exclude={"key", "application", "by"}),
        )
        with loader.system.uow(loader.actor(spec.by)) as uow:
            assurances.record_assurance(uow, data)
        return True

    loader.add(spec.given_on, step)


def _allegation(loader: Replay, spec: AllegationSpec) -> Allegation | None:
    with loader.system.read() as session:
        return session.scalar(
            select(Allegation).where(
                Allegation.source_name == spec.source_name, Allegation.received_on == spec.received_on
            )
        )


def plan_allegation(loader: Replay, spec: AllegationSpec) -> None:
    def step() -> bool:
        if _allegation(loader, spec) is not None:
            return False
        data = allegations.RecordedAllegationInput(**spec.model_dump(exclude={"key", "by"}))
        with loader.system.uow(loader.actor(spec.by)) as uow:
            allegations.record_allegation(uow, data)
        return True

    loader.add(spec.received_on, step)


def _assurance_ref(loader: Replay, key: str) -> str:
    spec = next(a for a in loader.case.assurances if a.key == key)
    with loader.system.read() as session:
        ref = session.scalar(
            select(EndUseAssurance.reference).where(
                EndUseAssurance.given_by == spec.given_by, EndUseAssurance.given_on == spec.given_on
            )
        )
    if ref is None:
        raise LookupError(f"assurance {key} is not recorded")
    return ref


def plan_investigation(loader: Replay, spec: InvestigationSpec) -> None:
    source = next(a for a in loader.case.allegations if a.key == spec.allegation)

    def inv() -> Investigation:
        found = _allegation(loader, source)
        with loader.system.read() as session:
            row = (
                session.get(Investigation, found.investigation_id)
                if found and found.investigation_id
                else None
            )
        if row is None:
            raise LookupError(f"no investigation opened on allegation {spec.allegation}")
        return row

    def opened() -> bool:
        found = _allegation(loader, source)
        if found is None or found.investigation_id is not None:
            return found is None
        data = allegations.OpenInput(
            title=spec.title, reason=spec.reason, investigators=spec.investigators, on=spec.opened_on
        )
        with loader.system.uow(loader.actor(spec.by)) as uow:
            commands.open_investigation(uow, found.reference, data)
        return True

    loader.add(spec.opened_on, opened)
    _plan_questions(loader, spec, inv)
    _plan_consultations(loader, spec, inv)
    for b in spec.breaches:
        loader.add(b.found_on, _breach_step(loader, spec, inv, b))
    _plan_actions(loader, spec, inv)
    if spec.close is not None:
        close = spec.close

        def closed() -> bool:
            found = inv()
            if found.state == "closed":
                return False
            data = commands.CloseInput(outcome=close.outcome, summary=close.summary, on=close.closed_on)
            with loader.system.uow(loader.actor(spec.by)) as uow:
                commands.close(uow, found.reference, data)
            return True

        loader.add(close.closed_on, closed)


def _plan_questions(loader: Replay, spec: InvestigationSpec, inv: Callable[[], Investigation]) -> None:
    for n, q in enumerate(spec.questions, start=1):

        def asked(n: int = n, text: str = q.text, on: date = q.asked_on) -> bool:
            found = inv()
            with loader.system.read() as session:
                count = session.scalar(
                    select(func.count(InvestigationQuestion.id)).where(
                        InvestigationQuestion.investigation_id == found.id
                    )
                )
            if (count or 0) >= n:
                return False
            with loader.system.uow(loader.actor(spec.by)) as uow:
                commands.ask_question(uow, found.reference, commands.QuestionInput(text=text, on=on))
            return True

        loader.add(q.asked_on, asked)
        if q.finding is not None and q.found_on is not None:
            finding = commands.FindingInput(finding=q.finding, rationale=q.rationale, on=q.found_on)

            def found_step(n: int = n, finding: commands.FindingInput = finding) -> bool:
                found = inv()
                with loader.system.read() as session:
                    done = session.scalar(
                        select(InvestigationQuestion.finding).where(
                            InvestigationQuestion.investigation_id == found.id,
                            InvestigationQuestion.number == n,
                        )
                    )
                if done is not None:
                    return False
                with loader.system.uow(loader.actor(spec.by)) as uow:
                    commands.record_finding(uow, found.reference, n, finding)
                return True

            loader.add(q.found_on, found_step)


def _plan_consultations(loader: Replay, spec: InvestigationSpec, inv: Callable[[], Investigation]) -> None:
    for c in spec.consultations:
        requested, responded = _consultation_steps(loader, spec, inv, c)
        loader.add(c.requested_on, requested)
        if c.responded_on is not None:
            loader.add(c.responded_on, responded)


def _consultation_steps(
    loader: Replay, spec: InvestigationSpec, inv: Callable[[], Investigation], c: ConsultationSpec
) -> tuple[Step, Step]:
    def find() -> Consultation | None:
        with loader.system.read() as session:
            return session.scalar(
                select(Consultation).where(
                    Consultation.investigation_id == inv().id, Consultation.addressee == c.addressee
                )
            )

    def requested() -> bool:
        if find() is not None:
            return False
        data = commands.ConsultInput(kind=c.kind, addressee=c.addressee, request=c.request, on=c.requested_on)
        with loader.system.uow(loader.actor(spec.by)) as uow:
            commands.consult(uow, inv().reference, data)
        return True

    def responded() -> bool:
        row = find()
        if row is None or row.state != "requested" or c.outcome is None:
            return False
        data = commands.ResponseInput(outcome=c.outcome, response=c.response, on=c.responded_on)
        with loader.system.uow(loader.actor(spec.by)) as uow:
            commands.record_response(uow, inv().reference, row.id, data)
        return True

    return requested, responded


def _plan_actions(loader: Replay, spec: InvestigationSpec, inv: Callable[[], Investigation]) -> None:
    for a in spec.actions:
        recommended, executed = _action_steps(loader, spec, inv, a)
        loader.add(a.recommended_on, recommended)
        if a.effective_date is not None:
            loader.add(a.effective_date, executed)


def _action_steps(
    loader: Replay, spec: InvestigationSpec, inv: Callable[[], Investigation], a: RecommendedActSpec
) -> tuple[Step, Step]:
    def find() -> RecommendedAction | None:
        with loader.system.read() as session:
            rows = session.scalars(
                select(RecommendedAction).where(
                    RecommendedAction.investigation_id == inv().id,
                    RecommendedAction.command == a.command.value,
                )
            )
            return next((r for r in rows if sorted(r.permits) == sorted(a.permits)), None)

    def recommended() -> bool:
        if find() is not None:
            return False
        data = actions.RecommendInput(
            command=a.command, permits=a.permits, reason=a.reason, on=a.recommended_on
        )
        with loader.system.uow(loader.actor(spec.by)) as uow:
            actions.recommend(uow, inv().reference, data)
        return True

    def executed() -> bool:
        row = find()
        if row is None or row.state != "recommended" or a.executed_by is None:
            return False
        ref, actor = inv().reference, loader.actor(a.executed_by)
        data = actions.ExecuteInput(effective_date=a.effective_date, decision_ref=a.decision_ref)
        with loader.system.read() as session:
            shown = actions.preview(session, actor, ref, row.id, data=data, today=loader.clock.today())
        if sorted(p.number for p in shown.permits) != sorted(a.permits):
            raise LookupError(f"{ref} act {row.id}: the preview differs from the permits the case lists")
        with loader.system.uow(actor) as uow:
            actions.execute(uow, ref, row.id, data)
        return True

    return recommended, executed


def plan_lobbying(loader: Replay, spec: LobbyingSpec) -> None:
    def step() -> bool:
        folder = files("exportguard").joinpath("data", spec.export)
        export = {f.name: f.read_bytes() for f in folder.iterdir() if f.name.endswith(".csv")}
        with loader.system.uow(loader.actor(spec.by)) as uow:
            report = records.import_communications(uow, export, spec.export)
        return report.added + report.changed > 0

    loader.add(spec.imported_on, step)


def _breach_step(
    loader: Replay, spec: InvestigationSpec, inv: Callable[[], Investigation], b: BreachSpec
) -> Step:
    def step() -> bool:
        ref = _assurance_ref(loader, b.assurance)
        with loader.system.read() as session:
            state = session.scalar(select(EndUseAssurance.state).where(EndUseAssurance.reference == ref))
        if state == "breached":
            return False
        data = assurances.BreachInput(
            assurance=ref, rationale=b.rationale, question=b.question, on=b.found_on
        )
        with loader.system.uow(loader.actor(spec.by)) as uow:
            assurances.find_breached(uow, inv().reference, data)
        return True

    return step
