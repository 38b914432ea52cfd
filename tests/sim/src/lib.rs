//! Two-chain IBC harness.
//!
//! Two instances of pallet-ibc's test runtime run in one process, each with its own storage,
//! advanced block by block ([`chain`]). A harness relayer ([`relayer`]) reads one chain's state
//! the way a real relayer reads a node (pending packet data, written acknowledgements, ICS-24
//! values), proves it with child-trie read proofs, updates the other chain's light client to the
//! proving block and calls `deliver`. Flows that cross chains (handshakes, ICS-20 transfers,
//! timeouts, error acknowledgements, channel closes, later CCV) are tested here, in `tests/`.
//!
//! Light clients: each chain runs a GRANDPA authority set of test ed25519 keys and justifies
//! every block it seals; each tracks the other with a GRANDPA client (`ibc-client-grandpa`)
//! that checks those justifications, the header chain, authority-set changes, and every proof
//! against the child root in the proving block's `ibc0` digest.

pub mod chain;
pub mod relayer;

pub use chain::{Chain, FinalizedBlock, Key, Sealed, Voters};
pub use relayer::{close_confirm, connect, open_channel, relay, ChannelPair, Connection, Relayed};
