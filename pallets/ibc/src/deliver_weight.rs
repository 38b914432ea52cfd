//! The weight of a `deliver` batch: per message, the benchmarked weight of its kind (read from
//! its type URL) at the worst case its length allows. A relayer never under-pays: nothing in a
//! message can cost more than the weight charged for a message of its size.
//!
//! The rule, for a message whose protobuf value is `len` bytes:
//!
//! - **`MsgUpdateClient`** (GRANDPA header + justification): every signed precommit takes at
//!   least [`SIGNED_PRECOMMIT_LEN`] bytes and every header (ancestry or votes ancestry) at least
//!   [`MIN_HEADER_LEN`], so the message carries at most `p = len / SIGNED_PRECOMMIT_LEN`
//!   precommits (capped at the client's `MAX_AUTHORITIES`) and `a = len / MIN_HEADER_LEN`
//!   headers, but not both: the benchmark's weight is linear, so the worst split of the bytes is
//!   one of the two extremes, and the charge is the larger of `update_client(p, MAX - p, 0)` and
//!   `update_client(1, MAX - 1, a)`. The client's authority set is not in the message, so it is
//!   charged as if it were full (`m` = the authorities beyond the signers, up to
//!   `MAX_AUTHORITIES`). Any other byte of an update (digest items, a scheduled set) costs less
//!   than a precommit's share of a signature check.
//!   An update whose target enacts a set change also hands the replaced set to the host to
//!   keep ([`ibc_client_grandpa::past_sets`]): that storage work ([`set_change`]: one read, at
//!   most four writes) is added to every update at the runtime's `DbWeight`, since the
//!   benchmark's header enacts no change. Nothing else an update reads grows with the client's
//!   evidence window: past sets live outside the client state.
//! - **`MsgSubmitMisbehaviour`**: two updates' worth (two justifications) plus two past-set
//!   reads ([`past_set_reads`]); other client messages (upgrade, recovery) are charged as an
//!   update of their size.
//! - **`MsgCreateClient`**: `create_client(v)`, `v = len / AUTHORITY_LEN` authorities (each
//!   takes [`AUTHORITY_LEN`] bytes, in the current set or the history).
//! - **Proof-carrying messages**: a proof's costliest bytes are tiny nodes (each is decoded,
//!   hashed and indexed before the trie is read); a message holds at most
//!   `n = len / MIN_PROOF_NODE_LEN` of them, and is charged its kind's benchmark at that `n`:
//!   `recv_packet` (the larger of `recv_packet(n, 0)` and `recv_packet(0, len)`: bytes of
//!   packet data instead of proof nodes), `acknowledgement`, `timeout`.
//! - **Handshakes**: the heaviest step of each family is benchmarked and charged for every step
//!   of it: `conn_open_try(n)` (three proofs, a new end) for `MsgConnectionOpen{Init, Try, Ack,
//!   Confirm}`; `chan_open_try(n)` (one proof, a new end with its sequences, the app callback)
//!   for `MsgChannelOpen{Init, Try, Ack, Confirm}` and `MsgChannelClose{Init, Confirm}`.
//!   `MsgTimeoutOnClose` (two proofs) is `timeout(n) + chan_open_try(n)`.
//! - **Anything else** fails to decode before any work; it is charged `chan_open_try(n)` all
//!   the same.
//!
//! The app work inside those weights is ICS-20's (port `transfer`, its heaviest paths). Every
//! other app bound in [`crate::Config::Apps`] declares its callbacks' worst weights from its
//! own benchmarks ([`IbcApps::callback_weight`]; the CCV pallets through
//! `CcvIbcApp::on_*_weight`), and each packet or channel message is charged the largest of
//! them on top ([`callback`]): the port is not known before the message is decoded, and a
//! CCV message also pays for the ICS-20 work it does not do, so the charge is an upper bound.

use crate::{router::IbcApps, types::RawAny, weights::WeightInfo};
use frame_support::{
	traits::Get,
	weights::{RuntimeDbWeight, Weight},
};
use ibc_client_grandpa::types::MAX_AUTHORITIES;

/// Encoded size of one signed GRANDPA precommit: target hash, target number, signature,
/// authority id.
pub const SIGNED_PRECOMMIT_LEN: u32 = 32 + 4 + 64 + 32;

/// Smallest encoded header: parent hash, number (compact, one byte at least), state root,
/// extrinsics root, empty digest (one byte).
pub const MIN_HEADER_LEN: u32 = 32 + 1 + 32 + 32 + 1;

/// Encoded size of one weighted authority: ed25519 key and `u64` weight.
pub const AUTHORITY_LEN: u32 = 32 + 8;

/// Smallest encoded proof node that costs work: a length byte and one content byte.
pub const MIN_PROOF_NODE_LEN: u32 = 2;

/// The message kinds `deliver` charges differently.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MessageKind {
	/// `MsgCreateClient`.
	CreateClient,
	/// `MsgUpdateClient`.
	UpdateClient,
	/// `MsgSubmitMisbehaviour`.
	Misbehaviour,
	/// `MsgUpgradeClient`, `MsgRecoverClient`.
	OtherClient,
	/// `MsgConnectionOpen{Init, Try, Ack, Confirm}`.
	Connection,
	/// `MsgChannelOpen{Init, Try, Ack, Confirm}`, `MsgChannelClose{Init, Confirm}`.
	Channel,
	/// `MsgRecvPacket`.
	RecvPacket,
	/// `MsgAcknowledgement`.
	Acknowledgement,
	/// `MsgTimeout`.
	Timeout,
	/// `MsgTimeoutOnClose`.
	TimeoutOnClose,
	/// Any other type URL (refused by `deliver`).
	Unknown,
}

impl MessageKind {
	/// The kind of a message with protobuf type URL `type_url` (ibc-rs's type URLs).
	pub fn of(type_url: &[u8]) -> Self {
		use ibc_core::{
			channel::types::msgs::{
				ACKNOWLEDGEMENT_TYPE_URL, CHAN_CLOSE_CONFIRM_TYPE_URL, CHAN_CLOSE_INIT_TYPE_URL,
				CHAN_OPEN_ACK_TYPE_URL, CHAN_OPEN_CONFIRM_TYPE_URL, CHAN_OPEN_INIT_TYPE_URL,
				CHAN_OPEN_TRY_TYPE_URL, RECV_PACKET_TYPE_URL, TIMEOUT_ON_CLOSE_TYPE_URL,
				TIMEOUT_TYPE_URL,
			},
			client::types::msgs::{
				CREATE_CLIENT_TYPE_URL, RECOVER_CLIENT_TYPE_URL, SUBMIT_MISBEHAVIOUR_TYPE_URL,
				UPDATE_CLIENT_TYPE_URL, UPGRADE_CLIENT_TYPE_URL,
			},
			connection::types::msgs::{
				CONN_OPEN_ACK_TYPE_URL, CONN_OPEN_CONFIRM_TYPE_URL, CONN_OPEN_INIT_TYPE_URL,
				CONN_OPEN_TRY_TYPE_URL,
			},
		};
		let Ok(type_url) = core::str::from_utf8(type_url) else {
			return Self::Unknown;
		};
		match type_url {
			CREATE_CLIENT_TYPE_URL => Self::CreateClient,
			UPDATE_CLIENT_TYPE_URL => Self::UpdateClient,
			SUBMIT_MISBEHAVIOUR_TYPE_URL => Self::Misbehaviour,
			UPGRADE_CLIENT_TYPE_URL | RECOVER_CLIENT_TYPE_URL => Self::OtherClient,
			CONN_OPEN_INIT_TYPE_URL
			| CONN_OPEN_TRY_TYPE_URL
			| CONN_OPEN_ACK_TYPE_URL
			| CONN_OPEN_CONFIRM_TYPE_URL => Self::Connection,
			CHAN_OPEN_INIT_TYPE_URL
			| CHAN_OPEN_TRY_TYPE_URL
			| CHAN_OPEN_ACK_TYPE_URL
			| CHAN_OPEN_CONFIRM_TYPE_URL
			| CHAN_CLOSE_INIT_TYPE_URL
			| CHAN_CLOSE_CONFIRM_TYPE_URL => Self::Channel,
			RECV_PACKET_TYPE_URL => Self::RecvPacket,
			ACKNOWLEDGEMENT_TYPE_URL => Self::Acknowledgement,
			TIMEOUT_TYPE_URL => Self::Timeout,
			TIMEOUT_ON_CLOSE_TYPE_URL => Self::TimeoutOnClose,
			_ => Self::Unknown,
		}
	}

	/// Whether a message of this kind runs an app's callback: the packet and channel
	/// messages, which the router hands to the app bound to their port.
	pub fn reaches_app(self) -> bool {
		match self {
			Self::RecvPacket
			| Self::Acknowledgement
			| Self::Timeout
			| Self::TimeoutOnClose
			| Self::Channel => true,
			Self::CreateClient
			| Self::UpdateClient
			| Self::Misbehaviour
			| Self::OtherClient
			| Self::Connection
			| Self::Unknown => false,
		}
	}
}

/// Storage work of keeping a replaced GRANDPA set (pallet-ibc's `KeepPastAuthoritySets`): the
/// client's kept-id list read and written, the set written, at most two old sets removed.
pub fn set_change<D: Get<RuntimeDbWeight>>() -> Weight {
	D::get().reads_writes(1, 4)
}

/// Storage work of misbehaviour evidence signed by past sets: one read per side.
pub fn past_set_reads<D: Get<RuntimeDbWeight>>() -> Weight {
	D::get().reads(2)
}

/// The weight of a client update of `len` bytes (see the module documentation), without the
/// [`set_change`] storage work.
pub fn update_client_bound<W: WeightInfo>(len: u32) -> Weight {
	let precommits = (len / SIGNED_PRECOMMIT_LEN).clamp(1, MAX_AUTHORITIES);
	let headers = len / MIN_HEADER_LEN;
	let by_signatures = W::update_client(precommits, MAX_AUTHORITIES - precommits, 0);
	let by_headers = W::update_client(1, MAX_AUTHORITIES - 1, headers);
	by_signatures.max(by_headers)
}

/// The weight charged for one `deliver` message (see the module documentation), with storage
/// operations at `D`'s weights.
pub fn message<W: WeightInfo, D: Get<RuntimeDbWeight>>(message: &RawAny) -> Weight {
	let len = u32::try_from(message.value.len()).unwrap_or(u32::MAX);
	let nodes = len / MIN_PROOF_NODE_LEN;
	match MessageKind::of(&message.type_url) {
		MessageKind::CreateClient => W::create_client((len / AUTHORITY_LEN).max(1)),
		MessageKind::UpdateClient => {
			update_client_bound::<W>(len).saturating_add(set_change::<D>())
		}
		MessageKind::OtherClient => update_client_bound::<W>(len),
		MessageKind::Misbehaviour => {
			update_client_bound::<W>(len).saturating_mul(2).saturating_add(past_set_reads::<D>())
		}
		MessageKind::Connection => W::conn_open_try(nodes),
		MessageKind::Channel | MessageKind::Unknown => W::chan_open_try(nodes),
		MessageKind::RecvPacket => W::recv_packet(nodes, 0).max(W::recv_packet(0, len)),
		MessageKind::Acknowledgement => W::acknowledgement(nodes),
		MessageKind::Timeout => W::timeout(nodes),
		MessageKind::TimeoutOnClose => W::timeout(nodes).saturating_add(W::chan_open_try(nodes)),
	}
}

/// The worst callback weight the apps `A` add to `message` (see the module documentation).
pub fn callback<A: IbcApps>(message: &RawAny) -> Weight {
	let len = u32::try_from(message.value.len()).unwrap_or(u32::MAX);
	A::callback_weight(MessageKind::of(&message.type_url), len)
}

/// The weight of `deliver(messages)` with apps `A`: the sum of [`message`] and [`callback`]
/// over the batch.
pub fn deliver<W: WeightInfo, D: Get<RuntimeDbWeight>, A: IbcApps>(messages: &[RawAny]) -> Weight {
	messages.iter().fold(Weight::zero(), |total, m| {
		total.saturating_add(message::<W, D>(m)).saturating_add(callback::<A>(m))
	})
}
