"""One permit's acts from its page (preview, then confirm), the bulk preview's wording, and the
Determination page's items field."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from exportguard.adapters.clock import FixedClock
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api
from tests.api.test_pages import sign_in
from tests.factories import World, issued


def test_suspension_next_week_says_what_is_now_and_what_will_be(
    api: Api, eg: ExportGuard, w: World, clock: FixedClock
) -> None:
    permit = issued(eg, w)
    clock.set(datetime(2020, 9, 28, 9, 0, tzinfo=UTC))
    sign_in(api.client, "minister")
    assert f'href="/permits/{permit.id}/act?command=suspend"' in api.client.get(f"/permits/{permit.id}").text
    page = api.client.get(f"/permits/{permit.id}/act?command=suspend&effective_date=2020-10-05")
    assert page.status_code == 200, page.text
    today = re.search(r"<dt>Today \(2020-09-28\)</dt><dd>(.*?)</dd>", page.text)
    then = re.search(r"<dt>From 2020-10-05</dt><dd>(.*?)</dd>", page.text)
    assert today and "active" in today[1]
    assert then and "suspended" in then[1]
    form = {"command": "suspend", "effective_date": "2020-10-05", "reason": "end-use review"}
    done = api.client.post(f"/permits/{permit.id}/act", data=form, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, f"/permits/{permit.id}")
    shown = api.client.get(f"/permits/{permit.id}").text
    assert "end-use review" in shown and "effective 2020-10-05" in shown
    # The bulk preview of a cancellation now: today still active, the suspension recorded for later.
    bulk = api.client.get("/ministerial-acts?command=cancel&destination=TR&effective_date=2020-10-10").text
    assert "Today (2020-09-28)" in bulk and "From 2020-10-10" in bulk
    assert "suspended recorded, effective later" in bulk
    assert "Status now" not in bulk


def test_amend_previews_the_changes_and_makes_a_new_version(
    api: Api, eg: ExportGuard, w: World, clock: FixedClock
) -> None:
    permit = issued(eg, w)
    clock.set(datetime(2020, 7, 1, 9, 0, tzinfo=UTC))
    sign_in(api.client, "director")
    page = api.client.get(f"/permits/{permit.id}/act?command=amend&valid_to=2021-12-31&conditions=")
    assert page.status_code == 200, page.text
    assert "2021-06-30 → <strong>2021-12-31</strong>" in page.text
    form = {"command": "amend", "valid_to": "2021-12-31", "conditions": "", "reason": "delivery delayed"}
    done = api.client.post(f"/permits/{permit.id}/act", data=form, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] != f"/permits/{permit.id}"
    assert "version 2" in api.client.get(done.headers["location"]).text


def test_refusals_are_shown_on_the_form_or_as_403(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w)
    sign_in(api.client, "officer")
    assert f"/permits/{permit.id}/act" not in api.client.get(f"/permits/{permit.id}").text
    assert api.client.get(f"/permits/{permit.id}/act?command=suspend").status_code == 403
    refused = api.client.post(f"/permits/{permit.id}/act", data={"command": "suspend", "reason": "x"})
    assert refused.status_code == 403
    sign_in(api.client, "minister")
    illegal = api.client.get(f"/permits/{permit.id}/act?command=reinstate")
    assert illegal.status_code == 422
    assert "There is a problem" in illegal.text
    no_reason = api.client.post(f"/permits/{permit.id}/act", data={"command": "cancel", "reason": " "})
    assert no_reason.status_code == 422 and "reason" in no_reason.text
    bad_date = api.client.get(f"/permits/{permit.id}/act?command=cancel&effective_date=2020-02-30")
    assert bad_date.status_code == 422 and "effective_date" in bad_date.text
    unknown = api.client.get("/permits/999999/act?command=cancel")
    assert unknown.status_code == 404


def test_determination_items_field_starts_empty_and_unknown_items_are_named(api: Api, w: World) -> None:
    blank = api.client.get("/determination")
    assert blank.status_code == 200
    assert "built-in method" not in blank.text
    assert re.search(r'id="items" name="items" type="text" size="16" value=""', blank.text)
    junk = api.client.get("/determination?items=%3Cbuilt-in+method%3E+2-15&destination=TR")
    assert junk.status_code == 422
    assert "is not an Export Control List item" in junk.text
    assert "2-15" in junk.text
