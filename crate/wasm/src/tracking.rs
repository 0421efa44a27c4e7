//! Bindings for the core's `tracking` domain (being written).
