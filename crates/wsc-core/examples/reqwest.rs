//! `reqwest` as wsc-core's HTTP stack: `cargo run -p wsc-core --example reqwest` prints job ids.
use std::{error::Error, io::Write, mem::take};
use wsc_core::AsyncClient;
use wsc_core::transport::{AsyncHttpClient, AttemptLimits};
use wsc_core::transport::{Delivery::*, TransportError, TransportFailureKind::*};

type Reply = Result<http::Response<bytes::Bytes>, TransportError>;
type Fallible = Result<(), Box<dyn Error>>;
pub(crate) struct Reqwest(pub(crate) reqwest::Client);

impl AsyncHttpClient for Reqwest {
    async fn send(&self, request: http::Request<Vec<u8>>, limits: AttemptLimits) -> Reply {
        let mut request = reqwest::Request::try_from(request).map_err(classify)?;
        *request.timeout_mut() = Some(limits.timeout); // the whole attempt, body included
        let mut resp = self.0.execute(request).await.map_err(classify)?;
        let (mut out, mut body) = (http::Response::new(()), Vec::new());
        (*out.status_mut(), *out.headers_mut()) = (resp.status(), take(resp.headers_mut()));
        while let Some(chunk) = resp.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > limits.max_body_bytes {
                return Err(TransportError::new(BodyTooLarge, MaybeSent, ""));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(out.map(|()| body.into()))
    }
}

/// Failing to connect means nothing was sent; any later failure, that it may have arrived.
fn classify(e: reqwest::Error) -> TransportError {
    let (kind, delivery) = match (e.is_connect(), e.is_timeout()) {
        (true, _) => (Connect, NotSent),
        (false, timeout) => (if timeout { Timeout } else { Io }, MaybeSent),
    };
    let chain = std::iter::successors(e.source(), |&e| e.source());
    let detail: Vec<_> = chain.map(ToString::to_string).collect();
    TransportError::new(kind, delivery, detail.join(": ")).with_source(e.without_url())
}

pub(crate) async fn run(var: &dyn Fn(&str) -> Option<String>, out: &mut dyn Write) -> Fallible {
    let var = |name: &str| var(name).ok_or(format!("{name} is not set"));
    let keys = wsc_core::Credentials::new(var("NCLOUD_ACCESS_KEY")?, var("NCLOUD_SECRET_KEY")?)?;
    // A signed request must never go to another host: redirects are not followed.
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    let endpoint = wsc_core::Endpoint::parse(&var("WSC_ENDPOINT")?)?;
    let client = AsyncClient::builder(keys, endpoint).build_with(Reqwest(http.build()?));
    for job in client.list_jobs(&Default::default()).await?.records {
        writeln!(out, "{}", job.instance_no)?;
    }
    Ok(())
}

#[tokio::main]
async fn main() {
    if let Err(error) = run(&|name| std::env::var(name).ok(), &mut std::io::stdout()).await {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
