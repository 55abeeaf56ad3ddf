//! Lists jobs and fetches every completed job's risk counts concurrently.
//!
//! ```text
//! WSC_ENDPOINT=http://127.0.0.1:PORT NCLOUD_ACCESS_KEY_ID=WSCMOCKDEMOACCESSKEY \
//!   NCLOUD_SECRET_ACCESS_KEY=wsc-mock-demo-secret-key-not-for-real-use \
//!   cargo run -p wsc-hyper --example hyper_list
//! ```

use std::collections::HashMap;

use wsc_core::JobStatus;
use wsc_core::config::{Overrides, resolve};
use wsc_core::operations::ListJobs;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env: HashMap<String, String> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    let client = wsc_hyper::Client::from_config(&resolve(&Overrides::default(), &env, None)?)?;
    let page = client.list_jobs(&ListJobs::default()).await?;
    let reports: Vec<_> = page
        .records
        .iter()
        .filter(|j| j.status() == JobStatus::Completed)
        .map(|j| {
            let (client, id) = (client.clone(), j.instance_no);
            tokio::spawn(async move { (id, client.get_report(id).await) })
        })
        .collect();
    for task in reports {
        let (id, report) = task.await?;
        println!("{id}: {:?}", report?.risk_counts());
    }
    Ok(())
}
