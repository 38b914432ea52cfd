//! ICS-24 paths of pallet-ibc's store, decoding of the ends stored there, and the packets the
//! relayer rebuilds from `IbcRuntimeApi::pending_packets`.

use anyhow::{anyhow, Context as _, Result};
use ibc_core::{
	channel::types::{
		channel::ChannelEnd,
		packet::Packet,
		timeout::{TimeoutHeight, TimeoutTimestamp},
	},
	client::types::Height,
	commitment_types::commitment::{CommitmentPrefix, CommitmentProofBytes},
	connection::types::ConnectionEnd,
	host::types::identifiers::{ChannelId, ClientId, ConnectionId, PortId, Sequence},
	primitives::{proto::Protobuf, Signer, Timestamp},
};
use pallet_ibc::types::PendingPacket;

/// The commitment prefix of our chains' stores (the child trie's name).
pub fn prefix() -> CommitmentPrefix {
	CommitmentPrefix::from_bytes(pallet_ibc::types::IBC_CHILD_TRIE)
}

/// The `signer` field of the relayer's messages.
pub fn signer(account: &str) -> Signer {
	Signer::from(account.to_string())
}

/// IBC height of block `number` as the GRANDPA client names it (revision 0; block 0, the
/// height of a client started from genesis authorities, is height 1 like block 1).
pub fn height(number: u32) -> Result<Height> {
	Ok(ibc_client_grandpa::ibc_client::ibc_height(number))
}

/// Proof bytes as messages carry them.
pub fn proof_bytes(wire: Vec<u8>) -> Result<CommitmentProofBytes> {
	CommitmentProofBytes::try_from(wire).map_err(|e| anyhow!("empty proof: {e}"))
}

/// `clients/{client}/clientState`.
pub fn client_state_path(client: &ClientId) -> String {
	format!("clients/{client}/clientState")
}

/// `clients/{client}/consensusStates/{height}`.
pub fn consensus_state_path(client: &ClientId, height: Height) -> String {
	format!("clients/{client}/consensusStates/{height}")
}

/// `connections/{connection}`.
pub fn connection_path(connection: &ConnectionId) -> String {
	format!("connections/{connection}")
}

/// `channelEnds/ports/{port}/channels/{channel}`.
pub fn channel_path(port: &PortId, channel: &ChannelId) -> String {
	format!("channelEnds/ports/{port}/channels/{channel}")
}

/// `commitments/ports/{port}/channels/{channel}/sequences/{seq}` (on the packet's source).
pub fn commitment_path(port: &PortId, channel: &ChannelId, seq: Sequence) -> String {
	format!("commitments/ports/{port}/channels/{channel}/sequences/{seq}")
}

/// `receipts/ports/{port}/channels/{channel}/sequences/{seq}` (on the packet's destination).
pub fn receipt_path(port: &PortId, channel: &ChannelId, seq: Sequence) -> String {
	format!("receipts/ports/{port}/channels/{channel}/sequences/{seq}")
}

/// `acks/ports/{port}/channels/{channel}/sequences/{seq}` (on the packet's destination).
pub fn ack_path(port: &PortId, channel: &ChannelId, seq: Sequence) -> String {
	format!("acks/ports/{port}/channels/{channel}/sequences/{seq}")
}

/// `nextSequenceRecv/ports/{port}/channels/{channel}` (ordered channels' receive counter).
pub fn next_seq_recv_path(port: &PortId, channel: &ChannelId) -> String {
	format!("nextSequenceRecv/ports/{port}/channels/{channel}")
}

/// Decodes a stored connection end.
pub fn decode_connection(bytes: &[u8]) -> Result<ConnectionEnd> {
	ConnectionEnd::decode_vec(bytes).map_err(|e| anyhow!("stored connection end: {e}"))
}

/// Decodes a stored channel end.
pub fn decode_channel(bytes: &[u8]) -> Result<ChannelEnd> {
	ChannelEnd::decode_vec(bytes).map_err(|e| anyhow!("stored channel end: {e}"))
}

/// Splits `channelEnds/ports/{port}/channels/{channel}` into its ids.
pub fn parse_channel_path(path: &str) -> Result<(PortId, ChannelId)> {
	let rest = path
		.strip_prefix("channelEnds/ports/")
		.ok_or_else(|| anyhow!("not a channel path: {path}"))?;
	let (port, channel) =
		rest.split_once("/channels/").ok_or_else(|| anyhow!("not a channel path: {path}"))?;
	Ok((
		port.parse().map_err(|e| anyhow!("port in {path}: {e}"))?,
		channel.parse().map_err(|e| anyhow!("channel in {path}: {e}"))?,
	))
}

/// The sequence at the end of a `commitments/...` path.
pub fn parse_commitment_sequence(path: &str) -> Result<u64> {
	path.rsplit_once("/sequences/")
		.and_then(|(_, seq)| seq.parse().ok())
		.ok_or_else(|| anyhow!("not a packet commitment path: {path}"))
}

/// A packet the source chain still waits on, rebuilt from its `SentPackets` record.
pub fn packet(
	port: &PortId,
	channel: &ChannelId,
	seq: u64,
	pending: PendingPacket,
) -> Result<Packet> {
	let port_on_b = std::str::from_utf8(&pending.destination_port)
		.context("destination port")?
		.parse()
		.map_err(|e| anyhow!("destination port: {e}"))?;
	let chan_on_b = std::str::from_utf8(&pending.destination_channel)
		.context("destination channel")?
		.parse()
		.map_err(|e| anyhow!("destination channel: {e}"))?;
	Ok(Packet {
		seq_on_a: Sequence::from(seq),
		port_id_on_a: port.clone(),
		chan_id_on_a: channel.clone(),
		port_id_on_b: port_on_b,
		chan_id_on_b: chan_on_b,
		data: pending.data.into_inner(),
		timeout_height_on_b: match pending.timeout_height {
			(0, 0) => TimeoutHeight::Never,
			(revision, h) => TimeoutHeight::At(
				Height::new(revision, h).map_err(|e| anyhow!("timeout height: {e}"))?,
			),
		},
		timeout_timestamp_on_b: match pending.timeout_timestamp_ns {
			0 => TimeoutTimestamp::Never,
			ns => TimeoutTimestamp::At(Timestamp::from_nanoseconds(ns)),
		},
	})
}

/// Whether a chain whose block `height` has timestamp `timestamp_ns` is past the packet's
/// timeout (the destination may then never receive it, and the source may time it out).
pub fn is_timed_out(packet: &Packet, height: Height, timestamp_ns: u64) -> bool {
	let by_height = match packet.timeout_height_on_b {
		TimeoutHeight::At(h) => height >= h,
		TimeoutHeight::Never => false,
	};
	let by_time = match packet.timeout_timestamp_on_b {
		TimeoutTimestamp::At(t) => Timestamp::from_nanoseconds(timestamp_ns) >= t,
		TimeoutTimestamp::Never => false,
	};
	by_height || by_time
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn channel_paths_round_trip() {
		let port: PortId = "transfer".parse().unwrap();
		let chan = ChannelId::new(7);
		let path = channel_path(&port, &chan);
		assert_eq!(path, "channelEnds/ports/transfer/channels/channel-7");
		assert_eq!(parse_channel_path(&path).unwrap(), (port, chan));
		assert!(parse_channel_path("connections/connection-0").is_err());
	}

	#[test]
	fn commitment_sequence_parses() {
		let path = commitment_path(&"transfer".parse().unwrap(), &ChannelId::new(0), 42.into());
		assert_eq!(parse_commitment_sequence(&path).unwrap(), 42);
		assert!(parse_commitment_sequence("commitments/ports/transfer").is_err());
	}

	#[test]
	fn timeouts_by_height_and_time() {
		let pending = PendingPacket {
			destination_port: b"transfer".to_vec().try_into().unwrap(),
			destination_channel: b"channel-1".to_vec().try_into().unwrap(),
			data: b"{}".to_vec().try_into().unwrap(),
			timeout_height: (0, 10),
			timeout_timestamp_ns: 5_000,
		};
		let p = packet(&"transfer".parse().unwrap(), &ChannelId::new(0), 1, pending).unwrap();
		assert_eq!(p.chan_id_on_b, ChannelId::new(1));
		assert!(!is_timed_out(&p, height(9).unwrap(), 4_999));
		assert!(is_timed_out(&p, height(10).unwrap(), 0));
		assert!(is_timed_out(&p, height(1).unwrap(), 5_000));
	}
}
