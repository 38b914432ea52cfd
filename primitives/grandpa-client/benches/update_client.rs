//! A client update with 10, 100, 300 and 1000 authorities against pallet-bridge-grandpa's
//! `submit_finality_proof_ex` for the same header and justification (issue 8, target: within
//! 1.25x). Run: `cargo bench -p ibc-client-grandpa --bench update_client`.
//!
//! For each authority count n (ed25519 keys, weight 1 each) both sides start from block 1 and
//! import block 2, finalized by a justification with the fewest precommits that reach the
//! supermajority threshold (the first `n - (n - 1) / 3` voters), no votes ancestries: the
//! optimized form both verifiers demand.
//!
//! - **ours**: what the IBC host runs for `MsgUpdateClient` on this client (ibc-core's
//!   update handler over an in-memory host, [`ibc_client_grandpa::testing::deliver`]): status,
//!   `verify_client_message` (decode, ancestry, justification), `check_for_misbehaviour`,
//!   `update_state` (new client and consensus state, pruning, storing), from the `Any` message.
//! - **bridge**: the real pallet-bridge-grandpa 0.30 extrinsic in a mock runtime (frame-system +
//!   the pallet, in `TestExternalities`): decoding the `RuntimeCall` and dispatching
//!   `submit_finality_proof_ex` signed, including its storage writes and event.
//! - **bp core**: bp-header-chain's `verify_justification` alone (the verification both call,
//!   voter set built from the authority list per call), for reference.
//! - **weight**: pallet-bridge-grandpa's own benchmarked `BridgeWeight::submit_finality_proof(p,
//!   0)` ref time, compute part only (the mock's `DbWeight` is zero), extrapolated by its linear
//!   model beyond the benchmarked range; measured in wasm on other hardware.
//!
//! Each side runs on fresh state every iteration (prepared outside the timing); iterations
//! alternate between the sides so that load from other processes hits both alike.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use bp_header_chain::{justification::JustificationVerificationContext, InitializationData};
use bp_runtime::{BasicOperatingMode, Chain, ChainId};
use codec::{Decode, Encode};
use frame_support::{
	construct_runtime, derive_impl, parameter_types, sp_runtime::StateVersion, weights::Weight,
};
use ibc_client_grandpa::{
	ibc_client::IbcConsensusState,
	testing::{self, client_id, deliver, Host, TestChain, BLOCK_NS, GENESIS_NS},
	types::{BlockNumber, Hash, SubstrateHeader},
	ClientState, ConsensusState,
};
use ibc_core::{
	client::context::client_state::{ClientStateCommon, ClientStateExecution},
	primitives::proto::Any,
};
use pallet_bridge_grandpa::weights::{BridgeWeight, WeightInfo};
use sp_core::ed25519;
use sp_runtime::traits::{BlakeTwo256, Dispatchable};
use std::time::{Duration, Instant};

/// Authority counts to measure.
const AUTHORITY_COUNTS: [u32; 4] = [10, 100, 300, 1000];
/// Ours may take at most this many times the pallet's median.
const TARGET_RATIO: f64 = 1.25;
/// Untimed runs of each side before measuring.
const WARM_UP: usize = 3;
/// Timed runs of each side: at least, at most, and the time budget per case that picks the
/// count in between.
const MIN_ITERATIONS: usize = 15;
const MAX_ITERATIONS: usize = 300;
const CASE_BUDGET: Duration = Duration::from_secs(6);

type Block = frame_system::mocking::MockBlock<Runtime>;

construct_runtime! {
	pub enum Runtime {
		System: frame_system,
		BridgeGrandpa: pallet_bridge_grandpa,
	}
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
}

parameter_types! {
	pub const MaxFreeHeadersPerBlock: u32 = 2;
	pub const FreeHeadersInterval: Option<u32> = None;
	pub const HeadersToKeep: u32 = 1024;
}

impl pallet_bridge_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type BridgedChain = BridgedChain;
	type MaxFreeHeadersPerBlock = MaxFreeHeadersPerBlock;
	type FreeHeadersInterval = FreeHeadersInterval;
	type HeadersToKeep = HeadersToKeep;
	type WeightInfo = BridgeWeight<Runtime>;
}

/// The chain the client tracks, as pallet-bridge-grandpa sees it: the same header type.
pub struct BridgedChain;

impl Chain for BridgedChain {
	const ID: ChainId = *b"bnch";
	type BlockNumber = BlockNumber;
	type Hash = Hash;
	type Hasher = BlakeTwo256;
	type Header = SubstrateHeader;
	type AccountId = u64;
	type Balance = u64;
	type Nonce = u64;
	type Signature = sp_runtime::MultiSignature;
	const STATE_VERSION: StateVersion = StateVersion::V1;

	fn max_extrinsic_size() -> u32 {
		u32::MAX
	}
	fn max_extrinsic_weight() -> Weight {
		Weight::MAX
	}
}

impl bp_header_chain::ChainWithGrandpa for BridgedChain {
	const WITH_CHAIN_GRANDPA_PALLET_NAME: &'static str = "BridgeGrandpa";
	const MAX_AUTHORITIES_COUNT: u32 = 1024;
	const REASONABLE_HEADERS_IN_JUSTIFICATION_ANCESTRY: u32 = 8;
	const MAX_MANDATORY_HEADER_SIZE: u32 = 65_536;
	const AVERAGE_HEADER_SIZE: u32 = 256;
}

/// One case: n authorities, blocks 0..=2, the update of block 2 in both forms.
struct Case {
	voters: Vec<ed25519::Pair>,
	signers: usize,
	chain: TestChain,
	/// Our host with the client at block 1.
	host: Host,
	/// Our `MsgUpdateClient` message: block 2, empty ancestry.
	message: Any,
	/// The pallet's call for the same header and justification, SCALE-encoded.
	call: Vec<u8>,
	/// The same header and justification, for the verification core.
	update: ibc_client_grandpa::GrandpaHeader,
}

impl Case {
	fn new(n: u32) -> Self {
		let voters = testing::voter_keys(n);
		let set = testing::equal_weight_set(0, &voters);
		let threshold = set.verification_context().unwrap().voter_set.threshold().get();
		let signers = threshold as usize;
		let mut chain = TestChain::new();
		chain.extend(2);

		// Our client, created at genesis and updated to block 1 through the host.
		let client =
			ClientState::from_genesis_authorities(b"bench-1", set, 3_600 * BLOCK_NS, 4).unwrap();
		let mut host = Host { now_ns: GENESIS_NS + 3 * BLOCK_NS, ..Default::default() };
		let genesis = ConsensusState { timestamp_ns: GENESIS_NS, ibc_root: [0; 32] };
		let genesis: Any = IbcConsensusState::from(genesis).into();
		client.initialise(&mut host, &client_id(), genesis).unwrap();
		deliver(&mut host, chain.update(0, 1, 0, &voters[..signers]).into()).unwrap();

		let update = chain.update(1, 2, 0, &voters[..signers]);
		assert!(update.ancestry.is_empty());
		let call =
			RuntimeCall::BridgeGrandpa(pallet_bridge_grandpa::Call::submit_finality_proof_ex {
				finality_target: Box::new(update.target.clone()),
				justification: update.justification.clone(),
				current_set_id: 0,
				is_free_execution_expected: false,
			})
			.encode();
		Self { voters, signers, chain, host, message: update.clone().into(), call, update }
	}

	/// Runs our update once on fresh state; returns its time.
	fn ours(&self) -> Duration {
		let mut host = self.host.clone();
		let message = self.message.clone();
		let start = Instant::now();
		deliver(&mut host, message).unwrap();
		let elapsed = start.elapsed();
		let client = host.clients[&client_id()].clone();
		assert_eq!(client.latest_height(), ibc_client_grandpa::ibc_client::ibc_height(2));
		elapsed
	}

	/// Runs the pallet's extrinsic once on fresh state (pallet initialized at block 1); returns
	/// its time.
	fn bridge(&self) -> Duration {
		let mut ext = sp_io::TestExternalities::new(Default::default());
		ext.execute_with(|| {
			// Events are only kept from block 1 on.
			System::set_block_number(1);
			let authority_list =
				self.voters.iter().map(|v| (testing::Voter::authority_id(v), 1)).collect();
			BridgeGrandpa::initialize(
				RuntimeOrigin::root(),
				InitializationData {
					header: Box::new(self.chain.header(1).clone()),
					authority_list,
					set_id: 0,
					operating_mode: BasicOperatingMode::Normal,
				},
			)
			.unwrap();

			let start = Instant::now();
			let call = RuntimeCall::decode(&mut &self.call[..]).unwrap();
			call.dispatch(RuntimeOrigin::signed(1)).unwrap();
			let elapsed = start.elapsed();
			let best = pallet_bridge_grandpa::BestFinalized::<Runtime>::get().unwrap();
			assert_eq!(best.0, 2);
			elapsed
		})
	}

	/// Runs bp-header-chain's justification verification once (voter set built per call, as
	/// the pallet does); returns its time.
	fn bp_core(&self) -> Duration {
		let authorities =
			self.voters.iter().map(|v| (testing::Voter::authority_id(v), 1)).collect();
		let set = bp_header_chain::AuthoritySet::new(authorities, 0);
		let target = &self.update.target;
		let start = Instant::now();
		let context = JustificationVerificationContext::try_from(set).unwrap();
		bp_header_chain::justification::verify_justification::<SubstrateHeader>(
			(target.hash(), target.number),
			&context,
			&self.update.justification,
		)
		.unwrap();
		start.elapsed()
	}
}

/// Median and minimum of timed runs.
struct Stats {
	median: Duration,
	min: Duration,
}

impl Stats {
	fn of(mut samples: Vec<Duration>) -> Self {
		samples.sort();
		Self { median: samples[samples.len() / 2], min: samples[0] }
	}
}

fn micros(d: Duration) -> f64 {
	d.as_secs_f64() * 1e6
}

fn main() {
	// `cargo bench` passes `--bench`; any other argument selects authority counts, e.g. `10 100`.
	let counts: Vec<u32> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
	let counts = if counts.is_empty() { AUTHORITY_COUNTS.to_vec() } else { counts };
	println!("update_client: ibc-client-grandpa vs pallet-bridge-grandpa 0.30 submit_finality_proof_ex (real extrinsic, mock runtime)");
	println!(
		"{:>5} {:>7} {:>17} {:>17} {:>6} {:>5} {:>12} {:>12}",
		"n", "signers", "ours med (min)", "bridge med (min)", "ratio", "", "bp core med", "weight"
	);
	let mut all_pass = true;
	for n in counts {
		let case = Case::new(n);
		for _ in 0..WARM_UP {
			case.ours();
			case.bridge();
			case.bp_core();
		}
		let probe = case.ours() + case.bridge() + case.bp_core();
		let iterations = (CASE_BUDGET.as_nanos() / probe.as_nanos().max(1)) as usize;
		let iterations = iterations.clamp(MIN_ITERATIONS, MAX_ITERATIONS);
		let (mut ours, mut bridge, mut core) = (vec![], vec![], vec![]);
		for _ in 0..iterations {
			ours.push(case.ours());
			bridge.push(case.bridge());
			core.push(case.bp_core());
		}
		let (ours, bridge, core) = (Stats::of(ours), Stats::of(bridge), Stats::of(core));
		let ratio = ours.median.as_secs_f64() / bridge.median.as_secs_f64();
		let pass = ratio <= TARGET_RATIO;
		all_pass &= pass;
		let weight = BridgeWeight::<Runtime>::submit_finality_proof(case.signers as u32, 0);
		println!(
			"{:>5} {:>7} {:>8.0} ({:>6.0}) {:>8.0} ({:>6.0}) {:>6.2} {:>5} {:>12.0} {:>12.0}",
			n,
			case.signers,
			micros(ours.median),
			micros(ours.min),
			micros(bridge.median),
			micros(bridge.min),
			ratio,
			if pass { "PASS" } else { "FAIL" },
			micros(core.median),
			weight.ref_time() as f64 / 1e6,
		);
	}
	println!(
		"times in µs over fresh state per iteration; ratio = ours / bridge medians, target <= {TARGET_RATIO}; \
		 bp core = bp-header-chain verify_justification alone; weight = BridgeWeight::submit_finality_proof(signers, 0) \
		 ref_time, compute only (wasm, other hardware, extrapolated)"
	);
	println!("{}", if all_pass { "all PASS" } else { "some FAIL" });
}
