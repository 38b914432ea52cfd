//! ibc-rs's ICS-20 token contexts over pallet-balances (native token) and pallet-assets
//! (vouchers).
//!
//! - *Escrow* (sending a token this chain is the source of): the native token, or a voucher sent
//!   onward on another channel, moves to the channel's escrow account ([`escrow_account`]).
//!   Native sends keep the sender alive (`Preservation::Preserve`); voucher sends may empty the
//!   sender's voucher account.
//! - *Unescrow* (a token returning home, or a refund): back out of the same escrow account.
//! - *Mint* (receiving a foreign token, or refunding a burnt voucher): the voucher of the full
//!   denom trace, created on first use ([`super::denom`]).
//! - *Burn* (sending a voucher back towards its source): burnt from the sender.
//!
//! Validation steps write nothing. When a step fails on a FRAME error (insufficient balance,
//! below the existential deposit, ...) the [`TransferContext`] remembers that `DispatchError`
//! so the `transfer` call can return it instead of a generic refusal.

use super::{
	account::AccountCodec,
	denom::{self, Token},
};
use crate::{pallet::Error, BalanceOf, Config};
use alloc::{format, string::String};
use core::{cell::RefCell, marker::PhantomData};
use frame_support::traits::{
	fungible, fungibles,
	tokens::{Fortitude, Precision, Preservation, Provenance},
	Get,
};
use ibc_app_transfer::{
	context::{TokenTransferExecutionContext, TokenTransferValidationContext},
	types::{Amount, Memo, PrefixedCoin, PrefixedDenom, VERSION},
};
use ibc_core::{
	host::types::{
		error::HostError,
		identifiers::{ChannelId, PortId},
	},
	primitives::Signer,
};
use sp_runtime::{traits::AccountIdConversion, DispatchError, TokenError};

/// The escrow account of our end (`port`, `channel`): the [`crate::Config::PalletId`]
/// sub-account of `blake2_256("ics20-1\0" ++ port ++ "/" ++ channel)` (the preimage ibc-go hashes
/// for its escrow addresses), truncated to the account length as FRAME sub-accounts are.
pub fn escrow_account<T: Config>(port: &PortId, channel: &ChannelId) -> T::AccountId {
	let preimage = format!("{VERSION}\0{port}/{channel}");
	let seed = sp_io::hashing::blake2_256(preimage.as_bytes());
	T::PalletId::get().into_sub_account_truncating(seed)
}

/// An ICS-20 amount as this chain's balance; `None` if it does not fit.
pub fn balance_of<T: Config>(amount: &Amount) -> Option<BalanceOf<T>> {
	let [low, high, rest @ ..] = **amount;
	if rest.iter().any(|w| *w != 0) {
		return None;
	}
	let value = u128::from(high) << 64 | u128::from(low);
	BalanceOf::<T>::try_from(value).ok()
}

/// ibc-rs's ICS-20 token context of this pallet (see the module docs).
pub struct TransferContext<T> {
	failure: RefCell<Option<DispatchError>>,
	_config: PhantomData<T>,
}

impl<T> Default for TransferContext<T> {
	fn default() -> Self {
		Self { failure: RefCell::new(None), _config: PhantomData }
	}
}

impl<T> core::fmt::Debug for TransferContext<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str("TransferContext")
	}
}

impl<T: Config> TransferContext<T> {
	/// A fresh context with no recorded failure.
	pub fn new() -> Self {
		Self::default()
	}

	/// The FRAME error behind the last failed step, if one was recorded.
	pub fn failure(&self) -> Option<DispatchError> {
		*self.failure.borrow()
	}

	/// Records `e` as the reason of a failed step and turns it into a host error.
	fn fail(&self, e: impl Into<DispatchError>) -> HostError {
		let e = e.into();
		*self.failure.borrow_mut() = Some(e);
		HostError::invalid_state(format!("{e:?}"))
	}

	fn account(&self, who: &Signer, role: &str) -> Result<T::AccountId, HostError> {
		T::AccountCodec::parse(who.as_ref())
			.ok_or_else(|| HostError::invalid_state(format!("invalid {role} account: {who}")))
	}

	/// The coin's amount as a balance: non-zero and within the balance type.
	fn amount(&self, coin: &PrefixedCoin) -> Result<BalanceOf<T>, HostError> {
		let amount = balance_of::<T>(&coin.amount)
			.ok_or_else(|| HostError::invalid_state(format!("amount overflow: {}", coin.amount)))?;
		if amount == 0u32.into() {
			return Err(self.fail(Error::<T>::ZeroAmount));
		}
		Ok(amount)
	}

	fn token(&self, denom: &PrefixedDenom) -> Result<Token<T::AssetId>, HostError> {
		denom::token_of::<T>(denom).ok_or_else(|| {
			self.fail(Error::<T>::UnknownDenom);
			HostError::missing_state(format!("unknown denomination: {denom}"))
		})
	}

	/// Checks that `amount` of `token` can move from `from` to `to`.
	fn can_move(
		&self,
		token: &Token<T::AssetId>,
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		preservation: Preservation,
	) -> Result<(), HostError> {
		let keep_alive = preservation != Preservation::Expendable;
		match token {
			Token::Native => {
				<T::NativeCurrency as fungible::Inspect<_>>::can_withdraw(from, amount)
					.into_result(keep_alive)
					.map_err(|e| self.fail(e))?;
				<T::NativeCurrency as fungible::Inspect<_>>::can_deposit(
					to,
					amount,
					Provenance::Extant,
				)
				.into_result()
				.map_err(|e| self.fail(e))
			}
			Token::Voucher(id) => {
				self.ensure_vouchers(id, from, amount, preservation)?;
				<T::Assets as fungibles::Inspect<_>>::can_withdraw(id.clone(), from, amount)
					.into_result(keep_alive)
					.map_err(|e| self.fail(e))?;
				<T::Assets as fungibles::Inspect<_>>::can_deposit(
					id.clone(),
					to,
					amount,
					Provenance::Extant,
				)
				.into_result()
				.map_err(|e| self.fail(e))
			}
		}
	}

	/// Checks that `who` holds `amount` spendable vouchers (pallet-assets alone reports a
	/// shortfall as an arithmetic underflow).
	fn ensure_vouchers(
		&self,
		id: &T::AssetId,
		who: &T::AccountId,
		amount: BalanceOf<T>,
		preservation: Preservation,
	) -> Result<(), HostError> {
		let spendable = <T::Assets as fungibles::Inspect<_>>::reducible_balance(
			id.clone(),
			who,
			preservation,
			Fortitude::Polite,
		);
		if spendable < amount {
			return Err(self.fail(TokenError::FundsUnavailable));
		}
		Ok(())
	}

	/// Moves `amount` of `token` from `from` to `to`.
	fn move_token(
		&self,
		token: &Token<T::AssetId>,
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		preservation: Preservation,
	) -> Result<(), HostError> {
		match token {
			Token::Native => {
				<T::NativeCurrency as fungible::Mutate<_>>::transfer(from, to, amount, preservation)
			}
			Token::Voucher(id) => <T::Assets as fungibles::Mutate<_>>::transfer(
				id.clone(),
				from,
				to,
				amount,
				preservation,
			),
		}
		.map(|_| ())
		.map_err(|e| self.fail(e))
	}

	/// How a sender parts with `token`: native sends keep the account alive.
	fn send_preservation(token: &Token<T::AssetId>) -> Preservation {
		match token {
			Token::Native => Preservation::Preserve,
			Token::Voucher(_) => Preservation::Expendable,
		}
	}

	fn voucher(&self, denom: &PrefixedDenom) -> Result<T::AssetId, HostError> {
		match self.token(denom)? {
			Token::Voucher(id) => Ok(id),
			Token::Native => Err(self.fail(Error::<T>::UnknownDenom)),
		}
	}
}

impl<T: Config> TokenTransferValidationContext for TransferContext<T> {
	type AccountId = T::AccountId;

	fn sender_account(&self, sender: &Signer) -> Result<Self::AccountId, HostError> {
		self.account(sender, "sender")
	}

	fn receiver_account(&self, receiver: &Signer) -> Result<Self::AccountId, HostError> {
		self.account(receiver, "receiver")
	}

	fn get_port(&self) -> Result<PortId, HostError> {
		Ok(PortId::transfer())
	}

	fn can_send_coins(&self) -> Result<(), HostError> {
		Ok(())
	}

	fn can_receive_coins(&self) -> Result<(), HostError> {
		Ok(())
	}

	fn escrow_coins_validate(
		&self,
		from_account: &Self::AccountId,
		port_id: &PortId,
		channel_id: &ChannelId,
		coin: &PrefixedCoin,
		_memo: &Memo,
	) -> Result<(), HostError> {
		let amount = self.amount(coin)?;
		let token = self.token(&coin.denom)?;
		let escrow = escrow_account::<T>(port_id, channel_id);
		self.can_move(&token, from_account, &escrow, amount, Self::send_preservation(&token))
	}

	fn unescrow_coins_validate(
		&self,
		to_account: &Self::AccountId,
		port_id: &PortId,
		channel_id: &ChannelId,
		coin: &PrefixedCoin,
	) -> Result<(), HostError> {
		let amount = self.amount(coin)?;
		let token = self.token(&coin.denom)?;
		let escrow = escrow_account::<T>(port_id, channel_id);
		self.can_move(&token, &escrow, to_account, amount, Preservation::Expendable)
	}

	fn mint_coins_validate(
		&self,
		account: &Self::AccountId,
		coin: &PrefixedCoin,
	) -> Result<(), HostError> {
		let amount = self.amount(coin)?;
		if denom::is_native::<T>(&coin.denom) || coin.denom.trace_path.is_empty() {
			return Err(self.fail(Error::<T>::UnknownDenom));
		}
		if denom::denom_trace(&coin.denom).is_none() {
			return Err(self.fail(Error::<T>::DenomTooLong));
		}
		match denom::token_of::<T>(&coin.denom) {
			// First receive: the asset is created with min_balance 1, any non-zero amount fits.
			None => Ok(()),
			Some(Token::Native) => Err(self.fail(Error::<T>::UnknownDenom)),
			Some(Token::Voucher(id)) => <T::Assets as fungibles::Inspect<_>>::can_deposit(
				id,
				account,
				amount,
				Provenance::Minted,
			)
			.into_result()
			.map_err(|e| self.fail(e)),
		}
	}

	fn burn_coins_validate(
		&self,
		account: &Self::AccountId,
		coin: &PrefixedCoin,
		_memo: &Memo,
	) -> Result<(), HostError> {
		let amount = self.amount(coin)?;
		let id = self.voucher(&coin.denom)?;
		self.ensure_vouchers(&id, account, amount, Preservation::Expendable)?;
		<T::Assets as fungibles::Inspect<_>>::can_withdraw(id, account, amount)
			.into_result(false)
			.map(|_| ())
			.map_err(|e| self.fail(e))
	}

	fn denom_hash_string(&self, denom: &PrefixedDenom) -> Option<String> {
		Some(denom::denom_hash(denom))
	}
}

impl<T: Config> TokenTransferExecutionContext for TransferContext<T> {
	fn escrow_coins_execute(
		&mut self,
		from_account: &Self::AccountId,
		port_id: &PortId,
		channel_id: &ChannelId,
		coin: &PrefixedCoin,
		_memo: &Memo,
	) -> Result<(), HostError> {
		let amount = self.amount(coin)?;
		let token = self.token(&coin.denom)?;
		let escrow = escrow_account::<T>(port_id, channel_id);
		self.move_token(&token, from_account, &escrow, amount, Self::send_preservation(&token))
	}

	fn unescrow_coins_execute(
		&mut self,
		to_account: &Self::AccountId,
		port_id: &PortId,
		channel_id: &ChannelId,
		coin: &PrefixedCoin,
	) -> Result<(), HostError> {
		let amount = self.amount(coin)?;
		let token = self.token(&coin.denom)?;
		let escrow = escrow_account::<T>(port_id, channel_id);
		self.move_token(&token, &escrow, to_account, amount, Preservation::Expendable)
	}

	fn mint_coins_execute(
		&mut self,
		account: &Self::AccountId,
		coin: &PrefixedCoin,
	) -> Result<(), HostError> {
		let amount = self.amount(coin)?;
		let id = denom::voucher_or_create::<T>(&coin.denom).map_err(|e| self.fail(e))?;
		<T::Assets as fungibles::Mutate<_>>::mint_into(id, account, amount)
			.map(|_| ())
			.map_err(|e| self.fail(e))
	}

	fn burn_coins_execute(
		&mut self,
		account: &Self::AccountId,
		coin: &PrefixedCoin,
		_memo: &Memo,
	) -> Result<(), HostError> {
		let amount = self.amount(coin)?;
		let id = self.voucher(&coin.denom)?;
		<T::Assets as fungibles::Mutate<_>>::burn_from(
			id,
			account,
			amount,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)
		.map(|_| ())
		.map_err(|e| self.fail(e))
	}
}
