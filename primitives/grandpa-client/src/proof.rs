//! Membership and non-membership of pallet-ibc's provable state: `sp-trie` read proofs of its
//! `ibc` child trie (keys: raw ICS-24 path bytes; values: raw bytes) against the child root of a
//! consensus state.
//!
//! Wire form: the SCALE encoding of the proof's trie nodes, `Vec<Vec<u8>>`, exactly the `proof`
//! field a node's `state_getChildReadProof` RPC returns (`ReadProof { at, proof }`).

use crate::{error::Error, types::decode_exact};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;
use sp_runtime::traits::BlakeTwo256;
use sp_trie::{LayoutV1, StorageProof};

/// A child-trie read proof: the trie nodes on the paths to the proven keys.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct ChildTrieProof {
	/// The trie nodes, in any order.
	pub nodes: Vec<Vec<u8>>,
}

impl ChildTrieProof {
	/// Decodes a proof from its wire form (SCALE `Vec<Vec<u8>>`).
	pub fn decode_wire(bytes: &[u8]) -> Result<Self, Error> {
		decode_exact(bytes, "storage proof").map(|nodes| Self { nodes })
	}

	/// The proof's wire form.
	pub fn to_wire(&self) -> Vec<u8> {
		self.nodes.encode()
	}

	/// The value the proof shows at `key` under `root`: `Some` if present, `None` if absent.
	/// Fails if the proof lacks the nodes to decide, or does not match `root`.
	pub fn read(&self, root: &[u8; 32], key: &[u8]) -> Result<Option<Vec<u8>>, Error> {
		let db = StorageProof::new(self.nodes.iter().cloned()).into_memory_db::<BlakeTwo256>();
		sp_trie::read_trie_value::<LayoutV1<BlakeTwo256>, _>(
			&db,
			&sp_core::H256(*root),
			key,
			None,
			None,
		)
		.map_err(|_| Error::InvalidProof)
	}
}

/// Checks that `proof` shows `value` at `key` in the child trie with root `root`.
pub fn verify_membership(
	root: &[u8; 32],
	proof: &ChildTrieProof,
	key: &[u8],
	value: &[u8],
) -> Result<(), Error> {
	match proof.read(root, key)? {
		Some(proven) if proven == value => Ok(()),
		Some(_) => Err(Error::ValueMismatch),
		None => Err(Error::ValueAbsent),
	}
}

/// Checks that `proof` shows no value at `key` in the child trie with root `root`.
pub fn verify_non_membership(
	root: &[u8; 32],
	proof: &ChildTrieProof,
	key: &[u8],
) -> Result<(), Error> {
	match proof.read(root, key)? {
		None => Ok(()),
		Some(_) => Err(Error::ValuePresent),
	}
}
