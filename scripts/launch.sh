#!/usr/bin/env bash
# The main job: launch a provider network and a consumer network side by side on loopback.
#
# Installs what is missing (scripts/setup.sh), builds frame-ics-node (release; long when cold),
# then spawns zombienet/provider.toml and zombienet/consumer.toml (three validators each, native
# processes), prints every node's RPC endpoint, and waits until both chains finalize blocks.
# The networks run until Ctrl-C. With `--check`, it stops them once both finalize (a quick proof
# that the network works).
#
# Status: the two chains run independently. The CCV link between them (pallet-ibc on both,
# GRANDPA light clients, the relayer) is the end-to-end issue's work.
#
# Environment: CARGO_TARGET_DIR (default $HOME/.cache/frame-ics/target), FRAME_ICS_RUN_DIR
# (zombienet's working directories and node logs, default /tmp/frame-ics-network).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/frame-ics/target}"
RUN_DIR="${FRAME_ICS_RUN_DIR:-/tmp/frame-ics-network}"
CHECK_ONLY=0
if [ "${1:-}" = "--check" ]; then CHECK_ONLY=1; fi

bash scripts/setup.sh

echo "[launch] building frame-ics-node (release)"
cargo build --release --locked -p frame-ics-node
export PATH="$CARGO_TARGET_DIR/release:$ROOT/e2e/node_modules/.bin:$PATH"

rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"
pids=()
stop() {
  echo "[launch] stopping the networks"
  for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

for net in provider consumer; do
  echo "[launch] spawning the $net network (log: $RUN_DIR/$net.log)"
  zombienet spawn --provider native --dir "$RUN_DIR/$net" "zombienet/$net.toml" \
    >"$RUN_DIR/$net.log" 2>&1 &
  pids+=($!)
done

# zombienet writes zombie.json once all of a network's nodes are up.
deadline=$(( $(date +%s) + 300 ))
for net in provider consumer; do
  until [ -f "$RUN_DIR/$net/zombie.json" ]; do
    if [ "$(date +%s)" -gt "$deadline" ]; then
      echo "[launch] the $net network did not come up within 300 s; its log:" >&2
      tail -n 40 "$RUN_DIR/$net.log" >&2
      exit 1
    fi
    for pid in "${pids[@]}"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "[launch] zombienet exited early; logs in $RUN_DIR:" >&2
        tail -n 40 "$RUN_DIR"/*.log >&2
        exit 1
      fi
    done
    sleep 2
  done
done

node e2e/network-status.mjs "provider=$RUN_DIR/provider" "consumer=$RUN_DIR/consumer"
echo "[launch] node logs: $RUN_DIR/{provider,consumer}/logs/"

if [ "$CHECK_ONLY" = 1 ]; then
  echo "[launch] --check: both networks finalize; stopping them"
  exit 0
fi
echo "[launch] both networks are running; Ctrl-C stops them"
wait
