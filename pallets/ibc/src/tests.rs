//! Flows through `deliver` and the `IbcChannel` seam in the mock runtime.

use crate::{
	mock::*,
	pallet::{ChannelCounter, ClientCounter, ConnectionCounter, Error, Event, SentPackets},
	store,
	types::{RawAny, IBC_CHILD_TRIE, IBC_ENGINE_ID},
};
use ccv_primitives::{
	channel::{CcvIbcApp, IbcChannel, IbcId, ProviderClientFactory},
	wire::{Acknowledgement as CcvAck, CcvAckResult},
};
use codec::Decode;
use frame_support::{assert_noop, assert_ok, BoundedVec};
use ibc_core::{
	channel::types::{
		acknowledgement::Acknowledgement,
		channel::Order,
		commitment::compute_packet_commitment,
		msgs::{
			MsgAcknowledgement, MsgChannelCloseConfirm, MsgChannelCloseInit, MsgChannelOpenAck,
			MsgChannelOpenInit, MsgRecvPacket, MsgTimeout,
		},
		packet::Packet,
		timeout::{TimeoutHeight, TimeoutTimestamp},
		Version as ChanVersion,
	},
	client::types::{
		msgs::{MsgCreateClient, MsgUpdateClient},
		Height,
	},
	commitment_types::commitment::{CommitmentPrefix, CommitmentProofBytes},
	connection::types::{
		msgs::{MsgConnectionOpenAck, MsgConnectionOpenInit},
		version::Version as ConnVersion,
		Counterparty as ConnCounterparty,
	},
	host::types::identifiers::{ChannelId, ClientId, ConnectionId, PortId, Sequence},
	primitives::{proto::Any, Signer, Timestamp, ToProto},
};
use ibc_testkit::testapp::ibc::clients::mock::{
	client_state::MockClientState, consensus_state::MockConsensusState, header::MockHeader,
};
use sp_runtime::{DigestItem, DispatchError};

/// Storage weights the weight tests charge at (a real runtime's, not the mock's zero).
type Db = frame_support::weights::constants::RocksDbWeight;

pub(crate) const CLIENT: &str = "9999-mock-0";
const CONNECTION: &str = "connection-0";
const CHANNEL: &str = "channel-0";
/// Height of the counterparty at which our mock client of it is created (proofs are "at" it).
pub(crate) const CP_HEIGHT: u64 = 5;

pub(crate) fn signer() -> Signer {
	Signer::from("relayer".to_string())
}

pub(crate) fn proof() -> CommitmentProofBytes {
	CommitmentProofBytes::try_from(vec![1u8]).unwrap()
}

pub(crate) fn h(n: u64) -> Height {
	Height::new(0, n).unwrap()
}

pub(crate) fn now() -> Timestamp {
	Timestamp::from_nanoseconds(pallet_timestamp::Now::<Test>::get() * 1_000_000)
}

fn raw(any: Any) -> RawAny {
	RawAny::from_any(any).unwrap()
}

pub(crate) fn deliver(msgs: Vec<Any>) -> sp_runtime::DispatchResult {
	let batch: BoundedVec<RawAny, _> =
		msgs.into_iter().map(raw).collect::<Vec<_>>().try_into().unwrap();
	Ibc::deliver(RuntimeOrigin::signed(ALICE), batch)
}

pub(crate) fn mock_header(height: u64) -> MockHeader {
	MockHeader::new(h(height)).with_timestamp(now())
}

pub(crate) fn create_client_msg() -> Any {
	MsgCreateClient {
		client_state: MockClientState::new(mock_header(CP_HEIGHT)).into(),
		consensus_state: MockConsensusState::new(mock_header(CP_HEIGHT)).into(),
		signer: signer(),
	}
	.to_any()
}

pub(crate) fn conn_open_init_msg(client: &str) -> Any {
	MsgConnectionOpenInit {
		client_id_on_a: client.parse().unwrap(),
		counterparty: ConnCounterparty::new(
			"9999-mock-7".parse().unwrap(),
			None,
			CommitmentPrefix::from_bytes(IBC_CHILD_TRIE),
		),
		version: None,
		delay_period: core::time::Duration::ZERO,
		signer: signer(),
	}
	.to_any()
}

pub(crate) fn conn_open_ack_msg(consensus_height_of_us: u64) -> Any {
	MsgConnectionOpenAck {
		conn_id_on_a: ConnectionId::new(0),
		conn_id_on_b: ConnectionId::new(3),
		client_state_of_a_on_b: MockClientState::new(mock_header(1)).into(),
		proof_conn_end_on_b: proof(),
		proof_client_state_of_a_on_b: proof(),
		proof_consensus_state_of_a_on_b: proof(),
		proofs_height_on_b: h(CP_HEIGHT),
		consensus_height_of_a_on_b: h(consensus_height_of_us),
		version: ConnVersion::compatibles().into_iter().next().unwrap(),
		signer: signer(),
		proof_consensus_state_of_a: None,
	}
	.to_any()
}

fn chan_open_init_msg(version: &str) -> Any {
	MsgChannelOpenInit {
		port_id_on_a: "test".parse().unwrap(),
		connection_hops_on_a: vec![ConnectionId::new(0)],
		port_id_on_b: "test".parse().unwrap(),
		ordering: Order::Ordered,
		signer: signer(),
		version_proposal: ChanVersion::new(version.to_string()),
	}
	.to_any()
}

fn chan_open_ack_msg() -> Any {
	MsgChannelOpenAck {
		port_id_on_a: "test".parse().unwrap(),
		chan_id_on_a: ChannelId::new(0),
		chan_id_on_b: ChannelId::new(5),
		version_on_b: ChanVersion::new("1".to_string()),
		proof_chan_end_on_b: proof(),
		proof_height_on_b: h(CP_HEIGHT),
		signer: signer(),
	}
	.to_any()
}

pub(crate) fn child(path: &str) -> Option<Vec<u8>> {
	Ibc::ibc_state(path.as_bytes())
}

fn init_calls() -> u32 {
	frame_support::storage::unhashed::get_or_default(INIT_CALLS)
}

/// Client, connection (INIT at block 1, OPEN at block 2) and an OPEN ordered channel on `test`.
fn open_channel() {
	assert_ok!(deliver(vec![create_client_msg(), conn_open_init_msg(CLIENT)]));
	next_block();
	assert_ok!(deliver(vec![conn_open_ack_msg(1)]));
	assert_ok!(deliver(vec![chan_open_init_msg("1"), chan_open_ack_msg()]));
}

fn channel_id() -> IbcId {
	IbcId::try_from(CHANNEL.as_bytes().to_vec()).unwrap()
}

#[test]
fn create_client_writes_raw_ics24_paths() {
	new_test_ext().execute_with(|| {
		assert_ok!(deliver(vec![create_client_msg()]));
		assert_eq!(ClientCounter::<Test>::get(), 1);
		let cs = child(&format!("clients/{CLIENT}/clientState")).expect("client state stored");
		// Raw protobuf `Any`, not SCALE: it decodes with prost and carries the mock type URL.
		let any = <Any as prost::Message>::decode(cs.as_slice()).unwrap();
		assert_eq!(any.type_url, "/ibc.mock.ClientState");
		assert!(child(&format!("clients/{CLIENT}/consensusStates/0-{CP_HEIGHT}")).is_some());
		// ibc-rs events become pallet events.
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::Ibc(Event::IbcEvent { event }) if event.kind == b"create_client"
		)));
	});
}

#[test]
fn handshake_send_recv_and_ack() {
	new_test_ext().execute_with(|| {
		open_channel();
		assert_eq!(ConnectionCounter::<Test>::get(), 1);
		assert_eq!(ChannelCounter::<Test>::get(), 1);
		assert!(child(&format!("connections/{CONNECTION}")).is_some());
		assert!(child(&format!("channelEnds/ports/test/channels/{CHANNEL}")).is_some());
		// The app ran once for real: the validation pass was rolled back.
		assert_eq!(init_calls(), 1);
		// The adapter described the channel, resolving the client under the connection.
		type Open = (Vec<u8>, Vec<Vec<u8>>, Vec<u8>, bool);
		let open: Open = frame_support::storage::unhashed::get(LAST_OPEN).unwrap();
		assert_eq!(
			open,
			(CLIENT.into(), vec![CONNECTION.as_bytes().to_vec()], b"test".to_vec(), true)
		);

		// Send through the seam the CCV pallets use.
		let timeout_ms = GENESIS_MS + 3_600_000;
		let seq =
			<Ibc as IbcChannel>::send_packet(b"test", &channel_id(), b"hello".to_vec(), timeout_ms)
				.unwrap();
		assert_eq!(seq, 1);
		let commitment = child(&format!("commitments/ports/test/channels/{CHANNEL}/sequences/1"))
			.expect("commitment at its ICS-24 path");
		let expected = compute_packet_commitment(
			b"hello",
			&TimeoutHeight::Never,
			&TimeoutTimestamp::At(Timestamp::from_nanoseconds(timeout_ms * 1_000_000)),
		);
		assert_eq!(commitment, expected.into_vec());
		assert_eq!(
			child(&format!("nextSequenceSend/ports/test/channels/{CHANNEL}")),
			Some(2u64.to_be_bytes().to_vec())
		);
		let key = (BoundedVec::try_from(b"test".to_vec()).unwrap(), channel_id(), 1u64);
		let pending = SentPackets::<Test>::get(&key).unwrap();
		assert_eq!(pending.data.to_vec(), b"hello".to_vec());
		assert_eq!(pending.destination_channel.to_vec(), b"channel-5".to_vec());
		assert_eq!(pending.timeout_timestamp_ns, timeout_ms * 1_000_000);

		// Receive a packet from the counterparty: the app's ack is written at its path.
		let incoming = Packet {
			seq_on_a: Sequence::from(1),
			port_id_on_a: PortId::new("test".to_string()).unwrap(),
			chan_id_on_a: ChannelId::new(5),
			port_id_on_b: PortId::new("test".to_string()).unwrap(),
			chan_id_on_b: ChannelId::new(0),
			data: b"vsc".to_vec(),
			timeout_height_on_b: TimeoutHeight::Never,
			timeout_timestamp_on_b: TimeoutTimestamp::At(Timestamp::from_nanoseconds(
				timeout_ms * 1_000_000,
			)),
		};
		assert_ok!(deliver(vec![MsgRecvPacket {
			packet: incoming,
			proof_commitment_on_a: proof(),
			proof_height_on_a: h(CP_HEIGHT),
			signer: signer(),
		}
		.to_any()]));
		let received: Vec<u8> = frame_support::storage::unhashed::get(RECEIVED).unwrap();
		assert_eq!(received, b"vsc".to_vec());
		assert!(child(&format!("acks/ports/test/channels/{CHANNEL}/sequences/1")).is_some());
		// The ack bytes stay queryable for relayers (the trie holds their hash).
		assert_eq!(
			Ibc::written_ack(b"test", CHANNEL.as_bytes(), 1),
			Some(CcvAck::ccv(CcvAckResult::V1).encode_json())
		);

		// The counterparty acknowledges our packet: commitment and kept data are gone.
		let ours = Packet {
			seq_on_a: Sequence::from(1),
			port_id_on_a: PortId::new("test".to_string()).unwrap(),
			chan_id_on_a: ChannelId::new(0),
			port_id_on_b: PortId::new("test".to_string()).unwrap(),
			chan_id_on_b: ChannelId::new(5),
			data: b"hello".to_vec(),
			timeout_height_on_b: TimeoutHeight::Never,
			timeout_timestamp_on_b: TimeoutTimestamp::At(Timestamp::from_nanoseconds(
				timeout_ms * 1_000_000,
			)),
		};
		let ack = Acknowledgement::try_from(CcvAck::ccv(CcvAckResult::V1).encode_json()).unwrap();
		assert_ok!(deliver(vec![MsgAcknowledgement {
			packet: ours,
			acknowledgement: ack,
			proof_acked_on_b: proof(),
			proof_height_on_b: h(CP_HEIGHT),
			signer: signer(),
		}
		.to_any()]));
		assert!(child(&format!("commitments/ports/test/channels/{CHANNEL}/sequences/1")).is_none());
		assert!(SentPackets::<Test>::get(&key).is_none());
		assert_eq!(frame_support::storage::unhashed::get::<u64>(ACKED), Some(1));
		assert_ok!(Ibc::do_try_state());
	});
}

#[test]
fn on_finalize_writes_digest_and_ring_buffer() {
	new_test_ext().execute_with(|| {
		assert_ok!(deliver(vec![create_client_msg()]));
		let root_1 = store::root();
		let ts_1 = now().nanoseconds();
		use frame_support::traits::OnFinalize;
		Ibc::on_finalize(1);
		// The digest carries (timestamp_ns, ibc_root), SCALE-encoded, under our engine id.
		let digest = System::digest();
		let item = digest
			.logs()
			.iter()
			.find_map(|d| match d {
				DigestItem::Consensus(id, data) if *id == IBC_ENGINE_ID => Some(data.clone()),
				_ => None,
			})
			.expect("ibc digest item");
		let (ts, root) = <(u64, [u8; 32])>::decode(&mut &item[..]).unwrap();
		assert_eq!(ts, ts_1);
		assert_eq!(root.to_vec(), root_1);
		let rec = Ibc::host_record(1).unwrap();
		assert_eq!((rec.timestamp_ns, rec.ibc_root), (ts, root));

		// A write changes the root; the ring buffer keeps the last HostHistory (3) records.
		start_block(2);
		assert_ok!(deliver(vec![conn_open_init_msg(CLIENT)]));
		for _ in 0..4 {
			next_block();
		}
		// Blocks 2..=5 finalized; 1 and 2 are overwritten, 3..=5 kept.
		assert!(Ibc::host_record(1).is_none());
		assert!(Ibc::host_record(2).is_none());
		for n in 3..=5 {
			assert_eq!(Ibc::host_record(n).unwrap().height, n);
		}
		assert_ne!(Ibc::host_record(5).unwrap().ibc_root, root);
		assert_ok!(Ibc::do_try_state());
	});
}

#[test]
fn host_consensus_state_comes_from_the_ring_buffer() {
	new_test_ext().execute_with(|| {
		assert_ok!(deliver(vec![create_client_msg(), conn_open_init_msg(CLIENT)]));
		next_block();
		// Height 2 is the current block: not finalized, no record yet.
		assert_noop!(deliver(vec![conn_open_ack_msg(2)]), Error::<Test>::ConnectionError);
		assert_ok!(deliver(vec![conn_open_ack_msg(1)]));
	});
}

#[test]
fn failing_message_leaves_storage_untouched() {
	new_test_ext().execute_with(|| {
		assert_ok!(deliver(vec![create_client_msg()]));
		let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
		// Second message refers to an unknown client: the whole batch fails.
		assert_noop!(
			deliver(vec![conn_open_init_msg(CLIENT), conn_open_init_msg("9999-mock-9")]),
			Error::<Test>::ConnectionError
		);
		assert_eq!(ConnectionCounter::<Test>::get(), 0);
		assert!(child(&format!("connections/{CONNECTION}")).is_none());
		assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), before);
		// Garbage is refused before ibc-rs sees it.
		let junk = Any { type_url: "/nope".into(), value: vec![1, 2, 3] };
		assert_noop!(deliver(vec![junk]), Error::<Test>::InvalidMessage);
		let bad_value =
			Any { type_url: "/ibc.core.client.v1.MsgCreateClient".into(), value: vec![0xff; 7] };
		assert_noop!(deliver(vec![bad_value]), Error::<Test>::InvalidMessage);
		// Unsigned origins cannot deliver.
		assert_noop!(
			Ibc::deliver(RuntimeOrigin::none(), BoundedVec::default()),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn app_refusal_fails_the_message_and_dry_runs_roll_back() {
	new_test_ext().execute_with(|| {
		assert_ok!(deliver(vec![create_client_msg(), conn_open_init_msg(CLIENT)]));
		next_block();
		assert_ok!(deliver(vec![conn_open_ack_msg(1)]));
		assert_noop!(deliver(vec![chan_open_init_msg("2")]), Error::<Test>::ChannelError);
		assert_eq!(init_calls(), 0);
		// No app bound to the port: a routing error.
		let mut msg = chan_open_init_msg("1");
		msg = {
			let mut m: MsgChannelOpenInit = ibc_core::primitives::proto::Protobuf::<
				ibc_core::channel::types::proto::v1::MsgChannelOpenInit,
			>::decode_vec(&msg.value)
			.unwrap();
			m.port_id_on_a = "other".parse().unwrap();
			m.to_any()
		};
		assert!(deliver(vec![msg]).is_err());
	});
}

#[test]
fn seam_errors() {
	new_test_ext().execute_with(|| {
		// No channel yet.
		assert_eq!(
			<Ibc as IbcChannel>::send_packet(b"test", &channel_id(), vec![1], GENESIS_MS + 60_000),
			Err(ccv_primitives::channel::ChannelError::ChannelNotOpen)
		);
		// Provider client from encoded Anys (as in a consumer genesis).
		let cs: Any = MockClientState::new(mock_header(CP_HEIGHT)).into();
		let cons: Any = MockConsensusState::new(mock_header(CP_HEIGHT)).into();
		let id = <Ibc as ProviderClientFactory>::create_provider_client(
			&prost::Message::encode_to_vec(&cs),
			&prost::Message::encode_to_vec(&cons),
		)
		.unwrap();
		assert_eq!(id.to_vec(), CLIENT.as_bytes().to_vec());
		assert!(ClientId::new("9999-mock", 0).is_ok());
		assert!(<Ibc as ProviderClientFactory>::create_provider_client(b"junk", b"junk").is_err());
		assert_eq!(ClientCounter::<Test>::get(), 1);
	});
}

#[test]
fn update_client_then_timeout_closes_ordered_channel() {
	new_test_ext().execute_with(|| {
		open_channel();
		let timeout_ms = GENESIS_MS + 3_600_000;
		let seq =
			<Ibc as IbcChannel>::send_packet(b"test", &channel_id(), b"late".to_vec(), timeout_ms)
				.unwrap();
		// Time passes on both chains; the counterparty moves past the timeout: update our client
		// of it to height 6 (the mock client wants its consensus time <= our time).
		next_block();
		pallet_timestamp::Now::<Test>::put(timeout_ms + 120_000);
		let later = Timestamp::from_nanoseconds((timeout_ms + 60_000) * 1_000_000);
		let header: Any = MockHeader::new(h(CP_HEIGHT + 1)).with_timestamp(later).into();
		assert_ok!(deliver(vec![MsgUpdateClient {
			client_id: CLIENT.parse().unwrap(),
			client_message: header,
			signer: signer(),
		}
		.to_any()]));
		assert!(child(&format!("clients/{CLIENT}/consensusStates/0-{}", CP_HEIGHT + 1)).is_some());

		let packet = Packet {
			seq_on_a: Sequence::from(seq),
			port_id_on_a: PortId::new("test".to_string()).unwrap(),
			chan_id_on_a: ChannelId::new(0),
			port_id_on_b: PortId::new("test".to_string()).unwrap(),
			chan_id_on_b: ChannelId::new(5),
			data: b"late".to_vec(),
			timeout_height_on_b: TimeoutHeight::Never,
			timeout_timestamp_on_b: TimeoutTimestamp::At(Timestamp::from_nanoseconds(
				timeout_ms * 1_000_000,
			)),
		};
		// Proven at the old height the packet had not timed out yet: refused.
		let at = |height| {
			MsgTimeout {
				packet: packet.clone(),
				next_seq_recv_on_b: Sequence::from(seq),
				proof_unreceived_on_b: proof(),
				proof_height_on_b: h(height),
				signer: signer(),
			}
			.to_any()
		};
		assert_noop!(deliver(vec![at(CP_HEIGHT)]), Error::<Test>::ChannelError);
		assert_ok!(deliver(vec![at(CP_HEIGHT + 1)]));
		assert!(child(&format!("commitments/ports/test/channels/{CHANNEL}/sequences/1")).is_none());
		assert!(
			Ibc::pending_packets(b"test".to_vec(), CHANNEL.as_bytes().to_vec(), 1, 10).is_empty()
		);
		// ORDERED: a timeout closes the channel, so nothing more can be sent.
		assert_eq!(
			<Ibc as IbcChannel>::send_packet(b"test", &channel_id(), vec![1], timeout_ms),
			Err(ccv_primitives::channel::ChannelError::ChannelNotOpen)
		);
		// The app was told of the timeout while the channel was still open, and of nothing
		// else: the timeout is its only notice of the close.
		let timed_out: Option<(u64, bool)> = frame_support::storage::unhashed::get(TIMED_OUT);
		assert_eq!(timed_out, Some((seq, true)));
		assert!(!frame_support::storage::unhashed::exists(CLOSE_CONFIRMED));
	});
}

#[test]
fn close_confirm_tells_the_app_then_closes_our_end() {
	new_test_ext().execute_with(|| {
		open_channel();
		// The counterparty closed its end (the mock client accepts the proof).
		let confirm = || {
			MsgChannelCloseConfirm {
				port_id_on_b: "test".parse().unwrap(),
				chan_id_on_b: ChannelId::new(0),
				proof_chan_end_on_a: proof(),
				proof_height_on_a: h(CP_HEIGHT),
				signer: signer(),
			}
			.to_any()
		};
		// Refused by the app: the message fails and our end stays open.
		frame_support::storage::unhashed::put(REFUSE_CLOSE, &true);
		assert_noop!(deliver(vec![confirm()]), Error::<Test>::ChannelError);
		frame_support::storage::unhashed::kill(REFUSE_CLOSE);
		assert!(<Ibc as IbcChannel>::send_packet(
			b"test",
			&channel_id(),
			vec![1],
			GENESIS_MS + 60_000
		)
		.is_ok());

		assert_ok!(deliver(vec![confirm()]));
		// Told while our end was still open; closed after.
		let confirmed: Option<(Vec<u8>, bool)> =
			frame_support::storage::unhashed::get(CLOSE_CONFIRMED);
		assert_eq!(confirmed, Some((CHANNEL.as_bytes().to_vec(), true)));
		assert_eq!(
			<Ibc as IbcChannel>::send_packet(b"test", &channel_id(), vec![1], GENESIS_MS + 60_000),
			Err(ccv_primitives::channel::ChannelError::ChannelNotOpen)
		);
		// Closed already: a second confirm fails.
		assert_noop!(deliver(vec![confirm()]), Error::<Test>::ChannelError);
	});
}

#[test]
fn seam_close_and_transfer_channel() {
	new_test_ext().execute_with(|| {
		open_channel();
		assert_eq!(
			Ibc::pending_packets(b"test".to_vec(), CHANNEL.as_bytes().to_vec(), 0, 10).len(),
			0
		);
		<Ibc as IbcChannel>::send_packet(
			b"test",
			&channel_id(),
			b"x".to_vec(),
			GENESIS_MS + 60_000,
		)
		.unwrap();
		let pending = Ibc::pending_packets(b"test".to_vec(), CHANNEL.as_bytes().to_vec(), 0, 10);
		assert_eq!(pending.len(), 1);
		assert_ok!(Ibc::do_try_state());
		assert_eq!(pending[0].0, 1);
		// The ICS-20 app is bound to `transfer`: the host starts its handshake (INIT, `ics20-1`).
		let conn = IbcId::try_from(CONNECTION.as_bytes().to_vec()).unwrap();
		let transfer = <Ibc as IbcChannel>::open_transfer_channel(&conn).unwrap();
		assert_eq!(transfer.to_vec(), b"channel-1".to_vec());
		assert_eq!(ChannelCounter::<Test>::get(), 2);
		assert!(child("channelEnds/ports/transfer/channels/channel-1").is_some());
		// On an unknown connection: refused, nothing written.
		let unknown = IbcId::try_from(b"connection-9".to_vec()).unwrap();
		assert!(<Ibc as IbcChannel>::open_transfer_channel(&unknown).is_err());
		assert_eq!(ChannelCounter::<Test>::get(), 2);
		// A relayed MsgChannelCloseInit cannot close a CCV channel.
		let close = MsgChannelCloseInit {
			port_id_on_a: "test".parse().unwrap(),
			chan_id_on_a: ChannelId::new(0),
			signer: signer(),
		}
		.to_any();
		assert_noop!(deliver(vec![close]), Error::<Test>::ChannelError);
		// Closing our end through the seam.
		assert_ok!(<Ibc as IbcChannel>::close_channel(b"test", &channel_id()));
		assert_eq!(
			<Ibc as IbcChannel>::send_packet(b"test", &channel_id(), vec![1], GENESIS_MS + 60_000),
			Err(ccv_primitives::channel::ChannelError::ChannelNotOpen)
		);
		assert!(<Ibc as IbcChannel>::host_client_state().is_err());
		assert!(!crate::pallet::HostInitiatedClose::<Test>::get());
	});
}

/// Malformed and oversized `deliver` input: refused at SCALE decoding (bounds) or with
/// `InvalidMessage` before ibc-rs runs, never a panic, storage untouched.
mod malformed {
	use super::*;
	use crate::types::{MAX_MESSAGE_LEN, MAX_TYPE_URL_LEN};
	use codec::{DecodeLimit, Encode};
	use frame_support::traits::Get;

	fn max_messages() -> usize {
		<<Test as crate::Config>::MaxMessages as Get<u32>>::get() as usize
	}

	fn raw_any(type_url: &[u8], value: Vec<u8>) -> RawAny {
		RawAny { type_url: type_url.to_vec().try_into().unwrap(), value: value.try_into().unwrap() }
	}

	fn deliver_raw(msgs: Vec<RawAny>) -> sp_runtime::DispatchResult {
		Ibc::deliver(RuntimeOrigin::signed(ALICE), msgs.try_into().unwrap())
	}

	/// Decodes an extrinsic's call the way the executive does (depth-limited).
	fn decode_call(bytes: &[u8]) -> Result<RuntimeCall, codec::Error> {
		RuntimeCall::decode_with_depth_limit(frame_support::MAX_EXTRINSIC_DEPTH, &mut &bytes[..])
	}

	/// The SCALE bytes of `deliver` with `messages` (whatever their number and sizes).
	fn deliver_call_bytes(messages: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
		let empty = RuntimeCall::Ibc(crate::Call::deliver { messages: Default::default() });
		let mut bytes = empty.encode();
		// Pallet index, call index, then the batch (an empty one is a single compact 0).
		assert_eq!(bytes.pop(), Some(0));
		bytes.extend(messages.to_vec().encode());
		bytes
	}

	#[test]
	fn a_batch_longer_than_max_messages_does_not_decode() {
		let max = max_messages();
		let message = (b"/ibc.core.client.v1.MsgCreateClient".to_vec(), vec![1u8; 4]);
		assert!(decode_call(&deliver_call_bytes(&vec![message.clone(); max])).is_ok());
		assert!(decode_call(&deliver_call_bytes(&vec![message.clone(); max + 1])).is_err());
		// A length prefix claiming a huge batch with no data behind it.
		let mut bytes = deliver_call_bytes(&[]);
		bytes.pop();
		bytes.extend(codec::Compact(u32::MAX).encode());
		assert!(decode_call(&bytes).is_err());
		// The bounded type refuses it too.
		let too_many: Result<BoundedVec<RawAny, <Test as crate::Config>::MaxMessages>, _> =
			vec![raw_any(&message.0, message.1); max + 1].try_into();
		assert!(too_many.is_err());
	}

	#[test]
	fn an_oversized_value_or_type_url_does_not_decode() {
		let url = b"/ibc.core.client.v1.MsgUpdateClient".to_vec();
		let at_limit = vec![0u8; MAX_MESSAGE_LEN as usize];
		let over = vec![0u8; MAX_MESSAGE_LEN as usize + 1];
		assert!(decode_call(&deliver_call_bytes(&[(url.clone(), at_limit)])).is_ok());
		assert!(decode_call(&deliver_call_bytes(&[(url.clone(), over.clone())])).is_err());
		let long_url = vec![b'a'; MAX_TYPE_URL_LEN as usize + 1];
		assert!(decode_call(&deliver_call_bytes(&[(long_url.clone(), vec![])])).is_err());
		// Nor can they be built from an `Any`.
		let url_string = String::from_utf8(url).unwrap();
		assert!(RawAny::from_any(Any { type_url: url_string, value: over }).is_none());
		let long_url = String::from_utf8(long_url).unwrap();
		assert!(RawAny::from_any(Any { type_url: long_url, value: vec![] }).is_none());
		// The largest batch has a finite weight, linear in its size.
		let max = max_messages();
		let biggest =
			raw_any(&[b'a'; MAX_TYPE_URL_LEN as usize], vec![0u8; MAX_MESSAGE_LEN as usize]);
		let one = crate::deliver_weight::deliver::<(), Db, ()>(core::slice::from_ref(&biggest));
		let all = crate::deliver_weight::deliver::<(), Db, ()>(&vec![biggest; max]);
		assert_eq!(all.ref_time(), one.ref_time() * max as u64);
		assert!(all.ref_time() < u64::MAX);
	}

	#[test]
	fn a_maximal_value_of_garbage_is_refused_without_changes() {
		new_test_ext().execute_with(|| {
			assert_ok!(deliver(vec![create_client_msg()]));
			let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
			let garbage = vec![0xffu8; MAX_MESSAGE_LEN as usize];
			for url in super::robustness::TYPE_URLS {
				assert_noop!(
					deliver_raw(vec![raw_any(url.as_bytes(), garbage.clone())]),
					Error::<Test>::InvalidMessage
				);
			}
			assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), before);
		});
	}

	#[test]
	fn unknown_or_non_utf8_type_urls_are_invalid() {
		new_test_ext().execute_with(|| {
			let value = create_client_msg().value;
			let urls: [&[u8]; 10] = [
				b"",
				b"/ibc.core.client.v1.MsgCreateClientX",
				b"ibc.core.client.v1.MsgCreateClient",
				b"/IBC.CORE.CLIENT.V1.MSGCREATECLIENT",
				// Light-client payloads are not messages.
				b"/ibc.mock.ClientState",
				b"/frame_ics.lightclients.grandpa.v1.Header",
				// Not routed by ibc-rs 0.57.
				b"/ibc.core.client.v1.MsgRecoverClient",
				b"/ibc.applications.transfer.v1.MsgTransfer",
				b"/ibc.core.client.v1.MsgCreate\xffClient",
				&[0xc3, 0x28],
			];
			for url in urls {
				assert_noop!(
					deliver_raw(vec![raw_any(url, value.clone())]),
					Error::<Test>::InvalidMessage
				);
			}
			// A valid message still goes through with the same bytes.
			assert_ok!(deliver_raw(vec![raw_any(b"/ibc.core.client.v1.MsgCreateClient", value)]));
		});
	}

	#[test]
	fn truncated_and_empty_protobuf_is_invalid() {
		new_test_ext().execute_with(|| {
			assert_ok!(deliver(vec![create_client_msg(), conn_open_init_msg(CLIENT)]));
			next_block();
			let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
			for msg in [create_client_msg(), conn_open_ack_msg(1)] {
				let url = msg.type_url.as_bytes();
				// Every strict prefix of a valid encoding. Cut inside a field (or before a
				// required one) it does not decode: `InvalidMessage`, nothing changed. Cut at
				// the boundary before an optional trailing field (the signer) it is a valid,
				// shorter message, which is not delivered here.
				let mut refused = 0;
				for len in 0..msg.value.len() {
					let truncated =
						Any { type_url: msg.type_url.clone(), value: msg.value[..len].to_vec() };
					if ibc_core::handler::types::msgs::MsgEnvelope::try_from(truncated.clone())
						.is_ok()
					{
						continue;
					}
					assert_noop!(
						deliver_raw(vec![RawAny::from_any(truncated).unwrap()]),
						Error::<Test>::InvalidMessage
					);
					refused += 1;
				}
				assert!(refused + 2 >= msg.value.len(), "{refused} of {}", msg.value.len());
				// A valid message followed by a truncated field (tag with no value).
				let mut trailing = msg.value.clone();
				trailing.push(0x0a);
				assert_noop!(
					deliver_raw(vec![raw_any(url, trailing)]),
					Error::<Test>::InvalidMessage
				);
			}
			assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), before);
			// Empty values decode to a message with missing fields: refused before ibc-rs.
			assert_noop!(
				deliver_raw(vec![raw_any(b"/ibc.core.channel.v1.MsgRecvPacket", vec![])]),
				Error::<Test>::InvalidMessage
			);
		});
	}

	#[test]
	fn a_bad_message_anywhere_voids_the_whole_batch() {
		new_test_ext().execute_with(|| {
			let max = max_messages();
			let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
			let good = RawAny::from_any(create_client_msg()).unwrap();
			let bad = raw_any(b"/nope", vec![1]);
			for position in 0..max {
				let mut batch = vec![good.clone(); max];
				batch[position] = bad.clone();
				assert_noop!(deliver_raw(batch), Error::<Test>::InvalidMessage);
			}
			assert_eq!(ClientCounter::<Test>::get(), 0);
			assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), before);
			// A full batch of valid messages is accepted.
			assert_ok!(deliver_raw(vec![good; max]));
			assert_eq!(ClientCounter::<Test>::get(), max as u64);
		});
	}

	#[test]
	fn an_empty_batch_is_a_no_op_success() {
		new_test_ext().execute_with(|| {
			assert_ok!(deliver_raw(vec![]));
			System::assert_last_event(Event::Delivered { relayer: ALICE, count: 0 }.into());
		});
	}
}

mod robustness {
	use super::*;
	use proptest::prelude::*;

	pub(super) const TYPE_URLS: &[&str] = &[
		"/ibc.core.client.v1.MsgCreateClient",
		"/ibc.core.client.v1.MsgUpdateClient",
		"/ibc.core.client.v1.MsgSubmitMisbehaviour",
		"/ibc.core.connection.v1.MsgConnectionOpenInit",
		"/ibc.core.connection.v1.MsgConnectionOpenTry",
		"/ibc.core.connection.v1.MsgConnectionOpenAck",
		"/ibc.core.connection.v1.MsgConnectionOpenConfirm",
		"/ibc.core.channel.v1.MsgChannelOpenInit",
		"/ibc.core.channel.v1.MsgChannelOpenTry",
		"/ibc.core.channel.v1.MsgChannelOpenAck",
		"/ibc.core.channel.v1.MsgChannelCloseInit",
		"/ibc.core.channel.v1.MsgRecvPacket",
		"/ibc.core.channel.v1.MsgAcknowledgement",
		"/ibc.core.channel.v1.MsgTimeout",
	];

	fn message() -> impl Strategy<Value = Any> {
		(
			prop_oneof![
				3 => proptest::sample::select(TYPE_URLS).prop_map(str::to_string),
				1 => "[ -~]{0,40}",
			],
			proptest::collection::vec(any::<u8>(), 0..300),
		)
			.prop_map(|(type_url, value)| Any { type_url, value })
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(300))]

		/// Arbitrary `deliver` input on a chain with an open channel: never a panic, and a
		/// refused batch changes no storage at all.
		#[test]
		fn arbitrary_batches_are_atomic(batch in proptest::collection::vec(message(), 1..4)) {
			new_test_ext().execute_with(|| {
				open_channel();
				let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
				if deliver(batch).is_err() {
					assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), before);
				}
			});
		}
	}
}

#[test]
fn written_acks_are_a_bounded_ring() {
	new_test_ext().execute_with(|| {
		let key = |seq: u64| (BoundedVec::try_from(b"test".to_vec()).unwrap(), channel_id(), seq);
		for seq in 1..=3u64 {
			Ibc::keep_written_ack(key(seq), &[seq as u8]);
		}
		// AckHistory = 2: the oldest was evicted.
		assert_eq!(Ibc::written_ack(b"test", CHANNEL.as_bytes(), 1), None);
		assert_eq!(Ibc::written_ack(b"test", CHANNEL.as_bytes(), 2), Some(vec![2]));
		assert_eq!(Ibc::written_ack(b"test", CHANNEL.as_bytes(), 3), Some(vec![3]));
		assert_eq!(crate::pallet::WrittenAcks::<Test>::iter().count(), 2);
	});
}

/// What the counterparty's light client will do with a relayer's `state_getChildReadProof`:
/// verify it against the `ibc_root` of our digest with `sp_trie` alone (no_std-capable), keys
/// being the raw ICS-24 paths.
#[test]
fn child_trie_proofs_verify_against_the_digest_root() {
	use sp_runtime::traits::BlakeTwo256;
	use sp_trie::LayoutV1;

	let mut ext = new_test_ext();
	let path = format!("commitments/ports/test/channels/{CHANNEL}/sequences/1");
	let absent = format!("commitments/ports/test/channels/{CHANNEL}/sequences/2");
	let commitment = ext.execute_with(|| {
		open_channel();
		<Ibc as IbcChannel>::send_packet(
			b"test",
			&channel_id(),
			b"hi".to_vec(),
			GENESIS_MS + 60_000,
		)
		.unwrap();
		use frame_support::traits::OnFinalize;
		Ibc::on_finalize(System::block_number());
		child(&path).unwrap()
	});
	ext.commit_all().unwrap();
	let root =
		ext.execute_with(|| Ibc::host_record(System::block_number().into()).unwrap().ibc_root);
	let backend = ext.as_backend();
	let proof = sp_state_machine::prove_child_read(
		backend,
		&store::child_info(),
		[path.as_bytes(), absent.as_bytes()],
	)
	.unwrap();

	let db = proof.into_memory_db::<BlakeTwo256>();
	let root = sp_core::H256(root);
	let read = |key: &str| {
		sp_trie::read_trie_value::<LayoutV1<BlakeTwo256>, _>(&db, &root, key.as_bytes(), None, None)
	};
	// Membership: the raw 32-byte commitment at the raw path.
	assert_eq!(read(&path).unwrap(), Some(commitment));
	// Non-membership: the same proof shows the next sequence is absent.
	assert_eq!(read(&absent).unwrap(), None);
	// A wrong root does not verify.
	let wrong = sp_core::H256([7u8; 32]);
	assert!(sp_trie::read_trie_value::<LayoutV1<BlakeTwo256>, _>(
		&db,
		&wrong,
		path.as_bytes(),
		None,
		None
	)
	.is_err());
}

/// A GRANDPA client of the test chain (`chain_id`) at `latest_height` in set `set_id`.
fn grandpa_client_of_host(
	chain_id: &[u8],
	latest_height: u32,
	set_id: u64,
) -> ibc_client_grandpa::ClientState {
	let key = sp_core::ed25519::Public::from_raw([7; 32]);
	let set = ibc_client_grandpa::types::AuthoritySet::new(set_id, [(key.into(), 1)]).unwrap();
	let mut client =
		ibc_client_grandpa::ClientState::from_genesis_authorities(chain_id, set, 3_600, 4).unwrap();
	client.latest_height = latest_height;
	client
}

#[test]
fn a_grandpa_client_of_this_host_is_checked_against_chain_id_height_and_set_id() {
	use ibc_core::host::ValidationContext;
	new_test_ext().execute_with(|| {
		set_host_chain(b"chain-a", 1);
		for _ in 0..4 {
			next_block();
		}
		// Block 5 is being built.
		let ctx = crate::IbcContext::<Test>::new();
		let check = |client: ibc_client_grandpa::ClientState| {
			ctx.validate_self_client(TestClientState::Grandpa(client))
		};
		assert!(check(grandpa_client_of_host(b"chain-a", 5, 1)).is_ok());
		assert!(check(grandpa_client_of_host(b"chain-a", 0, 0)).is_ok(), "lagging is fine");
		assert!(check(grandpa_client_of_host(b"chain-b", 5, 1)).is_err(), "another chain");
		assert!(check(grandpa_client_of_host(b"chain-a", 6, 1)).is_err(), "ahead of the host");
		assert!(check(grandpa_client_of_host(b"chain-a", 5, 2)).is_err(), "a future set");
		let mut frozen = grandpa_client_of_host(b"chain-a", 5, 1);
		frozen.freeze(3);
		assert!(check(frozen).is_err(), "frozen");
	});
}

#[test]
fn the_host_consensus_state_is_the_grandpa_state_of_the_sealed_block() {
	use ibc_core::host::ValidationContext;
	new_test_ext().execute_with(|| {
		assert_ok!(deliver(vec![create_client_msg()]));
		let header = next_block();
		let from_header = ibc_client_grandpa::ConsensusState::from_header(&header).unwrap();
		assert_eq!(
			from_header.ibc_root.to_vec(),
			Ibc::host_record(1).map(|r| r.ibc_root.to_vec()).unwrap()
		);
		let host = crate::IbcContext::<Test>::new().host_consensus_state(&h(1)).unwrap();
		let expected: Any = ibc_client_grandpa::IbcConsensusState::from(from_header).into();
		assert_eq!(Any::from(host), expected, "what a GRANDPA client of us stores at block 1");
		// Headers chain: block 2 builds on block 1's hash.
		assert_eq!(System::parent_hash(), header.hash());
		assert_eq!(next_block().parent_hash, header.hash());
	});
}

#[test]
fn the_deliver_weight_is_the_worst_case_of_the_message_kind_at_its_length() {
	use crate::{
		deliver_weight::{self, MessageKind, MIN_PROOF_NODE_LEN, SIGNED_PRECOMMIT_LEN},
		weights::WeightInfo,
	};
	use ibc_client_grandpa::types::MAX_AUTHORITIES;
	const UPDATE: &str = "/ibc.core.client.v1.MsgUpdateClient";
	const RECV: &str = "/ibc.core.channel.v1.MsgRecvPacket";
	let message = |url: &str, len: u32| RawAny {
		type_url: url.as_bytes().to_vec().try_into().unwrap(),
		value: vec![0u8; len as usize].try_into().unwrap(),
	};
	type W = ();
	type Apps = <Test as crate::Config>::Apps;
	let weight = |url: &str, len: u32| deliver_weight::deliver::<W, Db, Apps>(&[message(url, len)]);
	const MISBEHAVIOUR: &str = "/ibc.core.client.v1.MsgSubmitMisbehaviour";

	// An update is charged at least the benchmark of as many precommits as its bytes can
	// carry, on a full authority set; ten more precommits' worth of bytes cost more.
	let p = 100;
	let update = weight(UPDATE, p * SIGNED_PRECOMMIT_LEN);
	assert!(update.all_gte(W::update_client(p, MAX_AUTHORITIES - p, 0)));
	let larger = weight(UPDATE, (p + 10) * SIGNED_PRECOMMIT_LEN);
	assert!(larger.all_gte(W::update_client(p + 10, MAX_AUTHORITIES - p - 10, 0)));
	assert!(larger.ref_time() > update.ref_time(), "{update:?} vs {larger:?}");
	// Every update also pays for keeping a replaced authority set (one read, four writes).
	let db = <Db as frame_support::traits::Get<frame_support::weights::RuntimeDbWeight>>::get();
	assert_eq!(
		update,
		deliver_weight::update_client_bound::<W>(p * SIGNED_PRECOMMIT_LEN)
			.saturating_add(db.reads_writes(1, 4))
	);
	// Misbehaviour: two updates' signature work, and a past-set read per side.
	assert_eq!(
		weight(MISBEHAVIOUR, 500),
		deliver_weight::update_client_bound::<W>(500).saturating_mul(2).saturating_add(db.reads(2))
	);
	// A receive is charged at least the benchmark with its bytes as proof nodes, or as data.
	let len = 3_000;
	let recv = weight(RECV, len);
	assert!(recv.all_gte(W::recv_packet(len / MIN_PROOF_NODE_LEN, 0)));
	assert!(recv.all_gte(W::recv_packet(0, len)));
	// Batches add up.
	let two = deliver_weight::deliver::<W, Db, Apps>(&[message(RECV, len), message(UPDATE, 500)]);
	assert_eq!(two, recv.saturating_add(weight(UPDATE, 500)));
	// The bound apps' callbacks come on top, by kind: the CCV-style test app declares its own
	// weights (ICS-20's are inside the benchmarks), a received packet's by its data length.
	let bare = |url: &str, len: u32| deliver_weight::message::<W, Db>(&message(url, len));
	assert_eq!(recv, bare(RECV, len).saturating_add(TestApp::on_recv_packet_weight(len)));
	assert!(TestApp::on_recv_packet_weight(len).ref_time() > 0);
	for (url, callback) in [
		("/ibc.core.channel.v1.MsgAcknowledgement", TestApp::on_acknowledgement_weight()),
		("/ibc.core.channel.v1.MsgTimeout", TestApp::on_timeout_weight()),
		("/ibc.core.channel.v1.MsgTimeoutOnClose", TestApp::on_timeout_weight()),
		("/ibc.core.channel.v1.MsgChannelOpenTry", TestApp::on_channel_step_weight()),
		("/ibc.core.channel.v1.MsgChannelCloseConfirm", TestApp::on_channel_step_weight()),
	] {
		assert!(callback.ref_time() > 0, "{url}");
		assert_eq!(weight(url, 700), bare(url, 700).saturating_add(callback), "{url}");
	}
	// Client and connection messages run no app callback.
	assert_eq!(weight(UPDATE, 500), bare(UPDATE, 500));
	let conn = "/ibc.core.connection.v1.MsgConnectionOpenTry";
	assert_eq!(weight(conn, 500), bare(conn, 500));
	// A set of apps charges the largest of its apps' weights.
	type Twice = (crate::router::CcvApp<Test, TestPort, TestApp>, Apps);
	assert_eq!(
		deliver_weight::deliver::<W, Db, Twice>(&[message(RECV, len)]),
		recv,
		"the largest, not the sum"
	);
	assert_eq!(
		deliver_weight::callback::<crate::transfer::TransferApp<Test>>(&message(RECV, len)),
		frame_support::weights::Weight::zero(),
		"ICS-20's callbacks are in the benchmarks"
	);
	// Type URLs map to their kinds; garbage is unknown.
	assert_eq!(MessageKind::of(UPDATE.as_bytes()), MessageKind::UpdateClient);
	assert_eq!(MessageKind::of(RECV.as_bytes()), MessageKind::RecvPacket);
	assert_eq!(
		MessageKind::of(b"/ibc.core.channel.v1.MsgChannelCloseConfirm"),
		MessageKind::Channel
	);
	assert_eq!(MessageKind::of(&[0xff, 0xfe]), MessageKind::Unknown);
	// Packet and channel messages reach an app; client and connection messages do not.
	assert!(MessageKind::RecvPacket.reaches_app() && MessageKind::Channel.reaches_app());
	assert!(!MessageKind::UpdateClient.reaches_app() && !MessageKind::Connection.reaches_app());
}
