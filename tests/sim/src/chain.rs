//! One simulated chain: an instance of pallet-ibc's test runtime with its own storage, advanced
//! block by block, whose IBC state can be read and proven like a node would.

use codec::Encode;
use frame_support::BoundedVec;
use ibc_core::{
	client::types::Height,
	commitment_types::commitment::CommitmentProofBytes,
	primitives::{proto::Any, Timestamp},
};
use pallet_ibc::{
	mock::{
		new_test_ext, next_block, Ibc, RuntimeOrigin, System, Timestamp as TimestampPallet, ALICE,
		BLOCK_MS, GENESIS_MS,
	},
	store,
	types::{HostRecord, RawAny},
};
use sp_io::TestExternalities;
use sp_runtime::DispatchResult;
use std::cell::Cell;

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
}

/// The IBC height `(0, n)`.
pub fn ibc_height(n: u64) -> Height {
	// Revision height 0 is the only invalid one; block numbers here start at 1.
	Height::new(0, n.max(1)).unwrap_or_else(|_| unreachable!("revision height >= 1 is valid"))
}

/// A chain: the test runtime's storage plus the last block it sealed.
pub struct Chain {
	/// Name in assertion messages (`"A"`, `"B"`).
	pub name: &'static str,
	ext: TestExternalities,
	last_sealed: Option<Sealed>,
}

impl Chain {
	/// A fresh chain at block 1 (balances: `ALICE` 1_000_000, `BOB` 1_000 native). Its block
	/// times follow the clock it shares with the other chains of the test (thread).
	pub fn new(name: &'static str) -> Self {
		Self { name, ext: new_test_ext(), last_sealed: None }
	}

	/// Runs `f` against this chain's storage, in its current block.
	pub fn exec<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.ext.execute_with(f)
	}

	/// Ends the current block (pallet-ibc's `on_finalize` writes the digest and host record)
	/// and starts the next one. Returns what a header of the sealed block tells.
	pub fn seal(&mut self) -> Sealed {
		let sealed = self.exec(|| {
			let height = System::block_number();
			next_block();
			TimestampPallet::set_timestamp(tick());
			let height = u64::from(height);
			let HostRecord { timestamp_ns, ibc_root, .. } = Ibc::host_record(height)
				.unwrap_or_else(|| panic!("pallet-ibc kept no record of block {height}"));
			Sealed { height, timestamp_ns, ibc_root }
		});
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

	/// A child-trie read proof of `paths` (membership or absence) against the state the chain
	/// has now, as a node's `state_getChildReadProof` returns it: the SCALE-encoded
	/// `StorageProof`. Matches [`Chain::latest`]'s root while no block is being built on top
	/// with IBC changes (the harness proves right after sealing).
	pub fn prove(&mut self, paths: &[String]) -> CommitmentProofBytes {
		self.ext.commit_all().unwrap_or_else(|e| panic!("commit of chain {}: {e}", self.name));
		let keys: Vec<&[u8]> = paths.iter().map(|p| p.as_bytes()).collect();
		let proof =
			sp_state_machine::prove_child_read(self.ext.as_backend(), &store::child_info(), keys)
				.unwrap_or_else(|e| panic!("child read proof on chain {}: {e}", self.name));
		CommitmentProofBytes::try_from(proof.encode())
			.unwrap_or_else(|e| panic!("empty proof on chain {}: {e}", self.name))
	}
}
