"""Re-screening after the real OFAC change (2024-04-02 -> 2024-05-03) against 100,000 permit
parties: only the changed entries run against an index of the parties, beside the full re-screen
of every party against both snapshots that it must agree with.

    python benchmarks/rescreening.py [--parties 100000] [--listed-share 0.01]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _innocent_names import InnocentNames
from _sanctions_data import read, require_data

from exportguard.adapters.sanctions_lists.ofac_sdn import parse_ofac_sdn
from exportguard.domain.screening.diff import diff_entries
from exportguard.domain.screening.entries import ListEntry, PartyQuery
from exportguard.domain.screening.index import PartyIndex, ScreeningIndex


def perturb(name: str, chooser: random.Random) -> str:
    """A listed name as an applicant might type it: reordered, a letter dropped, or as listed."""
    words = name.replace(",", " ").split()
    roll = chooser.random()
    if roll < 0.3 and len(words) > 1:
        words.reverse()
    elif roll < 0.6:
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        word = words[longest]
        if len(word) > 5:
            cut = chooser.randrange(1, len(word) - 1)
            words[longest] = word[:cut] + word[cut + 1 :]
    return " ".join(words)


def parties(
    new: list[ListEntry], changed: list[ListEntry], count: int, listed_share: float, seed: int
) -> list[PartyQuery]:
    """Generated innocent parties, plus a share drawn from the new list: half of it from the
    added and changed entries (the parties a re-screen must catch), half from the rest."""
    chooser = random.Random(seed)
    wanted = int(count * listed_share)
    from_changed = chooser.sample(changed, min(len(changed), wanted // 2))
    listed = from_changed + chooser.sample(new, wanted - len(from_changed))
    drawn = [PartyQuery(perturb(e.names[0], chooser), e.schema) for e in listed]
    generator = InnocentNames((n for e in new for n in e.names), seed=seed)
    innocent = [PartyQuery(n, s) for n, s in generator.generate(count - len(drawn))]
    return innocent + drawn


def flagged(index: ScreeningIndex, queries: list[PartyQuery]) -> set[tuple[str, str]]:
    return {(q.name, h.entry.entry_id) for q in queries for h in index.screen(q, limit=50)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parties", type=int, default=100_000)
    parser.add_argument("--listed-share", type=float, default=0.01)
    parser.add_argument("--skip-full", action="store_true", help="skip the slow full re-screen")
    args = parser.parse_args()
    require_data()
    old = parse_ofac_sdn({"sdn.csv": read("ofac-sdn-2024-04-02.csv")})
    new = parse_ofac_sdn({"sdn.csv": read("ofac-sdn-2024-05-03.csv")})
    diff = diff_entries(old.entries, new.entries)
    people = parties(list(new.entries), list(diff.to_rescreen), args.parties, args.listed_share, seed=5)
    print(f"OFAC {len(old.entries)} -> {len(new.entries)} entries: {diff.summary()}")
    print(f"{len(people)} parties ({int(args.parties * args.listed_share)} drawn from the list)")

    start = time.perf_counter()
    party_index = PartyIndex(people)
    build = time.perf_counter() - start
    # Rarity of the name parts over the new list, as screening forward judges them.
    rarity = ScreeningIndex(new.entries).rarity
    start = time.perf_counter()
    changed = diff_entries(old.entries, new.entries).to_rescreen
    hits = party_index.parties_hit_by(changed, rarity=rarity)
    rescreen = time.perf_counter() - start
    incremental = {(h.party.name, h.hit.entry.entry_id) for h in hits}
    print(
        f"re-screen against what changed ({len(changed)} entries): {rescreen:.2f} s "
        f"(+ {build:.2f} s to index the parties, kept between imports) = "
        f"{rescreen + build:.2f} s; {len({p for p, _ in incremental})} parties hit  goal < 10 s"
    )
    if args.skip_full:
        return
    start = time.perf_counter()
    before = flagged(ScreeningIndex(old.entries), people)
    after = flagged(ScreeningIndex(new.entries), people)
    full = time.perf_counter() - start
    newly = after - before
    missed = newly - incremental
    print(
        f"full re-screen of every party against both snapshots: {full:.1f} s; newly flagged "
        f"pairs {len(newly)} ({len({p for p, _ in newly})} parties); found by the re-screen "
        f"{len(newly) - len(missed)} of {len(newly)}; missed {len(missed)}"
    )
    for pair in sorted(missed)[:10]:
        print(f"   missed {pair}")


if __name__ == "__main__":
    main()
