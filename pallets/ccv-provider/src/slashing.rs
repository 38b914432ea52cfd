//! Downtime slashing: accepted downtime slash requests are reported as offences to staking.
//!
//! Each request becomes a [`ConsumerDowntimeOffence`] with the consumer's downtime
//! infraction parameters, offender `(stash, ())` (DESIGN §9: `FullIdentification = ()`), the
//! provider session of the infraction's vsc_id (from [`VscSessions`], recorded when each VSC
//! is sent and pruned after the unbonding period), and a time slot unique per consumer and report,
//! so pallet-offences never merges two reports. The runtime routes it through
//! `FilterHistoricalOffences<Staking, Offences>`, which drops offences older than the bonding
//! period, to staking's `on_offence` (which slashes, at once or deferred, and disables).
//!
//! At most `MaxSlashesPerBlock` requests are reported per block, oldest first; each offender
//! is then jailed (see [`crate::jail`]).

use crate::{pallet::*, types::VscSessionRecord, weights::WeightInfo};
use alloc::{vec, vec::Vec};
use ccv_primitives::{ConsumerId, VscId};
use codec::{Decode, Encode};
use frame_support::{traits::Get, weights::Weight, BoundedVec};
use sp_runtime::Perbill;
use sp_staking::{
	offence::{Kind, Offence, ReportOffence},
	SessionIndex,
};

/// A validator's downtime on a consumer, as staking sees it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct ConsumerDowntimeOffence<Offender> {
	/// The consumer that reported it.
	pub consumer_id: ConsumerId,
	/// Number of this report on the provider (makes the time slot unique).
	pub report: u64,
	/// Provider session in force at the infraction.
	pub session_index: SessionIndex,
	/// Provider validator-set size when the offence is reported.
	pub validator_set_count: u32,
	/// The offender.
	pub offender: Offender,
	/// Fraction of the exposure to slash.
	pub slash_fraction: Perbill,
}

impl<Offender: Clone> Offence<Offender> for ConsumerDowntimeOffence<Offender> {
	const ID: Kind = *b"ccv-provider:dwn";
	type Slot = (ConsumerId, u64);

	fn offenders(&self) -> Vec<Offender> {
		vec![self.offender.clone()]
	}

	fn session_index(&self) -> SessionIndex {
		self.session_index
	}

	fn validator_set_count(&self) -> u32 {
		self.validator_set_count
	}

	fn slot(&self) -> Self::Slot {
		(self.consumer_id, self.report)
	}

	fn slash_fraction(&self, _offenders_count: u32) -> Perbill {
		self.slash_fraction
	}
}

impl<T: Config> Pallet<T> {
	/// Records that the consumer received `vsc_id` at `now` (sent, or for vsc_id 0 launched)
	/// in the current provider session, after dropping the records whose slashing window is
	/// over: those followed by a VSC sent at least `UnbondingPeriodMs` before `now` (the set
	/// they name left the consumer that long ago). When the records are full the oldest goes.
	pub(crate) fn record_vsc_session(consumer_id: ConsumerId, vsc_id: VscId, now: u64) {
		let window = T::UnbondingPeriodMs::get();
		let record = VscSessionRecord {
			vsc_id,
			session: pallet_session::CurrentIndex::<T>::get(),
			sent_ms: now,
		};
		VscSessions::<T>::mutate(consumer_id, |records| {
			let expired = records
				.iter()
				.skip(1)
				.take_while(|next| next.sent_ms.saturating_add(window) <= now)
				.count();
			let mut kept = core::mem::take(records).into_inner();
			kept.drain(..expired);
			if kept.len() >= T::MaxVscRecords::get() as usize {
				kept.remove(0);
			}
			kept.push(record);
			// At most `MaxVscRecords` after the removal above.
			*records = BoundedVec::truncate_from(kept);
		});
	}

	/// The provider session a consumer's `vsc_id` was sent in, while it is recorded.
	pub fn vsc_session(consumer_id: ConsumerId, vsc_id: VscId) -> Option<SessionIndex> {
		let records = VscSessions::<T>::get(consumer_id);
		let index = records.binary_search_by_key(&vsc_id, |r| r.vsc_id).ok()?;
		records.get(index).map(|r| r.session)
	}

	/// Reports up to `MaxSlashesPerBlock` accepted downtime requests to staking, oldest first.
	pub(crate) fn report_downtime_slashes() -> Weight {
		let db = T::DbWeight::get();
		let mut requests = DowntimeSlashRequests::<T>::get();
		if requests.is_empty() {
			return db.reads(1);
		}
		let take = (T::MaxSlashesPerBlock::get() as usize).min(requests.len());
		let batch: Vec<_> = requests.drain(..take).collect();
		DowntimeSlashRequests::<T>::put(requests);
		let validator_set_count = pallet_session::Validators::<T>::decode_len().unwrap_or(0) as u32;
		let mut weight = db.reads_writes(2, 1);
		for request in batch {
			weight = weight.saturating_add(<T as Config>::WeightInfo::report_downtime_slash());
			let params = InfractionParamsOf::<T>::get(request.consumer_id).unwrap_or_default();
			let report = NextSlashReport::<T>::mutate(|n| {
				let current = *n;
				*n = n.saturating_add(1);
				current
			});
			let offence = ConsumerDowntimeOffence {
				consumer_id: request.consumer_id,
				report,
				session_index: request.session,
				validator_set_count,
				offender: (request.validator.clone(), ()),
				slash_fraction: params.downtime.slash_fraction,
			};
			// A duplicate cannot happen (unique slot); any refusal leaves nothing to undo.
			let reported = T::ReportOffence::report_offence(Vec::new(), offence).is_ok();
			let until_ms = if params.downtime.tombstone {
				crate::jail::TOMBSTONED
			} else {
				Self::now_ms().saturating_add(params.downtime.jail_duration_ms)
			};
			Self::jail(&request.validator, until_ms);
			Self::deposit_event(Event::DowntimeSlashReported {
				consumer_id: request.consumer_id,
				validator: request.validator,
				vsc_id: request.vsc_id,
				slash_fraction: params.downtime.slash_fraction,
				reported,
			});
		}
		weight
	}
}
