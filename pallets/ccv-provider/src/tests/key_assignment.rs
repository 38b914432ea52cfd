//! Key assignment, opt-in and opt-out: no default key, keys unique for all time.

use crate::{mock::*, *};
use ccv_primitives::ConsensusKey;
use frame_support::{assert_noop, assert_ok};

#[test]
fn assigned_key_resolves_both_ways() {
	ExtBuilder::build_and_execute(|| {
		let id = create_consumer(None, top_n(0));
		assign(11, id, 1);
		assert_eq!(ConsumerKeys::<Test>::get(id, 11), Some(ckey(1)));
		assert_eq!(CcvProvider::validator_by_consumer_address(id, &ckey(1).address()), Some(11));
		assert_eq!(UsedKeys::<Test>::get(ckey(1)), Some((id, 11)));
		assert!(CcvProvider::is_consumer_key(&[1; 32]));
		assert!(!CcvProvider::is_consumer_key(&[2; 32]));
		assert_eq!(
			provider_events().last(),
			Some(&Event::ConsumerKeyAssigned { consumer_id: id, validator: 11, key: ckey(1) })
		);
	});
}

#[test]
fn a_key_is_never_used_by_two_validators_or_on_two_consumers() {
	ExtBuilder::build_and_execute(|| {
		let a = create_consumer(None, top_n(0));
		let b = create_consumer(None, top_n(0));
		assign(11, a, 1);
		let assign_key =
			|v, c, n| CcvProvider::assign_consumer_key(RuntimeOrigin::signed(v), c, ckey(n));
		assert_noop!(assign_key(21, a, 1), Error::<Test>::KeyAlreadyUsed);
		assert_noop!(assign_key(11, b, 1), Error::<Test>::KeyAlreadyUsed);
		assert_noop!(assign_key(21, b, 1), Error::<Test>::KeyAlreadyUsed);
		assign(21, b, 2);
	});
}

#[test]
fn old_and_current_keys_cannot_be_assigned_again() {
	ExtBuilder::build_and_execute(|| {
		let id = create_consumer(None, top_n(0));
		assign(11, id, 1);
		assign(11, id, 2);
		let assign_key =
			|n| CcvProvider::assign_consumer_key(RuntimeOrigin::signed(11), id, ckey(n));
		assert_noop!(assign_key(1), Error::<Test>::KeyAlreadyUsed);
		assert_noop!(assign_key(2), Error::<Test>::KeyAlreadyUsed);
		assert_eq!(ConsumerKeys::<Test>::get(id, 11), Some(ckey(2)));
	});
}

#[test]
fn provider_session_keys_are_refused() {
	ExtBuilder::build_and_execute(|| {
		let id = create_consumer(None, top_n(0));
		for owner in [11, 21] {
			assert_noop!(
				CcvProvider::assign_consumer_key(
					RuntimeOrigin::signed(11),
					id,
					ConsensusKey(session_key(owner))
				),
				Error::<Test>::KeyIsProviderSessionKey
			);
		}
		// A validator that joins later registers its session key; that key is refused too.
		add_validator(6, 5000);
		assert_noop!(
			CcvProvider::assign_consumer_key(
				RuntimeOrigin::signed(6),
				id,
				ConsensusKey(session_key(6))
			),
			Error::<Test>::KeyIsProviderSessionKey
		);
	});
}

#[test]
fn only_bonded_stashes_assign_keys_on_live_consumers() {
	ExtBuilder::build_and_execute(|| {
		let id = create_consumer(None, top_n(0));
		assert_noop!(
			CcvProvider::assign_consumer_key(RuntimeOrigin::signed(5), id, ckey(1)),
			Error::<Test>::NotAValidator
		);
		assert_noop!(
			CcvProvider::assign_consumer_key(RuntimeOrigin::signed(11), 42, ckey(1)),
			Error::<Test>::UnknownConsumer
		);
		assert_ok!(CcvProvider::remove_consumer(RuntimeOrigin::root(), id));
		assert_noop!(
			CcvProvider::assign_consumer_key(RuntimeOrigin::signed(11), id, ckey(1)),
			Error::<Test>::WrongPhase
		);
	});
}

#[test]
fn replaced_key_is_forgotten_before_launch_and_kept_after() {
	ExtBuilder::build_and_execute(|| {
		let pre = create_consumer(None, top_n(0));
		assign(11, pre, 1);
		assign(11, pre, 2);
		assert_eq!(KeyOwners::<Test>::get(pre, ckey(1).address()), None);
		assert_eq!(KeyOwners::<Test>::get(pre, ckey(2).address()), Some(11));

		let launched = launched_consumer(100, 10);
		assign(41, launched, 20);
		assert_eq!(KeyOwners::<Test>::get(launched, ckey(13).address()), Some(41));
		assert_eq!(KeyOwners::<Test>::get(launched, ckey(20).address()), Some(41));
	});
}

#[test]
fn keys_stay_used_after_their_consumer_is_deleted() {
	ExtBuilder::build_and_execute(|| {
		let id = create_consumer(None, top_n(0));
		assign(11, id, 1);
		assert_ok!(CcvProvider::remove_consumer(RuntimeOrigin::root(), id));
		next_block();
		assert_eq!(Phase::<Test>::get(id), Some(ConsumerPhase::Deleted));
		let other = create_consumer(None, top_n(0));
		assert_noop!(
			CcvProvider::assign_consumer_key(RuntimeOrigin::signed(11), other, ckey(1)),
			Error::<Test>::KeyAlreadyUsed
		);
	});
}

#[test]
fn opt_in_needs_a_key_and_opt_out_needs_an_opt_in() {
	ExtBuilder::build_and_execute(|| {
		let id = create_consumer(None, top_n(0));
		assert_noop!(
			CcvProvider::opt_in(RuntimeOrigin::signed(11), id),
			Error::<Test>::NoConsumerKey
		);
		assert_noop!(
			CcvProvider::opt_in(RuntimeOrigin::signed(5), id),
			Error::<Test>::NotAValidator
		);
		assign(11, id, 1);
		assert_ok!(CcvProvider::opt_in(RuntimeOrigin::signed(11), id));
		assert!(OptedIn::<Test>::contains_key(id, 11));
		assert_noop!(
			CcvProvider::opt_in(RuntimeOrigin::signed(11), id),
			Error::<Test>::AlreadyOptedIn
		);
		assert_ok!(CcvProvider::opt_out(RuntimeOrigin::signed(11), id));
		assert!(!OptedIn::<Test>::contains_key(id, 11));
		assert_noop!(
			CcvProvider::opt_out(RuntimeOrigin::signed(11), id),
			Error::<Test>::NotOptedIn
		);
	});
}

#[test]
fn top_n_validators_cannot_opt_out() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(50, 1);
		// Top 50% of powers 400, 300, 200, 100: validators 41 and 31.
		assert_eq!(MinPowerInTopN::<Test>::get(id), Some(300));
		// Top-N members are opted in automatically (ICS `OptInTopNValidators`).
		assert!(OptedIn::<Test>::contains_key(id, 41) && OptedIn::<Test>::contains_key(id, 31));
		assert_noop!(
			CcvProvider::opt_in(RuntimeOrigin::signed(41), id),
			Error::<Test>::AlreadyOptedIn
		);
		assert_ok!(CcvProvider::opt_in(RuntimeOrigin::signed(11), id));
		assert_noop!(
			CcvProvider::opt_out(RuntimeOrigin::signed(41), id),
			Error::<Test>::CannotOptOutTopN
		);
		assert_ok!(CcvProvider::opt_out(RuntimeOrigin::signed(11), id));
	});
}

#[test]
fn validators_without_a_key_are_never_in_a_set() {
	ExtBuilder::build_and_execute(|| {
		let id = create_consumer(Some(0), top_n(100));
		assign(41, id, 1);
		next_block();
		let set = ConsumerValidators::<Test>::get(id);
		assert_eq!(set.iter().map(|v| v.validator).collect::<Vec<_>>(), vec![41]);
		assert!(provider_events().contains(&Event::TopNValidatorsWithoutKey {
			consumer_id: id,
			validators: vec![31, 21, 11]
		}));
		assert_eq!(CcvProvider::top_n_validators_without_key(id), vec![31, 21, 11]);
		// Once they assign keys, the next computation clears the report.
		for (v, n) in [(31, 2), (21, 3), (11, 4)] {
			assign(v, id, n);
		}
		start_era(1);
		assert!(CcvProvider::top_n_validators_without_key(id).is_empty());
		assert_eq!(ConsumerValidators::<Test>::get(id).len(), 4);
	});
}
