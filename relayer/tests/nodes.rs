//! The relayer against real nodes: a `provider-dev` and a `consumer-dev` `frame-ics-node`
//! (release build, from `$FRAME_ICS_NODE` or the shared target dir), driven through the
//! `frame-ics-relayer` binary, with every outcome read back from chain state.
//!
//! Ignored in the plain test run (the node is built after it); `scripts/test.sh` runs it with
//! `--run-ignored only` once the node is built.

// A test harness: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

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
const BOB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
/// Amount of each transfer (1 UNIT; the escrow account must reach the existential deposit).
const AMOUNT: u128 = 1_000_000_000_000;
/// The first voucher asset id of both runtimes.
const FIRST_VOUCHER: u32 = 1_000;

fn node_binary() -> PathBuf {
	if let Ok(path) = std::env::var("FRAME_ICS_NODE") {
		return path.into();
	}
	let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| {
		format!("{}/.cache/frame-ics/target", std::env::var("HOME").unwrap_or_default())
	});
	Path::new(&target).join("release/frame-ics-node")
}

fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A node process, killed when dropped.
struct Node {
	child: Child,
	rpc: String,
}

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

fn start_node(chain: &str, dir: &Path) -> Node {
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

fn write_config(dir: &Path, name: &str, provider: &Node, consumer: &Node, signer: &str) -> PathBuf {
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
fn relayer(config: &Path, args: &[&str]) -> String {
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
struct Relayer(Child);

impl Relayer {
	fn kill(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

impl Drop for Relayer {
	fn drop(&mut self) {
		self.kill();
	}
}

fn spawn_relayer(config: &Path, log: &Path) -> Relayer {
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

async fn chain(config: &Path, name: &str) -> Arc<Chain> {
	let config = Config::load(config).unwrap();
	let chain: &ChainConfig = config.chain(name).unwrap();
	Chain::connect(chain, Duration::from_secs(120)).await.unwrap()
}

async fn exists(chain: &Chain, path: &str) -> bool {
	let at = chain.best_header().await.unwrap().hash();
	chain.ibc_get(path, at).await.unwrap().is_some()
}

/// Waits until `check` holds (polling every second) or fails after `timeout`.
async fn wait_for<F, Fut>(what: &str, timeout: Duration, check: F)
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
async fn voucher_supply(chain: &Chain, id: u32) -> u128 {
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

fn commitment(port: &str, chan: &str, seq: u64) -> String {
	format!("commitments/ports/{port}/channels/{chan}/sequences/{seq}")
}

fn receipt(port: &str, chan: &str, seq: u64) -> String {
	format!("receipts/ports/{port}/channels/{chan}/sequences/{seq}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the release node; scripts/test.sh runs it after building the node"]
async fn relays_between_real_nodes_and_survives_kills() {
	let dir = std::env::temp_dir().join(format!("frame-ics-relayer-test-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	eprintln!("[test] logs in {}", dir.display());
	let started = Instant::now();
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

	let relayer_log = dir.join("relayer.log");
	let mut running = spawn_relayer(&relay_cfg, &relayer_log);

	// A packet each way: received, acknowledged (commitment gone on the source).
	let send = |from: &str, chan: &str, count: u32, timeout_ms: u64| {
		relayer(
			&user_cfg,
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
	};
	send("provider", &chan_p, 1, 600_000);
	send("consumer", &chan_c, 1, 600_000);
	wait_for(
		"provider->consumer transfer received and acknowledged",
		Duration::from_secs(180),
		|| async {
			exists(&consumer, &receipt("transfer", &chan_c, 1)).await
				&& !exists(&provider, &commitment("transfer", &chan_p, 1)).await
		},
	)
	.await;
	wait_for(
		"consumer->provider transfer received and acknowledged",
		Duration::from_secs(180),
		|| async {
			exists(&provider, &receipt("transfer", &chan_p, 1)).await
				&& !exists(&consumer, &commitment("transfer", &chan_c, 1)).await
		},
	)
	.await;
	assert_eq!(voucher_supply(&consumer, FIRST_VOUCHER).await, AMOUNT);
	assert_eq!(voucher_supply(&provider, FIRST_VOUCHER).await, AMOUNT);

	// A timeout: 2 s is over before the consumer could receive it; the provider times it out.
	send("provider", &chan_p, 1, 2_000);
	wait_for("provider->consumer packet timed out", Duration::from_secs(180), || async {
		!exists(&provider, &commitment("transfer", &chan_p, 2)).await
	})
	.await;
	assert!(
		!exists(&consumer, &receipt("transfer", &chan_c, 2)).await,
		"timed-out packet was received"
	);
	assert_eq!(voucher_supply(&consumer, FIRST_VOUCHER).await, AMOUNT);

	// Kill -9 and restart the relayer at pseudo-random points of a stream of 20 transfers.
	const STREAM: u64 = 20;
	let sender = {
		let user_cfg = user_cfg.clone();
		let chan_p = chan_p.clone();
		std::thread::spawn(move || {
			relayer(
				&user_cfg,
				&[
					"transfer",
					"--from",
					"provider",
					"--channel",
					&chan_p,
					"--denom",
					"stake",
					"--amount",
					&AMOUNT.to_string(),
					"--receiver",
					BOB,
					"--count",
					&STREAM.to_string(),
				],
			)
		})
	};
	let mut seed = u64::from(std::process::id()) ^ started.elapsed().as_nanos() as u64;
	for round in 0..4 {
		seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
		let ms = 1_000 + (seed >> 33) % 7_000;
		tokio::time::sleep(Duration::from_millis(ms)).await;
		running.kill(); // SIGKILL
		eprintln!("[test] relayer killed after {ms} ms (round {round}); restarting");
		running = spawn_relayer(&relay_cfg, &relayer_log);
	}
	sender.join().unwrap();
	let seqs = 3..3 + STREAM;
	wait_for("every streamed packet received and acknowledged", Duration::from_secs(300), || {
		let seqs = seqs.clone();
		let (provider, consumer, chan_c, chan_p) = (&provider, &consumer, &chan_c, &chan_p);
		async move {
			for seq in seqs {
				if !exists(consumer, &receipt("transfer", chan_c, seq)).await
					|| exists(provider, &commitment("transfer", chan_p, seq)).await
				{
					return false;
				}
			}
			true
		}
	})
	.await;
	// Exactly once: the vouchers minted are the first transfer plus the stream, no more.
	assert_eq!(voucher_supply(&consumer, FIRST_VOUCHER).await, AMOUNT * u128::from(1 + STREAM));
	running.kill();
	eprintln!("[test] total {:.1}s", started.elapsed().as_secs_f64());
}
