//! A path between two chains: relaying passes both ways, and the `create` commands (a client,
//! a connection, a channel), whose later handshake steps the passes complete.

use crate::{
	chain::{Chain, Hash},
	config::RelayConfig,
	finality,
	metrics::Metrics,
	msgs,
	relay::{update_message, Delivered, Direction},
};
use anyhow::{anyhow, bail, Context as _, Result};
use codec::Decode;
use ibc_client_grandpa::{
	types::ChainId, ClientState as GrandpaClientState, ConsensusState as GrandpaConsensusState,
	IbcConsensusState,
};
use ibc_core::{
	channel::types::{
		channel::{Order, State as ChannelState},
		msgs::MsgChannelOpenInit,
		Version as ChannelVersion,
	},
	client::types::msgs::MsgCreateClient,
	connection::types::{
		msgs::MsgConnectionOpenInit, Counterparty as ConnectionCounterparty,
		State as ConnectionState,
	},
	host::types::identifiers::{ChannelId, ClientId, ConnectionId, PortId},
	primitives::{proto::Any, ToProto},
};
use std::{sync::Arc, time::Duration};

/// Past authority sets the clients `create client` makes keep (equivocation evidence window).
pub const CLIENT_SET_HISTORY: u32 = 8;

/// How long a `create` command waits for its handshake to finish.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(600);

/// Two chains and how to relay between them.
pub struct Link {
	/// One chain.
	pub a: Arc<Chain>,
	/// The other chain.
	pub b: Arc<Chain>,
	/// Loop bounds.
	pub config: RelayConfig,
	/// Metrics.
	pub metrics: Arc<Metrics>,
}

impl Link {
	/// One pass each way (`a` to `b`, then `b` to `a`).
	pub async fn pass(&self) -> Result<Delivered> {
		let mut done = self.direction(&self.a, &self.b).pass().await?;
		done.add(self.direction(&self.b, &self.a).pass().await?);
		Ok(done)
	}

	fn direction<'a>(&'a self, src: &'a Chain, dst: &'a Chain) -> Direction<'a> {
		Direction { src, dst, config: &self.config, metrics: &self.metrics }
	}

	/// The chain named `name` on this link, and the other one.
	pub fn sides(&self, name: &str) -> Result<(Arc<Chain>, Arc<Chain>)> {
		if self.a.name == name {
			Ok((self.a.clone(), self.b.clone()))
		} else if self.b.name == name {
			Ok((self.b.clone(), self.a.clone()))
		} else {
			bail!("{name} is not on the path {}-{}", self.a.name, self.b.name)
		}
	}

	/// Creates on `host` a GRANDPA client of `of`, from `of`'s newest finalized block (its
	/// authority set, chain id and `ibc0` digest). Returns the client id.
	pub async fn create_client(&self, host: &Chain, of: &Chain) -> Result<ClientId> {
		let justification = of.justification_at_least(0, Duration::from_secs(120)).await?;
		let at = justification.commit.target_hash;
		let header = of.header(at).await?;
		let state = GrandpaClientState {
			chain_id: ChainId::try_from(of.chain_id.as_bytes().to_vec())
				.map_err(|_| anyhow!("chain id of {} too long", of.name))?,
			latest_height: header.number,
			latest_hash: Some(at),
			authority_set: of.authority_set(at).await?,
			max_set_history: CLIENT_SET_HISTORY,
			trusting_period_ns: self.config.trusting_period_secs.saturating_mul(1_000_000_000),
			frozen_height: None,
		};
		state.validate().map_err(|e| anyhow!("client state of {}: {e:?}", of.name))?;
		let consensus = GrandpaConsensusState::from_header(&header)
			.map_err(|e| anyhow!("{} #{}: {e:?}", of.name, header.number))?;
		let msg = MsgCreateClient {
			client_state: state.into(),
			consensus_state: IbcConsensusState::from(consensus).into(),
			signer: msgs::signer(&host.account()),
		};
		let block = deliver_one(host, msg.to_any(), "create_client").await?;
		let n = counter(host, "ClientCounter", block).await?;
		let id: ClientId = format!("{}-{}", ibc_client_grandpa::ibc_client::CLIENT_TYPE, n - 1)
			.parse()
			.map_err(|e| anyhow!("client id: {e}"))?;
		tracing::info!(host = %host.name, of = %of.name, client = %id, height = header.number, "client created");
		Ok(id)
	}

	/// Brings `host`'s client `client` of `of` to `of`'s newest finalized block.
	pub async fn update_client(&self, host: &Chain, of: &Chain, client: &ClientId) -> Result<()> {
		let at = host.best_header().await?;
		let bytes = host
			.ibc_get(&msgs::client_state_path(client), sp_runtime::traits::Header::hash(&at))
			.await?
			.ok_or_else(|| anyhow!("{}: no client {client}", host.name))?;
		let state =
			GrandpaClientState::try_from(<Any as prost::Message>::decode(bytes.as_slice())?)
				.map_err(|e| anyhow!("{}: {client} is no GRANDPA client: {e:?}", host.name))?;
		let justification = of
			.justification_at_least(state.latest_height.saturating_add(1), Duration::from_secs(120))
			.await?;
		let updates = finality::plan(of, &state, justification).await?;
		for update in updates {
			let target = update.target.number;
			let msg = update_message(client, update, host);
			deliver_one(host, msg.any, &format!("update of {client} to #{target}")).await?;
		}
		Ok(())
	}

	/// Opens a connection from `a`'s client `client_on_a` (of `b`) to `b`'s client `client_on_b`
	/// (of `a`): INIT on `a`, then passes until both ends are OPEN. Returns (id on a, id on b).
	pub async fn create_connection(
		&self,
		a: &Chain,
		b: &Chain,
		client_on_a: &ClientId,
		client_on_b: &ClientId,
	) -> Result<(ConnectionId, ConnectionId)> {
		// TRY and ACK check each side's client of the other against the other's own recent
		// history: both fresh first.
		self.update_client(a, b, client_on_a).await?;
		self.update_client(b, a, client_on_b).await?;
		let init = MsgConnectionOpenInit {
			client_id_on_a: client_on_a.clone(),
			counterparty: ConnectionCounterparty::new(client_on_b.clone(), None, msgs::prefix()),
			version: None,
			delay_period: Duration::ZERO,
			signer: msgs::signer(&a.account()),
		};
		let block = deliver_one(a, init.to_any(), "conn_open_init").await?;
		let conn_on_a = ConnectionId::new(counter(a, "ConnectionCounter", block).await? - 1);
		tracing::info!(chain = %a.name, connection = %conn_on_a, "connection INIT");
		let conn_on_b = self
			.drive(|| async {
				let end_a = connection_end(a, &conn_on_a).await?;
				let Some(conn_on_b) = end_a.counterparty().connection_id().cloned() else {
					return Ok(None);
				};
				let end_b = connection_end(b, &conn_on_b).await?;
				Ok((*end_a.state() == ConnectionState::Open
					&& *end_b.state() == ConnectionState::Open)
					.then_some(conn_on_b))
			})
			.await
			.with_context(|| format!("opening {conn_on_a} on {}", a.name))?;
		tracing::info!(a = %a.name, b = %b.name, %conn_on_a, %conn_on_b, "connection OPEN");
		Ok((conn_on_a, conn_on_b))
	}

	/// Opens a channel on `a`'s connection `conn_on_a` from `port_on_a` to `b`'s `port_on_b`:
	/// INIT on `a`, then passes until both ends are OPEN. Returns (id on a, id on b).
	#[allow(clippy::too_many_arguments)]
	pub async fn create_channel(
		&self,
		a: &Chain,
		b: &Chain,
		conn_on_a: &ConnectionId,
		port_on_a: &PortId,
		port_on_b: &PortId,
		order: Order,
		version: &str,
	) -> Result<(ChannelId, ChannelId)> {
		let init = MsgChannelOpenInit {
			port_id_on_a: port_on_a.clone(),
			connection_hops_on_a: vec![conn_on_a.clone()],
			port_id_on_b: port_on_b.clone(),
			ordering: order,
			signer: msgs::signer(&a.account()),
			version_proposal: ChannelVersion::new(version.to_string()),
		};
		let block = deliver_one(a, init.to_any(), "chan_open_init").await?;
		let chan_on_a = ChannelId::new(counter(a, "ChannelCounter", block).await? - 1);
		tracing::info!(chain = %a.name, port = %port_on_a, channel = %chan_on_a, "channel INIT");
		self.wait_channel_open(a, b, port_on_a, &chan_on_a).await.map(|b_id| (chan_on_a, b_id))
	}

	/// Passes until `a`'s channel (`port`, `chan`) and its counterparty on `b` are OPEN; returns
	/// the counterparty's id.
	pub async fn wait_channel_open(
		&self,
		a: &Chain,
		b: &Chain,
		port: &PortId,
		chan: &ChannelId,
	) -> Result<ChannelId> {
		let chan_on_b = self
			.drive(|| async {
				let end_a = channel_end(a, port, chan).await?;
				let Some(chan_on_b) = end_a.counterparty().channel_id().cloned() else {
					return Ok(None);
				};
				let end_b = channel_end(b, end_a.counterparty().port_id(), &chan_on_b).await?;
				Ok((*end_a.state() == ChannelState::Open && *end_b.state() == ChannelState::Open)
					.then_some(chan_on_b))
			})
			.await
			.with_context(|| format!("opening {port}/{chan} on {}", a.name))?;
		tracing::info!(a = %a.name, b = %b.name, %port, %chan, %chan_on_b, "channel OPEN");
		Ok(chan_on_b)
	}

	/// Runs passes until `done` yields a value (or [`HANDSHAKE_TIMEOUT`]).
	async fn drive<T, F, Fut>(&self, done: F) -> Result<T>
	where
		F: Fn() -> Fut,
		Fut: std::future::Future<Output = Result<Option<T>>>,
	{
		let deadline = tokio::time::Instant::now() + HANDSHAKE_TIMEOUT;
		loop {
			if let Some(value) = done().await? {
				return Ok(value);
			}
			if tokio::time::Instant::now() > deadline {
				bail!("handshake not finished within {HANDSHAKE_TIMEOUT:?}");
			}
			self.pass().await?;
			tokio::time::sleep(Duration::from_millis(self.config.poll_ms)).await;
		}
	}
}

/// Delivers one message, failing with the chain's error if it is refused.
pub async fn deliver_one(chain: &Chain, any: Any, what: &str) -> Result<Hash> {
	chain.deliver(&[any]).await.map_err(|e| anyhow!("{}: {what}: {e}", chain.name))
}

/// pallet-ibc's counter `item` (`ClientCounter`, ...) at block `at`.
async fn counter(chain: &Chain, item: &str, at: Hash) -> Result<u64> {
	let bytes = chain
		.storage_value("Ibc", item, at)
		.await?
		.ok_or_else(|| anyhow!("{}: no Ibc.{item}", chain.name))?;
	<u64 as Decode>::decode(&mut &bytes[..]).with_context(|| format!("decoding Ibc.{item}"))
}

async fn connection_end(
	chain: &Chain,
	id: &ConnectionId,
) -> Result<ibc_core::connection::types::ConnectionEnd> {
	let at = sp_runtime::traits::Header::hash(&chain.best_header().await?);
	let bytes = chain
		.ibc_get(&msgs::connection_path(id), at)
		.await?
		.ok_or_else(|| anyhow!("{}: no connection {id}", chain.name))?;
	msgs::decode_connection(&bytes)
}

async fn channel_end(
	chain: &Chain,
	port: &PortId,
	id: &ChannelId,
) -> Result<ibc_core::channel::types::channel::ChannelEnd> {
	let at = sp_runtime::traits::Header::hash(&chain.best_header().await?);
	let bytes = chain
		.ibc_get(&msgs::channel_path(port, id), at)
		.await?
		.ok_or_else(|| anyhow!("{}: no channel {port}/{id}", chain.name))?;
	msgs::decode_channel(&bytes)
}
