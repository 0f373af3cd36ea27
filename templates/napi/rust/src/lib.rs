//! The Rust side of this package: every item marked `#[napi]` becomes a JavaScript
//! export, and `rusty develop` writes its TypeScript declaration for you.
//!
//! Every synchronous export says `#[napi(catch_unwind)]`: a panic then becomes a
//! thrown JavaScript `Error` with the panic's message instead of aborting Node
//! (`rusty develop` warns about exports without it). An `async fn` needs
//! nothing: a panic in it rejects its Promise. Either way the Error has
//! `code: 'RUST_PANIC'` (with the help of `panics.rs`).

mod panics;

use napi::bindgen_prelude::*;
use napi_derive::napi;

/// Numbers in, number out: `add(2, 3) === 5`.
#[napi(catch_unwind)]
pub fn add(a: i32, b: i32) -> i32 {
  a + b
}

/// A string in, a string out.
#[napi(catch_unwind)]
pub fn greet(name: String) -> String {
  format!("Hello, {name}! (from Rust)")
}

/// `Result::Err` becomes a thrown JavaScript `Error` with this message.
#[napi(catch_unwind)]
pub fn parse_port(text: String) -> Result<u16> {
  text.trim().parse::<u16>().map_err(|e| {
    Error::new(
      Status::InvalidArg,
      format!("not a port number: {text:?} ({e})"),
    )
  })
}

/// An `async fn` becomes a function returning a `Promise`.
#[napi]
pub async fn sum_async(values: Vec<f64>) -> f64 {
  values.iter().sum()
}

/// Typed arrays are shared with JavaScript, not copied: this scales the
/// caller's `Float64Array` in place and returns the new sum.
#[napi(catch_unwind)]
pub fn scale_in_place(mut values: Float64ArraySlice, factor: f64) -> f64 {
  // SAFETY: the call is synchronous, so no JavaScript runs (and nothing else
  // touches the array) while Rust holds this mutable view of its memory.
  let values = unsafe { values.as_mut() };
  let mut sum = 0.0;
  for v in values.iter_mut() {
    *v *= factor;
    sum += *v;
  }
  sum
}

/// A plain object that crosses the boundary by value; it becomes a
/// TypeScript `interface Point { x: number; y: number }`.
#[napi(object)]
pub struct Point {
  pub x: f64,
  pub y: f64,
}

/// An object in, an object out.
#[napi(catch_unwind)]
pub fn midpoint(a: Point, b: Point) -> Point {
  Point {
    x: (a.x + b.x) / 2.0,
    y: (a.y + b.y) / 2.0,
  }
}

/// A Rust struct exposed as a JavaScript class.
#[napi]
pub struct Counter {
  value: i64,
  step: i64,
}

#[napi]
impl Counter {
  /// `new Counter(start)`
  #[napi(constructor, catch_unwind)]
  pub fn new(start: Option<i64>) -> Self {
    Counter {
      value: start.unwrap_or(0),
      step: 1,
    }
  }

  /// `counter.value` (read-only property).
  #[napi(getter, catch_unwind)]
  pub fn value(&self) -> i64 {
    self.value
  }

  /// `counter.step` (read).
  #[napi(getter, catch_unwind)]
  pub fn get_step(&self) -> i64 {
    self.step
  }

  /// `counter.step = n` (write); a step of 0 is refused with an error.
  #[napi(setter, catch_unwind)]
  pub fn set_step(&mut self, step: i64) -> Result<()> {
    if step == 0 {
      return Err(Error::new(Status::InvalidArg, "step must not be 0"));
    }
    self.step = step;
    Ok(())
  }

  /// `counter.increment()` adds `step` and returns the new value.
  #[napi(catch_unwind)]
  pub fn increment(&mut self) -> i64 {
    self.value += self.step;
    self.value
  }

  /// `String(counter)`, template literals and `console.log(counter)` use
  /// this: the `Display` text, as PyO3's `__str__`.
  #[napi(js_name = "toString", catch_unwind)]
  pub fn to_js_string(&self) -> String {
    self.to_string()
  }
}

impl std::fmt::Display for Counter {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    write!(f, "Counter({})", self.value)
  }
}

/// A panic (here a division by zero) becomes a thrown `Error` with the panic's
/// message, and Node keeps running, thanks to `catch_unwind`.
#[napi(catch_unwind)]
pub fn divide(a: i32, b: i32) -> i32 {
  a / b
}
