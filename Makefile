# Assistant déclaration — developer entry points (GNU make).
#
#   make run     run the app (APP_MODE=dev) on a private PostgreSQL in .data/
#   make test    gofmt + vet + staticcheck + go test -race (what CI runs)
#   make help    everything else
#
# Without DATABASE_URL / TEST_DATABASE_URL, scripts/postgres.sh installs (apt),
# initialises and starts a local cluster under .data/ (dev/test settings only).

SHELL       := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO            ?= go
BIN           := bin/assistant-declaration
LOCAL_BIN     := $(CURDIR)/.data/bin
STATICCHECK   := $(LOCAL_BIN)/staticcheck
CHROMIUM_PATH ?= /usr/bin/chromium
TEST_TIMEOUT  ?= 20m
TESTFLAGS     ?=
PKGS          ?= ./...

export CHROMIUM_PATH

.PHONY: help run test test-go bench build assets lint fmt-check vet staticcheck clean-db db-start db-stop

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: ## run the app (APP_MODE=dev, PORT=8080) on the local cluster; Ctrl-C stops both
	@scripts/run.sh

test: ## CI: gofmt, go vet, staticcheck, then go test -race against the local cluster
	@if [[ -z "$${TEST_DATABASE_URL:-}" ]]; then scripts/postgres.sh ensure; fi
	@scripts/chromium.sh ensure
	@scripts/poppler.sh ensure
	@$(MAKE) --no-print-directory lint
	@APP_MODE=test CGO_ENABLED=1 scripts/with-postgres.sh assistant_declaration_test TEST_DATABASE_URL -- \
		$(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) $(TESTFLAGS) $(PKGS)

bench: ## run the benchmarks once each (app/benchmarks) against the local cluster
	@if [[ -z "$${BENCH_DATABASE_URL:-}" ]]; then scripts/postgres.sh ensure; fi
	@APP_MODE=test scripts/with-postgres.sh assistant_declaration_bench BENCH_DATABASE_URL,TEST_DATABASE_URL -- \
		$(GO) test -run '^$$' -bench . -benchtime 1x $(TESTFLAGS) ./app/benchmarks/...

build: ## static binary into bin/ (CGO_ENABLED=0, tzdata embedded)
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags='-s -w' -o $(BIN) .

assets: ## vendor DSFR, htmx and axe-core from npm (versions in scripts/assets.sh)
	scripts/assets.sh

lint: fmt-check vet staticcheck ## gofmt check, go vet, staticcheck

fmt-check:
	@files="$$(find . -name '*.go' -not -path './.data/*' -not -path './node_modules/*' -not -path './bin/*' -print0 | xargs -0 -r gofmt -l)"; \
	if [[ -n "$$files" ]]; then echo "gofmt: these files need formatting (gofmt -w):"; echo "$$files"; exit 1; fi; \
	echo "gofmt: ok"

vet:
	$(GO) vet $(PKGS)

$(STATICCHECK):
	@mkdir -p $(LOCAL_BIN)
	GOBIN=$(LOCAL_BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@v0.8.2

staticcheck: $(STATICCHECK)
	$(STATICCHECK) $(PKGS)

db-start: ## start the local cluster and print the URLs (dev and test databases)
	@scripts/postgres.sh start assistant_declaration
	@scripts/postgres.sh start assistant_declaration_test

db-stop: ## stop the local cluster
	@scripts/postgres.sh stop

clean-db: ## stop the local cluster and delete its data
	@scripts/postgres.sh destroy
