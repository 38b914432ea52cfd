//! The `development` and `local` presets build a valid genesis that produces blocks.

use super::{preset_config, preset_ext, Chain};
use crate::{
	genesis_config_presets::{
		self, preset_names, DEVELOPMENT_PRESET, LOCAL_PRESET, VALIDATOR_BOND,
	},
	time::{SESSIONS_PER_ERA, SESSION_PERIOD},
	AccountId, AuraId, Block, GrandpaId, Runtime, RuntimeGenesisConfig, Session, System,
};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
	items.sort();
	items
}

fn session_validators() -> Vec<AccountId> {
	Session::validators()
}

fn aura_authorities() -> Vec<AuraId> {
	pallet_aura::Authorities::<Runtime>::get().into_inner()
}

fn grandpa_authorities() -> Vec<GrandpaId> {
	pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().into_iter().map(|(id, _)| id).collect()
}

/// Checks the genesis state of a preset with the given (account, consensus key) validators.
fn check_genesis(preset: &str, validators: &[(Sr25519Keyring, Ed25519Keyring)]) {
	preset_ext(preset).execute_with(|| {
		let stashes: Vec<AccountId> = validators.iter().map(|(a, _)| a.to_account_id()).collect();
		let aura: Vec<AuraId> = validators.iter().map(|(_, k)| AuraId::from(k.public())).collect();
		let grandpa: Vec<GrandpaId> =
			validators.iter().map(|(_, k)| GrandpaId::from(k.public())).collect();

		// The election returns winners sorted by account, not in preset order.
		assert_eq!(sorted(session_validators()), sorted(stashes.clone()));
		assert_eq!(sorted(aura_authorities()), sorted(aura));
		assert_eq!(sorted(grandpa_authorities()), sorted(grandpa));
		// Aura's authority `i` is the session key of session validator `i`.
		for (i, who) in session_validators().iter().enumerate() {
			let (_, keys) = validators
				.iter()
				.find(|(a, _)| a.to_account_id() == *who)
				.expect("a genesis validator");
			assert_eq!(aura_authorities()[i], AuraId::from(keys.public()));
		}
		assert_eq!(pallet_staking::ActiveEra::<Runtime>::get().map(|e| e.index), Some(0));
		assert_eq!(pallet_staking::CurrentEra::<Runtime>::get(), Some(0));
		for stash in &stashes {
			let ledger = pallet_staking::Ledger::<Runtime>::get(stash).expect("bonded");
			assert_eq!(ledger.active, VALIDATOR_BOND);
			assert!(pallet_staking::Validators::<Runtime>::contains_key(stash));
			assert!(pallet_staking::ErasStakersOverview::<Runtime>::get(0, stash).is_some());
		}
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
		// Every well-known dev account is endowed.
		for account in Sr25519Keyring::well_known() {
			assert!(System::account_exists(&account.to_account_id()), "{account:?} endowed");
		}
	});
}

#[test]
fn preset_names_are_development_and_local() {
	assert_eq!(preset_names(), vec![DEVELOPMENT_PRESET.to_string(), LOCAL_PRESET.to_string()]);
	assert!(genesis_config_presets::get_preset(&"no-such-preset".into()).is_none());
}

#[test]
fn development_preset_builds_valid_genesis() {
	check_genesis(DEVELOPMENT_PRESET, &[(Sr25519Keyring::Alice, Ed25519Keyring::Alice)]);
}

#[test]
fn local_preset_builds_valid_genesis() {
	check_genesis(
		LOCAL_PRESET,
		&[
			(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		],
	);
}

#[test]
fn presets_round_trip_through_the_genesis_builder_api() {
	use sp_genesis_builder::runtime_decl_for_genesis_builder::GenesisBuilderV1;

	for name in [DEVELOPMENT_PRESET, LOCAL_PRESET] {
		let listed = <Runtime as GenesisBuilderV1<Block>>::preset_names();
		assert!(listed.contains(&name.to_string()));
		assert!(<Runtime as GenesisBuilderV1<Block>>::get_preset(&Some(name.into())).is_some());
		// The full config (defaults + patch) is accepted by `build_state`.
		let full = serde_json::to_vec(&preset_config(name)).expect("serializes");
		sp_io::TestExternalities::new_empty().execute_with(|| {
			<Runtime as GenesisBuilderV1<Block>>::build_state(full).expect("build_state");
			assert!(!Session::validators().is_empty());
		});
	}
	// `None` gives the default config, which is valid JSON for `RuntimeGenesisConfig`.
	let default = <Runtime as GenesisBuilderV1<Block>>::get_preset(&None).expect("default");
	serde_json::from_slice::<RuntimeGenesisConfig>(&default).expect("default config parses");
}

#[test]
fn development_chain_produces_blocks_and_eras() {
	preset_ext(DEVELOPMENT_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		let era_blocks = SESSION_PERIOD * SESSIONS_PER_ERA;
		chain.run_until(era_blocks + 1, || {
			pallet_staking::ActiveEra::<Runtime>::get().map(|e| e.index) == Some(1)
		});
		assert_eq!(chain.number(), era_blocks);
		assert_eq!(session_validators(), vec![Sr25519Keyring::Alice.to_account_id()]);
		assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), SESSIONS_PER_ERA);
	});
}

#[test]
fn metadata_v16_is_available() {
	use sp_api::runtime_decl_for_metadata::MetadataV2;

	let versions = <Runtime as MetadataV2<Block>>::metadata_versions();
	assert!(versions.contains(&16), "versions: {versions:?}");
	let v16 = <Runtime as MetadataV2<Block>>::metadata_at_version(16).expect("v16");
	assert!(!v16.is_empty());
}
