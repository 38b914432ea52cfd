//! Protocol constants of ICS-028 as cosmos/interchain-security uses them, and the size bounds
//! of our SCALE types.

/// Port the provider binds for the CCV channel.
pub const PROVIDER_PORT_ID: &str = "provider";
/// Port a consumer binds for the CCV channel.
pub const CONSUMER_PORT_ID: &str = "consumer";
/// CCV channel version (the implementation uses `"1"`, not the spec's `"ccv-1"`).
pub const CCV_VERSION: &str = "1";
/// Version of the ICS-20 transfer channel a consumer opens for rewards.
pub const TRANSFER_VERSION: &str = "ics20-1";
/// Port of the ICS-20 transfer application.
pub const TRANSFER_PORT_ID: &str = "transfer";

/// Acknowledgement result byte: VSC, VSCMatured or double-sign slash packet handled.
pub const ACK_RESULT_V1: u8 = 0x01;
/// Acknowledgement result byte: downtime slash packet handled.
pub const ACK_RESULT_SLASH_HANDLED: u8 = 0x02;
/// Acknowledgement result byte: slash packet bounced by the throttle; the consumer retries it.
pub const ACK_RESULT_SLASH_BOUNCED: u8 = 0x03;

/// Length of an ed25519 consensus public key.
pub const CONSENSUS_KEY_LEN: usize = 32;
/// Length of a consensus address: the first 20 bytes of sha256(pubkey), as Tendermint.
pub const CONSENSUS_ADDRESS_LEN: usize = 20;
/// Human-readable part used for slash-ack bech32 strings unless a chain configures another.
pub const DEFAULT_CONSENSUS_ADDRESS_HRP: &str = "cosmosvalcons";

/// Most validator updates one VSC packet may carry (a full set leaving plus a full set joining).
pub const MAX_VALIDATOR_UPDATES: u32 = 2048;
/// Most validators in a consumer's initial validator set.
pub const MAX_INITIAL_VALIDATORS: u32 = 1024;
/// Most slash acks one VSC packet may carry.
pub const MAX_SLASH_ACKS: u32 = 1024;
/// Longest slash-ack string, in bytes.
pub const MAX_SLASH_ACK_LEN: u32 = 128;
/// Most reward denoms in a consumer's parameters.
pub const MAX_DENOMS: u32 = 32;
/// Longest denom, in bytes.
pub const MAX_DENOM_LEN: u32 = 128;
/// Largest encoded light-client state carried in a consumer genesis.
pub const MAX_CLIENT_STATE_LEN: u32 = 256 * 1024;
/// Largest encoded light-client consensus state carried in a consumer genesis.
pub const MAX_CONSENSUS_STATE_LEN: u32 = 4 * 1024;
