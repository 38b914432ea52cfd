//! Tests with real headers, real GRANDPA justifications signed by sp-keyring ed25519 keys and
//! real child-trie proofs built by sp-state-machine; the chain, justification and host builders
//! are the public [`crate::testing`] ones.

mod equivocation;
mod ibc;
mod misbehaviour;
mod proof;
mod update;

pub use crate::testing::*;
use crate::{
	header::GrandpaHeader,
	types::{AuthorityId, AuthoritySet, BlockNumber, Hash, Justification, SetId, SubstrateHeader},
	ClientState, ConsensusState,
};
use codec::Encode;
use sp_consensus_grandpa::{AuthoritySignature, ConsensusLog, ScheduledChange, GRANDPA_ENGINE_ID};
use sp_keyring::Ed25519Keyring as Key;
use sp_runtime::{traits::Header as _, DigestItem};

/// Trusting period of test clients.
pub const TRUSTING_PERIOD_NS: u64 = 3_600 * SECOND_NS;
/// Past sets test clients keep.
pub const SET_HISTORY: u32 = 4;

impl Voter for Key {
	fn authority_id(&self) -> AuthorityId {
		self.public().into()
	}

	fn sign_vote(&self, payload: &[u8]) -> AuthoritySignature {
		self.sign(payload).into()
	}
}

/// The GRANDPA id of a test key.
pub fn authority(key: Key) -> AuthorityId {
	key.public().into()
}

/// A weighted authority list of test keys.
pub fn weighted(keys: &[(Key, u64)]) -> Vec<(AuthorityId, u64)> {
	keys.iter().map(|(k, w)| (authority(*k), *w)).collect()
}

/// An authority set of test keys.
pub fn authority_set(set_id: SetId, keys: &[(Key, u64)]) -> AuthoritySet {
	AuthoritySet::new(set_id, weighted(keys)).unwrap()
}

/// Alice, Bob, Charlie and Dave with weight 1: three of them are a supermajority.
pub const FOUR: [(Key, u64); 4] =
	[(Key::Alice, 1), (Key::Bob, 1), (Key::Charlie, 1), (Key::Dave, 1)];

/// A client started at genesis with `keys` as set 0, and its initial consensus state.
pub fn genesis_client(keys: &[(Key, u64)]) -> (ClientState, ConsensusState) {
	let client = ClientState::from_genesis_authorities(
		b"consumer-1",
		authority_set(0, keys),
		TRUSTING_PERIOD_NS,
		SET_HISTORY,
	)
	.unwrap();
	(client, ConsensusState { timestamp_ns: GENESIS_NS, ibc_root: [0; 32] })
}

/// No past set: evidence checked against the current set only.
pub fn no_past_set(_set_id: SetId) -> Option<AuthoritySet> {
	None
}

/// An in-memory host holding `client` (as `MsgCreateClient` creates it) with `consensus` as
/// its initial consensus state, its clock just after genesis.
pub fn host_with(client: &ClientState, consensus: ConsensusState) -> Host {
	use ibc_core::client::context::client_state::{ClientStateCommon, ClientStateExecution};
	let mut host = Host { now_ns: GENESIS_NS + SECOND_NS, ..Default::default() };
	let consensus_any: ibc_core::primitives::proto::Any =
		crate::IbcConsensusState::from(consensus).into();
	client
		.verify_consensus_state(
			consensus_any.clone(),
			&ibc_core::primitives::Timestamp::from_nanoseconds(0),
		)
		.unwrap();
	client.initialise(&mut host, &client_id(), consensus_any).unwrap();
	host
}

/// A GRANDPA digest item scheduling `next` after `delay` blocks.
pub fn scheduled_change(next: &[(Key, u64)], delay: BlockNumber) -> DigestItem {
	let change = ScheduledChange { next_authorities: weighted(next), delay };
	DigestItem::Consensus(GRANDPA_ENGINE_ID, ConsensusLog::ScheduledChange(change).encode())
}

/// A GRANDPA digest item forcing `next`.
pub fn forced_change(next: &[(Key, u64)]) -> DigestItem {
	let change = ScheduledChange { next_authorities: weighted(next), delay: 0 };
	DigestItem::Consensus(GRANDPA_ENGINE_ID, ConsensusLog::ForcedChange(0, change).encode())
}
