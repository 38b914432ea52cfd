//! Downtime slashing: accepted slash packets become offences that staking punishes.

use crate::{mock::*, *};
use ccv_primitives::{
	channel::{CcvIbcApp, PacketRef},
	wire::{encode_consumer_packet, Acknowledgement, CcvAckResult},
	ConsumerId, ConsumerPacket, Infraction, SlashPacket,
};
use frame_support::assert_ok;
use sp_runtime::Perbill;

fn downtime(key: u8) -> Acknowledgement {
	let packet = ConsumerPacket::Slash(SlashPacket {
		validator: ckey(key).address(),
		power: 1,
		vsc_id: 0,
		infraction: Infraction::Downtime,
	});
	let at = PacketRef { port: ibc_id("provider"), channel: ibc_id("channel-0"), sequence: 1 };
	CcvProvider::on_recv_packet(&at, &encode_consumer_packet(&packet).unwrap())
}

fn with_downtime_fraction(id: ConsumerId, percent: u32) {
	let mut params = InfractionParams::default();
	params.downtime.slash_fraction = Perbill::from_percent(percent);
	let update = ConsumerUpdate { infraction_params: Some(params), ..Default::default() };
	assert_ok!(CcvProvider::update_consumer(RuntimeOrigin::root(), id, update));
}

fn bonded(stash: AccountId) -> Balance {
	pallet_staking::Ledger::<Test>::get(stash).unwrap().total
}

#[test]
fn downtime_is_reported_to_staking_with_the_consumer_fraction() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		open_channel(id, "channel-0");
		with_downtime_fraction(id, 10);
		assert_eq!(downtime(4), Acknowledgement::ccv(CcvAckResult::SlashHandled));
		assert_eq!(bonded(41), 4000);
		next_block();
		// SlashDeferDuration is 0: staking slashes 10% of 41's exposure at once.
		assert_eq!(bonded(41), 3600);
		assert_eq!(bonded(31), 3000);
		assert!(DowntimeSlashRequests::<Test>::get().is_empty());
		assert!(provider_events().contains(&Event::DowntimeSlashReported {
			consumer_id: id,
			validator: 41,
			vsc_id: 0,
			slash_fraction: Perbill::from_percent(10),
			reported: true,
		}));
	});
}

#[test]
fn each_downtime_report_is_its_own_offence() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		open_channel(id, "channel-0");
		with_downtime_fraction(id, 10);
		assert_eq!(downtime(3), Acknowledgement::ccv(CcvAckResult::SlashHandled));
		assert_eq!(downtime(2), Acknowledgement::ccv(CcvAckResult::SlashHandled));
		next_block();
		assert_eq!(NextSlashReport::<Test>::get(), 2);
		let reports = pallet_offences::Reports::<Test>::iter().count();
		assert_eq!(reports, 2);
		assert_eq!((bonded(31), bonded(21)), (2700, 1800));
	});
}

#[test]
fn reporting_is_bounded_per_block_oldest_first() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		open_channel(id, "channel-0");
		for key in [4, 3, 2] {
			assert_eq!(downtime(key), Acknowledgement::ccv(CcvAckResult::SlashHandled));
		}
		next_block();
		let left: Vec<_> =
			DowntimeSlashRequests::<Test>::get().iter().map(|r| r.validator).collect();
		assert_eq!(left, vec![21]);
		next_block();
		assert!(DowntimeSlashRequests::<Test>::get().is_empty());
	});
}
