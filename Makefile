# ВСОК ДО — the one entry point.  `make run` starts the system, `make test` tests it.
# Directories, ports and variables: docs/runtime.md.

SHELL         := /bin/bash
.SHELLFLAGS   := -eu -o pipefail -c
.DEFAULT_GOAL := build

# The development stack (make run PORT=9000 HOST=0.0.0.0 to change).
VAR        := var
PORT       := 8080
HOST       := 127.0.0.1
# The test and benchmark stacks: their own state, ports and database.
TEST_VAR   := var/test
TEST_PORT  := 18080
BENCH_VAR  := var/bench
BENCH_PORT := 28080
# make cluster: nginx on CLUSTER_PORT, the primary and the replica on the next ports
# (backend/deploy/cluster.sh), all state in var/cluster.
CLUSTER_PORT := 38080

# Debian packages: the one list (make deps installs what is missing).
DEB_BUILD    := build-essential pkg-config libfcgi-dev libjansson-dev libmariadb-dev libmagic-dev \
                libjwt-dev libargon2-dev libssl-dev libcurl4-openssl-dev libqrencode-dev libxlsxwriter-dev
DEB_SERVER   := mariadb-server mariadb-client nginx curl ca-certificates libvips-tools
# Video posters (evidence thumbnails of videos): optional on a production server, where
# videos then get no preview; make deps and make test install it.
DEB_VIDEO    := ffmpeg
DEB_DEV      := libcmocka-dev wrk jq chromium fonts-dejavu-core fonts-liberation clang-format unzip
DEB_PACKAGES := $(DEB_BUILD) $(DEB_SERVER) $(DEB_VIDEO) $(DEB_DEV)
# Only for make fuzz (libFuzzer comes with clang's runtime libraries).
DEB_FUZZ     := clang libclang-rt-dev
# node and npm come from Debian (nodejs, npm) only when there is no `node` command.

include backend/build.mk
include backend/deploy/dist.mk

STACK := backend/deploy/stack.sh

.PHONY: help deps deps-build deps-prod build frontend tests-node run stop status clean reset test bench fmt fuzz \
        rollups scale-data cluster cluster-stop test-cluster

help:
	@echo "make run      build and start the system on http://127.0.0.1:$(PORT)/ with demo data"
	@echo "make stop     stop it (nginx, vsokd, MariaDB)"
	@echo "make test     unit, API and browser tests on a fresh test stack (port $(TEST_PORT))"
	@echo "make build    build/release/vsokd and frontend/dist (and the node packages of tests/)"
	@echo "make dist     the Debian package build/dist/vsok_*.deb (docs/install.md)"
	@echo "make bench    throughput of the API against nginx and libfcgi baselines"
	@echo "make scale-data SCALE=1  fill the running stack (VAR, PORT) with a region of 1,500 kindergartens"
	@echo "make fuzz     fuzz every parser of untrusted bytes, FUZZ_TIME seconds each (default 60)"
	@echo "make deps     install the missing Debian packages (deps-prod: for a production server)"
	@echo "make status   what is running"
	@echo "make rollups  rebuild the dashboard rollups of the running system from the raw answers"
	@echo "make clean    remove build output;  make reset  stop everything and wipe var/"
	@echo "make fmt      clang-format the C sources"
	@echo "make cluster  primary + replica MariaDB, two vsokd hosts, one nginx on port $(CLUSTER_PORT) (docs/scaling.md)"
	@echo "make cluster-stop   stop it;  make test-cluster  kill a host, stop the replica, under load (long)"

deps:
	@backend/deploy/deps.sh $(DEB_PACKAGES)

deps-build:
	@backend/deploy/deps.sh $(DEB_BUILD)

# A production server needs no test tools, and wants the system's MariaDB and nginx.
deps-prod:
	@VSOK_DEPS_START_SERVICES=1 backend/deploy/deps.sh $(DEB_BUILD) $(DEB_SERVER)

build: deps-build
	@$(MAKE) --no-print-directory build/release/vsokd frontend tests-node

# ---------------------------------------------------------------- front end and node deps

NPM_INSTALL = if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; \
              else npm install --no-audit --no-fund; fi

ifneq ($(wildcard frontend/package.json),)
FRONTEND_SRC := $(shell find frontend -path frontend/node_modules -prune -o \
                  -path frontend/dist -prune -o -type f -print)

frontend: frontend/dist/index.html

frontend/node_modules: frontend/package.json $(wildcard frontend/package-lock.json)
	cd frontend && $(NPM_INSTALL)
	@touch $@

frontend/dist/index.html: frontend/node_modules $(FRONTEND_SRC)
	cd frontend && npm run build
	@touch $@
else
frontend:
	@echo "frontend/package.json not found: no SPA to build"
endif

ifneq ($(wildcard tests/package.json),)
tests-node: tests/node_modules
tests/node_modules: tests/package.json $(wildcard tests/package-lock.json)
	cd tests && $(NPM_INSTALL)
	@touch $@
else
tests-node:
endif

# ---------------------------------------------------------------- the development stack

DEV_ENV := VAR=$(VAR) PORT=$(PORT) VSOK_HTTP_HOST=$(HOST) VSOK_BIN=build/release/vsokd

run: deps
	@$(MAKE) --no-print-directory build
	@$(DEV_ENV) $(STACK) start
	@$(DEV_ENV) $(STACK) banner

stop:
	@$(DEV_ENV) $(STACK) stop

status:
	@$(DEV_ENV) $(STACK) status || true

# Every dashboard rollup recomputed from the raw answers (docs/api-dashboards.md).
rollups: build/release/vsokd
	@$(DEV_ENV) $(STACK) rollups

clean:
	rm -rf build frontend/dist

# Stops every stack kept under var/ (development, test, benchmark, any other), then wipes
# var/ without asking.
reset:
	@for v in $(VAR) $(VAR)/*/; do \
	    if [ -d "$$v/run" ] || [ -d "$$v/nginx" ]; then VAR=$${v%/} $(STACK) stop; fi; \
	done
	rm -rf $(VAR)

# ---------------------------------------------------------------- tests

# A fresh test stack (AddressSanitizer + UBSan build of vsokd, new database, demo data)
# around tests/run-all.sh, which stops it before its sanitizer check and prints the
# closing `N passed, N failed`. The stack is stopped in every case.
# Recycling by count (every 500 requests) is on to exercise it; by memory growth it is off,
# because AddressSanitizer's quarantine makes every worker grow (tests/api/worker-pools
# tests that policy on a vsokd of its own).
TEST_ENV := VAR=$(TEST_VAR) PORT=$(TEST_PORT) VSOK_HTTP_HOST=127.0.0.1 VSOK_BIN=build/asan/vsokd \
            VSOK_MAX_REQUESTS=500 VSOK_MAX_RSS_GROWTH=0 VSOK_MAIL=record \
            VSOK_PUBLIC_URL=http://127.0.0.1:$(TEST_PORT)

test: deps
	@if ! $(MAKE) --no-print-directory build/asan/vsokd unit-build frontend tests-node dist; then \
	    echo "make test: the build failed"; echo "0 passed, 1 failed"; exit 1; \
	fi
	@rc=0; $(TEST_ENV) $(STACK) fresh env \
	    VSOK_TEST_URL=http://127.0.0.1:$(TEST_PORT) \
	    VSOK_TEST_VAR=$(CURDIR)/$(TEST_VAR) \
	    VSOK_TEST_STOP_CMD="VAR='$(CURDIR)/$(TEST_VAR)' '$(CURDIR)/$(STACK)' stop" \
	    tests/run-all.sh || rc=$$?; \
	if [ $$rc = 125 ]; then echo "make test: the test stack did not start"; echo "0 passed, 1 failed"; fi; \
	exit $$rc

BENCH_ENV := VAR=$(BENCH_VAR) PORT=$(BENCH_PORT) VSOK_HTTP_HOST=127.0.0.1 VSOK_BIN=build/release/vsokd

bench: deps
	@$(MAKE) --no-print-directory build/release/vsokd frontend tests-node
	@test -f tests/bench/run.sh || { echo "tests/bench/run.sh not found"; exit 1; }
	@$(BENCH_ENV) $(STACK) fresh env \
	    VSOK_BENCH_URL=http://127.0.0.1:$(BENCH_PORT) \
	    VSOK_BENCH_VAR=$(CURDIR)/$(BENCH_VAR) \
	    bash tests/bench/run.sh

# Several servers on one machine (docs/scaling.md): a MariaDB primary and a GTID replica,
# two vsokd hosts on a shared evidence directory, one nginx upstream over both.
CLUSTER_ENV := CLUSTER_PORT=$(CLUSTER_PORT) VSOK_BIN=build/release/vsokd

cluster: deps
	@$(MAKE) --no-print-directory build
	@$(CLUSTER_ENV) backend/deploy/cluster.sh start

cluster-stop:
	@$(CLUSTER_ENV) backend/deploy/cluster.sh stop

# Long (minutes) and not part of make test: a fresh cluster, a host killed under load (wrk
# on GET /me, autosaving clients), the replica stopped and started, an upload across hosts.
test-cluster: deps
	@$(MAKE) --no-print-directory build
	@$(CLUSTER_ENV) tests/cluster/run.sh

# A region of realistic size in the running stack's database (VAR, PORT): 50 municipalities,
# 1,500 kindergartens, 12,000 groups, 9,000 scored quality-scale sheets, 100,000 parent
# responses, two campaign years; SCALE=0.1 for one tenth, SEED for other data. See
# tests/bench/README.md.
SCALE := 1
SEED  := 1

scale-data:
	@$(MAKE) --no-print-directory build/release/vsokd
	@VSOK_SCALE_URL=http://127.0.0.1:$(PORT) VSOK_SCALE_VAR=$(VAR) SCALE=$(SCALE) SEED=$(SEED) \
	    node tests/bench/scale-data.mjs

# libFuzzer on the CSV reader for FUZZ_TIME seconds; the corpus grows in build/fuzz/corpus
# (seeded from tests/fuzz/corpus), a crashing input is saved as build/fuzz/crash-*.
FUZZ_TIME := 60

fuzz:
	@backend/deploy/deps.sh $(DEB_FUZZ)
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p build/fuzz/corpus-$$t; \
	    seeds=; [ -d tests/fuzz/corpus-$$t ] && seeds=tests/fuzz/corpus-$$t; \
	    [ $$t = csv ] && seeds=tests/fuzz/corpus; \
	    echo "== fuzz_$$t for $(FUZZ_TIME) s"; \
	    build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_TIME) -max_len=65536 -timeout=10 \
	        -artifact_prefix=build/fuzz/$$t- -print_final_stats=1 \
	        build/fuzz/corpus-$$t $$seeds || exit 1; \
	done

fmt:
	clang-format -i $(wildcard backend/src/*/*.c backend/src/*/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c)
