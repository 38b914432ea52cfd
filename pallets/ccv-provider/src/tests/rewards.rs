//! Rewards: fee pools, commission overrides, era snapshots, paged payouts, dust and expiry.

use crate::{
	mock::*,
	rewards::{pro_rata, split_page},
	*,
};
use ccv_primitives::{ConsumerId, ConsumerParams};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Mutate as _, fungibles::Mutate as _},
};
use sp_runtime::Perbill;

type Asset = RewardAsset<u32>;

fn denoms(list: &[&str]) -> ccv_primitives::Denoms {
	list.iter()
		.map(|d| ccv_primitives::Denom::try_from(d.as_bytes().to_vec()).unwrap())
		.collect::<Vec<_>>()
		.try_into()
		.unwrap()
}

/// A top-N consumer (every validator keyed) with `uatom` allowlisted, launched in the current
/// block; the voucher asset exists with `min_balance = 1`.
fn rewarded_consumer(n: u8, base: u8) -> ConsumerId {
	let id = NextConsumerId::<Test>::get();
	let params = ConsumerParams { reward_denoms: denoms(&["uatom"]), ..Default::default() };
	assert_ok!(CcvProvider::create_consumer(
		RuntimeOrigin::root(),
		chain_id(&format!("consumer-{id}")),
		Default::default(),
		Some(InitParams { spawn_time_ms: Some(0), params }),
		top_n(n),
		Default::default(),
	));
	for (i, (v, _)) in VALIDATORS.iter().enumerate() {
		assign(*v, id, base + i as u8);
	}
	if !pallet_assets::Asset::<Test>::contains_key(UATOM) {
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), UATOM, ADMIN, false, 1));
	}
	next_block();
	assert_eq!(Phase::<Test>::get(id), Some(ConsumerPhase::Launched));
	id
}

/// Adds `native` and `uatom` to the consumer's fee pool (keeping the pool's existential
/// deposit aside, so the pot grows by exactly these amounts).
fn fund(consumer_id: ConsumerId, native: Balance, uatom: Balance) {
	let pool = CcvProvider::fee_pool_account(consumer_id);
	if Balances::free_balance(pool) == 0 {
		assert_ok!(Balances::mint_into(&pool, 1));
	}
	if native > 0 {
		assert_ok!(Balances::mint_into(&pool, native));
	}
	if uatom > 0 {
		assert_ok!(Assets::mint_into(UATOM, &pool, uatom));
	}
}

/// Bonds `stake` from a fresh account `who` and nominates `targets`.
fn nominate(who: AccountId, stake: Balance, targets: Vec<AccountId>) {
	assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), who, stake + 100));
	assert_ok!(Staking::bond(
		RuntimeOrigin::signed(who),
		stake,
		pallet_staking::RewardDestination::Stash
	));
	assert_ok!(Staking::nominate(RuntimeOrigin::signed(who), targets));
}

fn claim(
	consumer_id: ConsumerId,
	era: u32,
	page: u32,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	CcvProvider::claim_consumer_rewards(RuntimeOrigin::signed(5), consumer_id, era, page)
}

fn claim_all(consumer_id: ConsumerId, era: u32) {
	for page in 0..CcvProvider::reward_pages(consumer_id, era) {
		assert_ok!(claim(consumer_id, era, page));
	}
}

fn native(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

fn uatom(who: AccountId) -> Balance {
	Assets::balance(UATOM, who)
}

/// A snapshot event: consumer, era, pots, assigned.
type Snapshot = (ConsumerId, u32, Vec<(Asset, Balance)>, Vec<Balance>);

fn snapshots() -> Vec<Snapshot> {
	provider_events()
		.into_iter()
		.filter_map(|e| match e {
			Event::ConsumerRewardsSnapshotted { consumer_id, era, pots, assigned, .. } => {
				Some((consumer_id, era, pots, assigned))
			}
			_ => None,
		})
		.collect()
}

fn owed(consumer_id: ConsumerId) -> Vec<(Asset, Balance)> {
	RewardsOwed::<Test>::iter_prefix(consumer_id).collect()
}

#[test]
fn fee_pools_are_distinct_per_consumer() {
	use sp_runtime::traits::AccountIdConversion;
	ExtBuilder::build_and_execute(|| {
		// The mock's 8-byte accounts truncate every sub-account to the same id, so check the
		// derivation with 32-byte accounts, as a runtime has them.
		let pool32 = |id: ConsumerId| -> sp_runtime::AccountId32 {
			CcvPalletId::get().into_sub_account_truncating((b"fee", id))
		};
		let pools: Vec<_> = (0..4).map(pool32).collect();
		for (i, a) in pools.iter().enumerate() {
			assert!(pools.iter().skip(i + 1).all(|b| a != b));
		}
		let pool64: AccountId = CcvPalletId::get().into_sub_account_truncating((b"fee", 3u64));
		assert_eq!(CcvProvider::fee_pool_account(3), pool64);
	});
}

#[test]
fn set_consumer_commission_rate_checks_consumer_caller_and_minimum() {
	ExtBuilder::build_and_execute(|| {
		let rate = Perbill::from_percent(7);
		assert_noop!(
			CcvProvider::set_consumer_commission_rate(RuntimeOrigin::signed(41), 9, rate),
			Error::<Test>::UnknownConsumer
		);
		let id = create_consumer(None, top_n(0));
		assert_noop!(
			CcvProvider::set_consumer_commission_rate(RuntimeOrigin::signed(5), id, rate),
			Error::<Test>::NotAValidator
		);
		pallet_staking::MinCommission::<Test>::put(Perbill::from_percent(10));
		assert_noop!(
			CcvProvider::set_consumer_commission_rate(RuntimeOrigin::signed(41), id, rate),
			Error::<Test>::CommissionBelowMinimum
		);
		let rate = Perbill::from_percent(12);
		assert_ok!(CcvProvider::set_consumer_commission_rate(RuntimeOrigin::signed(41), id, rate));
		assert_eq!(ConsumerCommission::<Test>::get(id, 41), Some(rate));
		assert_eq!(CcvProvider::consumer_commission_rate(id, &41, 0), rate);
		assert_eq!(CcvProvider::consumer_commission_rate(id, &31, 0), Perbill::zero());
		assert!(provider_events().contains(&Event::ConsumerCommissionRateSet {
			consumer_id: id,
			validator: 41,
			rate
		}));
		assert_ok!(CcvProvider::remove_consumer(RuntimeOrigin::root(), id));
		assert_noop!(
			CcvProvider::set_consumer_commission_rate(RuntimeOrigin::signed(41), id, rate),
			Error::<Test>::WrongPhase
		);
	});
}

#[test]
fn more_reward_denoms_than_max_reward_assets_are_refused() {
	ExtBuilder::build_and_execute(|| {
		let params = ConsumerParams {
			reward_denoms: denoms(&["uatom", "uosmo", "ujuno"]),
			..Default::default()
		};
		assert_noop!(
			CcvProvider::create_consumer(
				RuntimeOrigin::root(),
				chain_id("c"),
				Default::default(),
				Some(InitParams { spawn_time_ms: None, params }),
				top_n(0),
				Default::default(),
			),
			Error::<Test>::TooManyRewardDenoms
		);
	});
}

#[test]
fn each_era_the_pot_is_shared_by_power_in_native_and_vouchers() {
	ExtBuilder::build_and_execute(|| {
		let id = rewarded_consumer(100, 1);
		fund(id, 10_000, 1_000);
		let before: Vec<_> = VALIDATORS.iter().map(|(v, _)| (native(*v), uatom(*v))).collect();
		start_era(1);
		let pots = vec![(Asset::Native, 10_000), (Asset::Voucher(UATOM), 1_000)];
		assert_eq!(snapshots(), vec![(id, 0, pots, vec![10_000, 1_000])]);
		assert_eq!(RewardEras::<Test>::get(id).into_inner(), vec![0]);
		// By power descending: 41, 31, 21, 11, one page each (no nominators).
		assert_eq!(CcvProvider::reward_pages(id, 0), 4);
		assert_eq!(owed(id).len(), 2);
		assert_eq!(CcvProvider::undistributed_rewards(id, &Asset::Native), 0);

		claim_all(id, 0);
		for ((v, stake), (n, a)) in VALIDATORS.iter().zip(before) {
			assert_eq!(native(*v) - n, stake * 10_000 / 10_000, "native of {v}");
			assert_eq!(uatom(*v) - a, stake / 10, "uatom of {v}");
		}
		assert!(owed(id).is_empty());
		assert_eq!(native(CcvProvider::fee_pool_account(id)), 1);
		assert_eq!(uatom(CcvProvider::fee_pool_account(id)), 0);
		assert!(provider_events().contains(&Event::ConsumerRewardsPaid {
			consumer_id: id,
			era: 0,
			page: 0,
			validator: 41,
			nominators: 0,
			paid: vec![(Asset::Native, 4_000), (Asset::Voucher(UATOM), 400)],
			retained: vec![(Asset::Native, 0), (Asset::Voucher(UATOM), 0)],
		}));
	});
}

#[test]
fn commission_goes_to_the_validator_and_the_rest_to_its_nominators_by_exposure() {
	ExtBuilder::build_and_execute(|| {
		let id = rewarded_consumer(100, 1);
		for n in 201..=205 {
			nominate(n, 1_000, vec![41]);
		}
		assert_ok!(CcvProvider::set_consumer_commission_rate(
			RuntimeOrigin::signed(41),
			id,
			Perbill::from_percent(10)
		));
		start_era(1);
		fund(id, 15_000, 0);
		start_era(2);
		// Era 1: 41 has 4000 own + 5 x 1000 nominated = power 900; total power 1500.
		// 41's share 9000: commission 900, rest 8100: own 3600, each nominator 900.
		// Pages: 41 has 3 exposure pages (2 nominators a page): flat 0..=2; 31, 21, 11: 3, 4, 5.
		assert_eq!(CcvProvider::reward_pages(id, 1), 6);
		let before_41 = native(41);
		let before: Vec<_> = (201..=205).map(native).collect();
		assert_noop!(claim(id, 1, 1), Error::<Test>::RewardPageOutOfOrder);
		assert_ok!(claim(id, 1, 0));
		assert_eq!(native(41) - before_41, 4_500);
		assert_noop!(claim(id, 1, 0), Error::<Test>::RewardPageClaimed);
		// The actual weight counts the page's nominators and the (native only) assets.
		let info = claim(id, 1, 1).unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::claim_consumer_rewards(2, 1)));
		assert_ok!(claim(id, 1, 2));
		assert_noop!(claim(id, 1, 2), Error::<Test>::RewardPageClaimed);
		for (n, b) in (201..=205).zip(before) {
			assert_eq!(native(n) - b, 900, "nominator {n}");
		}
		// Nominators are only paid once and the validator only with its first page.
		assert_eq!(native(41) - before_41, 4_500);
		assert_noop!(claim(id, 1, 6), Error::<Test>::InvalidRewardPage);
		assert_noop!(claim(id, 0, 0), Error::<Test>::NoRewardSnapshot);
		assert_noop!(claim(9, 1, 0), Error::<Test>::UnknownConsumer);
	});
}

#[test]
fn staking_commission_applies_without_an_override() {
	ExtBuilder::build_and_execute(|| {
		let id = rewarded_consumer(100, 1);
		nominate(201, 4_000, vec![41]);
		let prefs = pallet_staking::ValidatorPrefs {
			commission: Perbill::from_percent(50),
			blocked: false,
		};
		assert_ok!(Staking::validate(RuntimeOrigin::signed(41), prefs));
		start_era(1);
		fund(id, 12_000, 0);
		start_era(2);
		// Era 1: 41 has 8000 (power 800) of 1400 total; share 6857; commission 3428 (floor),
		// rest 3429 split 4000/8000 each: 1714 and 1714; one unit of dust.
		let (b41, b201) = (native(41), native(201));
		claim_all(id, 1);
		assert_eq!(native(41) - b41, 3_428 + 1_714);
		assert_eq!(native(201) - b201, 1_714);
	});
}

#[test]
fn only_the_consumer_set_of_the_era_is_rewarded() {
	ExtBuilder::build_and_execute(|| {
		let id = create_consumer(Some(0), top_n(0));
		for (i, (v, _)) in VALIDATORS.iter().enumerate() {
			assign(*v, id, 1 + i as u8);
		}
		assert_ok!(CcvProvider::opt_in(RuntimeOrigin::signed(41), id));
		assert_ok!(CcvProvider::opt_in(RuntimeOrigin::signed(31), id));
		next_block();
		fund(id, 7_000, 0);
		// 31 opts out during era 0: it validated era 0, so it is paid for it, not for era 1.
		assert_ok!(CcvProvider::opt_out(RuntimeOrigin::signed(31), id));
		let before: Vec<_> = VALIDATORS.iter().map(|(v, _)| native(*v)).collect();
		start_era(1);
		claim_all(id, 0);
		let gained: Vec<_> =
			VALIDATORS.iter().zip(&before).map(|((v, _), b)| native(*v) - b).collect();
		assert_eq!(gained, vec![0, 0, 3_000, 4_000]);

		fund(id, 7_000, 0);
		start_era(2);
		assert_eq!(CcvProvider::reward_pages(id, 1), 1);
		claim_all(id, 1);
		let gained: Vec<_> =
			VALIDATORS.iter().zip(&before).map(|((v, _), b)| native(*v) - b).collect();
		assert_eq!(gained, vec![0, 0, 3_000, 11_000]);
	});
}

#[test]
fn jailed_validators_get_nothing_for_the_era() {
	ExtBuilder::build_and_execute(|| {
		let id = rewarded_consumer(100, 1);
		fund(id, 8_000, 0);
		// Jailed right at the era's end: still in the consumer's last set, but not rewarded.
		Jailed::<Test>::insert(21, u64::MAX);
		let before: Vec<_> = VALIDATORS.iter().map(|(v, _)| native(*v)).collect();
		start_era(1);
		assert_eq!(CcvProvider::reward_pages(id, 0), 3);
		claim_all(id, 0);
		let gained: Vec<_> =
			VALIDATORS.iter().zip(&before).map(|((v, _), b)| native(*v) - b).collect();
		assert_eq!(gained, vec![1_000, 0, 3_000, 4_000]);
		Jailed::<Test>::remove(21);
	});
}

#[test]
fn dust_stays_in_the_fee_pool_and_joins_the_next_pot() {
	ExtBuilder::build_and_execute(|| {
		let id = rewarded_consumer(100, 1);
		fund(id, 1_003, 7);
		start_era(1);
		// Powers 100..400 of 1000: 1003 -> 100+200+300+401 (2 left); 7 -> 0+1+2+2 (2 left).
		assert_eq!(
			snapshots(),
			vec![(id, 0, vec![(Asset::Native, 1_003), (Asset::Voucher(UATOM), 7)], vec![1_001, 5])]
		);
		assert_eq!(CcvProvider::undistributed_rewards(id, &Asset::Native), 2);
		claim_all(id, 0);
		assert_eq!(CcvProvider::undistributed_rewards(id, &Asset::Native), 2);
		fund(id, 98, 3);
		start_era(2);
		// 2 + 98 = 100 shares out exactly; 2 + 3 = 5 -> 0+1+1+2.
		assert_eq!(
			snapshots().last().cloned(),
			Some((id, 1, vec![(Asset::Native, 100), (Asset::Voucher(UATOM), 5)], vec![100, 4]))
		);
	});
}

#[test]
fn unclaimed_rewards_are_held_back_from_the_next_pot() {
	ExtBuilder::build_and_execute(|| {
		let id = rewarded_consumer(100, 1);
		fund(id, 1_000, 0);
		start_era(1);
		fund(id, 2_000, 0);
		start_era(2);
		assert_eq!(snapshots().last().unwrap().2, vec![(Asset::Native, 2_000)]);
		assert_eq!(owed(id), vec![(Asset::Native, 3_000)]);
		// Both eras stay claimable.
		claim_all(id, 0);
		claim_all(id, 1);
		assert!(owed(id).is_empty());
		assert_eq!(native(CcvProvider::fee_pool_account(id)), 1);
	});
}

#[test]
fn snapshots_expire_after_reward_era_depth_and_release_what_they_owe() {
	ExtBuilder::build_and_execute(|| {
		let id = rewarded_consumer(100, 1);
		fund(id, 1_000, 0);
		start_era(1);
		assert_ok!(claim(id, 0, 0)); // 41 takes its 400 of era 0.
		start_era(2);
		assert_eq!(RewardEras::<Test>::get(id).into_inner(), vec![0]);
		fund(id, 10, 0);
		start_era(3);
		// Era 0 is out of the 2-era window: its 600 unpaid joins era 2's pot.
		assert!(provider_events().contains(&Event::ConsumerRewardsExpired {
			consumer_id: id,
			era: 0,
			released: vec![(Asset::Native, 600)],
		}));
		assert_eq!(snapshots().last().unwrap().2, vec![(Asset::Native, 610)]);
		assert_eq!(RewardEras::<Test>::get(id).into_inner(), vec![2]);
		assert_noop!(claim(id, 0, 1), Error::<Test>::NoRewardSnapshot);
		assert_eq!(ValidatorRewards::<Test>::iter_prefix((id, 0)).count(), 0);
	});
}

#[test]
fn failed_transfers_are_retained_for_the_next_era() {
	ExtBuilder::build_and_execute(|| {
		let id = rewarded_consumer(100, 1);
		fund(id, 1_000, 100);
		start_era(1);
		assert_ok!(Assets::freeze_asset(RuntimeOrigin::signed(ADMIN), UATOM));
		let b = (native(41), uatom(41));
		assert_ok!(claim(id, 0, 0));
		assert_eq!((native(41) - b.0, uatom(41) - b.1), (400, 0));
		assert!(provider_events().contains(&Event::ConsumerRewardsPaid {
			consumer_id: id,
			era: 0,
			page: 0,
			validator: 41,
			nominators: 0,
			paid: vec![(Asset::Native, 400), (Asset::Voucher(UATOM), 0)],
			retained: vec![(Asset::Native, 0), (Asset::Voucher(UATOM), 40)],
		}));
		// The owed vouchers are still held while frozen.
		CcvProvider::do_try_state().unwrap();
		assert_ok!(Assets::thaw_asset(RuntimeOrigin::signed(ADMIN), UATOM));
		claim_all_remaining(id, 0, 1);
		start_era(2);
		assert_eq!(snapshots().last().unwrap().2, vec![(Asset::Voucher(UATOM), 40)]);
	});
}

fn claim_all_remaining(consumer_id: ConsumerId, era: u32, from: u32) {
	for page in from..CcvProvider::reward_pages(consumer_id, era) {
		assert_ok!(claim(consumer_id, era, page));
	}
}

#[test]
fn each_era_is_snapshotted_once_and_not_before_launch() {
	ExtBuilder::build_and_execute(|| {
		start_era(1);
		let id = rewarded_consumer(100, 1);
		assert_eq!(NextRewardEra::<Test>::get(id), Some(1));
		// 900 over the era-1 set without 11 (powers 400, 300, 200) leaves no dust.
		fund(id, 900, 0);
		// A jail makes every set be recomputed in this era: no second snapshot, no era 0.
		CcvProvider::jail(&11, u64::MAX);
		next_block();
		next_block();
		assert!(snapshots().is_empty());
		start_era(2);
		start_era(3);
		let eras: Vec<_> = snapshots().into_iter().map(|(c, e, _, _)| (c, e)).collect();
		assert_eq!(eras, vec![(id, 1)]);
	});
}

#[test]
fn deleting_a_consumer_removes_its_rewards_state_but_not_its_fee_pool() {
	ExtBuilder::build_and_execute(|| {
		let id = rewarded_consumer(100, 1);
		assert_ok!(CcvProvider::set_consumer_commission_rate(
			RuntimeOrigin::signed(41),
			id,
			Perbill::from_percent(3)
		));
		fund(id, 1_000, 10);
		start_era(1);
		assert_ok!(CcvProvider::remove_consumer(RuntimeOrigin::root(), id));
		run_to_block(System::block_number() + UNBONDING_MS / BLOCK_TIME + 2);
		assert_eq!(Phase::<Test>::get(id), Some(ConsumerPhase::Deleted));
		assert!(RewardSnapshots::<Test>::iter_prefix(id).next().is_none());
		assert!(ValidatorRewards::<Test>::iter_prefix((id,)).next().is_none());
		assert!(owed(id).is_empty());
		assert!(RewardEras::<Test>::get(id).is_empty());
		assert!(ConsumerCommission::<Test>::get(id, 41).is_none());
		assert_eq!(NextRewardEra::<Test>::get(id), None);
		assert_eq!(native(CcvProvider::fee_pool_account(id)), 1_001);
	});
}

/// One end-to-end mix: nominations, commission overrides, pots.
struct Mix {
	nominations: Vec<(AccountId, Balance, Vec<AccountId>)>,
	commissions: Vec<(AccountId, u32)>,
	native_pot: Balance,
	uatom_pot: Balance,
}

#[test]
fn paid_plus_retained_equals_the_pot_for_many_mixes() {
	let mixes = vec![
		Mix { nominations: vec![], commissions: vec![], native_pot: 10_000, uatom_pot: 1 },
		Mix {
			nominations: vec![(201, 333, vec![41, 31]), (202, 777, vec![21]), (203, 1, vec![11])],
			commissions: vec![(41, 7), (21, 100)],
			native_pot: 9_999,
			uatom_pot: 12_345,
		},
		Mix {
			nominations: (201..=207).map(|n| (n, 100 * n as Balance - 20_000, vec![41])).collect(),
			commissions: vec![(41, 33)],
			native_pot: 1_000_003,
			uatom_pot: 999,
		},
		Mix {
			nominations: vec![(201, 5, vec![11, 21, 31, 41]), (202, 50_000, vec![11])],
			commissions: vec![(11, 1), (31, 99)],
			native_pot: 1,
			uatom_pot: 3,
		},
		Mix {
			nominations: vec![(201, 10_000_000, vec![41]), (202, 3, vec![41])],
			commissions: vec![],
			native_pot: 10u128.pow(30) + 7,
			uatom_pot: u128::MAX / 4,
		},
	];
	for (i, mix) in mixes.into_iter().enumerate() {
		ExtBuilder::build_and_execute(|| check_conservation(i, mix));
	}
}

fn check_conservation(case: usize, mix: Mix) {
	let id = rewarded_consumer(100, 1);
	for (who, stake, targets) in &mix.nominations {
		nominate(*who, *stake, targets.clone());
	}
	for (v, pct) in &mix.commissions {
		assert_ok!(CcvProvider::set_consumer_commission_rate(
			RuntimeOrigin::signed(*v),
			id,
			Perbill::from_percent(*pct)
		));
	}
	start_era(1);
	fund(id, mix.native_pot, mix.uatom_pot);
	start_era(2);
	let accounts: Vec<AccountId> = VALIDATORS
		.iter()
		.map(|(v, _)| *v)
		.chain(mix.nominations.iter().map(|(n, _, _)| *n))
		.collect();
	let before: Vec<_> = accounts.iter().map(|a| (native(*a), uatom(*a))).collect();
	let pages = CcvProvider::reward_pages(id, 1);
	assert!(pages >= 4, "case {case}: every validator has a page");
	claim_all(id, 1);
	let paid_native: Balance = accounts.iter().zip(&before).map(|(a, (n, _))| native(*a) - n).sum();
	let paid_uatom: Balance = accounts.iter().zip(&before).map(|(a, (_, u))| uatom(*a) - u).sum();
	let pool = CcvProvider::fee_pool_account(id);
	let retained_native = native(pool) - 1;
	let retained_uatom = uatom(pool);
	assert_eq!(paid_native + retained_native, mix.native_pot, "case {case}: native");
	assert_eq!(paid_uatom + retained_uatom, mix.uatom_pot, "case {case}: uatom");
	// Rounding loses less than one unit per validator share and per payee.
	let bound = (VALIDATORS.len() * 2 + mix.nominations.len() * VALIDATORS.len()) as Balance;
	assert!(retained_native <= bound, "case {case}: native dust {retained_native}");
	assert!(retained_uatom <= bound, "case {case}: uatom dust {retained_uatom}");
	assert!(owed(id).is_empty(), "case {case}");
	assert_eq!(CcvProvider::undistributed_rewards(id, &Asset::Native), retained_native);
	// The dust is the next era's pot.
	start_era(3);
	let next: Vec<_> = snapshots().into_iter().filter(|(_, e, _, _)| *e == 2).collect();
	let expected: Vec<_> =
		[(Asset::Native, retained_native), (Asset::Voucher(UATOM), retained_uatom)]
			.into_iter()
			.filter(|(_, a)| *a > 0)
			.collect();
	assert_eq!(next.first().map(|s| s.2.clone()).unwrap_or_default(), expected, "case {case}");
}

/// Deterministic pseudo-random numbers (xorshift) for the arithmetic table.
struct Rng(u64);
impl Rng {
	fn next(&mut self) -> u64 {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		self.0
	}
	fn below(&mut self, n: u64) -> u64 {
		self.next() % n.max(1)
	}
}

#[test]
fn shares_and_page_splits_never_pay_more_than_the_pot_and_lose_little() {
	let mut rng = Rng(0x5eed_1234_abcd_0001);
	let edge_pots: [u128; 5] = [0, 1, 999, u128::MAX / 3, u128::MAX];
	for case in 0..500 {
		let pot: u128 = match case % 7 {
			0..=4 => edge_pots[case % 5],
			5 => u128::from(rng.next()),
			_ => u128::from(rng.next()) * u128::from(rng.next()),
		};
		let validators = 1 + rng.below(8) as usize;
		let powers: Vec<u64> = (0..validators)
			.map(|_| 1 + rng.below(if case % 2 == 0 { 10 } else { u64::MAX / 64 }))
			.collect();
		let total_power: u128 = powers.iter().map(|p| u128::from(*p)).sum();
		let mut paid: u128 = 0;
		let mut floors: u128 = 0;
		for power in &powers {
			let share = pro_rata(pot, u128::from(*power), total_power);
			floors += 1;
			let commission = Perbill::from_parts(rng.below(1_000_000_001) as u32);
			let nominators: Vec<u128> =
				(0..rng.below(6)).map(|_| u128::from(rng.below(1 << 40))).collect();
			let own = u128::from(rng.below(1 << 40));
			let total = own + nominators.iter().sum::<u128>();
			// Pages of at most 2 nominators, the first one carrying the validator's part.
			let mut share_paid: u128 = 0;
			let chunks: Vec<&[u128]> =
				if nominators.is_empty() { vec![&[]] } else { nominators.chunks(2).collect() };
			for (k, page) in chunks.iter().enumerate() {
				let (v, ns) = split_page(share, commission, own, total, k == 0, page);
				share_paid += v + ns.iter().sum::<u128>();
			}
			assert!(
				share_paid <= share,
				"case {case}: a validator's pages pay {share_paid} > {share}"
			);
			floors += 1 + nominators.len() as u128;
			paid += share_paid;
		}
		assert!(paid <= pot, "case {case}: paid {paid} > pot {pot}");
		assert!(pot - paid <= floors, "case {case}: lost {} > {floors}", pot - paid);
	}
}

#[test]
fn pro_rata_rounds_down_and_handles_zero() {
	assert_eq!(pro_rata(10u128, 1, 3), 3);
	assert_eq!(pro_rata(10u128, 2, 3), 6);
	assert_eq!(pro_rata(10u128, 0, 3), 0);
	assert_eq!(pro_rata(10u128, 3, 0), 0);
	assert_eq!(pro_rata(u128::MAX, 1, 1), u128::MAX);
	assert_eq!(pro_rata(u128::MAX, u128::MAX - 1, u128::MAX), u128::MAX - 1);
	// A part larger than the whole is capped at the whole.
	assert_eq!(pro_rata(10u128, 5, 3), 10);
	let (v, ns) = split_page(1_000u128, Perbill::from_percent(10), 0, 0, true, &[]);
	assert_eq!((v, ns), (100, vec![]));
}
