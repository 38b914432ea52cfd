//! The light clients of this runtime's IBC host (pallet-ibc's `ClientState` and
//! `ConsensusState`): the GRANDPA client (`10-grandpa`, `ibc-client-grandpa`) only.
//!
//! Shared by the provider and consumer runtimes (included by `#[path]`, so `crate::Runtime` is
//! each runtime's own). Every chain of frame-ics is a Substrate chain finalized by GRANDPA, so one
//! client type serves both directions; ibc-testkit's mock client stays in pallet-ibc's test
//! runtime.

// ibc-rs's `ClientState` derive names `Vec` unqualified (not in the no_std prelude).
use alloc::vec::Vec;
use ibc_client_grandpa::{
	ibc_client::{CLIENT_STATE_TYPE_URL, CONSENSUS_STATE_TYPE_URL},
	ClientState as GrandpaClientState, IbcConsensusState as GrandpaConsensusState,
};
use ibc_core::{
	client::types::error::ClientError,
	host::types::error::{DecodingError, HostError},
	primitives::proto::Any,
};
use pallet_ibc::{
	clients::{FromHostRecord, HostView, ValidateSelfClient},
	types::HostRecord,
	IbcContext,
};

/// The IBC host context of this runtime. ibc-rs's derive reads generic arguments in
/// `#[validation(..)]` as the impl's own type parameters, so it is named through this alias.
pub type RuntimeIbcContext = IbcContext<crate::Runtime>;

/// The light-client states this runtime accepts: GRANDPA only.
#[derive(Debug, Clone, ibc_core::derive::ClientState)]
#[validation(RuntimeIbcContext)]
#[execution(RuntimeIbcContext)]
pub enum IbcClientState {
	/// A GRANDPA client of another frame-ics chain.
	Grandpa(GrandpaClientState),
}

/// The consensus states matching [`IbcClientState`].
#[derive(Debug, Clone, ibc_core::derive::ConsensusState)]
pub enum IbcConsensusState {
	/// Timestamp and IBC child root of one block of the tracked chain.
	Grandpa(GrandpaConsensusState),
}

impl From<GrandpaClientState> for IbcClientState {
	fn from(state: GrandpaClientState) -> Self {
		Self::Grandpa(state)
	}
}

impl From<GrandpaConsensusState> for IbcConsensusState {
	fn from(state: GrandpaConsensusState) -> Self {
		Self::Grandpa(state)
	}
}

impl TryFrom<Any> for IbcClientState {
	type Error = DecodingError;
	fn try_from(any: Any) -> Result<Self, Self::Error> {
		match any.type_url.as_str() {
			CLIENT_STATE_TYPE_URL => GrandpaClientState::try_from(any).map(Into::into),
			_ => Err(DecodingError::UnknownTypeUrl(any.type_url)),
		}
	}
}

impl From<IbcClientState> for Any {
	fn from(state: IbcClientState) -> Self {
		match state {
			IbcClientState::Grandpa(state) => state.into(),
		}
	}
}

impl TryFrom<Any> for IbcConsensusState {
	type Error = DecodingError;
	fn try_from(any: Any) -> Result<Self, Self::Error> {
		match any.type_url.as_str() {
			CONSENSUS_STATE_TYPE_URL => GrandpaConsensusState::try_from(any).map(Into::into),
			_ => Err(DecodingError::UnknownTypeUrl(any.type_url)),
		}
	}
}

impl From<IbcConsensusState> for Any {
	fn from(state: IbcConsensusState) -> Self {
		match state {
			IbcConsensusState::Grandpa(state) => state.into(),
		}
	}
}

/// The GRANDPA client's `Convertible` bound: with one variant the conversion cannot fail.
impl TryFrom<IbcConsensusState> for GrandpaConsensusState {
	type Error = ClientError;
	fn try_from(state: IbcConsensusState) -> Result<Self, Self::Error> {
		match state {
			IbcConsensusState::Grandpa(state) => Ok(state),
		}
	}
}

impl ValidateSelfClient for IbcClientState {
	fn validate_self_client(&self, host: &HostView) -> Result<(), HostError> {
		match self {
			IbcClientState::Grandpa(state) => ValidateSelfClient::validate_self_client(state, host),
		}
	}
}

/// This host's consensus states are GRANDPA ones (what a GRANDPA client of this chain stores).
impl FromHostRecord for IbcConsensusState {
	fn from_host_record(record: &HostRecord) -> Result<Self, HostError> {
		GrandpaConsensusState::from_host_record(record).map(Into::into)
	}
}
