//! Printing and panics in WebAssembly.
//!
//! `wasm32-unknown-unknown` has no stdout or stderr: `println!` and
//! `eprintln!` print nothing. Print with `log!` (the `println!` syntax, sent to
//! `console.log`) instead.
//!
//! A panic aborts the module (this target has no unwinding). The hook below
//! prints the panic with `console.error` and hands its message to rusty's
//! entry (`native/panics.js`), which throws it as an `Error` with
//! `code: 'RUST_PANIC'` (a sync call) or rejects the Promise (an `async fn`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
  /// `console.log(text)`; `log!` formats for you.
  #[wasm_bindgen(js_namespace = console)]
  pub fn log(text: &str);

  #[wasm_bindgen(js_namespace = console, js_name = error)]
  fn console_error(text: &str);
}

/// `log!("x = {x}")`: `println!` for WebAssembly, printed with `console.log`
/// (Node's stdout, a browser's console).
#[macro_export]
macro_rules! log {
  ($($arg:tt)*) => {
    $crate::js::log(&format!($($arg)*))
  };
}

/// Runs once, when the module is instantiated (`#[wasm_bindgen(start)]`;
/// wasm-bindgen also exports it, and calling it again changes nothing).
#[wasm_bindgen(start, js_name = installPanicHook)]
pub fn install_panic_hook() {
  std::panic::set_hook(Box::new(|info| {
    console_error(&info.to_string());
    let message = info
      .payload()
      .downcast_ref::<&str>()
      .map(|s| s.to_string())
      .or_else(|| info.payload().downcast_ref::<String>().cloned())
      .unwrap_or_else(|| info.to_string());
    // Read (and cleared) by native/panics.js when the trap reaches JavaScript.
    let key = js_sys::Symbol::for_("rusty.panic");
    let _ = js_sys::Reflect::set(&js_sys::global(), &key.into(), &JsValue::from_str(&message));
  }));
}
