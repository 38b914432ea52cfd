//! GRANDPA vote equivocation: real votes signed with keyring ed25519 keys of the consumer's
//! authorities, reported through pallet-grandpa's calls, checked against the pallet's
//! authority-set history, handled through pallet-offences into `Slash(DoubleSign)` packets, and
//! exported as provider evidence.

use crate::{
	equivocation::{AuthorityMembershipProof, DoubleSignBacklogFifo},
	mock::*,
	outbox::OutboxFifo,
	pallet::*,
};
use ccv_primitives::{ConsensusKey, ConsumerGenesis, ConsumerPacket, Infraction, SlashPacket};
use codec::{Decode, Encode};
use frame_support::{assert_err, assert_ok, BoundedVec};
use sp_consensus_grandpa::{AuthorityId, Equivocation, EquivocationProof, RoundNumber, SetId};
use sp_core::{Pair, H256};
use sp_keyring::Ed25519Keyring as Keyring;
use sp_runtime::transaction_validity::{
	InvalidTransaction, TransactionSource, TransactionValidityError,
};

type Proof = EquivocationProof<H256, u64>;

fn ckey(k: Keyring) -> ConsensusKey {
	ConsensusKey(k.public().0)
}

fn gid(k: Keyring) -> AuthorityId {
	AuthorityId::from(k.public())
}

/// The default genesis with Alice, Bob and Charlie (powers 10, 20, 30) as the initial set.
fn keyring_genesis() -> ConsumerGenesis {
	let mut genesis = consumer_genesis();
	genesis.initial_validator_set = BoundedVec::try_from(vec![
		crate::types::Validator { key: ckey(Keyring::Alice), power: 10 },
		crate::types::Validator { key: ckey(Keyring::Bob), power: 20 },
		crate::types::Validator { key: ckey(Keyring::Charlie), power: 30 },
	])
	.unwrap();
	genesis
}

fn run_keyring(test: impl FnOnce()) {
	new_test_ext_with(keyring_genesis()).execute_with(|| {
		test();
		CcvConsumer::do_try_state().unwrap();
	});
}

fn target(i: u8) -> (H256, u64) {
	(H256::repeat_byte(i), u64::from(i))
}

/// Two votes of `identity` for `a` and `b`, signed by `signer`, as an equivocation proof.
fn equivocation_signed_by(
	signer: Keyring,
	identity: Keyring,
	precommit: bool,
	set_id: SetId,
	round: RoundNumber,
	a: (H256, u64),
	b: (H256, u64),
) -> Proof {
	let identity = gid(identity);
	if precommit {
		let vote = |t: (H256, u64)| {
			let v = finality_grandpa::Precommit { target_hash: t.0, target_number: t.1 };
			let m = finality_grandpa::Message::<H256, u64>::Precommit(v.clone());
			let payload = sp_consensus_grandpa::localized_payload(round, set_id, &m);
			(v, signer.pair().sign(&payload).into())
		};
		let e = finality_grandpa::Equivocation {
			round_number: round,
			identity,
			first: vote(a),
			second: vote(b),
		};
		EquivocationProof::new(set_id, Equivocation::Precommit(e))
	} else {
		let vote = |t: (H256, u64)| {
			let v = finality_grandpa::Prevote { target_hash: t.0, target_number: t.1 };
			let m = finality_grandpa::Message::<H256, u64>::Prevote(v.clone());
			let payload = sp_consensus_grandpa::localized_payload(round, set_id, &m);
			(v, signer.pair().sign(&payload).into())
		};
		let e = finality_grandpa::Equivocation {
			round_number: round,
			identity,
			first: vote(a),
			second: vote(b),
		};
		EquivocationProof::new(set_id, Equivocation::Prevote(e))
	}
}

fn prevotes(who: Keyring, set_id: SetId, round: RoundNumber) -> Proof {
	equivocation_signed_by(who, who, false, set_id, round, target(1), target(2))
}

fn precommits(who: Keyring, set_id: SetId, round: RoundNumber) -> Proof {
	equivocation_signed_by(who, who, true, set_id, round, target(3), target(4))
}

fn report_unsigned(
	proof: Proof,
	key_owner_proof: AuthorityMembershipProof,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	Grandpa::report_equivocation_unsigned(RuntimeOrigin::none(), Box::new(proof), key_owner_proof)
}

fn double_sign_packets() -> Vec<SlashPacket> {
	CcvConsumer::pending_packets()
		.into_iter()
		.filter_map(|p| match p {
			ConsumerPacket::Slash(s) if s.infraction == Infraction::DoubleSign => Some(s),
			_ => None,
		})
		.collect()
}

fn grandpa_error(e: pallet_grandpa::Error<Test>) -> sp_runtime::DispatchError {
	e.into()
}

/// Moves to a new GRANDPA set: a VSC `vsc_id` setting Alice's power, applied at the next
/// session boundary.
fn change_set(vsc_id: u64, alice_power: u64) {
	let ack = recv_vsc(
		vsc_id,
		vec![crate::types::Validator { key: ckey(Keyring::Alice), power: alice_power }],
	);
	assert_eq!(ack, crate::tests::vsc_ok());
	let next = CcvConsumer::next_session_at();
	run_to_block(next);
}

#[test]
fn prevote_equivocation_queues_one_double_sign_packet() {
	run_keyring(|| {
		let proof = prevotes(Keyring::Bob, 0, 3);
		let owner = CcvConsumer::key_owner_proof(0, &gid(Keyring::Bob)).unwrap();
		assert_eq!(
			owner,
			AuthorityMembershipProof {
				set_id: 0,
				session: 0,
				position: CcvConsumer::current_validators()
					.iter()
					.position(|v| v.key == ckey(Keyring::Bob))
					.unwrap() as u32,
				validator_count: 3,
			}
		);
		assert_ok!(report_unsigned(proof, owner));
		assert_eq!(
			double_sign_packets(),
			vec![SlashPacket {
				validator: ckey(Keyring::Bob).address(),
				power: 20,
				vsc_id: 0,
				infraction: Infraction::DoubleSign,
			}]
		);
		assert!(ccv_events().contains(&Event::EquivocationReported {
			validator: ckey(Keyring::Bob).address(),
			set_id: 0,
			round: 3,
		}));
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Offences(pallet_offences::Event::Offence { .. })
		)));
	});
}

#[test]
fn precommit_equivocation_in_a_later_set_carries_that_sets_power_and_vsc_id() {
	run_keyring(|| {
		change_set(5, 15);
		assert_eq!(Grandpa::current_set_id(), 1);
		// The later set: Alice has power 15 under vsc 5.
		let owner = CcvConsumer::key_owner_proof(1, &gid(Keyring::Alice)).unwrap();
		assert_ok!(report_unsigned(precommits(Keyring::Alice, 1, 7), owner));
		// The earlier set is still kept: Charlie under the genesis set (vsc 0, power 30).
		let owner = CcvConsumer::key_owner_proof(0, &gid(Keyring::Charlie)).unwrap();
		assert_ok!(report_unsigned(prevotes(Keyring::Charlie, 0, 1), owner));
		let slash = |k: Keyring, power, vsc_id| SlashPacket {
			validator: ckey(k).address(),
			power,
			vsc_id,
			infraction: Infraction::DoubleSign,
		};
		assert_eq!(
			double_sign_packets(),
			vec![slash(Keyring::Alice, 15, 5), slash(Keyring::Charlie, 30, 0)]
		);
	});
}

#[test]
fn duplicate_reports_are_rejected_and_one_packet_per_validator_and_set() {
	run_keyring(|| {
		let owner = CcvConsumer::key_owner_proof(0, &gid(Keyring::Alice)).unwrap();
		assert_ok!(Grandpa::report_equivocation(
			RuntimeOrigin::signed(1),
			Box::new(prevotes(Keyring::Alice, 0, 2)),
			owner
		));
		// The same offence again, signed or unsigned, with the same or other votes.
		assert_err!(
			report_unsigned(prevotes(Keyring::Alice, 0, 2), owner).map_err(|e| e.error),
			grandpa_error(pallet_grandpa::Error::DuplicateOffenceReport)
		);
		let other_votes = equivocation_signed_by(
			Keyring::Alice,
			Keyring::Alice,
			false,
			0,
			2,
			target(5),
			target(6),
		);
		assert_err!(
			Grandpa::report_equivocation(RuntimeOrigin::signed(2), Box::new(other_votes), owner)
				.map_err(|e| e.error),
			grandpa_error(pallet_grandpa::Error::DuplicateOffenceReport)
		);
		// The pool refuses it as stale too.
		let call = pallet_grandpa::Call::report_equivocation_unsigned {
			equivocation_proof: Box::new(prevotes(Keyring::Alice, 0, 2)),
			key_owner_proof: owner,
		};
		assert_eq!(
			Grandpa::validate_unsigned(TransactionSource::Local, &call),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
		);
		// Another round of the same set is a new offence, but not a second packet.
		assert_ok!(report_unsigned(precommits(Keyring::Alice, 0, 9), owner));
		assert_eq!(double_sign_packets().len(), 1);
		// pallet-offences hands Alice to the handler again with Bob (same set and round): Bob
		// gets his packet, Alice no second one.
		let bob = CcvConsumer::key_owner_proof(0, &gid(Keyring::Bob)).unwrap();
		assert_ok!(report_unsigned(precommits(Keyring::Bob, 0, 9), bob));
		let addresses: Vec<_> = double_sign_packets().iter().map(|s| s.validator).collect();
		assert_eq!(addresses, vec![ckey(Keyring::Alice).address(), ckey(Keyring::Bob).address()]);
	});
}

#[test]
fn non_authority_signer_is_rejected() {
	run_keyring(|| {
		assert_eq!(CcvConsumer::key_owner_proof(0, &gid(Keyring::Dave)), None);
		// Dave's real equivocation with a proof borrowed from Alice's position.
		let alice = CcvConsumer::key_owner_proof(0, &gid(Keyring::Alice)).unwrap();
		assert_err!(
			report_unsigned(prevotes(Keyring::Dave, 0, 1), alice).map_err(|e| e.error),
			grandpa_error(pallet_grandpa::Error::InvalidKeyOwnershipProof)
		);
		for position in 0..4 {
			let proof = AuthorityMembershipProof { position, ..alice };
			assert!(report_unsigned(prevotes(Keyring::Dave, 0, 1), proof).is_err());
		}
		assert!(double_sign_packets().is_empty());
		assert!(CcvConsumer::equivocation_evidence(None).is_empty());
	});
}

#[test]
fn wrong_set_id_or_inconsistent_proof_is_rejected() {
	run_keyring(|| {
		let owner = CcvConsumer::key_owner_proof(0, &gid(Keyring::Alice)).unwrap();
		let invalid_owner = grandpa_error(pallet_grandpa::Error::InvalidKeyOwnershipProof);
		// Votes of set 1 (which does not exist yet) with a proof for set 0, or for set 1.
		assert_err!(
			report_unsigned(prevotes(Keyring::Alice, 1, 1), owner).map_err(|e| e.error),
			invalid_owner
		);
		let set_one = AuthorityMembershipProof { set_id: 1, ..owner };
		assert_err!(
			report_unsigned(prevotes(Keyring::Alice, 1, 1), set_one).map_err(|e| e.error),
			invalid_owner
		);
		// Votes of set 0 with a proof naming set 1.
		assert_err!(
			report_unsigned(prevotes(Keyring::Alice, 0, 1), set_one).map_err(|e| e.error),
			invalid_owner
		);
		// A session outside set 0, a wrong validator count.
		for proof in [
			AuthorityMembershipProof { session: 1, ..owner },
			AuthorityMembershipProof { validator_count: 4, ..owner },
			AuthorityMembershipProof { validator_count: 2, ..owner },
		] {
			assert_err!(
				report_unsigned(prevotes(Keyring::Alice, 0, 1), proof).map_err(|e| e.error),
				invalid_owner
			);
		}
		assert!(double_sign_packets().is_empty());
		// The right proof works.
		assert_ok!(report_unsigned(prevotes(Keyring::Alice, 0, 1), owner));
	});
}

#[test]
fn proofs_for_sets_older_than_the_history_fail_and_evidence_is_pruned() {
	run_keyring(|| {
		let old_owner = CcvConsumer::key_owner_proof(0, &gid(Keyring::Bob)).unwrap();
		change_set(1, 11);
		let owner_1 = CcvConsumer::key_owner_proof(1, &gid(Keyring::Charlie)).unwrap();
		assert_ok!(report_unsigned(prevotes(Keyring::Charlie, 1, 1), owner_1));
		assert_eq!(CcvConsumer::equivocation_evidence(Some(1)).len(), 1);
		// MaxSetHistory is 3: after set 3 is installed set 0 is gone, after set 4 set 1.
		change_set(2, 12);
		change_set(3, 13);
		assert_eq!(Grandpa::current_set_id(), 3);
		assert_eq!(CcvConsumer::key_owner_proof(0, &gid(Keyring::Bob)), None);
		assert_err!(
			report_unsigned(prevotes(Keyring::Bob, 0, 1), old_owner).map_err(|e| e.error),
			grandpa_error(pallet_grandpa::Error::InvalidKeyOwnershipProof)
		);
		assert_eq!(CcvConsumer::equivocation_evidence(Some(1)).len(), 1);
		change_set(4, 14);
		assert_eq!(CcvConsumer::equivocation_evidence(None), vec![]);
		assert_eq!(DoubleSignReported::<Test>::iter_prefix(1).count(), 0);
		assert_eq!(AuthoritySetVscIds::<Test>::get(1), None);
		assert_err!(
			report_unsigned(prevotes(Keyring::Charlie, 1, 2), owner_1).map_err(|e| e.error),
			grandpa_error(pallet_grandpa::Error::InvalidKeyOwnershipProof)
		);
		// Only the one packet of set 1 was ever produced.
		assert_eq!(double_sign_packets().len(), 1);
	});
}

#[test]
fn invalid_signatures_and_non_conflicting_votes_are_rejected() {
	run_keyring(|| {
		let owner = CcvConsumer::key_owner_proof(0, &gid(Keyring::Alice)).unwrap();
		let invalid = grandpa_error(pallet_grandpa::Error::InvalidEquivocationProof);
		// Alice's identity, Bob's signatures.
		let forged =
			equivocation_signed_by(Keyring::Bob, Keyring::Alice, false, 0, 1, target(1), target(2));
		assert_err!(report_unsigned(forged, owner).map_err(|e| e.error), invalid);
		// Signed for another set id than the proof claims: the signatures do not verify.
		let mut encoded = prevotes(Keyring::Alice, 1, 1).encode();
		encoded[..8].copy_from_slice(&0u64.encode());
		let relabelled = Proof::decode(&mut &encoded[..]).unwrap();
		assert_eq!(relabelled.set_id(), 0);
		assert_err!(report_unsigned(relabelled, owner).map_err(|e| e.error), invalid);
		// Two votes for the same block are no equivocation.
		let same = equivocation_signed_by(
			Keyring::Alice,
			Keyring::Alice,
			true,
			0,
			1,
			target(1),
			target(1),
		);
		assert_err!(report_unsigned(same, owner).map_err(|e| e.error), invalid);
		assert!(double_sign_packets().is_empty());
		assert!(CcvConsumer::equivocation_evidence(None).is_empty());
	});
}

#[test]
fn evidence_is_exported_as_the_encoded_equivocation_proof() {
	run_keyring(|| {
		let proof = precommits(Keyring::Bob, 0, 4);
		let owner = CcvConsumer::key_owner_proof(0, &gid(Keyring::Bob)).unwrap();
		assert_ok!(report_unsigned(proof.clone(), owner));
		let evidence = CcvConsumer::equivocation_evidence(Some(0));
		assert_eq!(evidence.len(), 1);
		assert_eq!(evidence[0].offender, ckey(Keyring::Bob));
		assert_eq!((evidence[0].set_id, evidence[0].round), (0, 4));
		assert_eq!(evidence[0].evidence, proof.encode());
		let decoded = Proof::decode(&mut &evidence[0].evidence[..]).unwrap();
		assert!(sp_consensus_grandpa::check_equivocation_proof(decoded));
		assert_eq!(CcvConsumer::equivocation_evidence(None), evidence);
		assert!(CcvConsumer::equivocation_evidence(Some(1)).is_empty());
		// A later report of the same validator and set keeps the first evidence.
		assert_ok!(report_unsigned(prevotes(Keyring::Bob, 0, 5), owner));
		assert_eq!(CcvConsumer::equivocation_evidence(Some(0)), evidence);
	});
}

#[test]
fn unsigned_reports_are_validated_for_the_pool() {
	run_keyring(|| {
		let owner = CcvConsumer::key_owner_proof(0, &gid(Keyring::Alice)).unwrap();
		let call = |proof: Proof, key_owner_proof| {
			pallet_grandpa::Call::<Test>::report_equivocation_unsigned {
				equivocation_proof: Box::new(proof),
				key_owner_proof,
			}
		};
		let validate = |c: pallet_grandpa::Call<Test>| {
			Grandpa::validate_unsigned(TransactionSource::Local, &c)
		};
		assert!(validate(call(prevotes(Keyring::Alice, 0, 1), owner)).is_ok());
		assert!(Grandpa::validate_unsigned(
			TransactionSource::External,
			&call(prevotes(Keyring::Alice, 0, 1), owner)
		)
		.is_err());
		let bad_proof = Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof));
		assert_eq!(validate(call(prevotes(Keyring::Dave, 0, 1), owner)), bad_proof);
		let forged =
			equivocation_signed_by(Keyring::Bob, Keyring::Alice, false, 0, 1, target(1), target(2));
		assert_eq!(validate(call(forged, owner)), bad_proof);
		assert_eq!(validate(call(prevotes(Keyring::Alice, 1, 1), owner)), bad_proof);
	});
}

#[test]
fn node_reports_are_submitted_as_unsigned_extrinsics() {
	use sp_core::offchain::{testing::TestTransactionPoolExt, TransactionPoolExt};
	let mut ext = new_test_ext_with(keyring_genesis());
	let (pool, state) = TestTransactionPoolExt::new();
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.execute_with(|| {
		let proof = prevotes(Keyring::Charlie, 0, 2);
		let owner = CcvConsumer::key_owner_proof(0, &gid(Keyring::Charlie)).unwrap();
		assert_eq!(Grandpa::submit_unsigned_equivocation_report(proof.clone(), owner), Some(()));
		let txs = state.read().transactions.clone();
		assert_eq!(txs.len(), 1);
		let xt = Extrinsic::decode(&mut &txs[0][..]).unwrap();
		assert_eq!(
			xt.function,
			RuntimeCall::Grandpa(pallet_grandpa::Call::report_equivocation_unsigned {
				equivocation_proof: Box::new(proof),
				key_owner_proof: owner,
			})
		);
	});
}

#[test]
fn a_full_outbox_backlogs_double_sign_packets_in_order() {
	run_keyring(|| {
		CHANNEL.with(|c| c.borrow_mut().fail_send = true);
		let m = |vsc_id| ConsumerPacket::VscMatured(ccv_primitives::VscMaturedPacket { vsc_id });
		for i in 1..=4 {
			assert_ok!(CcvConsumer::queue_packet(m(i)));
		}
		for (k, round) in [(Keyring::Alice, 1), (Keyring::Bob, 2)] {
			let owner = CcvConsumer::key_owner_proof(0, &gid(k)).unwrap();
			assert_ok!(report_unsigned(prevotes(k, 0, round), owner));
		}
		assert!(double_sign_packets().is_empty());
		assert_eq!(DoubleSignBacklogFifo::<Test>::len(), 2);
		// Room for one: Alice's packet moves first, then Bob's.
		OutboxFifo::<Test>::pop_front();
		next_block();
		assert_eq!(DoubleSignBacklogFifo::<Test>::len(), 1);
		assert_eq!(double_sign_packets()[0].validator, ckey(Keyring::Alice).address());
		OutboxFifo::<Test>::pop_front();
		OutboxFifo::<Test>::pop_front();
		next_block();
		assert_eq!(DoubleSignBacklogFifo::<Test>::len(), 0);
		let addresses: Vec<_> = double_sign_packets().iter().map(|s| s.validator).collect();
		assert_eq!(addresses, vec![ckey(Keyring::Alice).address(), ckey(Keyring::Bob).address()]);
	});
}
