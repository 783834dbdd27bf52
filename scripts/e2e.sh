#!/usr/bin/env bash
# Frontend tests: type check and unit tests (vitest), then the end-to-end
# suite in headless Chromium (playwright-core with Debian's chromium, or the
# one scripts/find-chromium.sh finds: CHROMIUM=path overrides)
# against `samthreat serve` on a free port with a fresh workspace.
#
#   SHOTS_DIR=dir  where screenshots and the downloaded report go (default: a new temp dir, printed)
#   TIMEOUT=30     seconds to wait for the server to start
#
# Installs what it needs (scripts/deps.sh: Debian packages, npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."

TIMEOUT=${TIMEOUT:-30}
SHOTS_DIR=${SHOTS_DIR:-$(mktemp -d -t samthreat-e2e-XXXXXX)}
mkdir -p "$SHOTS_DIR"
fail() { echo "e2e: FAIL: $*" >&2; exit 1; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

./scripts/deps.sh
# shellcheck source=scripts/find-chromium.sh
. scripts/find-chromium.sh
CHROMIUM=$(find_chromium) || fail "no Chromium found: scripts/deps.sh installs Debian's chromium; on Ubuntu install chromium-browser or Playwright's (npx playwright-core install chromium), or set CHROMIUM=/path/to/chrome"
export CHROMIUM

echo "e2e: frontend type check and unit tests"
npm run --prefix frontend --silent check
npm run --prefix frontend --silent test -- --reporter=dot

t0=$(date +%s%N)
npm run --prefix frontend --silent build >/dev/null
echo "e2e: frontend built in $(ms "$t0") ms ($(du -sk frontend/dist | cut -f1) KiB in dist)"

work=$(mktemp -d -t samthreat-e2e-run-XXXXXX)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

t0=$(date +%s%N)
go build -o "$work/samthreat" .
echo "e2e: samthreat built in $(ms "$t0") ms"

# A fresh user and workspace; port 0 lets the kernel pick a free port and the
# server prints the URL it listens on.
export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
mkdir -p "$HOME"
t0=$(date +%s%N)
"$work/samthreat" serve --addr 127.0.0.1:0 --workspace "$work/workspace.db" >"$work/serve.log" 2>&1 &
server=$!
deadline=$(( $(date +%s) + TIMEOUT ))
url=""
until [ -n "$url" ]; do
  kill -0 "$server" 2>/dev/null || fail "samthreat serve exited: $(cat "$work/serve.log")"
  [ "$(date +%s)" -lt "$deadline" ] || fail "samthreat serve printed no URL within ${TIMEOUT}s: $(cat "$work/serve.log")"
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/serve.log" | head -n1 || true)
  [ -n "$url" ] || sleep 0.1
done
echo "e2e: serving $url after $(ms "$t0") ms"

# The acceptance check as a reviewer would run it: Chromium dumps the DOM at
# the load event, with no script of ours driving it. The page must already
# show the example's diagram (an inline SVG) and its functions.
t0=$(date +%s%N)
timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/chromium-dump" --dump-dom "$url" >"$SHOTS_DIR/dump-dom.html" 2>/dev/null \
  || fail "chromium --dump-dom $url did not finish"
grep -q '<svg[^>]*data-testid="diagram-svg"' "$SHOTS_DIR/dump-dom.html" && grep -q 'id="n-publishToIoT"' "$SHOTS_DIR/dump-dom.html" \
  || fail "the dumped page has no diagram: $SHOTS_DIR/dump-dom.html"
for fn in publishToIoT getActivity parseGPX; do
  grep -q "$fn" "$SHOTS_DIR/dump-dom.html" || fail "the dumped page does not name $fn: $SHOTS_DIR/dump-dom.html"
done
echo "e2e: ok   chromium --dump-dom shows the example's diagram and functions ($(ms "$t0") ms)"

(cd frontend && node e2e/run.mjs "$url" "$SHOTS_DIR")
echo "e2e: screenshots in $SHOTS_DIR"
