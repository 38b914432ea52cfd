//! Jailing: out of every consumer set, disabled, chilled and hidden from elections until
//! `unjail`; tombstones are permanent; never below `MinimumValidatorCount`.

use crate::{mock::*, *};
use ccv_primitives::{
	channel::{CcvIbcApp, PacketRef},
	wire::{decode_vsc_packet, encode_consumer_packet, Acknowledgement, CcvAckResult},
	ConsumerId, ConsumerPacket, Infraction, SlashPacket, ValidatorUpdate,
};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::Perbill;

fn downtime(channel: &str, key: u8) {
	let packet = ConsumerPacket::Slash(SlashPacket {
		validator: ckey(key).address(),
		power: 1,
		vsc_id: 0,
		infraction: Infraction::Downtime,
	});
	let at = PacketRef { port: ibc_id("provider"), channel: ibc_id(channel), sequence: 1 };
	let ack = CcvProvider::on_recv_packet(&at, &encode_consumer_packet(&packet).unwrap());
	assert_eq!(ack, Acknowledgement::ccv(CcvAckResult::SlashHandled));
}

fn set_downtime_params(id: ConsumerId, slash_percent: u32, jail_duration_ms: u64, tombstone: bool) {
	let mut params = InfractionParams::default();
	params.downtime.slash_fraction = Perbill::from_percent(slash_percent);
	params.downtime.jail_duration_ms = jail_duration_ms;
	params.downtime.tombstone = tombstone;
	let update = ConsumerUpdate { infraction_params: Some(params), ..Default::default() };
	assert_ok!(CcvProvider::update_consumer(RuntimeOrigin::root(), id, update));
}

fn in_set(id: ConsumerId, v: AccountId) -> bool {
	ConsumerValidators::<Test>::get(id).iter().any(|cv| cv.validator == v)
}

#[test]
fn a_jailed_validator_leaves_every_consumer_set_is_disabled_and_chilled() {
	ExtBuilder::build_and_execute(|| {
		let a = launched_consumer(100, 1);
		let b = launched_consumer(100, 11);
		open_channel(a, "channel-0");
		open_channel(b, "channel-1");
		downtime("channel-0", 4);
		next_block();
		let until = Jailed::<Test>::get(41).unwrap();
		assert_eq!(until, CcvProvider::now_ms() - BLOCK_TIME + 10 * 60 * 1000);
		let index = pallet_session::Pallet::<Test>::validator_id_to_index(&41).unwrap();
		assert!(pallet_session::Pallet::<Test>::disabled_validators().contains(&index));
		assert!(!pallet_staking::Validators::<Test>::contains_key(41));
		next_block();
		let updates: Vec<Vec<ValidatorUpdate>> = take_sent()
			.iter()
			.map(|p| decode_vsc_packet(&p.data).unwrap().validator_updates.to_vec())
			.collect();
		assert_eq!(
			updates,
			vec![
				vec![ValidatorUpdate { key: ckey(4), power: 0 }],
				vec![ValidatorUpdate { key: ckey(14), power: 0 }]
			]
		);
		assert!(!in_set(a, 41) && !in_set(b, 41));
	});
}

#[test]
fn a_jailed_validator_is_not_elected_until_it_unjails() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		open_channel(id, "channel-0");
		set_downtime_params(id, 0, 5 * BLOCK_TIME, false);
		downtime("channel-0", 4);
		next_block();
		assert!(CcvProvider::is_jailed(&41));
		// Re-validating at once does not get it elected: the target list hides it.
		assert_ok!(Staking::validate(RuntimeOrigin::signed(41), Default::default()));
		assert_noop!(CcvProvider::unjail(RuntimeOrigin::signed(41)), Error::<Test>::JailNotExpired);
		start_era(1);
		assert!(pallet_staking::ErasStakersOverview::<Test>::get(1, 41).is_none());
		assert!(!in_set(id, 41));

		assert_ok!(CcvProvider::unjail(RuntimeOrigin::signed(41)));
		assert!(!CcvProvider::is_jailed(&41));
		assert_noop!(CcvProvider::unjail(RuntimeOrigin::signed(41)), Error::<Test>::NotJailed);
		start_era(2);
		assert!(pallet_staking::ErasStakersOverview::<Test>::get(2, 41).is_some());
		assert!(in_set(id, 41));
	});
}

#[test]
fn a_tombstoned_validator_never_leaves_jail() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		open_channel(id, "channel-0");
		set_downtime_params(id, 0, 0, true);
		downtime("channel-0", 3);
		next_block();
		assert_eq!(Jailed::<Test>::get(31), Some(jail::TOMBSTONED));
		run_to_block(System::block_number() + 10);
		assert_noop!(CcvProvider::unjail(RuntimeOrigin::signed(31)), Error::<Test>::Tombstoned);
	});
}

#[test]
fn no_jail_below_the_minimum_validator_count_but_still_a_slash() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		open_channel(id, "channel-0");
		set_downtime_params(id, 10, 5 * BLOCK_TIME, false);
		pallet_staking::MinimumValidatorCount::<Test>::put(4);
		downtime("channel-0", 4);
		next_block();
		assert!(!CcvProvider::is_jailed(&41));
		assert!(provider_events().contains(&Event::JailSkipped { validator: 41 }));
		assert_eq!(pallet_staking::Ledger::<Test>::get(41).unwrap().total, 3600);
		// One fewer required: the next downtime jails.
		pallet_staking::MinimumValidatorCount::<Test>::put(3);
		downtime("channel-0", 3);
		next_block();
		assert!(CcvProvider::is_jailed(&31));
	});
}
