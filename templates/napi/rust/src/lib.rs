//! The Rust side of this package: every item marked `#[napi]` becomes a JavaScript
//! export, and `rusty develop` writes its TypeScript declaration for you.

use napi::bindgen_prelude::*;
use napi_derive::napi;

/// Numbers in, number out: `add(2, 3) === 5`.
#[napi]
pub fn add(a: i32, b: i32) -> i32 {
  a + b
}

/// A string in, a string out.
#[napi]
pub fn greet(name: String) -> String {
  format!("Hello, {name}! (from Rust)")
}

/// `Result::Err` becomes a thrown JavaScript `Error` with this message.
#[napi]
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
#[napi]
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
#[napi]
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
  #[napi(constructor)]
  pub fn new(start: Option<i64>) -> Self {
    Counter {
      value: start.unwrap_or(0),
      step: 1,
    }
  }

  /// `counter.value` (read-only property).
  #[napi(getter)]
  pub fn value(&self) -> i64 {
    self.value
  }

  /// `counter.step` (read).
  #[napi(getter)]
  pub fn get_step(&self) -> i64 {
    self.step
  }

  /// `counter.step = n` (write); a step of 0 is refused with an error.
  #[napi(setter)]
  pub fn set_step(&mut self, step: i64) -> Result<()> {
    if step == 0 {
      return Err(Error::new(Status::InvalidArg, "step must not be 0"));
    }
    self.step = step;
    Ok(())
  }

  /// `counter.increment()` adds `step` and returns the new value.
  #[napi]
  pub fn increment(&mut self) -> i64 {
    self.value += self.step;
    self.value
  }

  /// `String(counter)` and template literals use this.
  #[napi(js_name = "toString")]
  pub fn to_js_string(&self) -> String {
    format!("Counter({})", self.value)
  }
}
