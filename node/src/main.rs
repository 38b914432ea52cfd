//! `frame-ics-node`: one node binary for both frame-ics chains.
//!
//! `--chain` selects the chain (and so the runtime, whose WASM is in the chain spec):
//! `provider-dev`, `provider-local`, `consumer-dev`, `consumer-local`, or a chain-spec JSON path.
//! The node runs the runtime through the WASM executor only; Aura (ed25519) authors blocks,
//! GRANDPA finalizes them; the database is ParityDb (RocksDB is not compiled in).
//! `build-consumer-spec` builds a launched consumer chain's spec from a live provider.

// `sc_cli::Error` and `sc_service::Error` are upstream types of 100+ bytes that every command
// and service function must return.
#![allow(clippy::result_large_err, reason = "sc-cli/sc-service error types are upstream's")]

mod chain_spec;
mod cli;
mod command;
mod consumer_spec;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
