#!/usr/bin/env bash
# Benchmarks for closing notes: the analysis pipeline over ../shared/corpus and
# the 1000-function synthetic template against the yaml.v3 parse-only floor,
# then the per-stage and diagram benchmarks. Figures, not limits.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCHTIME=${BENCHTIME:-1x}
echo "== pipeline (go test -bench, benchtime ${BENCHTIME}; use BENCHTIME=5x for steadier figures)"
go test -run '^$' -bench . -benchtime "$BENCHTIME" -benchmem ./internal/analysis/
for pkg in ./internal/adapt ./internal/iam ./internal/blast ./internal/rules ./internal/diagram ./internal/report/...; do
  [ -d "${pkg%/...}" ] || continue
  echo "== $pkg"
  go test -run '^$' -bench . -benchtime "$BENCHTIME" -benchmem "$pkg" || true
done
go build -o /tmp/samthreat-bench .
echo "== CLI wall time (includes process start-up)"
for f in ../shared/fixtures/freshtracks/template.yaml ../shared/corpus/synthetic/functions-1000.yaml; do
  s=$(date +%s%N); /tmp/samthreat-bench analyze --format json "$f" >/dev/null || true; e=$(date +%s%N)
  echo "analyze $f: $(( (e - s) / 1000000 )) ms"
done
s=$(date +%s%N); /tmp/samthreat-bench analyze --format json ../shared/corpus >/dev/null 2>&1 || true; e=$(date +%s%N)
echo "analyze whole corpus (one process): $(( (e - s) / 1000000 )) ms"
if [ -x scripts/bench-diagram.sh ]; then ./scripts/bench-diagram.sh; fi
