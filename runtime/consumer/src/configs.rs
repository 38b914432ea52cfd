//! Configuration of every pallet of the consumer runtime.

// `PalletInfo`, `RuntimeOrigin` and `RuntimeTask` are named by frame_system's `derive_impl`
// (`#[inject_runtime_type]`), so they must be in scope here.
use crate::{
	currency::{EXISTENTIAL_DEPOSIT, MILLI_UNIT, UNIT},
	ibc_clients::{IbcClientState, IbcConsensusState},
	ibc_host::GenesisProviderClient,
	time::SLOT_DURATION,
	AccountId, AssetId, Assets, Aura, Balance, Balances, Block, BlockNumber, CcvConsumer,
	ChainIdentity, Hash, Ibc, Nonce, PalletInfo, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask, System, Timestamp,
	UncheckedExtrinsic, VERSION,
};
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{AsEnsureOriginWithArg, ConstBool, ConstU128, ConstU32, ConstU64, ConstU8},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		IdentityFee, Weight,
	},
	PalletId,
};
use frame_system::{limits::BlockLength, limits::BlockWeights, EnsureRoot, EnsureSigned};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_runtime::{
	traits::{AccountIdConversion, One},
	Perbill,
};

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

/// Largest authority set Aura and GRANDPA accept; the CCV consumer's `MaxValidators`.
pub type MaxAuthorities = ConstU32<100>;

impl pallet_aura::Config for Runtime {
	type AuthorityId = crate::AuraId;
	/// No disabling on the consumer: slashing happens on the provider.
	type DisabledValidators = ();
	type MaxAuthorities = MaxAuthorities;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	/// No nominators on the consumer (weights are the provider's powers).
	type MaxNominators = ConstU32<0>;
	/// `SetIdSession` is written by the CCV consumer pallet (no session pallet calls GRANDPA's
	/// pruning); this matches the consumer's `MaxSetHistory`.
	type MaxSetIdSessionEntries = ConstU64<64>;
	/// A key's position in a set of the CCV pallet's authority-set history (there is no
	/// pallet-session to prove ownership with).
	type KeyOwnerProof = pallet_ccv_consumer::equivocation::AuthorityMembershipProof;
	/// Checks equivocations against that history, reports them to pallet-offences (whose
	/// handler, the CCV pallet, queues a `Slash(DoubleSign)` packet) and keeps the evidence
	/// for the provider.
	type EquivocationReportSystem = pallet_ccv_consumer::equivocation::EquivocationReportSystem<
		Runtime,
		crate::Offences,
		EquivocationReportLongevity,
	>;
}

parameter_types! {
	/// Pool longevity of unsigned GRANDPA equivocation reports: one consumer session of the
	/// presets (a report is included by the next author or not at all).
	pub const EquivocationReportLongevity: u64 = 10;
}

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// The offender as the CCV pallet's key-ownership proof identifies it.
	type IdentificationTuple = pallet_ccv_consumer::equivocation::EquivocationOffender;
	/// Queues the double-sign slash packet.
	type OnOffenceHandler = crate::CcvConsumer;
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
	type MaxReserves = ConstU32<50>;
	type MaxFreezes = frame_support::traits::VariantCountOf<RuntimeFreezeReason>;
	type DoneSlashHandler = ();
}

parameter_types! {
	/// Fee multiplier: constant 1 (no congestion pricing on a test network).
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Fees are split between the consumer's redistribution account and the CCV module
	/// account (the provider's share), by `consumer_redistribution_fraction`.
	type OnChargeTransaction =
		FungibleAdapter<Balances, pallet_ccv_consumer::SplitRewards<Runtime>>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
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

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

/// This chain's id, as the reward memo names it.
pub const CONSUMER_CHAIN_ID: &str = "frame-ics-consumer";

parameter_types! {
	/// Id of the CCV module account (the provider's share of rewards).
	pub const CcvPalletId: PalletId = PalletId(*b"ccv/cons");
	/// The consumer's own share of rewards goes here.
	pub RedistributionAccount: AccountId = PalletId(*b"ccv/redi").into_account_truncating();
	/// This chain's id.
	pub const ChainId: &'static str = CONSUMER_CHAIN_ID;
	/// HRP of consensus addresses in slash acks.
	pub const SlashAckHrp: &'static str = ccv_primitives::DEFAULT_CONSENSUS_ADDRESS_HRP;
}

impl pallet_ccv_consumer::Config for Runtime {
	/// pallet-ibc: packets on the CCV channel, transfer-channel opening, channel closing.
	type Channel = Ibc;
	/// pallet-ibc's `MsgCreateClient`, callable at genesis ([`crate::ibc_host`]).
	type ProviderClient = GenesisProviderClient;
	type Currency = Balances;
	/// pallet-ibc's ICS-20 app: rewards leave as native-token transfers.
	type RewardTransfer = Ibc;
	type PalletId = CcvPalletId;
	type RedistributionAccount = RedistributionAccount;
	type ChainId = ChainId;
	type MaxValidators = MaxAuthorities;
	type MaxPendingPackets = ConstU32<256>;
	type MaxPacketsPerBlock = ConstU32<8>;
	type MaxMaturingVscs = ConstU32<1024>;
	type MaxVscHeights = ConstU32<1024>;
	type MaxSessionHistory = ConstU32<64>;
	type MaxSetHistory = ConstU32<64>;
	type MaxMissesPerBlock = ConstU32<8>;
	/// Ten minutes without blocks is a halt, not everyone's downtime.
	type ChainHaltSlots = ConstU64<100>;
	/// 160 words: 10 240 slots, room for the ICS default window of 10 000.
	type MaxDowntimeWindowWords = ConstU32<160>;
	type SlashAckHrp = SlashAckHrp;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = CcvConsumerBenchmarkHelper;
	/// Benchmarked on this runtime (`scripts/bench.sh`).
	type WeightInfo = pallet_ccv_consumer::weights::SubstrateWeight<Runtime>;
}

/// Benchmark setup of the consumer pallet: the CCV and transfer channels opened in pallet-ibc
/// ([`crate::bench_ibc`]) on the provider client the genesis created.
#[cfg(feature = "runtime-benchmarks")]
pub struct CcvConsumerBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_ccv_consumer::types::BenchmarkHelper for CcvConsumerBenchmarkHelper {
	fn open_ccv_channel() -> Result<ccv_primitives::channel::IbcId, &'static str> {
		let client = pallet_ccv_consumer::ProviderClientId::<Runtime>::get()
			.ok_or("no provider client (consumer genesis missing)")?;
		crate::bench_ibc::open_channel::<Runtime>(
			&client,
			ccv_primitives::CONSUMER_PORT_ID,
			ccv_primitives::PROVIDER_PORT_ID,
			ibc_core::channel::types::channel::Order::Ordered,
			ccv_primitives::CCV_VERSION,
		)
	}

	fn open_transfer_channel() -> Result<ccv_primitives::channel::IbcId, &'static str> {
		let client = pallet_ccv_consumer::ProviderClientId::<Runtime>::get()
			.ok_or("no provider client (consumer genesis missing)")?;
		crate::bench_ibc::open_channel::<Runtime>(
			&client,
			"transfer",
			"transfer",
			ibc_core::channel::types::channel::Order::Unordered,
			"ics20-1",
		)
	}
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

parameter_types! {
	/// The CCV consumer app's port.
	pub const ConsumerPort: &'static str = ccv_primitives::constants::CONSUMER_PORT_ID;
	/// ICS-20 denomination of the native token.
	pub const NativeDenom: &'static str = NATIVE_DENOM;
	/// Root of ICS-20 escrow accounts, owner of voucher assets.
	pub const IbcPalletId: PalletId = PalletId(*b"py/ibc20");
	/// This chain's id when the genesis gives none.
	pub const DefaultChainId: &'static str = CONSUMER_CHAIN_ID;
}

/// ICS-20 denomination of the native token (the consumer's reward denom on the provider, as a
/// voucher trace `transfer/<channel>/stake`).
pub const NATIVE_DENOM: &str = "stake";
/// First asset id pallet-ibc uses for ICS-20 vouchers (lower ids stay free for other assets).
pub const FIRST_VOUCHER_ASSET_ID: AssetId = 1_000;

impl pallet_ibc::Config for Runtime {
	type TimeProvider = Timestamp;
	/// GRANDPA clients only ([`crate::ibc_clients`]).
	type ClientState = IbcClientState;
	type ConsensusState = IbcConsensusState;
	/// Chain id from genesis, set id from pallet-grandpa ([`crate::chain_identity`]).
	type HostChain = ChainIdentity;
	/// The CCV consumer app on port `consumer`, ICS-20 on `transfer`.
	type Apps = (
		pallet_ibc::router::CcvApp<Runtime, ConsumerPort, CcvConsumer>,
		pallet_ibc::transfer::TransferApp<Runtime>,
	);
	type MaxMessages = ConstU32<32>;
	/// 256 blocks (about 25 minutes): how far a relayer may lag behind this chain when it
	/// updates a counterparty's client of it for a connection handshake.
	type HostHistory = ConstU32<256>;
	type MaxConsensusStatesPerClient = ConstU32<256>;
	type AckHistory = ConstU32<1024>;
	type ExpectedBlockTimeMs = ConstU64<SLOT_DURATION>;
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
