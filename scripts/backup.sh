#!/usr/bin/env bash
# `make backup`: the whole PostgreSQL database in pg_dump's custom format (compressed; restored
# table by table with pg_restore). Prints the file's path. The dump holds the ledger, i.e.
# personal data: encrypt it before it leaves this machine (docs/deployment.md, "Backups").
#   DATABASE_URL  the database (default: the one `make serve` uses)
#   BACKUP_DIR    where to write it (default: var/backups, mode 700)
set -euo pipefail
cd "$(dirname "$0")/.."
url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tsunagu_serve}
case "$url" in postgres*://*) ;; *) echo "make backup は PostgreSQL 用です（DATABASE_URL=$url）。" >&2; exit 2 ;; esac
dir=${BACKUP_DIR:-var/backups}
mkdir -p "$dir" && chmod 700 "$dir"
file="$dir/tsunagu-$(date -u +%Y%m%dT%H%M%SZ).dump"
umask 077
pg_dump --format=custom --no-owner --no-privileges --file="$file.partial" "$url"
mv "$file.partial" "$file"
echo "$file"
