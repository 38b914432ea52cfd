//! Genesis presets: `development` (one validator) and `local` (three validators).
//!
//! Accounts are the well-known sr25519 dev accounts; each validator's stash is its dev account
//! and its session keys (Aura, GRANDPA) are the ed25519 keys of the same seed (`//Alice` ...),
//! which is what `--alice` style node flags and zombienet put in the keystore. The IBC chain id
//! (`chainIdentity.chainId`) is `provider-local` / `provider-dev`.

use crate::{
	currency::UNIT, AccountId, AuraId, Balance, BalancesConfig, ChainIdentityConfig, GrandpaId,
	RuntimeGenesisConfig, SessionConfig, SessionKeys, StakerStatus, StakingConfig, SudoConfig,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Name of the local-testnet preset.
pub const LOCAL_PRESET: &str = "local";
/// Name of the single-validator development preset.
pub const DEVELOPMENT_PRESET: &str = DEV_RUNTIME_PRESET;

/// Free balance of every endowed dev account.
pub const ENDOWMENT: Balance = 1_000_000 * UNIT;
/// Bond of every genesis validator.
pub const VALIDATOR_BOND: Balance = 100_000 * UNIT;
/// Minimum bond to validate.
pub const MIN_VALIDATOR_BOND: Balance = 10 * UNIT;
/// Minimum bond to nominate.
pub const MIN_NOMINATOR_BOND: Balance = UNIT;

/// A genesis validator: stash account and its session keys.
#[derive(Clone)]
pub struct GenesisValidator {
	/// Stash (and controller) account.
	pub stash: AccountId,
	/// Aura key.
	pub aura: AuraId,
	/// GRANDPA key.
	pub grandpa: GrandpaId,
}

impl GenesisValidator {
	/// The validator of a well-known dev seed: sr25519 account, ed25519 session keys.
	pub fn dev(account: Sr25519Keyring, consensus: Ed25519Keyring) -> Self {
		Self {
			stash: account.to_account_id(),
			aura: AuraId::from(consensus.public()),
			grandpa: GrandpaId::from(consensus.public()),
		}
	}

	/// The session keys of this validator.
	pub fn session_keys(&self) -> SessionKeys {
		SessionKeys { aura: self.aura.clone(), grandpa: self.grandpa.clone() }
	}
}

/// IBC chain id of the `local` preset (what clients of this chain on consumers record).
pub const LOCAL_CHAIN_ID: &str = "provider-local";
/// IBC chain id of the `development` preset.
pub const DEVELOPMENT_CHAIN_ID: &str = "provider-dev";

/// Genesis configuration patch (chain id `chain_id`) for the given validators, endowed accounts and sudo key.
///
/// `validator_count` is staking's desired set size: it may exceed the genesis set, so that
/// newly bonded validators join at the next era.
pub fn provider_genesis(
	chain_id: &str,
	validators: Vec<GenesisValidator>,
	endowed: Vec<AccountId>,
	root: AccountId,
	validator_count: u32,
	minimum_validator_count: u32,
) -> Value {
	let mut balances: Vec<(AccountId, Balance)> =
		endowed.iter().cloned().map(|who| (who, ENDOWMENT)).collect();
	for v in &validators {
		if !balances.iter().any(|(who, _)| *who == v.stash) {
			balances.push((v.stash.clone(), ENDOWMENT));
		}
	}
	let session_keys: Vec<(AccountId, AccountId, SessionKeys)> =
		validators.iter().map(|v| (v.stash.clone(), v.stash.clone(), v.session_keys())).collect();
	let stakers: Vec<(AccountId, AccountId, Balance, StakerStatus<AccountId>)> = validators
		.iter()
		.map(|v| (v.stash.clone(), v.stash.clone(), VALIDATOR_BOND, StakerStatus::Validator))
		.collect();

	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances },
		session: SessionConfig { keys: session_keys },
		staking: StakingConfig {
			validator_count,
			minimum_validator_count,
			stakers,
			min_validator_bond: MIN_VALIDATOR_BOND,
			min_nominator_bond: MIN_NOMINATOR_BOND,
		},
		sudo: SudoConfig { key: Some(root) },
		chain_identity: ChainIdentityConfig { chain_id: chain_id.into() },
	})
}

/// The dev accounts every preset endows.
fn endowed_dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

/// `local`: Alice, Bob and Charlie validate; room for up to 10 validators.
pub fn local_testnet_genesis() -> Value {
	provider_genesis(
		LOCAL_CHAIN_ID,
		vec![
			GenesisValidator::dev(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			GenesisValidator::dev(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			GenesisValidator::dev(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		],
		endowed_dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
		10,
		2,
	)
}

/// `development`: Alice alone validates (a single node finalizes).
pub fn development_genesis() -> Value {
	provider_genesis(
		DEVELOPMENT_CHAIN_ID,
		vec![GenesisValidator::dev(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		endowed_dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
		1,
		1,
	)
}

/// The JSON patch of a named preset, or `None` for an unknown name.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_str() {
		LOCAL_PRESET => local_testnet_genesis(),
		DEVELOPMENT_PRESET => development_genesis(),
		_ => return None,
	};
	Some(serde_json::to_string(&patch).ok()?.into_bytes())
}

/// Names of the presets this runtime provides.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEVELOPMENT_PRESET), PresetId::from(LOCAL_PRESET)]
}
