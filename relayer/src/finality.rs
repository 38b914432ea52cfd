//! GRANDPA client updates: from a client's latest block to a finalized target, the chain of
//! [`GrandpaHeader`]s the client accepts.
//!
//! The client takes no ancestry header that changes the authority set, and at most
//! [`MAX_ANCESTRY_HEADERS`] of them: every set-change header becomes a target of its own (its
//! justification is always stored by the node), and a longer gap steps through blocks whose
//! justification the node stored (every justification period). Each justification is checked
//! and minimized with bp-header-chain's `verify_and_optimize_justification` against the set the
//! client will hold at that point, so the client's strict verification accepts it.

use crate::chain::{BlockNumber, Chain, Header};
use anyhow::{anyhow, Context as _, Result};
use bp_header_chain::{
	justification::verify_and_optimize_justification, GrandpaConsensusLogReader,
};
use ibc_client_grandpa::{
	types::{AuthorityList, AuthoritySet, Justification, MAX_ANCESTRY_HEADERS},
	ClientState as GrandpaClientState, GrandpaHeader,
};
use sp_runtime::traits::Header as _;

/// Ancestry length from which the planner looks for a stored justification to step through
/// (the node stores one at the first finalized block past each justification period).
const STEP_AFTER: usize = (MAX_ANCESTRY_HEADERS / 2) as usize;

/// The updates taking `client` to the target of `justification` (empty if the client is there
/// already). Headers come from `src`.
pub async fn plan(
	src: &Chain,
	client: &GrandpaClientState,
	justification: Justification,
) -> Result<Vec<GrandpaHeader>> {
	let target_number = justification.commit.target_number;
	let mut set = client.authority_set.clone();
	let mut updates = Vec::new();
	let mut ancestry: Vec<Header> = Vec::new();
	let first = client.latest_height.saturating_add(1);
	for number in first..=target_number {
		let header = src.header_at(number).await?;
		if number == target_number {
			if header.hash() != justification.commit.target_hash {
				return Err(anyhow!(
					"{}: justification target {:?} is not canonical block #{number}",
					src.name,
					justification.commit.target_hash
				));
			}
			let j = optimized(&header, justification, &set)
				.with_context(|| format!("{}: justification of #{number}", src.name))?;
			updates.push(GrandpaHeader { target: header, justification: j, ancestry });
			break;
		}
		let change = set_change(&header, &set)?;
		let step = change.is_some()
			|| ancestry.len() + 1 >= MAX_ANCESTRY_HEADERS as usize
			|| ancestry.len() >= STEP_AFTER;
		let stored = if step { src.stored_justification(header.hash()).await? } else { None };
		match stored {
			Some(j) => {
				let j = optimized(&header, j, &set)
					.with_context(|| format!("{}: stored justification of #{number}", src.name))?;
				updates.push(GrandpaHeader {
					target: header,
					justification: j,
					ancestry: std::mem::take(&mut ancestry),
				});
				if let Some(next) = change {
					set = next;
				}
			}
			None if change.is_some() => {
				return Err(anyhow!(
					"{}: block #{number} changes the GRANDPA set but its node has no justification for it",
					src.name
				))
			}
			None if ancestry.len() + 1 >= MAX_ANCESTRY_HEADERS as usize => {
				return Err(anyhow!(
					"{}: {} blocks after #{} without a stored justification to step through",
					src.name,
					MAX_ANCESTRY_HEADERS,
					number.saturating_sub(MAX_ANCESTRY_HEADERS)
				))
			}
			None => ancestry.push(header),
		}
	}
	Ok(updates)
}

/// The set that finalizes the blocks after `header`, if `header` changes it.
fn set_change(header: &Header, current: &AuthoritySet) -> Result<Option<AuthoritySet>> {
	let digest = header.digest();
	if GrandpaConsensusLogReader::<BlockNumber>::find_forced_change(digest).is_some() {
		return Err(anyhow!("block #{} forces a GRANDPA set change", header.number));
	}
	let Some(change) = GrandpaConsensusLogReader::<BlockNumber>::find_scheduled_change(digest)
	else {
		return Ok(None);
	};
	let authorities = AuthorityList::try_from(change.next_authorities)
		.map_err(|_| anyhow!("block #{}: too many next authorities", header.number))?;
	Ok(Some(AuthoritySet { set_id: current.set_id.saturating_add(1), authorities }))
}

/// `justification` of `header`, verified against `set` and stripped of what the client's
/// strict verification refuses (extra precommits, redundant ancestry).
fn optimized(
	header: &Header,
	mut justification: Justification,
	set: &AuthoritySet,
) -> Result<Justification> {
	let context = set.verification_context().map_err(|e| anyhow!("authority set: {e:?}"))?;
	verify_and_optimize_justification::<Header>(
		(header.hash(), header.number),
		&context,
		&mut justification,
	)
	.map_err(|e| anyhow!("does not verify against set {}: {e:?}", set.set_id))?;
	Ok(justification)
}

/// The block `plan`'s last update moves the client to, or its current height.
pub fn planned_height(client: &GrandpaClientState, updates: &[GrandpaHeader]) -> BlockNumber {
	updates.last().map_or(client.latest_height, |u| u.target.number)
}
