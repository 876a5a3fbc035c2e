#!/usr/bin/env bash
# `make restore FILE=var/backups/tsunagu-….dump`: put a `make backup` dump back into the
# database, replacing what is there, in one transaction (a failed restore changes nothing).
# Stop the web server and the worker first.
#   DATABASE_URL  the database (default: the one `make serve` uses)
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-${FILE:-}}
[ -n "$file" ] && [ -f "$file" ] || { echo "usage: make restore FILE=var/backups/tsunagu-….dump" >&2; exit 2; }
url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tsunagu_serve}
case "$url" in postgres*://*) ;; *) echo "make restore は PostgreSQL 用です（DATABASE_URL=$url）。" >&2; exit 2 ;; esac
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$url" "$file"
echo "$file を戻しました。"
