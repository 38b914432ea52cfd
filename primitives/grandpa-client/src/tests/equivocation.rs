//! Vote-equivocation evidence for the CCV provider, checked against the current set or a past
//! set the host keeps.

use super::*;
use crate::{
	equivocation::{verify_vote_equivocation, VoteEquivocation},
	error::Error,
	past_sets::PastAuthoritySets,
};
use sp_consensus_grandpa::Equivocation;

/// Two blocks 3 on different forks, as vote targets.
fn two_targets() -> (SubstrateHeader, SubstrateHeader) {
	let mut chain = TestChain::new();
	chain.extend(2);
	(
		child_with_root(chain.header(2), [0xaa; 32], vec![]),
		child_with_root(chain.header(2), [0xbb; 32], vec![]),
	)
}

fn signed<M: Encode>(key: Key, round: u64, set_id: SetId, message: &M) -> AuthoritySignature {
	AuthoritySignature::from(
		key.sign(&sp_consensus_grandpa::localized_payload(round, set_id, message)),
	)
}

/// `key` precommits both blocks in `round` of set `set_id`; `second_round` is the round its
/// second signature is made for (equal to `round` for honest evidence of an equivocation).
fn precommit_equivocation(
	key: Key,
	set_id: SetId,
	round: u64,
	second_round: u64,
	targets: (&SubstrateHeader, &SubstrateHeader),
) -> Vec<u8> {
	let vote = |header: &SubstrateHeader| finality_grandpa::Precommit {
		target_hash: header.hash(),
		target_number: header.number,
	};
	let (a, b) = (vote(targets.0), vote(targets.1));
	let message = |v: &finality_grandpa::Precommit<Hash, BlockNumber>| {
		finality_grandpa::Message::<Hash, BlockNumber>::Precommit(v.clone())
	};
	let equivocation = finality_grandpa::Equivocation {
		round_number: round,
		identity: authority(key),
		first: (a.clone(), signed(key, round, set_id, &message(&a))),
		second: (b.clone(), signed(key, second_round, set_id, &message(&b))),
	};
	VoteEquivocation::new(set_id, Equivocation::Precommit(equivocation)).encode()
}

/// The same, for prevotes.
fn prevote_equivocation(key: Key, set_id: SetId, round: u64) -> Vec<u8> {
	let (x, y) = two_targets();
	let vote = |header: &SubstrateHeader| finality_grandpa::Prevote {
		target_hash: header.hash(),
		target_number: header.number,
	};
	let (a, b) = (vote(&x), vote(&y));
	let message = |v: &finality_grandpa::Prevote<Hash, BlockNumber>| {
		finality_grandpa::Message::<Hash, BlockNumber>::Prevote(v.clone())
	};
	let equivocation = finality_grandpa::Equivocation {
		round_number: round,
		identity: authority(key),
		first: (a.clone(), signed(key, round, set_id, &message(&a))),
		second: (b.clone(), signed(key, round, set_id, &message(&b))),
	};
	VoteEquivocation::new(set_id, Equivocation::Prevote(equivocation)).encode()
}

#[test]
fn precommit_equivocation_by_a_member_is_verified() {
	let (client, _) = genesis_client(&FOUR);
	let (x, y) = two_targets();
	let evidence = precommit_equivocation(Key::Bob, 0, 5, 5, (&x, &y));
	let verified = verify_vote_equivocation(&client, &evidence, no_past_set).unwrap();
	assert_eq!(verified.offender, Key::Bob.public().0);
	assert_eq!((verified.set_id, verified.round), (0, 5));

	// One infraction id per voter, set and round, whatever the vote kind or the targets.
	let prevotes =
		verify_vote_equivocation(&client, &prevote_equivocation(Key::Bob, 0, 5), no_past_set);
	assert_eq!(prevotes.unwrap().infraction_id, verified.infraction_id);
	let swapped = precommit_equivocation(Key::Bob, 0, 5, 5, (&y, &x));
	assert_eq!(
		verify_vote_equivocation(&client, &swapped, no_past_set).unwrap().infraction_id,
		verified.infraction_id
	);
	let other_round = precommit_equivocation(Key::Bob, 0, 6, 6, (&x, &y));
	assert_ne!(
		verify_vote_equivocation(&client, &other_round, no_past_set).unwrap().infraction_id,
		verified.infraction_id
	);
	let other_voter = precommit_equivocation(Key::Alice, 0, 5, 5, (&x, &y));
	assert_ne!(
		verify_vote_equivocation(&client, &other_voter, no_past_set).unwrap().infraction_id,
		verified.infraction_id
	);
}

#[test]
fn votes_for_the_same_block_are_not_an_equivocation() {
	let (client, _) = genesis_client(&FOUR);
	let (x, _) = two_targets();
	let evidence = precommit_equivocation(Key::Bob, 0, 5, 5, (&x, &x));
	assert_eq!(
		verify_vote_equivocation(&client, &evidence, no_past_set),
		Err(Error::InvalidEquivocation)
	);
}

#[test]
fn votes_from_different_rounds_are_not_an_equivocation() {
	let (client, _) = genesis_client(&FOUR);
	let (x, y) = two_targets();
	// The second vote was really cast in round 6: its signature does not verify for round 5.
	let evidence = precommit_equivocation(Key::Bob, 0, 5, 6, (&x, &y));
	assert_eq!(
		verify_vote_equivocation(&client, &evidence, no_past_set),
		Err(Error::InvalidEquivocation)
	);
}

#[test]
fn equivocation_by_a_non_member_is_rejected() {
	let (client, _) = genesis_client(&FOUR);
	let (x, y) = two_targets();
	let evidence = precommit_equivocation(Key::Eve, 0, 5, 5, (&x, &y));
	assert_eq!(
		verify_vote_equivocation(&client, &evidence, no_past_set),
		Err(Error::NotAnAuthority)
	);
}

#[test]
fn equivocation_in_an_unknown_set_is_rejected() {
	let (client, _) = genesis_client(&FOUR);
	let (x, y) = two_targets();
	let evidence = precommit_equivocation(Key::Bob, 1, 5, 5, (&x, &y));
	assert_eq!(
		verify_vote_equivocation(&client, &evidence, no_past_set),
		Err(Error::UnknownAuthoritySet { set_id: 1 })
	);
}

#[test]
fn equivocation_in_a_past_set_is_verified_within_the_window() {
	use ibc_core::client::context::ClientValidationContext;
	let (mut client, consensus) = genesis_client(&FOUR);
	client.max_set_history = 1;
	let mut host = host_with(&client, consensus);
	let (x, y) = two_targets();
	let in_set_0 = precommit_equivocation(Key::Bob, 0, 5, 5, (&x, &y));
	let mut chain = TestChain::new();
	type Rotation = (&'static [(Key, u64)], &'static [Key]);
	let rotations: [Rotation; 2] = [
		(&[(Key::Eve, 1)], &[Key::Alice, Key::Bob, Key::Charlie]),
		(&[(Key::Ferdie, 1)], &[Key::Eve]),
	];
	let mut verdicts = vec![];
	for (set_id, (next, signers)) in rotations.into_iter().enumerate() {
		chain.push(vec![scheduled_change(next, 0)]);
		let to = chain.head().number;
		deliver(&mut host, chain.update(to - 1, to, set_id as SetId, signers).into()).unwrap();
		let client = host.client_state(&client_id()).unwrap();
		let past = |id| host.past_authority_set(&client_id(), id);
		verdicts.push(verify_vote_equivocation(&client, &in_set_0, past).map(|v| v.set_id));
	}
	// Set 0 is kept for one change, then falls out of the evidence window.
	assert_eq!(verdicts, vec![Ok(0), Err(Error::UnknownAuthoritySet { set_id: 0 })]);
}

#[test]
fn malformed_evidence_is_rejected() {
	let (client, _) = genesis_client(&FOUR);
	let (x, y) = two_targets();
	let mut evidence = precommit_equivocation(Key::Bob, 0, 5, 5, (&x, &y));
	evidence.push(0);
	assert!(matches!(
		verify_vote_equivocation(&client, &evidence, no_past_set),
		Err(Error::Malformed(_))
	));
	assert!(matches!(
		verify_vote_equivocation(&client, &[1, 2, 3], no_past_set),
		Err(Error::Malformed(_))
	));
}
