//! GRANDPA vote equivocation: evidence that one voter signed two votes of the same kind, round
//! and set id for different blocks. The CCV provider slashes on it (ICS
//! `MsgSubmitConsumerDoubleVoting`); it never freezes the client.
//!
//! Evidence is the SCALE encoding of `sp_consensus_grandpa::EquivocationProof<Hash, BlockNumber>`
//! (the type a node's equivocation report carries). It verifies against the client's authority
//! set with the evidence's set id: the current one, or a past one the host keeps
//! ([`crate::past_sets`]); the evidence window is `max_set_history` set changes.

use crate::{
	client_state::ClientState,
	error::Error,
	types::{decode_exact, AuthorityId, AuthoritySet, BlockNumber, Hash, RoundNumber, SetId},
};
use codec::Encode;
use sp_runtime::traits::{BlakeTwo256, Hash as _};

/// Vote-equivocation evidence as submitted.
pub type VoteEquivocation = sp_consensus_grandpa::EquivocationProof<Hash, BlockNumber>;

/// Domain separator of [`VerifiedVoteEquivocation::infraction_id`].
const INFRACTION_ID_CONTEXT: &[u8] = b"frame-ics/grandpa-vote-equivocation";

/// What verified evidence proves.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct VerifiedVoteEquivocation {
	/// The equivocating authority's ed25519 key.
	pub offender: [u8; 32],
	/// The set id the votes were cast in.
	pub set_id: SetId,
	/// The round the votes were cast in.
	pub round: RoundNumber,
	/// `blake2_256` of (context, set id, round, offender): equal for all evidence of one voter's
	/// equivocation in one round (prevote or precommit), so it is punished once.
	pub infraction_id: [u8; 32],
}

/// Verifies encoded vote-equivocation `evidence` against `client`'s current set, or the past
/// set `past_set` finds for an older set id (the host's
/// [`crate::past_sets::PastAuthoritySets`] for this client). Works on frozen and expired
/// clients too: past sets stay known.
pub fn verify_vote_equivocation(
	client: &ClientState,
	evidence: &[u8],
	past_set: impl FnOnce(SetId) -> Option<AuthoritySet>,
) -> Result<VerifiedVoteEquivocation, Error> {
	let proof: VoteEquivocation = decode_exact(evidence, "equivocation evidence")?;
	verify_equivocation_proof(client, proof, past_set)
}

/// Verifies decoded vote-equivocation evidence (see [`verify_vote_equivocation`]).
pub fn verify_equivocation_proof(
	client: &ClientState,
	proof: VoteEquivocation,
	past_set: impl FnOnce(SetId) -> Option<AuthoritySet>,
) -> Result<VerifiedVoteEquivocation, Error> {
	let set_id = proof.set_id();
	let round = proof.round();
	let offender: AuthorityId = proof.offender().clone();
	let set = client.authority_set_by_id(set_id, past_set)?;
	if set.weight_of(&offender).is_none() {
		return Err(Error::NotAnAuthority);
	}
	if !sp_consensus_grandpa::check_equivocation_proof(proof) {
		return Err(Error::InvalidEquivocation);
	}
	let offender: [u8; 32] = offender.into_inner().0;
	let infraction_id =
		BlakeTwo256::hash(&(INFRACTION_ID_CONTEXT, set_id, round, offender).encode()).0;
	Ok(VerifiedVoteEquivocation { offender, set_id, round, infraction_id })
}
