//! The [`CcvIbcApp`] callbacks pallet-ibc's router makes for the `consumer` port.

use crate::weights::WeightInfo as _;
use crate::{pallet::Event, Config, Pallet};
use alloc::vec::Vec;
use ccv_primitives::{
	channel::{CcvIbcApp, ChannelError, ChannelOpen, IbcId, PacketRef},
	wire::{Acknowledgement, CcvAckResult},
	MAX_SLASH_ACKS, MAX_VALIDATOR_UPDATES,
};
use frame_support::{traits::Get, weights::Weight};

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

	/// A VSC of `data_len` bytes against a full set: its bytes hold at most `data_len /
	/// MIN_ENCODED_UPDATE_LEN` updates or `data_len / min_encoded_slash_ack_len` slash acks
	/// that each clear an outstanding downtime report (an ack that is not a valid address
	/// costs less than its bytes' share of a valid one). Both benchmarks are linear, so the
	/// worst split of the bytes is one of the two ends; the slash-ack end also pays a
	/// no-update VSC against the full set.
	fn on_recv_packet_weight(data_len: u32) -> Weight {
		let full = T::MaxValidators::get();
		let updates = (data_len / MIN_ENCODED_UPDATE_LEN).min(MAX_VALIDATOR_UPDATES);
		let acks = (data_len / Self::min_encoded_slash_ack_len()).min(MAX_SLASH_ACKS);
		let all_updates = <T as Config>::WeightInfo::on_recv_vsc(updates, full);
		let all_acks = <T as Config>::WeightInfo::on_recv_vsc(0, full)
			.saturating_add(<T as Config>::WeightInfo::on_recv_vsc_slash_acks(acks));
		all_updates.max(all_acks)
	}

	/// The heavier of a result (a slash packet handled) and an error (the channel closed).
	fn on_acknowledgement_weight() -> Weight {
		<T as Config>::WeightInfo::on_acknowledgement()
			.max(<T as Config>::WeightInfo::on_error_acknowledgement())
	}

	fn on_timeout_weight() -> Weight {
		<T as Config>::WeightInfo::on_timeout()
	}

	/// The heavier of `chan_open_ack` (it opens the transfer channel; init checks a subset of
	/// it, try and confirm are refused) and `chan_close_confirm` (it records the close as a
	/// timeout does, which also clears the slash record).
	fn on_channel_step_weight() -> Weight {
		<T as Config>::WeightInfo::on_chan_open_ack().max(<T as Config>::WeightInfo::on_timeout())
	}
}

/// A lower bound, with margin, on the bytes of one validator update in VSC packet data: the
/// `pub_key` object with its 44-character base64 ed25519 key alone takes 70
/// (`{"pub_key":{"ed25519":"…"}}`).
pub const MIN_ENCODED_UPDATE_LEN: u32 = 64;

impl<T: Config> Pallet<T> {
	/// Fewest bytes of one slash ack in VSC packet data that names a valid address: bech32
	/// under `SlashAckHrp` (the prefix, a separator, 32 data and 6 checksum characters), its
	/// quotes and a comma.
	pub fn min_encoded_slash_ack_len() -> u32 {
		let hrp = u32::try_from(T::SlashAckHrp::get().len()).unwrap_or(u32::MAX);
		hrp.saturating_add(1 + 32 + 6 + 2 + 1)
	}
}
