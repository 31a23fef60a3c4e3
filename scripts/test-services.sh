#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis that the tests use answer on 127.0.0.1.
# When one does not and we are root, installs it from the OS packages and starts it.
set -euo pipefail

PG_HOST=127.0.0.1 PG_PORT=5432 REDIS_PORT=6379

pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }
wait_for() { for _ in $(seq 1 60); do "$1" && return 0; sleep 0.5; done; return 1; }
fail() { echo "test-services: $*" >&2; exit 1; }

apt_updated=""
apt_install() {
  [ "$(id -u)" = "0" ] || fail "$1 is not running on 127.0.0.1 and I am not root to install it; start it yourself (see README)"
  command -v apt-get >/dev/null || fail "$1 is not running and this machine has no apt-get; install and start it yourself"
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! pg_up; then
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "test-services: installing PostgreSQL"
    apt_install postgresql postgresql-client
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  [ -n "$version" ] || fail "PostgreSQL is installed but has no cluster in /etc/postgresql"
  conf="/etc/postgresql/$version/main/pg_hba.conf"
  # Tests connect as postgres over TCP without a password, as on the CI machines.
  if [ -w "$conf" ] && ! grep -q "caravan-tests" "$conf"; then
    sed -i '1i host all all 127.0.0.1/32 trust # caravan-tests\nhost all all ::1/128 trust # caravan-tests\nlocal all all trust # caravan-tests' "$conf"
  fi
  echo "test-services: starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster "$version" main restart || true
  wait_for pg_up || fail "PostgreSQL did not start on $PG_HOST:$PG_PORT"
fi

if ! redis_up; then
  if ! command -v redis-server >/dev/null; then
    echo "test-services: installing Redis"
    apt_install redis-server
  fi
  echo "test-services: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no >/dev/null
  wait_for redis_up || fail "Redis did not start on 127.0.0.1:$REDIS_PORT"
fi

echo "test-services: PostgreSQL and Redis answer"
