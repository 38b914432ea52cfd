//! Denominations: the native token by name, foreign tokens as pallet-assets vouchers.
//!
//! A denomination is *native* when it has no trace path and its base denom is
//! [`crate::Config::NativeDenom`]. Every other denomination this chain holds is a *voucher*: the
//! full denom trace (`transfer/channel-3/uatom`, exactly as ICS-20 prints it) maps to an asset id
//! in [`VoucherAssets`] (and back in [`VoucherDenoms`]). The asset is created on the first receive
//! of that trace, owned by the pallet account, sufficient, with `min_balance` 1. Ids come from
//! [`NextVoucherAssetId`], starting at [`crate::Config::FirstVoucherAssetId`], skipping ids
//! already in use; the runtime's pallet-assets must accept ids chosen by its caller
//! (`AssetIdAllocator = ()`, or one that leaves this range free).

use crate::{
	pallet::{Error, Event, NextVoucherAssetId, VoucherAssets, VoucherDenoms},
	types::DenomTrace,
	Config, Pallet,
};
use alloc::{format, string::String, string::ToString};
use frame_support::traits::{
	fungibles::{Create, Inspect},
	Get, Incrementable,
};
use ibc_app_transfer::types::PrefixedDenom;
use sp_core::hexdisplay::HexDisplay;
use sp_runtime::{traits::AccountIdConversion, DispatchError};

/// Most asset ids skipped (already in use) when allocating one voucher id.
const MAX_ID_PROBES: u32 = 16;

/// What a denomination is on this chain.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Token<AssetId> {
	/// The chain's own currency (pallet-balances).
	Native,
	/// A voucher of a foreign denomination (pallet-assets).
	Voucher(AssetId),
}

/// The stored form of a denomination: its ICS-20 string; `None` if longer than the bound.
pub fn denom_trace(denom: &PrefixedDenom) -> Option<DenomTrace> {
	DenomTrace::try_from(denom.to_string().into_bytes()).ok()
}

/// Whether `denom` is this chain's native token.
pub fn is_native<T: Config>(denom: &PrefixedDenom) -> bool {
	denom.trace_path.is_empty() && denom.base_denom.as_str() == T::NativeDenom::get()
}

/// What `denom` is here: native, a known voucher, or `None` (never seen).
pub fn token_of<T: Config>(denom: &PrefixedDenom) -> Option<Token<T::AssetId>> {
	if is_native::<T>(denom) {
		return Some(Token::Native);
	}
	denom_trace(denom).and_then(VoucherAssets::<T>::get).map(Token::Voucher)
}

/// The asset id of `denom`'s voucher, creating the asset on first use.
pub fn voucher_or_create<T: Config>(denom: &PrefixedDenom) -> Result<T::AssetId, DispatchError> {
	if is_native::<T>(denom) || denom.trace_path.is_empty() {
		// Only traced denominations are minted as vouchers.
		return Err(Error::<T>::UnknownDenom.into());
	}
	let trace = denom_trace(denom).ok_or(Error::<T>::DenomTooLong)?;
	if let Some(id) = VoucherAssets::<T>::get(&trace) {
		return Ok(id);
	}
	let id = allocate_voucher_id::<T>()?;
	let owner = T::PalletId::get().into_account_truncating();
	T::Assets::create(id.clone(), owner, true, 1u32.into())?;
	VoucherAssets::<T>::insert(&trace, id.clone());
	VoucherDenoms::<T>::insert(id.clone(), &trace);
	Pallet::<T>::deposit_event(Event::VoucherCreated { denom: trace, asset_id: id.clone() });
	Ok(id)
}

/// The next free asset id of the voucher range; advances [`NextVoucherAssetId`] past it.
fn allocate_voucher_id<T: Config>() -> Result<T::AssetId, DispatchError> {
	let mut id = NextVoucherAssetId::<T>::get().unwrap_or_else(T::FirstVoucherAssetId::get);
	for _ in 0..MAX_ID_PROBES {
		let next = id.increment().ok_or(Error::<T>::VoucherIdsExhausted)?;
		if !T::Assets::asset_exists(id.clone()) {
			NextVoucherAssetId::<T>::put(next);
			return Ok(id);
		}
		id = next;
	}
	Err(Error::<T>::VoucherIdsExhausted.into())
}

/// ibc-go's hashed form of a denomination: `ibc/` + upper-case hex of sha256 of its trace.
pub fn denom_hash(denom: &PrefixedDenom) -> String {
	let hash = sp_io::hashing::sha2_256(denom.to_string().as_bytes());
	let hex = format!("{}", HexDisplay::from(&hash)).to_uppercase();
	format!("ibc/{hex}")
}
