//! The CCV channel closed: the close is recorded once, for the CCV channel only, and the chain
//! keeps running with its last set, tracking no downtime and sending nothing.

use super::rewards::{every, handshake};
use crate::{
	equivocation::{DoubleSignBacklogFifo, EquivocationOffender},
	mock::*,
	outbox::{AckOutcome, OutboxFifo},
	pallet::*,
	session::MaturingFifo,
	types::{CcvChannelState, ChannelCloseCause},
};
use ccv_primitives::{
	channel::{CcvIbcApp, ChannelError, ChannelOpen, IbcId, PacketRef},
	wire::{encode_consumer_packet, Acknowledgement},
	ConsumerPacket, Infraction, SlashPacket, VscMaturedPacket,
};
use frame_support::{
	assert_ok,
	pallet_prelude::Weight,
	traits::fungible::{Inspect, Mutate},
};
use sp_staking::offence::{OffenceDetails, OnOffenceHandler};

fn slash(i: u8) -> ConsumerPacket {
	ConsumerPacket::Slash(SlashPacket {
		validator: key(i).address(),
		power: 10,
		vsc_id: 0,
		infraction: Infraction::Downtime,
	})
}

fn matured(vsc_id: u64) -> ConsumerPacket {
	ConsumerPacket::VscMatured(VscMaturedPacket { vsc_id })
}

fn queued() -> Vec<ConsumerPacket> {
	(0..OutboxFifo::<Test>::len()).map(|i| OutboxFifo::<Test>::get(i).unwrap()).collect()
}

/// Establishes the CCV channel with a VSC that changes nothing.
fn establish() {
	assert_eq!(recv_vsc(1, vec![]), crate::tests::vsc_ok());
}

/// The provider closed its end of `channel`; a relayer delivers the close confirm to ours.
fn close_confirm(channel: &str) {
	assert_eq!(CcvConsumer::on_chan_close_confirm(&id("consumer"), &id(channel)), Ok(()));
}

/// `(channel, cause)` of every `CcvChannelClosed` event so far.
fn closes() -> Vec<(IbcId, ChannelCloseCause)> {
	ccv_events()
		.into_iter()
		.filter_map(|e| match e {
			Event::CcvChannelClosed { channel, cause } => Some((channel, cause)),
			_ => None,
		})
		.collect()
}

/// Events of this pallet after the first `from`.
fn events_after(from: usize) -> Vec<Event<Test>> {
	ccv_events().into_iter().skip(from).collect()
}

fn ccv_open() -> ChannelOpen {
	ChannelOpen {
		port: id("consumer"),
		channel: id("channel-2"),
		counterparty_port: id("provider"),
		ordered: true,
		connection_hops: vec![id("connection-0")],
		client_id: id(PROVIDER_CLIENT),
		version: b"1".to_vec(),
	}
}

#[test]
fn close_confirm_of_the_ccv_channel_closes_it_for_good() {
	run(|| {
		establish();
		assert!(!CcvConsumer::ccv_channel_closed());
		close_confirm(CCV_CHANNEL);
		assert!(CcvConsumer::ccv_channel_closed());
		assert_eq!(CcvChannel::<Test>::get(), Some(CcvChannelState::Closed(id(CCV_CHANNEL))));
		// What the runtime API answers.
		assert_eq!(CcvConsumer::ccv_channel(), Some(CcvChannelState::Closed(id(CCV_CHANNEL))));
		assert_eq!(closes(), vec![(id(CCV_CHANNEL), ChannelCloseCause::ClosedByProvider)]);
		// The host closes our end after the callback: no close of our own.
		CHANNEL.with(|c| assert!(c.borrow().closed.is_empty()));

		// Later closes and answers on it record nothing more.
		close_confirm(CCV_CHANNEL);
		let data = encode_consumer_packet(&matured(1)).unwrap();
		assert_eq!(CcvConsumer::handle_timeout(&ccv_packet(1), &data), AckOutcome::ChannelClosing);
		assert_eq!(closes().len(), 1);
		// No VSC is accepted and no new CCV channel either.
		assert_eq!(
			recv_vsc(2, vec![val(4, 40)]),
			Acknowledgement::Error(crate::types::VscRejection::ChannelClosed.message().into())
		);
		assert_eq!(
			CcvConsumer::on_chan_open_init(&ccv_open()),
			Err(ChannelError::Refused("ChannelExists"))
		);
	});
}

#[test]
fn a_close_of_another_channel_is_ignored() {
	run(|| {
		// Before the first VSC no CCV channel is established: nothing to close.
		close_confirm(CCV_CHANNEL);
		assert_eq!(CcvChannel::<Test>::get(), None);
		establish();
		close_confirm("channel-7");
		assert_eq!(CcvConsumer::on_chan_close_confirm(&id("transfer"), &id(CCV_CHANNEL)), Ok(()));
		// Answers to a packet on another channel do not close the CCV channel either.
		let other = PacketRef { port: id("consumer"), channel: id("channel-7"), sequence: 1 };
		let data = encode_consumer_packet(&matured(1)).unwrap();
		assert_eq!(CcvConsumer::handle_timeout(&other, &data), AckOutcome::Ignored);
		let err = Acknowledgement::Error("boom".into());
		assert_eq!(CcvConsumer::handle_ack(&other, &data, &err), AckOutcome::Ignored);

		assert_eq!(CcvChannel::<Test>::get(), Some(CcvChannelState::Established(id(CCV_CHANNEL))));
		assert!(closes().is_empty());
		CHANNEL.with(|c| assert!(c.borrow().closed.is_empty()));
		// Still sending.
		assert_ok!(CcvConsumer::queue_packet(matured(1)));
		next_block();
		assert_eq!(sent_packets(), vec![matured(1)]);
	});
}

#[test]
fn after_the_close_the_chain_keeps_its_set_and_sends_nothing() {
	run(|| {
		handshake();
		every(1);
		establish();
		let ccv = CcvConsumer::ccv_account();
		Balances::set_balance(&ccv, 1_000);
		assert_ok!(CcvConsumer::queue_packet(slash(1)));
		assert_ok!(CcvConsumer::queue_packet(matured(9)));
		next_block();
		// Working before the close: the slash went out and rewards were transmitted.
		assert_eq!(sent_packets(), vec![slash(1)]);
		CHANNEL.with(|c| assert_eq!(c.borrow().transfers.len(), 1));
		Balances::set_balance(&ccv, 1_000);

		close_confirm(CCV_CHANNEL);
		let from = ccv_events().len();
		let (set, aura, grandpa) = (
			CurrentValidators::<Test>::get(),
			pallet_aura::Authorities::<Test>::get(),
			Grandpa::grandpa_authorities(),
		);
		let (signing, last_slot, slash_state) = (
			SigningInfos::<Test>::iter().collect::<Vec<_>>(),
			LastSlot::<Test>::get(),
			SlashState::<Test>::get(),
		);
		// Three sessions with an empty slot before every block: VSC 1 is applied and matures,
		// and each validator misses slots.
		let start = System::block_number();
		while System::block_number() < start + 3 * u64::from(BLOCKS_PER_SESSION) {
			next_block_after(1);
			CcvConsumer::do_try_state().unwrap();
		}

		// Nothing sent, queued or transmitted; the queue, the slash record and the rewards stay.
		assert_eq!(sent_packets(), vec![slash(1)]);
		CHANNEL.with(|c| assert_eq!(c.borrow().transfers.len(), 1));
		assert_eq!(Balances::balance(&ccv), 1_000);
		assert_eq!(queued(), vec![slash(1), matured(9)]);
		assert_eq!(SlashState::<Test>::get(), slash_state);
		assert_eq!(MaturingFifo::<Test>::front().map(|m| m.vsc_id), Some(1), "matured, kept");
		// No downtime tracked.
		assert_eq!(SigningInfos::<Test>::iter().collect::<Vec<_>>(), signing);
		assert_eq!(LastSlot::<Test>::get(), last_slot);
		// Same authorities; sessions still roll.
		assert_eq!(CurrentValidators::<Test>::get(), set);
		assert_eq!(pallet_aura::Authorities::<Test>::get(), aura);
		assert_eq!(Grandpa::grandpa_authorities(), grandpa);
		let later = events_after(from);
		assert_eq!(later.iter().filter(|e| matches!(e, Event::NewSession { .. })).count(), 3);
		assert!(
			later
				.iter()
				.all(|e| matches!(e, Event::NewSession { .. } | Event::ValidatorSetApplied { .. })),
			"{later:?}"
		);
		// Producers are refused without an `OutboxFull`.
		assert!(matches!(
			CcvConsumer::queue_packet(slash(2)),
			Err(Error::<Test>::CcvChannelClosed)
		));
		assert_eq!(events_after(from).len(), later.len());
	});
}

#[test]
fn a_vsc_received_before_the_close_is_still_applied() {
	run(|| {
		establish();
		assert_eq!(recv_vsc(2, vec![val(4, 40)]), crate::tests::vsc_ok());
		close_confirm(CCV_CHANNEL);
		run_to_block(u64::from(BLOCKS_PER_SESSION));
		let expected = vec![val(1, 10), val(2, 20), val(3, 30), val(4, 40)];
		assert_eq!(CcvConsumer::current_validators(), expected);
		assert_eq!(pallet_aura::Authorities::<Test>::get().len(), 4);
		assert_eq!(CcvConsumer::applied_vsc_id(), 2);
		run_to_block(3 * u64::from(BLOCKS_PER_SESSION));
		assert_eq!(CcvConsumer::current_validators(), expected);
	});
}

#[test]
fn a_double_sign_after_the_close_keeps_no_packet() {
	run(|| {
		establish();
		close_confirm(CCV_CHANNEL);
		let offender = EquivocationOffender { key: key(2), power: 20, set_id: 0, vsc_id: 0 };
		<CcvConsumer as OnOffenceHandler<u64, EquivocationOffender, Weight>>::on_offence(
			&[OffenceDetails { offender, reporters: vec![] }],
			&[],
			0,
		);
		assert!(queued().is_empty());
		assert_eq!(DoubleSignBacklogFifo::<Test>::len(), 0);
		assert!(
			ccv_events().contains(&Event::DoubleSignPacketDropped { validator: key(2).address() })
		);
	});
}
