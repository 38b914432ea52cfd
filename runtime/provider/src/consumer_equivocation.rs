//! Consumer equivocation evidence for pallet-ccv-provider's `submit_consumer_equivocation`: a
//! GRANDPA vote equivocation on a consumer, checked against the provider's GRANDPA light client
//! of that consumer (ICS `MsgSubmitConsumerDoubleVoting`).
//!
//! [`GrandpaEquivocations`] loads the client's state from the IBC host ([`ClientStates`]),
//! verifies the evidence with `ibc-client-grandpa` against the client's current set, or a past
//! set the host keeps (pallet-ibc's `GrandpaPastSets`), and maps the result to the pallet's
//! [`VerifiedEquivocation`].

use alloc::vec::Vec;
use ccv_primitives::{channel::IbcId, ConsensusKey};
use core::marker::PhantomData;
use frame_support::weights::Weight;
use ibc_client_grandpa::{
	equivocation::verify_vote_equivocation,
	types::{AuthoritySet, SetId},
	ClientState,
};
use ibc_core::primitives::proto::Any;
use pallet_ccv_provider::equivocation::{EquivocationVerifier, VerifiedEquivocation};
use prost::Message;

/// Reads the stored state of a light client of this chain's IBC host.
pub trait ClientStates {
	/// The state of client `client_id` as the host stores it (a protobuf-encoded `Any`), if the
	/// client exists.
	fn client_state(client_id: &IbcId) -> Option<Vec<u8>>;

	/// The past authority set `set_id` the host keeps for GRANDPA client `client_id`.
	fn past_authority_set(client_id: &IbcId, set_id: SetId) -> Option<AuthoritySet>;

	/// Weight of one [`ClientStates::past_authority_set`] read.
	fn past_authority_set_weight() -> Weight;
}

/// Verifies consumer equivocation evidence against the GRANDPA client state `Source` stores.
pub struct GrandpaEquivocations<Source>(PhantomData<Source>);

impl<Source: ClientStates> EquivocationVerifier for GrandpaEquivocations<Source> {
	fn verify(client_id: &IbcId, evidence: &[u8]) -> Option<VerifiedEquivocation> {
		verify_with_client_state(&Source::client_state(client_id)?, evidence, |set_id| {
			Source::past_authority_set(client_id, set_id)
		})
	}

	fn past_set_weight() -> Weight {
		Source::past_authority_set_weight()
	}
}

/// Verifies SCALE-encoded vote-equivocation `evidence` (an `sp_consensus_grandpa`
/// `EquivocationProof`) against a stored GRANDPA client state (a protobuf-encoded `Any`), or
/// for an older set id against the past set `past_set` finds. `None` when the state is not a
/// GRANDPA client state, or the evidence is malformed, signed wrongly, not an equivocation, by
/// a key outside the set it names, or of a set neither current nor kept.
pub fn verify_with_client_state(
	client_state: &[u8],
	evidence: &[u8],
	past_set: impl FnOnce(SetId) -> Option<AuthoritySet>,
) -> Option<VerifiedEquivocation> {
	let any = Any::decode(client_state).ok()?;
	let client = ClientState::try_from(any).ok()?;
	let verified = verify_vote_equivocation(&client, evidence, past_set).ok()?;
	Some(VerifiedEquivocation {
		offender: ConsensusKey(verified.offender),
		infraction_id: verified.infraction_id,
	})
}

/// A new GRANDPA key (generated in the keystore the benchmark CLI provides) and evidence of its
/// prevote equivocation in round 1 of set 0, for pallet-ccv-provider's
/// `submit_consumer_equivocation` benchmark; an error when there is no keystore to sign with.
#[cfg(feature = "runtime-benchmarks")]
pub fn benchmark_evidence(
) -> Result<(ConsensusKey, pallet_ccv_provider::equivocation::Evidence), &'static str> {
	use codec::Encode;
	use ibc_client_grandpa::{
		equivocation::VoteEquivocation,
		types::{AuthorityId, BlockNumber, Hash, RoundNumber, SetId},
	};
	use sp_runtime::RuntimeAppPublic;

	let offender = AuthorityId::generate_pair(None);
	let (set_id, round): (SetId, RoundNumber) = (0, 1);
	let signed_prevote = |target: u8| {
		let prevote = finality_grandpa::Prevote::<Hash, BlockNumber> {
			target_hash: Hash::repeat_byte(target),
			target_number: 1,
		};
		let message = finality_grandpa::Message::Prevote(prevote.clone());
		let payload = sp_consensus_grandpa::localized_payload(round, set_id, &message);
		offender
			.sign(&payload)
			.map(|signature| (prevote, signature))
			.ok_or("no keystore to sign the equivocation with")
	};
	let proof = VoteEquivocation::new(
		set_id,
		sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
			round_number: round,
			identity: offender.clone(),
			first: signed_prevote(1)?,
			second: signed_prevote(2)?,
		}),
	);
	let evidence = proof.encode().try_into().map_err(|_| "evidence too long")?;
	Ok((ConsensusKey(offender.into_inner().0), evidence))
}
