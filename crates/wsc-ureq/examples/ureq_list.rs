//! Lists jobs with the blocking client.
//!
//! ```text
//! WSC_ENDPOINT=http://127.0.0.1:PORT NCLOUD_ACCESS_KEY_ID=WSCMOCKDEMOACCESSKEY \
//!   NCLOUD_SECRET_ACCESS_KEY=wsc-mock-demo-secret-key-not-for-real-use \
//!   cargo run -p wsc-ureq --example ureq_list
//! ```

use std::collections::HashMap;

use wsc_core::ListJobs;
use wsc_core::config::{Overrides, resolve};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env: HashMap<String, String> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    let config = resolve(&Overrides::default(), &env, None)?;
    let client = wsc_ureq::Client::from_config(&config)?;
    for job in client.list_jobs(&ListJobs::default())?.records {
        println!(
            "{:>12}  {:<24} {}",
            job.instance_no,
            job.status().to_string(),
            job.start_url
        );
    }
    Ok(())
}
