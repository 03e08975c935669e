# bench/run: the measured sections (many, chain, status, trace), each printing its markdown table.
# shellcheck shell=bash

# ---------------------------------------------------------------- section: many
section_many() {
  local g=$WORK/gen/many tool rep db i
  say "== many: generating $N migrations in each format"
  gen_many "$g" "$N"
  local tools=()
  for tool in floor psql autocrm sql-migrate dbmate node-pg-migrate sqitch; do has "$TOOLS" "$tool" && tools+=("$tool"); done
  # A first run on a new server is slower (cold caches, new catalog files): warm up untimed.
  say "   warm-up (untimed): psql up and down"
  fresh_db b_warmup
  run_floor up b_warmup "$g" "$N" >/dev/null 2>&1 && run_floor down b_warmup "$g" "$N" >/dev/null 2>&1 || true
  drop_db b_warmup
  declare -A ups downs upc downc failed slow_up slow_down
  local ntools=${#tools[@]}
  for ((rep = 1; rep <= REPEAT; rep++)); do
    # Each repetition starts with a different tool, so no tool always runs first or last.
    for ((i = 0; i < ntools; i++)); do
      tool=${tools[(i + rep - 1) % ntools]}
      [[ -n ${failed[$tool]:-} ]] && continue
      [[ -n ${slow_up[$tool]:-} && -n ${slow_down[$tool]:-} ]] && continue
      db="b_${tool//-/_}_$rep"
      fresh_db "$db"
      local up_ms=- down_ms=-
      if [[ -z ${slow_up[$tool]:-} ]]; then
        if ! timed "$WORK/logs/$tool-up.log" "run_$tool" up "$db" "$g" "$N" || [[ $(bench_tables "$db") != "$N" ]]; then
          say "   $tool up FAILED (log: $WORK/logs/$tool-up.log)"; tail -5 "$WORK/logs/$tool-up.log" >&2
          failed[$tool]=1; drop_db "$db"; continue
        fi
        ups[$tool]+=" $LAST_MS"; upc[$tool]+=" $LAST_CPU"; up_ms=$LAST_MS
        is_slow "$tool" && slow_up[$tool]=1
      else
        "run_$tool" up "$db" "$g" "$N" >"$WORK/logs/$tool-up.log" 2>&1 || { failed[$tool]=1; drop_db "$db"; continue; }
      fi
      if [[ -z ${slow_down[$tool]:-} ]]; then
        q checkpoint >/dev/null
        if ! timed "$WORK/logs/$tool-down.log" "run_$tool" down "$db" "$g" "$N" || [[ $(bench_tables "$db") != 0 ]]; then
          say "   $tool down FAILED (log: $WORK/logs/$tool-down.log)"; tail -5 "$WORK/logs/$tool-down.log" >&2
          failed[$tool]=1; drop_db "$db"; continue
        fi
        downs[$tool]+=" $LAST_MS"; downc[$tool]+=" $LAST_CPU"; down_ms=$LAST_MS
        is_slow "$tool" && slow_down[$tool]=1
      fi
      say "   run $rep/$REPEAT $(printf '%-16s' "$tool") up $up_ms ms, down $down_ms ms"
      drop_db "$db"
    done
  done
  local fu fd fuc fdc
  fu=$(median ${ups[floor]:-}); fd=$(median ${downs[floor]:-})
  fuc=$(median ${upc[floor]:-}); fdc=$(median ${downc[floor]:-})
  out ""
  out "### 1. $N migrations (create table, create index, insert a row), up then down"
  out ""
  out "Fresh database per tool per run; wall time of the whole command (process start included) and"
  out "CPU time (the tool's processes plus every server process, user + system); median of $REPEAT runs"
  out "unless marked (a peer's run longer than $((SLOW_MS / 1000)) s is not repeated). The floor is psql sending each"
  out "migration as one \\;-joined query string (one round trip per migration)."
  out ""
  out "| tool | up wall | / floor | up CPU | / floor | down wall | / floor | down CPU | / floor |"
  out "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for tool in "${tools[@]}"; do
    local mu md cu cd nu nd
    if [[ -n ${failed[$tool]:-} ]]; then mu=FAIL; md=FAIL; cu=FAIL; cd=FAIL; nu=; nd=
    else
      mu=$(median ${ups[$tool]:-}); md=$(median ${downs[$tool]:-})
      cu=$(median ${upc[$tool]:-}); cd=$(median ${downc[$tool]:-})
      nu=$(runs_note "$(wc -w <<<"${ups[$tool]:-}")"); nd=$(runs_note "$(wc -w <<<"${downs[$tool]:-}")")
    fi
    out "| $(tool_label "$tool") | $(fmt_s "$mu")$nu | $(ratio "$mu" "$fu") | $(fmt_s "$cu") | $(ratio "$cu" "$fuc") | $(fmt_s "$md")$nd | $(ratio "$md" "$fd") | $(fmt_s "$cd") | $(ratio "$cd" "$fdc") |"
  done
  out ""
  out "Every run (wall ms / CPU ms):"
  out ""
  for tool in "${tools[@]}"; do
    out "- $tool: up$(pairs "${ups[$tool]:-}" "${upc[$tool]:-}"); down$(pairs "${downs[$tool]:-}" "${downc[$tool]:-}")"
  done
}

# ---------------------------------------------------------------- section: chain
# section_of FILE up|down: the body of that section (dbmate markers).
section_of() {
  awk -v want="$2" '
    /^-- migrate:up/   { cur = "up"; next }
    /^-- migrate:down/ { cur = "down"; next }
    cur == want { print }' "$1"
}
notx() { grep -Eq "^-- migrate:$2.*transaction:false" "$1"; }

section_chain() {
  local g=$WORK/gen/chain f rep db files=()
  mkdir -p "$g"
  for f in "$REPO"/migrations/*.sql; do files+=("$f"); done
  local nfiles=${#files[@]}
  : >"$g/up.sql"; : >"$g/down.sql"
  for f in "${files[@]}"; do
    if notx "$f" up; then section_of "$f" up >>"$g/up.sql"
    else { echo 'begin;'; section_of "$f" up; echo 'commit;'; } >>"$g/up.sql"; fi
  done
  for ((i = nfiles - 1; i >= 0; i--)); do
    f=${files[i]}
    if notx "$f" down; then section_of "$f" down >>"$g/down.sql"
    else { echo 'begin;'; section_of "$f" down; echo 'commit;'; } >>"$g/down.sql"; fi
  done
  local objects="select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'autocrm_migrate')"
  say "== chain: $nfiles files in migrations/"
  local au=() ad=() pu=() pd=() auc=() adc=() puc=() pdc=() problem=
  local runs=$((REPEAT < 5 ? 5 : REPEAT))
  # Run 0 is an untimed warm-up (the first run on a new server is slower).
  for ((rep = 0; rep <= runs; rep++)); do
    db=c_psql_$rep; fresh_db "$db"
    local base; base=$(q "$objects" "$db")
    if ! timed "$WORK/logs/chain-psql-up.log" PSQL -d "$db" -f "$g/up.sql"; then problem="psql up failed: $(grep -m1 -i error "$WORK/logs/chain-psql-up.log")"; drop_db "$db"; break; fi
    pu+=("$LAST_MS"); puc+=("$LAST_CPU"); q checkpoint >/dev/null
    if ! timed "$WORK/logs/chain-psql-down.log" PSQL -d "$db" -f "$g/down.sql"; then problem="psql down failed: $(grep -m1 -i error "$WORK/logs/chain-psql-down.log")"; drop_db "$db"; break; fi
    pd+=("$LAST_MS"); pdc+=("$LAST_CPU"); drop_db "$db"
    db=c_autocrm_$rep; fresh_db "$db"
    if ! timed "$WORK/logs/chain-autocrm-up.log" bash -c 'cd "$1" && "$2" --database-url "$3" --migrations-dir "$4" up' _ "$WORK/run" "$BIN" "$(url "$db")" "$REPO/migrations"; then
      problem="autocrm-migrate up failed: $(grep -m1 -iE 'error|fail' "$WORK/logs/chain-autocrm-up.log")"; drop_db "$db"; break; fi
    au+=("$LAST_MS"); auc+=("$LAST_CPU"); q checkpoint >/dev/null
    if ! timed "$WORK/logs/chain-autocrm-down.log" bash -c 'cd "$1" && "$2" --database-url "$3" --migrations-dir "$4" down --all' _ "$WORK/run" "$BIN" "$(url "$db")" "$REPO/migrations"; then
      problem="autocrm-migrate down failed: $(grep -m1 -iE 'error|fail' "$WORK/logs/chain-autocrm-down.log")"; drop_db "$db"; break; fi
    ad+=("$LAST_MS"); adc+=("$LAST_CPU")
    local left; left=$(q "$objects" "$db")
    [[ $left == "$base" ]] || problem="after autocrm-migrate down --all, $((left - base)) relations remain"
    drop_db "$db"
    say "   run $rep/$runs psql up ${pu[-1]} down ${pd[-1]} ms; autocrm-migrate up ${au[-1]} down ${ad[-1]} ms$(if ((rep == 0)); then echo ' (warm-up, not counted)'; fi)"
    if ((rep == 0)); then pu=(); pd=(); au=(); ad=(); puc=(); pdc=(); auc=(); adc=(); fi
  done
  local mpu mpd mau mad cpu cpd cau cad
  mpu=$(median "${pu[@]}"); mpd=$(median "${pd[@]}"); mau=$(median "${au[@]}"); mad=$(median "${ad[@]}")
  cpu=$(median "${puc[@]}"); cpd=$(median "${pdc[@]}"); cau=$(median "${auc[@]}"); cad=$(median "${adc[@]}")
  out ""
  out "### 2. The AutoCRM chain: $nfiles files in migrations/, up then down, fresh database, median of $runs"
  out ""
  if [[ -n $problem ]]; then out "**Problem:** $problem"; out ""; fi
  out "| tool | up wall | / psql | up CPU | / psql | down wall | / psql | down CPU | / psql |"
  out "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  out "| psql, one transaction per file, one session | $mpu ms | 1.00x | $cpu ms | 1.00x | $mpd ms | 1.00x | $cpd ms | 1.00x |"
  out "| autocrm-migrate | $mau ms | $(ratio "$mau" "$mpu") | $cau ms | $(ratio "$cau" "$cpu") | $mad ms | $(ratio "$mad" "$mpd") | $cad ms | $(ratio "$cad" "$cpd") |"
  out ""
  out "Every run (wall ms / CPU ms): psql up$(pairs "${pu[*]:-}" "${puc[*]:-}"); down$(pairs "${pd[*]:-}" "${pdc[*]:-}");"
  out "autocrm-migrate up$(pairs "${au[*]:-}" "${auc[*]:-}"); down$(pairs "${ad[*]:-}" "${adc[*]:-}")"
}

# ---------------------------------------------------------------- section: status
hf_median_ms() { grep -m1 '"median"' "$1" | sed -E 's/.*: *([0-9.eE+-]+).*/\1/' | awk '{printf "%.1f", $1*1000}'; }

section_status() {
  local g=$WORK/gen/status i v db=s_status
  say "== status: $STATUS_N applied migrations"
  mkdir -p "$g"
  for ((i = 1; i <= STATUS_N; i++)); do
    v=$(version_of "$i")
    printf -- '-- migrate:up\nselect 1;\n\n-- migrate:down\nselect 1;\n' >"$g/${v}_s$i.sql"
  done
  fresh_db "$db"
  local last; last=$(version_of "$STATUS_N")
  local a=("$BIN" --database-url "$(url "$db")" --migrations-dir "$g")
  cd "$WORK/run"
  timed "$WORK/logs/baseline.log" "${a[@]}" baseline "$last" || { cat "$WORK/logs/baseline.log" >&2; die "baseline failed"; }
  local baseline_ms=$LAST_MS
  local applied; applied=$(q "select count(*) from autocrm_migrate.schema_migrations" "$db")
  [[ $applied == "$STATUS_N" ]] || die "baseline recorded $applied rows, expected $STATUS_N"
  "${a[@]}" status >"$WORK/logs/status.log" 2>&1 || { tail "$WORK/logs/status.log" >&2; die "status failed"; }
  "${a[@]}" validate >"$WORK/logs/validate.log" 2>&1 || { tail "$WORK/logs/validate.log" >&2; die "validate failed"; }
  local cmd
  printf -v cmd '%q ' "${a[@]}"
  hyperfine -N --style none --warmup 2 --runs 10 --export-json "$WORK/logs/hf-status.json" "${cmd}status" >/dev/null 2>&1
  hyperfine -N --style none --warmup 2 --runs 10 --export-json "$WORK/logs/hf-status-json.json" "${cmd}--format json status" >/dev/null 2>&1
  hyperfine -N --style none --warmup 2 --runs 10 --export-json "$WORK/logs/hf-validate.json" "${cmd}validate" >/dev/null 2>&1
  hyperfine -N --style none --warmup 10 --runs 100 --export-json "$WORK/logs/hf-version.json" "$(printf '%q' "$BIN") --version" >/dev/null 2>&1
  hyperfine -N --style none --warmup 10 --runs 100 --export-json "$WORK/logs/hf-psql.json" \
    "$PSQL_BIN -X -h 127.0.0.1 -p $PORT -U postgres -d $db -Atc 'select 1'" >/dev/null 2>&1
  cd "$REPO"
  drop_db "$db"
  out ""
  out "### 3. Status and validate with $STATUS_N applied migrations; start-up (hyperfine, median)"
  out ""
  out "| command | median |"
  out "|---|---:|"
  out "| \`status\` ($STATUS_N applied) | $(hf_median_ms "$WORK/logs/hf-status.json") ms |"
  out "| \`--format json status\` ($STATUS_N applied) | $(hf_median_ms "$WORK/logs/hf-status-json.json") ms |"
  out "| \`validate\` ($STATUS_N files parsed, checksums compared) | $(hf_median_ms "$WORK/logs/hf-validate.json") ms |"
  out "| \`--version\` (start-up, 100 runs) | $(hf_median_ms "$WORK/logs/hf-version.json") ms |"
  out "| for scale: \`psql -c 'select 1'\` (start, connect, one query; 100 runs) | $(hf_median_ms "$WORK/logs/hf-psql.json") ms |"
  out "| \`baseline\` recording $STATUS_N rows (one run) | $baseline_ms ms |"
  out "| \`check\` | not measured yet (issue 6, item 4: to be added) |"
}

# ---------------------------------------------------------------- section: trace
# Counts, over every server process (postmaster, its existing children and every backend forked
# while tracing): sendto() calls that sent data (the server flushes its output when it answers and
# waits: one per round trip), recvfrom() calls that got data (client writes), fdatasync/fsync
# (WAL flushes: one per durable commit) and forks (connections).
trace_run() {  # trace_run OUTFILE cmd...
  local pm pids=() p trace=$1.strace
  shift
  pm=$(head -1 "$PGDATA_DIR/postmaster.pid")
  pids=(-p "$pm")
  for p in $(pgrep -P "$pm"); do pids+=(-p "$p"); done
  strace -f -qq -e trace=sendto,recvfrom,fdatasync,fsync,clone,fork,vfork -o "$trace" "${pids[@]}" &
  local st=$!
  sleep 0.5
  local rc=0
  "$@" >"$WORK/logs/trace-cmd.log" 2>&1 || rc=$?
  sleep 0.3
  kill -INT "$st" 2>/dev/null || true
  wait "$st" 2>/dev/null || true
  awk '
    / = [1-9][0-9]*$/ && /sendto/   { send++ }
    / = [1-9][0-9]*$/ && /recvfrom/ { recv++ }
    / = [1-9][0-9]*$/ && /clone|fork/ { forks++ }
    /^[0-9]+ +f(data)?sync\(/ { sync++ }
    END { printf "%d %d %d %d\n", send, recv, sync, forks }' "$trace"
  return $rc
}

section_trace() {
  local tool dir n db
  local g1=$WORK/gen/trace1 gn=$WORK/gen/tracen
  say "== trace: round trips and fsyncs (N=1 and N=$TRACE_N)"
  gen_many "$g1" 1
  gen_many "$gn" "$TRACE_N"
  local tools=()
  for tool in floor psql autocrm sql-migrate dbmate node-pg-migrate sqitch; do has "$TOOLS" "$tool" && tools+=("$tool"); done
  out ""
  out "### 5. Where the time goes: per migration, counted on the server with strace ((N=$TRACE_N run - N=1 run) / $((TRACE_N - 1)); fixed cost per run in brackets)"
  out ""
  out "| tool | direction | round trips (server flushes) | client writes received | fsyncs (commit + new files) | connections |"
  out "|---|---|---:|---:|---:|---:|"
  for tool in "${tools[@]}"; do
    for dir in up down; do
      local c1 cn
      db=t_1; fresh_db "$db"
      [[ $dir == down ]] && "run_$tool" up "$db" "$g1" 1 >/dev/null 2>&1
      q checkpoint >/dev/null
      c1=$(trace_run "$WORK/logs/trace-$tool-$dir-1" "run_$tool" "$dir" "$db" "$g1" 1) || { say "   trace $tool $dir failed"; }
      drop_db "$db"
      db=t_n; fresh_db "$db"
      [[ $dir == down ]] && "run_$tool" up "$db" "$gn" "$TRACE_N" >/dev/null 2>&1
      q checkpoint >/dev/null
      cn=$(trace_run "$WORK/logs/trace-$tool-$dir-n" "run_$tool" "$dir" "$db" "$gn" "$TRACE_N") || { say "   trace $tool $dir failed"; }
      drop_db "$db"
      local row
      row=$(awk -v a="$c1" -v b="$cn" -v n="$TRACE_N" 'BEGIN {
        split(a, x, " "); split(b, y, " ");
        for (k = 1; k <= 4; k++) { per = (y[k] - x[k]) / (n - 1); fixed = x[k] - per;
          printf "| %.2f (%+.0f) ", per, fixed }
        }')
      out "| $(tool_label "$tool") | $dir $row|"
      say "   $tool $dir: N=1 [$c1] N=$TRACE_N [$cn]"
    done
  done
}
