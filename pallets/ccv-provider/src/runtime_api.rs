//! Runtime API of the provider pallet: what operators, validators, relayers and the consumer
//! chain-spec builder query. Each method is backed by a `Pallet` function of the same name in
//! `queries` (or `slashing`, `throttle`); the runtime implements it by calling those.

use crate::types::{
	ConsumerInfo, ConsumerPhase, ConsumerValidator, RewardSnapshotInfo, ThrottleState,
};
use alloc::vec::Vec;
use ccv_primitives::{
	ConsensusAddress, ConsensusKey, ConsumerGenesis, ConsumerId, VscId, VscPacket,
};
use sp_runtime::Perbill;
use sp_staking::{EraIndex, SessionIndex};

pub use api::*;

/// The runtime API declaration (its expansion trips `clippy::multiple_bound_locations`).
#[allow(clippy::multiple_bound_locations)]
mod api {
	use super::*;

	sp_api::decl_runtime_apis! {
		/// Queries of pallet-ccv-provider.
		pub trait CcvProviderApi<AccountId, Balance, AssetId>
		where
			AccountId: codec::Codec,
			Balance: codec::Codec,
			AssetId: codec::Codec,
		{
			/// Ids of the consumers in `phase`, ascending (ICS `list-consumer-chains`).
			fn consumers_in_phase(phase: ConsumerPhase) -> Vec<ConsumerId>;
			/// A consumer's phase, parameters, client, channel and set size.
			fn consumer_info(consumer_id: ConsumerId) -> Option<ConsumerInfo<AccountId, Balance>>;
			/// The genesis of a launched consumer, for its chain spec.
			fn consumer_genesis(consumer_id: ConsumerId) -> Option<ConsumerGenesis>;
			/// A validator's current key on a consumer (ICS `validator-consumer-key`).
			fn consumer_key(consumer_id: ConsumerId, validator: AccountId) -> Option<ConsensusKey>;
			/// The provider validator behind a consumer address, for current and replaced keys
			/// (ICS `validator-provider-key`).
			fn provider_validator(
				consumer_id: ConsumerId,
				address: ConsensusAddress,
			) -> Option<AccountId>;
			/// The consumer and validator a consumer key was ever assigned to.
			fn consumer_key_owner(key: ConsensusKey) -> Option<(ConsumerId, AccountId)>;
			/// The slash meter (ICS `throttle-state`).
			fn throttle_state() -> ThrottleState;
			/// Validators opted in to a consumer (ICS `consumer-opted-in-validators`).
			fn opted_in_validators(consumer_id: ConsumerId) -> Vec<AccountId>;
			/// Top-N members a consumer needs that have no key there.
			fn top_n_validators_without_key(consumer_id: ConsumerId) -> Vec<AccountId>;
			/// A consumer's set as of its latest VSC (ICS `consumer-validators`).
			fn consumer_validators(consumer_id: ConsumerId) -> Vec<ConsumerValidator<AccountId>>;
			/// Launched consumers whose set includes `validator` (ICS `has-to-validate`).
			fn consumers_validated_by(validator: AccountId) -> Vec<ConsumerId>;
			/// The id the consumer's next VSC gets.
			fn next_vsc_id(consumer_id: ConsumerId) -> VscId;
			/// The VSC waiting to be sent to a consumer.
			fn pending_vsc(consumer_id: ConsumerId) -> Option<VscPacket>;
			/// The provider session a consumer's VSC was sent in, while slashable.
			fn vsc_session(consumer_id: ConsumerId, vsc_id: VscId) -> Option<SessionIndex>;
			/// A validator's commission on a consumer for the active era
			/// (ICS `validator-consumer-commission-rate`).
			fn consumer_commission_rate(consumer_id: ConsumerId, validator: AccountId) -> Perbill;
			/// Eras of a consumer's claimable reward snapshots.
			fn reward_eras(consumer_id: ConsumerId) -> Vec<EraIndex>;
			/// A consumer's reward snapshot of an era, with its unclaimed pages.
			fn reward_snapshot(
				consumer_id: ConsumerId,
				era: EraIndex,
			) -> Option<RewardSnapshotInfo<AssetId, Balance>>;
		}
	}
}
