//! Packet data as proto3 JSON, byte-exact with cosmos/interchain-security's `GetBytes()`.
//!
//! Encoding emits the canonical Go form (snake_case field names, the oneof members in their
//! camelCase proto names, defaults emitted, consumer packets in the V1 form with
//! `INFRACTION_TYPE_*`). Decoding accepts what Go's decoder accepts for these messages (both
//! field spellings, integers quoted or bare, enums by name or number, both infraction enums)
//! and rejects everything else with a typed error.

use super::{
	address_from_wire,
	json::{self, index_path, Json, Obj, Writer},
	key_from_wire, power_from_wire, power_to_wire, WireError, WireErrorKind,
};
use crate::{address::SlashAck, constants::*, types::*};
use alloc::{format, string::String, vec::Vec};
use bounded_collections::BoundedVec;

// Field spellings: proto name first, then the JSON camelCase name.
const VALIDATOR_UPDATES: &[&str] = &["validator_updates", "validatorUpdates"];
const VALSET_UPDATE_ID: &[&str] = &["valset_update_id", "valsetUpdateId"];
const SLASH_ACKS: &[&str] = &["slash_acks", "slashAcks"];
const PUB_KEY: &[&str] = &["pub_key", "pubKey"];
const POWER: &[&str] = &["power"];
const ED25519: &[&str] = &["ed25519"];
const OTHER_KEYS: &[&str] = &["secp256k1", "bls12381", "secp256k1eth"];
const TYPE: &[&str] = &["type"];
const SLASH_DATA: &[&str] = &["slashPacketData"];
const VSCM_DATA: &[&str] = &["vscMaturedPacketData"];
const VALIDATOR: &[&str] = &["validator"];
const ADDRESS: &[&str] = &["address"];
const INFRACTION: &[&str] = &["infraction"];

/// The consumer packet type tag (`ConsumerPacketDataType`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum PacketType {
	Slash,
	VscMatured,
}

const PACKET_TYPES: &[(&str, i64, Option<PacketType>)] = &[
	("CONSUMER_PACKET_TYPE_UNSPECIFIED", 0, None),
	("CONSUMER_PACKET_TYPE_SLASH", 1, Some(PacketType::Slash)),
	("CONSUMER_PACKET_TYPE_VSCM", 2, Some(PacketType::VscMatured)),
];

/// Both infraction enums: ICS's `InfractionType` (V1, what Go sends) and the SDK's `Infraction`.
const INFRACTIONS: &[(&str, i64, Option<Infraction>)] = &[
	("INFRACTION_TYPE_UNSPECIFIED", 0, None),
	("INFRACTION_TYPE_DOUBLE_SIGN", 1, Some(Infraction::DoubleSign)),
	("INFRACTION_TYPE_DOWNTIME", 2, Some(Infraction::Downtime)),
	("INFRACTION_UNSPECIFIED", 0, None),
	("INFRACTION_DOUBLE_SIGN", 1, Some(Infraction::DoubleSign)),
	("INFRACTION_DOWNTIME", 2, Some(Infraction::Downtime)),
];

fn infraction_name(i: Infraction) -> &'static str {
	match i {
		Infraction::DoubleSign => "INFRACTION_TYPE_DOUBLE_SIGN",
		Infraction::Downtime => "INFRACTION_TYPE_DOWNTIME",
	}
}

/// Encodes a VSC packet as Go's `ValidatorSetChangePacketData.GetBytes()` does.
pub fn encode_vsc_packet(packet: &VscPacket) -> Result<Vec<u8>, WireError> {
	let mut w = Writer::default();
	w.raw("{\"validator_updates\":[");
	for (i, update) in packet.validator_updates.iter().enumerate() {
		let power_path = format!("{}.power", index_path("validator_updates", i));
		let power = power_to_wire(update.power, &power_path)?;
		if i > 0 {
			w.raw(",");
		}
		w.raw("{\"pub_key\":{\"ed25519\":").base64(&update.key.0);
		w.raw("},\"power\":").quoted_int(power).raw("}");
	}
	w.raw("],\"valset_update_id\":").quoted_int(packet.vsc_id);
	w.raw(",\"slash_acks\":[");
	for (i, ack) in packet.slash_acks.iter().enumerate() {
		let text = ack
			.as_str()
			.ok_or_else(|| WireError::at(&index_path("slash_acks", i), WireErrorKind::NotUtf8))?;
		if i > 0 {
			w.raw(",");
		}
		w.string(text);
	}
	w.raw("]}");
	Ok(w.finish())
}

/// Decodes VSC packet data; rejects malformed input and a key updated twice.
pub fn decode_vsc_packet(bytes: &[u8]) -> Result<VscPacket, WireError> {
	let doc = Json::parse(bytes)?;
	let obj = Obj::new(&doc, "", &[VALIDATOR_UPDATES, VALSET_UPDATE_ID, SLASH_ACKS])?;

	let (updates_json, updates_path) = split(obj.get(VALIDATOR_UPDATES), "validator_updates");
	let items = json::array(updates_json, &updates_path)?;
	if items.len() > MAX_VALIDATOR_UPDATES as usize {
		return Err(WireError::at(&updates_path, WireErrorKind::TooMany(MAX_VALIDATOR_UPDATES)));
	}
	let mut updates = Vec::with_capacity(items.len());
	for (i, item) in items.iter().enumerate() {
		updates.push(decode_validator_update(item, &index_path(&updates_path, i))?);
	}
	let validator_updates = BoundedVec::try_from(updates)
		.map_err(|_| WireError::at(&updates_path, WireErrorKind::TooMany(MAX_VALIDATOR_UPDATES)))?;
	if has_duplicate_keys(&validator_updates) {
		return Err(WireError::at(&updates_path, WireErrorKind::DuplicateKey));
	}

	let (id_json, id_path) = split(obj.get(VALSET_UPDATE_ID), "valset_update_id");
	let vsc_id = json::uint64(id_json, &id_path)?;

	let (acks_json, acks_path) = split(obj.get(SLASH_ACKS), "slash_acks");
	let ack_items = json::array(acks_json, &acks_path)?;
	if ack_items.len() > MAX_SLASH_ACKS as usize {
		return Err(WireError::at(&acks_path, WireErrorKind::TooMany(MAX_SLASH_ACKS)));
	}
	let mut acks = Vec::with_capacity(ack_items.len());
	for (i, item) in ack_items.iter().enumerate() {
		let path = index_path(&acks_path, i);
		let text = json::string(item, &path)?;
		let ack = SlashAck::from_str(text)
			.ok_or_else(|| WireError::at(&path, WireErrorKind::TooLong(MAX_SLASH_ACK_LEN)))?;
		acks.push(ack);
	}
	let slash_acks = BoundedVec::try_from(acks)
		.map_err(|_| WireError::at(&acks_path, WireErrorKind::TooMany(MAX_SLASH_ACKS)))?;

	Ok(VscPacket { validator_updates, vsc_id, slash_acks })
}

/// `(value, path)` of an optional field, the path defaulting to the proto name.
fn split<'a>(found: Option<(&'a Json, String)>, name: &str) -> (Option<&'a Json>, String) {
	match found {
		Some((v, p)) => (Some(v), p),
		None => (None, name.into()),
	}
}

fn decode_validator_update(item: &Json, path: &str) -> Result<ValidatorUpdate, WireError> {
	let obj = Obj::new(item, path, &[PUB_KEY, POWER])?;
	let (key_json, key_path) = obj.get(PUB_KEY).ok_or_else(|| {
		WireError::at(&json::field_path(path, "pub_key"), WireErrorKind::MissingOneof)
	})?;
	let key = decode_public_key(key_json, &key_path)?;
	let (power_json, power_path) = split(obj.get(POWER), "power");
	let power_path =
		if power_json.is_some() { power_path } else { json::field_path(path, "power") };
	let power = power_from_wire(json::int64(power_json, &power_path)?, &power_path)?;
	Ok(ValidatorUpdate { key, power })
}

/// `tendermint.crypto.PublicKey`: a oneof of which only `ed25519` is acceptable here.
fn decode_public_key(value: &Json, path: &str) -> Result<ConsensusKey, WireError> {
	let known: Vec<&[&str]> =
		core::iter::once(ED25519).chain(OTHER_KEYS.iter().map(core::slice::from_ref)).collect();
	let obj = Obj::new(value, path, &known)?;
	let mut set: Vec<(&str, &Json, String)> = Vec::new();
	for name in ED25519.iter().chain(OTHER_KEYS) {
		if let Some((v, p)) = obj.get(&[name]) {
			set.push((name, v, p));
		}
	}
	match set.as_slice() {
		[] => Err(WireError::at(path, WireErrorKind::MissingOneof)),
		[("ed25519", v, p)] => key_from_wire(&json::bytes(Some(v), p)?, p),
		[(alg, _, p)] => Err(WireError::at(p, WireErrorKind::NonEd25519Key(String::from(*alg)))),
		_ => Err(WireError::at(path, WireErrorKind::ConflictingOneof)),
	}
}

/// Encodes a consumer packet in the V1 form Go's `ConsumerPacketData.GetBytes()` emits.
pub fn encode_consumer_packet(packet: &ConsumerPacket) -> Result<Vec<u8>, WireError> {
	let mut w = Writer::default();
	match packet {
		ConsumerPacket::Slash(slash) => {
			let power = power_to_wire(slash.power, "slashPacketData.validator.power")?;
			w.raw("{\"type\":\"CONSUMER_PACKET_TYPE_SLASH\",\"slashPacketData\":{\"validator\":");
			w.raw("{\"address\":").base64(&slash.validator.0);
			w.raw(",\"power\":").quoted_int(power).raw("}");
			w.raw(",\"valset_update_id\":").quoted_int(slash.vsc_id);
			w.raw(",\"infraction\":").string(infraction_name(slash.infraction)).raw("}}");
		}
		ConsumerPacket::VscMatured(m) => {
			w.raw("{\"type\":\"CONSUMER_PACKET_TYPE_VSCM\",\"vscMaturedPacketData\":");
			w.raw("{\"valset_update_id\":").quoted_int(m.vsc_id).raw("}}");
		}
	}
	Ok(w.finish())
}

/// Decodes consumer packet data in either form (`ConsumerPacketData` or its V1).
pub fn decode_consumer_packet(bytes: &[u8]) -> Result<ConsumerPacket, WireError> {
	let doc = Json::parse(bytes)?;
	let obj = Obj::new(&doc, "", &[TYPE, SLASH_DATA, VSCM_DATA])?;
	let (type_json, type_path) = split(obj.get(TYPE), "type");
	let tag = json::enumeration(type_json, &type_path, PACKET_TYPES)?;
	let tag = tag.ok_or_else(|| {
		WireError::at(
			&type_path,
			WireErrorKind::UnknownEnum("CONSUMER_PACKET_TYPE_UNSPECIFIED".into()),
		)
	})?;
	let slash = obj.get(SLASH_DATA);
	let matured = obj.get(VSCM_DATA);
	match (tag, slash, matured) {
		(_, Some(_), Some(_)) => Err(WireError::root(WireErrorKind::ConflictingOneof)),
		(_, None, None) => Err(WireError::root(WireErrorKind::MissingOneof)),
		(PacketType::Slash, Some((v, p)), None) => {
			decode_slash_packet(v, &p).map(ConsumerPacket::Slash)
		}
		(PacketType::VscMatured, None, Some((v, p))) => {
			let obj = Obj::new(v, &p, &[VALSET_UPDATE_ID])?;
			let (id_json, id_path) = split(obj.get(VALSET_UPDATE_ID), "valset_update_id");
			let id_path =
				if id_json.is_some() { id_path } else { json::field_path(&p, "valset_update_id") };
			let vsc_id = json::uint64(id_json, &id_path)?;
			Ok(ConsumerPacket::VscMatured(VscMaturedPacket { vsc_id }))
		}
		_ => Err(WireError::at(&type_path, WireErrorKind::TypeMismatch)),
	}
}

fn decode_slash_packet(value: &Json, path: &str) -> Result<SlashPacket, WireError> {
	let obj = Obj::new(value, path, &[VALIDATOR, VALSET_UPDATE_ID, INFRACTION])?;

	let (validator_json, validator_path) = obj.require(VALIDATOR)?;
	let validator = Obj::new(validator_json, &validator_path, &[ADDRESS, POWER])?;
	let address_path = json::field_path(&validator_path, "address");
	let raw = json::bytes(validator.get(ADDRESS).map(|(v, _)| v), &address_path)?;
	let address = address_from_wire(&raw, &address_path)?;
	let power_path = json::field_path(&validator_path, "power");
	let power = json::int64(validator.get(POWER).map(|(v, _)| v), &power_path)?;
	let power = power_from_wire(power, &power_path)?;

	let id_path = json::field_path(path, "valset_update_id");
	let vsc_id = json::uint64(obj.get(VALSET_UPDATE_ID).map(|(v, _)| v), &id_path)?;

	let infraction_path = json::field_path(path, "infraction");
	let infraction =
		json::enumeration(obj.get(INFRACTION).map(|(v, _)| v), &infraction_path, INFRACTIONS)?
			.ok_or_else(|| {
				WireError::at(&infraction_path, WireErrorKind::UnknownEnum("UNSPECIFIED".into()))
			})?;

	Ok(SlashPacket { validator: address, power, vsc_id, infraction })
}
