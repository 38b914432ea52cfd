//! Consumer equivocation evidence: the runtime's verifier checks a GRANDPA vote equivocation
//! against a GRANDPA client state of the consumer (built here as pallet-ibc would store it) and
//! maps it to the pallet's `VerifiedEquivocation`. The runtime's verifier reads the client state
//! pallet-ibc stores for a launched consumer (none before the launch), and evidence for a
//! consumer that never launched is refused before verification.

use super::{
	ccv::{assign_key, consumer_key, create_consumer, launch_consumer, sudo, LOCAL_VALIDATORS},
	preset_ext, try_apply_signed, Chain,
};
use crate::{
	consumer_equivocation::{verify_with_client_state, ClientStates, GrandpaEquivocations},
	genesis_config_presets::LOCAL_PRESET,
	GrandpaId, Hash, Header, Runtime,
};
use ccv_primitives::{channel::IbcId, ConsensusKey};
use codec::Encode;
use ibc_client_grandpa::{types::AuthoritySet, ClientState};
use ibc_core::primitives::proto::Any;
use pallet_ccv_provider::{equivocation::EquivocationVerifier, Error};
use prost::Message;
use sp_consensus_grandpa::{EquivocationProof, SetId};
use sp_core::{ed25519, Pair};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// The consumer key pair of `who` on consumer 0 (see `ccv::consumer_key`).
fn consumer_pair(who: Ed25519Keyring) -> ed25519::Pair {
	ed25519::Pair::from_string(&format!("{}//consumer-0", who.to_seed()), None).expect("seed")
}

/// Set `set_id` of `who`'s consumer keys, weight 1 each.
fn consumer_set(set_id: SetId, who: [Ed25519Keyring; 2]) -> AuthoritySet {
	let authorities = who.map(|who| (GrandpaId::from(consumer_pair(who).public()), 1u64));
	AuthoritySet::new(set_id, authorities).expect("a valid set")
}

/// A client of consumer 0 whose current set `set_id` is Alice's and Bob's consumer keys,
/// stored as pallet-ibc stores client states: a protobuf-encoded `Any`.
fn client_state_at(set_id: SetId) -> Vec<u8> {
	let set = consumer_set(set_id, [Ed25519Keyring::Alice, Ed25519Keyring::Bob]);
	let client = ClientState::from_genesis_authorities(b"consumer-0", set, 3_600_000_000_000, 4)
		.expect("a valid client");
	Any::from(client).encode_to_vec()
}

/// [`client_state_at`] set 0, as a launched consumer's client starts.
fn stored_client_state() -> Vec<u8> {
	client_state_at(0)
}

/// No past set kept.
fn no_past_set(_set_id: SetId) -> Option<AuthoritySet> {
	None
}

/// Two prevotes by `signer` in `round` of set `set_id`, for `first` and `second` targets.
fn prevotes(signer: &ed25519::Pair, set_id: SetId, round: u64, first: u8, second: u8) -> Vec<u8> {
	let signed_prevote = |target: Hash| {
		let prevote = finality_grandpa::Prevote { target_hash: target, target_number: 1u32 };
		let message = sp_consensus_grandpa::Message::<Header>::Prevote(prevote.clone());
		let payload = sp_consensus_grandpa::localized_payload(round, set_id, &message);
		(prevote, signer.sign(&payload).into())
	};
	EquivocationProof::<Hash, u32>::new(
		set_id,
		sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
			round_number: round,
			identity: GrandpaId::from(signer.public()),
			first: signed_prevote(Hash::repeat_byte(first)),
			second: signed_prevote(Hash::repeat_byte(second)),
		}),
	)
	.encode()
}

#[test]
fn vote_equivocation_is_verified_against_the_consumer_client_state() {
	let client_state = stored_client_state();
	let alice = consumer_pair(Ed25519Keyring::Alice);
	let evidence = prevotes(&alice, 0, 1, 1, 2);
	let verified =
		verify_with_client_state(&client_state, &evidence, no_past_set).expect("verified");
	assert_eq!(verified.offender, consumer_key(Ed25519Keyring::Alice, 0));
	// The same infraction, with other conflicting targets, has the same id; another round not.
	let again = verify_with_client_state(&client_state, &prevotes(&alice, 0, 1, 3, 4), no_past_set);
	assert_eq!(again.map(|v| v.infraction_id), Some(verified.infraction_id));
	let later = verify_with_client_state(&client_state, &prevotes(&alice, 0, 2, 1, 2), no_past_set);
	assert_ne!(later.map(|v| v.infraction_id), Some(verified.infraction_id));

	// Not an equivocation: the same vote twice.
	assert_eq!(
		verify_with_client_state(&client_state, &prevotes(&alice, 0, 1, 1, 1), no_past_set),
		None
	);
	// Charlie is not in the client's set; set 1 is unknown to the client.
	let charlie = consumer_pair(Ed25519Keyring::Charlie);
	assert_eq!(
		verify_with_client_state(&client_state, &prevotes(&charlie, 0, 1, 1, 2), no_past_set),
		None
	);
	assert_eq!(
		verify_with_client_state(&client_state, &prevotes(&alice, 1, 1, 1, 2), no_past_set),
		None
	);
	// Malformed evidence or client state.
	assert_eq!(verify_with_client_state(&client_state, &evidence[1..], no_past_set), None);
	assert_eq!(verify_with_client_state(&evidence, &evidence, no_past_set), None);
}

#[test]
fn vote_equivocation_of_a_past_set_is_verified_against_the_kept_set() {
	// The client moved on to set 1 (Alice, Bob); the host keeps set 0 (Charlie, Dave).
	let client_state = client_state_at(1);
	let kept = |set_id: SetId| {
		(set_id == 0).then(|| consumer_set(0, [Ed25519Keyring::Charlie, Ed25519Keyring::Dave]))
	};
	let charlie = consumer_pair(Ed25519Keyring::Charlie);
	let verified = verify_with_client_state(&client_state, &prevotes(&charlie, 0, 3, 1, 2), kept);
	assert_eq!(verified.map(|v| v.offender), Some(consumer_key(Ed25519Keyring::Charlie, 0)));
	// Without the kept set, set 0 is unknown; Alice was not in set 0.
	assert_eq!(
		verify_with_client_state(&client_state, &prevotes(&charlie, 0, 3, 1, 2), no_past_set),
		None
	);
	let alice = consumer_pair(Ed25519Keyring::Alice);
	assert_eq!(verify_with_client_state(&client_state, &prevotes(&alice, 0, 3, 1, 2), kept), None);
}

/// A client-state source holding one client, `10-grandpa-0`, whose kept past set 0 is
/// Charlie's and Dave's keys (its current set 0 in [`stored_client_state`] is not: the source
/// is only asked for set ids below the current one, so set 0 here is never read).
struct OneClient;
impl ClientStates for OneClient {
	fn client_state(client_id: &IbcId) -> Option<Vec<u8>> {
		(client_id.as_slice() == b"10-grandpa-0").then(stored_client_state)
	}

	fn past_authority_set(client_id: &IbcId, set_id: SetId) -> Option<AuthoritySet> {
		let authorities = [Ed25519Keyring::Charlie, Ed25519Keyring::Dave]
			.map(|who| (GrandpaId::from(consumer_pair(who).public()), 1u64));
		(client_id.as_slice() == b"10-grandpa-0")
			.then(|| AuthoritySet::new(set_id, authorities).expect("a valid set"))
	}

	fn past_authority_set_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::from_parts(7, 0)
	}
}

#[test]
fn verifier_reads_the_client_state_from_its_source() {
	let client = IbcId::try_from(b"10-grandpa-0".to_vec()).expect("short");
	let other = IbcId::try_from(b"10-grandpa-1".to_vec()).expect("short");
	let evidence = prevotes(&consumer_pair(Ed25519Keyring::Bob), 0, 7, 1, 2);
	let verified = GrandpaEquivocations::<OneClient>::verify(&client, &evidence);
	assert_eq!(verified.map(|v| v.offender), Some(consumer_key(Ed25519Keyring::Bob, 0)));
	assert_eq!(GrandpaEquivocations::<OneClient>::verify(&other, &evidence), None);
	// Set 0 is current, so the source's past set 0 (Charlie, Dave) is never consulted.
	let charlie = prevotes(&consumer_pair(Ed25519Keyring::Charlie), 0, 7, 1, 2);
	assert_eq!(GrandpaEquivocations::<OneClient>::verify(&client, &charlie), None);
	assert_eq!(
		<GrandpaEquivocations<OneClient> as EquivocationVerifier>::past_set_weight(),
		frame_support::weights::Weight::from_parts(7, 0)
	);
}

#[test]
fn runtime_verifier_reads_the_client_pallet_ibc_created_at_launch() {
	type RuntimeVerifier = <Runtime as pallet_ccv_provider::Config>::EquivocationVerifier;
	let client = IbcId::try_from(b"10-grandpa-0".to_vec()).expect("short");
	let evidence = prevotes(&consumer_pair(Ed25519Keyring::Bob), 0, 7, 1, 2);
	preset_ext(LOCAL_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		chain.next_block(|| {});
		// No client yet: nothing to verify against.
		assert_eq!(RuntimeVerifier::verify(&client, &evidence), None);
		assert_eq!(launch_consumer(&mut chain, 0, "consumer-0"), client.to_vec());
		let verified = RuntimeVerifier::verify(&client, &evidence).expect("verified");
		assert_eq!(verified.offender, consumer_key(Ed25519Keyring::Bob, 0));
		// A key outside the consumer's set (Bob's key of another consumer) is refused.
		let stranger = ed25519::Pair::from_string("//Bob//consumer-1", None).expect("seed");
		assert_eq!(RuntimeVerifier::verify(&client, &prevotes(&stranger, 0, 7, 1, 2)), None);
		// Another client id, or one that is no client id, has no state.
		let other = IbcId::try_from(b"10-grandpa-1".to_vec()).expect("short");
		assert_eq!(RuntimeVerifier::verify(&other, &evidence), None);
		let junk = IbcId::try_from(b"not a client".to_vec()).expect("short");
		assert_eq!(RuntimeVerifier::verify(&junk, &evidence), None);
	});
}

#[test]
fn evidence_for_a_consumer_that_never_launched_is_refused() {
	preset_ext(LOCAL_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		chain.next_block(|| {
			sudo(create_consumer("consumer-0", None, 0));
			assign_key(LOCAL_VALIDATORS[0], 0);
		});
		chain.next_block(|| {
			let evidence = prevotes(&consumer_pair(Ed25519Keyring::Alice), 0, 1, 1, 2);
			let outcome = try_apply_signed(
				Sr25519Keyring::Bob,
				pallet_ccv_provider::Call::submit_consumer_equivocation {
					consumer_id: 0,
					evidence: evidence.try_into().expect("small evidence"),
				},
			);
			assert_eq!(outcome, Err(Error::<Runtime>::WrongPhase.into()));
		});
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert!(!pallet_ccv_provider::Jailed::<Runtime>::contains_key(&alice));
		let key: ConsensusKey = consumer_key(Ed25519Keyring::Alice, 0);
		assert_eq!(pallet_ccv_provider::UsedKeys::<Runtime>::get(key), Some((0, alice)));
	});
}
