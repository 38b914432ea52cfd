//! Rewards: the fee split and the transmission to the provider fee pool.

use crate::{mock::*, pallet::*, rewards::transfer_memo, SplitRewards};
use ccv_primitives::{channel::CcvIbcApp, channel::ChannelOpen, wire::HandshakeMetadata};
use frame_support::traits::{
	fungible::{Balanced, Inspect, Mutate},
	OnUnbalanced,
};
use sp_runtime::Perbill;

const FEE_POOL: &str = "5FeePoolOfConsumer7";

/// Completes the handshake on our side: fee pool and transfer channel known.
pub(super) fn handshake() {
	let version =
		HandshakeMetadata { provider_fee_pool_addr: FEE_POOL.into(), version: "1".into() }
			.to_version_string()
			.unwrap()
			.into_bytes();
	let open = ChannelOpen {
		port: id("consumer"),
		channel: id(CCV_CHANNEL),
		counterparty_port: id("provider"),
		ordered: true,
		connection_hops: vec![id("connection-0")],
		client_id: id(PROVIDER_CLIENT),
		version,
	};
	CcvConsumer::on_chan_open_ack(&open).unwrap();
}

/// Rewards are transmitted every `blocks` blocks.
pub(super) fn every(blocks: u32) {
	Params::<Test>::mutate(|p| p.as_mut().unwrap().blocks_per_distribution_transmission = blocks);
}

#[test]
fn reward_split_sums_exactly() {
	run(|| {
		let ccv = CcvConsumer::ccv_account();
		for (fraction, amount) in [(75, 1001u128), (75, 4), (33, 1_000_003), (100, 50), (0, 50)] {
			Params::<Test>::mutate(|p| {
				p.as_mut().unwrap().consumer_redistribution_fraction =
					Perbill::from_percent(fraction)
			});
			let (kept_before, ccv_before) =
				(Balances::balance(&REDISTRIBUTION), Balances::balance(&ccv));
			let issuance = Balances::total_issuance();
			SplitRewards::<Test>::on_unbalanced(Balances::issue(amount));
			let kept = Balances::balance(&REDISTRIBUTION) - kept_before;
			let sent = Balances::balance(&ccv) - ccv_before;
			assert_eq!(
				kept,
				Perbill::from_percent(fraction).mul_floor(amount),
				"{fraction}% of {amount}"
			);
			assert_eq!(kept + sent, amount, "{fraction}% of {amount}");
			assert_eq!(Balances::total_issuance(), issuance + amount);
		}
	});
}

#[test]
fn rewards_are_sent_to_the_fee_pool_every_interval() {
	run(|| {
		every(5);
		handshake();
		let ccv = CcvConsumer::ccv_account();
		Balances::set_balance(&ccv, 1_000);
		run_to_block(4);
		CHANNEL.with(|c| assert!(c.borrow().transfers.is_empty()));
		run_to_block(5);
		let transfers = CHANNEL.with(|c| c.borrow().transfers.clone());
		assert_eq!(transfers.len(), 1);
		let (channel, from, amount, receiver, memo, _) = transfers[0].clone();
		assert_eq!(channel, id("channel-1"));
		assert_eq!(from, ccv);
		assert_eq!(amount, 999, "keeps the existential deposit");
		assert_eq!(receiver, FEE_POOL.as_bytes().to_vec());
		assert_eq!(
			String::from_utf8(memo).unwrap(),
			r#"{"provider":{"consumerId":"7","chainId":"consumer-7","memo":"ICS rewards"}}"#
		);
		assert_eq!(Balances::balance(&ESCROW), 999);
		assert!(ccv_events().contains(&Event::RewardsTransmitted { amount: 999 }));
		run_to_block(9);
		CHANNEL.with(|c| assert_eq!(c.borrow().transfers.len(), 1, "nothing new to send"));
	});
}

#[test]
fn failed_or_impossible_transfers_lose_nothing() {
	run(|| {
		every(5);
		let ccv = CcvConsumer::ccv_account();
		Balances::set_balance(&ccv, 501);
		run_to_block(5); // no handshake yet: kept
		assert_eq!(Balances::balance(&ccv), 501);
		handshake();
		CHANNEL.with(|c| c.borrow_mut().fail_transfer = true);
		run_to_block(10);
		assert_eq!(Balances::balance(&ccv), 501);
		assert!(ccv_events().contains(&Event::RewardsTransmissionFailed { amount: 500 }));
		SplitRewards::<Test>::on_unbalanced(Balances::issue(400)); // 100 to the provider side
		CHANNEL.with(|c| c.borrow_mut().fail_transfer = false);
		run_to_block(15);
		assert_eq!(Balances::balance(&ESCROW), 600, "retried with everything accumulated");
		assert_eq!(Balances::balance(&ccv), 1);
	});
}

#[test]
fn memo_is_escaped_like_go() {
	assert_eq!(
		String::from_utf8(transfer_memo(13, "chain-13")).unwrap(),
		r#"{"provider":{"consumerId":"13","chainId":"chain-13","memo":"ICS rewards"}}"#
	);
	assert_eq!(
		String::from_utf8(transfer_memo(1, "a\"b\\c<d>&")).unwrap(),
		r#"{"provider":{"consumerId":"1","chainId":"a\"b\\c\u003cd\u003e\u0026","memo":"ICS rewards"}}"#
	);
}
