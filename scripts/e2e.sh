#!/usr/bin/env bash
# The end-to-end scenarios on real nodes (e2e/scenarios.mjs; zombienet/README.md describes each):
# one launch of a provider network, a consumer launched from it and the relayer, then each
# scenario in turn, all asserting on chain state.
#
# Usage: scripts/e2e.sh [scenario ...]   (default: all)
# Environment: CARGO_TARGET_DIR (default $HOME/.cache/frame-ics/target), FRAME_ICS_E2E_DIR (run
# dir with every node's and the relayer's logs, default /tmp/frame-ics-e2e), FRAME_ICS_RELAYER
# (relayer binary; default the release build), E2E_SKIP_BUILD=1 to use the binaries as built,
# E2E_KEEP_GOING=1 to run the scenarios after a failed one (the suite still fails).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/frame-ics/target}"
RUN_DIR="${FRAME_ICS_E2E_DIR:-/tmp/frame-ics-e2e}"

if [ "${E2E_SKIP_BUILD:-0}" != 1 ]; then
  bash scripts/setup.sh
  cargo build --release --locked -p frame-ics-node -p frame-ics-relayer
fi
export PATH="$CARGO_TARGET_DIR/release:$ROOT/e2e/node_modules/.bin:$PATH"

rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"
exec node e2e/scenarios.mjs "$RUN_DIR" "$@"
