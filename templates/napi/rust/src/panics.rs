//! rusty's panic support; keep this file and the `mod panics;` line in lib.rs.
//!
//! `#[napi(catch_unwind)]` already turns a panic into a thrown JavaScript
//! `Error`, but napi-rs gives it the code of every other Rust error
//! (`GenericFailure`). This module lets the binding rusty generates tell the
//! two apart: a panic hook notes each panic's message, and the loader asks
//! `__rustyTakePanic(message)` when a call throws; a match gets
//! `code: 'RUST_PANIC'`, as koffi and wasm packages do. Without this file a
//! panic still throws, with `code: 'GenericFailure'`.

use std::collections::VecDeque;
use std::sync::Mutex;

use napi_derive::napi;

/// Panics that JavaScript has not asked about yet, oldest first: the message
/// napi-rs puts in the Error (the payload's text), or None for a payload
/// without text (`std::panic::panic_any`). Bounded: a panic caught inside Rust
/// (never seen by JavaScript) must not grow it for ever.
static PANICS: Mutex<VecDeque<Option<String>>> = Mutex::new(VecDeque::new());
const KEPT: usize = 16;

/// What napi-rs's `catch_unwind` says for a payload without text
/// (`napi::bindgen_prelude::panic_to_error`).
const NO_TEXT_PREFIX: &str = "panic from Rust code: ";
/// What a panic in an `async fn` says when its payload is not a `&str` (napi's
/// tokio runtime keeps only `&'static str` payloads, e.g. `panic!("x {y}")`
/// or `.unwrap()` read this).
const ASYNC_NO_TEXT: &str = "Panic in async function";

/// Installed when Node loads the addon; the default hook still runs, so the
/// panic is printed to stderr as Rust prints it.
#[napi_derive::module_init]
fn note_panics() {
  let print = std::panic::take_hook();
  std::panic::set_hook(Box::new(move |info| {
    let payload = info.payload();
    let message = payload
      .downcast_ref::<&str>()
      .map(|s| s.to_string())
      .or_else(|| payload.downcast_ref::<String>().cloned());
    if let Ok(mut panics) = PANICS.lock() {
      if panics.len() == KEPT {
        panics.pop_front();
      }
      panics.push_back(message);
    }
    print(info);
  }));
}

/// True (once) when `message`, the message of an Error a call threw, comes
/// from a panic. Called by rusty's loader, not meant for your code.
#[napi(js_name = "__rustyTakePanic", skip_typescript, catch_unwind)]
pub fn take_panic(message: String) -> bool {
  let Ok(mut panics) = PANICS.lock() else {
    return false;
  };
  let found = if message == ASYNC_NO_TEXT {
    // Any panic can read this way; the oldest noted one is taken.
    (!panics.is_empty()).then_some(0)
  } else if message.starts_with(NO_TEXT_PREFIX) {
    panics.iter().position(|p| p.is_none())
  } else {
    panics.iter().position(|p| p.as_deref() == Some(message.as_str()))
  };
  match found {
    Some(i) => {
      panics.remove(i);
      true
    }
    None => false,
  }
}
