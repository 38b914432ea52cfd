//! The provider's side of the CCV channel, as pallet-ibc's router calls it.
//!
//! - Handshake: the consumer initiates; the provider accepts `chan_open_try` only for an
//!   ORDERED channel from port `consumer` to `provider`, version `"1"`, on the client it created
//!   for a launched consumer that has no channel yet, and answers with `HandshakeMetadata`
//!   (the consumer's fee-pool address). `chan_open_confirm` records the channel.
//! - Packets in: `VscMatured` is recorded; `Slash` is checked (known vsc_id, launched consumer,
//!   validator in its set). Downtime passes the slash meter (`0x03` bounce while it is
//!   negative or queues are full), is queued for the slashing flow (offence report and jail,
//!   next block), slash-acked in the next VSC and acknowledged `0x02`; double sign is recorded
//!   and acknowledged `0x01` (punishment only through verified evidence).
//! - An error acknowledgement or a timeout of a VSC stops the consumer (the timeout closes the
//!   ORDERED channel too), and so does the consumer closing its end of the CCV channel
//!   (`chan_close_confirm` on ours: `StopReason::ChannelClosed`). A close of any other channel
//!   is accepted and changes nothing.

use crate::weights::WeightInfo as _;
use crate::{pallet::*, types::*};
use alloc::{format, vec::Vec};
use ccv_primitives::{
	channel::{CcvIbcApp, ChannelError, ChannelOpen, IbcId, PacketRef},
	wire::{decode_consumer_packet, Acknowledgement, CcvAckResult, HandshakeMetadata},
	ConsumerId, ConsumerPacket, Infraction, SlashAck, SlashPacket, VscMaturedPacket, CCV_VERSION,
	CONSUMER_PORT_ID, DEFAULT_CONSENSUS_ADDRESS_HRP, PROVIDER_PORT_ID,
};
use frame_support::{traits::Get, weights::Weight};
use sp_runtime::traits::Convert;

impl<T: Config> Pallet<T> {
	/// The consumer whose established CCV channel is our `channel`.
	fn consumer_of_channel(channel: &IbcId) -> Option<ConsumerId> {
		let consumer_id = ChannelToConsumer::<T>::get(channel)?;
		(ConsumerChannel::<T>::get(consumer_id).as_ref() == Some(channel)).then_some(consumer_id)
	}

	/// Handles a consumer's report that `vsc_id` matured.
	fn on_vsc_matured(consumer_id: ConsumerId, packet: VscMaturedPacket) -> Acknowledgement {
		if packet.vsc_id >= NextVscId::<T>::get(consumer_id) {
			return Acknowledgement::Error(format!("unknown vsc id {}", packet.vsc_id));
		}
		LatestMaturedVsc::<T>::mutate(consumer_id, |m| {
			*m = Some(m.map_or(packet.vsc_id, |old| old.max(packet.vsc_id)));
		});
		Self::deposit_event(Event::VscMatured { consumer_id, vsc_id: packet.vsc_id });
		Acknowledgement::ccv(CcvAckResult::V1)
	}

	/// Handles a slash packet by ICS's rules (see the module docs).
	fn on_slash(consumer_id: ConsumerId, packet: SlashPacket) -> Acknowledgement {
		let Some(session) = Self::vsc_session(consumer_id, packet.vsc_id) else {
			return Acknowledgement::Error(format!("unknown vsc id {}", packet.vsc_id));
		};
		let validator = KeyOwners::<T>::get(consumer_id, packet.validator);
		let event = |validator, outcome| Event::SlashPacketReceived {
			consumer_id,
			validator,
			vsc_id: packet.vsc_id,
			infraction: packet.infraction,
			outcome,
		};
		if packet.infraction == Infraction::DoubleSign {
			Self::deposit_event(event(validator, SlashOutcome::DoubleSignRecorded));
			return Acknowledgement::ccv(CcvAckResult::V1);
		}
		let Ok(ack) = SlashAck::from_address(&packet.validator, DEFAULT_CONSENSUS_ADDRESS_HRP)
		else {
			return Acknowledgement::Error("cannot encode slash ack".into());
		};
		let launched = Phase::<T>::get(consumer_id) == Some(ConsumerPhase::Launched);
		let member = validator.as_ref().and_then(|v| {
			ConsumerValidators::<T>::get(consumer_id).into_iter().find(|cv| &cv.validator == v)
		});
		let acks_full = PendingSlashAcks::<T>::decode_len(consumer_id).unwrap_or(0)
			>= ccv_primitives::MAX_SLASH_ACKS as usize;
		let requests_full = DowntimeSlashRequests::<T>::decode_len().unwrap_or(0)
			>= T::MaxPendingSlashRequests::get() as usize;
		let outcome = match member {
			_ if acks_full => SlashOutcome::Bounced,
			Some(_) if launched && (requests_full || !Self::slash_meter_open()) => {
				SlashOutcome::Bounced
			}
			Some(m) if launched => {
				Self::charge_slash_meter(m.power);
				DowntimeSlashRequests::<T>::mutate(|r| {
					// Room checked above.
					let _ = r.try_push(DowntimeSlashRequest {
						consumer_id,
						validator: m.validator,
						vsc_id: packet.vsc_id,
						session,
					});
				});
				SlashOutcome::DowntimeRecorded
			}
			_ => SlashOutcome::DowntimeIgnored,
		};
		Self::deposit_event(event(validator, outcome));
		if outcome == SlashOutcome::Bounced {
			return Acknowledgement::ccv(CcvAckResult::SlashBounced);
		}
		PendingSlashAcks::<T>::mutate(consumer_id, |acks| {
			// Room checked above.
			let _ = acks.try_push(ack);
		});
		Acknowledgement::ccv(CcvAckResult::SlashHandled)
	}

	/// Stops the consumer behind `channel` if it is still launched (VSC error ack or timeout,
	/// channel closed by the consumer).
	fn stop_for_channel(channel: &IbcId, reason: StopReason) -> Result<(), ChannelError> {
		let consumer_id = Self::consumer_of_channel(channel)
			.ok_or(ChannelError::Refused("not a CCV channel of this provider"))?;
		if Phase::<T>::get(consumer_id) == Some(ConsumerPhase::Launched) {
			Self::stop_consumer(consumer_id, reason);
		}
		Ok(())
	}
}

impl<T: Config> CcvIbcApp for Pallet<T> {
	/// The provider never initiates a CCV channel.
	fn on_chan_open_init(_open: &ChannelOpen) -> Result<Vec<u8>, ChannelError> {
		Err(ChannelError::Refused("the CCV channel handshake must be initiated by the consumer"))
	}

	/// Accepts a consumer's channel on its client; answers with the handshake metadata.
	fn on_chan_open_try(open: &ChannelOpen) -> Result<Vec<u8>, ChannelError> {
		let valid = open.ordered
			&& open.port.as_slice() == PROVIDER_PORT_ID.as_bytes()
			&& open.counterparty_port.as_slice() == CONSUMER_PORT_ID.as_bytes()
			&& open.version.as_slice() == CCV_VERSION.as_bytes()
			&& open.connection_hops.len() == 1;
		if !valid {
			return Err(ChannelError::Refused(
				"CCV channel must be ORDERED, provider <- consumer, version \"1\", one hop",
			));
		}
		let consumer_id = ClientToConsumer::<T>::get(&open.client_id)
			.ok_or(ChannelError::Refused("connection is not on a consumer client"))?;
		if Phase::<T>::get(consumer_id) != Some(ConsumerPhase::Launched)
			|| ConsumerChannel::<T>::contains_key(consumer_id)
			|| ChannelToConsumer::<T>::contains_key(&open.channel)
		{
			return Err(ChannelError::Refused(
				"consumer not launched or already has a CCV channel",
			));
		}
		let metadata = HandshakeMetadata {
			provider_fee_pool_addr: T::AccountToAddress::convert(Self::fee_pool_account(
				consumer_id,
			)),
			version: CCV_VERSION.into(),
		};
		if let Some(previous) = PendingChannel::<T>::take(consumer_id) {
			ChannelToConsumer::<T>::remove(previous);
		}
		PendingChannel::<T>::insert(consumer_id, &open.channel);
		ChannelToConsumer::<T>::insert(&open.channel, consumer_id);
		Ok(metadata.encode_proto())
	}

	/// The provider never initiates, so it never receives `chan_open_ack`.
	fn on_chan_open_ack(_open: &ChannelOpen) -> Result<(), ChannelError> {
		Err(ChannelError::Refused("the provider never initiates a CCV channel"))
	}

	/// Records the consumer's CCV channel (the first confirmed one; never replaced).
	fn on_chan_open_confirm(port: &IbcId, channel: &IbcId) -> Result<(), ChannelError> {
		if port.as_slice() != PROVIDER_PORT_ID.as_bytes() {
			return Err(ChannelError::Refused("not the provider port"));
		}
		let consumer_id = ChannelToConsumer::<T>::get(channel)
			.ok_or(ChannelError::Refused("channel was not opened by chan_open_try"))?;
		if PendingChannel::<T>::get(consumer_id).as_ref() != Some(channel)
			|| ConsumerChannel::<T>::contains_key(consumer_id)
			|| Phase::<T>::get(consumer_id) != Some(ConsumerPhase::Launched)
		{
			return Err(ChannelError::Refused(
				"consumer not launched or already has a CCV channel",
			));
		}
		PendingChannel::<T>::remove(consumer_id);
		ConsumerChannel::<T>::insert(consumer_id, channel);
		Self::clear_init_timeout(consumer_id);
		Self::deposit_event(Event::ChannelEstablished { consumer_id, channel_id: channel.clone() });
		Ok(())
	}

	/// The consumer closed its end of its CCV channel: the consumer is stopped (our end is
	/// closed by the host after this call). Any other channel closes without effect.
	fn on_chan_close_confirm(port: &IbcId, channel: &IbcId) -> Result<(), ChannelError> {
		if port.as_slice() == PROVIDER_PORT_ID.as_bytes()
			&& Self::consumer_of_channel(channel).is_some()
		{
			Self::stop_for_channel(channel, StopReason::ChannelClosed)
		} else {
			Ok(())
		}
	}

	/// Decodes and handles a consumer packet; malformed or misrouted packets get an error
	/// acknowledgement.
	fn on_recv_packet(packet: &PacketRef, data: &[u8]) -> Acknowledgement {
		if packet.port.as_slice() != PROVIDER_PORT_ID.as_bytes() {
			return Acknowledgement::Error("not the provider port".into());
		}
		let Some(consumer_id) = Self::consumer_of_channel(&packet.channel) else {
			return Acknowledgement::Error("not a CCV channel".into());
		};
		let decoded = match decode_consumer_packet(data) {
			Ok(p) => p,
			Err(e) => return Acknowledgement::Error(format!("invalid packet data: {e}")),
		};
		if let Err(e) = decoded.validate_basic() {
			return Acknowledgement::Error(format!("invalid packet: {e}"));
		}
		match decoded {
			ConsumerPacket::VscMatured(p) => Self::on_vsc_matured(consumer_id, p),
			ConsumerPacket::Slash(p) => Self::on_slash(consumer_id, p),
		}
	}

	/// An error acknowledgement of a VSC stops the consumer; results are ignored.
	fn on_acknowledgement(
		packet: &PacketRef,
		_data: &[u8],
		ack: &Acknowledgement,
	) -> Result<(), ChannelError> {
		match ack {
			Acknowledgement::Error(_) => {
				Self::stop_for_channel(&packet.channel, StopReason::VscErrorAck)
			}
			Acknowledgement::Result(_) => Ok(()),
		}
	}

	/// A VSC timed out: the consumer is stopped.
	fn on_timeout(packet: &PacketRef, _data: &[u8]) -> Result<(), ChannelError> {
		Self::stop_for_channel(&packet.channel, StopReason::VscTimeout)
	}

	/// The heavier of a downtime slash recorded and a VSC-matured packet. Parsing the data's
	/// bytes is charged by the host's receive benchmark (its app parses JSON packet data of
	/// the message's length too).
	fn on_recv_packet_weight(_data_len: u32) -> Weight {
		<T as Config>::WeightInfo::on_recv_slash_packet()
			.max(<T as Config>::WeightInfo::on_recv_vsc_matured())
	}

	/// An error acknowledgement stops the consumer as a timeout does.
	fn on_acknowledgement_weight() -> Weight {
		<T as Config>::WeightInfo::on_vsc_timeout()
	}

	fn on_timeout_weight() -> Weight {
		<T as Config>::WeightInfo::on_vsc_timeout()
	}

	/// The heaviest of `chan_open_try`, `chan_open_confirm` and `chan_close_confirm` (a stop
	/// without closing the channel: at most a timeout's work); init and ack are refused before
	/// any storage access.
	fn on_channel_step_weight() -> Weight {
		<T as Config>::WeightInfo::on_chan_open_try()
			.max(<T as Config>::WeightInfo::on_chan_open_confirm())
			.max(<T as Config>::WeightInfo::on_vsc_timeout())
	}
}
