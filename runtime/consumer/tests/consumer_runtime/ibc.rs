//! pallet-ibc in the consumer runtime: the consumer genesis creates a GRANDPA client of the
//! provider in it (a client state that is not GRANDPA stops the genesis), ICS-20's `transfer`
//! is a call of the runtime, the CCV seams reach pallet-ibc (no channel yet: nothing leaves),
//! and the runtime API serves host records and provable state.

use super::{preset_config, preset_ext, Chain};
use ccv_primitives::channel::{ChannelError, IbcChannel, IbcId};
use frame_ics_consumer_runtime::{
	genesis_config_presets::{
		DEVELOPMENT_PRESET, DEVELOPMENT_VALIDATORS, LOCAL_PRESET, LOCAL_VALIDATORS,
		PRESET_PROVIDER_TRUSTING_PERIOD_MS,
	},
	time::SLOT_DURATION,
	Block, ChainIdentity, Ibc, Runtime, RuntimeCall, RuntimeOrigin,
};
use ibc_client_grandpa::{types::IBC_ENGINE_ID, ClientState, ConsensusState};
use ibc_core::{
	host::types::{
		identifiers::ClientId,
		path::{ClientConsensusStatePath, ClientStatePath},
	},
	primitives::proto::Any,
};
use pallet_ccv_consumer::RewardTransfer;
use pallet_ibc::runtime_api::runtime_decl_for_ibc_runtime_api::IbcRuntimeApiV1;
use prost::Message;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::{traits::Header as _, BuildStorage};

/// The provider client every consumer genesis creates first.
const PROVIDER_CLIENT: &str = "10-grandpa-0";

fn client_id() -> ClientId {
	PROVIDER_CLIENT.parse().unwrap()
}

/// The provider client state pallet-ibc stores, decoded.
fn stored_provider_client() -> ClientState {
	let bytes = Ibc::ibc_state(&pallet_ibc::store::key(&ClientStatePath::new(client_id())))
		.expect("pallet-ibc stores the provider client state");
	ClientState::try_from(Any::decode(bytes.as_slice()).unwrap()).expect("a GRANDPA state")
}

fn check_provider_client(preset: &str, provider_chain_id: &str, consumer_chain_id: &str) {
	let names: &[&str] =
		if preset == LOCAL_PRESET { &LOCAL_VALIDATORS } else { &DEVELOPMENT_VALIDATORS };
	preset_ext(preset).execute_with(|| {
		assert_eq!(pallet_ibc::ClientCounter::<Runtime>::get(), 1, "one client at genesis");
		assert_eq!(
			pallet_ccv_consumer::ProviderClientId::<Runtime>::get().unwrap().to_vec(),
			PROVIDER_CLIENT.as_bytes().to_vec()
		);
		let client = stored_provider_client();
		assert_eq!(client.chain_id.to_vec(), provider_chain_id.as_bytes().to_vec());
		assert_eq!((client.latest_height, client.latest_hash), (0, None));
		assert_eq!(client.trusting_period_ns, PRESET_PROVIDER_TRUSTING_PERIOD_MS * 1_000_000);
		assert!(!client.is_frozen());
		assert_eq!(client.authority_set.set_id, 0);
		let expected: Vec<_> = names
			.iter()
			.map(|name| {
				let key = match *name {
					"Alice" => Ed25519Keyring::Alice,
					"Bob" => Ed25519Keyring::Bob,
					_ => Ed25519Keyring::Charlie,
				};
				(key.public().into(), 1)
			})
			.collect();
		assert_eq!(client.authority_set.authorities.to_vec(), expected);
		// Its consensus state: genesis-style (zero root) at the client's height 1 (block 0).
		let path = ClientConsensusStatePath::new(client_id(), 0, 1);
		let bytes = Ibc::ibc_state(&pallet_ibc::store::key(&path)).expect("consensus state");
		let consensus: ibc_client_grandpa::IbcConsensusState =
			Any::decode(bytes.as_slice()).unwrap().try_into().unwrap();
		assert_eq!(
			ConsensusState::from(consensus),
			ConsensusState { timestamp_ns: 0, ibc_root: [0; 32] }
		);
		// The genesis block number is left as it was (the workaround restores it).
		assert_eq!(frame_system::Pallet::<Runtime>::block_number(), 0);
		// This chain's own id, for pallet-ibc's self-client checks.
		assert_eq!(ChainIdentity::chain_id(), consumer_chain_id.as_bytes().to_vec());
		assert_eq!(
			<ChainIdentity as pallet_ibc::clients::HostChain>::chain_id(),
			consumer_chain_id.as_bytes().to_vec()
		);
		assert_eq!(<ChainIdentity as pallet_ibc::clients::HostChain>::grandpa_set_id(), 0);
	});
}

#[test]
fn local_genesis_creates_the_grandpa_client_of_the_provider() {
	check_provider_client(LOCAL_PRESET, "provider-local", "consumer-local");
}

#[test]
fn development_genesis_creates_the_grandpa_client_of_the_provider() {
	check_provider_client(DEVELOPMENT_PRESET, "provider-dev", "consumer-dev");
}

#[test]
fn genesis_with_a_provider_client_state_that_is_not_grandpa_does_not_build() {
	let mut config = preset_config(LOCAL_PRESET);
	let genesis = config.ccv_consumer.consumer_genesis.as_mut().unwrap();
	// A well-formed `Any` of a client type this runtime does not know (Tendermint).
	let foreign = Any {
		type_url: "/ibc.lightclients.tendermint.v1.ClientState".into(),
		value: genesis.provider_client_state.to_vec(),
	};
	genesis.provider_client_state = foreign.encode_to_vec().try_into().unwrap();
	let result = std::panic::catch_unwind(move || config.build_storage());
	assert!(
		!matches!(result, Ok(Ok(_))),
		"a consumer genesis without a valid GRANDPA provider client must not build"
	);
}

#[test]
fn ics20_transfer_is_a_call_of_the_runtime() {
	use frame_support::traits::GetCallName;

	// In the metadata: pallet `Ibc` with calls `deliver` and `transfer`.
	let frame_metadata::RuntimeMetadataPrefixed(_, frame_metadata::RuntimeMetadata::V14(metadata)) =
		Runtime::metadata()
	else {
		panic!("the runtime's default metadata is V14");
	};
	let ibc = metadata.pallets.iter().find(|p| p.name == "Ibc").expect("pallet Ibc");
	let calls = ibc.calls.as_ref().expect("Ibc has calls");
	let call_type = metadata.types.resolve(calls.ty.id).expect("call type registered");
	let names: Vec<_> = match &call_type.type_def {
		scale_info::TypeDef::Variant(v) => v.variants.iter().map(|v| v.name.clone()).collect(),
		other => panic!("calls are a variant type, not {other:?}"),
	};
	assert!(names.contains(&"transfer".to_string()), "{names:?}");
	assert!(names.contains(&"deliver".to_string()), "{names:?}");
	assert!(pallet_ibc::Call::<Runtime>::get_call_names().contains(&"transfer"));

	// Dispatched: it reaches the ICS-20 app, which refuses an unknown channel.
	preset_ext(LOCAL_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		chain.next_block(|| {
			let call = RuntimeCall::Ibc(pallet_ibc::Call::transfer {
				channel: b"channel-0".to_vec().try_into().unwrap(),
				denom: b"stake".to_vec().try_into().unwrap(),
				amount: 1_000,
				receiver: b"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
					.to_vec()
					.try_into()
					.unwrap(),
				timeout_height: None,
				timeout_timestamp_ms: Some(u64::MAX / 2_000_000),
				memo: Default::default(),
			});
			let origin = RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id());
			let result =
				frame_support::traits::UnfilteredDispatchable::dispatch_bypass_filter(call, origin);
			assert_eq!(
				result.map_err(|e| e.error),
				Err(pallet_ibc::Error::<Runtime>::ChannelNotOpen.into())
			);
		});
	});
}

#[test]
fn ccv_seams_reach_pallet_ibc_and_wait_for_channels() {
	preset_ext(LOCAL_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		chain.next_block(|| {
			let channel = IbcId::try_from(b"channel-0".to_vec()).unwrap();
			assert_eq!(
				<Ibc as IbcChannel>::send_packet(b"consumer", &channel, vec![1], u64::MAX / 4),
				Err(ChannelError::ChannelNotOpen)
			);
			let ccv_account = sp_runtime::traits::AccountIdConversion::into_account_truncating(
				&frame_ics_consumer_runtime::configs::CcvPalletId::get(),
			);
			assert_eq!(
				<Ibc as RewardTransfer<_, _>>::send_rewards(
					&channel,
					&ccv_account,
					1,
					b"fee-pool",
					b"memo",
					u64::MAX / 4,
				),
				Err(ChannelError::ChannelNotOpen)
			);
			// No connection exists to open the transfer channel on.
			let connection = IbcId::try_from(b"connection-0".to_vec()).unwrap();
			assert!(<Ibc as IbcChannel>::open_transfer_channel(&connection).is_err());
		});
	});
}

#[test]
fn runtime_api_serves_host_records_and_provable_state() {
	preset_ext(LOCAL_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		let headers: Vec<_> = (0..3).map(|_| chain.next_block(|| {})).collect();
		for header in &headers {
			let number = u64::from(*header.number());
			let record = <Runtime as IbcRuntimeApiV1<Block>>::host_record(number)
				.expect("a record of every recent block");
			assert_eq!(record.height, number);
			assert_eq!(record.timestamp_ns, number * SLOT_DURATION * 1_000_000);
			// The digest relayers and clients read carries the same root and time.
			let from_digest = ConsensusState::from_header(header).expect("ibc0 digest");
			assert_eq!(
				(from_digest.timestamp_ns, from_digest.ibc_root),
				(record.timestamp_ns, record.ibc_root)
			);
			assert!(header
				.digest()
				.logs()
				.iter()
				.any(|l| l.as_consensus().is_some_and(|(engine, _)| engine == IBC_ENGINE_ID)));
		}
		assert_eq!(<Runtime as IbcRuntimeApiV1<Block>>::host_record(0), None);
		assert_eq!(<Runtime as IbcRuntimeApiV1<Block>>::host_record(99), None);
		let path = pallet_ibc::store::key(&ClientStatePath::new(client_id()));
		let state = <Runtime as IbcRuntimeApiV1<Block>>::ibc_state(path).expect("client state");
		assert_eq!(
			ClientState::try_from(Any::decode(state.as_slice()).unwrap()).unwrap(),
			stored_provider_client()
		);
		assert_eq!(<Runtime as IbcRuntimeApiV1<Block>>::ibc_state(b"no/such/path".to_vec()), None);
		let none = <Runtime as IbcRuntimeApiV1<Block>>::pending_packets(
			b"consumer".to_vec(),
			b"channel-0".to_vec(),
			1,
			16,
		);
		assert!(none.is_empty());
		assert_eq!(
			<Runtime as IbcRuntimeApiV1<Block>>::written_ack(
				b"consumer".to_vec(),
				b"channel-0".to_vec(),
				1
			),
			None
		);
	});
}
