//! The ICS-028 wire codec: everything that crosses the IBC boundary, byte-exact with
//! cosmos/interchain-security.
//!
//! - [`packets`]: VSC and consumer packet data as proto3 JSON (what `GetBytes()` produces in Go).
//! - [`ack`]: the ICS-04 acknowledgement envelope and CCV result bytes.
//! - [`handshake`]: the `HandshakeMetadata` protobuf the provider returns as channel version.
//! - [`proto`]: lossless conversion to and from the `ibc-proto` message types.
//! - [`json`]: the strict reader and Go-compatible writer underneath.
//!
//! Decoding never panics: malformed input gives a [`WireError`] naming the offending field.

pub mod ack;
pub mod handshake;
pub mod json;
pub mod packets;
pub mod proto;

pub use ack::{Acknowledgement, CcvAckResult};
pub use handshake::HandshakeMetadata;
pub use packets::{
	decode_consumer_packet, decode_vsc_packet, encode_consumer_packet, encode_vsc_packet,
};

use crate::{
	constants::{CONSENSUS_ADDRESS_LEN, CONSENSUS_KEY_LEN},
	types::{ConsensusKey, Power},
	ConsensusAddress,
};
use alloc::string::String;
use core::fmt;

/// A power as the wire's `int64`; above `i64::MAX` is refused, never wrapped.
pub(crate) fn power_to_wire(power: Power, path: &str) -> Result<i64, WireError> {
	i64::try_from(power).map_err(|_| WireError::at(path, WireErrorKind::IntegerOverflow))
}

/// A wire `int64` power as ours; negative is refused.
pub(crate) fn power_from_wire(power: i64, path: &str) -> Result<Power, WireError> {
	u64::try_from(power).map_err(|_| WireError::at(path, WireErrorKind::NegativePower))
}

/// An ed25519 key from wire bytes, which must be exactly 32.
pub(crate) fn key_from_wire(raw: &[u8], path: &str) -> Result<ConsensusKey, WireError> {
	<[u8; CONSENSUS_KEY_LEN]>::try_from(raw)
		.map(ConsensusKey)
		.map_err(|_| WireError::at(path, WireErrorKind::KeyLength(raw.len())))
}

/// A consensus address from wire bytes, which must be exactly 20.
pub(crate) fn address_from_wire(raw: &[u8], path: &str) -> Result<ConsensusAddress, WireError> {
	<[u8; CONSENSUS_ADDRESS_LEN]>::try_from(raw)
		.map(ConsensusAddress)
		.map_err(|_| WireError::at(path, WireErrorKind::AddressLength(raw.len())))
}

/// A wire decoding or encoding failure, with the path of the field at fault
/// (e.g. `validator_updates[1].pub_key.ed25519`; empty for the whole document).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError {
	/// Dotted path of the offending field; empty for the document itself.
	pub path: String,
	/// What is wrong with it.
	pub kind: WireErrorKind,
}

/// What is wrong with a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WireErrorKind {
	/// Not a single JSON document (includes trailing garbage); serde_json's message.
	Syntax(String),
	/// The value has the wrong JSON type.
	ExpectedType {
		/// What the message type requires.
		expected: &'static str,
		/// What the document has.
		found: &'static str,
	},
	/// The field is not part of the message.
	UnknownField,
	/// The field appears twice (possibly under its two spellings).
	DuplicateField,
	/// A required field is absent.
	MissingField,
	/// No member of a oneof is set.
	MissingOneof,
	/// More than one member of a oneof is set.
	ConflictingOneof,
	/// An enum name or number that the message type does not define (or that is UNSPECIFIED).
	UnknownEnum(String),
	/// A public key of another algorithm than ed25519.
	NonEd25519Key(String),
	/// An ed25519 key that is not 32 bytes.
	KeyLength(usize),
	/// A consensus address that is not 20 bytes.
	AddressLength(usize),
	/// Not standard padded base64.
	InvalidBase64,
	/// Not a decimal integer literal.
	InvalidInteger,
	/// An integer beyond the field's 64-bit range.
	IntegerOverflow,
	/// A negative voting power.
	NegativePower,
	/// The same consensus key is updated twice in one VSC.
	DuplicateKey,
	/// A list longer than our bound.
	TooMany(u32),
	/// A string or byte field longer than our bound.
	TooLong(u32),
	/// The packet type tag disagrees with the oneof member that is set.
	TypeMismatch,
	/// Bytes that must be UTF-8 are not.
	NotUtf8,
	/// Protobuf decoding failed; prost's message.
	Protobuf(String),
	/// An acknowledgement that CCV does not define.
	InvalidAck(String),
}

impl WireError {
	/// An error about the whole document.
	pub fn root(kind: WireErrorKind) -> Self {
		Self { path: String::new(), kind }
	}

	/// An error about the field at `path`.
	pub fn at(path: &str, kind: WireErrorKind) -> Self {
		Self { path: path.into(), kind }
	}
}

impl fmt::Display for WireErrorKind {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::Syntax(m) => write!(f, "invalid JSON: {m}"),
			Self::ExpectedType { expected, found } => {
				write!(f, "expected {expected}, found {found}")
			}
			Self::UnknownField => f.write_str("unknown field"),
			Self::DuplicateField => f.write_str("duplicate field"),
			Self::MissingField => f.write_str("missing field"),
			Self::MissingOneof => f.write_str("no oneof member set"),
			Self::ConflictingOneof => f.write_str("more than one oneof member set"),
			Self::UnknownEnum(v) => write!(f, "unknown enum value {v}"),
			Self::NonEd25519Key(alg) => write!(f, "{alg} key where an ed25519 key is required"),
			Self::KeyLength(n) => write!(f, "ed25519 key has {n} bytes, expected 32"),
			Self::AddressLength(n) => write!(f, "consensus address has {n} bytes, expected 20"),
			Self::InvalidBase64 => f.write_str("invalid base64"),
			Self::InvalidInteger => f.write_str("invalid integer"),
			Self::IntegerOverflow => f.write_str("integer out of 64-bit range"),
			Self::NegativePower => f.write_str("negative power"),
			Self::DuplicateKey => f.write_str("consensus key updated twice in one VSC"),
			Self::TooMany(max) => write!(f, "more than {max} entries"),
			Self::TooLong(max) => write!(f, "longer than {max} bytes"),
			Self::TypeMismatch => f.write_str("packet type does not match the data set"),
			Self::NotUtf8 => f.write_str("not UTF-8"),
			Self::Protobuf(m) => write!(f, "invalid protobuf: {m}"),
			Self::InvalidAck(m) => write!(f, "invalid acknowledgement: {m}"),
		}
	}
}

impl fmt::Display for WireError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		if self.path.is_empty() {
			write!(f, "{}", self.kind)
		} else {
			write!(f, "{}: {}", self.path, self.kind)
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for WireError {}
