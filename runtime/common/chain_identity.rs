//! `ChainIdentity`: this chain's IBC chain id, set at genesis, and pallet-ibc's `HostChain`.
//!
//! A light client of this chain records its chain id; pallet-ibc checks that id (and the
//! GRANDPA set id) when a counterparty's client of this chain is shown in a connection
//! handshake. pallet-ibc's `Config::HostChain` is a trait with no storage of its own, and one
//! runtime serves several networks (`provider-local`, `provider-dev`; every consumer chain the
//! provider launches from this consumer runtime has its own id), so the id is genesis state:
//! the `chainIdentity.chainId` field of the chain spec, fixed for the chain's life. Without it
//! the runtime's `DefaultChainId` applies. The GRANDPA set id is pallet-grandpa's
//! `CurrentSetId`.
//!
//! Shared by the provider and consumer runtimes (included by `#[path]`).

pub use pallet::*;

#[allow(clippy::expect_used, reason = "FRAME's pallet macros expand to `expect` calls")]
#[frame_support::pallet]
pub mod pallet {
	use alloc::{string::String, vec::Vec};
	use frame_support::{pallet_prelude::*, traits::BuildGenesisConfig};
	use ibc_client_grandpa::types::ChainId as ChainIdBytes;

	/// Configuration: the chain id used when genesis set none.
	#[pallet::config]
	pub trait Config: frame_system::Config + pallet_grandpa::Config {
		/// This runtime's chain id when the genesis gives none.
		#[pallet::constant]
		type DefaultChainId: Get<&'static str>;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// This chain's IBC chain id, as its light clients record it (empty: `DefaultChainId`).
	#[pallet::storage]
	pub type ChainId<T> = StorageValue<_, ChainIdBytes, ValueQuery>;

	/// Genesis: the chain id (UTF-8, at most 64 bytes; empty: the runtime's default).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The chain id, e.g. `"provider-local"`.
		pub chain_id: String,
		/// Ties the config to its runtime.
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if self.chain_id.is_empty() {
				return;
			}
			let id = ChainIdBytes::try_from(self.chain_id.as_bytes().to_vec())
				.expect("the genesis chain id must be at most 64 bytes");
			ChainId::<T>::put(id);
		}
	}

	impl<T: Config> Pallet<T> {
		/// This chain's IBC chain id: the genesis one, or `DefaultChainId`.
		pub fn chain_id() -> Vec<u8> {
			let id = ChainId::<T>::get();
			if id.is_empty() {
				T::DefaultChainId::get().as_bytes().to_vec()
			} else {
				id.into_inner()
			}
		}
	}

	impl<T: Config> pallet_ibc::clients::HostChain for Pallet<T> {
		fn chain_id() -> Vec<u8> {
			Pallet::<T>::chain_id()
		}

		fn grandpa_set_id() -> u64 {
			pallet_grandpa::CurrentSetId::<T>::get()
		}
	}
}
