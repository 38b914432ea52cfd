//! The provider's own SCALE types: consumer phases and parameters, power shaping, consumer
//! validator entries and the bookkeeping records of the hooks.
//!
//! Packet types, consumer genesis and the wire codec live in `ccv-primitives`.

use ccv_primitives::{ConsensusKey, ConsumerId, ConsumerParams, Power, VscId};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use sp_runtime::{Perbill, Percent};

/// Longest consumer chain id, in bytes.
pub const MAX_CHAIN_ID_LEN: u32 = 64;
/// Longest consumer metadata blob (name, description, links), in bytes.
pub const MAX_METADATA_LEN: u32 = 4096;
/// Most entries in a power-shaping allowlist, denylist or prioritylist.
pub const MAX_POWER_SHAPING_LIST_LEN: u32 = 128;

/// A consumer chain id such as `consumer-1`.
pub type ChainId = BoundedVec<u8, ConstU32<MAX_CHAIN_ID_LEN>>;
/// Free-form consumer metadata, opaque to the pallet.
pub type Metadata = BoundedVec<u8, ConstU32<MAX_METADATA_LEN>>;
/// An allowlist, denylist or prioritylist of provider validators (stash accounts).
pub type ValidatorList<AccountId> = BoundedVec<AccountId, ConstU32<MAX_POWER_SHAPING_LIST_LEN>>;

/// Where a consumer is in its life (ICS v6 `ConsumerPhase`).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum ConsumerPhase {
	/// Created; no spawn time yet.
	Registered,
	/// Initialization parameters and a spawn time are set; waits for its spawn time.
	Initialized,
	/// Genesis built, client created; receives validator-set changes.
	Launched,
	/// Removed or failed; its storage is deleted once its removal time has passed.
	Stopped,
	/// All storage deleted; only the phase remains.
	Deleted,
}

impl ConsumerPhase {
	/// Whether the consumer still accepts configuration, key assignments and opt-ins.
	pub fn is_live(self) -> bool {
		matches!(self, Self::Registered | Self::Initialized | Self::Launched)
	}

	/// Whether the consumer has not launched yet.
	pub fn is_pre_launch(self) -> bool {
		matches!(self, Self::Registered | Self::Initialized)
	}
}

/// Initialization parameters of a consumer: when it spawns and the CCV parameters handed to it
/// in its genesis.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct InitParams {
	/// Unix time (ms) at which the provider launches the consumer; `None` keeps it registered.
	pub spawn_time_ms: Option<u64>,
	/// CCV parameters of the consumer genesis; `consumer_id` is overwritten by the pallet.
	pub params: ConsumerParams,
}

/// Which provider validators validate a consumer, and with what power (partial set security).
///
/// The set is computed as ICS v6.4 does (see `vsc::compute_consumer_set`): candidates by power,
/// jailed ones left out; top-N members are opted in automatically (and stay opted in); opted-in
/// validators pass the allowlist, denylist and `min_stake`; prioritylisted ones come first, then
/// the rest, each by power; `validator_set_cap` cuts that order (opt-in consumers only);
/// `validators_power_cap` then reshapes powers.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct PowerShapingParams<AccountId, Balance> {
	/// 0 for an opt-in chain; otherwise 50..=100: validators holding the top N% of power must
	/// validate the consumer (they are opted in automatically).
	pub top_n: u8,
	/// Largest share of the consumer's total power one validator may hold; 0 means no cap.
	/// Best effort: power above the cap is shared out among smaller validators, and when the
	/// set is too small for the cap (fewer than 100 / cap validators) everyone ends equal.
	pub validators_power_cap: Percent,
	/// Most validators in the consumer's set; 0 means no cap. Applies to opt-in consumers only
	/// (`top_n` 0): a top-N consumer needs all of its top N%.
	pub validator_set_cap: u32,
	/// If non-empty, only these validators may validate the consumer.
	pub allowlist: ValidatorList<AccountId>,
	/// These validators never validate the consumer.
	pub denylist: ValidatorList<AccountId>,
	/// Validators with less total exposure than this are left out.
	pub min_stake: Balance,
	/// Validators kept first when `validator_set_cap` cuts the set (ordered by power among
	/// themselves, before everyone else); only those that otherwise qualify.
	pub prioritylist: ValidatorList<AccountId>,
}

impl<AccountId, Balance: Default> Default for PowerShapingParams<AccountId, Balance> {
	fn default() -> Self {
		Self {
			top_n: 0,
			validators_power_cap: Percent::zero(),
			validator_set_cap: 0,
			allowlist: BoundedVec::new(),
			denylist: BoundedVec::new(),
			min_stake: Balance::default(),
			prioritylist: BoundedVec::new(),
		}
	}
}

impl<AccountId, Balance> PowerShapingParams<AccountId, Balance> {
	/// ICS's rule: `top_n` is 0 (opt-in) or within 50..=100.
	pub fn is_valid(&self) -> bool {
		self.top_n == 0 || (50..=100).contains(&self.top_n)
	}
}

/// How one kind of infraction is punished.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct SlashParams {
	/// Fraction of the exposure slashed.
	pub slash_fraction: Perbill,
	/// How long the validator stays jailed, in milliseconds.
	pub jail_duration_ms: u64,
	/// Whether the validator is excluded for good.
	pub tombstone: bool,
}

/// Per-consumer infraction parameters (ICS ADR-020): downtime applies to slash packets,
/// double sign to verified equivocation evidence.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct InfractionParams {
	/// Punishment of a verified consumer equivocation.
	pub double_sign: SlashParams,
	/// Punishment of downtime reported by the consumer.
	pub downtime: SlashParams,
}

impl Default for InfractionParams {
	/// ICS defaults: double sign 5% and tombstone; downtime no slash, 10 minutes of jail.
	fn default() -> Self {
		Self {
			double_sign: SlashParams {
				slash_fraction: Perbill::from_percent(5),
				jail_duration_ms: u64::MAX,
				tombstone: true,
			},
			downtime: SlashParams {
				slash_fraction: Perbill::zero(),
				jail_duration_ms: 10 * 60 * 1000,
				tombstone: false,
			},
		}
	}
}

/// Changes to a consumer requested by its owner or the admin; `None` leaves a field unchanged.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct ConsumerUpdate<AccountId, Balance> {
	/// A new owner.
	pub new_owner: Option<AccountId>,
	/// A new chain id (before launch only).
	pub chain_id: Option<ChainId>,
	/// New metadata.
	pub metadata: Option<Metadata>,
	/// New initialization parameters (before launch only).
	pub init_params: Option<InitParams>,
	/// New power-shaping parameters (applied from the next era).
	pub power_shaping: Option<PowerShapingParams<AccountId, Balance>>,
	/// New infraction parameters.
	pub infraction_params: Option<InfractionParams>,
}

impl<AccountId, Balance> Default for ConsumerUpdate<AccountId, Balance> {
	fn default() -> Self {
		Self {
			new_owner: None,
			chain_id: None,
			metadata: None,
			init_params: None,
			power_shaping: None,
			infraction_params: None,
		}
	}
}

/// One validator of a consumer's set: who it is on the provider, its key and power there.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct ConsumerValidator<AccountId> {
	/// The provider validator (stash).
	pub validator: AccountId,
	/// Its consensus key on the consumer.
	pub key: ConsensusKey,
	/// Its power on the consumer.
	pub power: Power,
}

/// A provider validator of the active era, as the consumer-set computation sees it.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Candidate<AccountId, Balance> {
	/// The validator's stash.
	pub validator: AccountId,
	/// Its total exposure in the era.
	pub stake: Balance,
	/// `stake / PowerReduction`, at least 1, capped.
	pub power: Power,
}

/// When a consumer's set was last computed: the era of the candidates it used and the jail
/// nonce then. A later era's set can be derived from it by applying only the candidates that
/// changed, as long as nothing else that shapes the set changed (see `vsc`).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct SetStamp {
	/// The era of the candidates.
	pub era: u32,
	/// [`crate::JailNonce`] at that time.
	pub jail_nonce: u32,
}

/// Progress of the per-era recomputation of consumer sets, which may span several blocks.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct RecomputeCursor {
	/// The era whose exposures are used.
	pub era: u32,
	/// Consumers with an id below this one are done.
	pub next_consumer: ConsumerId,
	/// Whether another full pass is needed after this one (a validator was jailed meanwhile).
	pub again: bool,
}

/// A downtime slash request the provider accepted, waiting to be reported to staking.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct DowntimeSlashRequest<AccountId> {
	/// The consumer that reported it.
	pub consumer_id: ConsumerId,
	/// The provider validator it names.
	pub validator: AccountId,
	/// The VSC in force at the infraction (0: the consumer's initial set).
	pub vsc_id: VscId,
	/// The provider session of that VSC.
	pub session: u32,
}

/// A VSC a consumer received, with the provider session it was sent in: the session a downtime
/// offence at that vsc_id is reported for.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct VscSessionRecord {
	/// The VSC (0: the consumer's genesis set).
	pub vsc_id: VscId,
	/// The provider session when it was sent (for vsc_id 0: when the consumer launched).
	pub session: u32,
	/// When it was sent (unix ms).
	pub sent_ms: u64,
}

/// A consumer as the runtime API describes it (ICS `consumer-chain` query).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct ConsumerInfo<AccountId, Balance> {
	/// Its id.
	pub consumer_id: ConsumerId,
	/// Its phase.
	pub phase: ConsumerPhase,
	/// Its chain id (empty once deleted).
	pub chain_id: ChainId,
	/// Its owner, if any.
	pub owner: Option<AccountId>,
	/// Its metadata.
	pub metadata: Metadata,
	/// Its initialization parameters, if set.
	pub init_params: Option<InitParams>,
	/// Its power shaping.
	pub power_shaping: PowerShapingParams<AccountId, Balance>,
	/// Its infraction parameters.
	pub infraction_params: InfractionParams,
	/// Its light client on this chain, once launched.
	pub client_id: Option<ccv_primitives::channel::IbcId>,
	/// Its established CCV channel on this chain.
	pub channel_id: Option<ccv_primitives::channel::IbcId>,
	/// Smallest power inside its top N% at the last computation (top-N consumers).
	pub min_power_in_top_n: Option<Power>,
	/// Size of its set as of its latest computed VSC.
	pub validators: u32,
}

/// The slash meter as the runtime API describes it (ICS `throttle-state` query).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct ThrottleState {
	/// Power downtime slashes may still take out (negative: slash packets bounce).
	pub meter: i128,
	/// What one replenishment adds, and the meter's ceiling.
	pub allowance: i128,
	/// When the meter next replenishes (unix ms); `None` before it is first filled.
	pub next_replenish_ms: Option<u64>,
}

/// A consumer's reward snapshot of an era as the runtime API describes it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct RewardSnapshotInfo<AssetId, Balance> {
	/// The era rewarded.
	pub era: u32,
	/// Each reward asset with its pot (native first).
	pub pots: alloc::vec::Vec<(RewardAsset<AssetId>, Balance)>,
	/// Sum of the rewarded validators' consumer power.
	pub total_power: u128,
	/// Number of flat pages.
	pub pages: u32,
	/// Flat pages not paid yet, ascending (`claim_consumer_rewards` takes them; a validator's
	/// pages in order).
	pub unclaimed_pages: alloc::vec::Vec<u32>,
}

/// Why a consumer could not launch at its spawn time (it returns to `Registered`).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum LaunchFailure {
	/// No validator qualifies for its initial set (nobody opted in with a key).
	EmptyValidatorSet,
	/// The IBC host could not describe its own client state.
	HostClientState,
	/// The IBC host could not create the consumer's light client.
	ClientCreation,
	/// The consumer genesis failed validation.
	InvalidGenesis,
	/// Its parameters are missing.
	MissingParams,
}

/// Why a consumer was stopped.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum StopReason {
	/// Its owner or the admin removed it.
	Removed,
	/// A VSC packet timed out.
	VscTimeout,
	/// A VSC packet received an error acknowledgement.
	VscErrorAck,
	/// A VSC packet could not be sent.
	SendFailed,
	/// The CCV channel was not established within the init timeout.
	InitTimeout,
	/// The consumer closed its end of the CCV channel (`chan_close_confirm` on ours).
	ChannelClosed,
}

/// What happened to a slash packet the provider received.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum SlashOutcome {
	/// Downtime accepted and recorded; acknowledged `0x02` and acked in the next VSC.
	DowntimeRecorded,
	/// Downtime for a validator not in the consumer's set: nothing to do, acknowledged `0x02`.
	DowntimeIgnored,
	/// The slash meter is empty or queues are full; acknowledged `0x03` (the consumer
	/// retries).
	Bounced,
	/// Double sign: recorded and acknowledged `0x01`; punishment only through evidence.
	DoubleSignRecorded,
}

/// A currency a consumer's rewards are paid in: the provider's native token (staking's
/// currency) or an ICS-20 voucher asset.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum RewardAsset<AssetId> {
	/// The provider's native token.
	Native,
	/// A voucher asset of an allowlisted consumer reward denom.
	Voucher(AssetId),
}

/// Most reward assets of one snapshot: the native token plus `MaxRewardAssets` vouchers.
pub struct RewardAssetsBound<T>(core::marker::PhantomData<T>);

impl<T: crate::pallet::Config> frame_support::traits::Get<u32> for RewardAssetsBound<T> {
	fn get() -> u32 {
		<T as crate::pallet::Config>::MaxRewardAssets::get().saturating_add(1)
	}
}

/// One era's rewards of one consumer, as snapshotted at the next era's start.
///
/// Claims are paged: validator `i` of the snapshot owns the flat pages
/// `page_starts[i] .. page_starts[i] + pages_of(i)`, one per staking exposure page of the era
/// (at least one), in the order of the validator's exposure pages.
#[derive(
	frame_support::CloneNoBound,
	frame_support::PartialEqNoBound,
	frame_support::EqNoBound,
	frame_support::DebugNoBound,
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound(T: crate::pallet::Config))]
pub struct RewardSnapshot<T: crate::pallet::Config> {
	/// Each reward asset with the amount snapshotted from the fee pool (native first).
	pub pots: BoundedVec<
		(crate::pallet::RewardAssetOf<T>, crate::pallet::BalanceOf<T>),
		RewardAssetsBound<T>,
	>,
	/// Sum of the rewarded validators' consumer power.
	pub total_power: u128,
	/// First flat page of each rewarded validator, ascending (index = validator index).
	pub page_starts: BoundedVec<u32, <T as crate::pallet::Config>::MaxValidators>,
	/// Number of flat pages.
	pub pages: u32,
}

/// What a snapshot owes one validator (and through it its nominators) on one consumer;
/// removed once its last page is paid.
#[derive(
	frame_support::CloneNoBound,
	frame_support::PartialEqNoBound,
	frame_support::EqNoBound,
	frame_support::DebugNoBound,
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound(T: crate::pallet::Config))]
pub struct ValidatorReward<T: crate::pallet::Config> {
	/// The validator (stash).
	pub validator: T::AccountId,
	/// Its consumer power in the era.
	pub power: Power,
	/// Its commission on this consumer for the era.
	pub commission: Perbill,
	/// Its own stake in the era's exposure.
	pub own: crate::pallet::BalanceOf<T>,
	/// Its total exposure in the era.
	pub total: crate::pallet::BalanceOf<T>,
	/// Its number of flat pages (its exposure pages, at least one).
	pub pages: u32,
	/// Its next page to pay (pages of one validator are paid in order).
	pub next_page: u32,
	/// Its share of each pot (same order as the snapshot's pots).
	pub share: BoundedVec<crate::pallet::BalanceOf<T>, RewardAssetsBound<T>>,
	/// What is left of each share.
	pub unpaid: BoundedVec<crate::pallet::BalanceOf<T>, RewardAssetsBound<T>>,
}

/// What the pallet's benchmarks need from the runtime beyond this pallet's storage: voucher
/// assets, an open channel on the IBC host and evidence signed by a consumer key.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AssetId> {
	/// Creates the `i`-th voucher asset (with `min_balance = 1`) and returns its id.
	fn create_voucher(i: u32) -> AssetId;
	/// Opens an established CCV channel (ORDERED, port `provider`, version `"1"`) on the IBC
	/// host over a connection on the consumer client `client_id`, ready to send packets;
	/// returns the channel id, or why it could not.
	fn open_ccv_channel(
		client_id: &ccv_primitives::channel::IbcId,
	) -> Result<ccv_primitives::channel::IbcId, &'static str>;
	/// A new consumer key and evidence of its equivocation in GRANDPA set 0 that the runtime's
	/// `EquivocationVerifier` accepts on the client of a consumer launched with that key in
	/// its initial set; or why there is none.
	fn consumer_equivocation() -> Result<(ConsensusKey, crate::equivocation::Evidence), &'static str>;
}
