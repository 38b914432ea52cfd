//! Helpers shared by the harness's test files: linked chains, ICS-20 transfers, balances.

#![allow(dead_code, reason = "each test file uses a different subset")]

use frame_ics_sim::{connect, open_channel, Chain, ChannelPair};
use frame_support::{traits::fungible::Inspect as _, BoundedVec};
use ibc_core::{
	channel::types::channel::Order,
	host::types::identifiers::{ChannelId, PortId},
};
use pallet_ibc::{
	mock::{Assets, Balances, Ibc, RuntimeOrigin, Ss58Prefix, Test},
	pallet::{SentPackets, VoucherAssets},
	transfer::{
		account::{AccountCodec, Ss58Accounts},
		context::escrow_account,
	},
};
use sp_runtime::AccountId32;

pub const AMOUNT: u64 = 1_000;

pub fn ss58(who: &AccountId32) -> String {
	<Ss58Accounts<Ss58Prefix> as AccountCodec<AccountId32>>::format(who)
}

pub fn bounded<S: frame_support::traits::Get<u32>>(bytes: &[u8]) -> BoundedVec<u8, S> {
	bytes.to_vec().try_into().unwrap()
}

/// Two fresh chains (`"A"`, `"B"`) with an OPEN connection and an OPEN unordered `ics20-1` channel on `transfer`.
pub fn linked() -> (Chain, Chain, ChannelPair) {
	sp_tracing::try_init_simple();
	let mut a = Chain::new("A");
	let mut b = Chain::new("B");
	let connection = connect(&mut a, &mut b);
	let channel =
		open_channel(&mut a, &mut b, &connection, PortId::transfer(), "ics20-1", Order::Unordered);
	(a, b, channel)
}

/// `who` on `chain` sends `amount` of `denom` over `channel_on_chain` to `receiver`.
pub fn transfer(
	chain: &mut Chain,
	who: &AccountId32,
	channel_on_chain: &ChannelId,
	denom: &str,
	amount: u64,
	receiver: &str,
	timeout_height: Option<(u64, u64)>,
) -> sp_runtime::DispatchResult {
	let timeout_ms = if timeout_height.is_none() {
		Some(chain.exec(pallet_timestamp::Now::<Test>::get) + 3_600_000)
	} else {
		None
	};
	chain.exec(|| {
		Ibc::transfer(
			RuntimeOrigin::signed(who.clone()),
			bounded(channel_on_chain.as_str().as_bytes()),
			bounded(denom.as_bytes()),
			amount,
			bounded(receiver.as_bytes()),
			timeout_height,
			timeout_ms,
			bounded(b""),
		)
	})
}

pub fn native(chain: &mut Chain, who: &AccountId32) -> u64 {
	chain.exec(|| Balances::balance(who))
}

/// `who`'s vouchers of `trace` on `chain` (0 if the voucher asset does not exist).
pub fn vouchers(chain: &mut Chain, trace: &str, who: &AccountId32) -> u64 {
	chain.exec(|| {
		VoucherAssets::<Test>::get(bounded::<_>(trace.as_bytes()))
			.map(|id| Assets::balance(id, who))
			.unwrap_or(0)
	})
}

pub fn escrow(chain: &mut Chain, channel_on_chain: &ChannelId) -> u64 {
	let account = escrow_account::<Test>(&PortId::transfer(), channel_on_chain);
	native(chain, &account)
}

pub fn pending(chain: &mut Chain) -> usize {
	chain.exec(|| SentPackets::<Test>::iter().count())
}
