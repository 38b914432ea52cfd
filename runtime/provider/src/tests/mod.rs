//! Native runtime tests: genesis from the presets, blocks through `Executive`, staking rotation,
//! offences, and the CCV provider flows (one file per flow, `ccv_*`).

mod apis;
mod ccv_api;
mod ccv_commission;
mod ccv_equivocation;
mod ccv_eras;
mod ccv_launch;
mod ccv_rewards;
mod genesis;
mod ibc;
mod offences;
mod staking;

use crate::{
	genesis_config_presets, time::SLOT_DURATION, Block, BlockNumber, Executive, Header,
	RuntimeCall, RuntimeGenesisConfig, SignedPayload, System, TxExtension, UncheckedExtrinsic,
};
use codec::Encode;
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{generic::Era, MultiAddress, MultiSignature};
use sp_runtime::{
	traits::{Block as BlockT, Header as HeaderT},
	BuildStorage, Digest, DigestItem,
};

/// Merges `patch` into `base` the way chain-spec builders apply genesis patches: objects merge
/// key by key, everything else is replaced.
pub(crate) fn json_merge(base: &mut serde_json::Value, patch: serde_json::Value) {
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
pub(crate) fn preset_config(name: &str) -> RuntimeGenesisConfig {
	let patch_bytes = genesis_config_presets::get_preset(&name.into()).expect("known preset");
	let patch: serde_json::Value = serde_json::from_slice(&patch_bytes).expect("preset is JSON");
	let mut config =
		serde_json::to_value(RuntimeGenesisConfig::default()).expect("default serializes");
	json_merge(&mut config, patch);
	serde_json::from_value(config).expect("merged preset is a valid RuntimeGenesisConfig")
}

/// Externalities holding the genesis state of a named preset, with an in-memory keystore.
pub(crate) fn preset_ext(name: &str) -> sp_io::TestExternalities {
	let storage = preset_config(name).build_storage().expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext
}

/// Signs `call` as `signer` with the runtime's full transaction-extension pipeline (nonce, fee,
/// genesis, ...) and applies it through `Executive::apply_extrinsic`, as a block builder does.
/// Panics unless the extrinsic is valid and its call succeeds.
pub(crate) fn apply_signed(signer: Sr25519Keyring, call: impl Into<RuntimeCall>) {
	try_apply_signed(signer, call).expect("extrinsic's call succeeds");
}

/// As [`apply_signed`], but returns the call's outcome (the extrinsic must still be valid: a
/// failing call is included and pays its fee).
pub(crate) fn try_apply_signed(
	signer: Sr25519Keyring,
	call: impl Into<RuntimeCall>,
) -> sp_runtime::DispatchOutcome {
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
	Executive::apply_extrinsic(xt).expect("extrinsic is valid")
}

/// Drives blocks through `Executive` as a block builder would: Aura pre-digest, timestamp
/// inherent, whatever `during` applies, then `finalize_block`.
pub(crate) struct Chain {
	parent_hash: <Block as BlockT>::Hash,
	number: BlockNumber,
}

impl Chain {
	/// Starts after genesis (block 0). The genesis hash is a placeholder: nothing checks it.
	pub(crate) fn new() -> Self {
		Self { parent_hash: Default::default(), number: 0 }
	}

	/// The last produced block number.
	pub(crate) fn number(&self) -> BlockNumber {
		self.number
	}

	/// The hash of the last produced block (the next block's parent).
	pub(crate) fn parent_hash(&self) -> <Block as BlockT>::Hash {
		self.parent_hash
	}

	/// Produces the next block; `during` runs after the inherents, inside the block.
	pub(crate) fn next_block(&mut self, during: impl FnOnce()) {
		let number = self.number + 1;
		// One block per slot, slot == block number.
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
		assert_eq!(System::block_number(), number);
	}

	/// Produces empty blocks until `until` holds after a block, at most `max` blocks.
	pub(crate) fn run_until(&mut self, max: u32, until: impl Fn() -> bool) {
		for _ in 0..max {
			self.next_block(|| {});
			if until() {
				return;
			}
		}
		panic!("condition not reached within {max} blocks (at block {})", self.number);
	}
}

/// Helpers of the CCV provider tests.
pub(crate) mod ccv {
	use super::apply_signed;
	use crate::{Runtime, RuntimeCall, RuntimeEvent, System};
	use ccv_primitives::{ConsensusKey, ConsumerId, ConsumerParams};
	use pallet_ccv_provider::{InitParams, PowerShapingParams};
	use sp_core::Pair;
	use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

	/// The consumer consensus key of `who` on `consumer_id`, derived as `//<Name>//consumer-<id>`
	/// (never one of the provider session keys, which are `//<Name>`).
	pub(crate) fn consumer_key(who: Ed25519Keyring, consumer_id: ConsumerId) -> ConsensusKey {
		let seed = format!("{}//consumer-{consumer_id}", who.to_seed());
		let pair = sp_core::ed25519::Pair::from_string(&seed, None).expect("valid seed");
		ConsensusKey(pair.public().0)
	}

	/// Dispatches `call` as root through a signed `sudo` of Alice (the presets' sudo key) and
	/// panics unless the inner call succeeds (sudo itself succeeds either way).
	pub(crate) fn sudo(call: impl Into<RuntimeCall>) {
		apply_signed(
			Sr25519Keyring::Alice,
			pallet_sudo::Call::sudo { call: Box::new(call.into()) },
		);
		let outcome = System::events()
			.into_iter()
			.rev()
			.find_map(|record| match record.event {
				RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result }) => Some(sudo_result),
				_ => None,
			})
			.expect("a Sudid event");
		outcome.expect("the sudo call succeeds");
	}

	/// `create_consumer` of `chain_id` with default CCV parameters, spawning at `spawn_time_ms`
	/// (`None`: registered only), top-N `top_n` (0: opt-in).
	pub(crate) fn create_consumer(
		chain_id: &str,
		spawn_time_ms: Option<u64>,
		top_n: u8,
	) -> pallet_ccv_provider::Call<Runtime> {
		pallet_ccv_provider::Call::create_consumer {
			chain_id: chain_id.as_bytes().to_vec().try_into().expect("a short chain id"),
			metadata: Default::default(),
			init_params: Some(InitParams { spawn_time_ms, params: ConsumerParams::default() }),
			power_shaping: PowerShapingParams { top_n, ..Default::default() },
			infraction_params: Default::default(),
		}
	}

	/// `who` assigns its derived consumer key on `consumer_id`, as a signed transaction.
	pub(crate) fn assign_key(who: (Sr25519Keyring, Ed25519Keyring), consumer_id: ConsumerId) {
		apply_signed(
			who.0,
			pallet_ccv_provider::Call::assign_consumer_key {
				consumer_id,
				key: consumer_key(who.1, consumer_id),
			},
		);
	}

	/// Runs every pallet's `try_state` (the provider pallet's invariants: key-assignment
	/// bijection, phases against the queues, VSC records, reward bookkeeping) when built with
	/// `--features try-runtime`; does nothing otherwise.
	pub(crate) fn check_invariants() {
		#[cfg(feature = "try-runtime")]
		{
			use frame_support::traits::{TryState, TryStateSelect};
			<crate::AllPalletsWithSystem as TryState<crate::BlockNumber>>::try_state(
				System::block_number(),
				TryStateSelect::All,
			)
			.expect("every pallet's invariants hold");
		}
	}

	/// The provider pallet's events of the current block.
	pub(crate) fn ccv_events() -> Vec<pallet_ccv_provider::Event<Runtime>> {
		System::events()
			.into_iter()
			.filter_map(|record| match record.event {
				RuntimeEvent::CcvProvider(event) => Some(event),
				_ => None,
			})
			.collect()
	}

	/// Creates consumer `consumer_id` (`chain_id`, opt-in) spawning at the next block, has
	/// every local validator assign its key and opt in, runs until it launches and returns the
	/// id of its client on this chain.
	pub(crate) fn launch_consumer(
		chain: &mut super::Chain,
		consumer_id: ConsumerId,
		chain_id: &str,
	) -> Vec<u8> {
		use pallet_ccv_provider::{ConsumerPhase, Phase};
		let spawn_time_ms = u64::from(chain.number() + 2) * crate::time::SLOT_DURATION;
		chain.next_block(|| sudo(create_consumer(chain_id, Some(spawn_time_ms), 0)));
		chain.next_block(|| {
			for validator in LOCAL_VALIDATORS {
				assign_key(validator, consumer_id);
				apply_signed(validator.0, pallet_ccv_provider::Call::opt_in { consumer_id });
			}
		});
		chain.run_until(10, || {
			Phase::<Runtime>::get(consumer_id) != Some(ConsumerPhase::Initialized)
		});
		assert_eq!(Phase::<Runtime>::get(consumer_id), Some(ConsumerPhase::Launched));
		pallet_ccv_provider::ConsumerClient::<Runtime>::get(consumer_id)
			.expect("a launched consumer has a client")
			.to_vec()
	}

	/// The local preset's validators: dev account and consensus seed.
	pub(crate) const LOCAL_VALIDATORS: [(Sr25519Keyring, Ed25519Keyring); 3] = [
		(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
		(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
	];
}
