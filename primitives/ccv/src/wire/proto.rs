//! Lossless conversion between our SCALE packet types and the `ibc-proto` message types
//! (`interchain_security.ccv.v1`), for code that speaks protobuf.
//!
//! SCALE -> proto fails only where our types hold values the wire cannot (a power above
//! `i64::MAX`, a slash ack that is not UTF-8); proto -> SCALE applies the same checks as the
//! JSON decoder.

use super::{
	address_from_wire, key_from_wire, power_from_wire, power_to_wire, WireError, WireErrorKind,
};
use crate::{address::SlashAck, constants::*, types::*};
use alloc::{string::String, vec::Vec};
use bounded_collections::BoundedVec;
use ibc_proto::interchain_security::ccv::v1 as pb;
use prost::bytes::Bytes;
use tendermint_proto::{abci, crypto};

use crate::wire::json::index_path;

impl TryFrom<&VscPacket> for pb::ValidatorSetChangePacketData {
	type Error = WireError;

	fn try_from(p: &VscPacket) -> Result<Self, WireError> {
		let mut validator_updates = Vec::with_capacity(p.validator_updates.len());
		for (i, u) in p.validator_updates.iter().enumerate() {
			validator_updates.push(abci::ValidatorUpdate {
				pub_key: Some(crypto::PublicKey {
					sum: Some(crypto::public_key::Sum::Ed25519(u.key.0.to_vec())),
				}),
				power: power_to_wire(
					u.power,
					&alloc::format!("{}.power", index_path("validator_updates", i)),
				)?,
			});
		}
		let mut slash_acks = Vec::with_capacity(p.slash_acks.len());
		for (i, a) in p.slash_acks.iter().enumerate() {
			let s = a.as_str().ok_or_else(|| {
				WireError::at(&index_path("slash_acks", i), WireErrorKind::NotUtf8)
			})?;
			slash_acks.push(String::from(s));
		}
		Ok(Self { validator_updates, valset_update_id: p.vsc_id, slash_acks })
	}
}

impl TryFrom<&pb::ValidatorSetChangePacketData> for VscPacket {
	type Error = WireError;

	fn try_from(p: &pb::ValidatorSetChangePacketData) -> Result<Self, WireError> {
		let too_many =
			|| WireError::at("validator_updates", WireErrorKind::TooMany(MAX_VALIDATOR_UPDATES));
		if p.validator_updates.len() > MAX_VALIDATOR_UPDATES as usize {
			return Err(too_many());
		}
		let mut updates = Vec::with_capacity(p.validator_updates.len());
		for (i, u) in p.validator_updates.iter().enumerate() {
			let path = index_path("validator_updates", i);
			let key_path = alloc::format!("{path}.pub_key");
			let key = match u.pub_key.as_ref().and_then(|k| k.sum.as_ref()) {
				None => return Err(WireError::at(&key_path, WireErrorKind::MissingOneof)),
				Some(crypto::public_key::Sum::Ed25519(raw)) => key_from_wire(raw, &key_path)?,
				Some(crypto::public_key::Sum::Secp256k1(_)) => {
					return Err(WireError::at(
						&key_path,
						WireErrorKind::NonEd25519Key("secp256k1".into()),
					))
				}
			};
			let power = power_from_wire(u.power, &alloc::format!("{path}.power"))?;
			updates.push(ValidatorUpdate { key, power });
		}
		if has_duplicate_keys(&updates) {
			return Err(WireError::at("validator_updates", WireErrorKind::DuplicateKey));
		}
		let validator_updates = BoundedVec::try_from(updates).map_err(|_| too_many())?;
		if p.slash_acks.len() > MAX_SLASH_ACKS as usize {
			return Err(WireError::at("slash_acks", WireErrorKind::TooMany(MAX_SLASH_ACKS)));
		}
		let mut acks = Vec::with_capacity(p.slash_acks.len());
		for (i, a) in p.slash_acks.iter().enumerate() {
			acks.push(SlashAck::from_str(a).ok_or_else(|| {
				WireError::at(
					&index_path("slash_acks", i),
					WireErrorKind::TooLong(MAX_SLASH_ACK_LEN),
				)
			})?);
		}
		let slash_acks = BoundedVec::try_from(acks)
			.map_err(|_| WireError::at("slash_acks", WireErrorKind::TooMany(MAX_SLASH_ACKS)))?;
		Ok(Self { validator_updates, vsc_id: p.valset_update_id, slash_acks })
	}
}

fn infraction_to_wire(i: Infraction) -> pb::InfractionType {
	match i {
		Infraction::DoubleSign => pb::InfractionType::DoubleSign,
		Infraction::Downtime => pb::InfractionType::Downtime,
	}
}

/// Consumer packets convert to the V1 message, the form Go puts on the wire.
impl TryFrom<&ConsumerPacket> for pb::ConsumerPacketDataV1 {
	type Error = WireError;

	fn try_from(p: &ConsumerPacket) -> Result<Self, WireError> {
		use pb::consumer_packet_data_v1::Data;
		Ok(match p {
			ConsumerPacket::Slash(s) => Self {
				r#type: pb::ConsumerPacketDataType::ConsumerPacketTypeSlash as i32,
				data: Some(Data::SlashPacketData(pb::SlashPacketDataV1 {
					validator: Some(abci::Validator {
						address: Bytes::copy_from_slice(&s.validator.0),
						power: power_to_wire(s.power, "slashPacketData.validator.power")?,
					}),
					valset_update_id: s.vsc_id,
					infraction: infraction_to_wire(s.infraction) as i32,
				})),
			},
			ConsumerPacket::VscMatured(m) => Self {
				r#type: pb::ConsumerPacketDataType::ConsumerPacketTypeVscm as i32,
				data: Some(Data::VscMaturedPacketData(pb::VscMaturedPacketData {
					valset_update_id: m.vsc_id,
				})),
			},
		})
	}
}

impl TryFrom<&pb::ConsumerPacketDataV1> for ConsumerPacket {
	type Error = WireError;

	fn try_from(p: &pb::ConsumerPacketDataV1) -> Result<Self, WireError> {
		use pb::consumer_packet_data_v1::Data;
		let tag = pb::ConsumerPacketDataType::try_from(p.r#type).ok();
		match (tag, p.data.as_ref()) {
			(_, None) => Err(WireError::root(WireErrorKind::MissingOneof)),
			(
				Some(pb::ConsumerPacketDataType::ConsumerPacketTypeSlash),
				Some(Data::SlashPacketData(s)),
			) => {
				let path = "slashPacketData";
				let v = s.validator.as_ref().ok_or_else(|| {
					WireError::at("slashPacketData.validator", WireErrorKind::MissingField)
				})?;
				let address = address_from_wire(&v.address, "slashPacketData.validator.address")?;
				let infraction = match pb::InfractionType::try_from(s.infraction) {
					Ok(pb::InfractionType::DoubleSign) => Infraction::DoubleSign,
					Ok(pb::InfractionType::Downtime) => Infraction::Downtime,
					_ => {
						return Err(WireError::at(
							&alloc::format!("{path}.infraction"),
							WireErrorKind::UnknownEnum(alloc::format!("{}", s.infraction)),
						))
					}
				};
				Ok(ConsumerPacket::Slash(SlashPacket {
					validator: address,
					power: power_from_wire(v.power, "slashPacketData.validator.power")?,
					vsc_id: s.valset_update_id,
					infraction,
				}))
			}
			(
				Some(pb::ConsumerPacketDataType::ConsumerPacketTypeVscm),
				Some(Data::VscMaturedPacketData(m)),
			) => Ok(ConsumerPacket::VscMatured(VscMaturedPacket { vsc_id: m.valset_update_id })),
			(None | Some(pb::ConsumerPacketDataType::ConsumerPacketTypeUnspecified), _) => Err(
				WireError::at("type", WireErrorKind::UnknownEnum(alloc::format!("{}", p.r#type))),
			),
			_ => Err(WireError::at("type", WireErrorKind::TypeMismatch)),
		}
	}
}
