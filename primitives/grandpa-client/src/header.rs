//! Client updates: a finality proof (target header, GRANDPA justification, ancestry) checked
//! against the client's current authority set, and the authority-set changes it enacts.
//!
//! An update is accepted when:
//! - the client is neither frozen nor expired, and the target is above its latest height;
//! - the ancestry holds every header strictly between the latest block and the target, each
//!   extending the one before, the first extending the latest block (unless its hash is unknown,
//!   for a client started at genesis) and the target extending the last;
//! - no ancestry header signals an authority-set change (a header that enacts one must itself be
//!   an update's target), and no header signals a forced change or a delayed change;
//! - the justification finalizes the target with a supermajority of the current set's weight
//!   (bp-header-chain's strict verification: relayers optimize node justifications first);
//! - the target carries pallet-ibc's `ibc0` digest, whose timestamp does not go backwards.
//!
//! A target that schedules a change (delay 0) enacts it: the next set, with the next set id,
//! finalizes the blocks after it.

use crate::{
	client_state::ClientState,
	consensus_state::ConsensusState,
	error::{Error, JustificationError},
	types::{AuthoritySet, BlockNumber, Justification, SubstrateHeader, MAX_ANCESTRY_HEADERS},
};
use alloc::vec::Vec;
use bp_header_chain::GrandpaConsensusLogReader;
use codec::{Decode, Encode};
use scale_info::TypeInfo;
use sp_consensus_grandpa::ScheduledChange;

/// A client update: a GRANDPA finality proof of `target` plus the headers linking it to the
/// client's latest block.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct GrandpaHeader {
	/// The newly finalized header.
	pub target: SubstrateHeader,
	/// A justification finalizing `target`, signed by the client's current authority set.
	pub justification: Justification,
	/// Every header after the client's latest block and before `target`, oldest first.
	pub ancestry: Vec<SubstrateHeader>,
}

/// The result of an accepted update.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct VerifiedUpdate {
	/// The client state after the update (new latest block, possibly a new authority set).
	pub client_state: ClientState,
	/// The consensus state at the target's height.
	pub consensus_state: ConsensusState,
	/// The set the update replaced, if it enacted a change: the host keeps it
	/// ([`crate::past_sets`]).
	pub replaced_set: Option<AuthoritySet>,
}

/// Verifies `header` as an update of `client`, whose latest consensus state is `latest`, at host
/// time `now_ns`; returns the updated states.
pub fn verify_update(
	client: &ClientState,
	latest: &ConsensusState,
	header: &GrandpaHeader,
	now_ns: u64,
) -> Result<VerifiedUpdate, Error> {
	client.ensure_not_frozen()?;
	if latest.is_expired(client.trusting_period_ns, now_ns) {
		return Err(Error::Expired);
	}
	let target = &header.target;
	if target.number <= client.latest_height {
		return Err(Error::NotNewer { latest: client.latest_height, target: target.number });
	}
	check_ancestry(client, header)?;
	for ancestor in &header.ancestry {
		if scheduled_change(ancestor)?.is_some() {
			return Err(Error::SkippedAuthoritySetChange { number: ancestor.number });
		}
	}
	let update = apply_update(client, header)?;
	verify_justification(&client.authority_set, target, &header.justification)?;
	if update.consensus_state.timestamp_ns < latest.timestamp_ns {
		return Err(Error::NonMonotonicTimestamp);
	}
	Ok(update)
}

/// The states after an update whose `header` [`verify_update`] accepted: the target becomes
/// the latest block, its `ibc0` digest the new consensus state, and a change it schedules is
/// enacted. Performs no signature or ancestry check.
pub fn apply_update(client: &ClientState, header: &GrandpaHeader) -> Result<VerifiedUpdate, Error> {
	let target = &header.target;
	let next_set = match scheduled_change(target)? {
		Some(change) => Some(next_authority_set(client, target.number, change)?),
		None => None,
	};
	let consensus_state = ConsensusState::from_header(target)?;
	let mut client_state = client.clone();
	client_state.latest_height = target.number;
	client_state.latest_hash = Some(target.hash());
	let replaced_set = next_set.map(|next| client_state.enact_authority_set(next));
	Ok(VerifiedUpdate { client_state, consensus_state, replaced_set })
}

/// Checks that `justification` finalizes `target` with a supermajority of `set`'s weight
/// (strict: no redundant votes or ancestry).
pub fn verify_justification(
	set: &AuthoritySet,
	target: &SubstrateHeader,
	justification: &Justification,
) -> Result<(), Error> {
	let context = set.verification_context()?;
	bp_header_chain::justification::verify_justification::<SubstrateHeader>(
		(target.hash(), target.number),
		&context,
		justification,
	)
	.map_err(|e| Error::Justification(JustificationError::from(e)))
}

/// Checks that the ancestry plus the target form one chain from the client's latest block.
fn check_ancestry(client: &ClientState, header: &GrandpaHeader) -> Result<(), Error> {
	let expected = u64::from(header.target.number)
		.saturating_sub(u64::from(client.latest_height))
		.saturating_sub(1);
	let given = header.ancestry.len() as u64;
	if given > u64::from(MAX_ANCESTRY_HEADERS) {
		return Err(Error::AncestryTooLong);
	}
	if given != expected {
		return Err(Error::IncompleteAncestry { expected, given });
	}
	let mut parent_number: BlockNumber = client.latest_height;
	let mut parent_hash = client.latest_hash;
	for header in header.ancestry.iter().chain(core::iter::once(&header.target)) {
		let extends = Some(header.number) == parent_number.checked_add(1)
			&& parent_hash.is_none_or(|hash| hash == header.parent_hash);
		if !extends {
			return Err(Error::BrokenAncestry { number: header.number });
		}
		parent_number = header.number;
		parent_hash = Some(header.hash());
	}
	Ok(())
}

/// The regular authority-set change `header` signals, if any; fails on a forced change.
fn scheduled_change(
	header: &SubstrateHeader,
) -> Result<Option<ScheduledChange<BlockNumber>>, Error> {
	type Reader = GrandpaConsensusLogReader<BlockNumber>;
	if Reader::find_forced_change(&header.digest).is_some() {
		return Err(Error::ForcedAuthoritySetChange { number: header.number });
	}
	Ok(Reader::find_scheduled_change(&header.digest))
}

/// The set a change signalled at `number` enacts after the client's current one; fails on a
/// delayed change and on an invalid next set.
fn next_authority_set(
	client: &ClientState,
	number: BlockNumber,
	change: ScheduledChange<BlockNumber>,
) -> Result<AuthoritySet, Error> {
	if change.delay != 0 {
		return Err(Error::DelayedAuthoritySetChange { number });
	}
	let set_id = client.authority_set.set_id.checked_add(1).ok_or(Error::InvalidAuthoritySet)?;
	AuthoritySet::new(set_id, change.next_authorities)
}
