//! Benchmarks of the calls and of the per-consumer hook work (frame-benchmarking v2).
//!
//! Hook benchmarks seed this pallet's own storage (era candidates, keys) rather than running
//! staking elections, so `v` (the number of candidates) is exact. What lives outside the
//! pallet (voucher assets, an open CCV channel on the IBC host, evidence signed by a consumer
//! key) comes from the runtime's [`BenchmarkHelper`](crate::types::BenchmarkHelper).

use crate::types::BenchmarkHelper as _;
use crate::{pallet::*, types::*, *};
use alloc::{vec, vec::Vec};
use ccv_primitives::{
	channel::{CcvIbcApp, ChannelOpen, IbcId, PacketRef},
	wire::{encode_consumer_packet, Acknowledgement, CcvAckResult},
	ConsensusKey, ConsumerId, ConsumerPacket, ConsumerParams, Infraction, SlashPacket,
	ValidatorUpdate, VscMaturedPacket, VscPacket, CCV_VERSION, CONSUMER_PORT_ID, PROVIDER_PORT_ID,
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
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use pallet_staking::{RewardDestination, ValidatorPrefs};
use sp_runtime::{traits::Saturating, Perbill};
use sp_staking::{ExposurePage, IndividualExposure, PagedExposureMetadata, StakingInterface};

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
	seed_candidates_with::<T>(consumer_id, v, None);
}

/// Seeds `v` candidates of era 0 with keys on `consumer_id`; `first`, if given, replaces the
/// strongest one (a validator with its key there).
fn seed_candidates_with<T: Config>(
	consumer_id: ConsumerId,
	v: u32,
	first: Option<(T::AccountId, ConsensusKey)>,
) {
	let candidates: Vec<_> = (0..v)
		.map(|i| {
			let (validator, consumer_key) = match (&first, i) {
				(Some(first), 0) => first.clone(),
				_ => (account("candidate", i, 0), key(i)),
			};
			ConsumerKeys::<T>::insert(consumer_id, &validator, consumer_key);
			KeyOwners::<T>::insert(consumer_id, consumer_key.address(), &validator);
			UsedKeys::<T>::insert(consumer_key, (consumer_id, validator.clone()));
			Candidate { validator, stake: 1000u32.into(), power: u64::from(v - i) }
		})
		.collect();
	pallet_staking::ActiveEra::<T>::put(pallet_staking::ActiveEraInfo { index: 0, start: None });
	EraCandidates::<T>::put((0, BoundedVec::truncate_from(candidates)));
}

/// Launches a top-N 100% consumer over `v` seeded candidates (`first` as in
/// [`seed_candidates_with`]), creating its client on the IBC host.
fn launched_consumer<T: Config>(
	v: u32,
	first: Option<(T::AccountId, ConsensusKey)>,
) -> Result<ConsumerId, BenchmarkError> {
	// Setup runs before the framework moves to block 1, and an IBC host may not create a
	// client at block 0 (ibc-rs has no height 0).
	if frame_system::Pallet::<T>::block_number() == 0u32.into() {
		frame_system::Pallet::<T>::set_block_number(1u32.into());
	}
	let id = new_consumer::<T>(None, 100);
	seed_candidates_with::<T>(id, v, first);
	Phase::<T>::insert(id, ConsumerPhase::Initialized);
	SpawnQueue::<T>::put(BoundedVec::truncate_from(vec![(0, id)]));
	Pallet::<T>::launch_due_consumers(u64::MAX);
	if Phase::<T>::get(id) != Some(ConsumerPhase::Launched) {
		return Err(BenchmarkError::Stop("the consumer did not launch"));
	}
	Ok(id)
}

fn ibc_id(s: &str) -> IbcId {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

/// A consumer launched with `MaxValidators` validators and its CCV channel open on the IBC
/// host and established here.
fn consumer_with_channel<T: Config>() -> Result<(ConsumerId, IbcId), BenchmarkError> {
	let id = launched_consumer::<T>(T::MaxValidators::get(), None)?;
	let client = ConsumerClient::<T>::get(id).ok_or(BenchmarkError::Stop("no client"))?;
	let channel = T::BenchmarkHelper::open_ccv_channel(&client).map_err(BenchmarkError::Stop)?;
	ConsumerChannel::<T>::insert(id, &channel);
	ChannelToConsumer::<T>::insert(&channel, id);
	Ok((id, channel))
}

/// A consumer launched with `MaxValidators` validators and the `chan_open_try` of its CCV
/// channel.
fn channel_open_try<T: Config>() -> Result<(ConsumerId, ChannelOpen), BenchmarkError> {
	let id = launched_consumer::<T>(T::MaxValidators::get(), None)?;
	let client_id = ConsumerClient::<T>::get(id).ok_or(BenchmarkError::Stop("no client"))?;
	let open = ChannelOpen {
		port: ibc_id(PROVIDER_PORT_ID),
		channel: ibc_id("channel-7"),
		counterparty_port: ibc_id(CONSUMER_PORT_ID),
		ordered: true,
		connection_hops: vec![ibc_id("connection-0")],
		client_id,
		version: CCV_VERSION.as_bytes().to_vec(),
	};
	Ok((id, open))
}

/// A bonded, validating stash in the session's validators, with an exposure in the active era
/// of its own stake and one full page of `nominators` bonded nominators: the offender of the
/// slashing benchmarks (every nominator is slashed with it).
fn exposed_validator<T: Config>(nominators: u32) -> Result<T::AccountId, BenchmarkError> {
	pallet_staking::MinValidatorBond::<T>::put(BalanceOf::<T>::from(0u32));
	// Jailing must not be skipped for the minimum validator count.
	pallet_staking::MinimumValidatorCount::<T>::put(0);
	let (validator, controller) = pallet_staking::testing_utils::create_stash_controller::<T>(
		u32::MAX - 1,
		10_000,
		RewardDestination::Staked,
	)
	.map_err(|_| BenchmarkError::Stop("cannot bond the benchmark's validator"))?;
	pallet_staking::Pallet::<T>::validate(
		RawOrigin::Signed(controller).into(),
		ValidatorPrefs::default(),
	)
	.map_err(|_| BenchmarkError::Stop("staking refused the benchmark's validator"))?;
	let own = staked::<T>(&validator)?;
	let mut others = Vec::new();
	for i in 0..nominators {
		let (nominator, _) = pallet_staking::testing_utils::create_stash_controller::<T>(
			i,
			1_000,
			RewardDestination::Staked,
		)
		.map_err(|_| BenchmarkError::Stop("cannot bond a benchmark nominator"))?;
		let value = staked::<T>(&nominator)?;
		others.push(IndividualExposure { who: nominator, value });
	}
	let page_total = others.iter().fold(BalanceOf::<T>::from(0u32), |acc, o| acc + o.value);
	let era = pallet_staking::ActiveEra::<T>::get().map(|e| e.index).unwrap_or_default();
	pallet_staking::ErasStakersOverview::<T>::insert(
		era,
		&validator,
		PagedExposureMetadata {
			total: own.saturating_add(page_total),
			own,
			nominator_count: nominators,
			page_count: 1,
		},
	);
	pallet_staking::ErasStakersPaged::<T>::insert(
		(era, &validator, 0),
		ExposurePage { page_total, others },
	);
	pallet_session::Validators::<T>::append(validator.clone());
	Ok(validator)
}

/// `who`'s active bonded stake.
fn staked<T: Config>(who: &T::AccountId) -> Result<BalanceOf<T>, BenchmarkError> {
	<pallet_staking::Pallet<T> as StakingInterface>::stake(who)
		.map(|stake| stake.active)
		.map_err(|_| BenchmarkError::Stop("not bonded"))
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

	/// Sending a VSC of `2 * MaxValidators` updates (a whole set replaced) over an open
	/// channel of the IBC host, with the consumer's VSC session records full.
	#[benchmark]
	fn send_vsc() -> Result<(), BenchmarkError> {
		let v = T::MaxValidators::get();
		let id = launched_consumer::<T>(v, None)?;
		let client = ConsumerClient::<T>::get(id).ok_or(BenchmarkError::Stop("no client"))?;
		let channel =
			T::BenchmarkHelper::open_ccv_channel(&client).map_err(BenchmarkError::Stop)?;
		ConsumerChannel::<T>::insert(id, &channel);
		ChannelToConsumer::<T>::insert(&channel, id);
		let records = T::MaxVscRecords::get();
		VscSessions::<T>::insert(
			id,
			BoundedVec::truncate_from(
				(0..records)
					.map(|i| VscSessionRecord { vsc_id: i.into(), session: 0, sent_ms: 0 })
					.collect::<Vec<_>>(),
			),
		);
		let vsc_id = u64::from(records);
		NextVscId::<T>::insert(id, vsc_id.saturating_add(1));
		let updates: Vec<_> = (0..2 * v)
			.map(|i| ValidatorUpdate { key: key(i), power: if i < v { 0 } else { 1 } })
			.collect();
		let packet = VscPacket {
			validator_updates: BoundedVec::truncate_from(updates),
			vsc_id,
			slash_acks: BoundedVec::new(),
		};
		PendingVsc::<T>::insert(id, packet);
		SendQueue::<T>::put(BoundedVec::truncate_from(vec![id]));
		#[block]
		{
			Pallet::<T>::send_pending_vscs(0);
		}
		assert!(SendQueue::<T>::get().is_empty());
		assert!(PendingVsc::<T>::get(id).is_none(), "the VSC was not sent");
		assert_eq!(Phase::<T>::get(id), Some(ConsumerPhase::Launched));
		Ok(())
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

	/// `on_initialize` in a block with nothing to do: no launch, timeout, era change, slash
	/// request, VSC or deletion due, and the slash meter not due for replenishing.
	#[benchmark]
	fn on_initialize_idle() {
		let era = pallet_staking::ActiveEra::<T>::get().map(|e| e.index).unwrap_or_default();
		LastEra::<T>::put(era);
		Recompute::<T>::kill();
		SlashMeterNextReplenish::<T>::put(u64::MAX);
		let n: BlockNumberFor<T> = 1u32.into();
		#[block]
		{
			<Pallet<T> as frame_support::traits::Hooks<BlockNumberFor<T>>>::on_initialize(n);
		}
		assert!(Recompute::<T>::get().is_none());
	}

	/// Building the candidates of a new era from `v` session validators with exposures, and
	/// their changes against the previous era's candidates (every one changed).
	#[benchmark]
	fn era_candidates(v: Linear<1, { T::MaxValidators::get() }>) {
		let validators: Vec<T::AccountId> = (0..v).map(|i| account("candidate", i, 0)).collect();
		let previous: Vec<_> = validators
			.iter()
			.map(|validator| Candidate {
				validator: validator.clone(),
				stake: 1u32.into(),
				power: 1,
			})
			.collect();
		for (i, validator) in validators.iter().enumerate() {
			let stake = BalanceOf::<T>::from(1000u32 + i as u32);
			pallet_staking::ErasStakersOverview::<T>::insert(
				1,
				validator,
				PagedExposureMetadata {
					total: stake,
					own: stake,
					nominator_count: 0,
					page_count: 0,
				},
			);
		}
		pallet_session::Validators::<T>::put(validators);
		EraCandidates::<T>::put((0, BoundedVec::truncate_from(previous)));
		pallet_staking::ActiveEra::<T>::put(pallet_staking::ActiveEraInfo {
			index: 1,
			start: None,
		});
		#[block]
		{
			Pallet::<T>::current_candidates();
		}
		assert_eq!(EraCandidates::<T>::get().map(|(era, c)| (era, c.len() as u32)), Some((1, v)));
		let changes = EraCandidateChanges::<T>::get().map(|(_, c)| c.len() as u32);
		assert_eq!(changes, Some(v));
	}

	/// Reporting one downtime slash of a validator with a full exposure page of nominators
	/// (slashed at once, as `SlashDeferDuration` is 0 in this pallet's runtimes) and jailing
	/// it (session disable, staking chill, recomputation request).
	#[benchmark]
	fn report_downtime_slash() -> Result<(), BenchmarkError> {
		let nominators = <T as pallet_staking::Config>::MaxExposurePageSize::get();
		let validator = exposed_validator::<T>(nominators)?;
		let id = new_consumer::<T>(None, 0);
		let mut params = InfractionParams::default();
		params.downtime.slash_fraction = Perbill::from_percent(10);
		InfractionParamsOf::<T>::insert(id, params);
		LastEra::<T>::put(0);
		let before = staked::<T>(&validator)?;
		DowntimeSlashRequests::<T>::put(BoundedVec::truncate_from(vec![DowntimeSlashRequest {
			consumer_id: id,
			validator: validator.clone(),
			vsc_id: 0,
			session: pallet_session::CurrentIndex::<T>::get(),
		}]));
		#[block]
		{
			Pallet::<T>::report_downtime_slashes();
		}
		assert!(Jailed::<T>::contains_key(&validator));
		assert!(staked::<T>(&validator)? < before, "the validator was not slashed");
		Ok(())
	}

	/// Evidence of an equivocation by the key of a validator with a full exposure page of
	/// nominators, on a consumer launched with `MaxValidators` validators: light-client
	/// verification, the offence report (slash at once) and the tombstone.
	#[benchmark]
	fn submit_consumer_equivocation() -> Result<(), BenchmarkError> {
		let nominators = <T as pallet_staking::Config>::MaxExposurePageSize::get();
		let validator = exposed_validator::<T>(nominators)?;
		let (offender, evidence) =
			T::BenchmarkHelper::consumer_equivocation().map_err(BenchmarkError::Stop)?;
		let id =
			launched_consumer::<T>(T::MaxValidators::get(), Some((validator.clone(), offender)))?;
		LastEra::<T>::put(0);
		let before = staked::<T>(&validator)?;
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, evidence);
		assert_eq!(Jailed::<T>::get(&validator), Some(crate::jail::TOMBSTONED));
		assert!(staked::<T>(&validator)? < before, "the validator was not slashed");
		Ok(())
	}

	/// A downtime slash packet of the last validator of a consumer launched with
	/// `MaxValidators`, on its established channel, with the slash meter open and the request
	/// and slash-ack queues one short of full: the heaviest path of `on_recv_packet` (the
	/// packet recorded, the meter charged, a request and a slash ack queued).
	#[benchmark]
	fn on_recv_slash_packet() -> Result<(), BenchmarkError> {
		let (id, channel) = consumer_with_channel::<T>()?;
		let member = ConsumerValidators::<T>::get(id)
			.last()
			.cloned()
			.ok_or(BenchmarkError::Stop("the consumer has no validator"))?;
		VscSessions::<T>::insert(
			id,
			BoundedVec::truncate_from(vec![VscSessionRecord { vsc_id: 0, session: 0, sent_ms: 0 }]),
		);
		SlashMeter::<T>::put(i128::MAX);
		let filler = |i: u32| DowntimeSlashRequest {
			consumer_id: id,
			validator: account::<T::AccountId>("queued", i, 0),
			vsc_id: 0,
			session: 0,
		};
		let requests = T::MaxPendingSlashRequests::get().saturating_sub(1);
		DowntimeSlashRequests::<T>::put(BoundedVec::truncate_from(
			(0..requests).map(filler).collect::<Vec<_>>(),
		));
		let ack = ccv_primitives::SlashAck::from_address(
			&key(u32::MAX).address(),
			ccv_primitives::DEFAULT_CONSENSUS_ADDRESS_HRP,
		)
		.map_err(|_| BenchmarkError::Stop("cannot encode a slash ack"))?;
		PendingSlashAcks::<T>::insert(
			id,
			BoundedVec::truncate_from(vec![ack; ccv_primitives::MAX_SLASH_ACKS as usize - 1]),
		);
		let data = encode_consumer_packet(&ConsumerPacket::Slash(SlashPacket {
			validator: member.key.address(),
			power: member.power,
			vsc_id: 0,
			infraction: Infraction::Downtime,
		}))
		.map_err(|_| BenchmarkError::Stop("cannot encode the slash packet"))?;
		let packet = PacketRef { port: ibc_id(PROVIDER_PORT_ID), channel, sequence: 1 };
		let ack;
		#[block]
		{
			ack = <Pallet<T> as CcvIbcApp>::on_recv_packet(&packet, &data);
		}
		assert_eq!(ack, Acknowledgement::ccv(CcvAckResult::SlashHandled));
		assert_eq!(DowntimeSlashRequests::<T>::decode_len(), Some(requests as usize + 1));
		Ok(())
	}

	/// A VSC-matured packet on an established channel.
	#[benchmark]
	fn on_recv_vsc_matured() -> Result<(), BenchmarkError> {
		let (id, channel) = consumer_with_channel::<T>()?;
		NextVscId::<T>::insert(id, 8);
		LatestMaturedVsc::<T>::insert(id, 6);
		let data =
			encode_consumer_packet(&ConsumerPacket::VscMatured(VscMaturedPacket { vsc_id: 7 }))
				.map_err(|_| BenchmarkError::Stop("cannot encode the packet"))?;
		let packet = PacketRef { port: ibc_id(PROVIDER_PORT_ID), channel, sequence: 1 };
		let ack;
		#[block]
		{
			ack = <Pallet<T> as CcvIbcApp>::on_recv_packet(&packet, &data);
		}
		assert_eq!(ack, Acknowledgement::ccv(CcvAckResult::V1));
		assert_eq!(LatestMaturedVsc::<T>::get(id), Some(7));
		Ok(())
	}

	/// A VSC timed out on the established channel of a launched consumer: the consumer is
	/// stopped and the channel closed on the IBC host. An error acknowledgement of a VSC takes
	/// the same path; the consumer closing the channel takes it without the close.
	#[benchmark]
	fn on_vsc_timeout() -> Result<(), BenchmarkError> {
		let (id, channel) = consumer_with_channel::<T>()?;
		SendQueue::<T>::put(BoundedVec::truncate_from(vec![id]));
		let packet = PacketRef { port: ibc_id(PROVIDER_PORT_ID), channel, sequence: 1 };
		let result;
		#[block]
		{
			result = <Pallet<T> as CcvIbcApp>::on_timeout(&packet, &[]);
		}
		assert_eq!(result, Ok(()));
		assert_eq!(Phase::<T>::get(id), Some(ConsumerPhase::Stopped));
		assert!(RemovalQueue::<T>::get().iter().any(|(_, c)| *c == id));
		Ok(())
	}

	/// `chan_open_try` of a launched consumer's first channel, replacing a pending one.
	#[benchmark]
	fn on_chan_open_try() -> Result<(), BenchmarkError> {
		let (id, open) = channel_open_try::<T>()?;
		PendingChannel::<T>::insert(id, ibc_id("channel-99"));
		ChannelToConsumer::<T>::insert(ibc_id("channel-99"), id);
		let result;
		#[block]
		{
			result = <Pallet<T> as CcvIbcApp>::on_chan_open_try(&open);
		}
		assert!(result.is_ok(), "chan_open_try refused: {result:?}");
		assert_eq!(PendingChannel::<T>::get(id), Some(open.channel));
		Ok(())
	}

	/// `chan_open_confirm` after `chan_open_try`: the channel is recorded.
	#[benchmark]
	fn on_chan_open_confirm() -> Result<(), BenchmarkError> {
		let (id, open) = channel_open_try::<T>()?;
		<Pallet<T> as CcvIbcApp>::on_chan_open_try(&open)
			.map_err(|_| BenchmarkError::Stop("chan_open_try refused"))?;
		let result;
		#[block]
		{
			result = <Pallet<T> as CcvIbcApp>::on_chan_open_confirm(&open.port, &open.channel);
		}
		assert_eq!(result, Ok(()));
		assert_eq!(ConsumerChannel::<T>::get(id), Some(open.channel));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder::build(), crate::mock::Test);
}
