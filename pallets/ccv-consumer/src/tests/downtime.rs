//! Downtime: empty slots, per-validator windows, the report threshold, no double report.

use crate::{mock::*, outbox::OutboxFifo, pallet::*};
use ccv_primitives::{
	ConsumerPacket, Infraction, SlashAck, SlashPacket, DEFAULT_CONSENSUS_ADDRESS_HRP,
};
use frame_support::assert_ok;

/// Authority index of validator `i` (1, 2, 3 sorted by key: index i - 1).
fn index(i: u8) -> u64 {
	u64::from(i) - 1
}

/// Produces blocks until validator `i` has missed `times` more of its slots (each miss is
/// one skipped slot; every other slot gets its block).
fn miss(i: u8, times: u32) {
	let mut left = times;
	while left > 0 {
		if (current_slot() + 1) % 3 == index(i) {
			next_block_after(1);
			left -= 1;
		} else {
			next_block();
		}
	}
}

/// Produces blocks until validator `i` has filled `times` more of its slots.
fn hit(i: u8, times: u32) {
	let mut left = times;
	while left > 0 {
		if (current_slot() + 1) % 3 == index(i) {
			left -= 1;
		}
		next_block();
	}
}

fn missed(i: u8) -> u32 {
	SigningInfos::<Test>::get(key(i)).map(|s| s.missed).unwrap_or(0)
}

fn reports() -> Vec<ConsumerPacket> {
	ccv_events()
		.into_iter()
		.filter_map(|e| match e {
			Event::DowntimeDetected { validator, .. } => Some(validator),
			_ => None,
		})
		.map(|validator| {
			ConsumerPacket::Slash(SlashPacket {
				validator,
				power: 30,
				vsc_id: 0,
				infraction: Infraction::Downtime,
			})
		})
		.collect()
}

/// Window of 10 own slots, report above 4 misses.
fn small_window() {
	Params::<Test>::mutate(|p| {
		let p = p.as_mut().unwrap();
		p.downtime_window_slots = 10;
		p.downtime_max_missed_slots = 4;
	});
}

#[test]
fn downtime_is_reported_just_past_the_threshold() {
	run(|| {
		small_window();
		miss(3, 4);
		assert_eq!(missed(3), 4);
		assert_eq!(missed(1), 0);
		assert_eq!(missed(2), 0);
		assert!(reports().is_empty(), "exactly max_missed is not downtime");
		miss(3, 1);
		let expected = ConsumerPacket::Slash(SlashPacket {
			validator: key(3).address(),
			power: 30,
			vsc_id: 0,
			infraction: Infraction::Downtime,
		});
		assert_eq!(reports(), vec![expected]);
		assert_eq!(OutboxFifo::<Test>::front(), Some(expected));
		assert!(OutstandingDowntime::<Test>::contains_key(key(3).address()));
		assert!(ccv_events()
			.contains(&Event::DowntimeDetected { validator: key(3).address(), missed: 5 }));
	});
}

#[test]
fn no_double_report_until_a_slash_ack() {
	run(|| {
		small_window();
		miss(3, 5);
		assert_eq!(reports().len(), 1);
		miss(3, 12);
		assert_eq!(reports().len(), 1, "outstanding: not counted, not reported again");
		assert_eq!(missed(3), 0);
		// The provider handled it: the slash ack clears the flag and counting restarts afresh.
		let ack = SlashAck::from_address(&key(3).address(), DEFAULT_CONSENSUS_ADDRESS_HRP).unwrap();
		use ccv_primitives::channel::CcvIbcApp;
		let data = vsc_data(1, vec![], vec![ack]);
		assert_eq!(CcvConsumer::on_recv_packet(&ccv_packet(1), &data), crate::tests::vsc_ok());
		assert!(!OutstandingDowntime::<Test>::contains_key(key(3).address()));
		miss(3, 4);
		assert_eq!(reports().len(), 1);
		miss(3, 1);
		assert_eq!(reports().len(), 2);
	});
}

#[test]
fn the_window_slides() {
	run(|| {
		small_window();
		miss(3, 4);
		hit(3, 6); // window full: 4 misses of 10
		assert_eq!(missed(3), 4);
		miss(3, 4); // replace the 4 oldest entries, all misses
		assert_eq!(missed(3), 4);
		assert!(reports().is_empty());
		miss(3, 1); // replaces a hit
		assert_eq!(reports().len(), 1);
	});
}

#[test]
fn a_long_gap_is_a_chain_halt() {
	run(|| {
		next_block_after(21);
		assert_eq!(missed(1) + missed(2) + missed(3), 0);
		assert!(reports().is_empty());
	});
}

#[test]
fn misses_attributed_per_block_are_capped() {
	run(|| {
		next_block_after(6); // six empty slots, MaxMissesPerBlock = 2
		assert_eq!(missed(1) + missed(2) + missed(3), 2);
		next_block_after(2);
		assert_eq!(missed(1) + missed(2) + missed(3), 4);
	});
}

#[test]
fn full_outbox_defers_the_report() {
	run(|| {
		small_window();
		for i in 0..4 {
			assert_ok!(CcvConsumer::queue_packet(ConsumerPacket::VscMatured(
				ccv_primitives::VscMaturedPacket { vsc_id: 100 + i }
			)));
		}
		miss(3, 5);
		assert!(reports().is_empty());
		assert!(!OutstandingDowntime::<Test>::contains_key(key(3).address()));
		assert!(ccv_events().iter().any(|e| matches!(e, Event::OutboxFull { .. })));
		OutboxFifo::<Test>::pop_front();
		miss(3, 1);
		assert_eq!(reports().len(), 1, "reported at the next miss");
	});
}

#[test]
fn a_validator_leaving_the_set_forgets_its_window() {
	run(|| {
		small_window();
		miss(3, 3);
		assert_eq!(missed(3), 3);
		assert_eq!(recv_vsc(1, vec![val(3, 0), val(4, 40)]), crate::tests::vsc_ok());
		run_to_block(BLOCKS_PER_SESSION as u64);
		assert!(SigningInfos::<Test>::get(key(3)).is_none());
		assert!(MissedBits::<Test>::get(key(3)).is_empty());
		assert_eq!(ValidatorCount::<Test>::get(), 3);
		assert_eq!(ValidatorByIndex::<Test>::get(2), Some(val(4, 40)));
	});
}
