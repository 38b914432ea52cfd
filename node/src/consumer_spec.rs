//! `build-consumer-spec`: a consumer chain's chain spec built from a live provider, the
//! counterpart of Cosmos ICS's `query provider consumer-genesis`.
//!
//! 1. [`fetch`] connects to a provider node's WebSocket RPC, reads its finalized head and, at
//!    that block, calls the runtime API methods `CcvProviderApi_consumer_info` and
//!    `CcvProviderApi_consumer_genesis` (`state_call`) for the consumer id.
//! 2. [`decode_consumer_info`] and [`decode_consumer_genesis`] SCALE-decode the answers with the
//!    provider runtime's types; [`launched_consumer`] requires a launched consumer and returns its
//!    chain id and genesis.
//! 3. [`build_spec`] makes the spec from the consumer runtime's WASM: chain id and spec id the
//!    consumer's chain id, `ccvRole: consumer` properties, and the consumer runtime's
//!    [`dev_accounts_genesis_patch`] (the genesis from the provider, dev accounts endowed,
//!    `//Alice` sudo) as the genesis patch. [`spec_json`] prints it plain or raw.
//!
//! The spec's accounts are the well-known dev accounts, so it is for dev and test networks; its
//! chain type is therefore `Local` (which also lets nodes on loopback or a LAN find each other:
//! sc-cli allows private IPs by default for `Local`, not for `Live`).
//!
//! Everything after the RPC is pure, so the decoding and the build are tested without a network
//! (and the RPC path against an in-process fake provider).

use crate::{chain_spec, cli::BuildConsumerSpecCmd};
use ccv_primitives::{ConsumerGenesis, ConsumerId};
use codec::{DecodeAll, Encode};
use frame_ics_consumer_runtime::genesis_config_presets::dev_accounts_genesis_patch;
use jsonrpsee::{
	core::client::ClientT,
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use pallet_ccv_provider::{ConsumerInfo, ConsumerPhase};
use sc_service::ChainType;
use sp_core::{Bytes, H256};
use std::{fmt, io::Write};

/// A consumer's record as the provider runtime's `CcvProviderApi` returns it.
pub type ProviderConsumerInfo =
	ConsumerInfo<frame_ics_provider_runtime::AccountId, frame_ics_provider_runtime::Balance>;

/// Runtime API method: the consumer's phase, chain id and parameters.
pub const CONSUMER_INFO_METHOD: &str = "CcvProviderApi_consumer_info";
/// Runtime API method: the consumer's genesis (once launched).
pub const CONSUMER_GENESIS_METHOD: &str = "CcvProviderApi_consumer_genesis";

/// Why a consumer chain spec could not be built.
#[derive(Debug)]
pub enum Error {
	/// This binary was built without the consumer runtime's WASM.
	NoWasm,
	/// The async runtime for the RPC client did not start.
	AsyncRuntime(std::io::Error),
	/// The provider's RPC endpoint could not be reached.
	Connect {
		/// The endpoint.
		url: String,
		/// The client's error.
		reason: String,
	},
	/// An RPC call to the provider failed.
	Rpc {
		/// The RPC method (with the runtime API method for `state_call`).
		method: String,
		/// The provider's or the client's error.
		reason: String,
	},
	/// A runtime API answer did not decode as the provider runtime's type.
	Decode {
		/// The runtime API method.
		method: &'static str,
		/// The decoder's error.
		reason: String,
	},
	/// The provider has no consumer with this id.
	UnknownConsumer(ConsumerId),
	/// The consumer has not launched yet, so it has no genesis.
	NotLaunched {
		/// The consumer.
		consumer_id: ConsumerId,
		/// Its phase (`Registered` or `Initialized`).
		phase: ConsumerPhase,
	},
	/// The consumer has stopped: there is no chain to build a spec for.
	Stopped {
		/// The consumer.
		consumer_id: ConsumerId,
		/// Its phase (`Stopped` or `Deleted`).
		phase: ConsumerPhase,
	},
	/// The consumer is launched but the provider returned no genesis for it.
	MissingGenesis(ConsumerId),
	/// The provider's consumer genesis fails the consumer's own validity check.
	InvalidGenesis {
		/// The consumer.
		consumer_id: ConsumerId,
		/// The failed check.
		reason: String,
	},
	/// The consumer's chain id is empty or not UTF-8.
	ChainId {
		/// The consumer.
		consumer_id: ConsumerId,
		/// What is wrong with it.
		reason: String,
	},
	/// The chain spec could not be serialized (or, with `--raw`, its genesis not built).
	Spec(String),
	/// Writing the spec to stdout failed.
	Output(std::io::Error),
}

impl fmt::Display for Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::NoWasm => write!(
				f,
				"the consumer runtime's WASM is not embedded in this binary (built with \
				 SKIP_WASM_BUILD?): rebuild without it"
			),
			Self::AsyncRuntime(e) => write!(f, "cannot start the async runtime: {e}"),
			Self::Connect { url, reason } => {
				write!(f, "cannot reach the provider's RPC at {url}: {reason}")
			}
			Self::Rpc { method, reason } => write!(f, "provider RPC {method} failed: {reason}"),
			Self::Decode { method, reason } => write!(
				f,
				"cannot decode the provider's answer to {method} ({reason}): is it a frame-ics \
				 provider of the same version as this node?"
			),
			Self::UnknownConsumer(id) => write!(f, "consumer {id} is unknown on the provider"),
			Self::NotLaunched { consumer_id, phase } => write!(
				f,
				"consumer {consumer_id} is {phase:?}; its genesis exists once it launches at \
				 spawn time"
			),
			Self::Stopped { consumer_id, phase } => write!(
				f,
				"consumer {consumer_id} is {phase:?}: it no longer runs, there is no chain to \
				 build a spec for"
			),
			Self::MissingGenesis(id) => {
				write!(f, "consumer {id} is Launched but the provider returned no genesis for it")
			}
			Self::InvalidGenesis { consumer_id, reason } => {
				write!(f, "the provider's genesis of consumer {consumer_id} is invalid: {reason}")
			}
			Self::ChainId { consumer_id, reason } => {
				write!(f, "consumer {consumer_id}'s chain id is unusable: {reason}")
			}
			Self::Spec(e) => write!(f, "cannot build the chain spec: {e}"),
			Self::Output(e) => write!(f, "cannot write the chain spec: {e}"),
		}
	}
}

impl std::error::Error for Error {}

/// The provider's raw answers about one consumer, read at one finalized block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderAnswers {
	/// The provider block they were read at (its finalized head).
	pub at: H256,
	/// SCALE-encoded `Option<ConsumerInfo>`.
	pub consumer_info: Vec<u8>,
	/// SCALE-encoded `Option<ConsumerGenesis>`.
	pub consumer_genesis: Vec<u8>,
}

/// Runs `build-consumer-spec`: fetches, decodes, builds and prints the spec to stdout.
pub fn run(cmd: &BuildConsumerSpecCmd) -> Result<(), Error> {
	let code = frame_ics_consumer_runtime::WASM_BINARY.ok_or(Error::NoWasm)?;
	let answers = sc_cli::build_runtime()
		.map_err(Error::AsyncRuntime)?
		.block_on(fetch(&cmd.provider_rpc, cmd.consumer_id))?;
	let info = decode_consumer_info(&answers.consumer_info)?;
	let genesis = decode_consumer_genesis(&answers.consumer_genesis)?;
	let (chain_id, genesis) = launched_consumer(cmd.consumer_id, info, genesis)?;
	eprintln!(
		"consumer {} ({chain_id}): genesis read at provider block {:?}",
		cmd.consumer_id, answers.at
	);
	let spec = build_spec(code, &chain_id, cmd.chain_name.as_deref(), genesis);
	let json = spec_json(&spec, cmd.raw)?;
	let mut out = std::io::stdout().lock();
	writeln!(out, "{json}").and_then(|()| out.flush()).map_err(Error::Output)
}

/// Reads the provider's finalized head from its RPC at `url` (`ws://` or `wss://`), then calls
/// `CcvProviderApi_consumer_info` and `CcvProviderApi_consumer_genesis` for `consumer_id` at it.
pub async fn fetch(url: &str, consumer_id: ConsumerId) -> Result<ProviderAnswers, Error> {
	let client = WsClientBuilder::default()
		.build(url)
		.await
		.map_err(|e| Error::Connect { url: url.to_owned(), reason: e.to_string() })?;
	let at: H256 = client.request("chain_getFinalizedHead", rpc_params![]).await.map_err(|e| {
		Error::Rpc { method: "chain_getFinalizedHead".into(), reason: rpc_error_reason(e) }
	})?;
	let consumer_info = state_call(&client, CONSUMER_INFO_METHOD, consumer_id, at).await?;
	let consumer_genesis = state_call(&client, CONSUMER_GENESIS_METHOD, consumer_id, at).await?;
	Ok(ProviderAnswers { at, consumer_info, consumer_genesis })
}

/// Calls the provider's runtime API `method` with the SCALE-encoded `consumer_id` at block `at`
/// (`state_call`) and returns the SCALE-encoded answer.
async fn state_call(
	client: &WsClient,
	method: &'static str,
	consumer_id: ConsumerId,
	at: H256,
) -> Result<Vec<u8>, Error> {
	let answer: Bytes = client
		.request("state_call", rpc_params![method, Bytes(consumer_id.encode()), at])
		.await
		.map_err(|e| Error::Rpc {
			method: format!("state_call {method} at {at:?}"),
			reason: rpc_error_reason(e),
		})?;
	Ok(answer.0)
}

/// A client error as one line: for an error answer, the node's message, code and data
/// (jsonrpsee's `Display` of an error object is its `Debug` form).
fn rpc_error_reason(error: jsonrpsee::core::ClientError) -> String {
	match error {
		jsonrpsee::core::ClientError::Call(e) => match e.data() {
			Some(data) => format!("{} (code {}): {}", e.message(), e.code(), data.get()),
			None => format!("{} (code {})", e.message(), e.code()),
		},
		other => other.to_string(),
	}
}

/// Decodes the answer of `CcvProviderApi_consumer_info` (all bytes must be used).
pub fn decode_consumer_info(bytes: &[u8]) -> Result<Option<ProviderConsumerInfo>, Error> {
	Option::<ProviderConsumerInfo>::decode_all(&mut &bytes[..])
		.map_err(|e| Error::Decode { method: CONSUMER_INFO_METHOD, reason: e.to_string() })
}

/// Decodes the answer of `CcvProviderApi_consumer_genesis` (all bytes must be used).
pub fn decode_consumer_genesis(bytes: &[u8]) -> Result<Option<ConsumerGenesis>, Error> {
	Option::<ConsumerGenesis>::decode_all(&mut &bytes[..])
		.map_err(|e| Error::Decode { method: CONSUMER_GENESIS_METHOD, reason: e.to_string() })
}

/// The chain id and genesis of a launched consumer, from the decoded answers; an error naming
/// the consumer's phase if it is not launched, or if its genesis or chain id is unusable.
pub fn launched_consumer(
	consumer_id: ConsumerId,
	info: Option<ProviderConsumerInfo>,
	genesis: Option<ConsumerGenesis>,
) -> Result<(String, ConsumerGenesis), Error> {
	let info = info.ok_or(Error::UnknownConsumer(consumer_id))?;
	match info.phase {
		ConsumerPhase::Launched => {}
		phase @ (ConsumerPhase::Registered | ConsumerPhase::Initialized) => {
			return Err(Error::NotLaunched { consumer_id, phase })
		}
		phase @ (ConsumerPhase::Stopped | ConsumerPhase::Deleted) => {
			return Err(Error::Stopped { consumer_id, phase })
		}
	}
	let genesis = genesis.ok_or(Error::MissingGenesis(consumer_id))?;
	genesis.validate().map_err(|e| Error::InvalidGenesis { consumer_id, reason: e.to_string() })?;
	let chain_id = String::from_utf8(info.chain_id.into_inner())
		.map_err(|e| Error::ChainId { consumer_id, reason: e.to_string() })?;
	if chain_id.is_empty() {
		return Err(Error::ChainId { consumer_id, reason: "it is empty".into() });
	}
	Ok((chain_id, genesis))
}

/// The network protocol id of a consumer chain: `frame-ics-` and its chain id, lowercased, with
/// every character other than an ASCII letter or digit replaced by `-`.
pub fn protocol_id(chain_id: &str) -> String {
	let id: String = chain_id
		.chars()
		.map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
		.collect();
	format!("frame-ics-{id}")
}

/// The chain spec of consumer chain `chain_id` with `genesis` (from its provider) and the runtime
/// WASM `code`: named `chain_name` (default `frame-ics consumer (<chain id>)`), chain type
/// `Local`, the genesis patch of [`dev_accounts_genesis_patch`].
pub fn build_spec(
	code: &[u8],
	chain_id: &str,
	chain_name: Option<&str>,
	genesis: ConsumerGenesis,
) -> chain_spec::ChainSpec {
	let name = chain_name.map_or_else(|| format!("frame-ics consumer ({chain_id})"), str::to_owned);
	chain_spec::ChainSpec::builder(code, Default::default())
		.with_name(&name)
		.with_id(chain_id)
		.with_chain_type(ChainType::Local)
		.with_protocol_id(&protocol_id(chain_id))
		.with_properties(chain_spec::properties(true))
		.with_genesis_config_patch(dev_accounts_genesis_patch(chain_id.to_owned(), genesis))
		.build()
}

/// The spec as JSON; `raw` builds the genesis storage by running the spec's WASM (so it needs
/// the real consumer runtime) and emits it with the `:code` key.
pub fn spec_json(spec: &chain_spec::ChainSpec, raw: bool) -> Result<String, Error> {
	spec.as_json(raw).map_err(Error::Spec)
}

#[cfg(test)]
mod tests {
	use super::*;
	use ccv_primitives::ValidatorUpdate;
	use frame_ics_consumer_runtime::genesis_config_presets::{
		consumer_key, preset_consumer_genesis, preset_provider_client_states,
	};
	use jsonrpsee::{
		server::{RpcModule, Server, ServerHandle},
		types::ErrorObjectOwned,
	};
	use pallet_ccv_provider::{InfractionParams, PowerShapingParams};
	use serde_json::Value;
	use sp_core::{bytes::to_hex, Pair};
	use sp_io::hashing::twox_128;

	/// A valid consumer genesis: Alice's and Bob's consumer keys, a provider client of
	/// `provider-local`.
	fn genesis() -> ConsumerGenesis {
		let set = ["Alice", "Bob"]
			.iter()
			.map(|n| ValidatorUpdate { key: consumer_key(n).unwrap(), power: 10 })
			.collect();
		let states = preset_provider_client_states("provider-local", &["Alice"]).unwrap();
		preset_consumer_genesis(set, states).unwrap()
	}

	/// A consumer record in `phase` with chain id `chain_id`.
	fn info(phase: ConsumerPhase, chain_id: &str) -> ProviderConsumerInfo {
		ConsumerInfo {
			consumer_id: 0,
			phase,
			chain_id: chain_id.as_bytes().to_vec().try_into().unwrap(),
			owner: None,
			metadata: Default::default(),
			init_params: None,
			power_shaping: PowerShapingParams::default(),
			infraction_params: InfractionParams::default(),
			client_id: None,
			channel_id: None,
			min_power_in_top_n: None,
			validators: 2,
		}
	}

	/// The plain spec's genesis patch.
	fn patch_of(spec: &chain_spec::ChainSpec) -> Value {
		let json: Value = serde_json::from_str(&spec_json(spec, false).unwrap()).unwrap();
		json["genesis"]["runtimeGenesis"]["patch"].clone()
	}

	#[test]
	fn answers_decode_as_the_provider_runtime_types() {
		let launched = info(ConsumerPhase::Launched, "consumer-7");
		assert_eq!(decode_consumer_info(&Some(launched.clone()).encode()).unwrap(), Some(launched));
		assert_eq!(decode_consumer_info(&[0]).unwrap(), None);
		assert_eq!(decode_consumer_genesis(&Some(genesis()).encode()).unwrap(), Some(genesis()));
		assert_eq!(decode_consumer_genesis(&[0]).unwrap(), None);
	}

	#[test]
	fn garbage_answers_are_decode_errors() {
		for bytes in [&b""[..], &[2], &[1, 0xff, 0xff], &[0, 0]] {
			assert!(
				matches!(
					decode_consumer_info(bytes),
					Err(Error::Decode { method: CONSUMER_INFO_METHOD, .. })
				),
				"{bytes:?}"
			);
			assert!(
				matches!(
					decode_consumer_genesis(bytes),
					Err(Error::Decode { method: CONSUMER_GENESIS_METHOD, .. })
				),
				"{bytes:?}"
			);
		}
		// A valid answer with a trailing byte is refused too.
		let mut bytes = Some(genesis()).encode();
		bytes.push(0);
		assert!(decode_consumer_genesis(&bytes).is_err());
	}

	#[test]
	fn a_launched_consumer_gives_its_chain_id_and_genesis() {
		let (chain_id, got) = launched_consumer(
			0,
			Some(info(ConsumerPhase::Launched, "consumer-7")),
			Some(genesis()),
		)
		.unwrap();
		assert_eq!(chain_id, "consumer-7");
		assert_eq!(got, genesis());
	}

	#[test]
	fn a_consumer_without_genesis_is_an_error_naming_its_phase() {
		let err =
			launched_consumer(0, Some(info(ConsumerPhase::Initialized, "c")), None).unwrap_err();
		assert!(matches!(
			err,
			Error::NotLaunched { consumer_id: 0, phase: ConsumerPhase::Initialized }
		));
		assert_eq!(
			err.to_string(),
			"consumer 0 is Initialized; its genesis exists once it launches at spawn time"
		);
		let err =
			launched_consumer(0, Some(info(ConsumerPhase::Registered, "c")), None).unwrap_err();
		assert!(err.to_string().starts_with("consumer 0 is Registered;"), "{err}");
		for phase in [ConsumerPhase::Stopped, ConsumerPhase::Deleted] {
			let err = launched_consumer(0, Some(info(phase, "c")), Some(genesis())).unwrap_err();
			assert!(matches!(err, Error::Stopped { .. }), "{err}");
			assert!(err.to_string().contains(&format!("{phase:?}")), "{err}");
		}
		let err = launched_consumer(0, Some(info(ConsumerPhase::Launched, "c")), None).unwrap_err();
		assert!(matches!(err, Error::MissingGenesis(0)), "{err}");
	}

	#[test]
	fn unknown_consumers_bad_chain_ids_and_invalid_geneses_are_errors() {
		let err = launched_consumer(3, None, None).unwrap_err();
		assert!(matches!(err, Error::UnknownConsumer(3)));
		assert_eq!(err.to_string(), "consumer 3 is unknown on the provider");

		let mut bad_id = info(ConsumerPhase::Launched, "");
		let err = launched_consumer(0, Some(bad_id.clone()), Some(genesis())).unwrap_err();
		assert!(matches!(err, Error::ChainId { .. }), "{err}");
		bad_id.chain_id = vec![0xff, 0xfe].try_into().unwrap();
		let err = launched_consumer(0, Some(bad_id), Some(genesis())).unwrap_err();
		assert!(matches!(err, Error::ChainId { .. }), "{err}");

		let mut empty_set = genesis();
		empty_set.initial_validator_set = Default::default();
		let err = launched_consumer(0, Some(info(ConsumerPhase::Launched, "c")), Some(empty_set))
			.unwrap_err();
		assert!(matches!(err, Error::InvalidGenesis { .. }), "{err}");
	}

	#[test]
	fn the_spec_carries_the_providers_genesis_and_the_chain_id() {
		let spec = build_spec(b"not really wasm", "consumer-7", None, genesis());
		let json: Value = serde_json::from_str(&spec_json(&spec, false).unwrap()).unwrap();
		assert_eq!(json["id"], "consumer-7");
		assert_eq!(json["name"], "frame-ics consumer (consumer-7)");
		assert_eq!(json["chainType"], "Local");
		assert_eq!(json["protocolId"], "frame-ics-consumer-7");
		assert_eq!(json["properties"][chain_spec::CCV_ROLE_PROPERTY], "consumer");
		assert_eq!(json["genesis"]["runtimeGenesis"]["code"], to_hex(b"not really wasm", false));
		let patch = patch_of(&spec);
		assert_eq!(patch["chainIdentity"]["chainId"], "consumer-7");
		assert_eq!(
			patch["ccvConsumer"]["consumerGenesis"],
			serde_json::to_value(genesis()).unwrap()
		);
		let from_json: ConsumerGenesis =
			serde_json::from_value(patch["ccvConsumer"]["consumerGenesis"].clone()).unwrap();
		assert_eq!(from_json, genesis());
		// The dev accounts, as in the presets.
		let alice = sp_core::sr25519::Pair::from_string("//Alice", None).unwrap().public();
		let alice = frame_ics_consumer_runtime::AccountId::from(alice);
		assert_eq!(patch["sudo"]["key"], serde_json::to_value(alice).unwrap());

		// The spec loads back as the node loads `--chain <file>`.
		let loaded =
			chain_spec::ChainSpec::from_json_bytes(spec_json(&spec, false).unwrap().into_bytes())
				.unwrap();
		assert_eq!(loaded.id(), "consumer-7");
		assert!(chain_spec::is_consumer_spec(&loaded));
		assert_eq!(patch_of(&loaded), patch);
	}

	#[test]
	fn the_chain_name_and_protocol_id_follow_the_options() {
		let spec = build_spec(b"x", "My.Consumer_1", Some("my consumer"), genesis());
		assert_eq!(spec.name(), "my consumer");
		assert_eq!(spec.protocol_id(), Some("frame-ics-my-consumer-1"));
	}

	#[test]
	fn the_raw_spec_has_the_code_and_the_genesis_state() {
		// The raw genesis is built by running the consumer runtime: it needs the real WASM.
		let Some(code) = frame_ics_consumer_runtime::WASM_BINARY else {
			eprintln!("skipped: built with SKIP_WASM_BUILD, no consumer runtime WASM");
			return;
		};
		let spec = build_spec(code, "consumer-7", None, genesis());
		let json: Value = serde_json::from_str(&spec_json(&spec, true).unwrap()).unwrap();
		let top = json["genesis"]["raw"]["top"].as_object().unwrap();
		assert_eq!(top["0x3a636f6465"], to_hex(code, false), ":code is the consumer runtime");
		// ChainIdentity::ChainId holds the chain id (a BoundedVec: compact length + bytes).
		let key = [twox_128(b"ChainIdentity"), twox_128(b"ChainId")].concat();
		assert_eq!(top[&to_hex(&key, false)], to_hex(&b"consumer-7".to_vec().encode(), false));
	}

	#[test]
	fn a_raw_spec_of_no_runtime_is_an_error() {
		let spec = build_spec(b"not really wasm", "consumer-7", None, genesis());
		assert!(matches!(spec_json(&spec, true), Err(Error::Spec(_))));
	}

	/// Serves the two RPC methods of a provider node: finalized head `at`; the runtime API
	/// answers `info` and `genesis` for consumer 5 at `at` only (anything else is an RPC error).
	async fn fake_provider(at: H256, info: Vec<u8>, genesis: Vec<u8>) -> (String, ServerHandle) {
		let mut module = RpcModule::new(());
		module
			.register_method("chain_getFinalizedHead", move |_, _, _| Ok::<_, ErrorObjectOwned>(at))
			.unwrap();
		module
			.register_method("state_call", move |params, _, _| {
				let (method, data, block): (String, Bytes, Option<H256>) = params.parse()?;
				let wrong =
					|what: &str| ErrorObjectOwned::owned(-32602, what.to_owned(), None::<()>);
				if block != Some(at) {
					return Err(wrong("not at the finalized head"));
				}
				if data.0 != 5u64.encode() {
					return Err(wrong("not consumer 5"));
				}
				match method.as_str() {
					CONSUMER_INFO_METHOD => Ok(Bytes(info.clone())),
					CONSUMER_GENESIS_METHOD => Ok(Bytes(genesis.clone())),
					_ => Err(wrong("Exported method not found")),
				}
			})
			.unwrap();
		let server = Server::builder().build("127.0.0.1:0").await.unwrap();
		let url = format!("ws://{}", server.local_addr().unwrap());
		(url, server.start(module))
	}

	#[test]
	fn fetch_reads_both_answers_at_the_finalized_head() {
		let at = H256::repeat_byte(7);
		let info_bytes = Some(info(ConsumerPhase::Launched, "consumer-7")).encode();
		let genesis_bytes = Some(genesis()).encode();
		let runtime = sc_cli::build_runtime().unwrap();
		let answers = runtime.block_on(async {
			let (url, _server) = fake_provider(at, info_bytes.clone(), genesis_bytes.clone()).await;
			fetch(&url, 5).await
		});
		let answers = answers.unwrap();
		assert_eq!(
			answers,
			ProviderAnswers { at, consumer_info: info_bytes, consumer_genesis: genesis_bytes }
		);
		// Another consumer id: the provider's RPC error is reported, naming the method.
		let err = runtime
			.block_on(async {
				let (url, _server) = fake_provider(at, vec![0], vec![0]).await;
				fetch(&url, 6).await
			})
			.unwrap_err();
		assert!(matches!(err, Error::Rpc { .. }), "{err}");
		assert!(err.to_string().contains(CONSUMER_INFO_METHOD), "{err}");
		assert!(err.to_string().ends_with("failed: not consumer 5 (code -32602)"), "{err}");
	}

	#[test]
	fn an_unreachable_provider_is_a_connect_error() {
		// A port that was free a moment ago: nothing listens there.
		let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
		let url = format!("ws://127.0.0.1:{port}");
		let err = sc_cli::build_runtime().unwrap().block_on(fetch(&url, 0)).unwrap_err();
		assert!(matches!(err, Error::Connect { .. }), "{err}");
		assert!(err.to_string().starts_with(&format!("cannot reach the provider's RPC at {url}")));
	}
}
