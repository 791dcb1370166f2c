"""`python -m bench [--only NAME] [--runs N] [--large]`: run the benchmarks and write results and a summary."""

from __future__ import annotations

import argparse
import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench import backup, board, growth, inproc, memory, pdf, server, signing, translog

BENCHMARKS = {
    "backup": backup.run,
    "pdf": pdf.run,
    "growth": growth.run,
    "inproc": inproc.run,
    "server": server.run,
    "board": board.run,
    "memory": memory.run,
    "signing": signing.run,
    "translog": translog.run,
}
RESULTS = Path(__file__).with_name("results")


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="Etikdialog benchmarks")
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--large",
        action="store_true",
        help="growth up to 100,000 published (seeding takes minutes once; kept in bench/.data "
        "and the etikdialog_bench database)",
    )
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    when = datetime.now(UTC).isoformat(timespec="seconds")
    lines = [f"# Benchmark results, {when}", "", f"Machine: {json.dumps(machine(), ensure_ascii=False)}", ""]
    for name in args.only or sorted(BENCHMARKS):
        options = {"large": args.large} if name in ("growth", "memory", "backup") else {}
        result = BENCHMARKS[name](runs=args.runs, **options) | {"machine": machine(), "measured_at": when}
        (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        lines.append(f"- {'met' if result['met'] else 'NOT MET'}: {result['summary']}")
        print(lines[-1])
    (RESULTS / "summary.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
