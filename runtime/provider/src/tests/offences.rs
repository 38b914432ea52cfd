//! Offences reach staking for real: a GRANDPA equivocation report, checked against the
//! historical session trie, becomes a pallet-offences report and a staking slash.

use super::{apply_signed, preset_ext, Chain};
use crate::{
	genesis_config_presets::{LOCAL_PRESET, VALIDATOR_BOND},
	GrandpaId, Hash, Header, Historical, Runtime, RuntimeEvent, System,
};
use frame_support::traits::KeyOwnerProofSystem;
use sp_consensus_grandpa::{EquivocationProof, RoundNumber, SetId, KEY_TYPE as GRANDPA};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Two conflicting prevotes by `offender` in one round, signed with its ed25519 GRANDPA key.
fn prevote_equivocation(
	set_id: SetId,
	round: RoundNumber,
	offender: Ed25519Keyring,
) -> EquivocationProof<Hash, u32> {
	let signed_prevote = |target: Hash| {
		let prevote = finality_grandpa::Prevote { target_hash: target, target_number: 1u32 };
		let message = sp_consensus_grandpa::Message::<Header>::Prevote(prevote.clone());
		let payload = sp_consensus_grandpa::localized_payload(round, set_id, &message);
		(prevote, offender.sign(&payload).into())
	};
	EquivocationProof::new(
		set_id,
		sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
			round_number: round,
			identity: GrandpaId::from(offender.public()),
			first: signed_prevote(Hash::repeat_byte(1)),
			second: signed_prevote(Hash::repeat_byte(2)),
		}),
	)
}

#[test]
fn grandpa_equivocation_is_reported_to_offences_and_slashed_by_staking() {
	preset_ext(LOCAL_PRESET).execute_with(|| {
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		let mut chain = Chain::new();
		chain.next_block(|| {
			let proof = prevote_equivocation(0, 1, Ed25519Keyring::Charlie);
			let key_owner_proof =
				Historical::prove((GRANDPA, GrandpaId::from(Ed25519Keyring::Charlie.public())))
					.expect("a key-ownership proof");
			apply_signed(
				Sr25519Keyring::Alice,
				pallet_grandpa::Call::report_equivocation {
					equivocation_proof: Box::new(proof),
					key_owner_proof,
				},
			);
		});

		let events: Vec<RuntimeEvent> = System::events().into_iter().map(|r| r.event).collect();
		assert!(
			events.iter().any(|e| matches!(
				e,
				RuntimeEvent::Offences(pallet_offences::Event::Offence { .. })
			)),
			"offence recorded: {events:?}"
		);
		assert!(
			events.iter().any(|e| matches!(
				e,
				RuntimeEvent::Staking(pallet_staking::Event::Slashed { staker, .. }) if *staker == charlie
			)),
			"Charlie slashed: {events:?}"
		);
		// One offender in a set of three: GRANDPA's fraction is min((3k/n)^2, 1) = 100%, and with
		// `SlashDeferDuration = 0` it applies at once.
		let ledger = pallet_staking::Ledger::<Runtime>::get(&charlie).expect("still bonded");
		assert!(ledger.active < VALIDATOR_BOND, "active after slash: {}", ledger.active);

		// The same report again is a known offence: rejected as stale.
		chain.next_block(|| {
			let proof = prevote_equivocation(0, 1, Ed25519Keyring::Charlie);
			let key_owner_proof =
				Historical::prove((GRANDPA, GrandpaId::from(Ed25519Keyring::Charlie.public())))
					.expect("a key-ownership proof");
			let call = pallet_grandpa::Call::<Runtime>::report_equivocation {
				equivocation_proof: Box::new(proof),
				key_owner_proof,
			};
			let origin = crate::RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id());
			let outcome =
				sp_runtime::traits::Dispatchable::dispatch(crate::RuntimeCall::from(call), origin);
			assert!(outcome.is_err(), "duplicate report must fail");
		});
	});
}
