//! Genesis: the consumer genesis installs the initial set, or genesis build fails.

use crate::{genesis::GenesisBuildError, mock::*, pallet::*, types::grandpa_authorities};
use ccv_primitives::{channel::ChannelError, GenesisError};
use frame_support::BoundedVec;

#[test]
fn genesis_installs_initial_set_in_aura_and_grandpa() {
	run(|| {
		let expected = vec![val(1, 10), val(2, 20), val(3, 30)];
		assert_eq!(CurrentValidators::<Test>::get().to_vec(), expected);
		let aura: Vec<_> = pallet_aura::Authorities::<Test>::get().to_vec();
		assert_eq!(
			aura,
			expected.iter().map(|v| crate::types::aura_id(&v.key)).collect::<Vec<_>>()
		);
		assert_eq!(Grandpa::grandpa_authorities(), grandpa_authorities(&expected));
		assert_eq!(Grandpa::current_set_id(), 0);
		assert_eq!(Grandpa::session_for_set(0), Some(0));
		assert_eq!(Params::<Test>::get(), Some(params()));
		assert_eq!(ProviderClientId::<Test>::get(), Some(id(PROVIDER_CLIENT)));
		assert_eq!(AuthoritySets::<Test>::get(0).map(|s| s.to_vec()), Some(expected));
		assert_eq!(NextSessionAt::<Test>::get(), u64::from(BLOCKS_PER_SESSION));
		CHANNEL.with(|c| {
			assert_eq!(c.borrow().clients_created, vec![(vec![1, 2, 3], vec![4, 5])]);
		});
	});
}

#[test]
fn chain_produces_blocks_from_the_genesis_set() {
	run(|| {
		run_to_block(5);
		assert_eq!(System::block_number(), 5);
		assert_eq!(current_slot(), 5);
		// Slot 5 of 3 authorities (sorted by key) belongs to index 2: key 3.
		assert_eq!(pallet_aura::Pallet::<Test>::slot_author_index(5.into()), Some(2));
		assert!(grandpa_logs().is_empty());
	});
}

#[test]
#[should_panic(expected = "no consumer genesis")]
fn genesis_without_consumer_genesis_fails() {
	let _ = build_storage(None);
}

#[test]
#[should_panic(expected = "initial validator with power 0")]
fn genesis_with_invalid_set_fails_with_its_reason() {
	let mut g = consumer_genesis();
	g.initial_validator_set = BoundedVec::try_from(vec![val(1, 10), val(2, 0)]).unwrap();
	let _ = build_storage(Some(g));
}

#[test]
#[should_panic(expected = "pallet-aura already has genesis authorities")]
fn genesis_refuses_preset_aura_authorities() {
	let aura = pallet_aura::GenesisConfig { authorities: vec![crate::types::aura_id(&key(9))] };
	let _ = build_storage_from(
		RuntimeGenesisConfig { aura, ..Default::default() },
		Some(consumer_genesis()),
	);
}

#[test]
fn invalid_genesis_is_rejected_and_writes_nothing() {
	use sp_runtime::BuildStorage;
	let set = |v: Vec<crate::types::Validator>| BoundedVec::try_from(v).unwrap();
	type Mutate = Box<dyn Fn(&mut ccv_primitives::ConsumerGenesis)>;
	let cases: Vec<(&str, Mutate, GenesisBuildError)> = vec![
		(
			"empty set",
			Box::new(move |g| g.initial_validator_set = set(vec![])),
			GenesisBuildError::Invalid(GenesisError::EmptyValidatorSet),
		),
		(
			"duplicate key",
			Box::new(move |g| g.initial_validator_set = set(vec![val(1, 1), val(1, 2)])),
			GenesisBuildError::Invalid(GenesisError::DuplicateKey),
		),
		(
			"total power too large",
			Box::new(move |g| {
				g.initial_validator_set =
					set(vec![val(1, u64::MAX / 4 + 1), val(2, u64::MAX / 4 + 1)])
			}),
			GenesisBuildError::Invalid(GenesisError::TotalPowerTooLarge),
		),
		(
			"too many validators",
			Box::new(move |g| g.initial_validator_set = set((1..=9).map(|i| val(i, 1)).collect())),
			GenesisBuildError::TooManyValidators { len: 9, max: 8 },
		),
		(
			"zero session length",
			Box::new(|g| g.params.blocks_per_session = 0),
			GenesisBuildError::Invalid(GenesisError::ZeroParam("blocks_per_session")),
		),
		(
			"missing client state",
			Box::new(|g| g.provider_client_state = BoundedVec::default()),
			GenesisBuildError::Invalid(GenesisError::MissingClientState),
		),
	];
	for (name, mutate, expected) in cases {
		let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		sp_io::TestExternalities::from(storage).execute_with(|| {
			let mut g = consumer_genesis();
			mutate(&mut g);
			assert_eq!(CcvConsumer::build_genesis(Some(&g)), Err(expected), "{name}");
			assert!(Params::<Test>::get().is_none(), "{name}");
			assert!(pallet_aura::Authorities::<Test>::get().is_empty(), "{name}");
			assert!(Grandpa::grandpa_authorities().is_empty(), "{name}");
		});
	}
}

#[test]
fn provider_client_failure_fails_genesis() {
	use sp_runtime::BuildStorage;
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	sp_io::TestExternalities::from(storage).execute_with(|| {
		CHANNEL.with(|c| c.borrow_mut().fail_client = true);
		let err = CcvConsumer::build_genesis(Some(&consumer_genesis())).unwrap_err();
		assert_eq!(err, GenesisBuildError::ProviderClient(ChannelError::InvalidClientState));
		assert!(err.to_string().contains("cannot create the provider client"));
		assert!(pallet_aura::Authorities::<Test>::get().is_empty());
		CHANNEL.with(|c| c.borrow_mut().fail_client = false);
	});
}

#[test]
fn genesis_config_reads_from_chain_spec_json() {
	let config = crate::GenesisConfig::<Test> {
		consumer_genesis: Some(consumer_genesis()),
		..Default::default()
	};
	let json = serde_json::to_value(&config).unwrap();
	assert!(json.get("consumerGenesis").and_then(|g| g.get("initialValidatorSet")).is_some());
	let back: crate::GenesisConfig<Test> = serde_json::from_value(json).unwrap();
	assert_eq!(back.consumer_genesis, Some(consumer_genesis()));
	// A chain spec without it deserializes to `None`, which genesis build refuses.
	let empty: crate::GenesisConfig<Test> = serde_json::from_str("{}").unwrap();
	assert_eq!(empty.consumer_genesis, None);
}
