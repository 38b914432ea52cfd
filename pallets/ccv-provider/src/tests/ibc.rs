//! The CCV channel: handshake, consumer packets in, acknowledgements and timeouts of VSCs, the
//! consumer closing the channel.

use crate::{mock::*, *};
use ccv_primitives::{
	channel::{CcvIbcApp, ChannelError, ChannelOpen, PacketRef},
	wire::{
		decode_vsc_packet, encode_consumer_packet, Acknowledgement, CcvAckResult, HandshakeMetadata,
	},
	ConsensusAddress, ConsumerId, ConsumerPacket, Infraction, SlashAck, SlashPacket,
	ValidatorUpdate, VscMaturedPacket, DEFAULT_CONSENSUS_ADDRESS_HRP,
};
use frame_support::assert_ok;

fn packet_ref(channel: &str) -> PacketRef {
	PacketRef { port: ibc_id("provider"), channel: ibc_id(channel), sequence: 1 }
}

fn recv(channel: &str, packet: ConsumerPacket) -> Acknowledgement {
	CcvProvider::on_recv_packet(&packet_ref(channel), &encode_consumer_packet(&packet).unwrap())
}

fn downtime(key: u8, vsc_id: u64) -> ConsumerPacket {
	ConsumerPacket::Slash(SlashPacket {
		validator: ckey(key).address(),
		power: 100,
		vsc_id,
		infraction: Infraction::Downtime,
	})
}

fn ack(result: CcvAckResult) -> Acknowledgement {
	Acknowledgement::ccv(result)
}

fn is_error(a: &Acknowledgement) -> bool {
	matches!(a, Acknowledgement::Error(_))
}

fn launched_with_channel() -> ConsumerId {
	let id = launched_consumer(100, 1);
	open_channel(id, "channel-0");
	id
}

#[test]
fn provider_never_initiates_or_acks_a_handshake() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		let open = channel_open("channel-0", ConsumerClient::<Test>::get(id).unwrap());
		assert_eq!(
			CcvProvider::on_chan_open_init(&open),
			Err(ChannelError::Refused(
				"the CCV channel handshake must be initiated by the consumer"
			))
		);
		assert_eq!(
			CcvProvider::on_chan_open_ack(&open),
			Err(ChannelError::Refused("the provider never initiates a CCV channel"))
		);
	});
}

#[test]
fn chan_open_try_accepts_only_a_valid_ccv_channel_on_the_consumer_client() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		let client = ConsumerClient::<Test>::get(id).unwrap();
		let good = channel_open("channel-0", client.clone());
		let bad = [
			ChannelOpen { ordered: false, ..good.clone() },
			ChannelOpen { port: ibc_id("transfer"), ..good.clone() },
			ChannelOpen { counterparty_port: ibc_id("provider"), ..good.clone() },
			ChannelOpen { version: b"2".to_vec(), ..good.clone() },
			ChannelOpen { connection_hops: vec![], ..good.clone() },
			ChannelOpen { client_id: ibc_id("07-tendermint-0"), ..good.clone() },
		];
		for open in &bad {
			assert!(
				matches!(CcvProvider::on_chan_open_try(open), Err(ChannelError::Refused(_))),
				"{open:?}"
			);
		}
		assert!(!PendingChannel::<Test>::contains_key(id));

		let version = CcvProvider::on_chan_open_try(&good).unwrap();
		let metadata = HandshakeMetadata::decode_proto(&version).unwrap();
		assert_eq!(metadata.version, "1");
		assert_eq!(
			metadata.provider_fee_pool_addr,
			format!("acc{}", CcvProvider::fee_pool_account(id))
		);
		assert_eq!(PendingChannel::<Test>::get(id), Some(ibc_id("channel-0")));
		assert_eq!(ConsumerChannel::<Test>::get(id), None);
	});
}

#[test]
fn the_first_confirmed_channel_is_kept_for_good() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		let client = ConsumerClient::<Test>::get(id).unwrap();
		let port = ibc_id("provider");
		// Two tries: the later one replaces the earlier, which can no longer confirm.
		assert_ok!(CcvProvider::on_chan_open_try(&channel_open("channel-0", client.clone())));
		assert_ok!(CcvProvider::on_chan_open_try(&channel_open("channel-1", client.clone())));
		assert_eq!(
			CcvProvider::on_chan_open_confirm(&port, &ibc_id("channel-0")),
			Err(ChannelError::Refused("channel was not opened by chan_open_try"))
		);
		assert_eq!(
			CcvProvider::on_chan_open_confirm(&ibc_id("transfer"), &ibc_id("channel-1")),
			Err(ChannelError::Refused("not the provider port"))
		);
		assert_ok!(CcvProvider::on_chan_open_confirm(&port, &ibc_id("channel-1")));
		assert_eq!(ConsumerChannel::<Test>::get(id), Some(ibc_id("channel-1")));
		assert!(provider_events().contains(&Event::ChannelEstablished {
			consumer_id: id,
			channel_id: ibc_id("channel-1")
		}));
		// No second channel.
		assert_eq!(
			CcvProvider::on_chan_open_try(&channel_open("channel-2", client)),
			Err(ChannelError::Refused("consumer not launched or already has a CCV channel"))
		);
	});
}

#[test]
fn chan_open_try_refuses_a_consumer_that_is_not_launched() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		let client = ConsumerClient::<Test>::get(id).unwrap();
		assert_ok!(CcvProvider::remove_consumer(RuntimeOrigin::root(), id));
		assert_eq!(
			CcvProvider::on_chan_open_try(&channel_open("channel-0", client)),
			Err(ChannelError::Refused("consumer not launched or already has a CCV channel"))
		);
	});
}

#[test]
fn vsc_matured_is_recorded_for_known_ids_only() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_with_channel();
		let matured = |vsc_id| ConsumerPacket::VscMatured(VscMaturedPacket { vsc_id });
		assert!(is_error(&recv("channel-0", matured(1))));
		assert_eq!(LatestMaturedVsc::<Test>::get(id), None);
		NextVscId::<Test>::insert(id, 5);
		assert_eq!(recv("channel-0", matured(3)), ack(CcvAckResult::V1));
		assert_eq!(recv("channel-0", matured(2)), ack(CcvAckResult::V1));
		assert_eq!(LatestMaturedVsc::<Test>::get(id), Some(3));
	});
}

#[test]
fn malformed_or_misrouted_packets_get_error_acks() {
	ExtBuilder::build_and_execute(|| {
		launched_with_channel();
		assert!(is_error(&CcvProvider::on_recv_packet(&packet_ref("channel-0"), b"{not json")));
		assert!(is_error(&recv("channel-9", downtime(1, 0))));
		let wrong_port = PacketRef { port: ibc_id("transfer"), ..packet_ref("channel-0") };
		let data = encode_consumer_packet(&downtime(1, 0)).unwrap();
		assert!(is_error(&CcvProvider::on_recv_packet(&wrong_port, &data)));
		let zero_power = ConsumerPacket::Slash(SlashPacket {
			validator: ckey(1).address(),
			power: 0,
			vsc_id: 0,
			infraction: Infraction::Downtime,
		});
		assert!(is_error(&recv("channel-0", zero_power)));
	});
}

#[test]
fn downtime_slash_is_recorded_acked_and_slash_acked_in_the_next_vsc() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_with_channel();
		assert_eq!(recv("channel-0", downtime(2, 0)), ack(CcvAckResult::SlashHandled));
		let requests = DowntimeSlashRequests::<Test>::get();
		assert_eq!(requests.len(), 1);
		assert_eq!(
			(requests[0].consumer_id, requests[0].validator, requests[0].vsc_id),
			(id, 21, 0)
		);
		assert_eq!(requests[0].session, CcvProvider::vsc_session(id, 0).unwrap());
		let expected_ack =
			SlashAck::from_address(&ckey(2).address(), DEFAULT_CONSENSUS_ADDRESS_HRP).unwrap();
		assert_eq!(PendingSlashAcks::<Test>::get(id).to_vec(), vec![expected_ack.clone()]);
		assert!(provider_events().contains(&Event::SlashPacketReceived {
			consumer_id: id,
			validator: Some(21),
			vsc_id: 0,
			infraction: Infraction::Downtime,
			outcome: SlashOutcome::DowntimeRecorded,
		}));
		// Next block: reported and jailed; the block after: the consumer's set is recomputed and
		// the VSC removes 21's key and carries the slash ack.
		next_block();
		assert!(CcvProvider::is_jailed(&21));
		next_block();
		let sent = take_sent();
		assert_eq!(sent.len(), 1);
		let packet = decode_vsc_packet(&sent[0].data).unwrap();
		assert_eq!(
			packet.validator_updates.to_vec(),
			vec![ValidatorUpdate { key: ckey(2), power: 0 }]
		);
		assert_eq!(packet.slash_acks.to_vec(), vec![expected_ack]);
		assert!(PendingSlashAcks::<Test>::get(id).is_empty());
	});
}

#[test]
fn slash_for_an_unknown_vsc_id_gets_an_error_ack() {
	ExtBuilder::build_and_execute(|| {
		launched_with_channel();
		assert!(is_error(&recv("channel-0", downtime(2, 7))));
		assert!(DowntimeSlashRequests::<Test>::get().is_empty());
	});
}

#[test]
fn downtime_of_a_validator_outside_the_set_is_acked_but_not_recorded() {
	ExtBuilder::build_and_execute(|| {
		// Opt-in consumer: 41 validates; 11 has a key but opted out.
		let id = create_consumer(Some(0), top_n(0));
		assign(41, id, 1);
		assign(11, id, 2);
		assert_ok!(CcvProvider::opt_in(RuntimeOrigin::signed(41), id));
		next_block();
		open_channel(id, "channel-0");
		assert_eq!(recv("channel-0", downtime(2, 0)), ack(CcvAckResult::SlashHandled));
		let unknown = ConsumerPacket::Slash(SlashPacket {
			validator: ConsensusAddress([7; 20]),
			power: 1,
			vsc_id: 0,
			infraction: Infraction::Downtime,
		});
		assert_eq!(recv("channel-0", unknown), ack(CcvAckResult::SlashHandled));
		assert!(DowntimeSlashRequests::<Test>::get().is_empty());
		assert_eq!(PendingSlashAcks::<Test>::get(id).len(), 2);
	});
}

#[test]
fn double_sign_packets_are_recorded_and_acked_without_punishment() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_with_channel();
		let packet = ConsumerPacket::Slash(SlashPacket {
			validator: ckey(3).address(),
			power: 300,
			vsc_id: 0,
			infraction: Infraction::DoubleSign,
		});
		assert_eq!(recv("channel-0", packet), ack(CcvAckResult::V1));
		assert!(DowntimeSlashRequests::<Test>::get().is_empty());
		assert!(PendingSlashAcks::<Test>::get(id).is_empty());
		assert!(provider_events().contains(&Event::SlashPacketReceived {
			consumer_id: id,
			validator: Some(31),
			vsc_id: 0,
			infraction: Infraction::DoubleSign,
			outcome: SlashOutcome::DoubleSignRecorded,
		}));
	});
}

#[test]
fn slashes_bounce_when_the_request_queue_is_full_and_succeed_on_retry() {
	ExtBuilder::build_and_execute(|| {
		launched_with_channel();
		for key in 1..=4 {
			assert_eq!(recv("channel-0", downtime(key, 0)), ack(CcvAckResult::SlashHandled));
		}
		assert_eq!(recv("channel-0", downtime(1, 0)), ack(CcvAckResult::SlashBounced));
		assert_eq!(DowntimeSlashRequests::<Test>::get().len(), 4);
		DowntimeSlashRequests::<Test>::mutate(|r| r.truncate(3));
		assert_eq!(recv("channel-0", downtime(1, 0)), ack(CcvAckResult::SlashHandled));
	});
}

#[test]
fn an_error_ack_or_a_timeout_of_a_vsc_stops_the_consumer() {
	ExtBuilder::build_and_execute(|| {
		let a = launched_with_channel();
		let b = launched_consumer(100, 11);
		open_channel(b, "channel-1");
		let data = b"vsc".to_vec();
		assert_ok!(CcvProvider::on_acknowledgement(
			&packet_ref("channel-0"),
			&data,
			&ack(CcvAckResult::V1)
		));
		assert_eq!(Phase::<Test>::get(a), Some(ConsumerPhase::Launched));
		assert_ok!(CcvProvider::on_acknowledgement(
			&packet_ref("channel-0"),
			&data,
			&Acknowledgement::Error("bad vsc".into())
		));
		assert_eq!(Phase::<Test>::get(a), Some(ConsumerPhase::Stopped));
		assert_ok!(CcvProvider::on_timeout(&packet_ref("channel-1"), &data));
		assert_eq!(Phase::<Test>::get(b), Some(ConsumerPhase::Stopped));
		let reasons: Vec<_> = provider_events()
			.into_iter()
			.filter_map(|e| match e {
				Event::ConsumerStopped { consumer_id, reason, .. } => Some((consumer_id, reason)),
				_ => None,
			})
			.collect();
		assert_eq!(reasons, vec![(a, StopReason::VscErrorAck), (b, StopReason::VscTimeout)]);
		assert_eq!(
			CcvProvider::on_timeout(&packet_ref("channel-9"), &data),
			Err(ChannelError::Refused("not a CCV channel of this provider"))
		);
	});
}

#[test]
fn the_consumer_closing_its_ccv_channel_stops_it() {
	ExtBuilder::build_and_execute(|| {
		let a = launched_with_channel();
		let b = launched_consumer(100, 11);
		open_channel(b, "channel-1");
		let close = |port: &str, channel: &str| {
			CcvProvider::on_chan_close_confirm(&ibc_id(port), &ibc_id(channel))
		};
		let stops = || -> Vec<(ConsumerId, StopReason)> {
			provider_events()
				.into_iter()
				.filter_map(|e| match e {
					Event::ConsumerStopped { consumer_id, reason, .. } => {
						Some((consumer_id, reason))
					}
					_ => None,
				})
				.collect()
		};
		// Not a consumer's CCV channel (or not our port): accepted, nothing changes.
		assert_ok!(close("provider", "channel-9"));
		assert_ok!(close("transfer", "channel-0"));
		assert_eq!(Phase::<Test>::get(a), Some(ConsumerPhase::Launched));
		assert!(stops().is_empty());

		assert_ok!(close("provider", "channel-0"));
		assert_eq!(Phase::<Test>::get(a), Some(ConsumerPhase::Stopped));
		assert_eq!(Phase::<Test>::get(b), Some(ConsumerPhase::Launched));
		assert_eq!(stops(), vec![(a, StopReason::ChannelClosed)]);
		assert!(!LaunchedConsumers::<Test>::get().contains(&a));
		// The host closes our end after the callback: no close of our own.
		assert!(CLOSED.with(|c| c.borrow().is_empty()));
		// Stopped already: nothing more.
		assert_ok!(close("provider", "channel-0"));
		assert_eq!(stops().len(), 1);
	});
}

#[test]
fn pending_slash_acks_alone_force_a_vsc() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_with_channel();
		let ack =
			SlashAck::from_address(&ckey(9).address(), DEFAULT_CONSENSUS_ADDRESS_HRP).unwrap();
		PendingSlashAcks::<Test>::mutate(id, |a| a.try_push(ack.clone()).unwrap());
		start_era(1);
		let sent = take_sent();
		assert_eq!(sent.len(), 1);
		let packet = decode_vsc_packet(&sent[0].data).unwrap();
		assert!(packet.validator_updates.is_empty());
		assert_eq!(packet.slash_acks.to_vec(), vec![ack]);
	});
}
