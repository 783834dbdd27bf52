# samthreat: `make help` lists the targets.
SHELL := /bin/bash
GO ?= go
BIN := samthreat
OUT := samthreat-out
DESKTOP_TAGS := desktop,production,webkit2_41
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null)
LDFLAGS := -X github.com/samthreat/samthreat/internal/cli.Version=$(VERSION) -X github.com/samthreat/samthreat/internal/cli.Commit=$(COMMIT)

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

# make run ADDR=127.0.0.1:9000 WORKSPACE=./scratch.db: the web workbench on
# another address or workspace (either one selects web mode: the desktop app
# always uses the default workspace). Ctrl+C stops it and make with it, quietly.
ADDR ?=
WORKSPACE ?=
run: frontend ## open the workbench on the bundled example (desktop with a display and WebKitGTK, else web mode); ADDR=host:port WORKSPACE=file for web mode elsewhere
	@trap 'true' INT TERM; \
	if [ -z "$(ADDR)$(WORKSPACE)" ] && [ -n "$$DISPLAY" ] && pkg-config --exists webkit2gtk-4.1 2>/dev/null; then \
		$(MAKE) --no-print-directory desktop && ./build/bin/$(BIN); \
	else \
		[ -n "$(ADDR)$(WORKSPACE)" ] || echo "No display or no WebKitGTK: starting the web workbench instead."; \
		$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) . && \
		./$(BIN) serve --addr "$(or $(ADDR),127.0.0.1:8080)" $(if $(WORKSPACE),--workspace "$(WORKSPACE)"); \
	fi; \
	rc=$$?; if [ $$rc -eq 130 ] || [ $$rc -eq 143 ]; then rc=0; fi; exit $$rc

example: ## threat-model the bundled example on the command line: summary; report, diagram, SARIF and JSON in ./samthreat-out
	@$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) .
	@mkdir -p $(OUT)
	./$(BIN) analyze
	@./$(BIN) analyze --format json -o $(OUT)/freshtracks.json
	@./$(BIN) analyze --format sarif -o $(OUT)/freshtracks.sarif
	@./$(BIN) graph --format svg -o $(OUT)/freshtracks.svg
	@./$(BIN) graph --format png -o $(OUT)/freshtracks.png
	@./$(BIN) report --pdf $(OUT)/freshtracks.pdf --md $(OUT)/freshtracks.md --html $(OUT)/freshtracks.html
	@echo "Written to $(OUT)/: $$(cd $(OUT) && ls | tr '\n' ' ')"
	@echo "Next: make run (the workbench), or ./$(BIN) analyze path/to/template.yaml"

analyze: ## analyse the bundled example on the command line
	$(GO) run -ldflags "$(LDFLAGS)" . analyze

build: ## build the CLI (no GUI toolchain needed)
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) .

deps: ## install the Debian and npm packages the full test suite needs (only what is missing)
	./scripts/deps.sh

frontend: ## build the frontend into frontend/dist (embedded by serve and the desktop app)
	@if [ -f frontend/package.json ]; then \
		[ -d frontend/node_modules ] || npm ci --prefix frontend --no-audit --no-fund --loglevel=error; \
		npm run --prefix frontend build; \
	fi

test: deps frontend lint unit integrations release-check fuzz e2e desktop-smoke ## everything CI runs: vet, unit + corpus tests with -race, the Action/hook/release checks, fuzz, browser e2e, desktop smoke

lint: types-check dist-check codesize ## gofmt, go vet, the generated frontend types and the committed frontend/dist match their sources, code size within its ceiling
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

codesize: ## functions over 80 lines / cyclomatic 30 and files over 800 lines: fails when over tools/codesize/ceiling.txt
	$(GO) run ./tools/codesize -ceiling tools/codesize/ceiling.txt -enforce .

types: ## regenerate frontend/src/api/types.gen.ts from the Go types (internal/model, app, the output-format registry)
	$(GO) run ./tools/tsgen

types-check: ## fail when frontend/src/api/types.gen.ts differs from what the Go types give (run make types and commit it)
	$(GO) run ./tools/tsgen -check

dist-check: ## rebuild frontend/dist and fail if it differs from the committed one (commit it with the sources)
	./scripts/check-dist.sh

integrations: ## the GitHub Action (actionlint, its script on Fresh Tracks) and the pre-commit hooks (validate-manifest, try-repo)
	./scripts/integrations-check.sh

release-check: ## goreleaser release --snapshot (native linux_amd64 archive, checksums, SBOM) and run the archived binary
	./scripts/release-check.sh

unit: ## Go tests with the race detector (includes the whole-corpus tests)
	$(GO) test -race -timeout 30m ./...

fuzz: ## run every fuzz target briefly (FUZZTIME=10s)
	./scripts/fuzz.sh

e2e: frontend ## end-to-end tests in headless Chromium against `samthreat serve`
	@if [ -x scripts/e2e.sh ]; then ./scripts/e2e.sh; else echo "e2e: no suite yet"; fi

desktop: frontend ## build the Wails desktop binary (needs GTK 3 and WebKitGTK 4.1)
	$(GO) build -tags $(DESKTOP_TAGS) -ldflags "-w -s $(LDFLAGS)" -o build/bin/$(BIN) .

desktop-smoke: ## build the desktop app, start it under Xvfb and check its screenshot is not blank
	@if [ -x scripts/desktop-smoke.sh ]; then ./scripts/desktop-smoke.sh; else echo "desktop-smoke: not yet"; fi

catalogs: ## regenerate the IAM catalogs in catalogs/ from the pinned npm packages
	@if [ -x tools/catalogs/generate.sh ]; then ./tools/catalogs/generate.sh; else echo "catalogs: generator not yet"; fi

bench: ## benchmarks over ../shared/corpus (figures for closing notes)
	./scripts/bench.sh

accuracy: ## measure the model's fidelity on ../shared/corpus/serverless-patterns against tools/accuracy/testdata/baseline.json (ARGS=-update records a new baseline)
	$(GO) run ./tools/accuracy $(ARGS)

clean: ## remove build outputs
	rm -rf $(BIN) build/bin $(OUT) dist

.PHONY: help run example analyze build deps frontend test lint types types-check dist-check integrations release-check unit fuzz e2e desktop desktop-smoke catalogs bench accuracy codesize clean
