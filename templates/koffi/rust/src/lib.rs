//! The Rust side of this package, as a plain C ABI. Every `#[no_mangle] pub
//! extern "C"` item lands in the C header cbindgen writes (see build.rs), and
//! `rusty develop` turns that header into typed koffi bindings (native/).
//!
//! Conventions the generated bindings understand:
//! - `const char *` parameters are JavaScript strings (UTF-8, checked here).
//! - A returned `char *` is a string Rust allocated: the bindings copy it and
//!   give it back to `rusty_string_free` exactly once. NULL means "failed",
//!   with the reason in `rusty_last_error`.
//! - A returned `RustyStatus` other than `RUSTY_STATUS_OK` becomes a thrown
//!   `Error` carrying `rusty_last_error()`; a last parameter `T *out` becomes
//!   the function's return value.
//! - A pointer followed by an integer length (`xs: *mut f64, xs_len: usize`)
//!   is one typed-array parameter, shared, not copied, never NULL.
//! - Integers out of range for their C type throw a RangeError in JavaScript.
//! - Functions that cannot fail also get an `…Async` variant (a Promise).
//! - An opaque `Thing *` made by `thing_new` and released by `thing_free`
//!   becomes a class `Thing`; `thing_<name>(Thing *self, ...)` its methods,
//!   `thing_get_<p>` / `thing_set_<p>` a property.
//! - Panics never cross the boundary: `guard` catches them and reports
//!   `RUSTY_STATUS_PANIC`.
//!
//! The full list of shapes, and why `rusty_last_error` and `rusty_string_free`
//! must stay, is in rusty's README ("The koffi backend's conventions").

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------
// Errors: a status code plus a thread-local message.

/// The outcome of a fallible call.
#[repr(C)]
#[derive(Debug, PartialEq, Eq)]
pub enum RustyStatus {
  /// It worked; any `out` parameter holds the result.
  Ok = 0,
  /// It failed; `rusty_last_error()` says why.
  Error = 1,
  /// Rust panicked; the panic was caught, `rusty_last_error()` holds its message.
  Panic = 2,
}

thread_local! {
  static LAST_ERROR: RefCell<Option<CString>> = const { RefCell::new(None) };
}

fn set_last_error(message: impl Into<String>) {
  let text = message.into().replace('\0', "\\0");
  LAST_ERROR.with(|slot| *slot.borrow_mut() = CString::new(text).ok());
}

/// The message of the last failed call on this thread, or NULL. The string
/// belongs to Rust and stays valid until the next failed call: copy it, never free it.
#[no_mangle]
pub extern "C" fn rusty_last_error() -> *const c_char {
  LAST_ERROR.with(|slot| slot.borrow().as_ref().map_or(std::ptr::null(), |s| s.as_ptr()))
}

/// Runs `f`, turning `Err` and panics into a status plus a last-error message.
fn guard<T>(out: *mut T, f: impl FnOnce() -> Result<T, String>) -> RustyStatus {
  match catch_unwind(AssertUnwindSafe(f)) {
    Ok(Ok(value)) => {
      if !out.is_null() {
        // SAFETY: the caller passes a valid, aligned pointer to writable memory for T.
        unsafe { out.write(value) };
      }
      RustyStatus::Ok
    }
    Ok(Err(message)) => {
      set_last_error(message);
      RustyStatus::Error
    }
    Err(panic) => {
      let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
      set_last_error(format!("Rust panicked: {message}"));
      RustyStatus::Panic
    }
  }
}

/// Borrows a C string as `&str`, refusing NULL and invalid UTF-8.
fn read_str<'a>(text: *const c_char) -> Result<&'a str, String> {
  if text.is_null() {
    return Err("expected a string, got NULL".into());
  }
  // SAFETY: non-NULL and, by the ABI contract, NUL-terminated and alive for the call.
  unsafe { CStr::from_ptr(text) }
    .to_str()
    .map_err(|e| format!("string is not valid UTF-8: {e}"))
}

/// Hands a Rust string to the caller; NULL (with the last error set) on failure.
fn return_string(result: Result<String, String>) -> *mut c_char {
  let mut text = std::ptr::null_mut();
  let status = guard(&mut text, || {
    let s = result?;
    CString::new(s).map(CString::into_raw).map_err(|e| e.to_string())
  });
  if status == RustyStatus::Ok { text } else { std::ptr::null_mut() }
}

/// Frees a string returned by this library. NULL is ignored. The generated
/// bindings call this for you; never free these strings with `free()`.
#[no_mangle]
pub extern "C" fn rusty_string_free(text: *mut c_char) {
  if !text.is_null() {
    // SAFETY: `text` came from CString::into_raw in this library and is freed once.
    drop(unsafe { CString::from_raw(text) });
  }
}

// ---------------------------------------------------------------------------
// Numbers.

/// Adds two 32-bit integers (wrapping on overflow).
#[no_mangle]
pub extern "C" fn add(a: i32, b: i32) -> i32 {
  a.wrapping_add(b)
}

/// The n-th Fibonacci number as a u64 (wrapping past u64::MAX).
#[no_mangle]
pub extern "C" fn fibonacci(n: u32) -> u64 {
  let (mut a, mut b) = (0u64, 1u64);
  for _ in 0..n {
    (a, b) = (b, a.wrapping_add(b));
  }
  a
}

/// Whether `n` is even.
#[no_mangle]
pub extern "C" fn is_even(n: i64) -> bool {
  n % 2 == 0
}

/// The hypotenuse of a right triangle with legs `a` and `b`.
#[no_mangle]
pub extern "C" fn hypotenuse(a: f64, b: f64) -> f64 {
  a.hypot(b)
}

// ---------------------------------------------------------------------------
// Strings.

/// Counts the Unicode characters of `text` into `out`; fails on invalid UTF-8.
#[no_mangle]
pub extern "C" fn count_chars(text: *const c_char, out: *mut u64) -> RustyStatus {
  guard(out, || Ok(read_str(text)?.chars().count() as u64))
}

/// A greeting for `name`, allocated by Rust (freed by the bindings).
#[no_mangle]
pub extern "C" fn greet(name: *const c_char) -> *mut c_char {
  return_string(read_str(name).map(|name| format!("Hello, {name}! (from Rust)")))
}

// ---------------------------------------------------------------------------
// A buffer shared with JavaScript: pointer + length, changed in place.

/// Multiplies every element of `values` by `factor` in place; returns the new sum.
///
/// # Safety
/// `values` must point to `values_len` valid f64 values (or be NULL with length 0).
#[no_mangle]
pub unsafe extern "C" fn scale_in_place(values: *mut f64, values_len: usize, factor: f64) -> f64 {
  if values.is_null() || values_len == 0 {
    return 0.0;
  }
  // SAFETY: guaranteed by the caller (see above); JavaScript is blocked during the call.
  let values = unsafe { std::slice::from_raw_parts_mut(values, values_len) };
  values.iter_mut().map(|v| {
    *v *= factor;
    *v
  }).sum()
}

// ---------------------------------------------------------------------------
// A `#[repr(C)]` struct by value.

/// A point in the plane; the same layout in C, Rust and the koffi bindings.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Point {
  pub x: f64,
  pub y: f64,
}

/// The point halfway between `a` and `b`.
#[no_mangle]
pub extern "C" fn midpoint(a: Point, b: Point) -> Point {
  Point { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 }
}

// ---------------------------------------------------------------------------
// JSON across the boundary: richer data as text.

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

/// Prices an order given as JSON (`{"items":[{"name","unit_price","quantity"}],
/// "discount_percent"}`) and returns the invoice as JSON; NULL with the last
/// error set when the JSON does not match.
#[no_mangle]
pub extern "C" fn price_order_json(order_json: *const c_char) -> *mut c_char {
  return_string(read_str(order_json).and_then(|json| {
    let order: Order = serde_json::from_str(json).map_err(|e| format!("invalid order: {e}"))?;
    if !(0.0..=100.0).contains(&order.discount_percent) {
      return Err(format!("discount_percent must be within 0..=100, got {}", order.discount_percent));
    }
    let lines = order
      .items
      .iter()
      .map(|item| format!("{} x{} = {:.2}", item.name, item.quantity, item.unit_price * item.quantity as f64))
      .collect();
    let subtotal: f64 = order.items.iter().map(|item| item.unit_price * item.quantity as f64).sum();
    let total = subtotal * (1.0 - order.discount_percent / 100.0);
    serde_json::to_string(&Invoice { lines, subtotal, total }).map_err(|e| e.to_string())
  }))
}

// ---------------------------------------------------------------------------
// A Rust object behind an opaque pointer: `counter_new` / `counter_free`.

/// A counter that lives in Rust; JavaScript holds only a pointer to it.
pub struct Counter {
  value: i64,
  step: i64,
}

/// Creates a counter starting at `start` with step 1. Free it with `counter_free`.
#[no_mangle]
pub extern "C" fn counter_new(start: i64) -> *mut Counter {
  Box::into_raw(Box::new(Counter { value: start, step: 1 }))
}

/// Frees a counter made by `counter_new`. NULL is ignored.
///
/// # Safety
/// `counter` must come from `counter_new` and not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn counter_free(counter: *mut Counter) {
  if !counter.is_null() {
    // SAFETY: see above; the bindings call this exactly once.
    drop(unsafe { Box::from_raw(counter) });
  }
}

/// Adds the step to the counter and returns the new value.
///
/// # Safety
/// `counter` must be a live pointer from `counter_new`.
#[no_mangle]
pub unsafe extern "C" fn counter_increment(counter: *mut Counter) -> i64 {
  // SAFETY: see above.
  let counter = unsafe { &mut *counter };
  counter.value += counter.step;
  counter.value
}

/// The counter's current value.
///
/// # Safety
/// `counter` must be a live pointer from `counter_new`.
#[no_mangle]
pub unsafe extern "C" fn counter_get_value(counter: *const Counter) -> i64 {
  // SAFETY: see above.
  unsafe { (*counter).value }
}

/// The counter's step.
///
/// # Safety
/// `counter` must be a live pointer from `counter_new`.
#[no_mangle]
pub unsafe extern "C" fn counter_get_step(counter: *const Counter) -> i64 {
  // SAFETY: see above.
  unsafe { (*counter).step }
}

/// Sets the counter's step; a step of 0 is refused.
///
/// # Safety
/// `counter` must be a live pointer from `counter_new`.
#[no_mangle]
pub unsafe extern "C" fn counter_set_step(counter: *mut Counter, step: i64) -> RustyStatus {
  guard(std::ptr::null_mut::<()>(), || {
    if step == 0 {
      return Err("step must not be 0".to_string());
    }
    // SAFETY: see above.
    unsafe { (*counter).step = step };
    Ok(())
  })
}

// ---------------------------------------------------------------------------
// Errors and panics.

/// Divides `a` by `b` into `out`; dividing by zero is an error.
#[no_mangle]
pub extern "C" fn checked_divide(a: i64, b: i64, out: *mut i64) -> RustyStatus {
  guard(out, || a.checked_div(b).ok_or_else(|| format!("cannot divide {a} by {b}")))
}

/// Panics on purpose (with `message`): the panic is caught and reported as an error.
#[no_mangle]
pub extern "C" fn explode(message: *const c_char) -> RustyStatus {
  guard(std::ptr::null_mut::<()>(), || {
    let message = read_str(message)?;
    panic!("{message}");
  })
}
