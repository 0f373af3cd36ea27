/**
 * The package's public API. The Rust crate's C functions (rust/src/lib.rs)
 * come from the bindings `rusty develop` generates in native/ from the
 * crate's C header; this file adds TypeScript on top, such as typed JSON calls.
 */
import { priceOrderJson } from '../native/index.js'

export * from '../native/index.js'

/** An order to price; crosses to Rust as JSON (a serde struct there). */
export interface Order {
  items: { name: string; unit_price: number; quantity: number }[]
  /** 0 to 100. */
  discount_percent?: number
}

/** What Rust sends back for an {@link Order}. */
export interface Invoice {
  lines: string[]
  subtotal: number
  total: number
}

/**
 * Prices an order in Rust: the object is serialised to JSON, parsed by serde
 * into a Rust struct, and the Rust result comes back as JSON.
 *
 * @throws Error with Rust's message when the order is invalid
 */
export function priceOrder(order: Order): Invoice {
  return JSON.parse(priceOrderJson(JSON.stringify(order))) as Invoice
}
