#!/usr/bin/env bash
# Installs every tool edgetune's build and tests need, skipping what is already present
# at the pinned version. Idempotent: `make dev` and `make test` call it first.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
WORKER_BUILD_VERSION=$(sed -n 's/^worker = { version = "\([0-9.]*\)".*/\1/p' Cargo.toml)
: "${WASM_BINDGEN_VERSION:?could not read the wasm-bindgen pin from Cargo.toml}"
: "${WORKER_BUILD_VERSION:?could not read the worker version from Cargo.toml}"

export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    step "rustup component add $component"
    rustup component add "$component"
  fi
done

# `wasm-bindgen --version` prints "wasm-bindgen X.Y.Z"; `worker-build --version` prints "X.Y.Z".
has_version() { "$1" --version 2>/dev/null | tr ' ' '\n' | grep -qxF "$2"; }

if ! has_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 7 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! has_version worker-build "$WORKER_BUILD_VERSION"; then
  step "cargo install worker-build $WORKER_BUILD_VERSION (about 7 minutes)"
  cargo install worker-build --version "$WORKER_BUILD_VERSION" --force
fi

# Headless Chromium for the browser tests of the npm package (Debian's package).
if [ ! -x /usr/bin/chromium ]; then
  step "apt-get install chromium"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
fi

# npm packages come from the committed lockfile; `npm ci` only when it changed.
stamp=node_modules/.edgetune-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  step "npm ci"
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi
# The local cron trigger under `wrangler dev` with static assets (the script says why).
node scripts/patch-miniflare.mjs
