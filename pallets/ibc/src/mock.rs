//! Test runtime: System (`u32` block numbers, so its headers are the GRANDPA client's header
//! type), Timestamp, Balances, Assets and pallet-ibc with two light clients behind enums derived
//! as a production runtime derives them: the GRANDPA client (`10-grandpa`) and ibc-testkit's mock
//! client (`9999-mock`, accepts every proof: unit tests of handler plumbing). A CCV test app on
//! port `test` and the ICS-20 app on port `transfer` (native denom `stake`, 32-byte accounts
//! written as SS58 with prefix 42).
//!
//! The chain id and GRANDPA set id [`MockHostChain`] reports live in unhashed storage
//! ([`set_host_chain`]), so two instances of this runtime in one process (the two-chain harness,
//! `frame-ics-sim`) can be different chains. Public behind the `test-utils` feature for that
//! harness. Never for production.

#![allow(clippy::unwrap_used, reason = "test runtime: a failing genesis build is a test bug")]
#![allow(missing_docs, reason = "construct_runtime! generates undocumented items")]

use crate::{
	clients::{FromHostRecord, HostChain, HostView, ValidateSelfClient},
	router::CcvApp,
	transfer::{account::Ss58Accounts, TransferApp},
	types::HostRecord,
	IbcContext,
};
use ccv_primitives::{
	channel::{CcvIbcApp, ChannelError, ChannelOpen, IbcId, PacketRef},
	wire::{Acknowledgement, CcvAckResult},
};
use frame_support::{
	derive_impl, parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU32, ConstU64},
	weights::Weight,
	PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned};
use ibc_client_grandpa::{
	ibc_client::{CLIENT_STATE_TYPE_URL, CONSENSUS_STATE_TYPE_URL},
	ClientState as GrandpaClientState, IbcConsensusState as GrandpaConsensusState,
};
use ibc_core::{
	client::{
		context::ExtClientValidationContext,
		types::{error::ClientError, Height},
	},
	host::types::error::{DecodingError, HostError},
	primitives::{proto::Any, Timestamp as IbcTimestamp},
};
use ibc_testkit::testapp::ibc::clients::mock::{
	client_state::{MockClientContext, MockClientState, MOCK_CLIENT_STATE_TYPE_URL},
	consensus_state::{MockConsensusState, MOCK_CONSENSUS_STATE_TYPE_URL},
};
use sp_runtime::BuildStorage;
use sp_runtime::{
	traits::{Header as _, IdentityLookup},
	AccountId32,
};

type Block = frame_system::mocking::MockBlockU32<Test>;

/// The test runtime's header: `u32` numbers, BlakeTwo256, exactly the GRANDPA client's
/// `SubstrateHeader`.
pub type Header = frame_system::pallet_prelude::HeaderFor<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Balances: pallet_balances,
		Assets: pallet_assets,
		Ibc: crate,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId32;
	type Lookup = IdentityLookup<AccountId32>;
	type AccountData = pallet_balances::AccountData<u64>;
}

/// Existential deposit of the native token.
pub const ED: u64 = 10;

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ConstU64<ED>;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId32>>;
	type ForceOrigin = EnsureRoot<AccountId32>;
	type Freezer = ();
	type CallbackHandle = FailingAssetCallback;
}

/// Storage key (unhashed): while set, creating an asset fails in pallet-assets' `created`
/// callback, *after* the asset was written (pallet-assets does not roll that back itself).
pub const FAIL_ASSET_CREATION: &[u8] = b":test:fail-asset-creation";

/// An asset-creation callback that fails while [`FAIL_ASSET_CREATION`] is set.
pub struct FailingAssetCallback;

impl pallet_assets::AssetsCallback<u32, AccountId32> for FailingAssetCallback {
	fn created(_id: &u32, _owner: &AccountId32) -> Result<(), ()> {
		if frame_support::storage::unhashed::exists(FAIL_ASSET_CREATION) {
			Err(())
		} else {
			Ok(())
		}
	}
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

parameter_types! {
	/// The test app's port.
	pub const TestPort: &'static str = "test";
	/// The native token's ICS-20 denomination.
	pub const NativeDenom: &'static str = "stake";
	/// Root of the escrow accounts, owner of vouchers.
	pub const IbcPalletId: PalletId = PalletId(*b"py/ibc20");
	/// SS58 address format of the test chain's accounts.
	pub const Ss58Prefix: u16 = 42;
}

/// The first voucher asset id (below it: ids a test may take for other assets).
pub const FIRST_VOUCHER: u32 = 100;

impl crate::Config for Test {
	type TimeProvider = Timestamp;
	type ClientState = TestClientState;
	type ConsensusState = TestConsensusState;
	type HostChain = MockHostChain;
	type Apps = (CcvApp<Test, TestPort, TestApp>, TransferApp<Test>);
	type MaxMessages = ConstU32<8>;
	type HostHistory = ConstU32<3>;
	type AckHistory = ConstU32<2>;
	type MaxConsensusStatesPerClient = ConstU32<64>;
	type ExpectedBlockTimeMs = ConstU64<6000>;
	type NativeCurrency = Balances;
	type NativeDenom = NativeDenom;
	type AssetId = u32;
	type Assets = Assets;
	type FirstVoucherAssetId = ConstU32<FIRST_VOUCHER>;
	type PalletId = IbcPalletId;
	type AccountCodec = Ss58Accounts<Ss58Prefix>;
	type MaxMemoLen = ConstU32<256>;
	type WeightInfo = ();
}

/// The host context of the test runtime. The ibc-rs derive reads generic arguments in
/// `#[validation(..)]` as the impl's own type parameters (`IbcContext<Test>` would make `Test` a
/// fresh generic), so it must be named through a non-generic alias.
pub type TestIbcContext = IbcContext<Test>;

/// The light clients of the test runtime, as a production runtime lists them (plus the mock).
#[derive(Debug, Clone, derive_more::From, ibc_core::derive::ClientState)]
#[validation(TestIbcContext)]
#[execution(TestIbcContext)]
pub enum TestClientState {
	/// The GRANDPA client (`10-grandpa`): real justifications and child-trie proofs.
	Grandpa(GrandpaClientState),
	/// ibc-testkit's mock client: accepts every proof.
	Mock(MockClientState),
}

/// Consensus states matching [`TestClientState`].
#[derive(Debug, Clone, derive_more::From, ibc_core::derive::ConsensusState)]
pub enum TestConsensusState {
	/// The GRANDPA client's consensus state (timestamp and IBC child root).
	Grandpa(GrandpaConsensusState),
	/// The mock client's consensus state.
	Mock(MockConsensusState),
}

impl TryFrom<Any> for TestClientState {
	type Error = DecodingError;
	fn try_from(any: Any) -> Result<Self, Self::Error> {
		match any.type_url.as_str() {
			CLIENT_STATE_TYPE_URL => GrandpaClientState::try_from(any).map(Into::into),
			MOCK_CLIENT_STATE_TYPE_URL => MockClientState::try_from(any).map(Into::into),
			_ => Err(DecodingError::UnknownTypeUrl(any.type_url)),
		}
	}
}

impl From<TestClientState> for Any {
	fn from(cs: TestClientState) -> Self {
		match cs {
			TestClientState::Grandpa(cs) => cs.into(),
			TestClientState::Mock(cs) => cs.into(),
		}
	}
}

impl TryFrom<Any> for TestConsensusState {
	type Error = DecodingError;
	fn try_from(any: Any) -> Result<Self, Self::Error> {
		match any.type_url.as_str() {
			CONSENSUS_STATE_TYPE_URL => GrandpaConsensusState::try_from(any).map(Into::into),
			MOCK_CONSENSUS_STATE_TYPE_URL => MockConsensusState::try_from(any).map(Into::into),
			_ => Err(DecodingError::UnknownTypeUrl(any.type_url)),
		}
	}
}

impl From<TestConsensusState> for Any {
	fn from(cs: TestConsensusState) -> Self {
		match cs {
			TestConsensusState::Grandpa(cs) => cs.into(),
			TestConsensusState::Mock(cs) => cs.into(),
		}
	}
}

/// A consensus state of another client type stored under a client: a host bug, not input.
fn wrong_consensus_state(expected: &str) -> ClientError {
	ClientError::ClientSpecific {
		description: alloc::format!("stored consensus state is not a {expected} one"),
	}
}

impl TryFrom<TestConsensusState> for GrandpaConsensusState {
	type Error = ClientError;
	fn try_from(cs: TestConsensusState) -> Result<Self, Self::Error> {
		match cs {
			TestConsensusState::Grandpa(cs) => Ok(cs),
			TestConsensusState::Mock(_) => Err(wrong_consensus_state("GRANDPA")),
		}
	}
}

impl TryFrom<TestConsensusState> for MockConsensusState {
	type Error = ClientError;
	fn try_from(cs: TestConsensusState) -> Result<Self, Self::Error> {
		match cs {
			TestConsensusState::Mock(cs) => Ok(cs),
			TestConsensusState::Grandpa(_) => Err(wrong_consensus_state("mock")),
		}
	}
}

impl ValidateSelfClient for TestClientState {
	fn validate_self_client(&self, host: &HostView) -> Result<(), HostError> {
		match self {
			TestClientState::Grandpa(cs) => ValidateSelfClient::validate_self_client(cs, host),
			TestClientState::Mock(cs) if cs.is_frozen() => {
				Err(HostError::invalid_state("client of this host is frozen"))
			}
			TestClientState::Mock(cs) if cs.latest_height() > host.height => {
				Err(HostError::invalid_state("client of this host is ahead of it"))
			}
			TestClientState::Mock(_) => Ok(()),
		}
	}
}

/// The host's consensus states are GRANDPA ones (what a GRANDPA client of this chain stores);
/// the mock client never compares them.
impl FromHostRecord for TestConsensusState {
	fn from_host_record(record: &HostRecord) -> Result<Self, HostError> {
		GrandpaConsensusState::from_host_record(record).map(Into::into)
	}
}

/// Storage key (unhashed) of the chain id [`MockHostChain`] reports.
pub const HOST_CHAIN_ID: &[u8] = b":test:host-chain-id";
/// Storage key (unhashed) of the GRANDPA set id [`MockHostChain`] reports.
pub const HOST_SET_ID: &[u8] = b":test:host-grandpa-set-id";
/// The chain id of a test chain that was never given one.
pub const DEFAULT_CHAIN_ID: &[u8] = b"test-chain";

/// The test chain's identity, from unhashed storage: chain id ([`HOST_CHAIN_ID`], default
/// [`DEFAULT_CHAIN_ID`]) and GRANDPA set id ([`HOST_SET_ID`], default 0).
pub struct MockHostChain;

impl HostChain for MockHostChain {
	fn chain_id() -> Vec<u8> {
		frame_support::storage::unhashed::get_raw(HOST_CHAIN_ID)
			.unwrap_or_else(|| DEFAULT_CHAIN_ID.to_vec())
	}
	fn grandpa_set_id() -> u64 {
		frame_support::storage::unhashed::get_or_default(HOST_SET_ID)
	}
}

/// Sets the test chain's chain id and current GRANDPA set id (what [`MockHostChain`] reports).
pub fn set_host_chain(chain_id: &[u8], grandpa_set_id: u64) {
	frame_support::storage::unhashed::put_raw(HOST_CHAIN_ID, chain_id);
	frame_support::storage::unhashed::put(HOST_SET_ID, &grandpa_set_id);
}

impl MockClientContext for IbcContext<Test> {
	fn host_timestamp(&self) -> Result<IbcTimestamp, HostError> {
		ExtClientValidationContext::host_timestamp(self)
	}
	fn host_height(&self) -> Result<Height, HostError> {
		ExtClientValidationContext::host_height(self)
	}
}

/// Storage key (unhashed) where [`TestApp`] counts its `on_chan_open_init` calls.
pub const INIT_CALLS: &[u8] = b":test-app:init-calls";
/// Storage key where [`TestApp`] records the last `ChannelOpen` it was shown, as
/// `(client_id, connection_hops, counterparty_port, ordered)`.
pub const LAST_OPEN: &[u8] = b":test-app:last-open";
/// Storage key where [`TestApp`] records received packet data.
pub const RECEIVED: &[u8] = b":test-app:received";
/// Storage key where [`TestApp`] records acknowledged sequences.
pub const ACKED: &[u8] = b":test-app:acked";
/// Storage key where [`TestApp`] records `(channel, still open during the call)` of its last
/// `on_chan_close_confirm`.
pub const CLOSE_CONFIRMED: &[u8] = b":test-app:close-confirmed";
/// Storage key where [`TestApp`] records `(sequence, channel still open during the call)` of its
/// last `on_timeout`.
pub const TIMED_OUT: &[u8] = b":test-app:timed-out";
/// Storage key that makes [`TestApp`] refuse `on_chan_close_confirm` while set.
pub const REFUSE_CLOSE: &[u8] = b":test-app:refuse-close";

/// Whether our end (`port`, `channel`) is OPEN in the host's store.
fn channel_open(port: &IbcId, channel: &IbcId) -> bool {
	use ibc_core::host::{
		types::{
			identifiers::{ChannelId, PortId},
			path::ChannelEndPath,
		},
		ValidationContext,
	};
	let (Ok(port), Ok(channel)) = (core::str::from_utf8(port), core::str::from_utf8(channel))
	else {
		return false;
	};
	let (Ok(port), Ok(channel)) = (port.parse::<PortId>(), channel.parse::<ChannelId>()) else {
		return false;
	};
	IbcContext::<Test>::new()
		.channel_end(&ChannelEndPath::new(&port, &channel))
		.is_ok_and(|end| end.is_open())
}

/// A CCV-style app: proposes version `"1"`, refuses any other, acks every packet with `0x01`;
/// records what it is told of timeouts and closes.
pub struct TestApp;

impl CcvIbcApp for TestApp {
	fn on_chan_open_init(open: &ChannelOpen) -> Result<Vec<u8>, ChannelError> {
		let calls: u32 = frame_support::storage::unhashed::get_or_default(INIT_CALLS);
		frame_support::storage::unhashed::put(INIT_CALLS, &(calls + 1));
		frame_support::storage::unhashed::put(
			LAST_OPEN,
			&(
				open.client_id.to_vec(),
				open.connection_hops.iter().map(|c| c.to_vec()).collect::<Vec<_>>(),
				open.counterparty_port.to_vec(),
				open.ordered,
			),
		);
		if open.version.is_empty() || open.version == b"1" {
			Ok(b"1".to_vec())
		} else {
			Err(ChannelError::Refused("unsupported version"))
		}
	}
	fn on_chan_open_try(_open: &ChannelOpen) -> Result<Vec<u8>, ChannelError> {
		Ok(b"1".to_vec())
	}
	fn on_chan_open_ack(open: &ChannelOpen) -> Result<(), ChannelError> {
		if open.version == b"1" {
			Ok(())
		} else {
			Err(ChannelError::Refused("unsupported counterparty version"))
		}
	}
	fn on_chan_open_confirm(_port: &IbcId, _channel: &IbcId) -> Result<(), ChannelError> {
		Ok(())
	}
	fn on_chan_close_confirm(port: &IbcId, channel: &IbcId) -> Result<(), ChannelError> {
		if frame_support::storage::unhashed::exists(REFUSE_CLOSE) {
			return Err(ChannelError::Refused("close refused"));
		}
		frame_support::storage::unhashed::put(
			CLOSE_CONFIRMED,
			&(channel.to_vec(), channel_open(port, channel)),
		);
		Ok(())
	}
	fn on_recv_packet(_packet: &PacketRef, data: &[u8]) -> Acknowledgement {
		frame_support::storage::unhashed::put(RECEIVED, &data.to_vec());
		Acknowledgement::ccv(CcvAckResult::V1)
	}
	fn on_acknowledgement(
		packet: &PacketRef,
		_data: &[u8],
		_ack: &Acknowledgement,
	) -> Result<(), ChannelError> {
		frame_support::storage::unhashed::put(ACKED, &packet.sequence);
		Ok(())
	}
	fn on_timeout(packet: &PacketRef, _data: &[u8]) -> Result<(), ChannelError> {
		frame_support::storage::unhashed::put(
			TIMED_OUT,
			&(packet.sequence, channel_open(&packet.port, &packet.channel)),
		);
		Ok(())
	}
	/// Distinct made-up weights, so tests can tell which callback was charged.
	fn on_recv_packet_weight(data_len: u32) -> Weight {
		Weight::from_parts(1_000_000 + 1_000 * u64::from(data_len), 100)
	}
	fn on_acknowledgement_weight() -> Weight {
		Weight::from_parts(2_000_000, 200)
	}
	fn on_timeout_weight() -> Weight {
		Weight::from_parts(3_000_000, 300)
	}
	fn on_channel_step_weight() -> Weight {
		Weight::from_parts(4_000_000, 400)
	}
}

/// A funded account (1_000_000 native).
pub const ALICE: AccountId32 = AccountId32::new([1; 32]);
/// A lightly funded account (1_000 native).
pub const BOB: AccountId32 = AccountId32::new([2; 32]);

/// Unix milliseconds of block 1.
pub const GENESIS_MS: u64 = 1_700_000_000_000;
/// Block time of the test chain.
pub const BLOCK_MS: u64 = 6_000;

/// Starts block `n` on top of the block hashed `parent_hash` (resets digest and events), with
/// its timestamp.
pub fn start_block_on(n: u32, parent_hash: sp_core::H256) {
	System::initialize(&n, &parent_hash, &Default::default());
	Timestamp::set_timestamp(GENESIS_MS + u64::from(n - 1) * BLOCK_MS);
}

/// Starts block `n` (parent hash zero) with its timestamp.
pub fn start_block(n: u32) {
	start_block_on(n, Default::default());
}

/// Ends the current block as an executive would: pallet-ibc's `on_finalize` (the `ibc0`
/// digest), then frame-system's `finalize`, which returns the block's header (digest, storage
/// root, parent hash).
pub fn finalize_block() -> Header {
	use frame_support::traits::OnFinalize;
	Ibc::on_finalize(System::block_number());
	System::finalize()
}

/// Finalizes the current block and starts the next one on top of it; returns the finalized
/// block's header.
pub fn next_block() -> Header {
	let header = finalize_block();
	start_block_on(header.number() + 1, header.hash());
	header
}

/// Test externalities at block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 1_000_000), (BOB, 1_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| start_block(1));
	ext
}

/// Test externalities for the benchmarks: [`new_test_ext`] plus an in-memory keystore (the
/// update benchmark signs GRANDPA precommits with keys it generates there).
#[cfg(all(test, feature = "runtime-benchmarks"))]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
	let mut ext = new_test_ext();
	ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	ext
}
