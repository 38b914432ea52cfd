//! Starting a consumer from its [`ConsumerGenesis`].
//!
//! The genesis is validated as a whole (parameters, provider states, initial set as a GRANDPA
//! set, at most `MaxValidators`); the initial set becomes the Aura authorities (keys, in key
//! order) and the GRANDPA authorities (power as weight) of block 1, set id 0 in session 0; the
//! provider client is created through
//! [`ProviderClientFactory`](ccv_primitives::channel::ProviderClientFactory). Any failure stops genesis build
//! with a message naming the problem.

use crate::{
	pallet::*,
	types::{aura_id, grandpa_authorities, SessionInfo},
	Config, Pallet,
};
use ccv_primitives::channel::ProviderClientFactory as _;
use ccv_primitives::{channel::ChannelError, ConsumerGenesis, GenesisError};
use core::fmt;
use frame_support::{traits::Get, BoundedVec, WeakBoundedVec};
use sp_runtime::traits::Zero;

/// Why genesis build failed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum GenesisBuildError {
	/// No consumer genesis was given.
	Missing,
	/// The consumer genesis fails its own validation.
	Invalid(GenesisError),
	/// The initial set has more validators than `MaxValidators`.
	TooManyValidators {
		/// Validators in the initial set.
		len: u32,
		/// `MaxValidators`.
		max: u32,
	},
	/// Aura or GRANDPA already has genesis authorities (names the pallet).
	AuthoritiesAlreadySet(&'static str),
	/// `downtime_window_slots` does not fit in `MaxDowntimeWindowWords` 64-slot words.
	DowntimeWindowTooLarge {
		/// The window.
		window: u32,
		/// Slots the bitmap bound allows.
		max: u64,
	},
	/// The provider client could not be created.
	ProviderClient(ChannelError),
}

impl fmt::Display for GenesisBuildError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::Missing => f.write_str(
				"no consumer genesis: a consumer chain must start from the ConsumerGenesis its \
				 provider produced at launch (set `ccvConsumer.consumerGenesis` in the chain spec)",
			),
			Self::Invalid(e) => write!(f, "{e}"),
			Self::TooManyValidators { len, max } => {
				write!(f, "initial validator set has {len} validators, MaxValidators is {max}")
			}
			Self::AuthoritiesAlreadySet(p) => write!(
				f,
				"{p} already has genesis authorities: leave them empty, the consumer genesis \
				 installs them (and declare this pallet after Aura and Grandpa)"
			),
			Self::DowntimeWindowTooLarge { window, max } => {
				write!(f, "downtime window of {window} slots exceeds the bound of {max}")
			}
			Self::ProviderClient(e) => write!(f, "cannot create the provider client: {e}"),
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Validates `genesis` and initialises the consumer, Aura and GRANDPA from it. Writes
	/// nothing unless every check passes (the provider client is created last but one, before
	/// the infallible writes).
	pub fn build_genesis(genesis: Option<&ConsumerGenesis>) -> Result<(), GenesisBuildError> {
		let genesis = genesis.ok_or(GenesisBuildError::Missing)?;
		genesis.validate().map_err(GenesisBuildError::Invalid)?;

		let window = genesis.params.downtime_window_slots;
		let max_window = u64::from(T::MaxDowntimeWindowWords::get()).saturating_mul(64);
		if u64::from(window) > max_window {
			return Err(GenesisBuildError::DowntimeWindowTooLarge { window, max: max_window });
		}
		let mut initial = genesis.initial_validator_set.to_vec();
		initial.sort_by_key(|v| v.key);
		let len = u32::try_from(initial.len()).unwrap_or(u32::MAX);
		let max = T::MaxValidators::get();
		let too_many = GenesisBuildError::TooManyValidators { len, max };
		let set =
			BoundedVec::<_, T::MaxValidators>::try_from(initial).map_err(|_| too_many.clone())?;
		let aura_keys = BoundedVec::<_, <T as pallet_aura::Config>::MaxAuthorities>::try_from(
			set.iter().map(|v| aura_id(&v.key)).collect::<alloc::vec::Vec<_>>(),
		)
		.map_err(|_| too_many.clone())?;
		let grandpa_list =
			WeakBoundedVec::<_, <T as pallet_grandpa::Config>::MaxAuthorities>::try_from(
				grandpa_authorities(&set),
			)
			.map_err(|_| too_many)?;

		if !pallet_aura::Authorities::<T>::get().is_empty() {
			return Err(GenesisBuildError::AuthoritiesAlreadySet("pallet-aura"));
		}
		if !pallet_grandpa::Authorities::<T>::get().is_empty() {
			return Err(GenesisBuildError::AuthoritiesAlreadySet("pallet-grandpa"));
		}

		let client_id = T::ProviderClient::create_provider_client(
			&genesis.provider_client_state,
			&genesis.provider_consensus_state,
		)
		.map_err(GenesisBuildError::ProviderClient)?;

		pallet_aura::Authorities::<T>::put(aura_keys);
		pallet_grandpa::Authorities::<T>::put(grandpa_list);
		pallet_grandpa::CurrentSetId::<T>::put(0);
		pallet_grandpa::SetIdSession::<T>::insert(0, 0);

		Params::<T>::put(genesis.params.clone());
		ProviderClientId::<T>::put(client_id);
		AuthoritySets::<T>::insert(0, set.clone());
		AuthoritySetVscIds::<T>::insert(0, 0);
		Self::index_validators(&set);
		CurrentValidators::<T>::put(set);
		CurrentSession::<T>::put(0);
		SessionHistory::<T>::insert(
			0,
			SessionInfo { set_id: 0, vsc_id: 0, start_block: Zero::zero() },
		);
		NextSessionAt::<T>::put(frame_system::pallet_prelude::BlockNumberFor::<T>::from(
			genesis.params.blocks_per_session,
		));
		Ok(())
	}
}
