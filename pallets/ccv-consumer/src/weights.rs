//! Weights of pallet-ccv-consumer.
//!
//! **NOT BENCHMARKED.** The `()` implementation below is a hand-written placeholder that
//! counts storage reads and writes with `RocksDbWeight` plus a rough per-item compute term. It
//! must be replaced by `frame-benchmarking` output (issue 6, item 11) before production use.

use frame_support::weights::{constants::RocksDbWeight, Weight};

/// Weight functions of the pallet's hooks and IBC callbacks.
pub trait WeightInfo {
	/// A session boundary that writes a set of `v` validators (0: no change).
	fn new_session(v: u32) -> Weight;
	/// Moving `n` matured VSCs into the outgoing queue.
	fn mature_vscs(n: u32) -> Weight;
	/// Sending `n` packets.
	fn send_packets(n: u32) -> Weight;
	/// Receiving a VSC with `u` updates against a set of `v` validators.
	fn on_recv_vsc(u: u32, v: u32) -> Weight;
	/// Handling an acknowledgement or timeout.
	fn on_acknowledgement() -> Weight;
	/// A reward transmission.
	fn transmit_rewards() -> Weight;
	/// Downtime tracking with `n` slot attributions (at most `1 + MaxMissesPerBlock`).
	fn track_downtime(n: u32) -> Weight;
	/// An offence report naming `n` offenders already handled (earlier ones of the same slot,
	/// which pallet-offences passes again) and `q` new ones (a double-sign packet each).
	fn on_offence(n: u32, q: u32) -> Weight;
	/// Moving `n` double-sign packets from the backlog into the outgoing queue.
	fn drain_double_sign_backlog(n: u32) -> Weight;
}

/// Placeholder weights (not benchmarked; see the module docs).
impl WeightInfo for () {
	fn new_session(v: u32) -> Weight {
		RocksDbWeight::get()
			.reads_writes(8, 8)
			.saturating_add(Weight::from_parts(50_000_000, 0))
			.saturating_add(Weight::from_parts(200_000, 64).saturating_mul(v.into()))
	}

	fn mature_vscs(n: u32) -> Weight {
		RocksDbWeight::get()
			.reads(2)
			.saturating_add(RocksDbWeight::get().reads_writes(3, 4).saturating_mul(n.into()))
	}

	fn send_packets(n: u32) -> Weight {
		RocksDbWeight::get().reads(3).saturating_add(
			RocksDbWeight::get()
				.reads_writes(3, 3)
				.saturating_add(Weight::from_parts(30_000_000, 0))
				.saturating_mul(n.into()),
		)
	}

	fn on_recv_vsc(u: u32, v: u32) -> Weight {
		RocksDbWeight::get()
			.reads_writes(8, 8)
			.saturating_add(Weight::from_parts(30_000_000, 0))
			.saturating_add(Weight::from_parts(100_000, 48).saturating_mul(u.into()))
			.saturating_add(Weight::from_parts(50_000, 48).saturating_mul(v.into()))
	}

	fn transmit_rewards() -> Weight {
		RocksDbWeight::get().reads_writes(6, 3).saturating_add(Weight::from_parts(60_000_000, 0))
	}

	fn track_downtime(n: u32) -> Weight {
		RocksDbWeight::get().reads_writes(3, 1).saturating_add(
			RocksDbWeight::get()
				.reads_writes(5, 3)
				.saturating_add(Weight::from_parts(5_000_000, 1_400))
				.saturating_mul(n.into()),
		)
	}

	// NOT BENCHMARKED: one index read per offender, an index write, the queue bounds and a
	// queue entry per new one.
	fn on_offence(n: u32, q: u32) -> Weight {
		RocksDbWeight::get()
			.reads(1)
			.saturating_add(RocksDbWeight::get().reads(1).saturating_mul(n.into()))
			.saturating_add(
				RocksDbWeight::get()
					.reads_writes(2, 3)
					.saturating_add(Weight::from_parts(10_000_000, 0))
					.saturating_mul(q.into()),
			)
	}

	// NOT BENCHMARKED: backlog bounds and outbox bounds, then per packet a backlog pop and an
	// outbox push.
	fn drain_double_sign_backlog(n: u32) -> Weight {
		RocksDbWeight::get().reads(2).saturating_add(
			RocksDbWeight::get()
				.reads_writes(3, 4)
				.saturating_add(Weight::from_parts(5_000_000, 0))
				.saturating_mul(n.into()),
		)
	}

	fn on_acknowledgement() -> Weight {
		RocksDbWeight::get().reads_writes(4, 4).saturating_add(Weight::from_parts(20_000_000, 0))
	}
}
