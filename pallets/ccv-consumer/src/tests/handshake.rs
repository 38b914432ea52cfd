//! The consumer side of the CCV channel handshake.

use crate::{mock::*, pallet::*};
use ccv_primitives::{
	channel::{CcvIbcApp, ChannelError, ChannelOpen},
	wire::HandshakeMetadata,
};
use sp_runtime::DispatchError;

const FEE_POOL: &str = "5EYCAe5ijiYfyeZ2JJCGq56LmPyNRAKzpG4QkoQkkQNB5e6Z";

fn open(version: &[u8]) -> ChannelOpen {
	ChannelOpen {
		port: id("consumer"),
		channel: id(CCV_CHANNEL),
		counterparty_port: id("provider"),
		ordered: true,
		connection_hops: vec![id("connection-0")],
		client_id: id(PROVIDER_CLIENT),
		version: version.to_vec(),
	}
}

fn metadata(version: &str) -> Vec<u8> {
	HandshakeMetadata { provider_fee_pool_addr: FEE_POOL.into(), version: version.into() }
		.to_version_string()
		.unwrap()
		.into_bytes()
}

#[test]
fn init_proposes_version_1() {
	run(|| {
		assert_eq!(CcvConsumer::on_chan_open_init(&open(b"")), Ok(b"1".to_vec()));
		assert_eq!(CcvConsumer::on_chan_open_init(&open(b"1")), Ok(b"1".to_vec()));
	});
}

#[test]
fn init_rejects_anything_else() {
	run(|| {
		type Mutate = Box<dyn Fn(&mut ChannelOpen)>;
		let cases: Vec<(&str, Mutate, Error<Test>)> = vec![
			("port", Box::new(|o| o.port = id("transfer")), Error::WrongPort),
			(
				"counterparty port",
				Box::new(|o| o.counterparty_port = id("consumer")),
				Error::WrongCounterpartyPort,
			),
			("unordered", Box::new(|o| o.ordered = false), Error::NotOrdered),
			("no hop", Box::new(|o| o.connection_hops.clear()), Error::WrongConnectionHops),
			(
				"two hops",
				Box::new(|o| o.connection_hops.push(id("connection-1"))),
				Error::WrongConnectionHops,
			),
			("client", Box::new(|o| o.client_id = id("10-grandpa-7")), Error::WrongClient),
			("version", Box::new(|o| o.version = b"2".to_vec()), Error::WrongVersion),
		];
		for (name, mutate, expected) in cases {
			let mut o = open(b"1");
			mutate(&mut o);
			let reason: &'static str = expected.as_str();
			assert_eq!(
				CcvConsumer::handshake_init(&o).map_err(DispatchError::from),
				Err(expected.into()),
				"{name}"
			);
			assert_eq!(
				CcvConsumer::on_chan_open_init(&o),
				Err(ChannelError::Refused(reason)),
				"{name}"
			);
		}
		// Once a CCV channel is established, no second one.
		assert_eq!(recv_vsc(1, vec![]), crate::tests::vsc_ok());
		assert_eq!(
			CcvConsumer::handshake_init(&open(b"1")).map_err(DispatchError::from),
			Err(Error::<Test>::ChannelExists.into())
		);
	});
}

#[test]
fn consumer_never_answers_try_or_confirm() {
	run(|| {
		let refused = ChannelError::Refused("ConsumerInitiates");
		assert_eq!(CcvConsumer::on_chan_open_try(&open(b"1")), Err(refused));
		assert_eq!(
			CcvConsumer::on_chan_open_confirm(&id("consumer"), &id(CCV_CHANNEL)),
			Err(refused)
		);
	});
}

#[test]
fn ack_stores_fee_pool_and_opens_the_transfer_channel_once() {
	run(|| {
		assert_eq!(CcvConsumer::on_chan_open_ack(&open(&metadata("1"))), Ok(()));
		assert_eq!(ProviderFeePool::<Test>::get().unwrap().to_vec(), FEE_POOL.as_bytes().to_vec());
		assert_eq!(TransferChannel::<Test>::get(), Some(id("channel-1")));
		CHANNEL.with(|c| assert_eq!(c.borrow().transfer_opened, vec![id("connection-0")]));
		assert!(ccv_events().contains(&Event::TransferChannelOpening { channel: id("channel-1") }));
		// Not established until the first VSC.
		assert!(CcvChannel::<Test>::get().is_none());
		// A second handshake (before any VSC) does not open another transfer channel.
		assert_eq!(CcvConsumer::on_chan_open_ack(&open(&metadata("1"))), Ok(()));
		CHANNEL.with(|c| assert_eq!(c.borrow().transfer_opened.len(), 1));
	});
}

#[test]
fn ack_rejects_bad_metadata_and_writes_nothing() {
	run(|| {
		for (name, version) in [
			("wrong version", metadata("2")),
			("plain version", b"1".to_vec()),
			("not utf-8", vec![0xff, 0xfe]),
		] {
			assert!(CcvConsumer::handshake_ack(&open(&version)).is_err(), "{name}");
			assert!(ProviderFeePool::<Test>::get().is_none(), "{name}");
			assert!(TransferChannel::<Test>::get().is_none(), "{name}");
		}
		let mut o = open(&metadata("1"));
		o.client_id = id("10-grandpa-7");
		assert_eq!(
			CcvConsumer::handshake_ack(&o).map_err(DispatchError::from),
			Err(Error::<Test>::WrongClient.into())
		);
		CHANNEL.with(|c| assert!(c.borrow().transfer_opened.is_empty()));
	});
}
