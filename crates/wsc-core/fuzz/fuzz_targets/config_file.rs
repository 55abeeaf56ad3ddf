//! The configure-file parser and the line-preserving editor.
//! Properties: never panics; a value written by `upsert_profile` reads back.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use wsc_core::config::{resolve, upsert_profile, ConfigFile, Overrides};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = ConfigFile::parse("fuzz", text);
    let _ = resolve(&Overrides::default(), &HashMap::new(), Some(&file));
    let updated = upsert_profile(text, "fuzzprofile", &[("ncloud_access_key_id", "AKFUZZ")]);
    let reread = ConfigFile::parse("fuzz", &updated);
    // Lines that look like headers or keys inside the input can shadow ours only
    // if the input already had the profile; a fresh profile must read back.
    if file.profile("fuzzprofile").is_none() {
        assert_eq!(reread.profile("fuzzprofile").and_then(|s| s.get("ncloud_access_key_id")), Some("AKFUZZ"));
    }
});
