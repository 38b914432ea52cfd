//! Consumer equivocation evidence: verified, mapped to the validator, slashed, tombstoned once.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::Perbill;

fn bonded(stash: AccountId) -> Balance {
	pallet_staking::Ledger::<Test>::get(stash).unwrap().total
}

#[test]
fn verified_evidence_slashes_and_tombstones_the_validator() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		assert_ok!(CcvProvider::submit_consumer_equivocation(
			RuntimeOrigin::signed(5),
			id,
			evidence(3, 7)
		));
		// Default double-sign params: 5% and tombstone.
		assert_eq!(bonded(31), 2850);
		assert_eq!(Jailed::<Test>::get(31), Some(jail::TOMBSTONED));
		assert!(HandledEquivocations::<Test>::contains_key(id, [7; 32]));
		assert!(provider_events().contains(&Event::ConsumerEquivocationPunished {
			consumer_id: id,
			validator: 31,
			key: ckey(3),
			slash_fraction: Perbill::from_percent(5),
		}));
		next_block();
		assert!(!ConsumerValidators::<Test>::get(id).iter().any(|v| v.validator == 31));
	});
}

#[test]
fn the_same_infraction_is_punished_once() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		assert_ok!(CcvProvider::submit_consumer_equivocation(
			RuntimeOrigin::signed(5),
			id,
			evidence(3, 7)
		));
		assert_noop!(
			CcvProvider::submit_consumer_equivocation(RuntimeOrigin::signed(6), id, evidence(3, 7)),
			Error::<Test>::DuplicateEvidence
		);
		assert_eq!(bonded(31), 2850);
	});
}

#[test]
fn replaced_keys_still_count_but_foreign_or_unknown_keys_do_not() {
	ExtBuilder::build_and_execute(|| {
		let a = launched_consumer(100, 1);
		let b = launched_consumer(100, 11);
		assign(21, a, 30);
		// ckey(2) was 21's key on `a` before it was replaced.
		assert_ok!(CcvProvider::submit_consumer_equivocation(
			RuntimeOrigin::signed(5),
			a,
			evidence(2, 1)
		));
		assert!(CcvProvider::is_jailed(&21));
		// ckey(14) belongs to `b`, ckey(99) to nobody.
		for key in [14, 99] {
			assert_noop!(
				CcvProvider::submit_consumer_equivocation(
					RuntimeOrigin::signed(5),
					a,
					evidence(key, 2)
				),
				Error::<Test>::UnknownOffender
			);
		}
		let _ = b;
	});
}

#[test]
fn invalid_evidence_or_consumer_is_rejected() {
	ExtBuilder::build_and_execute(|| {
		let pre = create_consumer(None, top_n(0));
		let id = launched_consumer(100, 1);
		let garbage = crate::equivocation::Evidence::try_from(b"nope".to_vec()).unwrap();
		assert_noop!(
			CcvProvider::submit_consumer_equivocation(RuntimeOrigin::signed(5), id, garbage),
			Error::<Test>::InvalidEvidence
		);
		assert_noop!(
			CcvProvider::submit_consumer_equivocation(
				RuntimeOrigin::signed(5),
				pre,
				evidence(1, 1)
			),
			Error::<Test>::WrongPhase
		);
		assert_noop!(
			CcvProvider::submit_consumer_equivocation(RuntimeOrigin::signed(5), 42, evidence(1, 1)),
			Error::<Test>::UnknownConsumer
		);
	});
}

#[test]
fn the_submission_weight_adds_the_verifiers_past_set_read_to_the_benchmark() {
	use frame_support::dispatch::GetDispatchInfo;
	let call =
		Call::<Test>::submit_consumer_equivocation { consumer_id: 0, evidence: Default::default() };
	let benchmarked = <() as crate::weights::WeightInfo>::submit_consumer_equivocation();
	let past_set = <FakeVerifier as equivocation::EquivocationVerifier>::past_set_weight();
	assert!(past_set.ref_time() > 0);
	assert_eq!(call.get_dispatch_info().call_weight, benchmarked.saturating_add(past_set));
}
