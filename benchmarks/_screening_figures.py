"""The screening benchmark's measurements and printouts (quality, logic-v2 beside, speed)."""

from __future__ import annotations

import importlib
import multiprocessing
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from _evaluation_sets import Query
from anyascii import anyascii
from rapidfuzz import fuzz, process, utils

from exportguard.domain.screening.entries import ListEntry, PartyQuery, Schema
from exportguard.domain.screening.index import ScreeningIndex
from exportguard.domain.screening.matcher import Hit

LOGIC_V2_THRESHOLD = 0.70
BASELINE_CUTOFF = 90.0
_INDEX: ScreeningIndex | None = None


@dataclass(frozen=True)
class Outcome:
    query: Query
    hits: list[Hit]
    found: bool  # a listed name's target entry is among the hits
    homonym: bool  # an innocent name whose every part is a part of one listed name

    @property
    def flagged(self) -> bool:
        return bool(self.hits)


def f1(flags: Sequence[tuple[bool, bool]]) -> tuple[float, int, int, int]:
    tp = sum(1 for flagged, truth in flags if flagged and truth)
    fp = sum(1 for flagged, truth in flags if flagged and not truth)
    fn = sum(1 for flagged, truth in flags if not flagged and truth)
    return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), tp, fp, fn


def rss_mb() -> float:
    """Resident memory now (not the peak)."""
    with Path("/proc/self/status").open(encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def pct(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(len(values) * share))]


def _decisions(
    outcomes: Sequence[Outcome], flagged: Callable[[Outcome], bool], found: Callable[[Outcome], bool]
) -> list[tuple[bool, bool]]:
    """(decision, truth) per query: listed names must be found, innocent ones (not homonyms) not flagged."""
    out = []
    for o in outcomes:
        if o.query.target is not None:
            out.append((found(o), True))
        elif not o.homonym:
            out.append((flagged(o), False))
    return out


def print_quality(outcomes: list[Outcome]) -> None:
    innocent = [o for o in outcomes if o.query.target is None]
    homonyms = [o for o in innocent if o.homonym]
    plain = [o for o in innocent if not o.homonym]
    false = [o for o in plain if o.flagged]
    cultures = {o.query.culture for o in innocent}
    by_script: dict[str, list[Outcome]] = defaultdict(list)
    for o in plain:
        by_script[o.query.script].append(o)
    print(
        f"innocent names: {len(innocent)} of {len(cultures)} cultures, {len(by_script)} scripts; "
        f"false positives {len(false)} / {len(plain)} = {len(false) / max(1, len(plain)):.2%}  goal <= 0.3%"
    )
    print(
        f"  true homonyms (every part a listed name's): {sum(o.flagged for o in homonyms)} flagged "
        f"of {len(homonyms)} (counted apart)"
    )
    worst_script = max((sum(o.flagged for o in v) / len(v), k) for k, v in by_script.items())
    print(f"  per script (goal <= 0.5% each; worst {worst_script[1]} {worst_script[0]:.2%}):")
    print(
        "    "
        + ", ".join(
            f"{k} {sum(o.flagged for o in v)}/{len(v)}"
            for k, v in sorted(by_script.items(), key=lambda kv: -len(kv[1]))
        )
    )
    listed = [o for o in outcomes if o.query.target is not None]
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for o in listed:
        by_kind[o.query.kind].append(o)
    edited = [o for o in listed if not o.query.kind.startswith("original")]
    print(
        f"listed names with 1-2 edits, transpositions, reorderings: recall "
        f"{sum(o.found for o in edited) / max(1, len(edited)):.2%} "
        f"({sum(o.found for o in edited)}/{len(edited)})  goal >= 99%"
    )
    print("    " + ", ".join(f"{k} {sum(o.found for o in v)}/{len(v)}" for k, v in sorted(by_kind.items())))
    score, tp, fp, fn = f1(_decisions(outcomes, lambda o: o.flagged, lambda o: o.found))
    print(f"F1 on the labelled queries: {score:.3f} (tp {tp} fp {fp} fn {fn})  goal >= 0.90")
    missed = [o for o in edited if not o.found][:5]
    for o in missed:
        print(f"  missed {o.query.name!r} ({o.query.kind}) for listed {o.query.listed_name!r}")
    print("worst false positives:")
    for o in sorted(false, key=lambda o: -o.hits[0].score)[:10]:
        print(f"  {o.query.name!r} ({o.query.culture}, {o.query.script}) -> {o.hits[0].score:.3f}")
        print(f"      {o.hits[0].explanation}")


def logic_v2_beside(
    outcomes: list[Outcome], entries: list[ListEntry], latin: list[ListEntry], sample: int
) -> None:
    """OpenSanctions' logic-v2 on a sample of the same queries: candidates are the union of our
    retrieval (without its bound) and a rapidfuzz WRatio top 20 over transliterated names."""
    try:
        model = importlib.import_module("followthemoney").model
        logic_v2 = importlib.import_module("nomenklatura.matching").LogicV2
        config = importlib.import_module("nomenklatura.matching.types").ScoringConfig.defaults()
    except ImportError:
        print("\nnomenklatura logic-v2: not installed (pip install -e '.[bench]'); skipped")
        return
    step = max(1, len(outcomes) // sample)
    chosen = outcomes[::step][:sample]
    schema_names = {Schema.PERSON: "Person", Schema.VESSEL: "Vessel"}
    indexes = {id(entries): entries, id(latin): latin}
    entities: dict[tuple[int, tuple[str, str]], object] = {}
    names = {key: [anyascii(n).lower() for e in lst for n in e.names] for key, lst in indexes.items()}
    owners = {key: [e for e in lst for _ in e.names] for key, lst in indexes.items()}
    flags_ours, flags_theirs, by_script = [], [], defaultdict(lambda: [0, 0, 0])
    start = time.perf_counter()
    for number, o in enumerate(chosen):
        key = id(latin) if o.query.kind.startswith("original") else id(entries)
        found = process.extract(anyascii(o.query.name).lower(), names[key], scorer=fuzz.WRatio, limit=20)
        candidates = {owners[key][i].key: owners[key][i] for _, _, i in found}
        for hit in o.hits:
            candidates[hit.entry.key] = hit.entry
        query = model.make_entity(schema_names.get(o.query.schema, "Organization"))
        query.id = f"q{number}"
        query.add("name", o.query.name)
        best, best_key = 0.0, None
        for entry_key, entry in candidates.items():
            entity = entities.get((key, entry_key))
            if entity is None:
                entity = model.make_entity(schema_names.get(entry.schema, "Organization"))
                entity.id = f"e{len(entities)}"
                entity.add("name", list(entry.names))
                entities[(key, entry_key)] = entity
            result = logic_v2.compare(query, entity, config).score
            if result > best:
                best, best_key = result, entry_key
        theirs_flag = best >= LOGIC_V2_THRESHOLD
        theirs_found = o.query.target is not None and theirs_flag and best_key == o.query.target
        if o.query.target is None and not o.homonym:
            counts = by_script[o.query.script]
            counts[0] += o.flagged
            counts[1] += theirs_flag
            counts[2] += 1
        if o.query.target is not None:
            flags_ours.append((o.found, True))
            flags_theirs.append((theirs_found, True))
        elif not o.homonym:
            flags_ours.append((o.flagged, False))
            flags_theirs.append((theirs_flag, False))
    seconds = time.perf_counter() - start
    ours, theirs = f1(flags_ours), f1(flags_theirs)
    innocent = sum(c[2] for c in by_script.values())
    print(
        f"\nlogic-v2 beside ours on {len(chosen)} of the same queries ({seconds:.0f} s), "
        f"logic-v2 at {LOGIC_V2_THRESHOLD}:"
    )
    print(
        f"  F1 ours {ours[0]:.3f} (tp {ours[1]} fp {ours[2]} fn {ours[3]}), "
        f"logic-v2 {theirs[0]:.3f} (tp {theirs[1]} fp {theirs[2]} fn {theirs[3]})"
    )
    print(
        f"  false positives ours {sum(c[0] for c in by_script.values())}/{innocent}, logic-v2 "
        f"{sum(c[1] for c in by_script.values())}/{innocent}; by script (ours/logic-v2/total): "
        + ", ".join(f"{k} {c[0]}/{c[1]}/{c[2]}" for k, c in sorted(by_script.items()))
    )


def _screen_chunk(queries: list[PartyQuery]) -> int:
    assert _INDEX is not None
    return sum(1 for q in queries if _INDEX.screen(q))


def speed(
    index: ScreeningIndex, queries: list[PartyQuery], workers: int, soak: int
) -> tuple[list[float], float, tuple[float, float, float]]:
    """Latencies on one process, throughput on ``workers`` forked ones, memory over a long run."""
    global _INDEX  # noqa: PLW0603 - the forked workers read the index built here
    _INDEX = index
    before = rss_mb()
    lat = []
    for query in queries:
        start = time.perf_counter()
        index.screen(query)
        lat.append((time.perf_counter() - start) * 1000)
    lat.sort()
    chunks = [queries[i::workers] for i in range(workers)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        pool.map(_screen_chunk, [c[:50] for c in chunks])
        start = time.perf_counter()
        pool.map(_screen_chunk, chunks)
        rate = len(queries) / (time.perf_counter() - start)
    after_warm = before
    for number in range(soak):
        index.screen(
            queries[number % len(queries)] if number % 2 else _shifted(queries[number % len(queries)], number)
        )
        if number == 10_000:
            after_warm = rss_mb()
    return lat, rate, (before, after_warm, rss_mb())


def _shifted(query: PartyQuery, number: int) -> PartyQuery:
    """A query not seen before (so caches meet new names all the way through the run)."""
    words = query.name.split()
    return PartyQuery(
        " ".join([*words[1:], words[0] + str(number % 97)]) if len(words) > 1 else query.name + "x",
        query.schema,
    )


def baseline_scan(entries: list[ListEntry], outcomes: list[Outcome], sample: int) -> None:
    """Naive full scan with rapidfuzz token_sort_ratio over every listed name."""
    names = [n for e in entries for n in e.names]
    choices = [utils.default_process(n) for n in names]
    owner = [e for e in entries for _ in e.names]
    innocent = [o for o in outcomes if o.query.target is None and not o.homonym][:sample]
    listed = [o for o in outcomes if o.query.target is not None and not o.query.kind.startswith("original")][
        :sample
    ]

    def scan(query: Query) -> list[ListEntry]:
        found = process.extract(utils.default_process(query.name), choices, scorer=fuzz.token_sort_ratio,
                                score_cutoff=BASELINE_CUTOFF, limit=5, processor=None)  # fmt: skip
        return [owner[i] for _, _, i in found]

    times = []
    false = 0
    for o in innocent:
        start = time.perf_counter()
        false += bool(scan(o.query))
        times.append(time.perf_counter() - start)
    recall = sum(1 for o in listed if any(e.key == o.query.target for e in scan(o.query)))
    print(
        f"baseline rapidfuzz token_sort_ratio >= {BASELINE_CUTOFF:.0f}, full scan of {len(choices)} names, "
        f"on {len(innocent)} innocent and {len(listed)} altered listed names: false positives "
        f"{false / max(1, len(innocent)):.2%}, recall {recall / max(1, len(listed)):.2%}, "
        f"{1 / statistics.mean(times):,.0f} names/s on one process"
    )
