//! The consumer's session schedule and authority-set changes.
//!
//! A new session starts every `blocks_per_session` blocks (first at block
//! `blocks_per_session`), in `on_initialize`. If the VSCs received since the last boundary lead
//! to a set whose keys or powers differ from the current one (or GRANDPA was told it stalled),
//! the pallet does what pallet-grandpa's session handler would do with pallet-session:
//! 1. `pallet_grandpa::Pallet::schedule_change(set, 0, None)` (a forced change with the stall
//!    parameters if `Stalled` is set), with each validator's power as its authority weight.
//!    GRANDPA's `on_finalize` of the same block signals and enacts it.
//! 2. Only if GRANDPA accepted it: the new Aura authorities, `CurrentSetId += 1`, pruning of
//!    `SetIdSession` beyond `MaxSetIdSessionEntries`.
//!
//! If GRANDPA refuses (a change is already pending), nothing changes and the same set is tried
//! at the next boundary. Every session, `SetIdSession(current set id) = session`. The pallet
//! also keeps, bounded, the authority set of each set id and the set id / vsc_id of each
//! session, and queues the newest applied VSC for maturity.

use crate::{
	pallet::*,
	queue::Fifo,
	types::{aura_id, grandpa_authorities, total_power, MaturingVsc, SessionInfo},
	weights::WeightInfo,
	Config, Pallet,
};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::Weight, traits::Get, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating, Zero};

/// The FIFO of applied VSCs waiting for maturity.
pub(crate) type MaturingFifo<T> = Fifo<MaturingBounds<T>, Maturing<T>, MaturingVsc>;

impl<T: Config> Pallet<T> {
	/// Starts a new session if `n` is a boundary; returns the weight used.
	pub(crate) fn on_session_boundary(n: BlockNumberFor<T>) -> Weight {
		let next_at = NextSessionAt::<T>::get();
		if n < next_at || n.is_zero() {
			return Weight::zero();
		}
		let blocks = Params::<T>::get().map(|p| p.blocks_per_session).unwrap_or(1).max(1);
		NextSessionAt::<T>::put(n.saturating_add(BlockNumberFor::<T>::from(blocks)));
		let session = CurrentSession::<T>::get().saturating_add(1);
		CurrentSession::<T>::put(session);
		let (validators, pruned) = Self::rotate(session, n);
		<T as Config>::WeightInfo::new_session(validators)
			.saturating_add(T::DbWeight::get().writes(u64::from(pruned)))
	}

	/// The session change proper; returns the size of the set written (0 if none) and the
	/// number of equivocation entries pruned with the oldest set.
	fn rotate(session: SessionIndex, n: BlockNumberFor<T>) -> (u32, u32) {
		let current = CurrentValidators::<T>::get();
		let next = NextValidators::<T>::take();
		let changed = next.as_ref().is_some_and(|s| *s != current);
		let stalled = pallet_grandpa::Stalled::<T>::get();
		let mut set_id = pallet_grandpa::CurrentSetId::<T>::get();
		let mut applied = true;
		let mut written = 0u32;
		let mut pruned = 0u32;

		if changed || stalled.is_some() {
			let target = match next {
				Some(s) if changed => s,
				_ => current.clone(),
			};
			let authorities = grandpa_authorities(&target);
			let res = match stalled {
				Some((further_wait, median)) => pallet_grandpa::Pallet::<T>::schedule_change(
					authorities,
					further_wait,
					Some(median),
				),
				None => {
					pallet_grandpa::Pallet::<T>::schedule_change(authorities, Zero::zero(), None)
				}
			};
			match res {
				Ok(()) => {
					pallet_grandpa::Stalled::<T>::kill();
					set_id = set_id.saturating_add(1);
					pallet_grandpa::CurrentSetId::<T>::put(set_id);
					let keep = <T as pallet_grandpa::Config>::MaxSetIdSessionEntries::get().max(1);
					if set_id >= keep {
						pallet_grandpa::SetIdSession::<T>::remove(set_id - keep);
					}
					if changed {
						let keys: Vec<_> = target.iter().map(|v| aura_id(&v.key)).collect();
						// Same bound as the set (integrity_test: MaxValidators <= MaxAuthorities).
						let keys = BoundedVec::truncate_from(keys);
						pallet_aura::Pallet::<T>::change_authorities(keys);
						Self::note_departures(&current, &target);
						Self::index_validators(&target);
						CurrentValidators::<T>::put(&target);
					}
					written = target.len() as u32;
					let vsc_id = PendingVscId::<T>::get().unwrap_or(AppliedVscId::<T>::get());
					pruned = Self::note_authority_set(set_id, target.clone(), vsc_id);
					Self::deposit_event(Event::ValidatorSetApplied {
						session,
						set_id,
						vsc_id,
						validators: written,
						total_power: total_power(&target),
					});
				}
				Err(e) => {
					log::warn!(
						target: crate::LOG_TARGET,
						"GRANDPA refused the set change of session {session}: {e:?}; retrying next session",
					);
					if changed {
						NextValidators::<T>::put(target);
						applied = false;
					}
					Self::deposit_event(Event::ValidatorSetChangeDeferred { session });
				}
			}
		}

		pallet_grandpa::SetIdSession::<T>::insert(set_id, session);

		if applied {
			if let Some(vsc_id) = PendingVscId::<T>::take() {
				AppliedVscId::<T>::put(vsc_id);
				Self::queue_maturity(vsc_id);
			}
		}
		SessionHistory::<T>::insert(
			session,
			SessionInfo { set_id, vsc_id: AppliedVscId::<T>::get(), start_block: n },
		);
		let keep = T::MaxSessionHistory::get().max(1);
		if session >= keep {
			SessionHistory::<T>::remove(session - keep);
		}
		Self::deposit_event(Event::NewSession { session, set_id });
		(written, pruned)
	}

	/// Drops the downtime state of validators in `old` but not in `new` (at most
	/// `MaxValidators`): a validator that comes back starts with a fresh window and no
	/// outstanding flag ("until a VSC includes it again").
	fn note_departures(old: &[crate::types::Validator], new: &[crate::types::Validator]) {
		for v in old {
			if new.binary_search_by(|n| n.key.cmp(&v.key)).is_err() {
				Self::forget_window(&v.key);
				OutstandingDowntime::<T>::remove(v.key.address());
			}
		}
	}

	/// Stores the set of `set_id` and the vsc_id it carries, pruning the one `MaxSetHistory` ids
	/// older (with its equivocation evidence); returns the number of equivocation entries
	/// pruned.
	fn note_authority_set(
		set_id: u64,
		set: crate::types::ValidatorSet<T::MaxValidators>,
		vsc_id: ccv_primitives::VscId,
	) -> u32 {
		AuthoritySets::<T>::insert(set_id, set);
		AuthoritySetVscIds::<T>::insert(set_id, vsc_id);
		let keep = u64::from(T::MaxSetHistory::get().max(1));
		if set_id >= keep {
			let old = set_id - keep;
			AuthoritySets::<T>::remove(old);
			AuthoritySetVscIds::<T>::remove(old);
			return Self::prune_equivocations(old);
		}
		0
	}

	/// Queues `vsc_id` to mature `unbonding_period` from now. When the maturing queue is full,
	/// the newest entry is replaced: the newer id covers the older one (the provider records the
	/// latest matured id) and matures later, so nothing matures early.
	fn queue_maturity(vsc_id: ccv_primitives::VscId) {
		let unbonding = Params::<T>::get().map(|p| p.unbonding_period_ms).unwrap_or_default();
		let entry = MaturingVsc { vsc_id, matures_at_ms: Self::now_ms().saturating_add(unbonding) };
		if MaturingFifo::<T>::len() >= u64::from(T::MaxMaturingVscs::get()) {
			MaturingFifo::<T>::replace_back(entry);
		} else {
			MaturingFifo::<T>::push_back(entry);
		}
	}

	/// The first block of the next session.
	pub fn next_session_at() -> BlockNumberFor<T> {
		NextSessionAt::<T>::get().max(One::one())
	}
}
