#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with trust auth for `postgres`, and that the
# database `test` exists. Idempotent and quiet on success: CI and developers run it before the suites.
#   Starts a stopped Debian cluster; installs Debian's `postgresql` on a machine without one.
set -euo pipefail

HOST=127.0.0.1
PORT=5432
WAIT_SECONDS=${POSTGRES_WAIT_SECONDS:-60}

fail() {
  echo "scripts/postgres.sh: $*" >&2
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    fail "needs root to run: $*"
  fi
}

answers() {
  pg_isready -q -h "$HOST" -p "$PORT" -U postgres >/dev/null 2>&1
}

wait_until_ready() {
  local deadline=$((SECONDS + WAIT_SECONDS))
  until answers; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      fail "PostgreSQL did not answer on $HOST:$PORT within ${WAIT_SECONDS}s (see /var/log/postgresql/)"
    fi
    sleep 0.5
  done
}

installed_versions() {
  [ -d /etc/postgresql ] && ls /etc/postgresql 2>/dev/null || true
}

install_postgresql() {
  echo "scripts/postgres.sh: PostgreSQL is not installed; installing Debian's postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq >/dev/null || fail "apt-get update failed"
  as_root apt-get install -y -qq postgresql >/dev/null || fail "apt-get install postgresql failed"
  local version
  version=$(installed_versions | sort -V | tail -n 1)
  [ -n "$version" ] || fail "postgresql installed but no cluster under /etc/postgresql"
  trust_local_connections "$version"
}

# Only on a cluster this script installed itself: the tests connect as postgres without a password.
trust_local_connections() {
  local hba="/etc/postgresql/$1/main/pg_hba.conf"
  [ -f "$hba" ] || fail "missing $hba"
  as_root sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/; s/^(host\s+all\s+all\s+::1\/128\s+)\S+/\1trust/' "$hba"
  grep -Eq '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba" ||
    echo "host all all 127.0.0.1/32 trust" | as_root tee -a "$hba" >/dev/null
  # A running cluster (the package starts one where it can) must reread the file.
  as_root pg_ctlcluster --skip-systemctl-redirect "$1" main reload >/dev/null 2>&1 || true
}

start_clusters() {
  local version
  for version in $(installed_versions); do
    if ! as_root pg_ctlcluster --skip-systemctl-redirect "$version" main status >/dev/null 2>&1; then
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
        fail "could not start PostgreSQL $version (see /var/log/postgresql/postgresql-$version-main.log)"
    fi
  done
}

ensure_test_database() {
  local psql=(psql -h "$HOST" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA -w)
  local exists
  exists=$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'test'" 2>&1) ||
    fail "cannot connect as postgres to $HOST:$PORT without a password: $exists (pg_hba.conf needs trust for 127.0.0.1)"
  if [ "$exists" != "1" ]; then
    "${psql[@]}" -c "CREATE DATABASE test" >/dev/null || fail "could not create database test"
  fi
}

if ! answers; then
  if ! command -v pg_ctlcluster >/dev/null || [ -z "$(installed_versions)" ]; then
    install_postgresql
  fi
  start_clusters
  wait_until_ready
fi
ensure_test_database
