//! The cassette parser. Properties: never panics; what parses re-serializes
//! and parses back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wsc_core::cassette::Cassette;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = Cassette::from_json(data) {
        let again = Cassette::from_json(c.to_json().as_bytes()).expect("re-serialized cassette parses");
        assert_eq!(again, c);
        for e in &c.exchanges {
            let _ = e.response.to_http();
        }
    }
});
