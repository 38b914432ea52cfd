//! The seam the CCV pallets use: [`IbcChannel`] and [`ProviderClientFactory`] for [`Pallet`].
//! Each operation runs in its own storage transaction: on error nothing is written.

use crate::{
	context::IbcContext,
	pallet::{ChannelCounter, HostInitiatedClose},
	router::IbcRouter,
	Config, Pallet,
};
use alloc::{string::ToString, vec, vec::Vec};
use ccv_primitives::{
	channel::{ChannelError, IbcChannel, IbcId, ProviderClientFactory, Sequence},
	types::ValidatorUpdate,
};
use frame_support::storage::{with_transaction, TransactionOutcome};
use ibc_core::{
	channel::{
		handler::{send_packet_execute, send_packet_validate},
		types::{
			channel::Order,
			msgs::{ChannelMsg, MsgChannelCloseInit, MsgChannelOpenInit},
			packet::Packet,
			timeout::{TimeoutHeight, TimeoutTimestamp},
			Version,
		},
	},
	client::types::msgs::{ClientMsg, MsgCreateClient},
	entrypoint::dispatch,
	handler::types::msgs::MsgEnvelope,
	host::types::{
		identifiers::{ChannelId, ClientId, ConnectionId, PortId},
		path::{ChannelEndPath, SeqSendPath},
	},
	host::ValidationContext,
	primitives::{proto::Any, Signer, Timestamp},
};
use prost::Message;
use sp_runtime::DispatchError;

/// The signer recorded on messages the pallet builds itself.
const HOST_SIGNER: &str = "pallet-ibc";

/// Runs `f` in a storage transaction, committed only on success.
fn atomically<R>(f: impl FnOnce() -> Result<R, ChannelError>) -> Result<R, ChannelError> {
	let res = with_transaction(|| match f() {
		Ok(r) => TransactionOutcome::Commit(Ok(Ok(r))),
		Err(e) => TransactionOutcome::Rollback(Ok::<_, DispatchError>(Err(e))),
	});
	res.unwrap_or(Err(ChannelError::Host))
}

fn utf8(bytes: &[u8]) -> Result<&str, ChannelError> {
	core::str::from_utf8(bytes).map_err(|_| ChannelError::Host)
}

fn port_id(bytes: &[u8]) -> Result<PortId, ChannelError> {
	utf8(bytes)?.parse().map_err(|_| ChannelError::Host)
}

fn channel_id(id: &IbcId) -> Result<ChannelId, ChannelError> {
	utf8(id)?.parse().map_err(|_| ChannelError::ChannelNotOpen)
}

impl<T: Config> Pallet<T> {
	/// Dispatches a message the host builds itself (not relayed) through ibc-rs.
	fn dispatch_own(msg: MsgEnvelope) -> Result<(), ChannelError> {
		let mut ctx = IbcContext::<T>::new();
		let mut router = IbcRouter::new::<T::Apps>();
		dispatch(&mut ctx, &mut router, msg).map_err(|e| {
			log::debug!(target: crate::LOG_TARGET, "host IBC message failed: {e}");
			ChannelError::Host
		})
	}
}

impl<T: Config> IbcChannel for Pallet<T> {
	fn send_packet(
		port: &[u8],
		channel: &IbcId,
		data: Vec<u8>,
		timeout_timestamp_ms: u64,
	) -> Result<Sequence, ChannelError> {
		atomically(|| {
			let port_id = port_id(port)?;
			let chan_id = channel_id(channel)?;
			let mut ctx = IbcContext::<T>::new();
			let end = ctx
				.channel_end(&ChannelEndPath::new(&port_id, &chan_id))
				.map_err(|_| ChannelError::ChannelNotOpen)?;
			if !end.is_open() {
				return Err(ChannelError::ChannelNotOpen);
			}
			let chan_id_on_b =
				end.counterparty().channel_id().cloned().ok_or(ChannelError::ChannelNotOpen)?;
			let seq = ctx
				.get_next_sequence_send(&SeqSendPath::new(&port_id, &chan_id))
				.map_err(|_| ChannelError::ChannelNotOpen)?;
			let timeout_ns =
				timeout_timestamp_ms.checked_mul(1_000_000).ok_or(ChannelError::Host)?;
			let packet = Packet {
				seq_on_a: seq,
				port_id_on_a: port_id.clone(),
				chan_id_on_a: chan_id.clone(),
				port_id_on_b: end.counterparty().port_id().clone(),
				chan_id_on_b,
				data,
				timeout_height_on_b: TimeoutHeight::Never,
				timeout_timestamp_on_b: TimeoutTimestamp::At(Timestamp::from_nanoseconds(
					timeout_ns,
				)),
			};
			send_packet_validate(&ctx, &packet).map_err(|e| {
				log::debug!(target: crate::LOG_TARGET, "send_packet refused: {e}");
				ChannelError::Host
			})?;
			// Also records the packet for relayers (`SentPackets`, via the `SendPacket` event).
			send_packet_execute(&mut ctx, packet).map_err(|_| ChannelError::Host)?;
			Ok(seq.value())
		})
	}

	/// Not available until the GRANDPA light client exists (the only client type a consumer
	/// can be); always fails with [`ChannelError::InvalidClientState`].
	fn create_consumer_client(
		_chain_id: &[u8],
		_initial_set: &[ValidatorUpdate],
		_trusting_period_ms: u64,
	) -> Result<IbcId, ChannelError> {
		Err(ChannelError::InvalidClientState)
	}

	/// Not available until the GRANDPA light client exists.
	fn host_client_state() -> Result<(Vec<u8>, Vec<u8>), ChannelError> {
		Err(ChannelError::HostStateUnavailable)
	}

	fn open_transfer_channel(connection: &IbcId) -> Result<IbcId, ChannelError> {
		atomically(|| {
			let conn: ConnectionId = utf8(connection)?.parse().map_err(|_| ChannelError::Host)?;
			let id = ChannelId::new(ChannelCounter::<T>::get());
			let msg = MsgChannelOpenInit {
				port_id_on_a: PortId::transfer(),
				connection_hops_on_a: vec![conn],
				port_id_on_b: PortId::transfer(),
				ordering: Order::Unordered,
				signer: Signer::from(HOST_SIGNER.to_string()),
				version_proposal: Version::new("ics20-1".to_string()),
			};
			Self::dispatch_own(MsgEnvelope::Channel(ChannelMsg::OpenInit(msg)))?;
			IbcId::try_from(id.as_str().as_bytes().to_vec()).map_err(|_| ChannelError::Host)
		})
	}

	fn close_channel(port: &[u8], channel: &IbcId) -> Result<(), ChannelError> {
		atomically(|| {
			let msg = MsgChannelCloseInit {
				port_id_on_a: port_id(port)?,
				chan_id_on_a: channel_id(channel)?,
				signer: Signer::from(HOST_SIGNER.to_string()),
			};
			HostInitiatedClose::<T>::put(true);
			let res = Self::dispatch_own(MsgEnvelope::Channel(ChannelMsg::CloseInit(msg)));
			HostInitiatedClose::<T>::kill();
			res
		})
	}
}

impl<T: Config> ProviderClientFactory for Pallet<T> {
	fn create_provider_client(
		client_state: &[u8],
		consensus_state: &[u8],
	) -> Result<IbcId, ChannelError> {
		atomically(|| {
			let client_state =
				Any::decode(client_state).map_err(|_| ChannelError::InvalidClientState)?;
			let consensus_state =
				Any::decode(consensus_state).map_err(|_| ChannelError::InvalidClientState)?;
			let before = IbcContext::<T>::new().client_counter().map_err(|_| ChannelError::Host)?;
			let client_type = T::ClientState::try_from(client_state.clone())
				.map_err(|_| ChannelError::InvalidClientState)?;
			let id = ClientId::new(
				ibc_core::client::context::client_state::ClientStateCommon::client_type(
					&client_type,
				)
				.as_str(),
				before,
			)
			.map_err(|_| ChannelError::InvalidClientState)?;
			let msg = MsgCreateClient {
				client_state,
				consensus_state,
				signer: Signer::from(HOST_SIGNER.to_string()),
			};
			Self::dispatch_own(MsgEnvelope::Client(ClientMsg::CreateClient(msg)))?;
			IbcId::try_from(id.as_str().as_bytes().to_vec()).map_err(|_| ChannelError::Host)
		})
	}
}
