#!/usr/bin/env bash
# `make serve`: the production configuration on this machine — gunicorn (WhiteNoise for static
# files) and the background task worker, on the local PostgreSQL, bound to loopback.
# Creates the database if it is missing, migrates, collects static files; DEMO=1 loads the demo.
# Plain HTTP on 127.0.0.1, so secure cookies and HSTS are off (HTTPS=false); everything else is
# production: DEBUG off, APP_ENV=production, a generated secret key kept in .cache/ (not in git).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

export APP_ENV=production
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tsunagu_serve}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export SITE_URL=${SITE_URL:-http://$HOST:$PORT}
export HTTPS=${HTTPS:-false}
export CONN_MAX_AGE=${CONN_MAX_AGE:-60}
# one cache shared by the web processes and the worker (import previews, leaflets)
export CACHE_URL=${CACHE_URL:-dbcache://tsunagu_cache}
export EMAIL_URL=${EMAIL_URL:-consolemail://}
export GUNICORN_BIND=${GUNICORN_BIND:-$HOST:$PORT}
if [ -z "${SECRET_KEY:-}" ]; then
  mkdir -p .cache && chmod 700 .cache
  [ -s .cache/serve-secret-key ] || (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >.cache/serve-secret-key)
  SECRET_KEY=$(cat .cache/serve-secret-key)
  export SECRET_KEY
fi

db=${DATABASE_URL##*/}; db=${db%%\?*}
case "$DATABASE_URL" in
  postgres*://*)
    server=${DATABASE_URL%/*}
    if ! psql "$server/postgres" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
      echo "データベース $db を作成します。"
      psql "$server/postgres" -qc "CREATE DATABASE \"$db\""
    fi ;;
esac

"$PY" manage.py migrate --noinput
"$PY" manage.py createcachetable
"$PY" manage.py collectstatic --noinput -v 0
if [ "${DEMO:-0}" = "1" ]; then "$PY" manage.py load_demo; fi

"$PY" manage.py db_worker --no-reload --interval 1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
echo "http://$HOST:$PORT/ で起動します（終了は Ctrl+C）。"
.venv/bin/gunicorn -c python:platform_site.gunicorn_conf
