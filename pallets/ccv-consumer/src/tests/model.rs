//! Property test: random VSC streams and blocks against a simple model of the consumer's set.

use crate::{mock::*, pallet::*, types::Validator};
use proptest::prelude::*;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
enum Step {
	/// A VSC with this id offset (0 reuses the last id) and these (key, power) updates.
	Vsc(u64, Vec<(u8, u64)>),
	/// Produce this many blocks.
	Blocks(u8),
}

fn step() -> impl Strategy<Value = Step> {
	prop_oneof![
		(0u64..3, proptest::collection::vec((1u8..=12, 0u64..4), 0..6))
			.prop_map(|(d, u)| Step::Vsc(d, u)),
		(1u8..8).prop_map(Step::Blocks),
	]
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

	#[test]
	fn consumer_set_follows_the_model(steps in proptest::collection::vec(step(), 1..40)) {
		new_test_ext().execute_with(|| -> Result<(), TestCaseError> {
			let mut current: BTreeMap<u8, u64> = [(1, 10), (2, 20), (3, 30)].into();
			let mut pending: Option<BTreeMap<u8, u64>> = None;
			let mut last_id = 0u64;
			let mut set_changes = 0u64;
			for step in steps {
				match step {
					Step::Vsc(delta, mut updates) => {
						let id = last_id + delta;
						// One update per key (duplicates are refused by the codec; see vsc.rs).
						let mut seen = std::collections::BTreeSet::new();
						updates.retain(|u| seen.insert(u.0));
						let mut next = pending.clone().unwrap_or_else(|| current.clone());
						for (k, p) in &updates {
							if *p == 0 { next.remove(k); } else { next.insert(*k, *p); }
						}
						let valid = id > last_id && !next.is_empty() && next.len() <= 8;
						let vals: Vec<Validator> = updates.iter().map(|(k, p)| val(*k, *p)).collect();
						let ack = crate::mock::recv_vsc(id, vals);
						prop_assert_eq!(ack == crate::tests::vsc_ok(), valid);
						if valid {
							last_id = id;
							pending = Some(next);
						}
					},
					Step::Blocks(n) => {
						for _ in 0..n {
							next_block();
							if NextSessionAt::<Test>::get() == System::block_number() + u64::from(BLOCKS_PER_SESSION) {
								if let Some(p) = pending.take() {
									if p != current { set_changes += 1; }
									current = p;
								}
							}
						}
					},
				}
				let expected: Vec<Validator> = current.iter().map(|(k, p)| val(*k, *p)).collect();
				prop_assert_eq!(CcvConsumer::current_validators(), expected);
				prop_assert_eq!(Grandpa::current_set_id(), set_changes);
				prop_assert!(CcvConsumer::do_try_state().is_ok());
			}
			Ok(())
		})?;
	}
}
