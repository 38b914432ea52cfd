//! Consumer lifecycle: create and update (pre-launch fields only before launch), launch at
//! `spawn_time`, stop, and delete after the removal time with every per-consumer entry cleaned.
//!
//! Phases: `Registered` -> `Initialized` -> `Launched` -> `Stopped` -> `Deleted`. A consumer that
//! fails to launch returns to `Registered` with its spawn time cleared (as in ICS).

use crate::{pallet::*, types::*, weights::WeightInfo};
use alloc::vec::Vec;
use ccv_primitives::{
	channel::IbcChannel, ConsumerGenesis, ConsumerId, MaxInitialValidators, ValidatorUpdate,
	PROVIDER_PORT_ID,
};
use frame_support::{
	defensive, ensure, pallet_prelude::*, storage::with_storage_layer, weights::Weight,
};

impl<T: Config> Pallet<T> {
	/// Stores a new consumer and returns its id; `Initialized` when a spawn time is given.
	pub(crate) fn do_create_consumer(
		owner: Option<T::AccountId>,
		chain_id: ChainId,
		metadata: Metadata,
		init_params: Option<InitParams>,
		power_shaping: PowerShapingOf<T>,
		infraction_params: InfractionParams,
	) -> Result<ConsumerId, DispatchError> {
		ensure!(!chain_id.is_empty(), Error::<T>::EmptyChainId);
		ensure!(power_shaping.is_valid(), Error::<T>::InvalidPowerShaping);
		let count = ConsumerCount::<T>::get();
		ensure!(count < T::MaxConsumerChains::get(), Error::<T>::TooManyConsumers);
		let consumer_id = NextConsumerId::<T>::get();
		let init = init_params.map(|i| Self::checked_init_params(consumer_id, i)).transpose()?;

		let phase = match init.as_ref().and_then(|i| i.spawn_time_ms) {
			Some(spawn_time) => {
				Self::schedule_spawn(consumer_id, spawn_time)?;
				ConsumerPhase::Initialized
			}
			None => ConsumerPhase::Registered,
		};
		NextConsumerId::<T>::put(consumer_id.saturating_add(1));
		ConsumerCount::<T>::put(count.saturating_add(1));
		Phase::<T>::insert(consumer_id, phase);
		if let Some(owner) = &owner {
			Owner::<T>::insert(consumer_id, owner);
		}
		ChainIdOf::<T>::insert(consumer_id, &chain_id);
		MetadataOf::<T>::insert(consumer_id, metadata);
		if let Some(init) = init {
			InitParamsOf::<T>::insert(consumer_id, init);
		}
		PowerShaping::<T>::insert(consumer_id, power_shaping);
		InfractionParamsOf::<T>::insert(consumer_id, infraction_params);
		Self::deposit_event(Event::ConsumerCreated { consumer_id, chain_id, owner });
		Ok(consumer_id)
	}

	/// Applies an owner's or the admin's changes; chain id and init params only before launch.
	pub(crate) fn do_update_consumer(
		consumer_id: ConsumerId,
		update: ConsumerUpdate<T::AccountId, BalanceOf<T>>,
	) -> DispatchResult {
		let phase = Phase::<T>::get(consumer_id).ok_or(Error::<T>::UnknownConsumer)?;
		ensure!(phase.is_live(), Error::<T>::WrongPhase);
		if update.chain_id.is_some() || update.init_params.is_some() {
			ensure!(phase.is_pre_launch(), Error::<T>::WrongPhase);
		}
		if let Some(ps) = &update.power_shaping {
			ensure!(ps.is_valid(), Error::<T>::InvalidPowerShaping);
		}
		if let Some(chain_id) = update.chain_id {
			ensure!(!chain_id.is_empty(), Error::<T>::EmptyChainId);
			ChainIdOf::<T>::insert(consumer_id, chain_id);
		}
		if let Some(owner) = update.new_owner {
			Owner::<T>::insert(consumer_id, owner);
		}
		if let Some(metadata) = update.metadata {
			MetadataOf::<T>::insert(consumer_id, metadata);
		}
		if let Some(init) = update.init_params {
			let init = Self::checked_init_params(consumer_id, init)?;
			Self::unschedule_spawn(consumer_id);
			let phase = match init.spawn_time_ms {
				Some(spawn_time) => {
					Self::schedule_spawn(consumer_id, spawn_time)?;
					ConsumerPhase::Initialized
				}
				None => ConsumerPhase::Registered,
			};
			Phase::<T>::insert(consumer_id, phase);
			InitParamsOf::<T>::insert(consumer_id, init);
		}
		if let Some(ps) = update.power_shaping {
			PowerShaping::<T>::insert(consumer_id, ps);
			SetStamps::<T>::remove(consumer_id);
		}
		if let Some(ip) = update.infraction_params {
			InfractionParamsOf::<T>::insert(consumer_id, ip);
		}
		Self::deposit_event(Event::ConsumerUpdated { consumer_id });
		Ok(())
	}

	/// Stops a live consumer at its owner's or the admin's request.
	pub(crate) fn do_remove_consumer(consumer_id: ConsumerId) -> DispatchResult {
		let phase = Phase::<T>::get(consumer_id).ok_or(Error::<T>::UnknownConsumer)?;
		ensure!(phase.is_live(), Error::<T>::WrongPhase);
		Self::stop_consumer(consumer_id, StopReason::Removed);
		Ok(())
	}

	/// Sets the consumer id into the params and validates them.
	fn checked_init_params(
		consumer_id: ConsumerId,
		mut init: InitParams,
	) -> Result<InitParams, DispatchError> {
		init.params.consumer_id = consumer_id;
		init.params.validate().map_err(|_| Error::<T>::InvalidInitParams)?;
		ensure!(
			init.params.reward_denoms.len() <= T::MaxRewardAssets::get() as usize,
			Error::<T>::TooManyRewardDenoms
		);
		Ok(init)
	}

	/// Inserts into a time-ordered queue, after entries with the same time.
	fn insert_by_time(
		queue: &mut TimeQueue<T>,
		time: u64,
		consumer_id: ConsumerId,
	) -> Result<(), DispatchError> {
		let pos = queue.iter().position(|(t, _)| *t > time).unwrap_or(queue.len());
		queue.try_insert(pos, (time, consumer_id)).map_err(|_| Error::<T>::TooManyConsumers.into())
	}

	fn schedule_spawn(consumer_id: ConsumerId, spawn_time: u64) -> DispatchResult {
		SpawnQueue::<T>::try_mutate(|q| Self::insert_by_time(q, spawn_time, consumer_id))
	}

	fn unschedule_spawn(consumer_id: ConsumerId) {
		SpawnQueue::<T>::mutate(|q| q.retain(|(_, id)| *id != consumer_id));
	}

	/// Stops a consumer: out of every queue, channel closed (unless the consumer closed it:
	/// the host is closing our end already), deletion scheduled (after the unbonding period if
	/// it launched, at once otherwise).
	pub(crate) fn stop_consumer(consumer_id: ConsumerId, reason: StopReason) {
		let launched = Phase::<T>::get(consumer_id) == Some(ConsumerPhase::Launched);
		let now = Self::now_ms();
		let removal_time_ms =
			if launched { now.saturating_add(T::UnbondingPeriodMs::get()) } else { now };
		Phase::<T>::insert(consumer_id, ConsumerPhase::Stopped);
		Self::unschedule_spawn(consumer_id);
		LaunchedConsumers::<T>::mutate(|l| l.retain(|id| *id != consumer_id));
		SendQueue::<T>::mutate(|q| q.retain(|id| *id != consumer_id));
		Self::clear_init_timeout(consumer_id);
		PendingVsc::<T>::remove(consumer_id);
		if let Some(channel) = ConsumerChannel::<T>::get(consumer_id) {
			if reason != StopReason::ChannelClosed {
				// A failure leaves the channel to the relayer's timeout; nothing more to do.
				let _ = T::Channel::close_channel(PROVIDER_PORT_ID.as_bytes(), &channel);
			}
		}
		let scheduled = RemovalQueue::<T>::try_mutate(|q| {
			Self::insert_by_time(q, removal_time_ms, consumer_id)
		});
		if scheduled.is_err() {
			// Cannot happen: at most `MaxConsumerChains` consumers are not deleted.
			defensive!("removal queue full");
		}
		Self::deposit_event(Event::ConsumerStopped { consumer_id, reason, removal_time_ms });
	}

	/// Launches consumers whose spawn time has passed, at most `MaxLaunchesPerBlock`.
	pub(crate) fn launch_due_consumers(now: u64) -> Weight {
		let queue = SpawnQueue::<T>::get();
		let due: Vec<ConsumerId> = queue
			.iter()
			.take_while(|(t, _)| *t <= now)
			.take(T::MaxLaunchesPerBlock::get() as usize)
			.map(|(_, id)| *id)
			.collect();
		if due.is_empty() {
			return Weight::zero();
		}
		SpawnQueue::<T>::mutate(|q| q.retain(|(_, id)| !due.contains(id)));
		let (mut weight, candidates) = Self::current_candidates();
		let per_launch = <T as Config>::WeightInfo::launch_consumer(candidates.len() as u32);
		for consumer_id in due {
			weight = weight.saturating_add(per_launch);
			let mut failure = LaunchFailure::MissingParams;
			let launched = with_storage_layer(|| {
				Self::launch(consumer_id, &candidates).map_err(|f| {
					failure = f;
					DispatchError::Other("consumer launch failed")
				})
			});
			match launched {
				Ok((client_id, validators)) => Self::deposit_event(Event::ConsumerLaunched {
					consumer_id,
					client_id,
					validators,
				}),
				Err(_) => {
					Phase::<T>::insert(consumer_id, ConsumerPhase::Registered);
					InitParamsOf::<T>::mutate(consumer_id, |i| {
						if let Some(i) = i {
							i.spawn_time_ms = None;
						}
					});
					Self::deposit_event(Event::ConsumerLaunchFailed {
						consumer_id,
						reason: failure,
					});
				}
			}
		}
		weight
	}

	/// Computes the initial set, builds and stores the genesis, creates the consumer client.
	fn launch(
		consumer_id: ConsumerId,
		candidates: &CandidatesOf<T>,
	) -> Result<(ccv_primitives::channel::IbcId, u32), LaunchFailure> {
		let init = InitParamsOf::<T>::get(consumer_id).ok_or(LaunchFailure::MissingParams)?;
		let chain_id = ChainIdOf::<T>::get(consumer_id).ok_or(LaunchFailure::MissingParams)?;
		let set = Self::compute_consumer_set(consumer_id, candidates);
		ensure!(!set.is_empty(), LaunchFailure::EmptyValidatorSet);
		let initial: Vec<ValidatorUpdate> =
			set.iter().map(|v| ValidatorUpdate { key: v.key, power: v.power }).collect();
		let initial_validator_set = BoundedVec::<_, MaxInitialValidators>::try_from(initial)
			.map_err(|_| LaunchFailure::InvalidGenesis)?;
		let (client_state, consensus_state) =
			T::Channel::host_client_state().map_err(|_| LaunchFailure::HostClientState)?;
		let genesis = ConsumerGenesis {
			params: init.params.clone(),
			provider_client_state: BoundedVec::try_from(client_state)
				.map_err(|_| LaunchFailure::HostClientState)?,
			provider_consensus_state: BoundedVec::try_from(consensus_state)
				.map_err(|_| LaunchFailure::HostClientState)?,
			initial_validator_set,
		};
		genesis.validate().map_err(|_| LaunchFailure::InvalidGenesis)?;
		let trusting_period_ms =
			T::TrustingPeriodFraction::get().mul_floor(init.params.unbonding_period_ms);
		let client_id = T::Channel::create_consumer_client(
			&chain_id,
			&genesis.initial_validator_set,
			trusting_period_ms,
		)
		.map_err(|_| LaunchFailure::ClientCreation)?;

		let validators = set.len() as u32;
		ConsumerGenesisOf::<T>::insert(consumer_id, genesis);
		ConsumerClient::<T>::insert(consumer_id, &client_id);
		ClientToConsumer::<T>::insert(&client_id, consumer_id);
		ConsumerValidators::<T>::insert(consumer_id, &set);
		Self::stamp_set(consumer_id);
		SentValidators::<T>::insert(consumer_id, &set);
		NextVscId::<T>::insert(consumer_id, 1);
		if let Some(era) = pallet_staking::ActiveEra::<T>::get() {
			NextRewardEra::<T>::insert(consumer_id, era.index);
		}
		Self::record_vsc_session(consumer_id, 0, Self::now_ms());
		Phase::<T>::insert(consumer_id, ConsumerPhase::Launched);
		let deadline = Self::now_ms().saturating_add(T::InitTimeoutMs::get());
		InitTimeouts::<T>::try_mutate(|q| Self::insert_by_time(q, deadline, consumer_id))
			.map_err(|_| LaunchFailure::MissingParams)?;
		LaunchedConsumers::<T>::try_mutate(|l| {
			let pos = l.iter().position(|id| *id > consumer_id).unwrap_or(l.len());
			l.try_insert(pos, consumer_id)
		})
		.map_err(|_| LaunchFailure::MissingParams)?;
		Ok((client_id, validators))
	}

	/// Forgets a consumer's init-timeout deadline (its channel is established, or it stopped).
	pub(crate) fn clear_init_timeout(consumer_id: ConsumerId) {
		InitTimeouts::<T>::mutate(|q| q.retain(|(_, id)| *id != consumer_id));
	}

	/// Stops launched consumers whose CCV channel is not established by their deadline, at most
	/// `MaxDeletionsPerBlock` per block.
	pub(crate) fn stop_timed_out_handshakes(now: u64) -> Weight {
		let due: Vec<ConsumerId> = InitTimeouts::<T>::get()
			.iter()
			.take_while(|(t, _)| *t <= now)
			.take(T::MaxDeletionsPerBlock::get() as usize)
			.map(|(_, id)| *id)
			.collect();
		for consumer_id in &due {
			Self::stop_consumer(*consumer_id, StopReason::InitTimeout);
		}
		<T as Config>::WeightInfo::remove_consumer().saturating_mul(due.len() as u64)
	}

	/// Deletes stopped consumers whose removal time has passed, at most `MaxDeletionsPerBlock`
	/// steps; a consumer with more entries than one step cleans is finished in later blocks.
	pub(crate) fn delete_due_consumers(now: u64) -> Weight {
		let queue = RemovalQueue::<T>::get();
		let due: Vec<ConsumerId> = queue
			.iter()
			.take_while(|(t, _)| *t <= now)
			.take(T::MaxDeletionsPerBlock::get() as usize)
			.map(|(_, id)| *id)
			.collect();
		let step = <T as Config>::WeightInfo::delete_consumer_step(T::CleanupLimit::get());
		let mut weight = Weight::zero();
		let mut deleted = Vec::new();
		for consumer_id in due {
			weight = weight.saturating_add(step);
			if !Self::clean_consumer(consumer_id) {
				break;
			}
			Phase::<T>::insert(consumer_id, ConsumerPhase::Deleted);
			ConsumerCount::<T>::mutate(|c| *c = c.saturating_sub(1));
			deleted.push(consumer_id);
			Self::deposit_event(Event::ConsumerDeleted { consumer_id });
		}
		if !deleted.is_empty() {
			RemovalQueue::<T>::mutate(|q| q.retain(|(_, id)| !deleted.contains(id)));
		}
		weight
	}

	/// Removes a consumer's entries (the permanent used-keys set and its phase stay); returns
	/// whether everything is gone. Prefix maps lose at most `CleanupLimit` entries each per call.
	fn clean_consumer(consumer_id: ConsumerId) -> bool {
		let limit = T::CleanupLimit::get();
		let done = [
			ConsumerKeys::<T>::clear_prefix(consumer_id, limit, None).maybe_cursor.is_none(),
			KeyOwners::<T>::clear_prefix(consumer_id, limit, None).maybe_cursor.is_none(),
			OptedIn::<T>::clear_prefix(consumer_id, limit, None).maybe_cursor.is_none(),
			HandledEquivocations::<T>::clear_prefix(consumer_id, limit, None)
				.maybe_cursor
				.is_none(),
			ConsumerCommission::<T>::clear_prefix(consumer_id, limit, None).maybe_cursor.is_none(),
			ValidatorRewards::<T>::clear_prefix((consumer_id,), limit, None).maybe_cursor.is_none(),
			RewardSnapshots::<T>::clear_prefix(consumer_id, limit, None).maybe_cursor.is_none(),
			RewardsOwed::<T>::clear_prefix(consumer_id, limit, None).maybe_cursor.is_none(),
		];
		// The fee pool keeps its funds: nothing is burned with the consumer's state.
		RewardEras::<T>::remove(consumer_id);
		NextRewardEra::<T>::remove(consumer_id);
		Owner::<T>::remove(consumer_id);
		ChainIdOf::<T>::remove(consumer_id);
		MetadataOf::<T>::remove(consumer_id);
		InitParamsOf::<T>::remove(consumer_id);
		PowerShaping::<T>::remove(consumer_id);
		InfractionParamsOf::<T>::remove(consumer_id);
		ConsumerGenesisOf::<T>::remove(consumer_id);
		if let Some(client) = ConsumerClient::<T>::take(consumer_id) {
			ClientToConsumer::<T>::remove(client);
		}
		if let Some(channel) = ConsumerChannel::<T>::take(consumer_id) {
			ChannelToConsumer::<T>::remove(channel);
		}
		if let Some(channel) = PendingChannel::<T>::take(consumer_id) {
			ChannelToConsumer::<T>::remove(channel);
		}
		MinPowerInTopN::<T>::remove(consumer_id);
		TopNWithoutKey::<T>::remove(consumer_id);
		ConsumerValidators::<T>::remove(consumer_id);
		SetStamps::<T>::remove(consumer_id);
		SentValidators::<T>::remove(consumer_id);
		NextVscId::<T>::remove(consumer_id);
		VscSessions::<T>::remove(consumer_id);
		PendingVsc::<T>::remove(consumer_id);
		PendingSlashAcks::<T>::remove(consumer_id);
		LatestMaturedVsc::<T>::remove(consumer_id);
		DowntimeSlashRequests::<T>::mutate(|r| r.retain(|req| req.consumer_id != consumer_id));
		done.iter().all(|d| *d)
	}
}
