//! Configuration of every pallet of the provider runtime.

// `PalletInfo`, `RuntimeOrigin` and `RuntimeTask` are named by frame_system's `derive_impl`
// (`#[inject_runtime_type]`), so they must be in scope here.
use crate::{
	consumer_equivocation::GrandpaEquivocations,
	currency::{EXISTENTIAL_DEPOSIT, MILLI_UNIT, UNIT},
	ibc_clients::{IbcClientState, IbcConsensusState},
	ibc_host::ProviderIbc,
	time::{
		BONDING_DURATION, DAYS, HOURS, MILLI_SECS_PER_BLOCK, SESSIONS_PER_ERA, SESSION_PERIOD,
		SLOT_DURATION,
	},
	AccountId, AssetId, Assets, Aura, Balance, Balances, Block, BlockNumber, CcvProvider,
	ChainIdentity, Hash, Historical, Nonce, Offences, PalletInfo, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask, Session,
	SessionKeys, Staking, System, Timestamp, UncheckedExtrinsic, VERSION,
};
use alloc::string::String;
use frame_election_provider_support::{
	bounds::{ElectionBounds, ElectionBoundsBuilder},
	onchain, SequentialPhragmen,
};
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{AsEnsureOriginWithArg, ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, Nothing},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		IdentityFee, Weight,
	},
	PalletId,
};
use frame_system::{limits::BlockLength, limits::BlockWeights, EnsureRoot, EnsureSigned};
use pallet_session::historical as session_historical;
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_core::crypto::{AccountId32, Ss58AddressFormat, Ss58Codec};
use sp_runtime::{
	curve::PiecewiseLinear,
	traits::{Convert, ConvertInto, One, OpaqueKeys},
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
	/// Staking's validators without those the CCV provider jailed (staking has no jail, and
	/// `validate` has no guard: the election must not see them until they `unjail`).
	type TargetList =
		pallet_ccv_provider::jail::JailFilter<Self, pallet_staking::UseValidatorsMap<Self>>;
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

impl pallet_assets::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1000>;
	type AssetId = AssetId;
	type AssetIdParameter = codec::Compact<AssetId>;
	type ReserveData = ();
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type AssetDeposit = ConstU128<{ 10 * UNIT }>;
	type AssetAccountDeposit = ConstU128<{ MILLI_UNIT }>;
	type MetadataDepositBase = ConstU128<{ UNIT }>;
	type MetadataDepositPerByte = ConstU128<{ MILLI_UNIT }>;
	type ApprovalDeposit = ConstU128<{ MILLI_UNIT }>;
	type StringLimit = ConstU32<50>;
	type Freezer = ();
	type Holder = ();
	type Extra = ();
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	type WeightInfo = pallet_assets::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// Milliseconds per provider era (sessions of `SESSION_PERIOD` blocks).
const ERA_MS: u64 = SESSIONS_PER_ERA as u64 * SESSION_PERIOD as u64 * MILLI_SECS_PER_BLOCK;

parameter_types! {
	/// Derives each consumer's fee-pool account (`(b"fee", consumer_id)` sub-accounts).
	pub const CcvProviderPalletId: PalletId = PalletId(*b"ccv/prov");
	/// Trusting period of a consumer client: 66% of the consumer's unbonding period (the ICS
	/// default `trusting_period_fraction`).
	pub const TrustingPeriodFraction: Perbill = Perbill::from_percent(66);
	/// Downtime slashes may take out 5% of the total power per replenish period (ICS default).
	pub const SlashMeterReplenishFraction: Perbill = Perbill::from_percent(5);
}

/// Provider unbonding period in milliseconds: `BONDING_DURATION` eras. A stopped consumer's
/// state (keys, VSC records) stays that long so late slash evidence still resolves.
pub const PROVIDER_UNBONDING_MS: u64 = BONDING_DURATION as u64 * ERA_MS;
/// How long a launched consumer may take to establish its CCV channel: one day (room for a
/// relayer to be set up on a test network; ICS uses seven days).
pub const INIT_TIMEOUT_MS: u64 = DAYS as u64 * MILLI_SECS_PER_BLOCK;
/// How often the slash meter replenishes: one hour (ICS default).
pub const SLASH_METER_REPLENISH_PERIOD_MS: u64 = HOURS as u64 * MILLI_SECS_PER_BLOCK;

/// Renders an account as SS58 with this chain's prefix: the fee-pool address announced in the
/// CCV handshake, which a consumer's ICS-20 transfers name as receiver (pallet-ibc's transfer
/// app parses SS58 of any prefix).
pub struct Ss58Address;
impl Convert<AccountId, String> for Ss58Address {
	fn convert(account: AccountId) -> String {
		let raw: [u8; 32] = account.into();
		AccountId32::new(raw)
			.to_ss58check_with_version(Ss58AddressFormat::custom(u16::from(SS58Prefix::get())))
	}
}

/// Benchmark setup of the provider pallet: voucher assets, an open CCV channel in pallet-ibc
/// ([`crate::bench_ibc`]) and consumer equivocation evidence
/// ([`crate::consumer_equivocation::benchmark_evidence`]).
#[cfg(feature = "runtime-benchmarks")]
pub struct CcvProviderBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_ccv_provider::BenchmarkHelper<AssetId> for CcvProviderBenchmarkHelper {
	fn create_voucher(i: u32) -> AssetId {
		let id = 1_000_000u32.saturating_add(i);
		let owner: AccountId = frame_benchmarking::whitelisted_caller();
		// Existing ids are fine: the benchmark only mints into it.
		let _ = Assets::force_create(RuntimeOrigin::root(), id.into(), owner.into(), false, 1);
		id
	}

	fn open_ccv_channel(
		client_id: &ccv_primitives::channel::IbcId,
	) -> Result<ccv_primitives::channel::IbcId, &'static str> {
		crate::bench_ibc::open_channel::<Runtime>(
			client_id,
			ccv_primitives::PROVIDER_PORT_ID,
			ccv_primitives::CONSUMER_PORT_ID,
			ibc_core::channel::types::channel::Order::Ordered,
			ccv_primitives::CCV_VERSION,
		)
	}

	fn consumer_equivocation() -> Result<
		(ccv_primitives::ConsensusKey, pallet_ccv_provider::equivocation::Evidence),
		&'static str,
	> {
		crate::consumer_equivocation::benchmark_evidence()
	}
}

/// Maps a consumer's reward denom to the voucher asset of that denom received over the transfer
/// channel the consumer opened on its CCV channel's connection (pallet-ibc's
/// `CounterpartyTransferChannel`): `transfer/<channel>/<denom>`.
pub struct ConsumerRewardVouchers;
impl pallet_ccv_provider::rewards::RewardDenomToAsset<AssetId> for ConsumerRewardVouchers {
	fn reward_asset(consumer_id: ccv_primitives::ConsumerId, denom: &[u8]) -> Option<AssetId> {
		let channel = pallet_ccv_provider::ConsumerChannel::<Runtime>::get(consumer_id)?;
		crate::Ibc::counterparty_voucher(
			ccv_primitives::PROVIDER_PORT_ID.as_bytes(),
			&channel,
			denom,
		)
	}

	/// The consumer's channel, its end in the IBC store, the connection's transfer channel
	/// and the voucher map.
	fn reward_asset_weight() -> Weight {
		<Runtime as frame_system::Config>::DbWeight::get().reads(4)
	}
}

/// Sizes for a provider of up to 100 validators (`MaxValidatorSet`) serving about ten
/// consumers, on this network's three-minute eras.
impl pallet_ccv_provider::Config for Runtime {
	/// Root (sudo on dev/local networks; governance later) creates and manages consumers.
	type ConsumerAdminOrigin = EnsureRoot<AccountId>;
	/// pallet-ibc, with GRANDPA client construction for consumer launches (see
	/// [`crate::ibc_host`]).
	type Channel = ProviderIbc;
	type Time = Timestamp;
	type AccountToAddress = Ss58Address;
	type PalletId = CcvProviderPalletId;
	/// One whole token of exposure per unit of consumer power (a genesis validator's 100 000
	/// tokens are power 100 000; u64 powers cannot overflow with a u128 issuance of that scale).
	type PowerReduction = ConstU128<UNIT>;
	type UnbondingPeriodMs = ConstU64<PROVIDER_UNBONDING_MS>;
	type InitTimeoutMs = ConstU64<INIT_TIMEOUT_MS>;
	type TrustingPeriodFraction = TrustingPeriodFraction;
	/// Ten live consumers with room for registered and stopped ones.
	type MaxConsumerChains = ConstU32<16>;
	/// Every provider validator may serve on a consumer (equal to `MaxValidatorSet`).
	type MaxValidators = MaxValidatorSet;
	/// Launches are rare; two per block bound the launch work (each reads the candidates).
	type MaxLaunchesPerBlock = ConstU32<2>;
	/// Ten consumers' sets are recomputed within three blocks of an era change.
	type MaxRecomputesPerBlock = ConstU32<4>;
	/// Sending is cheap (one encoded packet each): every consumer's VSC in one block.
	type MaxVscPerBlock = ConstU32<10>;
	/// Deletions (and init-timeout stops) per block.
	type MaxDeletionsPerBlock = ConstU32<2>;
	/// Entries removed from each per-consumer map per deletion step: twice the validators,
	/// room for replaced keys.
	type CleanupLimit = ConstU32<200>;
	/// VSC session records per consumer: the unbonding period spans `BONDING_DURATION` (4)
	/// eras, one VSC each, plus one per jailing; 64 leaves ample room for jail bursts.
	type MaxVscRecords = ConstU32<64>;
	/// One accepted downtime slash per validator can wait.
	type MaxPendingSlashRequests = MaxValidatorSet;
	type SlashMeterReplenishPeriodMs = ConstU64<SLASH_METER_REPLENISH_PERIOD_MS>;
	type SlashMeterReplenishFraction = SlashMeterReplenishFraction;
	/// Offences go through the real pipeline: historical-session filter, pallet-offences,
	/// staking's slashing.
	type ReportOffence = pallet_staking::FilterHistoricalOffences<Staking, Offences>;
	/// GRANDPA vote equivocations checked against the consumer's client state, as pallet-ibc
	/// stores it.
	type EquivocationVerifier = GrandpaEquivocations<ProviderIbc>;
	/// Downtime slashes reported to staking per block.
	type MaxSlashesPerBlock = ConstU32<4>;
	/// ICS-20 vouchers are pallet-assets assets.
	type RewardAssets = Assets;
	/// A consumer's allowlisted denoms are the vouchers of what arrives over the transfer
	/// channel it opened beside its CCV channel.
	type RewardDenoms = ConsumerRewardVouchers;
	/// ICS allows three reward denoms per consumer.
	type MaxRewardAssets = ConstU32<3>;
	/// A reward snapshot stays claimable for 28 eras (84 minutes): a third of `HistoryDepth`,
	/// which it must not exceed (the exposure pages a payout reads live that long).
	type RewardEraDepth = ConstU32<28>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = CcvProviderBenchmarkHelper;
	/// Benchmarked on this runtime (`scripts/bench.sh`).
	type WeightInfo = pallet_ccv_provider::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The CCV provider app's port.
	pub const ProviderPort: &'static str = ccv_primitives::constants::PROVIDER_PORT_ID;
	/// ICS-20 denomination of the native token.
	pub const NativeDenom: &'static str = NATIVE_DENOM;
	/// Root of ICS-20 escrow accounts, owner of voucher assets.
	pub const IbcPalletId: PalletId = PalletId(*b"py/ibc20");
	/// This chain's id when the genesis gives none.
	pub const DefaultChainId: &'static str = DEFAULT_CHAIN_ID;
}

/// ICS-20 denomination of the native token.
pub const NATIVE_DENOM: &str = "stake";
/// Chain id of a provider whose genesis sets none (the presets set `provider-local` and
/// `provider-dev`).
pub const DEFAULT_CHAIN_ID: &str = "frame-ics-provider";
/// First asset id pallet-ibc uses for ICS-20 vouchers (lower ids stay free for other assets).
pub const FIRST_VOUCHER_ASSET_ID: AssetId = 1_000;

impl pallet_ibc::Config for Runtime {
	type TimeProvider = Timestamp;
	/// GRANDPA clients only ([`crate::ibc_clients`]).
	type ClientState = IbcClientState;
	type ConsensusState = IbcConsensusState;
	/// Chain id from genesis, set id from pallet-grandpa ([`crate::chain_identity`]).
	type HostChain = ChainIdentity;
	/// The CCV provider app on port `provider`, ICS-20 on `transfer`.
	type Apps = (
		pallet_ibc::router::CcvApp<Runtime, ProviderPort, CcvProvider>,
		pallet_ibc::transfer::TransferApp<Runtime>,
	);
	type MaxMessages = ConstU32<32>;
	/// 256 blocks (about 25 minutes): how far a relayer may lag behind this chain when it
	/// updates a counterparty's client of it for a connection handshake.
	type HostHistory = ConstU32<256>;
	type MaxConsensusStatesPerClient = ConstU32<256>;
	type AckHistory = ConstU32<1024>;
	type ExpectedBlockTimeMs = ConstU64<MILLI_SECS_PER_BLOCK>;
	type NativeCurrency = Balances;
	type NativeDenom = NativeDenom;
	type AssetId = AssetId;
	type Assets = Assets;
	type FirstVoucherAssetId = ConstU32<FIRST_VOUCHER_ASSET_ID>;
	type PalletId = IbcPalletId;
	type AccountCodec = pallet_ibc::transfer::account::Ss58Accounts<SS58Prefix>;
	type MaxMemoLen = ConstU32<256>;
	/// Benchmarked on the provider runtime (`PALLETS=ibc scripts/bench.sh`).
	type WeightInfo = pallet_ibc::weights::SubstrateWeight<Runtime>;
}

impl crate::chain_identity::Config for Runtime {
	type DefaultChainId = DefaultChainId;
}
