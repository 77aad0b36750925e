"""Run the benchmarks: `python -m tests.bench [--append] [--output FILE] [NAME ...]`.

Sets up Django with the test settings and a fresh test database (on whatever DATABASE_URL
points at), then calls `run(report)` of every `tests/bench/bench_*.py` module (or only the
named ones). A module records a figure with `report(name, value, unit, note="")`. Each module
runs inside a transaction that is rolled back, so modules do not see each other's data; a
module that sets `COMMITS = True` measures the database as production has it (committed,
vacuumed rows, which an open transaction cannot give): it runs last, outside a transaction,
and the test database is created afresh after it if another module follows.
The figures, with date, git commit, database and machine, are printed and written to
var/bench/results.txt (appended to with --append, as `make bench` does for its second database).
"""

import argparse
import importlib
import os
import pkgutil
import platform
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


class Rollback(Exception):
    """Raised to roll back a module's data after it ran."""


def bench_modules(names):
    package = Path(__file__).parent
    found = sorted(
        info.name for info in pkgutil.iter_modules([str(package)]) if info.name.startswith("bench_")
    )
    if names:
        unknown = set(names) - set(found) - {n.removeprefix("bench_") for n in found}
        if unknown:
            sys.exit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; have: {found}")
        found = [n for n in found if n in names or n.removeprefix("bench_") in names]
    return found


def git(*args) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def git_commit():
    try:
        commit = git("rev-parse", "--short=12", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
        return commit + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def database_description(connection):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    return connection.vendor


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("names", nargs="*", help="benchmark modules to run (default: all)")
    parser.add_argument("--output", default=str(ROOT / "var" / "bench" / "results.txt"))
    parser.add_argument("--append", action="store_true", help="append to the output file")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )

    def fresh_databases():
        return setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
        )

    setup_test_environment()
    db_config = fresh_databases()
    results, failures = [], []
    started = datetime.now(UTC)
    try:
        database = database_description(connection)
        modules = [importlib.import_module(f"tests.bench.{n}") for n in bench_modules(args.names)]
        modules.sort(key=lambda m: getattr(m, "COMMITS", False))
        for position, module in enumerate(modules):
            name = module.__name__.rsplit(".", 1)[-1]
            print(f"[bench] {name} on {database}", flush=True)

            def report(figure, value, unit, note="", _module=name):
                results.append((_module, figure, value, unit, note))
                print(f"  {figure:<44} {value:>12.3f} {unit:<8} {note}", flush=True)

            began = time.perf_counter()
            commits = getattr(module, "COMMITS", False)
            try:
                if commits:
                    module.run(report)
                else:
                    with transaction.atomic():
                        module.run(report)
                        raise Rollback
            except Rollback:
                pass
            except Exception:
                failures.append(name)
                traceback.print_exc()
            print(f"  ({time.perf_counter() - began:.1f} s)", flush=True)
            if commits and position < len(modules) - 1:
                teardown_databases(db_config, verbosity=0)
                db_config = fresh_databases()
    finally:
        teardown_databases(db_config, verbosity=0)
        teardown_test_environment()

    header = [
        f"# {started:%Y-%m-%d %H:%M:%S} UTC, commit {git_commit()}",
        f"# database: {database}",
        f"# machine: {platform.node()}, {cpu_model()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
    ]
    if failures:
        header.append(f"# FAILED: {', '.join(failures)}")
    lines = [f"{m:<16} {f:<44} {v:>12.3f} {u:<8} {n}".rstrip() for m, f, v, u, n in results]
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("a" if args.append else "w", encoding="utf-8") as file:
        file.write("\n".join([*header, *lines]) + "\n\n")
    print(f"[bench] {len(results)} figures written to {output}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
