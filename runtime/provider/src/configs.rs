//! Configuration of every pallet of the provider runtime.

// `PalletInfo`, `RuntimeOrigin` and `RuntimeTask` are named by frame_system's `derive_impl`
// (`#[inject_runtime_type]`), so they must be in scope here.
use crate::{
	currency::EXISTENTIAL_DEPOSIT,
	time::{BONDING_DURATION, SESSIONS_PER_ERA, SESSION_PERIOD, SLOT_DURATION},
	AccountId, Aura, Balance, Balances, Block, BlockNumber, Hash, Historical, Nonce, Offences,
	PalletInfo, Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason,
	RuntimeOrigin, RuntimeTask, Session, SessionKeys, Staking, System, UncheckedExtrinsic, VERSION,
};
use frame_election_provider_support::{
	bounds::{ElectionBounds, ElectionBoundsBuilder},
	onchain, SequentialPhragmen,
};
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, Nothing},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		IdentityFee, Weight,
	},
};
use frame_system::{limits::BlockLength, limits::BlockWeights, EnsureRoot};
use pallet_session::historical as session_historical;
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_runtime::{
	curve::PiecewiseLinear,
	traits::{ConvertInto, One, OpaqueKeys},
	Perbill,
};
use sp_staking::{EraIndex, SessionIndex};

/// Share of a block's weight available to normal (non-operational) extrinsics.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
	/// Block-hash history kept by `frame_system`.
	pub const BlockHashCount: BlockNumber = 2400;
	/// Runtime version, exposed to `frame_system`.
	pub const Version: sp_version::RuntimeVersion = VERSION;
	/// Two seconds of compute per block, 5 MiB of proof size.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// 5 MiB blocks.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * *max
		})
		.build();
	/// Generic substrate SS58 prefix.
	pub const SS58Prefix: u8 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

impl pallet_balances::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type Balance = Balance;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type ReserveIdentifier = [u8; 8];
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type MaxFreezes = frame_support::traits::VariantCountOf<RuntimeFreezeReason>;
	type DoneSlashHandler = ();
}

parameter_types! {
	/// Fee multiplier: constant 1 (no congestion pricing on a test network).
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_authorship::Config for Runtime {
	/// The author is the session validator at the Aura slot's authority index.
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Aura>;
	/// Staking gives the author reward points.
	type EventHandler = Staking;
}

parameter_types! {
	/// Blocks per session.
	pub const Period: BlockNumber = SESSION_PERIOD;
	/// Sessions end at blocks `n` with `n % Period == Offset` (and `n >= Offset`).
	pub const Offset: BlockNumber = 0;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Validators are identified by their stash account (controllers are deprecated).
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<Period, Offset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<Period, Offset>;
	/// Staking plans the sets; historical notes each set's root for key-ownership proofs.
	type SessionManager = session_historical::NoteHistoricalRoot<Self, Staking>;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	/// Disable offenders for the rest of the era, at most a third of the set.
	type DisablingStrategy = pallet_session::disabling::UpToLimitWithReEnablingDisablingStrategy;
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	/// No deposit for registering keys (test network).
	type KeyDeposit = ConstU128<0>;
}

impl session_historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// No exposure in the identification (DESIGN §9): offences identify validators only.
	type FullIdentification = ();
	type FullIdentificationOf = pallet_staking::UnitIdentificationOf<Self>;
}

pallet_staking_reward_curve::build! {
	const REWARD_CURVE: PiecewiseLinear<'static> = curve!(
		min_inflation: 0_025_000,
		max_inflation: 0_100_000,
		ideal_stake: 0_500_000,
		falloff: 0_050_000,
		max_piece_count: 40,
		test_precision: 0_005_000,
	);
}

parameter_types! {
	/// Sessions per era.
	pub const SessionsPerEra: SessionIndex = SESSIONS_PER_ERA;
	/// Eras bonded funds stay locked after unbonding.
	pub const BondingDuration: EraIndex = BONDING_DURATION;
	/// Slashes apply at once (no governance window on this test network).
	pub const SlashDeferDuration: EraIndex = 0;
	/// Inflation curve.
	pub const RewardCurve: &'static PiecewiseLinear<'static> = &REWARD_CURVE;
	/// Largest validator set the election may return; also Aura's and GRANDPA's maximum.
	pub const MaxValidatorSet: u32 = 100;
	/// Nominators per validator in one exposure page.
	pub const MaxExposurePageSize: u32 = 64;
	/// Era history kept (must exceed the bonding duration).
	pub const HistoryDepth: u32 = 84;
	/// Voters and targets the on-chain election reads at most.
	pub ElectionBoundsOnChain: ElectionBounds = ElectionBoundsBuilder::default()
		.voters_count(5_000.into())
		.targets_count(1_000.into())
		.build();
	/// Backers per winner kept by the election.
	pub const MaxBackersPerWinner: u32 = 512;
}

/// On-chain NPoS election: sequential phragmen over staking's voters and targets.
pub struct OnChainSeqPhragmen;
impl onchain::Config for OnChainSeqPhragmen {
	type Sort = ConstBool<true>;
	type System = Runtime;
	type Solver = SequentialPhragmen<AccountId, Perbill>;
	type MaxBackersPerWinner = MaxBackersPerWinner;
	type MaxWinnersPerPage = MaxValidatorSet;
	type DataProvider = Staking;
	type WeightInfo = frame_election_provider_support::weights::SubstrateWeight<Runtime>;
	type Bounds = ElectionBoundsOnChain;
}

/// Sizes for staking's benchmarks (`pallet_staking::TestBenchmarkingConfig` is std-only).
pub struct StakingBenchmarkingConfig;
impl pallet_staking::BenchmarkingConfig for StakingBenchmarkingConfig {
	type MaxValidators = MaxValidatorSet;
	type MaxNominators = ConstU32<1000>;
}

impl pallet_staking::Config for Runtime {
	type OldCurrency = Balances;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CurrencyBalance = Balance;
	type UnixTime = pallet_timestamp::Pallet<Runtime>;
	type CurrencyToVote = sp_staking::currency_to_vote::U128CurrencyToVote;
	type ElectionProvider = onchain::OnChainExecution<OnChainSeqPhragmen>;
	type GenesisElectionProvider = onchain::OnChainExecution<OnChainSeqPhragmen>;
	type NominationsQuota = pallet_staking::FixedNominationsQuota<16>;
	type HistoryDepth = HistoryDepth;
	type RewardRemainder = ();
	type RuntimeEvent = RuntimeEvent;
	type Slash = ();
	type Reward = ();
	type SessionsPerEra = SessionsPerEra;
	type BondingDuration = BondingDuration;
	type SlashDeferDuration = SlashDeferDuration;
	type AdminOrigin = EnsureRoot<AccountId>;
	type SessionInterface = Self;
	type EraPayout = pallet_staking::ConvertCurve<RewardCurve>;
	type NextNewSession = Session;
	type MaxExposurePageSize = MaxExposurePageSize;
	type MaxValidatorSet = MaxValidatorSet;
	/// Voters straight from staking's maps: fine for the small sets of this network (a
	/// bags-list would be needed for thousands of nominators).
	type VoterList = pallet_staking::UseNominatorsAndValidatorsMap<Self>;
	type TargetList = pallet_staking::UseValidatorsMap<Self>;
	type MaxUnlockingChunks = ConstU32<32>;
	type MaxControllersInDeprecationBatch = ConstU32<100>;
	type EventListeners = ();
	type Filter = Nothing;
	type BenchmarkingConfig = StakingBenchmarkingConfig;
	type WeightInfo = pallet_staking::weights::SubstrateWeight<Runtime>;
}

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = session_historical::IdentificationTuple<Self>;
	type OnOffenceHandler = Staking;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = crate::AuraId;
	/// Disabled session validators may not author.
	type DisabledValidators = Session;
	type MaxAuthorities = MaxValidatorSet;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

parameter_types! {
	/// GRANDPA set-id -> session entries kept (enough for the bonding period).
	pub const MaxSetIdSessionEntries: u64 =
		BONDING_DURATION as u64 * SESSIONS_PER_ERA as u64;
	/// How long (in blocks) an equivocation report stays valid.
	pub const ReportLongevity: u64 =
		BONDING_DURATION as u64 * SESSIONS_PER_ERA as u64 * SESSION_PERIOD as u64;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxValidatorSet;
	type MaxNominators = MaxBackersPerWinner;
	type MaxSetIdSessionEntries = MaxSetIdSessionEntries;
	/// Key-ownership proofs come from the historical session tries.
	type KeyOwnerProof = sp_session::MembershipProof;
	/// Equivocations are checked against the historical tries and reported to offences.
	type EquivocationReportSystem =
		pallet_grandpa::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateBare<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_bare(call)
	}
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = crate::OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}
