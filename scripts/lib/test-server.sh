# A throwaway PostgreSQL for the tests: its own folder, a free port on 127.0.0.1 and a Unix socket.
# Works as root (the server runs as the postgres user) and as a normal user.
# Exports AUTOCRM_TEST_PGHOST (socket folder), AUTOCRM_TEST_PGPORT and AUTOCRM_TEST_PGBIN.

find_pg_bin() {
  local dir
  dir=$(pg_config --bindir 2>/dev/null || true)
  if [[ -x "$dir/initdb" ]]; then echo "$dir"; return; fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x "$dir/initdb" ]] && { echo "$dir"; return; }
  done
  echo "no PostgreSQL server binaries found: run scripts/install-deps" >&2
  return 1
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port found" >&2
  return 1
}

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_test_server() {
  AUTOCRM_TEST_PGBIN=$(find_pg_bin)
  AUTOCRM_TEST_ROOT=$(mktemp -d /tmp/autocrm-test-pg.XXXXXX)
  chmod 755 "$AUTOCRM_TEST_ROOT"
  mkdir -p "$AUTOCRM_TEST_ROOT/data" "$AUTOCRM_TEST_ROOT/sock"
  touch "$AUTOCRM_TEST_ROOT/log"
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$AUTOCRM_TEST_ROOT/data" "$AUTOCRM_TEST_ROOT/sock" "$AUTOCRM_TEST_ROOT/log"
  fi
  as_pg "$AUTOCRM_TEST_PGBIN/initdb" -D "$AUTOCRM_TEST_ROOT/data" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$AUTOCRM_TEST_ROOT/initdb.log" 2>&1 || { cat "$AUTOCRM_TEST_ROOT/initdb.log" >&2; return 1; }
  AUTOCRM_TEST_PGPORT=$(free_port)
  as_pg "$AUTOCRM_TEST_PGBIN/pg_ctl" -D "$AUTOCRM_TEST_ROOT/data" -l "$AUTOCRM_TEST_ROOT/log" -w -t 60 \
    -o "-p $AUTOCRM_TEST_PGPORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$AUTOCRM_TEST_ROOT/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$AUTOCRM_TEST_ROOT/log" >&2; return 1; }
  export AUTOCRM_TEST_PGHOST="$AUTOCRM_TEST_ROOT/sock" AUTOCRM_TEST_PGPORT AUTOCRM_TEST_PGBIN AUTOCRM_TEST_ROOT
  echo "test PostgreSQL: port $AUTOCRM_TEST_PGPORT, socket $AUTOCRM_TEST_PGHOST"
}

stop_test_server() {
  [[ -n "${AUTOCRM_TEST_ROOT:-}" && -d "$AUTOCRM_TEST_ROOT/data" ]] || return 0
  as_pg "$AUTOCRM_TEST_PGBIN/pg_ctl" -D "$AUTOCRM_TEST_ROOT/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$AUTOCRM_TEST_ROOT"
}
