//! Test runtime: the real pallet-staking, pallet-session (+ historical), pallet-balances and
//! pallet-timestamp, and a fake IBC channel that records what the pallet sends.

use crate::{self as pallet_ccv_provider, *};
use ccv_primitives::{
	channel::{ChannelError, ChannelOpen, IbcChannel, IbcId},
	ConsensusKey, ConsumerId, ConsumerParams, ValidatorUpdate, CCV_VERSION, CONSUMER_PORT_ID,
	PROVIDER_PORT_ID,
};
use core::cell::RefCell;
use frame_election_provider_support::{
	bounds::{ElectionBounds, ElectionBoundsBuilder},
	onchain, SequentialPhragmen,
};
use frame_support::{
	assert_ok, derive_impl, ord_parameter_types, parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, EitherOfDiverse, OneSessionHandler},
	PalletId,
};
use frame_system::{EnsureRoot, EnsureSignedBy};
use pallet_staking::StakerStatus;
use sp_application_crypto::ed25519::AppPublic;
use sp_runtime::{traits::Convert, BuildStorage, Perbill};

/// Accounts are plain numbers.
pub type AccountId = u64;
/// Balances of the test runtime.
pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

/// Unix time (ms) of block 0; block n gets `INIT_TIMESTAMP + n * BLOCK_TIME`.
pub const INIT_TIMESTAMP: u64 = 1_000_000;
/// Milliseconds per block.
pub const BLOCK_TIME: u64 = 1_000;
/// Blocks per session.
pub const SESSION_BLOCKS: u64 = 5;
/// Sessions per era (staking's test default).
pub const SESSIONS_PER_ERA: u64 = 3;
/// How long a stopped consumer is kept, in ms.
pub const UNBONDING_MS: u64 = 20_000;
/// How long a launched consumer may take to establish its channel, in ms.
pub const INIT_TIMEOUT_MS: u64 = 100_000;
/// Slash meter replenish period, in ms.
pub const SLASH_METER_PERIOD_MS: u64 = 10_000;
/// Admin account allowed to create consumers (and become their owner).
pub const ADMIN: AccountId = 100;
/// The genesis validators (stash = controller) and their stakes.
pub const VALIDATORS: [(AccountId, Balance); 4] = [(11, 1000), (21, 2000), (31, 3000), (41, 4000)];

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Balances: pallet_balances,
		Staking: pallet_staking,
		Session: pallet_session,
		Historical: pallet_session::historical,
		Offences: pallet_offences,
		Assets: pallet_assets,
		CcvProvider: pallet_ccv_provider,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Balance = Balance;
	type Currency = Balances;
	type CreateOrigin =
		frame_support::traits::AsEnsureOriginWithArg<frame_system::EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = ();
}

/// Voucher asset ids of the test reward denoms.
pub const UATOM: u32 = 1;
/// Voucher asset ids of the test reward denoms.
pub const UOSMO: u32 = 2;

/// Test denom mapping: `uatom` -> asset 1, `uosmo` -> asset 2, `ujuno` -> asset 3.
pub struct TestRewardDenoms;
impl crate::rewards::RewardDenomToAsset<u32> for TestRewardDenoms {
	fn reward_asset(_consumer_id: ConsumerId, denom: &[u8]) -> Option<u32> {
		match denom {
			b"uatom" => Some(UATOM),
			b"uosmo" => Some(UOSMO),
			b"ujuno" => Some(3),
			_ => None,
		}
	}

	fn reward_asset_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::types::BenchmarkHelper<u32> for TestRewardDenoms {
	fn create_voucher(i: u32) -> u32 {
		let id = 100 + i;
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), id, ADMIN, false, 1));
		id
	}

	/// The fake channel sends on any channel id.
	fn open_ccv_channel(_client_id: &IbcId) -> Result<IbcId, &'static str> {
		Ok(ibc_id("channel-0"))
	}

	/// Evidence [`FakeVerifier`] accepts.
	fn consumer_equivocation() -> Result<(ConsensusKey, crate::equivocation::Evidence), &'static str>
	{
		Ok((ckey(0xE0), evidence(0xE0, 1)))
	}
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<5>;
	type WeightInfo = ();
}

/// Session handler with an ed25519 key, so provider session keys can collide with consumer keys.
pub struct EdSessionHandler;
impl sp_runtime::BoundToRuntimeAppPublic for EdSessionHandler {
	type Public = AppPublic;
}
impl OneSessionHandler<AccountId> for EdSessionHandler {
	type Key = AppPublic;
	fn on_genesis_session<'a, I>(_: I)
	where
		I: 'a + Iterator<Item = (&'a AccountId, Self::Key)>,
		AccountId: 'a,
	{
	}
	fn on_new_session<'a, I>(_: bool, _: I, _: I)
	where
		I: 'a + Iterator<Item = (&'a AccountId, Self::Key)>,
		AccountId: 'a,
	{
	}
	fn on_disabled(_: u32) {}
}

sp_runtime::impl_opaque_keys! {
	/// Provider session keys of the test runtime.
	pub struct SessionKeys {
		/// An ed25519 key (stands in for GRANDPA).
		pub ed: EdSessionHandler,
	}
}

/// The raw ed25519 session key of validator `v`.
pub fn session_key(v: AccountId) -> [u8; 32] {
	let mut k = [0xEE; 32];
	k[..8].copy_from_slice(&v.to_le_bytes());
	k
}

fn session_keys(v: AccountId) -> SessionKeys {
	SessionKeys { ed: AppPublic::from(sp_core::ed25519::Public::from_raw(session_key(v))) }
}

impl pallet_session::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = sp_runtime::traits::ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<ConstU64<SESSION_BLOCKS>, ConstU64<0>>;
	type NextSessionRotation =
		pallet_session::PeriodicSessions<ConstU64<SESSION_BLOCKS>, ConstU64<0>>;
	type SessionManager = pallet_session::historical::NoteHistoricalRoot<Test, Staking>;
	type SessionHandler = (EdSessionHandler,);
	type Keys = SessionKeys;
	type DisablingStrategy = pallet_session::disabling::UpToLimitDisablingStrategy;
	type WeightInfo = ();
	type Currency = Balances;
	type KeyDeposit = ();
}

impl pallet_session::historical::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type FullIdentification = ();
	type FullIdentificationOf = pallet_staking::UnitIdentificationOf<Self>;
}

impl pallet_offences::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = pallet_session::historical::IdentificationTuple<Self>;
	type OnOffenceHandler = Staking;
}

parameter_types! {
	pub static ElectionsBounds: ElectionBounds = ElectionBoundsBuilder::default().build();
}

/// On-chain sequential Phragmén over staking's voters and targets.
pub struct OnChainSeqPhragmen;
impl onchain::Config for OnChainSeqPhragmen {
	type System = Test;
	type Solver = SequentialPhragmen<AccountId, Perbill>;
	type DataProvider = Staking;
	type WeightInfo = ();
	type MaxBackersPerWinner = ConstU32<256>;
	type MaxWinnersPerPage = ConstU32<100>;
	type Bounds = ElectionsBounds;
	type Sort = ConstBool<true>;
}

#[derive_impl(pallet_staking::config_preludes::TestDefaultConfig)]
impl pallet_staking::Config for Test {
	type OldCurrency = Balances;
	type Currency = Balances;
	type UnixTime = Timestamp;
	type AdminOrigin = EnsureRoot<AccountId>;
	type SessionInterface = Self;
	type EraPayout = ();
	type NextNewSession = Session;
	type ElectionProvider = onchain::OnChainExecution<OnChainSeqPhragmen>;
	type GenesisElectionProvider = Self::ElectionProvider;
	type VoterList = pallet_staking::UseNominatorsAndValidatorsMap<Self>;
	type TargetList = crate::jail::JailFilter<Self, pallet_staking::UseValidatorsMap<Self>>;
	type MaxExposurePageSize = ConstU32<EXPOSURE_PAGE_SIZE>;
}

/// Nominators per staking exposure page (small, so reward payouts span several pages).
pub const EXPOSURE_PAGE_SIZE: u32 = 2;
/// Eras a reward snapshot stays claimable.
pub const REWARD_ERA_DEPTH: u32 = 2;

/// A packet the pallet sent through the fake channel.
#[derive(Clone, Debug, PartialEq)]
pub struct SentPacket {
	/// Our port.
	pub port: Vec<u8>,
	/// Our channel.
	pub channel: IbcId,
	/// Packet data (wire JSON).
	pub data: Vec<u8>,
	/// Timeout timestamp (ms).
	pub timeout_ms: u64,
}

/// A consumer client the pallet created through the fake channel.
#[derive(Clone, Debug, PartialEq)]
pub struct CreatedClient {
	/// The consumer's chain id.
	pub chain_id: Vec<u8>,
	/// Its initial set.
	pub initial_set: Vec<ValidatorUpdate>,
	/// Trusting period (ms).
	pub trusting_period_ms: u64,
}

thread_local! {
	/// Packets sent, in order.
	pub static SENT: RefCell<Vec<SentPacket>> = const { RefCell::new(Vec::new()) };
	/// Clients created, in order.
	pub static CLIENTS: RefCell<Vec<CreatedClient>> = const { RefCell::new(Vec::new()) };
	/// Channels closed, in order.
	pub static CLOSED: RefCell<Vec<IbcId>> = const { RefCell::new(Vec::new()) };
	/// Error the next sends return, if any.
	pub static SEND_ERROR: RefCell<Option<ChannelError>> = const { RefCell::new(None) };
	/// Whether client creation fails.
	pub static FAIL_CREATE_CLIENT: RefCell<bool> = const { RefCell::new(false) };
}

/// Fake IBC host: records sends, creates numbered clients, describes a fixed host state.
pub struct FakeChannel;
impl IbcChannel for FakeChannel {
	fn send_packet(
		port: &[u8],
		channel: &IbcId,
		data: Vec<u8>,
		timeout_timestamp_ms: u64,
	) -> Result<u64, ChannelError> {
		if let Some(e) = SEND_ERROR.with(|e| *e.borrow()) {
			return Err(e);
		}
		SENT.with(|s| {
			let mut s = s.borrow_mut();
			s.push(SentPacket {
				port: port.to_vec(),
				channel: channel.clone(),
				data,
				timeout_ms: timeout_timestamp_ms,
			});
			Ok(s.len() as u64)
		})
	}

	fn create_consumer_client(
		chain_id: &[u8],
		initial_set: &[ValidatorUpdate],
		trusting_period_ms: u64,
	) -> Result<IbcId, ChannelError> {
		if FAIL_CREATE_CLIENT.with(|f| *f.borrow()) {
			return Err(ChannelError::InvalidClientState);
		}
		CLIENTS.with(|c| {
			let mut c = c.borrow_mut();
			c.push(CreatedClient {
				chain_id: chain_id.to_vec(),
				initial_set: initial_set.to_vec(),
				trusting_period_ms,
			});
			Ok(ibc_id(&format!("10-grandpa-{}", c.len() - 1)))
		})
	}

	fn host_client_state() -> Result<(Vec<u8>, Vec<u8>), ChannelError> {
		Ok((b"provider-client-state".to_vec(), b"provider-consensus-state".to_vec()))
	}

	fn open_transfer_channel(_connection: &IbcId) -> Result<IbcId, ChannelError> {
		Ok(ibc_id("channel-transfer"))
	}

	fn close_channel(_port: &[u8], channel: &IbcId) -> Result<(), ChannelError> {
		CLOSED.with(|c| c.borrow_mut().push(channel.clone()));
		Ok(())
	}
}

/// Fake light-client verification: evidence `b"eqv" ++ key[32] ++ infraction[32]` on client
/// `10-grandpa-*` proves that `key` equivocated.
pub struct FakeVerifier;
impl crate::equivocation::EquivocationVerifier for FakeVerifier {
	fn verify(
		client_id: &IbcId,
		evidence: &[u8],
	) -> Option<crate::equivocation::VerifiedEquivocation> {
		if !client_id.starts_with(b"10-grandpa-")
			|| evidence.len() != 67
			|| &evidence[..3] != b"eqv"
		{
			return None;
		}
		Some(crate::equivocation::VerifiedEquivocation {
			offender: ConsensusKey(evidence[3..35].try_into().unwrap()),
			infraction_id: evidence[35..67].try_into().unwrap(),
		})
	}

	fn past_set_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::from_parts(1_000, 0)
	}
}

/// Evidence the fake verifier accepts.
pub fn evidence(key: u8, infraction: u8) -> crate::equivocation::Evidence {
	let mut e = b"eqv".to_vec();
	e.extend([key; 32]);
	e.extend([infraction; 32]);
	e.try_into().unwrap()
}

/// Renders accounts as `acc<n>`.
pub struct AccountAddress;
impl Convert<AccountId, String> for AccountAddress {
	fn convert(a: AccountId) -> String {
		format!("acc{a}")
	}
}

ord_parameter_types! {
	/// The signed admin.
	pub const Admin: AccountId = ADMIN;
}

parameter_types! {
	/// Pallet id of the provider.
	pub const CcvPalletId: PalletId = PalletId(*b"py/ccvpr");
	/// Trusting period fraction.
	pub const TrustingFraction: Perbill = Perbill::from_percent(66);
	/// Share of the total power the slash meter allows per period.
	pub static SlashMeterFraction: Perbill = Perbill::one();
	/// VSCs sent per block.
	pub static MaxVscPerBlock: u32 = 10;
	/// Consumer sets recomputed per block.
	pub static MaxRecomputesPerBlock: u32 = 10;
	/// Launches per block.
	pub static MaxLaunchesPerBlock: u32 = 10;
	/// Entries removed per prefix map per deletion step.
	pub static CleanupLimit: u32 = 100;
	/// VSC session records kept per consumer.
	pub static MaxVscRecords: u32 = 8;
}

impl pallet_ccv_provider::Config for Test {
	type ConsumerAdminOrigin =
		EitherOfDiverse<EnsureRoot<AccountId>, EnsureSignedBy<Admin, AccountId>>;
	type Channel = FakeChannel;
	type Time = Timestamp;
	type AccountToAddress = AccountAddress;
	type PalletId = CcvPalletId;
	type PowerReduction = ConstU128<10>;
	type UnbondingPeriodMs = ConstU64<UNBONDING_MS>;
	type InitTimeoutMs = ConstU64<INIT_TIMEOUT_MS>;
	type TrustingPeriodFraction = TrustingFraction;
	type MaxConsumerChains = ConstU32<8>;
	type MaxValidators = ConstU32<16>;
	type MaxLaunchesPerBlock = MaxLaunchesPerBlock;
	type MaxRecomputesPerBlock = MaxRecomputesPerBlock;
	type MaxVscPerBlock = MaxVscPerBlock;
	type MaxDeletionsPerBlock = ConstU32<2>;
	type CleanupLimit = CleanupLimit;
	type MaxVscRecords = MaxVscRecords;
	type MaxPendingSlashRequests = ConstU32<4>;
	type SlashMeterReplenishPeriodMs = ConstU64<SLASH_METER_PERIOD_MS>;
	type SlashMeterReplenishFraction = SlashMeterFraction;
	type ReportOffence = pallet_staking::FilterHistoricalOffences<Staking, Offences>;
	type MaxSlashesPerBlock = ConstU32<2>;
	type EquivocationVerifier = FakeVerifier;
	type RewardAssets = Assets;
	type RewardDenoms = TestRewardDenoms;
	type MaxRewardAssets = ConstU32<2>;
	type RewardEraDepth = ConstU32<REWARD_ERA_DEPTH>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestRewardDenoms;
	type WeightInfo = ();
}

/// An IBC identifier from a string.
pub fn ibc_id(s: &str) -> IbcId {
	IbcId::try_from(s.as_bytes().to_vec()).unwrap()
}

/// A consumer key that is no provider session key.
pub fn ckey(n: u8) -> ConsensusKey {
	ConsensusKey([n; 32])
}

/// A chain id.
pub fn chain_id(s: &str) -> ChainId {
	ChainId::try_from(s.as_bytes().to_vec()).unwrap()
}

/// Valid init params spawning at `spawn_time_ms`.
pub fn init_params(spawn_time_ms: Option<u64>) -> InitParams {
	InitParams { spawn_time_ms, params: ConsumerParams::default() }
}

/// Power shaping with only `top_n` set.
pub fn top_n(n: u8) -> PowerShapingOf<Test> {
	PowerShapingParams { top_n: n, ..Default::default() }
}

/// Creates a consumer as root and returns its id.
pub fn create_consumer(
	spawn_time_ms: Option<u64>,
	power_shaping: PowerShapingOf<Test>,
) -> ConsumerId {
	let id = NextConsumerId::<Test>::get();
	assert_ok!(CcvProvider::create_consumer(
		RuntimeOrigin::root(),
		chain_id(&format!("consumer-{id}")),
		Default::default(),
		Some(init_params(spawn_time_ms)),
		power_shaping,
		Default::default(),
	));
	id
}

/// Assigns `ckey(n)` to validator `v` on `consumer_id`.
pub fn assign(v: AccountId, consumer_id: ConsumerId, n: u8) {
	assert_ok!(CcvProvider::assign_consumer_key(RuntimeOrigin::signed(v), consumer_id, ckey(n)));
}

/// Creates a consumer spawning now with top-N `n`, gives every validator a key
/// (`base + index`) and runs one block so that it launches.
pub fn launched_consumer(n: u8, base: u8) -> ConsumerId {
	let id = create_consumer(Some(0), top_n(n));
	for (i, (v, _)) in VALIDATORS.iter().enumerate() {
		assign(*v, id, base + i as u8);
	}
	next_block();
	assert_eq!(Phase::<Test>::get(id), Some(ConsumerPhase::Launched));
	id
}

/// Runs the channel handshake for `consumer_id` on `channel`.
pub fn open_channel(consumer_id: ConsumerId, channel: &str) -> IbcId {
	use ccv_primitives::channel::CcvIbcApp;
	let client_id = ConsumerClient::<Test>::get(consumer_id).unwrap();
	let open = channel_open(channel, client_id);
	assert_ok!(CcvProvider::on_chan_open_try(&open));
	assert_ok!(CcvProvider::on_chan_open_confirm(&open.port, &open.channel));
	open.channel
}

/// A valid `chan_open_try` for `channel` on `client_id`.
pub fn channel_open(channel: &str, client_id: IbcId) -> ChannelOpen {
	ChannelOpen {
		port: ibc_id(PROVIDER_PORT_ID),
		channel: ibc_id(channel),
		counterparty_port: ibc_id(CONSUMER_PORT_ID),
		ordered: true,
		connection_hops: vec![ibc_id("connection-0")],
		client_id,
		version: CCV_VERSION.as_bytes().to_vec(),
	}
}

/// Packets sent so far, clearing the record.
pub fn take_sent() -> Vec<SentPacket> {
	SENT.with(|s| core::mem::take(&mut *s.borrow_mut()))
}

/// This pallet's events so far.
pub fn provider_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::CcvProvider(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Runs blocks up to `n`, setting timestamps as a block author would.
pub fn run_to_block(n: u64) {
	System::run_to_block_with::<AllPalletsWithSystem>(
		n,
		frame_system::RunToBlockHooks::default().after_initialize(|bn| {
			Timestamp::set_timestamp(INIT_TIMESTAMP + bn * BLOCK_TIME);
		}),
	);
}

/// Runs one block.
pub fn next_block() {
	run_to_block(System::block_number() + 1);
}

/// Runs until the first block of era `era`.
pub fn start_era(era: u32) {
	run_to_block(u64::from(era) * SESSIONS_PER_ERA * SESSION_BLOCKS);
	assert_eq!(pallet_staking::ActiveEra::<Test>::get().unwrap().index, era);
}

/// Bonds `stash` with `stake` and declares it a validator with session keys.
pub fn add_validator(stash: AccountId, stake: Balance) {
	let _ = pallet_balances::Pallet::<Test>::force_set_balance(
		RuntimeOrigin::root(),
		stash,
		stake + 100,
	);
	assert_ok!(Staking::bond(
		RuntimeOrigin::signed(stash),
		stake,
		pallet_staking::RewardDestination::Stash
	));
	assert_ok!(Staking::validate(RuntimeOrigin::signed(stash), Default::default()));
	// Test keys have no private key to sign an ownership proof with; register them directly.
	pallet_session::NextKeys::<Test>::insert(stash, session_keys(stash));
	pallet_session::KeyOwner::<Test>::insert(
		(sp_core::testing::ED25519, session_key(stash).to_vec()),
		stash,
	);
}

/// Builds the test externalities.
pub struct ExtBuilder;

impl ExtBuilder {
	/// Genesis: four validators with stakes 1000..4000 (powers 100..400), all with session keys.
	pub fn build() -> sp_io::TestExternalities {
		SENT.with(|s| s.borrow_mut().clear());
		CLIENTS.with(|c| c.borrow_mut().clear());
		CLOSED.with(|c| c.borrow_mut().clear());
		SEND_ERROR.with(|e| *e.borrow_mut() = None);
		FAIL_CREATE_CLIENT.with(|f| *f.borrow_mut() = false);
		MaxVscPerBlock::set(10);
		MaxRecomputesPerBlock::set(10);
		MaxLaunchesPerBlock::set(10);
		CleanupLimit::set(100);
		MaxVscRecords::set(8);
		SlashMeterFraction::set(Perbill::one());

		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut balances: Vec<(AccountId, Balance)> =
			VALIDATORS.iter().map(|(v, stake)| (*v, stake + 100)).collect();
		balances.extend([(ADMIN, 1_000), (5, 1_000), (6, 10_000)]);
		pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		pallet_staking::GenesisConfig::<Test> {
			stakers: VALIDATORS
				.iter()
				.map(|(v, stake)| (*v, *v, *stake, StakerStatus::Validator))
				.collect(),
			validator_count: 8,
			minimum_validator_count: 1,
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_session::GenesisConfig::<Test> {
			keys: VALIDATORS.iter().map(|(v, _)| (*v, *v, session_keys(*v))).collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::from(storage);
		ext.execute_with(|| {
			Timestamp::set_timestamp(INIT_TIMESTAMP);
			run_to_block(1);
		});
		ext
	}

	/// Runs `test` on fresh externalities, then checks the pallet's invariants.
	pub fn build_and_execute(test: impl FnOnce()) {
		Self::build().execute_with(|| {
			test();
			CcvProvider::do_try_state().unwrap();
		});
	}
}
