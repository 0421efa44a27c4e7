//! Bindings for the core's `transit` domain (being written).
