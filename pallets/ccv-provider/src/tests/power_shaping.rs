//! Power shaping as ICS v6.4 applies it: top-N auto opt-in, prioritylist, validator-set cap and
//! the validators' power cap.

use crate::{mock::*, vsc::cap_powers, *};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::Percent;

fn list(v: Vec<AccountId>) -> ValidatorList<AccountId> {
	ValidatorList::try_from(v).unwrap()
}

/// A consumer with `ps` where every validator has a key and those in `opt_in` opted in; returns
/// its computed set as (validator, power).
fn set_with(ps: PowerShapingOf<Test>, opt_in: &[AccountId]) -> Vec<(AccountId, u64)> {
	let id = create_consumer(None, ps);
	for (k, (v, _)) in VALIDATORS.iter().enumerate() {
		assign(*v, id, (10 * id as usize + k + 1) as u8);
	}
	for v in opt_in {
		assert_ok!(CcvProvider::opt_in(RuntimeOrigin::signed(*v), id));
	}
	let (_, candidates) = CcvProvider::current_candidates();
	let set = CcvProvider::compute_consumer_set(id, &candidates);
	set.iter().map(|v| (v.validator, v.power)).collect()
}

fn capped(mut powers: Vec<u64>, percent: u8) -> Vec<u64> {
	cap_powers(&mut powers, Percent::from_percent(percent));
	powers
}

const ALL: [AccountId; 4] = [11, 21, 31, 41];

#[test]
fn power_cap_moves_the_excess_to_smaller_validators_largest_first() {
	// max = floor(757 * 35%) = 264: 559 gives up 295; 138 can take only 126, 60 gets the rest.
	assert_eq!(capped(vec![559, 138, 60], 35), vec![264, 264, 229]);
	// max = 300: 400 gives up 100, shared 50/50 by 200 and 100.
	assert_eq!(capped(vec![400, 300, 200, 100], 30), vec![300, 300, 250, 150]);
	// The order of the input is kept.
	assert_eq!(capped(vec![100, 200, 400, 300], 30), vec![150, 250, 300, 300]);
}

#[test]
fn power_cap_is_a_no_op_when_unset_or_not_binding() {
	assert_eq!(capped(vec![400, 300, 200, 100], 0), vec![400, 300, 200, 100]);
	assert_eq!(capped(vec![400, 300, 200, 100], 100), vec![400, 300, 200, 100]);
	assert_eq!(capped(vec![400, 300, 200, 100], 40), vec![400, 300, 200, 100]);
	assert_eq!(capped(vec![], 10), Vec::<u64>::new());
}

#[test]
fn power_cap_too_small_for_the_set_leaves_everyone_at_the_cap() {
	// 4 validators cannot each hold at most 10%: best effort, all end at max = 100 (25% each).
	assert_eq!(capped(vec![400, 300, 200, 100], 10), vec![100, 100, 100, 100]);
	// One validator: its power becomes the cap of the total (still 100% of the set).
	assert_eq!(capped(vec![10], 50), vec![5]);
	// The cap never drops a power to 0.
	assert_eq!(capped(vec![1, 1], 10), vec![1, 1]);
}

#[test]
fn power_cap_keeps_the_total_and_the_bound_whenever_a_solution_exists() {
	let cases: Vec<(Vec<u64>, u8)> = vec![
		(vec![991, 1, 1, 1, 1, 1, 1, 1, 1, 1], 10),
		(vec![50, 50, 49, 1], 34),
		(vec![7, 7, 7, 7, 7, 1000], 20),
		(vec![u64::MAX / 64, 3, 2, 1], 50),
		(vec![9, 8, 7, 6, 5, 4, 3, 2, 1], 12),
	];
	for (powers, percent) in cases {
		let total: u128 = powers.iter().map(|p| u128::from(*p)).sum();
		let max = (total * u128::from(percent) / 100).max(1);
		assert!(max * powers.len() as u128 >= total, "case {powers:?} has a solution");
		let out = capped(powers.clone(), percent);
		assert_eq!(out.iter().map(|p| u128::from(*p)).sum::<u128>(), total, "{powers:?}");
		assert!(out.iter().all(|p| u128::from(*p) <= max && *p >= 1), "{powers:?} -> {out:?}");
	}
}

#[test]
fn power_cap_applies_to_the_consumer_set() {
	ExtBuilder::build_and_execute(|| {
		let ps =
			PowerShapingParams { validators_power_cap: Percent::from_percent(30), ..top_n(100) };
		assert_eq!(set_with(ps, &[]), vec![(41, 300), (31, 300), (21, 250), (11, 150)]);
	});
}

#[test]
fn validator_set_cap_keeps_the_most_powerful_on_opt_in_consumers_only() {
	ExtBuilder::build_and_execute(|| {
		let ps = PowerShapingParams { validator_set_cap: 2, ..top_n(0) };
		assert_eq!(set_with(ps, &ALL), vec![(41, 400), (31, 300)]);
		// A top-N consumer needs its whole top N%: the cap does not apply (ICS).
		let ps = PowerShapingParams { validator_set_cap: 2, ..top_n(100) };
		assert_eq!(set_with(ps, &[]).len(), 4);
	});
}

#[test]
fn prioritylist_comes_first_when_the_set_is_capped() {
	ExtBuilder::build_and_execute(|| {
		let ps =
			PowerShapingParams { validator_set_cap: 2, prioritylist: list(vec![11]), ..top_n(0) };
		assert_eq!(set_with(ps, &ALL), vec![(11, 100), (41, 400)]);
		// Without a cap the prioritylist only orders the set; nobody is left out.
		let ps = PowerShapingParams { prioritylist: list(vec![11, 21]), ..top_n(0) };
		assert_eq!(set_with(ps, &ALL), vec![(21, 200), (11, 100), (41, 400), (31, 300)]);
	});
}

#[test]
fn prioritylisted_validators_must_still_qualify() {
	ExtBuilder::build_and_execute(|| {
		// 11 is prioritylisted but not opted in; 21 is prioritylisted but denylisted.
		let ps = PowerShapingParams {
			validator_set_cap: 2,
			prioritylist: list(vec![11, 21, 31]),
			denylist: list(vec![21]),
			..top_n(0)
		};
		assert_eq!(set_with(ps, &[21, 31, 41]), vec![(31, 300), (41, 400)]);
		// Prioritylisted but below `min_stake`.
		let ps = PowerShapingParams {
			validator_set_cap: 1,
			prioritylist: list(vec![11]),
			min_stake: 1500,
			..top_n(0)
		};
		assert_eq!(set_with(ps, &ALL), vec![(41, 400)]);
	});
}

#[test]
fn prioritylist_set_cap_and_power_cap_together() {
	ExtBuilder::build_and_execute(|| {
		// Order 21, 11 (prioritylisted, by power), then 41, 31; cap 3 drops 31. Total 700,
		// max = 280: 41 gives up 120, 21 and 11 get 60 each.
		let ps = PowerShapingParams {
			validator_set_cap: 3,
			prioritylist: list(vec![11, 21]),
			validators_power_cap: Percent::from_percent(40),
			..top_n(0)
		};
		assert_eq!(set_with(ps, &ALL), vec![(21, 260), (11, 160), (41, 280)]);
	});
}

#[test]
fn top_n_members_are_opted_in_and_stay_opted_in() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(50, 1);
		assert!(OptedIn::<Test>::contains_key(id, 41) && OptedIn::<Test>::contains_key(id, 31));
		assert!(!OptedIn::<Test>::contains_key(id, 21));
		// 11 grows to 500: the top 50% is now 11 and 41 (min power 400).
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), 11, 1_000_000));
		assert_ok!(Staking::bond_extra(RuntimeOrigin::signed(11), 4000));
		start_era(1);
		assert_eq!(MinPowerInTopN::<Test>::get(id), Some(400));
		assert!(OptedIn::<Test>::contains_key(id, 11));
		// 31 left the top N% but stays opted in (ICS), so it still validates ...
		let set: Vec<_> = ConsumerValidators::<Test>::get(id).iter().map(|v| v.validator).collect();
		assert_eq!(set, vec![11, 41, 31]);
		// ... until it opts out, which it now may; 11 may not.
		assert_ok!(CcvProvider::opt_out(RuntimeOrigin::signed(31), id));
		assert_noop!(
			CcvProvider::opt_out(RuntimeOrigin::signed(11), id),
			Error::<Test>::CannotOptOutTopN
		);
		start_era(2);
		let set: Vec<_> = ConsumerValidators::<Test>::get(id).iter().map(|v| v.validator).collect();
		assert_eq!(set, vec![11, 41]);
	});
}

#[test]
fn jailed_top_n_members_are_not_opted_in() {
	ExtBuilder::build_and_execute(|| {
		let id = create_consumer(None, top_n(100));
		assert!(CcvProvider::jail(&21, u64::MAX - 1));
		let (_, candidates) = CcvProvider::current_candidates();
		let _ = CcvProvider::compute_consumer_set(id, &candidates);
		assert!(!OptedIn::<Test>::contains_key(id, 21));
		assert!(OptedIn::<Test>::contains_key(id, 11));
	});
}

#[test]
fn power_shaping_with_a_prioritylist_round_trips_through_update() {
	ExtBuilder::build_and_execute(|| {
		let id = create_consumer(None, top_n(0));
		let ps = PowerShapingParams {
			prioritylist: list(vec![31]),
			validators_power_cap: Percent::from_percent(20),
			..top_n(0)
		};
		let update = ConsumerUpdate { power_shaping: Some(ps.clone()), ..Default::default() };
		assert_ok!(CcvProvider::update_consumer(RuntimeOrigin::root(), id, update));
		assert_eq!(PowerShaping::<Test>::get(id), Some(ps));
	});
}
