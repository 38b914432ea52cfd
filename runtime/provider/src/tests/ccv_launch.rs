//! Consumer launch with the placeholder IBC host: root creates a consumer, the validators assign
//! consumer keys and opt in, and at the spawn time the launch fails cleanly (the host has no
//! client state to put in the consumer genesis): nothing of the launch is stored, the consumer
//! is `Registered` again with its spawn time cleared, and it can be rescheduled.

use super::{
	ccv::{
		assign_key, ccv_events, check_invariants, consumer_key, create_consumer, sudo,
		LOCAL_VALIDATORS,
	},
	preset_ext, try_apply_signed, Chain,
};
use crate::{genesis_config_presets::LOCAL_PRESET, time::SLOT_DURATION, Runtime};
use ccv_primitives::{ConsensusKey, ConsumerParams};
use pallet_ccv_provider::{
	ConsumerPhase, ConsumerUpdate, Error, Event, InitParams, LaunchFailure, Phase,
};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::DispatchError;

type CcvProvider = pallet_ccv_provider::Pallet<Runtime>;

fn phase(consumer_id: ccv_primitives::ConsumerId) -> Option<ConsumerPhase> {
	Phase::<Runtime>::get(consumer_id)
}

/// Nothing a launch stores exists for `consumer_id`, and it is `Registered` without a spawn time.
fn assert_not_launched(consumer_id: ccv_primitives::ConsumerId) {
	use pallet_ccv_provider::*;
	assert_eq!(phase(consumer_id), Some(ConsumerPhase::Registered));
	let init = InitParamsOf::<Runtime>::get(consumer_id).expect("init params kept");
	assert_eq!(init.spawn_time_ms, None);
	assert!(SpawnQueue::<Runtime>::get().is_empty());
	assert!(LaunchedConsumers::<Runtime>::get().is_empty());
	assert!(InitTimeouts::<Runtime>::get().is_empty());
	assert!(ConsumerGenesisOf::<Runtime>::get(consumer_id).is_none());
	assert!(ConsumerClient::<Runtime>::get(consumer_id).is_none());
	assert!(ConsumerValidators::<Runtime>::get(consumer_id).is_empty());
	assert!(SentValidators::<Runtime>::get(consumer_id).is_empty());
	assert_eq!(NextVscId::<Runtime>::get(consumer_id), 0);
	assert!(VscSessions::<Runtime>::get(consumer_id).is_empty());
	assert!(NextRewardEra::<Runtime>::get(consumer_id).is_none());
	assert_eq!(ConsumerCount::<Runtime>::get(), 1);
	check_invariants();
}

#[test]
fn consumer_created_by_root_is_keyed_and_opted_in_and_its_launch_fails_cleanly() {
	preset_ext(LOCAL_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		// Block n's `on_initialize` sees the timestamp of block n - 1, `(n - 1) * SLOT_DURATION`.
		let spawn_time_ms = 5 * SLOT_DURATION;
		chain.next_block(|| sudo(create_consumer("consumer-0", Some(spawn_time_ms), 0)));
		let id = 0;
		assert_eq!(phase(id), Some(ConsumerPhase::Initialized));
		assert!(ccv_events().contains(&Event::ConsumerCreated {
			consumer_id: id,
			chain_id: b"consumer-0".to_vec().try_into().expect("short"),
			owner: None,
		}));
		assert_eq!(
			pallet_ccv_provider::SpawnQueue::<Runtime>::get().into_inner(),
			vec![(spawn_time_ms, id)]
		);

		chain.next_block(|| {
			for validator in LOCAL_VALIDATORS {
				assign_key(validator, id);
				super::apply_signed(
					validator.0,
					pallet_ccv_provider::Call::opt_in { consumer_id: id },
				);
			}
		});
		for (account, consensus) in LOCAL_VALIDATORS {
			let stash = account.to_account_id();
			let key = consumer_key(consensus, id);
			assert_eq!(CcvProvider::consumer_key(id, &stash), Some(key));
			assert_eq!(CcvProvider::provider_validator(id, &key.address()), Some(stash.clone()));
			assert!(pallet_ccv_provider::OptedIn::<Runtime>::contains_key(id, &stash));
		}
		assert_eq!(phase(id), Some(ConsumerPhase::Initialized));

		chain.run_until(20, || phase(id) != Some(ConsumerPhase::Initialized));
		assert_eq!(chain.number(), 6, "the launch is attempted at the first block past spawn time");
		let events = ccv_events();
		assert!(
			events.contains(&Event::ConsumerLaunchFailed {
				consumer_id: id,
				reason: LaunchFailure::HostClientState,
			}),
			"launch failure event: {events:?}"
		);
		assert!(!events.iter().any(|e| matches!(e, Event::ConsumerLaunched { .. })));
		assert_not_launched(id);
		// What the validators did survives the failed launch.
		for (account, consensus) in LOCAL_VALIDATORS {
			let stash = account.to_account_id();
			assert_eq!(CcvProvider::consumer_key(id, &stash), Some(consumer_key(consensus, id)));
			assert!(pallet_ccv_provider::OptedIn::<Runtime>::contains_key(id, &stash));
		}

		// Root reschedules it; the next attempt fails the same way.
		let respawn_ms = u64::from(chain.number() + 2) * SLOT_DURATION;
		chain.next_block(|| {
			sudo(pallet_ccv_provider::Call::update_consumer {
				consumer_id: id,
				update: ConsumerUpdate {
					init_params: Some(InitParams {
						spawn_time_ms: Some(respawn_ms),
						params: ConsumerParams::default(),
					}),
					..Default::default()
				},
			})
		});
		assert_eq!(phase(id), Some(ConsumerPhase::Initialized));
		chain.run_until(10, || phase(id) != Some(ConsumerPhase::Initialized));
		assert!(ccv_events().contains(&Event::ConsumerLaunchFailed {
			consumer_id: id,
			reason: LaunchFailure::HostClientState,
		}));
		assert_not_launched(id);
	});
}

#[test]
fn launch_without_any_opted_in_validator_fails_with_an_empty_set() {
	preset_ext(LOCAL_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		chain.next_block(|| sudo(create_consumer("consumer-0", Some(SLOT_DURATION), 0)));
		chain.run_until(5, || phase(0) != Some(ConsumerPhase::Initialized));
		assert!(ccv_events().contains(&Event::ConsumerLaunchFailed {
			consumer_id: 0,
			reason: LaunchFailure::EmptyValidatorSet,
		}));
		assert_not_launched(0);
	});
}

#[test]
fn only_root_creates_consumers_and_keys_are_checked_against_the_provider() {
	preset_ext(LOCAL_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		chain.next_block(|| {
			// A signed account is not the admin origin.
			let outcome =
				try_apply_signed(Sr25519Keyring::Alice, create_consumer("consumer-0", None, 0));
			assert_eq!(outcome, Err(DispatchError::BadOrigin));
			sudo(create_consumer("consumer-0", None, 0));
		});
		assert_eq!(phase(0), Some(ConsumerPhase::Registered));

		chain.next_block(|| {
			let assign = |key: ConsensusKey| pallet_ccv_provider::Call::assign_consumer_key {
				consumer_id: 0,
				key,
			};
			// Alice's provider session key (Aura and GRANDPA) cannot be a consumer key.
			let session_key = ConsensusKey(Ed25519Keyring::Alice.public().0);
			assert_eq!(
				try_apply_signed(Sr25519Keyring::Alice, assign(session_key)),
				Err(Error::<Runtime>::KeyIsProviderSessionKey.into())
			);
			// Only staking stashes assign keys.
			assert_eq!(
				try_apply_signed(
					Sr25519Keyring::Dave,
					assign(consumer_key(Ed25519Keyring::Dave, 0))
				),
				Err(Error::<Runtime>::NotAValidator.into())
			);
			// A key is never used twice.
			assign_key(LOCAL_VALIDATORS[0], 0);
			assert_eq!(
				try_apply_signed(
					Sr25519Keyring::Bob,
					assign(consumer_key(Ed25519Keyring::Alice, 0))
				),
				Err(Error::<Runtime>::KeyAlreadyUsed.into())
			);
			// Opting in needs a key.
			assert_eq!(
				try_apply_signed(
					Sr25519Keyring::Bob,
					pallet_ccv_provider::Call::opt_in { consumer_id: 0 }
				),
				Err(Error::<Runtime>::NoConsumerKey.into())
			);
		});
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(
			CcvProvider::consumer_key(0, &alice),
			Some(consumer_key(Ed25519Keyring::Alice, 0))
		);
		assert_eq!(CcvProvider::consumer_key(0, &Sr25519Keyring::Bob.to_account_id()), None);
	});
}
