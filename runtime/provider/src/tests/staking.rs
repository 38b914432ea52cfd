//! Staking rotates the validator set for real: a newly bonded validator with session keys joins
//! the session, Aura and GRANDPA sets at the next era; a chilled one leaves.

use super::{apply_signed, preset_ext, Chain};
use crate::{
	genesis_config_presets::LOCAL_PRESET,
	time::{SESSIONS_PER_ERA, SESSION_PERIOD},
	AccountId, AuraId, GrandpaId, Runtime, Session, SessionKeys,
};
use codec::Encode;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
	items.sort();
	items
}

fn active_era() -> Option<u32> {
	pallet_staking::ActiveEra::<Runtime>::get().map(|e| e.index)
}

fn aura_authorities() -> Vec<AuraId> {
	pallet_aura::Authorities::<Runtime>::get().into_inner()
}

fn grandpa_authorities() -> Vec<GrandpaId> {
	pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().into_iter().map(|(id, _)| id).collect()
}

/// Generates `who`'s session keys from `seed` in the keystore, with the ownership proof that
/// `set_keys` checks (as `author_rotateKeys` does in the node).
fn generate_keys(who: &AccountId, seed: &str) -> (SessionKeys, Vec<u8>) {
	let generated = SessionKeys::generate(&who.encode(), Some(seed.as_bytes().to_vec()));
	(generated.keys, generated.proof.encode())
}

#[test]
fn bonded_validator_with_keys_joins_and_chilled_one_leaves_at_next_era() {
	preset_ext(LOCAL_PRESET).execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		let dave = Sr25519Keyring::Dave.to_account_id();
		let dave_key = Ed25519Keyring::Dave.public();
		let charlie_key = Ed25519Keyring::Charlie.public();

		let genesis_set = sorted(vec![alice.clone(), bob.clone(), charlie.clone()]);
		assert_eq!(sorted(Session::validators()), genesis_set);
		assert_eq!(active_era(), Some(0));

		let mut chain = Chain::new();
		// Block 1, as signed transactions: Dave bonds, sets keys and validates; Charlie chills.
		chain.next_block(|| {
			let (keys, proof) = generate_keys(&dave, "//Dave");
			assert_eq!(keys.aura, AuraId::from(dave_key));
			assert_eq!(keys.grandpa, GrandpaId::from(dave_key));
			apply_signed(
				Sr25519Keyring::Dave,
				pallet_staking::Call::bond {
					value: 50_000 * crate::currency::UNIT,
					payee: pallet_staking::RewardDestination::Staked,
				},
			);
			apply_signed(Sr25519Keyring::Dave, pallet_session::Call::set_keys { keys, proof });
			apply_signed(
				Sr25519Keyring::Dave,
				pallet_staking::Call::validate { prefs: pallet_staking::ValidatorPrefs::default() },
			);
			apply_signed(Sr25519Keyring::Charlie, pallet_staking::Call::chill {});
		});

		// The era boundary is the first block of session `SESSIONS_PER_ERA`.
		let era_start = SESSION_PERIOD * SESSIONS_PER_ERA;
		chain.run_until(era_start, || chain_at(era_start - 1));
		// Nothing changed yet: era 0, old set everywhere; era 1 is planned and elected Dave.
		assert_eq!(active_era(), Some(0));
		assert_eq!(pallet_staking::CurrentEra::<Runtime>::get(), Some(1));
		assert_eq!(sorted(Session::validators()), genesis_set);
		assert!(aura_authorities().contains(&AuraId::from(charlie_key)));
		assert!(!aura_authorities().contains(&AuraId::from(dave_key)));
		let queued: Vec<AccountId> =
			Session::queued_keys().into_iter().map(|(who, _)| who).collect();
		assert!(queued.contains(&dave) && !queued.contains(&charlie), "queued: {queued:?}");

		// The era-boundary block rotates everything.
		chain.next_block(|| {});
		assert_eq!(chain.number(), era_start);
		assert_eq!(active_era(), Some(1));
		assert_eq!(sorted(Session::validators()), sorted(vec![alice, bob, dave.clone()]));

		let aura = aura_authorities();
		assert_eq!(aura.len(), 3);
		assert!(aura.contains(&AuraId::from(dave_key)));
		assert!(!aura.contains(&AuraId::from(charlie_key)));

		// GRANDPA enacts the change (delay 0) at the end of the same block.
		let grandpa = grandpa_authorities();
		assert_eq!(grandpa.len(), 3);
		assert!(grandpa.contains(&GrandpaId::from(dave_key)));
		assert!(!grandpa.contains(&GrandpaId::from(charlie_key)));
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::current_set_id(), 1);

		// Staking recorded Dave's exposure for era 1, and none for Charlie.
		let overview = pallet_staking::ErasStakersOverview::<Runtime>::get(1, &dave)
			.expect("Dave is exposed in era 1");
		assert_eq!(overview.total, 50_000 * crate::currency::UNIT);
		assert!(pallet_staking::ErasStakersOverview::<Runtime>::get(1, &charlie).is_none());

		// The new set keeps producing blocks (Aura accepts Dave's slots).
		chain.run_until(SESSION_PERIOD, || chain_at(era_start + SESSION_PERIOD));
	});
}

/// True once `System::block_number() == n`.
fn chain_at(n: u32) -> bool {
	frame_system::Pallet::<Runtime>::block_number() == n
}
