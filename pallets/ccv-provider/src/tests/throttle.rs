//! The slash meter: downtime slashes are throttled and bounced packets succeed on retry.

use crate::{mock::*, *};
use ccv_primitives::{
	channel::{CcvIbcApp, PacketRef},
	wire::{encode_consumer_packet, Acknowledgement, CcvAckResult},
	ConsumerPacket, Infraction, SlashPacket,
};
use sp_runtime::Perbill;

fn slash(key: u8, infraction: Infraction) -> Acknowledgement {
	let packet = ConsumerPacket::Slash(SlashPacket {
		validator: ckey(key).address(),
		power: 1,
		vsc_id: 0,
		infraction,
	});
	let at = PacketRef { port: ibc_id("provider"), channel: ibc_id("channel-0"), sequence: 1 };
	CcvProvider::on_recv_packet(&at, &encode_consumer_packet(&packet).unwrap())
}

fn run_one_period() {
	run_to_block(System::block_number() + SLASH_METER_PERIOD_MS / BLOCK_TIME);
}

#[test]
fn meter_starts_full_and_replenishes_up_to_one_allowance() {
	ExtBuilder::build_and_execute(|| {
		// Total power 1000, fraction 100%.
		assert_eq!(
			CcvProvider::throttle_state(),
			ThrottleState {
				meter: 1000,
				allowance: 1000,
				next_replenish_ms: Some(INIT_TIMESTAMP + SLASH_METER_PERIOD_MS)
			}
		);
		SlashMeter::<Test>::put(-1500);
		run_one_period();
		assert_eq!(SlashMeter::<Test>::get(), -500);
		run_one_period();
		assert_eq!(SlashMeter::<Test>::get(), 500);
		run_one_period();
		assert_eq!(SlashMeter::<Test>::get(), 1000);
		run_one_period();
		assert_eq!(SlashMeter::<Test>::get(), 1000);
	});
}

#[test]
fn allowance_is_a_fraction_of_total_power_and_at_least_one() {
	ExtBuilder::build_and_execute(|| {
		SlashMeterFraction::set(Perbill::from_percent(10));
		assert_eq!(CcvProvider::slash_meter_allowance(), 100);
		SlashMeterFraction::set(Perbill::zero());
		assert_eq!(CcvProvider::slash_meter_allowance(), 1);
	});
}

#[test]
fn an_empty_meter_bounces_slashes_until_it_replenishes_then_the_retry_succeeds() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		open_channel(id, "channel-0");
		SlashMeterFraction::set(Perbill::from_percent(10));
		SlashMeter::<Test>::put(100);
		// Nobody is jailed (that would change the next era's total power).
		pallet_staking::MinimumValidatorCount::<Test>::put(4);

		// 41 has power 400: handled, the meter drops to -300.
		assert_eq!(
			slash(4, Infraction::Downtime),
			Acknowledgement::ccv(CcvAckResult::SlashHandled)
		);
		assert_eq!(SlashMeter::<Test>::get(), -300);
		// Double signs never touch the meter.
		assert_eq!(slash(3, Infraction::DoubleSign), Acknowledgement::ccv(CcvAckResult::V1));
		assert_eq!(SlashMeter::<Test>::get(), -300);

		assert_eq!(
			slash(3, Infraction::Downtime),
			Acknowledgement::ccv(CcvAckResult::SlashBounced)
		);
		assert_eq!(DowntimeSlashRequests::<Test>::get().len(), 1);
		assert_eq!(PendingSlashAcks::<Test>::get(id).len(), 1);
		assert!(provider_events().contains(&Event::SlashPacketReceived {
			consumer_id: id,
			validator: Some(31),
			vsc_id: 0,
			infraction: Infraction::Downtime,
			outcome: SlashOutcome::Bounced,
		}));

		// +100 per period: -200, -100, 0.
		for expected in [-200, -100] {
			run_one_period();
			assert_eq!(SlashMeter::<Test>::get(), expected);
			assert_eq!(
				slash(3, Infraction::Downtime),
				Acknowledgement::ccv(CcvAckResult::SlashBounced)
			);
		}
		run_one_period();
		assert_eq!(SlashMeter::<Test>::get(), 0);
		assert_eq!(
			slash(3, Infraction::Downtime),
			Acknowledgement::ccv(CcvAckResult::SlashHandled)
		);
		assert_eq!(SlashMeter::<Test>::get(), -300);
		next_block();
		let reported: Vec<_> = provider_events()
			.into_iter()
			.filter_map(|e| match e {
				Event::DowntimeSlashReported { validator, .. } => Some(validator),
				_ => None,
			})
			.collect();
		assert_eq!(reported, vec![41, 31]);
	});
}
