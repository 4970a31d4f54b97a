"""Denied-party screening on the real lists (UN, OFAC, UK, SEMA together): quality and speed,
screened the way the workflow screens a party (name and kind, no date of birth, threshold 0.75),
beside OpenSanctions' logic-v2 (the ``bench`` extra) on the same queries and a naive rapidfuzz
full scan, all measured in the same run.

The evaluation sets are built afresh with fixed seeds (see ``_evaluation_sets``): innocent names
of 44 locales from Faker's tables, and listed names altered by edits, transpositions, reordering
or given in their original script; entries are split in two (development / held-out).

    python benchmarks/screening.py [--innocent 4000] [--listed 1000] [--soak 100000] [--workers 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _evaluation_sets import (
    Homonyms,
    Query,
    innocent_names,
    latin_only,
    listed_variants,
    original_script_queries,
    split_of,
)
from _sanctions_data import load_lists, name_pairs, require_data, un_positives
from _screening_figures import (
    Outcome,
    baseline_scan,
    f1,
    logic_v2_beside,
    pct,
    print_quality,
    rss_mb,
    speed,
)

from exportguard.domain.screening.entries import PartyQuery
from exportguard.domain.screening.index import ScreeningIndex
from exportguard.domain.screening.matcher import ALGORITHM, ALGORITHM_VERSION, DEFAULT_THRESHOLD
from exportguard.domain.screening.names import parse_name
from exportguard.domain.screening.scorer import compare_names

SEEDS = (20261130, 73019)  # development, held-out


def screen_all(index: ScreeningIndex, queries: list[Query], homonyms: Homonyms) -> list[Outcome]:
    out = []
    for query in queries:
        hits = index.screen(PartyQuery(query.name, query.schema), limit=10)
        found = query.target is not None and any(h.entry.key == query.target for h in hits)
        out.append(Outcome(query, hits, found, query.target is None and query in homonyms))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--innocent", type=int, default=4000, help="innocent names per split")
    parser.add_argument("--listed", type=int, default=1000, help="altered listed names per split")
    parser.add_argument("--soak", type=int, default=100_000, help="queries for the memory run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--logic-v2-sample", type=int, default=600)
    parser.add_argument("--baseline-sample", type=int, default=200)
    args = parser.parse_args()
    require_data()

    start = time.perf_counter()
    lists = load_lists()
    entries = [e for listed in lists for e in listed.entries]
    parse_seconds = time.perf_counter() - start
    rss_lists = rss_mb()
    start = time.perf_counter()
    index = ScreeningIndex(entries)
    build_seconds = time.perf_counter() - start
    rss_index = rss_mb()
    print(f"algorithm {ALGORITHM} v{ALGORITHM_VERSION}, threshold {DEFAULT_THRESHOLD}")
    print(
        f"lists: {', '.join(f'{p.source} {len(p.entries)}' for p in lists)} = {len(index)} entries, "
        f"{index.name_count} names; parsed in {parse_seconds:.1f} s; index built in {build_seconds:.1f} s; "
        f"RSS {rss_lists:.0f} MB with the lists, {rss_index:.0f} MB with the index"
    )

    pairs = name_pairs()
    flags = [
        (compare_names(parse_name(a, s), parse_name(b, s)).score >= DEFAULT_THRESHOLD, truth)
        for a, b, s, truth in pairs
    ]
    score, tp, fp, fn = f1(flags)
    print(f"dev name pairs ({len(pairs)}, ../shared/data/names): F1 {score:.3f} (tp {tp} fp {fp} fn {fn})")
    positives = un_positives()
    un_only = ScreeningIndex(lists[0].entries)
    found_un = sum(1 for q in positives if un_only.screen(q))
    print(
        f"UN positives ({len(positives)}, with DOB and nationality): recall {found_un / len(positives):.2%}"
    )

    homonyms = Homonyms((n, e.schema) for e in entries for n in e.names)
    latin_index = ScreeningIndex(latin_only(entries))
    outcomes_by_split: list[list[Outcome]] = []
    for split, seed in enumerate(SEEDS):
        label = ("development", "held-out")[split]
        chosen = [e for e in entries if split_of(e) == split]
        innocent = innocent_names(args.innocent, seed)
        variants = listed_variants(chosen, args.listed, seed)
        originals = original_script_queries(chosen, args.listed // 3, seed)
        outcomes = screen_all(index, innocent + variants, homonyms)
        outcomes += screen_all(latin_index, originals, homonyms)
        print(f"\n== {label} split (seed {seed}; {len(chosen)} entries) ==")
        print_quality(outcomes)
        outcomes_by_split.append(outcomes)

    everything = [o for outcomes in outcomes_by_split for o in outcomes]
    logic_v2_beside(everything, entries, latin_only(entries), args.logic_v2_sample)

    queries = [PartyQuery(o.query.name, o.query.schema) for o in everything]
    lat, rate, memory = speed(index, queries, args.workers, args.soak)
    print(
        f"\nsingle query ({len(lat)}): p50 {pct(lat, 0.5):.2f} ms, p99 {pct(lat, 0.99):.2f} ms, "
        f"max {lat[-1]:.1f} ms  goal p99 < 10 ms"
    )
    print(f"throughput on {args.workers} processes: {rate:,.0f} names/s  goal >= 2,000")
    print(
        f"resident memory: {memory[0]:.0f} MB before, {memory[1]:.0f} MB after the first 10,000 "
        f"queries, {memory[2]:.0f} MB after {args.soak:,} queries  goal: flat"
    )
    baseline_scan(entries, everything, args.baseline_sample)


if __name__ == "__main__":
    main()
