"""The transparency reports as open data: CSV and JSON that are byte-identical for the same inputs.

Every dataset is a list of flat rows with declared columns (the data dictionary, ``DATASETS``), in
a fixed order; numbers are written as plain decimals, dates as ISO 8601, a withheld value as an
empty CSV cell / JSON null. Text from the records is escaped against spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from exportguard.i18n import LazyText
from exportguard.i18n import lazy_gettext as _l
from exportguard.services.transparency.annual import AnnualReport
from exportguard.services.transparency.att import AttReport

Row = dict[str, object]


@dataclass(frozen=True)
class Column:
    name: str
    description: LazyText
    kind: str  # text, integer, decimal, date, boolean


@dataclass(frozen=True)
class Dataset:
    name: str
    title: LazyText
    description: LazyText
    columns: tuple[Column, ...]
    rows: Callable[[AnnualReport | AttReport], list[Row]]


def _c(name: str, kind: str, description: LazyText) -> Column:
    return Column(name, description, kind)


def _figure_rows(report: AnnualReport, attr: str, names: Sequence[str]) -> list[Row]:
    out: list[Row] = []
    for f in getattr(report, attr):
        row: Row = {"year": report.year, **dict(zip(names, f.key, strict=True))}
        if "destination" in row:
            row["destination_name"] = report.country_names.get(str(row["destination"]), "")
        row.update(quantity=f.quantity, value=f.value, currency=report.currency, withheld=f.value is None)
        out.append(row)
    return out


def _annual(fn: Callable[[AnnualReport], list[Row]]) -> Callable[[AnnualReport | AttReport], list[Row]]:
    def rows(report: AnnualReport | AttReport) -> list[Row]:
        assert isinstance(report, AnnualReport)
        return fn(report)

    return rows


def _att(report: AnnualReport | AttReport) -> list[Row]:
    assert isinstance(report, AttReport)
    return [r.model_dump() for r in report.rows]


YEAR = _c("year", "integer", _l("The calendar year reported"))
DEST = _c("destination", "text", _l("Final destination, ISO 3166-1 alpha-2 code"))
DEST_NAME = _c("destination_name", "text", _l("Final destination, name"))
QTY = _c("quantity", "integer", _l("Number of items actually exported (shipments, net of reversals)"))
VALUE = _c("value", "decimal", _l("Value actually exported; empty where withheld by the disclosure rule"))
CUR = _c("currency", "text", _l("ISO 4217 currency of the values"))
WITHHELD = _c(
    "withheld", "boolean", _l("True where fewer exporters stand behind the value than the rule needs")
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "exports-by-destination",
            _l("Military exports by destination"),
            _l("Actual exports of ECL Groups 2 and 9 in the year, by final destination (EIPA s.27)."),
            (YEAR, DEST, DEST_NAME, QTY, VALUE, CUR, WITHHELD),
            _annual(lambda r: _figure_rows(r, "by_destination", ("destination",))),
        ),
        Dataset(
            "exports-by-region",
            _l("Military exports by region"),
            _l("Actual exports in the year, by region."),
            (YEAR, _c("region", "text", _l("Region (data/regions.yaml)")), QTY, VALUE, CUR, WITHHELD),
            _annual(lambda r: _figure_rows(r, "by_region", ("region",))),
        ),
        Dataset(
            "exports-by-destination-and-item",
            _l("Military exports by destination and ECL item"),
            _l(
                "The annex matrix: actual exports by destination and Export Control List item "
                "(2-1 ... 2-22, 9-x)."
            ),
            (
                YEAR,
                DEST,
                DEST_NAME,
                _c("item_code", "text", _l("Export Control List item")),
                QTY,
                VALUE,
                CUR,
                WITHHELD,
            ),
            _annual(lambda r: _figure_rows(r, "by_destination_and_item", ("destination", "item_code"))),
        ),
        Dataset(
            "measures",
            _l("Destination measures adopted, revised, lifted or ended"),
            _l("The year's policy developments: measures by date."),
            (
                YEAR,
                _c("on", "date", _l("Effective date")),
                _c("change", "text", _l("adopted, revised, lifted or ended")),
                DEST,
                _c("kind", "text", _l("Kind of measure")),
                _c("title", "text", _l("Title")),
                _c("legal_basis", "text", _l("Legal basis")),
                _c("source", "text", _l("Published source")),
            ),
            _annual(lambda r: [{"year": r.year, **m.model_dump()} for m in r.measures]),
        ),
        Dataset(
            "ministerial-acts",
            _l("Ministerial acts on permits (EIPA s.10)"),
            _l(
                "Suspensions, reinstatements, cancellations and amendments decided in bulk, "
                "with reasons and counts."
            ),
            (
                YEAR,
                _c("on", "date", _l("Effective date")),
                _c("act", "text", _l("suspend, reinstate, cancel, amend_validity")),
                _c("reference", "text", _l("Decision reference")),
                _c("reason", "text", _l("Reason given")),
                _c("legal_basis", "text", _l("Legal basis")),
                _c("destinations", "text", _l("Destinations concerned, ';'-separated")),
                _c("permits", "integer", _l("Number of permits")),
            ),
            _annual(
                lambda r: [
                    {"year": r.year, **a.model_dump(), "destinations": ";".join(a.destinations)}
                    for a in r.ministerial_acts
                ]
            ),
        ),
        Dataset(
            "exceptions",
            _l("Exceptions granted against a measure"),
            _l(
                "Approvals granted as exceptions to a presumptive denial, "
                "with their ground and the authority."
            ),
            (
                YEAR,
                _c("on", "date", _l("Decision date")),
                DEST,
                _c("items", "text", _l("ECL items, ';'-separated")),
                _c("measure", "text", _l("Measure excepted")),
                _c("ground", "text", _l("Exception ground")),
                _c("decided_by_role", "text", _l("Authority that decided")),
            ),
            _annual(
                lambda r: [
                    {"year": r.year, **e.model_dump(), "items": ";".join(e.items)} for e in r.exceptions
                ]
            ),
        ),
        Dataset(
            "denials",
            _l("Permit denials"),
            _l("Denials by destination, item and reason (as the report lists them)."),
            (
                YEAR,
                _c("on", "date", _l("Decision date")),
                DEST,
                _c("items", "text", _l("ECL items, ';'-separated")),
                _c("reasons", "text", _l("Reasons, ';'-separated")),
            ),
            _annual(
                lambda r: [
                    {
                        "year": r.year,
                        **d.model_dump(),
                        "items": ";".join(d.items),
                        "reasons": ";".join(d.reasons),
                    }
                    for d in r.denials
                ]
            ),
        ),
        Dataset(
            "att-exports",
            _l("Arms Trade Treaty annual report: exports"),
            _l("Authorised and actual exports of the ATT Art. 2(1) categories, in the template's columns."),
            (
                YEAR,
                _c("category", "text", _l("UN Register category (I-VIII)")),
                _c("subcategory", "text", _l("Sub-category")),
                _c("final_importing_state", "text", _l("Final importing State, ISO code")),
                _c("authorised_items", "integer", _l("Number of items authorised (permits issued)")),
                _c("authorised_value", "decimal", _l("Value authorised")),
                _c("actual_items", "integer", _l("Number of items actually exported")),
                _c("actual_value", "decimal", _l("Value actually exported")),
                CUR,
                _c("description", "text", _l("Description of items (ECL items)")),
                _c("comments", "text", _l("Comments")),
                _c("public", "boolean", _l("Whether the row may be made public")),
            ),
            _att,
        ),
    )
}

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, Decimal, int)):
        return str(value) if not isinstance(value, date) else value.isoformat()
    s = str(value)
    # A cell that a spreadsheet would run as a formula is kept as text (OWASP CSV injection).
    return "'" + s if s.startswith(FORMULA_START) and not _is_number(s) else s


def _is_number(s: str) -> bool:
    try:
        Decimal(s)
    except ArithmeticError:
        return False
    return True


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_csv(dataset: Dataset, rows: Iterable[Mapping[str, object]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    names = [c.name for c in dataset.columns]
    writer.writerow(names)
    for row in rows:
        writer.writerow([_text(row.get(n)) for n in names])
    return buf.getvalue().encode("utf-8")


def to_json(dataset: Dataset, rows: Iterable[Mapping[str, object]], year: int) -> bytes:
    names = [c.name for c in dataset.columns]
    body = {
        "dataset": dataset.name,
        "title": str(dataset.title),
        "year": year,
        "columns": names,
        "rows": [{n: _json_value(row.get(n)) for n in names} for row in rows],
    }
    return (json.dumps(body, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def dictionary() -> list[dict[str, object]]:
    """The data dictionary: every dataset, its columns, their types and meaning."""
    return [
        {"dataset": d.name, "title": str(d.title), "description": str(d.description),
         "columns": [{"name": c.name, "type": c.kind, "description": str(c.description)} for c in d.columns]}
        for d in DATASETS.values()
    ]  # fmt: skip


def render(name: str, report: AnnualReport | AttReport, fmt: str) -> bytes:
    dataset = DATASETS[name]
    rows = dataset.rows(report)
    return to_csv(dataset, rows) if fmt == "csv" else to_json(dataset, rows, report.year)


def json_bytes(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, default=str) + "\n").encode("utf-8")
