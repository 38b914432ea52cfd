//! The ICS-04 acknowledgement envelope (`{"result":"<base64>"}` / `{"error":"..."}`) and the
//! one-byte CCV results inside it.

use super::{
	json::{self, Json, Obj, Writer},
	WireError, WireErrorKind,
};
use crate::constants::{ACK_RESULT_SLASH_BOUNCED, ACK_RESULT_SLASH_HANDLED, ACK_RESULT_V1};
use alloc::{format, string::String, vec, vec::Vec};

/// An acknowledgement as ibc-go's `channeltypes.Acknowledgement` carries it.
#[derive(
	Clone,
	Debug,
	PartialEq,
	Eq,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	scale_info::TypeInfo,
)]
pub enum Acknowledgement {
	/// The packet was handled; application-defined result bytes.
	Result(Vec<u8>),
	/// The packet was rejected.
	Error(String),
}

/// The result byte of a successful CCV acknowledgement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CcvAckResult {
	/// `0x01`: VSC, VSCMatured or double-sign slash packet handled.
	V1,
	/// `0x02`: downtime slash packet handled.
	SlashHandled,
	/// `0x03`: slash packet bounced by the throttle; retry later.
	SlashBounced,
}

impl CcvAckResult {
	/// The result byte.
	pub fn byte(self) -> u8 {
		match self {
			Self::V1 => ACK_RESULT_V1,
			Self::SlashHandled => ACK_RESULT_SLASH_HANDLED,
			Self::SlashBounced => ACK_RESULT_SLASH_BOUNCED,
		}
	}
}

impl Acknowledgement {
	/// A successful acknowledgement carrying a CCV result byte.
	pub fn ccv(result: CcvAckResult) -> Self {
		Self::Result(vec![result.byte()])
	}

	/// The JSON envelope, as ibc-go writes it.
	pub fn encode_json(&self) -> Vec<u8> {
		let mut w = Writer::default();
		match self {
			Self::Result(bytes) => w.raw("{\"result\":").base64(bytes).raw("}"),
			Self::Error(msg) => w.raw("{\"error\":").string(msg).raw("}"),
		};
		w.finish()
	}

	/// Parses the JSON envelope: exactly one of `result` (base64) or `error` (string).
	pub fn decode_json(bytes: &[u8]) -> Result<Self, WireError> {
		let doc = Json::parse(bytes)?;
		let obj = Obj::new(&doc, "", &[&["result"], &["error"]])?;
		match (obj.get(&["result"]), obj.get(&["error"])) {
			(Some(_), Some(_)) => Err(WireError::root(WireErrorKind::ConflictingOneof)),
			(None, None) => Err(WireError::root(WireErrorKind::MissingOneof)),
			(Some((v, p)), None) => json::bytes(Some(v), &p).map(Self::Result),
			(None, Some((v, p))) => json::string(v, &p).map(|s| Self::Error(s.into())),
		}
	}

	/// The CCV result of a successful acknowledgement; `Ok(None)` for an error acknowledgement.
	/// A result that is not exactly one known byte is an error, as in Go.
	pub fn ccv_result(&self) -> Result<Option<CcvAckResult>, WireError> {
		match self {
			Self::Error(_) => Ok(None),
			Self::Result(bytes) => match bytes.as_slice() {
				[ACK_RESULT_V1] => Ok(Some(CcvAckResult::V1)),
				[ACK_RESULT_SLASH_HANDLED] => Ok(Some(CcvAckResult::SlashHandled)),
				[ACK_RESULT_SLASH_BOUNCED] => Ok(Some(CcvAckResult::SlashBounced)),
				other => Err(WireError::at(
					"result",
					WireErrorKind::InvalidAck(format!(
						"result 0x{} is not a CCV result",
						hex::encode(other)
					)),
				)),
			},
		}
	}
}
