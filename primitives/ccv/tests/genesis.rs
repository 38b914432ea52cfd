//! Consumer parameters and genesis: validation rules, SCALE and chain-spec JSON round trips.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ccv_primitives::{
	validate_validator_set, ConsensusKey, ConsumerGenesis, ConsumerParams, GenesisError,
	ValidatorUpdate,
};
use codec::{Decode, Encode};

fn set(powers: &[(u8, u64)]) -> Vec<ValidatorUpdate> {
	powers.iter().map(|(k, p)| ValidatorUpdate { key: ConsensusKey([*k; 32]), power: *p }).collect()
}

fn genesis() -> ConsumerGenesis {
	ConsumerGenesis {
		params: ConsumerParams {
			consumer_id: 7,
			reward_denoms: vec![b"stake".to_vec().try_into().unwrap()].try_into().unwrap(),
			..Default::default()
		},
		provider_client_state: vec![1, 2, 3].try_into().unwrap(),
		provider_consensus_state: vec![4, 5].try_into().unwrap(),
		initial_validator_set: set(&[(1, 10), (2, 20)]).try_into().unwrap(),
	}
}

#[test]
fn default_params_are_valid() {
	assert_eq!(ConsumerParams::default().validate(), Ok(()));
	assert_eq!(genesis().validate(), Ok(()));
}

#[test]
fn params_rules() {
	let bad = |f: fn(&mut ConsumerParams)| {
		let mut p = ConsumerParams::default();
		f(&mut p);
		p.validate().unwrap_err()
	};
	assert_eq!(
		bad(|p| p.blocks_per_distribution_transmission = 0),
		GenesisError::ZeroParam("blocks_per_distribution_transmission")
	);
	assert_eq!(
		bad(|p| p.ccv_timeout_period_ms = 0),
		GenesisError::ZeroParam("ccv_timeout_period_ms")
	);
	assert_eq!(bad(|p| p.unbonding_period_ms = 0), GenesisError::ZeroParam("unbonding_period_ms"));
	assert_eq!(bad(|p| p.blocks_per_session = 0), GenesisError::ZeroParam("blocks_per_session"));
	assert_eq!(
		bad(|p| p.downtime_max_missed_slots = p.downtime_window_slots),
		GenesisError::MaxMissedNotBelowWindow
	);
	assert_eq!(
		bad(|p| p.reward_denoms = vec![Default::default()].try_into().unwrap()),
		GenesisError::InvalidDenom
	);
}

#[test]
fn validator_set_rules() {
	assert_eq!(validate_validator_set(&[]), Err(GenesisError::EmptyValidatorSet));
	assert_eq!(validate_validator_set(&set(&[(1, 1), (2, 0)])), Err(GenesisError::ZeroPower));
	assert_eq!(validate_validator_set(&set(&[(1, 1), (1, 2)])), Err(GenesisError::DuplicateKey));
	assert_eq!(
		validate_validator_set(&set(&[(1, u64::MAX / 4), (2, u64::MAX / 4 + 2)])),
		Err(GenesisError::TotalPowerTooLarge)
	);
	assert_eq!(
		validate_validator_set(&set(&[(1, u64::MAX), (2, u64::MAX)])),
		Err(GenesisError::TotalPowerTooLarge)
	);
	assert_eq!(validate_validator_set(&set(&[(1, u64::MAX / 4), (2, u64::MAX / 4)])), Ok(()));
}

#[test]
fn genesis_rules() {
	let mut g = genesis();
	g.provider_client_state = Default::default();
	assert_eq!(g.validate(), Err(GenesisError::MissingClientState));
	let mut g = genesis();
	g.provider_consensus_state = Default::default();
	assert_eq!(g.validate(), Err(GenesisError::MissingConsensusState));
	let mut g = genesis();
	g.initial_validator_set = Default::default();
	assert_eq!(g.validate(), Err(GenesisError::EmptyValidatorSet));
}

#[test]
fn genesis_roundtrips_through_scale_and_chain_spec_json() {
	let g = genesis();
	assert_eq!(ConsumerGenesis::decode(&mut &g.encode()[..]).unwrap(), g);
	let json = serde_json::to_string(&g).unwrap();
	assert!(json.contains(r#""providerClientState":"0x010203""#), "{json}");
	assert!(json.contains(r#""rewardDenoms":["stake"]"#), "{json}");
	assert!(json.contains(&format!(r#""key":"0x{}""#, "01".repeat(32))), "{json}");
	assert_eq!(serde_json::from_str::<ConsumerGenesis>(&json).unwrap(), g);
	// Unknown fields in a chain spec are a mistake, not something to ignore.
	let typo = json.replacen("\"params\"", "\"parms\"", 1);
	assert!(serde_json::from_str::<ConsumerGenesis>(&typo).is_err());
}
