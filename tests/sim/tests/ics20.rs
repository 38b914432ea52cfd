//! Two chains, one harness relayer: connection and channel handshakes, ICS-20 transfers both
//! ways, a timeout refund and an error-acknowledgement refund, all through `deliver`, with
//! GRANDPA clients checking real justifications, headers and child-trie proofs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::*;
use frame_ics_sim::{relay, relayer::grandpa_client_state, Chain, Relayed};
use ibc_core::{
	channel::types::channel::{ChannelEnd, State as ChannelState},
	connection::types::{ConnectionEnd, State as ConnectionState},
	host::types::identifiers::ChannelId,
	primitives::proto::Protobuf,
};
use pallet_ibc::{
	mock::{Ibc, Test, ALICE, BOB},
	pallet::VoucherAssets,
};

#[test]
fn handshake_opens_the_connection_and_the_channel_on_both_chains() {
	let (mut a, mut b, channel) = linked();
	let conn = |chain: &mut Chain, id: &str| {
		let bytes = chain.ibc_state(&format!("connections/{id}")).expect("connection end");
		ConnectionEnd::decode_vec(&bytes).unwrap()
	};
	let conn_a = conn(&mut a, channel.connection.conn_on_a.as_str());
	let conn_b = conn(&mut b, channel.connection.conn_on_b.as_str());
	assert_eq!(*conn_a.state(), ConnectionState::Open);
	assert_eq!(*conn_b.state(), ConnectionState::Open);
	// Each end names the other's connection and the client that tracks it.
	assert_eq!(conn_a.counterparty().connection_id(), Some(&channel.connection.conn_on_b));
	assert_eq!(conn_b.counterparty().connection_id(), Some(&channel.connection.conn_on_a));
	assert_eq!(conn_a.client_id(), &channel.connection.client_on_a);
	assert_eq!(conn_b.counterparty().client_id(), &channel.connection.client_on_a);

	let chan = |chain: &mut Chain, id: &ChannelId| {
		let path = format!("channelEnds/ports/transfer/channels/{id}");
		ChannelEnd::decode_vec(&chain.ibc_state(&path).expect("channel end")).unwrap()
	};
	let chan_a = chan(&mut a, &channel.chan_on_a);
	let chan_b = chan(&mut b, &channel.chan_on_b);
	assert_eq!(chan_a.state, ChannelState::Open);
	assert_eq!(chan_b.state, ChannelState::Open);
	assert_eq!(chan_a.remote.channel_id(), Some(&channel.chan_on_b));
	assert_eq!(chan_b.remote.channel_id(), Some(&channel.chan_on_a));
	assert_eq!(chan_a.version.as_str(), "ics20-1");

	// Both clients are GRANDPA clients that followed the other chain's headers.
	for (chain, client, tracked) in [
		(&mut a, &channel.connection.client_on_a, "sim-b"),
		(&mut b, &channel.connection.client_on_b, "sim-a"),
	] {
		assert!(client.as_str().starts_with("10-grandpa-"), "{client}");
		let state = grandpa_client_state(chain, client);
		assert_eq!(state.chain_id.as_slice(), tracked.as_bytes());
		assert_eq!(state.authority_set.set_id, 0);
		assert!(state.latest_height > 1, "updated past genesis: {state:?}");
	}
}

#[test]
fn transfers_go_a_to_b_and_back_and_b_to_a() {
	let (mut a, mut b, channel) = linked();
	let to_b = channel.flipped();
	let trace_on_b = format!("transfer/{}/stake", channel.chan_on_b);
	let trace_on_a = format!("transfer/{}/stake", channel.chan_on_a);
	let alice_a = native(&mut a, &ALICE);

	// A -> B: ALICE's native tokens go into escrow on A; BOB gets vouchers on B.
	transfer(&mut a, &ALICE, &channel.chan_on_a, "stake", AMOUNT, &ss58(&BOB), None).unwrap();
	assert_eq!(escrow(&mut a, &channel.chan_on_a), AMOUNT);
	let relayed = relay(&mut a, &mut b, &channel);
	assert_eq!(relayed, Relayed { received: 1, acknowledged: 1, timed_out: 0 });
	assert_eq!(vouchers(&mut b, &trace_on_b, &BOB), AMOUNT);
	assert_eq!(native(&mut a, &ALICE), alice_a - AMOUNT);
	assert_eq!(pending(&mut a), 0, "the acknowledgement clears A's pending packet");

	// B -> A with the vouchers: burnt on B, unescrowed to ALICE on A.
	transfer(&mut b, &BOB, &channel.chan_on_b, &trace_on_b, 400, &ss58(&ALICE), None).unwrap();
	assert_eq!(vouchers(&mut b, &trace_on_b, &BOB), AMOUNT - 400);
	let relayed = relay(&mut b, &mut a, &to_b);
	assert_eq!(relayed, Relayed { received: 1, acknowledged: 1, timed_out: 0 });
	assert_eq!(escrow(&mut a, &channel.chan_on_a), AMOUNT - 400);
	assert_eq!(native(&mut a, &ALICE), alice_a - AMOUNT + 400);
	assert_eq!(pending(&mut b), 0);

	// B -> A with B's own native token: escrowed on B, vouchers on A.
	transfer(&mut b, &ALICE, &channel.chan_on_b, "stake", 700, &ss58(&BOB), None).unwrap();
	assert_eq!(escrow(&mut b, &channel.chan_on_b), 700);
	relay(&mut b, &mut a, &to_b);
	assert_eq!(vouchers(&mut a, &trace_on_a, &BOB), 700);
	// Nothing is left to relay either way.
	assert_eq!(relay(&mut a, &mut b, &channel), Relayed::default());
	assert_eq!(relay(&mut b, &mut a, &to_b), Relayed::default());
}

#[test]
fn a_packet_past_its_timeout_is_refunded_on_the_sender() {
	let (mut a, mut b, channel) = linked();
	let alice_a = native(&mut a, &ALICE);
	let b_now = b.latest().height;
	// Times out once B has sealed block b_now + 2.
	transfer(
		&mut a,
		&ALICE,
		&channel.chan_on_a,
		"stake",
		AMOUNT,
		&ss58(&BOB),
		Some((0, b_now + 2)),
	)
	.unwrap();
	assert_eq!(native(&mut a, &ALICE), alice_a - AMOUNT);
	b.advance(3);

	let relayed = relay(&mut a, &mut b, &channel);
	assert_eq!(relayed, Relayed { received: 0, acknowledged: 0, timed_out: 1 });
	assert_eq!(native(&mut a, &ALICE), alice_a, "the timeout refunds ALICE");
	assert_eq!(escrow(&mut a, &channel.chan_on_a), 0);
	assert_eq!(pending(&mut a), 0);
	let trace_on_b = format!("transfer/{}/stake", channel.chan_on_b);
	assert_eq!(vouchers(&mut b, &trace_on_b, &BOB), 0, "B never minted");
}

#[test]
fn an_error_acknowledgement_refunds_the_sender() {
	let (mut a, mut b, channel) = linked();
	let alice_a = native(&mut a, &ALICE);
	// B cannot parse the receiver: it acknowledges with an error.
	transfer(&mut a, &ALICE, &channel.chan_on_a, "stake", AMOUNT, "not-an-address", None).unwrap();
	let relayed = relay(&mut a, &mut b, &channel);
	assert_eq!(relayed, Relayed { received: 1, acknowledged: 1, timed_out: 0 });
	let ack = b
		.exec(|| Ibc::written_ack(b"transfer", channel.chan_on_b.as_str().as_bytes(), 1))
		.expect("B wrote an acknowledgement");
	assert!(String::from_utf8_lossy(&ack).contains("error"), "an error ack: {ack:?}");
	assert_eq!(native(&mut a, &ALICE), alice_a, "the error ack refunds ALICE");
	assert_eq!(escrow(&mut a, &channel.chan_on_a), 0);
	let trace_on_b = format!("transfer/{}/stake", channel.chan_on_b);
	assert!(b.exec(|| VoucherAssets::<Test>::get(bounded::<_>(trace_on_b.as_bytes()))).is_none());
}

#[test]
fn proofs_are_real_child_trie_proofs_of_the_sealed_root() {
	let (mut a, _b, channel) = linked();
	transfer(&mut a, &ALICE, &channel.chan_on_a, "stake", AMOUNT, &ss58(&BOB), None).unwrap();
	let sealed = a.seal();
	let path = format!("commitments/ports/transfer/channels/{}/sequences/1", channel.chan_on_a);
	let commitment = a.ibc_state(&path).expect("packet commitment");
	let proof = a.prove(std::slice::from_ref(&path));
	let proof = frame_ics_sim::relayer::decode_proof(proof.as_ref()).expect("a child-trie proof");
	// The root the sealed header's ibc0 digest carries, as the GRANDPA client reads it.
	let header = &a.block(sealed.number()).header;
	let root = ibc_client_grandpa::ConsensusState::from_header(header).unwrap().ibc_root;
	assert_eq!(root, sealed.ibc_root);
	assert_eq!(proof.read(&root, path.as_bytes()).unwrap(), Some(commitment.clone()));
	ibc_client_grandpa::proof::verify_membership(&root, &proof, path.as_bytes(), &commitment)
		.expect("the proof opens the sealed block's IBC root");
	assert!(
		ibc_client_grandpa::proof::verify_membership(
			&[7; 32],
			&proof,
			path.as_bytes(),
			&commitment
		)
		.is_err(),
		"not another root"
	);
}
