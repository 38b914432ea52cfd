//! Rewards: the consumer's share and the provider's share of fees, and their transmission.
//!
//! [`SplitRewards`] is an `OnUnbalanced` handler for the runtime's fees (and block reward, if
//! the runtime issues one): `consumer_redistribution_fraction` (rounded down) goes to
//! `Config::RedistributionAccount`, the rest to the CCV module account (`Config::PalletId`).
//! The two parts always sum to the amount received. Both accounts should exist (hold the
//! existential deposit from genesis): a part that cannot be deposited is left unresolved and
//! burnt, with a log line.
//!
//! Every `blocks_per_distribution_transmission` blocks (`on_initialize`) the module account's
//! transferable balance (keeping its existential deposit) is sent over the ICS-20 transfer
//! channel to the provider fee pool learnt in the handshake, with the ICS memo
//! `{"provider":{"consumerId":"<id>","chainId":"<chain id>","memo":"ICS rewards"}}`. If the
//! transfer channel or fee pool is not known yet, or the transfer fails, the balance stays and
//! is sent at the next interval: nothing is lost. Once the CCV channel is closed nothing is
//! transmitted any more; the provider's share stays in the module account
//! ([`crate::channel_close`]).

use crate::{pallet::*, weights::WeightInfo, Config, Pallet};
use alloc::{string::String, vec::Vec};
use ccv_primitives::channel::RewardTransfer;
use core::marker::PhantomData;
use frame_support::{
	pallet_prelude::Weight,
	traits::{
		fungible::{Balanced, Credit, Inspect},
		tokens::{imbalance::Imbalance, Fortitude, Preservation},
		Get, OnUnbalanced,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{AccountIdConversion, Zero};

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// `OnUnbalanced` handler splitting fees between the consumer and the provider.
pub struct SplitRewards<T>(PhantomData<T>);

impl<T: Config> OnUnbalanced<Credit<T::AccountId, T::Currency>> for SplitRewards<T> {
	fn on_nonzero_unbalanced(amount: Credit<T::AccountId, T::Currency>) {
		let fraction =
			Params::<T>::get().map(|p| p.consumer_redistribution_fraction).unwrap_or_default();
		let keep = fraction.mul_floor(amount.peek());
		let (kept, to_provider) = amount.split(keep);
		Pallet::<T>::deposit_part(&T::RedistributionAccount::get(), kept);
		Pallet::<T>::deposit_part(&Pallet::<T>::ccv_account(), to_provider);
	}
}

/// The ICS reward memo, as cosmos/interchain-security's `CreateTransferMemo` writes it.
pub fn transfer_memo(consumer_id: u64, chain_id: &str) -> Vec<u8> {
	let mut escaped = String::new();
	for c in chain_id.chars() {
		match c {
			'"' => escaped.push_str("\\\""),
			'\\' => escaped.push_str("\\\\"),
			// Go's encoding/json also escapes these (HTML safety, JS line separators).
			'<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
				escaped.push_str(&alloc::format!("\\u{:04x}", c as u32))
			}
			c if (c as u32) < 0x20 => escaped.push_str(&alloc::format!("\\u{:04x}", c as u32)),
			c => escaped.push(c),
		}
	}
	alloc::format!(
		"{{\"provider\":{{\"consumerId\":\"{consumer_id}\",\"chainId\":\"{escaped}\",\"memo\":\"ICS rewards\"}}}}"
	)
	.into_bytes()
}

impl<T: Config> Pallet<T> {
	/// The CCV module account: collects the provider's share until it is transmitted.
	pub fn ccv_account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Deposits a part of the split; logs (and burns) it if the account cannot receive it.
	fn deposit_part(who: &T::AccountId, part: Credit<T::AccountId, T::Currency>) {
		if part.peek().is_zero() {
			return;
		}
		if let Err(left) = T::Currency::resolve(who, part) {
			log::warn!(
				target: crate::LOG_TARGET,
				"reward part of {:?} could not be deposited and is burnt",
				left.peek()
			);
		}
	}

	/// Sends the module account's rewards to the provider if `n` is a transmission block.
	pub(crate) fn transmit_rewards(n: BlockNumberFor<T>) -> Weight {
		let Some(params) = Params::<T>::get() else { return Weight::zero() };
		let interval =
			BlockNumberFor::<T>::from(params.blocks_per_distribution_transmission.max(1));
		if n.is_zero() || !(n % interval).is_zero() {
			return Weight::zero();
		}
		let weight = <T as Config>::WeightInfo::transmit_rewards();
		let account = Self::ccv_account();
		let amount =
			T::Currency::reducible_balance(&account, Preservation::Preserve, Fortitude::Polite);
		if amount.is_zero() {
			return weight;
		}
		let (Some(channel), Some(fee_pool)) =
			(TransferChannel::<T>::get(), ProviderFeePool::<T>::get())
		else {
			log::info!(target: crate::LOG_TARGET, "rewards kept: no transfer channel or fee pool yet");
			return weight;
		};
		let memo = transfer_memo(params.consumer_id, T::ChainId::get());
		let timeout = Self::now_ms().saturating_add(params.transfer_timeout_period_ms);
		match T::RewardTransfer::send_rewards(&channel, &account, amount, &fee_pool, &memo, timeout)
		{
			Ok(()) => Self::deposit_event(Event::RewardsTransmitted { amount }),
			Err(e) => {
				log::warn!(target: crate::LOG_TARGET, "reward transfer failed: {e}; retrying later");
				Self::deposit_event(Event::RewardsTransmissionFailed { amount });
			}
		}
		weight
	}
}
