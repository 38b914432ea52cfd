//! pallet-ibc in the provider runtime: this chain's identity for self-client checks (chain id
//! from the preset, GRANDPA set id), ICS-20's `transfer` as a call of the runtime (refused
//! without a channel), and the runtime API (host records matching the `ibc0` digest, provable
//! state of a consumer's client, pending packets and acks).

use super::{ccv::launch_consumer, preset_ext, Chain};
use crate::{
	genesis_config_presets::{
		DEVELOPMENT_CHAIN_ID, DEVELOPMENT_PRESET, LOCAL_CHAIN_ID, LOCAL_PRESET,
	},
	time::SLOT_DURATION,
	Block, ChainIdentity, Ibc, Runtime, RuntimeCall, RuntimeOrigin, System,
};
use frame_support::traits::{GetCallName, UnfilteredDispatchable};
use ibc_client_grandpa::ConsensusState;
use ibc_core::host::types::path::ClientStatePath;
use pallet_ibc::{
	clients::HostChain, runtime_api::runtime_decl_for_ibc_runtime_api::IbcRuntimeApiV1,
};
use sp_keyring::Sr25519Keyring;

#[test]
fn chain_id_comes_from_the_preset_and_set_id_from_grandpa() {
	for (preset, chain_id) in
		[(LOCAL_PRESET, LOCAL_CHAIN_ID), (DEVELOPMENT_PRESET, DEVELOPMENT_CHAIN_ID)]
	{
		preset_ext(preset).execute_with(|| {
			assert_eq!(<ChainIdentity as HostChain>::chain_id(), chain_id.as_bytes().to_vec());
			assert_eq!(<ChainIdentity as HostChain>::grandpa_set_id(), 0);
			pallet_grandpa::CurrentSetId::<Runtime>::put(3);
			assert_eq!(<ChainIdentity as HostChain>::grandpa_set_id(), 3);
		});
	}
	// Without a genesis chain id: the runtime default.
	sp_io::TestExternalities::new_empty().execute_with(|| {
		assert_eq!(
			<ChainIdentity as HostChain>::chain_id(),
			crate::configs::DEFAULT_CHAIN_ID.as_bytes().to_vec()
		);
	});
}

#[test]
fn ics20_transfer_is_a_call_of_the_runtime() {
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

	preset_ext(LOCAL_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		chain.next_block(|| {
			let call = RuntimeCall::Ibc(pallet_ibc::Call::transfer {
				channel: b"channel-0".to_vec().try_into().expect("short"),
				denom: b"stake".to_vec().try_into().expect("short"),
				amount: 1_000,
				receiver: b"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
					.to_vec()
					.try_into()
					.expect("short"),
				timeout_height: None,
				timeout_timestamp_ms: Some(u64::MAX / 2_000_000),
				memo: Default::default(),
			});
			let origin = RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id());
			assert_eq!(
				call.dispatch_bypass_filter(origin).map_err(|e| e.error),
				Err(pallet_ibc::Error::<Runtime>::ChannelNotOpen.into())
			);
		});
	});
}

#[test]
fn runtime_api_serves_host_records_and_the_state_of_a_consumer_client() {
	preset_ext(LOCAL_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		chain.next_block(|| {});
		let path = pallet_ibc::store::key(&ClientStatePath::new(
			"10-grandpa-0".parse().expect("client id"),
		));
		assert_eq!(<Runtime as IbcRuntimeApiV1<Block>>::ibc_state(path.clone()), None);
		launch_consumer(&mut chain, 0, "consumer-0");
		let state = <Runtime as IbcRuntimeApiV1<Block>>::ibc_state(path).expect("client state");
		assert_eq!(
			Some(state),
			Ibc::ibc_state(&pallet_ibc::store::key(&ClientStatePath::new(
				"10-grandpa-0".parse().expect("client id"),
			)))
		);

		let number = System::block_number();
		let record = <Runtime as IbcRuntimeApiV1<Block>>::host_record(u64::from(number))
			.expect("a record of the last block");
		assert_eq!(record.height, u64::from(number));
		assert_eq!(record.timestamp_ns, u64::from(number) * SLOT_DURATION * 1_000_000);
		let header = System::finalize();
		let from_digest = ConsensusState::from_header(&header).expect("ibc0 digest");
		assert_eq!(from_digest.ibc_root, record.ibc_root);
		assert_eq!(<Runtime as IbcRuntimeApiV1<Block>>::host_record(u64::from(number) + 1), None);
		assert!(<Runtime as IbcRuntimeApiV1<Block>>::pending_packets(
			b"provider".to_vec(),
			b"channel-0".to_vec(),
			1,
			16
		)
		.is_empty());
		assert_eq!(
			<Runtime as IbcRuntimeApiV1<Block>>::written_ack(
				b"provider".to_vec(),
				b"channel-0".to_vec(),
				1
			),
			None
		);
	});
}
