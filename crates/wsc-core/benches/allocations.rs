//! Measure 3: heap allocations per built and signed getJobs request, counted
//! exactly by a counting global allocator (in its own binary, so the timing
//! benchmarks run on the plain system allocator).
//!
//! Prints `allocations_per_request <n>`. Run: `cargo bench -p wsc-core --bench allocations`

// A global allocator is unsafe to implement; this is the workspace's only one.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

use wsc_core::sans_io::build_request;

mod common;
use common::{Inputs, TS};

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to `System`; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let i = Inputs::new();
    // Warm once: lazily initialised state is not a per-request cost.
    drop(build_request(&i.op, &i.endpoint, &i.creds, TS).unwrap());
    let n = 10_000u64;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..n {
        drop(black_box(
            build_request(black_box(&i.op), &i.endpoint, &i.creds, TS).unwrap(),
        ));
    }
    let total = ALLOCATIONS.load(Ordering::Relaxed) - before;
    println!("allocations_per_request {:.2}", total as f64 / n as f64);
}
