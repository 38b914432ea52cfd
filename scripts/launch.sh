#!/usr/bin/env bash
# The main job: a provider network, a consumer chain launched from it, and the relayer between
# them, on loopback, with validator-set changes (VSCs) flowing over the CCV channel.
#
# Installs what is missing (scripts/setup.sh), builds frame-ics-node and frame-ics-relayer
# (release; long when cold), then runs e2e/ccv-network.mjs: zombienet/provider.toml (three
# validators), a consumer created by sudo with each validator's consumer key assigned before its
# spawn time, the consumer chain spec built from the provider (`frame-ics-node
# build-consumer-spec`), the consumer network (three validators, consumer keys), the relayer
# (connection, CCV channel, then relaying), until the consumer applies its first VSC. Prints
# every node's RPC endpoint (with a polkadot.js apps link) and runs until Ctrl-C. With
# `--check`, it stops everything once the first VSC is applied.
#
# Environment: CARGO_TARGET_DIR (default $HOME/.cache/frame-ics/target), FRAME_ICS_RUN_DIR
# (zombienet's working directories, node and relayer logs, default /tmp/frame-ics-network).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/frame-ics/target}"
RUN_DIR="${FRAME_ICS_RUN_DIR:-/tmp/frame-ics-network}"

bash scripts/setup.sh

echo "[launch] building frame-ics-node and frame-ics-relayer (release)"
cargo build --release --locked -p frame-ics-node -p frame-ics-relayer
export PATH="$CARGO_TARGET_DIR/release:$ROOT/e2e/node_modules/.bin:$PATH"

rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"
exec node e2e/ccv-network.mjs "$RUN_DIR" "$@"
