//! The slash meter (ICS throttling): bounds how much provider power downtime slashes can take
//! out before the meter replenishes, so a faulty or hostile consumer cannot jail the whole set
//! at once.
//!
//! Allowance = `SlashMeterReplenishFraction` x the active era's total power, at least 1. The
//! meter starts full; every `SlashMeterReplenishPeriodMs` it gains one allowance, capped at one
//! allowance. A downtime slash is handled while the meter is not negative and takes the
//! validator's power off it (so it may go negative); while it is negative, slash packets bounce
//! (`0x03`) and the consumer retries them later, in order.

use crate::pallet::*;
use ccv_primitives::Power;
use frame_support::{traits::Get, weights::Weight};

impl<T: Config> Pallet<T> {
	/// Current allowance: the fraction of the active era's total power, at least 1.
	pub fn slash_meter_allowance() -> i128 {
		let (_, candidates) = Self::current_candidates();
		let total: u64 = candidates.iter().fold(0u64, |acc, c| acc.saturating_add(c.power));
		let allowance = T::SlashMeterReplenishFraction::get().mul_floor(total).max(1);
		i128::from(allowance)
	}

	/// Fills the meter on first use and replenishes it once its time has come.
	pub(crate) fn replenish_slash_meter(now: u64) -> Weight {
		let db = T::DbWeight::get();
		let next = SlashMeterNextReplenish::<T>::get();
		if next.is_some_and(|t| now < t) {
			return db.reads(1);
		}
		let allowance = Self::slash_meter_allowance();
		let meter = match next {
			None => allowance,
			Some(_) => SlashMeter::<T>::get().saturating_add(allowance).min(allowance),
		};
		SlashMeter::<T>::put(meter);
		SlashMeterNextReplenish::<T>::put(
			now.saturating_add(T::SlashMeterReplenishPeriodMs::get()),
		);
		db.reads_writes(4, 2)
	}

	/// Whether the meter allows handling another downtime slash now.
	pub(crate) fn slash_meter_open() -> bool {
		SlashMeter::<T>::get() >= 0
	}

	/// Takes a handled slash's power off the meter.
	pub(crate) fn charge_slash_meter(power: Power) {
		SlashMeter::<T>::mutate(|m| *m = m.saturating_sub(i128::from(power)));
	}

	/// Throttle state for queries: meter, allowance, next replenish time.
	pub fn throttle_state() -> crate::types::ThrottleState {
		crate::types::ThrottleState {
			meter: SlashMeter::<T>::get(),
			allowance: Self::slash_meter_allowance(),
			next_replenish_ms: SlashMeterNextReplenish::<T>::get(),
		}
	}
}
