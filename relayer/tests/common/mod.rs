//! Helpers of the real-node tests: node and relayer processes, configs, chain-state reads.

// A test harness: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use codec::Decode;
use frame_ics_relayer::{
	chain::Chain,
	config::{ChainConfig, Config},
};
use std::{
	io::Write,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::Arc,
	time::{Duration, Instant},
};

/// Bob's account (SS58, generic prefix): the receiver of every transfer.
pub const BOB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
/// Amount of each transfer (1 UNIT; the escrow account must reach the existential deposit).
pub const AMOUNT: u128 = 1_000_000_000_000;
/// The first voucher asset id of both runtimes.
pub const FIRST_VOUCHER: u32 = 1_000;

pub fn node_binary() -> PathBuf {
	if let Ok(path) = std::env::var("FRAME_ICS_NODE") {
		return path.into();
	}
	let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| {
		format!("{}/.cache/frame-ics/target", std::env::var("HOME").unwrap_or_default())
	});
	Path::new(&target).join("release/frame-ics-node")
}

pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A node process, killed when dropped.
pub struct Node {
	/// The process.
	pub child: Child,
	/// Its WebSocket RPC URL.
	pub rpc: String,
}

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

pub fn start_node(chain: &str, dir: &Path) -> Node {
	let binary = node_binary();
	assert!(
		binary.exists(),
		"no node binary at {} (build it: cargo build --release -p frame-ics-node)",
		binary.display()
	);
	let rpc_port = free_port();
	let log = std::fs::File::create(dir.join(format!("{chain}.log"))).unwrap();
	let node_key: String = format!("{:064x}", u128::from(rpc_port) * 7919 + 1);
	let child = Command::new(binary)
		.args(["--chain", chain, "--alice", "--tmp", "--node-key", &node_key])
		.args(["--rpc-port", &rpc_port.to_string()])
		.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{}", free_port())])
		.args(["--no-prometheus", "--no-telemetry", "--no-mdns"])
		.stdout(log.try_clone().unwrap())
		.stderr(log)
		.spawn()
		.unwrap();
	Node { child, rpc: format!("ws://127.0.0.1:{rpc_port}") }
}

pub fn write_config(
	dir: &Path,
	name: &str,
	provider: &Node,
	consumer: &Node,
	signer: &str,
) -> PathBuf {
	let path = dir.join(name);
	let text = format!(
		r#"
[[chain]]
name = "provider"
rpc = "{}"
signer = "{signer}"

[[chain]]
name = "consumer"
rpc = "{}"
signer = "{signer}"

[[path]]
a = "provider"
b = "consumer"

[relay]
poll_ms = 500
"#,
		provider.rpc, consumer.rpc
	);
	std::fs::File::create(&path).unwrap().write_all(text.as_bytes()).unwrap();
	path
}

/// Runs the relayer binary to completion; its stdout.
pub fn relayer(config: &Path, args: &[&str]) -> String {
	let out = Command::new(env!("CARGO_BIN_EXE_frame-ics-relayer"))
		.arg("--config")
		.arg(config)
		.args(args)
		.stderr(Stdio::inherit())
		.output()
		.unwrap();
	assert!(out.status.success(), "frame-ics-relayer {args:?} failed");
	String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A running `frame-ics-relayer start`, killed (SIGKILL) when dropped.
pub struct Relayer(pub Child);

impl Relayer {
	/// SIGKILL and reap.
	pub fn kill(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

impl Drop for Relayer {
	fn drop(&mut self) {
		self.kill();
	}
}

pub fn spawn_relayer(config: &Path, log: &Path) -> Relayer {
	let log = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
	Relayer(
		Command::new(env!("CARGO_BIN_EXE_frame-ics-relayer"))
			.arg("--config")
			.arg(config)
			.arg("start")
			.stdout(log.try_clone().unwrap())
			.stderr(log)
			.spawn()
			.unwrap(),
	)
}

pub async fn chain(config: &Path, name: &str) -> Arc<Chain> {
	let config = Config::load(config).unwrap();
	let chain: &ChainConfig = config.chain(name).unwrap();
	Chain::connect(chain, Duration::from_secs(120)).await.unwrap()
}

pub async fn exists(chain: &Chain, path: &str) -> bool {
	let at = chain.best_header().await.unwrap().hash();
	chain.ibc_get(path, at).await.unwrap().is_some()
}

/// Waits until `check` holds (polling every second) or fails after `timeout`.
pub async fn wait_for<F, Fut>(what: &str, timeout: Duration, check: F)
where
	F: Fn() -> Fut,
	Fut: std::future::Future<Output = bool>,
{
	let start = Instant::now();
	while !check().await {
		assert!(start.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	eprintln!("[test] {what}: {:.1}s", start.elapsed().as_secs_f64());
}

/// Total supply of voucher asset `id` on `chain` (pallet-assets `Asset` details).
pub async fn voucher_supply(chain: &Chain, id: u32) -> u128 {
	let at = chain.best_header().await.unwrap().hash();
	let mut key =
		[sp_crypto_hashing::twox_128(b"Assets"), sp_crypto_hashing::twox_128(b"Asset")].concat();
	let encoded = codec::Encode::encode(&id);
	key.extend(sp_crypto_hashing::blake2_128(&encoded));
	key.extend(encoded);
	let Some(raw) = chain.storage_raw(&key, at).await.unwrap() else { return 0 };
	// AssetDetails: owner, issuer, admin, freezer (32 bytes each), then supply.
	u128::decode(&mut raw.get(128..).unwrap()).unwrap()
}

pub fn commitment(port: &str, chan: &str, seq: u64) -> String {
	format!("commitments/ports/{port}/channels/{chan}/sequences/{seq}")
}

pub fn receipt(port: &str, chan: &str, seq: u64) -> String {
	format!("receipts/ports/{port}/channels/{chan}/sequences/{seq}")
}

/// Two dev nodes with an OPEN ICS-20 channel between them (opened by the consumer).
pub struct TransferLink {
	/// Where the logs and configs are.
	pub dir: PathBuf,
	/// The provider-dev node.
	pub provider_node: Node,
	/// The consumer-dev node.
	pub consumer_node: Node,
	/// The relayer's config (signer //Bob).
	pub relay_cfg: PathBuf,
	/// The users' config (signer //Alice).
	pub user_cfg: PathBuf,
	/// The provider, read through the relayer's RPC client.
	pub provider: Arc<Chain>,
	/// The consumer.
	pub consumer: Arc<Chain>,
	/// The channel id on the provider.
	pub chan_p: String,
	/// The channel id on the consumer.
	pub chan_c: String,
}

/// Starts the nodes and opens the channel with the relayer's `create` commands.
pub async fn transfer_link(label: &str) -> TransferLink {
	let dir = std::env::temp_dir().join(format!("frame-ics-{label}-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	eprintln!("[test] logs in {}", dir.display());
	let provider_node = start_node("provider-dev", &dir);
	let consumer_node = start_node("consumer-dev", &dir);
	// The relayer signs as //Bob, the transfers as //Alice: two accounts, no nonce races.
	let relay_cfg = write_config(&dir, "relayer.toml", &provider_node, &consumer_node, "//Bob");
	let user_cfg = write_config(&dir, "user.toml", &provider_node, &consumer_node, "//Alice");
	let provider = chain(&relay_cfg, "provider").await;
	let consumer = chain(&relay_cfg, "consumer").await;

	// Handshakes: clients both ways, a connection and an ICS-20 channel opened by the consumer.
	let t = Instant::now();
	let client_on_provider =
		relayer(&relay_cfg, &["create", "client", "--host", "provider", "--of", "consumer"]);
	let client_on_consumer =
		relayer(&relay_cfg, &["create", "client", "--host", "consumer", "--of", "provider"]);
	assert!(exists(&provider, &format!("clients/{client_on_provider}/clientState")).await);
	assert!(exists(&consumer, &format!("clients/{client_on_consumer}/clientState")).await);
	let conns = relayer(
		&relay_cfg,
		&[
			"create",
			"connection",
			"--a",
			"consumer",
			"--b",
			"provider",
			"--a-client",
			&client_on_consumer,
			"--b-client",
			&client_on_provider,
		],
	);
	let (conn_on_consumer, _conn_on_provider) = conns.split_once(' ').unwrap();
	let chans = relayer(
		&relay_cfg,
		&[
			"create",
			"channel",
			"--a",
			"consumer",
			"--b",
			"provider",
			"--a-connection",
			conn_on_consumer,
			"--a-port",
			"transfer",
			"--b-port",
			"transfer",
			"--version",
			"ics20-1",
		],
	);
	let (chan_c, chan_p) = chans.split_once(' ').unwrap();
	let (chan_c, chan_p) = (chan_c.to_string(), chan_p.to_string());
	eprintln!(
		"[test] handshakes (2 clients, connection, channel) in {:.1}s",
		t.elapsed().as_secs_f64()
	);
	TransferLink {
		dir,
		provider_node,
		consumer_node,
		relay_cfg,
		user_cfg,
		provider,
		consumer,
		chan_p,
		chan_c,
	}
}

/// `frame-ics-relayer transfer`: `count` transfers of [`AMOUNT`] `stake` from `from`'s channel
/// `chan` to [`BOB`], timing out `timeout_ms` after sending, signed with `config`'s key.
pub fn send_transfers(
	config: &Path,
	from: &str,
	chan: &str,
	count: u64,
	timeout_ms: u64,
) -> String {
	relayer(
		config,
		&[
			"transfer",
			"--from",
			from,
			"--channel",
			chan,
			"--denom",
			"stake",
			"--amount",
			&AMOUNT.to_string(),
			"--receiver",
			BOB,
			"--count",
			&count.to_string(),
			"--timeout-ms",
			&timeout_ms.to_string(),
		],
	)
}
