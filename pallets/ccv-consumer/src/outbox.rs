//! The outgoing queue of consumer packets.
//!
//! One FIFO ([`Outbox`]) holds slash and VSC-matured packets in the order they were produced.
//! Each block (`on_initialize`, at most `MaxPacketsPerBlock`) packets are sent from the front
//! while the CCV channel is established:
//! - a VSC-matured packet leaves the queue once sent;
//! - a slash packet stays at the front until the provider answers: `0x01`/`0x02` pop it,
//!   `0x03` (bounced) keeps it and it is sent again `retry_delay_period` after the last send.
//!   Nothing behind it is sent meanwhile, so nothing is reordered.
//!
//! A send failure (e.g. channel not open) leaves the packet in place for the next block.
//!
//! **Queue full** (`MaxPendingPackets`): [`Pallet::queue_packet`] refuses (`OutboxFull`) and the
//! producer keeps its packet: a matured VSC stays in the maturing queue, a downtime report is
//! not marked outstanding and is found again. Nothing is dropped; an `OutboxFull` event is
//! emitted.
//!
//! An error acknowledgement or a timeout closes the CCV channel (ICS behaviour): the queue is
//! kept as it is, nothing more is queued (`CcvChannelClosed`) or sent, and the chain keeps
//! running with its last validator set ([`crate::channel_close`]).

use crate::{
	pallet::*,
	queue::Fifo,
	session::MaturingFifo,
	types::{CcvChannelState, ChannelCloseCause, SlashRecord},
	weights::WeightInfo,
	Config, Pallet,
};
use ccv_primitives::{
	channel::{IbcChannel, PacketRef},
	wire::{decode_consumer_packet, encode_consumer_packet, Acknowledgement, CcvAckResult},
	ConsumerPacket, VscMaturedPacket, CONSUMER_PORT_ID,
};
use frame_support::{pallet_prelude::Weight, traits::Get};

/// The outgoing packet FIFO.
pub type OutboxFifo<T> = Fifo<OutboxBounds<T>, Outbox<T>, ConsumerPacket>;

/// How an acknowledgement or timeout was handled (for the callback's caller and tests).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AckOutcome {
	/// The slash packet at the front was handled and popped.
	SlashHandled,
	/// The slash packet at the front was bounced; it will be retried.
	SlashBounced,
	/// A VSC-matured packet was acknowledged (it had already left the queue).
	MaturedAcked,
	/// The provider answered with an error, or the packet timed out: the channel is closing.
	ChannelClosing,
	/// The acknowledgement does not match what we sent, or the packet is not on the CCV
	/// channel; ignored (logged).
	Ignored,
}

impl<T: Config> Pallet<T> {
	/// Appends `packet` to the queue. Refuses with `CcvChannelClosed` once the CCV channel is
	/// closed (nothing would ever send it), and with `OutboxFull` (and an `OutboxFull` event)
	/// when the queue is full; the caller keeps its packet.
	pub fn queue_packet(packet: ConsumerPacket) -> Result<(), Error<T>> {
		if Self::ccv_channel_closed() {
			log::debug!(target: crate::LOG_TARGET, "{packet:?} not queued: CCV channel closed");
			return Err(Error::<T>::CcvChannelClosed);
		}
		if OutboxFifo::<T>::len() >= u64::from(T::MaxPendingPackets::get()) {
			Self::deposit_event(Event::OutboxFull { packet });
			return Err(Error::<T>::OutboxFull);
		}
		OutboxFifo::<T>::push_back(packet);
		Self::deposit_event(Event::PacketQueued { packet });
		Ok(())
	}

	/// Moves matured VSCs (oldest first) into the outgoing queue while it has room.
	pub(crate) fn mature_vscs() -> Weight {
		let now = Self::now_ms();
		let mut moved = 0u32;
		for _ in 0..T::MaxPacketsPerBlock::get() {
			match MaturingFifo::<T>::front() {
				Some(m) if m.matures_at_ms <= now => {
					let packet = ConsumerPacket::VscMatured(VscMaturedPacket { vsc_id: m.vsc_id });
					if Self::queue_packet(packet).is_err() {
						break;
					}
					MaturingFifo::<T>::pop_front();
					Self::deposit_event(Event::VscMatured { vsc_id: m.vsc_id });
					moved = moved.saturating_add(1);
				}
				_ => break,
			}
		}
		<T as Config>::WeightInfo::mature_vscs(moved)
	}

	/// True when the packet at the front may be sent now (no slash reply awaited, and a bounced
	/// slash has waited `retry_delay_period`).
	fn sending_permitted(now: u64) -> bool {
		match SlashState::<T>::get() {
			None => true,
			Some(SlashRecord { waiting_on_reply: true, .. }) => false,
			Some(SlashRecord { waiting_on_reply: false, sent_at_ms }) => {
				let delay = Params::<T>::get().map(|p| p.retry_delay_period_ms).unwrap_or_default();
				now >= sent_at_ms.saturating_add(delay)
			}
		}
	}

	/// Sends queued packets in order; stops after a slash packet, on a send failure, or at
	/// `MaxPacketsPerBlock`.
	pub(crate) fn send_packets() -> Weight {
		let channel = match CcvChannel::<T>::get() {
			Some(CcvChannelState::Established(c)) => c,
			_ => return <T as Config>::WeightInfo::send_packets(0),
		};
		let now = Self::now_ms();
		let timeout = Params::<T>::get().map(|p| p.ccv_timeout_period_ms).unwrap_or_default();
		let mut sent = 0u32;
		for _ in 0..T::MaxPacketsPerBlock::get() {
			if !Self::sending_permitted(now) {
				break;
			}
			let Some(packet) = OutboxFifo::<T>::front() else { break };
			let data = match encode_consumer_packet(&packet) {
				Ok(d) => d,
				Err(e) => {
					// Our own packets always encode; drop rather than block the queue forever.
					log::error!(target: crate::LOG_TARGET, "cannot encode {packet:?}: {e}");
					OutboxFifo::<T>::pop_front();
					continue;
				}
			};
			let sequence = match T::Channel::send_packet(
				CONSUMER_PORT_ID.as_bytes(),
				&channel,
				data,
				now.saturating_add(timeout),
			) {
				Ok(s) => s,
				Err(e) => {
					log::warn!(target: crate::LOG_TARGET, "sending {packet:?} failed: {e}");
					break;
				}
			};
			sent = sent.saturating_add(1);
			Self::deposit_event(Event::PacketSent { sequence, packet });
			match packet {
				ConsumerPacket::VscMatured(_) => {
					OutboxFifo::<T>::pop_front();
				}
				ConsumerPacket::Slash(_) => {
					SlashState::<T>::put(SlashRecord { waiting_on_reply: true, sent_at_ms: now });
					break;
				}
			}
		}
		<T as Config>::WeightInfo::send_packets(sent)
	}

	/// Handles the provider's acknowledgement of one of our packets.
	pub fn handle_ack(packet: &PacketRef, data: &[u8], ack: &Acknowledgement) -> AckOutcome {
		let sent = match decode_consumer_packet(data) {
			Ok(p) => p,
			Err(e) => {
				log::warn!(target: crate::LOG_TARGET, "ack for undecodable packet data: {e}");
				return AckOutcome::Ignored;
			}
		};
		let result = match ack.ccv_result() {
			Ok(Some(r)) => r,
			Ok(None) => {
				log::warn!(target: crate::LOG_TARGET, "error ack for {sent:?}: {ack:?}");
				return Self::closing(packet, ChannelCloseCause::ErrorAck);
			}
			Err(e) => {
				log::warn!(target: crate::LOG_TARGET, "invalid ack for {sent:?}: {e}");
				return Self::closing(packet, ChannelCloseCause::ErrorAck);
			}
		};
		match sent {
			ConsumerPacket::VscMatured(_) => AckOutcome::MaturedAcked,
			ConsumerPacket::Slash(slash) => {
				let awaited = SlashState::<T>::get().is_some_and(|r| r.waiting_on_reply);
				if !awaited || OutboxFifo::<T>::front() != Some(sent) {
					log::warn!(target: crate::LOG_TARGET, "unexpected ack for {sent:?}");
					return AckOutcome::Ignored;
				}
				match result {
					CcvAckResult::V1 | CcvAckResult::SlashHandled => {
						OutboxFifo::<T>::pop_front();
						SlashState::<T>::kill();
						Self::deposit_event(Event::SlashPacketHandled {
							validator: slash.validator,
						});
						AckOutcome::SlashHandled
					}
					CcvAckResult::SlashBounced => {
						SlashState::<T>::mutate(|r| {
							if let Some(r) = r {
								r.waiting_on_reply = false;
							}
						});
						Self::deposit_event(Event::SlashPacketBounced {
							validator: slash.validator,
						});
						AckOutcome::SlashBounced
					}
				}
			}
		}
	}

	/// One of our packets timed out: the ORDERED CCV channel closes with it (the host closes
	/// our end after this callback).
	pub fn handle_timeout(packet: &PacketRef, data: &[u8]) -> AckOutcome {
		log::warn!(
			target: crate::LOG_TARGET,
			"packet {} timed out ({} bytes)",
			packet.sequence,
			data.len()
		);
		let outcome = Self::closing(packet, ChannelCloseCause::Timeout);
		if outcome == AckOutcome::ChannelClosing {
			// A slash packet in flight stays at the front of the kept queue, not awaited.
			SlashState::<T>::kill();
		}
		outcome
	}

	/// Closes the CCV channel for `packet`'s answer; `Ignored` if it is on another channel.
	fn closing(packet: &PacketRef, cause: ChannelCloseCause) -> AckOutcome {
		if Self::close_for_packet(packet, cause) {
			AckOutcome::ChannelClosing
		} else {
			AckOutcome::Ignored
		}
	}
}
