# bench/run: the synthetic migrations in every tool's own format, and how each tool is run.
# shellcheck shell=bash

# ---------------------------------------------------------------- synthetic migrations
version_of() { printf '20200101%02d%02d%02d' $(($1 / 3600)) $(($1 / 60 % 60)) $(($1 % 60)); }

# gen_many DIR N: the same SQL in every tool's format.
gen_many() {
  local dir=$1 n=$2 i v name t up down u1
  mkdir -p "$dir"/{dbmate,sqlmigrate,npgm,sqitch/deploy,sqitch/revert,sqitch/verify,floor}
  {
    echo '%syntax-version=1.0.0'
    echo '%project=bench'
    echo
  } >"$dir/sqitch/sqitch.plan"
  cat >"$dir/sqitch/sqitch.conf" <<EOF
[core]
	engine = pg
	plan_file = sqitch.plan
	top_dir = .
[engine "pg"]
	client = $PSQL_BIN
[deploy]
	verify = false
EOF
  : >"$dir/floor/up1.sql"
  : >"$dir/floor/upn.sql"
  local floor_down1=() floor_downn=()
  for ((i = 1; i <= n; i++)); do
    v=$(version_of "$i")
    printf -v name 'm%05d' "$i"
    t="bench_t$name"
    up="create table $t (id bigint generated always as identity primary key, name text not null, created_at timestamptz not null default now());
create index ${t}_name_idx on $t (name);
insert into $t (name) values ('row $i');"
    down="drop table $t;"
    printf -- '-- migrate:up\n%s\n\n-- migrate:down\n%s\n' "$up" "$down" >"$dir/dbmate/${v}_$name.sql"
    printf -- '-- +migrate Up\n%s\n\n-- +migrate Down\n%s\n' "$up" "$down" >"$dir/sqlmigrate/${v}_$name.sql"
    printf -- '-- Up Migration\n%s\n\n-- Down Migration\n%s\n' "$up" "$down" >"$dir/npgm/${v}_$name.sql"
    printf -- 'BEGIN;\n%s\nCOMMIT;\n' "$up" >"$dir/sqitch/deploy/$name.sql"
    printf -- 'BEGIN;\n%s\nCOMMIT;\n' "$down" >"$dir/sqitch/revert/$name.sql"
    printf '%s 2020-01-01T00:00:00Z Bench <bench@example.com> # %s\n' "$name" "$name" >>"$dir/sqitch/sqitch.plan"
    # floor, one round trip per migration: psql sends `\;`-joined statements as one query string.
    u1=${up//;$'\n'/\\; }
    printf 'begin\\; %s\\; commit;\n' "${u1%;}" >>"$dir/floor/up1.sql"
    # psql as usual: one statement per round trip, begin/commit around each migration.
    printf 'begin;\n%s\ncommit;\n' "$up" >>"$dir/floor/upn.sql"
    floor_down1[i]="begin\\; ${down%;}\\; commit;"
    floor_downn[i]="begin;
$down
commit;"
  done
  for ((i = n; i >= 1; i--)); do
    printf '%s\n' "${floor_down1[i]}" >>"$dir/floor/down1.sql"
    printf '%s\n' "${floor_downn[i]}" >>"$dir/floor/downn.sql"
  done
}

# Tool runners: run_TOOL up|down DB DIR [N]
run_floor() { PSQL -d "$2" -f "$3/floor/${1}1.sql"; }
run_psql() { PSQL -d "$2" -f "$3/floor/${1}n.sql"; }
run_autocrm() {
  if [[ $1 == up ]]; then (cd "$WORK/run" && "$BIN" --database-url "$(url "$2")" --migrations-dir "$3/dbmate" up)
  else (cd "$WORK/run" && "$BIN" --database-url "$(url "$2")" --migrations-dir "$3/dbmate" down --all); fi
}
run_sql-migrate() {
  cat >"$WORK/run/dbconfig.yml" <<EOF
bench:
  dialect: postgres
  datasource: host=127.0.0.1 port=$PORT user=postgres dbname=$2 sslmode=disable
  dir: $3/sqlmigrate
EOF
  if [[ $1 == up ]]; then sql-migrate up -config="$WORK/run/dbconfig.yml" -env=bench
  else sql-migrate down -config="$WORK/run/dbconfig.yml" -env=bench -limit=0; fi
}
run_dbmate() {
  # The Go binary itself (npm's bin/dbmate is a node launcher that would add a node start per call).
  local d=("$DBMATE_BIN" --url "$(url "$2")?sslmode=disable" --migrations-dir "$3/dbmate" --no-dump-schema)
  if [[ $1 == up ]]; then "${d[@]}" up
  else
    # dbmate reverts one migration per call.
    local i
    for ((i = 0; i < $4; i++)); do "${d[@]}" rollback || return 1; done
  fi
}
run_node-pg-migrate() {
  # One transaction per migration like the others (its default puts the whole run in one).
  local c=(env "DATABASE_URL=$(url "$2")" node "$NPM_DIR/node_modules/node-pg-migrate/bin/node-pg-migrate.js"
    -m "$3/npgm" --no-single-transaction --no-verbose)
  if [[ $1 == up ]]; then "${c[@]}" up; else "${c[@]}" down "$4"; fi
}
run_sqitch() {
  local t="db:pg://postgres@127.0.0.1:$PORT/$2"
  if [[ $1 == up ]]; then (cd "$3/sqitch" && sqitch deploy --no-verify --target "$t")
  else (cd "$3/sqitch" && sqitch revert -y --target "$t"); fi
}
export SQITCH_FULLNAME=Bench SQITCH_EMAIL=bench@example.com SQITCH_USER_CONFIG=/dev/null

tool_label() {
  case $1 in
    floor) echo "psql, one round trip per migration (floor)" ;;
    psql) echo "psql, one statement per round trip" ;;
    autocrm) echo "autocrm-migrate $("$BIN" --version | awk '{print $2}')" ;;
    sql-migrate) echo "sql-migrate $(dpkg-query -W -f '${Version}' sql-migrate 2>/dev/null | cut -d- -f1)" ;;
    dbmate) echo "dbmate $DBMATE_VERSION (Go binary; down: one rollback call per migration)" ;;
    node-pg-migrate) echo "node-pg-migrate $NPGM_VERSION (--no-single-transaction)" ;;
    sqitch) echo "sqitch $(sqitch --version | awk '{print $NF}' | tr -d v)" ;;
  esac
}

bench_tables() { q "select count(*) from pg_tables where tablename like 'bench_t%'" "$1"; }
