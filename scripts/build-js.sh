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

# The local MCP server of the `edgetune-mcp` bin: a wasm module of its own.
cargo build --release -p edgetune-mcp-local --target wasm32-unknown-unknown
rm -rf pkg-mcp
wasm-bindgen --target web --out-dir pkg-mcp target/wasm32-unknown-unknown/release/edgetune_mcp_local.wasm
node_modules/.bin/wasm-opt -Os --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
  pkg-mcp/edgetune_mcp_local_bg.wasm -o pkg-mcp/edgetune_mcp_local_bg.wasm

# The sampler and pruner option types, generated from the Rust types' JSON Schema.
node scripts/gen-options-ts.mjs >> pkg/edgetune_wasm.d.ts

rm -rf js/src/wasm js/src/wasm-mcp js/dist
mkdir -p js/src/wasm js/src/wasm-mcp
cp pkg/edgetune_wasm.js pkg/edgetune_wasm.d.ts pkg/edgetune_wasm_bg.wasm js/src/wasm/
cp pkg-mcp/edgetune_mcp_local.js pkg-mcp/edgetune_mcp_local.d.ts pkg-mcp/edgetune_mcp_local_bg.wasm js/src/wasm-mcp/
node_modules/.bin/tsc -p js
chmod +x js/dist/mcp-bin.js
cp -r js/src/wasm js/dist/wasm
cp -r js/src/wasm-mcp js/dist/wasm-mcp
