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

/// Messages of panics that JavaScript has not asked about yet, oldest first.
/// Bounded: a panic caught inside Rust (never seen by JavaScript) must not
/// grow it for ever.
static PANICS: Mutex<VecDeque<String>> = Mutex::new(VecDeque::new());
const KEPT: usize = 16;

/// Installed when Node loads the addon; the default hook still runs, so the
/// panic is printed to stderr as Rust prints it.
#[napi_derive::module_init]
fn note_panics() {
  let print = std::panic::take_hook();
  std::panic::set_hook(Box::new(move |info| {
    let payload = info.payload();
    // The same text napi-rs puts in the Error's message (a &str or String
    // payload); other payloads have no text, and "" matches any message.
    let message = payload
      .downcast_ref::<&str>()
      .map(|s| s.to_string())
      .or_else(|| payload.downcast_ref::<String>().cloned())
      .unwrap_or_default();
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
  match panics.iter().position(|p| message.contains(p.as_str())) {
    Some(i) => {
      panics.remove(i);
      true
    }
    None => false,
  }
}
