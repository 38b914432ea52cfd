//! ICS-028 Cross-Chain Validation primitives shared by the provider and consumer pallets, the
//! relayer and operator tools.
//!
//! - [`constants`]: ports, channel version, acknowledgement results, size bounds.
//! - [`types`]: the SCALE types the pallets store and exchange (VSC, slash, VSCMatured packets,
//!   consumer parameters and genesis, ids).
//! - [`address`]: consensus-address derivation and slash-ack strings.
//! - [`channel`]: the `IbcChannel` / `CcvIbcApp` traits between the CCV pallets and pallet-ibc.
//! - [`wire`]: the ICS-028 wire codec: byte-exact proto3 JSON packet data as
//!   cosmos/interchain-security encodes it, acknowledgement envelopes, the handshake metadata
//!   protobuf, and lossless conversion to and from the `ibc-proto` message types.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod address;
pub mod channel;
pub mod constants;
pub mod types;
pub mod wire;

pub use address::{ConsensusAddress, SlashAck};
pub use constants::*;
pub use types::*;
