//! Client misbehaviour: two blocks at the same height, each finalized by a supermajority of a
//! set the client knows. Only this freezes the client; a single voter's equivocation is slashing
//! evidence ([`crate::equivocation`]), never a reason to freeze.

use crate::{
	client_state::ClientState,
	error::{Error, JustificationError},
	types::{AuthoritySet, BlockNumber, Justification, SetId, SubstrateHeader},
};
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// One side of a misbehaviour: a header and the justification finalizing it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct FinalityProof {
	/// Id of the authority set that signed the justification.
	pub set_id: SetId,
	/// The finalized header.
	pub header: SubstrateHeader,
	/// The justification; redundant votes (as nodes store them) are accepted here.
	pub justification: Justification,
}

/// Proof that the tracked chain finalized two different blocks at one height.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct Misbehaviour {
	/// One finalized block.
	pub first: FinalityProof,
	/// A different finalized block at the same height.
	pub second: FinalityProof,
}

impl Misbehaviour {
	/// The height both blocks claim.
	pub fn height(&self) -> BlockNumber {
		self.first.header.number
	}
}

/// Verifies `misbehaviour` against `client`'s current set, or the past sets `past_set` finds
/// for older set ids (the host's [`crate::past_sets::PastAuthoritySets`] for this client);
/// returns the height to freeze the client at.
pub fn verify_misbehaviour(
	client: &ClientState,
	misbehaviour: &Misbehaviour,
	past_set: impl Fn(SetId) -> Option<AuthoritySet>,
) -> Result<BlockNumber, Error> {
	client.ensure_not_frozen()?;
	let (first, second) = (&misbehaviour.first, &misbehaviour.second);
	if first.header.number != second.header.number || first.header.hash() == second.header.hash() {
		return Err(Error::NotConflicting);
	}
	verify_finality(client, first, &past_set)?;
	verify_finality(client, second, &past_set)?;
	Ok(misbehaviour.height())
}

/// Checks one finality proof against the client's set with its set id. Node justifications
/// carry every precommit the node saw, so this check tolerates redundant votes and ancestry.
fn verify_finality(
	client: &ClientState,
	proof: &FinalityProof,
	past_set: impl Fn(SetId) -> Option<AuthoritySet>,
) -> Result<(), Error> {
	let context = client.authority_set_by_id(proof.set_id, past_set)?.verification_context()?;
	let mut justification = proof.justification.clone();
	bp_header_chain::justification::verify_and_optimize_justification::<SubstrateHeader>(
		(proof.header.hash(), proof.header.number),
		&context,
		&mut justification,
	)
	.map_err(|e| Error::Justification(JustificationError::from(e)))
}
