//! The parsers of user input the CLI hands to the core: job ids, status names,
//! `--header` lines, endpoints and `--from-file` job JSON.
//! Properties: never panics; an accepted job re-serializes to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wsc_core::operations::{CreateJob, prepare};
use wsc_core::{Endpoint, InstanceId, JobStatusCode};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = text.parse::<InstanceId>();
    let _ = text.parse::<JobStatusCode>();
    let _ = Endpoint::parse(&text);
    if let Ok(b) = CreateJob::builder("https://a.example").header_line(&text) {
        let _ = b.build();
    }
    if let Ok(job) = CreateJob::from_wire_json(data) {
        let sent = prepare(&job, &Endpoint::default_public()).expect("a valid job prepares");
        let again = CreateJob::from_wire_json(sent.body()).expect("a valid job re-parses");
        assert_eq!(again, job);
    }
});
