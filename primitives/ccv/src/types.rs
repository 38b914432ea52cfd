//! SCALE types of ICS-028: what the pallets store, queue and exchange.
//!
//! Each packet type converts losslessly to and from its wire form in [`crate::wire`].

use crate::{
	address::{ConsensusAddress, SlashAck},
	constants::*,
};
use alloc::vec::Vec;
use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt;
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_arithmetic::Perbill;

/// Identifies a consumer chain on its provider (a counter, like ICS v6's consumer ids).
pub type ConsumerId = u64;
/// Identifies a validator-set change; strictly increasing per consumer, starting at 1.
pub type VscId = u64;
/// Voting power of a validator on a consumer (at most `i64::MAX`, the wire's `int64`).
pub type Power = u64;

/// Bound of [`VscPacket::validator_updates`].
pub type MaxValidatorUpdates = ConstU32<MAX_VALIDATOR_UPDATES>;
/// Bound of [`ConsumerGenesis::initial_validator_set`].
pub type MaxInitialValidators = ConstU32<MAX_INITIAL_VALIDATORS>;
/// Bound of [`VscPacket::slash_acks`].
pub type MaxSlashAcks = ConstU32<MAX_SLASH_ACKS>;
/// A token denomination such as `stake` or `ibc/27394FB0...`.
pub type Denom = BoundedVec<u8, ConstU32<MAX_DENOM_LEN>>;
/// A bounded list of denominations.
pub type Denoms = BoundedVec<Denom, ConstU32<MAX_DENOMS>>;

/// An ed25519 public key a validator uses for consensus on one consumer (Aura and GRANDPA).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Hash,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct ConsensusKey(#[serde(with = "hex_array")] pub [u8; CONSENSUS_KEY_LEN]);

impl ConsensusKey {
	/// The key's consensus address, as slash packets name it.
	pub fn address(&self) -> ConsensusAddress {
		ConsensusAddress::from_ed25519(&self.0)
	}
}

impl fmt::Debug for ConsensusKey {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "ConsensusKey(0x{})", hex::encode(self.0))
	}
}

/// One entry of a VSC: set `key`'s power to `power`; power 0 removes the validator.
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
	Serialize,
	Deserialize,
)]
pub struct ValidatorUpdate {
	/// The validator's consensus key on the consumer.
	pub key: ConsensusKey,
	/// New voting power; 0 removes the validator from the set.
	pub power: Power,
}

/// Validator-set-change packet, provider -> consumer (`ValidatorSetChangePacketData`).
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct VscPacket {
	/// Power changes since the previous VSC sent to this consumer.
	pub validator_updates: BoundedVec<ValidatorUpdate, MaxValidatorUpdates>,
	/// Id of this change (`valset_update_id` on the wire).
	pub vsc_id: VscId,
	/// Validators whose downtime slash the provider handled since the previous VSC.
	pub slash_acks: BoundedVec<SlashAck, MaxSlashAcks>,
}

/// Why a packet fails the basic checks every receiver applies after decoding.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PacketError {
	/// `valset_update_id` is 0 where a positive id is required.
	ZeroVscId,
	/// The same consensus key appears twice in one VSC.
	DuplicateKey,
	/// A slash packet names a validator with power 0.
	ZeroPower,
}

impl fmt::Display for PacketError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(match self {
			Self::ZeroVscId => "valset update id cannot be zero",
			Self::DuplicateKey => "duplicate consensus key in validator updates",
			Self::ZeroPower => "slashed validator power cannot be zero",
		})
	}
}

impl VscPacket {
	/// Basic validity: a positive id and no key updated twice.
	pub fn validate_basic(&self) -> Result<(), PacketError> {
		if self.vsc_id == 0 {
			return Err(PacketError::ZeroVscId);
		}
		if has_duplicate_keys(&self.validator_updates) {
			return Err(PacketError::DuplicateKey);
		}
		Ok(())
	}
}

/// True when two updates name the same key.
pub fn has_duplicate_keys(updates: &[ValidatorUpdate]) -> bool {
	let mut keys: Vec<&ConsensusKey> = updates.iter().map(|u| &u.key).collect();
	keys.sort_unstable();
	keys.windows(2).any(|w| matches!(w, [a, b] if a == b))
}

/// The kind of misbehaviour a slash packet reports.
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
	Serialize,
	Deserialize,
)]
pub enum Infraction {
	/// Missed too many blocks in the downtime window.
	Downtime,
	/// Signed two conflicting votes (GRANDPA equivocation).
	DoubleSign,
}

/// Slash packet, consumer -> provider (`SlashPacketData`).
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
pub struct SlashPacket {
	/// Consensus address of the validator's consumer key.
	pub validator: ConsensusAddress,
	/// The validator's power on the consumer when it misbehaved.
	pub power: Power,
	/// The VSC in force at the infraction; 0 means the consumer's initial set.
	pub vsc_id: VscId,
	/// What the validator did.
	pub infraction: Infraction,
}

impl SlashPacket {
	/// Basic validity: the validator has power.
	pub fn validate_basic(&self) -> Result<(), PacketError> {
		if self.power == 0 {
			return Err(PacketError::ZeroPower);
		}
		Ok(())
	}
}

/// VSCMatured packet, consumer -> provider: the unbonding period of `vsc_id` has elapsed on the
/// consumer.
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
pub struct VscMaturedPacket {
	/// The matured VSC.
	pub vsc_id: VscId,
}

/// Any packet a consumer sends on the CCV channel (`ConsumerPacketData`).
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
pub enum ConsumerPacket {
	/// A slash request.
	Slash(SlashPacket),
	/// A matured VSC.
	VscMatured(VscMaturedPacket),
}

impl ConsumerPacket {
	/// Basic validity of the inner packet.
	pub fn validate_basic(&self) -> Result<(), PacketError> {
		match self {
			Self::Slash(p) => p.validate_basic(),
			Self::VscMatured(p) if p.vsc_id == 0 => Err(PacketError::ZeroVscId),
			Self::VscMatured(_) => Ok(()),
		}
	}
}

/// CCV parameters the provider chooses for a consumer and hands it in its genesis.
///
/// Durations are in milliseconds (Substrate `Moment`s); IBC timeouts convert them to
/// nanoseconds when sending.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsumerParams {
	/// The consumer's id on its provider.
	pub consumer_id: ConsumerId,
	/// Whether CCV is enabled on the consumer.
	pub enabled: bool,
	/// Consumer blocks between two reward transmissions to the provider.
	pub blocks_per_distribution_transmission: u32,
	/// Timeout of CCV packets, in milliseconds.
	pub ccv_timeout_period_ms: u64,
	/// Timeout of ICS-20 reward transfers, in milliseconds.
	pub transfer_timeout_period_ms: u64,
	/// Share of consumer rewards kept on the consumer; the rest goes to the provider.
	pub consumer_redistribution_fraction: Perbill,
	/// Number of historical entries the consumer keeps (authority sets, vsc_id heights).
	pub historical_entries: u32,
	/// The consumer's unbonding period, in milliseconds (shorter than the provider's).
	pub unbonding_period_ms: u64,
	/// Delay before a bounced slash packet is retried, in milliseconds.
	pub retry_delay_period_ms: u64,
	/// Consumer denoms sent to the provider as rewards.
	#[serde(with = "denoms_serde")]
	pub reward_denoms: Denoms,
	/// Provider denoms the consumer may send back as rewards.
	#[serde(with = "denoms_serde")]
	pub provider_reward_denoms: Denoms,
	/// Consumer blocks per session: validator-set changes apply at session boundaries.
	pub blocks_per_session: u32,
	/// Slots in the downtime window.
	pub downtime_window_slots: u32,
	/// A validator missing more than this many of its slots in the window is reported.
	pub downtime_max_missed_slots: u32,
}

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

impl Default for ConsumerParams {
	/// cosmos/interchain-security's defaults, durations in milliseconds.
	fn default() -> Self {
		Self {
			consumer_id: 0,
			enabled: true,
			blocks_per_distribution_transmission: 1000,
			ccv_timeout_period_ms: 28 * DAY_MS,
			transfer_timeout_period_ms: 60 * 60 * 1000,
			consumer_redistribution_fraction: Perbill::from_percent(75),
			historical_entries: 10_000,
			unbonding_period_ms: 20 * DAY_MS,
			retry_delay_period_ms: 60 * 60 * 1000,
			reward_denoms: BoundedVec::new(),
			provider_reward_denoms: BoundedVec::new(),
			blocks_per_session: 600,
			downtime_window_slots: 10_000,
			downtime_max_missed_slots: 9_500,
		}
	}
}

/// Why consumer parameters or a consumer genesis are invalid.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GenesisError {
	/// A parameter that must be positive is zero; names the parameter.
	ZeroParam(&'static str),
	/// `downtime_max_missed_slots` is not below `downtime_window_slots`.
	MaxMissedNotBelowWindow,
	/// The initial validator set is empty.
	EmptyValidatorSet,
	/// A validator in the initial set has power 0.
	ZeroPower,
	/// A key appears twice in the initial set.
	DuplicateKey,
	/// Total power of the initial set exceeds `u64::MAX / 2` (GRANDPA's weight limit).
	TotalPowerTooLarge,
	/// The provider client state is missing.
	MissingClientState,
	/// The provider consensus state is missing.
	MissingConsensusState,
	/// A denom is not valid UTF-8 or is empty.
	InvalidDenom,
}

impl fmt::Display for GenesisError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::ZeroParam(p) => write!(f, "parameter {p} must be positive"),
			Self::MaxMissedNotBelowWindow => {
				f.write_str("downtime_max_missed_slots must be below downtime_window_slots")
			}
			Self::EmptyValidatorSet => f.write_str("initial validator set is empty"),
			Self::ZeroPower => f.write_str("initial validator with power 0"),
			Self::DuplicateKey => f.write_str("duplicate key in initial validator set"),
			Self::TotalPowerTooLarge => f.write_str("total power exceeds u64::MAX / 2"),
			Self::MissingClientState => f.write_str("provider client state is empty"),
			Self::MissingConsensusState => f.write_str("provider consensus state is empty"),
			Self::InvalidDenom => f.write_str("denom is empty or not UTF-8"),
		}
	}
}

impl ConsumerParams {
	/// Checks the rules cosmos/interchain-security applies to consumer params, plus ours.
	pub fn validate(&self) -> Result<(), GenesisError> {
		let positive: [(&'static str, u64); 8] = [
			(
				"blocks_per_distribution_transmission",
				self.blocks_per_distribution_transmission.into(),
			),
			("ccv_timeout_period_ms", self.ccv_timeout_period_ms),
			("transfer_timeout_period_ms", self.transfer_timeout_period_ms),
			("historical_entries", self.historical_entries.into()),
			("unbonding_period_ms", self.unbonding_period_ms),
			("retry_delay_period_ms", self.retry_delay_period_ms),
			("blocks_per_session", self.blocks_per_session.into()),
			("downtime_window_slots", self.downtime_window_slots.into()),
		];
		if let Some((name, _)) = positive.iter().find(|(_, v)| *v == 0) {
			return Err(GenesisError::ZeroParam(name));
		}
		if self.downtime_max_missed_slots >= self.downtime_window_slots {
			return Err(GenesisError::MaxMissedNotBelowWindow);
		}
		let denom_ok = |d: &Denom| !d.is_empty() && core::str::from_utf8(d).is_ok();
		if !self.reward_denoms.iter().chain(self.provider_reward_denoms.iter()).all(denom_ok) {
			return Err(GenesisError::InvalidDenom);
		}
		Ok(())
	}
}

/// Everything a consumer chain needs at genesis to join CCV, produced by the provider at launch.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsumerGenesis {
	/// CCV parameters.
	pub params: ConsumerParams,
	/// Encoded light-client state of the provider (an `Any`), for the consumer's provider client.
	#[serde(with = "hex_bounded")]
	pub provider_client_state: BoundedVec<u8, ConstU32<MAX_CLIENT_STATE_LEN>>,
	/// Encoded consensus state of the provider (an `Any`) at the client's latest height.
	#[serde(with = "hex_bounded")]
	pub provider_consensus_state: BoundedVec<u8, ConstU32<MAX_CONSENSUS_STATE_LEN>>,
	/// The consumer's first validator set: installed as Aura + GRANDPA authorities of block 1.
	pub initial_validator_set: BoundedVec<ValidatorUpdate, MaxInitialValidators>,
}

impl ConsumerGenesis {
	/// Full validity check; a consumer refuses to start from a genesis that fails it.
	pub fn validate(&self) -> Result<(), GenesisError> {
		self.params.validate()?;
		if self.provider_client_state.is_empty() {
			return Err(GenesisError::MissingClientState);
		}
		if self.provider_consensus_state.is_empty() {
			return Err(GenesisError::MissingConsensusState);
		}
		validate_validator_set(&self.initial_validator_set)
	}
}

/// Checks a full validator set as a GRANDPA authority set: non-empty, positive powers, unique
/// keys, total weight at most `u64::MAX / 2`.
pub fn validate_validator_set(set: &[ValidatorUpdate]) -> Result<(), GenesisError> {
	if set.is_empty() {
		return Err(GenesisError::EmptyValidatorSet);
	}
	if set.iter().any(|v| v.power == 0) {
		return Err(GenesisError::ZeroPower);
	}
	if has_duplicate_keys(set) {
		return Err(GenesisError::DuplicateKey);
	}
	let total = set.iter().try_fold(0u64, |acc, v| acc.checked_add(v.power));
	match total {
		Some(t) if t <= u64::MAX / 2 => Ok(()),
		_ => Err(GenesisError::TotalPowerTooLarge),
	}
}

/// Serde of a fixed byte array as a `0x`-prefixed hex string.
mod hex_array {
	use alloc::{format, string::String};
	use serde::{de::Error, Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer, const N: usize>(v: &[u8; N], s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&format!("0x{}", hex::encode(v)))
	}

	pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
		d: D,
	) -> Result<[u8; N], D::Error> {
		let s = String::deserialize(d)?;
		let mut out = [0u8; N];
		hex::decode_to_slice(s.strip_prefix("0x").unwrap_or(&s), &mut out)
			.map_err(|e| D::Error::custom(format!("expected {N} hex bytes: {e}")))?;
		Ok(out)
	}
}

/// Serde of a bounded byte vector as a `0x`-prefixed hex string.
mod hex_bounded {
	use alloc::{format, string::String};
	use bounded_collections::{BoundedVec, Get};
	use serde::{de::Error, Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer, B>(v: &BoundedVec<u8, B>, s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&format!("0x{}", hex::encode(v)))
	}

	pub fn deserialize<'de, D: Deserializer<'de>, B: Get<u32>>(
		d: D,
	) -> Result<BoundedVec<u8, B>, D::Error> {
		let s = String::deserialize(d)?;
		let bytes = hex::decode(s.strip_prefix("0x").unwrap_or(&s))
			.map_err(|e| D::Error::custom(format!("invalid hex: {e}")))?;
		BoundedVec::try_from(bytes).map_err(|_| D::Error::custom("too many bytes"))
	}
}

/// Serde of a denom list as a list of strings.
mod denoms_serde {
	use super::{Denom, Denoms};
	use alloc::{string::String, vec::Vec};
	use serde::{de::Error, ser::SerializeSeq, Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(v: &Denoms, s: S) -> Result<S::Ok, S::Error> {
		let mut seq = s.serialize_seq(Some(v.len()))?;
		for d in v.iter() {
			let text = core::str::from_utf8(d).map_err(serde::ser::Error::custom)?;
			seq.serialize_element(text)?;
		}
		seq.end()
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Denoms, D::Error> {
		let list = Vec::<String>::deserialize(d)?;
		let denoms = list
			.into_iter()
			.map(|s| {
				Denom::try_from(s.into_bytes()).map_err(|_| D::Error::custom("denom too long"))
			})
			.collect::<Result<Vec<_>, _>>()?;
		Denoms::try_from(denoms).map_err(|_| D::Error::custom("too many denoms"))
	}
}
