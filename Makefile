# drill: two commands set everything up on a fresh Debian machine:
#   make demo   installs what is missing, builds, and runs a real drill
#   make test   installs what is missing and runs every test
GO       ?= go
BIN      ?= bin
.PHONY: all build deps demo test lint unit bench clean lab lab-up lab-down e2e

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
# (they start their own throwaway servers); then the e2e tests against the
# Kubernetes + Argo CD lab (make e2e).
test: deps lint
	$(GO) test -race -count=1 -timeout 25m ./...
	@ci/lab/e2e.sh

# The e2e lab: a real Kubernetes control plane (etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler), kwok for a fake node, Redis and
# Argo CD, built from the Go modules under ci/lab/ into a cache outside the
# repository. lab-up starts one in the background in $(LAB_DIR) and writes
# $(LAB_DIR)/env (KUBECONFIG, ARGOCD_SERVER, ARGOCD_AUTH_TOKEN, the git
# repository); lab-down stops it by PID. e2e starts its own lab, runs the
# e2e tests against it and stops it, also on failure.
LAB_DIR ?= .lab
lab:
	@ci/lab/build.sh >/dev/null

lab-up: lab
	@$(GO) build -o $(BIN)/drill-lab ./cmd/drill-lab
	@$(BIN)/drill-lab up --dir $(LAB_DIR) --bin "$$(ci/lab/build.sh)" >/dev/null
	@echo "lab: up; . $(LAB_DIR)/env to use it, make lab-down to stop it"

lab-down:
	@$(GO) build -o $(BIN)/drill-lab ./cmd/drill-lab
	@$(BIN)/drill-lab down --dir $(LAB_DIR)

e2e: deps
	@ci/lab/e2e.sh

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
