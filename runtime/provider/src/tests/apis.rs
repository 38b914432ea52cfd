//! Runtime APIs the node relies on, called as the node would (natively here).

use super::{preset_ext, Chain};
use crate::{
	genesis_config_presets::LOCAL_PRESET, time::SLOT_DURATION, AccountId, AuraId, Block, GrandpaId,
	Historical, Runtime, SessionKeys,
};
use codec::{Decode, Encode};
use frame_support::traits::KeyOwnerProofSystem;
use sp_core::crypto::{key_types::GRANDPA, KeyTypeId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::traits::OpaqueKeys;

#[test]
fn session_keys_api_generates_ed25519_keys_with_a_valid_ownership_proof() {
	use sp_session::runtime_decl_for_session_keys::SessionKeysV2;

	preset_ext(LOCAL_PRESET).execute_with(|| {
		let owner = Sr25519Keyring::Eve.to_account_id().encode();
		let generated = <Runtime as SessionKeysV2<Block>>::generate_session_keys(
			owner.clone(),
			Some(b"//Eve".to_vec()),
		);
		let keys = SessionKeys::decode(&mut &generated.keys[..]).expect("SessionKeys");
		// Both keys are the ed25519 key of the seed.
		assert_eq!(keys.aura, AuraId::from(Ed25519Keyring::Eve.public()));
		assert_eq!(keys.grandpa, GrandpaId::from(Ed25519Keyring::Eve.public()));
		assert!(keys.ownership_proof_is_valid(&owner, &generated.proof));
		assert!(!keys
			.ownership_proof_is_valid(&Sr25519Keyring::Ferdie.to_raw_public(), &generated.proof));

		let raw = <Runtime as SessionKeysV2<Block>>::decode_session_keys(generated.keys)
			.expect("decodes");
		assert_eq!(raw.len(), 2);
		assert_eq!(raw[0].1, sp_core::crypto::key_types::AURA);
		assert_eq!(raw[1].1, sp_core::crypto::key_types::GRANDPA);
	});
}

#[test]
fn aura_and_grandpa_apis_report_the_session_set() {
	use sp_consensus_aura::runtime_decl_for_aura_api::AuraApiV1;
	use sp_consensus_grandpa::runtime_decl_for_grandpa_api::GrandpaApiV3;

	preset_ext(LOCAL_PRESET).execute_with(|| {
		Chain::new().next_block(|| {});
		let slot = <Runtime as AuraApiV1<Block, AuraId>>::slot_duration();
		assert_eq!(slot.as_millis(), SLOT_DURATION);
		assert_eq!(<Runtime as AuraApiV1<Block, AuraId>>::authorities().len(), 3);
		assert_eq!(<Runtime as GrandpaApiV3<Block>>::grandpa_authorities().len(), 3);
		assert_eq!(<Runtime as GrandpaApiV3<Block>>::current_set_id(), 0);

		// Key-ownership proofs come from the historical session tries and identify the stash.
		let alice = GrandpaId::from(Ed25519Keyring::Alice.public());
		let proof =
			<Runtime as GrandpaApiV3<Block>>::generate_key_ownership_proof(0, alice.clone())
				.expect("a proof");
		let proof: sp_session::MembershipProof = proof.decode().expect("a membership proof");
		assert_eq!(proof.session, 0);
		assert_eq!(proof.validator_count, 3);
		let owner = <Historical as KeyOwnerProofSystem<(KeyTypeId, GrandpaId)>>::check_proof(
			(GRANDPA, alice),
			proof,
		);
		assert_eq!(owner, Some((Sr25519Keyring::Alice.to_account_id(), ())));

		// For a stranger `prove` still returns a (non-membership) proof; checking rejects it.
		let stranger = GrandpaId::from(Ed25519Keyring::Ferdie.public());
		let proof =
			<Runtime as GrandpaApiV3<Block>>::generate_key_ownership_proof(0, stranger.clone())
				.and_then(|p| p.decode::<sp_session::MembershipProof>())
				.expect("a non-membership proof");
		assert!(<Historical as KeyOwnerProofSystem<(KeyTypeId, GrandpaId)>>::check_proof(
			(GRANDPA, stranger),
			proof
		)
		.is_none());
	});
}

#[test]
fn account_nonce_api_counts_signed_transactions() {
	use frame_system_rpc_runtime_api::runtime_decl_for_account_nonce_api::AccountNonceApiV1;

	preset_ext(LOCAL_PRESET).execute_with(|| {
		let bob: AccountId = Sr25519Keyring::Bob.to_account_id();
		Chain::new().next_block(|| {
			super::apply_signed(
				Sr25519Keyring::Alice,
				pallet_balances::Call::transfer_keep_alive {
					dest: bob.clone().into(),
					value: crate::currency::UNIT,
				},
			);
		});
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(<Runtime as AccountNonceApiV1<Block, AccountId, u32>>::account_nonce(alice), 1);
	});
}
