"""Run ExportGuard's benchmarks: `./run bench` runs them all, `./run bench NAME [ARGS]` runs one.

Each benchmark is a program in this folder that prints its figures next to a baseline measured in
the same run (STYLE.md 12: benchmarks are programs, not timed tests).
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def available() -> list[str]:
    return sorted(
        p.stem for p in HERE.glob("*.py") if p.stem not in {"run", "__init__"} and not p.stem.startswith("_")
    )


def main(argv: list[str]) -> int:
    names = available()
    if argv and argv[0] in {"-h", "--help"}:
        print(__doc__)
        print("benchmarks:", ", ".join(names))
        return 0
    chosen = [argv[0]] if argv else names
    for name in chosen:
        if name not in names:
            print(f"no benchmark named {name!r}; available: {', '.join(names)}", file=sys.stderr)
            return 2
        print(f"== benchmark: {name} ==", flush=True)
        sys.argv = [str(HERE / f"{name}.py"), *argv[1:]]
        runpy.run_path(str(HERE / f"{name}.py"), run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
