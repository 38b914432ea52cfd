//! Per-consumer commission: a validator overrides its staking commission on one consumer with
//! `set_consumer_commission_rate`; others keep their staking commission there.

use super::{
	apply_signed,
	ccv::{ccv_events, create_consumer, sudo},
	preset_ext, try_apply_signed, Chain,
};
use crate::{genesis_config_presets::LOCAL_PRESET, AccountId, AssetId, Balance, Block, Runtime};
use pallet_ccv_provider::{
	runtime_api::runtime_decl_for_ccv_provider_api::CcvProviderApiV1, ConsumerCommission, Error,
	Event,
};
use sp_keyring::Sr25519Keyring;
use sp_runtime::Perbill;

fn api_rate(consumer_id: ccv_primitives::ConsumerId, validator: &AccountId) -> Perbill {
	<Runtime as CcvProviderApiV1<Block, AccountId, Balance, AssetId>>::consumer_commission_rate(
		consumer_id,
		validator.clone(),
	)
}

#[test]
fn validator_sets_its_commission_rate_on_a_consumer() {
	preset_ext(LOCAL_PRESET).execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let rate = Perbill::from_percent(7);
		let mut chain = Chain::new();
		chain.next_block(|| {
			sudo(create_consumer("consumer-0", None, 0));
			apply_signed(
				Sr25519Keyring::Bob,
				pallet_ccv_provider::Call::set_consumer_commission_rate { consumer_id: 0, rate },
			);
		});
		assert!(ccv_events().contains(&Event::ConsumerCommissionRateSet {
			consumer_id: 0,
			validator: bob.clone(),
			rate,
		}));
		assert_eq!(ConsumerCommission::<Runtime>::get(0, &bob), Some(rate));
		assert_eq!(api_rate(0, &bob), rate);
		// Alice set none: her staking commission of the active era (0% at genesis) applies.
		let staking_rate = pallet_staking::ErasValidatorPrefs::<Runtime>::get(0, &alice).commission;
		assert_eq!(api_rate(0, &alice), staking_rate);
		assert_ne!(staking_rate, rate);

		chain.next_block(|| {
			let set = |consumer_id| pallet_ccv_provider::Call::set_consumer_commission_rate {
				consumer_id,
				rate,
			};
			// Not a staking stash.
			assert_eq!(
				try_apply_signed(Sr25519Keyring::Dave, set(0)),
				Err(Error::<Runtime>::NotAValidator.into())
			);
			// No such consumer.
			assert_eq!(
				try_apply_signed(Sr25519Keyring::Alice, set(7)),
				Err(Error::<Runtime>::UnknownConsumer.into())
			);
			// A removed consumer (never launched: deleted at the next block) takes no rates.
			sudo(pallet_ccv_provider::Call::remove_consumer { consumer_id: 0 });
		});
		chain.next_block(|| {
			assert_eq!(
				try_apply_signed(
					Sr25519Keyring::Alice,
					pallet_ccv_provider::Call::set_consumer_commission_rate {
						consumer_id: 0,
						rate
					}
				),
				Err(Error::<Runtime>::WrongPhase.into())
			);
		});
		assert_eq!(ConsumerCommission::<Runtime>::get(0, &alice), None);
		// Deletion cleaned Bob's rate too.
		assert_eq!(ConsumerCommission::<Runtime>::get(0, &bob), None);
		super::ccv::check_invariants();
	});
}
