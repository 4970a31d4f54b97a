"""Destination measures (filters: destination, as-of date, kind; every version of each) and the
determination of a proposed export with the trace of every rule that fired. Both are read-only:
measures are public policy (PERMISSIONS[READ_POLICIES]), a determination changes nothing."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, ValidationError

from exportguard.domain.access import Action, may
from exportguard.domain.errors import InvalidInput, Problem
from exportguard.domain.policy import MeasureKind
from exportguard.services.kernel.common import CountryCodeStr
from exportguard.services.parties import registry as parties
from exportguard.services.policy import determination
from exportguard.services.policy import measures as policies
from exportguard.web.auth import PageActor, System
from exportguard.web.errors import validation_problems
from exportguard.web.pages.rendering import form_page

router = APIRouter()
MEASURE_FILTERS = ("destination", "as_of", "kind")
EXPORT_FIELDS = ("destination", "items", "products", "exporter_id", "consignee_id", "end_user_id", "on")


class MeasureFilter(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    destination: CountryCodeStr | None = None
    as_of: date | None = None
    kind: MeasureKind | None = None


def chosen_fields(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    """The filled-in boxes of a GET form; an empty box means "any" and is dropped."""
    return {k: v.strip() for k in names if (v := request.query_params.get(k, "")).strip()}


@router.get("/measures")
def measures_page(request: Request, system: System, actor: PageActor) -> Response:
    chosen = chosen_fields(request, MEASURE_FILTERS)
    problems: list[Problem] = []
    try:
        f = MeasureFilter.model_validate(chosen)
    except ValidationError as exc:
        problems = validation_problems(exc.errors())
        f = MeasureFilter()
    with system.read() as session:
        found = [] if problems else policies.list_measures(session, f.destination, f.as_of)
        if f.kind is not None:
            found = [m for m in found if m.kind == f.kind.value]
        versions = {m.key: policies.measure_versions(session, m.key) for m in found}
    return form_page(
        request,
        "measures.html",
        actor,
        problems,
        measures=found,
        versions=versions,
        chosen=chosen,
        kinds=[k.value for k in MeasureKind],
    )


def _codes(text: str) -> list[str]:
    return [c for c in text.replace(",", " ").split() if c]


@router.get("/determination")
def determination_page(request: Request, system: System, actor: PageActor) -> Response:
    chosen = chosen_fields(request, EXPORT_FIELDS)
    problems: list[Problem] = []
    result = None
    today = system.clock.today()
    with system.read() as session:
        if "destination" in chosen:
            body = {
                **chosen,
                "items": _codes(chosen.get("items", "")),
                "products": _codes(chosen.get("products", "")),
            }
            try:
                data = determination.ProposedExport.model_validate(body)
                result = determination.determine_export(session, actor, data, today)
            except ValidationError as exc:
                problems = validation_problems(exc.errors())
            except InvalidInput as exc:
                problems = exc.problems
        # Party names fill the selects only for roles that read the register (not the public).
        organisations = (
            [p for p in parties.list_parties(session, actor) if p.kind == "organisation"]
            if may(actor.role, Action.READ_PARTIES)
            else []
        )
    return form_page(
        request,
        "determination.html",
        actor,
        problems,
        result=result,
        chosen=chosen,
        organisations=organisations,
        today=today,
    )
