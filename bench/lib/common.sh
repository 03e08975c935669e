# bench/run's helpers: installing what is missing, its own server, machine load, timing and output.
# Sourced by bench/run, which sets the settings they read (PGBIN, WORK, RESULTS, ...).
# shellcheck shell=bash

has() { [[ ",$1," == *",$2,"* ]]; }
say() { printf '%s\n' "$*" >&2; }
die() { say "bench/run: $*"; exit 1; }

# ---------------------------------------------------------------- install
install_deps() {
  local want=() p
  [[ -x $PGBIN/postgres ]] || want+=(postgresql-15)
  [[ -x $PGBIN/psql ]] || want+=(postgresql-client-15)
  command -v hyperfine >/dev/null || want+=(hyperfine)
  command -v strace >/dev/null || want+=(strace)
  command -v npm >/dev/null || want+=(npm)
  if has "$TOOLS" sql-migrate; then command -v sql-migrate >/dev/null || want+=(sql-migrate); fi
  if has "$TOOLS" sqitch; then
    command -v sqitch >/dev/null || want+=(sqitch)
    dpkg -s libdbd-pg-perl >/dev/null 2>&1 || want+=(libdbd-pg-perl)
  fi
  if ((${#want[@]})); then
    if [[ $(id -u) != 0 ]]; then
      die "missing packages; run: sudo apt-get install -y ${want[*]}"
    fi
    say "installing ${want[*]} (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${want[@]}" >/dev/null
  fi
  if has "$TOOLS" dbmate || has "$TOOLS" node-pg-migrate; then
    if [[ ! -x $DBMATE_BIN || ! -x $NPM_DIR/node_modules/.bin/node-pg-migrate ]]; then
      say "installing dbmate@$DBMATE_VERSION node-pg-migrate@$NPGM_VERSION pg@$PG_VERSION_NPM (npm, into bench/.cache/npm)"
      mkdir -p "$NPM_DIR"
      [[ -f $NPM_DIR/package.json ]] || echo '{"name":"autocrm-bench-peers","private":true}' >"$NPM_DIR/package.json"
      (cd "$NPM_DIR" && npm install --no-audit --no-fund --loglevel=error \
        "dbmate@$DBMATE_VERSION" "node-pg-migrate@$NPGM_VERSION" "pg@$PG_VERSION_NPM" >/dev/null 2>&1) ||
        die "npm install failed (cd $NPM_DIR && npm install dbmate@$DBMATE_VERSION node-pg-migrate@$NPGM_VERSION pg@$PG_VERSION_NPM)"
    fi
  fi
  if [[ ! -x $BIN ]]; then
    say "building autocrm-migrate (scripts/build)"
    "$REPO/scripts/build"
  fi
  [[ -x $BIN ]] || die "$BIN not found"
}

# ---------------------------------------------------------------- server
WORK=
PGDATA_DIR=
SERVER_LOG=
PORT=
cleanup() {
  local rc=$?
  if [[ -n $PGDATA_DIR && -f $PGDATA_DIR/postmaster.pid ]]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [[ -n $WORK && -d $WORK ]]; then
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi
  fi
  exit $rc
}

as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

make_work() {
  WORK=$(mktemp -d /tmp/autocrm-bench.XXXXXX)
  chmod 755 "$WORK"
  mkdir -p "$WORK/gen" "$WORK/run" "$WORK/logs"
}

# start_server NAME: a new cluster (initdb) for one section, so that no section inherits another's
# catalog churn, dirty buffers or pending file unlinks.
start_server() {
  PGDATA_DIR=$WORK/data-$1
  SERVER_LOG=$WORK/logs/server-$1.log
  mkdir -p "$PGDATA_DIR" "$WORK/sock"
  touch "$SERVER_LOG"
  if [[ $(id -u) == 0 ]]; then chown postgres: "$PGDATA_DIR" "$WORK/sock" "$SERVER_LOG"; fi
  as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/logs/initdb.log" 2>&1 ||
    { cat "$WORK/logs/initdb.log" >&2; die "initdb failed"; }
  local p
  PORT=
  for p in $(seq 55433 55533); do
    port_free "$p" || continue
    if as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$SERVER_LOG" -w -t 30 \
      -o "-p $p -c listen_addresses=127.0.0.1 -c unix_socket_directories=$WORK/sock" start >/dev/null 2>&1; then
      PORT=$p
      break
    fi
  done
  [[ -n $PORT ]] || { tail -20 "$SERVER_LOG" >&2; die "could not start PostgreSQL"; }
}

stop_server() {
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
  [[ ${BENCH_KEEP:-0} == 1 ]] || rm -rf "$PGDATA_DIR"
  PGDATA_DIR=
}

# The server's own psql: /usr/bin/psql is Debian's pg_wrapper, a Perl script that adds about 35 ms
# to every start and would flatter every comparison with psql.
PSQL_BIN=$PGBIN/psql
PSQL() { "$PSQL_BIN" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }
q() { PGOPTIONS="-c client_min_messages=warning" PSQL -At -d "${2:-postgres}" -c "$1"; }
url() { echo "postgres://postgres@127.0.0.1:$PORT/$1"; }
fresh_db() { q "drop database if exists $1" >/dev/null; q "create database $1" >/dev/null; q "checkpoint" >/dev/null; }
drop_db() { q "drop database if exists $1 with (force)" >/dev/null; }

# ---------------------------------------------------------------- machine load
# This machine may be shared: CPU used by processes other than this script, its tools and its
# server during a section is reported with the section (and BENCH_WAIT_QUIET=SECONDS waits, up to
# that long, for the machine to be idle before each section).
CLK_TCK=$(getconf CLK_TCK)
busy_jiffies() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
steal_jiffies() { awk '/^cpu / {print $9}' /proc/stat; }
# CPU used by this shell's finished children (the tools) and by the server (postmaster, its
# finished children and live ones), in jiffies.
own_jiffies() {
  local kids server=0 pm p
  # cutime + cstime of this shell ($$ even inside a subshell): every tool it ran and waited for.
  kids=$(awk '{ print $16 + $17 }' "/proc/$$/stat")
  if [[ -n $PGDATA_DIR && -f $PGDATA_DIR/postmaster.pid ]]; then
    pm=$(head -1 "$PGDATA_DIR/postmaster.pid")
    server=$(for p in "$pm" $(pgrep -P "$pm"); do awk '{ print $14 + $15 + $16 + $17 }' "/proc/$p/stat" 2>/dev/null; done |
      awk '{ s += $1 } END { print s + 0 }')
  fi
  echo $((kids + server))
}
LOAD_T0= LOAD_BUSY0= LOAD_OWN0= LOAD_STEAL0=
load_begin() { LOAD_T0=$(now_us); LOAD_BUSY0=$(busy_jiffies); LOAD_OWN0=$(own_jiffies); LOAD_STEAL0=$(steal_jiffies); }
# Percent of the machine's CPUs used by other processes since load_begin (call before stop_server).
load_end() {
  local el busy own steal
  el=$(($(now_us) - LOAD_T0)); busy=$(($(busy_jiffies) - LOAD_BUSY0)); own=$(($(own_jiffies) - LOAD_OWN0))
  steal=$(($(steal_jiffies) - LOAD_STEAL0))
  awk -v b="$busy" -v o="$own" -v st="$steal" -v el="$el" -v hz="$CLK_TCK" -v n="$(nproc)" 'BEGIN {
    cap = el / 1e6 * hz * n; f = (b - o) / cap * 100; if (f < 0) f = 0;
    printf "%.0f%% of the %d cores busy with other processes (steal %.0f%%)", f, n, st / cap * 100 }'
}
# Waits (up to BENCH_WAIT_QUIET seconds) until other processes use less than 15% of the CPUs.
wait_quiet() {
  local limit=${BENCH_WAIT_QUIET:-0} waited=0 b0 b1 pct
  ((limit > 0)) || return 0
  while :; do
    b0=$(busy_jiffies); sleep 3; b1=$(busy_jiffies)
    pct=$(((b1 - b0) * 100 / (3 * CLK_TCK * $(nproc))))
    ((pct < 15)) && return 0
    ((waited >= limit)) && { say "   machine still busy ($pct%) after ${waited}s; going on"; return 0; }
    ((waited % 30 == 0)) && say "   waiting for a quiet machine (others use $pct% of the CPUs)"
    waited=$((waited + 3))
  done
}

# ---------------------------------------------------------------- timing helpers
now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }
LAST_MS=
LAST_CPU=
# timed LOG cmd...: runs cmd with output in LOG; sets LAST_MS (wall) and LAST_CPU (CPU ms used by
# the command and its children plus the whole server, all processes); returns cmd's status.
timed() {
  local log=$1; shift
  local t0 t1 c0 c1 rc=0
  c0=$(own_jiffies)
  t0=$(now_us)
  "$@" >"$log" 2>&1 || rc=$?
  t1=$(now_us)
  sleep 0.1  # lets the postmaster reap the tool's backends, whose CPU it then accounts
  c1=$(own_jiffies)
  LAST_MS=$(((t1 - t0) / 1000))
  LAST_CPU=$(((c1 - c0) * 1000 / CLK_TCK))
  return $rc
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR==0) print "-"; else if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 == 0 || b+0 == 0) print "-"; else printf "%.2fx", a/b }'; }
pairs() { local a=($1) b=($2) i; ((${#a[@]})) || { printf ' -'; return; }; for i in "${!a[@]}"; do printf ' %s/%s' "${a[i]}" "${b[i]:-?}"; done; }
# A peer (never autocrm-migrate or the psql rows) whose run took longer than BENCH_SLOW_S is not repeated.
is_slow() { [[ $1 != floor && $1 != psql && $1 != autocrm ]] && ((SLOW_MS > 0 && LAST_MS > SLOW_MS)); }
runs_note() { if (($1 == REPEAT)); then :; elif (($1 == 1)); then echo " (1 run)"; else echo " ($1 runs)"; fi; }
per_m() { awk -v ms="$1" -v n="$2" 'BEGIN { if (ms == "-" || ms == "FAIL" || ms == "") print "-"; else printf "%.2f ms", ms/n }'; }
fmt_s() { awk -v ms="$1" 'BEGIN { if (ms == "-" || ms == "FAIL") print ms; else printf "%.2f s", ms/1000 }'; }

out() { printf '%s\n' "$*" | tee -a "$RESULTS"; }
