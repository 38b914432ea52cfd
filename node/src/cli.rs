//! Command line: the node's run options and its subcommands.

/// `frame-ics-node` command line.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A subcommand; without one the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Options of a running node.
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,
}

/// Subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once at startup")]
pub enum Subcommand {
	/// Key management (generate, inspect, insert into a node's keystore, node keys).
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (`--raw` for the raw genesis storage).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export a chain specification without a database or network key.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Build a launched consumer chain's chain spec from its genesis on a live provider.
	BuildConsumerSpec(BuildConsumerSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}

/// `build-consumer-spec`: prints to stdout the chain spec of a consumer chain the provider has
/// launched: the consumer runtime with the consumer genesis read from the provider's finalized
/// state (`CcvProviderApi`), its chain id, and the dev accounts (for dev and test networks).
#[derive(Debug, Clone, clap::Parser)]
pub struct BuildConsumerSpecCmd {
	/// WebSocket RPC endpoint of a provider node, e.g. `ws://127.0.0.1:9944`.
	#[arg(long, value_name = "URL")]
	pub provider_rpc: String,

	/// The consumer's id on the provider.
	#[arg(long, value_name = "ID")]
	pub consumer_id: ccv_primitives::ConsumerId,

	/// Emit the raw genesis storage (built by the consumer runtime) instead of the genesis patch.
	#[arg(long)]
	pub raw: bool,

	/// The chain's name in the spec [default: `frame-ics consumer (<chain id>)`].
	#[arg(long, value_name = "NAME")]
	pub chain_name: Option<String>,
}
