//! Jailing (staking has none; DESIGN §3 and research/design-review.md item 6).
//!
//! A validator whose downtime slash is reported is jailed until `now + jail_duration` (for ever
//! if the consumer's downtime params tombstone). Jailing:
//! - drops it from every consumer set: all launched consumers are recomputed from the next
//!   block (cursor, `MaxRecomputesPerBlock` per block; a pass in progress is finished and then
//!   repeated), so the next VSCs remove its keys;
//! - disables it in the current session for the rest of the era (`disable_index`);
//! - chills it in staking (`StakingInterface::chill`), and hides it from elections while
//!   jailed: runtimes set `TargetList = JailFilter<Runtime, UseValidatorsMap<Runtime>>`, since
//!   staking's `validate` has no guard against re-validating at once.
//!
//! A validator is never jailed if that leaves fewer unjailed session validators than staking's
//! `MinimumValidatorCount` (it is still slashed). `unjail` lifts an expired jail; it must then
//! call `validate` again.

use crate::pallet::*;
use alloc::boxed::Box;
use core::marker::PhantomData;
use frame_election_provider_support::SortedListProvider;
use frame_support::{ensure, pallet_prelude::DispatchResult};
use sp_staking::StakingInterface;

/// Jail end of a tombstoned validator (never).
pub const TOMBSTONED: u64 = u64::MAX;

impl<T: Config> Pallet<T> {
	/// Whether `who` is jailed (or tombstoned).
	pub fn is_jailed(who: &T::AccountId) -> bool {
		Jailed::<T>::contains_key(who)
	}

	/// Jails `who` until `until_ms` (extending an existing jail); returns whether it is jailed.
	pub(crate) fn jail(who: &T::AccountId, until_ms: u64) -> bool {
		if let Some(current) = Jailed::<T>::get(who) {
			Jailed::<T>::insert(who, current.max(until_ms));
			return true;
		}
		let validators = pallet_session::Validators::<T>::get();
		let unjailed = validators.iter().filter(|v| !Jailed::<T>::contains_key(*v)).count();
		let minimum = pallet_staking::MinimumValidatorCount::<T>::get() as usize;
		if validators.contains(who) && unjailed.saturating_sub(1) < minimum {
			Self::deposit_event(Event::JailSkipped { validator: who.clone() });
			return false;
		}
		Jailed::<T>::insert(who, until_ms);
		JailNonce::<T>::mutate(|n| *n = n.wrapping_add(1));
		if let Some(index) = pallet_session::Pallet::<T>::validator_id_to_index(who) {
			pallet_session::Pallet::<T>::disable_index(index);
		}
		// Not validating (already chilled) is fine: the election filter keeps it out anyway.
		let _ = <pallet_staking::Pallet<T> as StakingInterface>::chill(who);
		Self::request_recompute();
		Self::deposit_event(Event::ValidatorJailed { validator: who.clone(), until_ms });
		true
	}

	/// Makes every launched consumer's set be recomputed: a pass in progress finishes and is
	/// followed by a full one (so no consumer starves); otherwise a pass starts next block.
	pub(crate) fn request_recompute() {
		match Recompute::<T>::get() {
			Some(cursor) => Recompute::<T>::put(crate::RecomputeCursor { again: true, ..cursor }),
			None => {
				if let Some(era) = LastEra::<T>::get() {
					Recompute::<T>::put(crate::RecomputeCursor {
						era,
						next_consumer: 0,
						again: false,
					});
				}
			}
		}
	}

	/// Lifts `who`'s expired jail.
	pub(crate) fn do_unjail(who: T::AccountId) -> DispatchResult {
		let until = Jailed::<T>::get(&who).ok_or(Error::<T>::NotJailed)?;
		ensure!(until != TOMBSTONED, Error::<T>::Tombstoned);
		ensure!(Self::now_ms() >= until, Error::<T>::JailNotExpired);
		Jailed::<T>::remove(&who);
		JailNonce::<T>::mutate(|n| *n = n.wrapping_add(1));
		Self::deposit_event(Event::ValidatorUnjailed { validator: who });
		Ok(())
	}
}

/// Staking `TargetList` wrapper that hides jailed and tombstoned validators from elections.
///
/// Only `iter` and `iter_from` filter; `count` and `contains` stay those of `Inner`, because
/// staking's `try_state` compares the count with its `Validators` map.
pub struct JailFilter<T, Inner>(PhantomData<(T, Inner)>);

impl<T: Config, Inner: SortedListProvider<T::AccountId>> SortedListProvider<T::AccountId>
	for JailFilter<T, Inner>
{
	type Error = Inner::Error;
	type Score = Inner::Score;

	fn range() -> (Self::Score, Self::Score) {
		Inner::range()
	}
	fn iter() -> Box<dyn Iterator<Item = T::AccountId>> {
		Box::new(Inner::iter().filter(|v| !Jailed::<T>::contains_key(v)))
	}
	fn lock() {
		Inner::lock()
	}
	fn unlock() {
		Inner::unlock()
	}
	fn iter_from(
		start: &T::AccountId,
	) -> Result<Box<dyn Iterator<Item = T::AccountId>>, Self::Error> {
		Ok(Box::new(Inner::iter_from(start)?.filter(|v| !Jailed::<T>::contains_key(v))))
	}
	fn count() -> u32 {
		Inner::count()
	}
	fn contains(id: &T::AccountId) -> bool {
		Inner::contains(id)
	}
	fn on_insert(id: T::AccountId, score: Self::Score) -> Result<(), Self::Error> {
		Inner::on_insert(id, score)
	}
	fn on_update(id: &T::AccountId, score: Self::Score) -> Result<(), Self::Error> {
		Inner::on_update(id, score)
	}
	fn get_score(id: &T::AccountId) -> Result<Self::Score, Self::Error> {
		Inner::get_score(id)
	}
	fn on_increase(id: &T::AccountId, additional: Self::Score) -> Result<(), Self::Error> {
		Inner::on_increase(id, additional)
	}
	fn on_decrease(id: &T::AccountId, decreased: Self::Score) -> Result<(), Self::Error> {
		Inner::on_decrease(id, decreased)
	}
	fn on_remove(id: &T::AccountId) -> Result<(), Self::Error> {
		Inner::on_remove(id)
	}
	fn unsafe_regenerate(
		all: impl IntoIterator<Item = T::AccountId>,
		score_of: Box<dyn Fn(&T::AccountId) -> Option<Self::Score>>,
	) -> u32 {
		Inner::unsafe_regenerate(all, score_of)
	}
	fn unsafe_clear() {
		Inner::unsafe_clear()
	}
	#[cfg(feature = "try-runtime")]
	fn try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Inner::try_state()
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn score_update_worst_case(who: &T::AccountId, is_increase: bool) -> Self::Score {
		Inner::score_update_worst_case(who, is_increase)
	}
}
