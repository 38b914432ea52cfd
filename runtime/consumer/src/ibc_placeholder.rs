//! Stand-in for pallet-ibc, which does not exist yet.
//!
//! pallet-ccv-consumer talks to IBC through three seams: [`IbcChannel`] (send packets, open and
//! close channels), [`ProviderClientFactory`] (create the light client of the provider at
//! genesis) and [`RewardTransfer`] (ICS-20 reward transfers). Until pallet-ibc lands,
//! [`PendingIbc`] implements all three:
//!
//! - every [`IbcChannel`] operation and every reward transfer fails with a [`ChannelError`]:
//!   **no packet can flow, no channel can be opened, no reward can leave the chain**. The
//!   consumer pallet handles these failures as it would a closed channel (packets stay queued,
//!   rewards stay in the CCV module account);
//! - the provider client factory accepts the client and consensus state bytes of the consumer
//!   genesis *without* interpreting them and returns [`PLACEHOLDER_PROVIDER_CLIENT_ID`]: no
//!   client is created. It must succeed, or the consumer genesis (and so the chain) could not be
//!   built. The presets therefore carry placeholder bytes for those states (see
//!   [`crate::genesis_config_presets`]).
//!
//! Replace `PendingIbc` in [`crate::configs`] with pallet-ibc once it exists.

use crate::{AccountId, Balance};
use alloc::vec::Vec;
use ccv_primitives::{
	channel::{ChannelError, IbcChannel, IbcId, Sequence},
	ValidatorUpdate,
};
use pallet_ccv_consumer::{ProviderClientFactory, RewardTransfer};

/// Client id the placeholder reports for the provider client it does not create.
pub const PLACEHOLDER_PROVIDER_CLIENT_ID: &str = "pending-ibc-provider-client";

/// The IBC host of the consumer until pallet-ibc exists: refuses everything (see the module
/// documentation).
pub struct PendingIbc;

impl IbcChannel for PendingIbc {
	fn send_packet(
		_port: &[u8],
		_channel: &IbcId,
		_data: Vec<u8>,
		_timeout_timestamp_ms: u64,
	) -> Result<Sequence, ChannelError> {
		Err(ChannelError::ChannelNotOpen)
	}

	fn create_consumer_client(
		_chain_id: &[u8],
		_initial_set: &[ValidatorUpdate],
		_trusting_period_ms: u64,
	) -> Result<IbcId, ChannelError> {
		Err(ChannelError::Host)
	}

	fn host_client_state() -> Result<(Vec<u8>, Vec<u8>), ChannelError> {
		Err(ChannelError::HostStateUnavailable)
	}

	fn open_transfer_channel(_connection: &IbcId) -> Result<IbcId, ChannelError> {
		Err(ChannelError::Host)
	}

	fn close_channel(_port: &[u8], _channel: &IbcId) -> Result<(), ChannelError> {
		Err(ChannelError::ChannelNotOpen)
	}
}

impl ProviderClientFactory for PendingIbc {
	/// Accepts any (non-empty, already validated) states and returns
	/// [`PLACEHOLDER_PROVIDER_CLIENT_ID`] without creating a client.
	fn create_provider_client(
		_client_state: &[u8],
		_consensus_state: &[u8],
	) -> Result<IbcId, ChannelError> {
		IbcId::try_from(PLACEHOLDER_PROVIDER_CLIENT_ID.as_bytes().to_vec())
			.map_err(|_| ChannelError::Host)
	}
}

impl RewardTransfer<AccountId, Balance> for PendingIbc {
	fn send_rewards(
		_channel: &IbcId,
		_from: &AccountId,
		_amount: Balance,
		_receiver: &[u8],
		_memo: &[u8],
		_timeout_timestamp_ms: u64,
	) -> Result<(), ChannelError> {
		Err(ChannelError::ChannelNotOpen)
	}
}
