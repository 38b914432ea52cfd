//! The consumer side of the CCV channel handshake.
//!
//! The consumer initiates (`chan_open_init`): ORDERED, port `consumer` to counterparty port
//! `provider`, version `"1"`, one connection hop on the provider client created at genesis,
//! and only while no CCV channel is established (a closed one is never replaced:
//! [`crate::channel_close`]). It never answers `chan_open_try` or `chan_open_confirm`. On
//! `chan_open_ack` it reads the provider's `HandshakeMetadata`, stores the provider fee-pool
//! address and starts the ICS-20 transfer channel on the same connection (once). The CCV
//! channel counts as established when the first VSC arrives on it ([`crate::vsc`]).

use crate::{pallet::*, types::FeePoolAddr, Config, Pallet};
use alloc::vec::Vec;
use ccv_primitives::{
	channel::{ChannelOpen, IbcChannel, IbcId},
	wire::HandshakeMetadata,
	CCV_VERSION, CONSUMER_PORT_ID, PROVIDER_PORT_ID,
};

impl<T: Config> Pallet<T> {
	/// Checks the channel parameters shared by init and ack; returns the connection.
	fn check_channel(open: &ChannelOpen) -> Result<IbcId, Error<T>> {
		let provider_client = ProviderClientId::<T>::get().ok_or(Error::<T>::NotInitialised)?;
		if open.port.as_slice() != CONSUMER_PORT_ID.as_bytes() {
			return Err(Error::<T>::WrongPort);
		}
		if open.counterparty_port.as_slice() != PROVIDER_PORT_ID.as_bytes() {
			return Err(Error::<T>::WrongCounterpartyPort);
		}
		if !open.ordered {
			return Err(Error::<T>::NotOrdered);
		}
		let connection = match open.connection_hops.as_slice() {
			[only] => only.clone(),
			_ => return Err(Error::<T>::WrongConnectionHops),
		};
		if open.client_id != provider_client {
			return Err(Error::<T>::WrongClient);
		}
		if CcvChannel::<T>::get().is_some() {
			return Err(Error::<T>::ChannelExists);
		}
		Ok(connection)
	}

	/// `chan_open_init`: validates and returns the version to propose (`"1"`).
	pub fn handshake_init(open: &ChannelOpen) -> Result<Vec<u8>, Error<T>> {
		Self::check_channel(open)?;
		if !open.version.is_empty() && open.version.as_slice() != CCV_VERSION.as_bytes() {
			return Err(Error::<T>::WrongVersion);
		}
		Ok(CCV_VERSION.as_bytes().to_vec())
	}

	/// `chan_open_ack`: validates the provider's metadata, stores the fee pool and opens the
	/// transfer channel (once). Writes nothing on error.
	pub fn handshake_ack(open: &ChannelOpen) -> Result<(), Error<T>> {
		let connection = Self::check_channel(open)?;
		let version = core::str::from_utf8(&open.version).map_err(|_| Error::<T>::WrongVersion)?;
		let metadata = HandshakeMetadata::from_version_string(version)
			.map_err(|_| Error::<T>::WrongVersion)?;
		if metadata.version != CCV_VERSION {
			return Err(Error::<T>::WrongVersion);
		}
		let fee_pool = FeePoolAddr::try_from(metadata.provider_fee_pool_addr.into_bytes())
			.map_err(|_| Error::<T>::FeePoolAddrTooLong)?;
		if TransferChannel::<T>::get().is_none() {
			let channel = T::Channel::open_transfer_channel(&connection).map_err(|e| {
				log::warn!(target: crate::LOG_TARGET, "opening the transfer channel failed: {e}");
				Error::<T>::TransferChannelFailed
			})?;
			TransferChannel::<T>::put(&channel);
			Self::deposit_event(Event::TransferChannelOpening { channel });
		}
		ProviderFeePool::<T>::put(&fee_pool);
		Self::deposit_event(Event::ProviderFeePoolSet { address: fee_pool });
		Ok(())
	}
}
