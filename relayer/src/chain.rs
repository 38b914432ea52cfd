//! One chain as the relayer sees it: a node's RPC (reconnecting, with backoff), its chain id,
//! the newest GRANDPA justification it announced, reads of pallet-ibc's provable child trie with
//! read proofs, runtime-API calls, and `Ibc::deliver` submissions signed by the relayer's key.
//!
//! Call indices are never hard-coded: transactions are built from the metadata subxt reads when
//! it connects (`Ibc.deliver` by name).

use crate::config::ChainConfig;
use anyhow::{anyhow, bail, Context as _, Result};
use codec::{Decode, Encode};
use ibc_client_grandpa::types::{AuthorityList, AuthoritySet, Justification, SubstrateHeader};
use ibc_core::primitives::proto::Any;
use sp_core::{storage::ChildInfo, Bytes, H256};
use std::{sync::Arc, time::Duration};
use subxt::{
	config::DefaultExtrinsicParamsBuilder, error::TransactionEventsError,
	transactions::TransactionStatus, OnlineClient, PolkadotConfig,
};
use subxt_rpcs::{client::reconnecting_rpc_client, rpc_params, RpcClient};
use subxt_signer::sr25519::Keypair;
use tokio::sync::{watch, Mutex};

/// Block hash of our chains.
pub type Hash = H256;
/// Block number of our chains.
pub type BlockNumber = u32;
/// Header of our chains.
pub type Header = SubstrateHeader;

/// The child trie pallet-ibc keeps its provable state in.
pub fn ibc_child_info() -> ChildInfo {
	ChildInfo::new_default(pallet_ibc::types::IBC_CHILD_TRIE)
}

/// Hex form of bytes as Substrate's RPC takes them.
fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// A `chain_getBlock` answer, reduced to what the relayer reads.
#[derive(serde::Deserialize)]
struct SignedBlockJson {
	/// `(engine id, encoded justification)` pairs; both are JSON arrays of numbers.
	justifications: Option<Vec<([u8; 4], Vec<u8>)>>,
}

/// A `state_getChildReadProof` answer.
#[derive(serde::Deserialize)]
struct ReadProofJson {
	proof: Vec<Bytes>,
}

/// Why a `deliver` did not take effect.
#[derive(Debug)]
pub enum DeliverError {
	/// The chain ran the call and it failed (the whole batch is void): the dispatch error.
	Dispatch(String),
	/// The transaction never made it into a block (pool rejection, connection loss, timeout).
	Transport(anyhow::Error),
}

impl std::fmt::Display for DeliverError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			DeliverError::Dispatch(e) => write!(f, "deliver failed on chain: {e}"),
			DeliverError::Transport(e) => write!(f, "deliver not included: {e:#}"),
		}
	}
}

impl std::error::Error for DeliverError {}

/// A connected chain.
pub struct Chain {
	/// The name the config gives it (logs, metrics).
	pub name: String,
	/// Its IBC chain id (pallet `ChainIdentity`), which clients of it carry.
	pub chain_id: String,
	rpc: RpcClient,
	api: OnlineClient<PolkadotConfig>,
	signer: Keypair,
	justifications: watch::Receiver<Option<Justification>>,
	submit: Mutex<()>,
	tx_timeout: Duration,
}

impl Chain {
	/// Connects to the chain's node (retrying with backoff until `connect_timeout`), reads its
	/// metadata and chain id, and starts following its GRANDPA justifications.
	pub async fn connect(config: &ChainConfig, connect_timeout: Duration) -> Result<Arc<Self>> {
		let signer = config.signer()?;
		let deadline = tokio::time::Instant::now() + connect_timeout;
		let mut delay = Duration::from_millis(250);
		let rpc = loop {
			match reconnecting_rpc_client::RpcClient::builder()
				.request_timeout(Duration::from_secs(60))
				.build(&config.rpc)
				.await
			{
				Ok(client) => break RpcClient::new(client),
				Err(e) if tokio::time::Instant::now() < deadline => {
					tracing::info!(chain = %config.name, url = %config.rpc, error = %e, "node not reachable yet, retrying");
					tokio::time::sleep(delay).await;
					delay = (delay * 2).min(Duration::from_secs(5));
				}
				Err(e) => {
					return Err(anyhow!(e)).with_context(|| {
						format!("connecting to {} at {}", config.name, config.rpc)
					})
				}
			}
		};
		let api = OnlineClient::<PolkadotConfig>::from_rpc_client(rpc.clone())
			.await
			.with_context(|| format!("reading metadata of {}", config.name))?;
		let (tx, rx) = watch::channel(None);
		tokio::spawn(follow_justifications(config.name.clone(), rpc.clone(), tx));
		let mut chain = Chain {
			name: config.name.clone(),
			chain_id: String::new(),
			rpc,
			api,
			signer,
			justifications: rx,
			submit: Mutex::new(()),
			tx_timeout: Duration::from_secs(config.tx_timeout_secs),
		};
		chain.chain_id = chain.read_chain_id().await?;
		Ok(Arc::new(chain))
	}

	async fn read_chain_id(&self) -> Result<String> {
		let head = self.finalized_hash().await?;
		let raw = self
			.storage_value("ChainIdentity", "ChainId", head)
			.await?
			.ok_or_else(|| anyhow!("{}: no ChainIdentity.ChainId in state", self.name))?;
		let bytes = Vec::<u8>::decode(&mut &raw[..]).context("decoding the chain id")?;
		String::from_utf8(bytes).context("chain id is not UTF-8")
	}

	/// The raw value of storage item `pallet`.`item` (a plain `StorageValue`) at block `at`.
	pub async fn storage_value(
		&self,
		pallet: &str,
		item: &str,
		at: Hash,
	) -> Result<Option<Vec<u8>>> {
		let key = [
			sp_crypto_hashing::twox_128(pallet.as_bytes()),
			sp_crypto_hashing::twox_128(item.as_bytes()),
		]
		.concat();
		self.storage_raw(&key, at).await
	}

	/// The raw value at storage `key` of the main trie at block `at`.
	pub async fn storage_raw(&self, key: &[u8], at: Hash) -> Result<Option<Vec<u8>>> {
		let raw: Option<Bytes> =
			self.rpc.request("state_getStorage", rpc_params![hex0x(key), at]).await?;
		Ok(raw.map(|b| b.0))
	}

	/// The relayer's account on this chain (SS58).
	pub fn account(&self) -> String {
		self.signer.public_key().to_account_id().to_string()
	}

	/// The newest justification the node announced (`None` until the first one arrives).
	pub fn latest_justification(&self) -> Option<Justification> {
		self.justifications.borrow().clone()
	}

	/// Waits until the node has announced a justification finalizing block `number` or later.
	pub async fn justification_at_least(
		&self,
		number: BlockNumber,
		timeout: Duration,
	) -> Result<Justification> {
		let mut rx = self.justifications.clone();
		let wait = async {
			loop {
				if let Some(j) = rx.borrow_and_update().clone() {
					if j.commit.target_number >= number {
						return Ok(j);
					}
				}
				rx.changed().await.map_err(|_| anyhow!("justification follower stopped"))?;
			}
		};
		tokio::time::timeout(timeout, wait).await.map_err(|_| {
			anyhow!(
				"{}: no justification of block #{number} or later within {timeout:?}",
				self.name
			)
		})?
	}

	/// Hash of the latest finalized block.
	pub async fn finalized_hash(&self) -> Result<Hash> {
		Ok(self.rpc.request("chain_getFinalizedHead", rpc_params![]).await?)
	}

	/// The best block's header.
	pub async fn best_header(&self) -> Result<Header> {
		let header: Option<Header> = self.rpc.request("chain_getHeader", rpc_params![]).await?;
		header.ok_or_else(|| anyhow!("{}: node returned no best header", self.name))
	}

	/// The header of block `hash`.
	pub async fn header(&self, hash: Hash) -> Result<Header> {
		let header: Option<Header> = self.rpc.request("chain_getHeader", rpc_params![hash]).await?;
		header.ok_or_else(|| anyhow!("{}: no header {hash:?}", self.name))
	}

	/// The hash of canonical block `number`.
	pub async fn block_hash(&self, number: BlockNumber) -> Result<Hash> {
		let hash: Option<Hash> =
			self.rpc.request("chain_getBlockHash", rpc_params![number]).await?;
		hash.ok_or_else(|| anyhow!("{}: no block #{number}", self.name))
	}

	/// The header of canonical block `number`.
	pub async fn header_at(&self, number: BlockNumber) -> Result<Header> {
		let hash = self.block_hash(number).await?;
		self.header(hash).await
	}

	/// The GRANDPA justification the node stored with block `hash` (every authority-set change
	/// and every justification period), if any.
	pub async fn stored_justification(&self, hash: Hash) -> Result<Option<Justification>> {
		let block: Option<SignedBlockJson> =
			self.rpc.request("chain_getBlock", rpc_params![hash]).await?;
		let Some(justifications) = block.and_then(|b| b.justifications) else {
			return Ok(None);
		};
		justifications
			.into_iter()
			.find(|(engine, _)| engine == b"FRNK")
			.map(|(_, bytes)| {
				Justification::decode(&mut &bytes[..]).context("decoding a stored justification")
			})
			.transpose()
	}

	/// The raw value at ICS-24 `path` in pallet-ibc's store at block `at`.
	pub async fn ibc_get(&self, path: &str, at: Hash) -> Result<Option<Vec<u8>>> {
		let child = ibc_child_info();
		let value: Option<Bytes> = self
			.rpc
			.request(
				"childstate_getStorage",
				rpc_params![
					hex0x(child.prefixed_storage_key().as_slice()),
					hex0x(path.as_bytes()),
					at
				],
			)
			.await?;
		Ok(value.map(|b| b.0))
	}

	/// Every ICS-24 path under `prefix` in pallet-ibc's store at block `at`.
	pub async fn ibc_keys(&self, prefix: &str, at: Hash) -> Result<Vec<String>> {
		const PAGE: u32 = 1000;
		let child = ibc_child_info();
		let mut keys = Vec::new();
		let mut start: Option<String> = None;
		loop {
			let page: Vec<Bytes> = self
				.rpc
				.request(
					"childstate_getKeysPaged",
					rpc_params![
						hex0x(child.prefixed_storage_key().as_slice()),
						hex0x(prefix.as_bytes()),
						PAGE,
						start.clone(),
						at
					],
				)
				.await?;
			let full = page.len() == PAGE as usize;
			start = page.last().map(|k| hex0x(k));
			for key in page {
				keys.push(String::from_utf8(key.0).context("non-UTF-8 key in the IBC store")?);
			}
			if !full {
				return Ok(keys);
			}
		}
	}

	/// A read proof of `paths` in pallet-ibc's store at block `at`, in the wire form the GRANDPA
	/// client verifies (SCALE `Vec<Vec<u8>>` of trie nodes).
	pub async fn ibc_proof(&self, paths: &[String], at: Hash) -> Result<Vec<u8>> {
		let child = ibc_child_info();
		let keys: Vec<String> = paths.iter().map(|p| hex0x(p.as_bytes())).collect();
		let proof: ReadProofJson = self
			.rpc
			.request(
				"state_getChildReadProof",
				rpc_params![hex0x(child.prefixed_storage_key().as_slice()), keys, at],
			)
			.await?;
		let nodes: Vec<Vec<u8>> = proof.proof.into_iter().map(|b| b.0).collect();
		Ok(nodes.encode())
	}

	/// Calls runtime API `method` with SCALE `args` at block `at` and decodes the answer.
	pub async fn state_call<R: Decode>(&self, method: &str, args: &[u8], at: Hash) -> Result<R> {
		let out: Bytes =
			self.rpc.request("state_call", rpc_params![method, hex0x(args), at]).await?;
		R::decode(&mut &out[..]).with_context(|| format!("decoding the answer of {method}"))
	}

	/// The GRANDPA authority set that finalizes the blocks after block `at`.
	pub async fn authority_set(&self, at: Hash) -> Result<AuthoritySet> {
		let authorities: Vec<(sp_consensus_grandpa::AuthorityId, u64)> =
			self.state_call("GrandpaApi_grandpa_authorities", &[], at).await?;
		let set_id: u64 = self.state_call("GrandpaApi_current_set_id", &[], at).await?;
		let authorities = AuthorityList::try_from(authorities)
			.map_err(|_| anyhow!("{}: more GRANDPA authorities than a client holds", self.name))?;
		Ok(AuthoritySet { set_id, authorities })
	}

	/// Submits `Ibc.deliver(messages)` and waits until it is in a best block; returns that block.
	/// Pool rejections and lost connections are retried (fresh nonce) up to three times; a call
	/// that ran and failed is returned as [`DeliverError::Dispatch`] without retrying.
	pub async fn deliver(&self, messages: &[Any]) -> Result<Hash, DeliverError> {
		self.submit(&deliver_payload(messages)).await
	}

	/// Submits one `Ibc.deliver` per batch back to back (consecutive nonces, so they can share a
	/// block), then waits for each; one result per batch, in order. No retries.
	pub async fn deliver_many(&self, batches: &[Vec<Any>]) -> Vec<Result<Hash, DeliverError>> {
		let payloads: Vec<_> = batches.iter().map(|b| deliver_payload(b)).collect();
		self.submit_many(&payloads).await
	}

	/// Signs and submits any call (relayer tooling: `transfer`), as [`Chain::deliver`] does.
	pub async fn submit<Call: subxt::transactions::Payload>(
		&self,
		payload: &Call,
	) -> Result<Hash, DeliverError> {
		let mut last = None;
		for attempt in 0..3u32 {
			if attempt > 0 {
				tokio::time::sleep(Duration::from_millis(500 * u64::from(attempt))).await;
			}
			let result = self
				.submit_many(std::slice::from_ref(payload))
				.await
				.pop()
				.unwrap_or_else(|| Err(DeliverError::Transport(anyhow!("nothing submitted"))));
			match result {
				Ok(hash) => return Ok(hash),
				Err(DeliverError::Dispatch(e)) => return Err(DeliverError::Dispatch(e)),
				Err(DeliverError::Transport(e)) => {
					tracing::warn!(chain = %self.name, attempt, error = %format!("{e:#}"), "transaction not included, retrying");
					last = Some(e);
				}
			}
		}
		Err(DeliverError::Transport(last.unwrap_or_else(|| anyhow!("no attempt made"))))
	}

	/// Signs `payloads` with consecutive nonces from the pool-aware next nonce, submits them all,
	/// then waits until each is in a best block (or fails). One result per payload, in order.
	pub async fn submit_many<Call: subxt::transactions::Payload>(
		&self,
		payloads: &[Call],
	) -> Vec<Result<Hash, DeliverError>> {
		let transport = |e: anyhow::Error| DeliverError::Transport(e);
		let _one_signer_at_a_time = self.submit.lock().await;
		let prepared = async {
			let nonce: u64 = self
				.rpc
				.request("system_accountNextIndex", rpc_params![self.account()])
				.await
				.map_err(|e| anyhow!(e).context("reading the relayer's nonce"))?;
			let txs = self.api.at_current_block().await.map_err(|e| anyhow!(e))?.transactions();
			Ok::<_, anyhow::Error>((nonce, txs))
		};
		let (nonce, mut txs) = match prepared.await {
			Ok(p) => p,
			Err(e) => {
				let msg = format!("{e:#}");
				return payloads.iter().map(|_| Err(transport(anyhow!(msg.clone())))).collect();
			}
		};
		let mut watching = Vec::with_capacity(payloads.len());
		for (i, payload) in payloads.iter().enumerate() {
			let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new()
				.nonce(nonce.saturating_add(i as u64))
				.build();
			let progress = match txs.create_signed(payload, &self.signer, params).await {
				Ok(tx) => tx.submit_and_watch().await.map_err(|e| anyhow!(e).context("submitting")),
				Err(e) => Err(anyhow!(e).context("signing")),
			};
			watching.push(progress);
		}
		futures::future::join_all(watching.into_iter().map(|progress| async move {
			match progress {
				Ok(progress) => self.wait_in_block(progress).await,
				Err(e) => Err(transport(e)),
			}
		}))
		.await
	}

	async fn wait_in_block(
		&self,
		mut progress: subxt::transactions::TransactionProgress<
			PolkadotConfig,
			subxt::client::OnlineClientAtBlockImpl<PolkadotConfig>,
		>,
	) -> Result<Hash, DeliverError> {
		let transport = |e: anyhow::Error| DeliverError::Transport(e);
		let wait = async {
			while let Some(status) = progress.next().await {
				match status.map_err(|e| transport(anyhow!(e)))? {
					TransactionStatus::InBestBlock(in_block) => {
						let hash = in_block.block_hash();
						match in_block.wait_for_success().await {
							Ok(_) => return Ok(hash),
							Err(TransactionEventsError::ExtrinsicFailed(e)) => {
								return Err(DeliverError::Dispatch(e.to_string()))
							}
							// The best block's events could not be read (pruned or reorged away
							// under load): that says nothing about the transaction, so wait for
							// the block it is finalized in.
							Err(e) => tracing::debug!(
								chain = %self.name,
								block = ?hash,
								error = %e,
								"events of the best block unreadable; waiting for finality"
							),
						}
					}
					TransactionStatus::InFinalizedBlock(in_block) => {
						let hash = in_block.block_hash();
						return match in_block.wait_for_success().await {
							Ok(_) => Ok(hash),
							Err(TransactionEventsError::ExtrinsicFailed(e)) => {
								Err(DeliverError::Dispatch(e.to_string()))
							}
							Err(e) => Err(transport(anyhow!(e))),
						};
					}
					TransactionStatus::Error { message }
					| TransactionStatus::Invalid { message }
					| TransactionStatus::Dropped { message } => {
						return Err(transport(anyhow!("transaction rejected: {message}")))
					}
					_ => {}
				}
			}
			Err(transport(anyhow!("transaction status stream ended")))
		};
		tokio::time::timeout(self.tx_timeout, wait)
			.await
			.map_err(|_| transport(anyhow!("not in a block within {:?}", self.tx_timeout)))?
	}
}

/// The `Ibc.deliver` call carrying `messages`.
fn deliver_payload(messages: &[Any]) -> subxt::transactions::DynamicPayload<(Vec<RawAnyArg>,)> {
	let raw: Vec<RawAnyArg> = messages
		.iter()
		.map(|m| RawAnyArg { type_url: m.type_url.clone().into_bytes(), value: m.value.clone() })
		.collect();
	subxt::transactions::dynamic("Ibc", "deliver", (raw,))
}

/// `pallet_ibc::types::RawAny` as subxt encodes it against the metadata's type.
#[derive(scale_encode::EncodeAsType)]
#[encode_as_type(crate_path = "scale_encode")]
struct RawAnyArg {
	type_url: Vec<u8>,
	value: Vec<u8>,
}

/// Keeps `tx` holding the newest justification announced by `grandpa_subscribeJustifications`,
/// resubscribing (with backoff) whenever the subscription ends.
async fn follow_justifications(
	name: String,
	rpc: RpcClient,
	tx: watch::Sender<Option<Justification>>,
) {
	let mut delay = Duration::from_millis(250);
	loop {
		match rpc
			.subscribe::<Bytes>(
				"grandpa_subscribeJustifications",
				rpc_params![],
				"grandpa_unsubscribeJustifications",
			)
			.await
		{
			Ok(mut sub) => {
				delay = Duration::from_millis(250);
				while let Some(item) = sub.next().await {
					match item.map_err(anyhow::Error::from).and_then(|bytes| {
						Justification::decode(&mut &bytes[..]).map_err(anyhow::Error::from)
					}) {
						Ok(j) => {
							tx.send_if_modified(|cur| {
								let newer = cur.as_ref().is_none_or(|c| {
									c.commit.target_number < j.commit.target_number
								});
								if newer {
									*cur = Some(j);
								}
								newer
							});
						}
						Err(e) => {
							tracing::debug!(chain = %name, error = %e, "justification stream item");
							break;
						}
					}
				}
			}
			Err(e) => tracing::warn!(chain = %name, error = %e, "subscribing to justifications"),
		}
		if tx.is_closed() {
			return;
		}
		tokio::time::sleep(delay).await;
		delay = (delay * 2).min(Duration::from_secs(10));
	}
}

/// Fails unless `chain` answers as a frame-ics chain with pallet-ibc (`IbcRuntimeApi`).
pub async fn ensure_ibc_host(chain: &Chain) -> Result<()> {
	let at = chain.finalized_hash().await?;
	let probe: Option<Vec<u8>> = chain
		.state_call("IbcRuntimeApi_ibc_state", &b"clients/none/clientState".to_vec().encode(), at)
		.await
		.with_context(|| format!("{} has no IbcRuntimeApi", chain.name))?;
	if probe.is_some() {
		bail!("{}: unexpected IBC state at a path that cannot exist", chain.name);
	}
	Ok(())
}
