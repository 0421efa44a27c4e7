//! The wasm-bindgen boundary of RedShip.
//!
//! Only conversions live here: JS values in (through serde-wasm-bindgen, see `redship-bind`), core calls, views out, and
//! core errors turned into JS `Error`s with a stable `name`. No rule of the business is decided
//! in this crate; see `redship-core`. One file per domain, mirroring the core's modules.

mod boundary;
mod clock;
mod order;
mod quota;
mod selfcheck;
mod ship;
mod transit_live;
mod transit_open;
mod vault;

pub use boundary::{init, version};
pub use clock::china_day;
// Each domain's bindings, flat, as JS sees them (and as the wasm tests call them).
pub use order::*;
pub use quota::*;
pub use selfcheck::*;
pub use ship::*;
pub use transit_live::*;
pub use transit_open::*;
pub use vault::*;
