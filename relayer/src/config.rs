//! The relayer's TOML configuration (documented example: `relayer/relayer.example.toml`).

use anyhow::{anyhow, bail, Context as _, Result};
use serde::Deserialize;
use std::{net::SocketAddr, path::Path, str::FromStr};
use subxt_signer::{sr25519::Keypair, SecretUri};

/// The whole file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
	/// The chains, by name.
	#[serde(rename = "chain")]
	pub chains: Vec<ChainConfig>,
	/// The pairs of chains to relay between (`start` relays every path).
	#[serde(rename = "path", default)]
	pub paths: Vec<PathConfig>,
	/// Loop timing and bounds.
	#[serde(default)]
	pub relay: RelayConfig,
	/// Where to serve Prometheus metrics (`/metrics`); none if absent.
	#[serde(default)]
	pub metrics: Option<SocketAddr>,
}

/// One chain.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainConfig {
	/// Name used in paths, logs and metrics.
	pub name: String,
	/// WebSocket RPC endpoint of one of its nodes.
	pub rpc: String,
	/// The signing key: a secret URI (`//Alice`, a mnemonic, `0x` seed, with `//derivation`).
	#[serde(default)]
	pub signer: Option<String>,
	/// A file holding the secret URI (instead of `signer`; keeps keys out of the config).
	#[serde(default)]
	pub signer_file: Option<String>,
	/// How long to wait for a transaction to reach a block, in seconds.
	#[serde(default = "default_tx_timeout")]
	pub tx_timeout_secs: u64,
}

fn default_tx_timeout() -> u64 {
	60
}

impl ChainConfig {
	/// The relayer's key on this chain.
	pub fn signer(&self) -> Result<Keypair> {
		let uri = match (&self.signer, &self.signer_file) {
			(Some(uri), None) => uri.clone(),
			(None, Some(file)) => std::fs::read_to_string(file)
				.with_context(|| format!("reading signer file {file}"))?
				.trim()
				.to_string(),
			(Some(_), Some(_)) => {
				bail!("chain {}: give `signer` or `signer_file`, not both", self.name)
			}
			(None, None) => bail!("chain {}: no `signer` or `signer_file`", self.name),
		};
		let uri = SecretUri::from_str(&uri)
			.map_err(|e| anyhow!("chain {}: bad secret URI: {e}", self.name))?;
		Keypair::from_uri(&uri).map_err(|e| anyhow!("chain {}: bad key: {e}", self.name))
	}
}

/// A pair of chains; every connection and channel between them is relayed, found on chain.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathConfig {
	/// One chain's name.
	pub a: String,
	/// The other chain's name.
	pub b: String,
}

/// Loop timing and bounds.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelayConfig {
	/// Pause between two relaying passes, in milliseconds.
	#[serde(default = "default_poll_ms")]
	pub poll_ms: u64,
	/// Most messages in one `deliver` (the chains' `MaxMessages` bounds it too).
	#[serde(default = "default_max_batch")]
	pub max_batch: usize,
	/// Update a counterparty's client when it is this many blocks behind, even with nothing to
	/// relay (keeps clients inside the host's history window; age alone also triggers an update
	/// after a third of the client's trusting period, see [`crate::relay::refresh_due`]).
	#[serde(default = "default_refresh_blocks")]
	pub client_refresh_blocks: u32,
	/// Trusting period of clients `create client` makes, in seconds.
	#[serde(default = "default_trusting_period")]
	pub trusting_period_secs: u64,
}

fn default_poll_ms() -> u64 {
	1_000
}
fn default_max_batch() -> usize {
	32
}
fn default_refresh_blocks() -> u32 {
	200
}
fn default_trusting_period() -> u64 {
	14 * 24 * 3_600
}

impl Default for RelayConfig {
	fn default() -> Self {
		Self {
			poll_ms: default_poll_ms(),
			max_batch: default_max_batch(),
			client_refresh_blocks: default_refresh_blocks(),
			trusting_period_secs: default_trusting_period(),
		}
	}
}

impl Config {
	/// Reads and checks a config file.
	pub fn load(path: &Path) -> Result<Self> {
		let text = std::fs::read_to_string(path)
			.with_context(|| format!("reading config {}", path.display()))?;
		Self::parse(&text).with_context(|| format!("in config {}", path.display()))
	}

	/// Parses and checks a config text.
	pub fn parse(text: &str) -> Result<Self> {
		let config: Config = toml::from_str(text)?;
		for (i, chain) in config.chains.iter().enumerate() {
			if config.chains.iter().skip(i + 1).any(|c| c.name == chain.name) {
				bail!("chain name {} used twice", chain.name);
			}
		}
		for path in &config.paths {
			config.chain(&path.a)?;
			config.chain(&path.b)?;
			if path.a == path.b {
				bail!("path from {} to itself", path.a);
			}
		}
		if config.relay.max_batch == 0 {
			bail!("relay.max_batch must be at least 1");
		}
		Ok(config)
	}

	/// The chain named `name`.
	pub fn chain(&self, name: &str) -> Result<&ChainConfig> {
		self.chains
			.iter()
			.find(|c| c.name == name)
			.ok_or_else(|| anyhow!("no chain named {name} in the config"))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const EXAMPLE: &str = include_str!("../relayer.example.toml");

	#[test]
	fn example_config_parses() {
		let config = Config::parse(EXAMPLE).expect("example parses");
		assert_eq!(config.chains.len(), 2);
		assert_eq!(config.paths.len(), 1);
		assert!(config.chains.iter().all(|c| c.signer().is_ok()));
	}

	#[test]
	fn rejects_unknown_chain_in_path() {
		let text = EXAMPLE.replace("b = \"consumer\"", "b = \"nowhere\"");
		let err = Config::parse(&text).expect_err("unknown chain");
		assert!(err.to_string().contains("nowhere"), "{err}");
	}

	#[test]
	fn rejects_unknown_fields_and_two_signers() {
		assert!(Config::parse(&format!("{EXAMPLE}\nbogus = 1\n")).is_err());
		let both = ChainConfig {
			name: "x".into(),
			rpc: "ws://x".into(),
			signer: Some("//Alice".into()),
			signer_file: Some("/nonexistent".into()),
			tx_timeout_secs: 1,
		};
		assert!(both.signer().is_err());
	}
}
