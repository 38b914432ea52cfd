#!/usr/bin/env bash
# The test command: installs what is missing (scripts/setup.sh), then formats-checks, lints,
# builds and tests the workspace, proves the no_std WASM build of ccv-primitives, builds the node
# (release, with both runtimes' WASM) and the relayer, and runs the network tests: the node
# smoke test (e2e/smoke.mjs), one zombienet test per network (zombienet/*.zndsl), the relayer's
# test against real nodes (relayer/tests/nodes.rs) and the end-to-end launch and key rotation
# (scripts/e2e.sh).
# Prints the wall time of each phase.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/frame-ics/target}"
# Pallet unit tests need no runtime WASM; runtime and e2e suites will opt in when they land.
export SKIP_WASM_BUILD=1
# Incremental caches only help edit-compile loops; in CI's fresh clones they only fill the disk
# (tens of GB over a few runs). Only workspace crates are ever incremental, so this does not
# invalidate the cached dependencies.
export CARGO_INCREMENTAL=0
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

phase_start=$(date +%s)
declare -a TIMES=()
phase() {
  local now
  now=$(date +%s)
  TIMES+=("$1: $((now - phase_start))s")
  echo "[test] $1 took $((now - phase_start))s"
  phase_start=$now
}

bash scripts/setup.sh
phase setup

cargo fmt --all --check
# The node is built below in release (it embeds both runtimes' WASM); a debug build of it on top
# would double the cold build cost for nothing. pallet-ibc-rpc is node-side (sc-client-api and
# the executor under it): it is built and tested in release with the node.
EXCLUDE=(--exclude frame-ics-node --exclude pallet-ibc-rpc)
cargo clippy --workspace "${EXCLUDE[@]}" --all-targets --locked -- -D warnings
phase lint

cargo build --workspace "${EXCLUDE[@]}" --tests --locked
# no_std proof: ccv-primitives and the GRANDPA client build for the runtime's wasm32v1-none target with Debian's
# rustc-web and the sysroot setup.sh installed (DESIGN.md §6).
cargo +debian-web build --target wasm32v1-none -p ccv-primitives --no-default-features --locked
cargo +debian-web build --target wasm32v1-none -p ibc-client-grandpa --no-default-features --locked
phase build

# Alone, ccv-primitives gets serde_json without the `arbitrary_precision` feature that the
# workspace build unifies in (through sp-genesis-builder): its JSON reader must work both ways.
cargo nextest run -p ccv-primitives --locked --no-fail-fast
cargo nextest run --workspace "${EXCLUDE[@]}" --locked --no-fail-fast
phase test

# The node, with the runtimes' WASM (SKIP_WASM_BUILD off for this build only; the release
# profile's artifacts are never built with it on, so the cache stays valid).
env -u SKIP_WASM_BUILD cargo build --release --locked -p frame-ics-node -p frame-ics-relayer
env -u SKIP_WASM_BUILD cargo test --release --locked -p frame-ics-node -p pallet-ibc-rpc
phase node

# Network tests against the binary just built.
export PATH="$CARGO_TARGET_DIR/release:$(pwd)/e2e/node_modules/.bin:$PATH"
node e2e/smoke.mjs
for net in provider consumer; do
  ZOMBIE_LOGS=$(mktemp -d)
  if ! zombienet test --provider native "zombienet/$net.zndsl" >"$ZOMBIE_LOGS/zombienet.log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$ZOMBIE_LOGS/zombienet.log" | tail -n 60
    echo "[test] zombienet/$net.zndsl failed; full log: $ZOMBIE_LOGS/zombienet.log" >&2
    exit 1
  fi
  sed 's/\x1b\[[0-9;]*m//g' "$ZOMBIE_LOGS/zombienet.log" | grep -aE "(✅|❌)|Result:" | cut -c1-110
done
phase network

# The relayer against real dev nodes (the release node built above, one provider-dev and one
# consumer-dev): clients, connection and ICS-20 channel handshakes, a transfer each way, a
# timeout, and kill -9 / restart of the relayer mid-stream with exactly-once delivery, all
# checked on chain state (relayer/tests/nodes.rs; node and relayer logs under $TMPDIR).
cargo nextest run -p frame-ics-relayer --test nodes --run-ignored only --locked --no-fail-fast
phase relayer

# End to end (scripts/e2e.sh; zombienet/README.md), every scenario on one network: the provider
# network, a consumer launched from it with its chain spec built from the provider, the relayer
# opening the CCV channel, the first VSC applied; then a consumer key rotation, a new validator,
# downtime (jail) and rejoin, equivocation (slash + tombstone), ICS-20 transfers across a relayer
# kill and restart, rewards paid to validators and a nominator, a second consumer, and the first
# consumer's removal.
E2E_SKIP_BUILD=1 bash scripts/e2e.sh
phase e2e

echo "[test] wall times: ${TIMES[*]}"
