//! A FIFO kept in a storage map indexed by `u64` plus a [`QueueBounds`] value: O(1) push, peek
//! and pop, no whole-queue reads. Used for the outgoing packet queue, the maturing VSCs and the
//! vsc_id -> height index.

use crate::types::QueueBounds;
use codec::FullCodec;
use core::marker::PhantomData;
use frame_support::storage::{StorageMap, StorageValue};

/// FIFO over the bounds value `B` and the entry map `M` holding `V`s.
pub struct Fifo<B, M, V>(PhantomData<(B, M, V)>);

impl<B, M, V> Fifo<B, M, V>
where
	B: StorageValue<QueueBounds, Query = QueueBounds>,
	M: StorageMap<u64, V, Query = Option<V>>,
	V: FullCodec,
{
	/// Number of entries.
	pub fn len() -> u64 {
		B::get().len()
	}

	/// Appends `value` at the back.
	pub fn push_back(value: V) {
		let mut bounds = B::get();
		M::insert(bounds.tail, value);
		bounds.tail = bounds.tail.saturating_add(1);
		B::put(bounds);
	}

	/// The oldest entry, if any.
	pub fn front() -> Option<V> {
		let bounds = B::get();
		if bounds.is_empty() {
			return None;
		}
		M::get(bounds.head)
	}

	/// The newest entry, if any.
	pub fn back() -> Option<V> {
		let bounds = B::get();
		if bounds.is_empty() {
			return None;
		}
		M::get(bounds.tail.saturating_sub(1))
	}

	/// Replaces the newest entry; does nothing on an empty queue.
	pub fn replace_back(value: V) {
		let bounds = B::get();
		if !bounds.is_empty() {
			M::insert(bounds.tail.saturating_sub(1), value);
		}
	}

	/// Removes and returns the oldest entry.
	pub fn pop_front() -> Option<V> {
		let mut bounds = B::get();
		if bounds.is_empty() {
			return None;
		}
		let value = M::take(bounds.head);
		bounds.head = bounds.head.saturating_add(1);
		if bounds.is_empty() {
			// Restart the indices so they never run away.
			bounds = QueueBounds::default();
		}
		B::put(bounds);
		value
	}

	/// The entry at `offset` from the front (0 = front), if any. For inspection and tests.
	pub fn get(offset: u64) -> Option<V> {
		let bounds = B::get();
		if offset >= bounds.len() {
			return None;
		}
		M::get(bounds.head.saturating_add(offset))
	}
}
