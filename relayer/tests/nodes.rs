//! The relayer against real nodes: a `provider-dev` and a `consumer-dev` `frame-ics-node`
//! (release build, from `$FRAME_ICS_NODE` or the shared target dir), driven through the
//! `frame-ics-relayer` binary, with every outcome read back from chain state.
//!
//! Ignored in the plain test run (the node is built after it); `scripts/test.sh` runs it with
//! `--run-ignored only` once the node is built.

// A test harness: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the release node; scripts/test.sh runs it after building the node"]
async fn relays_between_real_nodes_and_survives_kills() {
	let started = Instant::now();
	let TransferLink {
		dir,
		provider_node,
		consumer_node,
		relay_cfg,
		user_cfg,
		provider,
		consumer,
		chan_p,
		chan_c,
	} = transfer_link("relayer-test").await;

	let relayer_log = dir.join("relayer.log");
	let mut running = spawn_relayer(&relay_cfg, &relayer_log);

	// A packet each way: received, acknowledged (commitment gone on the source).
	let send = |from: &str, chan: &str, count: u64, timeout_ms: u64| {
		send_transfers(&user_cfg, from, chan, count, timeout_ms)
	};
	send("provider", &chan_p, 1, 600_000);
	send("consumer", &chan_c, 1, 600_000);
	wait_for(
		"provider->consumer transfer received and acknowledged",
		Duration::from_secs(180),
		|| async {
			exists(&consumer, &receipt("transfer", &chan_c, 1)).await
				&& !exists(&provider, &commitment("transfer", &chan_p, 1)).await
		},
	)
	.await;
	wait_for(
		"consumer->provider transfer received and acknowledged",
		Duration::from_secs(180),
		|| async {
			exists(&provider, &receipt("transfer", &chan_p, 1)).await
				&& !exists(&consumer, &commitment("transfer", &chan_c, 1)).await
		},
	)
	.await;
	assert_eq!(voucher_supply(&consumer, FIRST_VOUCHER).await, AMOUNT);
	assert_eq!(voucher_supply(&provider, FIRST_VOUCHER).await, AMOUNT);

	// A timeout: 2 s is over before the consumer could receive it; the provider times it out.
	send("provider", &chan_p, 1, 2_000);
	wait_for("provider->consumer packet timed out", Duration::from_secs(180), || async {
		!exists(&provider, &commitment("transfer", &chan_p, 2)).await
	})
	.await;
	assert!(
		!exists(&consumer, &receipt("transfer", &chan_c, 2)).await,
		"timed-out packet was received"
	);
	assert_eq!(voucher_supply(&consumer, FIRST_VOUCHER).await, AMOUNT);

	// Kill -9 and restart the relayer at pseudo-random points of a stream of 20 transfers, with
	// a second relayer (its own key) on the same path all along: duplicates must not hurt.
	const STREAM: u64 = 20;
	let second_cfg =
		write_config(&dir, "relayer2.toml", &provider_node, &consumer_node, "//Charlie");
	let mut second = spawn_relayer(&second_cfg, &dir.join("relayer2.log"));
	let sender = {
		let user_cfg = user_cfg.clone();
		let chan_p = chan_p.clone();
		std::thread::spawn(move || send_transfers(&user_cfg, "provider", &chan_p, STREAM, 600_000))
	};
	let mut seed = u64::from(std::process::id()) ^ started.elapsed().as_nanos() as u64;
	for round in 0..4 {
		seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
		let ms = 1_000 + (seed >> 33) % 7_000;
		tokio::time::sleep(Duration::from_millis(ms)).await;
		running.kill(); // SIGKILL
		eprintln!("[test] relayer killed after {ms} ms (round {round}); restarting");
		running = spawn_relayer(&relay_cfg, &relayer_log);
	}
	sender.join().unwrap();
	let seqs = 3..3 + STREAM;
	wait_for("every streamed packet received and acknowledged", Duration::from_secs(300), || {
		let seqs = seqs.clone();
		let (provider, consumer, chan_c, chan_p) = (&provider, &consumer, &chan_c, &chan_p);
		async move {
			for seq in seqs {
				if !exists(consumer, &receipt("transfer", chan_c, seq)).await
					|| exists(provider, &commitment("transfer", chan_p, seq)).await
				{
					return false;
				}
			}
			true
		}
	})
	.await;
	assert!(second.0.try_wait().unwrap().is_none(), "the second relayer exited");
	assert!(running.0.try_wait().unwrap().is_none(), "the restarted relayer exited");
	// Exactly once: the vouchers minted are the first transfer plus the stream, no more.
	assert_eq!(voucher_supply(&consumer, FIRST_VOUCHER).await, AMOUNT * u128::from(1 + STREAM));
	running.kill();
	second.kill();
	eprintln!("[test] total {:.1}s", started.elapsed().as_secs_f64());
}
