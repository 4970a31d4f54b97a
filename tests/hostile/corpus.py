"""Hand-made hostile inputs (issue 11), each named, shared by the tests and the hostile-input report
(benchmarks/hostile_input.py). A list file case says which line the refusal must name (None: the
file may be read, but nothing may crash)."""

from __future__ import annotations

from dataclasses import dataclass

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
