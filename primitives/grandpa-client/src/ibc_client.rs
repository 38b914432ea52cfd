//! ibc-rs 0.57 integration: the light-client traits for [`ClientState`], the consensus-state
//! trait for [`IbcConsensusState`], and their protobuf `Any` forms.
//!
//! - **Type URLs** ([`CLIENT_STATE_TYPE_URL`], [`CONSENSUS_STATE_TYPE_URL`], [`HEADER_TYPE_URL`],
//!   [`MISBEHAVIOUR_TYPE_URL`]): the `Any` *value* is the SCALE encoding of [`ClientState`],
//!   [`ConsensusState`], [`GrandpaHeader`] and [`Misbehaviour`], not protobuf; decoding rejects
//!   trailing bytes.
//! - **Heights**: `Height { revision_number: 0, revision_height: block number }`. ibc-rs heights
//!   start at 1, so a client started at genesis (block 0) reports height 1 until its first
//!   update, and its initial consensus state, stored there, must have an all-zero root, which
//!   no proof verifies against.
//! - **Proofs**: the wire form of [`ChildTrieProof`]; the commitment prefix must be
//!   [`COMMITMENT_PREFIX`] (pallet-ibc's child trie) and the key is the raw ICS-24 path.
//! - **Updates** carry a [`GrandpaHeader`] or a [`Misbehaviour`]; `update_state` prunes
//!   consensus states older than the trusting period (never the latest) and hands a replaced
//!   authority set to the host to keep. The host context must also implement
//!   [`PastAuthoritySets`] (validation) and [`KeepPastAuthoritySets`] (execution). Upgrades are not
//!   supported (solo chains keep their chain id); governance recovery takes a substitute client
//!   of the same chain.

use crate::{
	client_state::ClientState,
	consensus_state::ConsensusState,
	error::Error,
	header::{apply_update, verify_update, GrandpaHeader},
	misbehaviour::{verify_misbehaviour, Misbehaviour},
	past_sets::{KeepPastAuthoritySets, PastAuthoritySets},
	proof::{verify_membership, verify_non_membership, ChildTrieProof},
	types::{decode_exact, BlockNumber, REVISION_NUMBER},
};
use alloc::{
	format,
	string::{String, ToString},
	vec,
	vec::Vec,
};
use codec::Encode;
use ibc_core::{
	client::{
		context::{
			client_state::{ClientStateCommon, ClientStateExecution, ClientStateValidation},
			consensus_state::ConsensusState as ConsensusStateTrait,
			Convertible, ExtClientExecutionContext, ExtClientValidationContext,
		},
		types::{error::ClientError, Height, Status},
	},
	commitment_types::commitment::{CommitmentPrefix, CommitmentProofBytes, CommitmentRoot},
	host::types::{
		error::DecodingError,
		identifiers::{ClientId, ClientType},
		path::{ClientConsensusStatePath, ClientStatePath, Path, PathBytes},
	},
	primitives::{proto::Any, Timestamp},
};

/// The client type, and so the prefix of client ids (`10-grandpa-0`).
pub const CLIENT_TYPE: &str = "10-grandpa";
/// Type URL of a SCALE-encoded [`ClientState`].
pub const CLIENT_STATE_TYPE_URL: &str = "/frame_ics.lightclients.grandpa.v1.ClientState";
/// Type URL of a SCALE-encoded [`ConsensusState`].
pub const CONSENSUS_STATE_TYPE_URL: &str = "/frame_ics.lightclients.grandpa.v1.ConsensusState";
/// Type URL of a SCALE-encoded [`GrandpaHeader`] (a client update).
pub const HEADER_TYPE_URL: &str = "/frame_ics.lightclients.grandpa.v1.Header";
/// Type URL of a SCALE-encoded [`Misbehaviour`].
pub const MISBEHAVIOUR_TYPE_URL: &str = "/frame_ics.lightclients.grandpa.v1.Misbehaviour";
/// The commitment prefix proofs are made under: the name of pallet-ibc's child trie.
pub const COMMITMENT_PREFIX: &[u8] = b"ibc";

/// The ibc-rs height of block `number` (block 0, a genesis client's start, reports as 1).
pub fn ibc_height(number: BlockNumber) -> Height {
	Height::min(REVISION_NUMBER).add(u64::from(number.saturating_sub(1)))
}

/// The block number of an ibc-rs height of the tracked chain.
pub fn block_number(height: &Height) -> Result<BlockNumber, ClientError> {
	if height.revision_number() != REVISION_NUMBER {
		return Err(ClientError::InvalidHeight);
	}
	BlockNumber::try_from(height.revision_height()).map_err(|_| ClientError::InvalidHeight)
}

/// The ibc-rs client type of this client.
pub fn client_type() -> ClientType {
	#[allow(clippy::expect_used)] // A constant, valid by test.
	ClientType::new(CLIENT_TYPE).expect("valid client type")
}

fn client_error(e: Error) -> ClientError {
	ClientError::ClientSpecific { description: e.to_string() }
}

fn decode_any<T: codec::Decode>(
	any: &Any,
	type_url: &str,
	what: &'static str,
) -> Result<T, DecodingError> {
	if any.type_url != type_url {
		return Err(DecodingError::MismatchedResourceName {
			expected: type_url.into(),
			actual: any.type_url.clone(),
		});
	}
	decode_exact(&any.value, what).map_err(|e| DecodingError::invalid_raw_data(e.to_string()))
}

impl From<ClientState> for Any {
	fn from(state: ClientState) -> Self {
		Any { type_url: CLIENT_STATE_TYPE_URL.into(), value: state.encode() }
	}
}

impl TryFrom<Any> for ClientState {
	type Error = DecodingError;

	fn try_from(any: Any) -> Result<Self, Self::Error> {
		let state: ClientState = decode_any(&any, CLIENT_STATE_TYPE_URL, "client state")?;
		state.validate().map_err(|e| DecodingError::invalid_raw_data(e.to_string()))?;
		Ok(state)
	}
}

impl From<GrandpaHeader> for Any {
	fn from(header: GrandpaHeader) -> Self {
		Any { type_url: HEADER_TYPE_URL.into(), value: header.encode() }
	}
}

impl TryFrom<Any> for GrandpaHeader {
	type Error = DecodingError;

	fn try_from(any: Any) -> Result<Self, Self::Error> {
		decode_any(&any, HEADER_TYPE_URL, "header")
	}
}

impl From<Misbehaviour> for Any {
	fn from(misbehaviour: Misbehaviour) -> Self {
		Any { type_url: MISBEHAVIOUR_TYPE_URL.into(), value: misbehaviour.encode() }
	}
}

impl TryFrom<Any> for Misbehaviour {
	type Error = DecodingError;

	fn try_from(any: Any) -> Result<Self, Self::Error> {
		decode_any(&any, MISBEHAVIOUR_TYPE_URL, "misbehaviour")
	}
}

/// A [`ConsensusState`] as ibc-rs sees it (it hands out the root by reference).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IbcConsensusState {
	state: ConsensusState,
	root: CommitmentRoot,
}

impl IbcConsensusState {
	/// The consensus state.
	pub fn state(&self) -> &ConsensusState {
		&self.state
	}
}

impl From<ConsensusState> for IbcConsensusState {
	fn from(state: ConsensusState) -> Self {
		Self { root: CommitmentRoot::from_bytes(&state.ibc_root), state }
	}
}

impl From<IbcConsensusState> for ConsensusState {
	fn from(state: IbcConsensusState) -> Self {
		state.state
	}
}

impl ConsensusStateTrait for IbcConsensusState {
	fn root(&self) -> &CommitmentRoot {
		&self.root
	}

	fn timestamp(&self) -> Result<Timestamp, ClientError> {
		Ok(Timestamp::from_nanoseconds(self.state.timestamp_ns))
	}
}

impl From<IbcConsensusState> for Any {
	fn from(state: IbcConsensusState) -> Self {
		Any { type_url: CONSENSUS_STATE_TYPE_URL.into(), value: state.state.encode() }
	}
}

impl TryFrom<Any> for IbcConsensusState {
	type Error = DecodingError;

	fn try_from(any: Any) -> Result<Self, Self::Error> {
		let state: ConsensusState = decode_any(&any, CONSENSUS_STATE_TYPE_URL, "consensus state")?;
		Ok(state.into())
	}
}

/// Decodes a consensus state from its `Any` form.
fn decode_consensus_state(any: Any) -> Result<ConsensusState, DecodingError> {
	<IbcConsensusState as TryFrom<Any>>::try_from(any).map(ConsensusState::from)
}

fn root_bytes(root: &CommitmentRoot) -> Result<[u8; 32], ClientError> {
	<[u8; 32]>::try_from(root.as_bytes()).map_err(|_| client_error(Error::InvalidProof))
}

fn child_trie_proof(
	prefix: &CommitmentPrefix,
	proof: &CommitmentProofBytes,
) -> Result<ChildTrieProof, ClientError> {
	if prefix.as_bytes() != COMMITMENT_PREFIX {
		return Err(ClientError::ClientSpecific {
			description: format!("commitment prefix {:?} is not the ibc child trie", prefix),
		});
	}
	let bytes: &[u8] = proof.as_ref();
	ChildTrieProof::decode_wire(bytes).map_err(client_error)
}

impl ClientStateCommon for ClientState {
	fn verify_consensus_state(
		&self,
		consensus_state: Any,
		_host_timestamp: &Timestamp,
	) -> Result<(), ClientError> {
		decode_consensus_state(consensus_state)?;
		Ok(())
	}

	fn client_type(&self) -> ClientType {
		client_type()
	}

	fn latest_height(&self) -> Height {
		ibc_height(self.latest_height)
	}

	fn validate_proof_height(&self, proof_height: Height) -> Result<(), ClientError> {
		self.ensure_not_frozen().map_err(client_error)?;
		let latest = ibc_height(self.latest_height);
		if proof_height.revision_number() != REVISION_NUMBER || proof_height > latest {
			return Err(ClientError::InsufficientProofHeight {
				expected: latest,
				actual: proof_height,
			});
		}
		Ok(())
	}

	fn verify_upgrade_client(
		&self,
		_upgraded_client_state: Any,
		_upgraded_consensus_state: Any,
		_proof_upgrade_client: CommitmentProofBytes,
		_proof_upgrade_consensus_state: CommitmentProofBytes,
		_root: &CommitmentRoot,
	) -> Result<(), ClientError> {
		Err(ClientError::ClientSpecific {
			description: "GRANDPA clients do not support upgrades".into(),
		})
	}

	fn serialize_path(&self, path: Path) -> Result<PathBytes, ClientError> {
		Ok(PathBytes::from_bytes(path.to_string()))
	}

	fn verify_membership_raw(
		&self,
		prefix: &CommitmentPrefix,
		proof: &CommitmentProofBytes,
		root: &CommitmentRoot,
		path: PathBytes,
		value: Vec<u8>,
	) -> Result<(), ClientError> {
		self.ensure_not_frozen().map_err(client_error)?;
		let proof = child_trie_proof(prefix, proof)?;
		verify_membership(&root_bytes(root)?, &proof, path.as_ref(), &value).map_err(client_error)
	}

	fn verify_non_membership_raw(
		&self,
		prefix: &CommitmentPrefix,
		proof: &CommitmentProofBytes,
		root: &CommitmentRoot,
		path: PathBytes,
	) -> Result<(), ClientError> {
		self.ensure_not_frozen().map_err(client_error)?;
		let proof = child_trie_proof(prefix, proof)?;
		verify_non_membership(&root_bytes(root)?, &proof, path.as_ref()).map_err(client_error)
	}
}

/// The client's consensus state at block `number`, read through the host context.
fn consensus_state_at<V>(
	ctx: &V,
	client_id: &ClientId,
	number: BlockNumber,
) -> Result<ConsensusState, ClientError>
where
	V: ExtClientValidationContext,
	IbcConsensusState: Convertible<V::ConsensusStateRef>,
	<IbcConsensusState as TryFrom<V::ConsensusStateRef>>::Error: Into<ClientError>,
{
	let height = ibc_height(number);
	let path = ClientConsensusStatePath::new(
		client_id.clone(),
		height.revision_number(),
		height.revision_height(),
	);
	let state = ctx.consensus_state(&path)?;
	let state = <IbcConsensusState as TryFrom<V::ConsensusStateRef>>::try_from(state)
		.map_err(Into::into)?;
	Ok(ConsensusState::from(state))
}

impl<V> ClientStateValidation<V> for ClientState
where
	V: ExtClientValidationContext + PastAuthoritySets,
	IbcConsensusState: Convertible<V::ConsensusStateRef>,
	<IbcConsensusState as TryFrom<V::ConsensusStateRef>>::Error: Into<ClientError>,
{
	fn verify_client_message(
		&self,
		ctx: &V,
		client_id: &ClientId,
		client_message: Any,
	) -> Result<(), ClientError> {
		match client_message.type_url.as_str() {
			HEADER_TYPE_URL => {
				let header = GrandpaHeader::try_from(client_message)?;
				let latest = consensus_state_at(ctx, client_id, self.latest_height)?;
				let now_ns = ctx.host_timestamp()?.nanoseconds();
				verify_update(self, &latest, &header, now_ns)
					.map(|_| ())
					.map_err(|e| ClientError::FailedToVerifyHeader { description: e.to_string() })
			}
			MISBEHAVIOUR_TYPE_URL => {
				let misbehaviour = Misbehaviour::try_from(client_message)?;
				verify_misbehaviour(self, &misbehaviour, |set_id| {
					ctx.past_authority_set(client_id, set_id)
				})
				.map(|_| ())
				.map_err(|e| ClientError::FailedToHandleMisbehaviour { description: e.to_string() })
			}
			_ => Err(ClientError::InvalidUpdateClientMessage),
		}
	}

	/// Headers never prove misbehaviour here (a header at a known height is refused as not
	/// newer); a [`Misbehaviour`] that passed `verify_client_message` always does.
	fn check_for_misbehaviour(
		&self,
		_ctx: &V,
		_client_id: &ClientId,
		client_message: Any,
	) -> Result<bool, ClientError> {
		match client_message.type_url.as_str() {
			HEADER_TYPE_URL => GrandpaHeader::try_from(client_message).map(|_| false),
			MISBEHAVIOUR_TYPE_URL => Misbehaviour::try_from(client_message).map(|_| true),
			_ => return Err(ClientError::InvalidUpdateClientMessage),
		}
		.map_err(Into::into)
	}

	fn status(&self, ctx: &V, client_id: &ClientId) -> Result<Status, ClientError> {
		if self.is_frozen() {
			return Ok(Status::Frozen);
		}
		let Ok(latest) = consensus_state_at(ctx, client_id, self.latest_height) else {
			return Ok(Status::Expired);
		};
		let now_ns = ctx.host_timestamp()?.nanoseconds();
		Ok(if latest.is_expired(self.trusting_period_ns, now_ns) {
			Status::Expired
		} else {
			Status::Active
		})
	}

	fn check_substitute(&self, _ctx: &V, substitute_client_state: Any) -> Result<(), ClientError> {
		let substitute = ClientState::try_from(substitute_client_state)?;
		self.check_recovery_substitute(&substitute)
			.map_err(|_| ClientError::FailedToVerifyClientRecoveryStates)
	}
}

/// Stores `client_state`, and `consensus_state` at its latest height with the host's update
/// metadata.
fn store_states<E>(
	ctx: &mut E,
	client_id: &ClientId,
	client_state: ClientState,
	consensus_state: ConsensusState,
) -> Result<Height, ClientError>
where
	E: ExtClientExecutionContext,
	E::ClientStateRef: From<ClientState>,
	IbcConsensusState: Convertible<E::ConsensusStateRef>,
{
	let height = ibc_height(client_state.latest_height);
	let host_timestamp = ExtClientValidationContext::host_timestamp(ctx)?;
	let host_height = ExtClientValidationContext::host_height(ctx)?;
	ctx.store_consensus_state(
		ClientConsensusStatePath::new(
			client_id.clone(),
			height.revision_number(),
			height.revision_height(),
		),
		IbcConsensusState::from(consensus_state).into(),
	)?;
	ctx.store_client_state(ClientStatePath::new(client_id.clone()), client_state.into())?;
	ctx.store_update_meta(client_id.clone(), height, host_timestamp, host_height)?;
	Ok(height)
}

/// Deletes consensus states older than the trusting period, oldest first, except the latest.
fn prune_expired_consensus_states<E>(
	client_state: &ClientState,
	ctx: &mut E,
	client_id: &ClientId,
) -> Result<(), ClientError>
where
	E: ExtClientExecutionContext,
	IbcConsensusState: Convertible<E::ConsensusStateRef>,
	<IbcConsensusState as TryFrom<E::ConsensusStateRef>>::Error: Into<ClientError>,
{
	let latest = ibc_height(client_state.latest_height);
	let now_ns = ExtClientValidationContext::host_timestamp(ctx)?.nanoseconds();
	let mut heights = ctx.consensus_state_heights(client_id)?;
	heights.sort();
	for height in heights.into_iter().filter(|h| *h < latest) {
		let state = consensus_state_at(ctx, client_id, block_number(&height)?)?;
		if !state.is_expired(client_state.trusting_period_ns, now_ns) {
			break;
		}
		ctx.delete_consensus_state(ClientConsensusStatePath::new(
			client_id.clone(),
			height.revision_number(),
			height.revision_height(),
		))?;
		ctx.delete_update_meta(client_id.clone(), height)?;
	}
	Ok(())
}

impl<E> ClientStateExecution<E> for ClientState
where
	E: ExtClientExecutionContext + KeepPastAuthoritySets,
	E::ClientStateRef: From<ClientState>,
	IbcConsensusState: Convertible<E::ConsensusStateRef>,
	<IbcConsensusState as TryFrom<E::ConsensusStateRef>>::Error: Into<ClientError>,
{
	fn initialise(
		&self,
		ctx: &mut E,
		client_id: &ClientId,
		consensus_state: Any,
	) -> Result<(), ClientError> {
		let consensus_state = decode_consensus_state(consensus_state)?;
		if self.latest_hash.is_none() && consensus_state.ibc_root != [0; 32] {
			return Err(ClientError::ClientSpecific {
				description: String::from(
					"a client started at genesis needs an all-zero initial root",
				),
			});
		}
		store_states(ctx, client_id, self.clone(), consensus_state).map(|_| ())
	}

	fn update_state(
		&self,
		ctx: &mut E,
		client_id: &ClientId,
		header: Any,
	) -> Result<Vec<Height>, ClientError> {
		let header = GrandpaHeader::try_from(header)?;
		let update = apply_update(self, &header)
			.map_err(|e| ClientError::FailedToVerifyHeader { description: e.to_string() })?;
		prune_expired_consensus_states(self, ctx, client_id)?;
		if let Some(replaced) = update.replaced_set {
			if self.max_set_history > 0 {
				ctx.keep_past_authority_set(client_id, replaced, self.max_set_history)?;
			}
		}
		let height = store_states(ctx, client_id, update.client_state, update.consensus_state)?;
		Ok(vec![height])
	}

	fn update_state_on_misbehaviour(
		&self,
		ctx: &mut E,
		client_id: &ClientId,
		client_message: Any,
	) -> Result<(), ClientError> {
		let misbehaviour = Misbehaviour::try_from(client_message)?;
		let mut frozen = self.clone();
		frozen.freeze(misbehaviour.height());
		ctx.store_client_state(ClientStatePath::new(client_id.clone()), frozen.into())?;
		Ok(())
	}

	fn update_state_on_upgrade(
		&self,
		_ctx: &mut E,
		_client_id: &ClientId,
		_upgraded_client_state: Any,
		_upgraded_consensus_state: Any,
	) -> Result<Height, ClientError> {
		Err(ClientError::ClientSpecific {
			description: "GRANDPA clients do not support upgrades".into(),
		})
	}

	fn update_on_recovery(
		&self,
		ctx: &mut E,
		subject_client_id: &ClientId,
		substitute_client_state: Any,
		substitute_consensus_state: Any,
	) -> Result<(), ClientError> {
		let substitute = ClientState::try_from(substitute_client_state)?;
		let consensus_state = decode_consensus_state(substitute_consensus_state)?;
		self.check_recovery_substitute(&substitute)
			.map_err(|_| ClientError::FailedToVerifyClientRecoveryStates)?;
		store_states(ctx, subject_client_id, substitute, consensus_state).map(|_| ())
	}
}
