//! Validator-set changes: from staking's era exposures to consumer sets, diffs and VSC packets.
//!
//! On a new `ActiveEra` the pallet builds the era's candidates once (session validators with
//! their `ErasStakersOverview` total, power = total / `PowerReduction`, at least 1), then
//! recomputes launched consumers' sets, `MaxRecomputesPerBlock` per block with a cursor. A
//! consumer's set applies power shaping as ICS v6.4 does (top-N with automatic opt-in, explicit
//! opt-in, allowlist, denylist, min stake, prioritylist, validator-set cap, power cap) and keeps
//! only validators with an assigned key that are not jailed.
//!
//! Era cost: the candidates are built once per era (`v` exposure reads), together with the
//! list of the `c` validators whose candidacy changed since the previous era. A consumer whose
//! set was computed the era before and whose inputs did not change since (no opt-in or
//! opt-out, key, power-shaping update or jail) and whose shaping is local (no power cap, no set
//! cap on an opt-in consumer, same top-N threshold) gets its set *derived*: only the `c`
//! changed validators are looked up (`O(c)` storage reads instead of `3v`); the stored set
//! (one item) is then re-sorted and diffed in memory. Any other consumer is recomputed in
//! full; both give the same set.
//! The diff against the set last *sent* becomes the pending VSC (at most one per consumer:
//! a later change replaces it with a new id and the merged diff). Up to `MaxVscPerBlock`
//! pending VSCs are sent per block over the CCV channel.

use crate::{pallet::*, types::*, weights::WeightInfo};
use alloc::{
	collections::{BTreeMap, BTreeSet},
	vec::Vec,
};
use ccv_primitives::{
	channel::{ChannelError, IbcChannel},
	wire::encode_vsc_packet,
	ConsensusKey, ConsumerId, MaxSlashAcks, Power, ValidatorUpdate, VscPacket, MAX_SLASH_ACKS,
	PROVIDER_PORT_ID,
};
use frame_support::{pallet_prelude::*, traits::Get, weights::Weight};
use sp_runtime::{
	traits::{CheckedDiv, SaturatedConversion},
	Percent,
};
use sp_staking::EraIndex;

impl<T: Config> Pallet<T> {
	/// Largest power one validator gets, so that a full set sums to at most `u64::MAX / 2`
	/// (GRANDPA's weight limit).
	pub fn max_power() -> Power {
		(u64::MAX / 2) / u64::from(T::MaxValidators::get().max(1))
	}

	/// Consumer power of an exposure: `stake / PowerReduction`, at least 1, at most
	/// [`Self::max_power`].
	pub fn power_of(stake: BalanceOf<T>) -> Power {
		let units: u128 =
			stake.checked_div(&T::PowerReduction::get()).unwrap_or_default().saturated_into();
		let power: Power = units.try_into().unwrap_or(Power::MAX);
		power.clamp(1, Self::max_power())
	}

	/// The active era's candidates (computed and cached on first use in an era).
	pub(crate) fn current_candidates() -> (Weight, CandidatesOf<T>) {
		let db = T::DbWeight::get();
		let Some(era) = pallet_staking::ActiveEra::<T>::get().map(|e| e.index) else {
			return (db.reads(1), BoundedVec::new());
		};
		if let Some((cached, candidates)) = EraCandidates::<T>::get() {
			if cached == era {
				return (db.reads(2), candidates);
			}
		}
		let candidates = Self::build_candidates(era);
		let changes = EraCandidates::<T>::get()
			.filter(|(previous, _)| previous.saturating_add(1) == era)
			.and_then(|(_, previous)| Self::candidate_changes(&previous, &candidates));
		match changes {
			Some(changes) => EraCandidateChanges::<T>::put((era, changes)),
			None => EraCandidateChanges::<T>::kill(),
		}
		EraCandidates::<T>::put((era, &candidates));
		(<T as Config>::WeightInfo::era_candidates(candidates.len() as u32), candidates)
	}

	/// Session validators of `era` with their exposure, by power descending (ties by account),
	/// at most `MaxValidators`. Validators without exposure in the era are left out.
	fn build_candidates(era: EraIndex) -> CandidatesOf<T> {
		let mut candidates: Vec<_> = pallet_session::Validators::<T>::get()
			.into_iter()
			.take(T::MaxValidators::get() as usize)
			.filter_map(|validator| {
				let overview = pallet_staking::ErasStakersOverview::<T>::get(era, &validator)?;
				Some(Candidate {
					validator,
					stake: overview.total,
					power: Self::power_of(overview.total),
				})
			})
			.collect();
		candidates
			.sort_by(|a, b| b.power.cmp(&a.power).then_with(|| a.validator.cmp(&b.validator)));
		BoundedVec::truncate_from(candidates)
	}

	/// Smallest power among the validators that together hold `top_n`% of the candidates'
	/// power (candidates sorted by power descending); `None` for an opt-in consumer.
	pub fn min_power_in_top_n(
		candidates: &[Candidate<T::AccountId, BalanceOf<T>>],
		top_n: u8,
	) -> Option<Power> {
		if top_n == 0 {
			return None;
		}
		let total: u128 = candidates.iter().map(|c| u128::from(c.power)).sum();
		let target = total.saturating_mul(u128::from(top_n.min(100)));
		let mut acc: u128 = 0;
		for c in candidates {
			acc = acc.saturating_add(u128::from(c.power));
			if acc.saturating_mul(100) >= target {
				return Some(c.power);
			}
		}
		candidates.last().map(|c| c.power)
	}

	/// A consumer's next set from the candidates under its power shaping, as ICS v6.4
	/// computes it:
	///
	/// 1. jailed candidates are left out;
	/// 2. on a top-N consumer, candidates with at least the top N%'s smallest power are opted in
	///    automatically (they stay opted in when they later fall out of the top N%);
	/// 3. opted-in candidates pass the allowlist (if any), the denylist and `min_stake`, and
	///    need an assigned key (top-N members without one are reported in an event);
	/// 4. prioritylisted validators come first, then the others, each group by power;
	/// 5. `validator_set_cap` keeps the first ones of that order (opt-in consumers only);
	/// 6. `validators_power_cap` reshapes the powers (see [`cap_powers`]).
	pub(crate) fn compute_consumer_set(
		consumer_id: ConsumerId,
		candidates: &CandidatesOf<T>,
	) -> ValidatorSetOf<T> {
		let ps = PowerShaping::<T>::get(consumer_id).unwrap_or_default();
		let min_top = Self::min_power_in_top_n(candidates, ps.top_n);
		match min_top {
			Some(min) => MinPowerInTopN::<T>::insert(consumer_id, min),
			None => MinPowerInTopN::<T>::remove(consumer_id),
		}
		let shaping = Shaping::new(&ps, min_top);
		let mut priority = Vec::new();
		let mut others = Vec::new();
		let mut without_key = Vec::new();
		// Candidates are by power descending, so both groups are too.
		for c in candidates.iter() {
			match Self::standing(consumer_id, c, &shaping) {
				Standing::Member(member) if shaping.prioritized(&member.validator) => {
					priority.push(member)
				}
				Standing::Member(member) => others.push(member),
				Standing::NeedsKey => without_key.push(c.validator.clone()),
				Standing::Out => {}
			}
		}
		Self::report_top_n_without_key(consumer_id, without_key);
		let mut set = priority;
		set.extend(others);
		if ps.top_n == 0 && ps.validator_set_cap > 0 {
			set.truncate(ps.validator_set_cap as usize);
		}
		let mut powers: Vec<Power> = set.iter().map(|v| v.power).collect();
		cap_powers(&mut powers, ps.validators_power_cap);
		for (member, power) in set.iter_mut().zip(powers) {
			member.power = power;
		}
		// Candidates are at most `MaxValidators`, so nothing is cut.
		BoundedVec::truncate_from(set)
	}

	/// Where candidate `c` stands on a consumer (steps 1-3 of [`Self::compute_consumer_set`]);
	/// opts it in when it is a top-N member.
	fn standing(
		consumer_id: ConsumerId,
		c: &Candidate<T::AccountId, BalanceOf<T>>,
		shaping: &Shaping<'_, T::AccountId, BalanceOf<T>>,
	) -> Standing<T::AccountId> {
		if Jailed::<T>::contains_key(&c.validator) {
			return Standing::Out;
		}
		let in_top = shaping.min_top.is_some_and(|min| c.power >= min);
		let opted_in = OptedIn::<T>::contains_key(consumer_id, &c.validator);
		if in_top && !opted_in {
			OptedIn::<T>::insert(consumer_id, &c.validator, ());
		}
		if !in_top && !opted_in {
			return Standing::Out;
		}
		if !shaping.admits(&c.validator) || c.stake < shaping.params.min_stake {
			return Standing::Out;
		}
		match ConsumerKeys::<T>::get(consumer_id, &c.validator) {
			Some(key) => Standing::Member(ConsumerValidator {
				validator: c.validator.clone(),
				key,
				power: c.power,
			}),
			None if in_top => Standing::NeedsKey,
			None => Standing::Out,
		}
	}

	/// Stores (or clears) the top-N members a consumer needs that have no key, with an event.
	fn report_top_n_without_key(consumer_id: ConsumerId, without_key: Vec<T::AccountId>) {
		if without_key.is_empty() {
			TopNWithoutKey::<T>::remove(consumer_id);
		} else {
			TopNWithoutKey::<T>::insert(
				consumer_id,
				BoundedVec::<_, T::MaxValidators>::truncate_from(without_key.clone()),
			);
			Self::deposit_event(Event::TopNValidatorsWithoutKey {
				consumer_id,
				validators: without_key,
			});
		}
	}

	/// The candidates that changed from `prev` to `next` (new, gone, or with another stake or
	/// power); `None` if more than `MaxValidators` did.
	fn candidate_changes(
		prev: &[Candidate<T::AccountId, BalanceOf<T>>],
		next: &[Candidate<T::AccountId, BalanceOf<T>>],
	) -> Option<BoundedVec<CandidateChangeOf<T>, T::MaxValidators>> {
		let mut before: BTreeMap<&T::AccountId, &Candidate<T::AccountId, BalanceOf<T>>> =
			prev.iter().map(|c| (&c.validator, c)).collect();
		let mut changes = Vec::new();
		for c in next {
			if before.remove(&c.validator) != Some(c) {
				changes.push((c.validator.clone(), Some(c.clone())));
			}
		}
		changes.extend(before.into_keys().map(|gone| (gone.clone(), None)));
		BoundedVec::try_from(changes).ok()
	}

	/// Records that the consumer's stored set was computed now (active era, jail nonce).
	pub(crate) fn stamp_set(consumer_id: ConsumerId) {
		match pallet_staking::ActiveEra::<T>::get() {
			Some(era) => SetStamps::<T>::insert(
				consumer_id,
				SetStamp { era: era.index, jail_nonce: JailNonce::<T>::get() },
			),
			None => SetStamps::<T>::remove(consumer_id),
		}
	}

	/// The candidate changes to apply to the consumer's stored set to get this era's, if that
	/// set can be derived from them: it was computed in this era or the previous one, no jail
	/// changed since, and its inputs (opt-ins, keys, power shaping) did not change.
	fn changes_since_stamp(consumer_id: ConsumerId) -> Option<Vec<CandidateChangeOf<T>>> {
		let stamp = SetStamps::<T>::get(consumer_id)?;
		let era = pallet_staking::ActiveEra::<T>::get()?.index;
		if stamp.jail_nonce != JailNonce::<T>::get() {
			return None;
		}
		if stamp.era == era {
			return Some(Vec::new());
		}
		if stamp.era.checked_add(1) != Some(era) {
			return None;
		}
		EraCandidateChanges::<T>::get()
			.filter(|(changed, _)| *changed == era)
			.map(|(_, changes)| changes.into_inner())
	}

	/// This era's set of a launched consumer, with the weight used: derived from its stored set
	/// by the candidate changes when possible (cost grows with the changed validators), else
	/// computed in full over all candidates.
	pub(crate) fn recompute_consumer_set(
		consumer_id: ConsumerId,
		candidates: &CandidatesOf<T>,
	) -> (Weight, ValidatorSetOf<T>) {
		let v = candidates.len() as u32;
		if let Some(changes) = Self::changes_since_stamp(consumer_id) {
			let c = changes.len() as u32;
			if let Some(set) = Self::update_consumer_set(consumer_id, candidates, &changes) {
				return (<T as Config>::WeightInfo::recompute_consumer_changed(v, c), set);
			}
		}
		(
			<T as Config>::WeightInfo::recompute_consumer(v),
			Self::compute_consumer_set(consumer_id, candidates),
		)
	}

	/// The consumer's stored set with `changes` applied, equal to what
	/// [`Self::compute_consumer_set`] would give; `None` when the power shaping makes every
	/// validator depend on every other (a power cap, a set cap on an opt-in consumer, or a
	/// moved top-N threshold), so a full computation is needed.
	fn update_consumer_set(
		consumer_id: ConsumerId,
		candidates: &CandidatesOf<T>,
		changes: &[CandidateChangeOf<T>],
	) -> Option<ValidatorSetOf<T>> {
		let ps = PowerShaping::<T>::get(consumer_id).unwrap_or_default();
		if !ps.validators_power_cap.is_zero() || (ps.top_n == 0 && ps.validator_set_cap > 0) {
			return None;
		}
		let min_top = Self::min_power_in_top_n(candidates, ps.top_n);
		if min_top != MinPowerInTopN::<T>::get(consumer_id) {
			return None;
		}
		let shaping = Shaping::new(&ps, min_top);
		let changed: BTreeSet<&T::AccountId> = changes.iter().map(|(who, _)| who).collect();
		let mut set = ConsumerValidators::<T>::get(consumer_id).into_inner();
		set.retain(|v| !changed.contains(&v.validator));
		let mut without_key = TopNWithoutKey::<T>::get(consumer_id).into_inner();
		without_key.retain(|v| !changed.contains(v));
		for c in changes.iter().filter_map(|(_, c)| c.as_ref()) {
			match Self::standing(consumer_id, c, &shaping) {
				Standing::Member(member) => set.push(member),
				Standing::NeedsKey => without_key.push(c.validator.clone()),
				Standing::Out => {}
			}
		}
		// The order of a full computation: prioritylisted first, then by power descending
		// and account (the candidates' order).
		set.sort_by(|a, b| {
			shaping
				.prioritized(&b.validator)
				.cmp(&shaping.prioritized(&a.validator))
				.then_with(|| b.power.cmp(&a.power))
				.then_with(|| a.validator.cmp(&b.validator))
		});
		if without_key.len() > 1 {
			let rank = |who: &T::AccountId| candidates.iter().position(|c| &c.validator == who);
			without_key.sort_by_cached_key(|who| rank(who));
		}
		Self::report_top_n_without_key(consumer_id, without_key);
		BoundedVec::try_from(set).ok()
	}

	/// Updates turning `old` into `new`, by key: removed keys get power 0.
	pub fn diff(
		old: &[ConsumerValidator<T::AccountId>],
		new: &[ConsumerValidator<T::AccountId>],
	) -> Vec<ValidatorUpdate> {
		let old: BTreeMap<ConsensusKey, Power> = old.iter().map(|v| (v.key, v.power)).collect();
		let new: BTreeMap<ConsensusKey, Power> = new.iter().map(|v| (v.key, v.power)).collect();
		let mut updates: BTreeMap<ConsensusKey, Power> = BTreeMap::new();
		for key in old.keys() {
			if !new.contains_key(key) {
				updates.insert(*key, 0);
			}
		}
		for (key, power) in &new {
			if old.get(key) != Some(power) {
				updates.insert(*key, *power);
			}
		}
		updates.into_iter().map(|(key, power)| ValidatorUpdate { key, power }).collect()
	}

	/// Notices a new active era and recomputes launched consumers' sets, at most
	/// `MaxRecomputesPerBlock` per block.
	pub(crate) fn process_era_change() -> Weight {
		let db = T::DbWeight::get();
		let mut weight = db.reads(3);
		if let Some(active) = pallet_staking::ActiveEra::<T>::get() {
			if LastEra::<T>::get() != Some(active.index) {
				LastEra::<T>::put(active.index);
				Recompute::<T>::put(RecomputeCursor {
					era: active.index,
					next_consumer: 0,
					again: false,
				});
				weight = weight.saturating_add(db.writes(2));
			}
		}
		let Some(cursor) = Recompute::<T>::get() else {
			return weight;
		};
		let (w, candidates) = Self::current_candidates();
		weight = weight.saturating_add(w);
		let launched = LaunchedConsumers::<T>::get();
		let batch: Vec<ConsumerId> = launched
			.iter()
			.copied()
			.filter(|id| *id >= cursor.next_consumer)
			.take(T::MaxRecomputesPerBlock::get() as usize)
			.collect();
		for consumer_id in &batch {
			// Rewards first: the snapshot needs the set of the era that just ended.
			weight =
				weight.saturating_add(Self::snapshot_consumer_rewards(*consumer_id, cursor.era));
			let (w, set) = Self::recompute_consumer_set(*consumer_id, &candidates);
			weight = weight.saturating_add(w);
			Self::queue_vsc(*consumer_id, set);
		}
		match batch.last() {
			Some(last) if launched.iter().any(|id| id > last) => {
				Recompute::<T>::put(RecomputeCursor {
					next_consumer: last.saturating_add(1),
					..cursor
				})
			}
			_ if cursor.again => {
				Recompute::<T>::put(RecomputeCursor { next_consumer: 0, again: false, ..cursor })
			}
			_ => Recompute::<T>::kill(),
		}
		weight
	}

	/// Records `set` as the consumer's latest set and (re)builds its pending VSC: the diff
	/// against the set last sent plus pending slash acks. Nothing is queued when both are empty.
	pub(crate) fn queue_vsc(consumer_id: ConsumerId, set: ValidatorSetOf<T>) {
		let updates = Self::diff(&SentValidators::<T>::get(consumer_id), &set);
		ConsumerValidators::<T>::insert(consumer_id, set);
		Self::stamp_set(consumer_id);
		let mut acks: Vec<_> = PendingVsc::<T>::get(consumer_id)
			.map(|p| p.slash_acks.into_inner())
			.unwrap_or_default();
		PendingSlashAcks::<T>::mutate(consumer_id, |pending| {
			let room = (MAX_SLASH_ACKS as usize).saturating_sub(acks.len());
			let mut waiting = core::mem::take(pending).into_inner();
			let rest = waiting.split_off(room.min(waiting.len()));
			acks.extend(waiting);
			*pending = BoundedVec::truncate_from(rest);
		});
		if updates.is_empty() && acks.is_empty() {
			if PendingVsc::<T>::take(consumer_id).is_some() {
				SendQueue::<T>::mutate(|q| q.retain(|id| *id != consumer_id));
			}
			return;
		}
		let vsc_id = NextVscId::<T>::get(consumer_id);
		NextVscId::<T>::insert(consumer_id, vsc_id.saturating_add(1));
		let packet = VscPacket {
			// At most 2 * MaxValidators updates, which `integrity_test` bounds.
			validator_updates: BoundedVec::truncate_from(updates),
			vsc_id,
			slash_acks: BoundedVec::<_, MaxSlashAcks>::truncate_from(acks),
		};
		Self::deposit_event(Event::VscQueued {
			consumer_id,
			vsc_id,
			updates: packet.validator_updates.len() as u32,
			slash_acks: packet.slash_acks.len() as u32,
		});
		PendingVsc::<T>::insert(consumer_id, packet);
		SendQueue::<T>::mutate(|q| {
			if !q.contains(&consumer_id) && q.try_push(consumer_id).is_err() {
				// Cannot happen: at most `MaxConsumerChains` consumers exist.
				frame_support::defensive!("send queue full");
			}
		});
	}

	/// Sends pending VSCs in queue order, at most `MaxVscPerBlock`; consumers without an
	/// established channel keep theirs. Any send error but "channel not open" stops the
	/// consumer (ICS behaviour).
	pub(crate) fn send_pending_vscs(now: u64) -> Weight {
		let db = T::DbWeight::get();
		let queue = SendQueue::<T>::get();
		if queue.is_empty() {
			return db.reads(1);
		}
		let mut weight = db.reads_writes(1, 1);
		let max = T::MaxVscPerBlock::get();
		let mut sent: u32 = 0;
		let mut keep = Vec::new();
		let mut failed = Vec::new();
		for consumer_id in queue {
			if sent >= max {
				keep.push(consumer_id);
				continue;
			}
			weight = weight.saturating_add(db.reads(2));
			let Some(channel) = ConsumerChannel::<T>::get(consumer_id) else {
				keep.push(consumer_id);
				continue;
			};
			let Some(packet) = PendingVsc::<T>::get(consumer_id) else {
				continue;
			};
			weight = weight.saturating_add(<T as Config>::WeightInfo::send_vsc());
			let timeout_ms = InitParamsOf::<T>::get(consumer_id)
				.map(|i| i.params.ccv_timeout_period_ms)
				.unwrap_or_default();
			let Ok(data) = encode_vsc_packet(&packet) else {
				failed.push(consumer_id);
				continue;
			};
			match T::Channel::send_packet(
				PROVIDER_PORT_ID.as_bytes(),
				&channel,
				data,
				now.saturating_add(timeout_ms),
			) {
				Ok(sequence) => {
					sent = sent.saturating_add(1);
					PendingVsc::<T>::remove(consumer_id);
					Self::record_vsc_session(consumer_id, packet.vsc_id, now);
					SentValidators::<T>::insert(
						consumer_id,
						ConsumerValidators::<T>::get(consumer_id),
					);
					Self::deposit_event(Event::VscSent {
						consumer_id,
						vsc_id: packet.vsc_id,
						sequence,
					});
				}
				Err(ChannelError::ChannelNotOpen) => keep.push(consumer_id),
				Err(_) => failed.push(consumer_id),
			}
		}
		SendQueue::<T>::put(BoundedVec::truncate_from(keep));
		for consumer_id in failed {
			Self::stop_consumer(consumer_id, StopReason::SendFailed);
		}
		weight
	}
}

/// The validators' power cap (ICS `validators_power_cap`), best effort: no power exceeds
/// `cap` of the total, unless the set is too small for that (then every power ends at the cap
/// of the original total, i.e. all equal).
///
/// The cap is `max = floor(total * cap)`, at least 1. Powers above `max` are cut to it and the
/// excess is shared out among the validators below `max`, visiting them from the largest
/// down: each gets an equal share of what is left (recomputed after each), but never beyond
/// `max`; whatever one cannot take goes to the smaller ones after it. The total is kept
/// whenever a solution exists. Powers stay at least 1; the order of `powers` is kept (ties in
/// power are visited in that order). A zero cap changes nothing.
pub fn cap_powers(powers: &mut [Power], cap: Percent) {
	let percent = u128::from(cap.deconstruct());
	if percent == 0 || powers.is_empty() {
		return;
	}
	let total: u128 = powers.iter().map(|p| u128::from(*p)).sum();
	let max = (total.saturating_mul(percent) / 100).max(1);
	let mut excess: u128 = 0;
	let mut below: u128 = 0;
	for p in powers.iter().map(|p| u128::from(*p)) {
		if p >= max {
			excess = excess.saturating_add(p.saturating_sub(max));
		} else {
			below = below.saturating_add(1);
		}
	}
	let mut order: Vec<usize> = (0..powers.len()).collect();
	// Stable: ties keep their order in `powers`.
	order.sort_by_key(|i| core::cmp::Reverse(powers.get(*i).copied().unwrap_or_default()));
	for i in order {
		let Some(slot) = powers.get_mut(i) else { continue };
		let p = u128::from(*slot);
		let share = excess.checked_div(below).unwrap_or_default();
		let new = if p >= max {
			max
		} else {
			below = below.saturating_sub(1);
			let raised = p.saturating_add(share).min(max);
			excess = excess.saturating_sub(raised.saturating_sub(p));
			raised
		};
		*slot = Power::try_from(new).unwrap_or(Power::MAX);
	}
}

/// Where one candidate stands on a consumer.
enum Standing<AccountId> {
	/// In the set (before caps).
	Member(ConsumerValidator<AccountId>),
	/// A top-N member that qualifies but has no key there.
	NeedsKey,
	/// Not in the set.
	Out,
}

/// A consumer's power shaping prepared for lookups.
struct Shaping<'a, AccountId: Ord, Balance> {
	/// The parameters.
	params: &'a PowerShapingParams<AccountId, Balance>,
	/// Smallest power in the top N% (top-N consumers).
	min_top: Option<Power>,
	/// The allowlist.
	allowlist: BTreeSet<&'a AccountId>,
	/// The denylist.
	denylist: BTreeSet<&'a AccountId>,
	/// The prioritylist.
	prioritylist: BTreeSet<&'a AccountId>,
}

impl<'a, AccountId: Ord, Balance> Shaping<'a, AccountId, Balance> {
	/// Prepares `params` with the top-N threshold.
	fn new(params: &'a PowerShapingParams<AccountId, Balance>, min_top: Option<Power>) -> Self {
		Self {
			params,
			min_top,
			allowlist: params.allowlist.iter().collect(),
			denylist: params.denylist.iter().collect(),
			prioritylist: params.prioritylist.iter().collect(),
		}
	}

	/// Whether the allowlist (if any) and the denylist let `who` in.
	fn admits(&self, who: &AccountId) -> bool {
		(self.allowlist.is_empty() || self.allowlist.contains(who)) && !self.denylist.contains(who)
	}

	/// Whether `who` is prioritylisted.
	fn prioritized(&self, who: &AccountId) -> bool {
		self.prioritylist.contains(who)
	}
}
