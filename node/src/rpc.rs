//! The node's RPC extensions: `system_*` (account nonce, dry run), `payment_*` (fee queries),
//! `grandpa_*` (round state, justification subscription, `grandpa_proveFinality`) and `ibc_*`
//! (pallet-ibc reads and proofs, `pallet-ibc-rpc`), on top of the standard Substrate RPC set that
//! `sc-service` installs.

use crate::service::{FullBackend, FullClient, FullPool};
use frame_ics_provider_runtime::opaque::Block;
use jsonrpsee::RpcModule;
use sc_consensus_grandpa::{
	FinalityProofProvider, GrandpaJustificationStream, SharedAuthoritySet, SharedVoterState,
};
use sc_rpc::SubscriptionTaskExecutor;
use sp_runtime::traits::{Block as BlockT, NumberFor};
use std::sync::Arc;

/// What the GRANDPA RPC reads.
#[derive(Clone)]
pub struct GrandpaDeps {
	/// The voter's round state.
	pub shared_voter_state: SharedVoterState,
	/// The authority set the node tracks.
	pub shared_authority_set: SharedAuthoritySet<<Block as BlockT>::Hash, NumberFor<Block>>,
	/// Stream of justifications of finalized blocks.
	pub justification_stream: GrandpaJustificationStream<Block>,
	/// Builds finality proofs (`grandpa_proveFinality`).
	pub finality_provider: Arc<FinalityProofProvider<FullBackend, Block>>,
}

/// Everything the RPC extensions need.
pub struct FullDeps {
	/// The client.
	pub client: Arc<FullClient>,
	/// The transaction pool.
	pub pool: Arc<FullPool>,
	/// GRANDPA state.
	pub grandpa: GrandpaDeps,
	/// Executor for subscriptions.
	pub subscription_executor: SubscriptionTaskExecutor,
}

/// Builds the node's RPC extensions.
pub fn create_full(
	deps: FullDeps,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>> {
	use pallet_ibc_rpc::{Ibc, IbcApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use sc_consensus_grandpa_rpc::{Grandpa, GrandpaApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let FullDeps { client, pool, grandpa, subscription_executor } = deps;
	let mut module = RpcModule::new(());
	// Runtime-API type parameters (account, nonce, balance) are inferred from the client's API.
	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Ibc::new(client).into_rpc())?;
	module.merge(
		Grandpa::new(
			subscription_executor,
			grandpa.shared_authority_set,
			grandpa.shared_voter_state,
			grandpa.justification_stream,
			grandpa.finality_provider,
		)
		.into_rpc(),
	)?;
	Ok(module)
}
