//! What the client knows of one finalized block: its time and its IBC child-trie root, both read
//! from pallet-ibc's `ibc0` header digest (GRANDPA headers carry no timestamp).

use crate::{
	error::Error,
	types::{SubstrateHeader, IBC_ENGINE_ID},
};
use codec::{Decode, DecodeAll, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// The consensus state of the tracked chain at one height.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct ConsensusState {
	/// Block timestamp, unix nanoseconds.
	pub timestamp_ns: u64,
	/// Root of pallet-ibc's `ibc` child trie at the end of the block: what membership proofs
	/// at this height verify against.
	pub ibc_root: [u8; 32],
}

impl ConsensusState {
	/// Reads the consensus state from `header`'s `ibc0` digest; the first such item counts.
	pub fn from_header(header: &SubstrateHeader) -> Result<Self, Error> {
		let data = header
			.digest
			.logs
			.iter()
			.find_map(|item| match item.as_consensus() {
				Some((engine, data)) if engine == IBC_ENGINE_ID => Some(data),
				_ => None,
			})
			.ok_or(Error::MissingIbcDigest)?;
		let (timestamp_ns, ibc_root) =
			<(u64, [u8; 32])>::decode_all(&mut &data[..]).map_err(|_| Error::MissingIbcDigest)?;
		Ok(Self { timestamp_ns, ibc_root })
	}

	/// Whether this state is older than `trusting_period_ns` at `now_ns` (so the client that
	/// holds it as its latest has expired).
	pub fn is_expired(&self, trusting_period_ns: u64, now_ns: u64) -> bool {
		self.timestamp_ns.saturating_add(trusting_period_ns) <= now_ns
	}
}
