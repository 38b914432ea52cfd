//! Weights of pallet-ccv-provider.
//!
//! **NOT BENCHMARKED.** The `()` implementation below is a hand-written placeholder that counts
//! storage reads and writes per call with RocksDB weights plus a rough compute term.
//! `benchmarking.rs` covers most functions (not yet `era_candidates`, `report_downtime_slash`,
//! `submit_consumer_equivocation`, `on_initialize_idle`), but no runtime exists yet to run
//! `frame-omni-bencher`/`benchmark pallet` and generate this file; do not ship a production
//! runtime with these numbers.

use frame_support::weights::{constants::RocksDbWeight, Weight};

/// Weight functions of the pallet's calls and hooks.
pub trait WeightInfo {
	/// `create_consumer`.
	fn create_consumer() -> Weight;
	/// `update_consumer`.
	fn update_consumer() -> Weight;
	/// `remove_consumer`.
	fn remove_consumer() -> Weight;
	/// `assign_consumer_key`.
	fn assign_consumer_key() -> Weight;
	/// `opt_in`.
	fn opt_in() -> Weight;
	/// `opt_out`.
	fn opt_out() -> Weight;
	/// `unjail`.
	fn unjail() -> Weight;
	/// `submit_consumer_equivocation` (light-client verification, report, jail).
	fn submit_consumer_equivocation() -> Weight;
	/// `on_initialize` when there is nothing to do.
	fn on_initialize_idle() -> Weight;
	/// Launching one consumer whose candidate set has `v` validators.
	fn launch_consumer(v: u32) -> Weight;
	/// Recomputing one consumer's set over `v` candidates and queueing its VSC.
	fn recompute_consumer(v: u32) -> Weight;
	/// Deriving one consumer's set from its stored one when `c` of `v` candidates changed, and
	/// queueing its VSC.
	fn recompute_consumer_changed(v: u32, c: u32) -> Weight;
	/// Reading staking to build the era's `v` candidates.
	fn era_candidates(v: u32) -> Weight;
	/// Sending one pending VSC.
	fn send_vsc() -> Weight;
	/// Reporting one downtime slash to staking (pallet-offences and staking's `on_offence`)
	/// and jailing the validator (session disable, staking chill).
	fn report_downtime_slash() -> Weight;
	/// One deletion step of a stopped consumer, removing at most `k` entries per prefix map.
	fn delete_consumer_step(k: u32) -> Weight;
	/// `set_consumer_commission_rate`.
	fn set_consumer_commission_rate() -> Weight;
	/// `claim_consumer_rewards` paying a page of `n` nominators in `a` reward assets.
	fn claim_consumer_rewards(n: u32, a: u32) -> Weight;
	/// Snapshotting one consumer's era rewards for `v` validators, native pot only (each voucher
	/// asset adds two reads and a write, counted by the pallet).
	fn snapshot_consumer_rewards(v: u32) -> Weight;
	/// Expiring one reward snapshot of at most `v` validator records.
	fn expire_reward_snapshot(v: u32) -> Weight;
}

/// Placeholder weights: NOT BENCHMARKED (see the module docs).
impl WeightInfo for () {
	fn create_consumer() -> Weight {
		Weight::from_parts(40_000_000, 2_000)
			.saturating_add(RocksDbWeight::get().reads_writes(3, 10))
	}
	fn update_consumer() -> Weight {
		Weight::from_parts(40_000_000, 2_000)
			.saturating_add(RocksDbWeight::get().reads_writes(5, 8))
	}
	fn remove_consumer() -> Weight {
		Weight::from_parts(40_000_000, 2_000)
			.saturating_add(RocksDbWeight::get().reads_writes(8, 8))
	}
	fn assign_consumer_key() -> Weight {
		Weight::from_parts(40_000_000, 2_000)
			.saturating_add(RocksDbWeight::get().reads_writes(7, 4))
	}
	fn opt_in() -> Weight {
		Weight::from_parts(20_000_000, 1_000)
			.saturating_add(RocksDbWeight::get().reads_writes(4, 1))
	}
	fn opt_out() -> Weight {
		Weight::from_parts(20_000_000, 1_000)
			.saturating_add(RocksDbWeight::get().reads_writes(6, 1))
	}
	fn unjail() -> Weight {
		Weight::from_parts(20_000_000, 1_000)
			.saturating_add(RocksDbWeight::get().reads_writes(2, 1))
	}
	fn submit_consumer_equivocation() -> Weight {
		Weight::from_parts(500_000_000, 80_000)
			.saturating_add(RocksDbWeight::get().reads_writes(30, 20))
	}
	fn on_initialize_idle() -> Weight {
		Weight::from_parts(5_000_000, 0).saturating_add(RocksDbWeight::get().reads(6))
	}
	fn launch_consumer(v: u32) -> Weight {
		Weight::from_parts(100_000_000, 300_000)
			.saturating_add(Weight::from_parts(1_000_000, 100).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(10, 14))
			.saturating_add(RocksDbWeight::get().reads(2u64.saturating_mul(v.into())))
	}
	fn recompute_consumer(v: u32) -> Weight {
		Weight::from_parts(50_000_000, 200_000)
			.saturating_add(Weight::from_parts(1_000_000, 100).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(8, 8))
			.saturating_add(
				RocksDbWeight::get().reads_writes(3u64.saturating_mul(v.into()), v.into()),
			)
	}
	// NOT BENCHMARKED: placeholder; `benchmarking.rs` has `recompute_consumer_changed`. The
	// `v` term is the stored set's decode, sort and diff in memory; storage work grows with `c`.
	fn recompute_consumer_changed(v: u32, c: u32) -> Weight {
		Weight::from_parts(50_000_000, 200_000)
			.saturating_add(Weight::from_parts(100_000, 100).saturating_mul(v.into()))
			.saturating_add(Weight::from_parts(1_000_000, 100).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(11, 9))
			.saturating_add(
				RocksDbWeight::get().reads_writes(3u64.saturating_mul(c.into()), c.into()),
			)
	}
	fn era_candidates(v: u32) -> Weight {
		Weight::from_parts(10_000_000, 2_000)
			.saturating_add(Weight::from_parts(500_000, 100).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(2, 1))
			.saturating_add(RocksDbWeight::get().reads(v.into()))
	}
	fn send_vsc() -> Weight {
		Weight::from_parts(100_000_000, 200_000)
			.saturating_add(RocksDbWeight::get().reads_writes(7, 7))
	}
	fn report_downtime_slash() -> Weight {
		Weight::from_parts(150_000_000, 20_000)
			.saturating_add(RocksDbWeight::get().reads_writes(20, 15))
	}
	fn delete_consumer_step(k: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(30, 30))
			.saturating_add(RocksDbWeight::get().writes(4u64.saturating_mul(k.into())))
	}
	// NOT BENCHMARKED: placeholder; `benchmarking.rs` has `set_consumer_commission_rate`.
	fn set_consumer_commission_rate() -> Weight {
		Weight::from_parts(20_000_000, 1_000)
			.saturating_add(RocksDbWeight::get().reads_writes(3, 1))
	}
	// NOT BENCHMARKED: placeholder; `benchmarking.rs` has `claim_consumer_rewards`. Each payee
	// costs one transfer per asset.
	fn claim_consumer_rewards(n: u32, a: u32) -> Weight {
		let transfers = u64::from(n.saturating_add(1)).saturating_mul(a.max(1).into());
		Weight::from_parts(40_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(6, 3))
			.saturating_add(
				Weight::from_parts(30_000_000, 3_000)
					.saturating_add(RocksDbWeight::get().reads_writes(2, 2))
					.saturating_mul(transfers),
			)
	}
	// NOT BENCHMARKED: placeholder; `benchmarking.rs` has `snapshot_consumer_rewards`.
	fn snapshot_consumer_rewards(v: u32) -> Weight {
		Weight::from_parts(20_000_000, 5_000)
			.saturating_add(RocksDbWeight::get().reads_writes(8, 4))
			.saturating_add(
				Weight::from_parts(2_000_000, 300)
					.saturating_add(RocksDbWeight::get().reads_writes(3, 1))
					.saturating_mul(v.into()),
			)
	}
	// NOT BENCHMARKED: placeholder; `benchmarking.rs` has `expire_reward_snapshot`.
	fn expire_reward_snapshot(v: u32) -> Weight {
		Weight::from_parts(10_000_000, 2_000)
			.saturating_add(RocksDbWeight::get().reads_writes(3, 3))
			.saturating_add(RocksDbWeight::get().reads_writes(v.into(), v.into()))
	}
}
