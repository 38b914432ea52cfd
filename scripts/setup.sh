#!/usr/bin/env bash
# Idempotent installer for a fresh machine: everything frame-ics needs to build and test.
#
# Steps (each prints what it does, skips what is present, and names itself on failure):
#   apt        Debian's Rust for WASM (rustc-web, cargo-web, rust-web-src, lld-22),
#              clang/libclang and protoc for the node's native dependencies
#   toolchain  `rustup toolchain link debian-web /usr`
#   sysroot    core + alloc for wasm32v1-none, built once from rust-web-src (DESIGN.md §6)
#   nextest    cargo-nextest for the test runner
#   node       Node.js + npm (Debian's, if the machine has none)
#   e2e        the network-test tools pinned in e2e/package-lock.json: zombienet (@zombienet/cli)
#              and @polkadot/api, installed with `npm ci` into e2e/node_modules
set -euo pipefail

STEP=init
trap 'echo "setup.sh: step \"$STEP\" failed (line $LINENO); see the output above" >&2' ERR

log() { echo "[setup] $*"; }
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# ---------------------------------------------------------------------------
STEP=apt
APT_PACKAGES=(rustc-web cargo-web rust-web-src lld-22 clang libclang-dev protobuf-compiler)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
else
  log "Debian packages present: ${APT_PACKAGES[*]}"
fi

# ---------------------------------------------------------------------------
STEP=toolchain
if ! command -v rustup >/dev/null; then
  echo "setup.sh: rustup not found; this machine kind ships Rust through rustup" >&2
  exit 1
fi
if rustup toolchain list | grep -q '^debian-web'; then
  log "rustup toolchain debian-web present"
else
  log "linking Debian's rustc-web as rustup toolchain debian-web"
  rustup toolchain link debian-web /usr
fi

# ---------------------------------------------------------------------------
STEP=sysroot
SYSROOT_LIB=/usr/lib/rustlib/wasm32v1-none/lib
if ls "$SYSROOT_LIB"/libcore-*.rlib >/dev/null 2>&1 && ls "$SYSROOT_LIB"/liballoc-*.rlib >/dev/null 2>&1; then
  log "wasm32v1-none sysroot present in $SYSROOT_LIB"
else
  log "building the wasm32v1-none sysroot (core, alloc) from rust-web-src"
  scratch=$(mktemp -d)
  mkdir -p "$scratch/src"
  cat >"$scratch/Cargo.toml" <<'TOML'
[package]
name = "wasm-sysroot"
version = "0.0.0"
edition = "2021"

[lib]
path = "src/lib.rs"

[profile.release]
panic = "abort"

[profile.dev]
panic = "abort"
TOML
  printf '#![no_std]\nextern crate alloc;\n' >"$scratch/src/lib.rs"
  (
    cd "$scratch"
    # Bitcode must be embedded: the runtime build uses LTO ("Can't find section .llvmbc").
    RUSTFLAGS="-C embed-bitcode=yes" RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$scratch/target" \
      cargo +debian-web build --release --target wasm32v1-none -Zbuild-std=core,alloc
  )
  $SUDO mkdir -p "$SYSROOT_LIB"
  $SUDO cp "$scratch"/target/wasm32v1-none/release/deps/lib{core,alloc,compiler_builtins}-*.rlib "$SYSROOT_LIB"/
  rm -rf "$scratch"
  # Old runtime WASM artifacts do not link against a new sysroot.
  rm -rf "${CARGO_TARGET_DIR:-$HOME/.cache/frame-ics/target}"/*/wbuild 2>/dev/null || true
  log "installed wasm32v1-none sysroot into $SYSROOT_LIB"
fi

# ---------------------------------------------------------------------------
STEP=nextest
if cargo nextest --version >/dev/null 2>&1; then
  log "cargo-nextest present"
else
  log "installing cargo-nextest from crates.io"
  cargo install --locked cargo-nextest
fi

# ---------------------------------------------------------------------------
STEP=node
if command -v node >/dev/null && command -v npm >/dev/null; then
  log "Node.js present: $(node --version), npm $(npm --version)"
else
  log "installing Debian's nodejs and npm"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q nodejs npm
fi

# ---------------------------------------------------------------------------
STEP=e2e
# Reinstall whenever the lock file changes; the stamp records the lock file it was made from.
E2E_DIR="$(cd "$(dirname "$0")/.." && pwd)/e2e"
E2E_STAMP="$E2E_DIR/node_modules/.frame-ics-lock.sha256"
lock_sum=$(sha256sum "$E2E_DIR/package-lock.json" | cut -d' ' -f1)
if [ -f "$E2E_STAMP" ] && [ "$(cat "$E2E_STAMP")" = "$lock_sum" ]; then
  log "e2e tools present (zombienet, @polkadot/api)"
else
  log "installing e2e tools from e2e/package-lock.json (zombienet, @polkadot/api)"
  # @zombienet/utils names `toml` as a GitHub dependency; package.json overrides it with the
  # same package from the npm registry, the only registry this machine kind reaches.
  (cd "$E2E_DIR" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >"$E2E_STAMP"
fi

STEP=done
log "setup complete"
