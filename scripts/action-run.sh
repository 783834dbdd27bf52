#!/usr/bin/env bash
# The core of the samthreat GitHub Action (action.yml), runnable anywhere:
# get a samthreat binary, analyse the templates as SARIF, and report the
# outcome as step outputs. CI runs it locally on the Fresh Tracks fixture
# (scripts/action-check.sh), so the Action's logic is tested without GitHub.
#
# Inputs (environment):
#   SAMTHREAT_PATH       template file or folder (searched recursively)   default: template.yaml
#   SAMTHREAT_FAIL_ON    low|medium|high|critical, or "" for never        default: high
#   SAMTHREAT_VERSION    "source": build the checkout this script is in;   default: source
#                        vX.Y.Z or "latest": go install github.com/samthreat/samthreat@VERSION
#   SAMTHREAT_BIN        use this binary instead (skips the build)
#   SAMTHREAT_SARIF      where the SARIF log goes                         default: samthreat.sarif
#   SAMTHREAT_DEFER_FAILURE=true  exit 0 when findings reach FAIL_ON (the Action
#                        uploads the SARIF first, then fails in a later step)
# Outputs (appended to $GITHUB_OUTPUT when set, and printed):
#   sarif-file, exit-code (0 clean, 1 findings at or above FAIL_ON), results (count), binary
# Exit: 0 analysed; 1 findings at or above FAIL_ON (unless deferred); 2 bad
# input or a template that cannot be read (never deferred).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
path=${SAMTHREAT_PATH:-template.yaml}
fail_on=${SAMTHREAT_FAIL_ON-high}
version=${SAMTHREAT_VERSION:-source}
sarif=${SAMTHREAT_SARIF:-samthreat.sarif}
bin=${SAMTHREAT_BIN:-}

err() { echo "::error title=samthreat::$*" >&2; exit 2; }

case "$fail_on" in
  ""|low|medium|high|critical) ;;
  *) err "fail-on: '$fail_on' is not one of low, medium, high, critical (or empty for never)" ;;
esac
[ -e "$path" ] || err "path: '$path' does not exist (a template file or a folder of templates)"

if [ -z "$bin" ]; then
  tools=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/samthreat-action
  mkdir -p "$tools"
  bin=$tools/samthreat
  case "$version" in
    source)
      echo "samthreat: building from $here"
      (cd "$here" && go build -ldflags "-X github.com/samthreat/samthreat/internal/cli.Version=action-$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo source)" -o "$bin" .) ;;
    latest|v[0-9]*)
      echo "samthreat: go install github.com/samthreat/samthreat@$version"
      GOBIN=$tools go install "github.com/samthreat/samthreat@$version" ;;
    *) err "version: '$version' is not 'source', 'latest' or a version tag (v1.2.3)" ;;
  esac
fi
[ -x "$bin" ] || err "no samthreat binary at $bin"
echo "using $("$bin" version | sed -n 1p) ($bin)"

args=(analyze --format sarif -o "$sarif")
[ -n "$fail_on" ] && args+=(--fail-on "$fail_on")
set +e
"$bin" "${args[@]}" "$path"
code=$?
set -e
[ "$code" -le 1 ] || exit "$code" # unreadable template or bad usage: samthreat said why on stderr
[ -s "$sarif" ] || err "samthreat wrote no SARIF log to $sarif"
results=$(grep -c '"ruleId":' "$sarif" || true)

out() {
  echo "$1=$2"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1=$2" >>"$GITHUB_OUTPUT"; fi
}
out sarif-file "$sarif"
out exit-code "$code"
out results "$results"
out binary "$bin"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "### samthreat"
    echo
    echo "$results findings in \`$path\` (SARIF: \`$sarif\`)."
    [ "$code" -eq 1 ] && echo "At least one finding is at or above **$fail_on**."
  } >>"$GITHUB_STEP_SUMMARY"
fi
if [ "$code" -eq 1 ] && [ "${SAMTHREAT_DEFER_FAILURE:-}" != "true" ]; then
  exit 1
fi
exit 0
