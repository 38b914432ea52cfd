//! The ibc-rs traits, driven the way ibc-core's client handlers drive them, over the in-memory
//! host context of [`crate::testing`] (the runtime's context wraps our types in its client enums
//! the same way).

use super::*;
use crate::past_sets::PastAuthoritySets;
use crate::{
	ibc_client::{
		block_number, ibc_height, IbcConsensusState, CLIENT_STATE_TYPE_URL, COMMITMENT_PREFIX,
		CONSENSUS_STATE_TYPE_URL,
	},
	misbehaviour::{FinalityProof, Misbehaviour},
	proof::ChildTrieProof,
};
use ibc_core::{
	client::{
		context::{
			client_state::{ClientStateCommon, ClientStateExecution, ClientStateValidation},
			consensus_state::ConsensusState as _,
			ClientValidationContext, ExtClientValidationContext,
		},
		types::{error::ClientError, Height, Status},
	},
	commitment_types::commitment::{CommitmentPrefix, CommitmentProofBytes, CommitmentRoot},
	host::types::path::PathBytes,
	primitives::proto::Any,
};

/// A host with a genesis client of FOUR created the way `MsgCreateClient` does.
fn host_with_client() -> Host {
	let (client, consensus) = genesis_client(&FOUR);
	host_with(&client, consensus)
}

fn stored(host: &Host) -> ClientState {
	host.client_state(&client_id()).unwrap()
}

#[test]
fn genesis_client_reports_height_one_and_is_active() {
	let host = host_with_client();
	let client = stored(&host);
	assert_eq!(client.latest_height(), Height::new(0, 1).unwrap());
	assert_eq!(client.client_type().as_str(), "10-grandpa");
	assert_eq!(client.status(&host, &client_id()).unwrap(), Status::Active);
	assert_eq!(block_number(&ibc_height(7)).unwrap(), 7);
	assert!(block_number(&Height::new(1, 7).unwrap()).is_err());
}

#[test]
fn genesis_client_needs_an_all_zero_initial_root() {
	let mut host = Host::default();
	let (client, mut consensus) = genesis_client(&FOUR);
	consensus.ibc_root = [1; 32];
	let any: Any = IbcConsensusState::from(consensus).into();
	assert!(client.initialise(&mut host, &client_id(), any).is_err());
}

#[test]
fn headers_update_the_client_through_the_traits() {
	let mut host = host_with_client();
	let mut chain = TestChain::new();
	chain.extend(4);
	host.now_ns = GENESIS_NS + 5 * BLOCK_NS;
	let update = chain.update(0, 4, 0, &[Key::Alice, Key::Bob, Key::Charlie]);
	deliver(&mut host, update.clone().into()).unwrap();
	let client = stored(&host);
	assert_eq!(client.latest_height(), Height::new(0, 4).unwrap());
	let consensus =
		host.consensus_state(&consensus_state_path(&client_id(), client.latest_height())).unwrap();
	assert_eq!(consensus.root().as_bytes(), &ibc_root_of(4));
	assert_eq!(consensus.timestamp().unwrap().nanoseconds(), GENESIS_NS + 4 * BLOCK_NS);

	// A replay fails verification and changes nothing.
	assert!(matches!(
		deliver(&mut host, update.into()),
		Err(ClientError::FailedToVerifyHeader { .. })
	));
	// An under-signed header too.
	chain.extend(1);
	let weak = chain.update(4, 5, 0, &[Key::Alice]);
	assert!(deliver(&mut host, weak.into()).is_err());
	assert_eq!(stored(&host).latest_height(), Height::new(0, 4).unwrap());
}

#[test]
fn status_expires_with_the_trusting_period() {
	let mut host = host_with_client();
	host.now_ns = GENESIS_NS + TRUSTING_PERIOD_NS;
	let client = stored(&host);
	assert_eq!(client.status(&host, &client_id()).unwrap(), Status::Expired);
	let mut chain = TestChain::new();
	chain.extend(1);
	let update = chain.update(0, 1, 0, &[Key::Alice, Key::Bob, Key::Charlie]);
	assert!(deliver(&mut host, update.into()).is_err());
}

#[test]
fn update_prunes_expired_consensus_states_but_never_the_latest() {
	let mut host = host_with_client();
	let mut chain = TestChain::new();
	chain.extend(3);
	host.now_ns = GENESIS_NS + 2 * BLOCK_NS;
	deliver(&mut host, chain.update(0, 2, 0, &[Key::Alice, Key::Bob, Key::Charlie]).into())
		.unwrap();
	// The genesis placeholder (height 1) expires; block 2's state is still trusted.
	host.now_ns = GENESIS_NS + TRUSTING_PERIOD_NS + BLOCK_NS;
	deliver(&mut host, chain.update(2, 3, 0, &[Key::Alice, Key::Bob, Key::Charlie]).into())
		.unwrap();
	let heights = host.consensus_state_heights(&client_id()).unwrap();
	assert_eq!(heights, vec![ibc_height(2), ibc_height(3)]);
	assert!(!host.meta.contains_key(&(client_id(), ibc_height(1))));
}

#[test]
fn misbehaviour_freezes_and_a_frozen_client_rejects_everything() {
	let mut host = host_with_client();
	let mut chain = TestChain::new();
	chain.extend(2);
	host.now_ns = GENESIS_NS + 3 * BLOCK_NS;
	deliver(&mut host, chain.update(0, 2, 0, &[Key::Alice, Key::Bob, Key::Charlie]).into())
		.unwrap();

	let signers = [Key::Alice, Key::Bob, Key::Charlie];
	let forks = [[0xaa; 32], [0xbb; 32]].map(|root| child_with_root(chain.header(2), root, vec![]));
	let side = |header: &SubstrateHeader| FinalityProof {
		set_id: 0,
		justification: justify(header, 0, 3, &signers),
		header: header.clone(),
	};
	let misbehaviour = Misbehaviour { first: side(&forks[0]), second: side(&forks[1]) };
	deliver(&mut host, misbehaviour.into()).unwrap();
	let client = stored(&host);
	assert_eq!(client.frozen_height, Some(3));
	assert_eq!(client.status(&host, &client_id()).unwrap(), Status::Frozen);

	// Updates, proofs and proof heights are refused.
	chain.extend(1);
	let update = chain.update(2, 3, 0, &signers);
	assert!(deliver(&mut host, update.clone().into()).is_err());
	assert!(client.verify_client_message(&host, &client_id(), update.into()).is_err());
	assert!(client.validate_proof_height(ibc_height(2)).is_err());
	let proof =
		CommitmentProofBytes::try_from(ChildTrieProof { nodes: vec![vec![0]] }.to_wire()).unwrap();
	let root = CommitmentRoot::from_bytes(&[0; 32]);
	let prefix = CommitmentPrefix::from_bytes(COMMITMENT_PREFIX);
	let err = client
		.verify_non_membership_raw(&prefix, &proof, &root, PathBytes::from_bytes(b"x"))
		.unwrap_err();
	assert!(err.to_string().contains("frozen"), "{err}");
}

/// Four set changes, each enacted by an update's target and finalized by the set before it.
fn rotate_four_times(host: &mut Host) -> [AuthoritySet; 5] {
	let sets: [&[(Key, u64)]; 5] =
		[&FOUR, &[(Key::Eve, 1)], &[(Key::Ferdie, 1)], &[(Key::One, 1)], &[(Key::Two, 1)]];
	let signers: [&[Key]; 4] =
		[&[Key::Alice, Key::Bob, Key::Charlie], &[Key::Eve], &[Key::Ferdie], &[Key::One]];
	let mut chain = TestChain::new();
	for (set_id, next) in sets.iter().skip(1).enumerate() {
		chain.push(vec![scheduled_change(next, 0)]);
		let to = chain.head().number;
		host.now_ns = GENESIS_NS + u64::from(to) * BLOCK_NS + SECOND_NS;
		deliver(host, chain.update(to - 1, to, set_id as SetId, signers[set_id]).into()).unwrap();
	}
	let mut id = 0;
	sets.map(|keys| {
		id += 1;
		authority_set(id - 1, keys)
	})
}

#[test]
fn the_host_keeps_the_replaced_sets_of_the_window_and_the_state_only_the_current_one() {
	let (mut client, consensus) = genesis_client(&FOUR);
	client.max_set_history = 2;
	let mut host = host_with(&client, consensus);
	let sets = rotate_four_times(&mut host);
	let client = stored(&host);
	assert_eq!(client.authority_set, sets[4]);
	// The stored state is the same size whatever the window: one set.
	assert_eq!(client.encode().len(), stored_size_with_one_set(&client));
	assert_eq!(host.past_set_ids(&client_id()), vec![2, 3]);
	let past = |id| host.past_authority_set(&client_id(), id);
	assert!(client.authority_set_by_id(1, past).is_err());
	assert_eq!(*client.authority_set_by_id(3, past).unwrap(), sets[3]);
	assert_eq!(*client.authority_set_by_id(4, past).unwrap(), sets[4]);
	// An id above the current set is unknown, whatever the host returns.
	assert!(client.authority_set_by_id(5, |_| Some(sets[4].clone())).is_err());
	// A host returning a set under another id is not trusted.
	assert!(client.authority_set_by_id(1, |_| Some(sets[2].clone())).is_err());
}

/// Encoded size of a client state: chain id, heights, hash, one authority set, parameters.
fn stored_size_with_one_set(client: &ClientState) -> usize {
	client.chain_id.encode().len()
		+ 4 + client.latest_hash.encode().len()
		+ client.authority_set.encode().len()
		+ 4 + 8
		+ client.frozen_height.encode().len()
}

#[test]
fn a_client_without_a_window_keeps_no_past_set() {
	let (mut client, consensus) = genesis_client(&FOUR);
	client.max_set_history = 0;
	let mut host = host_with(&client, consensus);
	rotate_four_times(&mut host);
	assert!(host.past_sets.is_empty());
}

#[test]
fn misbehaviour_signed_by_a_kept_past_set_freezes_through_the_traits() {
	let mut host = host_with_client();
	rotate_four_times(&mut host);
	let signers = [Key::Alice, Key::Bob, Key::Charlie];
	let mut chain = TestChain::new();
	chain.extend(1);
	let forks = [[0xaa; 32], [0xbb; 32]].map(|root| child_with_root(chain.header(1), root, vec![]));
	let side = |header: &SubstrateHeader| FinalityProof {
		set_id: 0,
		justification: justify(header, 0, 3, &signers),
		header: header.clone(),
	};
	let misbehaviour = Misbehaviour { first: side(&forks[0]), second: side(&forks[1]) };
	// Set 0 is in the window of SET_HISTORY = 4 changes; the host reads it from its store.
	assert_eq!(host.past_set_ids(&client_id()), vec![0, 1, 2, 3]);
	deliver(&mut host, misbehaviour.into()).unwrap();
	assert_eq!(stored(&host).frozen_height, Some(2));
}

#[test]
fn recovery_replaces_a_frozen_client_with_a_substitute_of_the_same_chain() {
	let mut host = host_with_client();
	let mut frozen = stored(&host);
	frozen.freeze(1);
	host.clients.insert(client_id(), frozen.clone());

	let (mut substitute, _) = genesis_client(&[(Key::Eve, 1)]);
	substitute.latest_height = 9;
	substitute.latest_hash = Some(Hash::repeat_byte(9));
	let consensus = ConsensusState { timestamp_ns: GENESIS_NS, ibc_root: [9; 32] };
	let consensus_any: Any = IbcConsensusState::from(consensus).into();
	frozen.check_substitute(&host, substitute.clone().into()).unwrap();
	frozen
		.update_on_recovery(&mut host, &client_id(), substitute.clone().into(), consensus_any)
		.unwrap();
	assert_eq!(stored(&host), substitute);
	assert_eq!(stored(&host).status(&host, &client_id()).unwrap(), Status::Active);

	// A substitute of another chain is refused.
	let (mut other, _) = genesis_client(&FOUR);
	other.chain_id = b"other-chain".to_vec().try_into().unwrap();
	assert!(frozen.check_substitute(&host, other.into()).is_err());
}

#[test]
fn membership_through_the_traits_uses_raw_paths_in_the_ibc_child_trie() {
	let client = stored(&host_with_client());
	let path = ibc_core::host::types::path::Path::NextClientSequence(
		ibc_core::host::types::path::NextClientSequencePath,
	);
	let key = client.serialize_path(path.clone()).unwrap();
	assert_eq!(key.as_ref(), path.to_string().as_bytes());

	let value = 7u64.to_be_bytes();
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| sp_io::default_child_storage::set(b"ibc", key.as_ref(), &value));
	ext.commit_all().unwrap();
	let root = ext.execute_with(|| {
		sp_io::default_child_storage::root(b"ibc", sp_core::storage::StateVersion::V1)
	});
	let child = sp_core::storage::ChildInfo::new_default(b"ibc");
	let proof =
		sp_state_machine::prove_child_read(ext.as_backend(), &child, [key.as_ref()]).unwrap();
	let proof = ChildTrieProof { nodes: proof.into_iter_nodes().collect() };
	let proof = CommitmentProofBytes::try_from(proof.to_wire()).unwrap();
	let root = CommitmentRoot::from_bytes(&root);
	let prefix = CommitmentPrefix::from_bytes(COMMITMENT_PREFIX);

	client.verify_membership(&prefix, &proof, &root, path.clone(), value.to_vec()).unwrap();
	assert!(client.verify_membership(&prefix, &proof, &root, path.clone(), vec![0; 8]).is_err());
	assert!(client.verify_non_membership(&prefix, &proof, &root, path.clone()).is_err());
	let wrong_prefix = CommitmentPrefix::from_bytes(b"other");
	assert!(client.verify_membership(&wrong_prefix, &proof, &root, path, value.to_vec()).is_err());
}

#[test]
fn any_forms_round_trip_and_reject_other_types() {
	let (client, consensus) = genesis_client(&FOUR);
	let any: Any = client.clone().into();
	assert_eq!(any.type_url, CLIENT_STATE_TYPE_URL);
	assert_eq!(ClientState::try_from(any.clone()).unwrap(), client);
	let mut trailing = any.clone();
	trailing.value.push(0);
	assert!(ClientState::try_from(trailing).is_err());
	let mut wrong = any;
	wrong.type_url = CONSENSUS_STATE_TYPE_URL.into();
	assert!(ClientState::try_from(wrong).is_err());

	let any: Any = IbcConsensusState::from(consensus).into();
	assert_eq!(any.type_url, CONSENSUS_STATE_TYPE_URL);
	assert_eq!(ConsensusState::from(IbcConsensusState::try_from(any).unwrap()), consensus);

	// A client state that fails validation does not decode.
	let mut invalid = client;
	invalid.trusting_period_ns = 0;
	assert!(ClientState::try_from(Any::from(invalid)).is_err());
}

#[test]
fn validate_self_client_checks_chain_height_set_and_frozen() {
	let (client, _) = genesis_client(&FOUR);
	assert!(client.validate_self_client(b"consumer-1", 5, 0).is_ok());
	assert!(client.validate_self_client(b"consumer-2", 5, 0).is_err());
	let mut ahead = client.clone();
	ahead.latest_height = 6;
	assert!(ahead.validate_self_client(b"consumer-1", 5, 0).is_err());
	let mut future_set = client.clone();
	future_set.authority_set.set_id = 1;
	assert!(future_set.validate_self_client(b"consumer-1", 5, 0).is_err());
	let mut frozen = client;
	frozen.freeze(1);
	assert!(frozen.validate_self_client(b"consumer-1", 5, 0).is_err());
}
