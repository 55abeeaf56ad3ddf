//! `--dry-run`: the real client over a stack that keeps the signed request
//! and sends nothing, and the request printed as `docs/cli.md` shows it.

use wsc_core::config;
use wsc_core::sans_io::{Operation, OperationKind};
use wsc_core::transport::TransportFailureKind;
use wsc_core::transport::{DryRun, DryRunRequest};
use wsc_core::{Credentials, Endpoint};

use super::Ctx;
use crate::exit::{AUTH, Failure, OTHER, USAGE};

/// The stack `wsc` sends through (`wsc_ureq`), as its `User-Agent` names
/// it: a dry run's request carries the same.
const STACK_NAME: &str = "ureq";

impl Ctx {
    /// Prints a request a dry run kept, in the format `docs/cli.md` describes.
    fn print_dry_run(&self, kind: OperationKind, request: &DryRunRequest) {
        let body = String::from_utf8_lossy(request.body()).into_owned();
        if self.json() {
            let headers: serde_json::Map<String, serde_json::Value> = request
                .headers()
                .iter()
                .map(|(n, v)| (n.clone(), serde_json::Value::String(v.clone())))
                .collect();
            self.print_json(&serde_json::json!({
                "dry_run": true,
                "operation": kind.name(),
                "method": request.method().as_str(),
                "url": request.uri().to_string(),
                "headers": headers,
                "string_to_sign": request.string_to_sign(),
                "body": if body.is_empty() { serde_json::Value::Null } else { serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body)) },
            }));
        } else {
            let mut out = format!(
                "# dry run: {} — nothing was sent\n{} {}\n",
                kind.name(),
                request.method(),
                request.uri()
            );
            for (n, v) in request.headers() {
                out.push_str(&format!("{n}: {v}\n"));
            }
            out.push_str("\n# string to sign\n");
            out.push_str(request.string_to_sign());
            out.push('\n');
            if !body.is_empty() {
                out.push_str("\n# body\n");
                out.push_str(&body);
                out.push('\n');
            }
            self.print(out.trim_end());
        }
    }

    /// `--dry-run`: prints the request `op` would send and sends nothing.
    pub fn dry_run<O: Operation>(&self, op: &O) -> Result<(), Failure> {
        let (credentials, endpoint, placeholder) = match self.resolve() {
            Ok(c) => (c.credentials, c.endpoint, false),
            Err(f) if f.code == AUTH => {
                let placeholder = Credentials::new("ACCESS_KEY", "placeholder")
                    .map_err(|e| Failure::new(USAGE, e.to_string()))?;
                // The endpoint as a real run would resolve it (flags, then
                // variables, then the profile), with the placeholder keys.
                let mut overrides = self.overrides();
                overrides.credentials = Some(placeholder.clone());
                let file = self.read_config_file().ok().flatten();
                let endpoint = match config::resolve(&overrides, &self.env, file.as_ref()) {
                    Ok(c) => c.endpoint,
                    Err(e @ config::ConfigError::Invalid { .. }) => {
                        return Err(Failure::usage(e.to_string()));
                    }
                    Err(_) => match &self.global.endpoint {
                        Some(url) => {
                            Endpoint::parse(url).map_err(|e| Failure::usage(e.to_string()))?
                        }
                        None => Endpoint::default_public(),
                    },
                };
                (placeholder, endpoint, true)
            }
            Err(f) => return Err(f),
        };
        // The real client, over a stack that keeps the signed request and
        // sends nothing: what is printed is what a real run would send.
        let client = self
            .configure(wsc_core::Client::builder(credentials, endpoint), true)
            .build_with(DryRun::named(STACK_NAME));
        match client.execute(op) {
            Err(wsc_core::Error::Transport(t)) if t.kind == TransportFailureKind::DryRun => {}
            Err(e) => return Err(Failure::from_error(&e, Some(O::KIND), None)),
            Ok(_) => {
                return Err(Failure::new(
                    OTHER,
                    "the dry run was answered, though nothing was sent",
                ));
            }
        }
        let requests = client.http().requests();
        let Some(request) = requests.first() else {
            return Err(Failure::new(OTHER, "the dry run kept no request"));
        };
        self.print_dry_run(O::KIND, request);
        if placeholder {
            self.warn("no credentials configured: the dry run used a placeholder access key");
        }
        Ok(())
    }
}
