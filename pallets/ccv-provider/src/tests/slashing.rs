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

fn downtime_at(key: u8, vsc_id: u64) -> Acknowledgement {
	let packet = ConsumerPacket::Slash(SlashPacket {
		validator: ckey(key).address(),
		power: 1,
		vsc_id,
		infraction: Infraction::Downtime,
	});
	let at = PacketRef { port: ibc_id("provider"), channel: ibc_id("channel-0"), sequence: 1 };
	CcvProvider::on_recv_packet(&at, &encode_consumer_packet(&packet).unwrap())
}

/// 11 grows by 1000 each era, so every era sends a VSC.
fn grow_and_start_era(era: u32) {
	assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), 11, 1_000_000));
	assert_ok!(Staking::bond_extra(RuntimeOrigin::signed(11), 1000));
	start_era(era);
}

#[test]
fn each_sent_vsc_records_its_provider_session() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		let launch_session = pallet_session::CurrentIndex::<Test>::get();
		open_channel(id, "channel-0");
		grow_and_start_era(1);
		let era_1_session = pallet_session::CurrentIndex::<Test>::get();
		grow_and_start_era(2);
		let era_2_session = pallet_session::CurrentIndex::<Test>::get();
		assert!(launch_session < era_1_session && era_1_session < era_2_session);
		let sessions: Vec<_> =
			VscSessions::<Test>::get(id).iter().map(|r| (r.vsc_id, r.session)).collect();
		assert_eq!(sessions, vec![(0, launch_session), (1, era_1_session), (2, era_2_session)]);
		assert_eq!(CcvProvider::vsc_session(id, 1), Some(era_1_session));
		assert_eq!(CcvProvider::vsc_session(id, 3), None);
	});
}

#[test]
fn a_vsc_never_sent_has_no_session_and_its_slashes_are_refused() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		// No channel: VSC 1 is created but waits, unsent.
		grow_and_start_era(1);
		assert_eq!(PendingVsc::<Test>::get(id).map(|p| p.vsc_id), Some(1));
		assert_eq!(CcvProvider::vsc_session(id, 1), None);
		open_channel(id, "channel-0");
		assert!(matches!(downtime_at(4, 1), Acknowledgement::Error(_)));
		next_block();
		assert!(CcvProvider::vsc_session(id, 1).is_some());
		assert_eq!(downtime_at(4, 1), Acknowledgement::ccv(CcvAckResult::SlashHandled));
	});
}

#[test]
fn a_downtime_slash_at_an_old_vsc_id_hits_that_eras_exposure() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		open_channel(id, "channel-0");
		with_downtime_fraction(id, 10);
		grow_and_start_era(1);
		// 41's exposure is 4000 in era 1 and 8000 in era 2.
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), 41, 1_000_000));
		assert_ok!(Staking::bond_extra(RuntimeOrigin::signed(41), 4000));
		grow_and_start_era(2);
		let era_1_session = CcvProvider::vsc_session(id, 1).unwrap();
		assert_eq!(downtime_at(4, 1), Acknowledgement::ccv(CcvAckResult::SlashHandled));
		assert_eq!(DowntimeSlashRequests::<Test>::get()[0].session, era_1_session);
		next_block();
		// 10% of the era-1 exposure (4000), not of the current one (8000).
		assert_eq!(bonded(41), 8000 - 400);
	});
}

#[test]
fn records_leave_once_a_later_vsc_is_older_than_the_unbonding_period() {
	ExtBuilder::build_and_execute(|| {
		// An era is 15 blocks of 1 s; the unbonding period is 20 s.
		let id = launched_consumer(100, 1);
		open_channel(id, "channel-0");
		grow_and_start_era(1);
		grow_and_start_era(2);
		// VSC 1 was sent 15 s ago: VSC 0 is still within its window.
		let ids = |id| VscSessions::<Test>::get(id).iter().map(|r| r.vsc_id).collect::<Vec<_>>();
		assert_eq!(ids(id), vec![0, 1, 2]);
		grow_and_start_era(3);
		// VSC 1 was sent 30 s ago: VSC 0's window is over; VSC 1's is not (VSC 2: 15 s).
		assert_eq!(ids(id), vec![1, 2, 3]);
		assert!(matches!(downtime_at(4, 0), Acknowledgement::Error(_)));
		assert_eq!(downtime_at(4, 1), Acknowledgement::ccv(CcvAckResult::SlashHandled));
	});
}

#[test]
fn full_records_drop_the_oldest() {
	ExtBuilder::build_and_execute(|| {
		MaxVscRecords::set(2);
		let id = launched_consumer(100, 1);
		open_channel(id, "channel-0");
		grow_and_start_era(1);
		grow_and_start_era(2);
		let ids: Vec<_> = VscSessions::<Test>::get(id).iter().map(|r| r.vsc_id).collect();
		assert_eq!(ids, vec![1, 2]);
	});
}
