//! RedShip core: everything RedShip decides, in pure Rust.
//!
//! No wasm-bindgen, no web-sys: time (`now_ms`) and randomness (byte slices) are passed in by
//! the caller, so every rule here is tested natively with `cargo test`. The `redship-wasm`
//! crate is only the boundary; the extension's JavaScript only reads and acts on the page.

pub mod chinaday;
pub mod hash;
pub mod order;
pub mod quota;
pub mod selfcheck;
pub mod ship;
pub mod sort;
pub mod tagged;
pub mod text;
pub mod transit;
pub mod vault;
#[cfg(feature = "office")]
pub mod xlsx;
