//! Benchmark setup shared by both runtimes (feature `runtime-benchmarks`): an open channel in
//! pallet-ibc's state without a relayed handshake.
//!
//! The CCV pallets' benchmarks send packets (VSCs, slash and VSC-matured packets, ICS-20
//! reward transfers), which pallet-ibc only does on an open channel over an open connection
//! on an existing client. [`open_channel`] writes those ends with pallet-ibc's own ibc-rs
//! execution context, as the last step of a handshake would leave them: the measured send
//! then runs exactly the validation and bookkeeping a real send does.

use alloc::{string::ToString, vec};
use ccv_primitives::channel::IbcId;
use core::time::Duration;
use ibc_core::{
	channel::types::{
		channel::{ChannelEnd, Counterparty as ChannelCounterparty, Order, State as ChannelState},
		Version as ChannelVersion,
	},
	client::context::ClientValidationContext,
	connection::types::{
		version::Version as ConnectionVersion, ConnectionEnd,
		Counterparty as ConnectionCounterparty, State as ConnectionState,
	},
	host::{
		types::{
			identifiers::{ChannelId, ClientId, ConnectionId, PortId, Sequence},
			path::{ChannelEndPath, ConnectionPath, SeqAckPath, SeqRecvPath, SeqSendPath},
		},
		ExecutionContext, ValidationContext,
	},
};
use pallet_ibc::IbcContext;

/// Why [`open_channel`] could not open the channel.
pub type SetupError = &'static str;

/// Opens a channel on `port` (counterparty `counterparty_port`, channel-0 there) with `order`
/// and `version`, over a new open connection on the existing client `client_id`; the next
/// send, receive and ack sequences are 1. Returns the channel id.
pub fn open_channel<T: pallet_ibc::Config>(
	client_id: &[u8],
	port: &str,
	counterparty_port: &str,
	order: Order,
	version: &str,
) -> Result<IbcId, SetupError> {
	let mut ctx = IbcContext::<T>::new();
	let client_id: ClientId = core::str::from_utf8(client_id)
		.map_err(|_| "client id is not UTF-8")?
		.parse()
		.map_err(|_| "invalid client id")?;
	ctx.client_state(&client_id).map_err(|_| "unknown client")?;
	let counterparty_client = ClientId::new("10-grandpa", 0).map_err(|_| "client id")?;
	let prefix = ctx.commitment_prefix();

	let connection_id = ConnectionId::new(ctx.connection_counter().map_err(|_| "counter")?);
	let connection = ConnectionEnd::new(
		ConnectionState::Open,
		client_id,
		ConnectionCounterparty::new(counterparty_client, Some(ConnectionId::new(0)), prefix),
		ConnectionVersion::compatibles(),
		Duration::ZERO,
	)
	.map_err(|_| "invalid connection end")?;
	ctx.store_connection(&ConnectionPath::new(&connection_id), connection)
		.map_err(|_| "cannot store the connection")?;
	ctx.increase_connection_counter().map_err(|_| "counter")?;

	let port_id = PortId::new(port.to_string()).map_err(|_| "invalid port")?;
	let counterparty_port =
		PortId::new(counterparty_port.to_string()).map_err(|_| "invalid counterparty port")?;
	let channel_id = ChannelId::new(ctx.channel_counter().map_err(|_| "counter")?);
	let channel = ChannelEnd::new(
		ChannelState::Open,
		order,
		ChannelCounterparty::new(counterparty_port, Some(ChannelId::new(0))),
		vec![connection_id],
		ChannelVersion::new(version.to_string()),
	)
	.map_err(|_| "invalid channel end")?;
	ctx.store_channel(&ChannelEndPath::new(&port_id, &channel_id), channel)
		.map_err(|_| "cannot store the channel")?;
	let first = Sequence::from(1);
	ctx.store_next_sequence_send(&SeqSendPath::new(&port_id, &channel_id), first)
		.and_then(|()| {
			ctx.store_next_sequence_recv(&SeqRecvPath::new(&port_id, &channel_id), first)
		})
		.and_then(|()| ctx.store_next_sequence_ack(&SeqAckPath::new(&port_id, &channel_id), first))
		.map_err(|_| "cannot store the sequences")?;
	ctx.increase_channel_counter().map_err(|_| "counter")?;
	IbcId::try_from(channel_id.as_str().as_bytes().to_vec()).map_err(|_| "channel id too long")
}
