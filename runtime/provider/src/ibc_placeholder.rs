//! Stand-ins for pallet-ibc and the GRANDPA light client, which the provider runtime does not
//! include yet.
//!
//! pallet-ccv-provider reaches IBC through two seams: [`IbcChannel`] (send VSC packets, create
//! each consumer's light client at launch, describe this chain's own client for the consumer
//! genesis, open and close channels) and `EquivocationVerifier` (check consumer equivocation
//! evidence against that light client). Until pallet-ibc lands:
//!
//! - [`PendingIbc`] fails every [`IbcChannel`] operation with a [`ChannelError`]: **no packet
//!   can be sent, no client created, no channel opened or closed**. In particular a consumer
//!   can never launch: at its spawn time the pallet asks `host_client_state` for the provider
//!   client state of the consumer genesis, gets [`ChannelError::HostStateUnavailable`], rolls
//!   the launch back (nothing of it is stored), puts the consumer back to `Registered` with its
//!   spawn time cleared and emits `ConsumerLaunchFailed { reason: HostClientState }` (as ICS
//!   does when a launch fails). Were the host state available, `create_consumer_client` would
//!   fail next (`LaunchFailure::ClientCreation`), with the same handling. With no launched
//!   consumer there are no VSCs, slash packets or handshakes to handle.
//! - as the [`ClientStates`] source of the equivocation verifier
//!   ([`crate::consumer_equivocation::GrandpaEquivocations`]), [`PendingIbc`] stores no client
//!   state: all evidence is rejected (`submit_consumer_equivocation` fails with
//!   `InvalidEvidence`; there is no launched consumer to submit it for anyway).
//!
//! Replace `PendingIbc` in [`crate::configs`] with pallet-ibc once it exists.

use crate::consumer_equivocation::ClientStates;
use alloc::vec::Vec;
use ccv_primitives::{
	channel::{ChannelError, IbcChannel, IbcId, Sequence},
	ValidatorUpdate,
};

/// The IBC host of the provider until pallet-ibc exists: refuses everything (see the module
/// documentation).
pub struct PendingIbc;

impl IbcChannel for PendingIbc {
	/// No channel exists: every send fails (the pallet keeps the VSC queued).
	fn send_packet(
		_port: &[u8],
		_channel: &IbcId,
		_data: Vec<u8>,
		_timeout_timestamp_ms: u64,
	) -> Result<Sequence, ChannelError> {
		Err(ChannelError::ChannelNotOpen)
	}

	/// No light client can be created (the launch fails with `ClientCreation`).
	fn create_consumer_client(
		_chain_id: &[u8],
		_initial_set: &[ValidatorUpdate],
		_trusting_period_ms: u64,
	) -> Result<IbcId, ChannelError> {
		Err(ChannelError::Host)
	}

	/// This chain has no IBC client state to offer a consumer genesis (the launch fails with
	/// `HostClientState`).
	fn host_client_state() -> Result<(Vec<u8>, Vec<u8>), ChannelError> {
		Err(ChannelError::HostStateUnavailable)
	}

	/// No connection exists to open a transfer channel on.
	fn open_transfer_channel(_connection: &IbcId) -> Result<IbcId, ChannelError> {
		Err(ChannelError::Host)
	}

	/// No channel exists to close (the pallet ignores this result).
	fn close_channel(_port: &[u8], _channel: &IbcId) -> Result<(), ChannelError> {
		Err(ChannelError::ChannelNotOpen)
	}
}

impl ClientStates for PendingIbc {
	/// No client exists.
	fn client_state(_client_id: &IbcId) -> Option<Vec<u8>> {
		None
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn id(s: &str) -> IbcId {
		IbcId::try_from(s.as_bytes().to_vec()).expect("short id")
	}

	#[test]
	fn pending_ibc_refuses_every_channel_operation() {
		let channel = id("channel-0");
		assert_eq!(
			PendingIbc::send_packet(b"provider", &channel, b"{}".to_vec(), 1),
			Err(ChannelError::ChannelNotOpen)
		);
		assert_eq!(PendingIbc::create_consumer_client(b"c", &[], 1), Err(ChannelError::Host));
		assert_eq!(PendingIbc::host_client_state(), Err(ChannelError::HostStateUnavailable));
		assert_eq!(PendingIbc::open_transfer_channel(&id("connection-0")), Err(ChannelError::Host));
		assert_eq!(
			PendingIbc::close_channel(b"provider", &channel),
			Err(ChannelError::ChannelNotOpen)
		);
	}

	#[test]
	fn pending_ibc_stores_no_client_state() {
		assert_eq!(PendingIbc::client_state(&id("10-grandpa-0")), None);
	}
}
