//! Past authority sets, kept by the host beside the client state.
//!
//! A [`crate::ClientState`] holds only the set now in force, so every message that reads it
//! (an update, each proof check) costs the same whatever the client's evidence window. The sets
//! a client replaced are kept by the host, by client and set id, and read only to check
//! evidence signed by an older set: a [`crate::Misbehaviour`] or a vote equivocation
//! ([`crate::equivocation`]).
//!
//! The window is the client's `max_set_history`: after each set change the host keeps the
//! replaced set and forgets the oldest (lowest ids) beyond the window, at most
//! [`MAX_FORGOTTEN_PER_SET_CHANGE`] per change ([`keep_set_id`]), so a set change costs a
//! bounded number of storage writes. A window made smaller (by a governance recovery) shrinks by
//! one extra set per later change.

use crate::types::{AuthoritySet, SetId};
use alloc::vec::Vec;
use ibc_core::{client::types::error::ClientError, host::types::identifiers::ClientId};

/// The most past sets one set change makes the host forget.
pub const MAX_FORGOTTEN_PER_SET_CHANGE: usize = 2;

/// Reads a host's past authority sets of its GRANDPA clients.
pub trait PastAuthoritySets {
	/// The set `set_id` that client `client_id` replaced, if the host still keeps it.
	fn past_authority_set(&self, client_id: &ClientId, set_id: SetId) -> Option<AuthoritySet>;
}

/// Keeps a host's past authority sets of its GRANDPA clients.
pub trait KeepPastAuthoritySets: PastAuthoritySets {
	/// Keeps `set`, which client `client_id` has just replaced, and forgets the sets
	/// [`keep_set_id`] names for a window of `window` sets.
	fn keep_past_authority_set(
		&mut self,
		client_id: &ClientId,
		set: AuthoritySet,
		window: u32,
	) -> Result<(), ClientError>;
}

/// The keep rule. `kept` are a client's kept set ids; `new` joins them (once) under a window
/// of `window` sets. Returns the ids kept afterwards, ascending, and the ids to forget: the
/// lowest beyond the window, at most [`MAX_FORGOTTEN_PER_SET_CHANGE`] of them. `new` is the
/// highest id in practice (set ids only grow), so it is forgotten only when `window` is 0.
/// With `kept` within a window of at most `w`, the result is too.
pub fn keep_set_id(mut kept: Vec<SetId>, new: SetId, window: u32) -> (Vec<SetId>, Vec<SetId>) {
	kept.retain(|id| *id != new);
	kept.push(new);
	kept.sort_unstable();
	let window = usize::try_from(window).unwrap_or(usize::MAX);
	let excess = kept.len().saturating_sub(window).min(MAX_FORGOTTEN_PER_SET_CHANGE);
	let forgotten = kept.drain(..excess).collect();
	(kept, forgotten)
}
