//! # ibc-client-grandpa
//!
//! A light client, for ibc-rs 0.57 hosts, of a Substrate chain finalized by GRANDPA that runs
//! pallet-ibc (provable state in its `ibc` child trie, root and time in an `ibc0` header digest).
//!
//! - [`types`]: the tracked chain's block number, hash, header, justification; the weighted
//!   [`types::AuthoritySet`]; bounds.
//! - [`client_state`]: [`ClientState`]: latest finalized block, current authority set,
//!   evidence window, trusting period, frozen height.
//! - [`past_sets`]: the past authority sets a host keeps beside the client state, and the rule
//!   for keeping them.
//! - [`consensus_state`]: [`ConsensusState`]: timestamp and IBC child root of one block, read
//!   from its `ibc0` digest.
//! - [`header`]: [`GrandpaHeader`] and [`header::verify_update`]: GRANDPA finality proof +
//!   ancestry, authority-set changes.
//! - [`proof`]: child-trie membership and non-membership proofs.
//! - [`misbehaviour`]: two finalized blocks at one height; freezes the client.
//! - [`equivocation`]: a single voter's vote equivocation, checked against the current or a
//!   kept past set, as slashing evidence for the CCV provider.
//! - [`error`]: why something was refused.
//! - [`ibc_client`]: the ibc-rs 0.57 client traits over all of the above, `Any` type URLs,
//!   height mapping, pruning, recovery.
//! - [`testing`] (feature `testing`): test-chain, justification and in-memory host builders for
//!   tests and benchmarks.
//!
//! `cargo bench -p ibc-client-grandpa --bench update_client` times a client update against
//! pallet-bridge-grandpa's `submit_finality_proof_ex` for the same justification (10 to 1000
//! authorities; figures in the workspace README).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod client_state;
pub mod consensus_state;
pub mod equivocation;
pub mod error;
pub mod header;
pub mod ibc_client;
pub mod misbehaviour;
pub mod past_sets;
pub mod proof;
#[cfg(feature = "testing")]
pub mod testing;
pub mod types;

#[cfg(test)]
mod tests;

pub use client_state::ClientState;
pub use consensus_state::ConsensusState;
pub use error::Error;
pub use header::GrandpaHeader;
pub use ibc_client::IbcConsensusState;
pub use misbehaviour::Misbehaviour;
