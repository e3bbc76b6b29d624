#!/usr/bin/env bash
# Builds the npm package: the wasm crate -> pkg/ (wasm-bindgen, wasm-opt) -> js/dist.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

cargo build --release -p edgetune-wasm --target wasm32-unknown-unknown
rm -rf pkg
wasm-bindgen --target web --out-dir pkg target/wasm32-unknown-unknown/release/edgetune_wasm.wasm
node_modules/.bin/wasm-opt -Os --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
  pkg/edgetune_wasm_bg.wasm -o pkg/edgetune_wasm_bg.wasm

# The sampler and pruner option types, generated from the Rust types' JSON Schema.
node scripts/gen-options-ts.mjs >> pkg/edgetune_wasm.d.ts

rm -rf js/src/wasm js/dist
mkdir -p js/src/wasm
cp pkg/edgetune_wasm.js pkg/edgetune_wasm.d.ts pkg/edgetune_wasm_bg.wasm js/src/wasm/
node_modules/.bin/tsc -p js
cp -r js/src/wasm js/dist/wasm
