//! The ICS-26 router: which ibc-rs `Module` serves which port.
//!
//! Apps bind ports through [`crate::Config::Apps`], a tuple of [`IbcApps`] (e.g.
//! `(CcvApp<ProviderPort, CcvProvider>, ...)`). FRAME pallets that implement
//! [`CcvIbcApp`] plug in through [`CcvApp`], which adapts them to ibc-rs's `Module`; plain
//! ibc-rs modules through [`ModuleApp`].
//! The router is rebuilt (cheaply: the modules are zero-sized) for each `deliver` call.

use crate::{context::connection_client, deliver_weight::MessageKind, Config};
use alloc::{
	boxed::Box,
	format,
	string::{String, ToString},
	vec::Vec,
};
use ccv_primitives::{
	channel::{CcvIbcApp, ChannelError as CcvError, ChannelOpen, IbcId, PacketRef},
	wire::Acknowledgement as CcvAck,
};
use core::{fmt, marker::PhantomData};
use frame_support::{
	storage::{with_transaction, TransactionOutcome},
	traits::Get,
	weights::Weight,
};
use ibc_core::{
	channel::types::{
		acknowledgement::Acknowledgement,
		channel::{Counterparty, Order},
		error::ChannelError,
		packet::Packet,
		Version,
	},
	host::types::{
		identifiers::{ChannelId, ConnectionId, PortId},
		path::ChannelEndPath,
	},
	host::ValidationContext,
	primitives::Signer,
	router::{
		module::Module, router::Router, types::module::ModuleExtras, types::module::ModuleId,
	},
};
use sp_runtime::DispatchError;

/// A set of IBC apps, each bound to one port (implemented by [`CcvApp`], `()` and tuples).
pub trait IbcApps {
	/// Appends `(port, module)` for every app of the set.
	fn bind(routes: &mut Vec<(PortId, Box<dyn Module>)>);

	/// The worst weight the set's callbacks add to a message of `kind` whose value is `len`
	/// bytes, beyond the ICS-20 callbacks that pallet-ibc's own benchmarks already run: the
	/// largest over the set's apps, since `deliver` is weighed before the message is decoded
	/// and its port known.
	fn callback_weight(kind: MessageKind, len: u32) -> Weight;
}

impl IbcApps for () {
	fn bind(_routes: &mut Vec<(PortId, Box<dyn Module>)>) {}

	fn callback_weight(_kind: MessageKind, _len: u32) -> Weight {
		Weight::zero()
	}
}

macro_rules! impl_ibc_apps_for_tuple {
	($($app:ident),+) => {
		impl<$($app: IbcApps),+> IbcApps for ($($app,)+) {
			fn bind(routes: &mut Vec<(PortId, Box<dyn Module>)>) {
				$($app::bind(routes);)+
			}

			fn callback_weight(kind: MessageKind, len: u32) -> Weight {
				Weight::zero()$(.max($app::callback_weight(kind, len)))+
			}
		}
	};
}
impl_ibc_apps_for_tuple!(A);
impl_ibc_apps_for_tuple!(A, B);
impl_ibc_apps_for_tuple!(A, B, C);
impl_ibc_apps_for_tuple!(A, B, C, D);
impl_ibc_apps_for_tuple!(A, B, C, D, E);

/// Binds the CCV pallet `App` to the port named by `Port` (e.g. `"provider"`, `"consumer"`).
pub struct CcvApp<T, Port, App>(PhantomData<(T, Port, App)>);

impl<T: Config, Port: Get<&'static str>, App: CcvIbcApp + 'static> IbcApps
	for CcvApp<T, Port, App>
{
	fn bind(routes: &mut Vec<(PortId, Box<dyn Module>)>) {
		match PortId::new(Port::get().to_string()) {
			Ok(port) => routes.push((port, Box::new(CcvModule::<T, App>(PhantomData)))),
			Err(e) => log::error!(target: crate::LOG_TARGET, "invalid port id of a CCV app: {e}"),
		}
	}

	/// The app's benchmarked callback weight for the message kind: a received packet's data
	/// is at most the message's `len` bytes; `MsgTimeoutOnClose` runs the timeout callback.
	fn callback_weight(kind: MessageKind, len: u32) -> Weight {
		match kind {
			MessageKind::RecvPacket => App::on_recv_packet_weight(len),
			MessageKind::Acknowledgement => App::on_acknowledgement_weight(),
			MessageKind::Timeout | MessageKind::TimeoutOnClose => App::on_timeout_weight(),
			MessageKind::Channel => App::on_channel_step_weight(),
			MessageKind::CreateClient
			| MessageKind::UpdateClient
			| MessageKind::Misbehaviour
			| MessageKind::OtherClient
			| MessageKind::Connection
			| MessageKind::Unknown => Weight::zero(),
		}
	}
}

/// Binds any ibc-rs `Module` that can be built from nothing (e.g. an ICS-20 module over the
/// runtime's pallets) to the port named by `Port`. `CallbackWeight` is the worst weight of any
/// of its callbacks (from its own benchmarks), charged on every packet and channel message.
pub struct ModuleApp<Port, M, CallbackWeight>(PhantomData<(Port, M, CallbackWeight)>);

impl<Port: Get<&'static str>, M: Module + Default + 'static, CallbackWeight: Get<Weight>> IbcApps
	for ModuleApp<Port, M, CallbackWeight>
{
	fn bind(routes: &mut Vec<(PortId, Box<dyn Module>)>) {
		match PortId::new(Port::get().to_string()) {
			Ok(port) => routes.push((port, Box::new(M::default()))),
			Err(e) => log::error!(target: crate::LOG_TARGET, "invalid port id of an app: {e}"),
		}
	}

	fn callback_weight(kind: MessageKind, _len: u32) -> Weight {
		if kind.reaches_app() {
			CallbackWeight::get()
		} else {
			Weight::zero()
		}
	}
}

/// The router handed to ibc-rs's `dispatch`: a short list of `(port, module)`.
pub struct IbcRouter {
	routes: Vec<(PortId, Box<dyn Module>)>,
}

impl IbcRouter {
	/// Binds every app of `Apps`.
	pub fn new<Apps: IbcApps>() -> Self {
		let mut routes = Vec::new();
		Apps::bind(&mut routes);
		Self { routes }
	}
}

impl Router for IbcRouter {
	fn get_route(&self, module_id: &ModuleId) -> Option<&dyn Module> {
		self.routes
			.iter()
			.find(|(port, _)| port.as_str() == module_id.to_string())
			.map(|(_, m)| m.as_ref())
	}

	fn get_route_mut(&mut self, module_id: &ModuleId) -> Option<&mut dyn Module> {
		let wanted = module_id.to_string();
		for (port, module) in self.routes.iter_mut() {
			if port.as_str() == wanted {
				return Some(module.as_mut());
			}
		}
		None
	}

	fn lookup_module(&self, port_id: &PortId) -> Option<ModuleId> {
		self.routes
			.iter()
			.any(|(port, _)| port == port_id)
			.then(|| ModuleId::new(port_id.as_str().to_string()))
	}
}

/// ibc-rs `Module` adapter over a [`CcvIbcApp`]. Validation steps run the app's callback in a
/// storage transaction that is always rolled back (the app's checks are its callbacks);
/// execution steps run it for real.
pub struct CcvModule<T, App>(PhantomData<(T, App)>);

impl<T, App> fmt::Debug for CcvModule<T, App> {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("CcvModule")
	}
}

fn app_error(e: CcvError) -> ChannelError {
	ChannelError::AppSpecific { description: e.to_string() }
}

fn ibc_id(s: &str) -> Result<IbcId, ChannelError> {
	IbcId::try_from(s.as_bytes().to_vec())
		.map_err(|_| ChannelError::AppSpecific { description: format!("identifier too long: {s}") })
}

/// Runs `f` and rolls back whatever it wrote.
fn dry_run<R>(f: impl FnOnce() -> R) -> Result<R, ChannelError> {
	with_transaction(|| TransactionOutcome::Rollback(Ok::<R, DispatchError>(f())))
		.map_err(|_| ChannelError::AppSpecific { description: "transaction limit".into() })
}

fn refuse_foreign_close<T: Config>() -> Result<(), ChannelError> {
	if crate::pallet::HostInitiatedClose::<T>::get() {
		Ok(())
	} else {
		Err(ChannelError::AppSpecific {
			description: "CCV channels are closed only by the CCV pallets".into(),
		})
	}
}

fn version_bytes(v: &Version) -> Vec<u8> {
	v.as_str().as_bytes().to_vec()
}

fn version_of(bytes: Vec<u8>) -> Result<Version, ChannelError> {
	String::from_utf8(bytes)
		.map(Version::new)
		.map_err(|_| ChannelError::AppSpecific { description: "version is not UTF-8".into() })
}

impl<T: Config, App: CcvIbcApp> CcvModule<T, App> {
	fn describe(
		order: Order,
		connection_hops: &[ConnectionId],
		port_id: &PortId,
		channel_id: &ChannelId,
		counterparty: &Counterparty,
		version: &Version,
	) -> Result<ChannelOpen, ChannelError> {
		let first = connection_hops
			.first()
			.ok_or(ChannelError::InvalidConnectionHopsLength { expected: 1, actual: 0 })?;
		let client_id = connection_client::<T>(first).map_err(ChannelError::Host)?;
		Ok(ChannelOpen {
			port: ibc_id(port_id.as_str())?,
			channel: ibc_id(channel_id.as_str())?,
			counterparty_port: ibc_id(counterparty.port_id().as_str())?,
			ordered: order == Order::Ordered,
			connection_hops: connection_hops
				.iter()
				.map(|c| ibc_id(c.as_str()))
				.collect::<Result<Vec<_>, _>>()?,
			client_id: ibc_id(client_id.as_str())?,
			version: version_bytes(version),
		})
	}

	/// Describes an existing channel (ack step), with the counterparty's version.
	fn describe_stored(
		port_id: &PortId,
		channel_id: &ChannelId,
		counterparty_version: &Version,
	) -> Result<ChannelOpen, ChannelError> {
		let ctx = crate::context::IbcContext::<T>::new();
		let end = ctx.channel_end(&ChannelEndPath::new(port_id, channel_id))?;
		Self::describe(
			*end.ordering(),
			end.connection_hops(),
			port_id,
			channel_id,
			end.counterparty(),
			counterparty_version,
		)
	}

	fn packet_ref(packet: &Packet) -> Result<PacketRef, ChannelError> {
		Ok(PacketRef {
			port: ibc_id(packet.port_id_on_b.as_str())?,
			channel: ibc_id(packet.chan_id_on_b.as_str())?,
			sequence: packet.seq_on_a.value(),
		})
	}

	/// Our own end of a packet we sent (for ack and timeout callbacks).
	fn sent_ref(packet: &Packet) -> Result<PacketRef, ChannelError> {
		Ok(PacketRef {
			port: ibc_id(packet.port_id_on_a.as_str())?,
			channel: ibc_id(packet.chan_id_on_a.as_str())?,
			sequence: packet.seq_on_a.value(),
		})
	}

	fn decode_ack(ack: &Acknowledgement) -> Result<CcvAck, ChannelError> {
		CcvAck::decode_json(ack.as_bytes()).map_err(|_| ChannelError::AppSpecific {
			description: "malformed acknowledgement".into(),
		})
	}
}

impl<T: Config, App: CcvIbcApp> Module for CcvModule<T, App> {
	fn on_chan_open_init_validate(
		&self,
		order: Order,
		connection_hops: &[ConnectionId],
		port_id: &PortId,
		channel_id: &ChannelId,
		counterparty: &Counterparty,
		version: &Version,
	) -> Result<Version, ChannelError> {
		let open =
			Self::describe(order, connection_hops, port_id, channel_id, counterparty, version)?;
		version_of(dry_run(|| App::on_chan_open_init(&open))?.map_err(app_error)?)
	}

	fn on_chan_open_init_execute(
		&mut self,
		order: Order,
		connection_hops: &[ConnectionId],
		port_id: &PortId,
		channel_id: &ChannelId,
		counterparty: &Counterparty,
		version: &Version,
	) -> Result<(ModuleExtras, Version), ChannelError> {
		let open =
			Self::describe(order, connection_hops, port_id, channel_id, counterparty, version)?;
		let v = version_of(App::on_chan_open_init(&open).map_err(app_error)?)?;
		Ok((ModuleExtras::empty(), v))
	}

	fn on_chan_open_try_validate(
		&self,
		order: Order,
		connection_hops: &[ConnectionId],
		port_id: &PortId,
		channel_id: &ChannelId,
		counterparty: &Counterparty,
		counterparty_version: &Version,
	) -> Result<Version, ChannelError> {
		let open = Self::describe(
			order,
			connection_hops,
			port_id,
			channel_id,
			counterparty,
			counterparty_version,
		)?;
		version_of(dry_run(|| App::on_chan_open_try(&open))?.map_err(app_error)?)
	}

	fn on_chan_open_try_execute(
		&mut self,
		order: Order,
		connection_hops: &[ConnectionId],
		port_id: &PortId,
		channel_id: &ChannelId,
		counterparty: &Counterparty,
		counterparty_version: &Version,
	) -> Result<(ModuleExtras, Version), ChannelError> {
		let open = Self::describe(
			order,
			connection_hops,
			port_id,
			channel_id,
			counterparty,
			counterparty_version,
		)?;
		let v = version_of(App::on_chan_open_try(&open).map_err(app_error)?)?;
		Ok((ModuleExtras::empty(), v))
	}

	fn on_chan_open_ack_validate(
		&self,
		port_id: &PortId,
		channel_id: &ChannelId,
		counterparty_version: &Version,
	) -> Result<(), ChannelError> {
		let open = Self::describe_stored(port_id, channel_id, counterparty_version)?;
		dry_run(|| App::on_chan_open_ack(&open))?.map_err(app_error)
	}

	fn on_chan_open_ack_execute(
		&mut self,
		port_id: &PortId,
		channel_id: &ChannelId,
		counterparty_version: &Version,
	) -> Result<ModuleExtras, ChannelError> {
		let open = Self::describe_stored(port_id, channel_id, counterparty_version)?;
		App::on_chan_open_ack(&open).map_err(app_error)?;
		Ok(ModuleExtras::empty())
	}

	fn on_chan_open_confirm_validate(
		&self,
		port_id: &PortId,
		channel_id: &ChannelId,
	) -> Result<(), ChannelError> {
		let (port, channel) = (ibc_id(port_id.as_str())?, ibc_id(channel_id.as_str())?);
		dry_run(|| App::on_chan_open_confirm(&port, &channel))?.map_err(app_error)
	}

	fn on_chan_open_confirm_execute(
		&mut self,
		port_id: &PortId,
		channel_id: &ChannelId,
	) -> Result<ModuleExtras, ChannelError> {
		let (port, channel) = (ibc_id(port_id.as_str())?, ibc_id(channel_id.as_str())?);
		App::on_chan_open_confirm(&port, &channel).map_err(app_error)?;
		Ok(ModuleExtras::empty())
	}

	/// CCV channels are never closed on our side by a relayed `MsgChannelCloseInit` (ICS-028):
	/// only the host itself starts a close, through `IbcChannel::close_channel`.
	fn on_chan_close_init_validate(
		&self,
		_port_id: &PortId,
		_channel_id: &ChannelId,
	) -> Result<(), ChannelError> {
		refuse_foreign_close::<T>()
	}

	fn on_chan_close_init_execute(
		&mut self,
		_port_id: &PortId,
		_channel_id: &ChannelId,
	) -> Result<ModuleExtras, ChannelError> {
		refuse_foreign_close::<T>().map(|()| ModuleExtras::empty())
	}

	/// The counterparty closed its end: the app is told before ibc-rs closes ours.
	fn on_chan_close_confirm_validate(
		&self,
		port_id: &PortId,
		channel_id: &ChannelId,
	) -> Result<(), ChannelError> {
		let (port, channel) = (ibc_id(port_id.as_str())?, ibc_id(channel_id.as_str())?);
		dry_run(|| App::on_chan_close_confirm(&port, &channel))?.map_err(app_error)
	}

	fn on_chan_close_confirm_execute(
		&mut self,
		port_id: &PortId,
		channel_id: &ChannelId,
	) -> Result<ModuleExtras, ChannelError> {
		let (port, channel) = (ibc_id(port_id.as_str())?, ibc_id(channel_id.as_str())?);
		App::on_chan_close_confirm(&port, &channel).map_err(app_error)?;
		Ok(ModuleExtras::empty())
	}

	fn on_recv_packet_execute(
		&mut self,
		packet: &Packet,
		_relayer: &Signer,
	) -> (ModuleExtras, Option<Acknowledgement>) {
		let ack = match Self::packet_ref(packet) {
			Ok(r) => App::on_recv_packet(&r, &packet.data),
			Err(e) => CcvAck::Error(e.to_string()),
		};
		// A JSON envelope is never empty, so the conversion cannot fail; stay total anyway.
		(ModuleExtras::empty(), Acknowledgement::try_from(ack.encode_json()).ok())
	}

	fn on_acknowledgement_packet_validate(
		&self,
		packet: &Packet,
		acknowledgement: &Acknowledgement,
		_relayer: &Signer,
	) -> Result<(), ChannelError> {
		let (r, ack) = (Self::sent_ref(packet)?, Self::decode_ack(acknowledgement)?);
		dry_run(|| App::on_acknowledgement(&r, &packet.data, &ack))?.map_err(app_error)
	}

	fn on_acknowledgement_packet_execute(
		&mut self,
		packet: &Packet,
		acknowledgement: &Acknowledgement,
		_relayer: &Signer,
	) -> (ModuleExtras, Result<(), ChannelError>) {
		let res = Self::sent_ref(packet).and_then(|r| {
			let ack = Self::decode_ack(acknowledgement)?;
			App::on_acknowledgement(&r, &packet.data, &ack).map_err(app_error)
		});
		(ModuleExtras::empty(), res)
	}

	fn on_timeout_packet_validate(
		&self,
		packet: &Packet,
		_relayer: &Signer,
	) -> Result<(), ChannelError> {
		let r = Self::sent_ref(packet)?;
		dry_run(|| App::on_timeout(&r, &packet.data))?.map_err(app_error)
	}

	/// On an ORDERED channel ibc-rs closes our end after this callback (`timeout_packet_execute`):
	/// the app takes the timeout as the close ([`CcvIbcApp::on_timeout`]).
	fn on_timeout_packet_execute(
		&mut self,
		packet: &Packet,
		_relayer: &Signer,
	) -> (ModuleExtras, Result<(), ChannelError>) {
		let res = Self::sent_ref(packet)
			.and_then(|r| App::on_timeout(&r, &packet.data).map_err(app_error));
		(ModuleExtras::empty(), res)
	}
}
