//! Consensus addresses and slash-ack strings.
//!
//! A consensus address is the first 20 bytes of sha256 over the ed25519 public key, exactly as
//! Tendermint/CometBFT derives it, so slash packets name validators the way a Go consumer does.
//! VSC packets acknowledge handled slashes with the bech32 string of that address.

use crate::constants::{CONSENSUS_ADDRESS_LEN, MAX_SLASH_ACK_LEN};
use alloc::string::String;
use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt;
use scale_info::TypeInfo;
use sha2::{Digest, Sha256};

/// A validator's consensus address on a consumer: `sha256(ed25519 pubkey)[..20]`.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Hash,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct ConsensusAddress(pub [u8; CONSENSUS_ADDRESS_LEN]);

impl ConsensusAddress {
	/// Derives the consensus address of an ed25519 public key.
	pub fn from_ed25519(pubkey: &[u8; 32]) -> Self {
		let digest: [u8; 32] = Sha256::digest(pubkey).into();
		let mut out = [0u8; CONSENSUS_ADDRESS_LEN];
		out.iter_mut().zip(digest).for_each(|(o, d)| *o = d);
		Self(out)
	}

	/// The bech32 string of this address under `hrp` (e.g. `cosmosvalcons1...`).
	pub fn to_bech32(&self, hrp: &str) -> Result<String, AddressError> {
		let hrp = bech32::Hrp::parse(hrp).map_err(|_| AddressError::InvalidHrp)?;
		bech32::encode::<bech32::Bech32>(hrp, &self.0).map_err(|_| AddressError::InvalidHrp)
	}

	/// Parses a bech32 consensus address, checking its human-readable part.
	pub fn from_bech32(s: &str, hrp: &str) -> Result<Self, AddressError> {
		let (got_hrp, data) = bech32::decode(s).map_err(|_| AddressError::InvalidBech32)?;
		if got_hrp.as_str() != hrp {
			return Err(AddressError::WrongHrp);
		}
		let bytes: [u8; CONSENSUS_ADDRESS_LEN] =
			data.as_slice().try_into().map_err(|_| AddressError::WrongLength(data.len()))?;
		Ok(Self(bytes))
	}
}

impl fmt::Debug for ConsensusAddress {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "ConsensusAddress(0x{})", hex::encode(self.0))
	}
}

/// Why a consensus address could not be encoded or parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddressError {
	/// The human-readable part is not valid bech32.
	InvalidHrp,
	/// The string is not valid bech32.
	InvalidBech32,
	/// The string's human-readable part is not the expected one.
	WrongHrp,
	/// The decoded address does not have 20 bytes.
	WrongLength(usize),
}

impl fmt::Display for AddressError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::InvalidHrp => f.write_str("invalid bech32 human-readable part"),
			Self::InvalidBech32 => f.write_str("invalid bech32 string"),
			Self::WrongHrp => f.write_str("unexpected bech32 human-readable part"),
			Self::WrongLength(n) => write!(f, "consensus address has {n} bytes, expected 20"),
		}
	}
}

/// One entry of a VSC packet's `slash_acks`: the UTF-8 string the provider sends for a
/// validator whose downtime slash it handled (a bech32 consensus address of its consumer key).
///
/// Kept as the raw string so that any packet a Go provider sends round-trips losslessly.
#[derive(
	Clone,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Default,
)]
pub struct SlashAck(pub BoundedVec<u8, ConstU32<MAX_SLASH_ACK_LEN>>);

impl SlashAck {
	/// A slash ack naming `address` in bech32 under `hrp`.
	pub fn from_address(address: &ConsensusAddress, hrp: &str) -> Result<Self, AddressError> {
		let s = address.to_bech32(hrp)?;
		// A bech32 string of a 20-byte address is at most 90 characters.
		Self::from_str(&s).ok_or(AddressError::InvalidHrp)
	}

	/// A slash ack from any string of at most [`MAX_SLASH_ACK_LEN`] bytes.
	#[allow(clippy::should_implement_trait)]
	pub fn from_str(s: &str) -> Option<Self> {
		BoundedVec::try_from(s.as_bytes().to_vec()).ok().map(Self)
	}

	/// The ack as a string (always valid UTF-8 when built by this crate's constructors).
	pub fn as_str(&self) -> Option<&str> {
		core::str::from_utf8(&self.0).ok()
	}

	/// The consensus address this ack names, if it is a bech32 address under `hrp`.
	pub fn address(&self, hrp: &str) -> Option<ConsensusAddress> {
		ConsensusAddress::from_bech32(self.as_str()?, hrp).ok()
	}
}

impl fmt::Debug for SlashAck {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self.as_str() {
			Some(s) => write!(f, "SlashAck({s:?})"),
			None => write!(f, "SlashAck(0x{})", hex::encode(&self.0)),
		}
	}
}
