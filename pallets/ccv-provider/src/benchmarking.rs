//! Benchmarks of the calls and of the per-consumer hook work (frame-benchmarking v2).
//!
//! Hook benchmarks seed this pallet's own storage (era candidates, keys) rather than running
//! staking elections, so `v` (the number of candidates) is exact.

use crate::{pallet::*, types::*, *};
use alloc::{vec, vec::Vec};
use ccv_primitives::{
	channel::IbcId, ConsensusKey, ConsumerId, ConsumerParams, ValidatorUpdate, VscPacket,
};
use frame_benchmarking::v2::*;
use frame_support::{traits::EnsureOrigin, BoundedVec};
use frame_system::RawOrigin;
use pallet_staking::RewardDestination;

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
		#[block]
		{
			let (_, candidates) = Pallet::<T>::current_candidates();
			let set = Pallet::<T>::compute_consumer_set(id, &candidates);
			Pallet::<T>::queue_vsc(id, set);
		}
		assert_eq!(PendingVsc::<T>::get(id).map(|p| p.validator_updates.len() as u32), Some(v));
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
			VscSession::<T>::insert(id, u64::from(i), i);
		}
		Pallet::<T>::stop_consumer(id, StopReason::Removed);
		#[block]
		{
			Pallet::<T>::delete_due_consumers(u64::MAX);
		}
		assert_eq!(Phase::<T>::get(id), Some(ConsumerPhase::Deleted));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder::build(), crate::mock::Test);
}
