#!/usr/bin/env bash
# `make check-deploy`: Django's deployment checks (and ours) under the production settings.
# Uses the environment (or .env) as given; what is not set is filled with production-like
# values: a freshly generated secret key and the example public address. Fails on any warning.
set -euo pipefail
cd "$(dirname "$0")/.."
export APP_ENV=production
unset DEBUG HTTPS SECURE_HSTS_SECONDS 2>/dev/null || true
export SITE_URL=${SITE_URL:-https://tsunagu.example.lg.jp}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-tsunagu.example.lg.jp}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}  # the checks only ask its version
if [ -z "${SECRET_KEY:-}" ] && ! grep -qs '^SECRET_KEY=' .env; then
  SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')
  export SECRET_KEY
fi
exec .venv/bin/python manage.py check --deploy --fail-level WARNING
