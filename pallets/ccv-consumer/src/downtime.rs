//! Downtime: slots without a block.
//!
//! Aura gives slot `s` to authority `s % n` of the set in force. Each block (in `on_initialize`,
//! before a session change, so the set is the one that governed those slots) the pallet looks
//! at the slots since the previous block:
//! - the block's own slot is a *hit* for its author;
//! - each empty slot in between is a *miss* for its authority, but at most
//!   `MaxMissesPerBlock` of them (the earliest) are attributed per block, and a gap longer than
//!   `ChainHaltSlots` is a chain halt: nobody is blamed for it.
//!
//! Each validator has a window over its own last `downtime_window_slots` slots (the slots it was
//! expected to fill, as Cosmos counts a validator's expected blocks), kept as a bitmap with a
//! running miss count. When the count exceeds `downtime_max_missed_slots`, a
//! `Slash(Downtime)` packet is queued (address = sha256(key)[..20], its power, the vsc_id in
//! force) and the validator is marked outstanding: it is not counted (nor reported again) until
//! a slash ack clears the flag, which also starts a fresh window. If the outgoing queue is
//! full, nothing is marked and the report is made again at the validator's next miss.
//!
//! Cost per block: `1 + min(gap, MaxMissesPerBlock)` slot attributions, each a few storage
//! accesses (one of them the validator's bitmap, at most `MaxDowntimeWindowWords` words); it
//! does not depend on the number of validators. A validator's window is dropped when it is
//! reported and when it leaves the set (see [`crate::session`]). Nothing is tracked once the CCV
//! channel is closed ([`crate::channel_close`]).

use crate::{pallet::*, weights::WeightInfo, Config, Pallet};
use ccv_primitives::{ConsensusKey, ConsumerPacket, Infraction, SlashPacket};
use frame_support::{pallet_prelude::Weight, traits::Get};

/// Bits per bitmap word.
const WORD_BITS: u64 = 64;

impl<T: Config> Pallet<T> {
	/// Attributes the slots since the previous block; returns the number of attributions.
	pub(crate) fn track_downtime() -> u32 {
		let slot: u64 = pallet_aura::CurrentSlot::<T>::get().into();
		let last = LastSlot::<T>::get();
		if slot <= last {
			return 0;
		}
		LastSlot::<T>::put(slot);
		let count = ValidatorCount::<T>::get();
		if count == 0 {
			return 0;
		}
		let mut done = 0u32;
		// `last == 0`: first block tracked; no earlier slot to blame.
		if last != 0 {
			let gap = slot - last - 1;
			if gap > T::ChainHaltSlots::get() {
				log::info!(
					target: crate::LOG_TARGET,
					"{gap} empty slots before slot {slot}: chain halt, no downtime attributed",
				);
			} else {
				let misses = gap.min(u64::from(T::MaxMissesPerBlock::get()));
				for missed in (last + 1)..=(last + misses) {
					Self::note_slot(missed, count, true);
					done = done.saturating_add(1);
				}
			}
		}
		Self::note_slot(slot, count, false);
		done.saturating_add(1)
	}

	/// Records a hit or miss for the authority of `slot`.
	fn note_slot(slot: u64, count: u32, missed: bool) {
		let index = (slot % u64::from(count)) as u32;
		let Some(validator) = ValidatorByIndex::<T>::get(index) else { return };
		let address = validator.key.address();
		if OutstandingDowntime::<T>::contains_key(address) {
			return;
		}
		let Some(params) = Params::<T>::get() else { return };
		let window = u64::from(params.downtime_window_slots.max(1));
		let mut info = SigningInfos::<T>::get(validator.key).unwrap_or_default();
		let mut bits = MissedBits::<T>::get(validator.key);
		let pos = info.slots % window;
		let word_index = (pos / WORD_BITS) as usize;
		let mask = 1u64 << (pos % WORD_BITS);
		while bits.len() <= word_index {
			if bits.try_push(0).is_err() {
				// Window larger than the bitmap bound (genesis forbids it): do not count.
				return;
			}
		}
		let Some(word) = bits.get_mut(word_index) else { return };
		let was_missed = *word & mask != 0;
		match (was_missed, missed) {
			(true, false) => {
				*word &= !mask;
				info.missed = info.missed.saturating_sub(1);
			}
			(false, true) => {
				*word |= mask;
				info.missed = info.missed.saturating_add(1);
			}
			_ => {}
		}
		info.slots = info.slots.saturating_add(1);
		MissedBits::<T>::insert(validator.key, bits);
		SigningInfos::<T>::insert(validator.key, info);

		if missed && info.missed > params.downtime_max_missed_slots {
			let packet = ConsumerPacket::Slash(SlashPacket {
				validator: address,
				power: validator.power,
				vsc_id: AppliedVscId::<T>::get(),
				infraction: Infraction::Downtime,
			});
			if Self::queue_packet(packet).is_ok() {
				OutstandingDowntime::<T>::insert(address, ());
				Self::forget_window(&validator.key);
				Self::deposit_event(Event::DowntimeDetected {
					validator: address,
					missed: info.missed,
				});
			}
		}
	}

	/// Drops a validator's downtime window (it starts afresh when counted again).
	pub(crate) fn forget_window(key: &ConsensusKey) {
		SigningInfos::<T>::remove(key);
		MissedBits::<T>::remove(key);
	}

	/// Writes the index of the set in force (slot -> authority lookups in O(1)).
	pub(crate) fn index_validators(set: &[crate::types::Validator]) {
		let old = ValidatorCount::<T>::get();
		let new = set.len() as u32;
		for (i, v) in set.iter().enumerate() {
			ValidatorByIndex::<T>::insert(i as u32, v);
		}
		for i in new..old {
			ValidatorByIndex::<T>::remove(i);
		}
		ValidatorCount::<T>::put(new);
	}

	/// Weight of downtime tracking with `n` slot attributions.
	pub(crate) fn downtime_weight(n: u32) -> Weight {
		<T as Config>::WeightInfo::track_downtime(n)
	}
}
