//! Types the consumer pallet stores: the validator set, channel state, queue bounds, history
//! entries and the slash record.

use ccv_primitives::{channel::IbcId, ConsensusKey, Power, ValidatorUpdate, VscId};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::ConstU32, BoundedVec};
use scale_info::TypeInfo;

/// Longest provider fee-pool address kept from the handshake metadata.
pub const MAX_FEE_POOL_ADDR_LEN: u32 = 128;

/// The provider account that receives this consumer's rewards (a string address on the
/// provider, as `HandshakeMetadata` carries it).
pub type FeePoolAddr = BoundedVec<u8, ConstU32<MAX_FEE_POOL_ADDR_LEN>>;

/// A validator set as the consumer keeps it: `(key, power)` entries sorted by key, every power
/// at least 1, no key twice. Bounded by `Config::MaxValidators`.
pub type ValidatorSet<S> = BoundedVec<ValidatorUpdate, S>;

/// One validator of the set (alias kept for readability at call sites).
pub type Validator = ValidatorUpdate;

/// State of the CCV channel once the handshake has produced one.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum CcvChannelState {
	/// The first VSC arrived on this channel: CCV is established and packets are sent on it.
	Established(IbcId),
	/// The channel is closed (see [`crate::channel_close`]): the chain keeps running with its
	/// last validator set, sends nothing and tracks no downtime; no new CCV channel is accepted.
	Closed(IbcId),
}

/// Why the CCV channel closed (in the `CcvChannelClosed` event).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum ChannelCloseCause {
	/// The provider answered one of our packets with an error (or an invalid) acknowledgement;
	/// we closed our end.
	ErrorAck,
	/// One of our packets timed out: the ORDERED channel closes with it.
	Timeout,
	/// The provider closed its end (e.g. it removed this consumer) and a relayer delivered
	/// `MsgChannelCloseConfirm` to ours.
	ClosedByProvider,
}

impl CcvChannelState {
	/// The channel id, whatever the state.
	pub fn channel(&self) -> &IbcId {
		match self {
			Self::Established(c) | Self::Closed(c) => c,
		}
	}
}

/// Bounds of a FIFO kept as a storage map indexed by `u64`: live entries are `head..tail`.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct QueueBounds {
	/// Index of the oldest entry.
	pub head: u64,
	/// Index the next pushed entry gets.
	pub tail: u64,
}

impl QueueBounds {
	/// Number of live entries.
	pub fn len(&self) -> u64 {
		self.tail.saturating_sub(self.head)
	}

	/// True when the queue holds nothing.
	pub fn is_empty(&self) -> bool {
		self.len() == 0
	}
}

/// A VSC waiting for its unbonding period to elapse before `VscMatured` is sent.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct MaturingVsc {
	/// The newest VSC applied at a session boundary (it covers every older one).
	pub vsc_id: VscId,
	/// Unix time in milliseconds at which it matures.
	pub matures_at_ms: u64,
}

/// What the consumer remembers about a session.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct SessionInfo<BlockNumber> {
	/// GRANDPA set id in force during the session.
	pub set_id: u64,
	/// The VSC whose validator set is in force (0: the genesis set).
	pub vsc_id: VscId,
	/// First block of the session.
	pub start_block: BlockNumber,
}

/// State of the slash packet at the head of the outgoing queue.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct SlashRecord {
	/// True while the provider has not answered the last send.
	pub waiting_on_reply: bool,
	/// Unix time in milliseconds of the last send.
	pub sent_at_ms: u64,
}

/// The set's `(key, power)` pairs as GRANDPA weights; power is the authority weight.
pub fn grandpa_authorities(set: &[Validator]) -> sp_consensus_grandpa::AuthorityList {
	set.iter().map(|v| (grandpa_id(&v.key), v.power)).collect()
}

/// A consensus key as a GRANDPA authority id.
pub fn grandpa_id(key: &ConsensusKey) -> sp_consensus_grandpa::AuthorityId {
	sp_core::ed25519::Public::from_raw(key.0).into()
}

/// A consensus key as an ed25519 Aura authority id.
pub fn aura_id(key: &ConsensusKey) -> sp_consensus_aura::ed25519::AuthorityId {
	sp_core::ed25519::Public::from_raw(key.0).into()
}

/// Total power of a set (saturating; validated sets stay below `u64::MAX / 2`).
pub fn total_power(set: &[Validator]) -> Power {
	set.iter().fold(0u64, |acc, v| acc.saturating_add(v.power))
}

/// Why a VSC packet got an error acknowledgement.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum VscRejection {
	/// The consumer has no consumer genesis (not initialised).
	NotInitialised,
	/// The data is not a valid `ValidatorSetChangePacketData` document.
	Undecodable,
	/// The packet is not on the consumer port or not on the established CCV channel.
	WrongChannel,
	/// The CCV channel is closed.
	ChannelClosed,
	/// `valset_update_id` is 0 or a key is updated twice.
	InvalidPacket,
	/// `valset_update_id` is not above every id received so far.
	NonIncreasingId,
	/// The resulting set is empty.
	EmptySet,
	/// The resulting set has more than `MaxValidators` validators.
	TooManyValidators,
	/// The resulting set's total power exceeds `u64::MAX / 2`.
	TotalPowerTooLarge,
}

impl VscRejection {
	/// Text of the error acknowledgement.
	pub fn message(&self) -> &'static str {
		match self {
			Self::NotInitialised => "consumer not initialised",
			Self::Undecodable => "invalid VSC packet data",
			Self::WrongChannel => "VSC on an unexpected channel",
			Self::ChannelClosed => "CCV channel closed",
			Self::InvalidPacket => "invalid VSC packet",
			Self::NonIncreasingId => "valset update id not increasing",
			Self::EmptySet => "resulting validator set is empty",
			Self::TooManyValidators => "resulting validator set too large",
			Self::TotalPowerTooLarge => "resulting total power exceeds u64::MAX / 2",
		}
	}
}

/// A validator's downtime window over its own slots.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct SigningInfo {
	/// Slots of this validator observed since its window started (the bitmap position is
	/// `slots % window`).
	pub slots: u64,
	/// Missed slots among the last `window` of them.
	pub missed: u32,
}

/// What the pallet's benchmarks need from the runtime beyond this pallet's storage: open
/// channels on the IBC host.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Opens the CCV channel (ORDERED, port `consumer`, version `"1"`) on the IBC host over a
	/// connection on the provider client, ready to send packets; returns the channel id, or
	/// why it could not.
	fn open_ccv_channel() -> Result<IbcId, &'static str>;
	/// Opens an ICS-20 channel (UNORDERED, port `transfer`, version `"ics20-1"`) on the IBC
	/// host over a connection on the provider client, ready to send transfers; returns the
	/// channel id, or why it could not.
	fn open_transfer_channel() -> Result<IbcId, &'static str>;
}
