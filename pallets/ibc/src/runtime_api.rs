//! Runtime API for relayers and explorers: reads only. Proofs are not produced here (a runtime
//! cannot); a relayer asks the node for `state_getChildReadProof(":child_storage:default:ibc",
//! [path], at = block B)` and pairs it with the header of B, whose [`crate::types::IBC_ENGINE_ID`]
//! digest carries the child root the proof verifies against (consensus height = B's number).
//! The node's `ibc_*` RPC (`pallet-ibc-rpc`) serves these reads as JSON, and `ibc_proveState`
//! returns values and proof together with B's number.

use crate::types::{HostRecord, PendingPacket};
use alloc::vec::Vec;

/// Most packets returned by one [`IbcRuntimeApi::pending_packets`] call.
pub const MAX_PENDING_PACKETS_PER_QUERY: u32 = 256;

sp_api::decl_runtime_apis! {
	/// Reads of pallet-ibc state.
	pub trait IbcRuntimeApi {
		/// The raw provable value at an ICS-24 path (e.g. `commitments/ports/p/channels/c/sequences/1`).
		fn ibc_state(path: Vec<u8>) -> Option<Vec<u8>>;
		/// Packets sent on (`port`, `channel`) with sequence in `[from, from + max)` that are not
		/// acknowledged or timed out yet (`max` is capped at [`MAX_PENDING_PACKETS_PER_QUERY`]).
		fn pending_packets(port: Vec<u8>, channel: Vec<u8>, from: u64, max: u32) -> Vec<(u64, PendingPacket)>;
		/// The acknowledgement this chain wrote for the packet (`port`, `channel`, `sequence`)
		/// it received, if still kept (the last `AckHistory` acks).
		fn written_ack(port: Vec<u8>, channel: Vec<u8>, sequence: u64) -> Option<Vec<u8>>;
		/// This chain's recorded consensus state at `height`, if still in the ring buffer.
		fn host_record(height: u64) -> Option<HostRecord>;
	}
}

impl<T: crate::Config> crate::Pallet<T> {
	/// Implements [`IbcRuntimeApi::pending_packets`]: a bounded scan of sequences.
	pub fn pending_packets(
		port: Vec<u8>,
		channel: Vec<u8>,
		from: u64,
		max: u32,
	) -> Vec<(u64, PendingPacket)> {
		let (Ok(port), Ok(channel)) =
			(crate::types::IdBytes::try_from(port), crate::types::IdBytes::try_from(channel))
		else {
			return Vec::new();
		};
		let max = u64::from(max.min(MAX_PENDING_PACKETS_PER_QUERY));
		(from..from.saturating_add(max))
			.filter_map(|seq| {
				crate::pallet::SentPackets::<T>::get((port.clone(), channel.clone(), seq))
					.map(|p| (seq, p))
			})
			.collect()
	}
}
