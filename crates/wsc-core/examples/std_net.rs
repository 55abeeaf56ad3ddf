//! `wsc-core` driven by plain `std::net::TcpStream`: no HTTP library at all.
//!
//! Run against the mock:
//! ```text
//! cargo run -p wsc-mock -- serve &            # prints listening on http://127.0.0.1:PORT
//! WSC_ENDPOINT=http://127.0.0.1:PORT NCLOUD_ACCESS_KEY_ID=WSCMOCKDEMOACCESSKEY \
//!   NCLOUD_SECRET_ACCESS_KEY=wsc-mock-demo-secret-key-not-for-real-use \
//!   cargo run -p wsc-core --example std_net
//! ```

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Instant, SystemTime};

use wsc_core::ListJobs;
use wsc_core::RetryPolicy;
use wsc_core::sans_io::Jitter;
use wsc_core::sans_io::{Call, Step};
use wsc_core::sans_io::{ClockSkew, Now};
use wsc_core::{Credentials, Endpoint};

fn send(req: http::Request<Vec<u8>>) -> std::io::Result<http::Response<Vec<u8>>> {
    let authority = req.uri().authority().unwrap().as_str().to_owned();
    let mut stream = TcpStream::connect(&authority)?;
    let mut head = format!(
        "{} {} HTTP/1.1\r\nhost: {authority}\r\nconnection: close\r\ncontent-length: {}\r\n",
        req.method(),
        req.uri().path_and_query().unwrap(),
        req.body().len()
    );
    for (name, value) in req.headers() {
        head.push_str(&format!(
            "{name}: {}\r\n",
            value.to_str().unwrap_or_default()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(req.body())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    // Minimal parsing: status line, headers, the rest is the body (connection: close).
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status: u16 = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(502);
    let mut response = http::Response::builder().status(status);
    for line in head.lines().skip(1) {
        if let Some((n, v)) = line.split_once(':') {
            response = response.header(n.trim(), v.trim());
        }
    }
    Ok(response
        .body(raw[(split + 4).min(raw.len())..].to_vec())
        .unwrap())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = Endpoint::parse(&std::env::var("WSC_ENDPOINT")?)?; // e.g. wsc-mock's URL
    let credentials = Credentials::new(
        std::env::var("NCLOUD_ACCESS_KEY_ID")?,
        std::env::var("NCLOUD_SECRET_ACCESS_KEY")?,
    )?;
    let op = ListJobs::default();
    let mut call = Call::new(&op, &endpoint, RetryPolicy::default())?;
    let mut skew = ClockSkew::NONE;
    let mut jitter = Jitter::new(42);
    let page = loop {
        let sent_at = Now::new(SystemTime::now(), Instant::now());
        let step = match send(call.next_request(&credentials, skew, sent_at)) {
            Ok(resp) => call.on_response(
                &resp,
                sent_at,
                Now::new(SystemTime::now(), Instant::now()),
                &mut skew,
                &mut jitter,
            ),
            Err(io) => call.on_failure(
                wsc_core::transport::TransportError::new(
                    wsc_core::transport::TransportFailureKind::Io,
                    wsc_core::transport::Delivery::MaybeSent,
                    io.to_string(),
                )
                .into(),
                skew,
                Now::new(SystemTime::now(), Instant::now()),
                &mut jitter,
            ),
        };
        match step {
            Step::Done(page) => break page,
            Step::RetryAfter(d) => std::thread::sleep(d),
            Step::Fail(e) => return Err(e.into()),
        }
    };
    println!("{} jobs", page.records.len());
    Ok(())
}
