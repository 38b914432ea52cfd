//! The harness relayer: builds IBC messages from one chain's state, with child-trie proofs of it,
//! and delivers them to the other chain through `deliver`, as a real relayer would.
//!
//! Clients are GRANDPA clients (`10-grandpa`) started from the other chain's genesis
//! authorities. Every message that carries a proof is preceded by sealing the source chain and
//! updating the destination's client of it to that block with real headers and a justification
//! signed by the source's authorities (stepping through every authority-set change), so
//! `proof_height` is always a block whose `ibc0` root the destination's client holds, and the
//! client checks every proof against it.

use crate::chain::{ibc_height, Chain, Sealed, GENESIS_NS};
use ibc_client_grandpa::{
	ibc_client::CLIENT_TYPE, types::BlockNumber, ClientState as GrandpaClientState,
	ConsensusState as GrandpaConsensusState, GrandpaHeader, IbcConsensusState,
};
use ibc_core::{
	channel::types::{
		acknowledgement::Acknowledgement,
		channel::{ChannelEnd, Order},
		msgs::{
			MsgAcknowledgement, MsgChannelCloseConfirm, MsgChannelOpenAck, MsgChannelOpenConfirm,
			MsgChannelOpenInit, MsgChannelOpenTry, MsgRecvPacket, MsgTimeout,
		},
		packet::Packet,
		timeout::{TimeoutHeight, TimeoutTimestamp},
		Version as ChannelVersion,
	},
	client::types::{
		msgs::{MsgCreateClient, MsgUpdateClient},
		Height,
	},
	commitment_types::commitment::CommitmentPrefix,
	connection::types::{
		msgs::{
			MsgConnectionOpenAck, MsgConnectionOpenConfirm, MsgConnectionOpenInit,
			MsgConnectionOpenTry,
		},
		version::Version as ConnectionVersion,
		Counterparty as ConnectionCounterparty,
	},
	host::types::identifiers::{ChannelId, ClientId, ConnectionId, PortId, Sequence},
	primitives::{
		proto::{Any, Protobuf},
		Signer, Timestamp, ToProto,
	},
};
use pallet_ibc::{
	mock::Test,
	pallet::{ChannelCounter, ClientCounter, ConnectionCounter, SentPackets},
	types::{PendingPacket, IBC_CHILD_TRIE},
};

/// The relayer's signer string in messages.
pub fn signer() -> Signer {
	Signer::from("harness-relayer".to_string())
}

/// Panics with the chain's name and the dispatch error: a harness step that must succeed.
fn must(chain: &Chain, step: &str, result: sp_runtime::DispatchResult) {
	if let Err(e) = result {
		panic!("chain {}: {step} failed: {e:?}", chain.name);
	}
}

/// A connection between chain A and chain B.
#[derive(Clone, Debug)]
pub struct Connection {
	/// A's client of B.
	pub client_on_a: ClientId,
	/// B's client of A.
	pub client_on_b: ClientId,
	/// The connection id on A.
	pub conn_on_a: ConnectionId,
	/// The connection id on B.
	pub conn_on_b: ConnectionId,
}

impl Connection {
	/// The same connection seen from B (B becomes "A").
	pub fn flipped(&self) -> Self {
		Self {
			client_on_a: self.client_on_b.clone(),
			client_on_b: self.client_on_a.clone(),
			conn_on_a: self.conn_on_b.clone(),
			conn_on_b: self.conn_on_a.clone(),
		}
	}
}

/// A channel between chain A and chain B on one port.
#[derive(Clone, Debug)]
pub struct ChannelPair {
	/// The connection under it.
	pub connection: Connection,
	/// Port on both ends.
	pub port: PortId,
	/// Channel id on A.
	pub chan_on_a: ChannelId,
	/// Channel id on B.
	pub chan_on_b: ChannelId,
}

impl ChannelPair {
	/// The same channel seen from B.
	pub fn flipped(&self) -> Self {
		Self {
			connection: self.connection.flipped(),
			port: self.port.clone(),
			chan_on_a: self.chan_on_b.clone(),
			chan_on_b: self.chan_on_a.clone(),
		}
	}
}

/// Trusting period of the harness's clients: two weeks, in nanoseconds.
pub const TRUSTING_PERIOD_NS: u64 = 14 * 24 * 3_600 * 1_000_000_000;

/// Past authority sets the harness's clients keep.
pub const SET_HISTORY: u32 = 8;

/// The client message updating a client with `header`.
pub fn update_message(client: &ClientId, header: GrandpaHeader) -> Any {
	MsgUpdateClient { client_id: client.clone(), client_message: header.into(), signer: signer() }
		.to_any()
}

/// A GRANDPA update from a client at block `from` to `src`'s sealed block `to`: the target
/// header, its justification, and the headers between as ancestry.
pub fn grandpa_update(src: &Chain, from: BlockNumber, to: BlockNumber) -> GrandpaHeader {
	let target = src.block(to);
	GrandpaHeader {
		target: target.header.clone(),
		justification: target.justification.clone(),
		ancestry: src
			.blocks(from.saturating_add(1)..to)
			.map(|block| block.header.clone())
			.collect(),
	}
}

/// Updates `dst`'s client of `src` to `src`'s sealed block `to`, the way a relayer must: every
/// header that changes `src`'s authorities on the way is an update target of its own.
pub fn update_client_to(src: &Chain, dst: &mut Chain, client_on_dst: &ClientId, to: BlockNumber) {
	let mut from = grandpa_client_state(dst, client_on_dst).latest_height;
	while from < to {
		let target = src
			.blocks(from.saturating_add(1)..to)
			.find(|block| block.changes_authorities())
			.map_or(to, |block| block.header.number);
		let msg = update_message(client_on_dst, grandpa_update(src, from, target));
		let result = dst.deliver(vec![msg]);
		must(
			dst,
			&format!("update of client {client_on_dst} to {} #{target} (from #{from})", src.name),
			result,
		);
		from = target;
	}
}

/// Seals `src`, updates `dst`'s client of it to that block, and returns the block.
pub fn update_client(src: &mut Chain, dst: &mut Chain, client_on_dst: &ClientId) -> Sealed {
	let sealed = src.seal();
	update_client_to(src, dst, client_on_dst, sealed.number());
	sealed
}

/// Creates on `dst` a GRANDPA client of `src` started from `src`'s genesis authorities (set id
/// 0, height 0, all-zero root), as the provider creates one for a consumer at spawn time; the
/// first update carries every header from block 1. Returns its id.
pub fn create_client(src: &mut Chain, dst: &mut Chain) -> ClientId {
	let n = dst.exec(ClientCounter::<Test>::get);
	let client_state = GrandpaClientState::from_genesis_authorities(
		src.chain_id(),
		src.genesis_voters().authority_set(),
		TRUSTING_PERIOD_NS,
		SET_HISTORY,
	)
	.unwrap_or_else(|e| panic!("client state of chain {}: {e}", src.name));
	let consensus_state = GrandpaConsensusState { timestamp_ns: GENESIS_NS, ibc_root: [0; 32] };
	let msg = MsgCreateClient {
		client_state: client_state.into(),
		consensus_state: IbcConsensusState::from(consensus_state).into(),
		signer: signer(),
	};
	let result = dst.deliver(vec![msg.to_any()]);
	must(dst, "create_client", result);
	format!("{CLIENT_TYPE}-{n}").parse().unwrap_or_else(|e| panic!("client id: {e}"))
}

/// The GRANDPA client state of `client` on `chain`.
pub fn grandpa_client_state(chain: &mut Chain, client: &ClientId) -> GrandpaClientState {
	GrandpaClientState::try_from(client_state_any(chain, client))
		.unwrap_or_else(|e| panic!("chain {}: {client} is no GRANDPA client: {e}", chain.name))
}

/// The latest height of `chain`'s client `client` (from its stored client state).
pub fn client_height(chain: &mut Chain, client: &ClientId) -> Height {
	ibc_client_grandpa::ibc_client::ibc_height(grandpa_client_state(chain, client).latest_height)
}

/// The stored client state of `client` on `chain`, as the `Any` a handshake message carries.
fn client_state_any(chain: &mut Chain, client: &ClientId) -> Any {
	let bytes = chain
		.ibc_state(&format!("clients/{client}/clientState"))
		.unwrap_or_else(|| panic!("chain {}: no client {client}", chain.name));
	<Any as prost::Message>::decode(bytes.as_slice())
		.unwrap_or_else(|e| panic!("client state of {client}: {e}"))
}

fn prefix() -> CommitmentPrefix {
	CommitmentPrefix::from_bytes(IBC_CHILD_TRIE)
}

/// Clients both ways and an OPEN connection (INIT on A, TRY on B, ACK on A, CONFIRM on B).
pub fn connect(a: &mut Chain, b: &mut Chain) -> Connection {
	let client_on_a = create_client(b, a);
	let client_on_b = create_client(a, b);

	// INIT on A, with A's client of B fresh (TRY on B checks B still has that consensus state).
	update_client(b, a, &client_on_a);
	let conn_n = a.exec(ConnectionCounter::<Test>::get);
	let init = MsgConnectionOpenInit {
		client_id_on_a: client_on_a.clone(),
		counterparty: ConnectionCounterparty::new(client_on_b.clone(), None, prefix()),
		version: None,
		delay_period: core::time::Duration::ZERO,
		signer: signer(),
	};
	let result = a.deliver(vec![init.to_any()]);
	must(a, "conn_open_init", result);
	let conn_on_a = ConnectionId::new(conn_n);

	// TRY on B, proving A's connection end and A's client of B.
	let proof_height = update_client(a, b, &client_on_b);
	let consensus_height_of_b_on_a = client_height(a, &client_on_a);
	let paths = [
		format!("connections/{conn_on_a}"),
		format!("clients/{client_on_a}/clientState"),
		format!("clients/{client_on_a}/consensusStates/{consensus_height_of_b_on_a}"),
	];
	let proof = a.prove(&paths);
	let conn_n = b.exec(ConnectionCounter::<Test>::get);
	#[allow(deprecated, reason = "ibc-rs keeps the field for wire compatibility")]
	let try_msg = MsgConnectionOpenTry {
		client_id_on_b: client_on_b.clone(),
		client_state_of_b_on_a: client_state_any(a, &client_on_a),
		counterparty: ConnectionCounterparty::new(
			client_on_a.clone(),
			Some(conn_on_a.clone()),
			prefix(),
		),
		versions_on_a: ConnectionVersion::compatibles(),
		proof_conn_end_on_a: proof.clone(),
		proof_client_state_of_b_on_a: proof.clone(),
		proof_consensus_state_of_b_on_a: proof,
		proofs_height_on_a: proof_height.ibc_height(),
		consensus_height_of_b_on_a,
		delay_period: core::time::Duration::ZERO,
		signer: signer(),
		proof_consensus_state_of_b: None,
		previous_connection_id: String::new(),
	};
	let result = b.deliver(vec![try_msg.to_any()]);
	must(b, "conn_open_try", result);
	let conn_on_b = ConnectionId::new(conn_n);

	// ACK on A.
	let proof_height = update_client(b, a, &client_on_a);
	let consensus_height_of_a_on_b = client_height(b, &client_on_b);
	let paths = [
		format!("connections/{conn_on_b}"),
		format!("clients/{client_on_b}/clientState"),
		format!("clients/{client_on_b}/consensusStates/{consensus_height_of_a_on_b}"),
	];
	let proof = b.prove(&paths);
	let version = ConnectionVersion::compatibles()
		.into_iter()
		.next()
		.unwrap_or_else(|| panic!("ibc-rs offers no connection version"));
	let ack = MsgConnectionOpenAck {
		conn_id_on_a: conn_on_a.clone(),
		conn_id_on_b: conn_on_b.clone(),
		client_state_of_a_on_b: client_state_any(b, &client_on_b),
		proof_conn_end_on_b: proof.clone(),
		proof_client_state_of_a_on_b: proof.clone(),
		proof_consensus_state_of_a_on_b: proof,
		proofs_height_on_b: proof_height.ibc_height(),
		consensus_height_of_a_on_b,
		version,
		signer: signer(),
		proof_consensus_state_of_a: None,
	};
	let result = a.deliver(vec![ack.to_any()]);
	must(a, "conn_open_ack", result);

	// CONFIRM on B.
	let proof_height = update_client(a, b, &client_on_b);
	let proof = a.prove(&[format!("connections/{conn_on_a}")]);
	let confirm = MsgConnectionOpenConfirm {
		conn_id_on_b: conn_on_b.clone(),
		proof_conn_end_on_a: proof,
		proof_height_on_a: proof_height.ibc_height(),
		signer: signer(),
	};
	let result = b.deliver(vec![confirm.to_any()]);
	must(b, "conn_open_confirm", result);

	Connection { client_on_a, client_on_b, conn_on_a, conn_on_b }
}

/// An OPEN channel on `port` over `connection` (INIT on A, TRY on B, ACK on A, CONFIRM on B).
pub fn open_channel(
	a: &mut Chain,
	b: &mut Chain,
	connection: &Connection,
	port: PortId,
	version: &str,
	ordering: Order,
) -> ChannelPair {
	let chan_n = a.exec(ChannelCounter::<Test>::get);
	let init = MsgChannelOpenInit {
		port_id_on_a: port.clone(),
		connection_hops_on_a: vec![connection.conn_on_a.clone()],
		port_id_on_b: port.clone(),
		ordering,
		signer: signer(),
		version_proposal: ChannelVersion::new(version.to_string()),
	};
	let result = a.deliver(vec![init.to_any()]);
	must(a, "chan_open_init", result);
	let chan_on_a = ChannelId::new(chan_n);

	let proof_height = update_client(a, b, &connection.client_on_b);
	let proof = a.prove(&[format!("channelEnds/ports/{port}/channels/{chan_on_a}")]);
	let chan_n = b.exec(ChannelCounter::<Test>::get);
	#[allow(deprecated, reason = "ibc-rs keeps the field for wire compatibility")]
	let try_msg = MsgChannelOpenTry {
		port_id_on_b: port.clone(),
		connection_hops_on_b: vec![connection.conn_on_b.clone()],
		port_id_on_a: port.clone(),
		chan_id_on_a: chan_on_a.clone(),
		version_supported_on_a: ChannelVersion::new(version.to_string()),
		proof_chan_end_on_a: proof,
		proof_height_on_a: proof_height.ibc_height(),
		ordering,
		signer: signer(),
		version_proposal: ChannelVersion::empty(),
	};
	let result = b.deliver(vec![try_msg.to_any()]);
	must(b, "chan_open_try", result);
	let chan_on_b = ChannelId::new(chan_n);

	let proof_height = update_client(b, a, &connection.client_on_a);
	let proof = b.prove(&[format!("channelEnds/ports/{port}/channels/{chan_on_b}")]);
	let ack = MsgChannelOpenAck {
		port_id_on_a: port.clone(),
		chan_id_on_a: chan_on_a.clone(),
		chan_id_on_b: chan_on_b.clone(),
		version_on_b: ChannelVersion::new(version.to_string()),
		proof_chan_end_on_b: proof,
		proof_height_on_b: proof_height.ibc_height(),
		signer: signer(),
	};
	let result = a.deliver(vec![ack.to_any()]);
	must(a, "chan_open_ack", result);

	let proof_height = update_client(a, b, &connection.client_on_b);
	let proof = a.prove(&[format!("channelEnds/ports/{port}/channels/{chan_on_a}")]);
	let confirm = MsgChannelOpenConfirm {
		port_id_on_b: port.clone(),
		chan_id_on_b: chan_on_b.clone(),
		proof_chan_end_on_a: proof,
		proof_height_on_a: proof_height.ibc_height(),
		signer: signer(),
	};
	let result = b.deliver(vec![confirm.to_any()]);
	must(b, "chan_open_confirm", result);

	ChannelPair { connection: connection.clone(), port, chan_on_a, chan_on_b }
}

/// Relays the close of `src`'s end of `channel` (A = `src`, already CLOSED there): a
/// `MsgChannelCloseConfirm` to `dst` proving A's channel end.
pub fn close_confirm(src: &mut Chain, dst: &mut Chain, channel: &ChannelPair) {
	let proof_height = update_client(src, dst, &channel.connection.client_on_b);
	let proof =
		src.prove(&[format!("channelEnds/ports/{}/channels/{}", channel.port, channel.chan_on_a)]);
	let msg = MsgChannelCloseConfirm {
		port_id_on_b: channel.port.clone(),
		chan_id_on_b: channel.chan_on_b.clone(),
		proof_chan_end_on_a: proof,
		proof_height_on_a: proof_height.ibc_height(),
		signer: signer(),
	};
	let result = dst.deliver(vec![msg.to_any()]);
	must(dst, "chan_close_confirm", result);
}

/// A packet `src` sent on `channel` (A = `src`) and still waits on, rebuilt from its storage.
pub fn pending_packets(src: &mut Chain, channel: &ChannelPair) -> Vec<Packet> {
	let port = channel.port.as_str().as_bytes().to_vec();
	let chan = channel.chan_on_a.as_str().as_bytes().to_vec();
	let mut pending: Vec<(u64, PendingPacket)> = src.exec(|| {
		SentPackets::<Test>::iter()
			.filter(|((p, c, _), _)| {
				p.as_slice() == port.as_slice() && c.as_slice() == chan.as_slice()
			})
			.map(|((_, _, seq), packet)| (seq, packet))
			.collect()
	});
	pending.sort_by_key(|(seq, _)| *seq);
	pending
		.into_iter()
		.map(|(seq, p)| Packet {
			seq_on_a: Sequence::from(seq),
			port_id_on_a: channel.port.clone(),
			chan_id_on_a: channel.chan_on_a.clone(),
			port_id_on_b: channel.port.clone(),
			chan_id_on_b: channel.chan_on_b.clone(),
			data: p.data.into_inner(),
			timeout_height_on_b: match p.timeout_height {
				(0, 0) => TimeoutHeight::Never,
				(revision, height) => TimeoutHeight::At(
					Height::new(revision, height).unwrap_or_else(|e| panic!("timeout height: {e}")),
				),
			},
			timeout_timestamp_on_b: match p.timeout_timestamp_ns {
				0 => TimeoutTimestamp::Never,
				ns => TimeoutTimestamp::At(Timestamp::from_nanoseconds(ns)),
			},
		})
		.collect()
}

/// The ICS-24 path of the packet's receipt on its destination.
pub fn receipt_path(packet: &Packet) -> String {
	format!(
		"receipts/ports/{}/channels/{}/sequences/{}",
		packet.port_id_on_b, packet.chan_id_on_b, packet.seq_on_a
	)
}

/// The ICS-24 path of the next sequence the destination expects on the packet's channel
/// (what an ORDERED channel's timeout proves).
pub fn seq_recv_path(packet: &Packet) -> String {
	format!("nextSequenceRecv/ports/{}/channels/{}", packet.port_id_on_b, packet.chan_id_on_b)
}

/// Whether `chain`'s end `channel` (A side) is ORDERED.
fn ordered(chain: &mut Chain, channel: &ChannelPair) -> bool {
	let path = format!("channelEnds/ports/{}/channels/{}", channel.port, channel.chan_on_a);
	chain
		.ibc_state(&path)
		.and_then(|bytes| ChannelEnd::decode_vec(&bytes).ok())
		.is_some_and(|end| end.ordering == Order::Ordered)
}

/// The ICS-24 path of the packet's commitment on its source.
pub fn commitment_path(packet: &Packet) -> String {
	format!(
		"commitments/ports/{}/channels/{}/sequences/{}",
		packet.port_id_on_a, packet.chan_id_on_a, packet.seq_on_a
	)
}

/// The ICS-24 path of the packet's acknowledgement commitment on its destination.
pub fn ack_path(packet: &Packet) -> String {
	format!(
		"acks/ports/{}/channels/{}/sequences/{}",
		packet.port_id_on_b, packet.chan_id_on_b, packet.seq_on_a
	)
}

/// What one relaying pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Relayed {
	/// `MsgRecvPacket`s delivered to the destination.
	pub received: u32,
	/// `MsgAcknowledgement`s delivered back to the source.
	pub acknowledged: u32,
	/// `MsgTimeout`s delivered back to the source.
	pub timed_out: u32,
}

/// Has `dst` (at its latest sealed block) passed the packet's timeout?
fn timed_out(packet: &Packet, dst_latest: Sealed) -> bool {
	let by_height = match packet.timeout_height_on_b {
		TimeoutHeight::At(h) => ibc_height(dst_latest.height) >= h,
		TimeoutHeight::Never => false,
	};
	let by_time = match packet.timeout_timestamp_on_b {
		TimeoutTimestamp::At(t) => dst_latest.ibc_timestamp() >= t,
		TimeoutTimestamp::Never => false,
	};
	by_height || by_time
}

/// One relaying pass from `src` (A side of `channel`) to `dst`: every pending packet is either
/// received on `dst` (then its acknowledgement goes back) or, if `dst` is past its timeout,
/// timed out on `src` with a proof that `dst` never received it (no receipt; on an ORDERED
/// channel: `dst` still expects its sequence). An ORDERED timeout closes `src`'s end.
pub fn relay(src: &mut Chain, dst: &mut Chain, channel: &ChannelPair) -> Relayed {
	let mut done = Relayed::default();
	let packets = pending_packets(src, channel);
	if packets.is_empty() {
		return done;
	}
	let dst_latest = dst.latest();
	let (expired, live): (Vec<Packet>, Vec<Packet>) =
		packets.into_iter().partition(|p| timed_out(p, dst_latest));

	// Receive the live ones on dst (skipping any it already has).
	let live: Vec<Packet> =
		live.into_iter().filter(|p| dst.ibc_state(&receipt_path(p)).is_none()).collect();
	if !live.is_empty() {
		let proof_height = update_client(src, dst, &channel.connection.client_on_b);
		for packet in &live {
			let proof = src.prove(&[commitment_path(packet)]);
			let msg = MsgRecvPacket {
				packet: packet.clone(),
				proof_commitment_on_a: proof,
				proof_height_on_a: proof_height.ibc_height(),
				signer: signer(),
			};
			let result = dst.deliver(vec![msg.to_any()]);
			must(dst, &format!("recv_packet {}", packet.seq_on_a), result);
			done.received += 1;
		}
	}

	// Acknowledgements dst wrote go back to src.
	let acked: Vec<(Packet, Vec<u8>)> = live
		.into_iter()
		.filter_map(|p| {
			let port = p.port_id_on_b.as_str().as_bytes().to_vec();
			let chan = p.chan_id_on_b.as_str().as_bytes().to_vec();
			let seq = u64::from(p.seq_on_a);
			dst.exec(|| pallet_ibc::mock::Ibc::written_ack(&port, &chan, seq)).map(|ack| (p, ack))
		})
		.collect();
	if !acked.is_empty() {
		let proof_height = update_client(dst, src, &channel.connection.client_on_a);
		for (packet, ack) in acked {
			let proof = dst.prove(&[ack_path(&packet)]);
			let msg = MsgAcknowledgement {
				packet: packet.clone(),
				acknowledgement: Acknowledgement::try_from(ack)
					.unwrap_or_else(|e| panic!("empty acknowledgement: {e}")),
				proof_acked_on_b: proof,
				proof_height_on_b: proof_height.ibc_height(),
				signer: signer(),
			};
			let result = src.deliver(vec![msg.to_any()]);
			must(src, &format!("acknowledgement {}", packet.seq_on_a), result);
			done.acknowledged += 1;
		}
	}

	// Expired ones time out on src, proven absent on dst.
	let expired: Vec<Packet> =
		expired.into_iter().filter(|p| dst.ibc_state(&receipt_path(p)).is_none()).collect();
	if !expired.is_empty() {
		let ordered = ordered(src, channel);
		let proof_height = update_client(dst, src, &channel.connection.client_on_a);
		for packet in expired {
			let unreceived = if ordered { seq_recv_path(&packet) } else { receipt_path(&packet) };
			let proof = dst.prove(&[unreceived]);
			let msg = MsgTimeout {
				next_seq_recv_on_b: packet.seq_on_a,
				packet: packet.clone(),
				proof_unreceived_on_b: proof,
				proof_height_on_b: proof_height.ibc_height(),
				signer: signer(),
			};
			let result = src.deliver(vec![msg.to_any()]);
			must(src, &format!("timeout {}", packet.seq_on_a), result);
			done.timed_out += 1;
		}
	}
	done
}

/// Decodes a proof as [`Chain::prove`] encodes it (for tests of the harness).
pub fn decode_proof(bytes: &[u8]) -> Option<ibc_client_grandpa::proof::ChildTrieProof> {
	ibc_client_grandpa::proof::ChildTrieProof::decode_wire(bytes).ok()
}
