#!/usr/bin/env bash
# A throw-away PostgreSQL server for luban hq's tests (and for trying HQ out):
#   Scripts/start-postgres.sh DIR         makes a cluster in DIR, starts it on a free port of
#                                         127.0.0.1, and prints its URL (also in DIR/url)
#   Scripts/start-postgres.sh --stop DIR  stops it (the folder stays; remove it after)
#   Scripts/start-postgres.sh --crash DIR stops it as a crash would (immediate), and starts it
#                                         again: it recovers from its write-ahead log
# Run as root (as CI is), the server runs as the `postgres` user, which PostgreSQL requires.
# The cluster trusts local connections and does not sync to disk: it is for tests only.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/pg_ctl" ] || { echo "no PostgreSQL server here: run Scripts/install-system-packages.sh (Debian: postgresql)" >&2; exit 1; }
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "${1:-}" = "--stop" ]; then
    as_owner "$bin/pg_ctl" -D "$2/data" -m fast stop >/dev/null
    exit 0
fi
if [ "${1:-}" = "--crash" ]; then
    as_owner "$bin/pg_ctl" -D "$2/data" -m immediate -w restart -l "$2/server.log" >/dev/null
    exit 0
fi
dir=$(realpath -m "$1")
mkdir -p "$dir"
[ "$(id -u)" -ne 0 ] || chown postgres "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner "$bin/initdb" -D "$dir/data" -U luban -A trust -E UTF8 --locale C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
echo "postgresql://luban@127.0.0.1:$port/postgres" | tee "$dir/url"
