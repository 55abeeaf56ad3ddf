//! The Rust examples in the workspace's `README.md` and `docs/*.md`, compiled
//! (and, unless marked `no_run`, run) by `cargo test` as doctests, so that the
//! docs cannot drift from the code. Every page is found by `build.rs`; code
//! blocks without a language are Rust to rustdoc, so docs label every other
//! block (`text`, `sh`, `yaml`, ...).
//!
//! The examples can use only what the docs tell a user to depend on:
//! `wsc-core` (which re-exports `http` and `bytes`), `wsc-ureq`, `wsc-hyper`,
//! and, where an example says so, tokio, reqwest and `wsc-mock`.

#[cfg(doctest)]
mod pages {
    include!(concat!(env!("OUT_DIR"), "/pages.rs"));
}
