#!/usr/bin/env bash
# Installs every tool edgetune's build and tests need, skipping what is already present
# at the pinned version. Idempotent: `make dev` and `make test` call it first.
#
#   scripts/bootstrap.sh          what `make dev` needs: Rust 1.95.0 with the wasm
#                                 target, wasm-bindgen and worker-build, Node.js 22, the
#                                 npm packages
#   scripts/bootstrap.sh test     the same, plus what only `make test` needs: Node.js 20
#                                 (the oldest Node the npm package claims) and Chromium
#
# What it cannot install, it names and stops: rustup, a C toolchain, pkg-config and
# OpenSSL's headers (worker-build builds openssl-sys), Node.js with npm (any version: it
# brings Node.js 22 itself when the machine's is older), and, for `make test`, Chromium
# when there is no apt-get to install it with.
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-dev}

RUST_VERSION=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
WORKER_BUILD_VERSION=$(sed -n 's/^worker = { version = "\([0-9.]*\)".*/\1/p' Cargo.toml)
: "${RUST_VERSION:?could not read the Rust channel from rust-toolchain.toml}"
: "${WASM_BINDGEN_VERSION:?could not read the wasm-bindgen pin from Cargo.toml}"
: "${WORKER_BUILD_VERSION:?could not read the worker version from Cargo.toml}"
# The project's Node.js, and the oldest one the npm package claims (js/package.json).
NODE_VERSION=22.23.5
NODE_OLDEST=20.20.2

# Tools installed by this script live in .tools/ (ignored); the Makefile puts
# .tools/bin first on PATH, so every script and test runs on the same Node.
TOOLS=$PWD/.tools
export PATH="$TOOLS/bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }
missing() {
  printf '\nedgetune needs %s, which this machine lacks.\n%s\n' "$1" "$2" >&2
  exit 1
}

# --- What a fresh machine must bring --------------------------------------------------
command -v rustup >/dev/null || missing "rustup" \
  "Install it from https://rustup.rs (it then installs Rust $RUST_VERSION by itself)."
command -v cc >/dev/null || missing "a C toolchain (cc)" \
  "Debian/Ubuntu: apt-get install build-essential; Fedora: dnf install gcc; macOS: xcode-select --install."
command -v npm >/dev/null || missing "Node.js with npm (any version from 18 on)" \
  "Install it from https://nodejs.org or your package manager; Node.js $NODE_VERSION is then installed into .tools/."

# --- Rust: the pinned toolchain, its wasm target and components -----------------------
# RUSTUP_AUTO_INSTALL=0 on some machines: rust-toolchain.toml alone installs nothing.
if ! rustup toolchain list | grep -q "^$RUST_VERSION-"; then
  step "rustup toolchain install $RUST_VERSION"
  rustup toolchain install "$RUST_VERSION" --profile minimal
fi
if ! rustup target list --installed --toolchain "$RUST_VERSION" | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown --toolchain "$RUST_VERSION"
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed --toolchain "$RUST_VERSION" | grep -q "^$component"; then
    step "rustup component add $component"
    rustup component add "$component" --toolchain "$RUST_VERSION"
  fi
done

# `wasm-bindgen --version` prints "wasm-bindgen X.Y.Z"; `worker-build --version` prints "X.Y.Z".
has_version() { "$1" --version 2>/dev/null | tr ' ' '\n' | grep -qxF "$2"; }

# --locked: the tools build with the dependency versions their authors published.
# Where that lockfile names a crate the registry no longer serves (yanked), the
# repository holds a copy with only that crate moved (scripts/tools/<crate>-<version>.Cargo.lock):
# the tool's source is fetched by cargo and installed with that lockfile instead.
install_locked() {
  local crate=$1 version=$2 lock="scripts/tools/$1-$2.Cargo.lock" dir cache
  if [ ! -f "$lock" ]; then
    cargo install --locked "$crate" --version "$version" --force
    return
  fi
  dir=$(mktemp -d)
  mkdir -p "$dir/fetch/src" && touch "$dir/fetch/src/lib.rs"
  printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\n%s = "=%s"\n' \
    "$crate" "$version" > "$dir/fetch/Cargo.toml"
  cargo fetch --quiet --manifest-path "$dir/fetch/Cargo.toml"
  cache=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"$crate-$version.crate" | head -n 1)
  tar xzf "$cache" -C "$dir"
  cp "$lock" "$dir/$crate-$version/Cargo.lock"
  cargo install --locked --path "$dir/$crate-$version" --force
  rm -rf "$dir"
}
if ! has_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 7 minutes)"
  install_locked wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
fi

if ! has_version worker-build "$WORKER_BUILD_VERSION"; then
  command -v pkg-config >/dev/null && pkg-config --exists openssl || missing \
    "pkg-config and OpenSSL's headers (worker-build builds openssl-sys)" \
    "Debian/Ubuntu: apt-get install pkg-config libssl-dev; Fedora: dnf install pkgconf openssl-devel; macOS: brew install pkg-config openssl."
  step "cargo install worker-build $WORKER_BUILD_VERSION (about 7 minutes)"
  install_locked worker-build "$WORKER_BUILD_VERSION"
fi

# --- Node.js ---------------------------------------------------------------------------
# A Node.js binary from the npm registry (packages node-<platform>-<arch>), linked as
# .tools/<name>/node. `install_node 22.23.5 bin` puts it on the Makefile's PATH.
install_node() {
  local version=$1 dir=$2 platform
  platform=$(node -p 'process.platform + "-" + process.arch')
  if [ -x "$TOOLS/$dir/node" ] && [ "$("$TOOLS/$dir/node" --version)" = "v$version" ]; then
    return
  fi
  step "npm install node-$platform@$version into .tools/ (Node.js $version)"
  rm -rf "$TOOLS/node-$version"
  mkdir -p "$TOOLS/node-$version" "$TOOLS/$dir"
  npm install --prefix "$TOOLS/node-$version" --no-save --no-audit --no-fund \
    "node-$platform@$version" >/dev/null
  ln -sf "$TOOLS/node-$version/node_modules/node-$platform/bin/node" "$TOOLS/$dir/node"
}
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 22 ]; then
  install_node "$NODE_VERSION" bin
fi
if [ "$purpose" = test ]; then
  install_node "$NODE_OLDEST" node-oldest
fi

# npm packages come from the committed lockfile; `npm ci` only when it changed.
stamp=node_modules/.edgetune-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  step "npm ci (on Node.js $(node --version))"
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

# --- What only `make test` needs -------------------------------------------------------
if [ "$purpose" = test ]; then
  # Headless Chromium for the browser tests of the npm package and the dashboard.
  # CHROMIUM names another binary; otherwise Debian's package, installed when apt-get is here.
  if [ -z "${CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
      step "apt-get install chromium (the browser tests)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
    else
      missing "Chromium for the browser tests (make test only; make dev does not)" \
        "Debian: sudo apt-get install chromium; elsewhere install Chromium or Chrome and set CHROMIUM=/path/to/the/binary."
    fi
  fi
  command -v python3 >/dev/null || missing "python3 (3.10 or later) for the benchmarks' smoke" \
    "Debian/Ubuntu: apt-get install python3 python3-venv; macOS: brew install python."
fi
