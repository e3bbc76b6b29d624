# The two commands: `make dev` and `make test`. Both install what they need first
# (scripts/bootstrap.sh skips whatever is already present at the pinned version).
SHELL := bash
# .tools/bin: the Node.js that scripts/bootstrap.sh installs when the machine's is older
# than 22 (empty otherwise, so the machine's own Node is used).
export PATH := $(CURDIR)/.tools/bin:$(HOME)/.cargo/bin:$(PATH)
export WRANGLER_SEND_METRICS := false
# Local persistence of `make dev` (Durable Objects' SQLite files).
DEV_STATE ?= .dev-state
# The address `make dev` listens on (the Dockerfile sets 0.0.0.0).
DEV_IP ?= 127.0.0.1

.PHONY: fuzz fuzz-smoke dev test setup setup-test build-js build-worker build-dashboard lint test-rust test-wasm test-js test-browser test-python python test-e2e bench-smoke bench wasm-size

## Serve the API on http://127.0.0.1:8787 with local persistence (dev key: edgetune-dev-key).
dev: setup build-worker
	node_modules/.bin/wrangler dev --ip $(DEV_IP) --port 8787 --persist-to $(DEV_STATE) \
	  --env-file dev.env --show-interactive-dev-session=false

## Everything: format, lints, Rust tests, wasm tests, JS package tests, end-to-end tests.
test: setup-test lint test-rust test-wasm test-js test-browser test-python test-e2e test-docs bench-smoke fuzz-smoke

## The tools `make dev` needs (never a browser).
setup:
	bash scripts/bootstrap.sh

## The tools `make test` needs on top: Node.js 20 for the npm package, Chromium.
setup-test:
	bash scripts/bootstrap.sh test

build-js: setup
	bash scripts/build-js.sh

build-worker: setup
	bash scripts/build-worker.sh

build-dashboard: setup
	bash scripts/build-dashboard.sh

lint: setup
	cargo fmt --all --check
	cargo clippy -p edgetune-core -p edgetune-testfunctions -p edgetune-bench --all-targets -- -D warnings
	cargo clippy -p edgetune-api --features schema --all-targets -- -D warnings
	cargo clippy -p edgetune-python -- -D warnings
	cargo clippy -p edgetune-wasm -p edgetune-worker -p edgetune-mcp-local --target wasm32-unknown-unknown --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p edgetune-core -p edgetune-api --features edgetune-api/schema
	node scripts/check-module-cycles.mjs crates/core/src crates/api/src crates/worker/src crates/wasm/src
	# The core builds for wasm32 on its own, warning-free: it has no web dependency,
	# and code behind cfg(target_arch) must not go unused there.
	cargo clippy -p edgetune-core --target wasm32-unknown-unknown -- -D warnings

test-rust: setup
	cargo test -p edgetune-core -p edgetune-testfunctions
	cargo test -p edgetune-api --features schema

test-wasm: setup
	cargo test -p edgetune-wasm --target wasm32-unknown-unknown

## The built npm package's tests, on the project's Node and on the oldest Node the
## package claims (js/package.json `engines`).
test-js: build-js setup-test
	node_modules/.bin/tsc -p js/test
	node --test build/js-test/*.test.js
	.tools/node-oldest/node --test build/js-test/*.test.js

## The built npm package in headless Chromium (determinism goldens, errors, journals).
test-browser: build-js build-dashboard setup-test
	node --test tests/browser/*.test.mjs

## The Python package as an installed wheel (scripts/test-python.sh: a cached venv with
## pytest, maturin, Optuna, pandas and scikit-learn; only the wheel is rebuilt; the
## remote tests start the Worker under wrangler dev).
test-python: build-worker setup-test
	bash scripts/test-python.sh

## Installs the Python package into the active Python environment (pip, maturin).
python: setup
	pip install ./python

test-e2e: build-worker build-js setup-test
	bench/run venv
	node --test --test-concurrency=1 tests/e2e/*.test.mjs

## Every code block the docs mark runnable: TypeScript compiled and run against the
## built package, shell run against the real Worker under wrangler dev, Rust as doctests.
test-docs: build-js build-worker
	node --test tests/docs/*.test.mjs

## Seconds-long runs of the benchmark harnesses, so that they do not rot (edgetune only,
## but for the real HPO tables, which come with Optuna from the cached bench/.venv).
bench-smoke: build-js build-worker
	bench/run --smoke > /dev/null
	bench/run samplers --smoke > /dev/null
	bench/run analysis --smoke > /dev/null
	bench/run cost --smoke > /dev/null
	bench/run load --smoke > /dev/null
	bench/run coldstart --smoke > /dev/null
	bench/run dashboard --smoke > /dev/null
	bench/run tables --smoke > /dev/null
	bench/run python --smoke > /dev/null

## The side-by-side benchmarks against Optuna and rustuna (TPE about 15 minutes,
## the other samplers about 10 more, cost about 20, analysis and the dashboard about 1 each).
## `bench/run load` (the Worker against FastAPI + Optuna, about 25 minutes) runs apart.
bench:
	bench/run
	bench/run samplers
	bench/run analysis
	bench/run cost
	bench/run dashboard
	bench/run package

## Coverage-guided fuzzing (cargo fuzz, nightly; scripts/fuzz.sh installs both):
## 10 minutes per target, and a 30-second smoke of each in `make test`.
fuzz: setup
	bash scripts/fuzz.sh 600

fuzz-smoke: setup
	bash scripts/fuzz.sh 30

## The npm package's wasm size, raw and gzipped.
wasm-size: build-js
	@raw=$$(wc -c < pkg/edgetune_wasm_bg.wasm); gz=$$(gzip -9c pkg/edgetune_wasm_bg.wasm | wc -c); \
	  echo "pkg/edgetune_wasm_bg.wasm: $$raw bytes raw, $$gz bytes gzipped"
