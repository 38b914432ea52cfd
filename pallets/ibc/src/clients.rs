//! What a light client must offer this host, beyond ibc-rs's client traits.
//!
//! The runtime names its light clients in one enum deriving `ibc_core::derive::ClientState`
//! (and one deriving `ConsensusState`) with `#[validation(IbcContext<Runtime>)]` and
//! `#[execution(IbcContext<Runtime>)]`, and passes them as [`crate::Config::ClientState`] and
//! [`crate::Config::ConsensusState`]. The GRANDPA client (`ibc-client-grandpa`, separate crate)
//! is meant to become that enum's first variant; until it exists no production enum can be
//! built, so only the tests instantiate the pallet (with ibc-testkit's mock client).

use crate::{context::IbcContext, types::HostRecord, Config};
use core::fmt::Debug;
use ibc_core::{
	client::context::{client_state::ClientStateExecution, consensus_state::ConsensusState},
	client::types::Height,
	host::types::error::{DecodingError, HostError},
	primitives::proto::Any,
};

/// Checks a counterparty's client state *of this chain* (`validate_self_client` in
/// connection handshakes). DESIGN §4: chain id, not frozen, height <= host height, set id <=
/// current; implemented by each client variant for itself.
pub trait ValidateSelfClient {
	/// Accepts or rejects `self` as a client of this host, now at `host_height`.
	fn validate_self_client(&self, host_height: Height) -> Result<(), HostError>;
}

/// Builds the consensus state a counterparty holds of this chain at one of our heights, from
/// what our `on_finalize` recorded ([`HostRecord`]); serves `host_consensus_state`.
pub trait FromHostRecord: Sized {
	/// The consensus state of this host at `record.height`.
	fn from_host_record(record: &HostRecord) -> Result<Self, HostError>;
}

/// Everything the pallet needs of its light-client state enum.
pub trait LightClientState<T: Config>:
	ClientStateExecution<IbcContext<T>>
	+ TryFrom<Any, Error = DecodingError>
	+ ValidateSelfClient
	+ Clone
	+ Debug
	+ 'static
{
}

impl<T: Config, C> LightClientState<T> for C where
	C: ClientStateExecution<IbcContext<T>>
		+ TryFrom<Any, Error = DecodingError>
		+ ValidateSelfClient
		+ Clone
		+ Debug
		+ 'static
{
}

/// Everything the pallet needs of its consensus-state enum.
pub trait LightConsensusState: ConsensusState + FromHostRecord + Clone + Debug + 'static {}

impl<C> LightConsensusState for C where C: ConsensusState + FromHostRecord + Clone + Debug + 'static {}
