//! # pallet-ccv-consumer
//!
//! The consumer half of ICS-028 Cross-Chain Validation: a consumer chain borrows its validator
//! set from a provider chain.
//!
//! - [`genesis`]: start from a [`ConsumerGenesis`]: the initial set becomes the Aura and GRANDPA
//!   authorities of block 1, the provider client is created, the parameters are stored.
//! - [`handshake`]: the consumer side of the CCV channel handshake (consumer initiates).
//! - [`vsc`]: validator-set-change packets in: validation, accumulation, slash acks.
//! - [`session`]: the consumer's own session schedule; accumulated changes are applied to Aura
//!   and GRANDPA at session boundaries, keeping GRANDPA's set id bookkeeping and a bounded
//!   history of authority sets.
//! - [`downtime`]: slots without a block, per-validator windows, downtime slash packets.
//! - [`outbox`]: the FIFO of consumer packets (slash, VSC matured) and its retry rules.
//! - [`rewards`]: fee split between the consumer and the provider, ICS-20 transmission.
//! - [`channel_close`]: the CCV channel closed (error acknowledgement, timeout, or closed by the
//!   provider): the chain keeps running with its last validator set, logs, emits
//!   `CcvChannelClosed`, and from then on tracks no downtime and sends nothing.
//! - [`equivocation`]: GRANDPA vote equivocation: key-ownership proofs over the authority-set
//!   history, pallet-grandpa's report system, the offence handler queueing `Slash(DoubleSign)`,
//!   and the stored evidence for the provider.
//! - [`runtime_api`]: the `CcvConsumerApi` runtime API (queue, sets, vsc_id heights, channel,
//!   equivocation evidence).
//! - [`ibc_app`]: the [`CcvIbcApp`](ccv_primitives::channel::CcvIbcApp) callbacks pallet-ibc
//!   makes into this pallet.
//!
//! ## Runtime wiring
//!
//! Declare the pallet **after** `Timestamp`, `Aura` and `Grandpa` (and after pallet-ibc, which
//! must exist when the provider client is created) in `construct_runtime!`:
//! - genesis: pallets build their genesis in declaration order. Leave the `authorities` of the
//!   Aura and GRANDPA genesis configs empty; this pallet installs the initial set and fails
//!   genesis build if either already has authorities.
//! - `on_initialize` runs in declaration order: Aura updates its `CurrentSlot` first (downtime
//!   tracking reads it; declared before Aura, this pallet would see no new slot and track
//!   nothing), then this pallet applies a session's changes. GRANDPA's `on_finalize` later in
//!   the same block signals and enacts the change scheduled here (delay 0).
//! - the consumer genesis is required: a runtime whose default `RuntimeGenesisConfig` includes
//!   this pallet fails construct_runtime's generated `test_genesis_config_builds` unit test (by
//!   design). Runtime crates keep their tests in `tests/` (or set `[lib] test = false`); this
//!   crate's mock excludes the pallet's `Config` part and builds its genesis separately.
//! - fees: use [`SplitRewards`] as the fee handler's `OnUnbalanced` (e.g. in
//!   `pallet_transaction_payment::FungibleAdapter`); give `RedistributionAccount` and the CCV
//!   module account ([`Pallet::ccv_account`]) the existential deposit at genesis.
//!
//! - equivocations: set pallet-grandpa's `KeyOwnerProof` to
//!   [`equivocation::AuthorityMembershipProof`] and its `EquivocationReportSystem` to
//!   [`equivocation::EquivocationReportSystem`]`<Runtime, Offences, Longevity>`; declare
//!   pallet-offences with `IdentificationTuple = `[`equivocation::EquivocationOffender`] and
//!   `OnOffenceHandler = ` this pallet; implement `CreateBare` for the runtime (unsigned
//!   reports) and answer `GrandpaApi::generate_key_ownership_proof` with
//!   [`Pallet::key_owner_proof`]. Keep GRANDPA's `MaxSetIdSessionEntries` at least
//!   `MaxSetHistory` (the evidence window is the smaller of the two).
//!
//! Validators never need an account or session keys on the consumer; the consumer does not use
//! pallet-session.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod channel_close;
pub mod downtime;
pub mod equivocation;
pub mod genesis;
pub mod handshake;
pub mod ibc_app;
pub mod outbox;
pub mod queue;
pub mod rewards;
pub mod runtime_api;
pub mod session;
pub mod types;
pub mod vsc;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use ccv_primitives::channel::{ProviderClientFactory, RewardTransfer};
pub use pallet::*;
pub use rewards::SplitRewards;
pub use weights::WeightInfo;

use ccv_primitives::ConsumerGenesis;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::ccv-consumer";

// FRAME's pallet macros expand to `expect` calls in generated metadata code; the lint is
// relaxed for that expansion only. No hand-written code in this module unwraps or expects.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use crate::types::{
		CcvChannelState, FeePoolAddr, MaturingVsc, QueueBounds, SessionInfo, SigningInfo,
		SlashRecord, Validator, ValidatorSet,
	};
	use ccv_primitives::{
		channel::{IbcChannel, IbcId, Sequence},
		ConsensusAddress, ConsensusKey, ConsumerPacket, ConsumerParams, Power, VscId,
	};
	use frame_support::{pallet_prelude::*, traits::fungible};
	use frame_system::pallet_prelude::*;
	use sp_consensus_grandpa::SetId;

	/// Index of a consumer session (the consumer's own schedule, not pallet-session's).
	pub type SessionIndex = u32;

	/// Current storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// The consumer pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	// ------------------------------------------------------------------------------------------
	// Config
	// ------------------------------------------------------------------------------------------

	/// Configuration: the consensus pallets it drives, the IBC seam and the bounds.
	#[pallet::config]
	pub trait Config:
		frame_system::Config
		+ pallet_timestamp::Config
		+ pallet_aura::Config<AuthorityId = sp_consensus_aura::ed25519::AuthorityId>
		+ pallet_grandpa::Config
	{
		/// Sends packets and opens channels (pallet-ibc; a fake in tests).
		type Channel: IbcChannel;
		/// Creates the light client of the provider at genesis (pallet-ibc).
		type ProviderClient: ProviderClientFactory;
		/// The native currency rewards are paid in.
		type Currency: fungible::Balanced<Self::AccountId> + fungible::Mutate<Self::AccountId>;
		/// Sends rewards to the provider over ICS-20 (pallet-ibc's transfer app).
		type RewardTransfer: RewardTransfer<Self::AccountId, crate::rewards::BalanceOf<Self>>;
		/// Id of the CCV module account, which collects the provider's share of rewards.
		#[pallet::constant]
		type PalletId: Get<frame_support::PalletId>;
		/// Account receiving the consumer's own share of rewards.
		type RedistributionAccount: Get<Self::AccountId>;
		/// This chain's id, for the reward memo.
		type ChainId: Get<&'static str>;
		/// Most validators in the consumer's set; at most Aura's and GRANDPA's `MaxAuthorities`.
		#[pallet::constant]
		type MaxValidators: Get<u32>;
		/// Most packets in the outgoing queue; when full, producers hold their packet back.
		#[pallet::constant]
		type MaxPendingPackets: Get<u32>;
		/// Most packets sent (or matured into the queue) per block.
		#[pallet::constant]
		type MaxPacketsPerBlock: Get<u32>;
		/// Most applied VSCs waiting for their unbonding period.
		#[pallet::constant]
		type MaxMaturingVscs: Get<u32>;
		/// Most entries of the vsc_id -> height index (also capped by `historical_entries`).
		#[pallet::constant]
		type MaxVscHeights: Get<u32>;
		/// Sessions kept in [`SessionHistory`].
		#[pallet::constant]
		type MaxSessionHistory: Get<u32>;
		/// Authority sets kept in [`AuthoritySets`].
		#[pallet::constant]
		type MaxSetHistory: Get<u32>;
		/// Most empty slots attributed as misses per block (the earliest of a gap).
		#[pallet::constant]
		type MaxMissesPerBlock: Get<u32>;
		/// A gap of more empty slots than this between two blocks is a chain halt, not downtime.
		#[pallet::constant]
		type ChainHaltSlots: Get<u64>;
		/// Bound of a validator's miss bitmap, in 64-slot words (`downtime_window_slots` must fit).
		#[pallet::constant]
		type MaxDowntimeWindowWords: Get<u32>;
		/// Human-readable part of the bech32 consensus addresses in VSC slash acks.
		type SlashAckHrp: Get<&'static str>;
		/// Benchmark setup outside this pallet (open channels on the IBC host).
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::types::BenchmarkHelper;
		/// Weights of this pallet's hooks and callbacks.
		type WeightInfo: WeightInfo;
	}

	// ------------------------------------------------------------------------------------------
	// Storage
	// ------------------------------------------------------------------------------------------

	/// CCV parameters from the consumer genesis.
	#[pallet::storage]
	pub type Params<T> = StorageValue<_, ConsumerParams, OptionQuery>;

	/// The client of the provider created at genesis; the CCV channel must sit on it.
	#[pallet::storage]
	pub type ProviderClientId<T> = StorageValue<_, IbcId, OptionQuery>;

	/// The CCV channel, once the first VSC established it.
	#[pallet::storage]
	pub type CcvChannel<T> = StorageValue<_, CcvChannelState, OptionQuery>;

	/// Provider account receiving this consumer's rewards (from the handshake).
	#[pallet::storage]
	pub type ProviderFeePool<T> = StorageValue<_, FeePoolAddr, OptionQuery>;

	/// The ICS-20 channel opened for rewards.
	#[pallet::storage]
	pub type TransferChannel<T> = StorageValue<_, IbcId, OptionQuery>;

	/// The validator set in force (Aura and GRANDPA authorities), sorted by key.
	#[pallet::storage]
	pub type CurrentValidators<T: Config> =
		StorageValue<_, ValidatorSet<T::MaxValidators>, ValueQuery>;

	/// The set the VSCs received since the last boundary lead to; applied at the next one.
	#[pallet::storage]
	pub type NextValidators<T: Config> =
		StorageValue<_, ValidatorSet<T::MaxValidators>, OptionQuery>;

	/// Highest vsc_id received (0 before the first VSC).
	#[pallet::storage]
	pub type HighestVscId<T> = StorageValue<_, VscId, ValueQuery>;

	/// Newest vsc_id received since the last session boundary.
	#[pallet::storage]
	pub type PendingVscId<T> = StorageValue<_, VscId, OptionQuery>;

	/// The vsc_id of the set in force (0: the genesis set).
	#[pallet::storage]
	pub type AppliedVscId<T> = StorageValue<_, VscId, ValueQuery>;

	/// Consumer block at which each VSC was received (bounded, oldest pruned first).
	#[pallet::storage]
	pub type VscHeights<T: Config> =
		StorageMap<_, Twox64Concat, VscId, BlockNumberFor<T>, OptionQuery>;

	/// Bounds of [`VscHeightOrder`].
	#[pallet::storage]
	pub type VscHeightBounds<T> = StorageValue<_, QueueBounds, ValueQuery>;

	/// Receive order of the ids in [`VscHeights`], for pruning.
	#[pallet::storage]
	pub type VscHeightOrder<T> = StorageMap<_, Twox64Concat, u64, VscId, OptionQuery>;

	/// Validators with a downtime slash in flight: not reported again until a slash ack.
	#[pallet::storage]
	pub type OutstandingDowntime<T> =
		StorageMap<_, Blake2_128Concat, ConsensusAddress, (), OptionQuery>;

	/// Slot of the last block seen by downtime tracking (0: none yet).
	#[pallet::storage]
	pub type LastSlot<T> = StorageValue<_, u64, ValueQuery>;

	/// Number of validators in the set in force (Aura's authority count).
	#[pallet::storage]
	pub type ValidatorCount<T> = StorageValue<_, u32, ValueQuery>;

	/// The set in force by Aura index, for O(1) slot -> authority lookups.
	#[pallet::storage]
	pub type ValidatorByIndex<T> = StorageMap<_, Twox64Concat, u32, Validator, OptionQuery>;

	/// Each validator's downtime window position and miss count.
	#[pallet::storage]
	pub type SigningInfos<T> =
		StorageMap<_, Blake2_128Concat, ConsensusKey, SigningInfo, OptionQuery>;

	/// Each validator's missed-slot bitmap over its window.
	#[pallet::storage]
	pub type MissedBits<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		ConsensusKey,
		BoundedVec<u64, T::MaxDowntimeWindowWords>,
		ValueQuery,
	>;

	/// Current consumer session.
	#[pallet::storage]
	pub type CurrentSession<T> = StorageValue<_, SessionIndex, ValueQuery>;

	/// Block at which the next session starts.
	#[pallet::storage]
	pub type NextSessionAt<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Set id, vsc_id and first block of recent sessions (bounded by `MaxSessionHistory`).
	#[pallet::storage]
	pub type SessionHistory<T: Config> =
		StorageMap<_, Twox64Concat, SessionIndex, SessionInfo<BlockNumberFor<T>>, OptionQuery>;

	/// The authority set of each recent GRANDPA set id (bounded by `MaxSetHistory`).
	#[pallet::storage]
	pub type AuthoritySets<T: Config> =
		StorageMap<_, Twox64Concat, SetId, ValidatorSet<T::MaxValidators>, OptionQuery>;

	/// The vsc_id in force under each GRANDPA set id of [`AuthoritySets`] (pruned with it).
	#[pallet::storage]
	pub type AuthoritySetVscIds<T> = StorageMap<_, Twox64Concat, SetId, VscId, OptionQuery>;

	/// Verified GRANDPA vote-equivocation evidence by set id and offender (the first report
	/// of each; at most `MaxValidators` per set id, pruned with [`AuthoritySets`]).
	#[pallet::storage]
	pub type Equivocations<T> = StorageDoubleMap<
		_,
		Twox64Concat,
		SetId,
		Blake2_128Concat,
		ConsensusKey,
		crate::equivocation::EquivocationRecord,
		OptionQuery,
	>;

	/// Validators a double-sign slash packet was produced for, by set id (pruned with
	/// [`AuthoritySets`]): one packet per validator and set id.
	#[pallet::storage]
	pub type DoubleSignReported<T> =
		StorageDoubleMap<_, Twox64Concat, SetId, Blake2_128Concat, ConsensusKey, (), OptionQuery>;

	/// Bounds of [`DoubleSignBacklog`].
	#[pallet::storage]
	pub type DoubleSignBacklogBounds<T> = StorageValue<_, QueueBounds, ValueQuery>;

	/// Double-sign slash packets waiting for room in [`Outbox`], oldest first (at most
	/// `MaxPendingPackets`).
	#[pallet::storage]
	pub type DoubleSignBacklog<T> =
		StorageMap<_, Twox64Concat, u64, ccv_primitives::SlashPacket, OptionQuery>;

	/// Bounds of [`Outbox`].
	#[pallet::storage]
	pub type OutboxBounds<T> = StorageValue<_, QueueBounds, ValueQuery>;

	/// Outgoing consumer packets, oldest first; sent in order over the CCV channel.
	#[pallet::storage]
	pub type Outbox<T> = StorageMap<_, Twox64Concat, u64, ConsumerPacket, OptionQuery>;

	/// Send state of the slash packet at the head of [`Outbox`].
	#[pallet::storage]
	pub type SlashState<T> = StorageValue<_, SlashRecord, OptionQuery>;

	/// Bounds of [`Maturing`].
	#[pallet::storage]
	pub type MaturingBounds<T> = StorageValue<_, QueueBounds, ValueQuery>;

	/// Applied VSCs waiting for the unbonding period, oldest first.
	#[pallet::storage]
	pub type Maturing<T> = StorageMap<_, Twox64Concat, u64, MaturingVsc, OptionQuery>;

	// ------------------------------------------------------------------------------------------
	// Genesis
	// ------------------------------------------------------------------------------------------

	/// Genesis: the consumer genesis the provider produced at launch (required).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The consumer genesis; genesis build fails without a valid one.
		pub consumer_genesis: Option<ConsumerGenesis>,
		/// Marker.
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Err(e) = Pallet::<T>::build_genesis(self.consumer_genesis.as_ref()) {
				// Genesis build has no error channel: stop the chain from starting at all.
				panic!("pallet-ccv-consumer: invalid consumer genesis: {e}");
			}
		}
	}

	// ------------------------------------------------------------------------------------------
	// Events
	// ------------------------------------------------------------------------------------------

	/// Events an operator watches.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A VSC was accepted; its changes apply at the next session boundary.
		VscReceived {
			/// Its id.
			vsc_id: VscId,
			/// Number of validator updates it carried.
			updates: u32,
			/// Number of slash acks it carried.
			slash_acks: u32,
		},
		/// A VSC was refused with an error acknowledgement; nothing changed.
		VscRejected {
			/// Its id (0 when the packet could not be decoded).
			vsc_id: VscId,
			/// Why.
			reason: crate::types::VscRejection,
		},
		/// The first VSC arrived: CCV is established on this channel.
		ChannelEstablished {
			/// The CCV channel.
			channel: IbcId,
		},
		/// A new consumer session started.
		NewSession {
			/// Its index.
			session: SessionIndex,
			/// GRANDPA set id in force.
			set_id: SetId,
		},
		/// A new validator set was installed as Aura authorities and scheduled in GRANDPA.
		ValidatorSetApplied {
			/// Session it applies from.
			session: SessionIndex,
			/// New GRANDPA set id.
			set_id: SetId,
			/// Newest VSC it includes.
			vsc_id: VscId,
			/// Number of validators.
			validators: u32,
			/// Sum of their powers (GRANDPA weights).
			total_power: Power,
		},
		/// GRANDPA refused the change (`ChangePending`/`TooSoon`); retried at the next session.
		ValidatorSetChangeDeferred {
			/// Session at which it was attempted.
			session: SessionIndex,
		},
		/// A packet was appended to the outgoing queue.
		PacketQueued {
			/// The packet.
			packet: ConsumerPacket,
		},
		/// A packet could not be queued because the queue is full; it is kept by its producer
		/// and queued later.
		OutboxFull {
			/// The packet held back.
			packet: ConsumerPacket,
		},
		/// A packet was sent on the CCV channel.
		PacketSent {
			/// Its sequence.
			sequence: Sequence,
			/// The packet.
			packet: ConsumerPacket,
		},
		/// The provider handled the slash packet at the head of the queue.
		SlashPacketHandled {
			/// The validator it named.
			validator: ConsensusAddress,
		},
		/// The provider bounced the slash packet at the head of the queue; it is retried after
		/// `retry_delay_period`.
		SlashPacketBounced {
			/// The validator it named.
			validator: ConsensusAddress,
		},
		/// A VSC completed its unbonding period; `VscMatured` was queued.
		VscMatured {
			/// The VSC.
			vsc_id: VscId,
		},
		/// A validator missed more than `downtime_max_missed_slots` of its window; a downtime
		/// slash packet was queued.
		DowntimeDetected {
			/// The validator.
			validator: ConsensusAddress,
			/// Misses in its window.
			missed: u32,
		},
		/// A slash ack cleared a validator's outstanding downtime.
		OutstandingDowntimeCleared {
			/// The validator.
			validator: ConsensusAddress,
		},
		/// The handshake completed on our side; the provider's fee pool is known.
		ProviderFeePoolSet {
			/// The fee-pool address on the provider.
			address: FeePoolAddr,
		},
		/// The ICS-20 transfer channel handshake for rewards was started.
		TransferChannelOpening {
			/// Our end of it.
			channel: IbcId,
		},
		/// The provider's share of rewards was sent to the provider fee pool.
		RewardsTransmitted {
			/// Amount sent.
			amount: crate::rewards::BalanceOf<T>,
		},
		/// Sending rewards failed; the amount stays and is sent at the next interval.
		RewardsTransmissionFailed {
			/// Amount that was to be sent.
			amount: crate::rewards::BalanceOf<T>,
		},
		/// A GRANDPA vote equivocation was verified and reported; its evidence is kept for the
		/// provider.
		EquivocationReported {
			/// The equivocating validator.
			validator: ConsensusAddress,
			/// Set id of the votes.
			set_id: SetId,
			/// Round of the votes.
			round: sp_consensus_grandpa::RoundNumber,
		},
		/// A double-sign slash packet was dropped: the outgoing queue and its backlog were full,
		/// or the CCV channel is closed (the evidence stays available for the provider).
		DoubleSignPacketDropped {
			/// The validator it named.
			validator: ConsensusAddress,
		},
		/// The CCV channel closed: the chain keeps its last validator set, tracks no downtime
		/// and sends nothing more.
		CcvChannelClosed {
			/// The channel.
			channel: IbcId,
			/// Why it closed.
			cause: crate::types::ChannelCloseCause,
		},
	}

	// ------------------------------------------------------------------------------------------
	// Errors
	// ------------------------------------------------------------------------------------------

	/// Why a channel handshake step is refused (logged; the IBC message fails), or why a packet
	/// cannot be queued.
	#[pallet::error]
	pub enum Error<T> {
		/// Our port is not `consumer`.
		WrongPort,
		/// The counterparty port is not `provider`.
		WrongCounterpartyPort,
		/// The CCV channel must be ORDERED.
		NotOrdered,
		/// The channel must have exactly one connection hop.
		WrongConnectionHops,
		/// The connection is not on the provider client created at genesis.
		WrongClient,
		/// The version is not `"1"` (or, on ack, not a valid `HandshakeMetadata`).
		WrongVersion,
		/// A CCV channel is already established.
		ChannelExists,
		/// The consumer never answers `chan_open_try`/`chan_open_confirm`: it initiates.
		ConsumerInitiates,
		/// The fee-pool address is too long.
		FeePoolAddrTooLong,
		/// Opening the transfer channel failed.
		TransferChannelFailed,
		/// The consumer was not initialised from a consumer genesis.
		NotInitialised,
		/// The outgoing packet queue is full (`MaxPendingPackets`).
		OutboxFull,
		/// The CCV channel is closed: nothing is queued or sent any more.
		CcvChannelClosed,
	}

	// ------------------------------------------------------------------------------------------
	// Hooks
	// ------------------------------------------------------------------------------------------

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Downtime (under the set that governed the past slots), session boundary (apply the
		/// accumulated set), maturity, then sending queued packets and rewards. Once the CCV
		/// channel is closed, only the session boundary ([`channel_close`]).
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			let mut weight = T::DbWeight::get().reads(1);
			if Params::<T>::get().is_none() {
				return weight;
			}
			// `CcvChannel`, for the closed check.
			weight.saturating_accrue(T::DbWeight::get().reads(1));
			if Self::ccv_channel_closed() {
				weight.saturating_accrue(Self::on_session_boundary(n));
				return weight;
			}
			weight.saturating_accrue(Self::downtime_weight(Self::track_downtime()));
			weight.saturating_accrue(Self::on_session_boundary(n));
			weight.saturating_accrue(Self::drain_double_sign_backlog());
			weight.saturating_accrue(Self::mature_vscs());
			weight.saturating_accrue(Self::send_packets());
			weight.saturating_accrue(Self::transmit_rewards(n));
			weight
		}

		/// Checks that the bounds are consistent with Aura's and GRANDPA's.
		fn integrity_test() {
			let max = T::MaxValidators::get();
			assert!(max > 0, "MaxValidators must be positive");
			assert!(
				max <= <T as pallet_aura::Config>::MaxAuthorities::get(),
				"MaxValidators must not exceed Aura's MaxAuthorities"
			);
			assert!(
				max <= <T as pallet_grandpa::Config>::MaxAuthorities::get(),
				"MaxValidators must not exceed GRANDPA's MaxAuthorities"
			);
			assert!(T::MaxPendingPackets::get() > 0, "MaxPendingPackets must be positive");
			assert!(T::MaxPacketsPerBlock::get() > 0, "MaxPacketsPerBlock must be positive");
			assert!(T::MaxMaturingVscs::get() > 0, "MaxMaturingVscs must be positive");
			assert!(T::MaxSetHistory::get() > 0, "MaxSetHistory must be positive");
			assert!(T::MaxSessionHistory::get() > 0, "MaxSessionHistory must be positive");
			assert!(
				T::MaxDowntimeWindowWords::get() > 0,
				"MaxDowntimeWindowWords must be positive"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Current time in unix milliseconds: pallet-timestamp's `Now` (in `on_initialize` this is
	/// the parent block's time).
	pub fn now_ms() -> u64 {
		use sp_runtime::SaturatedConversion;
		pallet_timestamp::Pallet::<T>::get().saturated_into::<u64>()
	}

	/// Checks the pallet's invariants: the set in force is a valid GRANDPA set and equals the
	/// Aura authorities, queues are within their bounds.
	#[cfg(any(test, feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::{ensure, traits::Get};
		if Params::<T>::get().is_none() {
			return Ok(());
		}
		let current = CurrentValidators::<T>::get();
		ensure!(
			ccv_primitives::validate_validator_set(&current).is_ok(),
			"current validator set is not a valid GRANDPA set"
		);
		ensure!(current.windows(2).all(|w| matches!(w, [a, b] if a.key < b.key)), "set not sorted");
		let aura: alloc::vec::Vec<_> = current.iter().map(|v| types::aura_id(&v.key)).collect();
		ensure!(pallet_aura::Authorities::<T>::get().to_vec() == aura, "Aura authorities differ");
		if pallet_grandpa::PendingChange::<T>::get().is_none() {
			ensure!(
				pallet_grandpa::Pallet::<T>::grandpa_authorities()
					== types::grandpa_authorities(&current),
				"GRANDPA authorities differ"
			);
		}
		ensure!(ValidatorCount::<T>::get() as usize == current.len(), "validator index count");
		for (i, v) in current.iter().enumerate() {
			ensure!(ValidatorByIndex::<T>::get(i as u32).as_ref() == Some(v), "validator index");
		}
		ensure!(
			OutboxBounds::<T>::get().len() <= u64::from(T::MaxPendingPackets::get()),
			"outbox over its bound"
		);
		ensure!(
			DoubleSignBacklogBounds::<T>::get().len() <= u64::from(T::MaxPendingPackets::get()),
			"double-sign backlog over its bound"
		);
		for (set_id, _) in AuthoritySetVscIds::<T>::iter() {
			ensure!(AuthoritySets::<T>::contains_key(set_id), "vsc id of a set not kept");
		}
		for (set_id, key, _) in Equivocations::<T>::iter() {
			let kept = AuthoritySets::<T>::get(set_id);
			ensure!(
				kept.is_some_and(|set| set.iter().any(|v| v.key == key)),
				"equivocation evidence outside the kept sets"
			);
		}
		ensure!(
			MaturingBounds::<T>::get().len() <= u64::from(T::MaxMaturingVscs::get()),
			"maturing queue over its bound"
		);
		ensure!(
			VscHeightBounds::<T>::get().len() <= u64::from(T::MaxVscHeights::get()),
			"vsc height index over its bound"
		);
		Ok(())
	}
}
