//! `HandshakeMetadata`: the provider's answer in `chan_open_try`, protobuf-encoded and used as
//! the channel version string.

use super::{WireError, WireErrorKind};
use alloc::{format, string::String, vec::Vec};
use ibc_proto::interchain_security::ccv::v1 as pb;
use prost::Message;

/// What the provider tells a consumer during the channel handshake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandshakeMetadata {
	/// Address on the provider that receives this consumer's rewards.
	pub provider_fee_pool_addr: String,
	/// CCV version, `"1"`.
	pub version: String,
}

impl HandshakeMetadata {
	/// Protobuf encoding (what Go passes as the channel version).
	pub fn encode_proto(&self) -> Vec<u8> {
		pb::HandshakeMetadata {
			provider_fee_pool_addr: self.provider_fee_pool_addr.clone(),
			version: self.version.clone(),
		}
		.encode_to_vec()
	}

	/// Decodes the protobuf encoding.
	pub fn decode_proto(bytes: &[u8]) -> Result<Self, WireError> {
		let m = pb::HandshakeMetadata::decode(bytes)
			.map_err(|e| WireError::root(WireErrorKind::Protobuf(format!("{e}"))))?;
		Ok(Self { provider_fee_pool_addr: m.provider_fee_pool_addr, version: m.version })
	}

	/// The encoding as an IBC channel version string. IBC versions are strings; the protobuf
	/// bytes are valid UTF-8 when the address is ASCII and shorter than 128 bytes, which holds
	/// for every address our chains produce.
	pub fn to_version_string(&self) -> Result<String, WireError> {
		String::from_utf8(self.encode_proto())
			.map_err(|_| WireError::at("provider_fee_pool_addr", WireErrorKind::NotUtf8))
	}

	/// Parses a channel version string produced by [`Self::to_version_string`] or by Go.
	pub fn from_version_string(version: &str) -> Result<Self, WireError> {
		Self::decode_proto(version.as_bytes())
	}
}
