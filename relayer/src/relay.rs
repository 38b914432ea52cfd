//! One relaying pass from a source chain to a destination chain, decided from chain state alone
//! (no relayer memory, so a restarted relayer picks up exactly where the chains are):
//!
//! 1. For every client on the destination that tracks the source (by chain id, not frozen):
//!    the proof height is the newest block the source finalized (its latest justification), or
//!    the client's height if another relayer already went further.
//! 2. The messages the destination needs, each proven at that height on the source:
//!    connection and channel handshake steps (TRY, ACK, CONFIRM, CLOSE_CONFIRM), packets the
//!    source committed and the destination has not received (`MsgRecvPacket`), and for packets
//!    the *destination* sent: acknowledgements the source wrote (`MsgAcknowledgement`) or proof
//!    that the source never received them past their timeout (`MsgTimeout`).
//! 3. If there is anything to deliver, or the client is [`RelayConfig::client_refresh_blocks`]
//!    behind, or a third of its trusting period has passed since its latest consensus state
//!    ([`refresh_due`]), or the source's GRANDPA set changed since the client's: the client updates
//!    ([`crate::finality::plan`]) go first, then the messages, in `deliver` batches of at most
//!    [`RelayConfig::max_batch`]. A failing batch is retried message by message, so one bad
//!    message cannot hold back the others; duplicates (another relayer was faster) are no-ops
//!    on chain.

use crate::{
	chain::{BlockNumber, Chain, DeliverError, Hash, Header},
	config::RelayConfig,
	finality,
	metrics::Metrics,
	msgs::{self, height, proof_bytes},
};
use anyhow::{anyhow, Context as _, Result};
use codec::Encode;
use ibc_client_grandpa::{
	ClientState as GrandpaClientState, ConsensusState as GrandpaConsensusState, GrandpaHeader,
	IbcConsensusState,
};
use ibc_core::{
	channel::types::{
		acknowledgement::Acknowledgement,
		channel::{ChannelEnd, Order, State as ChannelState},
		msgs::{
			MsgAcknowledgement, MsgChannelCloseConfirm, MsgChannelOpenAck, MsgChannelOpenConfirm,
			MsgChannelOpenTry, MsgRecvPacket, MsgTimeout,
		},
		packet::Packet,
		Version as ChannelVersion,
	},
	client::types::{msgs::MsgUpdateClient, Height},
	connection::types::{
		msgs::{MsgConnectionOpenAck, MsgConnectionOpenConfirm, MsgConnectionOpenTry},
		ConnectionEnd, Counterparty as ConnectionCounterparty, State as ConnectionState,
	},
	host::types::identifiers::{ChannelId, ClientId, ConnectionId, PortId, Sequence},
	primitives::{proto::Any, ToProto},
};
use pallet_ibc::types::PendingPacket;
use std::collections::BTreeMap;

/// Most messages (not counting client updates) one pass builds per client.
pub const MAX_MESSAGES_PER_PASS: usize = 512;

/// What kind of message, for logs and metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
	/// `MsgUpdateClient`.
	Update,
	/// A connection or channel handshake step.
	Handshake,
	/// `MsgRecvPacket`.
	Recv,
	/// `MsgAcknowledgement`.
	Ack,
	/// `MsgTimeout`.
	Timeout,
}

impl Kind {
	/// Label in logs and metrics.
	pub fn as_str(self) -> &'static str {
		match self {
			Kind::Update => "update_client",
			Kind::Handshake => "handshake",
			Kind::Recv => "recv_packet",
			Kind::Ack => "ack_packet",
			Kind::Timeout => "timeout_packet",
		}
	}
}

/// A message to deliver with what it is about (for logs).
#[derive(Clone, Debug)]
pub struct Outgoing {
	/// Its kind.
	pub kind: Kind,
	/// A short description (`transfer/channel-0 #5`).
	pub what: String,
	/// The message.
	pub any: Any,
}

/// What a pass delivered (successful messages) and how many failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delivered {
	/// Client updates.
	pub updates: u32,
	/// Handshake steps.
	pub handshakes: u32,
	/// Packets received by the destination.
	pub received: u32,
	/// Acknowledgements delivered to the destination.
	pub acknowledged: u32,
	/// Timeouts delivered to the destination.
	pub timed_out: u32,
	/// Messages the destination refused.
	pub failed: u32,
}

impl Delivered {
	fn count(&mut self, kind: Kind) {
		match kind {
			Kind::Update => self.updates += 1,
			Kind::Handshake => self.handshakes += 1,
			Kind::Recv => self.received += 1,
			Kind::Ack => self.acknowledged += 1,
			Kind::Timeout => self.timed_out += 1,
		}
	}

	/// Adds another pass's figures.
	pub fn add(&mut self, other: Delivered) {
		self.updates += other.updates;
		self.handshakes += other.handshakes;
		self.received += other.received;
		self.acknowledged += other.acknowledged;
		self.timed_out += other.timed_out;
		self.failed += other.failed;
	}

	/// Whether anything besides client updates was delivered.
	pub fn moved_anything(&self) -> bool {
		self.handshakes + self.received + self.acknowledged + self.timed_out > 0
	}
}

/// One direction of a path: messages go to `dst`, proven from `src`.
pub struct Direction<'a> {
	/// The chain whose state is proven.
	pub src: &'a Chain,
	/// The chain messages are delivered to.
	pub dst: &'a Chain,
	/// Loop bounds.
	pub config: &'a RelayConfig,
	/// Metrics to update.
	pub metrics: &'a Metrics,
}

/// A chain's state at one block, read lazily.
struct View<'a> {
	chain: &'a Chain,
	at: Hash,
	header: Header,
}

impl View<'_> {
	async fn get(&self, path: &str) -> Result<Option<Vec<u8>>> {
		self.chain.ibc_get(path, self.at).await
	}

	async fn connections(&self) -> Result<BTreeMap<ConnectionId, ConnectionEnd>> {
		let mut out = BTreeMap::new();
		for path in self.chain.ibc_keys("connections/", self.at).await? {
			let Some(id) = path.strip_prefix("connections/") else { continue };
			let Ok(id) = id.parse::<ConnectionId>() else { continue };
			if let Some(bytes) = self.get(&path).await? {
				out.insert(id, msgs::decode_connection(&bytes)?);
			}
		}
		Ok(out)
	}

	async fn channels(&self) -> Result<Vec<(PortId, ChannelId, ChannelEnd)>> {
		let mut out = Vec::new();
		for path in self.chain.ibc_keys("channelEnds/", self.at).await? {
			let (port, chan) = msgs::parse_channel_path(&path)?;
			if let Some(bytes) = self.get(&path).await? {
				out.push((port, chan, msgs::decode_channel(&bytes)?));
			}
		}
		Ok(out)
	}

	async fn client_state_any(&self, client: &ClientId) -> Result<Any> {
		let bytes = self
			.get(&msgs::client_state_path(client))
			.await?
			.ok_or_else(|| anyhow!("{}: no client {client}", self.chain.name))?;
		<Any as prost::Message>::decode(bytes.as_slice()).context("stored client state")
	}

	async fn proof(
		&self,
		paths: &[String],
	) -> Result<ibc_core::commitment_types::commitment::CommitmentProofBytes> {
		proof_bytes(self.chain.ibc_proof(paths, self.at).await?)
	}

	fn height(&self) -> Result<Height> {
		height(self.header.number)
	}

	fn timestamp_ns(&self) -> Result<u64> {
		GrandpaConsensusState::from_header(&self.header).map(|c| c.timestamp_ns).map_err(|e| {
			anyhow!("{}: block #{} has no ibc0 digest: {e:?}", self.chain.name, self.header.number)
		})
	}

	/// Sequences of the packets committed on (`port`, `chan`) and not yet acknowledged or timed out.
	async fn committed(&self, port: &PortId, chan: &ChannelId) -> Result<Vec<u64>> {
		let prefix = format!("commitments/ports/{port}/channels/{chan}/sequences/");
		let mut seqs = self
			.chain
			.ibc_keys(&prefix, self.at)
			.await?
			.iter()
			.map(|p| msgs::parse_commitment_sequence(p))
			.collect::<Result<Vec<_>>>()?;
		seqs.sort_unstable();
		Ok(seqs)
	}

	/// The packets sent on (`port`, `chan`) with sequences in `seqs` (sorted), from the chain's
	/// `SentPackets` (`IbcRuntimeApi::pending_packets`, in windows of its query bound).
	async fn sent_packets(
		&self,
		port: &PortId,
		chan: &ChannelId,
		seqs: &[u64],
	) -> Result<Vec<Packet>> {
		let mut found: BTreeMap<u64, PendingPacket> = BTreeMap::new();
		let max = pallet_ibc::runtime_api::MAX_PENDING_PACKETS_PER_QUERY;
		let mut next = seqs.first().copied();
		while let Some(from) = next {
			let args =
				(port.as_str().as_bytes().to_vec(), chan.as_str().as_bytes().to_vec(), from, max)
					.encode();
			let page: Vec<(u64, PendingPacket)> =
				self.chain.state_call("IbcRuntimeApi_pending_packets", &args, self.at).await?;
			found.extend(page);
			let end = from.saturating_add(u64::from(max));
			next = seqs.iter().copied().find(|s| *s >= end);
		}
		seqs.iter()
			.filter_map(|s| found.remove(s).map(|p| (*s, p)))
			.map(|(s, p)| msgs::packet(port, chan, s, p))
			.collect()
	}

	/// Whether the chain received `seq` on its end (`port`, `chan`) of a channel ordered `order`.
	async fn received(
		&self,
		port: &PortId,
		chan: &ChannelId,
		order: Order,
		seq: u64,
	) -> Result<bool> {
		Ok(match order {
			Order::Ordered => self.next_seq_recv(port, chan).await? > seq,
			_ => self.get(&msgs::receipt_path(port, chan, seq.into())).await?.is_some(),
		})
	}

	async fn next_seq_recv(&self, port: &PortId, chan: &ChannelId) -> Result<u64> {
		let bytes = self.get(&msgs::next_seq_recv_path(port, chan)).await?.unwrap_or_default();
		Ok(pallet_ibc::store::decode_sequence(&bytes).unwrap_or(1))
	}
}

/// Whether a client whose latest consensus state is from `consensus_ns` should be updated
/// for age alone: once a third of its trusting period has passed (as Hermes does), so that a
/// quiet path never lets a client expire. `now_ns` is the host chain's time.
pub fn refresh_due(consensus_ns: u64, trusting_period_ns: u64, now_ns: u64) -> bool {
	now_ns.saturating_sub(consensus_ns) >= trusting_period_ns / 3
}

impl Direction<'_> {
	fn label(&self) -> String {
		format!("{}->{}", self.src.name, self.dst.name)
	}

	/// One pass over every client of `src` on `dst`.
	pub async fn pass(&self) -> Result<Delivered> {
		let mut total = Delivered::default();
		let Some(justification) = self.src.latest_justification() else {
			tracing::debug!(path = %self.label(), "no justification from the source yet");
			return Ok(total);
		};
		let dst_header = self.dst.best_header().await?;
		let dst = View { chain: self.dst, at: dst_header.hash(), header: dst_header };
		for (client, state, aging) in self.clients_of_src(&dst).await? {
			match self.pass_client(&client, state, aging, &justification, &dst).await {
				Ok(done) => total.add(done),
				Err(e) => {
					self.metrics.error(&self.dst.name, "pass");
					tracing::warn!(path = %self.label(), %client, error = %format!("{e:#}"), "pass failed");
				}
			}
		}
		Ok(total)
	}

	/// The GRANDPA clients on `dst` that track `src`, are not frozen and not expired (an expired
	/// client can never be updated again: a preset's genesis client, say), each with whether its
	/// refresh is due by age ([`refresh_due`]).
	async fn clients_of_src(
		&self,
		dst: &View<'_>,
	) -> Result<Vec<(ClientId, GrandpaClientState, bool)>> {
		let mut out = Vec::new();
		let now_ns = dst.timestamp_ns()?;
		for path in self.dst.ibc_keys("clients/", dst.at).await? {
			let Some(id) =
				path.strip_prefix("clients/").and_then(|p| p.strip_suffix("/clientState"))
			else {
				continue;
			};
			let Ok(id) = id.parse::<ClientId>() else { continue };
			let Some(bytes) = dst.get(&path).await? else { continue };
			let Ok(any) = <Any as prost::Message>::decode(bytes.as_slice()) else { continue };
			let Ok(state) = GrandpaClientState::try_from(any) else { continue };
			if state.chain_id.as_slice() != self.src.chain_id.as_bytes() || state.is_frozen() {
				continue;
			}
			let consensus_path = msgs::consensus_state_path(&id, height(state.latest_height)?);
			let consensus = match dst.get(&consensus_path).await? {
				Some(bytes) => <Any as prost::Message>::decode(bytes.as_slice())
					.ok()
					.and_then(|any| IbcConsensusState::try_from(any).ok())
					.map(GrandpaConsensusState::from),
				None => None,
			};
			let Some(consensus) = consensus else { continue };
			if consensus.is_expired(state.trusting_period_ns, now_ns) {
				tracing::debug!(path = %self.label(), client = %id, "client expired; not relaying over it");
				continue;
			}
			self.metrics.client_height(&self.dst.name, id.as_str(), state.latest_height);
			let aging = refresh_due(consensus.timestamp_ns, state.trusting_period_ns, now_ns);
			out.push((id, state, aging));
		}
		Ok(out)
	}

	async fn pass_client(
		&self,
		client: &ClientId,
		state: GrandpaClientState,
		aging: bool,
		justification: &ibc_client_grandpa::types::Justification,
		dst: &View<'_>,
	) -> Result<Delivered> {
		let target: BlockNumber = justification.commit.target_number;
		let proof_number = target.max(state.latest_height);
		let src_at = if proof_number == target {
			justification.commit.target_hash
		} else {
			self.src.block_hash(proof_number).await?
		};
		let src = View { chain: self.src, at: src_at, header: self.src.header(src_at).await? };

		let mut out = Vec::new();
		self.connection_steps(client, &src, dst, &mut out).await?;
		self.channel_steps_and_packets(client, &src, dst, &mut out).await?;
		out.truncate(MAX_MESSAGES_PER_PASS);

		// Clients no connection uses are only updated when a message needs them.
		let in_use = dst.connections().await?.values().any(|c| c.client_id() == client);
		let behind = if in_use { target.saturating_sub(state.latest_height) } else { 0 };
		let set_changed = if in_use && target > state.latest_height {
			let set_id: u64 = self.src.state_call("GrandpaApi_current_set_id", &[], src_at).await?;
			set_id > state.authority_set.set_id
		} else {
			false
		};
		let updates = if target > state.latest_height
			&& (!out.is_empty()
				|| set_changed
				|| (in_use && aging)
				|| behind >= self.config.client_refresh_blocks)
		{
			finality::plan(self.src, &state, justification.clone()).await?
		} else {
			Vec::new()
		};
		if out.is_empty() && updates.is_empty() {
			return Ok(Delivered::default());
		}
		let updates: Vec<Outgoing> =
			updates.into_iter().map(|u| update_message(client, u, self.dst)).collect();
		Ok(self.deliver(updates, out).await)
	}

	/// Connection handshake steps for connections on `src` whose counterparty client is `client`.
	async fn connection_steps(
		&self,
		client: &ClientId,
		src: &View<'_>,
		dst: &View<'_>,
		out: &mut Vec<Outgoing>,
	) -> Result<()> {
		let src_conns = src.connections().await?;
		let dst_conns = dst.connections().await?;
		let signer = msgs::signer(&self.dst.account());
		for (id, end) in src_conns.iter().filter(|(_, e)| e.counterparty().client_id() == client) {
			let counterparty =
				end.counterparty().connection_id().and_then(|c| dst_conns.get(c).map(|e| (c, e)));
			match (end.state(), counterparty) {
				(ConnectionState::Init, None) => {
					let already = dst_conns.values().any(|e| {
						e.client_id() == client && e.counterparty().connection_id() == Some(id)
					});
					if already {
						continue;
					}
					let (client_state, consensus_height, proof) =
						self.client_proof(src, end, id).await?;
					#[allow(deprecated, reason = "ibc-rs keeps the field for wire compatibility")]
					let msg = MsgConnectionOpenTry {
						client_id_on_b: client.clone(),
						client_state_of_b_on_a: client_state,
						counterparty: ConnectionCounterparty::new(
							end.client_id().clone(),
							Some(id.clone()),
							msgs::prefix(),
						),
						versions_on_a: end.versions().to_vec(),
						proof_conn_end_on_a: proof.clone(),
						proof_client_state_of_b_on_a: proof.clone(),
						proof_consensus_state_of_b_on_a: proof,
						proofs_height_on_a: src.height()?,
						consensus_height_of_b_on_a: consensus_height,
						delay_period: end.delay_period(),
						signer: signer.clone(),
						proof_consensus_state_of_b: None,
						previous_connection_id: String::new(),
					};
					out.push(Outgoing {
						kind: Kind::Handshake,
						what: format!("conn_open_try for {id}"),
						any: msg.to_any(),
					});
				}
				(ConnectionState::TryOpen, Some((dst_id, dst_end)))
					if *dst_end.state() == ConnectionState::Init =>
				{
					let (client_state, consensus_height, proof) =
						self.client_proof(src, end, id).await?;
					let version = end.versions().first().cloned().ok_or_else(|| {
						anyhow!("{}: connection {id} has no version", self.src.name)
					})?;
					let msg = MsgConnectionOpenAck {
						conn_id_on_a: dst_id.clone(),
						conn_id_on_b: id.clone(),
						client_state_of_a_on_b: client_state,
						proof_conn_end_on_b: proof.clone(),
						proof_client_state_of_a_on_b: proof.clone(),
						proof_consensus_state_of_a_on_b: proof,
						proofs_height_on_b: src.height()?,
						consensus_height_of_a_on_b: consensus_height,
						version,
						signer: signer.clone(),
						proof_consensus_state_of_a: None,
					};
					out.push(Outgoing {
						kind: Kind::Handshake,
						what: format!("conn_open_ack of {dst_id}"),
						any: msg.to_any(),
					});
				}
				(ConnectionState::Open, Some((dst_id, dst_end)))
					if *dst_end.state() == ConnectionState::TryOpen =>
				{
					let msg = MsgConnectionOpenConfirm {
						conn_id_on_b: dst_id.clone(),
						proof_conn_end_on_a: src.proof(&[msgs::connection_path(id)]).await?,
						proof_height_on_a: src.height()?,
						signer: signer.clone(),
					};
					out.push(Outgoing {
						kind: Kind::Handshake,
						what: format!("conn_open_confirm of {dst_id}"),
						any: msg.to_any(),
					});
				}
				_ => {}
			}
		}
		Ok(())
	}

	/// `src`'s client of `dst` under connection `id`, its latest height, and one proof of the
	/// connection end, that client state and that consensus state.
	async fn client_proof(
		&self,
		src: &View<'_>,
		end: &ConnectionEnd,
		id: &ConnectionId,
	) -> Result<(Any, Height, ibc_core::commitment_types::commitment::CommitmentProofBytes)> {
		let client_of_dst = end.client_id();
		let any = src.client_state_any(client_of_dst).await?;
		let state = GrandpaClientState::try_from(any.clone()).map_err(|e| {
			anyhow!("{}: {client_of_dst} is no GRANDPA client: {e:?}", self.src.name)
		})?;
		let consensus_height = height(state.latest_height)?;
		let proof = src
			.proof(&[
				msgs::connection_path(id),
				msgs::client_state_path(client_of_dst),
				msgs::consensus_state_path(client_of_dst, consensus_height),
			])
			.await?;
		Ok((any, consensus_height, proof))
	}

	/// Channel handshake steps and packets for channels over OPEN connections whose
	/// counterparty client on `dst` is `client`.
	async fn channel_steps_and_packets(
		&self,
		client: &ClientId,
		src: &View<'_>,
		dst: &View<'_>,
		out: &mut Vec<Outgoing>,
	) -> Result<()> {
		// (connection on src, connection on dst) pairs, both OPEN, over `client`.
		let src_conns = src.connections().await?;
		let dst_conns = dst.connections().await?;
		let pairs: BTreeMap<ConnectionId, ConnectionId> = src_conns
			.iter()
			.filter(|(_, e)| e.counterparty().client_id() == client && e.is_open())
			.filter_map(|(id, e)| {
				let dst_id = e.counterparty().connection_id()?;
				dst_conns.get(dst_id).filter(|d| d.is_open() && d.client_id() == client)?;
				Some((id.clone(), dst_id.clone()))
			})
			.collect();
		if pairs.is_empty() {
			return Ok(());
		}
		let src_chans = src.channels().await?;
		let dst_chans = dst.channels().await?;
		let find_dst = |port: &PortId, chan: &ChannelId| {
			dst_chans.iter().find(|(p, c, _)| p == port && c == chan).map(|(_, _, e)| e)
		};
		let signer = msgs::signer(&self.dst.account());
		let dst_height = dst.height()?;
		let dst_time = dst.timestamp_ns()?;

		for (port, chan, end) in &src_chans {
			let Some(dst_conn) = end.connection_hops().first().and_then(|c| pairs.get(c)) else {
				continue;
			};
			let cp_port = end.counterparty().port_id().clone();
			let cp_chan = end.counterparty().channel_id().cloned();
			let cp_end = cp_chan.as_ref().and_then(|c| find_dst(&cp_port, c));
			let what = format!("{port}/{chan}");
			match (end.state(), cp_end) {
				(ChannelState::Init, None) => {
					if try_open_exists(&dst_chans, dst_conn, port, chan) {
						continue;
					}
					#[allow(deprecated, reason = "ibc-rs keeps the field for wire compatibility")]
					let msg = MsgChannelOpenTry {
						port_id_on_b: cp_port.clone(),
						connection_hops_on_b: vec![dst_conn.clone()],
						port_id_on_a: port.clone(),
						chan_id_on_a: chan.clone(),
						version_supported_on_a: end.version().clone(),
						proof_chan_end_on_a: src.proof(&[msgs::channel_path(port, chan)]).await?,
						proof_height_on_a: src.height()?,
						ordering: *end.ordering(),
						signer: signer.clone(),
						version_proposal: ChannelVersion::empty(),
					};
					out.push(Outgoing {
						kind: Kind::Handshake,
						what: format!("chan_open_try for {what}"),
						any: msg.to_any(),
					});
				}
				(ChannelState::TryOpen, Some(cp)) if *cp.state() == ChannelState::Init => {
					let cp_chan = cp_chan
						.clone()
						.ok_or_else(|| anyhow!("unreachable: no counterparty channel"))?;
					let msg = MsgChannelOpenAck {
						port_id_on_a: cp_port.clone(),
						chan_id_on_a: cp_chan,
						chan_id_on_b: chan.clone(),
						version_on_b: end.version().clone(),
						proof_chan_end_on_b: src.proof(&[msgs::channel_path(port, chan)]).await?,
						proof_height_on_b: src.height()?,
						signer: signer.clone(),
					};
					out.push(Outgoing {
						kind: Kind::Handshake,
						what: format!("chan_open_ack for {what}"),
						any: msg.to_any(),
					});
				}
				(ChannelState::Open, Some(cp)) if *cp.state() == ChannelState::TryOpen => {
					let cp_chan = cp_chan
						.clone()
						.ok_or_else(|| anyhow!("unreachable: no counterparty channel"))?;
					let msg = MsgChannelOpenConfirm {
						port_id_on_b: cp_port.clone(),
						chan_id_on_b: cp_chan,
						proof_chan_end_on_a: src.proof(&[msgs::channel_path(port, chan)]).await?,
						proof_height_on_a: src.height()?,
						signer: signer.clone(),
					};
					out.push(Outgoing {
						kind: Kind::Handshake,
						what: format!("chan_open_confirm for {what}"),
						any: msg.to_any(),
					});
				}
				(ChannelState::Closed, Some(cp)) if cp.is_open() => {
					let cp_chan = cp_chan
						.clone()
						.ok_or_else(|| anyhow!("unreachable: no counterparty channel"))?;
					let msg = MsgChannelCloseConfirm {
						port_id_on_b: cp_port.clone(),
						chan_id_on_b: cp_chan,
						proof_chan_end_on_a: src.proof(&[msgs::channel_path(port, chan)]).await?,
						proof_height_on_a: src.height()?,
						signer: signer.clone(),
					};
					out.push(Outgoing {
						kind: Kind::Handshake,
						what: format!("chan_close_confirm for {what}"),
						any: msg.to_any(),
					});
				}
				(ChannelState::Open, Some(cp)) if cp.is_open() => {
					let cp_chan = cp_chan
						.clone()
						.ok_or_else(|| anyhow!("unreachable: no counterparty channel"))?;
					self.recv_packets(
						src,
						dst,
						(port, chan),
						(&cp_port, &cp_chan),
						*end.ordering(),
						(dst_height, dst_time),
						out,
					)
					.await?;
				}
				_ => {}
			}
		}

		// Packets the destination sent on its open channels to the source: acks and timeouts.
		for (port, chan, end) in &dst_chans {
			if !end.is_open() {
				continue;
			}
			let Some(src_conn) = end.connection_hops().first() else { continue };
			if !pairs.values().any(|d| d == src_conn) {
				continue;
			}
			let Some(cp_chan) = end.counterparty().channel_id() else { continue };
			let cp_port = end.counterparty().port_id();
			self.acks_and_timeouts(
				src,
				dst,
				(port, chan),
				(cp_port, cp_chan),
				*end.ordering(),
				out,
			)
			.await?;
		}
		Ok(())
	}

	/// `MsgRecvPacket`s for packets `src` committed on `src_end` that `dst` has not received and
	/// is not past the timeout of.
	#[allow(clippy::too_many_arguments)]
	async fn recv_packets(
		&self,
		src: &View<'_>,
		dst: &View<'_>,
		(port, chan): (&PortId, &ChannelId),
		(dst_port, dst_chan): (&PortId, &ChannelId),
		order: Order,
		(dst_height, dst_time): (Height, u64),
		out: &mut Vec<Outgoing>,
	) -> Result<()> {
		let seqs = src.committed(port, chan).await?;
		self.metrics.pending(&self.src.name, port.as_str(), chan.as_str(), seqs.len());
		let mut todo = Vec::new();
		for seq in seqs {
			if out.len() + todo.len() >= MAX_MESSAGES_PER_PASS {
				break;
			}
			if !dst.received(dst_port, dst_chan, order, seq).await? {
				todo.push(seq);
			}
		}
		let signer = msgs::signer(&self.dst.account());
		for packet in src.sent_packets(port, chan, &todo).await? {
			if msgs::is_timed_out(&packet, dst_height, dst_time) {
				continue; // the other direction times it out
			}
			let seq = packet.seq_on_a;
			let msg = MsgRecvPacket {
				proof_commitment_on_a: src.proof(&[msgs::commitment_path(port, chan, seq)]).await?,
				proof_height_on_a: src.height()?,
				packet,
				signer: signer.clone(),
			};
			out.push(Outgoing {
				kind: Kind::Recv,
				what: format!("{port}/{chan} #{seq}"),
				any: msg.to_any(),
			});
		}
		Ok(())
	}

	/// For packets `dst` sent on `dst_end` to `src_end`: the acknowledgement `src` wrote, or a
	/// timeout if `src` never received it and is past its timeout at the proof height.
	async fn acks_and_timeouts(
		&self,
		src: &View<'_>,
		dst: &View<'_>,
		(dst_port, dst_chan): (&PortId, &ChannelId),
		(port, chan): (&PortId, &ChannelId),
		order: Order,
		out: &mut Vec<Outgoing>,
	) -> Result<()> {
		let seqs = dst.committed(dst_port, dst_chan).await?;
		if seqs.is_empty() {
			return Ok(());
		}
		let seqs: Vec<u64> =
			seqs.into_iter().take(MAX_MESSAGES_PER_PASS.saturating_sub(out.len())).collect();
		let signer = msgs::signer(&self.dst.account());
		let src_height = src.height()?;
		let src_time = src.timestamp_ns()?;
		for packet in dst.sent_packets(dst_port, dst_chan, &seqs).await? {
			let seq = packet.seq_on_a;
			let what = format!("{dst_port}/{dst_chan} #{seq}");
			let ack_path = msgs::ack_path(port, chan, seq);
			if src.get(&ack_path).await?.is_some() {
				let args = (
					port.as_str().as_bytes().to_vec(),
					chan.as_str().as_bytes().to_vec(),
					u64::from(seq),
				)
					.encode();
				let ack: Option<Vec<u8>> =
					self.src.state_call("IbcRuntimeApi_written_ack", &args, src.at).await?;
				let Some(ack) = ack else {
					self.metrics.error(&self.dst.name, "ack_evicted");
					tracing::error!(path = %self.label(), packet = %what, "acknowledgement no longer kept by the source (AckHistory); cannot relay it");
					continue;
				};
				let msg = MsgAcknowledgement {
					acknowledgement: Acknowledgement::try_from(ack)
						.map_err(|e| anyhow!("empty acknowledgement: {e}"))?,
					proof_acked_on_b: src.proof(&[ack_path]).await?,
					proof_height_on_b: src_height,
					packet,
					signer: signer.clone(),
				};
				out.push(Outgoing { kind: Kind::Ack, what, any: msg.to_any() });
			} else if !src.received(port, chan, order, seq.into()).await?
				&& msgs::is_timed_out(&packet, src_height, src_time)
			{
				let (proof_path, next_seq_recv) = match order {
					Order::Ordered => (
						msgs::next_seq_recv_path(port, chan),
						Sequence::from(src.next_seq_recv(port, chan).await?),
					),
					_ => (msgs::receipt_path(port, chan, seq), seq),
				};
				let msg = MsgTimeout {
					next_seq_recv_on_b: next_seq_recv,
					proof_unreceived_on_b: src.proof(&[proof_path]).await?,
					proof_height_on_b: src_height,
					packet,
					signer: signer.clone(),
				};
				out.push(Outgoing { kind: Kind::Timeout, what, any: msg.to_any() });
			}
		}
		Ok(())
	}

	/// Delivers the updates then the messages in batches, submitted back to back so they can
	/// share a block; a batch the chain refuses is retried one message at a time (its updates
	/// first), so one bad message cannot hold back the others.
	async fn deliver(&self, updates: Vec<Outgoing>, messages: Vec<Outgoing>) -> Delivered {
		let mut done = Delivered::default();
		let max = self.config.max_batch.max(1);
		let all: Vec<Outgoing> = updates.into_iter().chain(messages).collect();
		let batches: Vec<&[Outgoing]> = all.chunks(max).collect();
		let anys: Vec<Vec<Any>> =
			batches.iter().map(|b| b.iter().map(|o| o.any.clone()).collect()).collect();
		let results = self.dst.deliver_many(&anys).await;
		for (batch, result) in batches.into_iter().zip(results) {
			match result {
				Ok(block) => {
					for o in batch {
						self.delivered(o, block, &mut done);
					}
				}
				Err(DeliverError::Dispatch(e)) if batch.len() > 1 => {
					tracing::warn!(path = %self.label(), size = batch.len(), error = %e, "batch refused; delivering its messages one by one");
					for o in batch {
						match self.dst.deliver(std::slice::from_ref(&o.any)).await {
							Ok(block) => self.delivered(o, block, &mut done),
							Err(e) => self.refused(o, &e, &mut done),
						}
					}
				}
				Err(e) => {
					// Not in a block (or a lone message refused): the next pass sees what is
					// still missing and tries again.
					for o in batch {
						self.refused(o, &e, &mut done);
					}
				}
			}
		}
		done
	}

	fn delivered(&self, o: &Outgoing, block: Hash, done: &mut Delivered) {
		done.count(o.kind);
		self.metrics.relayed(&self.src.name, &self.dst.name, o.kind.as_str());
		tracing::info!(path = %self.label(), kind = o.kind.as_str(), what = %o.what, block = ?block, "delivered");
	}

	fn refused(&self, o: &Outgoing, e: &DeliverError, done: &mut Delivered) {
		done.failed += 1;
		self.metrics.error(&self.dst.name, o.kind.as_str());
		tracing::warn!(path = %self.label(), kind = o.kind.as_str(), what = %o.what, error = %e, "refused");
	}
}

/// The `MsgUpdateClient` carrying `update` for `client` on `dst`.
pub fn update_message(client: &ClientId, update: GrandpaHeader, dst: &Chain) -> Outgoing {
	let what = format!("{client} to #{}", update.target.number);
	let msg = MsgUpdateClient {
		client_id: client.clone(),
		client_message: update.into(),
		signer: msgs::signer(&dst.account()),
	};
	Outgoing { kind: Kind::Update, what, any: msg.to_any() }
}

/// Whether `dst_chans` already holds the counterparty end of `port`/`chan` over `dst_conn`.
/// The connection counts: channel ids repeat across connections (two consumers each open
/// `consumer/channel-0` to the provider).
fn try_open_exists(
	dst_chans: &[(PortId, ChannelId, ChannelEnd)],
	dst_conn: &ConnectionId,
	port: &PortId,
	chan: &ChannelId,
) -> bool {
	dst_chans.iter().any(|(_, _, e)| {
		e.counterparty().port_id() == port
			&& e.counterparty().channel_id() == Some(chan)
			&& e.connection_hops().first() == Some(dst_conn)
	})
}

#[cfg(test)]
mod tests {
	use super::{refresh_due, try_open_exists};
	use ibc_core::{
		channel::types::{
			channel::{ChannelEnd, Counterparty, Order, State},
			Version,
		},
		host::types::identifiers::{ChannelId, ConnectionId, PortId},
	};

	/// The provider's end `provider/channel-<n>` over `connection-<conn>`, facing
	/// `consumer/channel-0`.
	fn provider_end(n: u64, conn: u64) -> (PortId, ChannelId, ChannelEnd) {
		let end = ChannelEnd::new(
			State::TryOpen,
			Order::Ordered,
			Counterparty::new(PortId::new("consumer".into()).unwrap(), Some(ChannelId::new(0))),
			vec![ConnectionId::new(conn)],
			Version::new("1".into()),
		)
		.unwrap();
		(PortId::new("provider".into()).unwrap(), ChannelId::new(n), end)
	}

	#[test]
	fn a_counterparty_end_counts_only_over_its_own_connection() {
		let consumer_port = PortId::new("consumer".into()).unwrap();
		let first_consumer = vec![provider_end(0, 0)];
		// consumer-1's channel-0 has its TRYOPEN over connection-0 ...
		assert!(try_open_exists(
			&first_consumer,
			&ConnectionId::new(0),
			&consumer_port,
			&ChannelId::new(0)
		));
		// ... which says nothing of consumer-2's channel-0 over connection-1.
		assert!(!try_open_exists(
			&first_consumer,
			&ConnectionId::new(1),
			&consumer_port,
			&ChannelId::new(0)
		));
		assert!(!try_open_exists(
			&first_consumer,
			&ConnectionId::new(0),
			&consumer_port,
			&ChannelId::new(1)
		));
		let both = vec![provider_end(0, 0), provider_end(1, 1)];
		assert!(try_open_exists(&both, &ConnectionId::new(1), &consumer_port, &ChannelId::new(0)));
	}

	const MINUTE_NS: u64 = 60_000_000_000;

	#[test]
	fn refresh_is_due_after_a_third_of_the_trusting_period() {
		let trusting = 9 * MINUTE_NS;
		let at = 1_000 * MINUTE_NS;
		assert!(!refresh_due(at, trusting, at));
		assert!(!refresh_due(at, trusting, at + 3 * MINUTE_NS - 1));
		assert!(refresh_due(at, trusting, at + 3 * MINUTE_NS));
		assert!(refresh_due(at, trusting, at + 8 * MINUTE_NS));
	}

	#[test]
	fn a_consensus_state_from_the_future_is_not_due() {
		assert!(!refresh_due(10 * MINUTE_NS, 9 * MINUTE_NS, MINUTE_NS));
	}
}
