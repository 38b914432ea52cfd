//! `ccv-wire`: decode and encode ICS-028 packet data from the command line.
//!
//! ```text
//! ccv-wire decode [--kind vsc|consumer|ack]   JSON on stdin -> canonical JSON on stdout,
//!                                             a human summary (and the SCALE hex) on stderr
//! ccv-wire encode [--kind vsc|consumer|ack] [HEX]
//!                                             SCALE hex (argument or stdin) -> canonical JSON
//! ```
//! Malformed input exits with code 1 and one line naming the field at fault.

use ccv_primitives::{
	wire::{self, Acknowledgement, WireError},
	ConsumerPacket, VscPacket, DEFAULT_CONSENSUS_ADDRESS_HRP,
};
use codec::{Decode, Encode};
use std::{
	io::{Read, Write},
	process::ExitCode,
};

const USAGE: &str = "usage: ccv-wire decode [--kind vsc|consumer|ack] < packet.json\n       \
                     ccv-wire encode [--kind vsc|consumer|ack] [SCALE_HEX]";

#[derive(Clone, Copy)]
enum Kind {
	Vsc,
	Consumer,
	Ack,
}

/// One packet in SCALE form, whatever its kind.
enum Packet {
	Vsc(VscPacket),
	Consumer(ConsumerPacket),
	Ack(Acknowledgement),
}

impl Packet {
	fn decode_wire(kind: Kind, bytes: &[u8]) -> Result<Self, WireError> {
		Ok(match kind {
			Kind::Vsc => Self::Vsc(wire::decode_vsc_packet(bytes)?),
			Kind::Consumer => Self::Consumer(wire::decode_consumer_packet(bytes)?),
			Kind::Ack => Self::Ack(Acknowledgement::decode_json(bytes)?),
		})
	}

	fn decode_scale(kind: Kind, mut bytes: &[u8]) -> Result<Self, String> {
		let input = &mut bytes;
		let packet = match kind {
			Kind::Vsc => VscPacket::decode(input).map(Self::Vsc),
			Kind::Consumer => ConsumerPacket::decode(input).map(Self::Consumer),
			Kind::Ack => Acknowledgement::decode(input).map(Self::Ack),
		}
		.map_err(|e| format!("invalid SCALE: {e}"))?;
		if !input.is_empty() {
			return Err(format!("invalid SCALE: {} trailing bytes", input.len()));
		}
		Ok(packet)
	}

	fn encode_wire(&self) -> Result<Vec<u8>, WireError> {
		match self {
			Self::Vsc(p) => wire::encode_vsc_packet(p),
			Self::Consumer(p) => wire::encode_consumer_packet(p),
			Self::Ack(a) => Ok(a.encode_json()),
		}
	}

	fn scale_hex(&self) -> String {
		let bytes = match self {
			Self::Vsc(p) => p.encode(),
			Self::Consumer(p) => p.encode(),
			Self::Ack(a) => a.encode(),
		};
		format!("0x{}", hex::encode(bytes))
	}

	/// A few lines an operator can read.
	fn summary(&self) -> String {
		let mut out = String::new();
		match self {
			Self::Vsc(p) => {
				out += &format!(
					"VSC packet: vsc_id {}, {} validator updates, {} slash acks\n",
					p.vsc_id,
					p.validator_updates.len(),
					p.slash_acks.len()
				);
				for u in p.validator_updates.iter() {
					let addr = u.key.address();
					let bech = addr.to_bech32(DEFAULT_CONSENSUS_ADDRESS_HRP).unwrap_or_default();
					out +=
						&format!("  key 0x{} ({bech}) power {}\n", hex::encode(u.key.0), u.power);
				}
				for a in p.slash_acks.iter() {
					out += &format!("  slash ack {}\n", a.as_str().unwrap_or("<not UTF-8>"));
				}
				if let Err(e) = p.validate_basic() {
					out += &format!("  warning: fails basic checks: {e}\n");
				}
			}
			Self::Consumer(ConsumerPacket::Slash(s)) => {
				out += &format!(
					"slash packet: validator 0x{} power {} vsc_id {} infraction {:?}\n",
					hex::encode(s.validator.0),
					s.power,
					s.vsc_id,
					s.infraction
				);
				if let Err(e) = s.validate_basic() {
					out += &format!("  warning: fails basic checks: {e}\n");
				}
			}
			Self::Consumer(ConsumerPacket::VscMatured(m)) => {
				out += &format!("VSCMatured packet: vsc_id {}\n", m.vsc_id);
			}
			Self::Ack(a) => match a.ccv_result() {
				Ok(Some(r)) => out += &format!("acknowledgement: success, CCV result {r:?}\n"),
				Ok(None) => out += &format!("acknowledgement: error {a:?}\n"),
				Err(e) => out += &format!("acknowledgement: success, but {e}\n"),
			},
		}
		out += &format!("scale: {}\n", self.scale_hex());
		out
	}
}

fn parse_args(args: &[String]) -> Result<(String, Kind, Option<String>), String> {
	let mut iter = args.iter();
	let command = iter.next().ok_or("missing command")?.clone();
	let mut kind = Kind::Vsc;
	let mut positional = None;
	while let Some(arg) = iter.next() {
		match arg.as_str() {
			"--kind" => {
				kind = match iter.next().map(String::as_str) {
					Some("vsc") => Kind::Vsc,
					Some("consumer") => Kind::Consumer,
					Some("ack") => Kind::Ack,
					other => return Err(format!("unknown --kind {other:?}")),
				}
			}
			"-h" | "--help" => return Err(String::new()),
			other if positional.is_none() && !other.starts_with("--") => {
				positional = Some(other.to_string())
			}
			other => return Err(format!("unexpected argument {other:?}")),
		}
	}
	Ok((command, kind, positional))
}

fn run(args: &[String]) -> Result<(), String> {
	let (command, kind, positional) = parse_args(args)?;
	let read_stdin = || -> Result<Vec<u8>, String> {
		let mut buf = Vec::new();
		std::io::stdin().read_to_end(&mut buf).map_err(|e| format!("reading stdin: {e}"))?;
		Ok(buf)
	};
	let packet = match command.as_str() {
		"decode" => {
			if positional.is_some() {
				return Err("decode reads its input from stdin".into());
			}
			Packet::decode_wire(kind, &read_stdin()?).map_err(|e| e.to_string())?
		}
		"encode" => {
			let text = match positional {
				Some(t) => t,
				None => String::from_utf8(read_stdin()?).map_err(|_| "input is not UTF-8")?,
			};
			let text = text.trim();
			let bytes = hex::decode(text.strip_prefix("0x").unwrap_or(text))
				.map_err(|e| format!("invalid hex: {e}"))?;
			Packet::decode_scale(kind, &bytes)?
		}
		other => return Err(format!("unknown command {other:?}")),
	};
	let encoded = packet.encode_wire().map_err(|e| e.to_string())?;
	eprint!("{}", packet.summary());
	let mut stdout = std::io::stdout().lock();
	stdout.write_all(&encoded).and_then(|()| stdout.flush()).map_err(|e| format!("stdout: {e}"))
}

fn main() -> ExitCode {
	let args: Vec<String> = std::env::args().skip(1).collect();
	match run(&args) {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) if e.is_empty() => {
			eprintln!("{USAGE}");
			ExitCode::SUCCESS
		}
		Err(e) => {
			// One line, whatever the underlying error's formatting.
			let line = e.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>();
			eprintln!("ccv-wire: {}", line.join(" "));
			if args.is_empty() {
				eprintln!("{USAGE}");
			}
			ExitCode::FAILURE
		}
	}
}
