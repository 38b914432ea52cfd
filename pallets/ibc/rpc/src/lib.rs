//! Node RPC of pallet-ibc (`ibc_*`): the reads of [`pallet_ibc::runtime_api::IbcRuntimeApi`]
//! as JSON, and child-trie read proofs paired with the block they are of.
//!
//! | method | answer |
//! |---|---|
//! | `ibc_state(path, at?)` | the raw value at an ICS-24 path |
//! | `ibc_proveState(paths, at?)` | the values at up to [`MAX_PROVEN_PATHS`] paths and one proof of all, with the block's number |
//! | `ibc_pendingPackets(port, channel, from, max, at?)` | sent packets not yet acknowledged or timed out, with their data |
//! | `ibc_writtenAck(port, channel, sequence, at?)` | the acknowledgement this chain wrote for a received packet |
//! | `ibc_hostRecord(height, at?)` | this chain's recorded consensus state (timestamp, IBC root) at a height |
//!
//! `at` defaults to the best block for reads and to the finalized block for proofs: a
//! counterparty's GRANDPA client can only verify a proof against a finalized header. A proof of
//! block B verifies against the child root in B's `ibc0` header digest (the same root as
//! `ibc_hostRecord(B)`), at consensus height B's number.
//!
//! A runtime developer adds it to the node's RPC module with
//! `module.merge(Ibc::new(client.clone()).into_rpc())`.

pub mod types;

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
};
use pallet_ibc::runtime_api::{IbcRuntimeApi, MAX_PENDING_PACKETS_PER_QUERY};
use sc_client_api::ProofProvider;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::Bytes;
use sp_runtime::traits::{Block as BlockT, UniqueSaturatedInto};
use std::{marker::PhantomData, sync::Arc};
pub use types::{HeightView, HostRecordView, PendingPacketView, ProvenState};

/// Most paths one `ibc_proveState` call proves.
pub const MAX_PROVEN_PATHS: usize = 64;

/// Longest ICS-24 path accepted, in bytes.
pub const MAX_PATH_LEN: usize = 512;

/// The `ibc_*` RPC methods.
#[rpc(client, server)]
pub trait IbcApi<BlockHash> {
	/// The raw value at ICS-24 `path` (e.g. `connections/connection-0`) at block `at` (default:
	/// best), `null` if absent.
	#[method(name = "ibc_state")]
	fn state(&self, path: String, at: Option<BlockHash>) -> RpcResult<Option<Bytes>>;

	/// The values at `paths` and one child-trie read proof of all of them (absent values are
	/// proven absent) at block `at` (default: finalized), with that block's number.
	#[method(name = "ibc_proveState")]
	fn prove_state(
		&self,
		paths: Vec<String>,
		at: Option<BlockHash>,
	) -> RpcResult<ProvenState<BlockHash>>;

	/// Packets sent on (`port`, `channel`) with sequence in `[from, from + max)` that are not
	/// acknowledged or timed out yet, at block `at` (default: best). `max` is capped at
	/// [`MAX_PENDING_PACKETS_PER_QUERY`].
	#[method(name = "ibc_pendingPackets")]
	fn pending_packets(
		&self,
		port: String,
		channel: String,
		from: u64,
		max: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<PendingPacketView>>;

	/// The acknowledgement this chain wrote for packet `sequence` it received on (`port`,
	/// `channel`), if still kept, at block `at` (default: best).
	#[method(name = "ibc_writtenAck")]
	fn written_ack(
		&self,
		port: String,
		channel: String,
		sequence: u64,
		at: Option<BlockHash>,
	) -> RpcResult<Option<Bytes>>;

	/// This chain's recorded consensus state at `height`, if still in the ring buffer, at block
	/// `at` (default: best).
	#[method(name = "ibc_hostRecord")]
	fn host_record(&self, height: u64, at: Option<BlockHash>) -> RpcResult<Option<HostRecordView>>;
}

/// JSON-RPC error codes of the `ibc_*` methods.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Error {
	/// The runtime call failed.
	Runtime = 1,
	/// An argument is malformed or out of bounds.
	BadInput = 2,
	/// The block `at` is not known to this node.
	UnknownBlock = 3,
	/// The node could not build the proof (e.g. the block's state was pruned).
	Proof = 4,
}

impl Error {
	/// This error with a message and details.
	fn with(self, message: &'static str, details: impl ToString) -> ErrorObjectOwned {
		ErrorObject::owned(self as i32, message, Some(details.to_string()))
	}
}

/// The `ibc_*` RPC server over a node's client.
pub struct Ibc<C, Block> {
	client: Arc<C>,
	_block: PhantomData<Block>,
}

impl<C, Block> Ibc<C, Block> {
	/// An RPC server reading through `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: PhantomData }
	}
}

/// Checks an ICS-24 path's length.
fn check_path(path: &str) -> RpcResult<()> {
	if path.is_empty() || path.len() > MAX_PATH_LEN {
		return Err(Error::BadInput.with(
			"bad ICS-24 path",
			format!("a path has 1 to {MAX_PATH_LEN} bytes, got {}", path.len()),
		));
	}
	Ok(())
}

/// Checks a port or channel identifier's length (ICS-24: 2 to 64 bytes, at most pallet-ibc's
/// bound).
fn check_id(what: &'static str, id: &str) -> RpcResult<()> {
	let max = id_bound();
	if id.len() < 2 || id.len() > max {
		return Err(Error::BadInput
			.with("bad identifier", format!("{what} has 2 to {max} bytes, got {:?}", id)));
	}
	Ok(())
}

/// pallet-ibc's bound on port and channel identifiers.
fn id_bound() -> usize {
	pallet_ibc::types::IdBytes::bound()
}

impl<C, Block> Ibc<C, Block>
where
	Block: BlockT,
	C: HeaderBackend<Block>,
{
	/// The block `at`, or `default` of the chain info; an error if this node does not know it.
	fn block(
		&self,
		at: Option<Block::Hash>,
		default: impl FnOnce(&sp_blockchain::Info<Block>) -> Block::Hash,
	) -> RpcResult<(Block::Hash, u64)> {
		let hash = at.unwrap_or_else(|| default(&self.client.info()));
		match self.client.number(hash) {
			Ok(Some(number)) => Ok((hash, number.unique_saturated_into())),
			Ok(None) => Err(Error::UnknownBlock.with("unknown block", format!("{hash:?}"))),
			Err(e) => Err(Error::UnknownBlock.with("unknown block", e)),
		}
	}

	/// The block a read of channel (`port`, `channel`) is made at (`at`, default: best), once
	/// both identifiers are checked.
	fn channel_read_at(
		&self,
		port: &str,
		channel: &str,
		at: Option<Block::Hash>,
	) -> RpcResult<Block::Hash> {
		check_id("port", port)?;
		check_id("channel", channel)?;
		Ok(self.block(at, |info| info.best_hash)?.0)
	}
}

fn runtime_error(e: impl ToString) -> ErrorObjectOwned {
	Error::Runtime.with("IbcRuntimeApi call failed", e)
}

impl<C, Block> IbcApiServer<Block::Hash> for Ibc<C, Block>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ ProofProvider<Block>
		+ Send
		+ Sync
		+ 'static,
	C::Api: IbcRuntimeApi<Block>,
{
	fn state(&self, path: String, at: Option<Block::Hash>) -> RpcResult<Option<Bytes>> {
		check_path(&path)?;
		let (hash, _) = self.block(at, |info| info.best_hash)?;
		let value =
			self.client.runtime_api().ibc_state(hash, path.into_bytes()).map_err(runtime_error)?;
		Ok(value.map(Bytes))
	}

	fn prove_state(
		&self,
		paths: Vec<String>,
		at: Option<Block::Hash>,
	) -> RpcResult<ProvenState<Block::Hash>> {
		if paths.is_empty() || paths.len() > MAX_PROVEN_PATHS {
			return Err(Error::BadInput.with(
				"bad path count",
				format!("1 to {MAX_PROVEN_PATHS} paths per proof, got {}", paths.len()),
			));
		}
		paths.iter().try_for_each(|p| check_path(p))?;
		let (hash, height) = self.block(at, |info| info.finalized_hash)?;
		let api = self.client.runtime_api();
		let values = paths
			.iter()
			.map(|p| api.ibc_state(hash, p.as_bytes().to_vec()).map(|v| v.map(Bytes)))
			.collect::<Result<Vec<_>, _>>()
			.map_err(runtime_error)?;
		let proof = self
			.client
			.read_child_proof(
				hash,
				&pallet_ibc::store::child_info(),
				&mut paths.iter().map(|p| p.as_bytes()),
			)
			.map_err(|e| Error::Proof.with("could not build the proof", e))?;
		Ok(ProvenState {
			at: hash,
			height,
			values,
			proof: proof.into_iter_nodes().map(Bytes).collect(),
		})
	}

	fn pending_packets(
		&self,
		port: String,
		channel: String,
		from: u64,
		max: u32,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<PendingPacketView>> {
		let hash = self.channel_read_at(&port, &channel, at)?;
		let packets = self
			.client
			.runtime_api()
			.pending_packets(
				hash,
				port.into_bytes(),
				channel.into_bytes(),
				from,
				max.min(MAX_PENDING_PACKETS_PER_QUERY),
			)
			.map_err(runtime_error)?;
		Ok(packets.into_iter().map(|(seq, p)| PendingPacketView::new(seq, p)).collect())
	}

	fn written_ack(
		&self,
		port: String,
		channel: String,
		sequence: u64,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<Bytes>> {
		let hash = self.channel_read_at(&port, &channel, at)?;
		let ack = self
			.client
			.runtime_api()
			.written_ack(hash, port.into_bytes(), channel.into_bytes(), sequence)
			.map_err(runtime_error)?;
		Ok(ack.map(Bytes))
	}

	fn host_record(
		&self,
		height: u64,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<HostRecordView>> {
		let (hash, _) = self.block(at, |info| info.best_hash)?;
		let record = self.client.runtime_api().host_record(hash, height).map_err(runtime_error)?;
		Ok(record.map(HostRecordView::from))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn paths_and_ids_out_of_bounds_are_refused_with_bad_input() {
		assert!(check_path("connections/connection-0").is_ok());
		for bad in [String::new(), "p".repeat(MAX_PATH_LEN + 1)] {
			assert_eq!(check_path(&bad).unwrap_err().code(), Error::BadInput as i32);
		}
		assert!(check_id("port", "transfer").is_ok());
		for bad in ["x".to_string(), "c".repeat(id_bound() + 1)] {
			let err = check_id("channel", &bad).unwrap_err();
			assert_eq!(err.code(), Error::BadInput as i32);
			assert!(err.data().unwrap().get().contains("channel has 2 to"), "{err:?}");
		}
	}
}
