//! Unit tests, one module per flow.

mod equivocation;
mod era_recompute;
mod ibc;
mod jail;
mod key_assignment;
mod lifecycle;
mod power_shaping;
mod queries;
mod rewards;
mod slashing;
mod throttle;
mod vsc;
