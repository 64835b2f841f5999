"""Benchmark: schemathesis against /api as every demo role, counting the cases and 5xx.

Usage:
    .venv/bin/python bench/api_fuzz.py [--examples 20] [--role-examples 5] \\
        [--postgres postgresql://postgres@127.0.0.1:5432/test]

Runs the fuzz tests (tests/web/test_api_fuzz.py: every operation of /api/openapi.json,
generated valid and invalid input, the department head with ``--examples`` per operation
and the four other roles with ``--role-examples`` each, on SQLite and, with ``--postgres``,
on PostgreSQL) and prints the cases sent and the statuses answered per backend and role,
the server errors (5xx, must be 0) and whether every check passed (no 5xx, documented
content types and bodies). It never asserts: pytest's own exit code says whether the checks
held, and the figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20,
                        help="examples per operation for the department head")
    parser.add_argument("--role-examples", type=int, default=5,
                        help="examples per operation for each other role")
    parser.add_argument("--postgres", default=os.environ.get("INSATS_TEST_DATABASE_URL"),
                        help="a PostgreSQL server URL to fuzz that backend too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tally_file = Path(folder) / "tally.json"
        env = {**os.environ, "INSATS_FUZZ_EXAMPLES": str(args.examples),
               "INSATS_FUZZ_ROLE_EXAMPLES": str(args.role_examples),
               "INSATS_FUZZ_TALLY": str(tally_file)}
        env.pop("INSATS_TEST_DATABASE_URL", None)
        if args.postgres:
            env["INSATS_TEST_DATABASE_URL"] = args.postgres
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               "tests/web/test_api_fuzz.py"], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=False)
        seconds = time.monotonic() - started
        tally: dict[str, int] = json.loads(tally_file.read_text()) if tally_file.exists() else {}
    per_group: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for key, count in tally.items():
        backend, role, status = key.split()
        per_group[(backend, role)][int(status)] = count
    print(f"# examples per operation: head {args.examples}, other roles {args.role_examples}; "
          f"{seconds:.0f} s; pytest exit code {done.returncode}")
    print(f"{'backend':<12}{'role':<16}{'cases':>7}{'5xx':>6}  statuses")
    total = server_errors = 0
    for (backend, role), statuses in sorted(per_group.items()):
        cases = sum(statuses.values())
        errors = sum(n for status, n in statuses.items() if status >= 500)
        total += cases
        server_errors += errors
        shown = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
        print(f"{backend:<12}{role:<16}{cases:>7}{errors:>6}  {shown}")
    print(f"cases {total}, server errors {server_errors}; "
          f"{done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]}")


if __name__ == "__main__":
    main()
