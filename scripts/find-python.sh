#!/usr/bin/env bash
# Print the path of a Python >= 3.12, or explain what is missing and fail.
set -u
check() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for name in python3.13 python3.12 python3; do
  p=$(command -v "$name" 2>/dev/null) && candidates+=("$p")
done
for p in "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
  [ -x "$p" ] && candidates+=("$p")
done
for p in "${candidates[@]}"; do
  if check "$p"; then echo "$p"; exit 0; fi
done
echo "Python 3.12 or newer was not found (tried: ${candidates[*]:-none})." >&2
echo "Install it (Debian: apt-get install python3.12 python3.12-venv, or pyenv install 3.12) or set PYTHON=/path/to/python3.12." >&2
exit 1
