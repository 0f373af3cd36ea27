//! The Rust side of this package, compiled to WebAssembly. Every item marked
//! `#[wasm_bindgen]` becomes a JavaScript export; `rusty develop` runs the
//! wasm-bindgen CLI that writes the glue and its TypeScript declarations.

//!
//! Names: export functions and methods in camelCase (`js_name = sumAsync`), as
//! JavaScript does; `rusty develop` warns about snake_case exports.
//! `println!` prints nothing here: use `log!` (see js.rs). A panic becomes a
//! thrown `Error` with `code: 'RUST_PANIC'` (or a rejected Promise).

#[macro_use]
mod js;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// Numbers in, number out.
#[wasm_bindgen]
pub fn add(a: i32, b: i32) -> i32 {
  a.wrapping_add(b)
}

/// A string in, a string out.
#[wasm_bindgen]
pub fn greet(name: &str) -> String {
  format!("Hello, {name}! (from Rust)")
}

/// `log!` prints like `println!` (which prints nothing in WebAssembly).
#[wasm_bindgen(js_name = logGreeting)]
pub fn log_greeting(name: &str) {
  log!("{}", greet(name));
}

/// A panic (here a division by zero) becomes a thrown `Error` with the
/// panic's message and `code: 'RUST_PANIC'`.
#[wasm_bindgen]
pub fn divide(a: i32, b: i32) -> i32 {
  a / b
}

/// `Err` becomes a thrown JavaScript `Error` with this message.
#[wasm_bindgen(js_name = parsePort)]
pub fn parse_port(text: &str) -> Result<u16, JsError> {
  text
    .trim()
    .parse::<u16>()
    .map_err(|e| JsError::new(&format!("not a port number: {text:?} ({e})")))
}

/// A `Float64Array` is copied in, changed, and copied back: the caller sees
/// the new values. Returns their new sum.
#[wasm_bindgen(js_name = scaleInPlace)]
pub fn scale_in_place(values: &mut [f64], factor: f64) -> f64 {
  values.iter_mut().map(|v| {
    *v *= factor;
    *v
  }).sum()
}

/// An `async fn` becomes a function returning a `Promise`.
#[wasm_bindgen(js_name = sumAsync)]
pub async fn sum_async(values: Vec<f64>) -> f64 {
  values.iter().sum()
}

#[wasm_bindgen(typescript_custom_section)]
const ORDER_TYPES: &str = r#"
/** An order to price; crosses to Rust as a plain object (serde). */
export interface Order {
  items: { name: string; unit_price: number; quantity: number }[];
  /** 0 to 100. */
  discount_percent?: number;
}
/** What Rust sends back for an {@link Order}. */
export interface Invoice {
  lines: string[];
  subtotal: number;
  total: number;
}
"#;

#[derive(Deserialize)]
struct Order {
  items: Vec<LineItem>,
  #[serde(default)]
  discount_percent: f64,
}

#[derive(Deserialize)]
struct LineItem {
  name: String,
  unit_price: f64,
  quantity: u32,
}

#[derive(Serialize)]
struct Invoice {
  lines: Vec<String>,
  subtotal: f64,
  total: f64,
}

/// An object round trip through serde: a JS object in, a JS object out.
#[wasm_bindgen(js_name = priceOrder, unchecked_return_type = "Invoice")]
pub fn price_order(#[wasm_bindgen(unchecked_param_type = "Order")] order: JsValue) -> Result<JsValue, JsError> {
  let order: Order = serde_wasm_bindgen::from_value(order).map_err(|e| JsError::new(&format!("invalid order: {e}")))?;
  if !(0.0..=100.0).contains(&order.discount_percent) {
    return Err(JsError::new(&format!("discount_percent must be within 0..=100, got {}", order.discount_percent)));
  }
  let lines = order
    .items
    .iter()
    .map(|item| format!("{} x{} = {:.2}", item.name, item.quantity, item.unit_price * item.quantity as f64))
    .collect();
  let subtotal: f64 = order.items.iter().map(|item| item.unit_price * item.quantity as f64).sum();
  let total = subtotal * (1.0 - order.discount_percent / 100.0);
  serde_wasm_bindgen::to_value(&Invoice { lines, subtotal, total }).map_err(|e| JsError::new(&e.to_string()))
}

/// A Rust struct exposed as a JavaScript class.
#[wasm_bindgen]
pub struct Counter {
  value: i32,
  step: i32,
}

#[wasm_bindgen]
impl Counter {
  /// `new Counter(start)`
  #[wasm_bindgen(constructor)]
  pub fn new(start: i32) -> Counter {
    Counter { value: start, step: 1 }
  }

  /// `counter.value` (read-only).
  #[wasm_bindgen(getter)]
  pub fn value(&self) -> i32 {
    self.value
  }

  /// `counter.step` (read).
  #[wasm_bindgen(getter)]
  pub fn step(&self) -> i32 {
    self.step
  }

  /// `counter.step = n` (write).
  #[wasm_bindgen(setter)]
  pub fn set_step(&mut self, step: i32) {
    self.step = step;
  }

  /// Adds the step and returns the new value.
  pub fn increment(&mut self) -> i32 {
    self.value += self.step;
    self.value
  }

  /// `String(counter)` and `console.log(counter)` use this: the `Display`
  /// text, as PyO3's `__str__`.
  #[wasm_bindgen(js_name = toString)]
  pub fn to_js_string(&self) -> String {
    self.to_string()
  }
}

impl std::fmt::Display for Counter {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    write!(f, "Counter({})", self.value)
  }
}
