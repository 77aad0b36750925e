"""Stop and start the PostgreSQL server the tests run on (the throwaway cluster of .ci/pg.sh).

The server is found from the test connection itself: its data directory, and the command line
it was started with (`postmaster.opts`), so it comes back exactly as it was. As root the server
runs as the data directory's owner, as pg.sh arranges.
"""

import os
import pwd
import shlex
import subprocess
from pathlib import Path

from django.db import connection

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


class PostgresServer:
    def __init__(self):
        with connection.cursor() as cursor:
            cursor.execute("SHOW data_directory")
            self.data = Path(cursor.fetchone()[0])
        arguments = shlex.split((self.data / "postmaster.opts").read_text())[1:]
        data_flag = arguments.index("-D")
        del arguments[data_flag : data_flag + 2]
        self.options = shlex.join(arguments)
        self.log = self.data.parent / "restart.log"

    def _pg_ctl(self, *args):
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *args]
        if os.getuid() == 0:
            owner = pwd.getpwuid(self.data.stat().st_uid).pw_name
            command = ["runuser", "-u", owner, "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stop(self):
        """Every connection is cut, the test's own too (it reconnects on next use)."""
        connection.close()
        self._pg_ctl("-m", "fast", "stop")

    def start(self):
        self._pg_ctl("-l", str(self.log), "-o", self.options, "start")
