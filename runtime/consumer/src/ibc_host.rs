//! The consumer's IBC host for pallet-ccv-consumer: pallet-ibc, with one adapter.
//!
//! pallet-ibc implements all three seams of the consumer pallet ([`IbcChannel`],
//! [`ProviderClientFactory`], `RewardTransfer`), and the runtime uses it directly for packets,
//! channels and rewards. The provider client, however, is created while the genesis is built,
//! at block 0, and ibc-rs has no height 0: the GRANDPA client's `initialise` records the host
//! height of the update (`ExtClientValidationContext::host_height`), which pallet-ibc derives
//! from `frame_system`'s block number, so a `MsgCreateClient` at block 0 fails. Until
//! pallet-ibc handles that itself, [`GenesisProviderClient`] creates the client with the block
//! number set to 1 for the call (the client counts as created before block 1) and restores
//! `frame_system`'s `Number` exactly (absent at genesis) afterwards. After genesis it forwards
//! unchanged.

use crate::{BlockNumber, Ibc, Runtime};
use ccv_primitives::channel::{ChannelError, IbcId, ProviderClientFactory};
use frame_support::{
	storage::{storage_prefix, unhashed},
	traits::PalletInfoAccess,
};

/// The provider-client factory of the consumer pallet: pallet-ibc, callable at block 0 (see
/// the module documentation).
pub struct GenesisProviderClient;

impl ProviderClientFactory for GenesisProviderClient {
	fn create_provider_client(
		client_state: &[u8],
		consensus_state: &[u8],
	) -> Result<IbcId, ChannelError> {
		if frame_system::Pallet::<Runtime>::block_number() != 0 {
			return <Ibc as ProviderClientFactory>::create_provider_client(
				client_state,
				consensus_state,
			);
		}
		// `frame_system::Number` is not public: its key is `System` ++ `Number`.
		let system = <frame_system::Pallet<Runtime> as PalletInfoAccess>::name();
		let key = storage_prefix(system.as_bytes(), b"Number");
		let saved = unhashed::get_raw(&key);
		unhashed::put::<BlockNumber>(&key, &1);
		let created =
			<Ibc as ProviderClientFactory>::create_provider_client(client_state, consensus_state);
		match saved {
			Some(bytes) => unhashed::put_raw(&key, &bytes),
			None => unhashed::kill(&key),
		}
		created
	}
}
