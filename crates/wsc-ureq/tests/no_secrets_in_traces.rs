//! Every tracing event of a run (TRACE level, ureq's own included) is free of
//! the secret key, the signatures and createJob `Headers` values.

use std::io::Write;
use std::sync::{Arc, Mutex};

use wsc_core::Endpoint;
use wsc_core::sans_io::OperationKind;
use wsc_core::{CreateJob, ListJobs};
use wsc_mock::{Fault, MockConfig, MockServer, Route, When};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn traces_hold_no_secret() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let server = MockServer::start(MockConfig::default()).unwrap();
    let cookie = "SESSIONID=top-secret-cookie-value";
    tracing::subscriber::with_default(subscriber, || {
        let client = wsc_ureq::Client::new(
            server.credentials(),
            Endpoint::parse(server.base_url()).unwrap(),
        )
        .unwrap();
        server.inject(
            Route::Op(OperationKind::ListJobs),
            When::Next(1),
            Fault::EndpointError,
        );
        client.list_jobs(&ListJobs::default()).unwrap();
        client
            .create_job(
                &CreateJob::builder("https://a.example")
                    .header("Cookie", cookie)
                    .build()
                    .unwrap(),
            )
            .unwrap();
    });
    let text = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("wsc attempt"),
        "tracing captured nothing: {text}"
    );
    assert!(!text.contains(server.credentials().secret_key().expose_secret()));
    assert!(!text.contains("top-secret-cookie-value"));
    assert!(
        !text
            .to_ascii_lowercase()
            .contains("x-ncp-apigw-signature-v2: "),
        "{text}"
    );
}
