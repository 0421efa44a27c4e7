//! Bindings for the core's `quota` domain (being written).
