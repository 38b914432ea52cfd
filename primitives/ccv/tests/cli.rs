//! The `ccv-wire` operator tool: byte-exact round trips, exit codes, error lines.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::{
	io::Write,
	process::{Command, Output, Stdio},
};

const GO_VSC: &str = r#"{"validator_updates":[{"pub_key":{"ed25519":"SMxP2pXAuxQC7FmBn4dh4Kt5eYdQFWC/wN7oWobZKds="},"power":"30"},{"pub_key":{"ed25519":"J/nGy0vCXhgVbr8S71B4ZgHi4fsMqtDxDlERZ+gG238="},"power":"20"}],"valset_update_id":"73","slash_acks":["slash","acks","example"]}"#;
const GO_SLASH: &str = r#"{"type":"CONSUMER_PACKET_TYPE_SLASH","slashPacketData":{"validator":{"address":"BP9q4oXCgubvoujOKyxIxd+3IwM=","power":"4328"},"valset_update_id":"894732","infraction":"INFRACTION_TYPE_DOUBLE_SIGN"}}"#;

fn run(args: &[&str], stdin: &str) -> Output {
	let mut child = Command::new(env!("CARGO_BIN_EXE_ccv-wire"))
		.args(args)
		.stdin(Stdio::piped())
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.spawn()
		.unwrap();
	child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
	child.wait_with_output().unwrap()
}

fn scale_line(stderr: &[u8]) -> String {
	let text = String::from_utf8_lossy(stderr);
	text.lines().find_map(|l| l.strip_prefix("scale: ")).unwrap().to_string()
}

#[test]
fn decode_roundtrips_byte_exactly_and_summarises_on_stderr() {
	let out = run(&["decode", "--kind", "vsc"], GO_VSC);
	assert!(out.status.success());
	assert_eq!(out.stdout, GO_VSC.as_bytes());
	let summary = String::from_utf8_lossy(&out.stderr);
	assert!(summary.contains("vsc_id 73, 2 validator updates, 3 slash acks"), "{summary}");

	let out = run(&["decode", "--kind", "consumer"], GO_SLASH);
	assert!(out.status.success());
	assert_eq!(out.stdout, GO_SLASH.as_bytes());
}

#[test]
fn encode_reverses_decode_from_scale_hex() {
	for (kind, json) in [("vsc", GO_VSC), ("consumer", GO_SLASH), ("ack", r#"{"result":"Ag=="}"#)] {
		let decoded = run(&["decode", "--kind", kind], json);
		let hex = scale_line(&decoded.stderr);
		let encoded = run(&["encode", "--kind", kind, &hex], "");
		assert!(encoded.status.success(), "{kind}");
		assert_eq!(encoded.stdout, json.as_bytes(), "{kind}");
		// hex on stdin works too
		let encoded = run(&["encode", "--kind", kind], &hex);
		assert_eq!(encoded.stdout, json.as_bytes(), "{kind}");
	}
}

#[test]
fn malformed_input_exits_1_with_one_line_naming_the_field() {
	let short_key = GO_VSC.replace("SMxP2pXAuxQC7FmBn4dh4Kt5eYdQFWC/wN7oWobZKds=", "SMxP2pXA");
	let cases = [
		(
			vec!["decode"],
			short_key,
			"validator_updates[0].pub_key.ed25519: ed25519 key has 6 bytes",
		),
		(vec!["decode"], format!("{GO_VSC}garbage"), "invalid JSON: trailing characters"),
		(
			vec!["decode", "--kind", "consumer"],
			GO_SLASH.replace("DOUBLE_SIGN", "LATE"),
			"slashPacketData.infraction: unknown enum value INFRACTION_TYPE_LATE",
		),
		(vec!["encode", "--kind", "vsc", "0x01"], String::new(), "invalid SCALE"),
		(vec!["decode", "--kind", "nope"], String::new(), "unknown --kind"),
	];
	for (args, input, expected) in cases {
		let out = run(&args, &input);
		assert_eq!(out.status.code(), Some(1), "{args:?}");
		assert!(out.stdout.is_empty());
		let err = String::from_utf8_lossy(&out.stderr);
		assert_eq!(err.lines().count(), 1, "{err}");
		assert!(err.starts_with("ccv-wire: ") && err.contains(expected), "{err}");
	}
}
