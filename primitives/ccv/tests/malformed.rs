//! Malformed input table: each case must be refused with the named field and error, never a
//! panic and never a silently different packet.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ccv_primitives::wire::{self, Acknowledgement, WireError, WireErrorKind as K};

const KEY: &str = "SMxP2pXAuxQC7FmBn4dh4Kt5eYdQFWC/wN7oWobZKds=";
const KEY2: &str = "J/nGy0vCXhgVbr8S71B4ZgHi4fsMqtDxDlERZ+gG238=";

fn vsc(updates: &str) -> String {
	format!(r#"{{"validator_updates":[{updates}],"valset_update_id":"5","slash_acks":[]}}"#)
}

fn update(key: &str, power: &str) -> String {
	format!(r#"{{"pub_key":{{"ed25519":"{key}"}},"power":{power}}}"#)
}

fn slash(validator: &str, infraction: &str) -> String {
	format!(
		r#"{{"type":"CONSUMER_PACKET_TYPE_SLASH","slashPacketData":{{"validator":{validator},"valset_update_id":"1","infraction":{infraction}}}}}"#
	)
}

fn check(result: Result<impl core::fmt::Debug, WireError>, path: &str, kind: K) {
	match result {
		Err(e) => assert_eq!((e.path.as_str(), &e.kind), (path, &kind), "got: {e}"),
		Ok(v) => panic!("expected {path}: {kind}, decoded {v:?}"),
	}
}

#[test]
fn vsc_table() {
	let d = |s: &str| wire::decode_vsc_packet(s.as_bytes());
	let key31 = "SMxP2pXAuxQC7FmBn4dh4Kt5eYdQFWC/wN7oWobZKQ==";
	let valid = vsc(&update(KEY, "\"1\""));
	let trailing = format!("trailing characters at line 1 column {}", valid.len() + 1);
	let cases: Vec<(String, &str, K)> = vec![
		// not JSON / trailing garbage
		("".into(), "", K::Syntax("EOF while parsing a value at line 1 column 0".into())),
		(valid.clone() + "x", "", K::Syntax(trailing.clone())),
		(valid.clone() + "{}", "", K::Syntax(trailing.clone())),
		// wrong shapes
		("[]".into(), "", K::ExpectedType { expected: "object", found: "array" }),
		(
			r#"{"validator_updates":{}}"#.into(),
			"validator_updates",
			K::ExpectedType { expected: "array", found: "object" },
		),
		(
			r#"{"slash_acks":[1]}"#.into(),
			"slash_acks[0]",
			K::ExpectedType { expected: "string", found: "number" },
		),
		// unknown and duplicate fields
		(r#"{"valset_update_id":"1","extra":1}"#.into(), "extra", K::UnknownField),
		(
			r#"{"valset_update_id":"1","valset_update_id":"2"}"#.into(),
			"valset_update_id",
			K::DuplicateField,
		),
		(
			r#"{"valset_update_id":"1","valsetUpdateId":"2"}"#.into(),
			"valsetUpdateId",
			K::DuplicateField,
		),
		// keys
		(
			vsc(&format!(r#"{{"pub_key":{{"secp256k1":"{KEY}"}},"power":"1"}}"#)),
			"validator_updates[0].pub_key.secp256k1",
			K::NonEd25519Key("secp256k1".into()),
		),
		(
			vsc(&format!(r#"{{"pub_key":{{"ed25519":"{KEY}","secp256k1":"{KEY}"}},"power":"1"}}"#)),
			"validator_updates[0].pub_key",
			K::ConflictingOneof,
		),
		(vsc(r#"{"pub_key":{},"power":"1"}"#), "validator_updates[0].pub_key", K::MissingOneof),
		(vsc(r#"{"power":"1"}"#), "validator_updates[0].pub_key", K::MissingOneof),
		(vsc(&update(key31, "\"1\"")), "validator_updates[0].pub_key.ed25519", K::KeyLength(31)),
		(
			vsc(&update("not base64!", "\"1\"")),
			"validator_updates[0].pub_key.ed25519",
			K::InvalidBase64,
		),
		(
			vsc(&format!(r#"{{"pub_key":{{"ed25519":"{KEY}","sr25519":"x"}},"power":"1"}}"#)),
			"validator_updates[0].pub_key.sr25519",
			K::UnknownField,
		),
		// duplicate key in one VSC
		(
			vsc(&format!("{},{}", update(KEY, "\"1\""), update(KEY, "\"2\""))),
			"validator_updates",
			K::DuplicateKey,
		),
		// integers
		(
			vsc(&update(KEY, "\"9223372036854775808\"")),
			"validator_updates[0].power",
			K::IntegerOverflow,
		),
		(vsc(&update(KEY, "\"-1\"")), "validator_updates[0].power", K::NegativePower),
		(vsc(&update(KEY, "\"1.5\"")), "validator_updates[0].power", K::InvalidInteger),
		(vsc(&update(KEY, "\"01\"")), "validator_updates[0].power", K::InvalidInteger),
		(vsc(&update(KEY, "1e3")), "validator_updates[0].power", K::InvalidInteger),
		(
			vsc(&update(KEY, "true")),
			"validator_updates[0].power",
			K::ExpectedType { expected: "integer", found: "boolean" },
		),
		(
			r#"{"valset_update_id":"18446744073709551616"}"#.into(),
			"valset_update_id",
			K::IntegerOverflow,
		),
		(
			r#"{"valset_update_id":184467440737095516160}"#.into(),
			"valset_update_id",
			K::IntegerOverflow,
		),
		(r#"{"valset_update_id":"-3"}"#.into(), "valset_update_id", K::InvalidInteger),
		// bounds
		(format!(r#"{{"slash_acks":["{}"]}}"#, "a".repeat(129)), "slash_acks[0]", K::TooLong(128)),
	];
	for (input, path, kind) in cases {
		check(d(&input), path, kind);
	}
	// Sanity: the valid neighbours of these cases decode.
	assert!(d(&valid).is_ok());
	assert!(d(&(valid + " \n\t")).is_ok());
	assert!(d(&vsc(&format!("{},{}", update(KEY, "\"1\""), update(KEY2, "\"2\"")))).is_ok());
}

#[test]
fn consumer_packet_table() {
	let d = |s: &str| wire::decode_consumer_packet(s.as_bytes());
	let validator = r#"{"address":"BP9q4oXCgubvoujOKyxIxd+3IwM=","power":"4328"}"#;
	let cases: Vec<(String, &str, K)> = vec![
		(slash(validator, "\"INFRACTION_TYPE_BOGUS\""), "slashPacketData.infraction", K::UnknownEnum("INFRACTION_TYPE_BOGUS".into())),
		(slash(validator, "\"INFRACTION_TYPE_UNSPECIFIED\""), "slashPacketData.infraction", K::UnknownEnum("UNSPECIFIED".into())),
		(slash(validator, "7"), "slashPacketData.infraction", K::UnknownEnum("7".into())),
		(slash(r#"{"address":"BP9q4oXCgubvoujOKyxIxd+3Iw==","power":"1"}"#, "1"), "slashPacketData.validator.address", K::AddressLength(19)),
		(slash(r#"{"address":"BP9q4oXCgubvoujOKyxIxd+3IwM=","power":"-5"}"#, "1"), "slashPacketData.validator.power", K::NegativePower),
		(r#"{"type":"CONSUMER_PACKET_TYPE_SLASH","slashPacketData":{"valset_update_id":"1","infraction":1}}"#.into(), "slashPacketData.validator", K::MissingField),
		(r#"{"type":"CONSUMER_PACKET_TYPE_SLASH"}"#.into(), "", K::MissingOneof),
		(r#"{"type":"CONSUMER_PACKET_TYPE_VSCM","vscMaturedPacketData":{},"slashPacketData":{}}"#.into(), "", K::ConflictingOneof),
		(r#"{"type":"CONSUMER_PACKET_TYPE_SLASH","vscMaturedPacketData":{"valset_update_id":"1"}}"#.into(), "type", K::TypeMismatch),
		(r#"{"vscMaturedPacketData":{"valset_update_id":"1"}}"#.into(), "type", K::UnknownEnum("CONSUMER_PACKET_TYPE_UNSPECIFIED".into())),
		(r#"{"type":"CONSUMER_PACKET_TYPE_NEW","vscMaturedPacketData":{}}"#.into(), "type", K::UnknownEnum("CONSUMER_PACKET_TYPE_NEW".into())),
		(r#"{"type":"CONSUMER_PACKET_TYPE_VSCM","vscMaturedPacketData":{"valset_update_id":"x"}}"#.into(), "vscMaturedPacketData.valset_update_id", K::InvalidInteger),
		(r#"{"type":"CONSUMER_PACKET_TYPE_VSCM","vscMaturedPacketData":{"id":"1"}}"#.into(), "vscMaturedPacketData.id", K::UnknownField),
	];
	for (input, path, kind) in cases {
		check(d(&input), path, kind);
	}
}

#[test]
fn ack_table() {
	let d = |s: &str| Acknowledgement::decode_json(s.as_bytes());
	check(d(r#"{}"#), "", K::MissingOneof);
	check(d(r#"{"result":"AQ==","error":"x"}"#), "", K::ConflictingOneof);
	check(d(r#"{"result":"AQ"}"#), "result", K::InvalidBase64);
	check(d(r#"{"error":5}"#), "error", K::ExpectedType { expected: "string", found: "number" });
	check(d(r#"{"result":"AQ==","foo":1}"#), "foo", K::UnknownField);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
	let deep = "[".repeat(100_000);
	assert!(matches!(
		wire::decode_vsc_packet(deep.as_bytes()),
		Err(WireError { kind: K::Syntax(_), .. })
	));
}
