//! Read-only queries, the functions behind the provider's runtime API
//! ([`crate::runtime_api::CcvProviderApi`]): consumers by phase and their details and genesis,
//! keys both ways, opted-in and current validators, which consumers a validator validates,
//! VSC ids and sessions, the slash meter, reward snapshots and their unclaimed pages.
//!
//! Some iterate storage without a per-block bound (by phase, opted-in validators): call them
//! from a runtime API or off-chain, never from a hook or an extrinsic.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use ccv_primitives::{
	ConsensusAddress, ConsensusKey, ConsumerGenesis, ConsumerId, VscId, VscPacket,
};
use sp_runtime::Perbill;
use sp_staking::EraIndex;

impl<T: Config> Pallet<T> {
	/// Ids of the consumers in `phase`, ascending.
	pub fn consumers_in_phase(phase: ConsumerPhase) -> Vec<ConsumerId> {
		let mut ids: Vec<_> =
			Phase::<T>::iter().filter(|(_, p)| *p == phase).map(|(id, _)| id).collect();
		ids.sort_unstable();
		ids
	}

	/// A consumer's phase, parameters, client, channel and set size.
	pub fn consumer_info(
		consumer_id: ConsumerId,
	) -> Option<ConsumerInfo<T::AccountId, BalanceOf<T>>> {
		let phase = Phase::<T>::get(consumer_id)?;
		Some(ConsumerInfo {
			consumer_id,
			phase,
			chain_id: ChainIdOf::<T>::get(consumer_id).unwrap_or_default(),
			owner: Owner::<T>::get(consumer_id),
			metadata: MetadataOf::<T>::get(consumer_id).unwrap_or_default(),
			init_params: InitParamsOf::<T>::get(consumer_id),
			power_shaping: PowerShaping::<T>::get(consumer_id).unwrap_or_default(),
			infraction_params: InfractionParamsOf::<T>::get(consumer_id).unwrap_or_default(),
			client_id: ConsumerClient::<T>::get(consumer_id),
			channel_id: ConsumerChannel::<T>::get(consumer_id),
			min_power_in_top_n: MinPowerInTopN::<T>::get(consumer_id),
			validators: ConsumerValidators::<T>::decode_len(consumer_id).unwrap_or(0) as u32,
		})
	}

	/// The genesis of a launched consumer.
	pub fn consumer_genesis(consumer_id: ConsumerId) -> Option<ConsumerGenesis> {
		ConsumerGenesisOf::<T>::get(consumer_id)
	}

	/// A validator's current key on a consumer.
	pub fn consumer_key(consumer_id: ConsumerId, validator: &T::AccountId) -> Option<ConsensusKey> {
		ConsumerKeys::<T>::get(consumer_id, validator)
	}

	/// The consumer and provider validator a consumer key was ever assigned to (keys are never
	/// reused, so this holds after the key was replaced or its consumer deleted).
	pub fn consumer_key_owner(key: &ConsensusKey) -> Option<(ConsumerId, T::AccountId)> {
		UsedKeys::<T>::get(key)
	}

	/// Validators opted in to a consumer (explicitly, or automatically as top-N members).
	pub fn opted_in_validators(consumer_id: ConsumerId) -> Vec<T::AccountId> {
		OptedIn::<T>::iter_key_prefix(consumer_id).collect()
	}

	/// Validators a top-N consumer needs but that have no key there (they are left out).
	pub fn top_n_validators_without_key(consumer_id: ConsumerId) -> Vec<T::AccountId> {
		TopNWithoutKey::<T>::get(consumer_id).into_inner()
	}

	/// A consumer's set as of its latest VSC.
	pub fn consumer_validators(consumer_id: ConsumerId) -> Vec<ConsumerValidator<T::AccountId>> {
		ConsumerValidators::<T>::get(consumer_id).into_inner()
	}

	/// Launched consumers whose set (as of their latest VSC) includes `validator`, ascending
	/// (ICS `has-to-validate`).
	pub fn consumers_validated_by(validator: &T::AccountId) -> Vec<ConsumerId> {
		LaunchedConsumers::<T>::get()
			.into_iter()
			.filter(|id| ConsumerValidators::<T>::get(id).iter().any(|v| &v.validator == validator))
			.collect()
	}

	/// The id the consumer's next VSC gets.
	pub fn next_vsc_id(consumer_id: ConsumerId) -> VscId {
		NextVscId::<T>::get(consumer_id)
	}

	/// The VSC waiting to be sent to a consumer.
	pub fn pending_vsc(consumer_id: ConsumerId) -> Option<VscPacket> {
		PendingVsc::<T>::get(consumer_id)
	}

	/// `validator`'s commission on `consumer_id` for the active era's rewards.
	pub fn current_consumer_commission_rate(
		consumer_id: ConsumerId,
		validator: &T::AccountId,
	) -> Perbill {
		let era = pallet_staking::ActiveEra::<T>::get().map(|e| e.index).unwrap_or_default();
		Self::consumer_commission_rate(consumer_id, validator, era)
	}

	/// Eras of a consumer's claimable reward snapshots, ascending.
	pub fn reward_eras(consumer_id: ConsumerId) -> Vec<EraIndex> {
		RewardEras::<T>::get(consumer_id).into_inner()
	}

	/// A consumer's reward snapshot of `era`, with its unclaimed pages.
	pub fn reward_snapshot(
		consumer_id: ConsumerId,
		era: EraIndex,
	) -> Option<RewardSnapshotInfo<AssetIdOf<T>, BalanceOf<T>>> {
		let snapshot = RewardSnapshots::<T>::get(consumer_id, era)?;
		let mut unclaimed: Vec<u32> = ValidatorRewards::<T>::iter_prefix((consumer_id, era))
			.filter_map(|(index, record)| {
				let start = *snapshot.page_starts.get(index as usize)?;
				Some(
					start.saturating_add(record.next_page)
						..start.saturating_add(record.pages).min(snapshot.pages),
				)
			})
			.flatten()
			.collect();
		unclaimed.sort_unstable();
		Some(RewardSnapshotInfo {
			era,
			pots: snapshot.pots.into_inner(),
			total_power: snapshot.total_power,
			pages: snapshot.pages,
			unclaimed_pages: unclaimed,
		})
	}

	/// The provider validator behind a consumer address (current or replaced key), for
	/// queries by address (see also [`Self::validator_by_consumer_address`]).
	pub fn provider_validator(
		consumer_id: ConsumerId,
		address: &ConsensusAddress,
	) -> Option<T::AccountId> {
		Self::validator_by_consumer_address(consumer_id, address)
	}
}
