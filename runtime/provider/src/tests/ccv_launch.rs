//! Consumer launch: root creates a consumer, the validators assign consumer keys and opt in,
//! and at the spawn time the provider launches it: a `10-grandpa` client of the consumer is
//! created through pallet-ibc from the consumer's initial set (set id 0, height 0), and the
//! consumer genesis carries this chain's GRANDPA client state (the parent block, GRANDPA's
//! current set, the `provider-local` chain id) with the IBC root pallet-ibc recorded for that
//! block. A launch without validators fails cleanly.

use super::{
	ccv::{
		assign_key, ccv_events, check_invariants, consumer_key, create_consumer, launch_consumer,
		sudo, LOCAL_VALIDATORS,
	},
	preset_ext, try_apply_signed, Chain,
};
use crate::{
	genesis_config_presets::{LOCAL_CHAIN_ID, LOCAL_PRESET},
	ibc_host::{provider_trusting_period_ns, CLIENT_SET_HISTORY},
	time::SLOT_DURATION,
	GrandpaId, Ibc, Runtime, System,
};
use ccv_primitives::{ConsensusKey, ConsumerParams};
use ibc_client_grandpa::{ClientState, ConsensusState, IbcConsensusState};
use ibc_core::{
	host::types::path::{ClientConsensusStatePath, ClientStatePath},
	primitives::proto::Any,
};
use pallet_ccv_provider::{ConsumerPhase, Error, Event, LaunchFailure, Phase};
use prost::Message;
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
	// No light client was created either.
	assert_eq!(pallet_ibc::ClientCounter::<Runtime>::get(), 0);
	check_invariants();
}

fn decode_client_state(bytes: &[u8]) -> ClientState {
	ClientState::try_from(Any::decode(bytes).expect("an Any")).expect("a GRANDPA client state")
}

fn decode_consensus_state(bytes: &[u8]) -> ConsensusState {
	IbcConsensusState::try_from(Any::decode(bytes).expect("an Any"))
		.expect("a GRANDPA consensus state")
		.into()
}

#[test]
fn consumer_created_by_root_is_keyed_opted_in_and_launched_with_a_grandpa_client() {
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
		}
		assert_eq!(pallet_ibc::ClientCounter::<Runtime>::get(), 0, "no client before spawn time");

		let mut parent_hash = Default::default();
		while phase(id) == Some(ConsumerPhase::Initialized) {
			assert!(chain.number() < 20, "launched within 20 blocks");
			parent_hash = chain.parent_hash();
			chain.next_block(|| {});
		}
		let launch_block = chain.number();
		assert_eq!(launch_block, 6, "launched at the first block past spawn time");
		assert_eq!(phase(id), Some(ConsumerPhase::Launched));
		let client_id = b"10-grandpa-0".to_vec();
		assert!(
			ccv_events().contains(&Event::ConsumerLaunched {
				consumer_id: id,
				client_id: client_id.clone().try_into().expect("short"),
				validators: 3,
			}),
			"launch event: {:?}",
			ccv_events()
		);
		assert_eq!(
			pallet_ccv_provider::ConsumerClient::<Runtime>::get(id).map(|c| c.to_vec()),
			Some(client_id.clone())
		);

		// The client of the consumer, as pallet-ibc stores it: GRANDPA, from the initial set.
		let ibc_client_id = "10-grandpa-0".parse().expect("client id");
		let stored = Ibc::ibc_state(&pallet_ibc::store::key(&ClientStatePath::new(ibc_client_id)))
			.expect("pallet-ibc stores the consumer client");
		let client = decode_client_state(&stored);
		assert_eq!(client.chain_id.to_vec(), b"consumer-0".to_vec());
		assert_eq!((client.latest_height, client.latest_hash), (0, None));
		assert_eq!(client.authority_set.set_id, 0);
		let genesis =
			pallet_ccv_provider::ConsumerGenesisOf::<Runtime>::get(id).expect("consumer genesis");
		let mut expected: Vec<(GrandpaId, u64)> = genesis
			.initial_validator_set
			.iter()
			.map(|v| (sp_core::ed25519::Public::from_raw(v.key.0).into(), v.power))
			.collect();
		let mut keys: Vec<ConsensusKey> =
			genesis.initial_validator_set.iter().map(|v| v.key).collect();
		keys.sort();
		let mut assigned: Vec<ConsensusKey> =
			LOCAL_VALIDATORS.iter().map(|(_, c)| consumer_key(*c, id)).collect();
		assigned.sort();
		assert_eq!(keys, assigned, "the initial set is the opted-in validators' consumer keys");
		let mut authorities = client.authority_set.authorities.to_vec();
		authorities.sort();
		expected.sort();
		assert_eq!(authorities, expected, "GRANDPA weights are the consumer powers");
		let trusting_ms = crate::configs::TrustingPeriodFraction::get()
			.mul_floor(ConsumerParams::default().unbonding_period_ms);
		assert_eq!(client.trusting_period_ns, trusting_ms * 1_000_000);
		let consensus_path =
			ClientConsensusStatePath::new("10-grandpa-0".parse().expect("client id"), 0, 1);
		let consensus = decode_consensus_state(
			&Ibc::ibc_state(&pallet_ibc::store::key(&consensus_path)).expect("consensus state"),
		);
		assert_eq!(consensus.ibc_root, [0; 32], "genesis-style: all-zero root");
		assert_eq!(consensus.timestamp_ns, u64::from(launch_block - 1) * SLOT_DURATION * 1_000_000);

		// The consumer genesis carries this chain's client state: the parent block.
		let provider = decode_client_state(&genesis.provider_client_state);
		assert_eq!(provider.chain_id.to_vec(), LOCAL_CHAIN_ID.as_bytes().to_vec());
		assert_eq!(provider.latest_height, launch_block - 1);
		assert_eq!(provider.latest_hash, Some(parent_hash));
		assert_eq!(provider.authority_set.set_id, pallet_grandpa::CurrentSetId::<Runtime>::get());
		assert_eq!(
			provider.authority_set.authorities.to_vec(),
			pallet_grandpa::Pallet::<Runtime>::grandpa_authorities()
		);
		assert_eq!(provider.trusting_period_ns, provider_trusting_period_ns());
		assert_eq!(provider.max_set_history, CLIENT_SET_HISTORY);
		let provider_consensus = decode_consensus_state(&genesis.provider_consensus_state);
		let record = Ibc::host_record(u64::from(launch_block - 1)).expect("parent record");
		assert_eq!(
			(provider_consensus.timestamp_ns, provider_consensus.ibc_root),
			(record.timestamp_ns, record.ibc_root)
		);
		assert_eq!(System::block_number(), launch_block);
		check_invariants();

		// A second consumer gets the next client.
		assert_eq!(launch_consumer(&mut chain, 1, "consumer-1"), b"10-grandpa-1".to_vec());
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
