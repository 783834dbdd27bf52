#!/usr/bin/env bash
# Writes what samthreat outputs for Fresh Tracks and every corpus template
# (analyze json, text and sarif; report Markdown and HTML) into OUTDIR, so a
# refactor can be proven behaviour-neutral:
#   scripts/golden-snapshot.sh /tmp/before   # on the commit before
#   ... refactor ...
#   scripts/golden-snapshot.sh /tmp/after && diff -r /tmp/before /tmp/after
# Needs ../shared beside the repository for the corpus (Fresh Tracks alone otherwise).
set -euo pipefail
out=${1:?usage: scripts/golden-snapshot.sh OUTDIR}
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SAMTHREAT_SHARED:-$root/../shared}
bin=$(mktemp -d)/samthreat
trap 'rm -rf "$(dirname "$bin")"' EXIT
(cd "$root" && go build -o "$bin" .)
rm -rf "$out" && mkdir -p "$out"
templates=("$root/catalogs/examples/freshtracks/template.yaml")
if [ -d "$shared/corpus" ]; then
  while IFS= read -r t; do templates+=("$t"); done < <(find "$shared/corpus/serverless-patterns" "$shared/fixtures/freshtracks" -name 'template.y*ml' | sort)
fi
n=0
for t in "${templates[@]}"; do
  name=$(echo "${t#"$root/"}" | sed "s#^$shared/##; s#[/.]#_#g")
  d="$out/$name"; mkdir -p "$d"
  (cd "$(dirname "$t")" &&
    "$bin" analyze --format json "$t" >"$d/model.json" 2>"$d/stderr" || echo "exit $?" >>"$d/stderr"
    "$bin" analyze --format text "$t" >"$d/model.txt" 2>>"$d/stderr" || true
    "$bin" analyze --format sarif "$t" >"$d/model.sarif" 2>>"$d/stderr" || true
    "$bin" report --md "$d/report.md" --html "$d/report.html" "$t" >/dev/null 2>>"$d/stderr" || true)
  n=$((n + 1))
done
# Paths of the snapshot folder itself are not behaviour, nor the report's
# date (the wall clock when it was written).
{ grep -rl "$out" "$out" 2>/dev/null || true; } | xargs -r sed -i "s#$out#OUT#g"
find "$out" -name 'report.*' -print0 | xargs -0 -r sed -i -E 's/(Date:(\*\*|<\/strong>) )[0-9]{1,2} [A-Z][a-z]+ [0-9]{4}, [0-9]{2}:[0-9]{2} UTC/\1DATE/'
echo "$n templates written to $out"
