//! Era recomputation cost: consumer sets derived from the candidates that changed, equal to a
//! full computation.

use crate::{mock::*, weights::WeightInfo, *};
use frame_support::{
	assert_ok,
	storage::{with_transaction, TransactionOutcome},
};
use sp_runtime::{DispatchError, Percent};

fn grow(who: AccountId, amount: Balance) {
	assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), who, 1_000_000));
	assert_ok!(Staking::bond_extra(RuntimeOrigin::signed(who), amount));
}

fn changed(era: u32) -> Vec<(AccountId, Option<u64>)> {
	let (at, changes) = EraCandidateChanges::<Test>::get().unwrap();
	assert_eq!(at, era);
	let mut got: Vec<_> = changes.into_iter().map(|(who, c)| (who, c.map(|c| c.power))).collect();
	got.sort();
	got
}

/// What a full computation gives now (set, top-N members without key), changing nothing.
fn full(id: ConsumerId) -> (Vec<ConsumerValidator<AccountId>>, Vec<AccountId>) {
	with_transaction(|| {
		let (_, candidates) = CcvProvider::current_candidates();
		let set = CcvProvider::compute_consumer_set(id, &candidates).into_inner();
		let without_key = TopNWithoutKey::<Test>::get(id).into_inner();
		TransactionOutcome::Rollback(Ok::<_, DispatchError>((set, without_key)))
	})
	.unwrap()
}

fn stored(id: ConsumerId) -> (Vec<ConsumerValidator<AccountId>>, Vec<AccountId>) {
	(ConsumerValidators::<Test>::get(id).into_inner(), TopNWithoutKey::<Test>::get(id).into_inner())
}

#[test]
fn candidate_changes_hold_only_the_validators_that_changed() {
	ExtBuilder::build_and_execute(|| {
		assert_eq!(EraCandidateChanges::<Test>::get(), None);
		let _ = launched_consumer(100, 1);
		grow(11, 1000);
		start_era(1);
		assert_eq!(changed(1), vec![(11, Some(200))]);
		assert_ok!(Staking::chill(RuntimeOrigin::signed(21)));
		add_validator(6, 5000);
		start_era(2);
		assert_eq!(changed(2), vec![(6, Some(500)), (21, None)]);
		start_era(3);
		assert_eq!(changed(3), vec![]);
	});
}

#[test]
fn an_unchanged_consumer_is_updated_from_the_changes_only() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		assert!(SetStamps::<Test>::contains_key(id));
		grow(11, 1000);
		start_era(1);
		assert_eq!(SetStamps::<Test>::get(id), Some(SetStamp { era: 1, jail_nonce: 0 }));
		assert_eq!(stored(id), full(id));
		// Replay the era's recomputation from a set stamped in era 0.
		SetStamps::<Test>::insert(id, SetStamp { era: 0, jail_nonce: 0 });
		let (_, candidates) = CcvProvider::current_candidates();
		let (weight, set) = CcvProvider::recompute_consumer_set(id, &candidates);
		assert_eq!(weight, <() as WeightInfo>::recompute_consumer_changed(4, 1));
		assert_eq!(set.into_inner(), full(id).0);
	});
}

#[test]
fn changed_inputs_force_a_full_computation() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(50, 1);
		let (_, candidates) = CcvProvider::current_candidates();
		let incremental = <() as WeightInfo>::recompute_consumer_changed(4, 0);
		let full_weight = <() as WeightInfo>::recompute_consumer(4);
		assert_eq!(CcvProvider::recompute_consumer_set(id, &candidates).0, incremental);
		// An opt-in, a key, a power-shaping update: the stamp goes.
		assert_ok!(CcvProvider::opt_in(RuntimeOrigin::signed(11), id));
		assert!(!SetStamps::<Test>::contains_key(id));
		assert_eq!(CcvProvider::recompute_consumer_set(id, &candidates).0, full_weight);
		CcvProvider::stamp_set(id);
		assign(21, id, 30);
		assert!(!SetStamps::<Test>::contains_key(id));
		CcvProvider::stamp_set(id);
		let update = ConsumerUpdate { power_shaping: Some(top_n(60)), ..Default::default() };
		assert_ok!(CcvProvider::update_consumer(RuntimeOrigin::root(), id, update));
		assert!(!SetStamps::<Test>::contains_key(id));
		// A jail (or unjail) anywhere makes every stamp stale.
		CcvProvider::stamp_set(id);
		assert!(CcvProvider::jail(&21, 0));
		assert_eq!(JailNonce::<Test>::get(), 1);
		assert_eq!(CcvProvider::recompute_consumer_set(id, &candidates).0, full_weight);
		CcvProvider::stamp_set(id);
		assert_ok!(CcvProvider::unjail(RuntimeOrigin::signed(21)));
		assert_eq!(JailNonce::<Test>::get(), 2);
		assert_eq!(CcvProvider::recompute_consumer_set(id, &candidates).0, full_weight);
	});
}

#[test]
fn caps_and_a_moved_top_n_threshold_force_a_full_computation() {
	ExtBuilder::build_and_execute(|| {
		let capped =
			PowerShapingParams { validators_power_cap: Percent::from_percent(40), ..top_n(100) };
		let a = create_consumer(Some(0), capped);
		let b = create_consumer(Some(0), PowerShapingParams { validator_set_cap: 3, ..top_n(0) });
		let c = create_consumer(Some(0), top_n(50));
		for (i, (v, _)) in VALIDATORS.iter().enumerate() {
			for (id, base) in [(a, 1), (b, 11), (c, 21)] {
				assign(*v, id, base + i as u8);
				if id == b {
					assert_ok!(CcvProvider::opt_in(RuntimeOrigin::signed(*v), id));
				}
			}
		}
		next_block();
		grow(11, 4000);
		start_era(1);
		for id in [a, b, c] {
			assert_eq!(stored(id), full(id), "consumer {id}");
		}
		// 11 moved the top-50% threshold (300 -> 400), so `c` was computed in full: 31 stays
		// (auto opted in at launch), 11 joins.
		let set: Vec<_> = stored(c).0.iter().map(|v| v.validator).collect();
		assert_eq!(set, vec![11, 41, 31]);
		let full_weight = <() as WeightInfo>::recompute_consumer(4);
		let (_, candidates) = CcvProvider::current_candidates();
		for id in [a, b] {
			SetStamps::<Test>::insert(id, SetStamp { era: 0, jail_nonce: 0 });
			assert_eq!(CcvProvider::recompute_consumer_set(id, &candidates).0, full_weight);
		}
	});
}

#[test]
fn derived_sets_equal_full_computations_era_after_era() {
	ExtBuilder::build_and_execute(|| {
		let list = |v: Vec<AccountId>| ValidatorList::try_from(v).unwrap();
		let top = launched_consumer(100, 1);
		let half = launched_consumer(50, 11);
		let shaped = create_consumer(
			Some(0),
			PowerShapingParams {
				prioritylist: list(vec![11, 6]),
				denylist: list(vec![31]),
				min_stake: 1500,
				..top_n(0)
			},
		);
		for (i, (v, _)) in VALIDATORS.iter().enumerate() {
			assign(*v, shaped, 21 + i as u8);
			assert_ok!(CcvProvider::opt_in(RuntimeOrigin::signed(*v), shaped));
		}
		// A top-N consumer where 21 never assigns a key.
		let keyless = create_consumer(Some(0), top_n(100));
		for (v, n) in [(11, 31), (31, 33), (41, 34)] {
			assign(v, keyless, n);
		}
		next_block();
		let consumers = [top, half, shaped, keyless];
		for (id, channel) in
			consumers.iter().zip(["channel-0", "channel-1", "channel-2", "channel-3"])
		{
			open_channel(*id, channel);
		}
		let check = |era: u32| {
			for id in consumers {
				assert_eq!(stored(id), full(id), "consumer {id} in era {era}");
				assert_eq!(SetStamps::<Test>::get(id).map(|s| s.era), Some(era));
			}
		};
		let steps: Vec<Box<dyn Fn()>> = vec![
			Box::new(|| grow(11, 1500)),
			Box::new(|| {
				add_validator(6, 2500);
				assign(6, top, 40);
				assign(6, shaped, 41);
			}),
			Box::new(|| grow(21, 50)),
			Box::new(|| {
				assert_ok!(Staking::chill(RuntimeOrigin::signed(41)));
			}),
			Box::new(|| {
				assert_ok!(CcvProvider::opt_in(RuntimeOrigin::signed(6), shaped));
				grow(31, 10);
			}),
			Box::new(|| {
				assert_ok!(Staking::validate(RuntimeOrigin::signed(41), Default::default()));
				grow(6, 3000);
			}),
			Box::new(|| {}),
		];
		for (i, step) in steps.iter().enumerate() {
			step();
			start_era(i as u32 + 1);
			check(i as u32 + 1);
		}
		assert!(!TopNWithoutKey::<Test>::get(keyless).is_empty());
	});
}
