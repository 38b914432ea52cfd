//! The JSON shapes of the `ibc_*` answers, and their conversions from pallet-ibc's types.
//!
//! Byte strings are `0x` hex. Unix-nanosecond timestamps are decimal strings: they exceed 2^53,
//! which JavaScript numbers cannot hold exactly.

use pallet_ibc::types::{HostRecord, PendingPacket};
use serde::{Deserialize, Serialize};
use sp_core::{Bytes, H256};

/// An IBC height on the counterparty.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeightView {
	/// Revision number.
	pub revision_number: u64,
	/// Revision height.
	pub revision_height: u64,
}

/// A packet this chain sent that is neither acknowledged nor timed out yet.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingPacketView {
	/// Packet sequence on the source channel.
	pub sequence: u64,
	/// Destination port on the counterparty.
	pub destination_port: String,
	/// Destination channel on the counterparty.
	pub destination_channel: String,
	/// Packet data.
	pub data: Bytes,
	/// Timeout height on the counterparty; `None` = no height timeout.
	pub timeout_height: Option<HeightView>,
	/// Timeout timestamp on the counterparty, unix nanoseconds as a decimal string; `None` = no
	/// timestamp timeout.
	pub timeout_timestamp_ns: Option<String>,
}

impl PendingPacketView {
	/// The view of pending packet `sequence`.
	pub fn new(sequence: u64, packet: PendingPacket) -> Self {
		let (revision_number, revision_height) = packet.timeout_height;
		Self {
			sequence,
			destination_port: String::from_utf8_lossy(&packet.destination_port).into_owned(),
			destination_channel: String::from_utf8_lossy(&packet.destination_channel).into_owned(),
			data: Bytes(packet.data.into_inner()),
			timeout_height: (packet.timeout_height != (0, 0))
				.then_some(HeightView { revision_number, revision_height }),
			timeout_timestamp_ns: (packet.timeout_timestamp_ns != 0)
				.then(|| packet.timeout_timestamp_ns.to_string()),
		}
	}
}

/// This chain's consensus state at one height, as the counterparty's client of it checks it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostRecordView {
	/// Block number (revision height).
	pub height: u64,
	/// Block timestamp, unix nanoseconds as a decimal string.
	pub timestamp_ns: String,
	/// Root of the IBC child trie at the end of the block (the header's `ibc0` digest carries it).
	pub ibc_root: H256,
}

impl From<HostRecord> for HostRecordView {
	fn from(record: HostRecord) -> Self {
		Self {
			height: record.height,
			timestamp_ns: record.timestamp_ns.to_string(),
			ibc_root: H256(record.ibc_root),
		}
	}
}

/// Values at ICS-24 paths with the child-trie read proof of all of them, at one block.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProvenState<Hash> {
	/// The block the proof is of.
	pub at: Hash,
	/// Its number: the consensus height a counterparty verifies the proof at, against the child
	/// root in this block's header digest.
	pub height: u64,
	/// The value at each requested path, in request order (`None`: absent, proven absent).
	pub values: Vec<Option<Bytes>>,
	/// The proof's trie nodes (a `StorageProof`, as `state_getChildReadProof` returns it).
	pub proof: Vec<Bytes>,
}

#[cfg(test)]
mod tests {
	use super::*;
	use pallet_ibc::types::IdBytes;

	fn id(s: &str) -> IdBytes {
		IdBytes::try_from(s.as_bytes().to_vec()).unwrap()
	}

	fn packet(timeout_height: (u64, u64), timeout_timestamp_ns: u64) -> PendingPacket {
		PendingPacket {
			destination_port: id("transfer"),
			destination_channel: id("channel-7"),
			data: vec![1, 2, 0xff].try_into().unwrap(),
			timeout_height,
			timeout_timestamp_ns,
		}
	}

	#[test]
	fn a_pending_packet_reads_as_json_with_ids_as_text_and_bytes_as_hex() {
		let view = PendingPacketView::new(5, packet((0, 120), 1_700_000_000_123_456_789));
		let json = serde_json::to_value(&view).unwrap();
		assert_eq!(
			json,
			serde_json::json!({
				"sequence": 5,
				"destinationPort": "transfer",
				"destinationChannel": "channel-7",
				"data": "0x0102ff",
				"timeoutHeight": { "revisionNumber": 0, "revisionHeight": 120 },
				"timeoutTimestampNs": "1700000000123456789",
			})
		);
		let back: PendingPacketView = serde_json::from_value(json).unwrap();
		assert_eq!(back, view);
	}

	#[test]
	fn absent_timeouts_read_as_null_not_as_zero() {
		let view = PendingPacketView::new(1, packet((0, 0), 0));
		assert_eq!(view.timeout_height, None);
		assert_eq!(view.timeout_timestamp_ns, None);
		// A height in revision 1 at height 0 is still a timeout (only (0, 0) means none).
		let view = PendingPacketView::new(1, packet((1, 0), 1));
		assert_eq!(
			view.timeout_height,
			Some(HeightView { revision_number: 1, revision_height: 0 })
		);
		assert_eq!(view.timeout_timestamp_ns.as_deref(), Some("1"));
	}

	#[test]
	fn a_host_record_keeps_its_nanoseconds_exact() {
		let record = HostRecord { height: 9, timestamp_ns: u64::MAX, ibc_root: [0xab; 32] };
		let json = serde_json::to_value(HostRecordView::from(record)).unwrap();
		assert_eq!(json["height"], 9);
		assert_eq!(json["timestampNs"], u64::MAX.to_string());
		assert_eq!(json["ibcRoot"], format!("0x{}", "ab".repeat(32)));
	}
}
