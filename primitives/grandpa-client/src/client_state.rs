//! The client's view of the tracked chain: latest finalized block, the authority set that
//! finalizes the next blocks, how many past sets the host keeps for evidence
//! ([`crate::past_sets`]), the trusting period and whether misbehaviour froze it.

use crate::{
	error::Error,
	types::{AuthoritySet, BlockNumber, ChainId, Hash, SetId, MAX_CHAIN_ID_LEN, MAX_SET_HISTORY},
};
use alloc::borrow::Cow;
use codec::{Decode, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// The GRANDPA client state.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct ClientState {
	/// The tracked chain's id.
	pub chain_id: ChainId,
	/// Number of the latest finalized block the client accepted.
	pub latest_height: BlockNumber,
	/// Hash of that block; `None` for a client started from an authority set alone (set id 0,
	/// height 0: the chain's genesis hash was not known when the client was created).
	pub latest_hash: Option<Hash>,
	/// The set that finalizes blocks after `latest_height`.
	pub authority_set: AuthoritySet,
	/// How many past sets the host keeps for this client ([`crate::past_sets`]): the evidence
	/// window, in set changes.
	pub max_set_history: u32,
	/// How long after its latest consensus state's timestamp the client is trusted, in
	/// nanoseconds.
	pub trusting_period_ns: u64,
	/// Height of the conflicting blocks that froze the client, if misbehaviour was proven.
	pub frozen_height: Option<BlockNumber>,
}

impl ClientState {
	/// A client of `chain_id` started from its genesis authorities (set id 0, height 0), as the
	/// provider creates one for a consumer at spawn time.
	pub fn from_genesis_authorities(
		chain_id: &[u8],
		authority_set: AuthoritySet,
		trusting_period_ns: u64,
		max_set_history: u32,
	) -> Result<Self, Error> {
		let state = Self {
			chain_id: ChainId::try_from(chain_id.to_vec()).map_err(|_| Error::InvalidChainId)?,
			latest_height: 0,
			latest_hash: None,
			authority_set,
			max_set_history,
			trusting_period_ns,
			frozen_height: None,
		};
		state.validate()?;
		Ok(state)
	}

	/// Checks the state's own consistency: a chain id, a trusting period, a usable authority set,
	/// an evidence window within [`MAX_SET_HISTORY`].
	pub fn validate(&self) -> Result<(), Error> {
		if self.chain_id.is_empty() || self.chain_id.len() > MAX_CHAIN_ID_LEN as usize {
			return Err(Error::InvalidChainId);
		}
		if self.trusting_period_ns == 0 || self.max_set_history > MAX_SET_HISTORY {
			return Err(Error::InvalidParameters);
		}
		self.authority_set.validate()
	}

	/// Whether misbehaviour froze the client.
	pub fn is_frozen(&self) -> bool {
		self.frozen_height.is_some()
	}

	/// Fails with [`Error::Frozen`] if the client is frozen.
	pub fn ensure_not_frozen(&self) -> Result<(), Error> {
		match self.frozen_height {
			Some(height) => Err(Error::Frozen { height }),
			None => Ok(()),
		}
	}

	/// The authority set with `set_id`: the current one, or a past one as `past_set` finds it
	/// (the host's [`crate::past_sets::PastAuthoritySets`] for this client). A past set is
	/// looked up only for a set id below the current one.
	pub fn authority_set_by_id(
		&self,
		set_id: SetId,
		past_set: impl FnOnce(SetId) -> Option<AuthoritySet>,
	) -> Result<Cow<'_, AuthoritySet>, Error> {
		if set_id == self.authority_set.set_id {
			return Ok(Cow::Borrowed(&self.authority_set));
		}
		if set_id > self.authority_set.set_id {
			return Err(Error::UnknownAuthoritySet { set_id });
		}
		past_set(set_id)
			.filter(|set| set.set_id == set_id)
			.map(Cow::Owned)
			.ok_or(Error::UnknownAuthoritySet { set_id })
	}

	/// Checks a counterparty's client *of this chain* in a connection handshake (pallet-ibc's
	/// `validate_self_client`): our chain id, not frozen, not ahead of this chain's
	/// `host_height`, and no set id beyond this chain's `current_set_id`. Authorities are not
	/// compared: the counterparty may lag behind set changes.
	pub fn validate_self_client(
		&self,
		host_chain_id: &[u8],
		host_height: BlockNumber,
		current_set_id: SetId,
	) -> Result<(), Error> {
		self.ensure_not_frozen()?;
		if self.chain_id.as_slice() != host_chain_id {
			return Err(Error::InvalidChainId);
		}
		if self.latest_height > host_height || self.authority_set.set_id > current_set_id {
			return Err(Error::InvalidParameters);
		}
		Ok(())
	}

	/// Freezes the client at `height` (the height of two conflicting finalized blocks).
	pub fn freeze(&mut self, height: BlockNumber) {
		self.frozen_height = Some(height);
	}

	/// Enacts `next` as the current set; returns the set it replaced, for the host to keep.
	pub(crate) fn enact_authority_set(&mut self, next: AuthoritySet) -> AuthoritySet {
		core::mem::replace(&mut self.authority_set, next)
	}

	/// Checks that a healthy `substitute` may replace this (frozen or expired) client in a
	/// governance recovery: valid, not frozen, tracking the same chain, and not behind. The
	/// recovered client is the substitute as it is (its current set and parameters); the past
	/// sets the host keeps are the subject's (ibc-rs does not name the substitute's id to the
	/// client, so its past sets cannot be copied).
	pub fn check_recovery_substitute(&self, substitute: &ClientState) -> Result<(), Error> {
		substitute.validate()?;
		substitute.ensure_not_frozen()?;
		if substitute.chain_id != self.chain_id || substitute.latest_height < self.latest_height {
			return Err(Error::RecoveryMismatch);
		}
		Ok(())
	}
}
