//! Genesis presets: `development` (one validator) and `local` (three validators).
//!
//! Accounts are the well-known sr25519 dev accounts. The consensus keys are **not** the
//! provider's `//Alice` ... keys: a consumer key must never equal a provider session key nor be
//! used on two chains (DESIGN §2), so each validator's consumer key is the ed25519 key derived
//! from `//<Name>//consumer` ([`consumer_key_seed`]). Insert it in the node's keystore under
//! both `aura` and `gran` (`frame-ics-node key insert --scheme ed25519 --suri
//! //Alice//consumer --key-type aura`, then `--key-type gran`).
//!
//! The consumer genesis would normally come from the provider at launch. Until pallet-ibc
//! exists the presets build it locally: the initial set is the validators below, the
//! parameters are ICS defaults with short sessions, and the provider's client and consensus
//! states are placeholder bytes ([`PLACEHOLDER_PROVIDER_CLIENT_STATE`],
//! [`PLACEHOLDER_PROVIDER_CONSENSUS_STATE`]) that the placeholder IBC host accepts without
//! reading (see [`crate::ibc_placeholder`]).

use crate::{
	configs::{CcvPalletId, RedistributionAccount},
	currency::UNIT,
	AccountId, Balance, BalancesConfig, CcvConsumerConfig, RuntimeGenesisConfig, SudoConfig,
};
use alloc::{format, string::String, vec, vec::Vec};
use ccv_primitives::{ConsensusKey, ConsumerGenesis, ConsumerParams, Power, ValidatorUpdate};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_core::Pair;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET};
use sp_keyring::Sr25519Keyring;
use sp_runtime::traits::AccountIdConversion;

/// Name of the local-testnet preset.
pub const LOCAL_PRESET: &str = "local";
/// Name of the single-validator development preset.
pub const DEVELOPMENT_PRESET: &str = DEV_RUNTIME_PRESET;

/// Free balance of every endowed dev account.
pub const ENDOWMENT: Balance = 1_000_000 * UNIT;
/// Balance given to the CCV module account and the redistribution account so that they exist.
pub const REWARD_ACCOUNT_ENDOWMENT: Balance = UNIT;
/// Power of every preset validator (its GRANDPA weight).
pub const PRESET_VALIDATOR_POWER: Power = 100;
/// Consumer blocks per CCV session in the presets (one minute at 6 s blocks).
pub const PRESET_BLOCKS_PER_SESSION: u32 = 10;

/// Placeholder for the provider's light-client state (pallet-ibc pending): non-empty, never
/// interpreted.
pub const PLACEHOLDER_PROVIDER_CLIENT_STATE: &[u8] = b"placeholder-provider-client-state";
/// Placeholder for the provider's consensus state (pallet-ibc pending): non-empty, never
/// interpreted.
pub const PLACEHOLDER_PROVIDER_CONSENSUS_STATE: &[u8] = b"placeholder-provider-consensus-state";

/// The secret URI of a dev validator's consumer key: `//<Name>//consumer`.
pub fn consumer_key_seed(name: &str) -> String {
	format!("//{name}//consumer")
}

/// The consumer consensus key (ed25519) of a dev validator, derived from
/// [`consumer_key_seed`]. `None` only if derivation fails (it does not for plain names).
pub fn consumer_key(name: &str) -> Option<ConsensusKey> {
	let pair = sp_core::ed25519::Pair::from_string(&consumer_key_seed(name), None).ok()?;
	Some(ConsensusKey(pair.public().0))
}

/// The CCV parameters of the presets: ICS defaults, with sessions of
/// [`PRESET_BLOCKS_PER_SESSION`] blocks.
pub fn preset_params() -> ConsumerParams {
	ConsumerParams { blocks_per_session: PRESET_BLOCKS_PER_SESSION, ..Default::default() }
}

/// A consumer genesis with the given initial set and placeholder provider states.
pub fn placeholder_consumer_genesis(initial: Vec<ValidatorUpdate>) -> Option<ConsumerGenesis> {
	Some(ConsumerGenesis {
		params: preset_params(),
		provider_client_state: PLACEHOLDER_PROVIDER_CLIENT_STATE.to_vec().try_into().ok()?,
		provider_consensus_state: PLACEHOLDER_PROVIDER_CONSENSUS_STATE.to_vec().try_into().ok()?,
		initial_validator_set: initial.try_into().ok()?,
	})
}

/// Genesis configuration patch: `consumer_genesis` for the CCV pallet, endowed accounts and the
/// sudo key. Aura's and GRANDPA's authorities stay empty: the CCV pallet installs them.
pub fn consumer_genesis_patch(
	consumer_genesis: ConsumerGenesis,
	endowed: Vec<AccountId>,
	root: AccountId,
) -> Value {
	let mut balances: Vec<(AccountId, Balance)> =
		endowed.into_iter().map(|who| (who, ENDOWMENT)).collect();
	let ccv_account: AccountId = CcvPalletId::get().into_account_truncating();
	balances.push((ccv_account, REWARD_ACCOUNT_ENDOWMENT));
	balances.push((RedistributionAccount::get(), REWARD_ACCOUNT_ENDOWMENT));

	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances },
		sudo: SudoConfig { key: Some(root) },
		ccv_consumer: CcvConsumerConfig { consumer_genesis: Some(consumer_genesis) },
	})
}

/// The preset validators' initial set: each named dev validator's consumer key, equal power.
fn dev_initial_set(names: &[&str]) -> Option<Vec<ValidatorUpdate>> {
	names
		.iter()
		.map(|name| {
			Some(ValidatorUpdate { key: consumer_key(name)?, power: PRESET_VALIDATOR_POWER })
		})
		.collect()
}

/// The genesis patch of the preset validators `names`.
fn dev_genesis(names: &[&str]) -> Option<Value> {
	let genesis = placeholder_consumer_genesis(dev_initial_set(names)?)?;
	let endowed = Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect();
	Some(consumer_genesis_patch(genesis, endowed, Sr25519Keyring::Alice.to_account_id()))
}

/// Validators of the `local` preset.
pub const LOCAL_VALIDATORS: [&str; 3] = ["Alice", "Bob", "Charlie"];
/// Validator of the `development` preset.
pub const DEVELOPMENT_VALIDATORS: [&str; 1] = ["Alice"];

/// `local`: the consumer keys of Alice, Bob and Charlie form the initial set.
pub fn local_testnet_genesis() -> Option<Value> {
	dev_genesis(&LOCAL_VALIDATORS)
}

/// `development`: Alice's consumer key alone (a single node finalizes).
pub fn development_genesis() -> Option<Value> {
	dev_genesis(&DEVELOPMENT_VALIDATORS)
}

/// The JSON patch of a named preset, or `None` for an unknown name.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_str() {
		LOCAL_PRESET => local_testnet_genesis()?,
		DEVELOPMENT_PRESET => development_genesis()?,
		_ => return None,
	};
	Some(serde_json::to_string(&patch).ok()?.into_bytes())
}

/// Names of the presets this runtime provides.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEVELOPMENT_PRESET), PresetId::from(LOCAL_PRESET)]
}
