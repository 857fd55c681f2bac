# drill: two commands set everything up on a fresh Debian machine:
#   make demo   installs what is missing, builds, and runs a real drill
#   make test   installs what is missing and runs every test
GO       ?= go
BIN      ?= bin
.PHONY: all build deps demo test lint unit bench clean

all: build

deps:
	@ci/install-deps.sh

build:
	$(GO) build -o $(BIN)/drill ./cmd/drill
	$(GO) build -o $(BIN)/drill-sample ./cmd/drill-sample

# A real drill on the local sandbox: a sample "production" database is made
# and dumped, then drill restores the dump into a throwaway server, checks
# it, measures RTO and RPO and removes the server.
demo: deps build
	@ci/demo.sh $(BIN)

lint:
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# Every test, the race detector on; tests against real PostgreSQL included
# (they start their own throwaway servers).
test: deps lint
	$(GO) test -race -count=1 ./...

# Fast tests only (no PostgreSQL servers).
unit:
	$(GO) test -short ./...

# A whole local drill against the same work done by the bare PostgreSQL
# programs on the same archive: the restore phase's ratio to bare pg_restore
# (goal ≤ 1.03) on a ≥ BENCH_MB MB archive, and drill's fixed overhead (goal
# ≤ 1 s). The archives are made once and kept in .bench/. Then the trend
# report over 10,000 records (goal ≤ 1 s and ≤ 200 MB).
BENCH_MB   ?= 200
BENCH_RUNS ?= 3
bench: deps
	DRILL_BENCH_MB=$(BENCH_MB) $(GO) test -run '^$$' -bench BenchmarkDrill -benchtime $(BENCH_RUNS)x -timeout 90m ./drills/
	$(GO) test -run '^$$' -bench BenchmarkReport -benchtime $(BENCH_RUNS)x ./results/report/

clean:
	rm -rf $(BIN) .demo .bench
