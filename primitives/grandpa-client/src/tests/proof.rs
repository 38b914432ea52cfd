//! Child-trie membership and non-membership proofs, built by sp-state-machine over a real `ibc`
//! child trie as pallet-ibc writes it (raw path keys, raw values, state version 1).

use crate::{
	error::Error,
	proof::{verify_membership, verify_non_membership, ChildTrieProof},
};
use sp_core::storage::{ChildInfo, StateVersion};

const PACKET: &[u8] = b"commitments/ports/consumer/channels/channel-0/sequences/1";
const ABSENT: &[u8] = b"commitments/ports/consumer/channels/channel-0/sequences/2";
const CONNECTION: &[u8] = b"connections/connection-0";
const COMMITMENT: [u8; 32] = [0xc0; 32];

/// A long value, stored as a separate (hashed) trie node under state version 1.
fn connection_end() -> Vec<u8> {
	(0..120u8).collect()
}

/// Builds the `ibc` child trie with our entries plus filler, returns its root and a proof of
/// `keys` as `state_getChildReadProof` makes it (child-trie nodes plus the top-trie nodes
/// leading to the child root, which verification ignores).
fn child_trie_and_proof(keys: &[&[u8]]) -> ([u8; 32], ChildTrieProof) {
	let (root, proof, _) = child_trie_proof_and_top_nodes(keys);
	(root, proof)
}

/// As [`child_trie_and_proof`], also returning the proof's top-trie nodes.
fn child_trie_proof_and_top_nodes(keys: &[&[u8]]) -> ([u8; 32], ChildTrieProof, Vec<Vec<u8>>) {
	let child = ChildInfo::new_default(b"ibc");
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| {
		sp_io::default_child_storage::set(b"ibc", PACKET, &COMMITMENT);
		sp_io::default_child_storage::set(b"ibc", CONNECTION, &connection_end());
		for seq in 3..60u32 {
			let key = format!("commitments/ports/consumer/channels/channel-0/sequences/{seq}");
			sp_io::default_child_storage::set(b"ibc", key.as_bytes(), &seq.to_be_bytes());
		}
	});
	ext.commit_all().unwrap();
	let root = ext.execute_with(|| sp_io::default_child_storage::root(b"ibc", StateVersion::V1));
	let root: [u8; 32] = root.try_into().unwrap();
	let proof =
		sp_state_machine::prove_child_read(ext.as_backend(), &child, keys.iter().copied()).unwrap();
	let top =
		sp_state_machine::prove_read(ext.as_backend(), [child.prefixed_storage_key().into_inner()])
			.unwrap();
	(
		root,
		ChildTrieProof { nodes: proof.into_iter_nodes().collect() },
		top.into_iter_nodes().collect(),
	)
}

#[test]
fn membership_proof_verifies() {
	let (root, proof) = child_trie_and_proof(&[PACKET, CONNECTION]);
	// Through the wire form a relayer submits.
	let proof = ChildTrieProof::decode_wire(&proof.to_wire()).unwrap();
	assert_eq!(verify_membership(&root, &proof, PACKET, &COMMITMENT), Ok(()));
	assert_eq!(verify_membership(&root, &proof, CONNECTION, &connection_end()), Ok(()));
}

#[test]
fn membership_proof_with_wrong_value_fails() {
	let (root, proof) = child_trie_and_proof(&[PACKET]);
	assert_eq!(verify_membership(&root, &proof, PACKET, &[0xc1; 32]), Err(Error::ValueMismatch));
	assert_eq!(verify_membership(&root, &proof, PACKET, &[]), Err(Error::ValueMismatch));
}

#[test]
fn membership_proof_against_wrong_root_fails() {
	let (root, proof) = child_trie_and_proof(&[PACKET]);
	let mut wrong = root;
	wrong[0] ^= 1;
	assert_eq!(verify_membership(&wrong, &proof, PACKET, &COMMITMENT), Err(Error::InvalidProof));
	assert_eq!(verify_non_membership(&wrong, &proof, ABSENT), Err(Error::InvalidProof));
}

#[test]
fn truncated_proofs_fail() {
	let (root, proof, top_nodes) = child_trie_proof_and_top_nodes(&[PACKET, ABSENT, CONNECTION]);
	let child_nodes: Vec<_> = proof.nodes.iter().filter(|n| !top_nodes.contains(n)).collect();
	assert!(child_nodes.len() > 2, "the filler makes a multi-node child proof");
	for dropped in child_nodes {
		let mut truncated = proof.clone();
		truncated.nodes.retain(|n| n != dropped);
		assert_eq!(
			verify_membership(&root, &truncated, PACKET, &COMMITMENT)
				.and(verify_membership(&root, &truncated, CONNECTION, &connection_end()))
				.and(verify_non_membership(&root, &truncated, ABSENT)),
			Err(Error::InvalidProof),
			"node {dropped:?} dropped"
		);
	}
	// No nodes at all, and a wire form cut short.
	let empty = ChildTrieProof { nodes: vec![] };
	assert_eq!(verify_membership(&root, &empty, PACKET, &COMMITMENT), Err(Error::InvalidProof));
	let wire = proof.to_wire();
	assert!(ChildTrieProof::decode_wire(&wire[..wire.len() - 1]).is_err());
}

#[test]
fn non_membership_proof_verifies() {
	let (root, proof) = child_trie_and_proof(&[ABSENT]);
	assert_eq!(verify_non_membership(&root, &proof, ABSENT), Ok(()));
	// A membership claim for the absent key fails on the same proof.
	assert_eq!(verify_membership(&root, &proof, ABSENT, &COMMITMENT), Err(Error::ValueAbsent));
}

#[test]
fn non_membership_of_a_present_key_fails() {
	let (root, proof) = child_trie_and_proof(&[PACKET]);
	assert_eq!(verify_non_membership(&root, &proof, PACKET), Err(Error::ValuePresent));
}
