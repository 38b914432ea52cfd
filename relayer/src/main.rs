//! `frame-ics-relayer`: the command line.

use anyhow::{anyhow, bail, Result};
use clap::{Parser, Subcommand, ValueEnum};
use frame_ics_relayer::{chain::Chain, config::Config, link::Link, metrics::Metrics};
use ibc_core::{channel::types::channel::Order, host::types::identifiers::PortId};
use std::{path::PathBuf, sync::Arc, time::Duration};

/// An IBC relayer between frame-ics chains (Substrate chains with pallet-ibc and GRANDPA
/// light clients): creates clients, connections and channels, then relays packets,
/// acknowledgements and timeouts, keeping each side's client of the other fresh.
///
/// Typical use on a provider and a consumer (see relayer/relayer.example.toml):
///   frame-ics-relayer -c relayer.toml create client --host provider --of consumer
///   frame-ics-relayer -c relayer.toml create client --host consumer --of provider
///   frame-ics-relayer -c relayer.toml create connection --a consumer --b provider \
///       --a-client 10-grandpa-0 --b-client 10-grandpa-1
///   frame-ics-relayer -c relayer.toml create channel --a consumer --b provider \
///       --a-connection connection-0 --a-port consumer --b-port provider --order ordered --version 1
///   frame-ics-relayer -c relayer.toml start
#[derive(Parser, Debug)]
#[command(name = "frame-ics-relayer", version, verbatim_doc_comment)]
struct Cli {
	/// The config file (TOML; see relayer/relayer.example.toml).
	#[arg(short, long, global = true, default_value = "relayer.toml")]
	config: PathBuf,
	/// Log format.
	#[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
	log_format: LogFormat,
	#[command(subcommand)]
	command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LogFormat {
	/// Human-readable lines.
	Text,
	/// One JSON object per line.
	Json,
}

#[derive(Subcommand, Debug)]
enum Command {
	/// Create a client, a connection or a channel (handshakes run to OPEN before it returns).
	#[command(subcommand)]
	Create(Create),
	/// Relay every path of the config until stopped (Ctrl-C): client updates, handshake steps,
	/// packets, acknowledgements and timeouts, read from chain state on every pass.
	Start,
	/// Send ICS-20 transfers from the relayer's account (testing and load generation).
	Transfer {
		/// The sending chain.
		#[arg(long)]
		from: String,
		/// The sending chain's channel id (e.g. channel-1).
		#[arg(long)]
		channel: String,
		/// Denomination (the native one, e.g. `stake`, or a voucher's full trace).
		#[arg(long)]
		denom: String,
		/// Amount of each transfer.
		#[arg(long)]
		amount: u128,
		/// Receiver on the other chain (SS58 or 0x hex).
		#[arg(long)]
		receiver: String,
		/// How many transfers (one transaction each, submitted back to back).
		#[arg(long, default_value_t = 1)]
		count: u32,
		/// Timeout: this many milliseconds after now.
		#[arg(long, default_value_t = 600_000)]
		timeout_ms: u64,
	},
}

#[derive(Subcommand, Debug)]
enum Create {
	/// Create on `host` a GRANDPA client of `of`, at `of`'s newest finalized block.
	Client {
		/// The chain that stores the client.
		#[arg(long)]
		host: String,
		/// The chain the client tracks.
		#[arg(long)]
		of: String,
	},
	/// Open a connection between `a`'s client of `b` and `b`'s client of `a` (INIT on `a`).
	Connection {
		/// The chain that initiates.
		#[arg(long)]
		a: String,
		/// The other chain.
		#[arg(long)]
		b: String,
		/// `a`'s client of `b`.
		#[arg(long)]
		a_client: String,
		/// `b`'s client of `a`.
		#[arg(long)]
		b_client: String,
	},
	/// Open a channel on an OPEN connection (INIT on `a`). The CCV channel: `--a consumer
	/// --a-port consumer --b-port provider --order ordered --version 1`.
	Channel {
		/// The chain that initiates.
		#[arg(long)]
		a: String,
		/// The other chain.
		#[arg(long)]
		b: String,
		/// The connection on `a`.
		#[arg(long)]
		a_connection: String,
		/// The port on `a`.
		#[arg(long)]
		a_port: String,
		/// The port on `b`.
		#[arg(long)]
		b_port: String,
		/// Channel ordering.
		#[arg(long, value_enum, default_value_t = Ordering::Unordered)]
		order: Ordering,
		/// Channel version (`ics20-1` for transfer, `1` for CCV).
		#[arg(long, default_value = "ics20-1")]
		version: String,
	},
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Ordering {
	/// Packets in any order (ICS-20).
	Unordered,
	/// Packets in sequence order (CCV).
	Ordered,
}

#[tokio::main]
async fn main() {
	let cli = Cli::parse();
	init_logs(cli.log_format);
	if let Err(e) = run(cli).await {
		tracing::error!(error = %format!("{e:#}"), "failed");
		eprintln!("error: {e:#}");
		std::process::exit(1);
	}
}

fn init_logs(format: LogFormat) {
	let filter = tracing_subscriber::EnvFilter::try_from_default_env()
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
	let builder = tracing_subscriber::fmt()
		.with_env_filter(filter)
		.with_writer(std::io::stderr)
		.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
	match format {
		LogFormat::Text => builder.init(),
		LogFormat::Json => builder.json().init(),
	}
}

async fn connect(config: &Config, name: &str) -> Result<Arc<Chain>> {
	Chain::connect(config.chain(name)?, Duration::from_secs(120)).await
}

async fn link(config: &Config, a: &str, b: &str, metrics: Arc<Metrics>) -> Result<Link> {
	Ok(Link {
		a: connect(config, a).await?,
		b: connect(config, b).await?,
		config: config.relay.clone(),
		metrics,
	})
}

async fn run(cli: Cli) -> Result<()> {
	let config = Config::load(&cli.config)?;
	let metrics = Arc::new(Metrics::new()?);
	match cli.command {
		Command::Create(Create::Client { host, of }) => {
			let link = link(&config, &host, &of, metrics).await?;
			let id = link.create_client(&link.a, &link.b).await?;
			println!("{id}");
		}
		Command::Create(Create::Connection { a, b, a_client, b_client }) => {
			let link = link(&config, &a, &b, metrics).await?;
			let (on_a, on_b) = link
				.create_connection(&link.a, &link.b, &parse(&a_client)?, &parse(&b_client)?)
				.await?;
			println!("{on_a} {on_b}");
		}
		Command::Create(Create::Channel { a, b, a_connection, a_port, b_port, order, version }) => {
			let link = link(&config, &a, &b, metrics).await?;
			let order = match order {
				Ordering::Unordered => Order::Unordered,
				Ordering::Ordered => Order::Ordered,
			};
			let (on_a, on_b) = link
				.create_channel(
					&link.a,
					&link.b,
					&parse(&a_connection)?,
					&parse::<PortId>(&a_port)?,
					&parse::<PortId>(&b_port)?,
					order,
					&version,
				)
				.await?;
			println!("{on_a} {on_b}");
		}
		Command::Start => start(config, metrics).await?,
		Command::Transfer { from, channel, denom, amount, receiver, count, timeout_ms } => {
			let chain = connect(&config, &from).await?;
			let now_ms = std::time::SystemTime::now()
				.duration_since(std::time::UNIX_EPOCH)
				.map_err(|e| anyhow!("clock: {e}"))?
				.as_millis();
			let timeout =
				Some(u64::try_from(now_ms).unwrap_or(u64::MAX).saturating_add(timeout_ms));
			let payloads: Vec<_> = (0..count)
				.map(|_| {
					subxt::transactions::dynamic(
						"Ibc",
						"transfer",
						(
							channel.as_bytes().to_vec(),
							denom.as_bytes().to_vec(),
							amount,
							receiver.as_bytes().to_vec(),
							None::<(u64, u64)>,
							timeout,
							Vec::<u8>::new(),
						),
					)
				})
				.collect();
			// Back to back in chunks (consecutive nonces), each chunk waited for.
			let started = std::time::Instant::now();
			let mut sent = 0usize;
			for chunk in payloads.chunks(TRANSFER_CHUNK) {
				for (i, result) in chain.submit_many(chunk).await.into_iter().enumerate() {
					let block = result.map_err(|e| anyhow!("transfer {}: {e}", sent + i))?;
					tracing::debug!(chain = %from, transfer = sent + i, block = ?block, "transfer in block");
				}
				sent += chunk.len();
			}
			tracing::info!(chain = %from, transfers = sent, secs = started.elapsed().as_secs_f64(), "transfers in blocks");
		}
	}
	Ok(())
}

/// Transfers submitted back to back before waiting for them.
const TRANSFER_CHUNK: usize = 250;

fn parse<T: std::str::FromStr>(s: &str) -> Result<T>
where
	T::Err: std::fmt::Display,
{
	s.parse::<T>().map_err(|e| anyhow!("{s}: {e}"))
}

/// Relays every configured path until Ctrl-C.
async fn start(config: Config, metrics: Arc<Metrics>) -> Result<()> {
	if config.paths.is_empty() {
		bail!("the config has no [[path]] to relay");
	}
	if let Some(addr) = config.metrics {
		let metrics = metrics.clone();
		tokio::spawn(async move {
			if let Err(e) = metrics.serve(addr).await {
				tracing::error!(error = %format!("{e:#}"), "metrics endpoint stopped");
			}
		});
	}
	let mut links = Vec::new();
	for path in &config.paths {
		links.push(link(&config, &path.a, &path.b, metrics.clone()).await?);
		tracing::info!(a = %path.a, b = %path.b, "relaying path");
	}
	let poll = Duration::from_millis(config.relay.poll_ms);
	let relay = async {
		loop {
			for link in &links {
				match link.pass().await {
					Ok(done) if done.moved_anything() || done.failed > 0 => tracing::info!(
						a = %link.a.name, b = %link.b.name,
						handshakes = done.handshakes, received = done.received,
						acknowledged = done.acknowledged, timed_out = done.timed_out,
						updates = done.updates, failed = done.failed, "pass"
					),
					Ok(_) => {}
					Err(e) => {
						metrics.error(&link.a.name, "pass");
						tracing::warn!(a = %link.a.name, b = %link.b.name, error = %format!("{e:#}"), "pass failed; retrying");
					}
				}
			}
			tokio::time::sleep(poll).await;
		}
	};
	tokio::select! {
		_ = relay => Ok(()),
		_ = tokio::signal::ctrl_c() => {
			tracing::info!("stopping");
			Ok(())
		}
	}
}
