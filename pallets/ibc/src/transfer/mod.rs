//! The ICS-20 fungible token transfer app (`ics20-1`, port `transfer`, UNORDERED channels), on
//! ibc-rs's `ibc-app-transfer` handlers.
//!
//! - [`TransferApp`] binds [`TransferModule`] to port `transfer` in [`crate::Config::Apps`].
//! - Sending: [`crate::Pallet::transfer`] (signed call) and [`RewardTransfer`] (the CCV consumer's
//!   reward transmission) both run ibc-rs's `send_transfer` (escrow or burn, then the packet).
//! - Receiving: a packet that cannot be credited (undecodable data, bad receiver, unknown or
//!   zero or overflowing amount, a FRAME refusal) gets an error acknowledgement and changes no
//!   state: the app's writes run in a storage transaction rolled back on an error ack.
//! - Acks and timeouts: an error ack or a timeout refunds the sender (unescrow, or re-mint of
//!   burnt vouchers); a refund that cannot happen fails the relayed message.
//!
//! Token handling is in [`context`], the denom trace <-> asset id map in [`denom`], account
//! strings in [`account`].

pub mod account;
pub mod context;
pub mod denom;

#[cfg(test)]
mod tests;

use crate::{
	context::IbcContext,
	pallet::{CounterpartyTransferChannel, Error, Event},
	router::IbcApps,
	types::{DenomTrace, IdBytes, MAX_RECEIVER_LEN},
	BalanceOf, Config, Pallet,
};
use account::AccountCodec;
use alloc::{boxed::Box, string::String, string::ToString, vec::Vec};
use ccv_primitives::channel::{ChannelError as CcvError, IbcId, RewardTransfer};
use context::TransferContext;
use core::{fmt, marker::PhantomData, str::FromStr};
use frame_support::{
	storage::{with_transaction, TransactionOutcome},
	traits::Get,
};
use ibc_app_transfer::{
	handler::send_transfer as ics20_send_transfer,
	module as ics20,
	types::{
		ack_success_b64, error::TokenTransferError, msgs::transfer::MsgTransfer,
		packet::PacketData, Amount, PrefixedCoin, PrefixedDenom, U256,
	},
};
use ibc_core::{
	channel::types::{
		acknowledgement::{Acknowledgement, AcknowledgementStatus},
		channel::{ChannelEnd, Counterparty, Order},
		error::ChannelError,
		packet::Packet,
		timeout::{TimeoutHeight, TimeoutTimestamp},
		Version,
	},
	client::types::Height,
	host::types::{
		identifiers::{ChannelId, ConnectionId, PortId, Sequence},
		path::{ChannelEndPath, SeqSendPath},
	},
	host::ValidationContext,
	primitives::{proto::Protobuf, Signer, Timestamp},
	router::{module::Module, types::module::ModuleExtras},
};
use sp_runtime::{ArithmeticError, DispatchError};

/// Binds the ICS-20 app to port `transfer` (put `TransferApp<Runtime>` in
/// [`crate::Config::Apps`]).
pub struct TransferApp<T>(PhantomData<T>);

impl<T: Config> IbcApps for TransferApp<T> {
	fn bind(routes: &mut Vec<(PortId, Box<dyn Module>)>) {
		routes.push((PortId::transfer(), Box::new(TransferModule::<T>(PhantomData))));
	}

	/// Nothing beyond the message weights: pallet-ibc's packet and channel benchmarks run this
	/// app's heaviest callbacks (voucher creation, refunds, channel bookkeeping).
	fn callback_weight(
		_kind: crate::deliver_weight::MessageKind,
		_len: u32,
	) -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

/// The ibc-rs `Module` of the ICS-20 app over [`TransferContext`].
pub struct TransferModule<T>(PhantomData<T>);

impl<T> fmt::Debug for TransferModule<T> {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("TransferModule")
	}
}

fn channel_error(e: TokenTransferError) -> ChannelError {
	match e {
		TokenTransferError::Channel(e) => e,
		other => ChannelError::AppSpecific { description: other.to_string() },
	}
}

/// Records `channel` as its connection's counterparty-opened transfer channel, unless the
/// connection already has one ([`crate::pallet::CounterpartyTransferChannel`]).
fn record_counterparty_channel<T: Config>(connection_hops: &[ConnectionId], channel: &ChannelId) {
	let (Some(connection), Ok(channel)) =
		(connection_hops.first(), IdBytes::try_from(channel.as_str().as_bytes().to_vec()))
	else {
		return;
	};
	let Ok(connection) = IdBytes::try_from(connection.as_str().as_bytes().to_vec()) else {
		return;
	};
	CounterpartyTransferChannel::<T>::mutate(connection, |recorded| {
		if recorded.is_none() {
			*recorded = Some(channel);
		}
	});
}

/// The connection of channel `port`/`channel` on this chain, if the channel exists.
pub fn channel_connection(port: &[u8], channel: &[u8]) -> Option<IdBytes> {
	let port = PortId::from_str(core::str::from_utf8(port).ok()?).ok()?;
	let channel = ChannelId::from_str(core::str::from_utf8(channel).ok()?).ok()?;
	let bytes = crate::store::get(&crate::store::key(&ChannelEndPath::new(&port, &channel)))?;
	let end = ChannelEnd::decode_vec(&bytes).ok()?;
	let connection = end.connection_hops().first()?;
	IdBytes::try_from(connection.as_str().as_bytes().to_vec()).ok()
}

/// The stored trace of `denom` (as the counterparty names it) once received here over the
/// transfer channel `transfer_channel`: `transfer/<transfer_channel>/<denom>`.
pub fn received_trace(transfer_channel: &IdBytes, denom: &[u8]) -> Option<DenomTrace> {
	let channel = core::str::from_utf8(transfer_channel).ok()?;
	let denom = core::str::from_utf8(denom).ok()?;
	let prefixed = PrefixedDenom::from_str(&alloc::format!("transfer/{channel}/{denom}")).ok()?;
	denom::denom_trace(&prefixed)
}

fn ics20_version() -> Version {
	Version::new(ibc_app_transfer::types::VERSION.to_string())
}

/// The bytes of ICS-20's success acknowledgement (`{"result":"AQ=="}`).
fn success_ack() -> Acknowledgement {
	AcknowledgementStatus::success(ack_success_b64()).into()
}

impl<T: Config> Module for TransferModule<T> {
	fn on_chan_open_init_validate(
		&self,
		order: Order,
		connection_hops: &[ConnectionId],
		port_id: &PortId,
		channel_id: &ChannelId,
		counterparty: &Counterparty,
		version: &Version,
	) -> Result<Version, ChannelError> {
		let ctx = TransferContext::<T>::new();
		ics20::on_chan_open_init_validate(
			&ctx,
			order,
			connection_hops,
			port_id,
			channel_id,
			counterparty,
			version,
		)
		.map_err(channel_error)?;
		Ok(ics20_version())
	}

	fn on_chan_open_init_execute(
		&mut self,
		order: Order,
		connection_hops: &[ConnectionId],
		port_id: &PortId,
		channel_id: &ChannelId,
		counterparty: &Counterparty,
		version: &Version,
	) -> Result<(ModuleExtras, Version), ChannelError> {
		let mut ctx = TransferContext::<T>::new();
		ics20::on_chan_open_init_execute(
			&mut ctx,
			order,
			connection_hops,
			port_id,
			channel_id,
			counterparty,
			version,
		)
		.map_err(channel_error)
	}

	fn on_chan_open_try_validate(
		&self,
		order: Order,
		connection_hops: &[ConnectionId],
		port_id: &PortId,
		channel_id: &ChannelId,
		counterparty: &Counterparty,
		counterparty_version: &Version,
	) -> Result<Version, ChannelError> {
		let ctx = TransferContext::<T>::new();
		ics20::on_chan_open_try_validate(
			&ctx,
			order,
			connection_hops,
			port_id,
			channel_id,
			counterparty,
			counterparty_version,
		)
		.map_err(channel_error)?;
		Ok(ics20_version())
	}

	fn on_chan_open_try_execute(
		&mut self,
		order: Order,
		connection_hops: &[ConnectionId],
		port_id: &PortId,
		channel_id: &ChannelId,
		counterparty: &Counterparty,
		counterparty_version: &Version,
	) -> Result<(ModuleExtras, Version), ChannelError> {
		let mut ctx = TransferContext::<T>::new();
		let opened = ics20::on_chan_open_try_execute(
			&mut ctx,
			order,
			connection_hops,
			port_id,
			channel_id,
			counterparty,
			counterparty_version,
		)
		.map_err(channel_error)?;
		record_counterparty_channel::<T>(connection_hops, channel_id);
		Ok(opened)
	}

	fn on_chan_open_ack_validate(
		&self,
		port_id: &PortId,
		channel_id: &ChannelId,
		counterparty_version: &Version,
	) -> Result<(), ChannelError> {
		let ctx = TransferContext::<T>::new();
		ics20::on_chan_open_ack_validate(&ctx, port_id, channel_id, counterparty_version)
			.map_err(channel_error)
	}

	fn on_chan_open_ack_execute(
		&mut self,
		port_id: &PortId,
		channel_id: &ChannelId,
		counterparty_version: &Version,
	) -> Result<ModuleExtras, ChannelError> {
		let mut ctx = TransferContext::<T>::new();
		ics20::on_chan_open_ack_execute(&mut ctx, port_id, channel_id, counterparty_version)
			.map_err(channel_error)
	}

	fn on_chan_open_confirm_validate(
		&self,
		port_id: &PortId,
		channel_id: &ChannelId,
	) -> Result<(), ChannelError> {
		let ctx = TransferContext::<T>::new();
		ics20::on_chan_open_confirm_validate(&ctx, port_id, channel_id).map_err(channel_error)
	}

	fn on_chan_open_confirm_execute(
		&mut self,
		port_id: &PortId,
		channel_id: &ChannelId,
	) -> Result<ModuleExtras, ChannelError> {
		let mut ctx = TransferContext::<T>::new();
		ics20::on_chan_open_confirm_execute(&mut ctx, port_id, channel_id).map_err(channel_error)
	}

	/// ICS-20 channels are never closed by a user (escrowed tokens would be stranded).
	fn on_chan_close_init_validate(
		&self,
		port_id: &PortId,
		channel_id: &ChannelId,
	) -> Result<(), ChannelError> {
		let ctx = TransferContext::<T>::new();
		ics20::on_chan_close_init_validate(&ctx, port_id, channel_id).map_err(channel_error)
	}

	fn on_chan_close_init_execute(
		&mut self,
		port_id: &PortId,
		channel_id: &ChannelId,
	) -> Result<ModuleExtras, ChannelError> {
		let mut ctx = TransferContext::<T>::new();
		ics20::on_chan_close_init_execute(&mut ctx, port_id, channel_id).map_err(channel_error)
	}

	fn on_chan_close_confirm_validate(
		&self,
		port_id: &PortId,
		channel_id: &ChannelId,
	) -> Result<(), ChannelError> {
		let ctx = TransferContext::<T>::new();
		ics20::on_chan_close_confirm_validate(&ctx, port_id, channel_id).map_err(channel_error)
	}

	fn on_chan_close_confirm_execute(
		&mut self,
		port_id: &PortId,
		channel_id: &ChannelId,
	) -> Result<ModuleExtras, ChannelError> {
		let mut ctx = TransferContext::<T>::new();
		ics20::on_chan_close_confirm_execute(&mut ctx, port_id, channel_id).map_err(channel_error)
	}

	/// Credits the packet in a storage transaction that is rolled back unless the app
	/// acknowledges success: an error ack leaves no trace but its events.
	fn on_recv_packet_execute(
		&mut self,
		packet: &Packet,
		_relayer: &Signer,
	) -> (ModuleExtras, Option<Acknowledgement>) {
		let outcome = with_transaction(|| {
			let mut ctx = TransferContext::<T>::new();
			let (extras, ack) = ics20::on_recv_packet_execute(&mut ctx, packet);
			if ack == success_ack() {
				TransactionOutcome::Commit(Ok::<_, DispatchError>((extras, ack)))
			} else {
				log::debug!(
					target: crate::LOG_TARGET,
					"ICS-20 packet {} on {} refused: {:?}",
					packet.seq_on_a,
					packet.chan_id_on_b,
					ctx.failure(),
				);
				TransactionOutcome::Rollback(Ok((extras, ack)))
			}
		});
		match outcome {
			Ok((extras, ack)) => (extras, Some(ack)),
			Err(_) => {
				let error = TokenTransferError::Host(
					ibc_core::host::types::error::HostError::invalid_state("transaction limit"),
				);
				(ModuleExtras::empty(), Some(AcknowledgementStatus::error(error.into()).into()))
			}
		}
	}

	fn on_acknowledgement_packet_validate(
		&self,
		packet: &Packet,
		acknowledgement: &Acknowledgement,
		relayer: &Signer,
	) -> Result<(), ChannelError> {
		let ctx = TransferContext::<T>::new();
		ics20::on_acknowledgement_packet_validate(&ctx, packet, acknowledgement, relayer)
			.map_err(channel_error)
	}

	fn on_acknowledgement_packet_execute(
		&mut self,
		packet: &Packet,
		acknowledgement: &Acknowledgement,
		relayer: &Signer,
	) -> (ModuleExtras, Result<(), ChannelError>) {
		let mut ctx = TransferContext::<T>::new();
		let (extras, res) =
			ics20::on_acknowledgement_packet_execute(&mut ctx, packet, acknowledgement, relayer);
		(extras, res.map_err(channel_error))
	}

	fn on_timeout_packet_validate(
		&self,
		packet: &Packet,
		relayer: &Signer,
	) -> Result<(), ChannelError> {
		let ctx = TransferContext::<T>::new();
		ics20::on_timeout_packet_validate(&ctx, packet, relayer).map_err(channel_error)
	}

	fn on_timeout_packet_execute(
		&mut self,
		packet: &Packet,
		relayer: &Signer,
	) -> (ModuleExtras, Result<(), ChannelError>) {
		let mut ctx = TransferContext::<T>::new();
		let (extras, res) = ics20::on_timeout_packet_execute(&mut ctx, packet, relayer);
		(extras, res.map_err(channel_error))
	}
}

/// A transfer request as the pallet checks it before handing it to ibc-rs.
pub struct TransferRequest<'a, AccountId, Balance> {
	/// Who sends (and is refunded).
	pub sender: &'a AccountId,
	/// Our channel on port `transfer`.
	pub channel: &'a [u8],
	/// The full denomination as held here (`stake`, `transfer/channel-0/uatom`).
	pub denom: &'a [u8],
	/// How much.
	pub amount: Balance,
	/// The receiver on the counterparty, in its own address format.
	pub receiver: &'a [u8],
	/// Timeout height on the counterparty `(revision_number, revision_height)`, if any.
	pub timeout_height: Option<(u64, u64)>,
	/// Timeout time on the counterparty, unix milliseconds, if any.
	pub timeout_timestamp_ms: Option<u64>,
	/// The packet memo (UTF-8).
	pub memo: &'a [u8],
}

impl<T: Config> Pallet<T> {
	/// Sends an ICS-20 transfer (escrow or burn, then the packet); returns the packet sequence.
	/// Writes nothing on error (it runs in its own storage transaction).
	pub fn send_transfer(
		req: TransferRequest<T::AccountId, BalanceOf<T>>,
	) -> Result<u64, DispatchError> {
		with_transaction(|| match Self::try_send_transfer(req) {
			Ok(seq) => TransactionOutcome::Commit(Ok(seq)),
			Err(e) => TransactionOutcome::Rollback(Err(e)),
		})
	}

	fn try_send_transfer(
		req: TransferRequest<T::AccountId, BalanceOf<T>>,
	) -> Result<u64, DispatchError> {
		let channel_id = core::str::from_utf8(req.channel)
			.ok()
			.and_then(|s| ChannelId::from_str(s).ok())
			.ok_or(Error::<T>::ChannelNotOpen)?;
		let port_id = PortId::transfer();
		let ibc = IbcContext::<T>::new();
		let end = ibc
			.channel_end(&ChannelEndPath::new(&port_id, &channel_id))
			.map_err(|_| Error::<T>::ChannelNotOpen)?;
		if !end.is_open() {
			return Err(Error::<T>::ChannelNotOpen.into());
		}
		let denom = core::str::from_utf8(req.denom)
			.ok()
			.and_then(|s| PrefixedDenom::from_str(s).ok())
			.ok_or(Error::<T>::UnknownDenom)?;
		denom::token_of::<T>(&denom).ok_or(Error::<T>::UnknownDenom)?;
		if req.amount == 0u32.into() {
			return Err(Error::<T>::ZeroAmount.into());
		}
		let receiver = core::str::from_utf8(req.receiver)
			.ok()
			.filter(|r| !r.trim().is_empty() && r.trim() == *r)
			.ok_or(Error::<T>::InvalidReceiver)?;
		if req.receiver.len() > MAX_RECEIVER_LEN as usize {
			return Err(Error::<T>::InvalidReceiver.into());
		}
		if req.memo.len() > T::MaxMemoLen::get() as usize {
			return Err(Error::<T>::InvalidMemo.into());
		}
		let memo = core::str::from_utf8(req.memo).map_err(|_| Error::<T>::InvalidMemo)?;
		let timeout_height_on_b = match req.timeout_height {
			None => TimeoutHeight::Never,
			Some((number, height)) => TimeoutHeight::At(
				Height::new(number, height).map_err(|_| Error::<T>::InvalidTimeout)?,
			),
		};
		let timeout_timestamp_on_b = match req.timeout_timestamp_ms {
			None => TimeoutTimestamp::Never,
			Some(ms) => TimeoutTimestamp::At(Timestamp::from_nanoseconds(
				ms.checked_mul(1_000_000).ok_or(Error::<T>::InvalidTimeout)?,
			)),
		};
		if req.timeout_height.is_none() && req.timeout_timestamp_ms.is_none() {
			return Err(Error::<T>::InvalidTimeout.into());
		}
		let sequence: Sequence = ibc
			.get_next_sequence_send(&SeqSendPath::new(&port_id, &channel_id))
			.map_err(|_| Error::<T>::ChannelNotOpen)?;
		let amount: u128 = req.amount.try_into().map_err(|_| ArithmeticError::Overflow)?;
		let msg = MsgTransfer {
			port_id_on_a: port_id,
			chan_id_on_a: channel_id,
			packet_data: PacketData {
				token: PrefixedCoin {
					denom: denom.clone(),
					amount: Amount::from(U256::from(amount)),
				},
				sender: Signer::from(T::AccountCodec::format(req.sender)),
				receiver: Signer::from(String::from(receiver)),
				memo: memo.into(),
			},
			timeout_height_on_b,
			timeout_timestamp_on_b,
		};
		let mut tokens = TransferContext::<T>::new();
		ics20_send_transfer(&mut IbcContext::<T>::new(), &mut tokens, msg).map_err(|e| {
			log::debug!(target: crate::LOG_TARGET, "ICS-20 transfer refused: {e}");
			tokens.failure().unwrap_or_else(|| Error::<T>::TransferRefused.into())
		})?;
		Self::deposit_event(Event::TransferSent {
			sender: req.sender.clone(),
			channel: IdBytes::try_from(req.channel.to_vec())
				.map_err(|_| Error::<T>::ChannelNotOpen)?,
			denom: denom::denom_trace(&denom).ok_or(Error::<T>::DenomTooLong)?,
			amount: req.amount,
			sequence: sequence.value(),
		});
		Ok(sequence.value())
	}
}

impl<T: Config> RewardTransfer<T::AccountId, BalanceOf<T>> for Pallet<T> {
	/// Sends `amount` of the native token (see [`crate::Config::NativeDenom`]) from `from`; the
	/// sender is kept alive (it must hold the existential deposit beyond `amount`).
	fn send_rewards(
		channel: &IbcId,
		from: &T::AccountId,
		amount: BalanceOf<T>,
		receiver: &[u8],
		memo: &[u8],
		timeout_timestamp_ms: u64,
	) -> Result<(), CcvError> {
		let native: &str = T::NativeDenom::get();
		let denom = DenomTrace::try_from(native.as_bytes().to_vec())
			.map_err(|_| CcvError::Refused("native denom too long"))?;
		Self::send_transfer(TransferRequest {
			sender: from,
			channel,
			denom: &denom,
			amount,
			receiver,
			timeout_height: None,
			timeout_timestamp_ms: Some(timeout_timestamp_ms),
			memo,
		})
		.map(|_| ())
		.map_err(|e| match e {
			e if e == Error::<T>::ChannelNotOpen.into() => CcvError::ChannelNotOpen,
			e => CcvError::Refused(e.into()),
		})
	}
}
