//! Property tests: SCALE <-> wire JSON <-> bytes and SCALE <-> ibc-proto round-trip losslessly,
//! and canonical encodings are fixed points of decode + encode.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ccv_primitives::{
	wire::{self, Acknowledgement},
	ConsensusAddress, ConsensusKey, ConsumerPacket, Infraction, SlashAck, SlashPacket,
	ValidatorUpdate, VscMaturedPacket, VscPacket,
};
use codec::{Decode, Encode};
use ibc_proto::interchain_security::ccv::v1 as pb;
use proptest::prelude::*;
use prost::Message;

fn power() -> impl Strategy<Value = u64> {
	prop_oneof![0..=1000u64, 0..=i64::MAX as u64, Just(i64::MAX as u64)]
}

fn vsc_packet() -> impl Strategy<Value = VscPacket> {
	let updates = prop::collection::btree_map(any::<[u8; 32]>(), power(), 0..40).prop_map(|m| {
		m.into_iter()
			.map(|(k, power)| ValidatorUpdate { key: ConsensusKey(k), power })
			.collect::<Vec<_>>()
	});
	// Any Unicode up to 32 chars (at most 128 bytes), to exercise escaping.
	let acks =
		prop::collection::vec(any::<String>().prop_map(|s| s.chars().take(32).collect()), 0..8);
	(updates, any::<u64>(), acks).prop_map(|(updates, vsc_id, acks): (_, _, Vec<String>)| {
		VscPacket {
			validator_updates: updates.try_into().unwrap(),
			vsc_id,
			slash_acks: acks
				.iter()
				.map(|s| SlashAck::from_str(s).unwrap())
				.collect::<Vec<_>>()
				.try_into()
				.unwrap(),
		}
	})
}

fn consumer_packet() -> impl Strategy<Value = ConsumerPacket> {
	let slash = (any::<[u8; 20]>(), power(), any::<u64>(), any::<bool>()).prop_map(
		|(addr, power, vsc_id, downtime)| {
			ConsumerPacket::Slash(SlashPacket {
				validator: ConsensusAddress(addr),
				power,
				vsc_id,
				infraction: if downtime { Infraction::Downtime } else { Infraction::DoubleSign },
			})
		},
	);
	let matured =
		any::<u64>().prop_map(|vsc_id| ConsumerPacket::VscMatured(VscMaturedPacket { vsc_id }));
	prop_oneof![slash, matured]
}

proptest! {
	#[test]
	fn vsc_roundtrips(p in vsc_packet()) {
		// SCALE
		prop_assert_eq!(&VscPacket::decode(&mut &p.encode()[..]).unwrap(), &p);
		// wire JSON
		let json = wire::encode_vsc_packet(&p).unwrap();
		let back = wire::decode_vsc_packet(&json).unwrap();
		prop_assert_eq!(&back, &p);
		prop_assert_eq!(wire::encode_vsc_packet(&back).unwrap(), json.clone());
		// it is plain JSON any parser reads
		prop_assert!(serde_json::from_slice::<serde_json::Value>(&json).is_ok());
		// ibc-proto message, through its protobuf bytes
		let msg = pb::ValidatorSetChangePacketData::try_from(&p).unwrap();
		let msg = pb::ValidatorSetChangePacketData::decode(&msg.encode_to_vec()[..]).unwrap();
		prop_assert_eq!(&VscPacket::try_from(&msg).unwrap(), &p);
	}

	#[test]
	fn consumer_packet_roundtrips(p in consumer_packet()) {
		prop_assert_eq!(&ConsumerPacket::decode(&mut &p.encode()[..]).unwrap(), &p);
		let json = wire::encode_consumer_packet(&p).unwrap();
		let back = wire::decode_consumer_packet(&json).unwrap();
		prop_assert_eq!(&back, &p);
		prop_assert_eq!(wire::encode_consumer_packet(&back).unwrap(), json);
		let msg = pb::ConsumerPacketDataV1::try_from(&p).unwrap();
		let msg = pb::ConsumerPacketDataV1::decode(&msg.encode_to_vec()[..]).unwrap();
		prop_assert_eq!(&ConsumerPacket::try_from(&msg).unwrap(), &p);
	}

	#[test]
	fn ack_roundtrips(result in prop::collection::vec(any::<u8>(), 0..8), error in any::<String>()) {
		for ack in [Acknowledgement::Result(result.clone()), Acknowledgement::Error(error.clone())] {
			let json = ack.encode_json();
			prop_assert_eq!(&Acknowledgement::decode_json(&json).unwrap(), &ack);
			prop_assert_eq!(&Acknowledgement::decode(&mut &ack.encode()[..]).unwrap(), &ack);
		}
	}

	#[test]
	fn decoders_never_panic_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
		let _ = wire::decode_vsc_packet(&bytes);
		let _ = wire::decode_consumer_packet(&bytes);
		let _ = Acknowledgement::decode_json(&bytes);
	}
}

#[test]
fn powers_beyond_int64_are_refused_not_wrapped() {
	let p = VscPacket {
		validator_updates: vec![ValidatorUpdate { key: ConsensusKey([1; 32]), power: u64::MAX }]
			.try_into()
			.unwrap(),
		vsc_id: 1,
		slash_acks: Default::default(),
	};
	let err = wire::encode_vsc_packet(&p).unwrap_err();
	assert_eq!(err.to_string(), "validator_updates[0].power: integer out of 64-bit range");
	assert!(pb::ValidatorSetChangePacketData::try_from(&p).is_err());
}
