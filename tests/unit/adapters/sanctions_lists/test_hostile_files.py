"""Issue 11: every parser refuses hostile files with the line at fault, or reads them: never a crash."""

from __future__ import annotations

import pytest

from exportguard.adapters.sanctions_lists.local_files import read_list_bytes
from exportguard.adapters.sanctions_lists.snapshot import MalformedListFile, ParsedList
from tests.hostile.corpus import LIST_FILES, ListFileCase


@pytest.mark.parametrize("case", LIST_FILES, ids=[c.name for c in LIST_FILES])
def test_hostile_list_file(case: ListFileCase) -> None:
    named = list(case.files.items())
    if case.refused_at is None:
        assert isinstance(read_list_bytes(case.source, named), ParsedList)
        return
    with pytest.raises(MalformedListFile) as refused:
        read_list_bytes(case.source, named)
    assert case.refused_at in [p.field for p in refused.value.problems], refused.value
