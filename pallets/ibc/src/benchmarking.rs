//! Benchmarks of `deliver`, one message of each kind a relayer sends, on the real GRANDPA light
//! client, and of the `transfer` call (frame-benchmarking v2).
//!
//! Every proof and header is real: the benchmarks build the counterparty's `ibc` child trie in
//! memory with `sp-trie` (raw ICS-24 path keys, raw values, as [`crate::store`] lays ours out),
//! create a GRANDPA client of the counterparty whose consensus state holds that trie's root, and
//! sign GRANDPA precommits with ed25519 keys generated in the benchmark keystore (the benchmark
//! CLI provides one; the test suite registers an in-memory keystore).
//!
//! Components:
//! - `update_client(p, m, a)`: `p` precommits, all needed for the supermajority; `m` more
//!   authorities in the client's set that do not sign; `a` ancestry headers.
//! - `create_client(v)`: `v` authorities in the new client's set.
//! - proof-carrying messages, `n`: extra nodes of a few bytes each in the proof, the costliest
//!   bytes a proof can carry (every node is decoded, hashed and indexed before the trie is read);
//! - `recv_packet(n, d)`: also `d` bytes of ICS-20 memo in the packet data.
//!
//! Clients in the packet and handshake benchmarks track a set of [`MAX_AUTHORITIES`]
//! authorities (their state is read and decoded by every message). ICS-20 packets take the
//! heaviest app paths: a receive creates the voucher asset of a new denomination and evicts the
//! oldest kept acknowledgement, an error acknowledgement and a timeout refund escrowed native
//! tokens. The handshake benchmarks measure the heaviest step of each family
//! (`conn_open_try`: three proofs, a new connection end; `chan_open_try`: one proof, a new
//! channel end with its sequences and the transfer app's callback); [`crate::deliver_weight`]
//! charges the lighter steps of a family the heaviest one's weight.

use crate::{
	pallet::*,
	store,
	types::{PendingPacket, RawAny},
	IbcContext,
};
use alloc::{format, string::String, string::ToString, vec, vec::Vec};
use codec::Encode;
use core::time::Duration;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect as _, Mutate as _},
		Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use ibc_client_grandpa::{
	header::GrandpaHeader,
	ibc_client::{ibc_height, CLIENT_TYPE},
	types::{
		AuthorityId, AuthoritySet, AuthorityWeight, BlockNumber, Hash, Justification,
		SubstrateHeader, IBC_ENGINE_ID, MAX_AUTHORITIES,
	},
	ClientState, ConsensusState, IbcConsensusState,
};
use ibc_core::{
	channel::types::{
		acknowledgement::Acknowledgement,
		channel::{ChannelEnd, Counterparty as ChannelCounterparty, Order, State as ChannelState},
		commitment::{compute_ack_commitment, compute_packet_commitment},
		msgs::{MsgAcknowledgement, MsgChannelOpenTry, MsgRecvPacket, MsgTimeout},
		packet::Packet,
		timeout::{TimeoutHeight, TimeoutTimestamp},
		Version as ChannelVersion,
	},
	client::{
		context::ClientValidationContext,
		types::{
			msgs::{MsgCreateClient, MsgUpdateClient},
			Height,
		},
	},
	commitment_types::commitment::{CommitmentPrefix, CommitmentProofBytes},
	connection::types::{
		msgs::MsgConnectionOpenTry, version::Version as ConnectionVersion, ConnectionEnd,
		Counterparty as ConnectionCounterparty, State as ConnectionState,
	},
	host::{
		types::{
			identifiers::{ChannelId, ClientId, ConnectionId, PortId, Sequence},
			path::{
				AckPath, ChannelEndPath, ClientConsensusStatePath, ClientStatePath, CommitmentPath,
				ConnectionPath, ReceiptPath, SeqAckPath, SeqRecvPath, SeqSendPath,
			},
		},
		ExecutionContext, ValidationContext,
	},
	primitives::{
		proto::{Any, Protobuf},
		Signer, ToProto,
	},
};
use prost::Message as _;
use sp_core::crypto::key_types::GRANDPA;
use sp_runtime::{
	generic::Digest,
	traits::{Header as _, Saturating as _, UniqueSaturatedInto as _},
	DigestItem,
};

/// The counterparty's block whose consensus state the proofs are checked against.
const PROOF_HEIGHT: BlockNumber = 10;
/// The counterparty's chain id.
const COUNTERPARTY_CHAIN: &[u8] = b"bench-counterparty";
/// Trusting period of the benchmark clients: long enough never to expire.
const TRUSTING_PERIOD_NS: u64 = 365 * 24 * 3600 * 1_000_000_000;
/// Most extra proof nodes (`n`).
#[cfg(not(test))]
const MAX_PROOF_NODES: u32 = 4096;
/// Most precommits and most non-signing authorities of `update_client` (together at most the
/// client's [`MAX_AUTHORITIES`]).
#[cfg(not(test))]
const MAX_BENCH_PRECOMMITS: u32 = MAX_AUTHORITIES / 2;
/// Most ancestry headers of `update_client`.
#[cfg(not(test))]
const MAX_BENCH_ANCESTRY: u32 = 512;
/// Most ICS-20 memo bytes of `recv_packet`.
#[cfg(not(test))]
const MAX_MEMO: u32 = 16 * 1024;
// The test suite runs every benchmark at its components' extremes in an unoptimized build, where
// an ed25519 signature and its check take milliseconds: it checks that the benchmarks run, on
// smaller ranges. The figures come from the runtime, with the ranges above.
#[cfg(test)]
const MAX_PROOF_NODES: u32 = 64;
#[cfg(test)]
const MAX_BENCH_PRECOMMITS: u32 = 8;
#[cfg(test)]
const MAX_BENCH_ANCESTRY: u32 = 8;
#[cfg(test)]
const MAX_MEMO: u32 = 256;
/// Amount of every benchmark transfer: ten existential deposits (a refund or an escrow creates
/// its account), at least 1000.
fn amount<T: Config>() -> crate::BalanceOf<T> {
	T::NativeCurrency::minimum_balance().saturating_mul(10u32.into()).max(1_000u32.into())
}

fn stop(what: &'static str) -> BenchmarkError {
	BenchmarkError::Stop(what)
}

fn signer() -> Signer {
	Signer::from("bench-relayer".to_string())
}

fn relayer<T: Config>() -> T::AccountId {
	whitelisted_caller()
}

/// The host's block number as the benchmarks need it: at least 1 (ibc-rs has no height 0).
fn ensure_block_one<T: Config>() {
	if frame_system::Pallet::<T>::block_number() == 0u32.into() {
		frame_system::Pallet::<T>::set_block_number(1u32.into());
	}
}

/// Runs `messages` through `deliver` (benchmark setup).
fn deliver_now<T: Config>(messages: Vec<Any>) -> Result<(), BenchmarkError> {
	let batch = batch::<T>(messages)?;
	Pallet::<T>::deliver(RawOrigin::Signed(relayer::<T>()).into(), batch)
		.map_err(|_| stop("setup message refused"))
}

/// A `deliver` batch of `messages`.
fn batch<T: Config>(
	messages: Vec<Any>,
) -> Result<BoundedVec<RawAny, T::MaxMessages>, BenchmarkError> {
	let raw = messages
		.into_iter()
		.map(RawAny::from_any)
		.collect::<Option<Vec<_>>>()
		.ok_or(stop("message too large"))?;
	BoundedVec::try_from(raw).map_err(|_| stop("too many messages"))
}

/// `count` distinct ed25519 keys that never sign (raw bytes: a set member needs no secret).
fn silent_authorities(count: u32, tag: u8) -> Vec<AuthorityId> {
	(0..count)
		.map(|i| {
			let mut raw = [tag; 32];
			for (byte, index_byte) in raw.iter_mut().zip(i.to_le_bytes()) {
				*byte = index_byte;
			}
			AuthorityId::from(sp_core::ed25519::Public::from_raw(raw))
		})
		.collect()
}

/// A set of `count` equal-weight authorities that never sign.
fn silent_set(count: u32) -> Result<AuthoritySet, BenchmarkError> {
	AuthoritySet::new(0, silent_authorities(count, 0xA0).into_iter().map(|id| (id, 1)))
		.map_err(|_| stop("invalid authority set"))
}

/// The `ibc0` digest item of a counterparty block.
fn ibc_digest(timestamp_ns: u64, ibc_root: [u8; 32]) -> DigestItem {
	DigestItem::Consensus(IBC_ENGINE_ID, (timestamp_ns, ibc_root).encode())
}

/// A counterparty header `number` on `parent_hash`, with `logs`.
fn header(number: BlockNumber, parent_hash: Hash, logs: Vec<DigestItem>) -> SubstrateHeader {
	SubstrateHeader::new(
		number,
		Hash::repeat_byte(0x11),
		Hash::repeat_byte(0x22),
		parent_hash,
		Digest { logs },
	)
}

/// Creates a GRANDPA client of the counterparty, latest block `latest` (hash known) with
/// consensus state `(timestamp, root)`, tracking `set`; returns its id.
fn create_grandpa_client<T: Config>(
	latest: &SubstrateHeader,
	set: AuthoritySet,
	consensus: ConsensusState,
) -> Result<ClientId, BenchmarkError> {
	ensure_block_one::<T>();
	let client = ClientState {
		chain_id: BoundedVec::truncate_from(COUNTERPARTY_CHAIN.to_vec()),
		latest_height: latest.number,
		latest_hash: Some(latest.hash()),
		authority_set: set,
		max_set_history: 0,
		trusting_period_ns: TRUSTING_PERIOD_NS,
		frozen_height: None,
	};
	let counter = ClientCounter::<T>::get();
	deliver_now::<T>(vec![create_client_message(client, consensus)])?;
	ClientId::new(CLIENT_TYPE, counter).map_err(|_| stop("client id"))
}

fn create_client_message(client: ClientState, consensus: ConsensusState) -> Any {
	MsgCreateClient {
		client_state: client.into(),
		consensus_state: IbcConsensusState::from(consensus).into(),
		signer: signer(),
	}
	.to_any()
}

/// A client of the counterparty at [`PROOF_HEIGHT`] whose consensus state's root is `root`,
/// tracking [`MAX_AUTHORITIES`] authorities.
fn client_with_root<T: Config>(root: [u8; 32]) -> Result<ClientId, BenchmarkError> {
	let timestamp_ns = IbcContext::<T>::current_timestamp_ns();
	let latest =
		header(PROOF_HEIGHT, Hash::repeat_byte(0x33), vec![ibc_digest(timestamp_ns, root)]);
	create_grandpa_client::<T>(
		&latest,
		silent_set(MAX_AUTHORITIES)?,
		ConsensusState { timestamp_ns, ibc_root: root },
	)
}

/// The counterparty's `ibc` child trie holding `entries` (raw key, raw value): its root and a
/// read proof of every entry (all its nodes) padded with `extra_nodes` nodes of four bytes.
fn counterparty_trie(
	entries: &[(Vec<u8>, Vec<u8>)],
	extra_nodes: u32,
) -> Result<([u8; 32], CommitmentProofBytes), BenchmarkError> {
	use sp_trie::{LayoutV1, MemoryDB, TrieDBMutBuilder, TrieMut};
	type Hasher = sp_runtime::traits::BlakeTwo256;
	let mut db = MemoryDB::<Hasher>::new(&[0u8][..]);
	let mut root = Default::default();
	{
		let mut trie = TrieDBMutBuilder::<LayoutV1<Hasher>>::new(&mut db, &mut root).build();
		for (key, value) in entries {
			trie.insert(key, value).map_err(|_| stop("trie insert"))?;
		}
	}
	let mut nodes: Vec<Vec<u8>> =
		db.drain().into_iter().filter(|(_, (_, rc))| *rc > 0).map(|(_, (node, _))| node).collect();
	nodes.extend((0..extra_nodes).map(|i| i.to_le_bytes().to_vec()));
	let proof = CommitmentProofBytes::try_from(nodes.encode()).map_err(|_| stop("empty proof"))?;
	Ok((root.0, proof))
}

/// Filler entries of the counterparty's store, so that proofs have branches to walk.
fn filler_entries() -> Vec<(Vec<u8>, Vec<u8>)> {
	(0..16u32)
		.map(|i| {
			(format!("receipts/ports/other/channels/channel-{i}/sequences/1").into_bytes(), vec![1])
		})
		.collect()
}

fn port() -> PortId {
	PortId::transfer()
}

/// The counterparty's end of every benchmark channel.
fn counterparty_channel() -> ChannelId {
	ChannelId::new(0)
}

/// Opens a connection (counterparty `connection-0`) on `client_id` and, if `with_channel`, an
/// UNORDERED `ics20-1` channel on port `transfer` (counterparty `transfer/channel-0`) over it,
/// written through the host context as a finished handshake leaves them; sequences start at 1.
fn open_transfer_ends<T: Config>(
	client_id: &ClientId,
	with_channel: bool,
) -> Result<(ConnectionId, ChannelId), BenchmarkError> {
	let mut ctx = IbcContext::<T>::new();
	let prefix = ctx.commitment_prefix();
	let connection_id = ConnectionId::new(ctx.connection_counter().map_err(|_| stop("counter"))?);
	let connection = ConnectionEnd::new(
		ConnectionState::Open,
		client_id.clone(),
		ConnectionCounterparty::new(
			ClientId::new(CLIENT_TYPE, 0).map_err(|_| stop("client id"))?,
			Some(ConnectionId::new(0)),
			prefix,
		),
		ConnectionVersion::compatibles(),
		Duration::ZERO,
	)
	.map_err(|_| stop("connection end"))?;
	ctx.store_connection(&ConnectionPath::new(&connection_id), connection)
		.and_then(|()| ctx.increase_connection_counter())
		.map_err(|_| stop("store connection"))?;
	let channel_id = ChannelId::new(ctx.channel_counter().map_err(|_| stop("counter"))?);
	if !with_channel {
		return Ok((connection_id, channel_id));
	}
	let channel = ChannelEnd::new(
		ChannelState::Open,
		Order::Unordered,
		ChannelCounterparty::new(port(), Some(counterparty_channel())),
		vec![connection_id.clone()],
		ChannelVersion::new("ics20-1".to_string()),
	)
	.map_err(|_| stop("channel end"))?;
	let first = Sequence::from(1);
	ctx.store_channel(&ChannelEndPath::new(&port(), &channel_id), channel)
		.and_then(|()| ctx.store_next_sequence_send(&SeqSendPath::new(&port(), &channel_id), first))
		.and_then(|()| ctx.store_next_sequence_recv(&SeqRecvPath::new(&port(), &channel_id), first))
		.and_then(|()| ctx.store_next_sequence_ack(&SeqAckPath::new(&port(), &channel_id), first))
		.and_then(|()| ctx.increase_channel_counter())
		.map_err(|_| stop("store channel"))?;
	Ok((connection_id, channel_id))
}

/// ICS-20 packet data (JSON as ibc-go writes it).
fn transfer_data<T: Config>(denom: &str, sender: &str, receiver: &str, memo_len: u32) -> Vec<u8> {
	let memo: String = core::iter::repeat_n('m', memo_len as usize).collect();
	let amount: u128 = amount::<T>().unique_saturated_into();
	format!(
		r#"{{"denom":"{denom}","amount":"{amount}","sender":"{sender}","receiver":"{receiver}","memo":"{memo}"}}"#
	)
	.into_bytes()
}

/// A far timeout height on the counterparty or on us.
fn far_height() -> Result<TimeoutHeight, BenchmarkError> {
	Height::new(0, 1_000_000).map(TimeoutHeight::At).map_err(|_| stop("height"))
}

/// A packet we sent to the counterparty on `channel_id`: committed, kept for relayers, its
/// native tokens escrowed (what `transfer` leaves behind). Returns the packet.
fn sent_packet<T: Config>(
	channel_id: &ChannelId,
	timeout_height: TimeoutHeight,
) -> Result<Packet, BenchmarkError> {
	let sender = account::<T::AccountId>("sender", 0, 0);
	let sender_str =
		<T::AccountCodec as crate::transfer::account::AccountCodec<_>>::format(&sender);
	let data = transfer_data::<T>(T::NativeDenom::get(), &sender_str, "cosmos1receiver", 0);
	let packet = Packet {
		seq_on_a: Sequence::from(1),
		port_id_on_a: port(),
		chan_id_on_a: channel_id.clone(),
		port_id_on_b: port(),
		chan_id_on_b: counterparty_channel(),
		data,
		timeout_height_on_b: timeout_height,
		timeout_timestamp_on_b: TimeoutTimestamp::Never,
	};
	let mut ctx = IbcContext::<T>::new();
	let commitment = compute_packet_commitment(
		&packet.data,
		&packet.timeout_height_on_b,
		&packet.timeout_timestamp_on_b,
	);
	ctx.store_packet_commitment(
		&CommitmentPath::new(&port(), channel_id, packet.seq_on_a),
		commitment,
	)
	.and_then(|()| ctx.store_next_sequence_send(&SeqSendPath::new(&port(), channel_id), 2.into()))
	.map_err(|_| stop("store commitment"))?;
	let id = |s: &str| crate::types::IdBytes::try_from(s.as_bytes().to_vec());
	let (Ok(port_bytes), Ok(channel_bytes), Ok(cp_channel)) =
		(id(port().as_str()), id(channel_id.as_str()), id(counterparty_channel().as_str()))
	else {
		return Err(stop("id bytes"));
	};
	let timeout_key = match timeout_height {
		TimeoutHeight::At(h) => (h.revision_number(), h.revision_height()),
		TimeoutHeight::Never => (0, 0),
	};
	SentPackets::<T>::insert(
		(port_bytes.clone(), channel_bytes, 1u64),
		PendingPacket {
			destination_port: port_bytes,
			destination_channel: cp_channel,
			data: BoundedVec::try_from(packet.data.clone()).map_err(|_| stop("data"))?,
			timeout_height: timeout_key,
			timeout_timestamp_ns: 0,
		},
	);
	let escrow = crate::transfer::context::escrow_account::<T>(&port(), channel_id);
	let funds = T::NativeCurrency::minimum_balance()
		.saturating_add(amount::<T>())
		.saturating_mul(2u32.into());
	T::NativeCurrency::set_balance(&escrow, funds);
	Ok(packet)
}

/// Fills the slot the next written acknowledgement takes, so that writing it evicts one.
fn fill_ack_ring<T: Config>() {
	let cap = T::AckHistory::get().max(1);
	let slot = AckRingHead::<T>::get() % cap;
	let key = (
		BoundedVec::truncate_from(b"transfer".to_vec()),
		BoundedVec::truncate_from(b"channel-999".to_vec()),
		1u64,
	);
	AckRing::<T>::insert(slot, key.clone());
	WrittenAcks::<T>::insert(key, BoundedVec::truncate_from(vec![1u8; 32]));
}

/// Signing key of the benchmark: a new GRANDPA ed25519 key in the keystore.
fn new_voter() -> AuthorityId {
	AuthorityId::from(sp_io::crypto::ed25519_generate(GRANDPA, None))
}

/// A justification of `target` in round 1 of set 0, one precommit by each of `voters`, in
/// order.
fn justify(
	target: &SubstrateHeader,
	voters: &[AuthorityId],
) -> Result<Justification, BenchmarkError> {
	let (round, set_id) = (1, 0);
	let precommit =
		finality_grandpa::Precommit { target_hash: target.hash(), target_number: target.number };
	let message = finality_grandpa::Message::<Hash, BlockNumber>::Precommit(precommit.clone());
	let payload = sp_consensus_grandpa::localized_payload(round, set_id, &message);
	let precommits = voters
		.iter()
		.map(|id| {
			let public = sp_core::ed25519::Public::from(id.clone());
			sp_io::crypto::ed25519_sign(GRANDPA, &public, &payload)
				.map(|signature| finality_grandpa::SignedPrecommit {
					precommit: precommit.clone(),
					signature: signature.into(),
					id: id.clone(),
				})
				.ok_or(stop("no keystore to sign precommits with"))
		})
		.collect::<Result<Vec<_>, _>>()?;
	Ok(Justification {
		round,
		commit: finality_grandpa::Commit {
			target_hash: target.hash(),
			target_number: target.number,
			precommits,
		},
		votes_ancestries: vec![],
	})
}

/// The path bytes of an ICS-24 path.
fn key_of(path: impl ToString) -> Vec<u8> {
	path.to_string().into_bytes()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `MsgCreateClient` of a GRANDPA client tracking `v` authorities.
	#[benchmark]
	fn create_client(v: Linear<1, MAX_AUTHORITIES>) -> Result<(), BenchmarkError> {
		ensure_block_one::<T>();
		let timestamp_ns = IbcContext::<T>::current_timestamp_ns();
		let root = [7u8; 32];
		let latest =
			header(PROOF_HEIGHT, Hash::repeat_byte(0x33), vec![ibc_digest(timestamp_ns, root)]);
		let client = ClientState {
			chain_id: BoundedVec::truncate_from(COUNTERPARTY_CHAIN.to_vec()),
			latest_height: latest.number,
			latest_hash: Some(latest.hash()),
			authority_set: silent_set(v)?,
			max_set_history: 0,
			trusting_period_ns: TRUSTING_PERIOD_NS,
			frozen_height: None,
		};
		let messages = batch::<T>(vec![create_client_message(
			client,
			ConsensusState { timestamp_ns, ibc_root: root },
		)])?;
		let before = ClientCounter::<T>::get();

		#[extrinsic_call]
		deliver(RawOrigin::Signed(relayer::<T>()), messages);

		assert_eq!(ClientCounter::<T>::get(), before + 1);
		Ok(())
	}

	/// `MsgUpdateClient`: a GRANDPA header finalized by `p` precommits (every one needed: the
	/// first `p - 1` weigh 1, the last carries the supermajority), of a set with `m` more
	/// authorities that do not sign, `a` ancestry headers after the client's latest block.
	#[benchmark]
	fn update_client(
		p: Linear<1, MAX_BENCH_PRECOMMITS>,
		m: Linear<0, MAX_BENCH_PRECOMMITS>,
		a: Linear<0, MAX_BENCH_ANCESTRY>,
	) -> Result<(), BenchmarkError> {
		let voters: Vec<AuthorityId> = (0..p).map(|_| new_voter()).collect();
		let last_weight: AuthorityWeight = 2 * u64::from(p + m);
		let weights = voters
			.iter()
			.enumerate()
			.map(|(i, id)| (id.clone(), if i + 1 == voters.len() { last_weight } else { 1 }))
			.chain(silent_authorities(m, 0xB0).into_iter().map(|id| (id, 1)));
		let set = AuthoritySet::new(0, weights).map_err(|_| stop("invalid authority set"))?;

		let timestamp_ns = IbcContext::<T>::current_timestamp_ns();
		let latest = header(1, Hash::repeat_byte(0x33), vec![ibc_digest(timestamp_ns, [1; 32])]);
		let client_id = create_grandpa_client::<T>(
			&latest,
			set,
			ConsensusState { timestamp_ns, ibc_root: [1; 32] },
		)?;
		let mut parent = latest;
		let mut ancestry = Vec::new();
		for _ in 0..a {
			let next = header(parent.number + 1, parent.hash(), vec![]);
			ancestry.push(next.clone());
			parent = next;
		}
		let target =
			header(parent.number + 1, parent.hash(), vec![ibc_digest(timestamp_ns, [2; 32])]);
		let target_number = target.number;
		let update = GrandpaHeader { justification: justify(&target, &voters)?, target, ancestry };
		let messages = batch::<T>(vec![MsgUpdateClient {
			client_id: client_id.clone(),
			client_message: update.into(),
			signer: signer(),
		}
		.to_any()])?;

		#[extrinsic_call]
		deliver(RawOrigin::Signed(relayer::<T>()), messages);

		let latest =
			IbcContext::<T>::new().get_client_validation_context().client_state(&client_id).map(
				|cs| ibc_core::client::context::client_state::ClientStateCommon::latest_height(&cs),
			);
		assert_eq!(latest.ok(), Some(ibc_height(target_number)));
		Ok(())
	}

	/// `MsgConnectionOpenTry`: three membership proofs (the counterparty's INIT connection end,
	/// its client state of us, its consensus state of us), with `n` extra proof nodes; a new
	/// connection end.
	#[benchmark]
	fn conn_open_try(n: Linear<0, MAX_PROOF_NODES>) -> Result<(), BenchmarkError> {
		ensure_block_one::<T>();
		let host_number: u64 = sp_runtime::traits::UniqueSaturatedInto::unique_saturated_into(
			frame_system::Pallet::<T>::block_number(),
		);
		Pallet::<T>::record_host_state(host_number);
		let ctx = IbcContext::<T>::new();
		let host_height = Height::new(0, host_number).map_err(|_| stop("height"))?;
		let host_consensus: Any = ctx
			.host_consensus_state(&host_height)
			.map_err(|_| stop("host consensus state"))?
			.into();

		// The counterparty's client of us, `10-grandpa-0`, and its connection-0 in INIT.
		let client_of_us = ClientState {
			chain_id: BoundedVec::truncate_from(
				<T::HostChain as crate::clients::HostChain>::chain_id(),
			),
			latest_height: u32::try_from(host_number).map_err(|_| stop("host height"))?,
			latest_hash: None,
			authority_set: AuthoritySet::new(
				<T::HostChain as crate::clients::HostChain>::grandpa_set_id(),
				silent_authorities(1, 0xC0).into_iter().map(|id| (id, 1)),
			)
			.map_err(|_| stop("set"))?,
			max_set_history: 0,
			trusting_period_ns: TRUSTING_PERIOD_NS,
			frozen_height: None,
		};
		let client_of_us: Any = client_of_us.into();
		let client_id_on_a = ClientId::new(CLIENT_TYPE, 0).map_err(|_| stop("client id"))?;
		let client_id_on_b =
			ClientId::new(CLIENT_TYPE, ClientCounter::<T>::get()).map_err(|_| stop("client id"))?;
		let prefix = CommitmentPrefix::from_bytes(crate::types::IBC_CHILD_TRIE);
		let versions = ConnectionVersion::compatibles();
		let conn_end_on_a = ConnectionEnd::new(
			ConnectionState::Init,
			client_id_on_a.clone(),
			ConnectionCounterparty::new(client_id_on_b.clone(), None, prefix.clone()),
			versions.clone(),
			Duration::ZERO,
		)
		.map_err(|_| stop("connection end"))?;
		let conn_id_on_a = ConnectionId::new(0);
		let entries = [
			(key_of(ConnectionPath::new(&conn_id_on_a)), conn_end_on_a.encode_vec()),
			(key_of(ClientStatePath::new(client_id_on_a.clone())), client_of_us.encode_to_vec()),
			(
				key_of(ClientConsensusStatePath::new(client_id_on_a.clone(), 0, host_number)),
				host_consensus.encode_to_vec(),
			),
		];
		let mut all = filler_entries();
		all.extend(entries.iter().cloned());
		let (root, padded) = counterparty_trie(&all, n)?;
		let (_, proof) = counterparty_trie(&all, 0)?;
		let created = client_with_root::<T>(root)?;
		assert_eq!(created, client_id_on_b);

		#[allow(deprecated)]
		let message = MsgConnectionOpenTry {
			client_id_on_b: client_id_on_b.clone(),
			client_state_of_b_on_a: client_of_us,
			counterparty: ConnectionCounterparty::new(client_id_on_a, Some(conn_id_on_a), prefix),
			versions_on_a: versions,
			proof_conn_end_on_a: padded,
			proof_client_state_of_b_on_a: proof.clone(),
			proof_consensus_state_of_b_on_a: proof,
			proofs_height_on_a: ibc_height(PROOF_HEIGHT),
			consensus_height_of_b_on_a: host_height,
			delay_period: Duration::ZERO,
			signer: signer(),
			proof_consensus_state_of_b: None,
			previous_connection_id: String::new(),
		};
		let messages = batch::<T>(vec![message.to_any()])?;
		let before = ConnectionCounter::<T>::get();

		#[extrinsic_call]
		deliver(RawOrigin::Signed(relayer::<T>()), messages);

		assert_eq!(ConnectionCounter::<T>::get(), before + 1);
		Ok(())
	}

	/// `MsgChannelOpenTry` on port `transfer`: one membership proof (the counterparty's INIT
	/// channel end) with `n` extra nodes; a new channel end, its sequences, the ICS-20 app's
	/// callback.
	#[benchmark]
	fn chan_open_try(n: Linear<0, MAX_PROOF_NODES>) -> Result<(), BenchmarkError> {
		let chan_end_on_a = ChannelEnd::new(
			ChannelState::Init,
			Order::Unordered,
			ChannelCounterparty::new(port(), None),
			vec![ConnectionId::new(0)],
			ChannelVersion::new("ics20-1".to_string()),
		)
		.map_err(|_| stop("channel end"))?;
		let mut all = filler_entries();
		all.push((
			key_of(ChannelEndPath::new(&port(), &counterparty_channel())),
			chan_end_on_a.encode_vec(),
		));
		let (root, proof) = counterparty_trie(&all, n)?;
		let client_id = client_with_root::<T>(root)?;
		let (connection_id, _) = open_transfer_ends::<T>(&client_id, false)?;
		#[allow(deprecated)]
		let message = MsgChannelOpenTry {
			port_id_on_b: port(),
			connection_hops_on_b: vec![connection_id],
			port_id_on_a: port(),
			chan_id_on_a: counterparty_channel(),
			version_supported_on_a: ChannelVersion::new("ics20-1".to_string()),
			proof_chan_end_on_a: proof,
			proof_height_on_a: ibc_height(PROOF_HEIGHT),
			ordering: Order::Unordered,
			signer: signer(),
			version_proposal: ChannelVersion::new(String::new()),
		};
		let messages = batch::<T>(vec![message.to_any()])?;
		let before = ChannelCounter::<T>::get();

		#[extrinsic_call]
		deliver(RawOrigin::Signed(relayer::<T>()), messages);

		assert_eq!(ChannelCounter::<T>::get(), before + 1);
		Ok(())
	}

	/// `MsgRecvPacket` of an ICS-20 transfer of a new foreign denomination (a voucher asset is
	/// created and minted), `d` memo bytes, a commitment proof with `n` extra nodes; the written
	/// acknowledgement evicts the oldest kept one.
	#[benchmark]
	fn recv_packet(
		n: Linear<0, MAX_PROOF_NODES>,
		d: Linear<0, MAX_MEMO>,
	) -> Result<(), BenchmarkError> {
		let receiver = account::<T::AccountId>("receiver", 0, 0);
		let receiver_str =
			<T::AccountCodec as crate::transfer::account::AccountCodec<_>>::format(&receiver);
		let data = transfer_data::<T>("uatom", "cosmos1sender", &receiver_str, d);
		// The channel our end will get: the next one.
		let our_channel = ChannelId::new(ChannelCounter::<T>::get());
		let packet = Packet {
			seq_on_a: Sequence::from(1),
			port_id_on_a: port(),
			chan_id_on_a: counterparty_channel(),
			port_id_on_b: port(),
			chan_id_on_b: our_channel.clone(),
			data,
			timeout_height_on_b: far_height()?,
			timeout_timestamp_on_b: TimeoutTimestamp::Never,
		};
		let commitment = compute_packet_commitment(
			&packet.data,
			&packet.timeout_height_on_b,
			&packet.timeout_timestamp_on_b,
		);
		let mut all = filler_entries();
		all.push((
			key_of(CommitmentPath::new(&port(), &counterparty_channel(), packet.seq_on_a)),
			commitment.into_vec(),
		));
		let (root, proof) = counterparty_trie(&all, n)?;
		let client_id = client_with_root::<T>(root)?;
		let (_, channel_id) = open_transfer_ends::<T>(&client_id, true)?;
		assert_eq!(channel_id, our_channel);
		fill_ack_ring::<T>();
		let messages = batch::<T>(vec![MsgRecvPacket {
			packet,
			proof_commitment_on_a: proof,
			proof_height_on_a: ibc_height(PROOF_HEIGHT),
			signer: signer(),
		}
		.to_any()])?;

		#[extrinsic_call]
		deliver(RawOrigin::Signed(relayer::<T>()), messages);

		assert!(store::exists(&key_of(ReceiptPath::new(&port(), &channel_id, 1.into()))));
		assert_eq!(VoucherAssets::<T>::iter().count(), 1);
		Ok(())
	}

	/// `MsgAcknowledgement` of an ICS-20 packet we sent, with an error acknowledgement (the
	/// escrowed tokens are refunded), an acknowledgement proof with `n` extra nodes.
	#[benchmark]
	fn acknowledgement(n: Linear<0, MAX_PROOF_NODES>) -> Result<(), BenchmarkError> {
		let ack = Acknowledgement::try_from(br#"{"error":"refused by the benchmark"}"#.to_vec())
			.map_err(|_| stop("ack"))?;
		let mut all = filler_entries();
		all.push((
			key_of(AckPath::new(&port(), &counterparty_channel(), 1.into())),
			compute_ack_commitment(&ack).into_vec(),
		));
		let (root, proof) = counterparty_trie(&all, n)?;
		let client_id = client_with_root::<T>(root)?;
		let (_, channel_id) = open_transfer_ends::<T>(&client_id, true)?;
		let packet = sent_packet::<T>(&channel_id, far_height()?)?;
		let messages = batch::<T>(vec![MsgAcknowledgement {
			packet,
			acknowledgement: ack,
			proof_acked_on_b: proof,
			proof_height_on_b: ibc_height(PROOF_HEIGHT),
			signer: signer(),
		}
		.to_any()])?;

		#[extrinsic_call]
		deliver(RawOrigin::Signed(relayer::<T>()), messages);

		assert!(!store::exists(&key_of(CommitmentPath::new(&port(), &channel_id, 1.into()))));
		Ok(())
	}

	/// `MsgTimeout` of an ICS-20 packet we sent (the escrowed tokens are refunded): a
	/// non-membership proof of its receipt with `n` extra nodes, at a counterparty height past
	/// the packet's timeout height.
	#[benchmark]
	fn timeout(n: Linear<0, MAX_PROOF_NODES>) -> Result<(), BenchmarkError> {
		let (root, proof) = counterparty_trie(&filler_entries(), n)?;
		let client_id = client_with_root::<T>(root)?;
		let (_, channel_id) = open_transfer_ends::<T>(&client_id, true)?;
		// Expired at the proof height: strictly below it.
		let timeout_height = Height::new(0, u64::from(PROOF_HEIGHT - 1))
			.map(TimeoutHeight::At)
			.map_err(|_| stop("height"))?;
		let packet = sent_packet::<T>(&channel_id, timeout_height)?;
		let messages = batch::<T>(vec![MsgTimeout {
			packet,
			next_seq_recv_on_b: 1.into(),
			proof_unreceived_on_b: proof,
			proof_height_on_b: ibc_height(PROOF_HEIGHT),
			signer: signer(),
		}
		.to_any()])?;

		#[extrinsic_call]
		deliver(RawOrigin::Signed(relayer::<T>()), messages);

		assert!(!store::exists(&key_of(CommitmentPath::new(&port(), &channel_id, 1.into()))));
		Ok(())
	}

	/// `transfer` of native tokens (escrowed into the channel's new escrow account) with the
	/// longest memo, receiver and a timestamp timeout.
	#[benchmark]
	fn transfer() -> Result<(), BenchmarkError> {
		let client_id = client_with_root::<T>([3; 32])?;
		let (_, channel_id) = open_transfer_ends::<T>(&client_id, true)?;
		let sender = relayer::<T>();
		let funds = T::NativeCurrency::minimum_balance()
			.saturating_add(amount::<T>())
			.saturating_mul(10u32.into());
		T::NativeCurrency::set_balance(&sender, funds);
		let channel = crate::types::IdBytes::try_from(channel_id.as_str().as_bytes().to_vec())
			.map_err(|_| stop("channel id"))?;
		let denom = BoundedVec::truncate_from(T::NativeDenom::get().as_bytes().to_vec());
		let receiver = BoundedVec::truncate_from(
			core::iter::repeat_n(b'r', crate::types::MAX_RECEIVER_LEN as usize).collect::<Vec<_>>(),
		);
		let memo = BoundedVec::truncate_from(
			core::iter::repeat_n(b'm', T::MaxMemoLen::get() as usize).collect::<Vec<_>>(),
		);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(sender),
			channel,
			denom,
			amount::<T>(),
			receiver,
			Some((0, 1_000_000)),
			Some(u64::MAX / 2_000_000),
			memo,
		);

		assert!(store::exists(&key_of(CommitmentPath::new(&port(), &channel_id, 1.into()))));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
