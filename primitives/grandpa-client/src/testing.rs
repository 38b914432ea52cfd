//! Builders for tests and benchmarks (feature `testing`, std only): a test chain whose headers
//! carry pallet-ibc's `ibc0` digest, GRANDPA justifications signed by test keys, and an in-memory
//! ibc-rs host that drives a client through the traits the way ibc-core's update handler does.
//! Helpers panic on misuse: they build test data, never handle input.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::{
	header::GrandpaHeader,
	ibc_client::{client_type, IbcConsensusState},
	past_sets::{keep_set_id, KeepPastAuthoritySets, PastAuthoritySets},
	types::{
		AuthorityId, AuthoritySet, BlockNumber, Hash, Justification, SetId, SubstrateHeader,
		IBC_ENGINE_ID,
	},
	ClientState,
};
use alloc::{collections::BTreeMap, vec, vec::Vec};
use codec::Encode;
use ibc_core::{
	client::{
		context::{
			client_state::{ClientStateExecution, ClientStateValidation},
			ClientExecutionContext, ClientValidationContext, ExtClientValidationContext,
		},
		types::{error::ClientError, Height},
	},
	commitment_types::commitment::CommitmentRoot,
	host::types::{
		error::HostError,
		identifiers::ClientId,
		path::{ClientConsensusStatePath, ClientStatePath},
	},
	primitives::{proto::Any, Timestamp},
};
use sp_consensus_grandpa::AuthoritySignature;
use sp_core::{ed25519, Pair as _};
use sp_runtime::{generic::Digest, traits::Header as _, DigestItem};

/// One second, in nanoseconds.
pub const SECOND_NS: u64 = 1_000_000_000;
/// Block time of the test chain.
pub const BLOCK_NS: u64 = 6 * SECOND_NS;
/// Timestamp of the test chain's genesis (and of a genesis client's initial consensus state).
pub const GENESIS_NS: u64 = 1_700_000_000 * SECOND_NS;

/// A GRANDPA voter's key: its authority id and its signature over a vote payload.
pub trait Voter {
	/// The voter's authority id.
	fn authority_id(&self) -> AuthorityId;
	/// Signs a localized vote payload.
	fn sign_vote(&self, payload: &[u8]) -> AuthoritySignature;
}

impl Voter for ed25519::Pair {
	fn authority_id(&self) -> AuthorityId {
		self.public().into()
	}

	fn sign_vote(&self, payload: &[u8]) -> AuthoritySignature {
		self.sign(payload).into()
	}
}

/// `count` distinct ed25519 voter keys (deterministic seeds).
pub fn voter_keys(count: u32) -> Vec<ed25519::Pair> {
	(0..count)
		.map(|i| {
			let mut seed = [0x5e; 32];
			seed[..4].copy_from_slice(&i.to_le_bytes());
			ed25519::Pair::from_seed(&seed)
		})
		.collect()
}

/// The authority set `set_id` of `voters`, each with weight 1.
pub fn equal_weight_set<V: Voter>(set_id: SetId, voters: &[V]) -> AuthoritySet {
	AuthoritySet::new(set_id, voters.iter().map(|v| (v.authority_id(), 1))).unwrap()
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

impl Default for TestChain {
	fn default() -> Self {
		Self::new()
	}
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
	pub fn update<V: Voter>(
		&self,
		from: BlockNumber,
		to: BlockNumber,
		set_id: SetId,
		signers: &[V],
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
pub fn justify<V: Voter>(
	target: &SubstrateHeader,
	set_id: SetId,
	round: u64,
	signers: &[V],
) -> Justification {
	let precommit =
		finality_grandpa::Precommit { target_hash: target.hash(), target_number: target.number };
	let message = finality_grandpa::Message::<Hash, BlockNumber>::Precommit(precommit.clone());
	let payload = sp_consensus_grandpa::localized_payload(round, set_id, &message);
	let precommits = signers
		.iter()
		.map(|voter| finality_grandpa::SignedPrecommit {
			precommit: precommit.clone(),
			signature: voter.sign_vote(&payload),
			id: voter.authority_id(),
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

/// The host's consensus-state type: a wrapper, as a runtime's consensus-state enum is.
#[derive(Clone, Debug, PartialEq)]
pub struct HostConsensusState(pub IbcConsensusState);

impl From<IbcConsensusState> for HostConsensusState {
	fn from(state: IbcConsensusState) -> Self {
		Self(state)
	}
}

impl TryFrom<HostConsensusState> for IbcConsensusState {
	type Error = ClientError;
	fn try_from(state: HostConsensusState) -> Result<Self, ClientError> {
		Ok(state.0)
	}
}

impl From<HostConsensusState> for Any {
	fn from(state: HostConsensusState) -> Self {
		state.0.into()
	}
}

impl TryFrom<Any> for HostConsensusState {
	type Error = ClientError;
	fn try_from(any: Any) -> Result<Self, ClientError> {
		Ok(Self(IbcConsensusState::try_from(any)?))
	}
}

impl ibc_core::client::context::consensus_state::ConsensusState for HostConsensusState {
	fn root(&self) -> &CommitmentRoot {
		self.0.root()
	}
	fn timestamp(&self) -> Result<Timestamp, ClientError> {
		self.0.timestamp()
	}
}

/// An in-memory ibc-rs host: client states, consensus states by height, update metadata, past
/// authority sets, a clock.
#[derive(Clone, Default)]
pub struct Host {
	/// Client states by id.
	pub clients: BTreeMap<ClientId, ClientState>,
	/// Consensus states by client and height.
	pub consensus: BTreeMap<(ClientId, Height), HostConsensusState>,
	/// Update metadata (host time, host height) by client and height.
	pub meta: BTreeMap<(ClientId, Height), (Timestamp, Height)>,
	/// Past authority sets by client and set id.
	pub past_sets: BTreeMap<(ClientId, SetId), AuthoritySet>,
	/// The host's time, unix nanoseconds.
	pub now_ns: u64,
}

/// The path of `client_id`'s consensus state at `height`.
pub fn consensus_state_path(client_id: &ClientId, height: Height) -> ClientConsensusStatePath {
	ClientConsensusStatePath::new(
		client_id.clone(),
		height.revision_number(),
		height.revision_height(),
	)
}

fn key(path: &ClientConsensusStatePath) -> (ClientId, Height) {
	(path.client_id.clone(), Height::new(path.revision_number, path.revision_height).unwrap())
}

impl ClientValidationContext for Host {
	type ClientStateRef = ClientState;
	type ConsensusStateRef = HostConsensusState;

	fn client_state(&self, client_id: &ClientId) -> Result<ClientState, HostError> {
		self.clients.get(client_id).cloned().ok_or_else(|| HostError::missing_state("client"))
	}

	fn consensus_state(
		&self,
		path: &ClientConsensusStatePath,
	) -> Result<HostConsensusState, HostError> {
		self.consensus.get(&key(path)).cloned().ok_or_else(|| HostError::missing_state("cs"))
	}

	fn client_update_meta(
		&self,
		client_id: &ClientId,
		height: &Height,
	) -> Result<(Timestamp, Height), HostError> {
		self.meta
			.get(&(client_id.clone(), *height))
			.cloned()
			.ok_or_else(|| HostError::missing_state("meta"))
	}
}

impl ClientExecutionContext for Host {
	type ClientStateMut = ClientState;

	fn store_client_state(
		&mut self,
		path: ClientStatePath,
		client_state: ClientState,
	) -> Result<(), HostError> {
		self.clients.insert(path.0, client_state);
		Ok(())
	}

	fn store_consensus_state(
		&mut self,
		path: ClientConsensusStatePath,
		consensus_state: HostConsensusState,
	) -> Result<(), HostError> {
		self.consensus.insert(key(&path), consensus_state);
		Ok(())
	}

	fn delete_consensus_state(&mut self, path: ClientConsensusStatePath) -> Result<(), HostError> {
		self.consensus.remove(&key(&path));
		Ok(())
	}

	fn store_update_meta(
		&mut self,
		client_id: ClientId,
		height: Height,
		host_timestamp: Timestamp,
		host_height: Height,
	) -> Result<(), HostError> {
		self.meta.insert((client_id, height), (host_timestamp, host_height));
		Ok(())
	}

	fn delete_update_meta(&mut self, client_id: ClientId, height: Height) -> Result<(), HostError> {
		self.meta.remove(&(client_id, height));
		Ok(())
	}
}

impl ExtClientValidationContext for Host {
	fn host_timestamp(&self) -> Result<Timestamp, HostError> {
		Ok(Timestamp::from_nanoseconds(self.now_ns))
	}

	fn host_height(&self) -> Result<Height, HostError> {
		Ok(Height::new(0, 100).unwrap())
	}

	fn consensus_state_heights(&self, client_id: &ClientId) -> Result<Vec<Height>, HostError> {
		Ok(self.consensus.keys().filter(|(id, _)| id == client_id).map(|(_, h)| *h).collect())
	}

	fn next_consensus_state(
		&self,
		_client_id: &ClientId,
		_height: &Height,
	) -> Result<Option<HostConsensusState>, HostError> {
		Ok(None)
	}

	fn prev_consensus_state(
		&self,
		_client_id: &ClientId,
		_height: &Height,
	) -> Result<Option<HostConsensusState>, HostError> {
		Ok(None)
	}
}

impl Host {
	/// The set ids of `client_id`'s kept past sets, ascending.
	pub fn past_set_ids(&self, client_id: &ClientId) -> Vec<SetId> {
		self.past_sets.keys().filter(|(id, _)| id == client_id).map(|(_, set)| *set).collect()
	}
}

impl PastAuthoritySets for Host {
	fn past_authority_set(&self, client_id: &ClientId, set_id: SetId) -> Option<AuthoritySet> {
		self.past_sets.get(&(client_id.clone(), set_id)).cloned()
	}
}

impl KeepPastAuthoritySets for Host {
	fn keep_past_authority_set(
		&mut self,
		client_id: &ClientId,
		set: AuthoritySet,
		window: u32,
	) -> Result<(), ClientError> {
		let (kept, forgotten) = keep_set_id(self.past_set_ids(client_id), set.set_id, window);
		if kept.contains(&set.set_id) {
			self.past_sets.insert((client_id.clone(), set.set_id), set);
		}
		for set_id in forgotten {
			self.past_sets.remove(&(client_id.clone(), set_id));
		}
		Ok(())
	}
}

/// The id of the host's (only) GRANDPA client, `10-grandpa-0`.
pub fn client_id() -> ClientId {
	client_type().build_client_id(0)
}

/// What ibc-core's update handler does with a client message for client [`client_id`]
/// (`MsgUpdateClient` or `MsgSubmitMisbehaviour`): validation (status, `verify_client_message`),
/// then execution (`check_for_misbehaviour`, then `update_state` or
/// `update_state_on_misbehaviour`), passing the message by value as ibc-core does. Events are
/// the host's business and not built.
pub fn deliver(host: &mut Host, message: Any) -> Result<(), ClientError> {
	let id = client_id();
	let client = host.client_state(&id)?;
	let status = client.status(host, &id)?;
	if !status.is_active() {
		return Err(ClientError::InvalidStatus(status));
	}
	client.verify_client_message(host, &id, message.clone())?;
	let client = host.client_state(&id)?;
	if client.check_for_misbehaviour(host, &id, message.clone())? {
		client.update_state_on_misbehaviour(host, &id, message)
	} else {
		client.update_state(host, &id, message).map(|_| ())
	}
}
