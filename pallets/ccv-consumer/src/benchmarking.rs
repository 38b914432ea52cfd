//! Benchmarks (frame-benchmarking v2) of the pallet's hooks and IBC callbacks, one per
//! [`WeightInfo`](crate::weights::WeightInfo) function. Each sets up its own worst-case state,
//! so it runs on any runtime's genesis; the channels packets and rewards leave on are opened
//! on the IBC host by the runtime's [`BenchmarkHelper`](crate::types::BenchmarkHelper).

use crate::{
	equivocation::{DoubleSignBacklogFifo, EquivocationOffender},
	outbox::OutboxFifo,
	pallet::*,
	session::MaturingFifo,
	types::{
		BenchmarkHelper as _, CcvChannelState, FeePoolAddr, MaturingVsc, SlashRecord, Validator,
		ValidatorSet,
	},
	Config, Pallet,
};
use alloc::{vec, vec::Vec};
use ccv_primitives::{
	channel::{ChannelOpen, IbcId, PacketRef},
	wire::{
		encode_consumer_packet, encode_vsc_packet, Acknowledgement, CcvAckResult, HandshakeMetadata,
	},
	ConsensusKey, ConsumerPacket, ConsumerParams, Infraction, SlashAck, SlashPacket,
	VscMaturedPacket, VscPacket, CCV_VERSION, CONSUMER_PORT_ID, MAX_SLASH_ACKS, PROVIDER_PORT_ID,
};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, Get},
	weights::Weight,
	BoundedVec, WeakBoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Zero, Saturating};
use sp_staking::offence::{OffenceDetails, OnOffenceHandler};

/// Validator `i` of key family `family`.
fn validator(family: u8, i: u32) -> Validator {
	let mut key = [family; 32];
	for (k, b) in key.iter_mut().zip(i.to_le_bytes()) {
		*k = b;
	}
	Validator { key: ConsensusKey(key), power: 1 + u64::from(i) }
}

/// A set of one with the slash packet `slash_packet(0)` at the front of the queue, sent and
/// waiting on its reply: the packet's reference on the CCV channel and its data.
fn slash_in_flight<T: Config>() -> Result<(PacketRef, Vec<u8>), BenchmarkError> {
	setup::<T>(1)?;
	OutboxFifo::<T>::push_back(slash_packet(0));
	SlashState::<T>::put(SlashRecord { waiting_on_reply: true, sent_at_ms: 0 });
	let data = encode_consumer_packet(&slash_packet(0)).unwrap_or_default();
	let packet = PacketRef { port: ibc_id("consumer"), channel: ccv_channel::<T>(), sequence: 1 };
	Ok((packet, data))
}

fn ibc_id(s: &str) -> IbcId {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

/// Installs a consumer with `v` validators of family 1 and an established CCV channel (open
/// on the IBC host).
fn setup<T: Config>(v: u32) -> Result<ValidatorSet<T::MaxValidators>, BenchmarkError> {
	let mut set: Vec<Validator> = (0..v).map(|i| validator(1, i)).collect();
	set.sort_by_key(|x| x.key);
	let set = ValidatorSet::<T::MaxValidators>::truncate_from(set);
	Params::<T>::put(ConsumerParams {
		downtime_window_slots: 64 * T::MaxDowntimeWindowWords::get(),
		downtime_max_missed_slots: 64 * T::MaxDowntimeWindowWords::get() - 1,
		..Default::default()
	});
	let aura = set.iter().map(|x| crate::types::aura_id(&x.key)).collect::<Vec<_>>();
	pallet_aura::Authorities::<T>::put(BoundedVec::truncate_from(aura));
	pallet_grandpa::Authorities::<T>::put(WeakBoundedVec::force_from(
		crate::types::grandpa_authorities(&set),
		None,
	));
	Pallet::<T>::index_validators(&set);
	CurrentValidators::<T>::put(&set);
	let channel = T::BenchmarkHelper::open_ccv_channel().map_err(BenchmarkError::Stop)?;
	CcvChannel::<T>::put(CcvChannelState::Established(channel));
	Ok(set)
}

/// The established CCV channel [`setup`] opened.
fn ccv_channel<T: Config>() -> IbcId {
	match CcvChannel::<T>::get() {
		Some(CcvChannelState::Established(channel)) => channel,
		_ => ibc_id("channel-0"),
	}
}

fn slash_packet(i: u32) -> ConsumerPacket {
	ConsumerPacket::Slash(SlashPacket {
		validator: validator(1, i).key.address(),
		power: 1,
		vsc_id: 0,
		infraction: Infraction::Downtime,
	})
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Downtime tracking of a block after `n` empty slots (all attributed).
	#[benchmark]
	fn track_downtime(n: Linear<0, { T::MaxMissesPerBlock::get() }>) -> Result<(), BenchmarkError> {
		let set = setup::<T>(T::MaxValidators::get())?;
		// Every attributed validator already has a full bitmap.
		let words = vec![0u64; T::MaxDowntimeWindowWords::get() as usize];
		for v in set.iter() {
			MissedBits::<T>::insert(v.key, BoundedVec::truncate_from(words.clone()));
		}
		let slot = 1_000u64;
		LastSlot::<T>::put(slot - 1 - u64::from(n));
		pallet_aura::CurrentSlot::<T>::put(sp_consensus_aura::Slot::from(slot));
		let done;
		#[block]
		{
			done = Pallet::<T>::track_downtime();
		}
		assert_eq!(done, n + 1);
		Ok(())
	}

	/// A session boundary replacing a set of `v` validators by `v` others.
	#[benchmark]
	fn new_session(v: Linear<1, { T::MaxValidators::get() }>) -> Result<(), BenchmarkError> {
		setup::<T>(v)?;
		let mut next: Vec<Validator> = (0..v).map(|i| validator(2, i)).collect();
		next.sort_by_key(|x| x.key);
		NextValidators::<T>::put(ValidatorSet::<T::MaxValidators>::truncate_from(next));
		PendingVscId::<T>::put(1);
		let n: BlockNumberFor<T> = 10u32.into();
		frame_system::Pallet::<T>::set_block_number(n);
		NextSessionAt::<T>::put(n);
		#[block]
		{
			Pallet::<T>::on_session_boundary(n);
		}
		assert_eq!(pallet_grandpa::CurrentSetId::<T>::get(), 1);
		Ok(())
	}

	/// Moving `n` matured VSCs into the outgoing queue.
	#[benchmark]
	fn mature_vscs(
		n: Linear<0, { T::MaxPacketsPerBlock::get().min(T::MaxMaturingVscs::get()) }>,
	) -> Result<(), BenchmarkError> {
		setup::<T>(1)?;
		for i in 0..n {
			MaturingFifo::<T>::push_back(MaturingVsc {
				vsc_id: u64::from(i) + 1,
				matures_at_ms: 0,
			});
		}
		#[block]
		{
			Pallet::<T>::mature_vscs();
		}
		assert_eq!(OutboxFifo::<T>::len(), u64::from(n));
		Ok(())
	}

	/// Sending `n` queued packets (VSC matured; the last a slash when `n > 0`).
	#[benchmark]
	fn send_packets(
		n: Linear<0, { T::MaxPacketsPerBlock::get().min(T::MaxPendingPackets::get()) }>,
	) -> Result<(), BenchmarkError> {
		setup::<T>(1)?;
		for i in 0..n {
			let packet = if i + 1 == n {
				slash_packet(i)
			} else {
				ConsumerPacket::VscMatured(VscMaturedPacket { vsc_id: u64::from(i) + 1 })
			};
			OutboxFifo::<T>::push_back(packet);
		}
		#[block]
		{
			Pallet::<T>::send_packets();
		}
		// Every VSC-matured packet left; the slash waits at the front for its reply.
		assert_eq!(OutboxFifo::<T>::len(), u64::from(n.min(1)));
		assert_eq!(SlashState::<T>::get().is_some(), n > 0, "the packets were not sent");
		Ok(())
	}

	/// Receiving a VSC with `u` new validators against a set of `v`.
	#[benchmark]
	fn on_recv_vsc(
		u: Linear<0, { T::MaxValidators::get() / 2 }>,
		v: Linear<1, { T::MaxValidators::get() / 2 }>,
	) -> Result<(), BenchmarkError> {
		setup::<T>(v)?;
		let updates: Vec<Validator> = (0..u).map(|i| validator(3, i)).collect();
		let data = encode_vsc_packet(&VscPacket {
			validator_updates: BoundedVec::truncate_from(updates),
			vsc_id: 1,
			slash_acks: BoundedVec::new(),
		})
		.unwrap_or_default();
		let packet =
			PacketRef { port: ibc_id("consumer"), channel: ccv_channel::<T>(), sequence: 1 };
		let result;
		#[block]
		{
			result = Pallet::<T>::receive_vsc(&packet, &data);
		}
		assert_eq!(result, Ok(1));
		Ok(())
	}

	/// Receiving a VSC with no updates against a set of one that acks `a` outstanding downtime
	/// reports, each clearing its record: the slash-ack share of a VSC's cost, measured apart
	/// so that its thousand-fold range does not drown the update and set-size slopes.
	#[benchmark]
	fn on_recv_vsc_slash_acks(a: Linear<0, MAX_SLASH_ACKS>) -> Result<(), BenchmarkError> {
		setup::<T>(1)?;
		let mut acks = Vec::new();
		for i in 0..a {
			let address = validator(4, i).key.address();
			OutstandingDowntime::<T>::insert(address, ());
			acks.push(
				SlashAck::from_address(&address, T::SlashAckHrp::get())
					.map_err(|_| BenchmarkError::Stop("cannot encode a slash ack"))?,
			);
		}
		let data = encode_vsc_packet(&VscPacket {
			validator_updates: BoundedVec::new(),
			vsc_id: 1,
			slash_acks: BoundedVec::truncate_from(acks),
		})
		.unwrap_or_default();
		let packet =
			PacketRef { port: ibc_id("consumer"), channel: ccv_channel::<T>(), sequence: 1 };
		let result;
		#[block]
		{
			result = Pallet::<T>::receive_vsc(&packet, &data);
		}
		assert_eq!(result, Ok(1));
		assert!(a == 0 || !OutstandingDowntime::<T>::contains_key(validator(4, 0).key.address()));
		Ok(())
	}

	/// The provider's acknowledgement of the slash packet at the front of the queue.
	#[benchmark]
	fn on_acknowledgement() -> Result<(), BenchmarkError> {
		let (packet, data) = slash_in_flight::<T>()?;
		let ack = Acknowledgement::ccv(CcvAckResult::SlashHandled);
		#[block]
		{
			Pallet::<T>::handle_ack(&packet, &data, &ack);
		}
		assert_eq!(OutboxFifo::<T>::len(), 0);
		Ok(())
	}

	/// A reward transmission.
	#[benchmark]
	fn transmit_rewards() -> Result<(), BenchmarkError> {
		setup::<T>(1)?;
		let interval = Params::<T>::get().map(|p| p.blocks_per_distribution_transmission);
		let n: BlockNumberFor<T> = interval.unwrap_or(1).into();
		TransferChannel::<T>::put(
			T::BenchmarkHelper::open_transfer_channel().map_err(BenchmarkError::Stop)?,
		);
		ProviderFeePool::<T>::put(FeePoolAddr::truncate_from(vec![b'x'; 48]));
		let account = Pallet::<T>::ccv_account();
		let amount = <T::Currency as frame_support::traits::fungible::Inspect<T::AccountId>>::minimum_balance();
		T::Currency::set_balance(&account, amount.saturating_mul(100u32.into()));
		#[block]
		{
			Pallet::<T>::transmit_rewards(n);
		}
		let left = <T::Currency as frame_support::traits::fungible::Inspect<T::AccountId>>::reducible_balance(
			&account,
			frame_support::traits::tokens::Preservation::Preserve,
			frame_support::traits::tokens::Fortitude::Polite,
		);
		assert!(left.is_zero(), "the rewards were not transmitted");
		Ok(())
	}

	/// An offence report naming `n` offenders already handled and `q` new ones (each new one
	/// queues a double-sign packet, into the backlog once the queue is full).
	#[benchmark]
	fn on_offence(
		n: Linear<0, { T::MaxValidators::get() }>,
		q: Linear<0, { T::MaxValidators::get() }>,
	) -> Result<(), BenchmarkError> {
		setup::<T>(1)?;
		let offender = |i: u32| EquivocationOffender {
			key: validator(4, i).key,
			power: 1,
			set_id: 0,
			vsc_id: 0,
		};
		let mut offenders = Vec::new();
		for i in 0..n {
			DoubleSignReported::<T>::insert(0, offender(i).key, ());
			offenders.push(OffenceDetails {
				offender: offender(i),
				reporters: Vec::<T::AccountId>::new(),
			});
		}
		for i in n..n + q {
			offenders.push(OffenceDetails { offender: offender(i), reporters: Vec::new() });
		}
		#[block]
		{
			<Pallet<T> as OnOffenceHandler<T::AccountId, EquivocationOffender, Weight>>::on_offence(
				&offenders,
				&[],
				0,
			);
		}
		assert_eq!(DoubleSignReported::<T>::iter_prefix(0).count() as u32, n + q);
		Ok(())
	}

	/// Moving `n` double-sign packets from the backlog into the outgoing queue.
	#[benchmark]
	fn drain_double_sign_backlog(
		n: Linear<0, { T::MaxPacketsPerBlock::get().min(T::MaxPendingPackets::get()) }>,
	) -> Result<(), BenchmarkError> {
		setup::<T>(1)?;
		for i in 0..n {
			if let ConsumerPacket::Slash(slash) = slash_packet(i) {
				DoubleSignBacklogFifo::<T>::push_back(slash);
			}
		}
		#[block]
		{
			Pallet::<T>::drain_double_sign_backlog();
		}
		assert_eq!(OutboxFifo::<T>::len(), u64::from(n));
		Ok(())
	}

	/// An error acknowledgement of the slash packet at the front of the queue: the CCV
	/// channel is closed on the IBC host and the close recorded.
	#[benchmark]
	fn on_error_acknowledgement() -> Result<(), BenchmarkError> {
		let (packet, data) = slash_in_flight::<T>()?;
		let channel = packet.channel.clone();
		let ack = Acknowledgement::Error("refused".into());
		#[block]
		{
			Pallet::<T>::handle_ack(&packet, &data, &ack);
		}
		assert_eq!(CcvChannel::<T>::get(), Some(CcvChannelState::Closed(channel)));
		Ok(())
	}

	/// A slash packet in flight timed out: the close of the CCV channel is recorded.
	#[benchmark]
	fn on_timeout() -> Result<(), BenchmarkError> {
		let (packet, data) = slash_in_flight::<T>()?;
		let channel = packet.channel.clone();
		#[block]
		{
			Pallet::<T>::handle_timeout(&packet, &data);
		}
		assert_eq!(CcvChannel::<T>::get(), Some(CcvChannelState::Closed(channel)));
		assert!(SlashState::<T>::get().is_none());
		Ok(())
	}

	/// `chan_open_ack` of the CCV channel: the provider's metadata checked, its fee pool
	/// stored, and the ICS-20 channel opened on the IBC host over the same connection.
	#[benchmark]
	fn on_chan_open_ack() -> Result<(), BenchmarkError> {
		// The helper's channel brings the first connection on the provider client; the
		// handshake under test is of a new channel on it.
		setup::<T>(1)?;
		CcvChannel::<T>::kill();
		let client_id =
			ProviderClientId::<T>::get().ok_or(BenchmarkError::Stop("no provider client"))?;
		let metadata = HandshakeMetadata {
			provider_fee_pool_addr: "x".repeat(48),
			version: CCV_VERSION.into(),
		};
		let open = ChannelOpen {
			port: ibc_id(CONSUMER_PORT_ID),
			channel: ibc_id("channel-7"),
			counterparty_port: ibc_id(PROVIDER_PORT_ID),
			ordered: true,
			connection_hops: vec![ibc_id("connection-0")],
			client_id,
			version: metadata
				.to_version_string()
				.map_err(|_| BenchmarkError::Stop("cannot encode the metadata"))?
				.into_bytes(),
		};
		let result;
		#[block]
		{
			result = Pallet::<T>::handshake_ack(&open);
		}
		assert!(result.is_ok(), "chan_open_ack refused: {result:?}");
		assert!(TransferChannel::<T>::get().is_some());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
