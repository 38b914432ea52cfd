//! ibc-rs 0.57's host contexts over this pallet's storage: provable values in the child trie
//! ([`crate::store`]), bookkeeping (counters, consensus heights, update metadata, host records)
//! in FRAME storage. Writes go straight to storage; `deliver` runs in a storage transaction, so
//! a failing message rolls all of them back.

use crate::{
	clients::{FromHostRecord, HostChain, HostView, ValidateSelfClient},
	pallet::{
		ChannelCounter, ClientCounter, ClientUpdateMeta, ConnectionCounter, ConsensusHeights,
		GrandpaPastSetIds, GrandpaPastSets, SentPackets,
	},
	store,
	types::{HeightKey, MAX_EVENT_ATTRIBUTES, MAX_EVENT_VALUE_LEN},
	types::{IbcEventRecord, IdBytes, PendingPacket, HOST_REVISION_NUMBER, IBC_CHILD_TRIE},
	Config, Event, Pallet,
};
use alloc::{format, string::String, vec::Vec};
use core::{marker::PhantomData, time::Duration};
use frame_support::traits::{Get, UnixTime};
use ibc_client_grandpa::{
	past_sets::{keep_set_id, KeepPastAuthoritySets, PastAuthoritySets},
	types::{AuthoritySet, SetId},
};
use ibc_core::{
	channel::types::{
		channel::ChannelEnd,
		commitment::{AcknowledgementCommitment, PacketCommitment},
		events::SendPacket,
		packet::Receipt,
		timeout::{TimeoutHeight, TimeoutTimestamp},
	},
	client::context::{
		ClientExecutionContext, ClientValidationContext, ExtClientValidationContext,
	},
	client::types::{error::ClientError, Height},
	commitment_types::commitment::CommitmentPrefix,
	connection::types::ConnectionEnd,
	handler::types::events::IbcEvent,
	host::types::{
		error::HostError,
		identifiers::{ClientId, ConnectionId, Sequence},
		path::{
			AckPath, ChannelEndPath, ClientConnectionPath, ClientConsensusStatePath,
			ClientStatePath, CommitmentPath, ConnectionPath, ReceiptPath, SeqAckPath, SeqRecvPath,
			SeqSendPath,
		},
	},
	host::{ExecutionContext, ValidationContext},
	primitives::{
		proto::{Any, Protobuf},
		Signer, Timestamp,
	},
};
use prost::Message;
use sp_runtime::{traits::UniqueSaturatedInto, BoundedVec};

/// The ibc-rs host context of this pallet: a zero-sized handle, all state lives in storage.
pub struct IbcContext<T>(PhantomData<T>);

impl<T> IbcContext<T> {
	/// A handle on the pallet's IBC state.
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T> Default for IbcContext<T> {
	fn default() -> Self {
		Self::new()
	}
}

impl<T> core::fmt::Debug for IbcContext<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str("IbcContext")
	}
}

/// An identifier as a bookkeeping map key.
pub(crate) fn id_key(id: &str) -> Result<IdBytes, HostError> {
	IdBytes::try_from(id.as_bytes().to_vec())
		.map_err(|_| HostError::invalid_state(format!("identifier too long: {id}")))
}

/// A height as a bookkeeping map key.
pub(crate) fn height_key(h: &Height) -> HeightKey {
	(h.revision_number(), h.revision_height())
}

fn height_of(key: HeightKey) -> Result<Height, HostError> {
	Height::new(key.0, key.1).map_err(HostError::invalid_state)
}

fn read_sequence(path: &impl core::fmt::Display, what: &str) -> Result<Sequence, HostError> {
	let bytes = store::get(&store::key(path))
		.ok_or_else(|| HostError::missing_state(format!("{what} at {path}")))?;
	store::decode_sequence(&bytes)
		.map(Sequence::from)
		.ok_or_else(|| HostError::invalid_state(format!("malformed {what} at {path}")))
}

fn write_sequence(path: &impl core::fmt::Display, seq: Sequence) {
	store::put(&store::key(path), &store::encode_sequence(seq.value()))
}

fn bump(counter: u64) -> Result<u64, HostError> {
	counter.checked_add(1).ok_or_else(|| HostError::invalid_state("counter overflow"))
}

impl<T: Config> IbcContext<T> {
	/// This host's current height: (revision 0, block number).
	pub fn current_height() -> Result<Height, HostError> {
		let n: u64 = frame_system::Pallet::<T>::block_number().unique_saturated_into();
		Height::new(HOST_REVISION_NUMBER, n).map_err(HostError::invalid_state)
	}

	/// This host's current time, unix nanoseconds.
	pub fn current_timestamp_ns() -> u64 {
		T::TimeProvider::now().as_nanos().unique_saturated_into()
	}

	fn decode_consensus_state(bytes: &[u8]) -> Result<T::ConsensusState, HostError> {
		let any = Any::decode(bytes).map_err(HostError::invalid_state)?;
		T::ConsensusState::try_from(any)
			.map_err(|_| HostError::invalid_state("undecodable consensus state"))
	}
}

impl<T: Config> ClientValidationContext for IbcContext<T> {
	type ClientStateRef = T::ClientState;
	type ConsensusStateRef = T::ConsensusState;

	fn client_state(&self, client_id: &ClientId) -> Result<Self::ClientStateRef, HostError> {
		let path = ClientStatePath::new(client_id.clone());
		let bytes = store::get(&store::key(&path))
			.ok_or_else(|| HostError::missing_state(format!("client state of {client_id}")))?;
		let any = Any::decode(bytes.as_slice()).map_err(HostError::invalid_state)?;
		T::ClientState::try_from(any).map_err(HostError::invalid_state)
	}

	fn consensus_state(
		&self,
		path: &ClientConsensusStatePath,
	) -> Result<Self::ConsensusStateRef, HostError> {
		let bytes = store::get(&store::key(path))
			.ok_or_else(|| HostError::missing_state(format!("consensus state at {path}")))?;
		Self::decode_consensus_state(&bytes)
	}

	fn client_update_meta(
		&self,
		client_id: &ClientId,
		height: &Height,
	) -> Result<(Timestamp, Height), HostError> {
		let (ts, host) =
			ClientUpdateMeta::<T>::get(id_key(client_id.as_str())?, height_key(height))
				.ok_or_else(|| {
					HostError::missing_state(format!("update metadata of {client_id} at {height}"))
				})?;
		Ok((Timestamp::from_nanoseconds(ts), height_of(host)?))
	}
}

impl<T: Config> ClientExecutionContext for IbcContext<T> {
	type ClientStateMut = T::ClientState;

	fn store_client_state(
		&mut self,
		path: ClientStatePath,
		client_state: Self::ClientStateRef,
	) -> Result<(), HostError> {
		let any: Any = client_state.into();
		store::put(&store::key(&path), &any.encode_to_vec());
		Ok(())
	}

	fn store_consensus_state(
		&mut self,
		path: ClientConsensusStatePath,
		consensus_state: Self::ConsensusStateRef,
	) -> Result<(), HostError> {
		let any: Any = consensus_state.into();
		store::put(&store::key(&path), &any.encode_to_vec());
		ConsensusHeights::<T>::insert(
			id_key(path.client_id.as_str())?,
			(path.revision_number, path.revision_height),
			(),
		);
		Ok(())
	}

	fn delete_consensus_state(&mut self, path: ClientConsensusStatePath) -> Result<(), HostError> {
		store::remove(&store::key(&path));
		ConsensusHeights::<T>::remove(
			id_key(path.client_id.as_str())?,
			(path.revision_number, path.revision_height),
		);
		Ok(())
	}

	fn store_update_meta(
		&mut self,
		client_id: ClientId,
		height: Height,
		host_timestamp: Timestamp,
		host_height: Height,
	) -> Result<(), HostError> {
		ClientUpdateMeta::<T>::insert(
			id_key(client_id.as_str())?,
			height_key(&height),
			(host_timestamp.nanoseconds(), height_key(&host_height)),
		);
		Ok(())
	}

	fn delete_update_meta(&mut self, client_id: ClientId, height: Height) -> Result<(), HostError> {
		ClientUpdateMeta::<T>::remove(id_key(client_id.as_str())?, height_key(&height));
		Ok(())
	}
}

impl<T: Config> PastAuthoritySets for IbcContext<T> {
	fn past_authority_set(&self, client_id: &ClientId, set_id: SetId) -> Option<AuthoritySet> {
		GrandpaPastSets::<T>::get(id_key(client_id.as_str()).ok()?, set_id)
	}
}

impl<T: Config> KeepPastAuthoritySets for IbcContext<T> {
	/// One read and at most four writes: the id list, the kept set, and at most
	/// [`ibc_client_grandpa::past_sets::MAX_FORGOTTEN_PER_SET_CHANGE`] (two) removals.
	fn keep_past_authority_set(
		&mut self,
		client_id: &ClientId,
		set: AuthoritySet,
		window: u32,
	) -> Result<(), ClientError> {
		let client = id_key(client_id.as_str())?;
		let kept = GrandpaPastSetIds::<T>::get(&client).into_inner();
		let (kept, forgotten) = keep_set_id(kept, set.set_id, window);
		if kept.contains(&set.set_id) {
			GrandpaPastSets::<T>::insert(&client, set.set_id, set);
		}
		for set_id in forgotten {
			GrandpaPastSets::<T>::remove(&client, set_id);
		}
		// `kept` never outgrows a window <= MAX_SET_HISTORY (the client state validates it;
		// keep_set_id's contract), so nothing is truncated.
		GrandpaPastSetIds::<T>::insert(&client, BoundedVec::truncate_from(kept));
		Ok(())
	}
}

impl<T: Config> ExtClientValidationContext for IbcContext<T> {
	fn host_timestamp(&self) -> Result<Timestamp, HostError> {
		Ok(Timestamp::from_nanoseconds(Self::current_timestamp_ns()))
	}

	fn host_height(&self) -> Result<Height, HostError> {
		Self::current_height()
	}

	fn consensus_state_heights(&self, client_id: &ClientId) -> Result<Vec<Height>, HostError> {
		let max = T::MaxConsensusStatesPerClient::get() as usize;
		let mut heights = ConsensusHeights::<T>::iter_key_prefix(id_key(client_id.as_str())?)
			.take(max)
			.map(height_of)
			.collect::<Result<Vec<_>, _>>()?;
		heights.sort();
		Ok(heights)
	}

	fn next_consensus_state(
		&self,
		client_id: &ClientId,
		height: &Height,
	) -> Result<Option<Self::ConsensusStateRef>, HostError> {
		let next = self.consensus_state_heights(client_id)?.into_iter().find(|h| h > height);
		next.map(|h| {
			self.consensus_state(&ClientConsensusStatePath::new(
				client_id.clone(),
				h.revision_number(),
				h.revision_height(),
			))
		})
		.transpose()
	}

	fn prev_consensus_state(
		&self,
		client_id: &ClientId,
		height: &Height,
	) -> Result<Option<Self::ConsensusStateRef>, HostError> {
		let prev = self.consensus_state_heights(client_id)?.into_iter().rev().find(|h| h < height);
		prev.map(|h| {
			self.consensus_state(&ClientConsensusStatePath::new(
				client_id.clone(),
				h.revision_number(),
				h.revision_height(),
			))
		})
		.transpose()
	}
}

impl<T: Config> ValidationContext for IbcContext<T> {
	type V = Self;
	type HostClientState = T::ClientState;
	type HostConsensusState = T::ConsensusState;

	fn get_client_validation_context(&self) -> &Self::V {
		self
	}

	fn host_height(&self) -> Result<Height, HostError> {
		Self::current_height()
	}

	fn host_timestamp(&self) -> Result<Timestamp, HostError> {
		Ok(Timestamp::from_nanoseconds(Self::current_timestamp_ns()))
	}

	fn host_consensus_state(&self, height: &Height) -> Result<Self::HostConsensusState, HostError> {
		if height.revision_number() != HOST_REVISION_NUMBER {
			return Err(HostError::invalid_state(format!("not a height of this host: {height}")));
		}
		let h = height.revision_height();
		let record = Pallet::<T>::host_record(h).ok_or_else(|| {
			HostError::missing_state(format!("host consensus state at {height} (pruned or future)"))
		})?;
		T::ConsensusState::from_host_record(&record)
	}

	fn client_counter(&self) -> Result<u64, HostError> {
		Ok(ClientCounter::<T>::get())
	}

	fn connection_end(&self, conn_id: &ConnectionId) -> Result<ConnectionEnd, HostError> {
		let path = ConnectionPath::new(conn_id);
		let bytes = store::get(&store::key(&path))
			.ok_or_else(|| HostError::missing_state(format!("connection {conn_id}")))?;
		ConnectionEnd::decode_vec(&bytes).map_err(HostError::invalid_state)
	}

	fn validate_self_client(&self, client_state: Self::HostClientState) -> Result<(), HostError> {
		let host = HostView {
			height: Self::current_height()?,
			chain_id: T::HostChain::chain_id(),
			grandpa_set_id: T::HostChain::grandpa_set_id(),
		};
		client_state.validate_self_client(&host)
	}

	fn commitment_prefix(&self) -> CommitmentPrefix {
		CommitmentPrefix::from_bytes(IBC_CHILD_TRIE)
	}

	fn connection_counter(&self) -> Result<u64, HostError> {
		Ok(ConnectionCounter::<T>::get())
	}

	fn channel_end(&self, path: &ChannelEndPath) -> Result<ChannelEnd, HostError> {
		let bytes = store::get(&store::key(path))
			.ok_or_else(|| HostError::missing_state(format!("channel {path}")))?;
		ChannelEnd::decode_vec(&bytes).map_err(HostError::invalid_state)
	}

	fn get_next_sequence_send(&self, path: &SeqSendPath) -> Result<Sequence, HostError> {
		read_sequence(path, "next send sequence")
	}

	fn get_next_sequence_recv(&self, path: &SeqRecvPath) -> Result<Sequence, HostError> {
		read_sequence(path, "next recv sequence")
	}

	fn get_next_sequence_ack(&self, path: &SeqAckPath) -> Result<Sequence, HostError> {
		read_sequence(path, "next ack sequence")
	}

	fn get_packet_commitment(&self, path: &CommitmentPath) -> Result<PacketCommitment, HostError> {
		store::get(&store::key(path))
			.map(PacketCommitment::from)
			.ok_or_else(|| HostError::missing_state(format!("packet commitment {path}")))
	}

	fn get_packet_receipt(&self, path: &ReceiptPath) -> Result<Receipt, HostError> {
		Ok(if store::exists(&store::key(path)) { Receipt::Ok } else { Receipt::None })
	}

	fn get_packet_acknowledgement(
		&self,
		path: &AckPath,
	) -> Result<AcknowledgementCommitment, HostError> {
		store::get(&store::key(path))
			.map(AcknowledgementCommitment::from)
			.ok_or_else(|| HostError::missing_state(format!("packet acknowledgement {path}")))
	}

	fn channel_counter(&self) -> Result<u64, HostError> {
		Ok(ChannelCounter::<T>::get())
	}

	fn max_expected_time_per_block(&self) -> Duration {
		Duration::from_millis(T::ExpectedBlockTimeMs::get())
	}

	/// Any signer: `deliver` already requires a signed origin; relaying is permissionless.
	fn validate_message_signer(&self, _signer: &Signer) -> Result<(), HostError> {
		Ok(())
	}
}

impl<T: Config> ExecutionContext for IbcContext<T> {
	type E = Self;

	fn get_client_execution_context(&mut self) -> &mut Self::E {
		self
	}

	fn increase_client_counter(&mut self) -> Result<(), HostError> {
		ClientCounter::<T>::put(bump(ClientCounter::<T>::get())?);
		Ok(())
	}

	fn store_connection(
		&mut self,
		path: &ConnectionPath,
		connection_end: ConnectionEnd,
	) -> Result<(), HostError> {
		store::put(&store::key(path), &connection_end.encode_vec());
		Ok(())
	}

	/// Stores the (latest) connection id of a client; not read back by ibc-rs.
	fn store_connection_to_client(
		&mut self,
		path: &ClientConnectionPath,
		conn_id: ConnectionId,
	) -> Result<(), HostError> {
		store::put(&store::key(path), conn_id.as_str().as_bytes());
		Ok(())
	}

	fn increase_connection_counter(&mut self) -> Result<(), HostError> {
		ConnectionCounter::<T>::put(bump(ConnectionCounter::<T>::get())?);
		Ok(())
	}

	fn store_packet_commitment(
		&mut self,
		path: &CommitmentPath,
		commitment: PacketCommitment,
	) -> Result<(), HostError> {
		store::put(&store::key(path), &commitment.into_vec());
		Ok(())
	}

	/// Also forgets the packet's data kept for relayers (the packet is acked or timed out).
	fn delete_packet_commitment(&mut self, path: &CommitmentPath) -> Result<(), HostError> {
		store::remove(&store::key(path));
		SentPackets::<T>::remove((
			id_key(path.port_id.as_str())?,
			id_key(path.channel_id.as_str())?,
			path.sequence.value(),
		));
		Ok(())
	}

	fn store_packet_receipt(
		&mut self,
		path: &ReceiptPath,
		receipt: Receipt,
	) -> Result<(), HostError> {
		if matches!(receipt, Receipt::Ok) {
			store::put(&store::key(path), &[1u8]);
		}
		Ok(())
	}

	fn store_packet_acknowledgement(
		&mut self,
		path: &AckPath,
		ack_commitment: AcknowledgementCommitment,
	) -> Result<(), HostError> {
		store::put(&store::key(path), &ack_commitment.into_vec());
		Ok(())
	}

	fn delete_packet_acknowledgement(&mut self, path: &AckPath) -> Result<(), HostError> {
		store::remove(&store::key(path));
		Ok(())
	}

	fn store_channel(
		&mut self,
		path: &ChannelEndPath,
		channel_end: ChannelEnd,
	) -> Result<(), HostError> {
		store::put(&store::key(path), &channel_end.encode_vec());
		Ok(())
	}

	fn store_next_sequence_send(
		&mut self,
		path: &SeqSendPath,
		seq: Sequence,
	) -> Result<(), HostError> {
		write_sequence(path, seq);
		Ok(())
	}

	fn store_next_sequence_recv(
		&mut self,
		path: &SeqRecvPath,
		seq: Sequence,
	) -> Result<(), HostError> {
		write_sequence(path, seq);
		Ok(())
	}

	fn store_next_sequence_ack(
		&mut self,
		path: &SeqAckPath,
		seq: Sequence,
	) -> Result<(), HostError> {
		write_sequence(path, seq);
		Ok(())
	}

	fn increase_channel_counter(&mut self) -> Result<(), HostError> {
		ChannelCounter::<T>::put(bump(ChannelCounter::<T>::get())?);
		Ok(())
	}

	/// Deposits the event; a `SendPacket` also records the packet in [`SentPackets`], a
	/// `WriteAcknowledgement` keeps the ack bytes in [`crate::pallet::WrittenAcks`].
	fn emit_ibc_event(&mut self, event: IbcEvent) -> Result<(), HostError> {
		match &event {
			IbcEvent::SendPacket(sent) => record_sent_packet::<T>(sent)?,
			IbcEvent::WriteAcknowledgement(written) => Pallet::<T>::keep_written_ack(
				(
					id_key(written.port_id_on_b().as_str())?,
					id_key(written.chan_id_on_b().as_str())?,
					written.seq_on_a().value(),
				),
				written.acknowledgement().as_bytes(),
			),
			_ => {}
		}
		Pallet::<T>::deposit_event(Event::IbcEvent { event: event_record(event) });
		Ok(())
	}

	fn log_message(&mut self, message: String) -> Result<(), HostError> {
		log::debug!(target: crate::LOG_TARGET, "{message}");
		Ok(())
	}
}

fn record_sent_packet<T: Config>(sent: &SendPacket) -> Result<(), HostError> {
	let timeout_height = match sent.timeout_height_on_b() {
		TimeoutHeight::At(h) => height_key(h),
		TimeoutHeight::Never => (0, 0),
	};
	let timeout_timestamp_ns = match sent.timeout_timestamp_on_b() {
		TimeoutTimestamp::At(t) => t.nanoseconds(),
		TimeoutTimestamp::Never => 0,
	};
	let pending = PendingPacket {
		destination_port: id_key(sent.port_id_on_b().as_str())?,
		destination_channel: id_key(sent.chan_id_on_b().as_str())?,
		data: sent
			.packet_data()
			.to_vec()
			.try_into()
			.map_err(|_| HostError::failed_to_store("packet data too large to keep"))?,
		timeout_height,
		timeout_timestamp_ns,
	};
	let key = (
		id_key(sent.port_id_on_a().as_str())?,
		id_key(sent.chan_id_on_a().as_str())?,
		sent.seq_on_a().value(),
	);
	SentPackets::<T>::insert(key, pending);
	Ok(())
}

/// An ibc-rs event as its ABCI form (kind + attributes), bounded for the event log.
pub(crate) fn event_record(event: IbcEvent) -> IbcEventRecord {
	let kind_fallback = event.event_type().as_bytes().to_vec();
	match tendermint::abci::Event::try_from(event) {
		Ok(abci) => IbcEventRecord {
			kind: abci.kind.into_bytes(),
			attributes: abci
				.attributes
				.iter()
				.take(MAX_EVENT_ATTRIBUTES)
				.map(|a| {
					let mut value = a.value_bytes().to_vec();
					value.truncate(MAX_EVENT_VALUE_LEN);
					(a.key_bytes().to_vec(), value)
				})
				.collect(),
		},
		Err(_) => IbcEventRecord { kind: kind_fallback, attributes: Vec::new() },
	}
}

/// Reads a stored connection's client id (used by the router to describe a channel).
pub(crate) fn connection_client<T: Config>(conn: &ConnectionId) -> Result<ClientId, HostError> {
	Ok(IbcContext::<T>::new().connection_end(conn)?.client_id().clone())
}
