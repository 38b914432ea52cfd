//! Extrinsic argument types, host records and the constants that define our wire surface.

use alloc::{string::String, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use ibc_core::primitives::proto::Any;
use scale_info::TypeInfo;

/// Name of the child trie holding all provable IBC state (keys: raw ICS-24 path bytes).
///
/// It is also this host's commitment prefix: counterparties verify our proofs against the child
/// root in our [`IBC_ENGINE_ID`] digest, under keys `prefix`-less ICS-24 paths of this trie. The
/// GRANDPA light client's own constant, so host and client cannot disagree.
pub const IBC_CHILD_TRIE: &[u8] = ibc_client_grandpa::ibc_client::COMMITMENT_PREFIX;

/// Engine id of the header digest item (`DigestItem::Consensus`) that carries
/// `(timestamp_ns: u64, ibc_root: [u8; 32])`, SCALE-encoded, written in every block's
/// `on_finalize`. A light client of this chain reads its consensus state from it (re-exported
/// from the GRANDPA light client, which reads it).
pub use ibc_client_grandpa::types::IBC_ENGINE_ID;

/// Revision number of this host's heights (`Height { revision_number, revision_height =
/// block number }`). Solo chains do not fork-upgrade their chain id, so it is fixed.
pub const HOST_REVISION_NUMBER: u64 = 0;

/// Longest accepted protobuf type URL of a delivered message.
pub const MAX_TYPE_URL_LEN: u32 = 128;

/// Longest accepted protobuf value of a delivered message (headers with justifications and
/// proofs fit comfortably).
pub const MAX_MESSAGE_LEN: u32 = 256 * 1024;

/// A protobuf `Any` as an extrinsic argument: ibc-rs's `Any` has no `DecodeWithMemTracking` or
/// bound, so calls take this and convert inside the pallet.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct RawAny {
	/// The message's type URL, e.g. `/ibc.core.client.v1.MsgCreateClient`.
	pub type_url: BoundedVec<u8, ConstU32<MAX_TYPE_URL_LEN>>,
	/// The protobuf-encoded message.
	pub value: BoundedVec<u8, ConstU32<MAX_MESSAGE_LEN>>,
}

impl RawAny {
	/// Converts to ibc-rs's `Any`; `None` if the type URL is not UTF-8.
	pub fn to_any(&self) -> Option<Any> {
		let type_url = String::from_utf8(self.type_url.to_vec()).ok()?;
		Some(Any { type_url, value: self.value.to_vec() })
	}

	/// Builds a bounded message from an `Any`; `None` if it exceeds the bounds.
	pub fn from_any(any: Any) -> Option<Self> {
		Some(Self {
			type_url: BoundedVec::try_from(any.type_url.into_bytes()).ok()?,
			value: BoundedVec::try_from(any.value).ok()?,
		})
	}
}

/// What this host remembers of one of its own finalized blocks: the consensus state a
/// counterparty's light client holds of us at that height.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct HostRecord {
	/// Block number (revision height).
	pub height: u64,
	/// Block timestamp, unix nanoseconds.
	pub timestamp_ns: u64,
	/// Root of the IBC child trie at the end of the block.
	pub ibc_root: [u8; 32],
}

/// A packet this chain sent that is neither acknowledged nor timed out yet, as a relayer needs
/// it (commitments in the child trie are only hashes). Captured from ibc-rs's `SendPacket`
/// event, so it covers every app, and removed with the packet commitment.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct PendingPacket {
	/// Destination port on the counterparty.
	pub destination_port: IdBytes,
	/// Destination channel on the counterparty.
	pub destination_channel: IdBytes,
	/// Packet data.
	pub data: BoundedVec<u8, ConstU32<MAX_MESSAGE_LEN>>,
	/// Timeout height on the counterparty `(revision_number, revision_height)`; `(0, 0)` = none.
	pub timeout_height: HeightKey,
	/// Timeout timestamp on the counterparty, unix nanoseconds; 0 = none.
	pub timeout_timestamp_ns: u64,
}

/// An ibc-rs event as an explorer reads it: the ABCI event kind and its attributes.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct IbcEventRecord {
	/// Event kind, e.g. `send_packet`, `create_client`.
	pub kind: Vec<u8>,
	/// `(key, value)` attributes, in ibc-rs order (values longer than
	/// [`MAX_EVENT_VALUE_LEN`] are truncated; full data stays queryable in storage).
	pub attributes: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Most attributes kept per event.
pub const MAX_EVENT_ATTRIBUTES: usize = 24;
/// Longest attribute value kept in an event.
pub const MAX_EVENT_VALUE_LEN: usize = 2048;

/// Identifier bytes used as keys of the pallet's bookkeeping maps.
pub type IdBytes = BoundedVec<u8, ConstU32<{ ccv_primitives::channel::MAX_IBC_ID_LEN }>>;

/// A `(revision_number, revision_height)` pair as a storage key.
pub type HeightKey = (u64, u64);

/// Longest ICS-20 denomination accepted, trace path included (e.g.
/// `transfer/channel-0/transfer/channel-7/uatom`).
pub const MAX_DENOM_LEN: u32 = 512;

/// Longest ICS-20 receiver string accepted by the `transfer` call (ibc-go's limit).
pub const MAX_RECEIVER_LEN: u32 = 2048;

/// A full ICS-20 denomination (trace path and base denom, `/`-separated) as stored bytes.
pub type DenomTrace = BoundedVec<u8, ConstU32<MAX_DENOM_LEN>>;

/// An ICS-20 receiver on the counterparty chain (its own address format), as call bytes.
pub type ReceiverBytes = BoundedVec<u8, ConstU32<MAX_RECEIVER_LEN>>;
