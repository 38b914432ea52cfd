//! Validator-set-change packets in.
//!
//! A VSC is checked completely before anything is written: decodable, on the consumer port and
//! the CCV channel, `vsc_id` above every id seen, and the set it leads to (the pending set, or
//! the current one, with its updates applied; the latest update per key wins) a valid GRANDPA
//! set of at most `MaxValidators`. A failing VSC gets an error acknowledgement and changes
//! nothing. An accepted one replaces the pending set, records `vsc_id -> block`, clears the
//! outstanding-downtime flag of every validator in its slash acks, and (the first time)
//! establishes the CCV channel.

use crate::{
	pallet::*,
	queue::Fifo,
	types::{CcvChannelState, Validator, ValidatorSet, VscRejection},
	Config, Pallet,
};
use alloc::{collections::BTreeMap, vec::Vec};
use ccv_primitives::{
	channel::PacketRef, validate_validator_set, wire::decode_vsc_packet, GenesisError, VscId,
	VscPacket, CONSUMER_PORT_ID,
};
use frame_support::traits::Get;

/// The vsc_id -> height pruning FIFO.
pub(crate) type VscHeightFifo<T> = Fifo<VscHeightBounds<T>, VscHeightOrder<T>, VscId>;

/// `base` with `updates` applied (power 0 removes; the latest update per key wins), sorted by
/// key, checked as a GRANDPA set of at most `max` validators.
pub fn apply_updates(
	base: &[Validator],
	updates: &[Validator],
	max: u32,
) -> Result<Vec<Validator>, VscRejection> {
	let mut by_key: BTreeMap<_, _> = base.iter().map(|v| (v.key, v.power)).collect();
	for u in updates {
		if u.power == 0 {
			by_key.remove(&u.key);
		} else {
			by_key.insert(u.key, u.power);
		}
	}
	let set: Vec<Validator> =
		by_key.into_iter().map(|(key, power)| Validator { key, power }).collect();
	if set.len() > max as usize {
		return Err(VscRejection::TooManyValidators);
	}
	validate_validator_set(&set).map_err(|e| match e {
		GenesisError::EmptyValidatorSet => VscRejection::EmptySet,
		GenesisError::TotalPowerTooLarge => VscRejection::TotalPowerTooLarge,
		// Zero powers were removed and the map has unique keys: unreachable, but never panic.
		_ => VscRejection::InvalidPacket,
	})?;
	Ok(set)
}

impl<T: Config> Pallet<T> {
	/// Handles a VSC packet; `Ok(vsc_id)` means acknowledge with `0x01`.
	pub fn receive_vsc(packet: &PacketRef, data: &[u8]) -> Result<VscId, (VscId, VscRejection)> {
		if Params::<T>::get().is_none() {
			return Err((0, VscRejection::NotInitialised));
		}
		let vsc = decode_vsc_packet(data).map_err(|e| {
			log::warn!(target: crate::LOG_TARGET, "undecodable VSC packet: {e}");
			(0, VscRejection::Undecodable)
		})?;
		let id = vsc.vsc_id;
		let next = Self::check_vsc(packet, &vsc).map_err(|r| (id, r))?;

		// Everything checked: write.
		if CcvChannel::<T>::get().is_none() {
			CcvChannel::<T>::put(CcvChannelState::Established(packet.channel.clone()));
			Self::deposit_event(Event::ChannelEstablished { channel: packet.channel.clone() });
		}
		NextValidators::<T>::put(next);
		HighestVscId::<T>::put(id);
		PendingVscId::<T>::put(id);
		Self::note_vsc_height(id);
		let hrp = T::SlashAckHrp::get();
		for ack in vsc.slash_acks.iter() {
			match ack.address(hrp) {
				Some(address) if OutstandingDowntime::<T>::take(address).is_some() => {
					Self::deposit_event(Event::OutstandingDowntimeCleared { validator: address });
				}
				Some(_) => {}
				None => log::debug!(target: crate::LOG_TARGET, "ignoring slash ack {ack:?}"),
			}
		}
		Self::deposit_event(Event::VscReceived {
			vsc_id: id,
			updates: vsc.validator_updates.len() as u32,
			slash_acks: vsc.slash_acks.len() as u32,
		});
		Ok(id)
	}

	/// All checks of a decoded VSC; returns the set it leads to.
	fn check_vsc(
		packet: &PacketRef,
		vsc: &VscPacket,
	) -> Result<ValidatorSet<T::MaxValidators>, VscRejection> {
		if packet.port.as_slice() != CONSUMER_PORT_ID.as_bytes() {
			return Err(VscRejection::WrongChannel);
		}
		match CcvChannel::<T>::get() {
			Some(CcvChannelState::Established(c)) if c != packet.channel => {
				return Err(VscRejection::WrongChannel)
			}
			Some(CcvChannelState::Closed(_)) => return Err(VscRejection::ChannelClosed),
			_ => {}
		}
		vsc.validate_basic().map_err(|_| VscRejection::InvalidPacket)?;
		if vsc.vsc_id <= HighestVscId::<T>::get() {
			return Err(VscRejection::NonIncreasingId);
		}
		let base = NextValidators::<T>::get().unwrap_or_else(CurrentValidators::<T>::get);
		let next = apply_updates(&base, &vsc.validator_updates, T::MaxValidators::get())?;
		ValidatorSet::<T::MaxValidators>::try_from(next)
			.map_err(|_| VscRejection::TooManyValidators)
	}

	/// Records the block at which `vsc_id` arrived, pruning the oldest entry beyond the bound
	/// (`min(MaxVscHeights, historical_entries)`).
	fn note_vsc_height(vsc_id: VscId) {
		VscHeights::<T>::insert(vsc_id, frame_system::Pallet::<T>::block_number());
		VscHeightFifo::<T>::push_back(vsc_id);
		let entries = Params::<T>::get().map(|p| p.historical_entries).unwrap_or(1);
		let bound = u64::from(T::MaxVscHeights::get().min(entries).max(1));
		// One push, so at most one entry over the bound (two if the bound shrank: loop bounded).
		for _ in 0..2 {
			if VscHeightFifo::<T>::len() <= bound {
				break;
			}
			if let Some(old) = VscHeightFifo::<T>::pop_front() {
				VscHeights::<T>::remove(old);
			}
		}
	}
}
