//! One simulated chain: an instance of pallet-ibc's test runtime with its own storage, advanced
//! block by block, finalized by a GRANDPA authority set of test ed25519 keys, whose IBC state
//! can be read and proven like a node would.
//!
//! Sealing a block runs pallet-ibc's `on_finalize` (the `ibc0` digest) and frame-system's
//! `finalize`, which yields the block's real header (parent hashes chained), then signs a GRANDPA
//! justification of it: one precommit per authority, exactly as many as the set's supermajority
//! needs (bp-header-chain's strict verification rejects redundant votes), no vote ancestries.
//! A scheduled authority-set change puts a `ScheduledChange` (delay 0) consensus digest into the
//! next sealed header; the blocks after it are finalized by the new set under the next set id,
//! which the runtime then reports as its own (`MockHostChain`).

use codec::{DecodeAll, Encode};
use frame_support::BoundedVec;
use ibc_client_grandpa::{
	proof::ChildTrieProof,
	types::{AuthorityId, AuthoritySet, BlockNumber, Justification, SetId, SubstrateHeader},
	ConsensusState,
};
use ibc_core::{
	client::types::Height,
	commitment_types::commitment::CommitmentProofBytes,
	primitives::{proto::Any, Timestamp},
};
use pallet_ibc::{
	mock::{
		new_test_ext, next_block, set_host_chain, Ibc, RuntimeOrigin, System,
		Timestamp as TimestampPallet, ALICE, BLOCK_MS, GENESIS_MS,
	},
	store,
	types::{HostRecord, RawAny},
};
use sp_consensus_grandpa::{AuthoritySignature, ConsensusLog, ScheduledChange, GRANDPA_ENGINE_ID};
use sp_io::TestExternalities;
pub use sp_keyring::Ed25519Keyring as Key;
use sp_runtime::{DigestItem, DispatchResult};
use std::{cell::Cell, collections::BTreeMap};

thread_local! {
	/// The wall clock both chains of a test share, unix milliseconds.
	static CLOCK_MS: Cell<u64> = const { Cell::new(GENESIS_MS) };
}

/// Moves the shared wall clock on by one block time and returns it. Every block start and every
/// transaction takes a tick, so a chain never receives a header from its own future: a real
/// relayer's transaction always lands after the block it proves.
fn tick() -> u64 {
	CLOCK_MS.with(|clock| {
		let now = clock.get().saturating_add(BLOCK_MS);
		clock.set(now);
		now
	})
}

/// Time of every simulated chain's genesis, unix nanoseconds: what a client started from a
/// chain's genesis authorities takes as its first consensus state's time.
pub const GENESIS_NS: u64 = GENESIS_MS * 1_000_000;

/// The authorities of chain `"A"` (set 0).
pub const KEYS_A: [Key; 4] = [Key::Alice, Key::Bob, Key::Charlie, Key::Dave];
/// The authorities of chain `"B"` (set 0): no key of A (DESIGN §2: keys never vote on two
/// chains).
pub const KEYS_B: [Key; 4] = [Key::Eve, Key::Ferdie, Key::One, Key::Two];
/// Keys for a changed authority set, used by no chain at genesis.
pub const KEYS_NEXT: [Key; 4] = [Key::AliceStash, Key::BobStash, Key::CharlieStash, Key::DaveStash];

/// The GRANDPA id of a test key.
pub fn authority(key: Key) -> AuthorityId {
	key.public().into()
}

/// Weight-1 GRANDPA authorities of `keys`.
pub fn weighted(keys: &[Key]) -> Vec<(AuthorityId, u64)> {
	keys.iter().map(|key| (authority(*key), 1)).collect()
}

/// How many of `n` equally weighted authorities a justification needs: more than two thirds
/// (GRANDPA's threshold `n - (n - 1) / 3`).
pub fn supermajority(n: usize) -> usize {
	n - n.saturating_sub(1) / 3
}

/// A GRANDPA justification of `header` in `round` of set `set_id`: one precommit for the header
/// by each of `signers`, signed over GRANDPA's localized payload; no vote ancestries.
pub fn justify(
	header: &SubstrateHeader,
	set_id: SetId,
	round: u64,
	signers: &[Key],
) -> Justification {
	let precommit =
		finality_grandpa::Precommit { target_hash: header.hash(), target_number: header.number };
	let message = finality_grandpa::Message::Precommit(precommit.clone());
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
			target_hash: header.hash(),
			target_number: header.number,
			precommits,
		},
		votes_ancestries: Vec::new(),
	}
}

/// A GRANDPA authority set of test keys, as a chain runs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Voters {
	/// The set id its votes are signed under.
	pub set_id: SetId,
	/// The authorities, weight 1 each.
	pub keys: Vec<Key>,
}

impl Voters {
	/// The set as the light client holds it.
	pub fn authority_set(&self) -> AuthoritySet {
		AuthoritySet::new(self.set_id, weighted(&self.keys))
			.unwrap_or_else(|e| panic!("test authority set {:?}: {e}", self.keys))
	}

	/// The first supermajority of the set: who signs justifications.
	pub fn signers(&self) -> &[Key] {
		let n = supermajority(self.keys.len());
		self.keys.get(..n).unwrap_or_else(|| unreachable!("a supermajority fits in the set"))
	}
}

/// A sealed block as a relayer gets it from a node: header and GRANDPA justification.
#[derive(Clone, Debug)]
pub struct FinalizedBlock {
	/// The block's header (with the `ibc0` digest, and a scheduled change if it signals one).
	pub header: SubstrateHeader,
	/// A justification of it by the set that finalized it.
	pub justification: Justification,
	/// That set.
	pub voters: Voters,
}

impl FinalizedBlock {
	/// Whether the header schedules an authority-set change (an update must target it).
	pub fn changes_authorities(&self) -> bool {
		self.header.digest.logs.iter().any(|item| {
			item.as_consensus().is_some_and(|(engine, data)| {
				engine == GRANDPA_ENGINE_ID
					&& matches!(
						ConsensusLog::<BlockNumber>::decode_all(&mut &data[..]),
						Ok(ConsensusLog::ScheduledChange(_))
					)
			})
		})
	}
}

/// A sealed block of a simulated chain: what a light client of it learns from its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sealed {
	/// Block number (the IBC revision height; revision 0).
	pub height: u64,
	/// Block time, unix nanoseconds (from pallet-ibc's `ibc0` digest).
	pub timestamp_ns: u64,
	/// Root of the IBC child trie after the block (from the same digest).
	pub ibc_root: [u8; 32],
}

impl Sealed {
	/// The block's IBC height.
	pub fn ibc_height(&self) -> Height {
		ibc_height(self.height)
	}

	/// The block's IBC timestamp.
	pub fn ibc_timestamp(&self) -> Timestamp {
		Timestamp::from_nanoseconds(self.timestamp_ns)
	}

	/// The block number.
	pub fn number(&self) -> BlockNumber {
		BlockNumber::try_from(self.height)
			.unwrap_or_else(|_| unreachable!("sealed from a u32 block number"))
	}
}

/// The IBC height `(0, n)`.
pub fn ibc_height(n: u64) -> Height {
	// Revision height 0 is the only invalid one; block numbers here start at 1.
	Height::new(0, n.max(1)).unwrap_or_else(|_| unreachable!("revision height >= 1 is valid"))
}

/// A chain: the test runtime's storage, its GRANDPA voters and the blocks it sealed.
pub struct Chain {
	/// Name in assertion messages (`"A"`, `"B"`).
	pub name: &'static str,
	chain_id: Vec<u8>,
	ext: TestExternalities,
	last_sealed: Option<Sealed>,
	genesis_voters: Voters,
	voters: Voters,
	pending_change: Option<Vec<Key>>,
	blocks: BTreeMap<BlockNumber, FinalizedBlock>,
}

impl Chain {
	/// A fresh chain at block 1 (balances: `ALICE` 1_000_000, `BOB` 1_000 native), chain id
	/// `sim-<name>` and GRANDPA authorities [`KEYS_A`] for `"A"`, [`KEYS_B`] otherwise. Its
	/// block times follow the clock it shares with the other chains of the test (thread).
	pub fn new(name: &'static str) -> Self {
		let keys: &[Key] = if name == "A" { &KEYS_A } else { &KEYS_B };
		Self::with_authorities(name, &format!("sim-{}", name.to_lowercase()), keys)
	}

	/// A fresh chain named `name` with chain id `chain_id`, finalized by `keys` (set 0).
	pub fn with_authorities(name: &'static str, chain_id: &str, keys: &[Key]) -> Self {
		let voters = Voters { set_id: 0, keys: keys.to_vec() };
		let mut ext = new_test_ext();
		ext.execute_with(|| set_host_chain(chain_id.as_bytes(), 0));
		Self {
			name,
			chain_id: chain_id.as_bytes().to_vec(),
			ext,
			last_sealed: None,
			genesis_voters: voters.clone(),
			voters,
			pending_change: None,
			blocks: BTreeMap::new(),
		}
	}

	/// The chain id clients of this chain record.
	pub fn chain_id(&self) -> &[u8] {
		&self.chain_id
	}

	/// The set that finalized the chain's first blocks (set 0).
	pub fn genesis_voters(&self) -> &Voters {
		&self.genesis_voters
	}

	/// The set that finalizes the next sealed block.
	pub fn voters(&self) -> &Voters {
		&self.voters
	}

	/// Runs `f` against this chain's storage, in its current block.
	pub fn exec<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.ext.execute_with(f)
	}

	/// Makes the next sealed block schedule a change to `keys` (delay 0, as the consumer chain
	/// does): that block is still finalized by the current set, the blocks after it by `keys`
	/// under the next set id.
	pub fn schedule_authority_change(&mut self, keys: &[Key]) {
		self.pending_change = Some(keys.to_vec());
	}

	/// Ends the current block (pallet-ibc's `on_finalize` writes the digest and host record,
	/// frame-system's `finalize` yields the header), has the current authority set justify it,
	/// and starts the next one. Returns what the header tells a light client.
	pub fn seal(&mut self) -> Sealed {
		let change = self.pending_change.take();
		let (header, record) = self.exec(|| {
			if let Some(keys) = &change {
				let change = ScheduledChange { next_authorities: weighted(keys), delay: 0 };
				System::deposit_log(DigestItem::Consensus(
					GRANDPA_ENGINE_ID,
					ConsensusLog::ScheduledChange(change).encode(),
				));
			}
			let header = next_block();
			TimestampPallet::set_timestamp(tick());
			let height = u64::from(header.number);
			let record = Ibc::host_record(height)
				.unwrap_or_else(|| panic!("pallet-ibc kept no record of block {height}"));
			(header, record)
		});
		let from_digest = ConsensusState::from_header(&header)
			.unwrap_or_else(|e| panic!("chain {}: header without ibc0 digest: {e}", self.name));
		let HostRecord { height, timestamp_ns, ibc_root } = record;
		assert_eq!(
			(from_digest.timestamp_ns, from_digest.ibc_root),
			(timestamp_ns, ibc_root),
			"chain {}: digest and host record of block {height} disagree",
			self.name
		);
		let justification =
			justify(&header, self.voters.set_id, u64::from(header.number), self.voters.signers());
		let block = FinalizedBlock { header, justification, voters: self.voters.clone() };
		self.blocks.insert(block.header.number, block);
		if let Some(keys) = change {
			self.voters = Voters { set_id: self.voters.set_id + 1, keys };
			let (chain_id, set_id) = (self.chain_id.clone(), self.voters.set_id);
			self.exec(|| set_host_chain(&chain_id, set_id));
		}
		let sealed = Sealed { height, timestamp_ns, ibc_root };
		self.last_sealed = Some(sealed);
		sealed
	}

	/// The last sealed block (sealing one first if none was).
	pub fn latest(&mut self) -> Sealed {
		match self.last_sealed {
			Some(sealed) => sealed,
			None => self.seal(),
		}
	}

	/// Seals `n` blocks.
	pub fn advance(&mut self, n: u32) -> Sealed {
		let mut sealed = self.latest();
		for _ in 0..n {
			sealed = self.seal();
		}
		sealed
	}

	/// Sealed block `number` with its justification.
	pub fn block(&self, number: BlockNumber) -> &FinalizedBlock {
		self.blocks
			.get(&number)
			.unwrap_or_else(|| panic!("chain {} has not sealed block {number}", self.name))
	}

	/// The sealed blocks with numbers in `range`, oldest first.
	pub fn blocks(
		&self,
		range: impl std::ops::RangeBounds<BlockNumber>,
	) -> impl Iterator<Item = &FinalizedBlock> {
		self.blocks.range(range).map(|(_, block)| block)
	}

	/// Number of the block being built.
	pub fn current_block(&mut self) -> u64 {
		self.exec(System::block_number).into()
	}

	/// Submits `deliver(messages)` signed by `ALICE` (the harness relayer's account) in the
	/// current block, whose time moves to the shared clock's next tick.
	pub fn deliver(&mut self, messages: Vec<Any>) -> DispatchResult {
		let batch: Vec<RawAny> = messages
			.into_iter()
			.map(|any| RawAny::from_any(any).unwrap_or_else(|| panic!("oversized message")))
			.collect();
		let batch: BoundedVec<RawAny, _> =
			batch.try_into().unwrap_or_else(|_| panic!("more messages than MaxMessages"));
		self.exec(|| {
			TimestampPallet::set_timestamp(tick());
			Ibc::deliver(RuntimeOrigin::signed(ALICE), batch)
		})
	}

	/// The raw value at an ICS-24 path in the IBC child trie, now.
	pub fn ibc_state(&mut self, path: &str) -> Option<Vec<u8>> {
		self.exec(|| Ibc::ibc_state(path.as_bytes()))
	}

	/// The root of the IBC child trie now (in the block being built).
	pub fn ibc_root_now(&mut self) -> Vec<u8> {
		self.exec(store::root)
	}

	/// A child-trie read proof of `paths` (membership or absence) against the state the chain
	/// has now, in the wire form the GRANDPA client reads: the SCALE `Vec<Vec<u8>>` of trie
	/// nodes, the `proof` field of a node's `state_getChildReadProof`. Matches
	/// [`Chain::latest`]'s root while no block is being built on top with IBC changes (the
	/// harness proves right after sealing).
	pub fn prove(&mut self, paths: &[String]) -> CommitmentProofBytes {
		self.ext.commit_all().unwrap_or_else(|e| panic!("commit of chain {}: {e}", self.name));
		let keys: Vec<&[u8]> = paths.iter().map(|p| p.as_bytes()).collect();
		let proof =
			sp_state_machine::prove_child_read(self.ext.as_backend(), &store::child_info(), keys)
				.unwrap_or_else(|e| panic!("child read proof on chain {}: {e}", self.name));
		let wire = ChildTrieProof { nodes: proof.into_iter_nodes().collect() }.to_wire();
		CommitmentProofBytes::try_from(wire)
			.unwrap_or_else(|e| panic!("empty proof on chain {}: {e}", self.name))
	}
}
