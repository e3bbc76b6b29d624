#!/usr/bin/env bash
# Coverage-guided fuzzing of edgetune with cargo fuzz (libFuzzer), which needs a
# nightly toolchain: installed here when missing, like the wasm target.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# runs each target (default: all) for SECONDS (default 600) from its committed corpus
# in fuzz/corpus/<target>; what it finds new is kept in fuzz/corpus-new/<target>
# (ignored), a crash in fuzz/artifacts/<target>/ (ignored), and the run fails.
# `make fuzz` runs 10 minutes per target; `make test` a 30-second smoke of each.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_FUZZ_VERSION=0.13.2
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(journal_bytes journal_ops options http_bodies mcp)

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "==> rustup toolchain install nightly --profile minimal"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version 2>/dev/null | grep -qF "$CARGO_FUZZ_VERSION"; then
  echo "==> cargo install cargo-fuzz $CARGO_FUZZ_VERSION (about 3 minutes)"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --force
fi

cargo +nightly fuzz build
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus-new/$target"
  echo "==> fuzzing $target for ${seconds}s"
  # New inputs go to the first directory; the committed corpus is only read.
  log=$(mktemp)
  status=0
  cargo +nightly fuzz run "$target" "fuzz/corpus-new/$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 >"$log" 2>&1 || status=$?
  # libFuzzer's progress lines are left out; the stats, and any crash, are shown.
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done|==[0-9]+==|SUMMARY|thread|panicked|artifact_prefix|Test unit)' "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -40 "$log" >&2
    echo "fuzz target $target failed: see fuzz/artifacts/$target/" >&2
    exit 1
  fi
  rm -f "$log"
done
