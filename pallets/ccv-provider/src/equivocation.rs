//! Consumer equivocation evidence (ICS `MsgSubmitConsumerDoubleVoting`): the only way a
//! consumer double sign punishes provider stake. A consumer's own slash packet with
//! `DOUBLE_SIGN` is only recorded (a faulty consumer must not slash provider stake).
//!
//! Anyone submits evidence; the runtime's [`EquivocationVerifier`] (the GRANDPA light client of
//! the consumer, a fake in unit tests) checks it against the client the provider created for
//! that consumer and returns the equivocating key and an id unique per infraction. The key
//! maps to its provider validator through the permanent used-keys set, so replaced keys still
//! count, and a key assigned on another consumer is rejected. The validator is then reported to
//! staking with the consumer's double-sign parameters and jailed for good when they tombstone.
//! The same infraction is never processed twice (while the consumer's state exists).

use crate::{pallet::*, weights::WeightInfo};
use alloc::{vec, vec::Vec};
use ccv_primitives::{channel::IbcId, ConsensusKey, ConsumerId};
use codec::{Decode, Encode};
use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::Perbill;
use sp_staking::{
	offence::{Kind, Offence, ReportOffence},
	SessionIndex,
};

/// Longest evidence blob accepted, in bytes.
pub const MAX_EVIDENCE_LEN: u32 = 64 * 1024;

/// Encoded equivocation evidence as the light client defines it.
pub type Evidence = BoundedVec<u8, ConstU32<MAX_EVIDENCE_LEN>>;

/// What a verified piece of evidence proves.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct VerifiedEquivocation {
	/// The consumer key that signed two conflicting votes.
	pub offender: ConsensusKey,
	/// Identifies the infraction (e.g. a hash of set id, round and key): equal for any two
	/// pieces of evidence of the same infraction.
	pub infraction_id: [u8; 32],
}

/// Checks equivocation evidence against a consumer's light client.
pub trait EquivocationVerifier {
	/// Verifies `evidence` against the client `client_id` (the provider's client of the
	/// consumer); `None` when it is malformed or does not prove an equivocation.
	fn verify(client_id: &IbcId, evidence: &[u8]) -> Option<VerifiedEquivocation>;

	/// Weight of what `verify` may do beyond the `submit_consumer_equivocation` benchmark,
	/// whose evidence is signed by the client's current set: evidence of an older set reads
	/// that set from where the light client's host keeps it.
	fn past_set_weight() -> Weight;
}

/// A verified equivocation on a consumer, as staking sees it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct ConsumerEquivocationOffence<Offender> {
	/// The consumer it happened on.
	pub consumer_id: ConsumerId,
	/// The infraction's id.
	pub infraction_id: [u8; 32],
	/// Provider session used for the exposure (the session the evidence is processed in).
	pub session_index: SessionIndex,
	/// Provider validator-set size.
	pub validator_set_count: u32,
	/// The offender.
	pub offender: Offender,
	/// Fraction of the exposure to slash.
	pub slash_fraction: Perbill,
}

impl<Offender: Clone> Offence<Offender> for ConsumerEquivocationOffence<Offender> {
	const ID: Kind = *b"ccv-provider:eqv";
	type Slot = (ConsumerId, [u8; 32]);

	fn offenders(&self) -> Vec<Offender> {
		vec![self.offender.clone()]
	}

	fn session_index(&self) -> SessionIndex {
		self.session_index
	}

	fn validator_set_count(&self) -> u32 {
		self.validator_set_count
	}

	fn slot(&self) -> Self::Slot {
		(self.consumer_id, self.infraction_id)
	}

	fn slash_fraction(&self, _offenders_count: u32) -> Perbill {
		self.slash_fraction
	}
}

impl<T: Config> Pallet<T> {
	/// Verifies evidence of an equivocation on `consumer_id`, then slashes and jails.
	pub(crate) fn do_submit_consumer_equivocation(
		reporter: T::AccountId,
		consumer_id: ConsumerId,
		evidence: Evidence,
	) -> DispatchResult {
		let phase = Phase::<T>::get(consumer_id).ok_or(Error::<T>::UnknownConsumer)?;
		ensure!(
			matches!(phase, crate::ConsumerPhase::Launched | crate::ConsumerPhase::Stopped),
			Error::<T>::WrongPhase
		);
		let client_id = ConsumerClient::<T>::get(consumer_id).ok_or(Error::<T>::WrongPhase)?;
		let verified = T::EquivocationVerifier::verify(&client_id, &evidence)
			.ok_or(Error::<T>::InvalidEvidence)?;
		ensure!(
			!HandledEquivocations::<T>::contains_key(consumer_id, verified.infraction_id),
			Error::<T>::DuplicateEvidence
		);
		let validator = match UsedKeys::<T>::get(verified.offender) {
			Some((key_consumer, validator)) if key_consumer == consumer_id => validator,
			_ => return Err(Error::<T>::UnknownOffender.into()),
		};
		let params = InfractionParamsOf::<T>::get(consumer_id).unwrap_or_default().double_sign;
		let offence = ConsumerEquivocationOffence {
			consumer_id,
			infraction_id: verified.infraction_id,
			session_index: pallet_session::CurrentIndex::<T>::get(),
			validator_set_count: pallet_session::Validators::<T>::decode_len().unwrap_or(0) as u32,
			offender: (validator.clone(), ()),
			slash_fraction: params.slash_fraction,
		};
		T::ReportOffence::report_offence(vec![reporter], offence)
			.map_err(|_| Error::<T>::DuplicateEvidence)?;
		HandledEquivocations::<T>::insert(consumer_id, verified.infraction_id, ());
		let until_ms = if params.tombstone {
			crate::jail::TOMBSTONED
		} else {
			Self::now_ms().saturating_add(params.jail_duration_ms)
		};
		Self::jail(&validator, until_ms);
		Self::deposit_event(Event::ConsumerEquivocationPunished {
			consumer_id,
			validator,
			key: verified.offender,
			slash_fraction: params.slash_fraction,
		});
		Ok(())
	}
}

/// Weight of `submit_consumer_equivocation` (verification + report + jail), with the
/// verifier's past-set read.
pub(crate) fn submit_weight<T: Config>() -> Weight {
	<T as Config>::WeightInfo::submit_consumer_equivocation()
		.saturating_add(T::EquivocationVerifier::past_set_weight())
}
