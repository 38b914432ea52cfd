//! # frame-ics-relayer
//!
//! An IBC relayer between frame-ics chains (pallet-ibc hosts with GRANDPA light clients).
//!
//! - [`config`]: the TOML file (chains, paths, loop bounds, metrics address).
//! - [`chain`]: one node over RPC: justifications, child-trie reads and proofs, `deliver`.
//! - [`finality`]: GRANDPA client updates, split at authority-set changes.
//! - [`msgs`]: ICS-24 paths, stored ends, packets rebuilt from `IbcRuntimeApi`.
//! - [`relay`]: one stateless pass from a source to a destination: handshake steps, packets,
//!   acknowledgements, timeouts, with the client updates they need.
//! - [`link`]: both directions of a path, and the `create client|connection|channel` commands.
//! - [`metrics`]: Prometheus counters and gauges, served at `/metrics`.
//!
//! The relayer keeps no state of its own: every pass reads what is pending from both chains,
//! so a relayer killed at any point and started again relays what is missing, and a message
//! another relayer delivered first is a no-op on chain.

pub mod chain;
pub mod config;
pub mod finality;
pub mod link;
pub mod metrics;
pub mod msgs;
pub mod relay;
