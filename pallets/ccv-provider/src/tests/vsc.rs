//! Validator-set changes: candidates from staking, power shaping, diffs, queueing and sending.

use crate::{mock::*, *};
use ccv_primitives::{
	channel::ChannelError, wire::decode_vsc_packet, ConsumerParams, ValidatorUpdate, VscPacket,
};
use frame_support::assert_ok;

fn top_up(who: AccountId) {
	assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), who, 1_000_000));
}

fn bond_extra(who: AccountId, amount: Balance) {
	top_up(who);
	assert_ok!(Staking::bond_extra(RuntimeOrigin::signed(who), amount));
}

fn decode_sent() -> Vec<VscPacket> {
	take_sent().iter().map(|p| decode_vsc_packet(&p.data).unwrap()).collect()
}

fn upd(n: u8, power: u64) -> ValidatorUpdate {
	ValidatorUpdate { key: ckey(n), power }
}

fn set_of(id: ccv_primitives::ConsumerId) -> Vec<(AccountId, u64)> {
	ConsumerValidators::<Test>::get(id).iter().map(|v| (v.validator, v.power)).collect()
}

#[test]
fn power_is_exposure_over_power_reduction_at_least_one_and_capped() {
	ExtBuilder::build_and_execute(|| {
		assert_eq!(CcvProvider::power_of(0), 1);
		assert_eq!(CcvProvider::power_of(9), 1);
		assert_eq!(CcvProvider::power_of(4000), 400);
		assert_eq!(CcvProvider::power_of(u128::MAX), CcvProvider::max_power());
		assert_eq!(CcvProvider::max_power(), (u64::MAX / 2) / 16);
	});
}

#[test]
fn candidates_come_from_the_active_era_exposures_by_power() {
	ExtBuilder::build_and_execute(|| {
		let (_, candidates) = CcvProvider::current_candidates();
		let got: Vec<_> = candidates.iter().map(|c| (c.validator, c.stake, c.power)).collect();
		assert_eq!(got, vec![(41, 4000, 400), (31, 3000, 300), (21, 2000, 200), (11, 1000, 100)]);
		assert_eq!(EraCandidates::<Test>::get().unwrap().0, 0);
	});
}

#[test]
fn min_power_in_top_n_follows_cumulative_power() {
	ExtBuilder::build_and_execute(|| {
		let (_, c) = CcvProvider::current_candidates();
		assert_eq!(CcvProvider::min_power_in_top_n(&c, 0), None);
		assert_eq!(CcvProvider::min_power_in_top_n(&c, 50), Some(300));
		assert_eq!(CcvProvider::min_power_in_top_n(&c, 70), Some(300));
		assert_eq!(CcvProvider::min_power_in_top_n(&c, 71), Some(200));
		assert_eq!(CcvProvider::min_power_in_top_n(&c, 100), Some(100));
		assert_eq!(CcvProvider::min_power_in_top_n(&[], 100), None);
	});
}

#[test]
fn power_shaping_filters_the_set() {
	ExtBuilder::build_and_execute(|| {
		let list = |v: Vec<AccountId>| ValidatorList::try_from(v).unwrap();
		let cases: Vec<(PowerShapingOf<Test>, bool, Vec<AccountId>)> = vec![
			// (params, everyone opted in, expected set)
			(top_n(0), false, vec![]),
			(top_n(0), true, vec![41, 31, 21, 11]),
			(top_n(50), false, vec![41, 31]),
			(
				PowerShapingParams {
					allowlist: list(vec![11, 31, 41]),
					denylist: list(vec![41]),
					..top_n(0)
				},
				true,
				vec![31, 11],
			),
			(PowerShapingParams { min_stake: 2500, ..top_n(0) }, true, vec![41, 31]),
			(PowerShapingParams { validator_set_cap: 3, ..top_n(0) }, true, vec![41, 31, 21]),
			(PowerShapingParams { denylist: list(vec![31]), ..top_n(50) }, false, vec![41]),
		];
		for (i, (ps, opt_in, expected)) in cases.into_iter().enumerate() {
			let id = create_consumer(None, ps);
			for (k, (v, _)) in VALIDATORS.iter().enumerate() {
				assign(*v, id, (10 * i + k + 1) as u8);
				if opt_in {
					assert_ok!(CcvProvider::opt_in(RuntimeOrigin::signed(*v), id));
				}
			}
			let (_, candidates) = CcvProvider::current_candidates();
			let set = CcvProvider::compute_consumer_set(id, &candidates);
			let got: Vec<_> = set.iter().map(|v| v.validator).collect();
			assert_eq!(got, expected, "case {i}");
		}
	});
}

#[test]
fn new_era_sends_the_diff_and_nothing_when_unchanged() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		let channel = open_channel(id, "channel-0");
		bond_extra(11, 4000);
		start_era(1);
		let sent = take_sent();
		assert_eq!(sent.len(), 1);
		assert_eq!(sent[0].port, b"provider".to_vec());
		assert_eq!(sent[0].channel, channel);
		let timeout = ConsumerParams::default().ccv_timeout_period_ms;
		assert_eq!(sent[0].timeout_ms, CcvProvider::now_ms() - BLOCK_TIME + timeout);
		let packet = decode_vsc_packet(&sent[0].data).unwrap();
		assert_eq!(packet.vsc_id, 1);
		assert_eq!(packet.validator_updates.to_vec(), vec![upd(1, 500)]);
		assert!(packet.slash_acks.is_empty());
		assert!(provider_events().contains(&Event::VscSent {
			consumer_id: id,
			vsc_id: 1,
			sequence: 1
		}));
		assert_eq!(SentValidators::<Test>::get(id), ConsumerValidators::<Test>::get(id));
		assert_eq!(NextVscId::<Test>::get(id), 2);
		assert!(CcvProvider::vsc_session(id, 1).is_some());

		start_era(2);
		assert!(take_sent().is_empty());
		assert_eq!(NextVscId::<Test>::get(id), 2);
	});
}

#[test]
fn joining_and_leaving_validators_are_added_and_removed() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		open_channel(id, "channel-0");
		add_validator(6, 5000);
		assign(6, id, 9);
		assert_ok!(Staking::chill(RuntimeOrigin::signed(21)));
		start_era(1);
		let packets = decode_sent();
		assert_eq!(packets.len(), 1);
		// Sorted by key: ckey(2) (validator 21) leaves, ckey(9) (validator 6) joins.
		assert_eq!(packets[0].validator_updates.to_vec(), vec![upd(2, 0), upd(9, 500)]);
		assert_eq!(set_of(id), vec![(6, 500), (41, 400), (31, 300), (11, 100)]);
	});
}

#[test]
fn key_replacement_removes_the_old_key_and_adds_the_new() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		open_channel(id, "channel-0");
		assign(41, id, 20);
		start_era(1);
		let packets = decode_sent();
		assert_eq!(packets[0].validator_updates.to_vec(), vec![upd(4, 0), upd(20, 400)]);
		// The old key still resolves to its validator for slashes at older vsc ids.
		assert_eq!(CcvProvider::validator_by_consumer_address(id, &ckey(4).address()), Some(41));
	});
}

#[test]
fn vscs_wait_for_the_channel_and_merge_into_one() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		bond_extra(11, 4000);
		start_era(1);
		assert!(take_sent().is_empty());
		assert_eq!(PendingVsc::<Test>::get(id).unwrap().vsc_id, 1);
		bond_extra(21, 1000);
		start_era(2);
		let pending = PendingVsc::<Test>::get(id).unwrap();
		assert_eq!(pending.vsc_id, 2);
		assert_eq!(pending.validator_updates.to_vec(), vec![upd(1, 500), upd(2, 300)]);
		assert_eq!(SendQueue::<Test>::get().into_inner(), vec![id]);

		open_channel(id, "channel-0");
		next_block();
		let packets = decode_sent();
		assert_eq!(packets.len(), 1);
		assert_eq!(packets[0], pending);
		assert!(SendQueue::<Test>::get().is_empty());
	});
}

#[test]
fn a_change_undone_before_sending_sends_nothing() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		assert_ok!(Staking::chill(RuntimeOrigin::signed(21)));
		start_era(1);
		assert_eq!(
			PendingVsc::<Test>::get(id).unwrap().validator_updates.to_vec(),
			vec![upd(2, 0)]
		);
		assert_ok!(Staking::validate(RuntimeOrigin::signed(21), Default::default()));
		start_era(2);
		assert!(PendingVsc::<Test>::get(id).is_none());
		assert!(SendQueue::<Test>::get().is_empty());
	});
}

#[test]
fn sending_is_bounded_per_block_and_in_order() {
	ExtBuilder::build_and_execute(|| {
		MaxVscPerBlock::set(1);
		let a = launched_consumer(100, 1);
		let b = launched_consumer(100, 11);
		open_channel(a, "channel-a");
		open_channel(b, "channel-b");
		bond_extra(11, 4000);
		start_era(1);
		let first = take_sent();
		assert_eq!(first.len(), 1);
		assert_eq!(first[0].channel, ibc_id("channel-a"));
		next_block();
		let second = take_sent();
		assert_eq!(second.len(), 1);
		assert_eq!(second[0].channel, ibc_id("channel-b"));
	});
}

#[test]
fn recomputation_is_bounded_per_block_with_a_cursor() {
	ExtBuilder::build_and_execute(|| {
		MaxRecomputesPerBlock::set(1);
		let a = launched_consumer(100, 1);
		let b = launched_consumer(100, 11);
		bond_extra(11, 4000);
		start_era(1);
		assert!(PendingVsc::<Test>::contains_key(a));
		assert!(!PendingVsc::<Test>::contains_key(b));
		assert_eq!(
			Recompute::<Test>::get(),
			Some(RecomputeCursor { era: 1, next_consumer: b, again: false })
		);
		next_block();
		assert!(PendingVsc::<Test>::contains_key(b));
		assert_eq!(Recompute::<Test>::get(), None);
	});
}

#[test]
fn send_errors_keep_or_stop_by_kind() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		open_channel(id, "channel-0");
		bond_extra(11, 4000);
		SEND_ERROR.with(|e| *e.borrow_mut() = Some(ChannelError::ChannelNotOpen));
		start_era(1);
		assert!(PendingVsc::<Test>::contains_key(id));
		assert_eq!(Phase::<Test>::get(id), Some(ConsumerPhase::Launched));
		SEND_ERROR.with(|e| *e.borrow_mut() = Some(ChannelError::Host));
		next_block();
		assert_eq!(Phase::<Test>::get(id), Some(ConsumerPhase::Stopped));
		assert!(provider_events().iter().any(|e| matches!(
			e,
			Event::ConsumerStopped { consumer_id, reason: StopReason::SendFailed, .. } if *consumer_id == id
		)));
	});
}

#[test]
fn a_jail_during_a_pass_triggers_a_second_full_pass() {
	ExtBuilder::build_and_execute(|| {
		MaxRecomputesPerBlock::set(1);
		let a = launched_consumer(100, 1);
		let b = launched_consumer(100, 11);
		bond_extra(11, 4000);
		start_era(1);
		// Pass over `a` done, `b` next; a jail now must reach `a` too.
		assert!(CcvProvider::jail(&41, u64::MAX - 1));
		assert_eq!(
			Recompute::<Test>::get(),
			Some(RecomputeCursor { era: 1, next_consumer: b, again: true })
		);
		next_block();
		assert!(!set_of(b).iter().any(|(v, _)| *v == 41));
		assert!(set_of(a).iter().any(|(v, _)| *v == 41));
		next_block();
		assert!(!set_of(a).iter().any(|(v, _)| *v == 41));
		next_block();
		assert_eq!(Recompute::<Test>::get(), None);
	});
}
