//! VSCs in: validation, accumulation, slash acks, error acknowledgements.

use crate::{
	mock::*,
	pallet::*,
	types::{CcvChannelState, VscRejection},
};
use ccv_primitives::{
	channel::{CcvIbcApp, PacketRef},
	wire::{Acknowledgement, CcvAckResult},
	SlashAck, DEFAULT_CONSENSUS_ADDRESS_HRP,
};

fn ok() -> Acknowledgement {
	Acknowledgement::ccv(CcvAckResult::V1)
}

/// Every storage item a VSC may write, for "untouched" checks.
fn vsc_state() -> impl PartialEq + core::fmt::Debug {
	(
		NextValidators::<Test>::get(),
		CurrentValidators::<Test>::get(),
		HighestVscId::<Test>::get(),
		PendingVscId::<Test>::get(),
		CcvChannel::<Test>::get(),
		VscHeightBounds::<Test>::get(),
		OutstandingDowntime::<Test>::iter().count(),
	)
}

#[test]
fn vsc_is_acked_and_kept_pending() {
	run(|| {
		run_to_block(2);
		assert_eq!(recv_vsc(1, vec![val(4, 40)]), ok());
		assert_eq!(
			NextValidators::<Test>::get().unwrap().to_vec(),
			vec![val(1, 10), val(2, 20), val(3, 30), val(4, 40)]
		);
		assert_eq!(CurrentValidators::<Test>::get().len(), 3);
		assert_eq!(pallet_aura::Authorities::<Test>::get().len(), 3);
		assert_eq!(HighestVscId::<Test>::get(), 1);
		assert_eq!(PendingVscId::<Test>::get(), Some(1));
		assert_eq!(VscHeights::<Test>::get(1), Some(2));
		assert_eq!(CcvChannel::<Test>::get(), Some(CcvChannelState::Established(id(CCV_CHANNEL))));
		let events = ccv_events();
		assert!(events.contains(&Event::ChannelEstablished { channel: id(CCV_CHANNEL) }));
		assert!(events.contains(&Event::VscReceived { vsc_id: 1, updates: 1, slash_acks: 0 }));
	});
}

#[test]
fn latest_update_per_key_wins() {
	run(|| {
		assert_eq!(recv_vsc(1, vec![val(4, 40), val(2, 25)]), ok());
		assert_eq!(recv_vsc(2, vec![val(4, 5), val(1, 0)]), ok());
		assert_eq!(
			NextValidators::<Test>::get().unwrap().to_vec(),
			vec![val(2, 25), val(3, 30), val(4, 5)]
		);
		assert_eq!(PendingVscId::<Test>::get(), Some(2));
	});
}

#[test]
fn invalid_vscs_get_error_acks_and_change_nothing() {
	run(|| {
		assert_eq!(recv_vsc(5, vec![val(4, 40)]), ok());
		let max_power = i64::MAX as u64; // the wire's int64 limit, = u64::MAX / 2
		let cases: Vec<(&str, PacketRef, Vec<u8>, VscRejection)> = vec![
			("same id", ccv_packet(2), vsc_data(5, vec![], vec![]), VscRejection::NonIncreasingId),
			("lower id", ccv_packet(2), vsc_data(3, vec![], vec![]), VscRejection::NonIncreasingId),
			("zero id", ccv_packet(2), vsc_data(0, vec![], vec![]), VscRejection::InvalidPacket),
			(
				"empty set",
				ccv_packet(2),
				vsc_data(6, (1..=4).map(|i| val(i, 0)).collect(), vec![]),
				VscRejection::EmptySet,
			),
			(
				"too many validators",
				ccv_packet(2),
				vsc_data(6, (10..15).map(|i| val(i, 1)).collect(), vec![]),
				VscRejection::TooManyValidators,
			),
			(
				"total power above u64::MAX / 2",
				ccv_packet(2),
				vsc_data(6, vec![val(9, max_power)], vec![]),
				VscRejection::TotalPowerTooLarge,
			),
			("garbage", ccv_packet(2), b"{\"nope\":1}".to_vec(), VscRejection::Undecodable),
			(
				"duplicate key",
				ccv_packet(2),
				br#"{"validator_updates":[{"pub_key":{"ed25519":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="},"power":"1"},{"pub_key":{"ed25519":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="},"power":"2"}],"valset_update_id":"6","slash_acks":[]}"#.to_vec(),
				VscRejection::Undecodable,
			),
			(
				"other channel",
				PacketRef { port: id("consumer"), channel: id("channel-9"), sequence: 2 },
				vsc_data(6, vec![], vec![]),
				VscRejection::WrongChannel,
			),
			(
				"other port",
				PacketRef { port: id("transfer"), channel: id(CCV_CHANNEL), sequence: 2 },
				vsc_data(6, vec![], vec![]),
				VscRejection::WrongChannel,
			),
		];
		for (name, packet, data, reason) in cases {
			let before = vsc_state();
			let ack = CcvConsumer::on_recv_packet(&packet, &data);
			assert_eq!(ack, Acknowledgement::Error(reason.message().into()), "{name}");
			assert_eq!(vsc_state(), before, "{name}");
			let event_id = match name {
				"same id" => 5,
				"lower id" => 3,
				"zero id" | "garbage" | "duplicate key" => 0,
				_ => 6,
			};
			assert_eq!(
				ccv_events().last(),
				Some(&Event::VscRejected { vsc_id: event_id, reason }),
				"{name}"
			);
		}
		// A valid one still goes through afterwards.
		assert_eq!(recv_vsc(6, vec![val(9, 1)]), ok());
	});
}

#[test]
fn vsc_before_genesis_state_is_refused() {
	use sp_runtime::BuildStorage;
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	sp_io::TestExternalities::from(storage).execute_with(|| {
		assert_eq!(
			recv_vsc(1, vec![val(1, 1)]),
			Acknowledgement::Error(VscRejection::NotInitialised.message().into())
		);
		assert!(NextValidators::<Test>::get().is_none());
	});
}

#[test]
fn slash_acks_clear_outstanding_downtime() {
	run(|| {
		let addr2 = key(2).address();
		let addr3 = key(3).address();
		OutstandingDowntime::<Test>::insert(addr2, ());
		OutstandingDowntime::<Test>::insert(addr3, ());
		let acks = vec![
			SlashAck::from_address(&addr2, DEFAULT_CONSENSUS_ADDRESS_HRP).unwrap(),
			SlashAck::from_str("not-an-address").unwrap(),
			SlashAck::from_address(&key(7).address(), DEFAULT_CONSENSUS_ADDRESS_HRP).unwrap(),
		];
		let ack = CcvConsumer::on_recv_packet(&ccv_packet(1), &vsc_data(1, vec![], acks));
		assert_eq!(ack, ok());
		assert!(OutstandingDowntime::<Test>::get(addr2).is_none());
		assert!(OutstandingDowntime::<Test>::get(addr3).is_some());
		let cleared: Vec<_> = ccv_events()
			.into_iter()
			.filter(|e| matches!(e, Event::OutstandingDowntimeCleared { .. }))
			.collect();
		assert_eq!(cleared, vec![Event::OutstandingDowntimeCleared { validator: addr2 }]);
	});
}

#[test]
fn vsc_height_index_is_bounded() {
	run(|| {
		for vsc_id in 1..=6u64 {
			next_block();
			assert_eq!(recv_vsc(vsc_id * 10, vec![]), ok());
		}
		// MaxVscHeights = 4: ids 10 and 20 were pruned, oldest first.
		assert_eq!(VscHeights::<Test>::get(10), None);
		assert_eq!(VscHeights::<Test>::get(20), None);
		assert_eq!(VscHeights::<Test>::get(30), Some(4));
		assert_eq!(VscHeights::<Test>::get(60), Some(7));
		assert_eq!(VscHeights::<Test>::iter().count(), 4);
	});
}
