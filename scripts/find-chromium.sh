#!/usr/bin/env bash
# Prints the path of a Chromium for the browser tests, or nothing (exit 1):
#   $CHROMIUM when set; Debian's chromium; Ubuntu's chromium-browser (a snap
#   there: it works on a desktop, not in most containers); google-chrome;
#   else a browser Playwright installed (npx playwright-core install chromium)
#   in ~/.cache/ms-playwright.
# Sourced or run by scripts/deps.sh and scripts/e2e.sh.
find_chromium() {
  local c
  if [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ]; then echo "$CHROMIUM"; return 0; fi
  for c in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return 0; fi
  done
  for c in "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium*/chrome-linux*/chrome \
    "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium_headless_shell*/chrome-linux*/headless_shell; do
    if [ -x "$c" ]; then echo "$c"; return 0; fi
  done
  return 1
}
if [ "${BASH_SOURCE[0]}" = "$0" ]; then find_chromium; fi
