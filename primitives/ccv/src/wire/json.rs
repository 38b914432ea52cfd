//! A strict proto3-JSON reader and a Go-compatible writer.
//!
//! Reading keeps objects as ordered key lists so that duplicate keys are detected (a generic JSON
//! map would silently keep the last one). Writing reproduces what Go's `jsonpb` with
//! `OrigName` and `EmitDefaults` emits: fields in proto order, 64-bit integers as strings, bytes
//! as standard base64, strings escaped as Go's `encoding/json` escapes them.

use super::{WireError, WireErrorKind};
use alloc::{format, string::String, vec::Vec};
use base64::Engine;
use core::fmt;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A parsed JSON value; objects keep every key in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
	/// `null`
	Null,
	/// `true` / `false`
	Bool(bool),
	/// A number, kept as serde_json parsed it.
	Number(serde_json::Number),
	/// A string.
	String(String),
	/// An array.
	Array(Vec<Json>),
	/// An object, keys in document order (duplicates kept, rejected by [`Obj::new`]).
	Object(Vec<(String, Json)>),
}

impl Json {
	/// Parses one JSON document; trailing bytes other than whitespace are an error.
	pub fn parse(bytes: &[u8]) -> Result<Json, WireError> {
		serde_json::from_slice(bytes)
			.map_err(|e| WireError::root(WireErrorKind::Syntax(format!("{e}"))))
	}

	fn type_name(&self) -> &'static str {
		match self {
			Json::Null => "null",
			Json::Bool(_) => "boolean",
			Json::Number(_) => "number",
			Json::String(_) => "string",
			Json::Array(_) => "array",
			Json::Object(_) => "object",
		}
	}
}

impl<'de> Deserialize<'de> for Json {
	fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
		d.deserialize_any(JsonVisitor)
	}
}

struct JsonVisitor;

/// The key serde_json uses to pass a number's text through `deserialize_any` when its
/// `arbitrary_precision` feature is on.
const ARBITRARY_PRECISION_TOKEN: &str = "$serde_json::private::Number";

impl<'de> Visitor<'de> for JsonVisitor {
	type Value = Json;

	fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
		f.write_str("a JSON value")
	}
	fn visit_unit<E>(self) -> Result<Json, E> {
		Ok(Json::Null)
	}
	fn visit_none<E>(self) -> Result<Json, E> {
		Ok(Json::Null)
	}
	fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
		Ok(Json::Bool(v))
	}
	fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
		Ok(Json::Number(v.into()))
	}
	fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
		Ok(Json::Number(v.into()))
	}
	fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
		serde_json::Number::from_f64(v)
			.map(Json::Number)
			.ok_or_else(|| E::custom("non-finite number"))
	}
	fn visit_str<E>(self, v: &str) -> Result<Json, E> {
		Ok(Json::String(v.into()))
	}
	fn visit_string<E>(self, v: String) -> Result<Json, E> {
		Ok(Json::String(v))
	}
	fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
		let mut out = Vec::new();
		while let Some(v) = seq.next_element()? {
			out.push(v);
		}
		Ok(Json::Array(out))
	}
	fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
		let mut out = Vec::new();
		while let Some(k) = map.next_key::<String>()? {
			// With serde_json's `arbitrary_precision` feature (which other crates in a runtime's
			// dependency graph switch on, e.g. sp-genesis-builder), numbers reach a visitor as a
			// one-entry map holding the literal text.
			if out.is_empty() && k == ARBITRARY_PRECISION_TOKEN {
				let text: String = map.next_value()?;
				let n = text.parse::<serde_json::Number>().map_err(de::Error::custom)?;
				return Ok(Json::Number(n));
			}
			let v = map.next_value::<Json>()?;
			out.push((k, v));
		}
		Ok(Json::Object(out))
	}
}

/// `parent.child`, or `child` at the root.
pub fn field_path(parent: &str, child: &str) -> String {
	if parent.is_empty() {
		child.into()
	} else {
		format!("{parent}.{child}")
	}
}

/// `parent[i]`.
pub fn index_path(parent: &str, i: usize) -> String {
	format!("{parent}[{i}]")
}

fn expected(path: &str, what: &'static str, got: &Json) -> WireError {
	WireError::at(path, WireErrorKind::ExpectedType { expected: what, found: got.type_name() })
}

/// A JSON object checked against a message's field list.
pub struct Obj<'a> {
	path: &'a str,
	fields: &'a [(String, Json)],
}

impl<'a> Obj<'a> {
	/// Checks that `value` is an object whose every key is one of `known` (each entry lists the
	/// accepted spellings of one field: proto name, then JSON camelCase name) and that no field
	/// appears twice under any spelling.
	pub fn new(value: &'a Json, path: &'a str, known: &[&[&str]]) -> Result<Self, WireError> {
		let Json::Object(fields) = value else { return Err(expected(path, "object", value)) };
		let mut seen: Vec<usize> = Vec::with_capacity(fields.len());
		for (key, _) in fields {
			let idx =
				known.iter().position(|names| names.contains(&key.as_str())).ok_or_else(|| {
					WireError::at(&field_path(path, key), WireErrorKind::UnknownField)
				})?;
			if seen.contains(&idx) {
				return Err(WireError::at(&field_path(path, key), WireErrorKind::DuplicateField));
			}
			seen.push(idx);
		}
		Ok(Self { path, fields })
	}

	/// The value of the field spelled any of `names`, with its path; `null` counts as absent.
	pub fn get(&self, names: &[&str]) -> Option<(&'a Json, String)> {
		self.fields
			.iter()
			.find(|(k, v)| names.contains(&k.as_str()) && *v != Json::Null)
			.map(|(k, v)| (v, field_path(self.path, k)))
	}

	/// Like [`Obj::get`] but a missing field is an error naming `names[0]`.
	pub fn require(&self, names: &[&str]) -> Result<(&'a Json, String), WireError> {
		let first = names.first().copied().unwrap_or_default();
		self.get(names).ok_or_else(|| {
			WireError::at(&field_path(self.path, first), WireErrorKind::MissingField)
		})
	}
}

/// The elements of an array field; `None` (absent) is an empty list.
pub fn array<'a>(value: Option<&'a Json>, path: &str) -> Result<&'a [Json], WireError> {
	match value {
		None => Ok(&[]),
		Some(Json::Array(items)) => Ok(items),
		Some(other) => Err(expected(path, "array", other)),
	}
}

/// A string value.
pub fn string<'a>(value: &'a Json, path: &str) -> Result<&'a str, WireError> {
	match value {
		Json::String(s) => Ok(s),
		other => Err(expected(path, "string", other)),
	}
}

/// Digits of a JSON integer literal (`-?(0|[1-9][0-9]*)`), as Go's decoder accepts inside a
/// quoted 64-bit integer.
fn integer_literal(s: &str) -> bool {
	let digits = s.strip_prefix('-').unwrap_or(s);
	!digits.is_empty()
		&& digits.bytes().all(|b| b.is_ascii_digit())
		&& (digits == "0" || !digits.starts_with('0'))
}

/// The text of an integer given as a quoted string or a bare number.
fn integer_text(value: &Json, path: &str) -> Result<String, WireError> {
	let text = match value {
		Json::String(s) => s.clone(),
		Json::Number(n) if n.is_f64() => {
			// serde_json parses integers beyond 64 bits as floats.
			let huge = n.as_f64().is_some_and(|f| !(-9.3e18..=1.85e19).contains(&f));
			let kind =
				if huge { WireErrorKind::IntegerOverflow } else { WireErrorKind::InvalidInteger };
			return Err(WireError::at(path, kind));
		}
		Json::Number(n) => format!("{n}"),
		other => return Err(expected(path, "integer", other)),
	};
	if integer_literal(&text) {
		Ok(text)
	} else {
		Err(WireError::at(path, WireErrorKind::InvalidInteger))
	}
}

/// A proto3 `uint64` (absent = 0).
pub fn uint64(value: Option<&Json>, path: &str) -> Result<u64, WireError> {
	let Some(value) = value else { return Ok(0) };
	let text = integer_text(value, path)?;
	if text.starts_with('-') {
		return Err(WireError::at(path, WireErrorKind::InvalidInteger));
	}
	text.parse::<u64>().map_err(|_| WireError::at(path, WireErrorKind::IntegerOverflow))
}

/// A proto3 `int64` (absent = 0).
pub fn int64(value: Option<&Json>, path: &str) -> Result<i64, WireError> {
	let Some(value) = value else { return Ok(0) };
	let text = integer_text(value, path)?;
	text.parse::<i64>().map_err(|_| WireError::at(path, WireErrorKind::IntegerOverflow))
}

/// A proto3 `bytes` field: standard base64 with padding (absent = empty).
pub fn bytes(value: Option<&Json>, path: &str) -> Result<Vec<u8>, WireError> {
	let Some(value) = value else { return Ok(Vec::new()) };
	let text = string(value, path)?;
	base64::engine::general_purpose::STANDARD
		.decode(text)
		.map_err(|_| WireError::at(path, WireErrorKind::InvalidBase64))
}

/// A proto3 enum given by name or number, mapped through `variants` (name, number, value).
pub fn enumeration<T: Copy>(
	value: Option<&Json>,
	path: &str,
	variants: &[(&str, i64, T)],
) -> Result<T, WireError> {
	let found = match value {
		None => variants.iter().find(|(_, n, _)| *n == 0).map(|(_, _, v)| *v),
		Some(Json::String(s)) => variants.iter().find(|(name, _, _)| name == s).map(|(_, _, v)| *v),
		Some(Json::Number(n)) => {
			n.as_i64().and_then(|n| variants.iter().find(|(_, x, _)| *x == n)).map(|(_, _, v)| *v)
		}
		Some(other) => return Err(expected(path, "enum name", other)),
	};
	found.ok_or_else(|| {
		let shown = match value {
			Some(Json::String(s)) => s.clone(),
			Some(Json::Number(n)) => format!("{n}"),
			_ => "0 (unspecified)".into(),
		};
		WireError::at(path, WireErrorKind::UnknownEnum(shown))
	})
}

/// Builds JSON text the way Go's `jsonpb` writes it.
#[derive(Default)]
pub struct Writer(Vec<u8>);

impl Writer {
	/// Appends raw JSON punctuation or a key literal.
	pub fn raw(&mut self, s: &str) -> &mut Self {
		self.0.extend_from_slice(s.as_bytes());
		self
	}

	/// Appends a 64-bit integer as a quoted decimal string.
	pub fn quoted_int(&mut self, n: impl fmt::Display) -> &mut Self {
		let s = format!("\"{n}\"");
		self.raw(&s)
	}

	/// Appends bytes as a quoted standard-base64 string.
	pub fn base64(&mut self, bytes: &[u8]) -> &mut Self {
		let s = base64::engine::general_purpose::STANDARD.encode(bytes);
		self.raw("\"").raw(&s).raw("\"")
	}

	/// Appends a quoted string escaped as Go's `encoding/json` does: `<`, `>`, `&`, U+2028 and
	/// U+2029 as `\u` escapes, `\b \f \n \r \t` short forms, other control bytes as `\u00xx`.
	pub fn string(&mut self, s: &str) -> &mut Self {
		self.0.push(b'"');
		for c in s.chars() {
			match c {
				'"' => self.raw("\\\""),
				'\\' => self.raw("\\\\"),
				'\n' => self.raw("\\n"),
				'\r' => self.raw("\\r"),
				'\t' => self.raw("\\t"),
				'\u{8}' => self.raw("\\b"),
				'\u{c}' => self.raw("\\f"),
				'<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
					let esc = format!("\\u{:04x}", c as u32);
					self.raw(&esc)
				}
				c if (c as u32) < 0x20 => {
					let esc = format!("\\u{:04x}", c as u32);
					self.raw(&esc)
				}
				c => {
					let mut buf = [0u8; 4];
					self.raw(c.encode_utf8(&mut buf))
				}
			};
		}
		self.0.push(b'"');
		self
	}

	/// The finished JSON bytes.
	pub fn finish(self) -> Vec<u8> {
		self.0
	}
}
