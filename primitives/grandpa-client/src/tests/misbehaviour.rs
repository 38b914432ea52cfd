//! Misbehaviour: two justified blocks at one height freeze the client; nothing less does.

use super::*;
use crate::{
	error::{Error, JustificationError},
	header::verify_update,
	misbehaviour::{verify_misbehaviour, FinalityProof, Misbehaviour},
};

const SUPERMAJORITY: [Key; 3] = [Key::Alice, Key::Bob, Key::Charlie];

/// Two different blocks 3 on forks of one chain, each justified by `signers` in set `set_id`.
fn conflicting_blocks(set_id: SetId, signers: &[Key]) -> Misbehaviour {
	let mut chain = TestChain::new();
	chain.extend(2);
	let first = child_with_root(chain.header(2), [0xaa; 32], vec![]);
	let second = child_with_root(chain.header(2), [0xbb; 32], vec![]);
	Misbehaviour {
		first: FinalityProof {
			set_id,
			justification: justify(&first, set_id, 7, signers),
			header: first,
		},
		second: FinalityProof {
			set_id,
			justification: justify(&second, set_id, 8, signers),
			header: second,
		},
	}
}

#[test]
fn conflicting_finalized_blocks_freeze_the_client() {
	let (mut client, latest) = genesis_client(&FOUR);
	let misbehaviour = conflicting_blocks(0, &SUPERMAJORITY);
	let height = verify_misbehaviour(&client, &misbehaviour, no_past_set).unwrap();
	assert_eq!(height, 3);
	client.freeze(height);
	assert!(client.is_frozen());

	// A frozen client rejects updates and further misbehaviour.
	let mut chain = TestChain::new();
	chain.extend(2);
	let update = chain.update(0, 2, 0, &SUPERMAJORITY);
	assert_eq!(
		verify_update(&client, &latest, &update, GENESIS_NS + SECOND_NS).map(|_| ()),
		Err(Error::Frozen { height: 3 })
	);
	assert_eq!(
		verify_misbehaviour(&client, &misbehaviour, no_past_set),
		Err(Error::Frozen { height: 3 })
	);
}

#[test]
fn node_justifications_with_redundant_votes_are_accepted_as_evidence() {
	let (client, _) = genesis_client(&FOUR);
	let all = [Key::Alice, Key::Bob, Key::Charlie, Key::Dave];
	assert_eq!(verify_misbehaviour(&client, &conflicting_blocks(0, &all), no_past_set), Ok(3));
}

#[test]
fn same_block_twice_is_not_misbehaviour() {
	let (client, _) = genesis_client(&FOUR);
	let mut misbehaviour = conflicting_blocks(0, &SUPERMAJORITY);
	misbehaviour.second = misbehaviour.first.clone();
	assert_eq!(
		verify_misbehaviour(&client, &misbehaviour, no_past_set),
		Err(Error::NotConflicting)
	);
}

#[test]
fn blocks_at_different_heights_are_not_misbehaviour() {
	let (client, _) = genesis_client(&FOUR);
	let mut misbehaviour = conflicting_blocks(0, &SUPERMAJORITY);
	let parent = misbehaviour.second.header.clone();
	let child = child_of(&parent, vec![]);
	misbehaviour.second.justification = justify(&child, 0, 9, &SUPERMAJORITY);
	misbehaviour.second.header = child;
	assert_eq!(
		verify_misbehaviour(&client, &misbehaviour, no_past_set),
		Err(Error::NotConflicting)
	);
}

#[test]
fn under_signed_side_is_not_misbehaviour() {
	let (client, _) = genesis_client(&FOUR);
	let mut misbehaviour = conflicting_blocks(0, &SUPERMAJORITY);
	let header = &misbehaviour.second.header;
	misbehaviour.second.justification = justify(header, 0, 8, &[Key::Alice, Key::Eve]);
	assert_eq!(
		verify_misbehaviour(&client, &misbehaviour, no_past_set),
		Err(Error::Justification(JustificationError::InsufficientWeight))
	);
	// Votes signed under another set id do not count either.
	let mut misbehaviour = conflicting_blocks(0, &SUPERMAJORITY);
	misbehaviour.first.justification = justify(&misbehaviour.first.header, 1, 7, &SUPERMAJORITY);
	assert_eq!(
		verify_misbehaviour(&client, &misbehaviour, no_past_set),
		Err(Error::Justification(JustificationError::InsufficientWeight))
	);
}

#[test]
fn misbehaviour_of_an_unknown_set_is_rejected() {
	let (client, _) = genesis_client(&FOUR);
	let misbehaviour = conflicting_blocks(3, &SUPERMAJORITY);
	assert_eq!(
		verify_misbehaviour(&client, &misbehaviour, no_past_set),
		Err(Error::UnknownAuthoritySet { set_id: 3 })
	);
}

#[test]
fn misbehaviour_of_a_past_set_is_accepted() {
	let (client, latest) = genesis_client(&FOUR);
	let mut chain = TestChain::new();
	chain.push(vec![scheduled_change(&[(Key::Eve, 1)], 0)]);
	let update = chain.update(0, 1, 0, &SUPERMAJORITY);
	let verified = verify_update(&client, &latest, &update, GENESIS_NS + SECOND_NS).unwrap();
	let (client, replaced) = (verified.client_state, verified.replaced_set);
	assert_eq!(client.authority_set.set_id, 1);
	let past = |id| replaced.clone().filter(|set: &AuthoritySet| set.set_id == id);
	assert_eq!(verify_misbehaviour(&client, &conflicting_blocks(0, &SUPERMAJORITY), past), Ok(3));
	assert_eq!(verify_misbehaviour(&client, &conflicting_blocks(1, &[Key::Eve]), past), Ok(3));
	// Without the host's past set, set 0 is unknown.
	assert_eq!(
		verify_misbehaviour(&client, &conflicting_blocks(0, &SUPERMAJORITY), no_past_set),
		Err(Error::UnknownAuthoritySet { set_id: 0 })
	);
}
