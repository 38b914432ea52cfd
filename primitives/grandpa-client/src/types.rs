//! The tracked chain's types (block number, hash, header, justification), bounds, and the
//! weighted GRANDPA authority set.

use crate::error::Error;
use alloc::collections::BTreeSet;
use codec::{Decode, DecodeAll, Encode, MaxEncodedLen};
use finality_grandpa::voter_set::VoterSet;
use scale_info::TypeInfo;
use sp_core::ConstU32;
use sp_runtime::{traits::BlakeTwo256, BoundedVec, ConsensusEngineId};

pub use sp_consensus_grandpa::{AuthorityId, AuthorityWeight, RoundNumber, SetId};

/// Block number of the tracked chains (both runtimes use `u32`).
pub type BlockNumber = u32;

/// Block hash of the tracked chains.
pub type Hash = sp_core::H256;

/// Header of the tracked chains, exactly as their runtimes define it.
pub type SubstrateHeader = sp_runtime::generic::Header<BlockNumber, BlakeTwo256>;

/// A GRANDPA justification as the node produces it (`FRNK` block justification,
/// `grandpa_proveFinality`, `grandpa_subscribeJustifications`), verified by bp-header-chain.
pub type Justification = bp_header_chain::justification::GrandpaJustification<SubstrateHeader>;

/// Engine id of pallet-ibc's header digest (`DigestItem::Consensus`) carrying
/// `(timestamp_ns: u64, ibc_root: [u8; 32])`, SCALE-encoded.
pub const IBC_ENGINE_ID: ConsensusEngineId = *b"ibc0";

/// Revision number of the tracked chains' IBC heights (solo chains never change it).
pub const REVISION_NUMBER: u64 = 0;

/// Most authorities in one set.
pub const MAX_AUTHORITIES: u32 = 1024;

/// Most past authority sets a client can keep for equivocation evidence.
pub const MAX_SET_HISTORY: u32 = 64;

/// Most ancestry headers in one update. A relayer further behind steps through blocks the node
/// keeps justifications for (every authority-set change and every `justification_period`).
pub const MAX_ANCESTRY_HEADERS: u32 = 1024;

/// Longest chain id, in bytes.
pub const MAX_CHAIN_ID_LEN: u32 = 64;

/// The weighted authorities of one set.
pub type AuthorityList = BoundedVec<(AuthorityId, AuthorityWeight), ConstU32<MAX_AUTHORITIES>>;

/// A chain id, as UTF-8 bytes.
pub type ChainId = BoundedVec<u8, ConstU32<MAX_CHAIN_ID_LEN>>;

/// One GRANDPA authority set: who votes, with what weight, under which set id.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct AuthoritySet {
	/// The set id its votes are signed under.
	pub set_id: SetId,
	/// The authorities and their voting weights.
	pub authorities: AuthorityList,
}

impl AuthoritySet {
	/// Builds a set from an unbounded list, checking it (see [`Self::validate`]).
	pub fn new(
		set_id: SetId,
		authorities: impl IntoIterator<Item = (AuthorityId, AuthorityWeight)>,
	) -> Result<Self, Error> {
		let authorities = authorities.into_iter().collect::<alloc::vec::Vec<_>>();
		let authorities =
			AuthorityList::try_from(authorities).map_err(|_| Error::InvalidAuthoritySet)?;
		let set = Self { set_id, authorities };
		set.validate()?;
		Ok(set)
	}

	/// Checks the set can vote: non-empty, no zero weight, no duplicate key, total weight fits
	/// in a `u64`.
	pub fn validate(&self) -> Result<(), Error> {
		let mut keys = BTreeSet::new();
		let mut total = 0u64;
		for (key, weight) in self.authorities.iter() {
			if *weight == 0 || !keys.insert(key) {
				return Err(Error::InvalidAuthoritySet);
			}
			total = total.checked_add(*weight).ok_or(Error::InvalidAuthoritySet)?;
		}
		if keys.is_empty() {
			return Err(Error::InvalidAuthoritySet);
		}
		Ok(())
	}

	/// The voting weight of `key` in this set, if it is a member.
	pub fn weight_of(&self, key: &AuthorityId) -> Option<AuthorityWeight> {
		self.authorities.iter().find(|(k, _)| k == key).map(|(_, w)| *w)
	}

	/// The context bp-header-chain verifies justifications of this set with.
	pub fn verification_context(
		&self,
	) -> Result<bp_header_chain::justification::JustificationVerificationContext, Error> {
		let voter_set =
			VoterSet::new(self.authorities.iter().cloned()).ok_or(Error::InvalidAuthoritySet)?;
		Ok(bp_header_chain::justification::JustificationVerificationContext {
			voter_set,
			authority_set_id: self.set_id,
		})
	}
}

/// Decodes `bytes` as exactly one `T` (no trailing bytes).
pub fn decode_exact<T: Decode>(mut bytes: &[u8], what: &'static str) -> Result<T, Error> {
	T::decode_all(&mut bytes).map_err(|_| Error::Malformed(what))
}
