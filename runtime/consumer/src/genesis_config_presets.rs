//! Genesis presets: `development` (one validator) and `local` (three validators).
//!
//! Accounts are the well-known sr25519 dev accounts. The consensus keys are **not** the
//! provider's `//Alice` ... keys: a consumer key must never equal a provider session key nor be
//! used on two chains (DESIGN §2), so each validator's consumer key is the ed25519 key derived
//! from `//<Name>//consumer` ([`consumer_key_seed`]). Insert it in the node's keystore under
//! both `aura` and `gran` (`frame-ics-node key insert --scheme ed25519 --suri
//! //Alice//consumer --key-type aura`, then `--key-type gran`).
//!
//! A live consumer's genesis comes from the provider at launch (`ConsumerGenesisOf`, read
//! through the provider's `CcvProviderApi_consumer_genesis` by `frame-ics-node
//! build-consumer-spec`, which builds the consumer's chain spec with
//! [`dev_accounts_genesis_patch`]). The presets build one locally, for dev networks and tests: the
//! initial set is the validators below, the parameters are ICS defaults with short sessions,
//! and the provider's client and consensus states are a genesis-style GRANDPA client of the
//! provider runtime's preset of the same name ([`preset_provider_client_states`]: chain id
//! `provider-local` / `provider-dev`, the provider preset's GRANDPA keys `//Alice`, ... with
//! weight 1, set id 0, height 0, all-zero root). Its consensus timestamp is 0 (a preset cannot
//! know when the provider starts), so that client is already expired for a relayer: a network
//! that relays must take its consumer genesis from the provider's launch, not from a preset.
//! The consumer's own chain id is `consumer-local` / `consumer-dev` (`chainIdentity`).

use crate::{
	configs::{CcvPalletId, RedistributionAccount},
	currency::UNIT,
	AccountId, Balance, BalancesConfig, CcvConsumerConfig, ChainIdentityConfig,
	RuntimeGenesisConfig, SudoConfig,
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

/// Trusting period of the presets' provider client: 66% (the ICS trusting-period fraction)
/// of the provider runtime's unbonding period (4 eras of 3 minutes), in milliseconds.
pub const PRESET_PROVIDER_TRUSTING_PERIOD_MS: u64 = 4 * 3 * 60_000 * 66 / 100;
/// Past GRANDPA sets the presets' provider client keeps (the most the client allows).
pub const PRESET_PROVIDER_SET_HISTORY: u32 = ibc_client_grandpa::types::MAX_SET_HISTORY;

/// The provider chain id matching a provider preset (`provider-local`, `provider-dev`).
pub fn provider_chain_id(preset: &str) -> String {
	format!("provider-{preset}")
}

/// This consumer's chain id in a preset (`consumer-local`, `consumer-dev`).
pub fn consumer_chain_id(preset: &str) -> String {
	format!("consumer-{preset}")
}

/// A genesis-style GRANDPA client of a provider (chain id `provider_chain_id`, GRANDPA keys of
/// the dev seeds `provider_validators` with weight 1, set id 0, height 0) and its consensus
/// state (time 0, all-zero root), as the protobuf `Any` bytes a consumer genesis carries.
pub fn preset_provider_client_states(
	provider_chain_id: &str,
	provider_validators: &[&str],
) -> Option<(Vec<u8>, Vec<u8>)> {
	use ibc_client_grandpa::{types::AuthoritySet, ClientState, ConsensusState, IbcConsensusState};
	use ibc_core::primitives::proto::Any;
	use prost::Message;

	let authorities = provider_validators
		.iter()
		.map(|name| {
			let pair = sp_core::ed25519::Pair::from_string(&format!("//{name}"), None).ok()?;
			Some((pair.public().into(), 1))
		})
		.collect::<Option<Vec<_>>>()?;
	let client = ClientState::from_genesis_authorities(
		provider_chain_id.as_bytes(),
		AuthoritySet::new(0, authorities).ok()?,
		PRESET_PROVIDER_TRUSTING_PERIOD_MS.saturating_mul(1_000_000),
		PRESET_PROVIDER_SET_HISTORY,
	)
	.ok()?;
	let consensus = IbcConsensusState::from(ConsensusState { timestamp_ns: 0, ibc_root: [0; 32] });
	Some((Any::from(client).encode_to_vec(), Any::from(consensus).encode_to_vec()))
}

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

/// A consumer genesis with the given initial set and provider states (protobuf `Any` bytes).
pub fn preset_consumer_genesis(
	initial: Vec<ValidatorUpdate>,
	(client_state, consensus_state): (Vec<u8>, Vec<u8>),
) -> Option<ConsumerGenesis> {
	Some(ConsumerGenesis {
		params: preset_params(),
		provider_client_state: client_state.try_into().ok()?,
		provider_consensus_state: consensus_state.try_into().ok()?,
		initial_validator_set: initial.try_into().ok()?,
	})
}

/// Genesis configuration patch: this chain's id, `consumer_genesis` for the CCV pallet,
/// endowed accounts and the sudo key. Aura's and GRANDPA's authorities stay empty: the CCV
/// pallet installs them.
pub fn consumer_genesis_patch(
	chain_id: String,
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
		chain_identity: ChainIdentityConfig { chain_id },
		ccv_consumer: CcvConsumerConfig { consumer_genesis: Some(consumer_genesis) },
	})
}

/// [`consumer_genesis_patch`] with the dev accounts: every well-known sr25519 dev account
/// endowed, `//Alice` the sudo key. Used by the presets and by the node's
/// `build-consumer-spec` (a consumer genesis read from a live provider), so both give dev and
/// test networks the same accounts.
pub fn dev_accounts_genesis_patch(chain_id: String, consumer_genesis: ConsumerGenesis) -> Value {
	let endowed = Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect();
	consumer_genesis_patch(
		chain_id,
		consumer_genesis,
		endowed,
		Sr25519Keyring::Alice.to_account_id(),
	)
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

/// The genesis patch of preset `preset` with validators `names` (on the consumer and, with
/// their provider keys, on the provider preset of the same name).
fn dev_genesis(preset: &str, names: &[&str]) -> Option<Value> {
	let provider = preset_provider_client_states(&provider_chain_id(preset), names)?;
	let genesis = preset_consumer_genesis(dev_initial_set(names)?, provider)?;
	Some(dev_accounts_genesis_patch(consumer_chain_id(preset), genesis))
}

/// Validators of the `local` preset.
pub const LOCAL_VALIDATORS: [&str; 3] = ["Alice", "Bob", "Charlie"];
/// Validator of the `development` preset.
pub const DEVELOPMENT_VALIDATORS: [&str; 1] = ["Alice"];

/// `local`: the consumer keys of Alice, Bob and Charlie form the initial set.
pub fn local_testnet_genesis() -> Option<Value> {
	dev_genesis(LOCAL_PRESET, &LOCAL_VALIDATORS)
}

/// `development`: Alice's consumer key alone (a single node finalizes).
pub fn development_genesis() -> Option<Value> {
	dev_genesis("dev", &DEVELOPMENT_VALIDATORS)
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
