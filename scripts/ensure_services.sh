#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 for the test suite and the benchmark.
#
# Does nothing when one already listens. Otherwise installs PostgreSQL with apt-get (only when it is missing),
# starts a cluster, and creates the `test` database with trust authentication for local connections, so
# that SITR_TEST_POSTGRES_URL's default (postgresql+psycopg://postgres@127.0.0.1:5432/test) works.
# Safe to run repeatedly (CI runs it before the tests).
set -euo pipefail

HOST=127.0.0.1
PORT=5432
DB=test

listening() {
  (exec 3<>"/dev/tcp/${HOST}/${PORT}") 2>/dev/null && exec 3>&- 3<&-
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; elif [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; else sudo -u postgres "$@"; fi
}

if listening; then
  echo "ensure_services: PostgreSQL already listening on ${HOST}:${PORT}"
else
  if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && ! command -v pg_ctl >/dev/null 2>&1; then
    echo "ensure_services: installing PostgreSQL"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  if command -v pg_lsclusters >/dev/null 2>&1 && [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
    read -r version cluster _ < <(pg_lsclusters -h | head -n1)
    conf_dir="/etc/postgresql/${version}/${cluster}"
    # Trust local TCP connections: a throwaway test server, never a production setting.
    if ! as_root grep -q "sitr-tests" "${conf_dir}/pg_hba.conf"; then
      as_root sh -c "printf '%s\n' '# sitr-tests' 'host all all 127.0.0.1/32 trust' 'host all all ::1/128 trust' \
        | cat - '${conf_dir}/pg_hba.conf' > '${conf_dir}/pg_hba.conf.new' && mv '${conf_dir}/pg_hba.conf.new' '${conf_dir}/pg_hba.conf'"
    fi
    as_root pg_ctlcluster "${version}" "${cluster}" start || as_root pg_ctlcluster "${version}" "${cluster}" restart
  else
    bindir=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n1 || command -v pg_ctl)")
    data=${PGDATA_DIR:-/tmp/sitr-pgdata}
    if [ ! -f "${data}/PG_VERSION" ]; then
      as_root mkdir -p "${data}" && as_root chown postgres "${data}"
      as_postgres "${bindir}/initdb" -D "${data}" -U postgres --auth=trust >/dev/null
    fi
    as_postgres "${bindir}/pg_ctl" -D "${data}" -o "-c listen_addresses=${HOST} -p ${PORT}" -l "${data}/server.log" -w start
  fi
  for _ in $(seq 1 30); do listening && break; sleep 1; done
  listening || { echo "ensure_services: PostgreSQL did not start" >&2; exit 1; }
fi

if command -v psql >/dev/null 2>&1; then
  if ! psql -h "${HOST}" -p "${PORT}" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='${DB}'" | grep -q 1; then
    psql -h "${HOST}" -p "${PORT}" -U postgres -c "CREATE DATABASE ${DB}" >/dev/null
  fi
  echo "ensure_services: database '${DB}' ready on ${HOST}:${PORT}"
fi
