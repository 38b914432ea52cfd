//! Key assignment, opt-in and opt-out.
//!
//! A validator must assign an ed25519 consensus key on a consumer before it can be in that
//! consumer's set: there is no default key, because GRANDPA signatures carry no chain id and a
//! key voting on two chains lets anyone forge an equivocation (DESIGN §2). Therefore a key is
//! never a provider session key, and never used twice: not on two consumers, not by two
//! validators, not again after replacement ([`UsedKeys`] is never pruned).
//!
//! Replacing a key before launch forgets the old consumer address at once; after launch the
//! old address keeps resolving to the validator (in [`KeyOwners`]) until the consumer is
//! deleted, so slash packets for any earlier vsc_id still find it, and the next VSC removes the
//! old key and adds the new one.

use crate::pallet::*;
use ccv_primitives::{ConsensusAddress, ConsensusKey, ConsumerId};
use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::traits::OpaqueKeys;

impl<T: Config> Pallet<T> {
	/// Assigns `key` as `who`'s consensus key on `consumer_id`.
	pub(crate) fn do_assign_consumer_key(
		who: T::AccountId,
		consumer_id: ConsumerId,
		key: ConsensusKey,
	) -> DispatchResult {
		let phase = Phase::<T>::get(consumer_id).ok_or(Error::<T>::UnknownConsumer)?;
		ensure!(phase.is_live(), Error::<T>::WrongPhase);
		ensure!(pallet_staking::Bonded::<T>::contains_key(&who), Error::<T>::NotAValidator);
		let address = key.address();
		ensure!(!UsedKeys::<T>::contains_key(key), Error::<T>::KeyAlreadyUsed);
		ensure!(!KeyOwners::<T>::contains_key(consumer_id, address), Error::<T>::KeyAlreadyUsed);
		ensure!(!Self::is_provider_session_key(&key), Error::<T>::KeyIsProviderSessionKey);

		if let Some(old) = ConsumerKeys::<T>::get(consumer_id, &who) {
			if phase.is_pre_launch() {
				KeyOwners::<T>::remove(consumer_id, old.address());
			}
		}
		ConsumerKeys::<T>::insert(consumer_id, &who, key);
		SetStamps::<T>::remove(consumer_id);
		KeyOwners::<T>::insert(consumer_id, address, &who);
		UsedKeys::<T>::insert(key, (consumer_id, who.clone()));
		Self::deposit_event(Event::ConsumerKeyAssigned { consumer_id, validator: who, key });
		Ok(())
	}

	/// Whether `key` is registered as any provider session key (every key type of the
	/// session keys is checked against `pallet_session::KeyOwner`).
	pub fn is_provider_session_key(key: &ConsensusKey) -> bool {
		<T as pallet_session::Config>::Keys::key_ids()
			.iter()
			.any(|id| pallet_session::KeyOwner::<T>::contains_key((*id, key.0.to_vec())))
	}

	/// Whether `raw` (an ed25519 public key) was ever assigned as a consumer key. A runtime can
	/// use this to refuse such a key as a provider session key.
	pub fn is_consumer_key(raw: &[u8]) -> bool {
		<[u8; 32]>::try_from(raw).is_ok_and(|k| UsedKeys::<T>::contains_key(ConsensusKey(k)))
	}

	/// The provider validator behind a consumer address (current or replaced key).
	pub fn validator_by_consumer_address(
		consumer_id: ConsumerId,
		address: &ConsensusAddress,
	) -> Option<T::AccountId> {
		KeyOwners::<T>::get(consumer_id, address)
	}

	/// Opts `who` in to `consumer_id`; requires an assigned key.
	pub(crate) fn do_opt_in(who: T::AccountId, consumer_id: ConsumerId) -> DispatchResult {
		let phase = Phase::<T>::get(consumer_id).ok_or(Error::<T>::UnknownConsumer)?;
		ensure!(phase.is_live(), Error::<T>::WrongPhase);
		ensure!(pallet_staking::Bonded::<T>::contains_key(&who), Error::<T>::NotAValidator);
		ensure!(ConsumerKeys::<T>::contains_key(consumer_id, &who), Error::<T>::NoConsumerKey);
		ensure!(!OptedIn::<T>::contains_key(consumer_id, &who), Error::<T>::AlreadyOptedIn);
		OptedIn::<T>::insert(consumer_id, &who, ());
		SetStamps::<T>::remove(consumer_id);
		Self::deposit_event(Event::OptedIn { consumer_id, validator: who });
		Ok(())
	}

	/// Opts `who` out of `consumer_id`; refused while `who` is in a launched top-N consumer's
	/// top N% (by the last computation).
	pub(crate) fn do_opt_out(who: T::AccountId, consumer_id: ConsumerId) -> DispatchResult {
		let phase = Phase::<T>::get(consumer_id).ok_or(Error::<T>::UnknownConsumer)?;
		ensure!(phase.is_live(), Error::<T>::WrongPhase);
		ensure!(OptedIn::<T>::contains_key(consumer_id, &who), Error::<T>::NotOptedIn);
		if let Some(min) = MinPowerInTopN::<T>::get(consumer_id) {
			let power = EraCandidates::<T>::get()
				.and_then(|(_, c)| c.into_iter().find(|c| c.validator == who).map(|c| c.power));
			ensure!(power.is_none_or(|p| p < min), Error::<T>::CannotOptOutTopN);
		}
		OptedIn::<T>::remove(consumer_id, &who);
		SetStamps::<T>::remove(consumer_id);
		Self::deposit_event(Event::OptedOut { consumer_id, validator: who });
		Ok(())
	}
}
