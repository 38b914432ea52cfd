//! # pallet-ccv-provider
//!
//! The provider half of ICS-028 Interchain Security: this chain's `pallet-staking` validators
//! secure consumer chains.
//!
//! This file is the table of contents: configuration, storage, events, errors, calls and hooks,
//! each with a one-line doc. The logic lives in domain modules:
//!
//! - `lifecycle`: create, update, launch at `spawn_time`, stop, delete.
//! - `key_assignment`: consumer keys, opt-in and opt-out.
//! - `vsc`: era candidates from staking, power shaping, diffs, VSC queue and
//!   sending.
//! - [`equivocation`]: verified consumer equivocation evidence: slash and tombstone.
//! - [`jail`]: jail, unjail and the staking `TargetList` filter that hides jailed validators.
//! - [`slashing`]: accepted downtime slashes reported to staking through pallet-offences.
//! - `throttle`: the slash meter that bounds downtime slashes.
//! - [`rewards`]: consumer fee pools, per-era reward snapshots and paged payouts to validators
//!   and their nominators.
//! - `queries`: read-only queries, the functions behind the runtime API.
//! - [`runtime_api`]: the `CcvProviderApi` runtime API (consumers by phase, genesis, keys both
//!   ways, throttle state, opted-in and current validators, VSC ids and sessions, rewards).
//! - `ibc_app`: the [`CcvIbcApp`](ccv_primitives::channel::CcvIbcApp)
//!   callbacks (handshake, consumer packets, acknowledgements, timeouts).
//!
//! Every hook is bounded per block by a `Config` constant; work beyond a bound continues in
//! the next block. Weights in [`weights`] are generated from `benchmarking.rs` on the provider
//! runtime by `scripts/bench.sh`.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod equivocation;
mod ibc_app;
pub mod jail;
mod key_assignment;
mod lifecycle;
mod queries;
pub mod rewards;
pub mod runtime_api;
pub mod slashing;
mod throttle;
pub mod types;
mod vsc;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use ccv_primitives::ConsumerId;
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{EnsureOrigin, Get, UnixTime},
};
use frame_system::ensure_signed;

// FRAME's pallet macros expand to `expect` calls in generated metadata code; the lint is
// relaxed for that expansion only. Hand-written logic lives outside this module.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{string::String, vec::Vec};
	use ccv_primitives::{
		channel::{IbcChannel, IbcId},
		ConsensusAddress, ConsensusKey, ConsumerGenesis, ConsumerId, Infraction, MaxSlashAcks,
		Power, SlashAck, VscId, VscPacket,
	};
	use frame_support::{
		pallet_prelude::*,
		traits::{fungibles, EnsureOrigin, UnixTime},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{traits::Convert, Perbill};
	use sp_staking::{offence::ReportOffence, EraIndex};

	/// Balance type of the provider's staking.
	pub type BalanceOf<T> = pallet_staking::BalanceOf<T>;
	/// Power-shaping parameters as the pallet stores them.
	pub type PowerShapingOf<T> =
		PowerShapingParams<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
	/// A consumer's validator set as the pallet stores it.
	pub type ValidatorSetOf<T> = BoundedVec<
		ConsumerValidator<<T as frame_system::Config>::AccountId>,
		<T as Config>::MaxValidators,
	>;
	/// The era's candidates, by power descending.
	pub type CandidatesOf<T> = BoundedVec<
		Candidate<<T as frame_system::Config>::AccountId, BalanceOf<T>>,
		<T as Config>::MaxValidators,
	>;
	/// A validator whose candidacy changed between two eras, with its new candidacy (`None`:
	/// it left).
	pub type CandidateChangeOf<T> = (
		<T as frame_system::Config>::AccountId,
		Option<Candidate<<T as frame_system::Config>::AccountId, BalanceOf<T>>>,
	);
	/// Asset id of the voucher assets rewards are paid in.
	pub type AssetIdOf<T> = <<T as Config>::RewardAssets as fungibles::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::AssetId;
	/// A reward currency of this runtime: native or a voucher asset.
	pub type RewardAssetOf<T> = RewardAsset<AssetIdOf<T>>;
	/// Consumer ids ordered by a unix time in milliseconds.
	pub type TimeQueue<T> = BoundedVec<(u64, ConsumerId), <T as Config>::MaxConsumerChains>;

	/// The provider pallet.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration: the staking and session pallets it reads, the IBC seam and its bounds.
	#[pallet::config]
	pub trait Config:
		frame_system::Config
		+ pallet_staking::Config
		+ pallet_session::Config<ValidatorId = <Self as frame_system::Config>::AccountId>
	{
		/// Who may create consumers (and update or remove any consumer).
		type ConsumerAdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The IBC host: sends packets, creates clients, describes this chain's client.
		type Channel: IbcChannel;
		/// Wall-clock time (unix milliseconds) for spawn and removal times and packet timeouts.
		type Time: UnixTime;
		/// Renders an account as the address string announced in the channel handshake.
		type AccountToAddress: Convert<Self::AccountId, String>;
		/// Derives the per-consumer reward pool accounts.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Exposure per unit of consumer power.
		#[pallet::constant]
		type PowerReduction: Get<BalanceOf<Self>>;
		/// How long a stopped consumer's state is kept before deletion, in milliseconds.
		#[pallet::constant]
		type UnbondingPeriodMs: Get<u64>;
		/// How long a launched consumer may take to establish its CCV channel before it is
		/// stopped, in milliseconds.
		#[pallet::constant]
		type InitTimeoutMs: Get<u64>;
		/// Trusting period of a consumer client as a fraction of the consumer's unbonding period.
		#[pallet::constant]
		type TrustingPeriodFraction: Get<Perbill>;
		/// Most consumers that are not deleted.
		#[pallet::constant]
		type MaxConsumerChains: Get<u32>;
		/// Most provider validators considered per era, and most validators per consumer.
		#[pallet::constant]
		type MaxValidators: Get<u32>;
		/// Most consumers launched per block.
		#[pallet::constant]
		type MaxLaunchesPerBlock: Get<u32>;
		/// Most consumer sets recomputed per block after an era change.
		#[pallet::constant]
		type MaxRecomputesPerBlock: Get<u32>;
		/// Most VSC packets sent per block.
		#[pallet::constant]
		type MaxVscPerBlock: Get<u32>;
		/// Most stopped consumers deleted (or partly cleaned) per block.
		#[pallet::constant]
		type MaxDeletionsPerBlock: Get<u32>;
		/// Most entries removed from each per-consumer map in one deletion step.
		#[pallet::constant]
		type CleanupLimit: Get<u32>;
		/// Most VSCs per consumer whose provider session is remembered for slashing. Records
		/// leave once a later VSC was sent more than `UnbondingPeriodMs` ago; beyond this bound
		/// the oldest leave first (so size it for the VSCs one unbonding period can bring).
		#[pallet::constant]
		type MaxVscRecords: Get<u32>;
		/// Most accepted downtime slash requests waiting to be reported to staking.
		#[pallet::constant]
		type MaxPendingSlashRequests: Get<u32>;
		/// How often the slash meter replenishes, in milliseconds.
		#[pallet::constant]
		type SlashMeterReplenishPeriodMs: Get<u64>;
		/// Share of the total power the slash meter allows per replenish period.
		#[pallet::constant]
		type SlashMeterReplenishFraction: Get<Perbill>;
		/// Where offences go: `FilterHistoricalOffences<Staking, Offences>` in a runtime.
		type ReportOffence: ReportOffence<
				Self::AccountId,
				(Self::AccountId, ()),
				slashing::ConsumerDowntimeOffence<(Self::AccountId, ())>,
			> + ReportOffence<
				Self::AccountId,
				(Self::AccountId, ()),
				equivocation::ConsumerEquivocationOffence<(Self::AccountId, ())>,
			>;
		/// Verifies consumer equivocation evidence against the consumer's light client.
		type EquivocationVerifier: equivocation::EquivocationVerifier;
		/// Most downtime slash requests reported to staking per block.
		#[pallet::constant]
		type MaxSlashesPerBlock: Get<u32>;
		/// The voucher assets (ICS-20) consumer rewards arrive in, with the staking balance type.
		type RewardAssets: fungibles::Inspect<Self::AccountId, Balance = BalanceOf<Self>>
			+ fungibles::Mutate<Self::AccountId>;
		/// Maps a consumer's allowlisted reward denom to its voucher asset.
		type RewardDenoms: rewards::RewardDenomToAsset<AssetIdOf<Self>>;
		/// Most voucher assets per consumer (its allowlisted reward denoms; ICS allows 3).
		#[pallet::constant]
		type MaxRewardAssets: Get<u32>;
		/// Eras a reward snapshot stays claimable (at most staking's `HistoryDepth`).
		#[pallet::constant]
		type RewardEraDepth: Get<u32>;
		/// Benchmark setup outside this pallet (voucher assets, IBC channel, signed evidence).
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::types::BenchmarkHelper<AssetIdOf<Self>>;
		/// Weights of calls and hooks.
		type WeightInfo: WeightInfo;
	}

	// ---------------------------------------------------------------- consumers and lifecycle

	/// The id the next created consumer gets.
	#[pallet::storage]
	pub type NextConsumerId<T> = StorageValue<_, ConsumerId, ValueQuery>;

	/// Number of consumers that are not deleted (at most `MaxConsumerChains`).
	#[pallet::storage]
	pub type ConsumerCount<T> = StorageValue<_, u32, ValueQuery>;

	/// Phase of every consumer ever created (deleted ones keep `Deleted`).
	#[pallet::storage]
	pub type Phase<T> = StorageMap<_, Twox64Concat, ConsumerId, ConsumerPhase>;

	/// Owner of a consumer; absent when only the admin origin controls it.
	#[pallet::storage]
	pub type Owner<T: Config> = StorageMap<_, Twox64Concat, ConsumerId, T::AccountId>;

	/// Chain id of a consumer.
	#[pallet::storage]
	pub type ChainIdOf<T> = StorageMap<_, Twox64Concat, ConsumerId, ChainId>;

	/// Metadata of a consumer.
	#[pallet::storage]
	pub type MetadataOf<T> = StorageMap<_, Twox64Concat, ConsumerId, Metadata>;

	/// Initialization parameters of a consumer.
	#[pallet::storage]
	pub type InitParamsOf<T> = StorageMap<_, Twox64Concat, ConsumerId, InitParams>;

	/// Power-shaping parameters of a consumer.
	#[pallet::storage]
	pub type PowerShaping<T: Config> = StorageMap<_, Twox64Concat, ConsumerId, PowerShapingOf<T>>;

	/// Infraction parameters of a consumer.
	#[pallet::storage]
	pub type InfractionParamsOf<T> = StorageMap<_, Twox64Concat, ConsumerId, InfractionParams>;

	/// Initialized consumers by spawn time (ascending).
	#[pallet::storage]
	pub type SpawnQueue<T: Config> = StorageValue<_, TimeQueue<T>, ValueQuery>;

	/// Launched consumers, ascending by id.
	#[pallet::storage]
	pub type LaunchedConsumers<T: Config> =
		StorageValue<_, BoundedVec<ConsumerId, T::MaxConsumerChains>, ValueQuery>;

	/// Launched consumers without an established channel, by init-timeout deadline (ascending).
	#[pallet::storage]
	pub type InitTimeouts<T: Config> = StorageValue<_, TimeQueue<T>, ValueQuery>;

	/// Stopped consumers by removal time (ascending).
	#[pallet::storage]
	pub type RemovalQueue<T: Config> = StorageValue<_, TimeQueue<T>, ValueQuery>;

	/// Genesis of a launched consumer, for its chain spec.
	#[pallet::storage]
	pub type ConsumerGenesisOf<T> = StorageMap<_, Twox64Concat, ConsumerId, ConsumerGenesis>;

	// ---------------------------------------------------------------- IBC

	/// The light client of a launched consumer, created at launch.
	#[pallet::storage]
	pub type ConsumerClient<T> = StorageMap<_, Twox64Concat, ConsumerId, IbcId>;

	/// Reverse of [`ConsumerClient`].
	#[pallet::storage]
	pub type ClientToConsumer<T> = StorageMap<_, Blake2_128Concat, IbcId, ConsumerId>;

	/// The established CCV channel of a consumer (never replaced).
	#[pallet::storage]
	pub type ConsumerChannel<T> = StorageMap<_, Twox64Concat, ConsumerId, IbcId>;

	/// The channel of a consumer's handshake in progress (between `try` and `confirm`).
	#[pallet::storage]
	pub type PendingChannel<T> = StorageMap<_, Twox64Concat, ConsumerId, IbcId>;

	/// Consumer of an established or handshaking CCV channel.
	#[pallet::storage]
	pub type ChannelToConsumer<T> = StorageMap<_, Blake2_128Concat, IbcId, ConsumerId>;

	// ---------------------------------------------------------------- keys and opt-in

	/// A validator's current consensus key on a consumer.
	#[pallet::storage]
	pub type ConsumerKeys<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ConsumerId, Blake2_128Concat, T::AccountId, ConsensusKey>;

	/// Provider validator of a consumer address, for current and replaced keys (kept until the
	/// consumer is deleted, so every vsc_id in the slashing window resolves).
	#[pallet::storage]
	pub type KeyOwners<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ConsumerId,
		Blake2_128Concat,
		ConsensusAddress,
		T::AccountId,
	>;

	/// Every consumer key ever assigned, with its consumer and validator: never pruned, so a key
	/// is never used twice anywhere (GRANDPA signatures carry no chain id).
	#[pallet::storage]
	pub type UsedKeys<T: Config> =
		StorageMap<_, Blake2_128Concat, ConsensusKey, (ConsumerId, T::AccountId)>;

	/// Validators that opted in to a consumer.
	#[pallet::storage]
	pub type OptedIn<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ConsumerId, Blake2_128Concat, T::AccountId, ()>;

	/// Validators a top-N consumer needs but that have no key there (last computation).
	#[pallet::storage]
	pub type TopNWithoutKey<T: Config> = StorageMap<
		_,
		Twox64Concat,
		ConsumerId,
		BoundedVec<T::AccountId, T::MaxValidators>,
		ValueQuery,
	>;

	/// Smallest power inside a top-N consumer's top N% at the last computation.
	#[pallet::storage]
	pub type MinPowerInTopN<T> = StorageMap<_, Twox64Concat, ConsumerId, Power>;

	// ---------------------------------------------------------------- validator sets and VSCs

	/// The last era whose change the pallet noticed.
	#[pallet::storage]
	pub type LastEra<T> = StorageValue<_, EraIndex>;

	/// Recomputation of consumer sets in progress after an era change.
	#[pallet::storage]
	pub type Recompute<T> = StorageValue<_, RecomputeCursor>;

	/// The candidates of an era (provider validators with their exposure), by power descending.
	#[pallet::storage]
	pub type EraCandidates<T: Config> = StorageValue<_, (EraIndex, CandidatesOf<T>)>;

	/// How candidacies changed from the previous era's candidates to this era's: each changed
	/// validator with its new candidacy (`None`: no longer a candidate). Absent when unknown
	/// (an era was skipped) or when more than `MaxValidators` changed; consumers are then
	/// recomputed in full.
	#[pallet::storage]
	pub type EraCandidateChanges<T: Config> =
		StorageValue<_, (EraIndex, BoundedVec<CandidateChangeOf<T>, <T as Config>::MaxValidators>)>;

	/// When each launched consumer's set was last computed; removed when its opt-ins, keys or
	/// power shaping change (its next computation is then a full one).
	#[pallet::storage]
	pub type SetStamps<T> = StorageMap<_, Twox64Concat, ConsumerId, SetStamp>;

	/// Bumped whenever a validator is jailed or unjailed: sets computed before are stale.
	#[pallet::storage]
	pub type JailNonce<T> = StorageValue<_, u32, ValueQuery>;

	/// A consumer's set as of its latest computed VSC (what it has once every VSC is applied).
	#[pallet::storage]
	pub type ConsumerValidators<T: Config> =
		StorageMap<_, Twox64Concat, ConsumerId, ValidatorSetOf<T>, ValueQuery>;

	/// A consumer's set as of the VSCs actually sent (the base of the pending VSC's diff).
	#[pallet::storage]
	pub type SentValidators<T: Config> =
		StorageMap<_, Twox64Concat, ConsumerId, ValidatorSetOf<T>, ValueQuery>;

	/// The id the next VSC of a consumer gets (starts at 1; 0 is the genesis set).
	#[pallet::storage]
	pub type NextVscId<T> = StorageMap<_, Twox64Concat, ConsumerId, VscId, ValueQuery>;

	/// The VSCs a consumer received with the provider session each was sent in (vsc_id 0: its
	/// launch), ascending by vsc_id: downtime offences are reported for the session of their
	/// vsc_id. A record leaves once a later VSC was sent more than `UnbondingPeriodMs` ago (its
	/// slashing window is over); slash packets naming an unrecorded vsc_id get an error ack.
	#[pallet::storage]
	pub type VscSessions<T: Config> = StorageMap<
		_,
		Twox64Concat,
		ConsumerId,
		BoundedVec<VscSessionRecord, T::MaxVscRecords>,
		ValueQuery,
	>;

	/// The VSC waiting to be sent to a consumer (at most one: later changes merge into it).
	#[pallet::storage]
	pub type PendingVsc<T> = StorageMap<_, Twox64Concat, ConsumerId, VscPacket>;

	/// Consumers with a pending VSC, in queueing order.
	#[pallet::storage]
	pub type SendQueue<T: Config> =
		StorageValue<_, BoundedVec<ConsumerId, T::MaxConsumerChains>, ValueQuery>;

	/// Slash acks to put in a consumer's next VSC.
	#[pallet::storage]
	pub type PendingSlashAcks<T> =
		StorageMap<_, Twox64Concat, ConsumerId, BoundedVec<SlashAck, MaxSlashAcks>, ValueQuery>;

	/// Latest VSC a consumer reported matured.
	#[pallet::storage]
	pub type LatestMaturedVsc<T> = StorageMap<_, Twox64Concat, ConsumerId, VscId>;

	/// Accepted downtime slash requests, oldest first, waiting to be reported to staking.
	#[pallet::storage]
	pub type DowntimeSlashRequests<T: Config> = StorageValue<
		_,
		BoundedVec<DowntimeSlashRequest<T::AccountId>, T::MaxPendingSlashRequests>,
		ValueQuery,
	>;

	/// The slash meter: power downtime slashes may still take out (negative: throttled).
	#[pallet::storage]
	pub type SlashMeter<T> = StorageValue<_, i128, ValueQuery>;

	/// When the slash meter next replenishes (unix ms); absent until the meter is first filled.
	#[pallet::storage]
	pub type SlashMeterNextReplenish<T> = StorageValue<_, u64>;

	/// Jailed validators and when their jail ends (unix ms; `u64::MAX`: tombstoned).
	#[pallet::storage]
	pub type Jailed<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u64>;

	/// Equivocations already punished, by consumer and infraction id (until deletion).
	#[pallet::storage]
	pub type HandledEquivocations<T> =
		StorageDoubleMap<_, Twox64Concat, ConsumerId, Identity, [u8; 32], ()>;

	/// Number the next downtime offence report gets (its time slot with the consumer id).
	#[pallet::storage]
	pub type NextSlashReport<T> = StorageValue<_, u64, ValueQuery>;

	// ---------------------------------------------------------------- rewards

	/// A validator's commission on a consumer, overriding its staking commission.
	#[pallet::storage]
	pub type ConsumerCommission<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ConsumerId, Blake2_128Concat, T::AccountId, Perbill>;

	/// The first era whose rewards a consumer's next snapshot may cover (its launch era, then
	/// the era after its last snapshot).
	#[pallet::storage]
	pub type NextRewardEra<T> = StorageMap<_, Twox64Concat, ConsumerId, EraIndex>;

	/// Eras of a consumer's claimable reward snapshots, ascending.
	#[pallet::storage]
	pub type RewardEras<T: Config> = StorageMap<
		_,
		Twox64Concat,
		ConsumerId,
		BoundedVec<EraIndex, T::RewardEraDepth>,
		ValueQuery,
	>;

	/// A consumer's reward snapshot of an era: pots, total power and page layout.
	#[pallet::storage]
	pub type RewardSnapshots<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ConsumerId, Twox64Concat, EraIndex, RewardSnapshot<T>>;

	/// What a snapshot still owes each of its validators, by validator index (removed when paid).
	#[pallet::storage]
	pub type ValidatorRewards<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, ConsumerId>,
			NMapKey<Twox64Concat, EraIndex>,
			NMapKey<Twox64Concat, u32>,
		),
		ValidatorReward<T>,
	>;

	/// What a consumer's open snapshots still owe of each asset (held back from the next pot).
	#[pallet::storage]
	pub type RewardsOwed<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ConsumerId,
		Blake2_128Concat,
		RewardAssetOf<T>,
		BalanceOf<T>,
		ValueQuery,
	>;

	/// Events an operator watches.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A consumer was created.
		ConsumerCreated {
			/// Its id.
			consumer_id: ConsumerId,
			/// Its chain id.
			chain_id: ChainId,
			/// Its owner, if created by a signed admin.
			owner: Option<T::AccountId>,
		},
		/// A consumer's parameters changed.
		ConsumerUpdated {
			/// The consumer.
			consumer_id: ConsumerId,
		},
		/// A consumer launched: genesis stored, client created.
		ConsumerLaunched {
			/// The consumer.
			consumer_id: ConsumerId,
			/// Its light client on this chain.
			client_id: IbcId,
			/// Size of its initial validator set.
			validators: u32,
		},
		/// A consumer could not launch at its spawn time and is `Registered` again.
		ConsumerLaunchFailed {
			/// The consumer.
			consumer_id: ConsumerId,
			/// Why.
			reason: LaunchFailure,
		},
		/// A consumer was stopped; it is deleted after its removal time.
		ConsumerStopped {
			/// The consumer.
			consumer_id: ConsumerId,
			/// Why.
			reason: StopReason,
			/// Unix time (ms) after which its state is deleted.
			removal_time_ms: u64,
		},
		/// A stopped consumer's state was deleted.
		ConsumerDeleted {
			/// The consumer.
			consumer_id: ConsumerId,
		},
		/// A validator assigned a consensus key on a consumer.
		ConsumerKeyAssigned {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The provider validator.
			validator: T::AccountId,
			/// The new key.
			key: ConsensusKey,
		},
		/// A validator opted in to a consumer.
		OptedIn {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The validator.
			validator: T::AccountId,
		},
		/// A validator opted out of a consumer.
		OptedOut {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The validator.
			validator: T::AccountId,
		},
		/// Validators that must validate a top-N consumer but have no key there (left out).
		TopNValidatorsWithoutKey {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The validators.
			validators: Vec<T::AccountId>,
		},
		/// A VSC was queued for a consumer.
		VscQueued {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The VSC's id.
			vsc_id: VscId,
			/// Number of validator updates.
			updates: u32,
			/// Number of slash acks.
			slash_acks: u32,
		},
		/// A VSC was sent.
		VscSent {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The VSC's id.
			vsc_id: VscId,
			/// Packet sequence on the CCV channel.
			sequence: u64,
		},
		/// A consumer's CCV channel is established.
		ChannelEstablished {
			/// The consumer.
			consumer_id: ConsumerId,
			/// Our end of the channel.
			channel_id: IbcId,
		},
		/// A consumer reported a VSC matured.
		VscMatured {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The VSC.
			vsc_id: VscId,
		},
		/// An accepted downtime slash was reported to staking as an offence.
		DowntimeSlashReported {
			/// The consumer that reported it.
			consumer_id: ConsumerId,
			/// The offending provider validator.
			validator: T::AccountId,
			/// The VSC in force at the infraction.
			vsc_id: VscId,
			/// The consumer's downtime slash fraction.
			slash_fraction: Perbill,
			/// Whether the offence pipeline accepted the report.
			reported: bool,
		},
		/// A verified consumer equivocation was reported to staking and its validator jailed.
		ConsumerEquivocationPunished {
			/// The consumer it happened on.
			consumer_id: ConsumerId,
			/// The provider validator.
			validator: T::AccountId,
			/// Its equivocating consumer key.
			key: ConsensusKey,
			/// The consumer's double-sign slash fraction.
			slash_fraction: Perbill,
		},
		/// A validator was jailed.
		ValidatorJailed {
			/// The validator.
			validator: T::AccountId,
			/// When its jail ends (unix ms; `u64::MAX`: tombstoned).
			until_ms: u64,
		},
		/// A validator was not jailed: that would leave fewer than `MinimumValidatorCount`.
		JailSkipped {
			/// The validator.
			validator: T::AccountId,
		},
		/// A validator left jail.
		ValidatorUnjailed {
			/// The validator.
			validator: T::AccountId,
		},
		/// A slash packet was received and handled.
		SlashPacketReceived {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The provider validator it names, if the address is known.
			validator: Option<T::AccountId>,
			/// The VSC in force at the infraction.
			vsc_id: VscId,
			/// The infraction.
			infraction: Infraction,
			/// What the provider did.
			outcome: SlashOutcome,
		},
		/// A validator set its commission on a consumer (applies from the next snapshot).
		ConsumerCommissionRateSet {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The validator.
			validator: T::AccountId,
			/// Its commission there.
			rate: Perbill,
		},
		/// A consumer's rewards of an era were snapshotted and can be claimed.
		ConsumerRewardsSnapshotted {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The era rewarded.
			era: EraIndex,
			/// Validators rewarded.
			validators: u32,
			/// Flat pages to claim.
			pages: u32,
			/// Each asset's pot.
			pots: Vec<(RewardAssetOf<T>, BalanceOf<T>)>,
			/// Of each pot, what is shared out (the rest stays for the next era).
			assigned: Vec<BalanceOf<T>>,
		},
		/// One page of a consumer's era rewards was paid.
		ConsumerRewardsPaid {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The era.
			era: EraIndex,
			/// The flat page.
			page: u32,
			/// The validator whose page it is.
			validator: T::AccountId,
			/// Nominators of the page.
			nominators: u32,
			/// Paid of each asset.
			paid: Vec<(RewardAssetOf<T>, BalanceOf<T>)>,
			/// On the validator's last page: what stays in the fee pool for the next era.
			retained: Vec<(RewardAssetOf<T>, BalanceOf<T>)>,
		},
		/// A consumer's reward snapshot expired; what it still owed stays for the next era.
		ConsumerRewardsExpired {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The era.
			era: EraIndex,
			/// Released of each asset.
			released: Vec<(RewardAssetOf<T>, BalanceOf<T>)>,
		},
	}

	/// Errors of the pallet's calls.
	#[pallet::error]
	pub enum Error<T> {
		/// No consumer has this id.
		UnknownConsumer,
		/// The caller is neither the consumer's owner nor the admin.
		NotOwner,
		/// The consumer's phase does not allow this.
		WrongPhase,
		/// `MaxConsumerChains` consumers exist already.
		TooManyConsumers,
		/// The chain id is empty.
		EmptyChainId,
		/// The initialization parameters fail validation.
		InvalidInitParams,
		/// The power-shaping parameters fail validation (`top_n` must be 0 or 50..=100).
		InvalidPowerShaping,
		/// The caller is not a bonded staking stash.
		NotAValidator,
		/// The key is a session key of a provider validator.
		KeyIsProviderSessionKey,
		/// The key was already assigned somewhere (keys are never reused).
		KeyAlreadyUsed,
		/// The validator has no key on this consumer.
		NoConsumerKey,
		/// The validator already opted in.
		AlreadyOptedIn,
		/// The validator has not opted in.
		NotOptedIn,
		/// A validator in the top N% of a top-N consumer cannot opt out.
		CannotOptOutTopN,
		/// The caller is not jailed.
		NotJailed,
		/// The caller's jail has not ended yet.
		JailNotExpired,
		/// The caller is tombstoned and never leaves jail.
		Tombstoned,
		/// The evidence does not prove an equivocation on this consumer's client.
		InvalidEvidence,
		/// This infraction was already punished.
		DuplicateEvidence,
		/// The equivocating key was never assigned on this consumer.
		UnknownOffender,
		/// The commission is below staking's minimum commission.
		CommissionBelowMinimum,
		/// More reward denoms than `MaxRewardAssets`.
		TooManyRewardDenoms,
		/// The consumer has no claimable reward snapshot of this era.
		NoRewardSnapshot,
		/// The snapshot has no such page.
		InvalidRewardPage,
		/// This page was already paid.
		RewardPageClaimed,
		/// An earlier page of the same validator must be paid first.
		RewardPageOutOfOrder,
	}

	/// Hooks: launches, era changes, VSC sending and deletions, each bounded per block.
	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Launch due consumers, stop those past their init timeout, notice a new era and
		/// recompute sets, replenish the slash meter, report downtime slashes (and jail), send
		/// VSCs, delete stopped consumers.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			let now = Self::now_ms();
			<T as Config>::WeightInfo::on_initialize_idle()
				.saturating_add(Self::launch_due_consumers(now))
				.saturating_add(Self::stop_timed_out_handshakes(now))
				.saturating_add(Self::process_era_change())
				.saturating_add(Self::replenish_slash_meter(now))
				.saturating_add(Self::report_downtime_slashes())
				.saturating_add(Self::send_pending_vscs(now))
				.saturating_add(Self::delete_due_consumers(now))
		}

		/// Checks the configured bounds fit the packet types.
		fn integrity_test() {
			assert!(
				T::MaxValidators::get() <= ccv_primitives::MAX_INITIAL_VALIDATORS
					&& T::MaxValidators::get().saturating_mul(2)
						<= ccv_primitives::MAX_VALIDATOR_UPDATES,
				"MaxValidators must fit a consumer genesis and a VSC"
			);
			assert!(T::MaxValidators::get() > 0, "MaxValidators must be positive");
			for (bound, name) in [
				(T::MaxLaunchesPerBlock::get(), "MaxLaunchesPerBlock"),
				(T::MaxRecomputesPerBlock::get(), "MaxRecomputesPerBlock"),
				(T::MaxVscPerBlock::get(), "MaxVscPerBlock"),
				(T::MaxDeletionsPerBlock::get(), "MaxDeletionsPerBlock"),
				(T::CleanupLimit::get(), "CleanupLimit"),
				(T::MaxSlashesPerBlock::get(), "MaxSlashesPerBlock"),
				(T::MaxVscRecords::get(), "MaxVscRecords"),
			] {
				assert!(bound > 0, "{name} must be positive, or that work never happens");
			}
			assert!(
				T::PowerReduction::get() > BalanceOf::<T>::from(0u32),
				"PowerReduction must be positive"
			);
			assert!(
				T::RewardEraDepth::get() > 0
					&& T::RewardEraDepth::get()
						<= <T as pallet_staking::Config>::HistoryDepth::get(),
				"RewardEraDepth must be positive and within staking's HistoryDepth"
			);
		}

		/// Checks the invariants (key-assignment bijection, phases, queues).
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	/// Calls: consumer lifecycle, key assignment, opt-in and opt-out.
	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Creates a consumer (admin origin; a signed admin becomes its owner).
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::create_consumer())]
		pub fn create_consumer(
			origin: OriginFor<T>,
			chain_id: ChainId,
			metadata: Metadata,
			init_params: Option<InitParams>,
			power_shaping: PowerShapingOf<T>,
			infraction_params: InfractionParams,
		) -> DispatchResult {
			let owner = ensure_signed(origin.clone()).ok();
			T::ConsumerAdminOrigin::ensure_origin(origin)?;
			Self::do_create_consumer(
				owner,
				chain_id,
				metadata,
				init_params,
				power_shaping,
				infraction_params,
			)
			.map(|_| ())
		}

		/// Updates a consumer (owner or admin); chain id and init params only before launch.
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::update_consumer())]
		pub fn update_consumer(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
			update: ConsumerUpdate<T::AccountId, BalanceOf<T>>,
		) -> DispatchResult {
			Self::ensure_owner_or_admin(origin, consumer_id)?;
			Self::do_update_consumer(consumer_id, update)
		}

		/// Removes a consumer (owner or admin): stopped now, deleted after the unbonding period
		/// (at once if it never launched).
		#[pallet::call_index(2)]
		#[pallet::weight(<T as Config>::WeightInfo::remove_consumer())]
		pub fn remove_consumer(origin: OriginFor<T>, consumer_id: ConsumerId) -> DispatchResult {
			Self::ensure_owner_or_admin(origin, consumer_id)?;
			Self::do_remove_consumer(consumer_id)
		}

		/// Assigns the caller's (a staking stash) consensus key on a consumer.
		#[pallet::call_index(3)]
		#[pallet::weight(<T as Config>::WeightInfo::assign_consumer_key())]
		pub fn assign_consumer_key(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
			key: ConsensusKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_assign_consumer_key(who, consumer_id, key)
		}

		/// Opts the caller in to a consumer (needs an assigned key); effective next era.
		#[pallet::call_index(4)]
		#[pallet::weight(<T as Config>::WeightInfo::opt_in())]
		pub fn opt_in(origin: OriginFor<T>, consumer_id: ConsumerId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_opt_in(who, consumer_id)
		}

		/// Opts the caller out of a consumer (not while in a top-N consumer's top N%).
		#[pallet::call_index(5)]
		#[pallet::weight(<T as Config>::WeightInfo::opt_out())]
		pub fn opt_out(origin: OriginFor<T>, consumer_id: ConsumerId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_opt_out(who, consumer_id)
		}

		/// Submits evidence of an equivocation on a consumer (anyone); slashes and jails.
		#[pallet::call_index(7)]
		#[pallet::weight(equivocation::submit_weight::<T>())]
		pub fn submit_consumer_equivocation(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
			evidence: equivocation::Evidence,
		) -> DispatchResult {
			let reporter = ensure_signed(origin)?;
			Self::do_submit_consumer_equivocation(reporter, consumer_id, evidence)
		}

		/// Sets the caller's (a staking stash) commission on a consumer, overriding its staking
		/// commission there from the next reward snapshot on.
		#[pallet::call_index(8)]
		#[pallet::weight(<T as Config>::WeightInfo::set_consumer_commission_rate())]
		pub fn set_consumer_commission_rate(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
			rate: Perbill,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_consumer_commission_rate(who, consumer_id, rate)
		}

		/// Pays one page of a consumer's era rewards (anyone): a validator's commission and
		/// own-stake part with its first page, and one staking exposure page of its nominators.
		#[pallet::call_index(9)]
		#[pallet::weight(<T as Config>::WeightInfo::claim_consumer_rewards(
			<T as pallet_staking::Config>::MaxExposurePageSize::get(),
			T::MaxRewardAssets::get().saturating_add(1),
		))]
		pub fn claim_consumer_rewards(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
			era: EraIndex,
			page: u32,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let (nominators, assets) = Self::do_claim_consumer_rewards(consumer_id, era, page)?;
			Ok(Some(<T as Config>::WeightInfo::claim_consumer_rewards(nominators, assets)).into())
		}

		/// Lifts the caller's expired jail (it must then `validate` again in staking).
		#[pallet::call_index(6)]
		#[pallet::weight(<T as Config>::WeightInfo::unjail())]
		pub fn unjail(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unjail(who)
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Current unix time in milliseconds.
	pub(crate) fn now_ms() -> u64 {
		u64::try_from(T::Time::now().as_millis()).unwrap_or(u64::MAX)
	}

	/// Admin origin passes; otherwise the signer must own the consumer.
	pub(crate) fn ensure_owner_or_admin(
		origin: frame_system::pallet_prelude::OriginFor<T>,
		consumer_id: ConsumerId,
	) -> DispatchResult {
		ensure!(Phase::<T>::contains_key(consumer_id), Error::<T>::UnknownConsumer);
		match T::ConsumerAdminOrigin::try_origin(origin) {
			Ok(_) => Ok(()),
			Err(origin) => {
				let who = ensure_signed(origin)?;
				ensure!(Owner::<T>::get(consumer_id) == Some(who), Error::<T>::NotOwner);
				Ok(())
			}
		}
	}

	/// The account that receives a consumer's rewards (announced in the handshake).
	pub fn fee_pool_account(consumer_id: ConsumerId) -> T::AccountId {
		use sp_runtime::traits::AccountIdConversion;
		T::PalletId::get().into_sub_account_truncating((b"fee", consumer_id))
	}

	/// Invariants: key-assignment bijection, phases consistent with the queues.
	#[cfg(any(test, feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		for (consumer_id, validator, key) in ConsumerKeys::<T>::iter() {
			ensure!(
				KeyOwners::<T>::get(consumer_id, key.address()).as_ref() == Some(&validator),
				"current consumer key has no reverse entry"
			);
			ensure!(
				UsedKeys::<T>::get(key) == Some((consumer_id, validator)),
				"current consumer key is not in the used-keys set"
			);
		}
		for (consumer_id, _address, validator) in KeyOwners::<T>::iter() {
			ensure!(
				ConsumerKeys::<T>::contains_key(consumer_id, &validator),
				"reverse key entry for a validator without a key"
			);
		}
		for consumer_id in LaunchedConsumers::<T>::get() {
			ensure!(
				Phase::<T>::get(consumer_id) == Some(ConsumerPhase::Launched),
				"launched list holds a consumer that is not launched"
			);
			ensure!(
				ConsumerGenesisOf::<T>::contains_key(consumer_id),
				"launched consumer without genesis"
			);
		}
		for (_, consumer_id) in SpawnQueue::<T>::get() {
			ensure!(
				Phase::<T>::get(consumer_id) == Some(ConsumerPhase::Initialized),
				"spawn queue holds a consumer that is not initialized"
			);
		}
		for (_, consumer_id) in RemovalQueue::<T>::get() {
			ensure!(
				Phase::<T>::get(consumer_id) == Some(ConsumerPhase::Stopped),
				"removal queue holds a consumer that is not stopped"
			);
		}
		for (consumer_id, records) in VscSessions::<T>::iter() {
			ensure!(
				matches!(
					Phase::<T>::get(consumer_id),
					Some(ConsumerPhase::Launched | ConsumerPhase::Stopped)
				),
				"vsc session records of a consumer that is not launched or stopped"
			);
			ensure!(
				records.windows(2).all(|w| matches!(w, [a, b] if a.vsc_id < b.vsc_id
					&& a.sent_ms <= b.sent_ms && a.session <= b.session)),
				"vsc session records not ascending"
			);
			ensure!(
				records.last().is_none_or(|r| r.vsc_id < NextVscId::<T>::get(consumer_id)),
				"vsc session record of a VSC not created yet"
			);
		}
		for (consumer_id, _) in SetStamps::<T>::iter() {
			ensure!(
				matches!(
					Phase::<T>::get(consumer_id),
					Some(ConsumerPhase::Launched | ConsumerPhase::Stopped)
				),
				"set stamp of a consumer that is not launched or stopped"
			);
		}
		if let (Some((changed, _)), Some((era, _))) =
			(EraCandidateChanges::<T>::get(), EraCandidates::<T>::get())
		{
			ensure!(changed == era, "candidate changes of another era than the candidates");
		}
		for (_, power_shaping) in PowerShaping::<T>::iter() {
			ensure!(power_shaping.is_valid(), "invalid power-shaping parameters stored");
		}
		for consumer_id in SendQueue::<T>::get() {
			ensure!(PendingVsc::<T>::contains_key(consumer_id), "queued consumer without VSC");
		}
		let live = Phase::<T>::iter_values().filter(|p| *p != ConsumerPhase::Deleted).count();
		ensure!(live == ConsumerCount::<T>::get() as usize, "consumer count mismatch");
		Self::try_state_rewards()
	}
}
