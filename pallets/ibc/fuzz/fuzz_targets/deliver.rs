//! Feeds arbitrary bytes to pallet-ibc's `deliver` in the mock runtime with seeded IBC state
//! (see `pallet_ibc_fuzz` for the input format and the checked properties).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pallet_ibc_fuzz::Harness;
use std::cell::RefCell;

thread_local! {
	/// Built once per process; every input runs in a rolled-back storage transaction.
	static HARNESS: RefCell<Harness> = RefCell::new(Harness::new());
}

fuzz_target!(|data: &[u8]| {
	HARNESS.with(|harness| {
		harness.borrow_mut().run(data);
	});
});
