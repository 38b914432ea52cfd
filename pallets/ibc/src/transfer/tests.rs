//! ICS-20 flows in the mock runtime: sends through the `transfer` call, receives, acks and
//! timeouts relayed through `deliver` (ibc-testkit's mock client accepts every proof).

use super::{
	account::{AccountCodec, HexAccounts, Ss58Accounts},
	context::escrow_account,
	denom::denom_hash,
};
use crate::{
	mock::*,
	pallet::{
		CounterpartyTransferChannel, Error, Event, NextVoucherAssetId, SentPackets, VoucherAssets,
		VoucherDenoms,
	},
	tests::{
		child, conn_open_ack_msg, conn_open_init_msg, create_client_msg, deliver, h, proof, signer,
		CLIENT, CP_HEIGHT,
	},
	types::DenomTrace,
};
use ccv_primitives::channel::{ChannelError as CcvError, IbcId, RewardTransfer};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect as _, fungibles::Inspect as _},
	BoundedVec,
};
use ibc_core::{
	channel::types::{
		acknowledgement::Acknowledgement,
		channel::Order,
		commitment::compute_packet_commitment,
		msgs::{
			MsgAcknowledgement, MsgChannelOpenAck, MsgChannelOpenConfirm, MsgChannelOpenInit,
			MsgChannelOpenTry, MsgRecvPacket, MsgTimeout,
		},
		packet::Packet,
		timeout::{TimeoutHeight, TimeoutTimestamp},
		Version,
	},
	client::types::msgs::MsgUpdateClient,
	host::types::identifiers::{ChannelId, ConnectionId, PortId, Sequence},
	primitives::{proto::Any, Timestamp, ToProto},
};
use ibc_testkit::testapp::ibc::clients::mock::header::MockHeader;
use sp_runtime::{AccountId32, DispatchError, TokenError};

/// Our transfer channel.
const CHANNEL: &str = "channel-0";
/// The counterparty's end of it.
const CP_CHANNEL: u64 = 5;
/// Far enough in the future for every packet of a test.
const TIMEOUT_MS: u64 = GENESIS_MS + 3_600_000;
/// The voucher trace of the counterparty's `uatom` here.
const ATOM: &str = "transfer/channel-0/uatom";
/// ICS-20's success acknowledgement.
const SUCCESS_ACK: &[u8] = br#"{"result":"AQ=="}"#;

fn ss58(who: &AccountId32) -> String {
	<Ss58Accounts<Ss58Prefix> as AccountCodec<AccountId32>>::format(who)
}

fn escrow() -> AccountId32 {
	escrow_account::<Test>(&PortId::transfer(), &ChannelId::new(0))
}

fn native(who: &AccountId32) -> u64 {
	Balances::balance(who)
}

fn vouchers(asset: u32, who: &AccountId32) -> u64 {
	Assets::balance(asset, who)
}

/// Client, connection and an OPEN unordered `ics20-1` channel `channel-0` on `transfer`.
fn open_transfer_channel() {
	assert_ok!(deliver(vec![create_client_msg(), conn_open_init_msg(CLIENT)]));
	next_block();
	assert_ok!(deliver(vec![conn_open_ack_msg(1)]));
	let init = MsgChannelOpenInit {
		port_id_on_a: PortId::transfer(),
		connection_hops_on_a: vec![ConnectionId::new(0)],
		port_id_on_b: PortId::transfer(),
		ordering: Order::Unordered,
		signer: signer(),
		version_proposal: Version::new("ics20-1".to_string()),
	};
	let ack = MsgChannelOpenAck {
		port_id_on_a: PortId::transfer(),
		chan_id_on_a: ChannelId::new(0),
		chan_id_on_b: ChannelId::new(CP_CHANNEL),
		version_on_b: Version::new("ics20-1".to_string()),
		proof_chan_end_on_b: proof(),
		proof_height_on_b: h(CP_HEIGHT),
		signer: signer(),
	};
	assert_ok!(deliver(vec![init.to_any(), ack.to_any()]));
}

fn bounded<S: frame_support::traits::Get<u32>>(bytes: &[u8]) -> BoundedVec<u8, S> {
	bytes.to_vec().try_into().unwrap()
}

/// The `transfer` call on `channel-0` with a timestamp timeout.
fn send(
	who: &AccountId32,
	denom: &str,
	amount: u64,
	receiver: &str,
	timeout_ms: Option<u64>,
) -> sp_runtime::DispatchResult {
	Ibc::transfer(
		RuntimeOrigin::signed(who.clone()),
		bounded(CHANNEL.as_bytes()),
		bounded(denom.as_bytes()),
		amount,
		bounded(receiver.as_bytes()),
		None,
		timeout_ms,
		bounded(b"memo"),
	)
}

/// ICS-20 packet data JSON, as ibc-go writes it.
fn packet_data(denom: &str, amount: &str, sender: &str, receiver: &str) -> Vec<u8> {
	format!(
		r#"{{"amount":"{amount}","denom":"{denom}","receiver":"{receiver}","sender":"{sender}"}}"#
	)
	.into_bytes()
}

/// A packet from the counterparty to our `channel-0`.
fn incoming(seq: u64, data: Vec<u8>) -> Any {
	MsgRecvPacket {
		packet: Packet {
			seq_on_a: Sequence::from(seq),
			port_id_on_a: PortId::transfer(),
			chan_id_on_a: ChannelId::new(CP_CHANNEL),
			port_id_on_b: PortId::transfer(),
			chan_id_on_b: ChannelId::new(0),
			data,
			timeout_height_on_b: TimeoutHeight::Never,
			timeout_timestamp_on_b: TimeoutTimestamp::At(Timestamp::from_nanoseconds(
				TIMEOUT_MS * 1_000_000,
			)),
		},
		proof_commitment_on_a: proof(),
		proof_height_on_a: h(CP_HEIGHT),
		signer: signer(),
	}
	.to_any()
}

fn written_ack(seq: u64) -> Vec<u8> {
	Ibc::written_ack(b"transfer", CHANNEL.as_bytes(), seq).expect("ack written")
}

fn sent_key(seq: u64) -> (crate::types::IdBytes, crate::types::IdBytes, u64) {
	(bounded(b"transfer"), bounded(CHANNEL.as_bytes()), seq)
}

/// Our sent packet `seq`, rebuilt from what the pallet keeps for relayers.
fn sent_packet(seq: u64) -> Packet {
	let pending = SentPackets::<Test>::get(sent_key(seq)).expect("packet kept for relayers");
	Packet {
		seq_on_a: Sequence::from(seq),
		port_id_on_a: PortId::transfer(),
		chan_id_on_a: ChannelId::new(0),
		port_id_on_b: PortId::transfer(),
		chan_id_on_b: ChannelId::new(CP_CHANNEL),
		data: pending.data.to_vec(),
		timeout_height_on_b: TimeoutHeight::Never,
		timeout_timestamp_on_b: TimeoutTimestamp::At(Timestamp::from_nanoseconds(
			pending.timeout_timestamp_ns,
		)),
	}
}

fn acknowledge(seq: u64, ack: &[u8]) -> sp_runtime::DispatchResult {
	deliver(vec![MsgAcknowledgement {
		packet: sent_packet(seq),
		acknowledgement: Acknowledgement::try_from(ack.to_vec()).unwrap(),
		proof_acked_on_b: proof(),
		proof_height_on_b: h(CP_HEIGHT),
		signer: signer(),
	}
	.to_any()])
}

/// The counterparty moves past `timeout_ms`; our client of it learns so (height CP_HEIGHT + 1),
/// then the relayer proves packet `seq` was never received.
fn time_out(seq: u64, timeout_ms: u64) -> sp_runtime::DispatchResult {
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
	deliver(vec![MsgTimeout {
		packet: sent_packet(seq),
		next_seq_recv_on_b: Sequence::from(seq),
		proof_unreceived_on_b: proof(),
		proof_height_on_b: h(CP_HEIGHT + 1),
		signer: signer(),
	}
	.to_any()])
}

/// Receives `amount` uatom from the counterparty for `who` (the first creates the voucher).
fn receive_atom(seq: u64, amount: u64, who: &AccountId32) {
	let data = packet_data("uatom", &amount.to_string(), "cosmos1sender", &ss58(who));
	assert_ok!(deliver(vec![incoming(seq, data)]));
	assert_eq!(written_ack(seq), SUCCESS_ACK.to_vec());
}

fn voucher_created_events() -> usize {
	System::events()
		.iter()
		.filter(|r| matches!(r.event, RuntimeEvent::Ibc(Event::VoucherCreated { .. })))
		.count()
}

#[test]
fn send_native_escrows_and_commits_packet() {
	new_test_ext().execute_with(|| {
		open_transfer_channel();
		assert_ok!(send(&ALICE, "stake", 1_000, "cosmos1receiver", Some(TIMEOUT_MS)));
		assert_eq!(native(&ALICE), 1_000_000 - 1_000);
		assert_eq!(native(&escrow()), 1_000);
		// The packet data is ICS-20 JSON with our SS58 sender; its commitment is at its path.
		let pending = SentPackets::<Test>::get(sent_key(1)).unwrap();
		let json: flat_json::Value = flat_json::parse(&pending.data);
		assert_eq!(json.get("denom"), Some("stake"));
		assert_eq!(json.get("amount"), Some("1000"));
		assert_eq!(json.get("sender"), Some(ss58(&ALICE).as_str()));
		assert_eq!(json.get("receiver"), Some("cosmos1receiver"));
		assert_eq!(json.get("memo"), Some("memo"));
		let commitment = compute_packet_commitment(
			&pending.data,
			&TimeoutHeight::Never,
			&TimeoutTimestamp::At(Timestamp::from_nanoseconds(TIMEOUT_MS * 1_000_000)),
		);
		assert_eq!(
			child(&format!("commitments/ports/transfer/channels/{CHANNEL}/sequences/1")),
			Some(commitment.into_vec())
		);
		System::assert_has_event(
			Event::TransferSent {
				sender: ALICE,
				channel: bounded(CHANNEL.as_bytes()),
				denom: bounded(b"stake"),
				amount: 1_000,
				sequence: 1,
			}
			.into(),
		);
		// Escrow accounts are per channel.
		assert_ne!(escrow(), escrow_account::<Test>(&PortId::transfer(), &ChannelId::new(1)));
		assert_ok!(Ibc::do_try_state());
	});
}

#[test]
fn receive_foreign_denom_mints_voucher_and_creates_asset_once() {
	new_test_ext().execute_with(|| {
		open_transfer_channel();
		receive_atom(1, 500, &BOB);
		let trace: DenomTrace = bounded(ATOM.as_bytes());
		assert_eq!(VoucherAssets::<Test>::get(&trace), Some(FIRST_VOUCHER));
		assert_eq!(VoucherDenoms::<Test>::get(FIRST_VOUCHER), Some(trace.clone()));
		assert_eq!(vouchers(FIRST_VOUCHER, &BOB), 500);
		let details = pallet_assets::Asset::<Test>::get(FIRST_VOUCHER).unwrap();
		assert_eq!(details.min_balance, 1);
		assert!(details.is_sufficient);
		assert_eq!(
			details.owner,
			sp_runtime::traits::AccountIdConversion::<AccountId32>::into_account_truncating(
				&IbcPalletId::get()
			)
		);
		// A second receive of the same trace mints into the same asset.
		receive_atom(2, 300, &ALICE);
		assert_eq!(vouchers(FIRST_VOUCHER, &ALICE), 300);
		assert_eq!(Assets::total_issuance(FIRST_VOUCHER), 800);
		assert_eq!(voucher_created_events(), 1);
		assert_eq!(NextVoucherAssetId::<Test>::get(), Some(FIRST_VOUCHER + 1));
		assert_eq!(pallet_assets::Asset::<Test>::iter().count(), 1);
		// Another trace of the same base denom is another voucher.
		let data = packet_data("transfer/channel-9/uatom", "7", "cosmos1sender", &ss58(&BOB));
		assert_ok!(deliver(vec![incoming(3, data)]));
		let other: DenomTrace = bounded(b"transfer/channel-0/transfer/channel-9/uatom");
		assert_eq!(VoucherAssets::<Test>::get(&other), Some(FIRST_VOUCHER + 1));
		assert_eq!(vouchers(FIRST_VOUCHER + 1, &BOB), 7);
	});
}

#[test]
fn voucher_ids_skip_assets_in_use() {
	new_test_ext().execute_with(|| {
		open_transfer_channel();
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), FIRST_VOUCHER, ALICE, true, 1));
		receive_atom(1, 5, &BOB);
		let trace: DenomTrace = bounded(ATOM.as_bytes());
		assert_eq!(VoucherAssets::<Test>::get(&trace), Some(FIRST_VOUCHER + 1));
		assert_eq!(vouchers(FIRST_VOUCHER, &BOB), 0);
	});
}

#[test]
fn returning_voucher_burns_and_returning_native_unescrows() {
	new_test_ext().execute_with(|| {
		open_transfer_channel();
		// A voucher goes back towards its source: burnt here, the packet carries its trace
		// (the counterparty then unescrows its uatom, the mirror of the second half below).
		receive_atom(1, 500, &BOB);
		assert_ok!(send(&BOB, ATOM, 200, "cosmos1back", Some(TIMEOUT_MS)));
		assert_eq!(vouchers(FIRST_VOUCHER, &BOB), 300);
		assert_eq!(Assets::total_issuance(FIRST_VOUCHER), 300);
		assert_eq!(vouchers(FIRST_VOUCHER, &escrow()), 0);
		let pending = SentPackets::<Test>::get(sent_key(1)).unwrap();
		let json = flat_json::parse(&pending.data);
		assert_eq!(json.get("denom"), Some(ATOM));
		assert_eq!(json.get("amount"), Some("200"));

		// Our native token comes home: the counterparty's voucher trace `transfer/channel-5/stake`
		// is unescrowed from channel-0's escrow to the receiver.
		assert_ok!(send(&ALICE, "stake", 1_000, "cosmos1receiver", Some(TIMEOUT_MS)));
		let bob_before = native(&BOB);
		let data = packet_data("transfer/channel-5/stake", "400", "cosmos1sender", &ss58(&BOB));
		assert_ok!(deliver(vec![incoming(2, data)]));
		assert_eq!(written_ack(2), SUCCESS_ACK.to_vec());
		assert_eq!(native(&escrow()), 600);
		assert_eq!(native(&BOB), bob_before + 400);
		// No voucher was made of our own token.
		assert_eq!(pallet_assets::Asset::<Test>::iter().count(), 1);
		// More than is escrowed cannot come home: error ack, nothing moves.
		let data = packet_data("transfer/channel-5/stake", "601", "cosmos1sender", &ss58(&BOB));
		assert_ok!(deliver(vec![incoming(3, data)]));
		assert!(written_ack(3).starts_with(br#"{"error":"#));
		assert_eq!(native(&escrow()), 600);
	});
}

#[test]
fn timeout_refunds_escrow_and_burnt_vouchers() {
	new_test_ext().execute_with(|| {
		open_transfer_channel();
		receive_atom(1, 500, &BOB);
		assert_ok!(send(&ALICE, "stake", 1_000, "cosmos1receiver", Some(TIMEOUT_MS)));
		assert_ok!(send(&BOB, ATOM, 200, "cosmos1receiver", Some(TIMEOUT_MS)));
		assert_eq!(native(&ALICE), 1_000_000 - 1_000);
		assert_eq!(vouchers(FIRST_VOUCHER, &BOB), 300);

		assert_ok!(time_out(1, TIMEOUT_MS));
		assert_eq!(native(&ALICE), 1_000_000);
		assert_eq!(native(&escrow()), 0);
		assert!(
			child(&format!("commitments/ports/transfer/channels/{CHANNEL}/sequences/1")).is_none()
		);
		assert!(SentPackets::<Test>::get(sent_key(1)).is_none());
		// The burnt voucher is minted back.
		assert_ok!(deliver(vec![MsgTimeout {
			packet: sent_packet(2),
			next_seq_recv_on_b: Sequence::from(2),
			proof_unreceived_on_b: proof(),
			proof_height_on_b: h(CP_HEIGHT + 1),
			signer: signer(),
		}
		.to_any()]));
		assert_eq!(vouchers(FIRST_VOUCHER, &BOB), 500);
		assert_eq!(Assets::total_issuance(FIRST_VOUCHER), 500);
		// UNORDERED: the channel stays open.
		assert_ok!(send(&ALICE, "stake", 10, "cosmos1receiver", Some(TIMEOUT_MS + 3_600_000)));
		assert_ok!(Ibc::do_try_state());
	});
}

#[test]
fn error_ack_refunds_and_success_ack_keeps_escrow() {
	new_test_ext().execute_with(|| {
		open_transfer_channel();
		assert_ok!(send(&ALICE, "stake", 1_000, "cosmos1receiver", Some(TIMEOUT_MS)));
		assert_ok!(send(&ALICE, "stake", 2_000, "cosmos1receiver", Some(TIMEOUT_MS)));
		assert_eq!(native(&escrow()), 3_000);
		// Success: the tokens stay escrowed (they now live on the counterparty).
		assert_ok!(acknowledge(1, SUCCESS_ACK));
		assert_eq!(native(&escrow()), 3_000);
		assert_eq!(native(&ALICE), 1_000_000 - 3_000);
		// Error: the sender gets its tokens back.
		assert_ok!(acknowledge(2, br#"{"error":"invalid receiver"}"#));
		assert_eq!(native(&escrow()), 1_000);
		assert_eq!(native(&ALICE), 1_000_000 - 1_000);
		assert!(SentPackets::<Test>::get(sent_key(2)).is_none());
		// An acknowledgement that is not ICS-20 JSON fails the message and refunds nothing.
		assert_ok!(send(&ALICE, "stake", 500, "cosmos1receiver", Some(TIMEOUT_MS)));
		assert_noop!(acknowledge(3, b"\x01"), Error::<Test>::ChannelError);
	});
}

#[test]
fn malformed_packets_get_error_acks_and_change_nothing() {
	new_test_ext().execute_with(|| {
		open_transfer_channel();
		assert_ok!(send(&ALICE, "stake", 1_000, "cosmos1receiver", Some(TIMEOUT_MS)));
		let bob = ss58(&BOB);
		let cases: Vec<(&str, Vec<u8>)> = vec![
			("not JSON", b"\xff\x00garbage".to_vec()),
			("missing fields", br#"{"denom":"uatom"}"#.to_vec()),
			("bad receiver", packet_data("uatom", "5", "cosmos1sender", "cosmos1notours")),
			(
				"receiver with spaces",
				packet_data("uatom", "5", "cosmos1sender", &format!(" {bob}")),
			),
			("empty base denom", packet_data("transfer/channel-1/", "5", "cosmos1sender", &bob)),
			("amount not a number", packet_data("uatom", "5x", "cosmos1sender", &bob)),
			("amount overflows u256", packet_data("uatom", &"9".repeat(80), "cosmos1sender", &bob)),
			(
				"amount overflows the balance type",
				packet_data("uatom", "18446744073709551616", "cosmos1sender", &bob),
			),
			("zero amount", packet_data("uatom", "0", "cosmos1sender", &bob)),
			(
				"unknown returning denom",
				packet_data("transfer/channel-5/unknown", "5", "cosmos1sender", &bob),
			),
			("denom too long", packet_data(&"u".repeat(600), "5", "cosmos1sender", &bob)),
		];
		let alice = native(&ALICE);
		for (seq, (case, data)) in cases.into_iter().enumerate() {
			let seq = seq as u64 + 1;
			assert_eq!(deliver(vec![incoming(seq, data)]), Ok(()), "{case}");
			let ack = written_ack(seq);
			assert!(ack.starts_with(br#"{"error":"#), "{case}: {}", String::from_utf8_lossy(&ack));
			// The packet is received (receipt written), nothing else moved.
			assert!(child(&format!("receipts/ports/transfer/channels/{CHANNEL}/sequences/{seq}"))
				.is_some());
			assert_eq!(native(&BOB), 1_000, "{case}");
			assert_eq!(native(&ALICE), alice, "{case}");
			assert_eq!(native(&escrow()), 1_000, "{case}");
			assert_eq!(pallet_assets::Asset::<Test>::iter().count(), 0, "{case}");
			assert_eq!(VoucherAssets::<Test>::iter().count(), 0, "{case}");
			assert_eq!(NextVoucherAssetId::<Test>::get(), None, "{case}");
		}
		assert_eq!(voucher_created_events(), 0);
	});
}

#[test]
fn failed_receive_rolls_back_partial_writes() {
	new_test_ext().execute_with(|| {
		open_transfer_channel();
		// pallet-assets writes the asset, then its callback fails: without the app's
		// transaction the half-created asset would stay.
		frame_support::storage::unhashed::put(FAIL_ASSET_CREATION, &true);
		let data = packet_data("uatom", "5", "cosmos1sender", &ss58(&BOB));
		assert_ok!(deliver(vec![incoming(1, data)]));
		assert!(written_ack(1).starts_with(br#"{"error":"#));
		assert!(pallet_assets::Asset::<Test>::get(FIRST_VOUCHER).is_none());
		assert_eq!(VoucherAssets::<Test>::iter().count(), 0);
		assert_eq!(NextVoucherAssetId::<Test>::get(), None);
		assert_ok!(Ibc::do_try_state());
		// Once creation works again, the same denom is received normally.
		frame_support::storage::unhashed::kill(FAIL_ASSET_CREATION);
		receive_atom(2, 5, &BOB);
		assert_eq!(vouchers(FIRST_VOUCHER, &BOB), 5);
		assert_ok!(Ibc::do_try_state());
	});
}

/// Opens a second transfer channel, `channel-1` (counterparty `channel-6`), on the same
/// connection.
fn open_second_transfer_channel() {
	let init = MsgChannelOpenInit {
		port_id_on_a: PortId::transfer(),
		connection_hops_on_a: vec![ConnectionId::new(0)],
		port_id_on_b: PortId::transfer(),
		ordering: Order::Unordered,
		signer: signer(),
		version_proposal: Version::new(String::new()),
	};
	let ack = MsgChannelOpenAck {
		port_id_on_a: PortId::transfer(),
		chan_id_on_a: ChannelId::new(1),
		chan_id_on_b: ChannelId::new(6),
		version_on_b: Version::new("ics20-1".to_string()),
		proof_chan_end_on_b: proof(),
		proof_height_on_b: h(CP_HEIGHT),
		signer: signer(),
	};
	assert_ok!(deliver(vec![init.to_any(), ack.to_any()]));
}

#[test]
fn voucher_sent_onward_is_escrowed_and_comes_back() {
	new_test_ext().execute_with(|| {
		open_transfer_channel();
		open_second_transfer_channel();
		receive_atom(1, 500, &BOB);
		// Over channel-1 the voucher is not going home: escrowed in channel-1's escrow.
		let escrow_1 = escrow_account::<Test>(&PortId::transfer(), &ChannelId::new(1));
		assert_ok!(Ibc::transfer(
			RuntimeOrigin::signed(BOB),
			bounded(b"channel-1"),
			bounded(ATOM.as_bytes()),
			200,
			bounded(b"cosmos1third"),
			None,
			Some(TIMEOUT_MS),
			bounded(b""),
		));
		assert_eq!(vouchers(FIRST_VOUCHER, &BOB), 300);
		assert_eq!(vouchers(FIRST_VOUCHER, &escrow_1), 200);
		assert_eq!(Assets::total_issuance(FIRST_VOUCHER), 500);
		// It comes back over channel-1 with channel-6's prefix: unescrowed, not minted anew.
		let data = packet_data(
			&format!("transfer/channel-6/{ATOM}"),
			"150",
			"cosmos1third",
			&ss58(&ALICE),
		);
		let back = MsgRecvPacket {
			packet: Packet {
				seq_on_a: Sequence::from(1),
				port_id_on_a: PortId::transfer(),
				chan_id_on_a: ChannelId::new(6),
				port_id_on_b: PortId::transfer(),
				chan_id_on_b: ChannelId::new(1),
				data,
				timeout_height_on_b: TimeoutHeight::Never,
				timeout_timestamp_on_b: TimeoutTimestamp::At(Timestamp::from_nanoseconds(
					TIMEOUT_MS * 1_000_000,
				)),
			},
			proof_commitment_on_a: proof(),
			proof_height_on_a: h(CP_HEIGHT),
			signer: signer(),
		};
		assert_ok!(deliver(vec![back.to_any()]));
		assert_eq!(Ibc::written_ack(b"transfer", b"channel-1", 1), Some(SUCCESS_ACK.to_vec()));
		assert_eq!(vouchers(FIRST_VOUCHER, &ALICE), 150);
		assert_eq!(vouchers(FIRST_VOUCHER, &escrow_1), 50);
		assert_eq!(pallet_assets::Asset::<Test>::iter().count(), 1);
		assert_ok!(Ibc::do_try_state());
	});
}

#[test]
fn transfer_bad_input_fails_and_leaves_storage_untouched() {
	new_test_ext().execute_with(|| {
		open_transfer_channel();
		receive_atom(1, 500, &BOB);
		let root = || sp_io::storage::root(sp_runtime::StateVersion::V1);
		let before = root();
		let far = Some(TIMEOUT_MS);
		let cases: Vec<(&str, sp_runtime::DispatchResult, DispatchError)> = vec![
			(
				"unknown channel",
				Ibc::transfer(
					RuntimeOrigin::signed(ALICE),
					bounded(b"channel-9"),
					bounded(b"stake"),
					1,
					bounded(b"cosmos1r"),
					None,
					far,
					bounded(b""),
				),
				Error::<Test>::ChannelNotOpen.into(),
			),
			(
				"malformed channel",
				Ibc::transfer(
					RuntimeOrigin::signed(ALICE),
					bounded(b"chan el"),
					bounded(b"stake"),
					1,
					bounded(b"cosmos1r"),
					None,
					far,
					bounded(b""),
				),
				Error::<Test>::ChannelNotOpen.into(),
			),
			(
				"unknown denom",
				send(&ALICE, "uatom", 1, "cosmos1r", far),
				Error::<Test>::UnknownDenom.into(),
			),
			(
				"unknown voucher trace",
				send(&ALICE, "transfer/channel-0/uosmo", 1, "cosmos1r", far),
				Error::<Test>::UnknownDenom.into(),
			),
			(
				"zero amount",
				send(&ALICE, "stake", 0, "cosmos1r", far),
				Error::<Test>::ZeroAmount.into(),
			),
			(
				"empty receiver",
				send(&ALICE, "stake", 1, "", far),
				Error::<Test>::InvalidReceiver.into(),
			),
			(
				"padded receiver",
				send(&ALICE, "stake", 1, " cosmos1r", far),
				Error::<Test>::InvalidReceiver.into(),
			),
			(
				"no timeout",
				send(&ALICE, "stake", 1, "cosmos1r", None),
				Error::<Test>::InvalidTimeout.into(),
			),
			(
				"timeout already passed on the counterparty",
				send(&ALICE, "stake", 100, "cosmos1r", Some(GENESIS_MS - 1)),
				Error::<Test>::TransferRefused.into(),
			),
			(
				"insufficient native",
				send(&BOB, "stake", 5_000, "cosmos1r", far),
				TokenError::FundsUnavailable.into(),
			),
			(
				"native send would reap the sender",
				send(&BOB, "stake", 1_000, "cosmos1r", far),
				TokenError::NotExpendable.into(),
			),
			(
				"escrow below the existential deposit",
				send(&ALICE, "stake", ED - 1, "cosmos1r", far),
				TokenError::BelowMinimum.into(),
			),
			(
				"insufficient vouchers",
				send(&BOB, ATOM, 501, "cosmos1r", far),
				TokenError::FundsUnavailable.into(),
			),
			(
				"memo not UTF-8",
				Ibc::transfer(
					RuntimeOrigin::signed(ALICE),
					bounded(CHANNEL.as_bytes()),
					bounded(b"stake"),
					1,
					bounded(b"cosmos1r"),
					None,
					far,
					bounded(b"\xff"),
				),
				Error::<Test>::InvalidMemo.into(),
			),
			(
				"unsigned",
				Ibc::transfer(
					RuntimeOrigin::none(),
					bounded(CHANNEL.as_bytes()),
					bounded(b"stake"),
					1,
					bounded(b"cosmos1r"),
					None,
					far,
					bounded(b""),
				),
				DispatchError::BadOrigin,
			),
		];
		for (case, result, expected) in cases {
			assert_eq!(result, Err(expected), "{case}");
			assert_eq!(root(), before, "{case} changed storage");
		}
		// A timeout height of 0 is no height.
		assert_noop!(
			Ibc::transfer(
				RuntimeOrigin::signed(ALICE),
				bounded(CHANNEL.as_bytes()),
				bounded(b"stake"),
				100,
				bounded(b"cosmos1r"),
				Some((0, 0)),
				None,
				bounded(b""),
			),
			Error::<Test>::InvalidTimeout
		);
		// A counterparty height timeout alone is enough.
		assert_ok!(Ibc::transfer(
			RuntimeOrigin::signed(ALICE),
			bounded(CHANNEL.as_bytes()),
			bounded(b"stake"),
			100,
			bounded(b"cosmos1r"),
			Some((0, CP_HEIGHT + 100)),
			None,
			bounded(b""),
		));
		assert_eq!(native(&escrow()), 100);
	});
}

#[test]
fn reward_transfer_seam_sends_native_tokens() {
	new_test_ext().execute_with(|| {
		let channel = IbcId::try_from(CHANNEL.as_bytes().to_vec()).unwrap();
		assert_eq!(
			<Ibc as RewardTransfer<_, _>>::send_rewards(
				&channel,
				&ALICE,
				100,
				b"cosmos1pool",
				b"",
				TIMEOUT_MS
			),
			Err(CcvError::ChannelNotOpen)
		);
		open_transfer_channel();
		assert_ok!(<Ibc as RewardTransfer<_, _>>::send_rewards(
			&channel,
			&ALICE,
			100,
			b"cosmos1pool",
			b"rewards",
			TIMEOUT_MS
		));
		assert_eq!(native(&escrow()), 100);
		let pending = SentPackets::<Test>::get(sent_key(1)).unwrap();
		let json = flat_json::parse(&pending.data);
		assert_eq!(json.get("receiver"), Some("cosmos1pool"));
		assert_eq!(json.get("memo"), Some("rewards"));
		assert_eq!(pending.timeout_timestamp_ns, TIMEOUT_MS * 1_000_000);
		// Refusals name their reason and write nothing.
		let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
		assert_eq!(
			<Ibc as RewardTransfer<_, _>>::send_rewards(
				&channel,
				&BOB,
				5_000,
				b"cosmos1pool",
				b"",
				TIMEOUT_MS
			),
			Err(CcvError::Refused("Funds are unavailable"))
		);
		assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), before);
	});
}

/// Opens transfer channel `channel-<ours>` answering the counterparty's `channel-<theirs>`
/// (`chan_open_try` + `chan_open_confirm`) on the open connection `connection-0`.
#[allow(deprecated)]
fn accept_transfer_channel(ours: u64, theirs: u64) {
	let version = Version::new("ics20-1".to_string());
	let open_try = MsgChannelOpenTry {
		port_id_on_b: PortId::transfer(),
		connection_hops_on_b: vec![ConnectionId::new(0)],
		port_id_on_a: PortId::transfer(),
		chan_id_on_a: ChannelId::new(theirs),
		version_supported_on_a: version.clone(),
		proof_chan_end_on_a: proof(),
		proof_height_on_a: h(CP_HEIGHT),
		ordering: Order::Unordered,
		signer: signer(),
		version_proposal: version,
	};
	let confirm = MsgChannelOpenConfirm {
		port_id_on_b: PortId::transfer(),
		chan_id_on_b: ChannelId::new(ours),
		proof_chan_end_on_a: proof(),
		proof_height_on_a: h(CP_HEIGHT),
		signer: signer(),
	};
	assert_ok!(deliver(vec![open_try.to_any(), confirm.to_any()]));
}

#[test]
fn counterparty_opened_transfer_channel_names_its_vouchers() {
	new_test_ext().execute_with(|| {
		assert_ok!(deliver(vec![create_client_msg(), conn_open_init_msg(CLIENT)]));
		next_block();
		assert_ok!(deliver(vec![conn_open_ack_msg(1)]));
		let connection: crate::types::IdBytes = bounded(b"connection-0");
		assert_eq!(CounterpartyTransferChannel::<Test>::get(&connection), None);

		accept_transfer_channel(0, CP_CHANNEL);
		assert_eq!(
			CounterpartyTransferChannel::<Test>::get(&connection),
			Some(bounded(CHANNEL.as_bytes()))
		);
		// A second channel on the same connection does not replace the first.
		accept_transfer_channel(1, CP_CHANNEL + 1);
		assert_eq!(
			CounterpartyTransferChannel::<Test>::get(&connection),
			Some(bounded(CHANNEL.as_bytes()))
		);

		// Any channel of the connection names it; nothing received yet, so no voucher.
		assert_eq!(Ibc::counterparty_voucher(b"transfer", b"channel-1", b"uatom"), None);
		receive_atom(1, 500, &ALICE);
		let atom =
			VoucherAssets::<Test>::get(DenomTrace::try_from(ATOM.as_bytes().to_vec()).unwrap())
				.expect("voucher created");
		assert_eq!(Ibc::counterparty_voucher(b"transfer", b"channel-1", b"uatom"), Some(atom));
		assert_eq!(Ibc::counterparty_voucher(b"transfer", b"channel-0", b"uatom"), Some(atom));
		// Other denoms, unknown channels and malformed ids name nothing.
		assert_eq!(Ibc::counterparty_voucher(b"transfer", b"channel-0", b"uosmo"), None);
		assert_eq!(Ibc::counterparty_voucher(b"transfer", b"channel-9", b"uatom"), None);
		assert_eq!(Ibc::counterparty_voucher(b"transfer", &[0xff], b"uatom"), None);
		assert_eq!(Ibc::counterparty_voucher(b"transfer", b"channel-0", b"bad//denom"), None);
	});
}

#[test]
fn own_transfer_channel_is_not_recorded_as_the_counterpartys() {
	new_test_ext().execute_with(|| {
		open_transfer_channel();
		assert_eq!(CounterpartyTransferChannel::<Test>::iter().count(), 0);
		receive_atom(1, 500, &ALICE);
		assert_eq!(Ibc::counterparty_voucher(b"transfer", b"channel-0", b"uatom"), None);
	});
}

#[test]
fn account_codecs() {
	type Ss58 = Ss58Accounts<Ss58Prefix>;
	// Alice's well-known dev key, SS58 with prefix 42.
	let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
	let raw = hex_literal("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
	let parsed: AccountId32 = <Ss58 as AccountCodec<AccountId32>>::parse(alice).unwrap();
	assert_eq!(<[u8; 32]>::from(parsed.clone()), raw);
	assert_eq!(<Ss58 as AccountCodec<AccountId32>>::format(&parsed), alice);
	// Hex of the 32 bytes, either case.
	let hex = "0xD43593C715FDD31C61141ABD04A99FD6822C8558854CCDE39A5684E7A56DA27D";
	assert_eq!(<Ss58 as AccountCodec<AccountId32>>::parse(hex), Some(parsed.clone()));
	// Another network's SS58 (Polkadot, prefix 0) names the same key.
	let polkadot = "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5";
	assert_eq!(<Ss58 as AccountCodec<AccountId32>>::parse(polkadot), Some(parsed));
	for bad in ["", " ", &format!(" {alice}"), "cosmos1abc", "0x1234", "0xzz", &alice[1..]] {
		assert_eq!(<Ss58 as AccountCodec<AccountId32>>::parse(bad), None, "{bad:?}");
	}
	// Hex of any SCALE account type: exactly its encoded length.
	assert_eq!(<HexAccounts as AccountCodec<u64>>::format(&2), "0x0200000000000000");
	assert_eq!(<HexAccounts as AccountCodec<u64>>::parse("0x0200000000000000"), Some(2));
	assert_eq!(<HexAccounts as AccountCodec<u64>>::parse("0x02000000000000"), None);
	assert_eq!(<HexAccounts as AccountCodec<u64>>::parse("0x020000000000000000"), None);
	assert_eq!(<HexAccounts as AccountCodec<u64>>::parse("0200000000000000"), None);
}

#[test]
fn denom_hash_matches_ibc_go() {
	// ATOM on Osmosis over channel-0: the well-known IBC denom.
	let denom = ATOM.parse().unwrap();
	assert_eq!(
		denom_hash(&denom),
		"ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"
	);
}

fn hex_literal(s: &str) -> [u8; 32] {
	super::account::decode_hex(&format!("0x{s}")).unwrap().try_into().unwrap()
}

/// A minimal reader of flat JSON objects with string values (ICS-20 packet data), so the tests
/// check the wire bytes without another JSON dependency.
mod flat_json {
	/// Field name -> string value.
	pub struct Value(Vec<(String, String)>);

	impl Value {
		pub fn get(&self, key: &str) -> Option<&str> {
			self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
		}
	}

	pub fn parse(bytes: &[u8]) -> Value {
		let s = core::str::from_utf8(bytes).unwrap();
		let inner = s.trim().strip_prefix('{').unwrap().strip_suffix('}').unwrap();
		let mut fields = Vec::new();
		for part in inner.split(",\"") {
			let (k, v) = part.split_once("\":").unwrap();
			let k = k.trim_start_matches('"').to_string();
			let v = v.trim().trim_matches('"').to_string();
			fields.push((k, v));
		}
		Value(fields)
	}
}
