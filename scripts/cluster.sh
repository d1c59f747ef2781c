#!/usr/bin/env bash
# A local cluster to try replica reads on (#23 item 4): its own PostgreSQL
# primary (initdb in a temporary directory, a free port), a streaming replica
# of it (pg_basebackup -R, another free port), and two API processes
# (`metrotrace serve`) with DATABASE_URL on the primary and DATABASE_READ_URL
# on the replica. Everything is torn down on exit (Ctrl-C, SIGTERM, or when
# the command given ends). The machine's own PostgreSQL (5432) is not touched.
#
#   scripts/cluster.sh                 # start, print the addresses, wait for Ctrl-C
#   scripts/cluster.sh CMD [ARG…]      # start, run CMD with the addresses in its
#                                      # environment, tear down, exit with its status
#
# Once up it prints `cluster: ready` after these lines (also exported to CMD):
#   PRIMARY_URL, REPLICA_URL    postgres://postgres@127.0.0.1:<port>/metrotrace
#   API_A, API_B                http://127.0.0.1:<port> (A loaded the demo)
#   KEYS                        the demo keys file (`. "$KEYS"`)
#   CLUSTER_DIR                 the temporary directory (logs: *.log)
# SIGUSR1 stops the replica (pg_ctl stop -m fast), to see reads fall back to
# the primary; it prints `cluster: replica stopped`.
#
# Settings: PG_BIN (default: the newest /usr/lib/postgresql/*/bin),
# KEEP_CLUSTER=1 keeps the directory; DATABASE_READ_MAX_LAG_MS,
# DATABASE_READ_CHECK_MS and the other METROTRACE_* settings pass through to
# the API processes. Run as root, the servers run as the `postgres` user
# (initdb refuses root). Exit 3: no PostgreSQL binaries here.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"

PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)}"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_basebackup" ]; then
  echo "cluster: no PostgreSQL server binaries (initdb, pg_basebackup) under /usr/lib/postgresql/*/bin; install postgresql or set PG_BIN" >&2
  exit 3
fi

DIR="$(mktemp -d "${TMPDIR:-/tmp}/metrotrace-cluster.XXXXXX")"
RUNAS=()
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "cluster: run as root, the servers need the 'postgres' user to run as (initdb refuses root)" >&2
    rmdir "$DIR"
    exit 3
  fi
  chown postgres "$DIR"
  RUNAS=(runuser -u postgres --)
fi
pg() { "${RUNAS[@]}" "$PG_BIN/$@"; }

API_PIDS=()
PRIMARY_UP=0
REPLICA_UP=0
teardown() {
  local status=$?
  trap - EXIT INT TERM USR1
  # every background job of this shell: the API processes, the idle sleeps (one per signal that woke the wait), a command given
  local jobs_left
  jobs_left="$(jobs -p)"
  [ -n "$jobs_left" ] && kill -TERM $jobs_left 2>/dev/null || true
  for pid in "${API_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ "$REPLICA_UP" = 1 ] && pg pg_ctl -D "$DIR/replica" -m immediate -w stop >/dev/null 2>&1 || true
  [ "$PRIMARY_UP" = 1 ] && pg pg_ctl -D "$DIR/primary" -m immediate -w stop >/dev/null 2>&1 || true
  if [ "${KEEP_CLUSTER:-0}" = 1 ]; then echo "cluster: kept $DIR" >&2; else rm -rf "$DIR"; fi
  exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

P_PORT=$(free_port)
R_PORT=$(free_port)
while [ "$R_PORT" = "$P_PORT" ]; do R_PORT=$(free_port); done

# the primary: trust on 127.0.0.1 and its own socket directory (a throwaway cluster for tests);
# initdb's pg_hba.conf admits replication connections from 127.0.0.1
pg initdb -N -D "$DIR/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1
cat >>"$DIR/primary/postgresql.conf" <<EOF
port = $P_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
synchronous_commit = on
shared_buffers = 64MB
EOF
pg pg_ctl -D "$DIR/primary" -l "$DIR/primary.log" -w start >/dev/null
PRIMARY_UP=1
"$PG_BIN/psql" -qAt -h 127.0.0.1 -p "$P_PORT" -U postgres -d postgres -c 'create database metrotrace' >/dev/null

# the replica: a base backup with its standby settings (-R: primary_conninfo, standby.signal), on its own port
pg pg_basebackup -h 127.0.0.1 -p "$P_PORT" -U postgres -D "$DIR/replica" -R -X stream -c fast --no-sync >"$DIR/basebackup.log" 2>&1
printf "port = %s\n" "$R_PORT" >>"$DIR/replica/postgresql.conf"
pg pg_ctl -D "$DIR/replica" -l "$DIR/replica.log" -w start >/dev/null
REPLICA_UP=1

export PRIMARY_URL="postgres://postgres@127.0.0.1:$P_PORT/metrotrace"
export REPLICA_URL="postgres://postgres@127.0.0.1:$R_PORT/metrotrace"
A_PORT=$(free_port)
B_PORT=$(free_port)
while [ "$B_PORT" = "$A_PORT" ]; do B_PORT=$(free_port); done
export API_A="http://127.0.0.1:$A_PORT"
export API_B="http://127.0.0.1:$B_PORT"
export CLUSTER_DIR="$DIR"

# an API process: both share one ledger key file (beside METROTRACE_DATA) and the demo keys file (under its cwd)
serve() {
  local port=$1 name=$2
  (cd "$DIR" && exec env PORT="$port" HOST=127.0.0.1 DATABASE_URL="$PRIMARY_URL" DATABASE_READ_URL="$REPLICA_URL" \
    METROTRACE_DATA="$DIR/data" METROTRACE_LEDGER_ANCHOR_INTERVAL_S=0 \
    node "$REPO/bin/metrotrace" serve >"$DIR/api-$name.log" 2>&1) &
  API_PIDS+=($!)
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    kill -0 "${API_PIDS[-1]}" 2>/dev/null || { echo "cluster: API $name exited; its log:" >&2; cat "$DIR/api-$name.log" >&2; return 1; }
    sleep 0.2
  done
  echo "cluster: API $name did not answer in 60 s; its log:" >&2
  cat "$DIR/api-$name.log" >&2
  return 1
}
# A first: it migrates the empty database and loads the demo; then B, which finds them
serve "$A_PORT" a
serve "$B_PORT" b
export KEYS
KEYS="$(ls "$DIR"/demo-keys/*.env 2>/dev/null | head -1)"

echo "PRIMARY_URL=$PRIMARY_URL"
echo "REPLICA_URL=$REPLICA_URL"
echo "API_A=$API_A"
echo "API_B=$API_B"
echo "KEYS=$KEYS"
echo "CLUSTER_DIR=$DIR"
echo "cluster: ready"

stop_replica() {
  pg pg_ctl -D "$DIR/replica" -m fast -w stop >/dev/null 2>&1 || true
  REPLICA_UP=0
  echo "cluster: replica stopped"
}
trap stop_replica USR1

if [ $# -gt 0 ]; then
  "$@" &
  cmd=$!
  while :; do
    set +e
    wait "$cmd"
    s=$?
    set -e
    # a signal (USR1) interrupted the wait: the command still runs
    if kill -0 "$cmd" 2>/dev/null; then continue; fi
    exit "$s"
  done
fi
while :; do
  sleep 3600 &
  wait $! || true
done
