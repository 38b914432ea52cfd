//! GRANDPA vote equivocation: key-ownership proofs over the consumer's own authority-set
//! history, the report system pallet-grandpa calls, the offence handler that turns an offence
//! into a `Slash(DoubleSign)` packet, and the stored evidence anyone can take to the provider.
//!
//! Only GRANDPA vote equivocation is in scope (DESIGN §3); Aura double blocks are only logged
//! by the node.
//!
//! ## Flow
//!
//! 1. A node's GRANDPA voter sees two votes of one authority for the same round and set id. It
//!    asks the runtime for a key-ownership proof (`GrandpaApi::generate_key_ownership_proof`,
//!    answered by [`Pallet::key_owner_proof`]) and submits both through
//!    `GrandpaApi::submit_report_equivocation_unsigned_extrinsic`, which calls
//!    [`EquivocationReportSystem::publish_evidence`]: an unsigned
//!    `Grandpa::report_equivocation_unsigned` goes to the local pool. Anyone may also call the
//!    signed `Grandpa::report_equivocation`.
//! 2. pallet-grandpa hands the evidence to [`EquivocationReportSystem::process_evidence`]: the
//!    signatures are checked, the [`AuthorityMembershipProof`] is checked against
//!    [`AuthoritySets`] (and GRANDPA's `SetIdSession`), which yields an
//!    [`EquivocationOffender`] (key, power and vsc_id under that set), and the offence is
//!    reported to `R` (pallet-offences in the runtime).
//! 3. pallet-offences calls this pallet's `OnOffenceHandler`, which queues
//!    `Slash { address, power, vsc_id, DoubleSign }`, once per validator and set id.
//! 4. The SCALE-encoded `EquivocationProof` is kept in [`Equivocations`] (first report per
//!    validator and set id) and served by the `CcvConsumerApi::equivocation_evidence` runtime
//!    API. That encoding is exactly the `evidence` the provider's `submit_consumer_equivocation`
//!    takes (its GRANDPA client decodes `EquivocationProof<H256, u32>` and verifies it against
//!    its own history of this chain's authority sets): the provider punishes only on that
//!    evidence, never on the consumer's slash packet.
//!
//! ## Why a report system of our own
//!
//! pallet-grandpa's generic `EquivocationReportSystem` cannot be used as is: it needs
//! pallet-authorship (whose `FindAuthor` would have to map Aura ed25519 keys to accounts; the
//! consumer has no validator accounts and pays reporters nothing) and it never shows the
//! evidence to anyone after checking it, so it could not be stored for the provider. The
//! system here does the same checks in the same order (signatures, key ownership, the set's
//! session window from `SetIdSession`), additionally requires the proof's set id to equal the
//! evidence's, reports the same `pallet_grandpa::EquivocationOffence` through the same
//! `ReportOffence` seam (so pallet-offences deduplicates per offender, set id and round), and
//! then stores the evidence. Unsigned reports carry no reporter.
//!
//! pallet-offences works with any identification (no pallet-session "full identification" is
//! needed): [`EquivocationOffender`] is what it records. It passes every earlier offender of the
//! same set id and round again to the handler, hence the handler's own [`DoubleSignReported`]
//! index.
//!
//! ## Bounds
//!
//! Proofs only verify for set ids still in [`AuthoritySets`] (`MaxSetHistory`) and in GRANDPA's
//! `SetIdSession` (`MaxSetIdSessionEntries`); older ones fail cleanly (`None` / an error).
//! [`Equivocations`] and [`DoubleSignReported`] hold at most `MaxValidators` entries per kept
//! set id and are pruned with [`AuthoritySets`]. A slash packet that finds the outgoing queue
//! full waits in [`DoubleSignBacklog`] (at most `MaxPendingPackets`); if that is full too, or
//! once the CCV channel is closed ([`crate::channel_close`]), it is dropped with a
//! `DoubleSignPacketDropped` event: the evidence stays available for the provider, which is
//! what punishes.

use crate::{pallet::*, queue::Fifo, weights::WeightInfo, Config, Pallet, SessionIndex};
use alloc::{boxed::Box, vec::Vec};
use ccv_primitives::{ConsensusKey, ConsumerPacket, Infraction, Power, SlashPacket, VscId};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::{ConstU32, Weight},
	traits::{Get, KeyOwnerProofSystem},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_grandpa::{EquivocationOffence, TimeSlot};
use scale_info::TypeInfo;
use sp_consensus_grandpa::{AuthorityId, EquivocationProof, RoundNumber, SetId, KEY_TYPE};
use sp_runtime::{
	transaction_validity::{InvalidTransaction, TransactionValidityError},
	DispatchError, KeyTypeId, Perbill,
};
use sp_session::{GetSessionNumber, GetValidatorCount};
use sp_staking::offence::{OffenceDetails, OffenceReportSystem, OnOffenceHandler, ReportOffence};

/// Longest stored evidence, in bytes (an `EquivocationProof<H256, u32>` takes about 250).
pub const MAX_EVIDENCE_LEN: u32 = 1024;

/// SCALE-encoded `sp_consensus_grandpa::EquivocationProof<Hash, BlockNumber>`.
pub type EncodedEvidence = BoundedVec<u8, ConstU32<MAX_EVIDENCE_LEN>>;

/// The FIFO of double-sign slash packets waiting for room in the outgoing queue.
pub(crate) type DoubleSignBacklogFifo<T> =
	Fifo<DoubleSignBacklogBounds<T>, DoubleSignBacklog<T>, SlashPacket>;

/// Proof that a GRANDPA key was an authority of a set: the set id, a consumer session of that
/// set, and the key's position in the set as [`AuthoritySets`] keeps it (sorted by key).
/// Checked against the stored history, so it is small and fixed-size.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct AuthorityMembershipProof {
	/// The GRANDPA set id.
	pub set_id: SetId,
	/// A consumer session during which `set_id` was in force (GRANDPA checks it against
	/// `SetIdSession`).
	pub session: SessionIndex,
	/// Position of the key in the set.
	pub position: u32,
	/// Size of the set.
	pub validator_count: u32,
}

impl GetSessionNumber for AuthorityMembershipProof {
	fn session(&self) -> sp_staking::SessionIndex {
		self.session
	}
}

impl GetValidatorCount for AuthorityMembershipProof {
	fn validator_count(&self) -> sp_staking::SessionIndex {
		self.validator_count
	}
}

/// Who equivocated, as a verified key-ownership proof identifies them: what the slash packet
/// needs. pallet-offences records it as the offence's identification.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct EquivocationOffender {
	/// The validator's consensus key (its GRANDPA key).
	pub key: ConsensusKey,
	/// Its power (GRANDPA weight) in the set.
	pub power: Power,
	/// The set id it equivocated in.
	pub set_id: SetId,
	/// The vsc_id whose validator set was in force under `set_id`.
	pub vsc_id: VscId,
}

/// Verified evidence as stored: the round and the encoded proof.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct EquivocationRecord {
	/// The round of the two votes.
	pub round: RoundNumber,
	/// The SCALE-encoded `EquivocationProof`.
	pub evidence: EncodedEvidence,
}

/// Verified evidence as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct EquivocationEvidence {
	/// The equivocating validator's consensus key.
	pub offender: ConsensusKey,
	/// The set id of the votes.
	pub set_id: SetId,
	/// The round of the votes.
	pub round: RoundNumber,
	/// SCALE-encoded `sp_consensus_grandpa::EquivocationProof<Hash, BlockNumber>`: the
	/// `evidence` argument of the provider's `submit_consumer_equivocation`.
	pub evidence: Vec<u8>,
}

/// The consensus key of a GRANDPA authority id.
fn consensus_key(id: &AuthorityId) -> ConsensusKey {
	ConsensusKey(id.clone().into_inner().0)
}

impl<T: Config> KeyOwnerProofSystem<(KeyTypeId, AuthorityId)> for Pallet<T> {
	type Proof = AuthorityMembershipProof;
	type IdentificationTuple = EquivocationOffender;

	/// A proof for the set in force (see [`Pallet::key_owner_proof`] for earlier sets).
	fn prove(key: (KeyTypeId, AuthorityId)) -> Option<Self::Proof> {
		if key.0 != KEY_TYPE {
			return None;
		}
		Self::key_owner_proof(pallet_grandpa::CurrentSetId::<T>::get(), &key.1)
	}

	fn check_proof(
		key: (KeyTypeId, AuthorityId),
		proof: Self::Proof,
	) -> Option<Self::IdentificationTuple> {
		if key.0 != KEY_TYPE {
			return None;
		}
		let set = AuthoritySets::<T>::get(proof.set_id)?;
		if set.len() != proof.validator_count as usize {
			return None;
		}
		let validator = set.get(proof.position as usize)?;
		let key = consensus_key(&key.1);
		if validator.key != key {
			return None;
		}
		if !Self::session_in_set(proof.session, proof.set_id) {
			return None;
		}
		let vsc_id = AuthoritySetVscIds::<T>::get(proof.set_id)?;
		Some(EquivocationOffender { key, power: validator.power, set_id: proof.set_id, vsc_id })
	}
}

impl<T: Config> Pallet<T> {
	/// A key-ownership proof for `authority` in set `set_id`, if that set is still kept and
	/// the key was in it (for `GrandpaApi::generate_key_ownership_proof`).
	pub fn key_owner_proof(
		set_id: SetId,
		authority: &AuthorityId,
	) -> Option<AuthorityMembershipProof> {
		let set = AuthoritySets::<T>::get(set_id)?;
		let key = consensus_key(authority);
		let position = set.binary_search_by(|v| v.key.cmp(&key)).ok()?;
		let session = pallet_grandpa::SetIdSession::<T>::get(set_id)?;
		Some(AuthorityMembershipProof {
			set_id,
			session,
			position: u32::try_from(position).ok()?,
			validator_count: u32::try_from(set.len()).ok()?,
		})
	}

	/// True when `session` lies in the sessions of `set_id` as GRANDPA's `SetIdSession`
	/// records them: after the previous set's last session, up to this set's last one.
	fn session_in_set(session: SessionIndex, set_id: SetId) -> bool {
		let Some(last) = pallet_grandpa::SetIdSession::<T>::get(set_id) else { return false };
		if session > last {
			return false;
		}
		match set_id.checked_sub(1) {
			None => true,
			Some(previous) => match pallet_grandpa::SetIdSession::<T>::get(previous) {
				Some(previous_last) => session > previous_last,
				None => false,
			},
		}
	}

	/// Verified evidence kept for `set_id` (at most `MaxValidators` entries), or for every
	/// kept set id when `None` (at most `MaxValidators * MaxSetHistory`).
	pub fn equivocation_evidence(set_id: Option<SetId>) -> Vec<EquivocationEvidence> {
		let to_evidence = |set_id: SetId, offender: ConsensusKey, r: EquivocationRecord| {
			EquivocationEvidence { offender, set_id, round: r.round, evidence: r.evidence.into() }
		};
		match set_id {
			Some(set_id) => Equivocations::<T>::iter_prefix(set_id)
				.map(|(k, r)| to_evidence(set_id, k, r))
				.collect(),
			None => Equivocations::<T>::iter().map(|(s, k, r)| to_evidence(s, k, r)).collect(),
		}
	}

	/// Drops the equivocation state of a set id leaving the history (at most `MaxValidators`
	/// entries per map: only keys of that set can have any); returns the entries removed.
	pub(crate) fn prune_equivocations(set_id: SetId) -> u32 {
		let limit = T::MaxValidators::get();
		let evidence = Equivocations::<T>::clear_prefix(set_id, limit, None);
		let index = DoubleSignReported::<T>::clear_prefix(set_id, limit, None);
		evidence.unique.saturating_add(index.unique)
	}

	/// Queues the double-sign slash packet of `offender`, unless one was already produced for
	/// this validator and set id; returns true when a new packet was produced.
	fn note_double_sign(offender: &EquivocationOffender) -> bool {
		if DoubleSignReported::<T>::contains_key(offender.set_id, offender.key) {
			return false;
		}
		DoubleSignReported::<T>::insert(offender.set_id, offender.key, ());
		let slash = SlashPacket {
			validator: offender.key.address(),
			power: offender.power,
			vsc_id: offender.vsc_id,
			infraction: Infraction::DoubleSign,
		};
		if Self::ccv_channel_closed() {
			log::warn!(
				target: crate::LOG_TARGET,
				"double-sign packet for {:?} dropped: CCV channel closed",
				slash.validator
			);
			Self::deposit_event(Event::DoubleSignPacketDropped { validator: slash.validator });
			return true;
		}
		// Keep the order: behind anything already waiting in the backlog.
		if DoubleSignBacklogFifo::<T>::len() == 0
			&& Self::queue_packet(ConsumerPacket::Slash(slash)).is_ok()
		{
			return true;
		}
		if DoubleSignBacklogFifo::<T>::len() < u64::from(T::MaxPendingPackets::get()) {
			DoubleSignBacklogFifo::<T>::push_back(slash);
		} else {
			log::error!(
				target: crate::LOG_TARGET,
				"double-sign packet for {:?} dropped: queue and backlog full",
				slash.validator
			);
			Self::deposit_event(Event::DoubleSignPacketDropped { validator: slash.validator });
		}
		true
	}

	/// Moves waiting double-sign packets into the outgoing queue while it has room (at most
	/// `MaxPacketsPerBlock`).
	pub(crate) fn drain_double_sign_backlog() -> Weight {
		let mut moved = 0u32;
		for _ in 0..T::MaxPacketsPerBlock::get() {
			let Some(slash) = DoubleSignBacklogFifo::<T>::front() else { break };
			if u64::from(T::MaxPendingPackets::get()) <= crate::outbox::OutboxFifo::<T>::len() {
				break;
			}
			if Self::queue_packet(ConsumerPacket::Slash(slash)).is_err() {
				break;
			}
			DoubleSignBacklogFifo::<T>::pop_front();
			moved = moved.saturating_add(1);
		}
		<T as Config>::WeightInfo::drain_double_sign_backlog(moved)
	}
}

/// Handles offences pallet-offences reports (only GRANDPA equivocations reach it in the
/// consumer runtime): queues one `Slash(DoubleSign)` per validator and set id. Slash fractions
/// and the session are ignored: the provider decides the punishment.
impl<T: Config, Reporter> OnOffenceHandler<Reporter, EquivocationOffender, Weight> for Pallet<T> {
	fn on_offence(
		offenders: &[OffenceDetails<Reporter, EquivocationOffender>],
		_slash_fraction: &[Perbill],
		_session: sp_staking::SessionIndex,
	) -> Weight {
		let mut new = 0u32;
		for details in offenders {
			if Self::note_double_sign(&details.offender) {
				new = new.saturating_add(1);
			}
		}
		let known = (offenders.len() as u32).saturating_sub(new);
		// Plus the closed check of the CCV channel.
		<T as Config>::WeightInfo::on_offence(known, new)
			.saturating_add(T::DbWeight::get().reads(1))
	}
}

/// The evidence pallet-grandpa's calls carry.
pub type GrandpaEvidence<T> = (
	EquivocationProof<<T as frame_system::Config>::Hash, BlockNumberFor<T>>,
	AuthorityMembershipProof,
);

/// pallet-grandpa's `EquivocationReportSystem` for a consumer: key ownership checked against
/// this pallet's authority-set history, offences reported to `R` (pallet-offences, whose
/// handler is this pallet), verified evidence stored for the provider. `L` is the longevity of
/// unsigned reports in the pool, in blocks. See the module docs for why it is not
/// `pallet_grandpa::EquivocationReportSystem`.
pub struct EquivocationReportSystem<T, R, L>(core::marker::PhantomData<(T, R, L)>);

impl<T, R, L> EquivocationReportSystem<T, R, L>
where
	T: Config + pallet_grandpa::Config<KeyOwnerProof = AuthorityMembershipProof>,
	R: ReportOffence<T::AccountId, EquivocationOffender, EquivocationOffence<EquivocationOffender>>,
{
	/// Checks the key-ownership proof against the evidence: same set id, key in that set.
	fn offender(
		equivocation: &EquivocationProof<T::Hash, BlockNumberFor<T>>,
		proof: AuthorityMembershipProof,
	) -> Option<EquivocationOffender> {
		if proof.set_id != equivocation.set_id() {
			return None;
		}
		Pallet::<T>::check_proof((KEY_TYPE, equivocation.offender().clone()), proof)
	}
}

impl<T, R, L> OffenceReportSystem<Option<T::AccountId>, GrandpaEvidence<T>>
	for EquivocationReportSystem<T, R, L>
where
	T: Config
		+ pallet_grandpa::Config<KeyOwnerProof = AuthorityMembershipProof>
		+ frame_system::offchain::CreateBare<pallet_grandpa::Call<T>>,
	R: ReportOffence<T::AccountId, EquivocationOffender, EquivocationOffence<EquivocationOffender>>,
	L: Get<u64>,
{
	type Longevity = L;

	fn publish_evidence(evidence: GrandpaEvidence<T>) -> Result<(), ()> {
		use frame_system::offchain::{CreateBare, SubmitTransaction};
		let (equivocation_proof, key_owner_proof) = evidence;
		let call = pallet_grandpa::Call::<T>::report_equivocation_unsigned {
			equivocation_proof: Box::new(equivocation_proof),
			key_owner_proof,
		};
		let xt = <T as CreateBare<pallet_grandpa::Call<T>>>::create_bare(call.into());
		let res = SubmitTransaction::<T, pallet_grandpa::Call<T>>::submit_transaction(xt);
		match res {
			Ok(()) => {
				log::info!(target: crate::LOG_TARGET, "submitted a GRANDPA equivocation report")
			}
			Err(()) => {
				log::error!(target: crate::LOG_TARGET, "submitting a GRANDPA equivocation report failed")
			}
		}
		res
	}

	fn check_evidence(evidence: GrandpaEvidence<T>) -> Result<(), TransactionValidityError> {
		let (equivocation_proof, key_owner_proof) = evidence;
		let offender = Self::offender(&equivocation_proof, key_owner_proof)
			.ok_or(InvalidTransaction::BadProof)?;
		let time_slot =
			TimeSlot { set_id: equivocation_proof.set_id(), round: equivocation_proof.round() };
		if R::is_known_offence(&[offender], &time_slot) {
			return Err(InvalidTransaction::Stale.into());
		}
		if !sp_consensus_grandpa::check_equivocation_proof(equivocation_proof) {
			return Err(InvalidTransaction::BadProof.into());
		}
		Ok(())
	}

	fn process_evidence(
		reporter: Option<T::AccountId>,
		evidence: GrandpaEvidence<T>,
	) -> Result<(), DispatchError> {
		let (equivocation_proof, key_owner_proof) = evidence;
		let set_id = equivocation_proof.set_id();
		let round = equivocation_proof.round();
		let encoded = equivocation_proof.encode();
		if !sp_consensus_grandpa::check_equivocation_proof(equivocation_proof.clone()) {
			return Err(pallet_grandpa::Error::<T>::InvalidEquivocationProof.into());
		}
		let offender = Self::offender(&equivocation_proof, key_owner_proof)
			.ok_or(pallet_grandpa::Error::<T>::InvalidKeyOwnershipProof)?;
		let offence = EquivocationOffence {
			time_slot: TimeSlot { set_id, round },
			session_index: key_owner_proof.session,
			validator_set_count: key_owner_proof.validator_count,
			offender,
		};
		R::report_offence(reporter.into_iter().collect(), offence)
			.map_err(|_| pallet_grandpa::Error::<T>::DuplicateOffenceReport)?;

		if !Equivocations::<T>::contains_key(set_id, offender.key) {
			match EncodedEvidence::try_from(encoded) {
				Ok(evidence) => {
					Equivocations::<T>::insert(
						set_id,
						offender.key,
						EquivocationRecord { round, evidence },
					);
				}
				Err(e) => log::error!(
					target: crate::LOG_TARGET,
					"equivocation evidence of {} bytes over the bound; not stored",
					e.len()
				),
			}
		}
		Pallet::<T>::deposit_event(Event::EquivocationReported {
			validator: offender.key.address(),
			set_id,
			round,
		});
		Ok(())
	}
}
