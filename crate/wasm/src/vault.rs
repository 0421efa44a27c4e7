//! Bindings for the core's `vault` domain (being written).
