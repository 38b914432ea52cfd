//! Why the client refused a client state, an update, a proof, misbehaviour or evidence.

use crate::types::{BlockNumber, SetId};
use core::fmt;

/// Everything the GRANDPA client can refuse, in the domain's words.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Error {
	/// Bytes did not decode as the expected SCALE type (or had trailing bytes).
	Malformed(&'static str),
	/// The client is frozen (misbehaviour was proven at this height); only governance recovery
	/// brings it back.
	Frozen {
		/// Height of the conflicting blocks.
		height: BlockNumber,
	},
	/// The latest consensus state is older than the trusting period: the client has expired.
	Expired,
	/// The update does not advance the client (replayed or older header).
	NotNewer {
		/// The client's latest finalized height.
		latest: BlockNumber,
		/// The height the update targets.
		target: BlockNumber,
	},
	/// The ancestry does not cover every block between the client's latest height and the target.
	IncompleteAncestry {
		/// Headers needed (target height - latest height - 1).
		expected: u64,
		/// Headers given.
		given: u64,
	},
	/// More ancestry headers than [`crate::types::MAX_ANCESTRY_HEADERS`].
	AncestryTooLong,
	/// A header in the chain from the client's latest block to the target does not extend
	/// its predecessor (wrong parent hash or number).
	BrokenAncestry {
		/// Number of the first header that does not link.
		number: BlockNumber,
	},
	/// An ancestry header enacts an authority-set change: it must be submitted as an update target
	/// itself before any later header.
	SkippedAuthoritySetChange {
		/// Number of the header that enacts the change.
		number: BlockNumber,
	},
	/// A header signals a forced authority-set change, which a light client cannot follow.
	ForcedAuthoritySetChange {
		/// Number of the header.
		number: BlockNumber,
	},
	/// A header schedules an authority-set change with a non-zero delay (unsupported).
	DelayedAuthoritySetChange {
		/// Number of the header.
		number: BlockNumber,
	},
	/// An authority set is empty, too large, has a zero weight, a duplicate key, or its total
	/// weight overflows.
	InvalidAuthoritySet,
	/// The GRANDPA justification does not finalize the target with the expected authority set.
	Justification(JustificationError),
	/// The target header carries no pallet-ibc digest (engine id `ibc0`), or it is malformed.
	MissingIbcDigest,
	/// The new consensus state's timestamp is before the latest one.
	NonMonotonicTimestamp,
	/// The storage proof does not decode, misses nodes or does not match the root.
	InvalidProof,
	/// The proven value differs from the expected one.
	ValueMismatch,
	/// A membership proof shows the key absent.
	ValueAbsent,
	/// A non-membership proof shows the key present.
	ValuePresent,
	/// The two finality proofs of a misbehaviour do not finalize different blocks at one height.
	NotConflicting,
	/// No authority set with this id is known to the client (current set or kept history).
	UnknownAuthoritySet {
		/// The set id asked for.
		set_id: SetId,
	},
	/// The equivocating key is not a member of the authority set it claims to have voted in.
	NotAnAuthority,
	/// The two votes of an equivocation are not two validly signed votes for different blocks
	/// in the same round.
	InvalidEquivocation,
	/// The chain id is empty or longer than [`crate::types::MAX_CHAIN_ID_LEN`].
	InvalidChainId,
	/// The trusting period is zero, or the history bound exceeds
	/// [`crate::types::MAX_SET_HISTORY`].
	InvalidParameters,
	/// The substitute of a recovery tracks another chain or is behind the subject.
	RecoveryMismatch,
}

/// Why a GRANDPA justification did not verify (bp-header-chain's verdict, in our words).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum JustificationError {
	/// The justification finalizes another block than the update's target.
	WrongTarget,
	/// The signing authorities hold less than the supermajority of the set's weight.
	InsufficientWeight,
	/// A precommit is signed by a key outside the authority set.
	UnknownAuthority,
	/// A precommit's signature is invalid for this round and set id.
	InvalidSignature,
	/// An authority signed twice.
	DuplicateVote,
	/// More precommits than the supermajority needs (optimize the justification first).
	RedundantVote,
	/// A precommit targets a block that does not descend from the target.
	UnrelatedVote,
	/// The vote ancestry lists a header twice.
	DuplicateAncestry,
	/// The vote ancestry lists headers no precommit needs.
	RedundantAncestry,
	/// The authority set cannot form a voter set.
	InvalidAuthorityList,
}

impl From<bp_header_chain::justification::JustificationVerificationError> for JustificationError {
	fn from(e: bp_header_chain::justification::JustificationVerificationError) -> Self {
		use bp_header_chain::justification::{
			JustificationVerificationError as E, PrecommitError as P,
		};
		match e {
			E::InvalidAuthorityList => Self::InvalidAuthorityList,
			E::InvalidJustificationTarget => Self::WrongTarget,
			E::DuplicateVotesAncestries => Self::DuplicateAncestry,
			E::TooLowCumulativeWeight => Self::InsufficientWeight,
			E::RedundantVotesAncestries => Self::RedundantAncestry,
			E::Precommit(P::RedundantAuthorityVote) => Self::RedundantVote,
			E::Precommit(P::UnknownAuthorityVote) => Self::UnknownAuthority,
			E::Precommit(P::DuplicateAuthorityVote) => Self::DuplicateVote,
			E::Precommit(P::InvalidAuthoritySignature) => Self::InvalidSignature,
			E::Precommit(P::UnrelatedAncestryVote) => Self::UnrelatedVote,
		}
	}
}

impl From<JustificationError> for Error {
	fn from(e: JustificationError) -> Self {
		Self::Justification(e)
	}
}

impl fmt::Display for Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::Malformed(what) => write!(f, "malformed {what}"),
			Self::Frozen { height } => write!(f, "client frozen at height {height}"),
			Self::Expired => write!(f, "client expired (trusting period elapsed)"),
			Self::NotNewer { latest, target } => {
				write!(f, "header {target} does not advance the client (latest {latest})")
			}
			Self::IncompleteAncestry { expected, given } => {
				write!(f, "ancestry has {given} headers, {expected} needed")
			}
			Self::AncestryTooLong => write!(f, "ancestry too long"),
			Self::BrokenAncestry { number } => {
				write!(f, "header {number} does not extend its predecessor")
			}
			Self::SkippedAuthoritySetChange { number } => {
				write!(f, "header {number} enacts an authority-set change and must be submitted")
			}
			Self::ForcedAuthoritySetChange { number } => {
				write!(f, "header {number} signals a forced authority-set change")
			}
			Self::DelayedAuthoritySetChange { number } => {
				write!(f, "header {number} schedules a delayed authority-set change")
			}
			Self::InvalidAuthoritySet => write!(f, "invalid authority set"),
			Self::Justification(e) => write!(f, "invalid justification: {e:?}"),
			Self::MissingIbcDigest => write!(f, "target header has no valid ibc0 digest"),
			Self::NonMonotonicTimestamp => write!(f, "timestamp before the latest consensus state"),
			Self::InvalidProof => write!(f, "invalid storage proof"),
			Self::ValueMismatch => write!(f, "proven value differs from the expected value"),
			Self::ValueAbsent => write!(f, "key absent, membership expected"),
			Self::ValuePresent => write!(f, "key present, non-membership expected"),
			Self::NotConflicting => write!(f, "finality proofs do not conflict"),
			Self::UnknownAuthoritySet { set_id } => write!(f, "unknown authority set {set_id}"),
			Self::NotAnAuthority => write!(f, "key is not a member of the authority set"),
			Self::InvalidEquivocation => write!(f, "not a valid vote equivocation"),
			Self::InvalidChainId => write!(f, "invalid chain id"),
			Self::InvalidParameters => write!(f, "invalid client parameters"),
			Self::RecoveryMismatch => write!(f, "substitute client does not match the subject"),
		}
	}
}
