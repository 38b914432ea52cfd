//! The [`CcvIbcApp`] callbacks pallet-ibc's router makes for the `consumer` port.

use crate::{pallet::Event, Config, Pallet};
use alloc::vec::Vec;
use ccv_primitives::{
	channel::{CcvIbcApp, ChannelError, ChannelOpen, IbcId, PacketRef},
	wire::{Acknowledgement, CcvAckResult},
};

impl<T: Config> Pallet<T> {
	/// Logs a refused handshake step and turns it into a refusal naming the pallet error.
	fn refuse(step: &str, e: crate::pallet::Error<T>) -> ChannelError {
		let reason: &'static str = e.into();
		log::warn!(target: crate::LOG_TARGET, "{step} refused: {reason}");
		ChannelError::Refused(reason)
	}
}

impl<T: Config> CcvIbcApp for Pallet<T> {
	fn on_chan_open_init(open: &ChannelOpen) -> Result<Vec<u8>, ChannelError> {
		Self::handshake_init(open).map_err(|e| Self::refuse("chan_open_init", e))
	}

	fn on_chan_open_try(_open: &ChannelOpen) -> Result<Vec<u8>, ChannelError> {
		Err(Self::refuse("chan_open_try", crate::pallet::Error::<T>::ConsumerInitiates))
	}

	fn on_chan_open_ack(open: &ChannelOpen) -> Result<(), ChannelError> {
		Self::handshake_ack(open).map_err(|e| Self::refuse("chan_open_ack", e))
	}

	fn on_chan_open_confirm(_port: &IbcId, _channel: &IbcId) -> Result<(), ChannelError> {
		Err(Self::refuse("chan_open_confirm", crate::pallet::Error::<T>::ConsumerInitiates))
	}

	/// The provider closed the CCV channel: recorded ([`crate::channel_close`]); never refused.
	fn on_chan_close_confirm(port: &IbcId, channel: &IbcId) -> Result<(), ChannelError> {
		Self::handle_close_confirm(port, channel);
		Ok(())
	}

	fn on_recv_packet(packet: &PacketRef, data: &[u8]) -> Acknowledgement {
		match Self::receive_vsc(packet, data) {
			Ok(_) => Acknowledgement::ccv(CcvAckResult::V1),
			Err((vsc_id, reason)) => {
				Self::deposit_event(Event::VscRejected { vsc_id, reason });
				Acknowledgement::Error(reason.message().into())
			}
		}
	}

	fn on_acknowledgement(
		packet: &PacketRef,
		data: &[u8],
		ack: &Acknowledgement,
	) -> Result<(), ChannelError> {
		Self::handle_ack(packet, data, ack);
		Ok(())
	}

	fn on_timeout(packet: &PacketRef, data: &[u8]) -> Result<(), ChannelError> {
		Self::handle_timeout(packet, data);
		Ok(())
	}
}
