//! Session boundaries: VSCs applied to Aura and GRANDPA, set id bookkeeping, history.

use crate::{
	mock::*,
	pallet::*,
	types::{aura_id, grandpa_authorities, MaturingVsc},
};
use ccv_primitives::{ConsumerPacket, VscMaturedPacket};
use sp_consensus_grandpa::{ConsensusLog, ScheduledChange};

const B: u64 = BLOCKS_PER_SESSION as u64;

fn aura_keys() -> Vec<sp_consensus_aura::ed25519::AuthorityId> {
	pallet_aura::Authorities::<Test>::get().to_vec()
}

#[test]
fn vsc_applied_only_at_session_boundary() {
	run(|| {
		run_to_block(1);
		assert_eq!(recv_vsc(1, vec![val(4, 40), val(1, 0)]), crate::tests::vsc_ok());
		let new_set = vec![val(2, 20), val(3, 30), val(4, 40)];
		for _ in 2..B {
			next_block();
			assert_eq!(aura_keys().len(), 3);
			assert!(aura_keys().contains(&aura_id(&key(1))));
			assert!(grandpa_logs().is_empty());
			assert_eq!(Grandpa::current_set_id(), 0);
		}
		next_block(); // block B: first block of session 1
		assert_eq!(CurrentSession::<Test>::get(), 1);
		assert_eq!(aura_keys(), new_set.iter().map(|v| aura_id(&v.key)).collect::<Vec<_>>());
		assert_eq!(
			grandpa_logs(),
			vec![ConsensusLog::ScheduledChange(ScheduledChange {
				next_authorities: grandpa_authorities(&new_set),
				delay: 0,
			})]
		);
		// Enacted by GRANDPA's on_finalize of the same block.
		assert_eq!(Grandpa::grandpa_authorities(), grandpa_authorities(&new_set));
		assert!(Grandpa::pending_change().is_none());
		assert_eq!(Grandpa::current_set_id(), 1);
		assert_eq!(Grandpa::session_for_set(1), Some(1));
		assert_eq!(CurrentValidators::<Test>::get().to_vec(), new_set);
		assert_eq!(AppliedVscId::<Test>::get(), 1);
		assert!(NextValidators::<Test>::get().is_none());
		assert!(ccv_events().contains(&Event::ValidatorSetApplied {
			session: 1,
			set_id: 1,
			vsc_id: 1,
			validators: 3,
			total_power: 90,
		}));
		// Aura's own change log is in the same block.
		assert_eq!(aura_logs().len(), 1);
	});
}

#[test]
fn no_change_no_schedule() {
	run(|| {
		run_to_block(B);
		assert!(grandpa_logs().is_empty());
		assert!(aura_logs().is_empty());
		assert_eq!(Grandpa::current_set_id(), 0);
		assert_eq!(Grandpa::session_for_set(0), Some(1));
		// A VSC that leaves every key and power as it is changes nothing either.
		assert_eq!(recv_vsc(1, vec![val(1, 10)]), crate::tests::vsc_ok());
		run_to_block(2 * B);
		assert!(grandpa_logs().is_empty());
		assert!(aura_logs().is_empty());
		assert_eq!(Grandpa::current_set_id(), 0);
		assert_eq!(Grandpa::session_for_set(0), Some(2));
		// ... but the VSC is in force now and will mature.
		assert_eq!(AppliedVscId::<Test>::get(), 1);
		assert_eq!(MaturingBounds::<Test>::get().len(), 1);
		assert!(!ccv_events().iter().any(|e| matches!(e, Event::ValidatorSetApplied { .. })));
	});
}

#[test]
fn two_vscs_before_a_boundary_merge() {
	run(|| {
		run_to_block(3);
		assert_eq!(recv_vsc(1, vec![val(4, 40)]), crate::tests::vsc_ok());
		run_to_block(5);
		assert_eq!(recv_vsc(2, vec![val(4, 45), val(1, 0), val(5, 5)]), crate::tests::vsc_ok());
		run_to_block(B);
		let merged = vec![val(2, 20), val(3, 30), val(4, 45), val(5, 5)];
		assert_eq!(CurrentValidators::<Test>::get().to_vec(), merged);
		assert_eq!(Grandpa::grandpa_authorities(), grandpa_authorities(&merged));
		assert_eq!(grandpa_logs().len(), 1);
		assert_eq!(Grandpa::current_set_id(), 1, "one change for two VSCs");
		assert_eq!(AppliedVscId::<Test>::get(), 2);
		assert_eq!(
			crate::session::MaturingFifo::<Test>::front().map(|m| m.vsc_id),
			Some(2),
			"the newest VSC matures for both"
		);
	});
}

#[test]
fn set_id_increments_once_per_real_change() {
	run(|| {
		// session 1: change; 2: none; 3: same set again; 4: change; 5: power-only change.
		let steps: Vec<(u64, Option<Vec<crate::types::Validator>>, u64)> = vec![
			(1, Some(vec![val(4, 40)]), 1),
			(2, None, 1),
			(3, Some(vec![val(4, 40)]), 1),
			(4, Some(vec![val(1, 0)]), 2),
			(5, Some(vec![val(2, 21)]), 3),
		];
		for (session, vsc, expected_set_id) in steps {
			if let Some(updates) = vsc {
				assert_eq!(recv_vsc(session, updates), crate::tests::vsc_ok());
			}
			run_to_block(session * B);
			assert_eq!(Grandpa::current_set_id(), expected_set_id, "session {session}");
			assert_eq!(
				Grandpa::session_for_set(expected_set_id),
				Some(session as u32),
				"session {session}"
			);
			assert_eq!(
				Grandpa::grandpa_authorities(),
				grandpa_authorities(&CurrentValidators::<Test>::get()),
				"session {session}"
			);
			CcvConsumer::do_try_state().unwrap();
		}
		assert_eq!(
			CurrentValidators::<Test>::get().to_vec(),
			vec![val(2, 21), val(3, 30), val(4, 40)]
		);
	});
}

#[test]
fn set_id_session_and_histories_are_pruned() {
	run(|| {
		// A long unbonding period, so that applied VSCs pile up in the maturing queue.
		Params::<Test>::mutate(|p| p.as_mut().unwrap().unbonding_period_ms = 1_000 * SLOT_MS);
		// Five real changes: set ids 1..=5.
		for s in 1..=5u64 {
			assert_eq!(recv_vsc(s, vec![val(4, 40 + s)]), crate::tests::vsc_ok());
			run_to_block(s * B);
		}
		assert_eq!(Grandpa::current_set_id(), 5);
		// MaxSetIdSessionEntries = 4, as pallet-grandpa prunes it.
		assert_eq!(Grandpa::session_for_set(0), None);
		assert_eq!(Grandpa::session_for_set(1), None);
		assert_eq!(Grandpa::session_for_set(2), Some(2));
		assert_eq!(Grandpa::session_for_set(5), Some(5));
		// MaxSetHistory = 3.
		assert_eq!(AuthoritySets::<Test>::iter().count(), 3);
		assert!(AuthoritySets::<Test>::get(2).is_none());
		assert_eq!(
			AuthoritySets::<Test>::get(5).unwrap().to_vec(),
			CurrentValidators::<Test>::get().to_vec()
		);
		// MaxSessionHistory = 5: sessions 1..=5 kept, 0 pruned.
		assert!(SessionHistory::<Test>::get(0).is_none());
		let s3 = SessionHistory::<Test>::get(3).unwrap();
		assert_eq!((s3.set_id, s3.vsc_id, s3.start_block), (3, 3, 3 * B));
		// MaxMaturingVscs = 3: the newest entry was replaced, never an early maturity.
		assert_eq!(MaturingBounds::<Test>::get().len(), 3);
		let ids: Vec<_> =
			(0..3).map(|i| crate::session::MaturingFifo::<Test>::get(i).unwrap().vsc_id).collect();
		assert_eq!(ids, vec![1, 2, 5]);
		let newest = crate::session::MaturingFifo::<Test>::back().unwrap();
		assert_eq!(newest.matures_at_ms, (5 * B - 1) * SLOT_MS + 1_000 * SLOT_MS);
	});
}

#[test]
fn pending_grandpa_change_defers_the_set() {
	run(|| {
		run_to_block(B - 1);
		// Someone else scheduled a change (same set) that is still pending at the boundary.
		let same = grandpa_authorities(&CurrentValidators::<Test>::get());
		Grandpa::schedule_change(same, 3, None).unwrap();
		assert_eq!(recv_vsc(1, vec![val(4, 40)]), crate::tests::vsc_ok());
		run_to_block(B);
		assert_eq!(Grandpa::current_set_id(), 0);
		assert_eq!(aura_keys().len(), 3);
		assert!(ccv_events().contains(&Event::ValidatorSetChangeDeferred { session: 1 }));
		assert!(NextValidators::<Test>::get().is_some());
		assert_eq!(AppliedVscId::<Test>::get(), 0, "not in force yet");
		run_to_block(2 * B);
		assert_eq!(Grandpa::current_set_id(), 1);
		assert_eq!(aura_keys().len(), 4);
		assert_eq!(AppliedVscId::<Test>::get(), 1);
	});
}

#[test]
fn stalled_grandpa_gets_a_forced_change() {
	run(|| {
		run_to_block(2);
		Grandpa::note_stalled(RuntimeOrigin::root(), 3, 1).unwrap();
		run_to_block(B);
		let current = grandpa_authorities(&CurrentValidators::<Test>::get());
		assert_eq!(
			grandpa_logs(),
			vec![ConsensusLog::ForcedChange(
				1,
				ScheduledChange { next_authorities: current, delay: 3 }
			)]
		);
		assert_eq!(Grandpa::current_set_id(), 1);
		assert!(Grandpa::stalled().is_none());
		run_to_block(B + 3); // the forced change is enacted after its delay
		assert!(Grandpa::pending_change().is_none());
	});
}

#[test]
fn applied_vsc_matures_after_the_unbonding_period() {
	run(|| {
		run_to_block(1);
		assert_eq!(recv_vsc(1, vec![val(4, 40)]), crate::tests::vsc_ok());
		run_to_block(B);
		// Applied in block B's on_initialize, when `Now` is block B-1's time.
		let applied_at = (B - 1) * SLOT_MS;
		assert_eq!(
			crate::session::MaturingFifo::<Test>::front(),
			Some(MaturingVsc { vsc_id: 1, matures_at_ms: applied_at + UNBONDING_MS })
		);
		// `Now` in on_initialize of block n is (n - 1) * SLOT_MS here.
		let due_block = (applied_at + UNBONDING_MS) / SLOT_MS + 1;
		run_to_block(due_block - 1);
		assert!(sent_packets().is_empty());
		next_block();
		assert_eq!(
			sent_packets(),
			vec![ConsumerPacket::VscMatured(VscMaturedPacket { vsc_id: 1 })]
		);
		assert!(ccv_events().contains(&Event::VscMatured { vsc_id: 1 }));
		assert_eq!(OutboxBounds::<Test>::get().len(), 0, "matured packets leave once sent");
	});
}

#[test]
fn runtime_set_id_follows_the_client_over_many_sessions() {
	run(|| {
		// The node's GRANDPA client increments its set id once per signalled change.
		let mut client_set_id = 0u64;
		let mut seed = 7u64;
		let mut vsc_id = 0u64;
		for _ in 0..(12 * B) {
			seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
			if matches!(seed % 5, 0) {
				// Power change, join or leave of one of keys 1..=6, or a no-op update.
				let k = (seed >> 8) as u8 % 6 + 1;
				let power = (seed >> 16) % 4 * 10;
				vsc_id += 1;
				let ack = recv_vsc(vsc_id, vec![val(k, power)]);
				if ack != crate::tests::vsc_ok() {
					// Only an empty resulting set may be refused here.
					assert_eq!(CcvConsumer::next_validators().map(|s| s.len()).unwrap_or(1), 1);
				}
			}
			next_block();
			client_set_id += grandpa_logs()
				.iter()
				.filter(|l| matches!(l, ConsensusLog::ScheduledChange(_)))
				.count() as u64;
			assert_eq!(Grandpa::current_set_id(), client_set_id);
			assert_eq!(
				Grandpa::session_for_set(client_set_id),
				Some(CurrentSession::<Test>::get())
			);
		}
		assert!(client_set_id >= 3, "the scenario changed the set several times");
		CcvConsumer::do_try_state().unwrap();
	});
}
