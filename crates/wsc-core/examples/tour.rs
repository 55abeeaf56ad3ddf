//! A tour of `wsc-core` with no network: every operation is built, signed and
//! "sent" to a closure that answers with the documented response bodies.
//!
//! Run: `cargo run -p wsc-core --example tour`

use std::time::SystemTime;

use wsc_core::sans_io::ClockSkew;
use wsc_core::sans_io::{CancelJob, Operation, prepare};
use wsc_core::{CreateJob, ListJobs, SearchBy, SearchJobs};
use wsc_core::{Credentials, Endpoint, InstanceId, Limit, PageNumber, Site};

/// The documented answers, keyed by request line: the stand-in for a network.
fn fake_service(req: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
    let body: &str = match (req.method().as_str(), req.uri().path()) {
        ("GET", "/api/v1/jobs") | ("POST", "/api/v1/jobs/search") => {
            include_str!("../tests/fixtures/searchJobs.ok.ko.json")
        }
        ("PATCH", p) if p.ends_with("/cancel") => {
            include_str!("../tests/fixtures/cancelJob.error.json")
        }
        ("PUT", "/api/v1/job") => include_str!("../tests/fixtures/createJob.ok.null.json"),
        _ => r#"{"error":{"errorCode":"300","message":"Not Found Exception"}}"#,
    };
    http::Response::new(body.as_bytes().to_vec())
}

fn call<O: Operation>(
    op: &O,
    endpoint: &Endpoint,
    creds: &Credentials,
) -> Result<O::Output, wsc_core::Error>
where
    O::Output: std::fmt::Debug,
{
    let prepared = prepare(op, endpoint)?;
    let request = prepared.sign(creds, ClockSkew::NONE.timestamp(SystemTime::now()));
    println!("→ {} {}", request.method(), request.uri());
    let response = fake_service(&request);
    op.parse_response(&response)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let creds = Credentials::new("DEMO_ACCESS_KEY", "DEMO_SECRET_KEY")?;
    let endpoint = Endpoint::from_site(Site::Public);

    let page = call(
        &ListJobs::new(Limit::new(10)?, PageNumber::FIRST),
        &endpoint,
        &creds,
    )?;
    for job in &page.records {
        println!(
            "  job {} — {} ({}) {}",
            job.instance_no,
            job.status(),
            job.status_label,
            job.start_url
        );
    }

    let search = SearchJobs::new(
        SearchBy::Url("target-domain.com".into()),
        None,
        Limit::default(),
        PageNumber::FIRST,
    )?;
    let found = call(&search, &endpoint, &creds)?;
    println!("  search found {} job(s)", found.records.len());

    let created = call(
        &CreateJob::builder("https://www.example.com")
            .memo("tour")
            .build()?,
        &endpoint,
        &creds,
    )?;
    println!(
        "  created: id {:?} (the documented response carries none)",
        created.instance_no.map(|i| i.get())
    );

    match call(
        &CancelJob::new(InstanceId::new(1234567890)?),
        &endpoint,
        &creds,
    ) {
        Ok(()) => println!("  cancelled"),
        Err(e) => println!("  cancel refused, as documented: {e}"),
    }
    Ok(())
}
