//! Prometheus metrics of the relayer and the `/metrics` endpoint serving them.

use anyhow::{Context as _, Result};
use prometheus::{Encoder, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder};
use std::{net::SocketAddr, sync::Arc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The relayer's metrics.
pub struct Metrics {
	registry: Registry,
	relayed: IntCounterVec,
	errors: IntCounterVec,
	pending: IntGaugeVec,
	client_height: IntGaugeVec,
}

impl Metrics {
	/// Registers every metric.
	pub fn new() -> Result<Self> {
		let registry = Registry::new_custom(Some("frame_ics_relayer".into()), None)?;
		let relayed = IntCounterVec::new(
			Opts::new(
				"messages_relayed_total",
				"Messages delivered, by source, destination and kind",
			),
			&["src", "dst", "kind"],
		)?;
		let errors = IntCounterVec::new(
			Opts::new("errors_total", "Refused messages and failed passes, by chain and kind"),
			&["chain", "kind"],
		)?;
		let pending = IntGaugeVec::new(
			Opts::new("pending_packets", "Packets committed and not yet acknowledged or timed out"),
			&["chain", "port", "channel"],
		)?;
		let client_height = IntGaugeVec::new(
			Opts::new("client_height", "Latest height of each client the relayer keeps fresh"),
			&["host", "client"],
		)?;
		registry.register(Box::new(relayed.clone()))?;
		registry.register(Box::new(errors.clone()))?;
		registry.register(Box::new(pending.clone()))?;
		registry.register(Box::new(client_height.clone()))?;
		Ok(Self { registry, relayed, errors, pending, client_height })
	}

	/// One message of `kind` delivered from `src` to `dst`.
	pub fn relayed(&self, src: &str, dst: &str, kind: &str) {
		self.relayed.with_label_values(&[src, dst, kind]).inc();
	}

	/// One error on `chain`.
	pub fn error(&self, chain: &str, kind: &str) {
		self.errors.with_label_values(&[chain, kind]).inc();
	}

	/// `count` packets pending on `chain`'s (`port`, `channel`).
	pub fn pending(&self, chain: &str, port: &str, channel: &str, count: usize) {
		let count = i64::try_from(count).unwrap_or(i64::MAX);
		self.pending.with_label_values(&[chain, port, channel]).set(count);
	}

	/// `client` on `host` is at block `height`.
	pub fn client_height(&self, host: &str, client: &str, height: u32) {
		self.client_height.with_label_values(&[host, client]).set(i64::from(height));
	}

	/// The text exposition of every metric.
	pub fn render(&self) -> String {
		let mut buf = Vec::new();
		if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut buf) {
			return format!("# encoding failed: {e}\n");
		}
		String::from_utf8_lossy(&buf).into_owned()
	}

	/// Serves `GET /metrics` on `addr` until the process ends.
	pub async fn serve(self: Arc<Self>, addr: SocketAddr) -> Result<()> {
		let listener = tokio::net::TcpListener::bind(addr)
			.await
			.with_context(|| format!("binding the metrics endpoint {addr}"))?;
		tracing::info!(%addr, "serving Prometheus metrics at /metrics");
		loop {
			let (mut socket, _) = listener.accept().await?;
			let metrics = self.clone();
			tokio::spawn(async move {
				let mut req = [0u8; 1024];
				let n = socket.read(&mut req).await.unwrap_or(0);
				let head = String::from_utf8_lossy(req.get(..n).unwrap_or_default());
				let (status, body) = if head.starts_with("GET /metrics") {
					("200 OK", metrics.render())
				} else {
					("404 Not Found", "try /metrics\n".to_string())
				};
				let response = format!(
					"HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
					body.len()
				);
				let _ = socket.write_all(response.as_bytes()).await;
			});
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn renders_counters_and_gauges() {
		let m = Metrics::new().unwrap();
		m.relayed("provider", "consumer", "recv_packet");
		m.relayed("provider", "consumer", "recv_packet");
		m.pending("provider", "transfer", "channel-0", 3);
		m.client_height("consumer", "10-grandpa-1", 42);
		let text = m.render();
		assert!(text.contains(
			"frame_ics_relayer_messages_relayed_total{dst=\"consumer\",kind=\"recv_packet\",src=\"provider\"} 2"
		), "{text}");
		assert!(
			text.contains(
				"frame_ics_relayer_client_height{client=\"10-grandpa-1\",host=\"consumer\"} 42"
			),
			"{text}"
		);
	}
}
