//! Consumer rewards on the real runtime: a consumer's allowlisted denom names the voucher of that
//! denom received over the transfer channel the consumer opened beside its CCV channel
//! (`ConsumerRewardVouchers` over pallet-ibc's `CounterpartyTransferChannel`); the era
//! snapshot takes the fee pool's vouchers as a pot and `claim_consumer_rewards` pays them to
//! validators and nominators by power, commission and exposure.
//!
//! The channels are written into pallet-ibc's store as a finished handshake leaves them (no
//! relayer runs here); the relayed handshakes and the ICS-20 receive are covered by
//! pallet-ibc's tests, the two-chain tests and the end-to-end `rewards` scenario.

use super::{
	apply_signed,
	ccv::{assign_key, check_invariants, sudo, LOCAL_VALIDATORS},
	preset_ext, Chain,
};
use crate::{
	bench_ibc,
	configs::ConsumerRewardVouchers,
	currency::UNIT,
	genesis_config_presets::{LOCAL_PRESET, VALIDATOR_BOND},
	time::{SESSIONS_PER_ERA, SESSION_PERIOD, SLOT_DURATION},
	AccountId, AssetId, Assets, Balance, CcvProvider, Runtime,
};
use ccv_primitives::{ConsumerId, ConsumerParams};
use core::str::FromStr;
use frame_support::traits::fungibles::{Inspect, Mutate};
use ibc_app_transfer::types::PrefixedDenom;
use ibc_core::channel::types::channel::Order;
use pallet_ccv_provider::{
	rewards::RewardDenomToAsset, ChannelToConsumer, ConsumerChannel, ConsumerPhase, InitParams,
	Phase, PowerShapingParams, RewardAsset, RewardSnapshots,
};
use pallet_ibc::CounterpartyTransferChannel;
use sp_keyring::Sr25519Keyring;

/// First block of era `era`.
fn era_start(era: u32) -> u32 {
	era * SESSION_PERIOD * SESSIONS_PER_ERA
}

/// The consumer's token as it names it.
const CONSUMER_DENOM: &[u8] = b"stake";

/// The provider's end of the consumer's transfer channel.
const TRANSFER_CHANNEL: &str = "channel-7";

fn vouchers(asset: AssetId, who: &AccountId) -> Balance {
	<Assets as Inspect<AccountId>>::balance(asset, who)
}

/// Launches opt-in consumer `consumer_id` with `stake` allowlisted as its reward denom, every
/// local validator keyed and opted in; returns its client id.
fn launch_rewarding_consumer(chain: &mut Chain, consumer_id: ConsumerId) -> Vec<u8> {
	let spawn_time_ms = u64::from(chain.number() + 2) * SLOT_DURATION;
	let params = ConsumerParams {
		reward_denoms: vec![CONSUMER_DENOM.to_vec().try_into().expect("short denom")]
			.try_into()
			.expect("one denom"),
		..ConsumerParams::default()
	};
	chain.next_block(|| {
		sudo(pallet_ccv_provider::Call::create_consumer {
			chain_id: b"consumer-0".to_vec().try_into().expect("short chain id"),
			metadata: Default::default(),
			init_params: Some(InitParams { spawn_time_ms: Some(spawn_time_ms), params }),
			power_shaping: PowerShapingParams::default(),
			infraction_params: Default::default(),
		})
	});
	chain.next_block(|| {
		for validator in LOCAL_VALIDATORS {
			assign_key(validator, consumer_id);
			apply_signed(validator.0, pallet_ccv_provider::Call::opt_in { consumer_id });
		}
	});
	chain.run_until(10, || Phase::<Runtime>::get(consumer_id) != Some(ConsumerPhase::Initialized));
	assert_eq!(Phase::<Runtime>::get(consumer_id), Some(ConsumerPhase::Launched));
	pallet_ccv_provider::ConsumerClient::<Runtime>::get(consumer_id)
		.expect("a launched consumer has a client")
		.to_vec()
}

/// Opens the consumer's CCV channel (as the handshake leaves it) and returns its connection.
fn open_ccv_channel(consumer_id: ConsumerId, client_id: &[u8]) -> pallet_ibc::types::IdBytes {
	let channel = bench_ibc::open_channel::<Runtime>(
		client_id,
		ccv_primitives::PROVIDER_PORT_ID,
		ccv_primitives::CONSUMER_PORT_ID,
		Order::Ordered,
		ccv_primitives::CCV_VERSION,
	)
	.expect("channel opens");
	ConsumerChannel::<Runtime>::insert(consumer_id, channel.clone());
	ChannelToConsumer::<Runtime>::insert(channel.clone(), consumer_id);
	pallet_ibc::transfer::channel_connection(ccv_primitives::PROVIDER_PORT_ID.as_bytes(), &channel)
		.expect("the CCV channel has a connection")
}

#[test]
fn consumer_denom_names_the_voucher_of_its_transfer_channel() {
	preset_ext(LOCAL_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		let client = launch_rewarding_consumer(&mut chain, 0);
		// No CCV channel yet: nothing to map.
		assert_eq!(ConsumerRewardVouchers::reward_asset(0, CONSUMER_DENOM), None);
		let connection = open_ccv_channel(0, &client);
		// No transfer channel opened by the consumer yet.
		assert_eq!(ConsumerRewardVouchers::reward_asset(0, CONSUMER_DENOM), None);
		CounterpartyTransferChannel::<Runtime>::insert(
			connection,
			pallet_ibc::types::IdBytes::try_from(TRANSFER_CHANNEL.as_bytes().to_vec()).unwrap(),
		);
		// Nothing received over it yet: no voucher exists.
		assert_eq!(ConsumerRewardVouchers::reward_asset(0, CONSUMER_DENOM), None);
		let trace = format!("transfer/{TRANSFER_CHANNEL}/stake");
		let voucher = pallet_ibc::transfer::denom::voucher_or_create::<Runtime>(
			&PrefixedDenom::from_str(&trace).unwrap(),
		)
		.expect("voucher created");
		assert_eq!(ConsumerRewardVouchers::reward_asset(0, CONSUMER_DENOM), Some(voucher));
		// Another denom, or another consumer, names nothing.
		assert_eq!(ConsumerRewardVouchers::reward_asset(0, b"uatom"), None);
		assert_eq!(ConsumerRewardVouchers::reward_asset(1, CONSUMER_DENOM), None);
		assert_eq!(
			CcvProvider::reward_assets(0),
			vec![RewardAsset::Native, RewardAsset::Voucher(voucher)]
		);
	});
}

#[test]
fn voucher_rewards_are_paid_to_validators_and_nominators_by_power_and_exposure() {
	preset_ext(LOCAL_PRESET).execute_with(|| {
		let dave = Sr25519Keyring::Dave.to_account_id();
		let alice = Sr25519Keyring::Alice.to_account_id();
		let mut chain = Chain::new();
		// Dave nominates Alice with as much as her own bond: from era 1, Alice's exposure (and
		// consumer power) is twice Bob's and Charlie's, half of it Dave's.
		chain.next_block(|| {
			apply_signed(
				Sr25519Keyring::Dave,
				pallet_staking::Call::bond {
					value: VALIDATOR_BOND,
					payee: pallet_staking::RewardDestination::Stash,
				},
			);
			apply_signed(
				Sr25519Keyring::Dave,
				pallet_staking::Call::nominate {
					targets: vec![sp_runtime::MultiAddress::Id(alice.clone())],
				},
			);
		});
		let client = launch_rewarding_consumer(&mut chain, 0);
		let connection = open_ccv_channel(0, &client);
		CounterpartyTransferChannel::<Runtime>::insert(
			connection,
			pallet_ibc::types::IdBytes::try_from(TRANSFER_CHANNEL.as_bytes().to_vec()).unwrap(),
		);
		let voucher = pallet_ibc::transfer::denom::voucher_or_create::<Runtime>(
			&PrefixedDenom::from_str(&format!("transfer/{TRANSFER_CHANNEL}/stake")).unwrap(),
		)
		.expect("voucher created");

		// Era 1 starts; the consumer's rewards for era 1 arrive in its fee pool.
		chain.run_until(era_start(1) + 1, || {
			pallet_staking::ActiveEra::<Runtime>::get().map(|e| e.index) == Some(1)
		});
		let pool = CcvProvider::fee_pool_account(0);
		let pot: Balance = 4_000 * UNIT + 3;
		<Assets as Mutate<AccountId>>::mint_into(voucher, &pool, pot).expect("minted");

		// Era 2 starts: era 1 is snapshotted with the voucher pot.
		chain.run_until(era_start(2) + 5, || RewardSnapshots::<Runtime>::get(0, 1).is_some());
		let snapshot = RewardSnapshots::<Runtime>::get(0, 1).expect("era 1 snapshot");
		assert!(snapshot.pots.contains(&(RewardAsset::Voucher(voucher), pot)));
		assert_eq!(snapshot.total_power, 4 * (VALIDATOR_BOND / UNIT));
		check_invariants();

		for page in 0..snapshot.pages {
			chain.next_block(|| {
				apply_signed(
					Sr25519Keyring::Eve,
					pallet_ccv_provider::Call::claim_consumer_rewards {
						consumer_id: 0,
						era: 1,
						page,
					},
				)
			});
		}
		// Alice holds half the power: half the pot, split evenly with Dave by exposure
		// (commission 0); Bob and Charlie a quarter each. Rounding dust stays in the pool.
		let quarter = pot / 4;
		assert_eq!(vouchers(voucher, &alice), quarter);
		assert_eq!(vouchers(voucher, &dave), quarter);
		assert_eq!(vouchers(voucher, &Sr25519Keyring::Bob.to_account_id()), quarter);
		assert_eq!(vouchers(voucher, &Sr25519Keyring::Charlie.to_account_id()), quarter);
		assert_eq!(vouchers(voucher, &pool), pot - 4 * quarter);
		check_invariants();
	});
}
