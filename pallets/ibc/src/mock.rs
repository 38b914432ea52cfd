//! Test runtime: System, Timestamp, Balances, Assets and pallet-ibc with ibc-testkit's mock
//! light client behind a client enum derived as a production runtime would derive it, a CCV test
//! app on port `test` and the ICS-20 app on port `transfer` (native denom `stake`, 32-byte
//! accounts written as SS58 with prefix 42).
//!
//! Public behind the `test-utils` feature for the two-chain harness (`frame-ics-sim`), which runs
//! two instances of this runtime side by side. Never for production: the mock client accepts
//! every proof.

#![allow(clippy::unwrap_used, reason = "test runtime: a failing genesis build is a test bug")]
#![allow(missing_docs, reason = "construct_runtime! generates undocumented items")]

use crate::{
	clients::{FromHostRecord, ValidateSelfClient},
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
	PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned};
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
	header::MockHeader,
};
use sp_runtime::BuildStorage;
use sp_runtime::{traits::IdentityLookup, AccountId32};

type Block = frame_system::mocking::MockBlock<Test>;

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
}

/// The host context of the test runtime. The ibc-rs derive reads generic arguments in
/// `#[validation(..)]` as the impl's own type parameters (`IbcContext<Test>` would make `Test` a
/// fresh generic), so it must be named through a non-generic alias.
pub type TestIbcContext = IbcContext<Test>;

/// The light clients of the test runtime (a real runtime lists the GRANDPA client here).
#[derive(Debug, Clone, derive_more::From, ibc_core::derive::ClientState)]
#[validation(TestIbcContext)]
#[execution(TestIbcContext)]
pub enum TestClientState {
	/// ibc-testkit's mock client: accepts every proof.
	Mock(MockClientState),
}

/// Consensus states matching [`TestClientState`].
#[derive(Debug, Clone, derive_more::From, ibc_core::derive::ConsensusState)]
pub enum TestConsensusState {
	/// The mock client's consensus state.
	Mock(MockConsensusState),
}

impl TryFrom<Any> for TestClientState {
	type Error = DecodingError;
	fn try_from(any: Any) -> Result<Self, Self::Error> {
		if any.type_url == MOCK_CLIENT_STATE_TYPE_URL {
			MockClientState::try_from(any).map(Into::into)
		} else {
			Err(DecodingError::UnknownTypeUrl(any.type_url))
		}
	}
}

impl From<TestClientState> for Any {
	fn from(cs: TestClientState) -> Self {
		match cs {
			TestClientState::Mock(cs) => cs.into(),
		}
	}
}

impl TryFrom<Any> for TestConsensusState {
	type Error = DecodingError;
	fn try_from(any: Any) -> Result<Self, Self::Error> {
		if any.type_url == MOCK_CONSENSUS_STATE_TYPE_URL {
			MockConsensusState::try_from(any).map(Into::into)
		} else {
			Err(DecodingError::UnknownTypeUrl(any.type_url))
		}
	}
}

impl From<TestConsensusState> for Any {
	fn from(cs: TestConsensusState) -> Self {
		match cs {
			TestConsensusState::Mock(cs) => cs.into(),
		}
	}
}

impl TryFrom<TestConsensusState> for MockConsensusState {
	type Error = ClientError;
	fn try_from(cs: TestConsensusState) -> Result<Self, Self::Error> {
		match cs {
			TestConsensusState::Mock(cs) => Ok(cs),
		}
	}
}

impl ValidateSelfClient for TestClientState {
	fn validate_self_client(&self, host_height: Height) -> Result<(), HostError> {
		match self {
			TestClientState::Mock(cs) if cs.is_frozen() => {
				Err(HostError::invalid_state("client of this host is frozen"))
			}
			TestClientState::Mock(cs) if cs.latest_height() > host_height => {
				Err(HostError::invalid_state("client of this host is ahead of it"))
			}
			TestClientState::Mock(_) => Ok(()),
		}
	}
}

impl FromHostRecord for TestConsensusState {
	fn from_host_record(record: &HostRecord) -> Result<Self, HostError> {
		let height = Height::new(0, record.height).map_err(HostError::invalid_state)?;
		let header = MockHeader::new(height)
			.with_timestamp(IbcTimestamp::from_nanoseconds(record.timestamp_ns));
		Ok(MockConsensusState::new(header).into())
	}
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

/// A CCV-style app: proposes version `"1"`, refuses any other, acks every packet with `0x01`.
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
	fn on_timeout(_packet: &PacketRef, _data: &[u8]) -> Result<(), ChannelError> {
		Ok(())
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

/// Starts block `n` (resets digest and events) with its timestamp.
pub fn start_block(n: u64) {
	System::initialize(&n, &Default::default(), &Default::default());
	Timestamp::set_timestamp(GENESIS_MS + (n - 1) * BLOCK_MS);
}

/// Finalizes the current block (pallet-ibc's `on_finalize`) and starts the next one.
pub fn next_block() {
	use frame_support::traits::OnFinalize;
	let n = System::block_number();
	Ibc::on_finalize(n);
	start_block(n + 1);
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
