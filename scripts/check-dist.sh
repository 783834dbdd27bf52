#!/usr/bin/env bash
# frontend/dist is committed so that a plain module build (`go install`,
# `go build .`) embeds the whole workbench. This rebuilds it from the sources
# (npm ci from the lock file when node_modules is missing, then vite build)
# and fails when the result differs from what is in git (the index, so a
# rebuilt and staged dist passes before it is committed).
#
# Vite names assets by a hash of their content, so a rebuild of unchanged
# sources gives byte-identical files, and `samthreat serve` can cache
# /assets/ as immutable.
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(make --no-print-directory frontend 2>&1) || { echo "$log" >&2; echo "check-dist: building the frontend failed" >&2; exit 1; }
changed=$(git diff --name-status -- frontend/dist)
untracked=$(git ls-files --others --exclude-standard -- frontend/dist)
if [ -n "$changed$untracked" ]; then
  echo "frontend/dist does not match its sources: run 'make frontend' and commit frontend/dist" >&2
  [ -n "$changed" ] && echo "$changed" >&2
  [ -n "$untracked" ] && sed 's/^/?\t/' <<<"$untracked" >&2
  exit 1
fi
echo "frontend/dist matches its sources ($(git ls-files frontend/dist | wc -l) files)"
