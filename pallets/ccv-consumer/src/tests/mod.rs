//! Unit tests, one module per flow, on the mock runtime of [`crate::mock`].

mod channel_close;
mod downtime;
mod equivocation;
mod genesis;
mod handshake;
mod model;
mod outbox;
mod rewards;
mod runtime_api;
mod session;
mod vsc;

/// The acknowledgement of an accepted VSC.
pub(crate) fn vsc_ok() -> ccv_primitives::wire::Acknowledgement {
	ccv_primitives::wire::Acknowledgement::ccv(ccv_primitives::wire::CcvAckResult::V1)
}
