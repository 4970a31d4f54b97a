"""The Registry of Lobbyists' open data (Canada, Office of the Commissioner of Lobbying).

The communication reports come as CSV files, in a zip archive or a folder:
``Communication_PrimaryExport.csv`` (COMLOG_ID, client, registrant, COMM_DATE, ...),
``Communication_DpohExport.csv`` (the designated public office holders met, with title and
institution) and ``Communication_SubjectMattersExport.csv`` (the subject matters). The exports are
Windows-1252 as often as UTF-8: both are read. Unknown columns are ignored; a missing one is an
error naming the file and the column.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from exportguard.domain.errors import InvalidInput

PRIMARY = "Communication_PrimaryExport.csv"
DPOH = "Communication_DpohExport.csv"
SUBJECTS = "Communication_SubjectMattersExport.csv"
PRIMARY_COLUMNS = ("COMLOG_ID", "EN_CLIENT_ORG_CORP_NM_AN", "RGSTRNT_LAST_NM_DCLRNT", "COMM_DATE")


@dataclass(frozen=True)
class Official:
    name: str
    title: str
    institution: str
    branch: str = ""


@dataclass
class Communication:
    comlog_id: str
    client: str
    client_number: str
    lobbyist: str
    registrant_number: str
    registration_type: str
    communicated_on: date
    posted_on: date | None
    amends: str
    officials: list[Official] = field(default_factory=list)
    subject_matters: list[str] = field(default_factory=list)

    @property
    def institutions(self) -> list[str]:
        return sorted({o.institution for o in self.officials if o.institution})


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def files_from_zip(raw: bytes, *, field: str = "source") -> dict[str, bytes]:
    """The export's CSV files by name, from the zip archive the registry publishes."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return {Path(n).name: archive.read(n) for n in archive.namelist() if n.lower().endswith(".csv")}
    except zipfile.BadZipFile:
        raise InvalidInput.of(
            field, "expected the registry's export as a zip archive (or a folder)"
        ) from None


def read_files(source: Path) -> dict[str, bytes]:
    """The export's files by name, from a zip archive or a folder."""
    if not source.exists():
        raise InvalidInput.of("source", f"{source} does not exist")
    if source.is_dir():
        return {p.name: p.read_bytes() for p in source.iterdir() if p.suffix.lower() == ".csv"}
    return files_from_zip(source.read_bytes())


def _rows(files: Mapping[str, bytes], name: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(_text(files[name])))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput.of(name, f"missing column(s) {', '.join(missing)}")
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _date(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise InvalidInput.of(where, f"'{value}' is not a date (YYYY-MM-DD)") from None


def parse(files: Mapping[str, bytes]) -> list[Communication]:
    if PRIMARY not in files:
        raise InvalidInput.of("source", f"no {PRIMARY} in the export")
    found: dict[str, Communication] = {}
    for n, row in enumerate(_rows(files, PRIMARY, PRIMARY_COLUMNS), start=2):
        comlog = row["COMLOG_ID"]
        if not comlog:
            raise InvalidInput.of(f"{PRIMARY} line {n}", "COMLOG_ID is empty")
        lobbyist = " ".join(
            p for p in (row.get("RGSTRNT_1ST_NM_PRENOM_DCLRNT", ""), row["RGSTRNT_LAST_NM_DCLRNT"]) if p
        )
        posted = row.get("POSTED_DATE_PUBLICATION", "")
        found[comlog] = Communication(
            comlog_id=comlog,
            client=row["EN_CLIENT_ORG_CORP_NM_AN"] or row.get("FR_CLIENT_ORG_CORP_NM", ""),
            client_number=row.get("CLIENT_ORG_CORP_NUM", ""),
            lobbyist=lobbyist,
            registrant_number=row.get("REGISTRANT_NUM_DECLARANT", ""),
            registration_type=row.get("REG_TYPE_ENR", ""),
            communicated_on=_date(row["COMM_DATE"], f"{PRIMARY} line {n} COMM_DATE"),
            posted_on=_date(posted, f"{PRIMARY} line {n} POSTED_DATE_PUBLICATION") if posted else None,
            amends=row.get("PREV_COMLOG_ID_PRECEDNT", ""),
        )
    officials: dict[str, list[Official]] = defaultdict(list)
    if DPOH in files:
        for row in _rows(files, DPOH, ("COMLOG_ID", "DPOH_LAST_NM_TCPD")):
            name = " ".join(
                p for p in (row.get("DPOH_FIRST_NM_PRENOM_TCPD", ""), row["DPOH_LAST_NM_TCPD"]) if p
            )
            institution = row.get("INSTITUTION", "") or row.get("OTHER_INSTITUTION_AUTRE", "")
            officials[row["COMLOG_ID"]].append(
                Official(
                    name,
                    row.get("DPOH_TITLE_TITRE_TCPD", ""),
                    institution,
                    row.get("BRANCH_UNIT_DIRECTION_SERVICE", ""),
                )
            )
    subjects: dict[str, list[str]] = defaultdict(list)
    if SUBJECTS in files:
        rows = _rows(files, SUBJECTS, ("COMLOG_ID",))
        for row in rows:
            subject = row.get("SUBJ_MATTER_OBJET") or row.get("SUBJECT_CODE_OBJET") or ""
            if subject:
                subjects[row["COMLOG_ID"]].append(subject)
    for comlog, communication in found.items():
        communication.officials = officials.get(comlog, [])
        communication.subject_matters = sorted(set(subjects.get(comlog, [])))
    return sorted(found.values(), key=lambda c: (c.communicated_on, c.comlog_id))
