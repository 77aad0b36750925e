"""The demo, loaded once per pass of the suite and put back in bulk wherever a test needs it.

`manage.py load_demo` is the slowest setup of the suite (half a minute of CPU). The `demo_snapshot`
fixture (tests/conftest.py) runs it once, in a transaction it rolls back, and keeps every row it
left in the database's tables, the files it wrote (media, the credentials file) and the mails it
sent. `DemoSnapshot.restore` puts exactly those rows back (one INSERT per table), with a copy of
the files, in a second or so.

What is not a table row of a Django model stays out: the migrations' record, the cache table
(emptied after a restore) and SQLite's full-text index, which the search index table's own
triggers fill again as its rows go back in. On PostgreSQL each table's id sequence is set to
its largest id afterwards, so rows made next do not collide with the restored ones.
"""

import datetime
import shutil
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@dataclass
class DemoSnapshot:
    # table: (column names, rows)
    tables: dict
    # The folder load_demo wrote to (VAR_DIR; MEDIA_ROOT is its "media").
    var: Path
    # The mails sent while the demo was loaded.
    outbox: list = field(default_factory=list)
    # PostgreSQL: (table, column, sequence) of every id that a sequence gives.
    sequences: list = field(default_factory=list)

    def restore(self, connection, var: Path) -> None:
        """Replace every table's rows by the demo's, and copy its files to `var` (VAR_DIR)."""
        from django.core.cache import cache

        from portal import versioned

        quote = connection.ops.quote_name
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(f"DELETE FROM {quote(table)}")
            for table, (columns, rows) in self.tables.items():
                if rows:
                    names = ", ".join(quote(column) for column in columns)
                    values = ", ".join(["%s"] * len(columns))
                    sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({values})"
                    cursor.executemany(sql, rows)
            resets = [
                f"setval('{sequence}', (SELECT MAX({quote(column)}) FROM {quote(table)}))"
                for table, column, sequence in self.sequences
                if self.tables[table][1]
            ]
            if resets:
                cursor.execute("SELECT " + ", ".join(resets))
            connection.check_constraints(table_names=sorted(self.tables))
        shutil.copytree(self.var, var, dirs_exist_ok=True)
        cache.clear()
        versioned.forget()


def model_tables(connection) -> list[str]:
    """The tables of the installed models (with their many-to-many tables), without SQLite's
    full-text tables (virtual, filled by triggers on the search index table)."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
            virtual = [name for (name,) in cursor.fetchall()]
        tables = [t for t in tables if not any(t == v or t.startswith(v + "_") for v in virtual)]
    return sorted(tables)


def id_sequences(connection, tables) -> list[tuple[str, str, str]]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT table_name, column_name,
                      pg_get_serial_sequence(quote_ident(table_name), column_name)
               FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = ANY(%s)
                 AND (is_identity = 'YES' OR column_default LIKE 'nextval(%%')""",
            [list(tables)],
        )
        return [row for row in cursor.fetchall() if row[2]]


def stored(row) -> tuple:
    """A row as it goes back in: SQLite's driver reads a time column as a time, which it has no
    adapter to write (Django writes its text; dates and datetimes have adapters)."""
    return tuple(value.isoformat() if isinstance(value, datetime.time) else value for value in row)


def take(connection, var: Path) -> DemoSnapshot:
    """Load the demo in a transaction that is rolled back, keeping what it made."""
    from portal import versioned

    assert not connection.in_atomic_block, "the demo snapshot is taken outside any transaction"
    tables = model_tables(connection)
    quote = connection.ops.quote_name
    outbox = getattr(mail, "outbox", None)
    mail.outbox = []
    try:
        with (
            override_settings(VAR_DIR=var, MEDIA_ROOT=var / "media"),
            transaction.atomic(using=connection.alias),
        ):
            call_command("load_demo", stdout=StringIO())
            contents = {}
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f"SELECT * FROM {quote(table)}")
                    columns = [column[0] for column in cursor.description]
                    contents[table] = (columns, [stored(row) for row in cursor.fetchall()])
            transaction.set_rollback(True, using=connection.alias)
        sent = list(mail.outbox)
    finally:
        versioned.forget()
        if outbox is not None:
            mail.outbox = outbox
    return DemoSnapshot(contents, var, sent, id_sequences(connection, tables))
