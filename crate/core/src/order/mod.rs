//! Orders as the workbench sends them: the site profile's field map and status rules, parsing
//! the `Package` JSON through them, masking every buyer field,
//! and the leak guard's final scan of anything RedShip exports.

pub mod answer;
pub mod detect;
pub mod facts;
pub mod leak;
pub mod mask;
pub mod package;
#[cfg(test)]
mod package_props;
pub mod pages;
pub mod profile;
#[cfg(test)]
mod proptests;
pub mod shape;

pub use leak::LeakError;
pub use package::{Gap, OrderError, Package};
pub use profile::{FileForm, ProfileError, ShipState, SiteProfile};
