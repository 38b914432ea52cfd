//! Vectors from cosmos/interchain-security (`x/ccv/types/wire_test.go`) and values computed
//! independently (Python's hashlib/base64): decode to the expected SCALE values and re-encode
//! byte-for-byte.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ccv_primitives::{
	wire::{self, Acknowledgement, CcvAckResult, HandshakeMetadata},
	ConsensusAddress, ConsensusKey, ConsumerPacket, Infraction, SlashAck, SlashPacket,
	ValidatorUpdate, VscMaturedPacket, VscPacket,
};

const GO_VSC: &str = r#"{"validator_updates":[{"pub_key":{"ed25519":"SMxP2pXAuxQC7FmBn4dh4Kt5eYdQFWC/wN7oWobZKds="},"power":"30"},{"pub_key":{"ed25519":"J/nGy0vCXhgVbr8S71B4ZgHi4fsMqtDxDlERZ+gG238="},"power":"20"}],"valset_update_id":"73","slash_acks":["slash","acks","example"]}"#;
const GO_SLASH: &str = r#"{"type":"CONSUMER_PACKET_TYPE_SLASH","slashPacketData":{"validator":{"address":"BP9q4oXCgubvoujOKyxIxd+3IwM=","power":"4328"},"valset_update_id":"894732","infraction":"INFRACTION_TYPE_DOUBLE_SIGN"}}"#;
const GO_VSCM: &str =
	r#"{"type":"CONSUMER_PACKET_TYPE_VSCM","vscMaturedPacketData":{"valset_update_id":"84923"}}"#;

fn key(hex_str: &str) -> ConsensusKey {
	let mut k = [0u8; 32];
	hex::decode_to_slice(hex_str, &mut k).unwrap();
	ConsensusKey(k)
}

fn go_vsc_value() -> VscPacket {
	VscPacket {
		validator_updates: vec![
			ValidatorUpdate {
				key: key("48cc4fda95c0bb1402ec59819f8761e0ab797987501560bfc0dee85a86d929db"),
				power: 30,
			},
			ValidatorUpdate {
				key: key("27f9c6cb4bc25e18156ebf12ef50786601e2e1fb0caad0f10e511167e806db7f"),
				power: 20,
			},
		]
		.try_into()
		.unwrap(),
		vsc_id: 73,
		slash_acks: ["slash", "acks", "example"]
			.iter()
			.map(|s| SlashAck::from_str(s).unwrap())
			.collect::<Vec<_>>()
			.try_into()
			.unwrap(),
	}
}

#[test]
fn go_vsc_decodes_and_reencodes_byte_exactly() {
	let decoded = wire::decode_vsc_packet(GO_VSC.as_bytes()).unwrap();
	assert_eq!(decoded, go_vsc_value());
	assert_eq!(wire::encode_vsc_packet(&decoded).unwrap(), GO_VSC.as_bytes());
}

#[test]
fn go_slash_packet_decodes_and_reencodes_byte_exactly() {
	let decoded = wire::decode_consumer_packet(GO_SLASH.as_bytes()).unwrap();
	let mut addr = [0u8; 20];
	hex::decode_to_slice("04ff6ae285c282e6efa2e8ce2b2c48c5dfb72303", &mut addr).unwrap();
	assert_eq!(
		decoded,
		ConsumerPacket::Slash(SlashPacket {
			validator: ConsensusAddress(addr),
			power: 4328,
			vsc_id: 894732,
			infraction: Infraction::DoubleSign,
		})
	);
	assert_eq!(wire::encode_consumer_packet(&decoded).unwrap(), GO_SLASH.as_bytes());
}

#[test]
fn go_vsc_matured_packet_decodes_and_reencodes_byte_exactly() {
	let decoded = wire::decode_consumer_packet(GO_VSCM.as_bytes()).unwrap();
	assert_eq!(decoded, ConsumerPacket::VscMatured(VscMaturedPacket { vsc_id: 84923 }));
	assert_eq!(wire::encode_consumer_packet(&decoded).unwrap(), GO_VSCM.as_bytes());
}

#[test]
fn sdk_infraction_names_decode_like_v1_names() {
	let sdk = GO_SLASH.replace("INFRACTION_TYPE_DOUBLE_SIGN", "INFRACTION_DOWNTIME");
	let Ok(ConsumerPacket::Slash(p)) = wire::decode_consumer_packet(sdk.as_bytes()) else {
		panic!("SDK-form slash packet must decode")
	};
	assert_eq!(p.infraction, Infraction::Downtime);
	// Re-encoding always produces the V1 name, as Go's GetBytes() does.
	let out = String::from_utf8(wire::encode_consumer_packet(&ConsumerPacket::Slash(p)).unwrap())
		.unwrap();
	assert!(out.contains(r#""infraction":"INFRACTION_TYPE_DOWNTIME""#), "{out}");
}

#[test]
fn non_canonical_spellings_decode_to_the_same_packet() {
	// camelCase field names, bare integers, enum numbers: all valid proto3 JSON.
	let relaxed = r#"{ "validatorUpdates": [ {"pubKey":{"ed25519":"SMxP2pXAuxQC7FmBn4dh4Kt5eYdQFWC/wN7oWobZKds="},"power":30},
		{"pub_key":{"ed25519":"J/nGy0vCXhgVbr8S71B4ZgHi4fsMqtDxDlERZ+gG238="},"power":"20"} ],
		"valsetUpdateId": 73, "slashAcks": ["slash","acks","example"] }"#;
	let decoded = wire::decode_vsc_packet(relaxed.as_bytes()).unwrap();
	assert_eq!(decoded, go_vsc_value());
	assert_eq!(wire::encode_vsc_packet(&decoded).unwrap(), GO_VSC.as_bytes());

	let numeric = r#"{"type":2,"vscMaturedPacketData":{"valsetUpdateId":"84923"}}"#;
	assert_eq!(
		wire::decode_consumer_packet(numeric.as_bytes()).unwrap(),
		ConsumerPacket::VscMatured(VscMaturedPacket { vsc_id: 84923 })
	);
}

#[test]
fn empty_vsc_emits_defaults_like_go() {
	let p = VscPacket {
		validator_updates: Default::default(),
		vsc_id: 1,
		slash_acks: Default::default(),
	};
	assert_eq!(
		wire::encode_vsc_packet(&p).unwrap(),
		br#"{"validator_updates":[],"valset_update_id":"1","slash_acks":[]}"#
	);
}

#[test]
fn consensus_address_is_sha256_prefix_of_the_key() {
	// Expected values computed with Python: hashlib.sha256(key).hexdigest()[:40].
	let v = go_vsc_value();
	let a0 = v.validator_updates[0].key.address();
	let a1 = v.validator_updates[1].key.address();
	assert_eq!(hex::encode(a0.0), "02c66b96f238174918067c0828c0c837b54c7690");
	assert_eq!(hex::encode(a1.0), "a53b27c8b1b6f080277be34af651f58e18f6f925");
}

#[test]
fn slash_acks_carry_bech32_consensus_addresses() {
	let addr = go_vsc_value().validator_updates[0].key.address();
	let ack = SlashAck::from_address(&addr, "cosmosvalcons").unwrap();
	assert!(ack.as_str().unwrap().starts_with("cosmosvalcons1"));
	assert_eq!(ack.address("cosmosvalcons"), Some(addr));
	assert_eq!(ack.address("othervalcons"), None);
	assert_eq!(SlashAck::from_str("slash").unwrap().address("cosmosvalcons"), None);
}

#[test]
fn ack_envelopes_match_ibc_go() {
	let cases = [
		(CcvAckResult::V1, r#"{"result":"AQ=="}"#),
		(CcvAckResult::SlashHandled, r#"{"result":"Ag=="}"#),
		(CcvAckResult::SlashBounced, r#"{"result":"Aw=="}"#),
	];
	for (result, json) in cases {
		assert_eq!(Acknowledgement::ccv(result).encode_json(), json.as_bytes());
		let back = Acknowledgement::decode_json(json.as_bytes()).unwrap();
		assert_eq!(back.ccv_result().unwrap(), Some(result));
	}
	let err = Acknowledgement::Error("ABCI code: 1: error handling packet".into());
	let json = err.encode_json();
	assert_eq!(json, br#"{"error":"ABCI code: 1: error handling packet"}"#);
	assert_eq!(Acknowledgement::decode_json(&json).unwrap().ccv_result().unwrap(), None);
	// A two-byte result is not a CCV result.
	let bad = Acknowledgement::decode_json(br#"{"result":"AQE="}"#).unwrap();
	assert!(bad.ccv_result().is_err());
}

#[test]
fn handshake_metadata_is_protobuf() {
	let m = HandshakeMetadata { provider_fee_pool_addr: "cosmos1fee".into(), version: "1".into() };
	// field 1 (tag 0x0a) len 10 "cosmos1fee", field 2 (tag 0x12) len 1 "1"
	let mut expected = vec![0x0a, 10];
	expected.extend_from_slice(b"cosmos1fee");
	expected.extend_from_slice(&[0x12, 1, b'1']);
	assert_eq!(m.encode_proto(), expected);
	let version = m.to_version_string().unwrap();
	assert_eq!(HandshakeMetadata::from_version_string(&version).unwrap(), m);
	assert!(HandshakeMetadata::decode_proto(&[0x0a, 50, b'x']).is_err());
}

#[test]
fn strings_are_escaped_as_go_encoding_json_does() {
	let p = VscPacket {
		validator_updates: Default::default(),
		vsc_id: 9,
		slash_acks: vec![SlashAck::from_str("a<b>&\"c\\\n\t\u{1}\u{8}\u{2028}é").unwrap()]
			.try_into()
			.unwrap(),
	};
	let out = wire::encode_vsc_packet(&p).unwrap();
	let expected = r#"{"validator_updates":[],"valset_update_id":"9","slash_acks":["a\u003cb\u003e\u0026\"c\\\n\t\u0001\b\u2028é"]}"#;
	assert_eq!(String::from_utf8(out.clone()).unwrap(), expected);
	assert_eq!(wire::decode_vsc_packet(&out).unwrap(), p);
}
