//! Consumer lifecycle: create, update, launch at spawn time, stop, delete.

use crate::{mock::*, *};
use ccv_primitives::{ConsumerId, ConsumerParams, ValidatorUpdate};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

/// Asserts that nothing but the phase (`Deleted`) and the used keys remain of `id`.
fn assert_cleaned(id: ConsumerId) {
	assert_eq!(Phase::<Test>::get(id), Some(ConsumerPhase::Deleted));
	assert!(!Owner::<Test>::contains_key(id));
	assert!(!ChainIdOf::<Test>::contains_key(id));
	assert!(!MetadataOf::<Test>::contains_key(id));
	assert!(!InitParamsOf::<Test>::contains_key(id));
	assert!(!PowerShaping::<Test>::contains_key(id));
	assert!(!InfractionParamsOf::<Test>::contains_key(id));
	assert!(!ConsumerGenesisOf::<Test>::contains_key(id));
	assert!(!ConsumerClient::<Test>::contains_key(id));
	assert!(!ConsumerChannel::<Test>::contains_key(id));
	assert!(!PendingChannel::<Test>::contains_key(id));
	assert_eq!(ConsumerKeys::<Test>::iter_prefix(id).count(), 0);
	assert_eq!(KeyOwners::<Test>::iter_prefix(id).count(), 0);
	assert_eq!(OptedIn::<Test>::iter_prefix(id).count(), 0);
	assert!(!VscSessions::<Test>::contains_key(id));
	assert_eq!(HandledEquivocations::<Test>::iter_prefix(id).count(), 0);
	assert!(!MinPowerInTopN::<Test>::contains_key(id));
	assert!(!TopNWithoutKey::<Test>::contains_key(id));
	assert!(!ConsumerValidators::<Test>::contains_key(id));
	assert!(!SentValidators::<Test>::contains_key(id));
	assert!(!NextVscId::<Test>::contains_key(id));
	assert!(!PendingVsc::<Test>::contains_key(id));
	assert!(!PendingSlashAcks::<Test>::contains_key(id));
	assert!(!LatestMaturedVsc::<Test>::contains_key(id));
	assert!(ClientToConsumer::<Test>::iter_values().all(|c| c != id));
	assert!(ChannelToConsumer::<Test>::iter_values().all(|c| c != id));
	assert!(DowntimeSlashRequests::<Test>::get().iter().all(|r| r.consumer_id != id));
	assert!(!LaunchedConsumers::<Test>::get().contains(&id));
	assert!(SpawnQueue::<Test>::get().iter().all(|(_, c)| *c != id));
	assert!(RemovalQueue::<Test>::get().iter().all(|(_, c)| *c != id));
	assert!(InitTimeouts::<Test>::get().iter().all(|(_, c)| *c != id));
	assert!(!SendQueue::<Test>::get().contains(&id));
}

#[test]
fn mock_runtime_has_an_active_era_with_exposures() {
	ExtBuilder::build_and_execute(|| {
		assert_eq!(pallet_staking::ActiveEra::<Test>::get().unwrap().index, 0);
		let total = pallet_staking::ErasStakersOverview::<Test>::get(0, 41).unwrap().total;
		assert_eq!(total, 4000);
		start_era(1);
		assert!(pallet_staking::ErasStakersOverview::<Test>::get(1, 11).is_some());
	});
}

#[test]
fn create_consumer_counts_ids_and_sets_phase() {
	ExtBuilder::build_and_execute(|| {
		let a = create_consumer(Some(u64::MAX), top_n(0));
		assert_ok!(CcvProvider::create_consumer(
			RuntimeOrigin::signed(ADMIN),
			chain_id("b"),
			Default::default(),
			None,
			top_n(0),
			Default::default(),
		));
		assert_eq!((a, NextConsumerId::<Test>::get()), (0, 2));
		assert_eq!(Phase::<Test>::get(0), Some(ConsumerPhase::Initialized));
		assert_eq!(Phase::<Test>::get(1), Some(ConsumerPhase::Registered));
		assert_eq!(SpawnQueue::<Test>::get().into_inner(), vec![(u64::MAX, 0)]);
		assert_eq!(Owner::<Test>::get(0), None);
		assert_eq!(Owner::<Test>::get(1), Some(ADMIN));
		assert_eq!(InitParamsOf::<Test>::get(0).unwrap().params.consumer_id, 0);
		assert_eq!(ConsumerCount::<Test>::get(), 2);
		assert_eq!(
			provider_events().last(),
			Some(&Event::ConsumerCreated {
				consumer_id: 1,
				chain_id: chain_id("b"),
				owner: Some(ADMIN)
			})
		);
	});
}

#[test]
fn create_consumer_rejects_bad_input_and_leaves_storage_untouched() {
	ExtBuilder::build_and_execute(|| {
		let create = |origin, chain: &str, init, ps| {
			CcvProvider::create_consumer(
				origin,
				chain_id(chain),
				Default::default(),
				init,
				ps,
				Default::default(),
			)
		};
		assert_noop!(
			create(RuntimeOrigin::signed(5), "a", None, top_n(0)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			create(RuntimeOrigin::root(), "", None, top_n(0)),
			Error::<Test>::EmptyChainId
		);
		for bad in [1u8, 49, 101] {
			assert_noop!(
				create(RuntimeOrigin::root(), "a", None, top_n(bad)),
				Error::<Test>::InvalidPowerShaping
			);
		}
		let bad_params = InitParams {
			spawn_time_ms: Some(0),
			params: ConsumerParams { ccv_timeout_period_ms: 0, ..Default::default() },
		};
		assert_noop!(
			create(RuntimeOrigin::root(), "a", Some(bad_params), top_n(0)),
			Error::<Test>::InvalidInitParams
		);
		assert_eq!(NextConsumerId::<Test>::get(), 0);
	});
}

#[test]
fn create_consumer_is_bounded_by_max_consumer_chains() {
	ExtBuilder::build_and_execute(|| {
		for _ in 0..8 {
			create_consumer(None, top_n(0));
		}
		assert_noop!(
			CcvProvider::create_consumer(
				RuntimeOrigin::root(),
				chain_id("x"),
				Default::default(),
				None,
				top_n(0),
				Default::default()
			),
			Error::<Test>::TooManyConsumers
		);
	});
}

#[test]
fn update_consumer_follows_ownership_and_phase_rules() {
	ExtBuilder::build_and_execute(|| {
		assert_ok!(CcvProvider::create_consumer(
			RuntimeOrigin::signed(ADMIN),
			chain_id("a"),
			Default::default(),
			Some(init_params(Some(u64::MAX))),
			top_n(0),
			Default::default(),
		));
		let rename = |c: &str| ConsumerUpdate { chain_id: Some(chain_id(c)), ..Default::default() };
		assert_noop!(
			CcvProvider::update_consumer(RuntimeOrigin::signed(5), 0, rename("z")),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			CcvProvider::update_consumer(RuntimeOrigin::root(), 9, rename("z")),
			Error::<Test>::UnknownConsumer
		);
		assert_ok!(CcvProvider::update_consumer(RuntimeOrigin::signed(ADMIN), 0, rename("b")));
		assert_eq!(ChainIdOf::<Test>::get(0), Some(chain_id("b")));
		// Ownership moves to 5; the old owner (not admin by origin here: signed admin is admin) stays admin.
		let transfer = ConsumerUpdate { new_owner: Some(5), ..Default::default() };
		assert_ok!(CcvProvider::update_consumer(RuntimeOrigin::root(), 0, transfer));
		assert_ok!(CcvProvider::update_consumer(RuntimeOrigin::signed(5), 0, rename("c")));
		// Clearing the spawn time makes it Registered and unschedules it.
		let unschedule =
			ConsumerUpdate { init_params: Some(init_params(None)), ..Default::default() };
		assert_ok!(CcvProvider::update_consumer(RuntimeOrigin::signed(5), 0, unschedule));
		assert_eq!(Phase::<Test>::get(0), Some(ConsumerPhase::Registered));
		assert!(SpawnQueue::<Test>::get().is_empty());
		let bad_ps = ConsumerUpdate { power_shaping: Some(top_n(20)), ..Default::default() };
		assert_noop!(
			CcvProvider::update_consumer(RuntimeOrigin::signed(5), 0, bad_ps),
			Error::<Test>::InvalidPowerShaping
		);
	});
}

#[test]
fn update_consumer_refuses_pre_launch_fields_after_launch() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		let rename = ConsumerUpdate { chain_id: Some(chain_id("z")), ..Default::default() };
		assert_noop!(
			CcvProvider::update_consumer(RuntimeOrigin::root(), id, rename),
			Error::<Test>::WrongPhase
		);
		let reinit =
			ConsumerUpdate { init_params: Some(init_params(Some(0))), ..Default::default() };
		assert_noop!(
			CcvProvider::update_consumer(RuntimeOrigin::root(), id, reinit),
			Error::<Test>::WrongPhase
		);
		// Power shaping may change after launch.
		let ps = ConsumerUpdate { power_shaping: Some(top_n(50)), ..Default::default() };
		assert_ok!(CcvProvider::update_consumer(RuntimeOrigin::root(), id, ps));
		assert_eq!(PowerShaping::<Test>::get(id).unwrap().top_n, 50);
	});
}

#[test]
fn consumer_launches_at_spawn_time_with_genesis_and_client() {
	ExtBuilder::build_and_execute(|| {
		let spawn = CcvProvider::now_ms() + 3 * BLOCK_TIME;
		let id = create_consumer(Some(spawn), top_n(0));
		for (i, (v, _)) in VALIDATORS.iter().enumerate() {
			assign(*v, id, 10 + i as u8);
		}
		assert_ok!(CcvProvider::opt_in(RuntimeOrigin::signed(21), id));
		assert_ok!(CcvProvider::opt_in(RuntimeOrigin::signed(41), id));
		next_block();
		next_block();
		assert_eq!(Phase::<Test>::get(id), Some(ConsumerPhase::Initialized));
		run_to_block(System::block_number() + 3);
		assert_eq!(Phase::<Test>::get(id), Some(ConsumerPhase::Launched));

		let genesis = ConsumerGenesisOf::<Test>::get(id).unwrap();
		assert_ok!(genesis.validate());
		assert_eq!(genesis.params.consumer_id, id);
		assert_eq!(genesis.provider_client_state.as_slice(), b"provider-client-state");
		let expected = vec![
			ValidatorUpdate { key: ckey(13), power: 400 },
			ValidatorUpdate { key: ckey(11), power: 200 },
		];
		assert_eq!(genesis.initial_validator_set.to_vec(), expected);
		let client = CLIENTS.with(|c| c.borrow()[0].clone());
		assert_eq!(client.chain_id, b"consumer-0".to_vec());
		assert_eq!(client.initial_set, expected);
		let unbonding = ConsumerParams::default().unbonding_period_ms;
		assert_eq!(client.trusting_period_ms, unbonding / 100 * 66);
		assert_eq!(ConsumerClient::<Test>::get(id), Some(ibc_id("10-grandpa-0")));
		assert_eq!(ClientToConsumer::<Test>::get(ibc_id("10-grandpa-0")), Some(id));
		assert_eq!(NextVscId::<Test>::get(id), 1);
		assert_eq!(
			CcvProvider::vsc_session(id, 0),
			Some(pallet_session::CurrentIndex::<Test>::get())
		);
		assert_eq!(LaunchedConsumers::<Test>::get().into_inner(), vec![id]);
		assert!(provider_events().contains(&Event::ConsumerLaunched {
			consumer_id: id,
			client_id: ibc_id("10-grandpa-0"),
			validators: 2
		}));
	});
}

#[test]
fn launch_without_validators_fails_back_to_registered() {
	ExtBuilder::build_and_execute(|| {
		let id = create_consumer(Some(0), top_n(0));
		assign(11, id, 1); // a key, but nobody opted in
		next_block();
		assert_eq!(Phase::<Test>::get(id), Some(ConsumerPhase::Registered));
		assert_eq!(InitParamsOf::<Test>::get(id).unwrap().spawn_time_ms, None);
		assert!(ConsumerGenesisOf::<Test>::get(id).is_none());
		assert!(CLIENTS.with(|c| c.borrow().is_empty()));
		assert!(provider_events().contains(&Event::ConsumerLaunchFailed {
			consumer_id: id,
			reason: LaunchFailure::EmptyValidatorSet
		}));
	});
}

#[test]
fn launch_failure_of_the_client_rolls_back_everything() {
	ExtBuilder::build_and_execute(|| {
		FAIL_CREATE_CLIENT.with(|f| *f.borrow_mut() = true);
		let id = create_consumer(Some(0), top_n(100));
		assign(41, id, 1);
		next_block();
		assert_eq!(Phase::<Test>::get(id), Some(ConsumerPhase::Registered));
		assert!(ConsumerGenesisOf::<Test>::get(id).is_none());
		assert!(ConsumerValidators::<Test>::get(id).is_empty());
		assert!(!VscSessions::<Test>::contains_key(id));
		assert!(LaunchedConsumers::<Test>::get().is_empty());
		assert!(provider_events().contains(&Event::ConsumerLaunchFailed {
			consumer_id: id,
			reason: LaunchFailure::ClientCreation
		}));
	});
}

#[test]
fn launches_are_bounded_per_block_in_spawn_order() {
	ExtBuilder::build_and_execute(|| {
		MaxLaunchesPerBlock::set(1);
		let later = create_consumer(Some(1), top_n(100));
		let earlier = create_consumer(Some(0), top_n(100));
		assign(41, later, 1);
		assign(41, earlier, 2);
		next_block();
		assert_eq!(Phase::<Test>::get(earlier), Some(ConsumerPhase::Launched));
		assert_eq!(Phase::<Test>::get(later), Some(ConsumerPhase::Initialized));
		next_block();
		assert_eq!(Phase::<Test>::get(later), Some(ConsumerPhase::Launched));
		assert_eq!(LaunchedConsumers::<Test>::get().into_inner(), vec![0, 1]);
	});
}

#[test]
fn removed_consumer_is_deleted_after_unbonding_period_with_all_state() {
	ExtBuilder::build_and_execute(|| {
		let id = launched_consumer(100, 1);
		// Top-N 100%: everyone was opted in automatically at launch.
		assert!(OptedIn::<Test>::contains_key(id, 11));
		let channel = open_channel(id, "channel-7");
		assert_ok!(CcvProvider::submit_consumer_equivocation(
			RuntimeOrigin::signed(5),
			id,
			evidence(1, 1)
		));
		assert_noop!(
			CcvProvider::remove_consumer(RuntimeOrigin::signed(5), id),
			Error::<Test>::NotOwner
		);
		assert_ok!(CcvProvider::remove_consumer(RuntimeOrigin::root(), id));
		assert_eq!(Phase::<Test>::get(id), Some(ConsumerPhase::Stopped));
		assert_eq!(CLOSED.with(|c| c.borrow().clone()), vec![channel]);
		let removal = CcvProvider::now_ms() + UNBONDING_MS;
		assert_eq!(RemovalQueue::<Test>::get().into_inner(), vec![(removal, id)]);
		assert_noop!(
			CcvProvider::remove_consumer(RuntimeOrigin::root(), id),
			Error::<Test>::WrongPhase
		);
		assert_noop!(
			CcvProvider::assign_consumer_key(RuntimeOrigin::signed(11), id, ckey(99)),
			Error::<Test>::WrongPhase
		);

		run_to_block(System::block_number() + UNBONDING_MS / BLOCK_TIME);
		assert_eq!(Phase::<Test>::get(id), Some(ConsumerPhase::Stopped));
		next_block();
		assert_cleaned(id);
		assert_eq!(ConsumerCount::<Test>::get(), 0);
		assert!(provider_events().contains(&Event::ConsumerDeleted { consumer_id: id }));
		// Keys stay used forever.
		assert!(UsedKeys::<Test>::contains_key(ckey(1)));
	});
}

#[test]
fn removed_pre_launch_consumer_is_deleted_next_block() {
	ExtBuilder::build_and_execute(|| {
		let id = create_consumer(Some(u64::MAX), top_n(0));
		assign(11, id, 1);
		assert_ok!(CcvProvider::remove_consumer(RuntimeOrigin::root(), id));
		assert!(SpawnQueue::<Test>::get().is_empty());
		next_block();
		assert_cleaned(id);
	});
}

#[test]
fn deletion_of_a_large_consumer_spans_blocks() {
	let mut ext = ExtBuilder::build();
	let id = ext.execute_with(|| {
		CleanupLimit::set(1);
		let id = create_consumer(None, top_n(0));
		for (i, (v, _)) in VALIDATORS.iter().enumerate() {
			assign(*v, id, 1 + i as u8);
		}
		assert_ok!(CcvProvider::remove_consumer(RuntimeOrigin::root(), id));
		id
	});
	// `clear_prefix` limits count committed keys only: commit after each block, as block
	// import does.
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		next_block();
		assert_eq!(Phase::<Test>::get(id), Some(ConsumerPhase::Stopped));
		assert_eq!(ConsumerKeys::<Test>::iter_prefix(id).count(), 3);
	});
	for _ in 0..3 {
		ext.commit_all().unwrap();
		ext.execute_with(next_block);
	}
	ext.execute_with(|| {
		assert_cleaned(id);
		CcvProvider::do_try_state().unwrap();
	});
}

#[test]
fn a_consumer_without_a_channel_by_the_init_timeout_is_stopped() {
	ExtBuilder::build_and_execute(|| {
		let silent = launched_consumer(100, 1);
		let launched_at = System::block_number();
		let connected = launched_consumer(100, 11);
		open_channel(connected, "channel-0");
		assert_eq!(
			InitTimeouts::<Test>::get().iter().map(|(_, id)| *id).collect::<Vec<_>>(),
			vec![silent]
		);
		run_to_block(launched_at + INIT_TIMEOUT_MS / BLOCK_TIME - 1);
		assert_eq!(Phase::<Test>::get(silent), Some(ConsumerPhase::Launched));
		next_block();
		assert_eq!(Phase::<Test>::get(silent), Some(ConsumerPhase::Stopped));
		assert_eq!(Phase::<Test>::get(connected), Some(ConsumerPhase::Launched));
		assert!(InitTimeouts::<Test>::get().is_empty());
		assert!(provider_events().iter().any(|e| matches!(
			e,
			Event::ConsumerStopped { consumer_id, reason: StopReason::InitTimeout, .. } if *consumer_id == silent
		)));
	});
}

#[test]
fn queries_list_consumers_by_phase_and_their_validators() {
	ExtBuilder::build_and_execute(|| {
		let registered = create_consumer(None, top_n(0));
		let launched = launched_consumer(50, 1);
		assert_ok!(CcvProvider::opt_in(RuntimeOrigin::signed(11), launched));
		assert_eq!(CcvProvider::consumers_in_phase(ConsumerPhase::Registered), vec![registered]);
		assert_eq!(CcvProvider::consumers_in_phase(ConsumerPhase::Launched), vec![launched]);
		assert!(CcvProvider::consumer_genesis(launched).is_some());
		assert!(CcvProvider::consumer_genesis(registered).is_none());
		assert_eq!(CcvProvider::consumer_key(launched, &41), Some(ckey(4)));
		// 41 and 31 (the top 50%) were opted in automatically, 11 explicitly.
		let mut opted_in = CcvProvider::opted_in_validators(launched);
		opted_in.sort();
		assert_eq!(opted_in, vec![11, 31, 41]);
		let set: Vec<_> =
			CcvProvider::consumer_validators(launched).iter().map(|v| v.validator).collect();
		assert_eq!(set, vec![41, 31]);
		assert_eq!(CcvProvider::next_vsc_id(launched), 1);
	});
}
