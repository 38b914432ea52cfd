#!/usr/bin/env bash
# Fuzzes pallet-ibc's `deliver` extrinsic: cargo-fuzz target `deliver` of pallets/ibc/fuzz
# (see pallets/ibc/fuzz/README.md), one libFuzzer process, for RUNS executions.
#
#   scripts/fuzz.sh [RUNS]          RUNS defaults to 1000000
#
# Installs cargo-fuzz if missing (into $HOME/.cache/frame-ics/tools, built in a target dir of
# its own so it never waits on the shared one) and builds the target with the nightly toolchain
# in $HOME/.cache/frame-ics/target-fuzz. The corpus grows in pallets/ibc/fuzz/corpus/deliver
# (git-ignored), starting from the committed seeds in pallets/ibc/fuzz/seeds/deliver; a crash is
# written to pallets/ibc/fuzz/artifacts/deliver/ and fails the script.
#
# Environment (all optional):
#   FUZZ_TARGET_DIR   target dir of the fuzz build ($HOME/.cache/frame-ics/target-fuzz)
#   FUZZ_SANITIZER    cargo-fuzz sanitizer: address, leak, memory, thread or none (address)
#   FUZZ_ARGS         extra libFuzzer flags, e.g. "-max_total_time=600"
#
# Not part of CI (it runs for tens of minutes); scripts/setup.sh does not install cargo-fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${1:-1000000}"
TOOLS="$HOME/.cache/frame-ics/tools"
FUZZ_DIR=pallets/ibc/fuzz
SANITIZER="${FUZZ_SANITIZER:-address}"

log() { echo "[fuzz] $*"; }

if [ ! -x "$TOOLS/bin/cargo-fuzz" ]; then
  log "installing cargo-fuzz into $TOOLS"
  CARGO_TARGET_DIR="$HOME/.cache/frame-ics/target-tools" \
    cargo install --locked cargo-fuzz --root "$TOOLS"
fi
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz.sh: needs a nightly toolchain (rustup toolchain install nightly)" >&2
  exit 1
fi
export PATH="$TOOLS/bin:$PATH"
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/frame-ics/target-fuzz}"
export CARGO_INCREMENTAL=0
export SKIP_WASM_BUILD=1

mkdir -p "$FUZZ_DIR/corpus/deliver"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

log "building and running target deliver for $RUNS executions (sanitizer: $SANITIZER)"
status=0
# shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
cargo +nightly fuzz run --fuzz-dir "$FUZZ_DIR" -s "$SANITIZER" deliver \
  "$FUZZ_DIR/corpus/deliver" "$FUZZ_DIR/seeds/deliver" -- \
  -runs="$RUNS" -print_final_stats=1 ${FUZZ_ARGS:-} 2>&1 | tee "$out" || status=$?

execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$out" | tail -n 1)"
rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out" | tail -n 1)"
if [ "$status" -ne 0 ]; then
  log "FAILED after ${execs:-?} executions (exit $status); see $FUZZ_DIR/artifacts/deliver/"
  exit "$status"
fi
log "done: ${execs:-?} executions, ${rate:-?} exec/s, no finding"
