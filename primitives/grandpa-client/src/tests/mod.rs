//! Tests with real headers, real GRANDPA justifications signed by sp-keyring ed25519 keys and
//! real child-trie proofs built by sp-state-machine.

mod equivocation;
mod ibc;
mod misbehaviour;
mod proof;
mod update;

use crate::{
	header::GrandpaHeader,
	types::{
		AuthorityId, AuthoritySet, BlockNumber, Hash, Justification, SetId, SubstrateHeader,
		IBC_ENGINE_ID,
	},
	ClientState, ConsensusState,
};
use codec::Encode;
use sp_consensus_grandpa::{AuthoritySignature, ConsensusLog, ScheduledChange, GRANDPA_ENGINE_ID};
use sp_keyring::Ed25519Keyring as Key;
use sp_runtime::{generic::Digest, traits::Header as _, DigestItem};

/// One second, in nanoseconds.
pub const SECOND_NS: u64 = 1_000_000_000;
/// Block time of the test chain.
pub const BLOCK_NS: u64 = 6 * SECOND_NS;
/// Timestamp of the test chain's genesis (and of the client's initial consensus state).
pub const GENESIS_NS: u64 = 1_700_000_000 * SECOND_NS;
/// Trusting period of test clients.
pub const TRUSTING_PERIOD_NS: u64 = 3_600 * SECOND_NS;
/// Past sets test clients keep.
pub const SET_HISTORY: u32 = 4;

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

/// The pallet-ibc digest item of block `number` with child root `ibc_root`.
pub fn ibc_digest(number: BlockNumber, ibc_root: [u8; 32]) -> DigestItem {
	let timestamp_ns = GENESIS_NS + u64::from(number) * BLOCK_NS;
	DigestItem::Consensus(IBC_ENGINE_ID, (timestamp_ns, ibc_root).encode())
}

/// The IBC root the test chain puts in block `number`'s digest.
pub fn ibc_root_of(number: BlockNumber) -> [u8; 32] {
	[number as u8; 32]
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

/// A child of `parent` with the pallet-ibc digest (standard root) plus `extra` digest items.
pub fn child_of(parent: &SubstrateHeader, extra: Vec<DigestItem>) -> SubstrateHeader {
	let number = parent.number + 1;
	child_with_root(parent, ibc_root_of(number), extra)
}

/// A child of `parent` whose digest carries `ibc_root` plus `extra` items.
pub fn child_with_root(
	parent: &SubstrateHeader,
	ibc_root: [u8; 32],
	extra: Vec<DigestItem>,
) -> SubstrateHeader {
	let number = parent.number + 1;
	let mut logs = vec![ibc_digest(number, ibc_root)];
	logs.extend(extra);
	SubstrateHeader::new(
		number,
		Hash::repeat_byte(0x11),
		Hash::repeat_byte(number as u8),
		parent.hash(),
		Digest { logs },
	)
}

/// A test chain: `headers[n]` is block `n`.
pub struct TestChain {
	/// The headers, genesis first.
	pub headers: Vec<SubstrateHeader>,
}

impl TestChain {
	/// A chain with its genesis only (no digest, as at genesis).
	pub fn new() -> Self {
		let genesis = SubstrateHeader::new(
			0,
			Hash::zero(),
			Hash::repeat_byte(0x42),
			Hash::zero(),
			Digest::default(),
		);
		Self { headers: vec![genesis] }
	}

	/// The chain's tip.
	pub fn head(&self) -> &SubstrateHeader {
		self.headers.last().unwrap()
	}

	/// Block `number`.
	pub fn header(&self, number: BlockNumber) -> &SubstrateHeader {
		&self.headers[number as usize]
	}

	/// Appends a block with `extra` digest items.
	pub fn push(&mut self, extra: Vec<DigestItem>) -> &mut Self {
		let next = child_of(self.head(), extra);
		self.headers.push(next);
		self
	}

	/// Appends `count` plain blocks.
	pub fn extend(&mut self, count: usize) -> &mut Self {
		for _ in 0..count {
			self.push(vec![]);
		}
		self
	}

	/// An update from a client at `from` to block `to`, justified by `signers` in `set_id`.
	pub fn update(
		&self,
		from: BlockNumber,
		to: BlockNumber,
		set_id: SetId,
		signers: &[Key],
	) -> GrandpaHeader {
		let target = self.header(to).clone();
		GrandpaHeader {
			justification: justify(&target, set_id, 1, signers),
			ancestry: self.headers[from as usize + 1..to as usize].to_vec(),
			target,
		}
	}
}

/// A justification of `target` in `round` of set `set_id`: one precommit for `target` by each
/// of `signers`, signed over GRANDPA's localized payload.
pub fn justify(
	target: &SubstrateHeader,
	set_id: SetId,
	round: u64,
	signers: &[Key],
) -> Justification {
	let precommit =
		finality_grandpa::Precommit { target_hash: target.hash(), target_number: target.number };
	let message = finality_grandpa::Message::<Hash, BlockNumber>::Precommit(precommit.clone());
	let payload = sp_consensus_grandpa::localized_payload(round, set_id, &message);
	let precommits = signers
		.iter()
		.map(|key| finality_grandpa::SignedPrecommit {
			precommit: precommit.clone(),
			signature: AuthoritySignature::from(key.sign(&payload)),
			id: authority(*key),
		})
		.collect();
	Justification {
		round,
		commit: finality_grandpa::Commit {
			target_hash: target.hash(),
			target_number: target.number,
			precommits,
		},
		votes_ancestries: vec![],
	}
}
