#!/usr/bin/env bash
# Debian's PostgreSQL server binaries, for the tests of the multi-replica store (tests/pgserver.py
# starts a throw-away server from them; nothing is configured or started here).
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
# Debian's package starts a cluster of its own; the tests never use it.
$SUDO service postgresql stop >/dev/null 2>&1 || true
