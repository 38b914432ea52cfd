//! Closing an ORDERED CCV-style channel (pallet-ibc's test app on port `test`, as the CCV
//! pallets sit on theirs): the side that closes, by its own close or by a timeout, tells its app
//! through the timeout alone; the other side's app learns it from `MsgChannelCloseConfirm`,
//! relayed with a real child-trie proof, before its end closes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccv_primitives::channel::{ChannelError, IbcChannel, IbcId};
use frame_ics_sim::{close_confirm, connect, open_channel, relay, Chain, ChannelPair, Relayed};
use frame_support::storage::unhashed;
use ibc_core::{
	channel::types::channel::{ChannelEnd, Order, State},
	host::types::identifiers::{ChannelId, PortId},
	primitives::proto::Protobuf,
};
use pallet_ibc::mock::{Ibc, CLOSE_CONFIRMED, TIMED_OUT};

/// Two chains with an OPEN ORDERED channel on `test`.
fn ordered_pair() -> (Chain, Chain, ChannelPair) {
	sp_tracing::try_init_simple();
	let mut a = Chain::new("A");
	let mut b = Chain::new("B");
	let connection = connect(&mut a, &mut b);
	let port = PortId::new("test".to_string()).unwrap();
	let channel = open_channel(&mut a, &mut b, &connection, port, "1", Order::Ordered);
	(a, b, channel)
}

fn ibc_id(channel: &ChannelId) -> IbcId {
	IbcId::try_from(channel.as_str().as_bytes().to_vec()).unwrap()
}

fn state(chain: &mut Chain, channel: &ChannelId) -> State {
	let bytes = chain.ibc_state(&format!("channelEnds/ports/test/channels/{channel}")).unwrap();
	ChannelEnd::decode_vec(&bytes).unwrap().state
}

/// What the app on `chain` was told by `on_chan_close_confirm`: (channel, still open then).
fn close_confirmed(chain: &mut Chain) -> Option<(Vec<u8>, bool)> {
	chain.exec(|| unhashed::get(CLOSE_CONFIRMED))
}

#[test]
fn the_other_end_learns_of_a_close_from_close_confirm() {
	let (mut a, mut b, channel) = ordered_pair();
	let chan_a = ibc_id(&channel.chan_on_a);
	a.exec(|| <Ibc as IbcChannel>::close_channel(b"test", &chan_a)).unwrap();
	assert_eq!(state(&mut a, &channel.chan_on_a), State::Closed);
	assert_eq!(state(&mut b, &channel.chan_on_b), State::Open);
	assert_eq!(close_confirmed(&mut b), None);

	close_confirm(&mut a, &mut b, &channel);
	assert_eq!(
		close_confirmed(&mut b),
		Some((channel.chan_on_b.as_str().as_bytes().to_vec(), true)),
		"told while its end was still open"
	);
	assert_eq!(state(&mut b, &channel.chan_on_b), State::Closed);
	assert_eq!(close_confirmed(&mut a), None, "the closing side is not told by a confirm");
}

#[test]
fn an_ordered_timeout_closes_the_sender_and_the_receiver_learns_it_from_close_confirm() {
	let (mut a, mut b, channel) = ordered_pair();
	let chan_a = ibc_id(&channel.chan_on_a);
	// Times out just after B's latest block.
	let timeout_ms = b.latest().timestamp_ns / 1_000_000 + 1;
	let seq = a
		.exec(|| <Ibc as IbcChannel>::send_packet(b"test", &chan_a, b"late".to_vec(), timeout_ms))
		.unwrap();
	b.advance(2);

	assert_eq!(relay(&mut a, &mut b, &channel), Relayed { timed_out: 1, ..Default::default() });
	// A's app saw the timeout with the channel still open, then ibc-rs closed it; no confirm.
	assert_eq!(a.exec(|| unhashed::get::<(u64, bool)>(TIMED_OUT)), Some((seq, true)));
	assert_eq!(state(&mut a, &channel.chan_on_a), State::Closed);
	assert_eq!(close_confirmed(&mut a), None);
	assert_eq!(
		a.exec(|| <Ibc as IbcChannel>::send_packet(b"test", &chan_a, vec![1], u64::MAX / 2)),
		Err(ChannelError::ChannelNotOpen)
	);

	// B's end is still open until the close is relayed.
	assert_eq!(state(&mut b, &channel.chan_on_b), State::Open);
	close_confirm(&mut a, &mut b, &channel);
	assert_eq!(
		close_confirmed(&mut b),
		Some((channel.chan_on_b.as_str().as_bytes().to_vec(), true))
	);
	assert_eq!(state(&mut b, &channel.chan_on_b), State::Closed);
}
