"""Denied-party screening on the real lists (UN, OFAC, UK, SEMA together): quality and speed,
beside a naive rapidfuzz full scan measured in the same run (and nomenklatura's logic-v2 on the
name pairs when the optional ``bench`` extra is installed).

    python benchmarks/screening.py [--innocent 10000] [--workers 2]
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _innocent_names import InnocentNames
from _sanctions_data import load_lists, name_pairs, require_data, un_positives
from rapidfuzz import fuzz, process, utils

from exportguard.domain.screening.entries import PartyQuery, Schema
from exportguard.domain.screening.index import ScreeningIndex
from exportguard.domain.screening.matcher import ALGORITHM, ALGORITHM_VERSION, DEFAULT_THRESHOLD
from exportguard.domain.screening.names import parse_name
from exportguard.domain.screening.scorer import compare_names

BASELINE_CUTOFF = 90.0  # token_sort_ratio: plain fuzzy ratios flag most innocents much lower
_INDEX: ScreeningIndex | None = None


def f1(flags: Sequence[tuple[bool, bool]]) -> tuple[float, int, int, int]:
    tp = sum(1 for flagged, truth in flags if flagged and truth)
    fp = sum(1 for flagged, truth in flags if flagged and not truth)
    fn = sum(1 for flagged, truth in flags if not flagged and truth)
    return 2 * tp / (2 * tp + fp + fn), tp, fp, fn


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _screen_chunk(queries: list[PartyQuery]) -> int:
    assert _INDEX is not None
    return sum(1 for q in queries if _INDEX.screen(q) is not None)


def throughput(queries: list[PartyQuery], workers: int) -> float:
    """Names per second with ``workers`` forked processes sharing the built index."""
    chunks = [queries[i::workers] for i in range(workers)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        pool.map(_screen_chunk, [q[:50] for q in chunks])  # warm the workers
        start = time.perf_counter()
        pool.map(_screen_chunk, chunks)
        return len(queries) / (time.perf_counter() - start)


def latencies_ms(screen: Callable[[PartyQuery], object], queries: list[PartyQuery]) -> list[float]:
    out = []
    for query in queries:
        start = time.perf_counter()
        screen(query)
        out.append((time.perf_counter() - start) * 1000)
    return sorted(out)


def pct(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(len(values) * share))]


def nomenklatura_pairs(pairs: list[tuple[str, str, Schema, bool]]) -> None:
    # Optional extra: imported by name so that the benchmark runs without it.
    try:
        model = importlib.import_module("followthemoney").model
        logic_v2 = importlib.import_module("nomenklatura.matching").LogicV2
        scoring_config = importlib.import_module("nomenklatura.matching.types").ScoringConfig
    except ImportError:
        print("nomenklatura logic-v2: not installed (pip install -e '.[bench]'); skipped")
        return
    config = scoring_config.defaults()
    schema_names = {Schema.PERSON: "Person", Schema.VESSEL: "Vessel"}
    flags, times = [], []
    for pair_no, (first, second, schema, truth) in enumerate(pairs):
        entities = []
        for number, name in enumerate((first, second)):
            entity = model.make_entity(schema_names.get(schema, "Organization"))
            # Unique ids: logic-v2 caches name analysis by entity id, so reused ids score stale names.
            entity.id = f"p{pair_no}-e{number}"
            entity.add("name", name)
            entities.append(entity)
        start = time.perf_counter()
        result = logic_v2.compare(entities[0], entities[1], config)
        times.append(time.perf_counter() - start)
        flags.append((result.score >= 0.7, truth))
    score, tp, fp, fn = f1(flags)
    print(
        f"nomenklatura logic-v2: F1 {score:.3f} (tp {tp} fp {fp} fn {fn}) at 0.70, "
        f"median {statistics.median(times) * 1e6:.0f} us/pair"
    )


def main() -> None:
    global _INDEX  # noqa: PLW0603 - the forked workers read the index built here
    parser = argparse.ArgumentParser()
    parser.add_argument("--innocent", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline-sample", type=int, default=300)
    args = parser.parse_args()
    require_data()

    start = time.perf_counter()
    lists = load_lists()
    parse_seconds = time.perf_counter() - start
    entries = [e for listed in lists for e in listed.entries]
    rss_before = peak_rss_mb()
    start = time.perf_counter()
    _INDEX = index = ScreeningIndex(entries)
    build_seconds = time.perf_counter() - start
    print(f"algorithm {ALGORITHM} v{ALGORITHM_VERSION}, threshold {DEFAULT_THRESHOLD}")
    print(
        f"lists: {', '.join(f'{p.source} {len(p.entries)}' for p in lists)} = {len(index)} "
        f"entries, {index.name_count} names; parsed in {parse_seconds:.1f} s"
    )
    print(
        f"index build {build_seconds:.2f} s; peak RSS {peak_rss_mb():.0f} MB "
        f"({peak_rss_mb() - rss_before:.0f} MB over the parsed lists)"
    )

    pairs = name_pairs()
    flags = [
        (compare_names(parse_name(a, s), parse_name(b, s)).score >= DEFAULT_THRESHOLD, truth)
        for a, b, s, truth in pairs
    ]
    score, tp, fp, fn = f1(flags)
    print(f"name pairs ({len(pairs)}): F1 {score:.3f} (tp {tp} fp {fp} fn {fn})  goal >= 0.85")

    positives = un_positives()
    un_only = ScreeningIndex(lists[0].entries)
    found_un = sum(1 for q in positives if un_only.screen(q))
    found_all = sum(
        1 for q in positives if any(h.entry.source == lists[0].source for h in index.screen(q, limit=20))
    )
    print(
        f"UN positives ({len(positives)}): recall {found_un / len(positives):.2%} against the UN "
        f"list, {found_all / len(positives):.2%} among hits against all four  goal >= 99%"
    )

    generator = InnocentNames(n for e in entries for n in e.names)
    start = time.perf_counter()
    innocent = [PartyQuery(n, s) for n, s in generator.generate(args.innocent)]
    print(
        f"generated {len(innocent)} innocent names of {len(generator.cultures_used)} cultures in "
        f"{time.perf_counter() - start:.1f} s ({generator.rejected} rejected as colliding)"
    )
    flagged = [q for q in innocent if index.screen(q)]
    print(f"false positives: {len(flagged)} = {len(flagged) / len(innocent):.2%}  goal <= 0.5%")
    for query in flagged[:5]:
        print(f"   e.g. {query.name!r} -> {index.screen(query)[0].explanation}")

    queries = innocent + positives
    lat = latencies_ms(index.screen, queries)
    print(
        f"single query ({len(queries)}): p50 {pct(lat, 0.5):.2f} ms, p99 {pct(lat, 0.99):.2f} ms, "
        f"max {lat[-1]:.1f} ms  goal p99 < 10 ms"
    )
    rate = throughput(queries, args.workers)
    print(f"throughput on {args.workers} processes: {rate:,.0f} names/s  goal >= 2,000")

    baseline(entries, pairs, positives, innocent, args.baseline_sample)
    nomenklatura_pairs(pairs)
    print(f"peak RSS at the end {peak_rss_mb():.0f} MB")


def baseline(
    entries: Sequence[object],
    pairs: list[tuple[str, str, Schema, bool]],
    positives: list[PartyQuery],
    innocent: list[PartyQuery],
    sample: int,
) -> None:
    """Naive full scan with rapidfuzz token_sort_ratio over every listed name."""
    names = [n for e in entries for n in getattr(e, "names", ())]
    choices = [utils.default_process(n) for n in names]
    owner = [id(e) for e in entries for _ in getattr(e, "names", ())]
    by_id = {id(e): e for e in entries}

    def scan(query: PartyQuery) -> list[object]:
        found = process.extract(
            utils.default_process(query.name),
            choices,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=BASELINE_CUTOFF,
            limit=5,
            processor=None,
        )
        return [by_id[owner[i]] for _, _, i in found]

    flags = [
        (fuzz.token_sort_ratio(a, b, processor=utils.default_process) >= BASELINE_CUTOFF, t)
        for a, b, _, t in pairs
    ]
    score, tp, fp, fn = f1(flags)
    un_sample, innocent_sample = positives[:sample], innocent[:sample]
    recall = sum(1 for q in un_sample if any(getattr(e, "source", "") == "un-consolidated" for e in scan(q)))
    false = sum(1 for q in innocent_sample if scan(q))
    lat = latencies_ms(scan, innocent_sample)
    print(
        f"baseline rapidfuzz token_sort_ratio >= {BASELINE_CUTOFF:.0f}, full scan of "
        f"{len(choices)} names: F1 {score:.3f} (tp {tp} fp {fp} fn {fn}); UN recall "
        f"{recall / len(un_sample):.2%} and false positives {false / len(innocent_sample):.2%} "
        f"on {sample}-name samples; p50 {pct(lat, 0.5):.1f} ms, p99 {pct(lat, 0.99):.1f} ms "
        f"= {1000 / statistics.mean(lat):,.0f} names/s on one process"
    )


if __name__ == "__main__":
    main()
