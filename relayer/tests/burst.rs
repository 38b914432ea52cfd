//! Relayer figures on real nodes (a benchmark that prints numbers; it asserts only that every
//! packet arrives): latency of one packet from its commit block to its delivery block, packets
//! per second for a burst of ICS-20 transfers (`FRAME_ICS_BURST`, default 1000), and the
//! relayer process's CPU time and peak memory.
//!
//! Run by hand (release profile for representative CPU figures):
//! `cargo test --release -p frame-ics-relayer --test burst -- --ignored --nocapture`.

// A benchmark harness: a failed step is a failed run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use frame_ics_relayer::chain::Chain;
use std::time::{Duration, Instant};

/// The block number and `ibc0` timestamp (ms) of `chain`'s best block.
async fn best(chain: &Chain) -> (u32, u64) {
	let header = chain.best_header().await.unwrap();
	let ts = ibc_client_grandpa::ConsensusState::from_header(&header).unwrap().timestamp_ns;
	(header.number, ts / 1_000_000)
}

/// Number of ICS-24 keys under `prefix` at `chain`'s best block.
async fn count(chain: &Chain, prefix: &str) -> usize {
	let at = chain.best_header().await.unwrap().hash();
	chain.ibc_keys(prefix, at).await.unwrap().len()
}

/// (CPU seconds, peak resident MiB) of process `pid`, from /proc.
fn cpu_and_memory(pid: u32) -> (f64, f64) {
	let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
	let fields: Vec<&str> =
		stat.rsplit_once(") ").map(|(_, r)| r.split(' ').collect()).unwrap_or_default();
	// After the command name: state is field 3, utime 14, stime 15 (1-based in proc(5)).
	let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
	let cpu = (ticks(11) + ticks(12)) / 100.0;
	let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
	let hwm_kb = status
		.lines()
		.find_map(|l| l.strip_prefix("VmHWM:"))
		.and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<f64>().ok())
		.unwrap_or(0.0);
	(cpu, hwm_kb / 1024.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark on real nodes; run by hand (see the module docs)"]
async fn burst_of_transfers() {
	let n: u64 = std::env::var("FRAME_ICS_BURST").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
	let link = transfer_link("relayer-burst").await;
	let (provider, consumer) = (&link.provider, &link.consumer);
	let relayer_proc = spawn_relayer(&link.relay_cfg, &link.dir.join("relayer.log"));
	let pid = relayer_proc.0.id();
	let send =
		|count: u64| send_transfers(&link.user_cfg, "provider", &link.chan_p, count, 600_000);

	// Latency of one packet: its commit block on the provider to its receipt on the consumer.
	send(1);
	let (commit_block, commit_ms) = best(provider).await;
	let (c0, _) = best(consumer).await;
	wait_for("the probe packet received", Duration::from_secs(180), || async {
		exists(consumer, &receipt("transfer", &link.chan_c, 1)).await
	})
	.await;
	let (c1, delivered_ms) = best(consumer).await;
	let (p1, _) = best(provider).await;
	eprintln!(
		"[bench] latency: commit in provider #{commit_block} -> receipt in consumer #{c1}: {} provider blocks, {} consumer blocks, {:.1} s (block timestamps)",
		p1.saturating_sub(commit_block),
		c1.saturating_sub(c0),
		delivered_ms.saturating_sub(commit_ms) as f64 / 1000.0
	);

	// Burst: n transfers committed, then every packet received and acknowledged.
	let t = Instant::now();
	send(n);
	let committed = t.elapsed();
	eprintln!("[bench] {n} transfers in provider blocks after {:.1} s", committed.as_secs_f64());
	let receipts = format!("receipts/ports/transfer/channels/{}/sequences/", link.chan_c);
	let commitments = format!("commitments/ports/transfer/channels/{}/sequences/", link.chan_p);
	let t_recv = Instant::now();
	wait_for("every burst packet received", Duration::from_secs(1800), || async {
		count(consumer, &receipts).await as u64 > n // the probe packet and the burst
	})
	.await;
	let recv_secs = t_recv.elapsed().as_secs_f64();
	wait_for("every burst packet acknowledged", Duration::from_secs(1800), || async {
		count(provider, &commitments).await == 0
	})
	.await;
	let all_secs = t_recv.elapsed().as_secs_f64();
	let (cpu, mem) = cpu_and_memory(pid);
	eprintln!(
		"[bench] burst of {n}: received in {recv_secs:.1} s ({:.1} packets/s), acknowledged in {all_secs:.1} s ({:.1} packets/s round trip)",
		n as f64 / recv_secs,
		n as f64 / all_secs
	);
	eprintln!("[bench] relayer process: {cpu:.1} s CPU, peak RSS {mem:.0} MiB");
	assert_eq!(voucher_supply(consumer, FIRST_VOUCHER).await, AMOUNT * u128::from(n + 1));
	drop(relayer_proc);
}
