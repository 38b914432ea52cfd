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
//! alternate between the sides, in rotating order, so that load from other processes hits all
//! alike. The address layout of a process moves a side's time by up to ~25% for the whole
//! process (reproducible with ASLR off), so the bench re-runs itself in several processes and
//! reports medians over them.

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
/// Timed runs of each side per process: at least, at most, and the time budget per case (all
/// processes together) that picks the count in between.
const MIN_ITERATIONS: usize = 9;
const MAX_ITERATIONS: usize = 300;
const CASE_BUDGET: Duration = Duration::from_secs(8);
/// Processes (address layouts) the figures are the medians of, and how the bench tells a child
/// process it is one.
const PROCESSES: usize = 5;
const CHILD_ENV: &str = "UPDATE_CLIENT_BENCH_CHILD";

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

/// Median and minimum of timed runs, in nanoseconds.
#[derive(Clone, Copy)]
struct Stats {
	median: u128,
	min: u128,
}

impl Stats {
	fn of(samples: &[Duration]) -> Self {
		let mut ns: Vec<u128> = samples.iter().map(Duration::as_nanos).collect();
		ns.sort();
		Self { median: ns[ns.len() / 2], min: ns[0] }
	}
}

/// One process's figures for one authority count.
struct Measurement {
	n: u32,
	signers: usize,
	ours: Stats,
	bridge: Stats,
	core: Stats,
}

impl Measurement {
	/// Times the three sides for `n` authorities within about `budget`.
	fn run(n: u32, budget: Duration) -> Self {
		let case = Case::new(n);
		for _ in 0..WARM_UP {
			case.ours();
			case.bridge();
			case.bp_core();
		}
		let probe = case.ours() + case.bridge() + case.bp_core();
		let iterations = (budget.as_nanos() / probe.as_nanos().max(1)) as usize;
		let iterations = iterations.clamp(MIN_ITERATIONS, MAX_ITERATIONS);
		let (mut ours, mut bridge, mut core) = (vec![], vec![], vec![]);
		for i in 0..iterations {
			// Rotate the order so that no side always follows the same other side.
			for side in (0..3).map(|k| (i + k) % 3) {
				match side {
					0 => ours.push(case.ours()),
					1 => bridge.push(case.bridge()),
					_ => core.push(case.bp_core()),
				}
			}
		}
		Self {
			n,
			signers: case.signers,
			ours: Stats::of(&ours),
			bridge: Stats::of(&bridge),
			core: Stats::of(&core),
		}
	}

	fn to_line(&self) -> String {
		let [o, b, c] = [self.ours, self.bridge, self.core];
		let (n, s) = (self.n, self.signers);
		format!("{n} {s} {} {} {} {} {} {}", o.median, o.min, b.median, b.min, c.median, c.min)
	}

	fn from_line(line: &str) -> Self {
		let v: Vec<u128> = line.split_whitespace().map(|x| x.parse().unwrap()).collect();
		let stats = |i: usize| Stats { median: v[i], min: v[i + 1] };
		Self {
			n: v[0] as u32,
			signers: v[1] as usize,
			ours: stats(2),
			bridge: stats(4),
			core: stats(6),
		}
	}
}

fn median(mut values: Vec<u128>) -> u128 {
	values.sort();
	values[values.len() / 2]
}

fn micros(ns: u128) -> f64 {
	ns as f64 / 1e3
}

fn main() {
	// `cargo bench` passes `--bench`; any other argument selects authority counts, e.g. `10 100`.
	let counts: Vec<u32> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
	let counts = if counts.is_empty() { AUTHORITY_COUNTS.to_vec() } else { counts };
	if std::env::var_os(CHILD_ENV).is_some() {
		for &n in &counts {
			println!("{}", Measurement::run(n, CASE_BUDGET / PROCESSES as u32).to_line());
		}
		return;
	}

	// Each process gets its own address layout (ASLR); one layout can slow either side by up to
	// ~25% for the whole process, so figures are medians over several processes.
	let mut runs: Vec<Vec<Measurement>> = counts.iter().map(|_| vec![]).collect();
	for _ in 0..PROCESSES {
		let output = std::process::Command::new(std::env::current_exe().unwrap())
			.args(counts.iter().map(u32::to_string))
			.env(CHILD_ENV, "1")
			.output()
			.unwrap();
		assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
		let stdout = String::from_utf8(output.stdout).unwrap();
		for (line, runs) in stdout.lines().zip(runs.iter_mut()) {
			runs.push(Measurement::from_line(line));
		}
	}

	println!(
		"update_client: ibc-client-grandpa MsgUpdateClient vs pallet-bridge-grandpa 0.30 \
		 submit_finality_proof_ex (real extrinsic, mock runtime); µs, {PROCESSES} processes"
	);
	println!(
		"{:>5} {:>7} {:>17} {:>17} {:>6} {:>5} {:>11} {:>11} {:>9}",
		"n",
		"signers",
		"ours med (min)",
		"bridge med (min)",
		"ratio",
		"",
		"ratio range",
		"bp core med",
		"weight"
	);
	let mut all_pass = true;
	for runs in &runs {
		let first = &runs[0];
		let ours = median(runs.iter().map(|m| m.ours.median).collect());
		let bridge = median(runs.iter().map(|m| m.bridge.median).collect());
		let core = median(runs.iter().map(|m| m.core.median).collect());
		let ours_min = runs.iter().map(|m| m.ours.min).min().unwrap();
		let bridge_min = runs.iter().map(|m| m.bridge.min).min().unwrap();
		let ratios: Vec<f64> =
			runs.iter().map(|m| m.ours.median as f64 / m.bridge.median as f64).collect();
		let low = ratios.iter().copied().fold(f64::INFINITY, f64::min);
		let high = ratios.iter().copied().fold(0.0, f64::max);
		let ratio = ours as f64 / bridge as f64;
		let pass = ratio <= TARGET_RATIO;
		all_pass &= pass;
		let weight = BridgeWeight::<Runtime>::submit_finality_proof(first.signers as u32, 0);
		println!(
			"{:>5} {:>7} {:>8.0} ({:>6.0}) {:>8.0} ({:>6.0}) {:>6.2} {:>5} {:>5.2}-{:<5.2} {:>11.0} {:>9.0}",
			first.n,
			first.signers,
			micros(ours),
			micros(ours_min),
			micros(bridge),
			micros(bridge_min),
			ratio,
			if pass { "PASS" } else { "FAIL" },
			low,
			high,
			micros(core),
			weight.ref_time() as f64 / 1e6,
		);
	}
	println!(
		"med = median over processes of each process's median, min = fastest run; ratio = ours \
		 med / bridge med, target <= {TARGET_RATIO}; ratio range = per-process ratios; bp core = \
		 bp-header-chain verify_justification alone; weight = pallet-bridge-grandpa \
		 BridgeWeight::submit_finality_proof(signers, 0) ref_time, compute only (wasm, other \
		 hardware, extrapolated)"
	);
	println!("{}", if all_pass { "all PASS" } else { "some FAIL" });
}
