#!/usr/bin/env bash
# What the integration tests need on the machine, in one place (used by .ci/run and, through
# vitest's global setup of the integration project, by `npm test`):
#   redis-server, Dovecot (dovecot-imapd), Chromium, native tesseract with English data,
#   fonts the test fixtures render with, openssl, poppler-utils (pdftotext and pdftoppm: the
#   reference rows of npm run bench:cli and bench:pipeline, and the test/dev-records generator),
#   and a PostgreSQL answering at 127.0.0.1:5432
#   as user postgres without a password, with a database `test` (INTAKE_TEST_DATABASE_URL
#   overrides that address; then only the connection is checked).
# Installs what is missing with apt-get when run as root on Debian or Ubuntu; otherwise prints
# the one command to run and exits 1. Idempotent and quick when everything is there.
#   --check   report only, install nothing
set -euo pipefail

check_only=0
[ "${1:-}" = "--check" ] && check_only=1

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
pg_url="${INTAKE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
pg_answers() { have psql && psql "$pg_url" -Atqc 'select 1' >/dev/null 2>&1; }

missing=()
have redis-server || missing+=(redis-server)
have dovecot || missing+=(dovecot-imapd)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
if ! have tesseract || ! tesseract --list-langs 2>/dev/null | grep -qx eng; then missing+=(tesseract-ocr tesseract-ocr-eng); fi
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
have openssl || missing+=(openssl)
{ have pdftotext && have pdftoppm; } || missing+=(poppler-utils)
if [ -z "${INTAKE_TEST_DATABASE_URL:-}" ] && [ -z "$(pg_bin)" ] && ! pg_answers; then missing+=(postgresql postgresql-client); fi

is_debian() { [ -r /etc/os-release ] && grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; }
installed_pg=0
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$check_only" = 0 ] && [ "$(id -u)" = 0 ] && is_debian && have apt-get; then
    echo "bootstrap-test-env: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    case " ${missing[*]} " in *" postgresql "*) installed_pg=1 ;; esac
    # Debian starts dovecot as a system service on install; the tests run their own.
    if have systemctl; then systemctl stop dovecot >/dev/null 2>&1 || true; fi
  else
    echo "bootstrap-test-env: the integration tests need: ${missing[*]}" >&2
    echo "  run: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    echo "  (or run the tests as root on Debian/Ubuntu, where this script installs them)" >&2
    exit 1
  fi
fi

# PostgreSQL: running, trusting loopback (only on a cluster this script installed), database `test`.
if [ -z "${INTAKE_TEST_DATABASE_URL:-}" ] && ! pg_answers; then
  if [ "$check_only" = 1 ] || [ "$(id -u)" != 0 ]; then
    echo "bootstrap-test-env: no PostgreSQL answers at $pg_url" >&2
    echo "  run: sudo bash scripts/bootstrap-test-env.sh   (starts the local cluster and creates the test database)" >&2
    exit 1
  fi
  version="$(basename "$(dirname "$(pg_bin)")")"
  if [ "$installed_pg" = 1 ]; then
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    if [ -w "$hba" ] && ! grep -q 'intake test machine' "$hba"; then
      # A machine the tests set up for themselves: loopback connections need no password.
      sed -i '1i # intake test machine (scripts/bootstrap-test-env.sh)\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    fi
  fi
  if have pg_ctlcluster; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
  fi
  for _ in $(seq 1 30); do
    psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1 && break
    sleep 1
  done
  if ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1 from pg_database where datname = 'test'" 2>/dev/null | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -d postgres -qc 'create database test' >/dev/null 2>&1 || true
  fi
  if ! pg_answers; then
    echo "bootstrap-test-env: PostgreSQL does not accept postgres@127.0.0.1:5432/test without a password" >&2
    echo "  run: set INTAKE_TEST_DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DB for a server the tests may use" >&2
    exit 1
  fi
fi

[ "$check_only" = 1 ] && echo "bootstrap-test-env: everything the integration tests need is here"
exit 0
