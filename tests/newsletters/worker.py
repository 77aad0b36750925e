"""Real `manage.py db_worker` processes working on the test database.

PostgreSQL: the workers connect to the test database itself (tests use `transactional_db`, so
what they set up is committed). SQLite: the test database lives in memory, which no other
process can open, so `SharedDatabase` copies it to a file for the workers and copies the file
back afterwards, using SQLite's online backup.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
WORKER_SETTINGS = "tests.newsletters.worker_settings"


class SharedDatabase:
    def __init__(self, tmp_path):
        self.is_sqlite = connection.vendor == "sqlite"
        self.file = tmp_path / "shared.sqlite3"
        self.processes = []

    def __enter__(self):
        if self.is_sqlite:
            connection.ensure_connection()
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)
        return self

    def __exit__(self, *exc):
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait(10)
        if self.is_sqlite:
            source = sqlite3.connect(self.file)
            try:
                source.backup(connection.connection)
            finally:
                source.close()

    def url(self) -> str:
        if self.is_sqlite:
            return f"sqlite:///{self.file}"
        db = connection.settings_dict
        return (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )

    def scalar(self, sql: str, params=()):
        """Read what the workers wrote while they run (the test's own ORM sees the copy)."""
        if self.is_sqlite:
            with sqlite3.connect(self.file, timeout=20) as db:
                return db.execute(sql, params).fetchone()[0]
        with connection.cursor() as cursor:
            if params:
                cursor.execute(sql.replace("?", "%s"), params)
            else:
                cursor.execute(sql)  # no params: a literal % in LIKE stays as it is
            return cursor.fetchone()[0]

    def start_worker(self, *args, **env) -> subprocess.Popen:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": WORKER_SETTINGS,
            "DATABASE_URL": self.url(),
            "EMAIL_PORT": str(settings.EMAIL_PORT),
            "PYTHONUNBUFFERED": "1",
            **{key: str(value) for key, value in env.items()},
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--interval",
                "0.1",
                "--no-startup-delay",
                *args,
            ],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.processes.append(process)
        return process

    def wait_until(self, sql: str, expected, *, timeout: float = 60.0):
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = self.scalar(sql)
            if value == expected:
                return
            for process in self.processes:
                if process.poll() not in (None, -signal.SIGKILL, 0):
                    raise AssertionError(process.stderr.read().decode()[-3000:])
            time.sleep(0.1)
        raise AssertionError(f"{sql!r} gave {value!r}, expected {expected!r}")

    def stop(self, process):
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
