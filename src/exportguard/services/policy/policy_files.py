"""A destination policy file (YAML), reviewed like code and applied idempotently (STYLE 13).

Applying a file records each measure it names that is not yet recorded, records a new version of
each measure whose content changed, and leaves the others alone: the same file applied twice
changes nothing the second time. The whole file is one unit of work: all of it or none of it.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from pydantic import Field, ValidationError

from exportguard.adapters.yaml_files import load_yaml
from exportguard.domain.access import Action
from exportguard.domain.errors import InvalidInput, Problem
from exportguard.services.kernel.common import Input, NonEmpty, View
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.policy.measures import (
    MeasureInput,
    latest_version,
    measure_view,
    same_content,
    write_measure,
)


class PolicyFile(Input):
    name: NonEmpty = Field(description="What the file sets, e.g. 'destination-policy'")
    measures: list[MeasureInput] = Field(min_length=1, max_length=1000)


class ApplyReport(View):
    file: str
    content_hash: str
    recorded: list[str] = []
    revised: list[str] = []
    unchanged: list[str] = []

    @property
    def changed(self) -> bool:
        return bool(self.recorded or self.revised)


def parse_policy_file(text: str) -> tuple[PolicyFile, str]:
    """The file's measures and its SHA-256 (recorded as the source of what it changed)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    loaded = load_yaml(text)
    if not isinstance(loaded, dict):
        raise InvalidInput.of("file", "expected a mapping with 'name' and 'measures'")
    try:
        policy = PolicyFile.model_validate(loaded)
    except ValidationError as exc:
        problems = [Problem(".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()]
        raise InvalidInput("the policy file is invalid", problems) from None
    repeated = [k for k, n in Counter(m.key for m in policy.measures).items() if n > 1]
    if repeated:
        raise InvalidInput.of("measures", f"each key appears once; repeated: {', '.join(repeated)}")
    return policy, digest


def apply_policy_file(
    uow: UnitOfWork, policy: PolicyFile, content_hash: str, *, only: set[str] | None = None
) -> ApplyReport:
    """Bring the recorded measures in line with the file (``only``: just these keys)."""
    uow.require(Action.MANAGE_POLICIES)
    report = ApplyReport(file=policy.name, content_hash=content_hash)
    for data in policy.measures:
        if only is not None and data.key not in only:
            continue
        current = latest_version(uow.session, data.key)
        reason = data.reason
        if reason == MeasureInput.model_fields["reason"].default:
            reason = f"policy file {policy.name} (sha256 {content_hash[:12]})"
        stamped = data.model_copy(update={"reason": reason})
        if current is None:
            write_measure(uow, stamped, version=1, before=None)
            report.recorded.append(f"{data.key}/v1")
        elif same_content(current, data):
            report.unchanged.append(f"{data.key}/v{current.version}")
        else:
            write_measure(uow, stamped, version=current.version + 1, before=measure_view(current))
            report.revised.append(f"{data.key}/v{current.version + 1}")
    uow.commit()
    return report
