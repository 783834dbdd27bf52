#!/usr/bin/env bash
# Desktop smoke test: builds the real Wails binary (make desktop), starts it
# under Xvfb with a fresh workspace, waits for its window and for the
# frontend to show the bundled example (the window title becomes
# "samthreat — <project> r<n>"), takes a screenshot, checks that it is not
# blank, quits with Ctrl+Q and checks the app exits cleanly. Then checks the
# diagram's text boxes in WebKitGTK (scripts/webkit-textcheck.py).
#
#   SHOTS_DIR=dir  where the screenshot goes (default: a new temp dir, printed)
#   SKIP_BUILD=1   use the existing build/bin/samthreat
#   TIMEOUT=60     seconds to wait for each step
#
# Needs Xvfb, xdotool, ImageMagick, GTK 3 and WebKitGTK 4.1 (scripts/deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

TIMEOUT=${TIMEOUT:-60}
BIN=build/bin/samthreat
SHOTS_DIR=${SHOTS_DIR:-$(mktemp -d -t samthreat-desktop-XXXXXX)}
mkdir -p "$SHOTS_DIR"
SHOT="$SHOTS_DIR/desktop.png"

fail() { echo "desktop-smoke: FAIL: $*" >&2; exit 1; }
for tool in Xvfb xdotool import identify; do
  command -v "$tool" >/dev/null || fail "$tool is missing (run scripts/deps.sh)"
done

if [ -z "${SKIP_BUILD:-}" ]; then
  t0=$(date +%s%N)
  make --no-print-directory desktop >/dev/null
  echo "desktop-smoke: built $BIN in $(( ($(date +%s%N) - t0) / 1000000 )) ms, $(( $(stat -c %s "$BIN") / 1024 / 1024 )) MiB"
fi
[ -x "$BIN" ] || fail "$BIN was not built"

work=$(mktemp -d -t samthreat-smoke-XXXXXX)
xvfb_pid=""
app_pid=""   # watched by waitfor: its exit while waiting is a failure
started=""   # killed on the way out if still running
cleanup() {
  cp "$work/app.log" "$SHOTS_DIR/app.log" 2>/dev/null || true
  [ -n "$started" ] && kill "$started" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT

# waitfor SECONDS DESCRIPTION COMMAND...: polls COMMAND until it succeeds.
waitfor() {
  local secs=$1 what=$2
  shift 2
  local deadline=$(( $(date +%s) + secs ))
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    [ -z "$app_pid" ] || kill -0 "$app_pid" 2>/dev/null || fail "the app exited while waiting for $what: $(tail -5 "$work/app.log")"
    sleep 0.1
  done
}

# A private X display; Xvfb writes its number to fd 3 once it accepts clients.
Xvfb -displayfd 3 -screen 0 1440x900x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
waitfor "$TIMEOUT" "Xvfb" test -s "$work/display" || fail "Xvfb did not start: $(cat "$work/xvfb.log")"
export DISPLAY=":$(head -n1 "$work/display")"

# A fresh user: new workspace, example extracted anew, exports into the temp dir.
export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" XDG_DATA_HOME="$work/data"
mkdir -p "$HOME" "$XDG_CACHE_HOME"

start=$(date +%s%N)
"$BIN" >"$work/app.log" 2>&1 &
app_pid=$!
started=$app_pid

has_window() { xdotool search --onlyvisible --name '^samthreat' >/dev/null 2>&1; }
waitfor "$TIMEOUT" "the window" has_window || fail "no window within ${TIMEOUT}s: $(tail -5 "$work/app.log")"
window_ms=$(( ($(date +%s%N) - start) / 1000000 ))

# The frontend sets the title once the example's analysis is on screen.
loaded() { xdotool search --onlyvisible --name '^samthreat — ' >/dev/null 2>&1; }
waitfor "$TIMEOUT" "the workbench to load" loaded || fail "the workbench did not load within ${TIMEOUT}s (title: $(xdotool search --name samthreat getwindowname 2>/dev/null | head -1)): $(tail -5 "$work/app.log")"
render_ms=$(( ($(date +%s%N) - start) / 1000000 ))
wid=$(xdotool search --onlyvisible --name '^samthreat — ' | head -n1)
title=$(xdotool getwindowname "$wid")

# Painted: the screenshot has the colours of a real page (a blank or
# half-painted WebKit view has a handful), and the diagram area in the middle
# of the window holds the drawing (the dotted canvas with a spinner has a few
# hundred colours, the Fresh Tracks diagram thousands). Poll: painting follows
# the title, the diagram comes from the backend a moment later.
colours() { identify -format '%k' "$SHOT" 2>/dev/null || echo 0; }
diagram_colours() { convert "$SHOT" -crop 900x600+330+150 +repage -format '%k' info: 2>/dev/null || echo 0; }
painted() { import -window root "$SHOT" 2>/dev/null && [ "$(colours)" -gt 200 ] && [ "$(diagram_colours)" -gt 1000 ]; }
waitfor "$TIMEOUT" "the window to paint the diagram" painted ||
  fail "the screenshot shows no diagram ($(colours) colours, $(diagram_colours) in the diagram area): $SHOT"
painted_ms=$(( ($(date +%s%N) - start) / 1000000 ))

echo "desktop-smoke: window after ${window_ms} ms, workbench loaded after ${render_ms} ms, diagram painted after ${painted_ms} ms"
echo "desktop-smoke: title \"$title\", screenshot $SHOT ($(colours) colours, $(diagram_colours) in the diagram area)"

# Quit as a user would (Ctrl+Q in the window); the app must exit by itself, cleanly.
pid=$app_pid
app_pid=""
xdotool windowfocus --sync "$wid"
xdotool key ctrl+q
exited() { ! kill -0 "$pid" 2>/dev/null; }
waitfor 20 "the app to exit" exited || fail "the app did not quit on Ctrl+Q"
status=0
wait "$pid" || status=$?
started=""
[ "$status" -eq 0 ] || fail "the app exited with status $status: $(tail -5 "$work/app.log")"
[ -s "$work/config/samthreat/workspace.db" ] || fail "no workspace was created in the config folder"

# Diagram text as WebKitGTK (the window's engine) draws it: the same text-box
# check the browser e2e suite runs in Chromium (frontend/e2e/layout.mjs), on
# the same frontend served by this binary, at the fitted zoom and at 200 %,
# page zoom 100 % and 200 %, on a normal and a double-density screen
# (GDK_SCALE=2). Skipped, and said, only where the bindings are missing
# outside CI; in CI (CI=true) that is a failure.
if ! /usr/bin/python3 -c 'import gi; gi.require_version("WebKit2", "4.1"); from gi.repository import WebKit2' 2>/dev/null; then
  [ "${CI:-}" = "true" ] && fail "WebKitGTK's Python bindings are missing (python3-gi, gir1.2-webkit2-4.1; scripts/deps.sh installs them)"
  echo "desktop-smoke: SKIP the WebKitGTK text check: python3-gi or gir1.2-webkit2-4.1 is not installed (scripts/deps.sh installs them)"
else
  "$BIN" serve --addr 127.0.0.1:0 --workspace "$work/serve.db" >"$work/serve.log" 2>&1 &
  started=$!
  app_pid=$started
  url=""
  deadline=$(( $(date +%s) + TIMEOUT ))
  until [ -n "$url" ]; do
    kill -0 "$started" 2>/dev/null || fail "samthreat serve exited: $(tail -5 "$work/serve.log")"
    [ "$(date +%s)" -lt "$deadline" ] || fail "samthreat serve printed no URL within ${TIMEOUT}s"
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/serve.log" | head -n1 || true)
    [ -n "$url" ] || sleep 0.1
  done
  for scale in 1 2; do
    GDK_SCALE=$scale TIMEOUT=$TIMEOUT MESA_SHADER_CACHE_DISABLE=true /usr/bin/python3 scripts/webkit-textcheck.py "$url" "$SHOTS_DIR/webkit-scale$scale.png" ||
      fail "diagram text overlaps or runs out of its box in WebKitGTK (device scale $scale; see above)"
  done
  app_pid=""
  kill "$started" 2>/dev/null || true
  wait "$started" 2>/dev/null || true
  started=""
fi
echo "desktop-smoke: ok (app log: $SHOTS_DIR/app.log)"
