//! Placeholder weights, NOT BENCHMARKED: upper-bound guesses until `frame-benchmarking`
//! benchmarks per message kind replace them.
//!
//! A `deliver` message's cost grows with its size: a GRANDPA client update verifies one ed25519
//! signature per precommit of its justification (a signed precommit is about
//! [`SIGNED_PRECOMMIT_LEN`] bytes) and hashes every ancestry header, and proofs hash every trie
//! node they carry. Charging [`DELIVER_PER_BYTE`] for every byte of a message covers one
//! signature verification per precommit-sized slice of it, whatever the message holds.

use crate::types::RawAny;
use frame_support::weights::Weight;

/// Fixed cost of one `deliver` message: decoding, dispatch, the storage reads and writes of a
/// handshake step or packet (ref time, picoseconds).
pub const DELIVER_BASE_REF_TIME: u64 = 200_000_000;

/// Fixed proof size of one `deliver` message: the storage it reads (bytes).
pub const DELIVER_BASE_PROOF_SIZE: u64 = 65_536;

/// Encoded size of one signed GRANDPA precommit: target hash, target number, signature,
/// authority id.
pub const SIGNED_PRECOMMIT_LEN: u64 = 32 + 4 + 64 + 32;

/// Ref time of one ed25519 signature verification, with margin (picoseconds).
pub const ED25519_VERIFY_REF_TIME: u64 = 60_000_000;

/// Ref time charged per byte of a message: one ed25519 verification per signed precommit's
/// worth of bytes (which also covers hashing headers and trie nodes).
pub const DELIVER_PER_BYTE: u64 = ED25519_VERIFY_REF_TIME / SIGNED_PRECOMMIT_LEN + 1;

/// Weight of `deliver(messages)`: per message the fixed cost plus [`DELIVER_PER_BYTE`] per byte
/// of its type URL and value.
pub fn deliver(messages: &[RawAny]) -> Weight {
	messages.iter().fold(Weight::zero(), |total, message| {
		let len = (message.type_url.len() as u64).saturating_add(message.value.len() as u64);
		total.saturating_add(Weight::from_parts(
			DELIVER_BASE_REF_TIME.saturating_add(DELIVER_PER_BYTE.saturating_mul(len)),
			DELIVER_BASE_PROOF_SIZE,
		))
	})
}
