#!/usr/bin/env bash
# A throwaway PostgreSQL server for the load benchmark's reference service.
#   bench/reference/postgres.sh start DIR PORT   initdb into DIR, start on PORT, print the URL
#   bench/reference/postgres.sh stop DIR
# Installs Debian's postgresql when its server is missing. Exits 3 when it cannot run.
set -euo pipefail
cmd=$1 dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
case "$cmd" in
  start)
    port=$3
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 || exit 3
        bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
      else
        exit 3
      fi
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$dir"
      chmod o+x "$(dirname "$dir")"  # a temporary parent is 0700: let the server reach its folder
    fi
    as_postgres "'$bin/initdb' -D '$dir/data' -A trust -U postgres" >/dev/null
    as_postgres "'$bin/pg_ctl' -D '$dir/data' -l '$dir/log' -w -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c max_connections=200\" start" >/dev/null
    echo "postgresql+psycopg2://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_postgres "'$bin/pg_ctl' -D '$dir/data' -m fast stop" >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
