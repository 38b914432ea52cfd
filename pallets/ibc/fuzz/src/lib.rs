//! The `deliver` fuzz harness: pallet-ibc's mock runtime with pre-seeded IBC state, and a
//! decoder that turns fuzz input into a few steps, mostly `deliver` batches of IBC messages.
//!
//! State (built once per process, then every input runs in a storage transaction that is rolled
//! back): mock client `9999-mock-0` of the counterparty at height 5; `connection-0` OPEN and
//! `connection-1` INIT on it; `channel-0` (port `test`, ORDERED, counterparty `channel-5`) and
//! `channel-1` (port `transfer`, `ics20-1`, counterparty `channel-6`) OPEN, `channel-2` (port
//! `test`) INIT; a GRANDPA client `10-grandpa-1` of a 4-voter test chain; packet 1 sent on each
//! open channel (`hello` on `channel-0`, 1000 `stake` from Alice on `channel-1`, 1000 escrowed).
//!
//! Input format (bytes read front to back; a read past the end yields zeros):
//! up to [`MAX_STEPS`] steps, each an op byte `op % 8`:
//! - `0..=4` a `deliver` batch: a count byte (`% 9` messages), then each [message](Reader);
//! - `5` finalize the block and start the next one; `6` advance the clock by a byte of minutes;
//! - `7` the rest of the input is a SCALE-encoded `RuntimeCall`, dispatched if it is pallet-ibc's.
//!
//! A message starts with a selector byte `s % 16`: `0..=3` one of the [`Templates`] (valid in
//! the seeded state; index byte), `4` a routed type URL with raw value bytes, `5` raw type URL
//! and value bytes, otherwise an ibc-rs domain message built field by field from pools of
//! identifiers, heights, timestamps and payloads that exist in the seeded state (and sometimes
//! not). A mutation byte follows every message: truncate, flip a byte, or append bytes.
//!
//! Checked for every dispatched call: no panic; the declared weight is `deliver_weight::deliver`
//! of the batch and the post-dispatch weight is not above it; a failed
//! call leaves the storage root (child trie included) unchanged; after an accepted one the
//! pallet's `try_state` invariants hold.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![allow(deprecated)] // MsgConnectionOpenTry / MsgChannelOpenTry carry deprecated fields.

use ccv_primitives::channel::{IbcChannel, IbcId};
use codec::{DecodeLimit, Encode};
use core::{str::FromStr, time::Duration};
use frame_support::{
	dispatch::GetDispatchInfo,
	traits::{ConstU32, Get},
	BoundedVec,
};
use ibc_client_grandpa::{
	misbehaviour::{FinalityProof, Misbehaviour as GrandpaMisbehaviour},
	testing::{
		child_with_root, equal_weight_set, justify, voter_keys, TestChain, GENESIS_NS, SECOND_NS,
	},
	types::SubstrateHeader,
	ClientState as GrandpaClientState, ConsensusState as GrandpaConsensusState, GrandpaHeader,
	IbcConsensusState,
};
use ibc_core::{
	channel::types::{
		channel::Order,
		msgs::{
			MsgAcknowledgement, MsgChannelCloseConfirm, MsgChannelCloseInit, MsgChannelOpenAck,
			MsgChannelOpenConfirm, MsgChannelOpenInit, MsgChannelOpenTry, MsgRecvPacket,
			MsgTimeout, MsgTimeoutOnClose,
		},
		packet::Packet,
		timeout::{TimeoutHeight, TimeoutTimestamp},
		Version as ChanVersion,
	},
	client::types::{
		msgs::{MsgCreateClient, MsgSubmitMisbehaviour, MsgUpdateClient, MsgUpgradeClient},
		Height,
	},
	commitment_types::commitment::{CommitmentPrefix, CommitmentProofBytes},
	connection::types::{
		msgs::{
			MsgConnectionOpenAck, MsgConnectionOpenConfirm, MsgConnectionOpenInit,
			MsgConnectionOpenTry,
		},
		proto::v1::Version as RawConnVersion,
		version::Version as ConnVersion,
		Counterparty as ConnCounterparty,
	},
	host::types::identifiers::{ChannelId, ClientId, ConnectionId, PortId, Sequence},
	primitives::{proto::Any, Signer, Timestamp, ToProto},
};
use ibc_testkit::testapp::ibc::clients::mock::{
	client_state::MockClientState, consensus_state::MockConsensusState, header::MockHeader,
	misbehaviour::Misbehaviour as MockMisbehaviour,
};
use pallet_ibc::{
	mock::*,
	transfer::account::{AccountCodec, Ss58Accounts},
	deliver_weight,
	types::{RawAny, IBC_CHILD_TRIE, MAX_TYPE_URL_LEN},
};
use sp_core::{ed25519, Pair as _};
use sp_runtime::{traits::Dispatchable, AccountId32, StateVersion};

/// Most steps run per input.
pub const MAX_STEPS: usize = 4;

/// Most messages in one batch: the mock runtime's `MaxMessages`.
pub type MaxMessages = ConstU32<8>;

/// The mock client of the counterparty.
pub const MOCK_CLIENT: &str = "9999-mock-0";
/// The GRANDPA client of the 4-voter test chain.
pub const GRANDPA_CLIENT: &str = "10-grandpa-1";
/// Height of the counterparty at which the mock client was created: proofs are "at" it.
pub const CP_HEIGHT: u64 = 5;
/// Timeout (unix ms) of the two seeded outgoing packets.
pub const SEED_TIMEOUT_MS: u64 = GENESIS_MS + 3_600_000;
/// Chain id of the GRANDPA test chain.
pub const GRANDPA_CHAIN: &[u8] = b"consumer-1";
/// Trusting period of the GRANDPA client.
pub const GRANDPA_TRUSTING_NS: u64 = 3_600 * SECOND_NS;

/// Every type URL ibc-rs's `MsgEnvelope` routes.
pub const ROUTED_TYPE_URLS: &[&str] = &[
	"/ibc.core.client.v1.MsgCreateClient",
	"/ibc.core.client.v1.MsgUpdateClient",
	"/ibc.core.client.v1.MsgUpgradeClient",
	"/ibc.core.client.v1.MsgSubmitMisbehaviour",
	"/ibc.core.connection.v1.MsgConnectionOpenInit",
	"/ibc.core.connection.v1.MsgConnectionOpenTry",
	"/ibc.core.connection.v1.MsgConnectionOpenAck",
	"/ibc.core.connection.v1.MsgConnectionOpenConfirm",
	"/ibc.core.channel.v1.MsgChannelOpenInit",
	"/ibc.core.channel.v1.MsgChannelOpenTry",
	"/ibc.core.channel.v1.MsgChannelOpenAck",
	"/ibc.core.channel.v1.MsgChannelOpenConfirm",
	"/ibc.core.channel.v1.MsgChannelCloseInit",
	"/ibc.core.channel.v1.MsgChannelCloseConfirm",
	"/ibc.core.channel.v1.MsgRecvPacket",
	"/ibc.core.channel.v1.MsgAcknowledgement",
	"/ibc.core.channel.v1.MsgTimeout",
	"/ibc.core.channel.v1.MsgTimeoutOnClose",
];

/// Type URLs of light-client payloads (client and consensus states, headers, misbehaviour).
const CLIENT_TYPE_URLS: &[&str] = &[
	ibc_client_grandpa::ibc_client::CLIENT_STATE_TYPE_URL,
	ibc_client_grandpa::ibc_client::CONSENSUS_STATE_TYPE_URL,
	ibc_client_grandpa::ibc_client::HEADER_TYPE_URL,
	ibc_client_grandpa::ibc_client::MISBEHAVIOUR_TYPE_URL,
	"/ibc.mock.ClientState",
	"/ibc.mock.ConsensusState",
	"/ibc.mock.Header",
	"/ibc.mock.Misbehavior",
	"/ibc.lightclients.tendermint.v1.ClientState",
];

fn h(n: u64) -> Height {
	Height::new(0, n).unwrap()
}

fn signer() -> Signer {
	Signer::from("relayer".to_string())
}

fn proof() -> CommitmentProofBytes {
	CommitmentProofBytes::try_from(vec![1u8]).unwrap()
}

fn now_ms() -> u64 {
	pallet_timestamp::Now::<Test>::get()
}

fn ts_ns(ms: u64) -> Timestamp {
	Timestamp::from_nanoseconds(ms.saturating_mul(1_000_000))
}

/// The SS58 string of a mock account (what ICS-20 packets carry).
pub fn ss58(who: &AccountId32) -> String {
	<Ss58Accounts<Ss58Prefix> as AccountCodec<AccountId32>>::format(who)
}

/// ICS-20 packet data as ibc-go writes it.
pub fn ics20_data(denom: &str, amount: &str, sender: &str, receiver: &str, memo: &str) -> Vec<u8> {
	serde_json::json!({
		"denom": denom, "amount": amount, "sender": sender, "receiver": receiver, "memo": memo,
	})
	.to_string()
	.into_bytes()
}

fn mock_header(height: u64, ts: Timestamp) -> MockHeader {
	MockHeader::new(h(height)).with_timestamp(ts)
}

fn packet(
	seq: u64,
	(port_a, chan_a): (&str, u64),
	(port_b, chan_b): (&str, u64),
	data: Vec<u8>,
	timeout_ms: u64,
) -> Packet {
	Packet {
		seq_on_a: Sequence::from(seq),
		port_id_on_a: PortId::new(port_a.to_string()).unwrap(),
		chan_id_on_a: ChannelId::new(chan_a),
		port_id_on_b: PortId::new(port_b.to_string()).unwrap(),
		chan_id_on_b: ChannelId::new(chan_b),
		data,
		timeout_height_on_b: TimeoutHeight::Never,
		timeout_timestamp_on_b: TimeoutTimestamp::At(ts_ns(timeout_ms)),
	}
}

fn chan_open_init(port: &str, order: Order, version: &str) -> Any {
	MsgChannelOpenInit {
		port_id_on_a: port.parse().unwrap(),
		connection_hops_on_a: vec![ConnectionId::new(0)],
		port_id_on_b: port.parse().unwrap(),
		ordering: order,
		signer: signer(),
		version_proposal: ChanVersion::new(version.to_string()),
	}
	.to_any()
}

fn chan_open_ack(port: &str, ours: u64, theirs: u64, version: &str) -> Any {
	MsgChannelOpenAck {
		port_id_on_a: port.parse().unwrap(),
		chan_id_on_a: ChannelId::new(ours),
		chan_id_on_b: ChannelId::new(theirs),
		version_on_b: ChanVersion::new(version.to_string()),
		proof_chan_end_on_b: proof(),
		proof_height_on_b: h(CP_HEIGHT),
		signer: signer(),
	}
	.to_any()
}

fn conn_open_init() -> Any {
	MsgConnectionOpenInit {
		client_id_on_a: MOCK_CLIENT.parse().unwrap(),
		counterparty: ConnCounterparty::new(
			"9999-mock-7".parse().unwrap(),
			None,
			CommitmentPrefix::from_bytes(IBC_CHILD_TRIE),
		),
		version: None,
		delay_period: Duration::ZERO,
		signer: signer(),
	}
	.to_any()
}

fn conn_open_ack(ours: u64, theirs: u64, consensus_height_of_us: u64) -> Any {
	MsgConnectionOpenAck {
		conn_id_on_a: ConnectionId::new(ours),
		conn_id_on_b: ConnectionId::new(theirs),
		client_state_of_a_on_b: MockClientState::new(MockHeader::new(h(1))).into(),
		proof_conn_end_on_b: proof(),
		proof_client_state_of_a_on_b: proof(),
		proof_consensus_state_of_a_on_b: proof(),
		proofs_height_on_b: h(CP_HEIGHT),
		consensus_height_of_a_on_b: h(consensus_height_of_us),
		version: ConnVersion::compatibles().into_iter().next().unwrap(),
		signer: signer(),
		proof_consensus_state_of_a: None,
	}
	.to_any()
}

/// Converts to the call's bounded form, truncating what exceeds the bounds.
pub fn raw(any: Any) -> RawAny {
	let mut url = any.type_url.into_bytes();
	url.truncate(MAX_TYPE_URL_LEN as usize);
	RawAny { type_url: BoundedVec::truncate_from(url), value: BoundedVec::truncate_from(any.value) }
}

fn deliver_ok(msgs: Vec<Any>) {
	let batch = BoundedVec::truncate_from(msgs.into_iter().map(raw).collect());
	Ibc::deliver(RuntimeOrigin::signed(ALICE), batch).expect("seeding message accepted");
}

/// Valid messages in the seeded state (some only after other steps: see [`Templates::SEEDS`]).
pub struct Templates {
	/// The messages, by index.
	pub messages: Vec<Any>,
}

impl Templates {
	/// GRANDPA update of `10-grandpa-1` to block 2 (3 of 4 voters).
	pub const GRANDPA_UPDATE_2: u8 = 0;
	/// GRANDPA update to block 4 scheduling a new authority set (3 of 4 voters).
	pub const GRANDPA_UPDATE_4_SET_CHANGE: u8 = 1;
	/// GRANDPA misbehaviour: two finalized blocks 3 (freezes the client).
	pub const GRANDPA_MISBEHAVIOUR: u8 = 2;
	/// Mock client update to height 6, 2 hours after genesis (needs the clock moved first).
	pub const MOCK_UPDATE_LATE: u8 = 3;
	/// Receive packet 1 on `test`/`channel-0`.
	pub const RECV_TEST: u8 = 4;
	/// Receive 100 `uatom` for Alice on `transfer`/`channel-1` (mints a voucher).
	pub const RECV_TRANSFER_VOUCHER: u8 = 5;
	/// Receive 10 of our `stake` back for Bob on `transfer`/`channel-1` (unescrow).
	pub const RECV_TRANSFER_NATIVE: u8 = 6;
	/// Acknowledge our packet 1 on `test`/`channel-0`.
	pub const ACK_TEST: u8 = 7;
	/// Success ack of our transfer packet 1.
	pub const ACK_TRANSFER_OK: u8 = 8;
	/// Error ack of our transfer packet 1 (refund).
	pub const ACK_TRANSFER_ERR: u8 = 9;
	/// Timeout of our transfer packet 1, proven at height 6 (after [`Self::MOCK_UPDATE_LATE`]).
	pub const TIMEOUT_TRANSFER: u8 = 10;
	/// Channel open ack of `channel-2`.
	pub const CHAN_OPEN_ACK_2: u8 = 11;
	/// Connection open ack of `connection-1`.
	pub const CONN_OPEN_ACK_1: u8 = 12;
	/// Mock misbehaviour of `9999-mock-0` (freezes it).
	pub const MOCK_MISBEHAVIOUR: u8 = 13;
	/// Timeout of our `test` packet 1 (after [`Self::MOCK_UPDATE_LATE`]; closes the channel).
	pub const TIMEOUT_TEST: u8 = 14;
	/// A new mock client (`9999-mock-2`).
	pub const CREATE_MOCK_CLIENT: u8 = 15;

	/// Seed inputs: `(name, bytes)`, each reaching an accepting path.
	pub fn seeds() -> Vec<(String, Vec<u8>)> {
		// A template message: selector 0, its index, no mutation.
		let t = |i: u8| vec![0, i, 0];
		// A domain `MsgUpdateClient` of the GRANDPA client with the fixture's update `i`.
		let grandpa_update = |i: u8| vec![6, 1, 3, 2, i, 0, 0];
		// A `deliver` step.
		let batch = |msgs: &[Vec<u8>]| {
			let mut step = vec![0, msgs.len() as u8];
			msgs.iter().for_each(|m| step.extend(m));
			step
		};
		let mut seeds: Vec<(String, Vec<u8>)> =
			(0..16u8).map(|i| (format!("template-{i:02}"), batch(&[t(i)]))).collect();
		// Clock +125 min (both seeded packets time out on the counterparty), then update the
		// mock client and time both packets out in one batch.
		let mut timeouts = vec![6, 125];
		timeouts.extend(batch(&[
			t(Self::MOCK_UPDATE_LATE),
			t(Self::TIMEOUT_TRANSFER),
			t(Self::TIMEOUT_TEST),
		]));
		seeds.push(("timeouts".into(), timeouts));
		// Three GRANDPA updates in one batch (to block 2, to 4 enacting set 1, to 5 signed by
		// set 1), then a new block, and receive, acknowledge, receive in one batch.
		let mut grandpa = batch(&[t(Self::GRANDPA_UPDATE_2), grandpa_update(3), grandpa_update(4)]);
		grandpa.push(5);
		grandpa.extend(batch(&[
			t(Self::RECV_TEST),
			t(Self::ACK_TEST),
			t(Self::RECV_TRANSFER_VOUCHER),
		]));
		seeds.push(("grandpa-then-packets".into(), grandpa));
		// A SCALE-encoded `deliver` call with one template message.
		let call = RuntimeCall::Ibc(pallet_ibc::Call::deliver {
			messages: BoundedVec::truncate_from(vec![raw(conn_open_ack(1, 4, 1))]),
		});
		let mut scale = vec![7];
		scale.extend(call.encode());
		seeds.push(("scale-call".into(), scale));
		// A domain message of every kind, all-zero choices.
		for kind in 0..18u8 {
			seeds.push((format!("domain-{kind:02}"), vec![0, 1, 6, kind]));
		}
		seeds
	}
}

/// The GRANDPA test chain, its voters and the updates built from it.
pub struct GrandpaFixture {
	/// The four voters of set 0.
	pub voters: Vec<ed25519::Pair>,
	/// Valid updates: to block 2; to block 4 with a set change; to 3 with only 2 signers.
	pub updates: Vec<GrandpaHeader>,
	/// Conflicting finalized blocks 3.
	pub misbehaviour: GrandpaMisbehaviour,
}

impl GrandpaFixture {
	fn new() -> Self {
		let voters = voter_keys(4);
		let signers = &voters[..3];
		let mut chain = TestChain::new();
		chain.extend(3);
		// Block 4 schedules set 1 = the last two voters, delay 0.
		let change = sp_consensus_grandpa::ScheduledChange {
			next_authorities: voters[2..].iter().map(|v| (v.public().into(), 1)).collect(),
			delay: 0,
		};
		chain.push(vec![sp_runtime::DigestItem::Consensus(
			sp_consensus_grandpa::GRANDPA_ENGINE_ID,
			sp_consensus_grandpa::ConsensusLog::<u32>::ScheduledChange(change).encode(),
		)]);
		chain.extend(1);
		let updates = vec![
			chain.update(0, 2, 0, signers),
			chain.update(0, 4, 0, signers),
			chain.update(0, 3, 0, &voters[..2]),
			chain.update(2, 4, 0, signers),
			chain.update(4, 5, 1, &voters[2..]),
		];
		let fork = |root: u8, round: u64| {
			let header: SubstrateHeader = child_with_root(chain.header(2), [root; 32], vec![]);
			FinalityProof { set_id: 0, justification: justify(&header, 0, round, signers), header }
		};
		let misbehaviour = GrandpaMisbehaviour { first: fork(0xaa, 7), second: fork(0xbb, 8) };
		Self { voters, updates, misbehaviour }
	}

	fn client_state(&self, set_id: u64, voters: usize, chain: &[u8]) -> Option<GrandpaClientState> {
		let set = equal_weight_set(set_id, &self.voters[..voters.clamp(1, 4)]);
		GrandpaClientState::from_genesis_authorities(chain, set, GRANDPA_TRUSTING_NS, 4).ok()
	}
}

/// The harness: seeded externalities, templates, fixtures.
pub struct Harness {
	ext: sp_io::TestExternalities,
	/// Valid messages of the seeded state.
	pub templates: Templates,
	grandpa: GrandpaFixture,
	/// Data of our seeded transfer packet (as ibc-rs encoded it).
	transfer_data: Vec<u8>,
}

/// What one input did (for the harness's own tests).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
	/// Results of the dispatched calls, in order.
	pub results: Vec<bool>,
}

impl Harness {
	/// Builds the seeded state (see the crate docs).
	pub fn new() -> Self {
		let grandpa = GrandpaFixture::new();
		let mut ext = new_test_ext();
		let transfer_data = ext.execute_with(|| {
			deliver_ok(vec![
				MsgCreateClient {
					client_state: MockClientState::new(mock_header(CP_HEIGHT, ts_ns(now_ms())))
						.into(),
					consensus_state: MockConsensusState::new(mock_header(
						CP_HEIGHT,
						ts_ns(now_ms()),
					))
					.into(),
					signer: signer(),
				}
				.to_any(),
				conn_open_init(),
			]);
			next_block();
			deliver_ok(vec![conn_open_ack(0, 3, 1)]);
			deliver_ok(vec![
				chan_open_init("test", Order::Ordered, "1"),
				chan_open_ack("test", 0, 5, "1"),
				chan_open_init("transfer", Order::Unordered, "ics20-1"),
				chan_open_ack("transfer", 1, 6, "ics20-1"),
				chan_open_init("test", Order::Unordered, "1"),
				conn_open_init(),
			]);
			let cs = grandpa.client_state(0, 4, GRANDPA_CHAIN).unwrap();
			let cons = GrandpaConsensusState { timestamp_ns: GENESIS_NS, ibc_root: [0; 32] };
			deliver_ok(vec![MsgCreateClient {
				client_state: cs.into(),
				consensus_state: IbcConsensusState::from(cons).into(),
				signer: signer(),
			}
			.to_any()]);
			let channel0 = IbcId::try_from(b"channel-0".to_vec()).unwrap();
			<Ibc as IbcChannel>::send_packet(
				b"test",
				&channel0,
				b"hello".to_vec(),
				SEED_TIMEOUT_MS,
			)
			.unwrap();
			Ibc::transfer(
				RuntimeOrigin::signed(ALICE),
				BoundedVec::truncate_from(b"channel-1".to_vec()),
				BoundedVec::truncate_from(b"stake".to_vec()),
				1000,
				BoundedVec::truncate_from(b"cosmos1receiver".to_vec()),
				None,
				Some(SEED_TIMEOUT_MS),
				BoundedVec::default(),
			)
			.unwrap();
			next_block();
			Ibc::do_try_state().unwrap();
			let key = (
				BoundedVec::truncate_from(b"transfer".to_vec()),
				BoundedVec::truncate_from(b"channel-1".to_vec()),
				1u64,
			);
			pallet_ibc::SentPackets::<Test>::get(key).unwrap().data.into_inner()
		});
		ext.commit_all().unwrap();
		let templates = Templates { messages: Self::templates(&grandpa, &transfer_data) };
		Self { ext, templates, grandpa, transfer_data }
	}

	fn templates(grandpa: &GrandpaFixture, transfer_data: &[u8]) -> Vec<Any> {
		let late = ts_ns(GENESIS_MS + 7_200_000);
		let test_packet = packet(1, ("test", 0), ("test", 5), b"hello".to_vec(), SEED_TIMEOUT_MS);
		let transfer_packet =
			packet(1, ("transfer", 1), ("transfer", 6), transfer_data.to_vec(), SEED_TIMEOUT_MS);
		let far = SEED_TIMEOUT_MS + 86_400_000;
		let ack = |packet: &Packet, ack: &[u8]| {
			MsgAcknowledgement {
				packet: packet.clone(),
				acknowledgement: ack.to_vec().try_into().unwrap(),
				proof_acked_on_b: proof(),
				proof_height_on_b: h(CP_HEIGHT),
				signer: signer(),
			}
			.to_any()
		};
		let timeout = |packet: &Packet| {
			MsgTimeout {
				packet: packet.clone(),
				next_seq_recv_on_b: Sequence::from(1),
				proof_unreceived_on_b: proof(),
				proof_height_on_b: h(CP_HEIGHT + 1),
				signer: signer(),
			}
			.to_any()
		};
		let recv = |packet: Packet| {
			MsgRecvPacket {
				packet,
				proof_commitment_on_a: proof(),
				proof_height_on_a: h(CP_HEIGHT),
				signer: signer(),
			}
			.to_any()
		};
		let update = |client: &str, message: Any| {
			MsgUpdateClient {
				client_id: client.parse().unwrap(),
				client_message: message,
				signer: signer(),
			}
			.to_any()
		};
		vec![
			update(GRANDPA_CLIENT, grandpa.updates[0].clone().into()),
			update(GRANDPA_CLIENT, grandpa.updates[1].clone().into()),
			MsgSubmitMisbehaviour {
				client_id: GRANDPA_CLIENT.parse().unwrap(),
				misbehaviour: grandpa.misbehaviour.clone().into(),
				signer: signer(),
			}
			.to_any(),
			update(MOCK_CLIENT, mock_header(CP_HEIGHT + 1, late).into()),
			recv(packet(1, ("test", 5), ("test", 0), b"vsc".to_vec(), far)),
			recv(packet(
				1,
				("transfer", 6),
				("transfer", 1),
				ics20_data("uatom", "100", "cosmos1sender", &ss58(&ALICE), ""),
				far,
			)),
			recv(packet(
				2,
				("transfer", 6),
				("transfer", 1),
				ics20_data("transfer/channel-6/stake", "10", "cosmos1sender", &ss58(&BOB), "m"),
				far,
			)),
			ack(&test_packet, br#"{"result":"AQ=="}"#),
			ack(&transfer_packet, br#"{"result":"AQ=="}"#),
			ack(&transfer_packet, br#"{"error":"refused"}"#),
			timeout(&transfer_packet),
			chan_open_ack("test", 2, 8, "1"),
			conn_open_ack(1, 4, 1),
			MsgSubmitMisbehaviour {
				client_id: MOCK_CLIENT.parse().unwrap(),
				misbehaviour: MockMisbehaviour {
					client_id: MOCK_CLIENT.parse().unwrap(),
					header1: mock_header(CP_HEIGHT + 2, late),
					header2: mock_header(CP_HEIGHT + 2, late),
				}
				.into(),
				signer: signer(),
			}
			.to_any(),
			timeout(&test_packet),
			MsgCreateClient {
				client_state: MockClientState::new(mock_header(9, ts_ns(GENESIS_MS))).into(),
				consensus_state: MockConsensusState::new(mock_header(9, ts_ns(GENESIS_MS))).into(),
				signer: signer(),
			}
			.to_any(),
		]
	}

	/// Runs one fuzz input; panics on a violated property.
	pub fn run(&mut self, data: &[u8]) -> Outcome {
		let Self { ext, templates, grandpa, transfer_data } = self;
		let mut outcome = Outcome::default();
		ext.execute_with(|| {
			sp_io::storage::start_transaction();
			let mut r = Reader { data, templates, grandpa, transfer_data };
			for _ in 0..MAX_STEPS {
				let Some(op) = r.next() else { break };
				match op % 8 {
					0..=4 => {
						let n = usize::from(r.u8() % (<MaxMessages as Get<u32>>::get() as u8 + 1));
						let msgs: Vec<RawAny> = (0..n).map(|_| raw(r.message())).collect();
						let call = RuntimeCall::Ibc(pallet_ibc::Call::deliver {
							messages: BoundedVec::truncate_from(msgs),
						});
						outcome.results.push(dispatch_checked(call));
					}
					5 => {
						next_block();
					}
					6 => {
						let minutes = u64::from(r.u8());
						pallet_timestamp::Now::<Test>::mutate(|t| *t += minutes * 60_000);
					}
					_ => {
						let mut rest = r.rest();
						if let Ok(RuntimeCall::Ibc(call)) =
							<RuntimeCall as DecodeLimit>::decode_with_depth_limit(64, &mut rest)
						{
							outcome.results.push(dispatch_checked(RuntimeCall::Ibc(call)));
						}
					}
				}
			}
			sp_io::storage::rollback_transaction();
		});
		outcome
	}
}

impl Default for Harness {
	fn default() -> Self {
		Self::new()
	}
}

fn root() -> Vec<u8> {
	sp_io::storage::root(StateVersion::V1)
}

/// Dispatches `call` signed by Alice and checks the properties; returns whether it succeeded.
fn dispatch_checked(call: RuntimeCall) -> bool {
	let info = call.get_dispatch_info();
	if let RuntimeCall::Ibc(pallet_ibc::Call::deliver { messages }) = &call {
		// The mock runtime's weights are `()`.
		let declared =
			deliver_weight::deliver::<
				(),
				<Test as frame_system::Config>::DbWeight,
				<Test as pallet_ibc::Config>::Apps,
			>(messages);
		assert_eq!(info.call_weight, declared, "declared weight");
		assert!(messages.is_empty() || info.call_weight.ref_time() > 0);
	}
	let before = root();
	match call.dispatch(RuntimeOrigin::signed(ALICE)) {
		Ok(post) => {
			assert!(post.actual_weight.is_none_or(|w| w.all_lte(info.call_weight)));
			if let Err(e) = Ibc::do_try_state() {
				panic!("try_state after an accepted call: {e:?}");
			}
			true
		}
		Err(e) => {
			assert!(e.post_info.actual_weight.is_none_or(|w| w.all_lte(info.call_weight)));
			assert_eq!(root(), before, "a failed call changed storage: {:?}", e.error);
			false
		}
	}
}

/// Reads fuzz input (zeros past the end) and builds messages from it.
pub struct Reader<'a> {
	data: &'a [u8],
	templates: &'a Templates,
	grandpa: &'a GrandpaFixture,
	transfer_data: &'a [u8],
}

impl Reader<'_> {
	fn next(&mut self) -> Option<u8> {
		let (first, rest) = self.data.split_first()?;
		self.data = rest;
		Some(*first)
	}

	fn u8(&mut self) -> u8 {
		self.next().unwrap_or(0)
	}

	fn u16(&mut self) -> u16 {
		u16::from_le_bytes([self.u8(), self.u8()])
	}

	fn u64(&mut self) -> u64 {
		u64::from_le_bytes(core::array::from_fn(|_| self.u8()))
	}

	fn rest(&mut self) -> &[u8] {
		core::mem::take(&mut self.data)
	}

	/// A length byte (255: a u16 length follows), then that many bytes (fewer at the end).
	fn blob(&mut self) -> Vec<u8> {
		let len = match self.u8() {
			255 => usize::from(self.u16()),
			n => usize::from(n),
		};
		let take = len.min(self.data.len());
		let (head, rest) = self.data.split_at(take);
		self.data = rest;
		head.to_vec()
	}

	fn string(&mut self) -> String {
		String::from_utf8_lossy(&self.blob()).into_owned()
	}

	fn pick<T: Copy>(&mut self, pool: &[T]) -> T {
		pool[usize::from(self.u8()) % pool.len()]
	}

	/// One message: a template, raw bytes, or a domain message; then maybe a mutation.
	fn message(&mut self) -> Any {
		let mut any = match self.u8() % 16 {
			0..=3 => {
				let i = usize::from(self.u8()) % self.templates.messages.len();
				self.templates.messages[i].clone()
			}
			4 => Any { type_url: self.pick(ROUTED_TYPE_URLS).into(), value: self.blob() },
			5 => Any { type_url: self.string(), value: self.blob() },
			_ => self.domain(),
		};
		let len = any.value.len().max(1);
		match self.u8() {
			224..=239 => any.value.truncate(usize::from(self.u16()) % len),
			240..=247 => {
				let at = usize::from(self.u16()) % len;
				let x = self.u8() | 1;
				if let Some(b) = any.value.get_mut(at) {
					*b ^= x;
				}
			}
			248..=255 => any.value.extend(self.blob()),
			_ => {}
		}
		any
	}

	fn client_id(&mut self) -> ClientId {
		match self.u8() % 8 {
			0..=2 => MOCK_CLIENT.parse().unwrap(),
			3 | 4 => GRANDPA_CLIENT.parse().unwrap(),
			5 => "9999-mock-2".parse().unwrap(),
			6 => "07-tendermint-0".parse().unwrap(),
			_ => ClientId::from_str(&self.string())
				.unwrap_or_else(|_| "10-grandpa-7".parse().unwrap()),
		}
	}

	fn connection(&mut self) -> ConnectionId {
		match self.u8() % 8 {
			0..=3 => ConnectionId::new(0),
			4 | 5 => ConnectionId::new(1),
			6 => ConnectionId::new(u64::from(self.u8())),
			_ => ConnectionId::new(self.u64()),
		}
	}

	fn port(&mut self) -> PortId {
		match self.u8() % 8 {
			0..=2 => PortId::new("test".into()).unwrap(),
			3..=5 => PortId::transfer(),
			6 => PortId::new("other".into()).unwrap(),
			_ => PortId::new(self.string()).unwrap_or_else(|_| PortId::transfer()),
		}
	}

	fn channel(&mut self) -> ChannelId {
		match self.u8() % 8 {
			0..=5 => ChannelId::new(u64::from(self.u8() % 10)),
			6 => ChannelId::new(u64::from(self.u8())),
			_ => ChannelId::new(self.u64()),
		}
	}

	fn height(&mut self) -> Height {
		let revision = if self.u8() % 8 == 7 { 1 } else { 0 };
		let height = match self.u8() % 8 {
			0 | 1 => CP_HEIGHT,
			2 => CP_HEIGHT + 1,
			3 => 1,
			4 => 2,
			5 => u64::from(self.u8()),
			6 => u64::MAX,
			_ => self.u64(),
		};
		Height::new(revision, height).unwrap_or_else(|_| h(CP_HEIGHT))
	}

	fn timestamp(&mut self) -> Timestamp {
		match self.u8() % 8 {
			0 | 1 => ts_ns(now_ms()),
			2 => ts_ns(now_ms() + 3_600_000),
			3 => ts_ns(GENESIS_MS + 7_200_000),
			4 => Timestamp::from_nanoseconds(1),
			5 => Timestamp::from_nanoseconds(u64::MAX),
			6 => Timestamp::from_nanoseconds(GENESIS_NS),
			_ => Timestamp::from_nanoseconds(self.u64()),
		}
	}

	fn proof(&mut self) -> CommitmentProofBytes {
		if self.u8() % 8 == 7 {
			CommitmentProofBytes::try_from(self.blob()).unwrap_or_else(|_| proof())
		} else {
			proof()
		}
	}

	fn signer(&mut self) -> Signer {
		if self.u8() % 8 == 7 {
			Signer::from(self.string())
		} else {
			signer()
		}
	}

	fn sequence(&mut self) -> Sequence {
		Sequence::from(match self.u8() % 4 {
			0 | 1 => 1,
			2 => u64::from(self.u8()),
			_ => self.u64(),
		})
	}

	fn amount(&mut self) -> String {
		match self.u8() % 8 {
			0 | 1 => "10".into(),
			2 => "0".into(),
			3 => "340282366920938463463374607431768211456".into(), // u128::MAX + 1
			4 => "115792089237316195423570985008687907853269984665640564039457584007913129639935"
				.into(), // U256::MAX
			5 => "-1".into(),
			6 => self.u64().to_string(),
			_ => self.string(),
		}
	}

	fn account(&mut self) -> String {
		match self.u8() % 8 {
			0 | 1 => ss58(&ALICE),
			2 => ss58(&BOB),
			3 => "cosmos1sender".into(),
			4 => format!("0x{}", "01".repeat(32)),
			5 => String::new(),
			_ => self.string(),
		}
	}

	fn packet_data(&mut self) -> Vec<u8> {
		match self.u8() % 8 {
			0..=2 => {
				let denom = match self.u8() % 8 {
					0 | 1 => "uatom".to_string(),
					2 | 3 => "transfer/channel-6/stake".into(),
					4 => "stake".into(),
					5 => "transfer/channel-1/uatom".into(),
					6 => "transfer/channel-6/transfer/channel-9/uatom".into(),
					_ => self.string(),
				};
				let amount = self.amount();
				let sender = self.account();
				let receiver = self.account();
				let memo = if self.u8() % 4 == 3 { self.string() } else { String::new() };
				ics20_data(&denom, &amount, &sender, &receiver, &memo)
			}
			3 => b"hello".to_vec(),
			4 => self.transfer_data.to_vec(),
			_ => self.blob(),
		}
	}

	fn timeout_height(&mut self) -> TimeoutHeight {
		match self.u8() % 4 {
			0 | 1 => TimeoutHeight::Never,
			_ => TimeoutHeight::At(self.height()),
		}
	}

	fn timeout_timestamp(&mut self) -> TimeoutTimestamp {
		match self.u8() % 4 {
			0 | 1 => TimeoutTimestamp::At(ts_ns(SEED_TIMEOUT_MS)),
			2 => TimeoutTimestamp::Never,
			_ => TimeoutTimestamp::At(self.timestamp()),
		}
	}

	/// A packet; `incoming` picks our end as the destination.
	fn packet(&mut self, incoming: bool) -> Packet {
		let seq = self.sequence();
		let (ours_port, ours_chan) = (self.port(), self.channel());
		let (their_port, their_chan) = (self.port(), self.channel());
		let data = self.packet_data();
		let timeout_height_on_b = self.timeout_height();
		let timeout_timestamp_on_b = self.timeout_timestamp();
		let ((port_id_on_a, chan_id_on_a), (port_id_on_b, chan_id_on_b)) = if incoming {
			((their_port, their_chan), (ours_port, ours_chan))
		} else {
			((ours_port, ours_chan), (their_port, their_chan))
		};
		Packet {
			seq_on_a: seq,
			port_id_on_a,
			chan_id_on_a,
			port_id_on_b,
			chan_id_on_b,
			data,
			timeout_height_on_b,
			timeout_timestamp_on_b,
		}
	}

	fn ack(&mut self) -> Vec<u8> {
		match self.u8() % 4 {
			0 | 1 => br#"{"result":"AQ=="}"#.to_vec(),
			2 => br#"{"error":"refused"}"#.to_vec(),
			_ => {
				let bytes = self.blob();
				if bytes.is_empty() {
					vec![0]
				} else {
					bytes
				}
			}
		}
	}

	fn chan_version(&mut self) -> ChanVersion {
		ChanVersion::new(match self.u8() % 8 {
			0..=2 => "1".into(),
			3..=5 => "ics20-1".into(),
			6 => String::new(),
			_ => self.string(),
		})
	}

	fn conn_version(&mut self) -> ConnVersion {
		let compatible = ConnVersion::compatibles().into_iter().next().unwrap();
		if self.u8() % 8 == 7 {
			let raw = RawConnVersion {
				identifier: self.string(),
				features: vec![self.string(), self.string()],
			};
			ConnVersion::try_from(raw).unwrap_or(compatible)
		} else {
			compatible
		}
	}

	fn order(&mut self) -> Order {
		match self.u8() % 8 {
			0..=3 => Order::Unordered,
			4..=6 => Order::Ordered,
			_ => Order::None,
		}
	}

	fn mock_header(&mut self) -> MockHeader {
		let height = self.height();
		let ts = self.timestamp();
		MockHeader::new(height).with_timestamp(ts)
	}

	fn grandpa_header(&mut self) -> GrandpaHeader {
		let i = usize::from(self.u8()) % self.grandpa.updates.len();
		self.grandpa.updates[i].clone()
	}

	/// A client state: mock, GRANDPA (of the test chain or of this host), or raw bytes.
	fn client_state(&mut self) -> Any {
		match self.u8() % 8 {
			0..=2 => {
				let mut cs = MockClientState::new(self.mock_header());
				match self.u8() % 8 {
					6 => cs = cs.frozen(),
					7 => cs = cs.with_trusting_period(Duration::from_nanos(self.u64())),
					_ => {}
				}
				cs.into()
			}
			3..=5 => {
				let chain: &[u8] = match self.u8() % 4 {
					0 | 1 => GRANDPA_CHAIN,
					2 => b"test-chain",
					_ => b"x",
				};
				let (set_id, voters) = (u64::from(self.u8() % 3), usize::from(self.u8() % 5));
				match self.grandpa.client_state(set_id, voters, chain) {
					Some(mut cs) => {
						if self.u8() % 4 == 3 {
							cs.latest_height = u32::from_le_bytes([self.u8(), self.u8(), 0, 0]);
						}
						cs.into()
					}
					None => self.raw_any(),
				}
			}
			_ => self.raw_any(),
		}
	}

	fn consensus_state(&mut self) -> Any {
		match self.u8() % 8 {
			0..=2 => MockConsensusState::new(self.mock_header()).into(),
			3..=5 => {
				let root = if self.u8() % 4 == 3 { [self.u8(); 32] } else { [0; 32] };
				let cons = GrandpaConsensusState {
					timestamp_ns: self.timestamp().nanoseconds(),
					ibc_root: root,
				};
				IbcConsensusState::from(cons).into()
			}
			_ => self.raw_any(),
		}
	}

	fn raw_any(&mut self) -> Any {
		let type_url =
			if self.u8() % 8 == 7 { self.string() } else { self.pick(CLIENT_TYPE_URLS).into() };
		Any { type_url, value: self.blob() }
	}

	/// A client message for an update or misbehaviour.
	fn client_message(&mut self) -> Any {
		match self.u8() % 8 {
			0 | 1 => self.mock_header().into(),
			2 | 3 => self.grandpa_header().into(),
			4 => self.grandpa.misbehaviour.clone().into(),
			5 => MockMisbehaviour {
				client_id: self.client_id(),
				header1: self.mock_header(),
				header2: self.mock_header(),
			}
			.into(),
			6 => {
				// A valid GRANDPA header or misbehaviour with one SCALE byte flipped.
				let mut any: Any = if self.u8().is_multiple_of(2) {
					self.grandpa_header().into()
				} else {
					self.grandpa.misbehaviour.clone().into()
				};
				let len = any.value.len().max(1);
				let at = usize::from(self.u16()) % len;
				let x = self.u8() | 1;
				if let Some(b) = any.value.get_mut(at) {
					*b ^= x;
				}
				any
			}
			_ => self.raw_any(),
		}
	}

	fn conn_counterparty(&mut self) -> ConnCounterparty {
		let client = self.client_id();
		let conn = if self.u8().is_multiple_of(2) { None } else { Some(self.connection()) };
		let prefix = if self.u8() % 8 == 7 { self.blob() } else { IBC_CHILD_TRIE.to_vec() };
		ConnCounterparty::new(client, conn, CommitmentPrefix::from_bytes(prefix))
	}

	fn delay(&mut self) -> Duration {
		if self.u8() % 8 == 7 {
			Duration::from_nanos(self.u64())
		} else {
			Duration::ZERO
		}
	}

	/// An ibc-rs domain message of a kind chosen by the next byte, encoded as its `Any`.
	fn domain(&mut self) -> Any {
		match self.u8() % 18 {
			0 => MsgCreateClient {
				client_state: self.client_state(),
				consensus_state: self.consensus_state(),
				signer: self.signer(),
			}
			.to_any(),
			1 => MsgUpdateClient {
				client_id: self.client_id(),
				client_message: self.client_message(),
				signer: self.signer(),
			}
			.to_any(),
			2 => MsgSubmitMisbehaviour {
				client_id: self.client_id(),
				misbehaviour: self.client_message(),
				signer: self.signer(),
			}
			.to_any(),
			3 => MsgUpgradeClient {
				client_id: self.client_id(),
				upgraded_client_state: self.client_state(),
				upgraded_consensus_state: self.consensus_state(),
				proof_upgrade_client: self.proof(),
				proof_upgrade_consensus_state: self.proof(),
				signer: self.signer(),
			}
			.to_any(),
			4 => MsgConnectionOpenInit {
				client_id_on_a: self.client_id(),
				counterparty: self.conn_counterparty(),
				version: if self.u8().is_multiple_of(2) { None } else { Some(self.conn_version()) },
				delay_period: self.delay(),
				signer: self.signer(),
			}
			.to_any(),
			5 => MsgConnectionOpenTry {
				client_id_on_b: self.client_id(),
				client_state_of_b_on_a: self.client_state(),
				counterparty: self.conn_counterparty(),
				versions_on_a: vec![self.conn_version()],
				proof_conn_end_on_a: self.proof(),
				proof_client_state_of_b_on_a: self.proof(),
				proof_consensus_state_of_b_on_a: self.proof(),
				proofs_height_on_a: self.height(),
				consensus_height_of_b_on_a: self.height(),
				delay_period: self.delay(),
				signer: self.signer(),
				proof_consensus_state_of_b: None,
				previous_connection_id: String::new(),
			}
			.to_any(),
			6 => MsgConnectionOpenAck {
				conn_id_on_a: self.connection(),
				conn_id_on_b: self.connection(),
				client_state_of_a_on_b: self.client_state(),
				proof_conn_end_on_b: self.proof(),
				proof_client_state_of_a_on_b: self.proof(),
				proof_consensus_state_of_a_on_b: self.proof(),
				proofs_height_on_b: self.height(),
				consensus_height_of_a_on_b: self.height(),
				version: self.conn_version(),
				signer: self.signer(),
				proof_consensus_state_of_a: None,
			}
			.to_any(),
			7 => MsgConnectionOpenConfirm {
				conn_id_on_b: self.connection(),
				proof_conn_end_on_a: self.proof(),
				proof_height_on_a: self.height(),
				signer: self.signer(),
			}
			.to_any(),
			8 => MsgChannelOpenInit {
				port_id_on_a: self.port(),
				connection_hops_on_a: vec![self.connection()],
				port_id_on_b: self.port(),
				ordering: self.order(),
				signer: self.signer(),
				version_proposal: self.chan_version(),
			}
			.to_any(),
			9 => {
				let version = self.chan_version();
				MsgChannelOpenTry {
					port_id_on_b: self.port(),
					connection_hops_on_b: vec![self.connection()],
					port_id_on_a: self.port(),
					chan_id_on_a: self.channel(),
					version_supported_on_a: version.clone(),
					proof_chan_end_on_a: self.proof(),
					proof_height_on_a: self.height(),
					ordering: self.order(),
					signer: self.signer(),
					version_proposal: version,
				}
				.to_any()
			}
			10 => MsgChannelOpenAck {
				port_id_on_a: self.port(),
				chan_id_on_a: self.channel(),
				chan_id_on_b: self.channel(),
				version_on_b: self.chan_version(),
				proof_chan_end_on_b: self.proof(),
				proof_height_on_b: self.height(),
				signer: self.signer(),
			}
			.to_any(),
			11 => MsgChannelOpenConfirm {
				port_id_on_b: self.port(),
				chan_id_on_b: self.channel(),
				proof_chan_end_on_a: self.proof(),
				proof_height_on_a: self.height(),
				signer: self.signer(),
			}
			.to_any(),
			12 => MsgChannelCloseInit {
				port_id_on_a: self.port(),
				chan_id_on_a: self.channel(),
				signer: self.signer(),
			}
			.to_any(),
			13 => MsgChannelCloseConfirm {
				port_id_on_b: self.port(),
				chan_id_on_b: self.channel(),
				proof_chan_end_on_a: self.proof(),
				proof_height_on_a: self.height(),
				signer: self.signer(),
			}
			.to_any(),
			14 => MsgRecvPacket {
				packet: self.packet(true),
				proof_commitment_on_a: self.proof(),
				proof_height_on_a: self.height(),
				signer: self.signer(),
			}
			.to_any(),
			15 => MsgAcknowledgement {
				packet: self.packet(false),
				acknowledgement: self.ack().try_into().unwrap(),
				proof_acked_on_b: self.proof(),
				proof_height_on_b: self.height(),
				signer: self.signer(),
			}
			.to_any(),
			16 => MsgTimeout {
				packet: self.packet(false),
				next_seq_recv_on_b: self.sequence(),
				proof_unreceived_on_b: self.proof(),
				proof_height_on_b: self.height(),
				signer: self.signer(),
			}
			.to_any(),
			_ => MsgTimeoutOnClose {
				packet: self.packet(false),
				next_seq_recv_on_b: self.sequence(),
				proof_unreceived_on_b: self.proof(),
				proof_close_on_b: self.proof(),
				proof_height_on_b: self.height(),
				signer: self.signer(),
			}
			.to_any(),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	/// Every template is accepted in the seeded state (after the steps its seed takes).
	#[test]
	fn seeds_reach_accepting_paths() {
		let mut harness = Harness::new();
		for (name, seed) in Templates::seeds() {
			let outcome = harness.run(&seed);
			let expect_ok = !name.starts_with("domain-")
				&& !matches!(
					name.as_str(),
					// Valid only after the clock moved and the client was updated.
					"template-03" | "template-10" | "template-14"
				);
			if expect_ok {
				assert!(
					!outcome.results.is_empty() && outcome.results.iter().all(|ok| *ok),
					"seed {name} was refused: {outcome:?}"
				);
			}
		}
	}

	/// The seeds in `seeds/deliver` are [`Templates::seeds`]; `FUZZ_WRITE_SEEDS=1` rewrites them.
	#[test]
	fn committed_seeds_are_current() {
		let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/deliver");
		if std::env::var_os("FUZZ_WRITE_SEEDS").is_some() {
			std::fs::create_dir_all(&dir).unwrap();
			for (name, bytes) in Templates::seeds() {
				std::fs::write(dir.join(name), bytes).unwrap();
			}
		}
		for (name, bytes) in Templates::seeds() {
			assert_eq!(std::fs::read(dir.join(&name)).ok(), Some(bytes), "seed {name} differs");
		}
	}
}
