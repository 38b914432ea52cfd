//! The provider's IBC host for pallet-ccv-provider: pallet-ibc, with the two GRANDPA-specific
//! operations of [`IbcChannel`] filled in here.
//!
//! pallet-ibc implements [`IbcChannel`] for the CCV pallets, but its `create_consumer_client`
//! and `host_client_state` do not build GRANDPA states yet (they always fail). [`ProviderIbc`]
//! forwards packets, transfer-channel opening and channel closing to pallet-ibc and does those
//! two itself:
//!
//! - **client of a consumer** ([`consumer_client_states`]): a GRANDPA client started from the
//!   consumer's initial validator set (set id 0, height 0, no genesis hash, all-zero root: the
//!   consumer's genesis embeds the provider's client state, so its hash is not known yet),
//!   created through pallet-ibc's `MsgCreateClient` path ([`ProviderClientFactory`]), so it is
//!   a `10-grandpa-N` client like any relayed one;
//! - **this chain's client state** for the consumer genesis ([`provider_client_states`]): the
//!   parent block (number, hash, and the `(timestamp, ibc_root)` pallet-ibc recorded for it),
//!   GRANDPA's current authorities and set id, this runtime's chain id; at block 1 (no parent
//!   record) a genesis-style state.
//!
//! [`ProviderIbc`] is also the client-state source of the consumer equivocation verifier
//! ([`ClientStates`]): it reads the state pallet-ibc stores for the consumer's client.

use crate::{
	configs::{TrustingPeriodFraction, PROVIDER_UNBONDING_MS},
	consumer_equivocation::ClientStates,
	ChainIdentity, Grandpa, Ibc, Runtime, System,
};
use alloc::vec::Vec;
use ccv_primitives::{
	channel::{ChannelError, IbcChannel, IbcId, ProviderClientFactory, Sequence},
	ValidatorUpdate,
};
use frame_support::traits::UnixTime;
use ibc_client_grandpa::{
	types::{AuthorityId, AuthoritySet, ChainId, SetId, MAX_SET_HISTORY},
	ClientState, ConsensusState, IbcConsensusState,
};
use ibc_core::{
	host::types::{identifiers::ClientId, path::ClientStatePath},
	primitives::proto::Any,
};
use prost::Message;

/// How many past GRANDPA sets the clients this host creates keep (their equivocation-evidence
/// window, in set changes): the most the client allows.
pub const CLIENT_SET_HISTORY: u32 = MAX_SET_HISTORY;

/// The provider's IBC host: pallet-ibc plus GRANDPA client construction (see the module
/// documentation).
pub struct ProviderIbc;

/// Nanoseconds of `ms` milliseconds (saturating).
fn ms_to_ns(ms: u64) -> u64 {
	ms.saturating_mul(1_000_000)
}

/// Now, in unix nanoseconds (pallet-timestamp).
fn now_ns() -> u64 {
	u64::try_from(<pallet_timestamp::Pallet<Runtime> as UnixTime>::now().as_nanos())
		.unwrap_or(u64::MAX)
}

/// The protobuf `Any` bytes of a GRANDPA client state and consensus state.
fn encode_states(client: ClientState, consensus: ConsensusState) -> (Vec<u8>, Vec<u8>) {
	(
		Any::from(client).encode_to_vec(),
		Any::from(IbcConsensusState::from(consensus)).encode_to_vec(),
	)
}

/// The GRANDPA authority set of a consumer's initial validators: consensus key as GRANDPA key,
/// power as weight, set id 0.
pub fn initial_authority_set(
	initial_set: &[ValidatorUpdate],
) -> Result<AuthoritySet, ChannelError> {
	AuthoritySet::new(
		0,
		initial_set
			.iter()
			.map(|v| (AuthorityId::from(sp_core::ed25519::Public::from_raw(v.key.0)), v.power)),
	)
	.map_err(|_| ChannelError::InvalidClientState)
}

/// The client and consensus state (protobuf `Any` bytes) of a GRANDPA client of consumer
/// `chain_id` started from its initial validators, trusted for `trusting_period_ms` from
/// `now_ns`.
pub fn consumer_client_states(
	chain_id: &[u8],
	initial_set: &[ValidatorUpdate],
	trusting_period_ms: u64,
	now_ns: u64,
) -> Result<(Vec<u8>, Vec<u8>), ChannelError> {
	let client = ClientState::from_genesis_authorities(
		chain_id,
		initial_authority_set(initial_set)?,
		ms_to_ns(trusting_period_ms),
		CLIENT_SET_HISTORY,
	)
	.map_err(|_| ChannelError::InvalidClientState)?;
	Ok(encode_states(client, ConsensusState { timestamp_ns: now_ns, ibc_root: [0; 32] }))
}

/// How long a consumer trusts its client of this provider: `TrustingPeriodFraction` of the
/// provider's unbonding period, in nanoseconds.
pub fn provider_trusting_period_ns() -> u64 {
	ms_to_ns(TrustingPeriodFraction::get().mul_floor(PROVIDER_UNBONDING_MS))
}

/// The client and consensus state (protobuf `Any` bytes) of a GRANDPA client of this chain as
/// it is now, for a consumer genesis: latest block = the parent block (its hash and recorded
/// IBC root), authorities = GRANDPA's current set. At block 1 the parent is genesis, which
/// pallet-ibc kept no record of: then a genesis-style state (height 0, no hash, zero root,
/// the current time).
pub fn provider_client_states() -> Result<(Vec<u8>, Vec<u8>), ChannelError> {
	let set_id = pallet_grandpa::CurrentSetId::<Runtime>::get();
	let authority_set = AuthoritySet::new(set_id, Grandpa::grandpa_authorities())
		.map_err(|_| ChannelError::HostStateUnavailable)?;
	let chain_id = ChainIdentity::chain_id();
	let trusting_period_ns = provider_trusting_period_ns();
	let parent = System::block_number().saturating_sub(1);
	let record = if parent == 0 { None } else { Ibc::host_record(u64::from(parent)) };
	let (client, consensus) = match record {
		Some(record) => (
			ClientState {
				chain_id: ChainId::try_from(chain_id)
					.map_err(|_| ChannelError::HostStateUnavailable)?,
				latest_height: parent,
				latest_hash: Some(System::parent_hash()),
				authority_set,
				max_set_history: CLIENT_SET_HISTORY,
				trusting_period_ns,
				frozen_height: None,
			},
			ConsensusState { timestamp_ns: record.timestamp_ns, ibc_root: record.ibc_root },
		),
		None => (
			ClientState::from_genesis_authorities(
				&chain_id,
				authority_set,
				trusting_period_ns,
				CLIENT_SET_HISTORY,
			)
			.map_err(|_| ChannelError::HostStateUnavailable)?,
			ConsensusState { timestamp_ns: now_ns(), ibc_root: [0; 32] },
		),
	};
	client.validate().map_err(|_| ChannelError::HostStateUnavailable)?;
	Ok(encode_states(client, consensus))
}

impl IbcChannel for ProviderIbc {
	fn send_packet(
		port: &[u8],
		channel: &IbcId,
		data: Vec<u8>,
		timeout_timestamp_ms: u64,
	) -> Result<Sequence, ChannelError> {
		<Ibc as IbcChannel>::send_packet(port, channel, data, timeout_timestamp_ms)
	}

	/// Creates a GRANDPA client of the consumer through pallet-ibc ([`consumer_client_states`]).
	fn create_consumer_client(
		chain_id: &[u8],
		initial_set: &[ValidatorUpdate],
		trusting_period_ms: u64,
	) -> Result<IbcId, ChannelError> {
		let (client_state, consensus_state) =
			consumer_client_states(chain_id, initial_set, trusting_period_ms, now_ns())?;
		<Ibc as ProviderClientFactory>::create_provider_client(&client_state, &consensus_state)
	}

	/// This chain's GRANDPA client state ([`provider_client_states`]).
	fn host_client_state() -> Result<(Vec<u8>, Vec<u8>), ChannelError> {
		provider_client_states()
	}

	fn open_transfer_channel(connection: &IbcId) -> Result<IbcId, ChannelError> {
		<Ibc as IbcChannel>::open_transfer_channel(connection)
	}

	fn close_channel(port: &[u8], channel: &IbcId) -> Result<(), ChannelError> {
		<Ibc as IbcChannel>::close_channel(port, channel)
	}
}

impl ClientStates for ProviderIbc {
	/// The state pallet-ibc stores at `clients/{client_id}/clientState` (protobuf `Any`).
	fn client_state(client_id: &IbcId) -> Option<Vec<u8>> {
		let id: ClientId = core::str::from_utf8(client_id).ok()?.parse().ok()?;
		Ibc::ibc_state(&pallet_ibc::store::key(&ClientStatePath::new(id)))
	}

	/// pallet-ibc's `GrandpaPastSets`.
	fn past_authority_set(client_id: &IbcId, set_id: SetId) -> Option<AuthoritySet> {
		pallet_ibc::GrandpaPastSets::<Runtime>::get(client_id, set_id)
	}

	fn past_authority_set_weight() -> frame_support::weights::Weight {
		<Runtime as frame_system::Config>::DbWeight::get().reads(1)
	}
}
