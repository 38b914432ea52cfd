//! # pallet-ibc
//!
//! An ibc-rs 0.57 host on FRAME storage.
//!
//! - **Provable state** ([`store`]): a child trie keyed by raw ICS-24 path bytes with raw
//!   values. In `on_finalize` the pallet computes the child root and writes
//!   `(timestamp_ns, ibc_root)` into a header digest under [`types::IBC_ENGINE_ID`], and keeps
//!   the last [`Config::HostHistory`] of them in a ring buffer ([`HostConsensusStates`]) that
//!   serves ibc-rs's `host_consensus_state`.
//! - **Contexts** ([`context`]): `ValidationContext`, `ExecutionContext` and the client
//!   contexts (`ClientValidationContext`, `ClientExecutionContext`,
//!   `ExtClientValidationContext`) over that storage.
//! - **Light clients** ([`clients`]): the runtime's client enums, deriving ibc-rs's
//!   `ClientState`/`ConsensusState`, are [`Config::ClientState`] and [`Config::ConsensusState`].
//! - **Calls**: [`Pallet::deliver`] takes a bounded batch of raw `Any` messages from any signed
//!   relayer and dispatches each through ibc-rs. The batch is atomic: if any message fails, the
//!   call fails with an error naming the ibc-rs error class (client, connection, channel,
//!   router; the full text goes to the log) and *no* message of the batch takes effect (the
//!   call runs in one storage transaction, child trie included).
//! - **Router** ([`router`]): apps bind ports through [`Config::Apps`]; the CCV pallets plug in
//!   with [`router::CcvApp`]. The pallet implements [`ccv_primitives::channel::IbcChannel`] and
//!   [`ccv_primitives::channel::ProviderClientFactory`] for them ([`channel`]).
//! - **ICS-20** ([`transfer`]): the fungible token transfer app on port `transfer`
//!   ([`transfer::TransferApp`] in [`Config::Apps`]): the native token
//!   ([`Config::NativeCurrency`]) is escrowed per channel, foreign tokens arrive as pallet-assets
//!   vouchers ([`Config::Assets`]); [`Pallet::transfer`] sends, and the pallet implements
//!   [`ccv_primitives::channel::RewardTransfer`] for the CCV consumer's reward transmission.
//! - **Relayer data**: packets sent and not yet acknowledged or timed out ([`SentPackets`]) and
//!   the last [`Config::AckHistory`] acknowledgements written ([`WrittenAcks`]) keep their
//!   bytes, read through [`runtime_api::IbcRuntimeApi`]; proofs come from the node's
//!   `state_getChildReadProof` against the child root in the block's digest.
//!
//! Batch atomicity and relaying: ibc-rs treats a packet already received (or acknowledged,
//! or timed out) as a successful no-op, so racing relayers do not fail each other's batches;
//! any other failing message voids its whole batch.
//!
//! Light clients: the GRANDPA client (`ibc-client-grandpa`) plugs in through [`clients`] (its
//! variant in the runtime's enums, [`Config::HostChain`]); the mock runtime also keeps
//! ibc-testkit's mock client for unit tests. Not in this crate yet: the node RPC.
//!
//! Weights: [`weights`] is generated from the benchmarks (`benchmarking.rs`, one message of
//! each kind on the real GRANDPA client, and `transfer`); [`deliver_weight`] charges each
//! message of a batch its kind's weight at the worst case its length allows.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod channel;
pub mod clients;
pub mod context;
pub mod deliver_weight;
pub mod router;
pub mod runtime_api;
pub mod store;
pub mod transfer;
pub mod types;
pub mod weights;

#[cfg(any(test, feature = "test-utils"))]
pub mod mock;
#[cfg(test)]
mod tests;

pub use context::IbcContext;
pub use pallet::*;
pub use weights::WeightInfo;

/// The native token's balance type (also the vouchers' balance type).
pub type BalanceOf<T> =
	<<T as Config>::NativeCurrency as frame_support::traits::fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::ibc";

// FRAME's pallet macros expand to `expect` calls in generated metadata code; the lint is
// relaxed for that expansion only. The hand-written code in this module uses none.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use crate::{
		clients::{HostChain, LightClientState, LightConsensusState},
		context::IbcContext,
		router::{IbcApps, IbcRouter},
		store,
		transfer::{account::AccountCodec, TransferRequest},
		types::{
			DenomTrace, HeightKey, HostRecord, IbcEventRecord, IdBytes, PendingPacket, RawAny,
			ReceiverBytes, IBC_ENGINE_ID, MAX_MESSAGE_LEN,
		},
		BalanceOf, WeightInfo,
	};
	use codec::Encode;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, fungibles, ConstU32, Incrementable, UnixTime},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use ibc_core::{
		entrypoint::dispatch,
		handler::types::{error::HandlerError, msgs::MsgEnvelope},
	};
	use sp_runtime::{traits::UniqueSaturatedInto, DigestItem};

	/// Configuration: time source, light clients, bound apps and bounds.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Wall-clock time of the block (pallet-timestamp); host timestamps.
		type TimeProvider: UnixTime;
		/// The light-client state enum (one variant per supported client type).
		type ClientState: LightClientState<Self>;
		/// The consensus-state enum matching [`Config::ClientState`].
		type ConsensusState: LightConsensusState;
		/// This chain's id and GRANDPA set id, which counterparties' clients of this chain are
		/// checked against in connection handshakes.
		type HostChain: HostChain;
		/// The IBC apps and the ports they bind (a tuple of [`IbcApps`]).
		type Apps: IbcApps;
		/// Most messages in one `deliver` call.
		#[pallet::constant]
		type MaxMessages: Get<u32>;
		/// How many of our own past consensus states are kept for `host_consensus_state`
		/// (a counterparty's client of us must be updated within this many blocks).
		#[pallet::constant]
		type HostHistory: Get<u32>;
		/// Most consensus heights of one client read when ibc-rs lists them (pruning, misbehaviour).
		#[pallet::constant]
		type MaxConsensusStatesPerClient: Get<u32>;
		/// How many of the acknowledgements this chain wrote are kept (bytes, for relayers), oldest
		/// evicted first; relayers must relay an ack before this many newer ones are written.
		#[pallet::constant]
		type AckHistory: Get<u32>;
		/// Expected block time in milliseconds (connection delay in blocks).
		#[pallet::constant]
		type ExpectedBlockTimeMs: Get<u64>;
		/// ICS-20: the native token (pallet-balances), escrowed when sent.
		type NativeCurrency: fungible::Mutate<Self::AccountId>;
		/// ICS-20: the native token's denomination in packets (e.g. `"stake"`).
		type NativeDenom: Get<&'static str>;
		/// ICS-20: asset id of vouchers.
		type AssetId: Member + Parameter + MaxEncodedLen + Incrementable;
		/// ICS-20: the vouchers of foreign denominations (pallet-assets); the pallet creates
		/// assets itself, so pallet-assets must accept ids chosen by its caller.
		type Assets: fungibles::Mutate<Self::AccountId, AssetId = Self::AssetId, Balance = BalanceOf<Self>>
			+ fungibles::Create<Self::AccountId>;
		/// ICS-20: the first asset id used for vouchers (then counting up, skipping ids in use).
		#[pallet::constant]
		type FirstVoucherAssetId: Get<Self::AssetId>;
		/// ICS-20: owner of voucher assets and root of the per-channel escrow accounts.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// ICS-20: how packet `sender` / `receiver` strings map to accounts.
		type AccountCodec: AccountCodec<Self::AccountId>;
		/// ICS-20: longest memo of a transfer we send.
		#[pallet::constant]
		type MaxMemoLen: Get<u32>;
		/// Weights of the calls, from the benchmarks (`()` for tests).
		type WeightInfo: WeightInfo;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Number of clients created (next client id's suffix).
	#[pallet::storage]
	pub type ClientCounter<T> = StorageValue<_, u64, ValueQuery>;

	/// Number of connections created (next connection id's suffix).
	#[pallet::storage]
	pub type ConnectionCounter<T> = StorageValue<_, u64, ValueQuery>;

	/// Number of channels created (next channel id's suffix).
	#[pallet::storage]
	pub type ChannelCounter<T> = StorageValue<_, u64, ValueQuery>;

	/// Heights at which each client has a stored consensus state (the states themselves are in
	/// the child trie).
	#[pallet::storage]
	pub type ConsensusHeights<T> =
		StorageDoubleMap<_, Blake2_128Concat, IdBytes, Twox64Concat, HeightKey, (), OptionQuery>;

	/// Per client and client height: host time (unix ns) and host height of the update.
	#[pallet::storage]
	pub type ClientUpdateMeta<T> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		IdBytes,
		Twox64Concat,
		HeightKey,
		(u64, HeightKey),
		OptionQuery,
	>;

	/// The past authority sets of each GRANDPA client, by client and set id: the sets its
	/// updates replaced, within its window (`max_set_history`). Kept out of the client state so
	/// that reading the state costs what the benchmarks measured; read only for misbehaviour
	/// and equivocation evidence ([`ibc_client_grandpa::past_sets`]).
	#[pallet::storage]
	pub type GrandpaPastSets<T> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		IdBytes,
		Twox64Concat,
		ibc_client_grandpa::types::SetId,
		ibc_client_grandpa::types::AuthoritySet,
		OptionQuery,
	>;

	/// The set ids in [`GrandpaPastSets`] of each GRANDPA client, ascending.
	#[pallet::storage]
	pub type GrandpaPastSetIds<T> = StorageMap<
		_,
		Blake2_128Concat,
		IdBytes,
		BoundedVec<
			ibc_client_grandpa::types::SetId,
			ConstU32<{ ibc_client_grandpa::types::MAX_SET_HISTORY }>,
		>,
		ValueQuery,
	>;

	/// Ring buffer of this host's own consensus records, slot = height % `HostHistory`.
	#[pallet::storage]
	pub type HostConsensusStates<T> = StorageMap<_, Twox64Concat, u32, HostRecord, OptionQuery>;

	/// Packets sent by any app of this chain and not yet acknowledged or timed out, by
	/// (source port, source channel, sequence): relayers need the data, commitments are only
	/// hashes.
	#[pallet::storage]
	pub type SentPackets<T> =
		StorageMap<_, Blake2_128Concat, (IdBytes, IdBytes, u64), PendingPacket, OptionQuery>;

	/// Acknowledgements this chain wrote for received packets, by (our port, our channel,
	/// sequence): the ack bytes a relayer must send back (the child trie holds only their hash).
	#[pallet::storage]
	pub type WrittenAcks<T> = StorageMap<
		_,
		Blake2_128Concat,
		(IdBytes, IdBytes, u64),
		BoundedVec<u8, ConstU32<MAX_MESSAGE_LEN>>,
		OptionQuery,
	>;

	/// Eviction order of [`WrittenAcks`]: a ring of `AckHistory` slots.
	#[pallet::storage]
	pub type AckRing<T> = StorageMap<_, Twox64Concat, u32, (IdBytes, IdBytes, u64), OptionQuery>;

	/// Next slot of [`AckRing`] to write (wraps at `AckHistory`).
	#[pallet::storage]
	pub type AckRingHead<T> = StorageValue<_, u32, ValueQuery>;

	/// Set only while the host itself closes a channel ([`crate::channel`]'s `close_channel`);
	/// CCV apps refuse a `MsgChannelCloseInit` from anyone else.
	#[pallet::storage]
	pub type HostInitiatedClose<T> = StorageValue<_, bool, ValueQuery>;

	/// ICS-20: the voucher asset of each foreign denom trace this chain has received.
	#[pallet::storage]
	pub type VoucherAssets<T: Config> =
		StorageMap<_, Blake2_128Concat, DenomTrace, T::AssetId, OptionQuery>;

	/// ICS-20: the denom trace of each voucher asset (reverse of [`VoucherAssets`]).
	#[pallet::storage]
	pub type VoucherDenoms<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, DenomTrace, OptionQuery>;

	/// ICS-20: the next asset id to try for a new voucher (unset: `FirstVoucherAssetId`).
	#[pallet::storage]
	pub type NextVoucherAssetId<T: Config> = StorageValue<_, T::AssetId, OptionQuery>;

	/// ICS-20: the first transfer channel the counterparty opened on each connection (recorded
	/// at `chan_open_try`), by connection id. A consumer chain opens one such channel beside its
	/// CCV channel to send rewards; [`Pallet::counterparty_voucher`] names its vouchers.
	#[pallet::storage]
	pub type CounterpartyTransferChannel<T> =
		StorageMap<_, Blake2_128Concat, IdBytes, IdBytes, OptionQuery>;

	/// Events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(crate) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An ibc-rs event (ABCI form: kind and attributes).
		IbcEvent {
			/// The event.
			event: IbcEventRecord,
		},
		/// A `deliver` batch was handled completely.
		Delivered {
			/// The relayer.
			relayer: T::AccountId,
			/// How many messages it carried.
			count: u32,
		},
		/// An ICS-20 transfer left this chain (tokens escrowed or burnt, packet committed).
		TransferSent {
			/// The sender (refunded on timeout or error ack).
			sender: T::AccountId,
			/// Our channel on port `transfer`.
			channel: IdBytes,
			/// The denomination sent, as held here.
			denom: DenomTrace,
			/// The amount.
			amount: BalanceOf<T>,
			/// The packet's sequence on the channel.
			sequence: u64,
		},
		/// A voucher asset was created for a foreign denomination, at its first receive.
		VoucherCreated {
			/// The full denom trace.
			denom: DenomTrace,
			/// The new asset.
			asset_id: T::AssetId,
		},
	}

	/// Errors: which stage of ibc-rs refused a message (details in the `runtime::ibc` log).
	#[pallet::error]
	pub enum Error<T> {
		/// The message's type URL is not UTF-8 or not an IBC core message, or its value does not
		/// decode.
		InvalidMessage,
		/// ICS-02 client handling failed (create/update/upgrade/misbehaviour).
		ClientError,
		/// ICS-03 connection handshake failed.
		ConnectionError,
		/// ICS-04 channel handshake or packet handling failed.
		ChannelError,
		/// ICS-26 routing failed (no app bound to the port).
		RouterError,
		/// ICS-20: the channel id is malformed, unknown, or the channel is not open.
		ChannelNotOpen,
		/// ICS-20: the denomination is malformed, or neither the native token nor a voucher.
		UnknownDenom,
		/// ICS-20: a denom trace longer than `MAX_DENOM_LEN`.
		DenomTooLong,
		/// ICS-20: a zero amount.
		ZeroAmount,
		/// ICS-20: the receiver is empty, not UTF-8, padded with whitespace or too long.
		InvalidReceiver,
		/// ICS-20: the memo is not UTF-8 or longer than `MaxMemoLen`.
		InvalidMemo,
		/// ICS-20: no timeout given, or a timeout height of 0 or a timestamp out of range.
		InvalidTimeout,
		/// ICS-20: no asset id left for a new voucher.
		VoucherIdsExhausted,
		/// ICS-20: ibc-rs refused the transfer (e.g. the timeout has already passed on the
		/// counterparty; details in the `runtime::ibc` log).
		TransferRefused,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			// on_finalize: child root + one ring-buffer write + the digest.
			T::DbWeight::get().reads_writes(1, 2)
		}

		fn on_finalize(n: BlockNumberFor<T>) {
			Self::record_host_state(n.unique_saturated_into());
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::HostHistory::get() > 0, "HostHistory must keep at least one record");
			assert!(T::MaxMessages::get() > 0, "MaxMessages must allow one message");
			assert!(T::AckHistory::get() > 0, "AckHistory must keep at least one ack");
			let native = T::NativeDenom::get();
			assert!(
				!native.trim().is_empty() && !native.contains('/'),
				"NativeDenom must be a plain, non-empty base denom"
			);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Handles a batch of IBC messages (protobuf `Any`s), in order, atomically. Any signed
		/// account may relay.
		///
		/// The weight is, per message, the benchmarked weight of its kind at the worst case its
		/// length allows ([`crate::deliver_weight`]).
		#[pallet::call_index(0)]
		#[pallet::weight(crate::deliver_weight::deliver::<T::WeightInfo, T::DbWeight, T::Apps>(messages))]
		pub fn deliver(
			origin: OriginFor<T>,
			messages: BoundedVec<RawAny, T::MaxMessages>,
		) -> DispatchResult {
			let relayer = ensure_signed(origin)?;
			let count = messages.len() as u32;
			let mut ctx = IbcContext::<T>::new();
			let mut router = IbcRouter::new::<T::Apps>();
			for raw in messages.iter() {
				let envelope = raw
					.to_any()
					.and_then(|any| MsgEnvelope::try_from(any).ok())
					.ok_or(Error::<T>::InvalidMessage)?;
				dispatch(&mut ctx, &mut router, envelope).map_err(Self::handler_error)?;
			}
			Self::deposit_event(Event::Delivered { relayer, count });
			Ok(())
		}

		/// Sends `amount` of `denom` (the full denomination as held here: the native denom or a
		/// voucher's trace) over our `channel` on port `transfer` to `receiver` on the
		/// counterparty, with `memo`. At least one timeout is required: a counterparty height
		/// `(revision_number, revision_height)` and/or a counterparty time in unix
		/// milliseconds. Tokens this chain is the source of are escrowed; vouchers going back
		/// towards their source are burnt. On timeout or an error acknowledgement the sender
		/// is refunded.
		///
		/// The weight is benchmarked at the longest receiver and memo.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::transfer())]
		#[allow(clippy::too_many_arguments)]
		pub fn transfer(
			origin: OriginFor<T>,
			channel: IdBytes,
			denom: DenomTrace,
			amount: BalanceOf<T>,
			receiver: ReceiverBytes,
			timeout_height: Option<(u64, u64)>,
			timeout_timestamp_ms: Option<u64>,
			memo: BoundedVec<u8, T::MaxMemoLen>,
		) -> DispatchResult {
			let sender = ensure_signed(origin)?;
			Self::send_transfer(TransferRequest {
				sender: &sender,
				channel: &channel,
				denom: &denom,
				amount,
				receiver: &receiver,
				timeout_height,
				timeout_timestamp_ms,
				memo: &memo,
			})
			.map(|_| ())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Maps an ibc-rs handler error to our error and logs its full text.
		pub(crate) fn handler_error(e: HandlerError) -> DispatchError {
			log::debug!(target: crate::LOG_TARGET, "IBC message failed: {e}");
			match e {
				HandlerError::Client(_) => Error::<T>::ClientError,
				HandlerError::Connection(_) => Error::<T>::ConnectionError,
				HandlerError::Channel(_) => Error::<T>::ChannelError,
				HandlerError::Router(_) => Error::<T>::RouterError,
			}
			.into()
		}

		/// Computes the IBC child root, stores this block's [`HostRecord`] in the ring buffer
		/// and deposits the `(timestamp_ns, ibc_root)` digest.
		pub(crate) fn record_host_state(height: u64) {
			let root = store::root();
			let Ok(ibc_root) = <[u8; 32]>::try_from(root.as_slice()) else {
				log::error!(target: crate::LOG_TARGET, "child root is not 32 bytes");
				return;
			};
			let timestamp_ns = IbcContext::<T>::current_timestamp_ns();
			let record = HostRecord { height, timestamp_ns, ibc_root };
			HostConsensusStates::<T>::insert(Self::host_slot(height), record);
			frame_system::Pallet::<T>::deposit_log(DigestItem::Consensus(
				IBC_ENGINE_ID,
				(timestamp_ns, ibc_root).encode(),
			));
		}

		fn host_slot(height: u64) -> u32 {
			let cap = u64::from(T::HostHistory::get().max(1));
			(height % cap) as u32
		}

		/// Invariants: every kept sent packet still has its commitment in the child trie; the ack
		/// ring and the host ring hold at most their capacity, each host record in its slot;
		/// the voucher maps are inverse to each other and every voucher asset exists; every
		/// GRANDPA past set a client lists is kept under its own id, ids ascending, and no
		/// other is kept.
		#[cfg(any(test, feature = "try-runtime"))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			for ((port, channel, seq), _) in SentPackets::<T>::iter() {
				let path = alloc::format!(
					"commitments/ports/{}/channels/{}/sequences/{seq}",
					core::str::from_utf8(&port).map_err(|_| "port id not UTF-8")?,
					core::str::from_utf8(&channel).map_err(|_| "channel id not UTF-8")?,
				);
				ensure!(store::exists(path.as_bytes()), "kept packet without commitment");
			}
			let acks = WrittenAcks::<T>::iter_keys().count() as u64;
			ensure!(acks <= u64::from(T::AckHistory::get()), "more acks kept than AckHistory");
			ensure!(
				AckRing::<T>::iter_keys().count() as u64 == acks,
				"ack ring and kept acks disagree"
			);
			for (slot, record) in HostConsensusStates::<T>::iter() {
				ensure!(Self::host_slot(record.height) == slot, "host record in the wrong slot");
			}
			let mut vouchers = 0u64;
			for (denom, id) in VoucherAssets::<T>::iter() {
				ensure!(
					VoucherDenoms::<T>::get(&id).as_ref() == Some(&denom),
					"voucher maps disagree"
				);
				ensure!(
					<T::Assets as fungibles::Inspect<_>>::asset_exists(id),
					"voucher asset missing"
				);
				vouchers += 1;
			}
			ensure!(
				VoucherDenoms::<T>::iter_keys().count() as u64 == vouchers,
				"voucher maps differ in size"
			);
			let mut past_sets = 0usize;
			for (client, ids) in GrandpaPastSetIds::<T>::iter() {
				ensure!(ids.is_sorted_by(|a, b| a < b), "past set ids not ascending");
				for id in ids.iter() {
					let set =
						GrandpaPastSets::<T>::get(&client, id).ok_or("listed past set missing")?;
					ensure!(set.set_id == *id, "past set kept under another id");
				}
				past_sets += ids.len();
			}
			ensure!(
				GrandpaPastSets::<T>::iter_keys().count() == past_sets,
				"past sets kept that no client lists"
			);
			Ok(())
		}

		/// Keeps the bytes of an acknowledgement we wrote, evicting the oldest beyond
		/// `AckHistory`.
		pub(crate) fn keep_written_ack(key: (IdBytes, IdBytes, u64), ack: &[u8]) {
			let Ok(bytes) = BoundedVec::try_from(ack.to_vec()) else {
				log::warn!(target: crate::LOG_TARGET, "acknowledgement too large to keep");
				return;
			};
			let cap = T::AckHistory::get().max(1);
			let slot = AckRingHead::<T>::get() % cap;
			if let Some(old) = AckRing::<T>::take(slot) {
				WrittenAcks::<T>::remove(old);
			}
			AckRing::<T>::insert(slot, key.clone());
			WrittenAcks::<T>::insert(key, bytes);
			AckRingHead::<T>::put((slot + 1) % cap);
		}

		/// The acknowledgement we wrote for a received packet, if still kept.
		pub fn written_ack(
			port: &[u8],
			channel: &[u8],
			sequence: u64,
		) -> Option<alloc::vec::Vec<u8>> {
			let port = IdBytes::try_from(port.to_vec()).ok()?;
			let channel = IdBytes::try_from(channel.to_vec()).ok()?;
			WrittenAcks::<T>::get((port, channel, sequence)).map(|b| b.into_inner())
		}

		/// This host's record of its block `height`, if still in the ring buffer.
		pub fn host_record(height: u64) -> Option<HostRecord> {
			HostConsensusStates::<T>::get(Self::host_slot(height)).filter(|r| r.height == height)
		}

		/// The raw provable value at an ICS-24 path (for runtime APIs and relayers).
		pub fn ibc_state(path: &[u8]) -> Option<alloc::vec::Vec<u8>> {
			store::get(path)
		}

		/// The voucher asset, on this chain, of `denom` as the counterparty of the channel
		/// `port`/`channel` names it: `denom` sent over the first transfer channel the
		/// counterparty opened on that channel's connection
		/// ([`CounterpartyTransferChannel`]). `None` when there is no such channel or nothing
		/// of `denom` was ever received over it.
		pub fn counterparty_voucher(
			port: &[u8],
			channel: &[u8],
			denom: &[u8],
		) -> Option<T::AssetId> {
			let transfer_channel = CounterpartyTransferChannel::<T>::get(
				crate::transfer::channel_connection(port, channel)?,
			)?;
			let trace = crate::transfer::received_trace(&transfer_channel, denom)?;
			VoucherAssets::<T>::get(trace)
		}
	}
}
