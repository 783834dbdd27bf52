#!/usr/bin/env bash
# Checks the files other tools read from this repository, with those tools:
#   1. actionlint on .github/workflows (it also checks the inputs the example
#      workflow gives the local action against action.yml);
#   2. the Action's core, scripts/action-run.sh, run as the Action runs it
#      (building samthreat from this checkout) on the Fresh Tracks fixture:
#      SARIF written, outputs set, exit 1 at fail-on high (or deferred), 0
#      with fail-on empty, 2 on a missing path;
#   3. pre-commit: validate-manifest, then try-repo of the samthreat-system
#      hook on a scratch repository holding the fixture (fails: it has
#      high findings) and on a commit without templates (skipped).
# The Go tests check the same files' fields without the tools
# (integrations_test.go). Needs ../shared; tools from scripts/deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
gobin=$(go env GOBIN); gobin=${gobin:-$(go env GOPATH)/bin}
export PATH="$gobin:$PATH"
fixture=$repo/../shared/fixtures/freshtracks
fail() { echo "integrations: FAIL: $*" >&2; exit 1; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
[ -f "$fixture/template.yaml" ] || fail "the Fresh Tracks fixture is missing at $fixture"

work=$(mktemp -d -t samthreat-integrations-XXXXXX)
trap 'rm -rf "$work"' EXIT

t0=$(date +%s%N)
actionlint -version | head -n1 >/dev/null || fail "actionlint is not installed (scripts/deps.sh)"
actionlint || fail "actionlint"
echo "integrations: ok   actionlint .github/workflows ($(ms "$t0") ms)"

# The Action's script, as action.yml runs it: build from source, defer the failure.
t0=$(date +%s%N)
export RUNNER_TEMP=$work/runner GITHUB_OUTPUT=$work/output GITHUB_STEP_SUMMARY=$work/summary
mkdir -p "$RUNNER_TEMP" && : >"$GITHUB_OUTPUT"
(cd "$work" && SAMTHREAT_PATH=$fixture/template.yaml SAMTHREAT_FAIL_ON=high SAMTHREAT_DEFER_FAILURE=true \
  "$repo/scripts/action-run.sh" >"$work/run.log" 2>&1) || fail "action-run.sh (deferred) exited $?: $(cat "$work/run.log")"
grep -qx 'exit-code=1' "$GITHUB_OUTPUT" || fail "exit-code output is not 1 at fail-on high: $(cat "$GITHUB_OUTPUT")"
grep -qx 'sarif-file=samthreat.sarif' "$GITHUB_OUTPUT" || fail "no sarif-file output: $(cat "$GITHUB_OUTPUT")"
results=$(sed -n 's/^results=//p' "$GITHUB_OUTPUT")
[ "${results:-0}" -gt 0 ] || fail "no results counted: $(cat "$GITHUB_OUTPUT")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"]=="2.1.0" and d["runs"][0]["results"], "empty"' "$work/samthreat.sarif" \
  || fail "the SARIF log is not SARIF 2.1.0 with results"
grep -q "at or above" "$GITHUB_STEP_SUMMARY" || fail "no step summary"
bin=$(sed -n 's/^binary=//p' "$GITHUB_OUTPUT")
echo "integrations: ok   action-run.sh built samthreat from source and reported $results results, exit-code 1 deferred ($(ms "$t0") ms)"

t0=$(date +%s%N)
set +e
(cd "$work" && SAMTHREAT_BIN=$bin SAMTHREAT_PATH=$fixture/template.yaml SAMTHREAT_FAIL_ON=high "$repo/scripts/action-run.sh" >/dev/null 2>&1); c1=$?
(cd "$work" && SAMTHREAT_BIN=$bin SAMTHREAT_PATH=$fixture/template.yaml SAMTHREAT_FAIL_ON= "$repo/scripts/action-run.sh" >/dev/null 2>&1); c0=$?
(cd "$work" && SAMTHREAT_BIN=$bin SAMTHREAT_PATH=$work/none.yaml "$repo/scripts/action-run.sh" >/dev/null 2>&1); c2=$?
set -e
[ "$c1/$c0/$c2" = "1/0/2" ] || fail "action-run.sh exit codes: fail-on high $c1 (want 1), fail-on empty $c0 (want 0), missing path $c2 (want 2)"
echo "integrations: ok   action-run.sh exit codes 1 (findings), 0 (fail-on empty), 2 (missing path) ($(ms "$t0") ms)"

# pre-commit, with its own commands.
t0=$(date +%s%N)
command -v pre-commit >/dev/null || fail "pre-commit is not installed (scripts/deps.sh)"
pre-commit validate-manifest .pre-commit-hooks.yaml || fail "pre-commit validate-manifest"
if [ -n "$(git status --porcelain -- .pre-commit-hooks.yaml)" ]; then
  echo "integrations: note: .pre-commit-hooks.yaml has uncommitted changes; try-repo tests the committed one"
fi
app=$work/app
mkdir -p "$app" "$work/bin"
cp -r "$fixture/." "$app/"
ln -s "$bin" "$work/bin/samthreat"
git -C "$app" init -q
git -C "$app" add -A
git -C "$app" -c user.email=ci@example.invalid -c user.name=ci commit -qm fixture
export PRE_COMMIT_HOME=$work/pre-commit-home
set +e
(cd "$app" && PATH=$work/bin:$PATH pre-commit try-repo "$repo" samthreat-system --files template.yaml >"$work/hook.log" 2>&1); hook=$?
(cd "$app" && PATH=$work/bin:$PATH pre-commit try-repo "$repo" samthreat-system --files README.md >"$work/skip.log" 2>&1); skip=$?
set -e
[ "$hook" -eq 1 ] && grep -q "threats at or above high" "$work/hook.log" || fail "the hook on Fresh Tracks exited $hook, want 1 with its findings: $(tail -5 "$work/hook.log")"
[ "$skip" -eq 0 ] && grep -q "no files to check" "$work/skip.log" || fail "the hook on a commit without templates exited $skip: $(tail -5 "$work/skip.log")"
echo "integrations: ok   pre-commit validate-manifest, try-repo samthreat-system (fails on Fresh Tracks, skips README.md) ($(ms "$t0") ms)"
