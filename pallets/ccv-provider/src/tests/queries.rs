//! Queries behind the runtime API.

use crate::{mock::*, *};
use frame_support::{assert_ok, traits::fungible::Mutate as _};
use sp_runtime::Perbill;

#[test]
fn consumer_info_describes_a_consumer() {
	ExtBuilder::build_and_execute(|| {
		assert_eq!(CcvProvider::consumer_info(7), None);
		let id = launched_consumer(50, 1);
		let channel = open_channel(id, "channel-0");
		let info = CcvProvider::consumer_info(id).unwrap();
		assert_eq!(info.consumer_id, id);
		assert_eq!(info.phase, ConsumerPhase::Launched);
		assert_eq!(info.chain_id, chain_id("consumer-0"));
		assert_eq!(info.owner, None);
		assert_eq!(info.power_shaping, top_n(50));
		assert_eq!(info.infraction_params, InfractionParams::default());
		assert_eq!(info.client_id, ConsumerClient::<Test>::get(id));
		assert_eq!(info.channel_id, Some(channel));
		assert_eq!(info.min_power_in_top_n, Some(300));
		assert_eq!(info.validators, 2);
		assert!(info.init_params.is_some());
	});
}

#[test]
fn keys_resolve_both_ways_including_replaced_keys() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		assert_eq!(CcvProvider::consumer_key(id, &41), Some(ckey(4)));
		assert_eq!(CcvProvider::provider_validator(id, &ckey(4).address()), Some(41));
		assign(41, id, 20);
		assert_eq!(CcvProvider::consumer_key(id, &41), Some(ckey(20)));
		assert_eq!(CcvProvider::provider_validator(id, &ckey(20).address()), Some(41));
		// The replaced key still resolves (slashes at older vsc ids), and is never reused.
		assert_eq!(CcvProvider::provider_validator(id, &ckey(4).address()), Some(41));
		assert_eq!(CcvProvider::consumer_key_owner(&ckey(4)), Some((id, 41)));
		assert_eq!(CcvProvider::consumer_key_owner(&ckey(99)), None);
		assert_eq!(CcvProvider::provider_validator(id, &ckey(99).address()), None);
	});
}

#[test]
fn consumers_validated_by_lists_the_sets_a_validator_is_in() {
	ExtBuilder::build_and_execute(|| {
		let all = launched_consumer(100, 1);
		let top = launched_consumer(50, 11);
		assert_eq!(CcvProvider::consumers_validated_by(&41), vec![all, top]);
		assert_eq!(CcvProvider::consumers_validated_by(&11), vec![all]);
		assert_eq!(CcvProvider::consumers_validated_by(&5), Vec::<ConsumerId>::new());
		let opted_in = CcvProvider::opted_in_validators(top);
		assert_eq!(opted_in.len(), 2);
	});
}

#[test]
fn vsc_queries_follow_the_pending_and_sent_vscs() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		assert_eq!(CcvProvider::next_vsc_id(id), 1);
		assert_eq!(CcvProvider::pending_vsc(id), None);
		assert_eq!(
			CcvProvider::vsc_session(id, 0),
			Some(pallet_session::CurrentIndex::<Test>::get())
		);
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), 11, 1_000_000));
		assert_ok!(Staking::bond_extra(RuntimeOrigin::signed(11), 1000));
		start_era(1);
		// No channel yet: VSC 1 waits and has no session.
		assert_eq!(CcvProvider::pending_vsc(id).map(|p| p.vsc_id), Some(1));
		assert_eq!(CcvProvider::next_vsc_id(id), 2);
		assert_eq!(CcvProvider::vsc_session(id, 1), None);
		open_channel(id, "channel-0");
		next_block();
		assert_eq!(CcvProvider::pending_vsc(id), None);
		assert_eq!(
			CcvProvider::vsc_session(id, 1),
			Some(pallet_session::CurrentIndex::<Test>::get())
		);
	});
}

#[test]
fn commission_rate_query_prefers_the_consumer_override() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		let staking = pallet_staking::ErasValidatorPrefs::<Test>::get(0, 41).commission;
		assert_eq!(CcvProvider::current_consumer_commission_rate(id, &41), staking);
		assert_ok!(CcvProvider::set_consumer_commission_rate(
			RuntimeOrigin::signed(41),
			id,
			Perbill::from_percent(7)
		));
		assert_eq!(
			CcvProvider::current_consumer_commission_rate(id, &41),
			Perbill::from_percent(7)
		);
	});
}

#[test]
fn reward_snapshot_query_lists_unclaimed_pages() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		assert!(CcvProvider::reward_eras(id).is_empty());
		assert_eq!(CcvProvider::reward_snapshot(id, 0), None);
		let pool = CcvProvider::fee_pool_account(id);
		assert_ok!(Balances::mint_into(&pool, 1 + 1000));
		start_era(1);
		assert_eq!(CcvProvider::reward_eras(id), vec![0]);
		let snapshot = CcvProvider::reward_snapshot(id, 0).unwrap();
		assert_eq!(snapshot.era, 0);
		assert_eq!(snapshot.pots, vec![(RewardAsset::Native, 1000)]);
		assert_eq!(snapshot.total_power, 1000);
		// Four validators without nominators: one page each.
		assert_eq!(snapshot.pages, 4);
		assert_eq!(snapshot.unclaimed_pages, vec![0, 1, 2, 3]);
		assert_ok!(CcvProvider::claim_consumer_rewards(RuntimeOrigin::signed(5), id, 0, 2));
		let snapshot = CcvProvider::reward_snapshot(id, 0).unwrap();
		assert_eq!(snapshot.unclaimed_pages, vec![0, 1, 3]);
	});
}

#[test]
fn throttle_state_query_reports_the_meter() {
	ExtBuilder::build_and_execute(|| {
		SlashMeter::<Test>::put(-5);
		let state = CcvProvider::throttle_state();
		assert_eq!((state.meter, state.allowance), (-5, 1000));
		assert_eq!(state.next_replenish_ms, SlashMeterNextReplenish::<Test>::get());
	});
}
