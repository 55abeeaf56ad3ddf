//! Every response parser entry point: status + headers + body. Never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wsc_core::operations::{CancelJob, CreateJob, GetReport, ListJobs, Operation, SearchBy, SearchJobs, StopJob};
use wsc_core::{InstanceId, Limit, PageNumber};

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let status = 100 + (u16::from(data[0]) << 8 | u16::from(data[1])) % 500;
    let mut builder = http::Response::builder().status(status);
    // Optional headers from the input: Retry-After, Date, Content-Type.
    let flags = data[2];
    let body = &data[3..];
    let text = String::from_utf8_lossy(&body[..body.len().min(40)]).into_owned();
    if flags & 1 != 0 {
        if let Ok(v) = http::HeaderValue::from_str(&text) {
            builder = builder.header("retry-after", v.clone()).header("date", v);
        }
    }
    if flags & 2 != 0 {
        builder = builder.header("content-type", "text/html");
    }
    let Ok(resp) = builder.body(body.to_vec()) else { return };
    let id = InstanceId::new(1).unwrap();
    let _ = ListJobs::default().parse_response(&resp);
    let _ = SearchJobs::new(SearchBy::All, None, Limit::default(), PageNumber::FIRST).unwrap().parse_response(&resp);
    let _ = CreateJob::builder("https://a.example").build().unwrap().parse_response(&resp);
    let _ = CancelJob::new(id).parse_response(&resp);
    let _ = StopJob::new(id).parse_response(&resp);
    if let Ok(report) = GetReport::new(id).parse_response(&resp) {
        let _ = report.redacted();
        let _ = report.risk_counts();
    }
    let _ = wsc_core::ClockSkew::estimate(resp.headers(), std::time::SystemTime::UNIX_EPOCH, std::time::SystemTime::UNIX_EPOCH);
});
