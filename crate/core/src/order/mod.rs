//! Orders as the workbench sends them: parsing the `Package` JSON, masking every buyer field,
//! and the leak guard's final scan of anything RedShip exports.

pub mod answer;
pub mod detect;
pub mod leak;
pub mod mask;
pub mod package;
#[cfg(test)]
mod proptests;

pub use leak::LeakError;
pub use package::{OrderError, Package, PackageStatus};
