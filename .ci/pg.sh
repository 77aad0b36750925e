# Throwaway PostgreSQL 15 cluster for the test and bench runs. Source this file, then:
#   pg_available  -> true when the server binaries are there
#   pg_start      -> initdb in a temporary folder, start on 127.0.0.1 with a free port, export
#                    DATABASE_URL (superuser role "portal", so pytest-django may create databases)
#   pg_stop       -> stop the server and remove the folder (also called on EXIT by pg_start's trap)
# The server refuses to run as root, so as root it runs as the system user "portaltest".

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_USER=${PG_USER:-portaltest}
PG_DIR=""

pg_available() {
    [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" && -x "$PG_BIN/postgres" ]]
}

_pg_as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u "$PG_USER" -- "$@"
    else
        "$@"
    fi
}

_pg_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_start() {
    if [[ $(id -u) -eq 0 ]] && ! id "$PG_USER" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
    fi
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/portal-pg.XXXXXX")
    trap pg_stop EXIT
    chmod 755 "$PG_DIR"
    mkdir "$PG_DIR/data" "$PG_DIR/socket"
    [[ $(id -u) -eq 0 ]] && chown -R "$PG_USER" "$PG_DIR"
    _pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U portal --auth=trust -E UTF8 \
        --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || {
        cat "$PG_DIR/initdb.log" >&2
        return 1
    }
    local port
    port=$(_pg_free_port)
    # Durability is pointless for a cluster that is deleted afterwards; speed is not.
    _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR/socket -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
        >/dev/null || {
        cat "$PG_DIR/server.log" >&2
        return 1
    }
    export DATABASE_URL="postgres://portal@127.0.0.1:$port/postgres"
}

pg_stop() {
    [[ -n "$PG_DIR" && -d "$PG_DIR" ]] || return 0
    _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=""
    unset DATABASE_URL
}
