#!/usr/bin/env bash
# Builds the Worker (crates/worker -> crates/worker/build) with worker-build, using the
# local wasm-bindgen, esbuild and wasm-opt (worker-build would download them otherwise).
# Skips the build when nothing it depends on changed since the last one.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# The dashboard's assets ship with the Worker.
bash scripts/build-dashboard.sh

out=crates/worker/build/worker/shim.mjs
if [ -f "$out" ] && [ -z "$(find crates/core/src crates/api/src crates/worker/src crates/*/Cargo.toml Cargo.toml Cargo.lock -newer "$out" -print -quit)" ]; then
  exit 0
fi

WASM_BINDGEN_BIN="$(command -v wasm-bindgen)"
ESBUILD_BIN="$PWD/node_modules/.bin/esbuild"
WASM_OPT_BIN="$PWD/node_modules/.bin/wasm-opt"
export WASM_BINDGEN_BIN ESBUILD_BIN WASM_OPT_BIN
cd crates/worker
worker-build --release
touch build/worker/shim.mjs
