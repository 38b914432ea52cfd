//! Consumer rewards: fee pools, per-era snapshots and paged payouts (DESIGN §3 "Rewards").
//!
//! **Fee pool.** Each consumer sends its rewards over ICS-20 to its own fee-pool account,
//! [`Pallet::fee_pool_account`]: the sub-account `(b"fee", consumer_id)` of the pallet's
//! `PalletId`, announced to the consumer as `provider_fee_pool_addr` in the CCV handshake
//! metadata. Native tokens coming back arrive as native balance; consumer denoms arrive as
//! ICS-20 voucher assets (created by the transfer app with `min_balance = 1`).
//!
//! **Snapshot.** At the start of each era, the era-change pass (`vsc`) first snapshots, for each
//! launched consumer, the era that just ended, before recomputing its set:
//! - the pot: the fee pool's native balance above the existential deposit, and its balance of
//!   each voucher asset of the consumer's allowlisted reward denoms (`reward_denoms` of its
//!   parameters, at most `MaxRewardAssets`, mapped by `Config::RewardDenoms`), each minus what
//!   earlier snapshots still owe;
//! - the validators: the consumer's set as last computed in that era (ICS: rewards go to the
//!   consumer's validators, by consumer power), without jailed validators and without those with
//!   no staking exposure in the era; opted-out and never-opted-in validators are not in the set;
//! - each validator's commission: its `set_consumer_commission_rate` override on that consumer,
//!   else its staking commission of the era (`ErasValidatorPrefs`).
//!
//! Each validator's share of each pot is `pot * power / total_power`, rounded down; the rest
//! stays unassigned in the fee pool and joins the next era's pot.
//!
//! **Payout.** `claim_consumer_rewards(consumer_id, era, page)`, by anyone, pays one flat page:
//! one staking exposure page (`ErasStakersPaged`) of one validator. Within a validator's share,
//! the commission goes to the validator, and the rest is split by exposure: the validator's own
//! stake (paid with its first page) and each nominator's stake, each rounded down. Payments go to
//! stash accounts. A failed transfer (e.g. an amount below the existential deposit to a dead
//! account) pays nothing. When a validator's last page is paid, what is left of its share
//! (rounding dust, failed transfers) is released to the fee pool and joins the next era's pot.
//! Nothing is minted or burned: paid + retained == pot.
//!
//! A paged call rather than an `on_idle` cursor: every call has a weight known in advance
//! (one exposure page, at most `MaxExposurePageSize` nominators, times the reward assets), it
//! is paid for by its submitter like staking's `payout_stakers_by_page`, and payouts proceed
//! even when blocks are full, when `on_idle` would get no weight. Anyone (a validator, a
//! nominator, a bot) can submit pages in any order across validators.
//!
//! **Expiry.** A snapshot stays claimable for `RewardEraDepth` eras (at most staking's
//! `HistoryDepth`, which keeps the exposure pages); then what it still owes is released to the
//! fee pool for the next era's pot.

use crate::{pallet::*, types::*, weights::WeightInfo};
use alloc::{vec, vec::Vec};
use ccv_primitives::ConsumerId;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible, fungibles,
		tokens::{Fortitude, Preservation},
	},
};
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{SaturatedConversion, Saturating, Zero},
	Perbill, Rounding,
};
use sp_staking::EraIndex;

/// Maps a consumer's allowlisted reward denom (as named on the consumer) to the voucher asset
/// that represents it on this chain. A runtime implements it with its ICS-20 transfer app's
/// denom traces (the voucher of `transfer/<channel>/<denom>` on the consumer's transfer
/// channel).
pub trait RewardDenomToAsset<AssetId> {
	/// The voucher asset of `denom` sent by `consumer_id`, if it exists.
	fn reward_asset(consumer_id: ConsumerId, denom: &[u8]) -> Option<AssetId>;

	/// The weight of one [`Self::reward_asset`] call (the snapshot charges it per allowlisted
	/// denom).
	fn reward_asset_weight() -> Weight;
}

/// No voucher assets: only native rewards are distributed.
impl<AssetId> RewardDenomToAsset<AssetId> for () {
	fn reward_asset(_consumer_id: ConsumerId, _denom: &[u8]) -> Option<AssetId> {
		None
	}

	fn reward_asset_weight() -> Weight {
		Weight::zero()
	}
}

/// `amount * part / whole` rounded down; 0 when `whole` is 0. Never more than `amount` when
/// `part <= whole`.
pub fn pro_rata<B: sp_runtime::traits::AtLeast32BitUnsigned + Copy>(
	amount: B,
	part: u128,
	whole: u128,
) -> B {
	if whole == 0 || part == 0 {
		return B::zero();
	}
	let amount: u128 = amount.saturated_into();
	multiply_by_rational_with_rounding(amount, part.min(whole), whole, Rounding::Down)
		.unwrap_or_default()
		.saturated_into()
}

/// What one page of a validator's share pays: the validator's part (commission and its own
/// stake's part, on the first page only) and each nominator's part, each rounded down.
pub fn split_page<B: sp_runtime::traits::AtLeast32BitUnsigned + Copy>(
	share: B,
	commission: Perbill,
	own: B,
	total: B,
	first_page: bool,
	nominators: &[B],
) -> (B, Vec<B>) {
	let commission_part = commission.mul_floor(share);
	let rest = share.saturating_sub(commission_part);
	let total: u128 = total.saturated_into();
	let validator = if first_page {
		commission_part.saturating_add(pro_rata(rest, own.saturated_into(), total))
	} else {
		B::zero()
	};
	let nominators =
		nominators.iter().map(|n| pro_rata(rest, (*n).saturated_into(), total)).collect();
	(validator, nominators)
}

impl<T: Config> Pallet<T> {
	/// Sets `who`'s (a staking stash) commission on `consumer_id`; it applies from the next
	/// snapshot on.
	pub(crate) fn do_set_consumer_commission_rate(
		who: T::AccountId,
		consumer_id: ConsumerId,
		rate: Perbill,
	) -> DispatchResult {
		let phase = Phase::<T>::get(consumer_id).ok_or(Error::<T>::UnknownConsumer)?;
		ensure!(phase.is_live(), Error::<T>::WrongPhase);
		ensure!(pallet_staking::Bonded::<T>::contains_key(&who), Error::<T>::NotAValidator);
		ensure!(
			rate >= pallet_staking::MinCommission::<T>::get(),
			Error::<T>::CommissionBelowMinimum
		);
		ConsumerCommission::<T>::insert(consumer_id, &who, rate);
		Self::deposit_event(Event::ConsumerCommissionRateSet { consumer_id, validator: who, rate });
		Ok(())
	}

	/// `validator`'s commission on `consumer_id` in `era`: its override, else its staking
	/// commission of the era.
	pub fn consumer_commission_rate(
		consumer_id: ConsumerId,
		validator: &T::AccountId,
		era: EraIndex,
	) -> Perbill {
		ConsumerCommission::<T>::get(consumer_id, validator).unwrap_or_else(|| {
			pallet_staking::ErasValidatorPrefs::<T>::get(era, validator).commission
		})
	}

	/// The consumer's reward assets: native, then the vouchers of its allowlisted denoms (in
	/// order, without duplicates, at most `MaxRewardAssets`).
	pub fn reward_assets(consumer_id: ConsumerId) -> Vec<RewardAssetOf<T>> {
		let mut assets = vec![RewardAsset::Native];
		let denoms = InitParamsOf::<T>::get(consumer_id)
			.map(|i| i.params.reward_denoms.into_inner())
			.unwrap_or_default();
		for denom in denoms {
			if assets.len() > T::MaxRewardAssets::get() as usize {
				break;
			}
			if let Some(id) = T::RewardDenoms::reward_asset(consumer_id, &denom) {
				let asset = RewardAsset::Voucher(id);
				if !assets.contains(&asset) {
					assets.push(asset);
				}
			}
		}
		assets
	}

	/// The fee pool's balance of `asset` that it can pay out (native: above the existential
	/// deposit).
	fn pool_balance(pool: &T::AccountId, asset: &RewardAssetOf<T>) -> BalanceOf<T> {
		match asset {
			RewardAsset::Native => <<T as pallet_staking::Config>::Currency as fungible::Inspect<
				T::AccountId,
			>>::reducible_balance(
				pool, Preservation::Preserve, Fortitude::Polite
			),
			RewardAsset::Voucher(id) => {
				<T::RewardAssets as fungibles::Inspect<T::AccountId>>::reducible_balance(
					id.clone(),
					pool,
					Preservation::Expendable,
					Fortitude::Polite,
				)
			}
		}
	}

	/// What the consumer's fee pool holds of `asset` that no snapshot owes yet (the next pot).
	pub fn undistributed_rewards(
		consumer_id: ConsumerId,
		asset: &RewardAssetOf<T>,
	) -> BalanceOf<T> {
		let pool = Self::fee_pool_account(consumer_id);
		Self::pool_balance(&pool, asset).saturating_sub(RewardsOwed::<T>::get(consumer_id, asset))
	}

	/// Moves `amount` of `asset` from the fee pool to `to`; whether it moved.
	fn pay(
		pool: &T::AccountId,
		to: &T::AccountId,
		asset: &RewardAssetOf<T>,
		amount: BalanceOf<T>,
	) -> bool {
		match asset {
			RewardAsset::Native => <<T as pallet_staking::Config>::Currency as fungible::Mutate<
				T::AccountId,
			>>::transfer(pool, to, amount, Preservation::Preserve)
			.is_ok(),
			RewardAsset::Voucher(id) => {
				<T::RewardAssets as fungibles::Mutate<T::AccountId>>::transfer(
					id.clone(),
					pool,
					to,
					amount,
					Preservation::Expendable,
				)
				.is_ok()
			}
		}
	}

	/// Lowers what `consumer_id`'s snapshots owe of `asset` by `amount`.
	fn release_owed(consumer_id: ConsumerId, asset: &RewardAssetOf<T>, amount: BalanceOf<T>) {
		if amount.is_zero() {
			return;
		}
		RewardsOwed::<T>::mutate_exists(consumer_id, asset, |owed| {
			let left = owed.unwrap_or_default().saturating_sub(amount);
			*owed = (!left.is_zero()).then_some(left);
		});
	}

	/// Snapshots the rewards of the era before `active_era` for `consumer_id`, once per era and
	/// only for eras from its launch on; expires snapshots older than `RewardEraDepth` first.
	pub(crate) fn snapshot_consumer_rewards(
		consumer_id: ConsumerId,
		active_era: EraIndex,
	) -> Weight {
		let db = T::DbWeight::get();
		let Some(ended) = active_era.checked_sub(1) else {
			return db.reads(0);
		};
		if ended < NextRewardEra::<T>::get(consumer_id).unwrap_or_default() {
			return db.reads(1);
		}
		NextRewardEra::<T>::insert(consumer_id, ended.saturating_add(1));
		let mut weight =
			db.reads_writes(1, 1).saturating_add(Self::expire_reward_snapshots(consumer_id, ended));

		let mut validators = Vec::new();
		for member in ConsumerValidators::<T>::get(consumer_id) {
			if member.power == 0 || Jailed::<T>::contains_key(&member.validator) {
				continue;
			}
			let Some(exposure) =
				pallet_staking::ErasStakersOverview::<T>::get(ended, &member.validator)
			else {
				continue;
			};
			let commission = Self::consumer_commission_rate(consumer_id, &member.validator, ended);
			validators.push((member, commission, exposure));
		}
		let total_power: u128 =
			validators.iter().fold(0u128, |sum, (m, _, _)| sum.saturating_add(u128::from(m.power)));
		let denoms = InitParamsOf::<T>::get(consumer_id)
			.map_or(0, |i| i.params.reward_denoms.len() as u64)
			.min(u64::from(T::MaxRewardAssets::get()));
		let assets = Self::reward_assets(consumer_id);
		let asset_count = assets.len() as u64;
		let pots: Vec<(RewardAssetOf<T>, BalanceOf<T>)> = assets
			.into_iter()
			.map(|asset| {
				let amount = Self::undistributed_rewards(consumer_id, &asset);
				(asset, amount)
			})
			.filter(|(_, amount)| !amount.is_zero())
			.collect();
		weight = weight
			.saturating_add(<T as Config>::WeightInfo::snapshot_consumer_rewards(
				validators.len() as u32
			))
			.saturating_add(db.reads_writes(asset_count.saturating_mul(2), asset_count))
			.saturating_add(T::RewardDenoms::reward_asset_weight().saturating_mul(denoms));
		if total_power == 0 || pots.is_empty() {
			return weight;
		}

		let mut assigned: Vec<BalanceOf<T>> = vec![Zero::zero(); pots.len()];
		let mut page_starts = Vec::with_capacity(validators.len());
		let mut pages: u32 = 0;
		for (index, (member, commission, exposure)) in validators.into_iter().enumerate() {
			let share: Vec<BalanceOf<T>> = pots
				.iter()
				.map(|(_, pot)| pro_rata(*pot, u128::from(member.power), total_power))
				.collect();
			for (sum, s) in assigned.iter_mut().zip(&share) {
				*sum = sum.saturating_add(*s);
			}
			let own_pages = exposure.page_count.max(1);
			page_starts.push(pages);
			pages = pages.saturating_add(own_pages);
			ValidatorRewards::<T>::insert(
				(consumer_id, ended, index as u32),
				ValidatorReward::<T> {
					validator: member.validator,
					power: member.power,
					commission,
					own: exposure.own,
					total: exposure.total,
					pages: own_pages,
					next_page: 0,
					share: BoundedVec::truncate_from(share.clone()),
					unpaid: BoundedVec::truncate_from(share),
				},
			);
		}
		for ((asset, _), amount) in pots.iter().zip(&assigned) {
			if !amount.is_zero() {
				RewardsOwed::<T>::mutate(consumer_id, asset, |owed| {
					*owed = owed.saturating_add(*amount)
				});
			}
		}
		let validators = page_starts.len() as u32;
		RewardSnapshots::<T>::insert(
			consumer_id,
			ended,
			RewardSnapshot::<T> {
				pots: BoundedVec::truncate_from(pots.clone()),
				total_power,
				page_starts: BoundedVec::truncate_from(page_starts),
				pages,
			},
		);
		RewardEras::<T>::mutate(consumer_id, |eras| {
			// Room was made by the expiry above.
			if eras.try_push(ended).is_err() {
				frame_support::defensive!("reward eras full after expiry");
			}
		});
		Self::deposit_event(Event::ConsumerRewardsSnapshotted {
			consumer_id,
			era: ended,
			validators,
			pages,
			pots,
			assigned: assigned.clone(),
		});
		weight
	}

	/// Expires the consumer's snapshots that fall out of the `RewardEraDepth` window ending at
	/// `era` (and the oldest if the window is full), releasing what they still owe.
	pub(crate) fn expire_reward_snapshots(consumer_id: ConsumerId, era: EraIndex) -> Weight {
		let depth = T::RewardEraDepth::get();
		let mut eras = RewardEras::<T>::get(consumer_id);
		let mut weight = T::DbWeight::get().reads(1);
		let mut expired = Vec::new();
		eras.retain(|e| {
			let keep = e.saturating_add(depth) > era;
			if !keep {
				expired.push(*e);
			}
			keep
		});
		// Defensive: the kept eras lie in `era - depth + 1 .. era`, so there is room already.
		if eras.len() >= depth as usize && !eras.is_empty() {
			expired.push(eras.remove(0));
		}
		if expired.is_empty() {
			return weight;
		}
		RewardEras::<T>::insert(consumer_id, eras);
		for e in expired {
			weight = weight.saturating_add(<T as Config>::WeightInfo::expire_reward_snapshot(
				T::MaxValidators::get(),
			));
			Self::expire_reward_snapshot(consumer_id, e);
		}
		weight
	}

	/// Removes one snapshot and releases what it still owes to the fee pool.
	fn expire_reward_snapshot(consumer_id: ConsumerId, era: EraIndex) {
		let Some(snapshot) = RewardSnapshots::<T>::take(consumer_id, era) else {
			return;
		};
		let mut released: Vec<BalanceOf<T>> = vec![Zero::zero(); snapshot.pots.len()];
		// At most `MaxValidators` records per snapshot.
		for record in ValidatorRewards::<T>::drain_prefix((consumer_id, era)).map(|(_, r)| r) {
			for (sum, u) in released.iter_mut().zip(record.unpaid.iter()) {
				*sum = sum.saturating_add(*u);
			}
		}
		let released: Vec<_> = snapshot.pots.iter().map(|(a, _)| a.clone()).zip(released).collect();
		for (asset, amount) in &released {
			Self::release_owed(consumer_id, asset, *amount);
		}
		Self::deposit_event(Event::ConsumerRewardsExpired { consumer_id, era, released });
	}

	/// Pays flat page `page` of `consumer_id`'s snapshot of `era`; returns the number of
	/// nominators paid and of reward assets, for the actual weight.
	pub(crate) fn do_claim_consumer_rewards(
		consumer_id: ConsumerId,
		era: EraIndex,
		page: u32,
	) -> Result<(u32, u32), DispatchError> {
		ensure!(Phase::<T>::contains_key(consumer_id), Error::<T>::UnknownConsumer);
		let snapshot =
			RewardSnapshots::<T>::get(consumer_id, era).ok_or(Error::<T>::NoRewardSnapshot)?;
		ensure!(page < snapshot.pages, Error::<T>::InvalidRewardPage);
		let index = snapshot
			.page_starts
			.partition_point(|start| *start <= page)
			.checked_sub(1)
			.ok_or(Error::<T>::InvalidRewardPage)?;
		let start =
			snapshot.page_starts.get(index).copied().ok_or(Error::<T>::InvalidRewardPage)?;
		let exposure_page = page.saturating_sub(start);
		let key = (consumer_id, era, index as u32);
		let mut record = ValidatorRewards::<T>::get(key).ok_or(Error::<T>::RewardPageClaimed)?;
		ensure!(exposure_page >= record.next_page, Error::<T>::RewardPageClaimed);
		ensure!(exposure_page == record.next_page, Error::<T>::RewardPageOutOfOrder);

		let nominators =
			pallet_staking::ErasStakersPaged::<T>::get((era, &record.validator, exposure_page))
				.map(|p| p.others)
				.unwrap_or_default();
		let stakes: Vec<BalanceOf<T>> = nominators.iter().map(|n| n.value).collect();
		let pool = Self::fee_pool_account(consumer_id);
		let mut paid = Vec::with_capacity(snapshot.pots.len());
		for (i, (asset, _)) in snapshot.pots.iter().enumerate() {
			let share = record.share.get(i).copied().unwrap_or_default();
			let Some(unpaid) = record.unpaid.get_mut(i) else {
				continue;
			};
			let (to_validator, to_nominators) = split_page(
				share,
				record.commission,
				record.own,
				record.total,
				exposure_page == 0,
				&stakes,
			);
			let before = *unpaid;
			let payees = core::iter::once((&record.validator, to_validator))
				.chain(nominators.iter().map(|n| &n.who).zip(to_nominators));
			for (who, amount) in payees {
				let amount = amount.min(*unpaid);
				if !amount.is_zero() && Self::pay(&pool, who, asset, amount) {
					*unpaid = unpaid.saturating_sub(amount);
				}
			}
			let page_paid = before.saturating_sub(*unpaid);
			Self::release_owed(consumer_id, asset, page_paid);
			paid.push((asset.clone(), page_paid));
		}

		record.next_page = record.next_page.saturating_add(1);
		let mut retained = Vec::new();
		if record.next_page >= record.pages {
			for ((asset, _), left) in snapshot.pots.iter().zip(record.unpaid.iter()) {
				Self::release_owed(consumer_id, asset, *left);
				retained.push((asset.clone(), *left));
			}
			ValidatorRewards::<T>::remove(key);
		} else {
			ValidatorRewards::<T>::insert(key, &record);
		}
		Self::deposit_event(Event::ConsumerRewardsPaid {
			consumer_id,
			era,
			page,
			validator: record.validator,
			nominators: nominators.len() as u32,
			paid,
			retained,
		});
		Ok((nominators.len() as u32, snapshot.pots.len() as u32))
	}

	/// Number of flat pages of `consumer_id`'s snapshot of `era` (0 if there is none).
	pub fn reward_pages(consumer_id: ConsumerId, era: EraIndex) -> u32 {
		RewardSnapshots::<T>::get(consumer_id, era).map(|s| s.pages).unwrap_or_default()
	}

	/// Invariants of the rewards state: open eras match the snapshots, every record belongs to
	/// a snapshot, and what the snapshots owe adds up and is held by the fee pool. Stopped
	/// consumers are skipped (their deletion may be half done).
	#[cfg(any(test, feature = "try-runtime"))]
	pub(crate) fn try_state_rewards() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use codec::Encode;
		let checked =
			|consumer_id: ConsumerId| Phase::<T>::get(consumer_id) != Some(ConsumerPhase::Stopped);
		// Keyed by the encoded (consumer, asset): asset ids need not be `Ord`.
		let mut owed: BTreeMap<Vec<u8>, BalanceOf<T>> = BTreeMap::new();
		for ((consumer_id, era, index), record) in ValidatorRewards::<T>::iter() {
			if !checked(consumer_id) {
				continue;
			}
			let snapshot = RewardSnapshots::<T>::get(consumer_id, era)
				.ok_or("validator reward without snapshot")?;
			ensure!(
				(index as usize) < snapshot.page_starts.len(),
				"validator reward index out of range"
			);
			ensure!(record.next_page < record.pages, "validator reward fully paid but kept");
			for ((asset, _), (unpaid, share)) in
				snapshot.pots.iter().zip(record.unpaid.iter().zip(record.share.iter()))
			{
				ensure!(unpaid <= share, "validator reward pays more than its share");
				let sum = owed.entry((consumer_id, asset).encode()).or_default();
				*sum = sum.saturating_add(*unpaid);
			}
		}
		for (consumer_id, asset, amount) in RewardsOwed::<T>::iter() {
			if !checked(consumer_id) {
				continue;
			}
			ensure!(
				owed.remove(&(consumer_id, &asset).encode()).unwrap_or_default() == amount,
				"owed rewards do not match the unpaid shares"
			);
			// Held, not necessarily spendable now (a voucher asset may be frozen for a while).
			let pool = Self::fee_pool_account(consumer_id);
			let held =
				match &asset {
					RewardAsset::Native => {
						type Native<T> = <T as pallet_staking::Config>::Currency;
						<Native<T> as fungible::Inspect<T::AccountId>>::balance(&pool)
							.saturating_sub(
								<Native<T> as fungible::Inspect<T::AccountId>>::minimum_balance(),
							)
					}
					RewardAsset::Voucher(id) => <T::RewardAssets as fungibles::Inspect<
						T::AccountId,
					>>::balance(id.clone(), &pool),
				};
			ensure!(held >= amount, "fee pool holds less than owed");
		}
		ensure!(owed.values().all(|v| v.is_zero()), "unpaid shares not counted as owed");
		for (consumer_id, era, snapshot) in RewardSnapshots::<T>::iter() {
			if !checked(consumer_id) {
				continue;
			}
			ensure!(
				RewardEras::<T>::get(consumer_id).contains(&era),
				"snapshot missing from the open eras"
			);
			ensure!(
				snapshot.page_starts.windows(2).all(|w| w.first() < w.get(1))
					&& snapshot.page_starts.last().is_none_or(|s| *s < snapshot.pages),
				"snapshot pages out of order"
			);
		}
		for (consumer_id, eras) in RewardEras::<T>::iter() {
			for era in eras {
				ensure!(
					RewardSnapshots::<T>::contains_key(consumer_id, era),
					"open era without snapshot"
				);
			}
		}
		Ok(())
	}
}
