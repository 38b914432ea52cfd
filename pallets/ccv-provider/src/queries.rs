//! Read-only queries, the basis of the provider's runtime API (consumer list by phase, genesis,
//! keys both ways, opted-in and current validators, next VSC id).
//!
//! These iterate storage without a per-block bound: call them from a runtime API or off-chain,
//! never from a hook or an extrinsic.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use ccv_primitives::{ConsensusKey, ConsumerGenesis, ConsumerId, VscId};

impl<T: Config> Pallet<T> {
	/// Ids of the consumers in `phase`, ascending.
	pub fn consumers_in_phase(phase: ConsumerPhase) -> Vec<ConsumerId> {
		let mut ids: Vec<_> =
			Phase::<T>::iter().filter(|(_, p)| *p == phase).map(|(id, _)| id).collect();
		ids.sort_unstable();
		ids
	}

	/// The genesis of a launched consumer.
	pub fn consumer_genesis(consumer_id: ConsumerId) -> Option<ConsumerGenesis> {
		ConsumerGenesisOf::<T>::get(consumer_id)
	}

	/// A validator's current key on a consumer.
	pub fn consumer_key(consumer_id: ConsumerId, validator: &T::AccountId) -> Option<ConsensusKey> {
		ConsumerKeys::<T>::get(consumer_id, validator)
	}

	/// Validators opted in to a consumer (top-N members are in its set without opting in).
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

	/// The id the consumer's next VSC gets.
	pub fn next_vsc_id(consumer_id: ConsumerId) -> VscId {
		NextVscId::<T>::get(consumer_id)
	}
}
