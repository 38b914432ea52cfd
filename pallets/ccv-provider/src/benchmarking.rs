//! Benchmarks of the calls and of the per-consumer hook work (frame-benchmarking v2).
//!
//! Hook benchmarks seed this pallet's own storage (era candidates, keys) rather than running
//! staking elections, so `v` (the number of candidates) is exact.

use crate::rewards::BenchmarkHelper as _;
use crate::{pallet::*, types::*, *};
use alloc::{vec, vec::Vec};
use ccv_primitives::{
	channel::IbcId, ConsensusKey, ConsumerId, ConsumerParams, ValidatorUpdate, VscPacket,
};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect as _, Mutate as _},
		fungibles::Mutate as _,
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use pallet_staking::RewardDestination;
use sp_runtime::{traits::Saturating, Perbill};
use sp_staking::{ExposurePage, IndividualExposure, PagedExposureMetadata};

fn key(i: u32) -> ConsensusKey {
	let mut k = [0xB0; 32];
	k[..4].copy_from_slice(&i.to_le_bytes());
	ConsensusKey(k)
}

fn stash<T: Config>(n: u32) -> T::AccountId {
	pallet_staking::testing_utils::create_stash_controller::<T>(n, 100, RewardDestination::Staked)
		.map(|(stash, _)| stash)
		.unwrap_or_else(|_| account("stash", n, 0))
}

fn full_list<T: Config>(seed: u32) -> ValidatorList<T::AccountId> {
	BoundedVec::truncate_from(
		(0..MAX_POWER_SHAPING_LIST_LEN).map(|i| account("listed", i, seed)).collect::<Vec<_>>(),
	)
}

fn new_consumer<T: Config>(owner: Option<T::AccountId>, top_n: u8) -> ConsumerId {
	let power_shaping = PowerShapingParams { top_n, ..Default::default() };
	Pallet::<T>::do_create_consumer(
		owner,
		BoundedVec::truncate_from(b"bench-1".to_vec()),
		BoundedVec::new(),
		Some(InitParams { spawn_time_ms: None, params: ConsumerParams::default() }),
		power_shaping,
		Default::default(),
	)
	.unwrap_or_default()
}

/// Seeds `v` candidates of era 0 with keys on `consumer_id`.
fn seed_candidates<T: Config>(consumer_id: ConsumerId, v: u32) {
	let candidates: Vec<_> = (0..v)
		.map(|i| {
			let validator: T::AccountId = account("candidate", i, 0);
			ConsumerKeys::<T>::insert(consumer_id, &validator, key(i));
			Candidate { validator, stake: 1000u32.into(), power: u64::from(v - i) }
		})
		.collect();
	pallet_staking::ActiveEra::<T>::put(pallet_staking::ActiveEraInfo { index: 0, start: None });
	EraCandidates::<T>::put((0, BoundedVec::truncate_from(candidates)));
}

type Currency<T> = <T as pallet_staking::Config>::Currency;

/// Gives `who` the existential deposit (so it can hold non-sufficient voucher assets).
fn endow<T: Config>(who: &T::AccountId) {
	let ed = Currency::<T>::minimum_balance();
	Currency::<T>::set_balance(who, ed.max(1u32.into()));
}

/// Seeds `v` validators of era 0 in `consumer_id`'s set, each with an exposure of its own.
fn seed_rewarded_validators<T: Config>(consumer_id: ConsumerId, v: u32) {
	let mut set = Vec::new();
	for i in 0..v {
		let validator: T::AccountId = account("rewarded", i, 0);
		pallet_staking::ErasStakersOverview::<T>::insert(
			0,
			&validator,
			PagedExposureMetadata {
				total: 1000u32.into(),
				own: 1000u32.into(),
				nominator_count: 0,
				page_count: 0,
			},
		);
		set.push(ConsumerValidator { validator, key: key(i), power: u64::from(i) + 1 });
	}
	ConsumerValidators::<T>::insert(consumer_id, BoundedVec::truncate_from(set));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_consumer() -> Result<(), BenchmarkError> {
		let origin = T::ConsumerAdminOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;
		let chain_id = BoundedVec::truncate_from(vec![b'c'; MAX_CHAIN_ID_LEN as usize]);
		let metadata = BoundedVec::truncate_from(vec![b'm'; MAX_METADATA_LEN as usize]);
		let power_shaping = PowerShapingParams {
			allowlist: full_list::<T>(1),
			denylist: full_list::<T>(2),
			prioritylist: full_list::<T>(3),
			..Default::default()
		};
		let init = Some(InitParams { spawn_time_ms: Some(u64::MAX), params: Default::default() });
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, chain_id, metadata, init, power_shaping, Default::default());
		assert_eq!(NextConsumerId::<T>::get(), 1);
		Ok(())
	}

	#[benchmark]
	fn update_consumer() {
		let owner: T::AccountId = whitelisted_caller();
		let id = new_consumer::<T>(Some(owner.clone()), 0);
		let update = ConsumerUpdate {
			new_owner: Some(owner.clone()),
			chain_id: Some(BoundedVec::truncate_from(vec![b'c'; MAX_CHAIN_ID_LEN as usize])),
			metadata: Some(BoundedVec::truncate_from(vec![b'm'; MAX_METADATA_LEN as usize])),
			init_params: Some(InitParams {
				spawn_time_ms: Some(u64::MAX),
				params: Default::default(),
			}),
			power_shaping: Some(PowerShapingParams {
				allowlist: full_list::<T>(1),
				denylist: full_list::<T>(2),
				prioritylist: full_list::<T>(3),
				..Default::default()
			}),
			infraction_params: Some(Default::default()),
		};
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, update);
		assert_eq!(Phase::<T>::get(id), Some(ConsumerPhase::Initialized));
	}

	#[benchmark]
	fn remove_consumer() {
		let owner: T::AccountId = whitelisted_caller();
		let id = new_consumer::<T>(Some(owner.clone()), 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert_eq!(Phase::<T>::get(id), Some(ConsumerPhase::Stopped));
	}

	#[benchmark]
	fn assign_consumer_key() {
		let id = new_consumer::<T>(None, 0);
		let who = stash::<T>(1);
		Pallet::<T>::do_assign_consumer_key(who.clone(), id, key(1)).unwrap_or_default();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id, key(2));
		assert_eq!(ConsumerKeys::<T>::get(id, &who), Some(key(2)));
	}

	#[benchmark]
	fn opt_in() {
		let id = new_consumer::<T>(None, 0);
		let who = stash::<T>(1);
		Pallet::<T>::do_assign_consumer_key(who.clone(), id, key(1)).unwrap_or_default();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id);
		assert!(OptedIn::<T>::contains_key(id, &who));
	}

	#[benchmark]
	fn opt_out() {
		let id = new_consumer::<T>(None, 0);
		let who = stash::<T>(1);
		Pallet::<T>::do_assign_consumer_key(who.clone(), id, key(1)).unwrap_or_default();
		Pallet::<T>::do_opt_in(who.clone(), id).unwrap_or_default();
		MinPowerInTopN::<T>::insert(id, u64::MAX);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id);
		assert!(!OptedIn::<T>::contains_key(id, &who));
	}

	#[benchmark]
	fn unjail() {
		let who: T::AccountId = whitelisted_caller();
		Jailed::<T>::insert(&who, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Jailed::<T>::contains_key(&who));
	}

	#[benchmark]
	fn recompute_consumer(v: Linear<1, { T::MaxValidators::get() }>) {
		let id = new_consumer::<T>(None, 100);
		seed_candidates::<T>(id, v);
		// Worst case: every candidate is opted in automatically (top N 100%), a full
		// prioritylist is consulted and the power cap reshapes the set.
		PowerShaping::<T>::mutate(id, |ps| {
			if let Some(ps) = ps {
				ps.prioritylist = full_list::<T>(3);
				ps.validators_power_cap = sp_runtime::Percent::from_percent(10);
			}
		});
		#[block]
		{
			let (_, candidates) = Pallet::<T>::current_candidates();
			let set = Pallet::<T>::compute_consumer_set(id, &candidates);
			Pallet::<T>::queue_vsc(id, set);
		}
		assert_eq!(PendingVsc::<T>::get(id).map(|p| p.validator_updates.len() as u32), Some(v));
	}

	/// An era change where `c` of `v` candidates changed power, on an opt-in consumer (every
	/// candidate opted in with a key, no caps) whose set was computed the era before: the set
	/// is derived from the changes, so the storage work grows with `c`, not `v`.
	#[benchmark]
	fn recompute_consumer_changed(
		v: Linear<1, { T::MaxValidators::get() }>,
		c: Linear<0, { T::MaxValidators::get() }>,
	) {
		let c = c.min(v);
		let id = new_consumer::<T>(None, 0);
		seed_candidates::<T>(id, v);
		let (_, before) = Pallet::<T>::current_candidates();
		for candidate in before.iter() {
			OptedIn::<T>::insert(id, &candidate.validator, ());
		}
		let set = Pallet::<T>::compute_consumer_set(id, &before);
		Pallet::<T>::queue_vsc(id, set);
		// As if that VSC was sent.
		SentValidators::<T>::insert(id, ConsumerValidators::<T>::get(id));
		PendingVsc::<T>::remove(id);
		SendQueue::<T>::kill();
		let after: Vec<_> = before
			.iter()
			.enumerate()
			.map(|(i, candidate)| {
				let mut candidate = candidate.clone();
				if (i as u32) < c {
					candidate.power = candidate.power.saturating_add(u64::from(v));
				}
				candidate
			})
			.collect();
		let changes: Vec<_> =
			after.iter().take(c as usize).map(|x| (x.validator.clone(), Some(x.clone()))).collect();
		pallet_staking::ActiveEra::<T>::put(pallet_staking::ActiveEraInfo {
			index: 1,
			start: None,
		});
		EraCandidates::<T>::put((1, BoundedVec::truncate_from(after)));
		EraCandidateChanges::<T>::put((1, BoundedVec::truncate_from(changes)));
		#[block]
		{
			let (_, candidates) = Pallet::<T>::current_candidates();
			let (_, set) = Pallet::<T>::recompute_consumer_set(id, &candidates);
			Pallet::<T>::queue_vsc(id, set);
		}
		assert_eq!(SetStamps::<T>::get(id).map(|s| s.era), Some(1));
		let raised =
			ConsumerValidators::<T>::get(id).iter().filter(|m| m.power > u64::from(v)).count();
		assert_eq!(raised as u32, c);
		let updates = PendingVsc::<T>::get(id).map(|p| p.validator_updates.len() as u32);
		assert_eq!(updates.unwrap_or_default(), c);
	}

	#[benchmark]
	fn send_vsc() {
		let id = new_consumer::<T>(None, 100);
		let v = T::MaxValidators::get();
		let updates: Vec<_> = (0..v).map(|i| ValidatorUpdate { key: key(i), power: 1 }).collect();
		let packet = VscPacket {
			validator_updates: BoundedVec::truncate_from(updates),
			vsc_id: 1,
			slash_acks: BoundedVec::new(),
		};
		PendingVsc::<T>::insert(id, packet);
		SendQueue::<T>::put(BoundedVec::truncate_from(vec![id]));
		ConsumerChannel::<T>::insert(id, IbcId::truncate_from(b"channel-0".to_vec()));
		#[block]
		{
			Pallet::<T>::send_pending_vscs(0);
		}
		assert!(SendQueue::<T>::get().is_empty());
	}

	#[benchmark]
	fn launch_consumer(v: Linear<1, { T::MaxValidators::get() }>) {
		let id = new_consumer::<T>(None, 100);
		seed_candidates::<T>(id, v);
		Phase::<T>::insert(id, ConsumerPhase::Initialized);
		SpawnQueue::<T>::put(BoundedVec::truncate_from(vec![(0, id)]));
		#[block]
		{
			Pallet::<T>::launch_due_consumers(u64::MAX);
		}
		assert_eq!(Phase::<T>::get(id), Some(ConsumerPhase::Launched));
		assert_eq!(ConsumerValidators::<T>::get(id).len() as u32, v);
	}

	#[benchmark]
	fn delete_consumer_step(k: Linear<1, { T::CleanupLimit::get() }>) {
		let id = new_consumer::<T>(None, 0);
		for i in 0..k {
			let validator: T::AccountId = account("validator", i, 0);
			ConsumerKeys::<T>::insert(id, &validator, key(i));
			KeyOwners::<T>::insert(id, key(i).address(), &validator);
			OptedIn::<T>::insert(id, &validator, ());
		}
		Pallet::<T>::stop_consumer(id, StopReason::Removed);
		#[block]
		{
			Pallet::<T>::delete_due_consumers(u64::MAX);
		}
		assert_eq!(Phase::<T>::get(id), Some(ConsumerPhase::Deleted));
	}

	#[benchmark]
	fn set_consumer_commission_rate() {
		let id = new_consumer::<T>(None, 0);
		let who = stash::<T>(1);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), id, Perbill::from_percent(5));
		assert_eq!(ConsumerCommission::<T>::get(id, &who), Some(Perbill::from_percent(5)));
	}

	/// One validator's first page with `n` nominators, paid in `a` assets (native + vouchers).
	#[benchmark]
	fn claim_consumer_rewards(
		n: Linear<0, { <T as pallet_staking::Config>::MaxExposurePageSize::get() }>,
		a: Linear<1, { T::MaxRewardAssets::get().saturating_add(1) }>,
	) -> Result<(), BenchmarkError> {
		let id = new_consumer::<T>(None, 0);
		let pool = Pallet::<T>::fee_pool_account(id);
		let ed = Currency::<T>::minimum_balance().max(1u32.into());
		let stake: BalanceOf<T> = 1000u32.into();
		let pot = ed.saturating_mul(1_000_000u32.into());
		let validator: T::AccountId = account("validator", 0, 0);
		let nominators: Vec<T::AccountId> = (0..n).map(|i| account("nominator", i, 0)).collect();
		endow::<T>(&validator);
		nominators.iter().for_each(endow::<T>);
		Currency::<T>::set_balance(&pool, pot.saturating_add(ed));
		let mut pots = vec![(RewardAsset::Native, pot)];
		for i in 1..a {
			let asset = <T as Config>::BenchmarkHelper::create_voucher(i);
			T::RewardAssets::mint_into(asset.clone(), &pool, pot)?;
			pots.push((RewardAsset::Voucher(asset), pot));
		}
		for (asset, amount) in &pots {
			RewardsOwed::<T>::insert(id, asset, amount);
		}
		let others: Vec<_> = nominators
			.iter()
			.map(|who| IndividualExposure { who: who.clone(), value: stake })
			.collect();
		pallet_staking::ErasStakersPaged::<T>::insert(
			(0, &validator, 0),
			ExposurePage { page_total: stake.saturating_mul(n.into()), others },
		);
		let shares = BoundedVec::truncate_from(vec![pot; a as usize]);
		ValidatorRewards::<T>::insert(
			(id, 0, 0),
			ValidatorReward::<T> {
				validator,
				power: 1,
				commission: Perbill::from_percent(10),
				own: stake,
				total: stake.saturating_mul((n + 1).into()),
				pages: 1,
				next_page: 0,
				share: shares.clone(),
				unpaid: shares,
			},
		);
		RewardSnapshots::<T>::insert(
			id,
			0,
			RewardSnapshot::<T> {
				pots: BoundedVec::truncate_from(pots),
				total_power: 1,
				page_starts: BoundedVec::truncate_from(vec![0]),
				pages: 1,
			},
		);
		RewardEras::<T>::insert(id, BoundedVec::truncate_from(vec![0]));
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, 0, 0);
		assert!(ValidatorRewards::<T>::get((id, 0, 0)).is_none());
		Ok(())
	}

	/// Snapshotting a consumer's native pot for `v` validators.
	#[benchmark]
	fn snapshot_consumer_rewards(v: Linear<1, { T::MaxValidators::get() }>) {
		let id = new_consumer::<T>(None, 0);
		seed_rewarded_validators::<T>(id, v);
		let pool = Pallet::<T>::fee_pool_account(id);
		let ed = Currency::<T>::minimum_balance().max(1u32.into());
		Currency::<T>::set_balance(&pool, ed.saturating_mul(1_000_000u32.into()));
		#[block]
		{
			Pallet::<T>::snapshot_consumer_rewards(id, 1);
		}
		assert_eq!(RewardSnapshots::<T>::get(id, 0).map(|s| s.pages), Some(v));
	}

	/// Expiring a snapshot with `v` unpaid validator records.
	#[benchmark]
	fn expire_reward_snapshot(v: Linear<1, { T::MaxValidators::get() }>) {
		let id = new_consumer::<T>(None, 0);
		seed_rewarded_validators::<T>(id, v);
		let pool = Pallet::<T>::fee_pool_account(id);
		let ed = Currency::<T>::minimum_balance().max(1u32.into());
		Currency::<T>::set_balance(&pool, ed.saturating_mul(1_000_000u32.into()));
		Pallet::<T>::snapshot_consumer_rewards(id, 1);
		let depth = T::RewardEraDepth::get();
		#[block]
		{
			Pallet::<T>::expire_reward_snapshots(id, depth);
		}
		assert!(RewardSnapshots::<T>::get(id, 0).is_none());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder::build(), crate::mock::Test);
}
