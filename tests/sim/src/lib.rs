//! Two-chain IBC harness.
//!
//! Two instances of pallet-ibc's test runtime run in one process, each with its own storage,
//! advanced block by block ([`chain`]). A harness relayer ([`relayer`]) reads one chain's state
//! the way a real relayer reads a node (pending packet data, written acknowledgements, ICS-24
//! values), proves it with child-trie read proofs, updates the other chain's light client to the
//! proving block and calls `deliver`. Flows that cross chains (handshakes, ICS-20 transfers,
//! timeouts, error acknowledgements, later CCV) are tested here, in `tests/`.
//!
//! Light clients: ibc-testkit's mock client until the GRANDPA client lands; proofs are already
//! real child-trie proofs, so switching the client makes them checked.

pub mod chain;
pub mod relayer;

pub use chain::{Chain, Sealed};
pub use relayer::{connect, open_channel, relay, ChannelPair, Connection, Relayed};
