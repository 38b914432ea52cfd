//! The functions behind the runtime API.

use crate::{mock::*, types::CcvChannelState};
use ccv_primitives::{ConsumerPacket, VscMaturedPacket};
use frame_support::assert_ok;

#[test]
fn queries_reflect_the_pallet_state() {
	run(|| {
		assert_eq!(CcvConsumer::current_validators(), vec![val(1, 10), val(2, 20), val(3, 30)]);
		assert_eq!(CcvConsumer::next_validators(), None);
		assert_eq!(CcvConsumer::ccv_channel(), None);
		assert_eq!(CcvConsumer::next_session_at(), 10);
		run_to_block(3);
		assert_eq!(recv_vsc(4, vec![val(1, 0)]), crate::tests::vsc_ok());
		let m = |vsc_id| ConsumerPacket::VscMatured(VscMaturedPacket { vsc_id });
		CHANNEL.with(|c| c.borrow_mut().fail_send = true);
		assert_ok!(CcvConsumer::queue_packet(m(1)));
		assert_ok!(CcvConsumer::queue_packet(m(2)));
		assert_eq!(CcvConsumer::pending_packets(), vec![m(1), m(2)]);
		assert_eq!(CcvConsumer::next_validators(), Some(vec![val(2, 20), val(3, 30)]));
		assert_eq!(CcvConsumer::vsc_height(4), Some(3));
		assert_eq!(CcvConsumer::vsc_height(5), None);
		assert_eq!(CcvConsumer::ccv_channel(), Some(CcvChannelState::Established(id(CCV_CHANNEL))));
		assert_eq!(CcvConsumer::slash_state(), None);
		run_to_block(10);
		assert_eq!(CcvConsumer::applied_vsc_id(), 4);
		assert_eq!(CcvConsumer::current_validators(), vec![val(2, 20), val(3, 30)]);
		assert_eq!(CcvConsumer::next_session_at(), 20);
	});
}
