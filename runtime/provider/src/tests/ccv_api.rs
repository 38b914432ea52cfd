//! The `CcvProviderApi` runtime API, called as the node would (natively here), on a consumer that
//! is initialized (not launched: launches need IBC), keyed and partly opted in to.

use super::{
	apply_signed,
	ccv::{assign_key, consumer_key, create_consumer, sudo, LOCAL_VALIDATORS},
	preset_ext, Chain,
};
use crate::{
	currency::UNIT,
	genesis_config_presets::{LOCAL_PRESET, VALIDATOR_BOND},
	time::SLOT_DURATION,
	AccountId, AssetId, Balance, Block, Runtime, VERSION,
};
use pallet_ccv_provider::{
	runtime_api::{runtime_decl_for_ccv_provider_api::CcvProviderApiV1, CcvProviderApi},
	ConsumerPhase, ThrottleState,
};
use sp_api::RuntimeApiInfo;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// The API through the runtime's implementation.
macro_rules! api {
	($method:ident($($arg:expr),*)) => {
		<Runtime as CcvProviderApiV1<Block, AccountId, Balance, AssetId>>::$method($($arg),*)
	};
}

#[test]
fn ccv_provider_api_is_declared_in_the_runtime_version() {
	type Declared = dyn CcvProviderApi<Block, AccountId, Balance, AssetId>;
	let (id, version) = (Declared::ID, Declared::VERSION);
	assert!(VERSION.apis.iter().any(|(api, v)| *api == id && *v == version));
}

#[test]
fn ccv_provider_api_answers_for_an_initialized_consumer() {
	preset_ext(LOCAL_PRESET).execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		let spawn_time_ms = 1_000 * SLOT_DURATION;
		let mut chain = Chain::new();
		chain.next_block(|| {
			sudo(create_consumer("consumer-0", Some(spawn_time_ms), 0));
			// Alice keys and opts in; Bob only keys; Charlie does neither.
			assign_key(LOCAL_VALIDATORS[0], 0);
			apply_signed(
				Sr25519Keyring::Alice,
				pallet_ccv_provider::Call::opt_in { consumer_id: 0 },
			);
			assign_key(LOCAL_VALIDATORS[1], 0);
		});
		let alice_key = consumer_key(Ed25519Keyring::Alice, 0);
		let bob_key = consumer_key(Ed25519Keyring::Bob, 0);

		assert_eq!(api!(consumers_in_phase(ConsumerPhase::Initialized)), vec![0]);
		assert!(api!(consumers_in_phase(ConsumerPhase::Launched)).is_empty());
		let info = api!(consumer_info(0)).expect("consumer 0");
		assert_eq!(info.phase, ConsumerPhase::Initialized);
		assert_eq!(info.chain_id.into_inner(), b"consumer-0".to_vec());
		assert_eq!(info.owner, None);
		assert_eq!(info.init_params.and_then(|i| i.spawn_time_ms), Some(spawn_time_ms));
		assert_eq!((info.client_id, info.channel_id, info.validators), (None, None, 0));
		assert!(api!(consumer_info(1)).is_none());
		assert!(api!(consumer_genesis(0)).is_none());

		assert_eq!(api!(consumer_key(0, alice.clone())), Some(alice_key));
		assert_eq!(api!(consumer_key(0, bob.clone())), Some(bob_key));
		assert_eq!(api!(consumer_key(0, charlie.clone())), None);
		assert_eq!(api!(provider_validator(0, bob_key.address())), Some(bob.clone()));
		assert_eq!(api!(provider_validator(1, bob_key.address())), None);
		assert_eq!(api!(consumer_key_owner(alice_key)), Some((0, alice.clone())));
		assert_eq!(api!(opted_in_validators(0)), vec![alice.clone()]);
		assert!(api!(top_n_validators_without_key(0)).is_empty());
		assert!(api!(consumer_validators(0)).is_empty());
		assert!(api!(consumers_validated_by(alice.clone())).is_empty());
		assert_eq!(api!(next_vsc_id(0)), 0);
		assert!(api!(pending_vsc(0)).is_none());
		assert!(api!(vsc_session(0, 0)).is_none());
		assert!(api!(reward_eras(0)).is_empty());
		assert!(api!(reward_snapshot(0, 0)).is_none());

		// The slash meter was filled at block 1 (timestamp 0): 5% of the era's total power,
		// next replenished an hour later.
		let total_power = 3 * (VALIDATOR_BOND / UNIT) as i128;
		let allowance = total_power * 5 / 100;
		assert_eq!(
			api!(throttle_state()),
			ThrottleState {
				meter: allowance,
				allowance,
				next_replenish_ms: Some(crate::configs::SLASH_METER_REPLENISH_PERIOD_MS),
			}
		);
		super::ccv::check_invariants();
	});
}
