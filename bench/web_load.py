"""Benchmark: simulated users against the web application (`insats serve`).

Usage:
    .venv/bin/python bench/web_load.py --database-url sqlite:////tmp/s10-web.db --workers 4
    .venv/bin/python bench/web_load.py --url http://127.0.0.1:8000 \\
        --database-url sqlite:////tmp/s10-web.db [--users 50] [--duration 180]

With ``--workers N`` the benchmark starts ``insats serve --workers N`` itself on
``--database-url`` (a free port on 127.0.0.1) and stops it afterwards; without it, it
loads the server already running at ``--url``, which must serve the same database.

The database is read once, before the load, to pick what users open: the demo accounts
(created when missing, as ``insats serve --demo`` does), the units each may see, their
clients and assistance groups.

Each simulated user is one HTTP client with its own cookies. Users sign in through the
sign-in form as the demo roles in turn (avdelningschef, enhetschef, enhetschef2,
samordnare, ekonom, namnd, ...), then walk a weighted mix of the pages their role may
open (overview, units, a unit, the client list, a client, a group's schedule, staff,
ledger, billing, the access log) with a think time between requests, and now and then
write: register a stay on one of their clients (roles that may edit clients) or sign out
and in again. Requests in the first ``--warmup`` seconds are not counted.

With ``--optimise`` the benchmark also starts ``insats worker`` on the database and keeps
an optimisation running through the load: a planning run of one personal-assistance unit
(``--optimise-weeks`` weeks, ``--optimise-limit`` seconds, ``--solver-workers`` CP-SAT
threads) is queued as the web page would, and when it ends the next one is queued, until
the counted time is over; the last run is waited for before the worker is stopped. The
report then lists the runs the worker solved while the users were served.

Prints requests per second, the latency p50/p95/p99 of every page kind and of the writes,
and the errors (any status other than the expected one, time-outs and connection
errors). It never asserts: compare the figures with the aims in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import functools
import itertools
import json
import math
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from insats.cli.local_caller import cli_caller
from insats.domain.access import Capability, Role
from insats.domain.organisation import UnitKind
from insats.domain.planning_runs import RunStatus
from insats.services import planning
from insats.services.demo_accounts import demo_accounts
from insats.services.runtime import dispose_all, uow_factory_for

USERNAMES = ("avdelningschef", "enhetschef", "enhetschef2", "samordnare", "ekonom", "namnd")
LOGIN_CSRF = re.compile(r'name="login_csrf" value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
STAY_START = dt.date(2027, 3, 1)  # after the demo's history, so stays do not meet old ones


# --- what each user may open ----------------------------------------------------------------
@dataclass(frozen=True)
class UserScope:
    username: str
    password: str
    role: Role
    capabilities: frozenset[Capability]
    units: tuple[str, ...]
    clients: tuple[str, ...]
    groups: tuple[str, ...]


def read_scopes(database_url: str) -> dict[str, UserScope]:
    """The demo accounts (created when missing) and the units, clients and groups each
    may see, read from the database the server uses."""
    factory = uow_factory_for(database_url)
    passwords = {a.username: a.password for a in demo_accounts(factory)}
    scopes: dict[str, UserScope] = {}
    with factory() as uow:
        units = [u for u in uow.organisation.units()]
        clients_of = {u.id: [c.id for c in uow.clients.of_unit(u.id)] for u in units}
        groups_of = {u.id: [g.id for g in uow.scheduling.groups_of_unit(u.id)] for u in units}
        for username in USERNAMES:
            account = uow.accounts.by_username(username)
            assert account is not None, username
            viewer = account.viewer()
            in_scope = [u for u in units if not account.unit_ids or u.id in account.unit_ids]
            assistance = [u for u in in_scope if u.kind is UnitKind.PERSONAL_ASSISTANCE]
            scopes[username] = UserScope(
                username=username, password=passwords[username], role=account.role,
                capabilities=frozenset(c for c in Capability if viewer.can(c)),
                units=tuple(u.id for u in in_scope),
                clients=tuple(c for u in assistance for c in clients_of[u.id]),
                groups=tuple(g for u in in_scope for g in groups_of[u.id]),
            )
    dispose_all()
    return scopes


# --- the mix --------------------------------------------------------------------------------
@dataclass(frozen=True)
class PageKind:
    name: str
    capability: Capability
    weight: float
    path: Callable[[UserScope, random.Random], str | None]


def _one(values: tuple[str, ...], rng: random.Random) -> str | None:
    return rng.choice(values) if values else None


def _with(template: str, values: Callable[[UserScope], tuple[str, ...]]
          ) -> Callable[[UserScope, random.Random], str | None]:
    def path(scope: UserScope, rng: random.Random) -> str | None:
        value = _one(values(scope), rng)
        return None if value is None else template.format(value)
    return path


PAGES = [
    PageKind("overview", Capability.VIEW_AGGREGATES, 3, lambda s, r: "/"),
    PageKind("units", Capability.VIEW_AGGREGATES, 2, lambda s, r: "/units"),
    PageKind("unit", Capability.VIEW_AGGREGATES, 2, _with("/units/{}", lambda s: s.units)),
    PageKind("clients", Capability.VIEW_CLIENTS, 2, lambda s, r: "/clients"),
    PageKind("client", Capability.VIEW_CLIENTS, 3, _with("/clients/{}", lambda s: s.clients)),
    PageKind("schedule", Capability.VIEW_SCHEDULES, 2,
             _with("/schedule?group={}&week=2026-W42", lambda s: s.groups)),
    PageKind("staff", Capability.VIEW_STAFF, 1, lambda s, r: "/staff"),
    PageKind("ledger", Capability.VIEW_MONEY, 1, lambda s, r: "/ledger"),
    PageKind("billing", Capability.VIEW_MONEY, 1, lambda s, r: "/billing"),
    PageKind("audit", Capability.VIEW_AUDIT, 1, lambda s, r: "/audit"),
]
WRITE_SHARE = 0.08  # of a user's requests: a stay (editors) or signing out and in again
WRITE_KINDS = ("write:stay", "write:sign-out", "write:sign-in")


# --- results --------------------------------------------------------------------------------
@dataclass
class Results:
    started: float = 0.0  # when counting began (after the warm-up)
    until: float = 0.0  # when users stop starting requests
    within: int = 0  # counted requests that also finished before ``until``
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: list[str] = field(default_factory=list)

    def counting(self) -> bool:
        return self.started > 0 and time.monotonic() >= self.started

    def record(self, kind: str, seconds: float, error: str | None) -> None:
        if not self.counting():
            return
        self.latencies[kind].append(seconds)
        if time.monotonic() <= self.until:
            self.within += 1
        if error is not None:
            self.errors[kind] += 1
            if len(self.samples) < 10:
                self.samples.append(f"{kind}: {error}")


class Failed(Exception):
    pass


# --- one simulated user ---------------------------------------------------------------------
class User:
    def __init__(self, number: int, scope: UserScope, base_url: str, results: Results,
                 think: float, seed: int, timeout: float, only: frozenset[str],
                 skip: frozenset[str]) -> None:
        self.number = number
        self.scope = scope
        self.results = results
        self.think = think
        self.rng = random.Random(seed * 1000 + number)
        self.client = httpx.AsyncClient(base_url=base_url, timeout=timeout,
                                        follow_redirects=False)
        self.csrf = ""
        self.pages = [p for p in PAGES if p.capability in scope.capabilities
                      and (not only or p.name in only) and p.name not in skip]
        self.weights = [p.weight for p in self.pages]
        self.stays = itertools.count()
        self.write_share = 0.0 if only else WRITE_SHARE

    async def _step(self, kind: str | None, call: Callable[[], Awaitable[httpx.Response]],
                    expected: int, what: str) -> httpx.Response:
        """One request; timed under ``kind`` (when given), an unexpected status raises."""
        started = time.perf_counter()
        error: str | None = None
        try:
            answer = await call()
            if answer.status_code != expected:
                error = f"{what} → {answer.status_code}"
        except httpx.HTTPError as http_error:
            error = f"{what}: {type(http_error).__name__}: {http_error}"
        if kind is not None:
            self.results.record(kind, time.perf_counter() - started, error)
        if error is not None:
            raise Failed(error)
        return answer

    async def sign_in(self, timed: bool) -> None:
        form = await self._step("login" if timed else None,
                                functools.partial(self.client.get, "/login"), 200,
                                "GET /login")
        match = LOGIN_CSRF.search(form.text)
        if not match:
            raise Failed("no login_csrf on /login")
        await self._step("write:sign-in" if timed else None, functools.partial(
            self.client.post, "/login", data={
                "username": self.scope.username, "password": self.scope.password,
                "login_csrf": match.group(1), "next": "/"}), 303, "POST /login")
        overview = await self._step("overview" if timed else None,
                                    functools.partial(self.client.get, "/"), 200, "GET /")
        meta = CSRF_META.search(overview.text)
        if not meta:
            raise Failed("no csrf-token on /")
        self.csrf = meta.group(1)

    async def relogin(self) -> None:
        """Sign out and in again: POST /logout, GET /login, POST /login, GET /."""
        await self._step("write:sign-out", functools.partial(
            self.client.post, "/logout", data={"csrf_token": self.csrf}), 303, "POST /logout")
        await self.sign_in(timed=True)

    async def timed(self, kind: str, call: Callable[[], Awaitable[None]]) -> None:
        started = time.perf_counter()
        error: str | None = None
        try:
            await call()
        except Failed as failed:
            error = str(failed)
        except httpx.HTTPError as http_error:
            error = f"{type(http_error).__name__}: {http_error}"
        self.results.record(kind, time.perf_counter() - started, error)

    async def get(self, path: str, expected: int = 200) -> None:
        answer = await self.client.get(path)
        if answer.status_code != expected:
            raise Failed(f"GET {path} → {answer.status_code}")

    async def post_stay(self) -> None:
        client_id = _one(self.scope.clients, self.rng)
        # a day of its own per user and write, so that stays never overlap
        day = STAY_START + dt.timedelta(days=self.number * 400 + next(self.stays))
        answer = await self.client.post(f"/clients/{client_id}/stays", data={
            "csrf_token": self.csrf, "kind": "sjukhus",
            "start": f"{day.isoformat()}T08:00",
            "end": f"{(day + dt.timedelta(days=1)).isoformat()}T08:00",
            "reason": "Belastningstest"})
        if answer.status_code != 303:
            raise Failed(f"POST /clients/{client_id}/stays → {answer.status_code}")

    async def pause(self) -> None:
        if self.think > 0:
            await asyncio.sleep(self.think * self.rng.uniform(0.5, 1.5))

    async def run(self, until: float, stays: bool) -> None:
        try:
            await self.sign_in(timed=False)
        except (Failed, httpx.HTTPError) as error:
            self.results.errors["sign-in (start)"] += 1
            self.results.samples.append(f"sign-in of {self.scope.username}: {error}")
            return
        may_edit = stays and Capability.EDIT_CLIENTS in self.scope.capabilities
        while time.monotonic() < until:
            await self.pause()
            if not self.pages:  # nothing this role may open among --only
                break
            if self.write_share and self.rng.random() < self.write_share:
                if may_edit and self.scope.clients and self.rng.random() < 0.7:
                    await self.timed("write:stay", self.post_stay)
                else:
                    try:
                        await self.relogin()
                    except Failed:  # recorded by the step that failed; try again next time
                        self.csrf = ""
                continue
            if not self.csrf:
                with contextlib.suppress(Failed, httpx.HTTPError):
                    await self.sign_in(timed=False)
                continue
            page = self.rng.choices(self.pages, self.weights)[0]
            path = page.path(self.scope, self.rng)
            if path is None:
                continue
            await self.timed(page.name, functools.partial(self.get, path))
        await self.client.aclose()


async def run_load(base_url: str, scopes: dict[str, UserScope], users: int, duration: float,
                   warmup: float, think: float, seed: int, stays: bool, timeout: float,
                   only: frozenset[str], skip: frozenset[str]) -> Results:
    results = Results()
    names = itertools.cycle(USERNAMES)
    crowd = [User(i, scopes[next(names)], base_url, results, think, seed, timeout, only, skip)
             for i in range(users)]
    start = time.monotonic()
    results.started = start + warmup
    results.until = until = results.started + duration
    await asyncio.gather(*(user.run(until, stays) for user in crowd))
    return results


# --- the server -----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Four workers importing the application on a busy 2-core machine took up to a minute.
STARTUP_SECONDS = 180


def start_server(database_url: str, workers: int,
                 log: Path | None) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    command = [str(Path(sys.executable).with_name("insats")), "serve", "--port", str(port),
               "--workers", str(workers)]
    environment = {**os.environ, "INSATS_DATABASE_URL": database_url}
    errors = log.open("ab") if log else None  # the server's warnings and tracebacks
    server = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL,
                              stderr=errors, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"insats serve stopped with exit code {server.returncode}")
        try:
            if httpx.get(f"{url}/login", timeout=2).status_code == 200:
                return server, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop_process_group(server)
    raise SystemExit(f"insats serve did not answer on {url} within {STARTUP_SECONDS} s")


def stop_process_group(server: subprocess.Popen[bytes]) -> None:
    """Stop a process started in its own process group (the server and its worker
    processes, or `insats worker`)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# --- an optimisation beside the load (--optimise) ------------------------------------------
def start_worker(database_url: str, log: Path | None) -> subprocess.Popen[bytes]:
    """``insats worker`` on the database, in its own process group."""
    command = [str(Path(sys.executable).with_name("insats")), "worker", "--concurrency", "1",
               "--name", "lastprov"]
    errors = log.open("ab") if log else None
    return subprocess.Popen(command, env={**os.environ, "INSATS_DATABASE_URL": database_url},
                            stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True)


def planning_unit(database_url: str) -> str:
    """The personal-assistance unit with the most assistance groups."""
    with uow_factory_for(database_url)() as uow:
        units = [u for u in uow.organisation.units()
                 if u.kind is UnitKind.PERSONAL_ASSISTANCE]
        sizes = {u.id: len(uow.scheduling.groups_of_unit(u.id)) for u in units}
    dispose_all()
    return max(sizes, key=lambda unit_id: (sizes[unit_id], unit_id))


@dataclass
class OptimisationLoad:
    """Keeps one planning run queued or running (solved by the worker) until stopped."""

    database_url: str
    unit_id: str
    weeks: int
    time_limit: float
    solver_workers: int
    runs: list[dict[str, object]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        factory = uow_factory_for(self.database_url)
        caller = cli_caller("bench web_load")
        today = dt.date.today()
        start = today + dt.timedelta(days=7 - today.weekday(), weeks=26)
        while not self.stop.is_set():
            queued_at = time.monotonic()
            run = planning.queue_run(factory, caller=caller, unit_ids=[self.unit_id],
                                     start=start, weeks=self.weeks,
                                     time_limit=self.time_limit, seed=len(self.runs),
                                     workers=self.solver_workers)
            while True:
                view = planning.get_run(factory, run.id).run
                if view.status in (RunStatus.DONE, RunStatus.FAILED):
                    break
                time.sleep(1.0)
            self.runs.append({
                "run": run.id, "status": view.status.value,
                "plan_status": view.plan_status.value if view.plan_status else None,
                "objective": view.objective, "seconds": time.monotonic() - queued_at,
                "failure": view.failure_reason})


def print_runs(runs: list[dict[str, object]]) -> None:
    print(f"optimisation runs solved by the worker during the load: {len(runs)}")
    for r in runs:
        print(f"  {r['run']}: {r['status']} ({r['plan_status']}), objective {r['objective']}, "
              f"{float(str(r['seconds'])):.0f} s from queued to ended"
              f"{', ' + str(r['failure']) if r['failure'] else ''}")


# --- report ---------------------------------------------------------------------------------
def _percentile(sorted_values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    index = max(0, math.ceil(share * len(sorted_values)) - 1)
    return sorted_values[index]


def summarise(results: Results, duration: float) -> dict[str, object]:
    rows = {}
    kinds = ["login"] + [p.name for p in PAGES] + list(WRITE_KINDS)
    groups = {"all pages": [k for k in kinds if not k.startswith("write:")],
              "all writes": [k for k in kinds if k.startswith("write:")]}
    for kind in kinds + list(groups):
        members = groups.get(kind, [kind])
        values = sorted(v for k in members for v in results.latencies.get(k, []))
        if not values:
            continue
        rows[kind] = {
            "count": len(values),
            "errors": sum(results.errors.get(k, 0) for k in members),
            "p50_ms": 1000 * _percentile(values, 0.50),
            "p95_ms": 1000 * _percentile(values, 0.95),
            "p99_ms": 1000 * _percentile(values, 0.99),
            "mean_ms": 1000 * statistics.fmean(values),
        }
    total = sum(len(v) for v in results.latencies.values())
    return {"requests": total, "rps": results.within / duration,
            "errors": sum(results.errors.values()), "kinds": rows,
            "error_samples": results.samples}


def print_report(summary: dict[str, object]) -> None:
    kinds: dict[str, dict[str, float]] = summary["kinds"]  # type: ignore[assignment]
    print(f"{'kind':<16}{'count':>8}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
          f"{'mean ms':>9}")
    for kind, row in kinds.items():
        if kind.startswith("all "):
            print("-" * 68)
        print(f"{kind:<16}{row['count']:>8.0f}{row['errors']:>8.0f}{row['p50_ms']:>9.0f}"
              f"{row['p95_ms']:>9.0f}{row['p99_ms']:>9.0f}{row['mean_ms']:>9.0f}")
    print(f"requests {summary['requests']}, {summary['rps']:.1f} per second (finished "
          f"within the counted time), errors {summary['errors']}")
    for sample in summary["error_samples"]:  # type: ignore[attr-defined]
        print(f"  error: {sample}")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _kinds(text: str) -> frozenset[str]:
    kinds = frozenset(k.strip() for k in text.split(",") if k.strip())
    unknown = kinds - {p.name for p in PAGES}
    if unknown:
        raise SystemExit(f"unknown page kinds: {', '.join(sorted(unknown))}")
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000",
                        help="a running server (ignored with --workers)")
    parser.add_argument("--database-url", default=os.environ.get("INSATS_DATABASE_URL"),
                        help="the server's database, to pick accounts and ids "
                             "(default: INSATS_DATABASE_URL)")
    parser.add_argument("--workers", type=int, default=0,
                        help="start `insats serve --workers N` on --database-url")
    parser.add_argument("--server-log", type=Path,
                        help="with --workers: append the server's stderr to this file")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=180.0, help="seconds counted")
    parser.add_argument("--warmup", type=float, default=15.0, help="seconds not counted")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean think time between a user's requests, seconds")
    parser.add_argument("--no-stays", action="store_true",
                        help="no stay writes (only sign-out and sign-in)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds before a request counts as an error")
    parser.add_argument("--only", default="",
                        help="comma-separated page kinds to request (no writes), "
                             "e.g. ledger,billing")
    parser.add_argument("--skip", default="",
                        help="comma-separated page kinds not to request, e.g. ledger,billing")
    parser.add_argument("--optimise", action="store_true",
                        help="start `insats worker` and keep a planning run going meanwhile")
    parser.add_argument("--optimise-weeks", type=int, default=4)
    parser.add_argument("--optimise-limit", type=float, default=60.0,
                        help="time limit of each planning run, seconds")
    parser.add_argument("--solver-workers", type=int, default=1,
                        help="CP-SAT threads of each planning run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or INSATS_DATABASE_URL) is needed to pick ids")

    # a SIGTERM ends the run like Ctrl+C, so that the server is stopped too
    signal.signal(signal.SIGTERM, _interrupt)
    scopes = read_scopes(args.database_url)
    server = None
    url = args.url
    if args.workers:
        server, url = start_server(args.database_url, args.workers, args.server_log)
    backend = args.database_url.split(":", 1)[0]
    print(f"# {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}; {backend}, server {url}"
          f"{f' with {args.workers} workers' if args.workers else ''}")
    writes = ("none" if args.only else "sign-out/in only" if args.no_stays
              else "stays and sign-out/in")
    mix = (f"; only {args.only}" if args.only else "") + (
        f"; without {args.skip}" if args.skip else "")
    print(f"# {args.users} users, {args.duration:.0f} s counted after {args.warmup:.0f} s "
          f"warm-up, think time {args.think:.1f} s mean, writes {writes}{mix}", flush=True)
    worker = optimiser = solving = None
    if args.optimise:
        optimiser = OptimisationLoad(args.database_url, planning_unit(args.database_url),
                                     args.optimise_weeks, args.optimise_limit,
                                     args.solver_workers)
        print(f"# meanwhile `insats worker` solves planning runs of {optimiser.unit_id}: "
              f"{args.optimise_weeks} weeks, {args.optimise_limit:.0f} s, "
              f"{args.solver_workers} CP-SAT thread(s) each, one after the other", flush=True)
        worker = start_worker(args.database_url, args.server_log)
        solving = threading.Thread(target=optimiser.run, name="optimisation", daemon=True)
        solving.start()
    try:
        results = asyncio.run(run_load(url, scopes, args.users, args.duration, args.warmup,
                                       args.think, args.seed, not args.no_stays,
                                       args.timeout, _kinds(args.only), _kinds(args.skip)))
    finally:
        if optimiser is not None and solving is not None:
            optimiser.stop.set()  # no new run; the one going ends within its time limit
            solving.join(args.optimise_limit + 120)
        if worker is not None:
            stop_process_group(worker)
        if server is not None:
            stop_process_group(server)
    summary = summarise(results, args.duration)
    print_report(summary)
    if optimiser is not None:
        print_runs(optimiser.runs)
        summary["optimisation_runs"] = optimiser.runs
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()},
                                         **summary}, indent=2))


if __name__ == "__main__":
    main()
