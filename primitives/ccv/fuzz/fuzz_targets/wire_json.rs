//! Fuzzes the JSON decoders of VSC packets, consumer packets and acknowledgements.
//!
//! Invariants: decoding never panics; whatever decodes re-encodes, and the re-encoding is a
//! fixed point (it decodes to the same value and encodes to the same bytes).
#![no_main]

use ccv_primitives::wire::{self, Acknowledgement};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
	if let Ok(p) = wire::decode_vsc_packet(data) {
		// Powers decoded from int64 always fit back.
		let bytes = wire::encode_vsc_packet(&p).expect("decoded VSC re-encodes");
		let again = wire::decode_vsc_packet(&bytes).expect("canonical VSC decodes");
		assert_eq!(again, p);
		assert_eq!(wire::encode_vsc_packet(&again).expect("re-encodes"), bytes);
	}
	if let Ok(p) = wire::decode_consumer_packet(data) {
		let bytes = wire::encode_consumer_packet(&p).expect("decoded packet re-encodes");
		let again = wire::decode_consumer_packet(&bytes).expect("canonical packet decodes");
		assert_eq!(again, p);
		assert_eq!(wire::encode_consumer_packet(&again).expect("re-encodes"), bytes);
	}
	if let Ok(a) = Acknowledgement::decode_json(data) {
		let bytes = a.encode_json();
		assert_eq!(Acknowledgement::decode_json(&bytes).expect("canonical ack decodes"), a);
	}
});
