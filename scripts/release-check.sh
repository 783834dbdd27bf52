#!/usr/bin/env bash
# What CI checks of the release: `goreleaser check`, then `goreleaser release
# --snapshot --clean` for the native linux_amd64 target only
# (SAMTHREAT_RELEASE_NATIVE_ONLY=1 skips the cross build: the other four
# targets need C cross compilers and would add minutes each), then the
# archive, its checksum and SBOM, and the binary inside it run on the bundled
# example. SAMTHREAT_RELEASE_ALL=1 builds every target (needs the cross
# compilers of .goreleaser.yaml, as in the goreleaser-cross image).
set -euo pipefail
cd "$(dirname "$0")/.."
gobin=$(go env GOBIN); gobin=${gobin:-$(go env GOPATH)/bin}
export PATH="$gobin:$PATH"
fail() { echo "release-check: FAIL: $*" >&2; exit 1; }
command -v goreleaser >/dev/null || fail "goreleaser is not installed (scripts/deps.sh)"
sbom=yes
if ! command -v syft >/dev/null; then
  echo "release-check: syft is not installed (scripts/deps.sh could not build it): snapshot without SBOM"
  export SAMTHREAT_RELEASE_NO_SBOM=1 sbom=
fi
[ -n "${SAMTHREAT_RELEASE_ALL:-}" ] || export SAMTHREAT_RELEASE_NATIVE_ONLY=1

s=$(date +%s)
goreleaser check
log=$(mktemp)
trap 'rm -f "$log"' EXIT
goreleaser release --snapshot --clean >"$log" 2>&1 || { tail -40 "$log" >&2; fail "goreleaser release --snapshot"; }
echo "release-check: goreleaser release --snapshot in $(( $(date +%s) - s )) s"

archive=$(ls dist/samthreat_*_linux_amd64.tar.gz 2>/dev/null | head -n1)
[ -n "$archive" ] || fail "no linux_amd64 archive in dist/: $(ls dist)"
[ -f dist/checksums.txt ] || fail "no dist/checksums.txt"
(cd dist && sha256sum --check --ignore-missing --quiet checksums.txt) || fail "checksums do not match"
[ -z "$sbom" ] || ls dist/*.sbom.json >/dev/null 2>&1 || fail "no SBOM in dist/: $(ls dist)"
grep -q "$(basename "$archive")" dist/checksums.txt || fail "the archive is not in checksums.txt"
work=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$work"' EXIT
tar -xzf "$archive" -C "$work"
[ -x "$work/samthreat" ] || fail "no samthreat binary in $archive"
"$work/samthreat" version | grep -q "every supported language" || fail "the released binary does not read function code (built without cgo?)"
XDG_CACHE_HOME=$work/cache "$work/samthreat" analyze --format json -o "$work/model.json" || fail "the released binary could not analyse the bundled example"
sbom_file=none
[ -z "$sbom" ] || sbom_file=$(cd dist && ls ./*.sbom.json | head -n1)
echo "release-check: ok   $(basename "$archive") ($(du -k "$archive" | cut -f1) KiB; binary $(du -k "$work/samthreat" | cut -f1) KiB), checksums, SBOM $sbom_file, the binary analyses the example"
