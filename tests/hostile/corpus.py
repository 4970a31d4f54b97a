"""Hand-made hostile inputs (issue 11), each named, shared by the tests and the hostile-input report
(benchmarks/hostile_input.py). A list file case says which line the refusal must name (None: the
file may be read, but nothing may crash)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.factories import application_input

OFAC_ROW = '1,"ACME",-0-,SDGT,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n'
FTM_GOOD = '{"id": "x1", "schema": "Person", "properties": {"name": ["Ann Smith"]}}\n'
DPL_HEADER = "\t".join(
    [
        *("Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date"),
        *("Expiration_Date", "Standard_Order", "Last_Update", "Action", "FR_Citation\n"),
    ]
)
UK_SUBJECTS = "unique_id,subject_type\nU1,individual\n"
UK_NAMES = "unique_id,name_type,full_name\nU1,primary,Ann Smith\n"


@dataclass(frozen=True)
class ListFileCase:
    name: str
    source: str
    files: dict[str, bytes]
    refused_at: str | None  # the problem's field, e.g. "sdn.csv line 2"


def _laughs() -> bytes:
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "&a{i - 1};&a{i - 1};">' for i in range(1, 30))
    return (
        f'<?xml version="1.0"?><!DOCTYPE l [{entities}]><CONSOLIDATED_LIST>&a29;</CONSOLIDATED_LIST>'.encode()
    )


LIST_FILES: tuple[ListFileCase, ...] = (
    ListFileCase(
        "OFAC field of 140,000 characters",
        "ofac-sdn",
        {"sdn.csv": (OFAC_ROW + '2,"' + "A" * 140_000 + '",-0-,x,,,,,,,,\n').encode()},
        "sdn.csv line 2",
    ),
    ListFileCase(
        "OFAC NUL byte", "ofac-sdn", {"sdn.csv": ('1,"AC\x00ME"' + OFAC_ROW[8:]).encode()}, "sdn.csv line 1"
    ),
    ListFileCase("OFAC binary garbage", "ofac-sdn", {"sdn.csv": bytes(range(1, 256)) * 50}, "sdn.csv line 1"),
    ListFileCase(
        "OpenSanctions JSON nested 100,000 deep",
        "opensanctions",
        {
            "entities.ftm.json": (
                FTM_GOOD
                + '{"id": "x2", "schema": "Person", "properties": '
                + "[" * 100_000
                + "]" * 100_000
                + "}\n"
            ).encode()
        },
        "entities.ftm.json line 2",
    ),
    ListFileCase(
        "OpenSanctions escaped NUL",
        "opensanctions",
        {"entities.ftm.json": b'{"id": "x1", "schema": "Person", "properties": {"name": ["A\\u0000B"]}}\n'},
        "entities.ftm.json line 1",
    ),
    ListFileCase(
        "OpenSanctions property that is not a list",
        "opensanctions",
        {
            "entities.ftm.json": (
                FTM_GOOD
                + '{"id": "x2", "schema": "Person", "properties": {"name": 7, "birthDate": {"a": 1}}}\n'
            ).encode()
        },
        None,
    ),
    ListFileCase(
        "OpenSanctions id of 200 characters",
        "opensanctions",
        {
            "entities.ftm.json": (
                '{"id": "' + "i" * 200 + '", "schema": "Person", "properties": {"name": ["Ann"]}}\n'
            ).encode()
        },
        "entities.ftm.json line 0",
    ),
    ListFileCase(
        "OpenSanctions name of 400 characters",
        "opensanctions",
        {
            "entities.ftm.json": (
                '{"id": "x", "schema": "Person", "properties": {"name": ["' + "N" * 400 + '"]}}\n'
            ).encode()
        },
        None,
    ),
    ListFileCase(
        "UN XML billion laughs", "un-consolidated", {"consolidated.xml": _laughs()}, "consolidated.xml line 1"
    ),
    ListFileCase(
        "UN XML nested 50,000 deep",
        "un-consolidated",
        {
            "consolidated.xml": b"<CONSOLIDATED_LIST>"
            + b"<a>" * 50_000
            + b"</a>" * 50_000
            + b"</CONSOLIDATED_LIST>"
        },
        None,
    ),
    ListFileCase(
        "UN XML with a NUL byte",
        "un-consolidated",
        {"consolidated.xml": b"<CONSOLIDATED_LIST>\n<INDIVIDUALS>\x00</INDIVIDUALS></CONSOLIDATED_LIST>"},
        "consolidated.xml line 2",
    ),
    ListFileCase(
        "UN birth years in other scripts",
        "un-consolidated",
        {
            "consolidated.xml": (
                "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>Ann</FIRST_NAME>"
                "<INDIVIDUAL_DATE_OF_BIRTH><FROM_YEAR>²</FROM_YEAR><TO_YEAR>³</TO_YEAR><DATE>٢٠٢٠</DATE>"
                "</INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
            ).encode()
        },
        None,
    ),
    ListFileCase(
        "BIS field of 140,000 characters",
        "bis-denied-persons",
        {
            "dpl.txt": (
                DPL_HEADER + '"' + "N" * 140_000 + '"\t\t\t\tCN\t\t2020-01-01\t\t\t\t\t85 FR 1\n'
            ).encode()
        },
        "dpl.txt line 2",
    ),
    ListFileCase(
        "SEMA XML cut short",
        "canada-sema",
        {"sema-lmes.xml": b"<data-set>\n<record><Entity>X"},
        "sema-lmes.xml line 2",
    ),
    ListFileCase(
        "UK birth year in superscript",
        "uk-sanctions",
        {
            "subjects.csv": UK_SUBJECTS.encode(),
            "names.csv": UK_NAMES.encode(),
            "dobs.csv": "unique_id,year,month,day\nU1,²,x,99\n".encode(),
        },
        None,
    ),
    ListFileCase("OFAC empty file", "ofac-sdn", {"sdn.csv": b""}, None),
)


@dataclass(frozen=True)
class HttpCase:
    """A hand-made hostile request: who sends it (a role, or None for the public), what, and the
    answer it must get. ``body`` is built from the world's ids (tests.factories.World)."""

    name: str
    method: str
    path: str
    who: str | None
    expected: int
    body: Callable[[Any], dict[str, Any]] | None = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _draft(w: Any, **line: object) -> dict[str, Any]:
    body = application_input(w).model_dump(mode="json")
    body["lines"][0].update(line)
    return body


def _many_lines(w: Any) -> dict[str, Any]:
    body = application_input(w).model_dump(mode="json")
    body["lines"] = [dict(body["lines"][0], line_no=n) for n in range(1, 502)]
    return body


HTTP_CASES: tuple[HttpCase, ...] = (
    HttpCase("id above PostgreSQL's integer", "GET", "/api/applications/2147483648", "officer", 422),
    HttpCase("id above 2^63", "GET", "/api/applications/9223372036854775808", "officer", 422),
    HttpCase("permit key of digits beyond any id", "GET", "/api/permits/99999999999", "officer", 404),
    HttpCase("permit key of superscript digits", "GET", "/api/permits/%C2%B2", "officer", 404),
    HttpCase("NUL in a query string", "GET", "/api/measures?destination=T%00R", None, 400),
    HttpCase("NUL in a path", "GET", "/api/measures/A%00B", None, 400),
    HttpCase(
        "NUL in a party's name",
        "POST",
        "/api/parties",
        "officer",
        422,
        lambda w: {"name": "A\x00B", "country": "CA"},
    ),
    HttpCase(
        "party name of 301 characters",
        "POST",
        "/api/parties",
        "officer",
        422,
        lambda w: {"name": "N" * 301, "country": "CA"},
    ),
    HttpCase(
        "party name of 100,000 characters",
        "POST",
        "/api/parties",
        "officer",
        422,
        lambda w: {"name": "N" * 100_000, "country": "CA"},
    ),
    HttpCase(
        "line quantity 0", "POST", "/api/applications", "exporter", 422, lambda w: _draft(w, quantity=0)
    ),
    HttpCase(
        "line quantity 2^31",
        "POST",
        "/api/applications",
        "exporter",
        422,
        lambda w: _draft(w, quantity=2**31),
    ),
    HttpCase(
        "item code zzz", "POST", "/api/applications", "exporter", 422, lambda w: _draft(w, item_code="zzz")
    ),
    HttpCase(
        "currency XXX1", "POST", "/api/applications", "exporter", 422, lambda w: _draft(w, currency="XXX1")
    ),
    HttpCase(
        "unit value -1", "POST", "/api/applications", "exporter", 422, lambda w: _draft(w, unit_value="-1")
    ),
    HttpCase(
        "unit value 1e30",
        "POST",
        "/api/applications",
        "exporter",
        422,
        lambda w: _draft(w, unit_value="1e30"),
    ),
    HttpCase(
        "reversed validity",
        "POST",
        "/api/applications",
        "exporter",
        422,
        lambda w: (
            application_input(w).model_dump(mode="json")
            | {"requested_valid_from": "2021-01-01", "requested_valid_to": "2020-01-01"}
        ),
    ),
    HttpCase(
        "application dated year 1",
        "POST",
        "/api/applications",
        "exporter",
        422,
        lambda w: application_input(w).model_dump(mode="json") | {"application_date": "0001-01-01"},
    ),
    HttpCase("application of 501 lines", "POST", "/api/applications", "exporter", 422, _many_lines),
    HttpCase(
        "determination of item abc",
        "POST",
        "/api/determinations",
        None,
        422,
        lambda w: {"destination": "TR", "items": ["abc"]},
    ),
    HttpCase(
        "determination of product 2^40",
        "POST",
        "/api/determinations",
        None,
        422,
        lambda w: {"destination": "TR", "products": [2**40]},
    ),
    HttpCase(
        "determination of 20,000 items (public)",
        "POST",
        "/api/determinations",
        None,
        413,
        lambda w: {"destination": "TR", "items": ["2-15"] * 20_000},
    ),
    HttpCase(
        "shipment dated year 9999",
        "POST",
        "/api/shipments",
        "customs",
        422,
        lambda w: {
            "declaration_id": "D-1",
            "permit_id": 1,
            "shipped_on": "9999-01-01",
            "lines": [{"permit_line_no": 1, "quantity": 1}],
        },
    ),
    HttpCase(
        "shipment value -1",
        "POST",
        "/api/shipments",
        "customs",
        422,
        lambda w: {
            "declaration_id": "D-1",
            "permit_id": 1,
            "shipped_on": "2020-06-01",
            "lines": [{"permit_line_no": 1, "quantity": 1, "value": "-1"}],
        },
    ),
    HttpCase(
        "anonymous policy file",
        "POST",
        "/api/policy-files/apply",
        None,
        401,
        content=b"name: x\n" * 1000,
        headers={"content-type": "application/yaml"},
    ),
    HttpCase(
        "policy file with an alias bomb",
        "POST",
        "/api/policy-files/apply",
        "minister",
        422,
        content=b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
        headers={"content-type": "application/yaml"},
    ),
    HttpCase(
        "policy file nested 5,000 deep",
        "POST",
        "/api/policy-files/apply",
        "minister",
        422,
        content=b"[" * 5000 + b"]" * 5000,
        headers={"content-type": "application/yaml"},
    ),
    HttpCase(
        "policy file with a NUL byte",
        "POST",
        "/api/policy-files/apply",
        "minister",
        422,
        content=b"name: a\x00b\n",
        headers={"content-type": "application/yaml"},
    ),
    HttpCase(
        "malformed Authorization header",
        "POST",
        "/api/parties",
        None,
        401,
        lambda w: {"name": "x", "country": "CA"},
        headers={"authorization": "Basic eDp5"},
    ),
    HttpCase(
        "declared body over the limit",
        "POST",
        "/api/parties",
        "officer",
        413,
        content=b"{}",
        headers={"content-length": "2000000", "content-type": "application/json"},
    ),
    HttpCase(
        "body that is not JSON",
        "POST",
        "/api/parties",
        "officer",
        400,
        content=b"{not json",
        headers={"content-type": "application/json"},
    ),
    HttpCase(
        "JSON nested 100,000 deep",
        "POST",
        "/api/parties",
        "officer",
        400,
        content=b"[" * 100_000 + b"]" * 100_000,
        headers={"content-type": "application/json"},
    ),
)
