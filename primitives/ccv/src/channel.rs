//! The seam between the CCV pallets and IBC.
//!
//! The CCV pallets never touch ibc-rs. They send through [`IbcChannel`], which pallet-ibc
//! implements (a fake implements it in unit tests), and pallet-ibc's router calls them back
//! through [`CcvIbcApp`] for handshakes, received packets, acknowledgements, timeouts and the
//! counterparty's close of a channel.

use crate::{types::ValidatorUpdate, wire::Acknowledgement};
use alloc::vec::Vec;
use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt;
use scale_info::TypeInfo;
use sp_weights::Weight;

/// Longest IBC identifier (ICS-24 allows 64 characters for channel and client ids).
pub const MAX_IBC_ID_LEN: u32 = 64;

/// An ICS-24 identifier such as `channel-0`, `connection-3` or `10-grandpa-1`, as ASCII bytes.
pub type IbcId = BoundedVec<u8, ConstU32<MAX_IBC_ID_LEN>>;

/// Sequence number of a packet on a channel.
pub type Sequence = u64;

/// A packet as the CCV pallets see it: where it travels and its opaque data.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct PacketRef {
	/// Port on this chain.
	pub port: IbcId,
	/// Channel on this chain.
	pub channel: IbcId,
	/// Sequence of the packet on that channel.
	pub sequence: Sequence,
}

/// Why an IBC operation failed: requested by a CCV pallet of the host, or refused by a CCV
/// pallet in a handshake callback.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ChannelError {
	/// A CCV app refused a handshake step or callback; the reason is for logs and errors.
	Refused(&'static str),
	/// The channel does not exist or is not open.
	ChannelNotOpen,
	/// The light client could not be created from the given state.
	InvalidClientState,
	/// The host cannot describe its own client state (e.g. no finalized header yet).
	HostStateUnavailable,
	/// Any other failure inside the IBC host.
	Host,
}

impl fmt::Display for ChannelError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(match self {
			Self::Refused(reason) => reason,
			Self::ChannelNotOpen => "channel is not open",
			Self::InvalidClientState => "invalid client state",
			Self::HostStateUnavailable => "host client state unavailable",
			Self::Host => "IBC host error",
		})
	}
}

/// What a CCV pallet asks of the IBC host (implemented by pallet-ibc).
pub trait IbcChannel {
	/// Sends `data` on our end (`port`, `channel`), timing out at `timeout_timestamp_ms` (unix
	/// milliseconds of the counterparty's clock); returns the packet's sequence.
	fn send_packet(
		port: &[u8],
		channel: &IbcId,
		data: Vec<u8>,
		timeout_timestamp_ms: u64,
	) -> Result<Sequence, ChannelError>;

	/// Creates a light client of a new consumer chain from its first authority set (set id 0,
	/// before its genesis hash is known); returns the new client's id.
	fn create_consumer_client(
		chain_id: &[u8],
		initial_set: &[ValidatorUpdate],
		trusting_period_ms: u64,
	) -> Result<IbcId, ChannelError>;

	/// This chain's own light-client state and consensus state, encoded as `Any`, for a
	/// counterparty to create a client of us (embedded in a consumer genesis).
	fn host_client_state() -> Result<(Vec<u8>, Vec<u8>), ChannelError>;

	/// Starts the ICS-20 transfer channel handshake (`chan_open_init`, UNORDERED, `ics20-1`) on
	/// `connection`; returns the new channel's id.
	fn open_transfer_channel(connection: &IbcId) -> Result<IbcId, ChannelError>;

	/// Closes our end of `channel` (used when a consumer is removed or CCV stops).
	fn close_channel(port: &[u8], channel: &IbcId) -> Result<(), ChannelError>;
}

/// Creates a consumer's light client of its provider from the states in its consumer genesis
/// (implemented by pallet-ibc; called once, at the consumer's genesis).
pub trait ProviderClientFactory {
	/// Creates the client from an encoded client state and consensus state (`Any`s); returns
	/// its id.
	fn create_provider_client(
		client_state: &[u8],
		consensus_state: &[u8],
	) -> Result<IbcId, ChannelError>;
}

/// Sends a consumer's rewards to its provider over ICS-20 (implemented by pallet-ibc's transfer
/// app).
pub trait RewardTransfer<AccountId, Balance> {
	/// Transfers `amount` of the native token from `from` on `channel` (port `transfer`) to
	/// `receiver` on the provider, with `memo`, timing out at `timeout_timestamp_ms`.
	fn send_rewards(
		channel: &IbcId,
		from: &AccountId,
		amount: Balance,
		receiver: &[u8],
		memo: &[u8],
		timeout_timestamp_ms: u64,
	) -> Result<(), ChannelError>;
}

/// The channel handshake as a CCV app sees it: the channel's ordering and its single hop.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ChannelOpen {
	/// Our port.
	pub port: IbcId,
	/// Our channel id.
	pub channel: IbcId,
	/// The counterparty's port.
	pub counterparty_port: IbcId,
	/// Whether the channel is ORDERED (CCV requires it).
	pub ordered: bool,
	/// The connection hops (CCV requires exactly one).
	pub connection_hops: Vec<IbcId>,
	/// The client under that connection (resolved by the host).
	pub client_id: IbcId,
	/// Version proposed (init) or offered by the counterparty (try / ack).
	pub version: Vec<u8>,
}

/// Callbacks pallet-ibc's router makes into a CCV pallet bound to a port. Every callback that
/// returns an error makes the IBC message fail (state untouched), except `on_recv_packet`,
/// whose errors become error acknowledgements.
pub trait CcvIbcApp {
	/// `chan_open_init` on our side; returns the version to propose.
	fn on_chan_open_init(open: &ChannelOpen) -> Result<Vec<u8>, ChannelError>;
	/// `chan_open_try` on our side; returns our version (the provider: `HandshakeMetadata`).
	fn on_chan_open_try(open: &ChannelOpen) -> Result<Vec<u8>, ChannelError>;
	/// `chan_open_ack`: the counterparty's version is in `open.version`.
	fn on_chan_open_ack(open: &ChannelOpen) -> Result<(), ChannelError>;
	/// `chan_open_confirm`.
	fn on_chan_open_confirm(port: &IbcId, channel: &IbcId) -> Result<(), ChannelError>;
	/// `chan_close_confirm`: the counterparty closed its end of our `channel` and a relayer
	/// proved it; the host closes our end right after this returns `Ok` (the channel is still
	/// OPEN during the call, so the app must not close it itself). An error fails the message
	/// and leaves our end open.
	fn on_chan_close_confirm(port: &IbcId, channel: &IbcId) -> Result<(), ChannelError>;
	/// A packet arrived; the returned acknowledgement is written (never fails the message).
	fn on_recv_packet(packet: &PacketRef, data: &[u8]) -> Acknowledgement;
	/// Our packet was acknowledged.
	fn on_acknowledgement(
		packet: &PacketRef,
		data: &[u8],
		ack: &Acknowledgement,
	) -> Result<(), ChannelError>;
	/// Our packet timed out (`MsgTimeout`, or `MsgTimeoutOnClose` after the counterparty closed
	/// its end). On an ORDERED channel the host closes our end right after this returns `Ok`
	/// and no `on_chan_close_confirm` follows: the app must treat the timeout as the close (the
	/// channel is still OPEN during the call).
	fn on_timeout(packet: &PacketRef, data: &[u8]) -> Result<(), ChannelError>;

	/// Worst-case weight of [`Self::on_recv_packet`] for packet data of `data_len` bytes, from
	/// the app's benchmarks. The host charges it on top of its own weight of the message.
	fn on_recv_packet_weight(data_len: u32) -> Weight;
	/// Worst-case weight of [`Self::on_acknowledgement`] (result or error acknowledgement).
	fn on_acknowledgement_weight() -> Weight;
	/// Worst-case weight of [`Self::on_timeout`].
	fn on_timeout_weight() -> Weight;
	/// Worst-case weight of any handshake or close callback (`on_chan_open_*`,
	/// `on_chan_close_confirm`): the host charges it for every channel message it routes.
	fn on_channel_step_weight() -> Weight;
}
