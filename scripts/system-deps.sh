#!/usr/bin/env bash
# Install the Debian packages the app needs, only those missing. Usage: system-deps.sh runtime|test
#   runtime: what WeasyPrint needs to render Japanese fast (Pango, HarfBuzz subsetting, a Japanese font)
#   test:    runtime + Debian's chromium for browser tests, poppler-utils (pdftotext/pdftoppm), npm, gettext (msgfmt),
#            faketime (the suite again with the machine's clock at other dates: make test-faketime)
set -eu
kind=${1:-runtime}
pkgs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-morisawa-bizud-gothic fontconfig)
if [ "$kind" = test ]; then
  pkgs+=(chromium poppler-utils npm faketime gettext)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm may come from elsewhere (nodesource, nvm): accept any working npm.
if [ "${#missing[@]}" -gt 0 ] && command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/npm}")
  read -r -a missing <<< "${missing[*]}"
fi
[ "${#missing[@]}" -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "Missing Debian packages: ${missing[*]}; run as root: apt-get install ${missing[*]}" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
