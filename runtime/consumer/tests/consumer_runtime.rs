//! Native tests of the consumer runtime: genesis from the presets, the initial set as the Aura
//! and GRANDPA authority set, blocks through `Executive`, fees split by the CCV pallet, GRANDPA
//! equivocations; pallet-ibc in [`ibc`] (the provider client created at genesis, ICS-20, the
//! runtime API).
//!
//! One test binary (runtime test binaries are slow to link); flows in modules of their own.

// Test code: a panic is the failure report (helpers included, not only `#[test]` functions).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use codec::{Decode, Encode};
use frame_ics_consumer_runtime::{
	configs::{CcvPalletId, RedistributionAccount},
	genesis_config_presets::{
		self, consumer_key, consumer_key_seed, preset_names, DEVELOPMENT_PRESET,
		DEVELOPMENT_VALIDATORS, LOCAL_PRESET, LOCAL_VALIDATORS, PRESET_BLOCKS_PER_SESSION,
		PRESET_VALIDATOR_POWER,
	},
	time::SLOT_DURATION,
	AuraId, Balances, Block, BlockNumber, CcvConsumer, Executive, GrandpaId, Header, Runtime,
	RuntimeCall, RuntimeGenesisConfig, SignedPayload, System, TxExtension, UncheckedExtrinsic,
};
use frame_support::traits::fungible::Inspect;
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_core::Pair;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::{
	generic::Era,
	traits::{AccountIdConversion, Block as BlockT, Header as HeaderT},
	BuildStorage, Digest, DigestItem, MultiAddress, MultiSignature,
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Merges `patch` into `base` as chain-spec builders apply genesis patches.
fn json_merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				json_merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

/// The full genesis config of a named preset (default config + the preset's patch).
fn preset_config(name: &str) -> RuntimeGenesisConfig {
	let patch_bytes = genesis_config_presets::get_preset(&name.into()).expect("known preset");
	let patch: serde_json::Value = serde_json::from_slice(&patch_bytes).expect("preset is JSON");
	let mut config =
		serde_json::to_value(RuntimeGenesisConfig::default()).expect("default serializes");
	json_merge(&mut config, patch);
	serde_json::from_value(config).expect("merged preset is a valid RuntimeGenesisConfig")
}

/// Externalities holding the genesis state of a named preset.
fn preset_ext(name: &str) -> sp_io::TestExternalities {
	sp_io::TestExternalities::new(preset_config(name).build_storage().expect("genesis builds"))
}

/// The consumer keys of the named dev validators, as Aura ids, sorted (the CCV pallet installs
/// the set in key order).
fn expected_aura(names: &[&str]) -> Vec<AuraId> {
	let mut keys: Vec<AuraId> = names
		.iter()
		.map(|n| AuraId::from(sp_core::ed25519::Public::from_raw(consumer_key(n).unwrap().0)))
		.collect();
	keys.sort();
	keys
}

fn aura_authorities() -> Vec<AuraId> {
	pallet_aura::Authorities::<Runtime>::get().into_inner()
}

fn grandpa_authorities() -> Vec<(GrandpaId, u64)> {
	pallet_grandpa::Pallet::<Runtime>::grandpa_authorities()
}

/// Signs `call` as `signer` with the full extension pipeline and applies it.
fn apply_signed(signer: Sr25519Keyring, call: impl Into<RuntimeCall>) {
	let call = call.into();
	let who = signer.to_account_id();
	let extension: TxExtension = (
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(Era::Immortal),
		frame_system::CheckNonce::from(System::account_nonce(&who)),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::new(false),
		frame_system::WeightReclaim::new(),
	);
	let payload = SignedPayload::new(call.clone(), extension.clone()).expect("implicit data");
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	let xt = UncheckedExtrinsic::new_signed(
		call,
		MultiAddress::Id(who),
		MultiSignature::Sr25519(signature),
		extension,
	);
	Executive::apply_extrinsic(xt).expect("extrinsic is valid").expect("extrinsic's call succeeds");
}

/// Drives blocks through `Executive` as a block builder does: Aura pre-digest (slot == block
/// number), timestamp inherent, `during`, `finalize_block`.
struct Chain {
	parent_hash: <Block as BlockT>::Hash,
	number: BlockNumber,
}

impl Chain {
	fn new() -> Self {
		Self { parent_hash: Default::default(), number: 0 }
	}

	fn next_block(&mut self, during: impl FnOnce()) -> Header {
		let number = self.number + 1;
		let slot = Slot::from(u64::from(number));
		let digest = Digest { logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode())] };
		let header =
			Header::new(number, Default::default(), Default::default(), self.parent_hash, digest);
		Executive::initialize_block(&header);
		let now = u64::from(number) * SLOT_DURATION;
		let timestamp =
			UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(pallet_timestamp::Call::set {
				now,
			}));
		Executive::apply_extrinsic(timestamp)
			.expect("timestamp inherent is valid")
			.expect("timestamp inherent dispatches");
		Executive::inherents_applied();
		during();
		let header = Executive::finalize_block();
		assert_eq!(*header.number(), number);
		self.parent_hash = header.hash();
		self.number = number;
		header
	}
}

// ---------------------------------------------------------------------------------------------
// Genesis
// ---------------------------------------------------------------------------------------------

#[test]
fn preset_names_are_development_and_local() {
	assert_eq!(preset_names(), vec![DEVELOPMENT_PRESET.to_string(), LOCAL_PRESET.to_string()]);
	assert!(genesis_config_presets::get_preset(&"no-such-preset".into()).is_none());
}

#[test]
fn consumer_keys_are_derived_and_never_the_provider_keys() {
	for name in LOCAL_VALIDATORS {
		let derived =
			sp_core::ed25519::Pair::from_string(&format!("//{name}//consumer"), None).unwrap();
		assert_eq!(consumer_key_seed(name), format!("//{name}//consumer"));
		assert_eq!(consumer_key(name).unwrap().0, derived.public().0);
		// DESIGN §2: never a provider session key (the provider presets use `//<Name>`).
		for provider in Ed25519Keyring::iter() {
			assert_ne!(consumer_key(name).unwrap().0, provider.public().0, "{name} vs {provider}");
		}
	}
}

/// Checks a preset's genesis: the initial set is the Aura and GRANDPA authority set.
fn check_genesis(preset: &str, names: &[&str]) {
	preset_ext(preset).execute_with(|| {
		let aura = expected_aura(names);
		assert_eq!(aura_authorities(), aura);
		let grandpa: Vec<(GrandpaId, u64)> = aura
			.iter()
			.map(|a| (GrandpaId::from(a.clone().into_inner()), PRESET_VALIDATOR_POWER))
			.collect();
		assert_eq!(grandpa_authorities(), grandpa);
		assert_eq!(pallet_grandpa::CurrentSetId::<Runtime>::get(), 0);
		let current: Vec<_> = CcvConsumer::current_validators().iter().map(|v| v.key.0).collect();
		let aura_raw: Vec<_> = aura.iter().map(|a| a.clone().into_inner().0).collect();
		assert_eq!(current, aura_raw);
		// The provider client lives in pallet-ibc (checked in detail in `ibc`).
		assert_eq!(
			pallet_ccv_consumer::ProviderClientId::<Runtime>::get().unwrap().to_vec(),
			b"10-grandpa-0".to_vec()
		);
		assert_eq!(
			pallet_ccv_consumer::Params::<Runtime>::get().unwrap().blocks_per_session,
			PRESET_BLOCKS_PER_SESSION
		);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
		for account in Sr25519Keyring::well_known() {
			assert!(System::account_exists(&account.to_account_id()), "{account:?} endowed");
		}
		let ccv_account = CcvPalletId::get().into_account_truncating();
		assert!(System::account_exists(&ccv_account));
		assert!(System::account_exists(&RedistributionAccount::get()));
	});
}

#[test]
fn development_preset_installs_the_initial_set() {
	check_genesis(DEVELOPMENT_PRESET, &DEVELOPMENT_VALIDATORS);
}

#[test]
fn local_preset_installs_the_initial_set() {
	check_genesis(LOCAL_PRESET, &LOCAL_VALIDATORS);
}

/// What `frame-ics-node build-consumer-spec` puts in a spec: a provider's consumer genesis with
/// any chain id and the dev accounts builds a consumer with that id, that set and those accounts.
#[test]
fn dev_accounts_patch_builds_a_consumer_with_the_providers_genesis() {
	let names = ["Bob", "Charlie"];
	let initial = names
		.iter()
		.map(|n| ccv_primitives::ValidatorUpdate { key: consumer_key(n).unwrap(), power: 7 })
		.collect();
	let provider =
		genesis_config_presets::preset_provider_client_states("provider-local", &names).unwrap();
	let genesis = genesis_config_presets::preset_consumer_genesis(initial, provider).unwrap();
	let patch =
		genesis_config_presets::dev_accounts_genesis_patch("consumer-7".into(), genesis.clone());
	assert_eq!(patch["ccvConsumer"]["consumerGenesis"], serde_json::to_value(&genesis).unwrap());

	let mut config =
		serde_json::to_value(RuntimeGenesisConfig::default()).expect("default serializes");
	json_merge(&mut config, patch);
	let config: RuntimeGenesisConfig = serde_json::from_value(config).unwrap();
	sp_io::TestExternalities::new(config.build_storage().unwrap()).execute_with(|| {
		assert_eq!(frame_ics_consumer_runtime::ChainIdentity::chain_id(), b"consumer-7".to_vec());
		assert_eq!(aura_authorities(), expected_aura(&names));
		assert!(grandpa_authorities().iter().all(|(_, weight)| *weight == 7));
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
		for account in Sr25519Keyring::well_known() {
			assert!(System::account_exists(&account.to_account_id()), "{account:?} endowed");
		}
	});
}

#[test]
fn default_genesis_without_consumer_genesis_does_not_build() {
	let result = std::panic::catch_unwind(|| RuntimeGenesisConfig::default().build_storage());
	assert!(result.is_err(), "a consumer must not start without a consumer genesis");
}

#[test]
fn presets_round_trip_through_the_genesis_builder_api() {
	use sp_genesis_builder::runtime_decl_for_genesis_builder::GenesisBuilderV1;

	for name in [DEVELOPMENT_PRESET, LOCAL_PRESET] {
		assert!(<Runtime as GenesisBuilderV1<Block>>::preset_names().contains(&name.to_string()));
		assert!(<Runtime as GenesisBuilderV1<Block>>::get_preset(&Some(name.into())).is_some());
		let full = serde_json::to_vec(&preset_config(name)).expect("serializes");
		sp_io::TestExternalities::new_empty().execute_with(|| {
			<Runtime as GenesisBuilderV1<Block>>::build_state(full).expect("build_state");
			assert!(!aura_authorities().is_empty());
		});
	}
}

#[test]
fn metadata_v16_is_available() {
	use sp_api::runtime_decl_for_metadata::MetadataV2;

	let versions = <Runtime as MetadataV2<Block>>::metadata_versions();
	assert!(versions.contains(&16), "versions: {versions:?}");
	assert!(<Runtime as MetadataV2<Block>>::metadata_at_version(16).is_some());
}

// ---------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------

#[test]
fn local_chain_produces_blocks_across_sessions_with_its_genesis_set() {
	preset_ext(LOCAL_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		let blocks = 2 * PRESET_BLOCKS_PER_SESSION + 1;
		for _ in 0..blocks {
			let header = chain.next_block(|| {});
			// No VSC arrived (nothing relayed): no authority change is ever signalled; the only
			// consensus digest is pallet-ibc's `(timestamp, ibc_root)`.
			assert!(header.digest().logs().iter().all(|log| match log.as_consensus() {
				Some((engine, _)) => engine == ibc_client_grandpa::types::IBC_ENGINE_ID,
				None => true,
			}));
		}
		assert_eq!(System::block_number(), blocks);
		assert_eq!(pallet_ccv_consumer::CurrentSession::<Runtime>::get(), 2);
		assert_eq!(aura_authorities(), expected_aura(&LOCAL_VALIDATORS));
		assert_eq!(pallet_grandpa::CurrentSetId::<Runtime>::get(), 0);
		assert_eq!(grandpa_authorities().len(), LOCAL_VALIDATORS.len());
		assert_eq!(u64::from(pallet_aura::CurrentSlot::<Runtime>::get()), u64::from(blocks));
	});
}

#[test]
fn transfers_pay_fees_split_between_consumer_and_provider() {
	preset_ext(DEVELOPMENT_PRESET).execute_with(|| {
		let ccv_account = CcvPalletId::get().into_account_truncating();
		let redistribution = RedistributionAccount::get();
		let ccv_before = Balances::balance(&ccv_account);
		let kept_before = Balances::balance(&redistribution);
		let bob = Sr25519Keyring::Bob.to_account_id();
		let bob_before = Balances::balance(&bob);

		let mut chain = Chain::new();
		chain.next_block(|| {
			apply_signed(
				Sr25519Keyring::Alice,
				pallet_balances::Call::transfer_keep_alive { dest: bob.clone().into(), value: 42 },
			)
		});

		assert_eq!(Balances::balance(&bob), bob_before + 42);
		let to_provider = Balances::balance(&ccv_account) - ccv_before;
		let kept = Balances::balance(&redistribution) - kept_before;
		assert!(to_provider > 0 && kept > 0, "fees split: {kept} kept, {to_provider} to provider");
		// ICS default: 75% stays on the consumer.
		assert!(kept > to_provider);
	});
}

// ---------------------------------------------------------------------------------------------
// pallet-ibc
// ---------------------------------------------------------------------------------------------

#[path = "consumer_runtime/ibc.rs"]
mod ibc;

// ---------------------------------------------------------------------------------------------
// GRANDPA equivocation
// ---------------------------------------------------------------------------------------------

/// The consumer key pair of a dev validator.
fn consumer_pair(name: &str) -> sp_core::ed25519::Pair {
	sp_core::ed25519::Pair::from_string(&consumer_key_seed(name), None).unwrap()
}

/// Two prevotes of `name` for different blocks in `round` of set `set_id`.
fn prevote_equivocation(
	name: &str,
	set_id: u64,
	round: u64,
) -> sp_consensus_grandpa::EquivocationProof<frame_ics_consumer_runtime::Hash, BlockNumber> {
	let pair = consumer_pair(name);
	let vote = |i: u8| {
		let v = finality_grandpa::Prevote {
			target_hash: sp_core::H256::repeat_byte(i),
			target_number: BlockNumber::from(i),
		};
		let m = finality_grandpa::Message::<sp_core::H256, BlockNumber>::Prevote(v.clone());
		(v, pair.sign(&sp_consensus_grandpa::localized_payload(round, set_id, &m)).into())
	};
	sp_consensus_grandpa::EquivocationProof::new(
		set_id,
		sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
			round_number: round,
			identity: GrandpaId::from(pair.public()),
			first: vote(1),
			second: vote(2),
		}),
	)
}

#[test]
fn grandpa_equivocation_reported_by_the_node_queues_a_double_sign_packet_and_exports_evidence() {
	use pallet_ccv_consumer::runtime_api::runtime_decl_for_ccv_consumer_api::CcvConsumerApiV2;
	use sp_consensus_grandpa::runtime_decl_for_grandpa_api::GrandpaApiV3;
	use sp_core::offchain::{testing::TestTransactionPoolExt, TransactionPoolExt};
	use sp_runtime::transaction_validity::{TransactionSource, TransactionValidity};

	// Pool validation on the current state, discarded afterwards (as a node runs it).
	fn validate_in_pool(xt: UncheckedExtrinsic, parent: sp_core::H256) -> TransactionValidity {
		frame_support::storage::with_transaction(|| {
			let validity = Executive::validate_transaction(TransactionSource::Local, xt, parent);
			sp_runtime::TransactionOutcome::Rollback(Ok::<_, sp_runtime::DispatchError>(validity))
		})
		.unwrap()
	}

	let mut ext = preset_ext(LOCAL_PRESET);
	let (pool, pool_state) = TestTransactionPoolExt::new();
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.execute_with(|| {
		let mut chain = Chain::new();
		chain.next_block(|| {});
		let bob = GrandpaId::from(consumer_pair("Bob").public());
		let equivocation = prevote_equivocation("Bob", 0, 1);

		// The node's path: key-ownership proof, then the unsigned report into the pool.
		let opaque = <Runtime as GrandpaApiV3<Block>>::generate_key_ownership_proof(0, bob.clone())
			.expect("Bob is an authority of set 0");
		let stranger = GrandpaId::from(Ed25519Keyring::Bob.public());
		assert!(
			<Runtime as GrandpaApiV3<Block>>::generate_key_ownership_proof(0, stranger).is_none()
		);
		assert_eq!(
			<Runtime as GrandpaApiV3<Block>>::submit_report_equivocation_unsigned_extrinsic(
				equivocation.clone(),
				opaque,
			),
			Some(())
		);
		let txs = pool_state.read().transactions.clone();
		assert_eq!(txs.len(), 1);
		let xt = UncheckedExtrinsic::decode(&mut &txs[0][..]).unwrap();
		// The pool accepts it from the local node (pallet-grandpa's `ValidateUnsigned`).
		assert!(validate_in_pool(xt.clone(), chain.parent_hash).is_ok());

		// The next author includes it.
		chain.next_block(|| {
			Executive::apply_extrinsic(xt.clone())
				.expect("report is valid")
				.expect("report dispatches");
		});
		let bob_key = consumer_key("Bob").unwrap();
		let double_signs: Vec<_> = CcvConsumer::pending_packets()
			.into_iter()
			.filter(|p| {
				matches!(p, ccv_primitives::ConsumerPacket::Slash(s)
					if s.infraction == ccv_primitives::Infraction::DoubleSign)
			})
			.collect();
		assert_eq!(
			double_signs,
			vec![ccv_primitives::ConsumerPacket::Slash(ccv_primitives::SlashPacket {
				validator: bob_key.address(),
				power: PRESET_VALIDATOR_POWER,
				vsc_id: 0,
				infraction: ccv_primitives::Infraction::DoubleSign,
			})]
		);
		// Included once: the same report is now stale, in the pool and in a block.
		assert!(validate_in_pool(xt.clone(), chain.parent_hash).is_err());

		// The evidence for the provider's `submit_consumer_equivocation`: the SCALE encoding of
		// `EquivocationProof<H256, u32>`, which the provider's GRANDPA client decodes.
		let evidence =
			<Runtime as CcvConsumerApiV2<Block, BlockNumber>>::equivocation_evidence(None);
		assert_eq!(evidence.len(), 1);
		assert_eq!((evidence[0].offender, evidence[0].set_id, evidence[0].round), (bob_key, 0, 1));
		assert_eq!(evidence[0].evidence, equivocation.encode());
		let decoded = <sp_consensus_grandpa::EquivocationProof<sp_core::H256, u32>>::decode(
			&mut &evidence[0].evidence[..],
		)
		.unwrap();
		assert!(sp_consensus_grandpa::check_equivocation_proof(decoded));
	});
}
