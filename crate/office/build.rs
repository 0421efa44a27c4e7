//! Links the office module with a 512 KiB stack instead of the toolchain's 1 MiB.
//!
//! The worker keeps this module's linear memory for as long as it lives once a page has needed
//! it (the transit page loads it as it opens), and the stack is most of its starting memory.
//! Nothing here recurses deeply: the XML and ZIP readers loop, and serde_json stops nesting at
//! 128 levels. With the stack placed first (rustc's default for wasm), running out would trap
//! with an error, never overwrite data.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=-zstack-size=524288");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
