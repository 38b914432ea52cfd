//! The outgoing queue: order, slash replies, bounces and retries, queue full, channel closing.

use crate::{
	mock::*,
	outbox::{AckOutcome, OutboxFifo},
	pallet::*,
	session::MaturingFifo,
	types::{CcvChannelState, ChannelCloseCause},
};
use ccv_primitives::{
	channel::{CcvIbcApp, PacketRef},
	wire::{encode_consumer_packet, Acknowledgement, CcvAckResult},
	ConsumerPacket, Infraction, SlashPacket, VscMaturedPacket,
};
use frame_support::assert_ok;

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

/// Acknowledges `packet` with `result`, as pallet-ibc would.
fn ack(packet: ConsumerPacket, result: CcvAckResult) {
	let data = encode_consumer_packet(&packet).unwrap();
	CcvConsumer::on_acknowledgement(&ccv_packet(0), &data, &Acknowledgement::ccv(result)).unwrap();
}

/// Establishes the CCV channel with a VSC that changes nothing.
fn establish() {
	assert_eq!(recv_vsc(1, vec![]), crate::tests::vsc_ok());
}

#[test]
fn nothing_is_sent_before_the_channel_is_established() {
	run(|| {
		assert_ok!(CcvConsumer::queue_packet(slash(1)));
		run_to_block(3);
		assert!(sent_packets().is_empty());
		establish();
		next_block();
		assert_eq!(sent_packets(), vec![slash(1)]);
	});
}

#[test]
fn slash_blocks_the_queue_until_handled() {
	run(|| {
		establish();
		for p in [slash(1), matured(1), slash(2)] {
			assert_ok!(CcvConsumer::queue_packet(p));
		}
		next_block();
		assert_eq!(sent_packets(), vec![slash(1)]);
		next_block();
		assert_eq!(sent_packets(), vec![slash(1)], "waits for the reply");
		ack(slash(1), CcvAckResult::SlashHandled);
		assert_eq!(queued(), vec![matured(1), slash(2)]);
		assert!(ccv_events().contains(&Event::SlashPacketHandled { validator: key(1).address() }));
		next_block();
		assert_eq!(sent_packets(), vec![slash(1), matured(1), slash(2)]);
		assert_eq!(queued(), vec![slash(2)], "matured left once sent, slash stays");
		// A double-sign style 0x01 result also pops a slash.
		ack(slash(2), CcvAckResult::V1);
		assert!(queued().is_empty());
		assert!(SlashState::<Test>::get().is_none());
	});
}

/// Send times (unix ms) of the packets the fake channel sent, in order.
fn send_times() -> Vec<u64> {
	CHANNEL.with(|c| c.borrow().sent.iter().map(|p| p.timeout_ms - CCV_TIMEOUT_MS).collect())
}

#[test]
fn bounced_slash_is_retried_after_the_delay_and_order_is_kept() {
	run(|| {
		// Keep the establishing VSC's own maturity out of the way.
		Params::<Test>::mutate(|p| p.as_mut().unwrap().unbonding_period_ms = 1_000 * SLOT_MS);
		establish();
		let packets = vec![slash(1), matured(7), slash(2), slash(3)];
		for p in &packets {
			assert_ok!(CcvConsumer::queue_packet(*p));
		}
		// The provider bounces every slash once, then handles it.
		let mut bounced = vec![];
		for _ in 0..40 {
			next_block();
			let sent = sent_packets();
			let Some(last @ ConsumerPacket::Slash(_)) = sent.last().copied() else { continue };
			if SlashState::<Test>::get().is_some_and(|r| r.waiting_on_reply) {
				if bounced.contains(&last) {
					ack(last, CcvAckResult::SlashHandled);
				} else {
					bounced.push(last);
					ack(last, CcvAckResult::SlashBounced);
					assert_eq!(queued().first(), Some(&last), "bounced packet stays at the front");
				}
			}
		}
		assert!(queued().is_empty());
		assert_eq!(
			sent_packets(),
			vec![slash(1), slash(1), matured(7), slash(2), slash(2), slash(3), slash(3)]
		);
		// Each retry waited retry_delay_period since the bounced send, and not much more.
		let times = send_times();
		for (first, retry) in [(0, 1), (3, 4), (5, 6)] {
			let waited = times[retry] - times[first];
			assert!((RETRY_MS..RETRY_MS + 2 * SLOT_MS).contains(&waited), "waited {waited}");
		}
	});
}

#[test]
fn full_queue_refuses_and_producers_keep_their_packets() {
	run(|| {
		for i in 1..=4 {
			assert_ok!(CcvConsumer::queue_packet(slash(i)));
		}
		assert!(matches!(CcvConsumer::queue_packet(slash(5)), Err(Error::<Test>::OutboxFull)));
		assert!(ccv_events().contains(&Event::OutboxFull { packet: slash(5) }));
		assert_eq!(queued(), vec![slash(1), slash(2), slash(3), slash(4)], "nothing dropped");

		// A matured VSC waits in the maturing queue while the outbox is full.
		establish();
		CHANNEL.with(|c| c.borrow_mut().fail_send = true);
		run_to_block(BLOCKS_PER_SESSION as u64); // VSC 1 applied
		let due = crate::session::MaturingFifo::<Test>::front().unwrap().matures_at_ms;
		while CcvConsumer::now_ms() < due + 2 * SLOT_MS {
			next_block();
		}
		assert_eq!(crate::session::MaturingFifo::<Test>::len(), 1, "held back, not lost");
		assert_eq!(queued().len(), 4);

		// The provider handles the slashes: the queue drains and the matured VSC follows.
		CHANNEL.with(|c| c.borrow_mut().fail_send = false);
		for i in 1..=4 {
			next_block();
			ack(slash(i), CcvAckResult::SlashHandled);
		}
		next_block();
		assert_eq!(crate::session::MaturingFifo::<Test>::len(), 0);
		assert_eq!(sent_packets().last(), Some(&matured(1)));
	});
}

#[test]
fn send_failure_keeps_the_packet() {
	run(|| {
		establish();
		assert_ok!(CcvConsumer::queue_packet(matured(1)));
		CHANNEL.with(|c| c.borrow_mut().fail_send = true);
		next_block();
		assert_eq!(queued(), vec![matured(1)]);
		CHANNEL.with(|c| c.borrow_mut().fail_send = false);
		next_block();
		assert!(queued().is_empty());
		assert_eq!(sent_packets(), vec![matured(1)]);
		let sent = CHANNEL.with(|c| c.borrow().sent[0].clone());
		assert_eq!(sent.port, b"consumer".to_vec());
		assert_eq!(sent.channel, id(CCV_CHANNEL));
		// Sent in on_initialize, when `Now` was the previous block's time.
		assert_eq!(sent.timeout_ms, CcvConsumer::now_ms() - SLOT_MS + CCV_TIMEOUT_MS);
	});
}

#[test]
fn packets_per_block_are_capped() {
	run(|| {
		establish();
		for v in 1..=4 {
			assert_ok!(CcvConsumer::queue_packet(matured(v)));
		}
		next_block();
		assert_eq!(sent_packets().len(), 3, "MaxPacketsPerBlock = 3");
		next_block();
		assert_eq!(sent_packets(), (1..=4).map(matured).collect::<Vec<_>>());
	});
}

#[test]
fn unexpected_acks_are_ignored() {
	run(|| {
		establish();
		assert_ok!(CcvConsumer::queue_packet(slash(1)));
		// Before it is sent.
		let data = encode_consumer_packet(&slash(1)).unwrap();
		let ok = Acknowledgement::ccv(CcvAckResult::SlashHandled);
		assert_eq!(CcvConsumer::handle_ack(&ccv_packet(0), &data, &ok), AckOutcome::Ignored);
		next_block();
		// For another packet than the one at the front.
		let other = encode_consumer_packet(&slash(2)).unwrap();
		assert_eq!(CcvConsumer::handle_ack(&ccv_packet(0), &other, &ok), AckOutcome::Ignored);
		assert_eq!(CcvConsumer::handle_ack(&ccv_packet(0), b"junk", &ok), AckOutcome::Ignored);
		assert_eq!(queued(), vec![slash(1)]);
		assert_eq!(CcvConsumer::handle_ack(&ccv_packet(0), &data, &ok), AckOutcome::SlashHandled);
	});
}

#[test]
fn error_ack_closes_the_channel_and_the_chain_keeps_its_set() {
	run(|| {
		establish();
		assert_ok!(CcvConsumer::queue_packet(slash(1)));
		assert_ok!(CcvConsumer::queue_packet(slash(2)));
		next_block();
		let data = encode_consumer_packet(&slash(1)).unwrap();
		let err = Acknowledgement::Error("boom".into());
		assert_eq!(
			CcvConsumer::handle_ack(&ccv_packet(0), &data, &err),
			AckOutcome::ChannelClosing
		);
		assert_eq!(CcvChannel::<Test>::get(), Some(CcvChannelState::Closed(id(CCV_CHANNEL))));
		CHANNEL.with(|c| assert_eq!(c.borrow().closed, vec![id(CCV_CHANNEL)]));
		assert!(ccv_events().contains(&Event::CcvChannelClosed {
			channel: id(CCV_CHANNEL),
			cause: ChannelCloseCause::ErrorAck
		}));
		// Nothing more is sent or queued, nothing is lost, blocks go on with the same set.
		let set = CurrentValidators::<Test>::get();
		run_to_block(3 * BLOCKS_PER_SESSION as u64);
		assert_eq!(sent_packets(), vec![slash(1)]);
		assert_eq!(queued(), vec![slash(1), slash(2)]);
		// VSC 1 was applied at the first boundary and matured, but stays in the maturing queue.
		assert_eq!(CcvConsumer::applied_vsc_id(), 1);
		assert_eq!(MaturingFifo::<Test>::front().map(|m| m.vsc_id), Some(1));
		assert_eq!(CurrentValidators::<Test>::get(), set);
		// VSCs on the closed channel are refused.
		assert_eq!(
			recv_vsc(2, vec![val(4, 4)]),
			Acknowledgement::Error(crate::types::VscRejection::ChannelClosed.message().into())
		);
	});
}

#[test]
fn timeout_closes_the_channel() {
	run(|| {
		establish();
		assert_ok!(CcvConsumer::queue_packet(slash(1)));
		next_block();
		let data = encode_consumer_packet(&slash(1)).unwrap();
		let packet = PacketRef { port: id("consumer"), channel: id(CCV_CHANNEL), sequence: 1 };
		CcvConsumer::on_timeout(&packet, &data).unwrap();
		assert_eq!(CcvChannel::<Test>::get(), Some(CcvChannelState::Closed(id(CCV_CHANNEL))));
		assert!(ccv_events().contains(&Event::CcvChannelClosed {
			channel: id(CCV_CHANNEL),
			cause: ChannelCloseCause::Timeout
		}));
		// The host closes the ORDERED channel itself after a timeout: no close of our own.
		CHANNEL.with(|c| assert!(c.borrow().closed.is_empty()));
		assert_eq!(queued(), vec![slash(1)], "kept");
		assert!(SlashState::<Test>::get().is_none());
	});
}
