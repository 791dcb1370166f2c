"""Backups: size and time of `flask export` uncompressed, gzip, zstd and zstd+age, and of `flask
backup verify` on the zstd file, at the growth benchmark's largest size (10,000 published; 100,000
with --large), on SQLite.

Each command runs in a fresh process through the real CLI, which reports its peak resident set too
(VmHWM), so the figures include the atomic write, the fsync and the SHA-256. The seeded records
share one PDF (app/demo/bulk.py), which zstd's window of a few MB finds again from record to
record: its ratio here is better than real, distinct PDFs would give. gzip's 32 KB window cannot
reach from one record's PDF to the next, so its ratio is about what real data gives.
`make bench BENCH_ARGS="--only backup"`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import growth

ROOT = Path(__file__).resolve().parent.parent
FORMATS = {"json": "none", "json.gz": "gzip", "json.zst": "zstd", "json.zst.age": "zstd+age"}


def child(arguments: list[str], config: dict) -> dict:
    """One CLI command in this (fresh) process: its exit code, seconds and peak RSS."""
    from app import create_app

    app = create_app({"TESTING": False, "SECRET_KEY": "bench-" + "x" * 40, "PUBLIC_PAGE_CACHE": False, **config})
    start = time.perf_counter()
    result = app.test_cli_runner().invoke(args=arguments)
    seconds = time.perf_counter() - start
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    return {"exit_code": result.exit_code, "seconds": round(seconds, 1), "peak_mb": round(peak, 1)}


def _run_child(arguments: list[str], config: dict) -> dict:
    completed = subprocess.run(  # noqa: S603 - this interpreter, this module, our own arguments
        [sys.executable, "-m", "bench.backup", json.dumps(arguments), json.dumps(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    measured = json.loads(completed.stdout.strip().splitlines()[-1]) if completed.returncode == 0 else {}
    if completed.returncode != 0 or measured.get("exit_code"):
        raise RuntimeError(f"backup {arguments[:2]} failed: {completed.stdout[-1000:]} {completed.stderr[-2000:]}")
    return measured


def run(runs: int = 1, large: bool = False) -> dict:
    import pyrage

    n = growth.LARGE if large or os.environ.get("BENCH_LARGE") == "1" else growth.SIZES[-1]
    app = growth.seeded_app("sqlite", None, n)  # seeded once, kept in bench/.data
    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "LOG_SIGNING_KEY_FILE")}
    identity = pyrage.x25519.Identity.generate()
    results: dict = {}
    with tempfile.TemporaryDirectory(dir=growth.DATA) as directory:
        key_file = Path(directory) / "key.txt"
        key_file.write_text(f"{identity}\n")
        for suffix, label in FORMATS.items():
            path = Path(directory) / f"backup.{suffix}"
            options = ["--recipient", str(identity.to_public())] if "age" in suffix else []
            print(f"  backup: export {label} at {n:,}", flush=True)
            measured = _run_child(["export", str(path), "--with-password-hashes", *options], config)
            results[label] = measured | {"file_mb": round(path.stat().st_size / 2**20, 1)}
            if label != "zstd":
                path.unlink()
        print(f"  backup: verify zstd at {n:,}", flush=True)
        results["verify zstd"] = _run_child(["backup", "verify", str(Path(directory) / "backup.json.zst")], config)
    plain = results["none"]["file_mb"]
    described = "; ".join(
        f"{label} {value['file_mb']} MB ({value['file_mb'] / plain:.1%}) in {value['seconds']} s, peak {value['peak_mb']} MB"
        for label, value in results.items()
        if "file_mb" in value
    )
    verify = results["verify zstd"]
    return {
        "name": "backup",
        "published": n,
        "results": results,
        "met": True,  # a measurement, no target
        "summary": (
            f"Backup at {n:,} published on SQLite (seeded records share one PDF: zstd's ratio is better than "
            f"real): {described}; backup verify of the zstd file {verify['seconds']} s, peak {verify['peak_mb']} MB"
        ),
    }


if __name__ == "__main__":
    print(json.dumps(child(json.loads(sys.argv[1]), json.loads(sys.argv[2]))))
