//! The GRANDPA clients refuse what a faulty or hostile relayer submits: tampered proofs, proofs
//! from another height, updates signed by too few (or the wrong) authorities, and updates that
//! skip an authority-set change; and they follow a change when the relayer submits the header
//! that enacts it. Every refused message leaves the destination's IBC state as it was.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::*;
use frame_ics_sim::{
	chain::{justify, weighted, KEYS_A, KEYS_B, KEYS_NEXT},
	connect, relay,
	relayer::{
		client_height, commitment_path, create_client, grandpa_client_state, grandpa_update,
		pending_packets, receipt_path, signer, update_client, update_client_to, update_message,
	},
	Chain, Relayed,
};
use ibc_core::{
	channel::types::{msgs::MsgRecvPacket, packet::Packet},
	client::types::Height,
	commitment_types::commitment::CommitmentProofBytes,
	host::types::identifiers::ClientId,
	primitives::{proto::Any, ToProto},
};
use pallet_ibc::{
	clients::HostChain,
	mock::{MockHostChain, Test, ALICE, BOB},
	pallet::Error,
};
use sp_runtime::DispatchError;

fn recv_message(packet: &Packet, proof: CommitmentProofBytes, proof_height: Height) -> Any {
	MsgRecvPacket {
		packet: packet.clone(),
		proof_commitment_on_a: proof,
		proof_height_on_a: proof_height,
		signer: signer(),
	}
	.to_any()
}

fn client_error() -> DispatchError {
	Error::<Test>::ClientError.into()
}

fn channel_error() -> DispatchError {
	Error::<Test>::ChannelError.into()
}

/// Delivers `messages` to `chain`, expects `error`, and checks the chain's IBC state (child
/// root) is what it was.
fn refused(chain: &mut Chain, messages: Vec<Any>, error: DispatchError, what: &str) {
	let before = chain.ibc_root_now();
	assert_eq!(chain.deliver(messages), Err(error), "{what}");
	assert_eq!(chain.ibc_root_now(), before, "{what}: storage touched");
}

#[test]
fn a_tampered_packet_or_a_proof_from_another_height_is_refused() {
	let (mut a, mut b, channel) = linked();
	let client_on_b = channel.connection.client_on_b.clone();
	transfer(&mut a, &ALICE, &channel.chan_on_a, "stake", AMOUNT, &ss58(&BOB), None).unwrap();
	let packet = pending_packets(&mut a, &channel).remove(0);
	let proof_height = update_client(&mut a, &mut b, &client_on_b).ibc_height();
	let proof = a.prove(&[commitment_path(&packet)]);

	// Wrong value: the relayer inflates the amount; the proof shows the real commitment.
	let mut inflated = packet.clone();
	let data = String::from_utf8(packet.data.clone()).unwrap();
	assert!(data.contains("\"1000\""), "{data}");
	inflated.data = data.replace("\"1000\"", "\"9000\"").into_bytes();
	refused(
		&mut b,
		vec![recv_message(&inflated, proof.clone(), proof_height)],
		channel_error(),
		"a packet whose commitment the proof does not show",
	);

	// A proof from other state: a fresh chain where the packet was never sent (it opens that
	// chain's root, not the one B's client holds).
	let absent_before = {
		let mut fresh = Chain::new("A");
		fresh.seal();
		fresh.prove(&[commitment_path(&packet)])
	};
	refused(
		&mut b,
		vec![recv_message(&packet, absent_before, proof_height)],
		channel_error(),
		"a proof that opens another root",
	);

	// A proof from another height: A's IBC state moves on (a second transfer), B's client
	// follows, and the relayer claims the old proof is of the new block.
	transfer(&mut a, &ALICE, &channel.chan_on_a, "stake", 5, &ss58(&BOB), None).unwrap();
	let later = update_client(&mut a, &mut b, &client_on_b).ibc_height();
	assert!(later > proof_height);
	refused(
		&mut b,
		vec![recv_message(&packet, proof.clone(), later)],
		channel_error(),
		"a proof of an older block at a newer height",
	);
	assert!(b.ibc_state(&receipt_path(&packet)).is_none(), "B never received it");

	// The honest relayer delivers both packets.
	let relayed = relay(&mut a, &mut b, &channel);
	assert_eq!(relayed, Relayed { received: 2, acknowledged: 2, timed_out: 0 });
	let trace = format!("transfer/{}/stake", channel.chan_on_b);
	assert_eq!(vouchers(&mut b, &trace, &BOB), AMOUNT + 5);
}

/// Two chains, and a GRANDPA client of A on B (started from A's genesis authorities).
fn client_of_a_on_b() -> (Chain, Chain, ClientId) {
	sp_tracing::try_init_simple();
	let mut a = Chain::new("A");
	let mut b = Chain::new("B");
	let client = create_client(&mut a, &mut b);
	(a, b, client)
}

#[test]
fn an_update_without_a_supermajority_of_the_right_set_is_refused() {
	let (mut a, mut b, client) = client_of_a_on_b();
	let target = a.advance(3).number();
	let honest = grandpa_update(&a, 0, target);
	let before = grandpa_client_state(&mut b, &client);

	// Two of A's four authorities are not a supermajority.
	let mut too_few = honest.clone();
	too_few.justification = justify(&honest.target, 0, 1, &KEYS_A[..2]);
	refused(&mut b, vec![update_message(&client, too_few)], client_error(), "2 of 4 signers");

	// Three keys of another chain (B's authorities) are not A's.
	let mut strangers = honest.clone();
	strangers.justification = justify(&honest.target, 0, 1, &KEYS_B[..3]);
	refused(&mut b, vec![update_message(&client, strangers)], client_error(), "B's keys");

	// A's supermajority, but under a set id the client does not know.
	let mut wrong_set = honest.clone();
	wrong_set.justification = justify(&honest.target, 1, 1, &KEYS_A[..3]);
	refused(&mut b, vec![update_message(&client, wrong_set)], client_error(), "set id 1");

	// A node's unoptimized justification (a redundant fourth vote) fails strict verification.
	let mut redundant = honest.clone();
	redundant.justification = justify(&honest.target, 0, 1, &KEYS_A);
	refused(&mut b, vec![update_message(&client, redundant)], client_error(), "redundant vote");

	// Missing ancestry.
	let mut gap = honest.clone();
	gap.ancestry.remove(0);
	refused(&mut b, vec![update_message(&client, gap)], client_error(), "incomplete ancestry");

	assert_eq!(grandpa_client_state(&mut b, &client), before, "the client did not move");
	assert_eq!(b.deliver(vec![update_message(&client, honest)]), Ok(()));
	assert_eq!(grandpa_client_state(&mut b, &client).latest_height, target);
}

#[test]
fn a_scheduled_authority_set_change_is_followed_and_cannot_be_skipped() {
	let (mut a, mut b, channel) = linked();
	let client_on_b = channel.connection.client_on_b.clone();
	let from = grandpa_client_state(&mut b, &client_on_b).latest_height;

	// A schedules a change to new keys (delay 0): block S still signed by set 0, the blocks
	// after it by set 1.
	a.schedule_authority_change(&KEYS_NEXT);
	let change = a.seal().number();
	assert!(a.block(change).changes_authorities());
	let tip = a.advance(2).number();
	assert_eq!(a.voters().set_id, 1);
	assert_eq!(a.block(tip).voters.keys, KEYS_NEXT.to_vec());
	assert_eq!(a.exec(MockHostChain::grandpa_set_id), 1, "A's runtime reports set 1");

	// Skipping the change: the new set's justification of the tip, the change buried in the
	// ancestry.
	let skipping = grandpa_update(&a, from, tip);
	assert!(skipping.ancestry.iter().any(|h| h.number == change));
	refused(
		&mut b,
		vec![update_message(&client_on_b, skipping.clone())],
		client_error(),
		"an update past an unenacted set change (new set's justification)",
	);
	// ... nor with the old set's justification of the tip.
	let mut old_set = skipping;
	old_set.justification = justify(&old_set.target, 0, 1, &KEYS_A[..3]);
	refused(
		&mut b,
		vec![update_message(&client_on_b, old_set)],
		client_error(),
		"an update past an unenacted set change (old set's justification)",
	);
	assert_eq!(grandpa_client_state(&mut b, &client_on_b).latest_height, from);

	// The relayer submits the enacting header first, then the tip: B's client follows.
	update_client_to(&a, &mut b, &client_on_b, tip);
	let state = grandpa_client_state(&mut b, &client_on_b);
	assert_eq!(state.latest_height, tip);
	assert_eq!(state.authority_set.set_id, 1);
	assert_eq!(state.authority_set.authorities.to_vec(), weighted(&KEYS_NEXT));
	// The replaced set is kept by B's pallet-ibc beside the client state, not in it.
	let kept = b.exec(|| {
		let id: pallet_ibc::types::IdBytes =
			client_on_b.as_str().as_bytes().to_vec().try_into().unwrap();
		let ids = pallet_ibc::GrandpaPastSetIds::<Test>::get(&id).into_inner();
		(ids, pallet_ibc::GrandpaPastSets::<Test>::get(&id, 0))
	});
	assert_eq!(kept.0, vec![0]);
	assert_eq!(kept.1.map(|set| set.authorities.to_vec()), Some(weighted(&KEYS_A)));

	// The old set can no longer finalize A's blocks for B's client.
	let next = a.seal().number();
	let mut by_old_keys = grandpa_update(&a, tip, next);
	by_old_keys.justification = justify(&by_old_keys.target, 1, 1, &KEYS_A[..3]);
	refused(
		&mut b,
		vec![update_message(&client_on_b, by_old_keys)],
		client_error(),
		"the old keys after the change",
	);

	// Packets flow both ways, proven under the new set's headers.
	transfer(&mut a, &ALICE, &channel.chan_on_a, "stake", AMOUNT, &ss58(&BOB), None).unwrap();
	let relayed = relay(&mut a, &mut b, &channel);
	assert_eq!(relayed, Relayed { received: 1, acknowledged: 1, timed_out: 0 });
	let trace = format!("transfer/{}/stake", channel.chan_on_b);
	assert_eq!(vouchers(&mut b, &trace, &BOB), AMOUNT);

	// A new connection from scratch: clients started from A's genesis set step through the
	// change, and A accepts B's client of it at set 1 in the handshake.
	let second = connect(&mut a, &mut b);
	let state = grandpa_client_state(&mut b, &second.client_on_b);
	assert_eq!(state.authority_set.set_id, 1);
	assert!(client_height(&mut b, &second.client_on_b).revision_height() > u64::from(change));
}
