//! Weights of `pallet-ibc`: PLACEHOLDER figures in the shape `scripts/bench.sh` generates
//! (`PALLETS=ibc scripts/bench.sh` replaces this file with the measured ones). Do not edit by
//! hand otherwise.
//!
//! Each weight is a base plus a slope per component, with the database reads and writes
//! priced by the runtime's `DbWeight` ([`SubstrateWeight`]) or by `RocksDbWeight` (`()`, for
//! tests).

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions of the pallet: one per benchmark of `benchmarking.rs`, same name and
/// components.
pub trait WeightInfo {
	/// Benchmark `create_client`; components:
	/// - `v` in `[1, 1024]`
	fn create_client(v: u32) -> Weight;
	/// Benchmark `update_client`; components:
	/// - `p` in `[1, 512]`
	/// - `m` in `[0, 512]`
	/// - `a` in `[0, 512]`
	fn update_client(p: u32, m: u32, a: u32) -> Weight;
	/// Benchmark `conn_open_try`; components:
	/// - `n` in `[0, 4096]`
	fn conn_open_try(n: u32) -> Weight;
	/// Benchmark `chan_open_try`; components:
	/// - `n` in `[0, 4096]`
	fn chan_open_try(n: u32) -> Weight;
	/// Benchmark `recv_packet`; components:
	/// - `n` in `[0, 4096]`
	/// - `d` in `[0, 16384]`
	fn recv_packet(n: u32, d: u32) -> Weight;
	/// Benchmark `acknowledgement`; components:
	/// - `n` in `[0, 4096]`
	fn acknowledgement(n: u32) -> Weight;
	/// Benchmark `timeout`; components:
	/// - `n` in `[0, 4096]`
	fn timeout(n: u32) -> Weight;
	/// Benchmark `transfer`.
	fn transfer() -> Weight;
}

/// Weights measured on the runtime, with its database weights (`T::DbWeight`).
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_client(v: u32) -> Weight {
		Weight::from_parts(300_000_000, 65_536)
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(20))
			.saturating_add(T::DbWeight::get().writes(20))
	}
	fn update_client(p: u32, m: u32, a: u32) -> Weight {
		Weight::from_parts(300_000_000, 65_536)
			.saturating_add(Weight::from_parts(80_000_000, 0).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(m.into()))
			.saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(a.into()))
			.saturating_add(T::DbWeight::get().reads(20))
			.saturating_add(T::DbWeight::get().writes(20))
	}
	fn conn_open_try(n: u32) -> Weight {
		Weight::from_parts(400_000_000, 65_536)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(20))
			.saturating_add(T::DbWeight::get().writes(20))
	}
	fn chan_open_try(n: u32) -> Weight {
		Weight::from_parts(300_000_000, 65_536)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(20))
			.saturating_add(T::DbWeight::get().writes(20))
	}
	fn recv_packet(n: u32, d: u32) -> Weight {
		Weight::from_parts(400_000_000, 65_536)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads(20))
			.saturating_add(T::DbWeight::get().writes(20))
	}
	fn acknowledgement(n: u32) -> Weight {
		Weight::from_parts(300_000_000, 65_536)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(20))
			.saturating_add(T::DbWeight::get().writes(20))
	}
	fn timeout(n: u32) -> Weight {
		Weight::from_parts(300_000_000, 65_536)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(20))
			.saturating_add(T::DbWeight::get().writes(20))
	}
	fn transfer() -> Weight {
		Weight::from_parts(300_000_000, 65_536)
			.saturating_add(T::DbWeight::get().reads(20))
			.saturating_add(T::DbWeight::get().writes(20))
	}
}

/// The same weights with `RocksDbWeight` database weights (for tests and mock runtimes).
impl WeightInfo for () {
	fn create_client(v: u32) -> Weight {
		Weight::from_parts(300_000_000, 65_536)
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads(20))
			.saturating_add(RocksDbWeight::get().writes(20))
	}
	fn update_client(p: u32, m: u32, a: u32) -> Weight {
		Weight::from_parts(300_000_000, 65_536)
			.saturating_add(Weight::from_parts(80_000_000, 0).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(m.into()))
			.saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(a.into()))
			.saturating_add(RocksDbWeight::get().reads(20))
			.saturating_add(RocksDbWeight::get().writes(20))
	}
	fn conn_open_try(n: u32) -> Weight {
		Weight::from_parts(400_000_000, 65_536)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(20))
			.saturating_add(RocksDbWeight::get().writes(20))
	}
	fn chan_open_try(n: u32) -> Weight {
		Weight::from_parts(300_000_000, 65_536)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(20))
			.saturating_add(RocksDbWeight::get().writes(20))
	}
	fn recv_packet(n: u32, d: u32) -> Weight {
		Weight::from_parts(400_000_000, 65_536)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(d.into()))
			.saturating_add(RocksDbWeight::get().reads(20))
			.saturating_add(RocksDbWeight::get().writes(20))
	}
	fn acknowledgement(n: u32) -> Weight {
		Weight::from_parts(300_000_000, 65_536)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(20))
			.saturating_add(RocksDbWeight::get().writes(20))
	}
	fn timeout(n: u32) -> Weight {
		Weight::from_parts(300_000_000, 65_536)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(20))
			.saturating_add(RocksDbWeight::get().writes(20))
	}
	fn transfer() -> Weight {
		Weight::from_parts(300_000_000, 65_536)
			.saturating_add(RocksDbWeight::get().reads(20))
			.saturating_add(RocksDbWeight::get().writes(20))
	}
}
