"""Custom lists kept in the system, and downloads from the official publishers (in-memory twin)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from exportguard.adapters.sanctions_lists.publishers import PUBLISHERS, InMemoryFetcher
from exportguard.db.models import ScreeningAlert
from exportguard.domain.errors import InvalidInput, NotFound, NotPermitted
from exportguard.services.screening import custom_lists
from exportguard.services.screening.gate import standing_hits
from exportguard.services.screening.list_downloads import ListUnavailable, download_list
from exportguard.services.system import ExportGuard
from tests.conftest import shared_data
from tests.factories import OFFICER, approved, issued, world


def _entry(**overrides: object) -> custom_lists.CustomEntryInput:
    data: dict[str, object] = {
        "list_name": "diverters",
        "entry_id": "INV-2021-007",
        "names": ["Baykar Makina"],
        "countries": ["tr"],
        "reason": "Investigation 2021-007: sensors re-exported to Azerbaijan against the end-use assurance",
    }
    data.update(overrides)
    return custom_lists.CustomEntryInput.model_validate(data)


def test_listing_a_party_alerts_its_permit_in_force(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w, app=approved(eg, w))
    with eg.uow(OFFICER) as uow:
        view = custom_lists.add_custom_entry(uow, _entry())
    # One new hit, raising an alert on the approved application and one on the permit in force.
    assert (view.source, view.created, view.added, view.new_hits, view.alerts) == (
        "custom:diverters",
        True,
        1,
        1,
        2,
    )
    with eg.read() as s:
        (hit,) = standing_hits(s, [w.consignee_id])
        alerts = s.scalars(select(ScreeningAlert).where(ScreeningAlert.hit_id == hit.id)).all()
    assert hit.source == "custom:diverters" and hit.listed_name == "Baykar Makina"
    assert {(a.application_id, a.permit_id) for a in alerts} == {
        (permit.application_id, None),
        (None, permit.id),
    }


def test_same_entry_twice_changes_nothing_and_delisting_clears_the_gate(eg: ExportGuard) -> None:
    w = world(eg)
    approved(eg, w)
    with eg.uow(OFFICER) as uow:
        custom_lists.add_custom_entry(uow, _entry())
    with eg.uow(OFFICER) as uow:
        assert custom_lists.add_custom_entry(uow, _entry()).created is False
    with eg.uow(OFFICER) as uow:
        removed = custom_lists.remove_custom_entry(uow, "diverters", "INV-2021-007", "finding overturned")
    assert (removed.created, removed.removed, removed.entries) == (True, 1, 0)
    with eg.read() as s:
        assert standing_hits(s, [w.consignee_id]) == []


def test_bad_custom_entries_are_named(eg: ExportGuard) -> None:
    with pytest.raises(ValueError, match="list_name"):
        _entry(list_name="Not A Slug!")
    with pytest.raises(ValueError, match="names"):
        _entry(names=[])
    with pytest.raises(NotFound), eg.uow(OFFICER) as uow:
        custom_lists.remove_custom_entry(uow, "diverters", "nope", "x")
    with pytest.raises(InvalidInput, match="reason"), eg.uow(OFFICER) as uow:
        custom_lists.add_custom_entry(uow, _entry())
        custom_lists.remove_custom_entry(uow, "diverters", "INV-2021-007", " ")


def test_exporters_cannot_list_parties(eg: ExportGuard) -> None:
    w = world(eg)
    with pytest.raises(NotPermitted), eg.uow(w.exporter_actor()) as uow:
        custom_lists.add_custom_entry(uow, _entry())


def test_download_from_the_official_address_through_the_twin(eg: ExportGuard) -> None:
    publisher = PUBLISHERS["bis-denied-persons"]
    (url,) = publisher.files.values()
    data = shared_data("sanctions/bis-denied-persons.txt").read_bytes()
    fetcher = InMemoryFetcher({url: data})
    with eg.uow(OFFICER) as uow:
        view = download_list(uow, "bis-denied-persons", fetcher)
    assert fetcher.requested == [url] and url.startswith("https://www.bis.doc.gov/")
    assert view.created and view.entries == len(publisher.parse({"dpl.txt": data}).entries) > 400
    with pytest.raises(ListUnavailable) as err, eg.uow(OFFICER) as uow:
        download_list(uow, "un-consolidated", fetcher)
    assert err.value.status == 502
    with pytest.raises(InvalidInput, match="source"), eg.uow(OFFICER) as uow:
        download_list(uow, "nowhere", fetcher)
