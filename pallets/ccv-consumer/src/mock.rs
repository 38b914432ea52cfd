//! Test runtime: the real pallet-timestamp, pallet-aura (ed25519), pallet-grandpa (with this
//! pallet's equivocation report system), pallet-offences and pallet-balances, this pallet, and
//! a fake IBC channel that records what is sent.

use crate::{self as pallet_ccv_consumer, types::Validator, ProviderClientFactory};
use ccv_primitives::{
	channel::{ChannelError, IbcChannel, IbcId, PacketRef, Sequence},
	wire::{encode_vsc_packet, Acknowledgement},
	ConsensusKey, ConsumerGenesis, ConsumerPacket, ConsumerParams, SlashAck, ValidatorUpdate,
	VscPacket, DEFAULT_CONSENSUS_ADDRESS_HRP,
};
use codec::Encode;
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, OnFinalize, OnInitialize},
	BoundedVec,
};
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_runtime::{BuildStorage, Digest, DigestItem};

type Block = frame_system::mocking::MockBlock<Test>;

/// Aura slot duration of the mock, in milliseconds.
pub const SLOT_MS: u64 = 6000;
/// Blocks per consumer session in the default test genesis.
pub const BLOCKS_PER_SESSION: u32 = 10;
/// Unbonding period of the default test genesis (10 slots).
pub const UNBONDING_MS: u64 = 10 * SLOT_MS;
/// Retry delay of the default test genesis (3 slots).
pub const RETRY_MS: u64 = 3 * SLOT_MS;
/// CCV timeout of the default test genesis.
pub const CCV_TIMEOUT_MS: u64 = 1_000_000;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Aura: pallet_aura,
		Grandpa: pallet_grandpa,
		Balances: pallet_balances,
		Offences: pallet_offences,
		// The consumer genesis is required (a default one fails to build), so it is left out of
		// `RuntimeGenesisConfig` (and of construct_runtime's generated default-genesis test) and
		// built by `build_storage` below.
		CcvConsumer: pallet_ccv_consumer exclude_parts { Config },
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u128>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = u128;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_MS / 2 }>;
	type WeightInfo = ();
}

impl pallet_aura::Config for Test {
	type AuthorityId = sp_consensus_aura::ed25519::AuthorityId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = ConstU64<SLOT_MS>;
}

impl pallet_grandpa::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<4>;
	type KeyOwnerProof = crate::equivocation::AuthorityMembershipProof;
	type EquivocationReportSystem =
		crate::equivocation::EquivocationReportSystem<Test, Offences, ReportLongevity>;
}

parameter_types! {
	/// Pool longevity of unsigned equivocation reports.
	pub const ReportLongevity: u64 = 100;
}

impl pallet_offences::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = crate::equivocation::EquivocationOffender;
	type OnOffenceHandler = CcvConsumer;
}

/// The mock's extrinsic type.
pub type Extrinsic = frame_system::mocking::MockUncheckedExtrinsic<Test>;

impl<C> frame_system::offchain::CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateBare<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> Extrinsic {
		Extrinsic::new_bare(call)
	}
}

parameter_types! {
	pub const SlashAckHrp: &'static str = DEFAULT_CONSENSUS_ADDRESS_HRP;
	pub const CcvPalletId: frame_support::PalletId = frame_support::PalletId(*b"ccv/cons");
	pub const Redistribution: u64 = REDISTRIBUTION;
	pub const ChainId: &'static str = "consumer-7";
}

/// The consumer's own reward account in the mock.
pub const REDISTRIBUTION: u64 = 100;
/// Where the fake ICS-20 transfer escrows what it sends.
pub const ESCROW: u64 = 999;

impl pallet_ccv_consumer::Config for Test {
	type Channel = FakeChannel;
	type ProviderClient = FakeChannel;
	type Currency = Balances;
	type RewardTransfer = FakeChannel;
	type PalletId = CcvPalletId;
	type RedistributionAccount = Redistribution;
	type ChainId = ChainId;
	type MaxValidators = ConstU32<8>;
	type MaxPendingPackets = ConstU32<4>;
	type MaxPacketsPerBlock = ConstU32<3>;
	type MaxMaturingVscs = ConstU32<3>;
	type MaxVscHeights = ConstU32<4>;
	type MaxSessionHistory = ConstU32<5>;
	type MaxSetHistory = ConstU32<3>;
	type MaxMissesPerBlock = ConstU32<2>;
	type ChainHaltSlots = ConstU64<20>;
	type MaxDowntimeWindowWords = ConstU32<4>;
	type SlashAckHrp = SlashAckHrp;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = FakeChannel;
	type WeightInfo = ();
}

/// The fake channel sends on any channel id.
#[cfg(feature = "runtime-benchmarks")]
impl crate::types::BenchmarkHelper for FakeChannel {
	fn open_ccv_channel() -> Result<IbcId, &'static str> {
		Ok(IbcId::truncate_from(b"channel-0".to_vec()))
	}

	fn open_transfer_channel() -> Result<IbcId, &'static str> {
		Ok(IbcId::truncate_from(b"channel-1".to_vec()))
	}
}

/// A packet the fake channel was asked to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentPacket {
	/// Our port.
	pub port: Vec<u8>,
	/// Our channel.
	pub channel: IbcId,
	/// The packet data.
	pub data: Vec<u8>,
	/// Timeout, unix ms.
	pub timeout_ms: u64,
	/// Sequence given.
	pub sequence: Sequence,
}

/// A reward transfer: (channel, from, amount, receiver, memo, timeout).
pub type RewardTransferCall = (IbcId, u64, u128, Vec<u8>, Vec<u8>, u64);

/// What the fake channel records and how it behaves.
#[derive(Default)]
pub struct ChannelLog {
	/// Packets sent, in order.
	pub sent: Vec<SentPacket>,
	/// Transfer channels opened (by connection).
	pub transfer_opened: Vec<IbcId>,
	/// Channels closed.
	pub closed: Vec<IbcId>,
	/// Provider clients created: (client state, consensus state).
	pub clients_created: Vec<(Vec<u8>, Vec<u8>)>,
	/// Make `send_packet` fail.
	pub fail_send: bool,
	/// Make `create_provider_client` fail.
	pub fail_client: bool,
	/// Reward transfers: (channel, from, amount, receiver, memo, timeout).
	pub transfers: Vec<RewardTransferCall>,
	/// Make `send_rewards` fail.
	pub fail_transfer: bool,
}

thread_local! {
	/// The fake channel's log.
	pub static CHANNEL: RefCell<ChannelLog> = RefCell::new(ChannelLog::default());
}

/// The fake IBC host.
pub struct FakeChannel;

impl IbcChannel for FakeChannel {
	fn send_packet(
		port: &[u8],
		channel: &IbcId,
		data: Vec<u8>,
		timeout_timestamp_ms: u64,
	) -> Result<Sequence, ChannelError> {
		CHANNEL.with(|c| {
			let mut c = c.borrow_mut();
			if c.fail_send {
				return Err(ChannelError::ChannelNotOpen);
			}
			let sequence = c.sent.len() as u64 + 1;
			c.sent.push(SentPacket {
				port: port.to_vec(),
				channel: channel.clone(),
				data,
				timeout_ms: timeout_timestamp_ms,
				sequence,
			});
			Ok(sequence)
		})
	}

	fn create_consumer_client(
		_chain_id: &[u8],
		_initial_set: &[ValidatorUpdate],
		_trusting_period_ms: u64,
	) -> Result<IbcId, ChannelError> {
		Err(ChannelError::Host)
	}

	fn host_client_state() -> Result<(Vec<u8>, Vec<u8>), ChannelError> {
		Err(ChannelError::HostStateUnavailable)
	}

	fn open_transfer_channel(connection: &IbcId) -> Result<IbcId, ChannelError> {
		CHANNEL.with(|c| c.borrow_mut().transfer_opened.push(connection.clone()));
		Ok(id("channel-1"))
	}

	fn close_channel(_port: &[u8], channel: &IbcId) -> Result<(), ChannelError> {
		CHANNEL.with(|c| c.borrow_mut().closed.push(channel.clone()));
		Ok(())
	}
}

impl ProviderClientFactory for FakeChannel {
	fn create_provider_client(
		client_state: &[u8],
		consensus_state: &[u8],
	) -> Result<IbcId, ChannelError> {
		CHANNEL.with(|c| {
			let mut c = c.borrow_mut();
			if c.fail_client {
				return Err(ChannelError::InvalidClientState);
			}
			c.clients_created.push((client_state.to_vec(), consensus_state.to_vec()));
			Ok(id(PROVIDER_CLIENT))
		})
	}
}

impl crate::RewardTransfer<u64, u128> for FakeChannel {
	fn send_rewards(
		channel: &IbcId,
		from: &u64,
		amount: u128,
		receiver: &[u8],
		memo: &[u8],
		timeout_timestamp_ms: u64,
	) -> Result<(), ChannelError> {
		use frame_support::traits::{fungible::Mutate, tokens::Preservation};
		if CHANNEL.with(|c| c.borrow().fail_transfer) {
			return Err(ChannelError::ChannelNotOpen);
		}
		// Escrow, as the ICS-20 app does for a native token.
		Balances::transfer(from, &ESCROW, amount, Preservation::Preserve)
			.map_err(|_| ChannelError::Host)?;
		CHANNEL.with(|c| {
			c.borrow_mut().transfers.push((
				channel.clone(),
				*from,
				amount,
				receiver.to_vec(),
				memo.to_vec(),
				timeout_timestamp_ms,
			))
		});
		Ok(())
	}
}

/// Client id the fake host gives the provider client.
pub const PROVIDER_CLIENT: &str = "10-grandpa-0";
/// The CCV channel id used in tests.
pub const CCV_CHANNEL: &str = "channel-0";

/// An IBC identifier from a string.
pub fn id(s: &str) -> IbcId {
	BoundedVec::try_from(s.as_bytes().to_vec()).unwrap()
}

/// The test consensus key number `i`.
pub fn key(i: u8) -> ConsensusKey {
	ConsensusKey([i; 32])
}

/// A validator entry.
pub fn val(i: u8, power: u64) -> Validator {
	Validator { key: key(i), power }
}

/// Default test parameters.
pub fn params() -> ConsumerParams {
	ConsumerParams {
		consumer_id: 7,
		blocks_per_session: BLOCKS_PER_SESSION,
		unbonding_period_ms: UNBONDING_MS,
		retry_delay_period_ms: RETRY_MS,
		ccv_timeout_period_ms: CCV_TIMEOUT_MS,
		historical_entries: 100,
		downtime_window_slots: 100,
		downtime_max_missed_slots: 50,
		..Default::default()
	}
}

/// A valid consumer genesis with validators 1, 2, 3 (powers 10, 20, 30).
pub fn consumer_genesis() -> ConsumerGenesis {
	ConsumerGenesis {
		params: params(),
		provider_client_state: BoundedVec::try_from(vec![1, 2, 3]).unwrap(),
		provider_consensus_state: BoundedVec::try_from(vec![4, 5]).unwrap(),
		initial_validator_set: BoundedVec::try_from(vec![val(3, 30), val(1, 10), val(2, 20)])
			.unwrap(),
	}
}

/// Storage after genesis build with `genesis`, this pallet last (panics as genesis build does).
pub fn build_storage(genesis: Option<ConsumerGenesis>) -> sp_runtime::Storage {
	build_storage_from(RuntimeGenesisConfig::default(), genesis)
}

/// Storage after building `others`, then this pallet's genesis with `genesis`.
pub fn build_storage_from(
	others: RuntimeGenesisConfig,
	genesis: Option<ConsumerGenesis>,
) -> sp_runtime::Storage {
	let mut storage = others.build_storage().unwrap();
	pallet_ccv_consumer::GenesisConfig::<Test> { consumer_genesis: genesis, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	storage
}

/// Externalities with the default genesis, after block 1 (events are recorded from block 1).
pub fn new_test_ext() -> sp_io::TestExternalities {
	new_test_ext_with(consumer_genesis())
}

/// Externalities with `genesis`, after block 1.
pub fn new_test_ext_with(genesis: ConsumerGenesis) -> sp_io::TestExternalities {
	CHANNEL.with(|c| *c.borrow_mut() = ChannelLog::default());
	let mut ext: sp_io::TestExternalities = build_storage(Some(genesis)).into();
	ext.execute_with(next_block);
	ext
}

/// Runs `test` on the default genesis, then checks the pallet's invariants.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		CcvConsumer::do_try_state().unwrap();
	});
}

/// Aura slot of the last block produced.
pub fn current_slot() -> u64 {
	u64::from(pallet_aura::CurrentSlot::<Test>::get())
}

/// Produces the next block `skip + 1` slots after the previous one.
pub fn next_block_after(skip: u64) {
	let n = System::block_number() + 1;
	let slot = Slot::from(current_slot() + 1 + skip);
	let digest = Digest { logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode())] };
	System::initialize(&n, &System::parent_hash(), &digest);
	AllPalletsWithSystem::on_initialize(n);
	Timestamp::set_timestamp(u64::from(slot) * SLOT_MS);
	AllPalletsWithSystem::on_finalize(n);
}

/// Produces the next block in the next slot.
pub fn next_block() {
	next_block_after(0);
}

/// Produces blocks up to and including `n`.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		next_block();
	}
}

/// The CCV packet reference used for VSCs.
pub fn ccv_packet(sequence: u64) -> PacketRef {
	PacketRef { port: id("consumer"), channel: id(CCV_CHANNEL), sequence }
}

/// Encoded VSC data.
pub fn vsc_data(vsc_id: u64, updates: Vec<Validator>, slash_acks: Vec<SlashAck>) -> Vec<u8> {
	encode_vsc_packet(&VscPacket {
		validator_updates: BoundedVec::try_from(updates).unwrap(),
		vsc_id,
		slash_acks: BoundedVec::try_from(slash_acks).unwrap(),
	})
	.unwrap()
}

/// Delivers a VSC on the CCV channel and returns the acknowledgement.
pub fn recv_vsc(vsc_id: u64, updates: Vec<Validator>) -> Acknowledgement {
	use ccv_primitives::channel::CcvIbcApp;
	CcvConsumer::on_recv_packet(&ccv_packet(vsc_id), &vsc_data(vsc_id, updates, vec![]))
}

/// Packets the fake channel sent, decoded.
pub fn sent_packets() -> Vec<ConsumerPacket> {
	CHANNEL.with(|c| {
		c.borrow()
			.sent
			.iter()
			.map(|p| ccv_primitives::wire::decode_consumer_packet(&p.data).unwrap())
			.collect()
	})
}

/// Events of this pallet since genesis.
pub fn ccv_events() -> Vec<pallet_ccv_consumer::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::CcvConsumer(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// GRANDPA consensus logs deposited in the current block's digest.
pub fn grandpa_logs() -> Vec<sp_consensus_grandpa::ConsensusLog<u64>> {
	System::digest()
		.logs
		.iter()
		.filter_map(|d| d.consensus_try_to(&sp_consensus_grandpa::GRANDPA_ENGINE_ID))
		.collect()
}

/// Aura consensus logs deposited in the current block's digest.
pub fn aura_logs() -> Vec<sp_consensus_aura::ConsensusLog<sp_consensus_aura::ed25519::AuthorityId>>
{
	System::digest().logs.iter().filter_map(|d| d.consensus_try_to(&AURA_ENGINE_ID)).collect()
}
