//! Client updates: justification, ancestry, authority-set changes, trusting period, replay.

use super::*;
use crate::{
	error::{Error, JustificationError},
	header::verify_update,
};

/// "Now" shortly after block `number` of the test chain.
fn now_after(number: BlockNumber) -> u64 {
	GENESIS_NS + u64::from(number) * BLOCK_NS + SECOND_NS
}

fn justification_error(e: JustificationError) -> Result<(), Error> {
	Err(Error::Justification(e))
}

#[test]
fn valid_update_from_genesis_then_from_a_known_block() {
	let (client, latest) = genesis_client(&FOUR);
	let mut chain = TestChain::new();
	chain.extend(5);
	let update = chain.update(0, 5, 0, &[Key::Alice, Key::Bob, Key::Charlie]);
	let verified = verify_update(&client, &latest, &update, now_after(5)).unwrap();
	assert_eq!(verified.client_state.latest_height, 5);
	assert_eq!(verified.client_state.latest_hash, Some(chain.header(5).hash()));
	assert_eq!(verified.client_state.authority_set, client.authority_set);
	assert_eq!(
		verified.consensus_state,
		ConsensusState { timestamp_ns: GENESIS_NS + 5 * BLOCK_NS, ibc_root: ibc_root_of(5) }
	);

	// The next update links to block 5 by hash; an empty ancestry for the direct child.
	chain.extend(3);
	let client = verified.client_state;
	let latest = verified.consensus_state;
	let update = chain.update(5, 8, 0, &[Key::Bob, Key::Charlie, Key::Dave]);
	let verified = verify_update(&client, &latest, &update, now_after(8)).unwrap();
	assert_eq!(verified.client_state.latest_height, 8);
	chain.extend(1);
	let update = chain.update(8, 9, 0, &[Key::Bob, Key::Charlie, Key::Dave]);
	assert!(update.ancestry.is_empty());
	let next = &verified.client_state;
	assert!(verify_update(next, &verified.consensus_state, &update, now_after(9)).is_ok());
}

#[test]
fn insufficient_signatures_are_rejected() {
	let (client, latest) = genesis_client(&FOUR);
	let mut chain = TestChain::new();
	chain.extend(3);
	// Two of four equal weights is below the supermajority (three).
	let update = chain.update(0, 3, 0, &[Key::Alice, Key::Bob]);
	assert_eq!(
		verify_update(&client, &latest, &update, now_after(3)).map(|_| ()),
		justification_error(JustificationError::InsufficientWeight)
	);
	let update = chain.update::<Key>(0, 3, 0, &[]);
	assert_eq!(
		verify_update(&client, &latest, &update, now_after(3)).map(|_| ()),
		justification_error(JustificationError::InsufficientWeight)
	);
}

#[test]
fn authorities_count_by_weight() {
	let keys = [(Key::Alice, 10), (Key::Bob, 1), (Key::Charlie, 1), (Key::Dave, 1)];
	let (client, latest) = genesis_client(&keys);
	let mut chain = TestChain::new();
	chain.extend(2);
	// Alice alone holds 10 of 13: above the threshold (13 - 12/3 = 9).
	let update = chain.update(0, 2, 0, &[Key::Alice]);
	assert!(verify_update(&client, &latest, &update, now_after(2)).is_ok());
	// Three of the four authorities, but only 3 of 13 by weight.
	let update = chain.update(0, 2, 0, &[Key::Bob, Key::Charlie, Key::Dave]);
	assert_eq!(
		verify_update(&client, &latest, &update, now_after(2)).map(|_| ()),
		justification_error(JustificationError::InsufficientWeight)
	);
}

#[test]
fn signature_by_a_non_authority_is_rejected() {
	let (client, latest) = genesis_client(&FOUR);
	let mut chain = TestChain::new();
	chain.extend(2);
	let update = chain.update(0, 2, 0, &[Key::Alice, Key::Bob, Key::Eve]);
	assert_eq!(
		verify_update(&client, &latest, &update, now_after(2)).map(|_| ()),
		justification_error(JustificationError::UnknownAuthority)
	);
}

#[test]
fn signatures_under_the_wrong_set_id_are_rejected() {
	let (client, latest) = genesis_client(&FOUR);
	let mut chain = TestChain::new();
	chain.extend(2);
	let update = chain.update(0, 2, 1, &[Key::Alice, Key::Bob, Key::Charlie]);
	assert_eq!(
		verify_update(&client, &latest, &update, now_after(2)).map(|_| ()),
		justification_error(JustificationError::InvalidSignature)
	);
}

#[test]
fn justification_of_another_block_is_rejected() {
	let (client, latest) = genesis_client(&FOUR);
	let mut chain = TestChain::new();
	chain.extend(3);
	let mut update = chain.update(0, 3, 0, &[Key::Alice, Key::Bob, Key::Charlie]);
	update.justification = justify(chain.header(2), 0, 1, &[Key::Alice, Key::Bob, Key::Charlie]);
	assert_eq!(
		verify_update(&client, &latest, &update, now_after(3)).map(|_| ()),
		justification_error(JustificationError::WrongTarget)
	);
}

#[test]
fn node_justifications_verify_once_optimized() {
	let (client, latest) = genesis_client(&FOUR);
	let mut chain = TestChain::new();
	chain.extend(2);
	// A node keeps every precommit it saw: the fourth is redundant for strict verification.
	let mut update = chain.update(0, 2, 0, &[Key::Alice, Key::Bob, Key::Charlie, Key::Dave]);
	assert_eq!(
		verify_update(&client, &latest, &update, now_after(2)).map(|_| ()),
		justification_error(JustificationError::RedundantVote)
	);
	// What a relayer does before submitting.
	let context = client.authority_set.verification_context().unwrap();
	let target = (update.target.hash(), update.target.number);
	bp_header_chain::justification::verify_and_optimize_justification(
		target,
		&context,
		&mut update.justification,
	)
	.unwrap();
	assert_eq!(update.justification.commit.precommits.len(), 3);
	assert!(verify_update(&client, &latest, &update, now_after(2)).is_ok());
}

#[test]
fn scheduled_change_is_enacted_by_its_header() {
	let (client, latest) = genesis_client(&FOUR);
	let next = [(Key::Eve, 1), (Key::Ferdie, 1)];
	let mut chain = TestChain::new();
	chain.extend(2).push(vec![scheduled_change(&next, 0)]).extend(2);

	// Block 3 enacts the change and is finalized by the old set.
	let update = chain.update(0, 3, 0, &[Key::Alice, Key::Bob, Key::Charlie]);
	let verified = verify_update(&client, &latest, &update, now_after(3)).unwrap();
	let client = verified.client_state;
	assert_eq!(client.authority_set, authority_set(1, &next));
	assert_eq!(verified.replaced_set, Some(authority_set(0, &FOUR)));
	let latest = verified.consensus_state;

	// From then on only the new set, under set id 1, finalizes.
	let update = chain.update(3, 5, 0, &[Key::Alice, Key::Bob, Key::Charlie]);
	assert_eq!(
		verify_update(&client, &latest, &update, now_after(5)).map(|_| ()),
		justification_error(JustificationError::UnknownAuthority)
	);
	let update = chain.update(3, 5, 1, &[Key::Eve, Key::Ferdie]);
	let verified = verify_update(&client, &latest, &update, now_after(5)).unwrap();
	assert_eq!(verified.client_state.authority_set.set_id, 1);
	assert_eq!(verified.client_state.latest_height, 5);
}

#[test]
fn skipping_a_set_change_header_is_rejected() {
	let (client, latest) = genesis_client(&FOUR);
	let next = [(Key::Eve, 1), (Key::Ferdie, 1)];
	let mut chain = TestChain::new();
	chain.extend(2).push(vec![scheduled_change(&next, 0)]).extend(2);
	for (set_id, signers) in
		[(0, &[Key::Alice, Key::Bob, Key::Charlie][..]), (1, &[Key::Eve, Key::Ferdie][..])]
	{
		let update = chain.update(0, 5, set_id, signers);
		assert_eq!(
			verify_update(&client, &latest, &update, now_after(5)).map(|_| ()),
			Err(Error::SkippedAuthoritySetChange { number: 3 })
		);
	}
}

#[test]
fn forced_and_delayed_changes_are_rejected() {
	let (client, latest) = genesis_client(&FOUR);
	let next = [(Key::Eve, 1)];
	let signers = [Key::Alice, Key::Bob, Key::Charlie];
	for (item, error) in [
		(forced_change(&next), Error::ForcedAuthoritySetChange { number: 2 }),
		(scheduled_change(&next, 5), Error::DelayedAuthoritySetChange { number: 2 }),
	] {
		// As the target and inside the ancestry.
		let mut chain = TestChain::new();
		chain.extend(1).push(vec![item]).extend(1);
		let update = chain.update(0, 2, 0, &signers);
		assert_eq!(
			verify_update(&client, &latest, &update, now_after(2)).map(|_| ()),
			Err(error.clone())
		);
		let update = chain.update(0, 3, 0, &signers);
		let expected = match error {
			Error::ForcedAuthoritySetChange { .. } => error,
			_ => Error::SkippedAuthoritySetChange { number: 2 },
		};
		assert_eq!(
			verify_update(&client, &latest, &update, now_after(3)).map(|_| ()),
			Err(expected)
		);
	}
}

#[test]
fn change_to_an_invalid_set_is_rejected() {
	let (client, latest) = genesis_client(&FOUR);
	let signers = [Key::Alice, Key::Bob, Key::Charlie];
	for next in [&[][..], &[(Key::Eve, 0)][..], &[(Key::Eve, 1), (Key::Eve, 2)][..]] {
		let mut chain = TestChain::new();
		chain.extend(1).push(vec![scheduled_change(next, 0)]);
		let update = chain.update(0, 2, 0, &signers);
		assert_eq!(
			verify_update(&client, &latest, &update, now_after(2)).map(|_| ()),
			Err(Error::InvalidAuthoritySet)
		);
	}
}

#[test]
fn forged_ancestry_is_rejected() {
	let (client, latest) = genesis_client(&FOUR);
	let signers = [Key::Alice, Key::Bob, Key::Charlie];
	let mut chain = TestChain::new();
	chain.extend(5);

	// An ancestry header swapped for another block 3: block 4 no longer extends it.
	let mut update = chain.update(0, 5, 0, &signers);
	update.ancestry[2] = child_with_root(chain.header(2), [0xee; 32], vec![]);
	assert_eq!(
		verify_update(&client, &latest, &update, now_after(5)).map(|_| ()),
		Err(Error::BrokenAncestry { number: 4 })
	);
	// A missing header.
	let mut update = chain.update(0, 5, 0, &signers);
	update.ancestry.remove(1);
	assert_eq!(
		verify_update(&client, &latest, &update, now_after(5)).map(|_| ()),
		Err(Error::IncompleteAncestry { expected: 4, given: 3 })
	);
	// Headers out of order.
	let mut update = chain.update(0, 5, 0, &signers);
	update.ancestry.swap(0, 1);
	assert_eq!(
		verify_update(&client, &latest, &update, now_after(5)).map(|_| ()),
		Err(Error::BrokenAncestry { number: 2 })
	);

	// Once the client knows block 5, a justified fork that does not descend from it is refused.
	let verified =
		verify_update(&client, &latest, &chain.update(0, 5, 0, &signers), now_after(5)).unwrap();
	let fork_6 = child_with_root(chain.header(4), [0xee; 32], vec![]);
	let fork_6 = SubstrateHeader { number: 6, ..fork_6 };
	let update = GrandpaHeader {
		justification: justify(&fork_6, 0, 1, &signers),
		target: fork_6,
		ancestry: vec![],
	};
	assert_eq!(
		verify_update(&verified.client_state, &verified.consensus_state, &update, now_after(6))
			.map(|_| ()),
		Err(Error::BrokenAncestry { number: 6 })
	);
}

#[test]
fn overlong_ancestry_is_rejected() {
	let (client, latest) = genesis_client(&FOUR);
	let mut chain = TestChain::new();
	let len = crate::types::MAX_ANCESTRY_HEADERS as usize + 2;
	chain.extend(len);
	let update = chain.update(0, len as BlockNumber, 0, &[Key::Alice, Key::Bob, Key::Charlie]);
	assert_eq!(
		verify_update(&client, &latest, &update, now_after(1)).map(|_| ()),
		Err(Error::AncestryTooLong)
	);
}

#[test]
fn expired_client_rejects_updates() {
	let (client, latest) = genesis_client(&FOUR);
	let mut chain = TestChain::new();
	chain.extend(2);
	let update = chain.update(0, 2, 0, &[Key::Alice, Key::Bob, Key::Charlie]);
	let expiry = latest.timestamp_ns + TRUSTING_PERIOD_NS;
	assert!(verify_update(&client, &latest, &update, expiry - 1).is_ok());
	assert_eq!(verify_update(&client, &latest, &update, expiry).map(|_| ()), Err(Error::Expired));
}

#[test]
fn replayed_and_older_headers_are_rejected() {
	let (client, latest) = genesis_client(&FOUR);
	let signers = [Key::Alice, Key::Bob, Key::Charlie];
	let mut chain = TestChain::new();
	chain.extend(5);
	let update = chain.update(0, 5, 0, &signers);
	let verified = verify_update(&client, &latest, &update, now_after(5)).unwrap();
	let (client, latest) = (verified.client_state, verified.consensus_state);
	assert_eq!(
		verify_update(&client, &latest, &update, now_after(5)).map(|_| ()),
		Err(Error::NotNewer { latest: 5, target: 5 })
	);
	let older = chain.update(0, 4, 0, &signers);
	assert_eq!(
		verify_update(&client, &latest, &older, now_after(5)).map(|_| ()),
		Err(Error::NotNewer { latest: 5, target: 4 })
	);
}

#[test]
fn target_without_ibc_digest_is_rejected() {
	let (client, latest) = genesis_client(&FOUR);
	let genesis = TestChain::new().headers.remove(0);
	let bare = SubstrateHeader::new(
		1,
		Hash::zero(),
		Hash::zero(),
		genesis.hash(),
		sp_runtime::generic::Digest::default(),
	);
	let update = GrandpaHeader {
		justification: justify(&bare, 0, 1, &[Key::Alice, Key::Bob, Key::Charlie]),
		target: bare,
		ancestry: vec![],
	};
	assert_eq!(
		verify_update(&client, &latest, &update, now_after(1)).map(|_| ()),
		Err(Error::MissingIbcDigest)
	);
}

#[test]
fn frozen_client_rejects_updates() {
	let (mut client, latest) = genesis_client(&FOUR);
	let mut chain = TestChain::new();
	chain.extend(2);
	let update = chain.update(0, 2, 0, &[Key::Alice, Key::Bob, Key::Charlie]);
	assert!(verify_update(&client, &latest, &update, now_after(2)).is_ok());
	client.freeze(1);
	assert_eq!(
		verify_update(&client, &latest, &update, now_after(2)).map(|_| ()),
		Err(Error::Frozen { height: 1 })
	);
}

#[test]
fn the_keep_rule_forgets_the_oldest_sets_beyond_the_window_two_at_most() {
	use crate::past_sets::keep_set_id;
	// Filling a window of 3, then sliding it.
	assert_eq!(keep_set_id(vec![], 0, 3), (vec![0], vec![]));
	assert_eq!(keep_set_id(vec![0, 1], 2, 3), (vec![0, 1, 2], vec![]));
	assert_eq!(keep_set_id(vec![0, 1, 2], 3, 3), (vec![1, 2, 3], vec![0]));
	// A window made smaller shrinks by two per change, never more.
	assert_eq!(keep_set_id(vec![1, 2, 3, 4, 5], 6, 2), (vec![3, 4, 5, 6], vec![1, 2]));
	assert_eq!(keep_set_id(vec![3, 4, 5, 6], 7, 2), (vec![5, 6, 7], vec![3, 4]));
	assert_eq!(keep_set_id(vec![5, 6, 7], 8, 2), (vec![7, 8], vec![5, 6]));
	// A window of 0 keeps nothing, not even the new set.
	assert_eq!(keep_set_id(vec![], 4, 0), (vec![], vec![4]));
	// An id kept again is not kept twice; ids stay ascending.
	assert_eq!(keep_set_id(vec![1, 2], 2, 3), (vec![1, 2], vec![]));
	assert_eq!(keep_set_id(vec![1, 3], 2, 2), (vec![2, 3], vec![1]));
}

#[test]
fn node_encoded_justifications_decode_as_ours() {
	let (client, latest) = genesis_client(&FOUR);
	let mut chain = TestChain::new();
	chain.extend(2);
	let target = chain.header(2).clone();
	// The node stores and serves sp-consensus-grandpa's type (sc-consensus-grandpa wraps it).
	let ours = justify(&target, 0, 1, &[Key::Alice, Key::Bob, Key::Charlie, Key::Dave]);
	let node = sp_consensus_grandpa::GrandpaJustification::<SubstrateHeader> {
		round: ours.round,
		commit: ours.commit.clone(),
		votes_ancestries: vec![],
	};
	let mut decoded: Justification = crate::types::decode_exact(&node.encode(), "j").unwrap();
	assert_eq!(decoded, ours);
	let context = client.authority_set.verification_context().unwrap();
	bp_header_chain::justification::verify_and_optimize_justification(
		(target.hash(), target.number),
		&context,
		&mut decoded,
	)
	.unwrap();
	let update =
		GrandpaHeader { target, justification: decoded, ancestry: chain.headers[1..2].to_vec() };
	assert!(verify_update(&client, &latest, &update, now_after(2)).is_ok());
}
