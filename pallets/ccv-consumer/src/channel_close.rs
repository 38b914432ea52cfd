//! The CCV channel closed, or the provider unreachable for good: the chain keeps running.
//!
//! The CCV channel closes in three ways:
//! - the provider answers one of our packets with an error acknowledgement (or one we cannot
//!   read): we close our end through the IBC host (`MsgChannelCloseInit`), as ICS does;
//! - one of our packets times out: the IBC host closes our end of the ORDERED channel right
//!   after the timeout callback (ibc-rs `timeout_packet_execute`; the channel is still OPEN
//!   during the callback), so the timeout itself is the close;
//! - the provider closes its end (it removed this consumer, or one of its VSCs timed out or was
//!   refused) and a relayer delivers `MsgChannelCloseConfirm` to ours: pallet-ibc's router calls
//!   `CcvIbcApp::on_chan_close_confirm` before closing our end.
//!
//! Only the established CCV channel counts: an acknowledgement, timeout or close of any other
//! channel of the `consumer` port changes nothing (logged). Before the first VSC no channel is
//! established, so a close then is ignored too.
//!
//! Once closed ([`CcvChannelState::Closed`], a `CcvChannelClosed` event and a warning in the
//! log), for good:
//! - the chain keeps producing and finalizing blocks as a proof-of-authority chain under the
//!   last validator set it received: session boundaries still come (they apply a VSC received
//!   before the close and recover a stalled GRANDPA); no VSC can arrive any more;
//! - downtime is no longer tracked and no slash packet is produced: [`Pallet::queue_packet`]
//!   refuses with `CcvChannelClosed`, and a verified GRANDPA equivocation keeps its evidence
//!   (for submission to the provider) but its packet is dropped (`DoubleSignPacketDropped`);
//! - nothing is sent: the outgoing queue, the double-sign backlog and the maturing VSCs stay as
//!   they are (visible through the runtime API), and rewards are no longer transmitted (the
//!   provider's share keeps accumulating in the CCV module account);
//! - a new CCV channel handshake is refused (`ChannelExists`): restoring CCV takes a runtime
//!   upgrade.
//!
//! The runtime API's `ccv_channel` answers `Closed(channel)`. The closed check costs one storage
//! read in `on_initialize`, counted in its weight.

use crate::{
	pallet::*,
	types::{CcvChannelState, ChannelCloseCause},
	Config, Pallet,
};
use ccv_primitives::{
	channel::{IbcChannel, IbcId, PacketRef},
	CONSUMER_PORT_ID,
};

impl<T: Config> Pallet<T> {
	/// True once the CCV channel is closed.
	pub fn ccv_channel_closed() -> bool {
		matches!(CcvChannel::<T>::get(), Some(CcvChannelState::Closed(_)))
	}

	/// The provider's answer to `packet` (an error acknowledgement, or a timeout) closes the CCV
	/// channel: closes our end first on an error acknowledgement (the host closes it after a
	/// timeout), then records the close. Returns false, changing nothing, for a packet on
	/// another channel.
	pub(crate) fn close_for_packet(packet: &PacketRef, cause: ChannelCloseCause) -> bool {
		let channel = match CcvChannel::<T>::get() {
			Some(CcvChannelState::Established(c)) if c == packet.channel => c,
			Some(CcvChannelState::Closed(c)) if c == packet.channel => return true,
			Some(_) => {
				log::warn!(
					target: crate::LOG_TARGET,
					"{cause:?} of packet {} on {}, not the CCV channel: ignored",
					packet.sequence,
					channel_name(&packet.channel),
				);
				return false;
			}
			// Nothing is sent before the channel is established; stay total anyway.
			None => packet.channel.clone(),
		};
		if cause == ChannelCloseCause::ErrorAck {
			if let Err(e) = T::Channel::close_channel(CONSUMER_PORT_ID.as_bytes(), &channel) {
				log::warn!(target: crate::LOG_TARGET, "closing the CCV channel failed: {e}");
			}
		}
		Self::note_ccv_channel_closed(channel, cause);
		true
	}

	/// The provider closed its end of `channel` (`chan_close_confirm` on ours): if it is the
	/// established CCV channel, records the close; any other channel is ignored. Never fails:
	/// the host closes our end either way.
	pub fn handle_close_confirm(port: &IbcId, channel: &IbcId) {
		let ours = port.as_slice() == CONSUMER_PORT_ID.as_bytes()
			&& CcvChannel::<T>::get() == Some(CcvChannelState::Established(channel.clone()));
		if ours {
			Self::note_ccv_channel_closed(channel.clone(), ChannelCloseCause::ClosedByProvider);
		} else {
			log::info!(
				target: crate::LOG_TARGET,
				"channel {} closed by its counterparty; not the established CCV channel: ignored",
				channel_name(channel),
			);
		}
	}

	/// Records the close of the CCV channel `channel`: state, event, warning.
	fn note_ccv_channel_closed(channel: IbcId, cause: ChannelCloseCause) {
		log::warn!(
			target: crate::LOG_TARGET,
			"CCV channel {} closed ({cause:?}): the chain keeps its last validator set, tracks no \
			 downtime and sends nothing more",
			channel_name(&channel),
		);
		CcvChannel::<T>::put(CcvChannelState::Closed(channel.clone()));
		Self::deposit_event(Event::CcvChannelClosed { channel, cause });
	}
}

/// A channel id for logs.
fn channel_name(channel: &IbcId) -> &str {
	core::str::from_utf8(channel).unwrap_or("<non-UTF-8 channel id>")
}
