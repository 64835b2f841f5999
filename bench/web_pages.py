"""Benchmark: what one request of each page costs the server, in process.

Usage:
    .venv/bin/python bench/web_pages.py --database-url postgresql://…/insats_s10 \\
        [--repeat 20] [--user avdelningschef]

The application is created in this process (``create_app`` on the database, kept figures
warmed first) and called through Starlette's TestClient, signed in through the sign-in form
as one demo role. Each page kind of ``bench/web_load.py``'s mix is requested ``--repeat``
times (ids picked as the load picks them, with the same seed) after one unmeasured request
per kind. For each kind it prints the median wall-clock milliseconds, the median CPU
milliseconds of this process (the server's Python work; the database's own work on
PostgreSQL is in the wall clock only), and the SQL statements per request.

The CPU time per request is what limits how many requests per second the server can
answer on two cores, so this is the figure to lower before re-running the load.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import threading
import time
from collections import defaultdict

from sqlalchemy import event
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from insats.services import ledger, overview
from insats.web.app import create_app
from web_load import LOGIN_CSRF, PAGES, USERNAMES, read_scopes


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0
        event.listen(Engine, "before_cursor_execute", self._count)

    def _count(self, *args: object) -> None:
        self.count += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("INSATS_DATABASE_URL"))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--user", default="avdelningschef", choices=USERNAMES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default="", help="comma-separated page kinds")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or INSATS_DATABASE_URL) is needed")
    scope = read_scopes(args.database_url)[args.user]
    app = create_app(args.database_url, warm=False, jobs_in_process=False)
    # The kept figures and ledger are computed before measuring and not refreshed while
    # measuring: a refresh runs in a background thread and its CPU time would be counted
    # against whichever page happened to be timed (bench/web_load.py has them refreshing).
    for kept in (overview._books, ledger._kept_ledgers):
        kept.ttl = float("inf")
    overview.warm_figures(app.state.uow_factory)
    ledger.warm_default_ledger(app.state.uow_factory)
    for thread in threading.enumerate():
        if thread.name.startswith("insats-"):
            thread.join()
    counter = StatementCounter()
    rng = random.Random(args.seed)
    only = {k for k in args.only.split(",") if k}
    with TestClient(app, base_url="https://testserver") as client:
        form = client.get("/login")
        match = LOGIN_CSRF.search(form.text)
        assert match, "no login_csrf on /login"
        signed_in = client.post("/login", data={
            "username": scope.username, "password": scope.password,
            "login_csrf": match.group(1), "next": "/"}, follow_redirects=False)
        assert signed_in.status_code == 303, signed_in.status_code
        print(f"# {args.database_url.split(':', 1)[0]}, signed in as {args.user}, "
              f"{args.repeat} requests per page after one unmeasured")
        print(f"{'page':<10}{'wall ms':>9}{'cpu ms':>9}{'queries':>9}{'kB':>8}")
        totals: dict[str, list[float]] = defaultdict(list)
        for page in PAGES:
            if page.capability not in scope.capabilities or (only and page.name not in only):
                continue
            walls, cpus, queries, sizes = [], [], [], []
            for attempt in range(args.repeat + 1):
                path = page.path(scope, rng)
                if path is None:
                    break
                before_count = counter.count
                wall, cpu = time.perf_counter(), time.process_time()
                answer = client.get(path)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                assert answer.status_code == 200, (path, answer.status_code)
                if attempt:
                    walls.append(1000 * wall)
                    cpus.append(1000 * cpu)
                    queries.append(counter.count - before_count)
                    sizes.append(len(answer.content) / 1024)
            if not walls:
                continue
            row = [statistics.median(v) for v in (walls, cpus, queries, sizes)]
            for name, value in zip(("wall", "cpu"), row[:2], strict=True):
                totals[name].append(value * page.weight)
            print(f"{page.name:<10}{row[0]:>9.1f}{row[1]:>9.1f}{row[2]:>9.0f}{row[3]:>8.0f}")
        weight = sum(p.weight for p in PAGES if p.capability in scope.capabilities
                     and (not only or p.name in only))
        print(f"{'mix':<10}{sum(totals['wall']) / weight:>9.1f}"
              f"{sum(totals['cpu']) / weight:>9.1f}   (weighted as in web_load.py)")


if __name__ == "__main__":
    main()
