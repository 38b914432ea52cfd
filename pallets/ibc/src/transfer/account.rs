//! ICS-20 account strings: how a packet's `sender` / `receiver` maps to this chain's accounts.
//!
//! Two codecs are provided; a runtime picks one as [`crate::Config::AccountCodec`]:
//! - [`Ss58Accounts`] for 32-byte accounts (`AccountId32`): parses SS58 of *any* address format
//!   or `0x` + 64 hex digits; formats SS58 with the runtime's prefix.
//! - [`HexAccounts`] for any SCALE account type: `0x` + hex of the account's SCALE encoding
//!   (for `u64` test accounts, 8 little-endian bytes).
//!
//! Parsing is strict: surrounding whitespace, a wrong length or trailing bytes refuse the string,
//! and a refused receiver turns into an error acknowledgement.

use alloc::{format, string::String, vec::Vec};
use codec::{Decode, DecodeAll, Encode};
use core::marker::PhantomData;
use frame_support::traits::Get;
use sp_core::{
	crypto::{AccountId32, Ss58AddressFormat, Ss58Codec},
	hexdisplay::HexDisplay,
};

/// Maps ICS-20 account strings to and from the chain's `AccountId`.
pub trait AccountCodec<AccountId> {
	/// The account named by `s`, if `s` is a valid account string.
	fn parse(s: &str) -> Option<AccountId>;
	/// The string this chain puts in a packet's `sender` for `account`; [`Self::parse`] maps it
	/// back to `account`.
	fn format(account: &AccountId) -> String;
}

/// Decodes `0x`-prefixed hex (either case); `None` on anything else.
pub fn decode_hex(s: &str) -> Option<Vec<u8>> {
	let digits = s.strip_prefix("0x")?.as_bytes();
	if digits.len() % 2 != 0 {
		return None;
	}
	let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
	digits
		.chunks_exact(2)
		.map(|pair| match pair {
			[hi, lo] => Some(nibble(*hi)? << 4 | nibble(*lo)?),
			_ => None,
		})
		.collect()
}

/// `0x` + lowercase hex of the account's SCALE encoding, for any account type.
pub struct HexAccounts;

impl<AccountId: Encode + Decode> AccountCodec<AccountId> for HexAccounts {
	fn parse(s: &str) -> Option<AccountId> {
		let bytes = decode_hex(s)?;
		AccountId::decode_all(&mut bytes.as_slice()).ok()
	}

	fn format(account: &AccountId) -> String {
		format!("0x{}", HexDisplay::from(&account.encode()))
	}
}

/// SS58 (any address format) or `0x` + 64 hex digits in; SS58 with address format `Prefix` out.
pub struct Ss58Accounts<Prefix>(PhantomData<Prefix>);

impl<AccountId, Prefix> AccountCodec<AccountId> for Ss58Accounts<Prefix>
where
	AccountId: From<[u8; 32]> + AsRef<[u8; 32]>,
	Prefix: Get<u16>,
{
	fn parse(s: &str) -> Option<AccountId> {
		if s.starts_with("0x") {
			let raw: [u8; 32] = decode_hex(s)?.try_into().ok()?;
			return Some(raw.into());
		}
		let (account, _format) = AccountId32::from_ss58check_with_version(s).ok()?;
		let raw: [u8; 32] = account.into();
		Some(raw.into())
	}

	fn format(account: &AccountId) -> String {
		AccountId32::new(*account.as_ref())
			.to_ss58check_with_version(Ss58AddressFormat::custom(Prefix::get()))
	}
}
