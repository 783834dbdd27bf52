#!/usr/bin/env bash
# Installs what samthreat's full build and test suite need, and only what is
# missing, so it is cheap to call before every `make test`:
#   - Debian packages: WebKitGTK/GTK for the desktop build, Xvfb + tools for the
#     desktop screenshot, Chromium for the browser end-to-end tests, poppler for
#     reading generated PDFs in tests, Inter (the UI's preferred font, so
#     screenshots look as designed) and Liberation Sans (Helvetica's widths,
#     which Graphviz lays diagram labels out with).
#   - npm packages of the frontend and the end-to-end tests (npm ci, from lock files).
#   - pre-commit (Debian) and pinned Go tools, built through the Go module proxy
#     into $(go env GOPATH)/bin: actionlint (the example workflow and the
#     Action's inputs), GoReleaser and syft (the release snapshot and its SBOM).
# Go modules are fetched by the go command itself.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev
  xvfb xauth x11-utils xdotool imagemagick chromium poppler-utils fonts-inter fonts-liberation2
  pre-commit python3-gi python3-gi-cairo gir1.2-webkit2-4.1)

# A Chromium already there (Ubuntu's chromium-browser, Playwright's, or
# CHROMIUM=path) is used as it is: Ubuntu has no Debian-style chromium package.
# shellcheck source=scripts/find-chromium.sh
. scripts/find-chromium.sh
if find_chromium >/dev/null; then
  APT_PACKAGES=("${APT_PACKAGES[@]/chromium/}")
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  [ -n "$p" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm_ci() { # dir: install from the lock file when node_modules is missing or older than it
  local dir=$1
  [ -f "$dir/package-lock.json" ] || return 0
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    echo "deps: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) && touch "$dir/node_modules"
  fi
}
# Go tools, pinned (bump here). The newest GoReleaser that builds with Go 1.26.
# A tool marked optional may fail to build without failing deps (syft: the
# release check then makes its snapshot without an SBOM and says so).
GO_TOOLS=(
  "actionlint github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"
  "goreleaser github.com/goreleaser/goreleaser/v2@v2.15.1"
  "syft github.com/anchore/syft/cmd/syft@v1.57.1 optional"
)
gobin=$(go env GOBIN); gobin=${gobin:-$(go env GOPATH)/bin}
for t in "${GO_TOOLS[@]}"; do
  read -r name pkg optional <<<"$t"
  want=${pkg##*@}
  if [ -x "$gobin/$name" ] && go version -m "$gobin/$name" 2>/dev/null | grep -q "[[:space:]]$want[[:space:]]*\(h1:\|$\)"; then
    continue
  fi
  echo "deps: go install $pkg"
  s=$(date +%s)
  if go install "$pkg"; then
    echo "deps: $name built in $(( $(date +%s) - s )) s"
  elif [ -n "$optional" ]; then
    echo "deps: $name could not be built (optional, going on without it)"
  else
    exit 1
  fi
done

npm_ci frontend
[ -d e2e ] && npm_ci e2e
exit 0
