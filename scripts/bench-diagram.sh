#!/usr/bin/env bash
# Diagram figures for closing notes, measured side by side in one run
# (called by scripts/bench.sh, or run alone):
#  1. `samthreat graph --format dot` (analysis + DOT, no layout) on the
#     1000-function template against `cfn-dia mermaid` (npm @mhlabs/cfn-diagram,
#     installed into a temporary folder) on the same file;
#  2. go-graphviz (embedded WebAssembly) against Debian's `dot` on the same
#     DOT text, SVG and PNG, for Fresh Tracks and the 100/1000-function
#     templates (collapsed as drawn by default, and 100 functions flat);
#  3. CLI wall time of `samthreat graph` for SVG and PNG, go-graphviz
#     start-up included (cold: an empty WebAssembly compilation cache).
# Figures, not limits: best of RUNS (default 3) wall-clock runs; the machine
# may be shared, so compare figures taken in the same run only.
set -uo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
RUNS=${RUNS:-3}
FT=$SHARED/fixtures/freshtracks/template.yaml
F100=$SHARED/corpus/synthetic/functions-100.yaml
F1000=$SHARED/corpus/synthetic/functions-1000.yaml
CFN_DIAGRAM_VERSION=${CFN_DIAGRAM_VERSION:-1.1.40}
for f in "$FT" "$F100" "$F1000"; do
  [ -f "$f" ] || { echo "bench-diagram: $f not found (set SHARED)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
BIN=$tmp/samthreat
go build -o "$BIN" . || exit 1

now() { date +%s%N; }
# best MS CMD...: best wall time in ms of RUNS runs of CMD (stdout discarded),
# or "failed" (with the command's last error line) when it fails.
best() {
  local b="" s e t i
  for i in $(seq "$RUNS"); do
    s=$(now)
    if ! "$@" >/dev/null 2>"$tmp/err"; then
      echo "failed: $(tail -n 1 "$tmp/err")"
      return
    fi
    e=$(now)
    t=$(((e - s) / 1000000))
    if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
  done
  echo "$b"
}
ratio() { # ratio A B -> A/B with one decimal, or "-"
  case "$1$2" in *[!0-9]*|"") echo "-" ;; *) [ "$2" -gt 0 ] && awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", a/b}' || echo "-" ;; esac
}

echo "== diagram: samthreat graph --format dot vs cfn-dia mermaid ($(basename "$F1000"), best of $RUNS)"
ours=$(best "$BIN" graph --format dot -o "$tmp/f1000.dot" "$F1000")
echo "samthreat graph --format dot (analysis + DOT): $ours ms"
if command -v npm >/dev/null 2>&1 &&
  npm install --silent --no-audit --no-fund --prefix "$tmp/cfn" "@mhlabs/cfn-diagram@$CFN_DIAGRAM_VERSION" >"$tmp/npm.log" 2>&1; then
  theirs=$(best "$tmp/cfn/node_modules/.bin/cfn-dia" mermaid -t "$F1000" -o "$tmp/cfn-out.md")
  echo "cfn-dia mermaid $CFN_DIAGRAM_VERSION: $theirs ms"
  echo "cfn-dia / samthreat: $(ratio "$theirs" "$ours")x"
else
  echo "cfn-dia: not measured (npm missing or install failed: $(tail -n 1 "$tmp/npm.log" 2>/dev/null))"
fi
# The DOT step alone, from a model already built (go test -bench).
go test -run '^$' -bench 'BenchmarkDOT$/functions-1000$' -benchtime "${BENCHTIME:-5x}" ./internal/diagram 2>/dev/null |
  awk '/^BenchmarkDOT/ {printf "DOT generation alone (model in memory): %.1f ms\n", $3/1e6}'

echo "== diagram: go-graphviz vs Debian dot on the same DOT text (best of $RUNS)"
"$BIN" graph --format dot -o "$tmp/freshtracks.dot" "$FT" || exit 1
"$BIN" graph --format dot -o "$tmp/functions-100.dot" "$F100" || exit 1
"$BIN" graph --format dot --collapse none -o "$tmp/functions-100-flat.dot" "$F100" || exit 1
cp "$tmp/f1000.dot" "$tmp/functions-1000.dot" 2>/dev/null || "$BIN" graph --format dot -o "$tmp/functions-1000.dot" "$F1000"
dots="$tmp/freshtracks.dot,$tmp/functions-100.dot,$tmp/functions-100-flat.dot,$tmp/functions-1000.dot"
SAMTHREAT_BENCH_DOT=$dots go test -run '^$' -bench 'BenchmarkDOTFile' -benchtime "${BENCHTIME:-3x}" ./internal/diagram 2>&1 |
  awk '/^BenchmarkDOTFile/ {split($1, p, "/"); sub(/-[0-9]+$/, "", p[3]); gg[p[2] "/" p[3]] = sprintf("%.0f", $3/1e6)}
       END {for (k in gg) print k, gg[k]}' | sort >"$tmp/gg.txt"
if command -v dot >/dev/null 2>&1; then dotv=$(dot -V 2>&1); else dotv=""; fi
printf "%-22s %-6s %14s %14s\n" "DOT text" "format" "go-graphviz ms" "dot ms"
for name in freshtracks functions-100 functions-100-flat functions-1000; do
  for fmt in svg png; do
    gg=$(awk -v k="$name/$fmt" '$1 == k {print $2}' "$tmp/gg.txt")
    if [ -n "$dotv" ]; then
      d=$(best dot -T"$fmt" -o "$tmp/out.$fmt" "$tmp/$name.dot")
    else
      d="no dot (apt-get install graphviz)"
    fi
    printf "%-22s %-6s %14s %14s\n" "$name" "$fmt" "${gg:--}" "$d"
  done
done
[ -n "$dotv" ] && echo "($dotv; go-graphviz $(awk '/goccy\/go-graphviz/ {print $2}' go.mod), Graphviz 12.1.2 in WebAssembly)"

echo "== diagram: samthreat graph wall time (analysis + layout + render, process start-up included)"
printf "%-16s %-6s %10s %10s\n" "template" "format" "cold ms" "warm ms"
for t in "$FT" "$F100" "$F1000"; do
  for fmt in svg png; do
    cold_dir=$(mktemp -d -p "$tmp")
    s=$(now)
    TMPDIR=$cold_dir "$BIN" graph --format "$fmt" -o "$tmp/out.$fmt" "$t" >/dev/null 2>&1
    e=$(now)
    cold=$(((e - s) / 1000000))
    warm=$(TMPDIR=$cold_dir best "$BIN" graph --format "$fmt" -o "$tmp/out.$fmt" "$t")
    name=$(basename "$t" .yaml); [ "$t" = "$FT" ] && name=freshtracks
    printf "%-16s %-6s %10s %10s\n" "$name" "$fmt" "$cold" "$warm"
  done
done
echo "(cold: go-graphviz compiles its WebAssembly module on first use and caches it under \$TMPDIR/go-graphviz)"
