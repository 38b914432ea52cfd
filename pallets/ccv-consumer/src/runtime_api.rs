//! Runtime API of the consumer pallet, and the pallet functions behind it: what relayers,
//! operators and tools query (the outgoing queue, the set in force and the pending one, the
//! vsc_id -> height index, the channel and slash-retry state, and since version 2 the verified
//! GRANDPA equivocation evidence to submit to the provider). All answers are bounded by the
//! pallet's `Config` constants.

use crate::{
	equivocation::EquivocationEvidence,
	outbox::OutboxFifo,
	pallet::*,
	types::{CcvChannelState, SlashRecord, Validator},
	Config, Pallet,
};
use alloc::vec::Vec;
use ccv_primitives::{ConsumerPacket, VscId};
use frame_system::pallet_prelude::BlockNumberFor;

pub use api::*;

/// The runtime API declaration (its expansion trips `clippy::multiple_bound_locations`).
#[allow(clippy::multiple_bound_locations)]
mod api {
	use super::*;

	sp_api::decl_runtime_apis! {
		/// Queries of pallet-ccv-consumer.
		///
		/// Version 2 added `equivocation_evidence`.
		#[api_version(2)]
		pub trait CcvConsumerApi<BlockNumber: codec::Codec> {
			/// Outgoing consumer packets, oldest first (the front one may be awaiting a reply).
			fn pending_packets() -> Vec<ConsumerPacket>;
			/// Send state of the slash packet at the front of the queue.
			fn slash_state() -> Option<SlashRecord>;
			/// The validator set in force, in Aura order.
			fn current_validators() -> Vec<Validator>;
			/// The set the received VSCs lead to, applied at the next session boundary.
			fn next_validators() -> Option<Vec<Validator>>;
			/// The consumer block at which `vsc_id` was received, if still indexed.
			fn vsc_height(vsc_id: VscId) -> Option<BlockNumber>;
			/// The vsc_id of the set in force (0: the genesis set).
			fn applied_vsc_id() -> VscId;
			/// The first block of the next consumer session.
			fn next_session_at() -> BlockNumber;
			/// The CCV channel, once established; `Closed` once it closed (the chain then runs
			/// on its last validator set and sends nothing).
			fn ccv_channel() -> Option<CcvChannelState>;
			/// Verified GRANDPA vote-equivocation evidence of set `set_id` (every kept set when
			/// `None`); each `evidence` is what the provider's `submit_consumer_equivocation`
			/// takes.
			#[api_version(2)]
			fn equivocation_evidence(
				set_id: Option<sp_consensus_grandpa::SetId>,
			) -> Vec<EquivocationEvidence>;
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Outgoing packets, oldest first (at most `MaxPendingPackets`).
	pub fn pending_packets() -> Vec<ConsumerPacket> {
		(0..OutboxFifo::<T>::len()).filter_map(OutboxFifo::<T>::get).collect()
	}

	/// Send state of the slash packet at the front of the queue.
	pub fn slash_state() -> Option<SlashRecord> {
		SlashState::<T>::get()
	}

	/// The validator set in force, in Aura order.
	pub fn current_validators() -> Vec<Validator> {
		CurrentValidators::<T>::get().into_inner()
	}

	/// The pending set, if a VSC arrived since the last boundary.
	pub fn next_validators() -> Option<Vec<Validator>> {
		NextValidators::<T>::get().map(|s| s.into_inner())
	}

	/// The block at which `vsc_id` was received.
	pub fn vsc_height(vsc_id: VscId) -> Option<BlockNumberFor<T>> {
		VscHeights::<T>::get(vsc_id)
	}

	/// The vsc_id of the set in force.
	pub fn applied_vsc_id() -> VscId {
		AppliedVscId::<T>::get()
	}

	/// The CCV channel state (`Closed` once it closed).
	pub fn ccv_channel() -> Option<CcvChannelState> {
		CcvChannel::<T>::get()
	}
}
