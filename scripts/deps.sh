#!/usr/bin/env bash
# Installs what samthreat's full build and test suite need, and only what is
# missing, so it is cheap to call before every `make test`:
#   - Debian packages: WebKitGTK/GTK for the desktop build, Xvfb + tools for the
#     desktop screenshot, Chromium for the browser end-to-end tests, poppler for
#     reading generated PDFs in tests, Inter (the UI's preferred font, so
#     screenshots look as designed) and Liberation Sans (Helvetica's widths,
#     which Graphviz lays diagram labels out with).
#   - npm packages of the frontend and the end-to-end tests (npm ci, from lock files).
# Go modules are fetched by the go command itself.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev
  xvfb xauth x11-utils xdotool imagemagick chromium poppler-utils fonts-inter fonts-liberation2)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm_ci() { # dir: install from the lock file when node_modules is missing or older than it
  local dir=$1
  [ -f "$dir/package-lock.json" ] || return 0
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    echo "deps: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) && touch "$dir/node_modules"
  fi
}
npm_ci frontend
[ -d e2e ] && npm_ci e2e
exit 0
