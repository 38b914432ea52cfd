//! The provable store: a default child trie named [`IBC_CHILD_TRIE`] whose keys are the raw
//! ICS-24 path bytes (`clients/07-tendermint-0/clientState`, `commitments/ports/...`) and whose
//! values are the raw bytes ICS-24 prescribes (protobuf ends, 32-byte commitments, 8-byte
//! big-endian sequences, `0x01` receipts). FRAME maps would hash and SCALE-wrap both, which a
//! counterparty's `verify_membership` cannot match. Relayers prove entries with
//! `state_getChildReadProof(":child_storage:default:ibc", [path], at)`.

use crate::types::IBC_CHILD_TRIE;
use alloc::{string::ToString, vec::Vec};
use core::fmt::Display;
use frame_support::storage::child::{self, ChildInfo};
use sp_runtime::StateVersion;

/// The child trie's info.
pub fn child_info() -> ChildInfo {
	ChildInfo::new_default(IBC_CHILD_TRIE)
}

/// The store key of an ICS-24 path: its canonical string form as bytes.
pub fn key(path: &impl Display) -> Vec<u8> {
	path.to_string().into_bytes()
}

/// Reads the raw value at `path`.
pub fn get(path: &[u8]) -> Option<Vec<u8>> {
	child::get_raw(&child_info(), path)
}

/// Writes the raw `value` at `path`.
pub fn put(path: &[u8], value: &[u8]) {
	child::put_raw(&child_info(), path, value)
}

/// Removes the value at `path`.
pub fn remove(path: &[u8]) {
	child::kill(&child_info(), path)
}

/// Whether a value is stored at `path`.
pub fn exists(path: &[u8]) -> bool {
	child::exists(&child_info(), path)
}

/// The current root of the child trie (state version 1, as the runtime's main trie).
pub fn root() -> Vec<u8> {
	child::root(&child_info(), StateVersion::V1)
}

/// A sequence number as ICS-24 stores it: 8 bytes big-endian.
pub fn encode_sequence(seq: u64) -> [u8; 8] {
	seq.to_be_bytes()
}

/// Reads an 8-byte big-endian sequence; `None` if the value has another length.
pub fn decode_sequence(bytes: &[u8]) -> Option<u64> {
	let arr: [u8; 8] = bytes.try_into().ok()?;
	Some(u64::from_be_bytes(arr))
}
