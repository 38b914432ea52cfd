//! Built-in chain specifications: the presets of both runtimes, and chain-spec files.

use sc_service::{ChainType, Properties};

/// Chain specification type of both chains (no extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

/// The chains built into the node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuiltIn {
	/// Provider, single validator (`//Alice`).
	ProviderDev,
	/// Provider, three validators (`//Alice`, `//Bob`, `//Charlie`).
	ProviderLocal,
	/// Consumer, single validator (consumer key `//Alice//consumer`).
	ConsumerDev,
	/// Consumer, three validators (consumer keys `//<Name>//consumer`).
	ConsumerLocal,
}

impl BuiltIn {
	/// The built-in chain named `id` (`dev` is `provider-dev`, the empty name `provider-local`).
	pub fn from_id(id: &str) -> Option<Self> {
		Some(match id {
			"provider-dev" | "dev" => Self::ProviderDev,
			"provider-local" | "" => Self::ProviderLocal,
			"consumer-dev" => Self::ConsumerDev,
			"consumer-local" => Self::ConsumerLocal,
			_ => return None,
		})
	}

	/// Chain id (also the name of the chain's directory under the base path).
	pub fn id(self) -> &'static str {
		match self {
			Self::ProviderDev => "provider-dev",
			Self::ProviderLocal => "provider-local",
			Self::ConsumerDev => "consumer-dev",
			Self::ConsumerLocal => "consumer-local",
		}
	}

	/// Human-readable chain name.
	fn name(self) -> &'static str {
		match self {
			Self::ProviderDev => "frame-ics provider (dev)",
			Self::ProviderLocal => "frame-ics provider (local)",
			Self::ConsumerDev => "frame-ics consumer (dev)",
			Self::ConsumerLocal => "frame-ics consumer (local)",
		}
	}

	/// Whether this is a consumer chain.
	fn is_consumer(self) -> bool {
		matches!(self, Self::ConsumerDev | Self::ConsumerLocal)
	}

	/// The runtime genesis preset behind this chain.
	fn preset(self) -> &'static str {
		use frame_ics_consumer_runtime::genesis_config_presets as consumer;
		use frame_ics_provider_runtime::genesis_config_presets as provider;
		match self {
			Self::ProviderDev => provider::DEVELOPMENT_PRESET,
			Self::ProviderLocal => provider::LOCAL_PRESET,
			Self::ConsumerDev => consumer::DEVELOPMENT_PRESET,
			Self::ConsumerLocal => consumer::LOCAL_PRESET,
		}
	}

	/// Builds the chain spec from the runtime's WASM and preset.
	pub fn chain_spec(self) -> Result<ChainSpec, String> {
		let (code, runtime, protocol_id) = if self.is_consumer() {
			(frame_ics_consumer_runtime::WASM_BINARY, "consumer", "frame-ics-consumer")
		} else {
			(frame_ics_provider_runtime::WASM_BINARY, "provider", "frame-ics-provider")
		};
		let code = code.ok_or_else(|| {
			format!(
				"the {runtime} runtime's WASM is not embedded in this binary (built with \
				 SKIP_WASM_BUILD?): rebuild without it"
			)
		})?;
		let chain_type = match self {
			Self::ProviderDev | Self::ConsumerDev => ChainType::Development,
			Self::ProviderLocal | Self::ConsumerLocal => ChainType::Local,
		};
		Ok(ChainSpec::builder(code, Default::default())
			.with_name(self.name())
			.with_id(self.id())
			.with_chain_type(chain_type)
			.with_protocol_id(protocol_id)
			.with_properties(properties(self.is_consumer()))
			.with_genesis_config_preset_name(self.preset())
			.build())
	}
}

/// Chain-spec property naming the chain's CCV role (`"provider"` or `"consumer"`).
pub const CCV_ROLE_PROPERTY: &str = "ccvRole";

/// Token properties shown by wallets (12 decimals, generic SS58 prefix) and the CCV role.
pub fn properties(is_consumer: bool) -> Properties {
	let mut properties = Properties::new();
	let role = if is_consumer { "consumer" } else { "provider" };
	properties.insert(CCV_ROLE_PROPERTY.into(), role.into());
	properties.insert("tokenSymbol".into(), "UNIT".into());
	properties.insert("tokenDecimals".into(), 12.into());
	properties.insert("ss58Format".into(), 42.into());
	properties
}

/// Loads the chain spec named by `--chain`: a built-in chain or a JSON file.
pub fn load_spec(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match BuiltIn::from_id(id) {
		Some(chain) => Box::new(chain.chain_spec()?),
		None => Box::new(ChainSpec::from_json_file(std::path::PathBuf::from(id))?),
	})
}

/// Whether `spec` is a consumer chain's, by its `ccvRole` property (kept in raw specs too).
pub fn is_consumer_spec(spec: &dyn sc_service::ChainSpec) -> bool {
	spec.properties().get(CCV_ROLE_PROPERTY).and_then(|role| role.as_str()) == Some("consumer")
}

/// On a consumer chain, turns the dev seed of `--alice`/`--bob`/... into that validator's consumer
/// key seed (`//Alice` -> `//Alice//consumer`), so the dev flags insert consumer keys and never the
/// provider's (DESIGN §2). Provider chains keep the seed as it is.
pub fn consumer_dev_key_seed(is_consumer: bool, seed: Option<String>) -> Option<String> {
	match seed {
		Some(seed) if is_consumer => Some(format!("{seed}//consumer")),
		other => other,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn consumer_dev_seed_gets_the_consumer_path() {
		assert_eq!(
			consumer_dev_key_seed(true, Some("//Alice".into())).as_deref(),
			Some("//Alice//consumer")
		);
		assert_eq!(
			consumer_dev_key_seed(false, Some("//Alice".into())).as_deref(),
			Some("//Alice")
		);
		assert_eq!(consumer_dev_key_seed(true, None), None);
	}
}
