//! What a light client must offer this host, beyond ibc-rs's client traits.
//!
//! The runtime names its light clients in one enum deriving `ibc_core::derive::ClientState`
//! (and one deriving `ConsensusState`) with `#[validation(IbcContext<Runtime>)]` and
//! `#[execution(IbcContext<Runtime>)]`, and passes them as [`crate::Config::ClientState`] and
//! [`crate::Config::ConsensusState`].
//!
//! The GRANDPA client (`ibc-client-grandpa`) is the production variant: its
//! `ibc_client_grandpa::ClientState` implements [`ValidateSelfClient`] and its
//! `ibc_client_grandpa::IbcConsensusState` implements [`FromHostRecord`] here, so a runtime's
//! enums delegate to them. A runtime lists it as
//!
//! - `Grandpa(ibc_client_grandpa::ClientState)` in the client enum and
//!   `Grandpa(ibc_client_grandpa::IbcConsensusState)` in the consensus enum, with `From` for both;
//! - a hand-written `TryFrom<ConsensusEnum> for IbcConsensusState` with `Error = ClientError`
//!   (the client's `Convertible` bound), and the `Any` conversions of both enums dispatching on
//!   the client's type URLs;
//! - [`crate::Config::HostChain`] giving this chain's id and GRANDPA's `CurrentSetId`.

use crate::{context::IbcContext, types::HostRecord, Config};
use alloc::vec::Vec;
use core::fmt::Debug;
use ibc_core::{
	client::context::{client_state::ClientStateExecution, consensus_state::ConsensusState},
	client::types::Height,
	host::types::error::{DecodingError, HostError},
	primitives::proto::Any,
};

/// This chain as a light client of it sees it, beyond height and time: what
/// `validate_self_client` compares a counterparty's client of this chain with.
pub trait HostChain {
	/// This chain's id, as clients of it record it (`ClientState::chain_id` of the GRANDPA
	/// client).
	fn chain_id() -> Vec<u8>;
	/// The GRANDPA authority set id now in force (pallet-grandpa's `CurrentSetId`).
	fn grandpa_set_id() -> u64;
}

/// This host at the moment a client of it is checked.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct HostView {
	/// The host's current height.
	pub height: Height,
	/// The host's chain id ([`HostChain::chain_id`]).
	pub chain_id: Vec<u8>,
	/// The host's current GRANDPA set id ([`HostChain::grandpa_set_id`]).
	pub grandpa_set_id: u64,
}

/// Checks a counterparty's client state *of this chain* (`validate_self_client` in
/// connection handshakes). DESIGN §4: chain id, not frozen, height <= host height, set id <=
/// current; implemented by each client variant for itself.
pub trait ValidateSelfClient {
	/// Accepts or rejects `self` as a client of this host, as it is now (`host`).
	fn validate_self_client(&self, host: &HostView) -> Result<(), HostError>;
}

impl ValidateSelfClient for ibc_client_grandpa::ClientState {
	fn validate_self_client(&self, host: &HostView) -> Result<(), HostError> {
		if host.height.revision_number() != ibc_client_grandpa::types::REVISION_NUMBER {
			return Err(HostError::invalid_state("host revision is not the client's"));
		}
		let host_number =
			ibc_client_grandpa::types::BlockNumber::try_from(host.height.revision_height())
				.map_err(|_| {
					HostError::invalid_state("host height beyond the client's block numbers")
				})?;
		ibc_client_grandpa::ClientState::validate_self_client(
			self,
			&host.chain_id,
			host_number,
			host.grandpa_set_id,
		)
		.map_err(|e| HostError::invalid_state(alloc::format!("client of this host: {e}")))
	}
}

/// Builds the consensus state a counterparty holds of this chain at one of our heights, from
/// what our `on_finalize` recorded ([`HostRecord`]); serves `host_consensus_state`.
pub trait FromHostRecord: Sized {
	/// The consensus state of this host at `record.height`.
	fn from_host_record(record: &HostRecord) -> Result<Self, HostError>;
}

impl FromHostRecord for ibc_client_grandpa::IbcConsensusState {
	fn from_host_record(record: &HostRecord) -> Result<Self, HostError> {
		Ok(ibc_client_grandpa::ConsensusState {
			timestamp_ns: record.timestamp_ns,
			ibc_root: record.ibc_root,
		}
		.into())
	}
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
