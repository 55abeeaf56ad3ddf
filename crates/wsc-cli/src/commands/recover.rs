//! `wsc recover`: names the job of every billed create the journal holds
//! without one (after a lost reply, a `kill -9`, a power cut), by its tag.
//! Only the creates sent to this endpoint with this profile are checked, and
//! a job another entry already holds is never named again.

use serde_json::json;
use wsc_core::journal::{self, PendingCreate, Recovery};
use wsc_core::sans_io::OperationKind;
use wsc_core::{InstanceId, Limit, ListJobs, PageNumber};

use crate::context::Ctx;
use crate::exit::{Failure, OK, OTHER};
use crate::journal::Entry;
use crate::output;

/// A recovery as the output says it: the state, the id, the candidates.
fn described(recovery: Recovery) -> (&'static str, Option<u64>, Vec<u64>) {
    match recovery {
        Recovery::Found(id) => ("found", Some(id.get()), vec![id.get()]),
        Recovery::NotFound => ("not_found", None, Vec::new()),
        Recovery::Ambiguous(ids) => ("ambiguous", None, ids.iter().map(|id| id.get()).collect()),
    }
}

pub fn run(ctx: &Ctx) -> Result<u8, Failure> {
    let journal = ctx.journal()?;
    let shown = journal.path().display().to_string();
    let (entries, skipped) = journal
        .entries()
        .map_err(|e| Failure::new(OTHER, format!("cannot read the journal {shown}: {e}")))?;
    if skipped > 0 {
        ctx.warn(format!(
            "{skipped} line(s) of {shown} are not entries and were skipped"
        ));
    }
    let client = ctx.client()?;
    let endpoint = client.endpoint().to_string();
    let profile = ctx.profile();
    // Jobs already named, by any entry of this endpoint (profiles may share
    // an account): never named again for another create.
    let claimed: Vec<InstanceId> = entries
        .iter()
        .filter(|e| e.endpoint == endpoint)
        .filter_map(|e| e.id)
        .filter_map(|id| InstanceId::new(id).ok())
        .collect();
    let (pending, elsewhere): (Vec<Entry>, Vec<Entry>) = entries
        .into_iter()
        .filter(Entry::pending)
        .partition(|e| e.endpoint == endpoint);
    let (pending, other_profiles): (Vec<Entry>, Vec<Entry>) = pending
        .into_iter()
        .partition(|e| wsc_core::config::same_profile(&e.profile, &profile));
    if !elsewhere.is_empty() {
        ctx.warn(format!(
            "{} create(s) sent to other endpoints are not checked: run `wsc --endpoint URL recover` for each",
            elsewhere.len()
        ));
    }
    if !other_profiles.is_empty() {
        let mut names: Vec<&str> = other_profiles.iter().map(|e| e.profile.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        ctx.warn(format!(
            "{} create(s) sent with other profiles are not checked: run `wsc --profile NAME recover` for {}",
            other_profiles.len(),
            names.join(", ")
        ));
    }
    let mut rows = Vec::new();
    if !pending.is_empty() {
        let newest = ListJobs::new(
            Limit::new(Limit::MAX).map_err(|e| Failure::usage(e.to_string()))?,
            PageNumber::FIRST,
        );
        let listing = client
            .all_pages(&newest, |_, _| {})
            .map_err(|e| Failure::from_error(&e, Some(OperationKind::ListJobs), None))?;
        if listing.truncated {
            ctx.warn("the listing is incomplete: a create's job may be among the jobs not listed");
        }
        // An entry whose tag or time cannot be read matches nothing.
        let creates: Vec<Option<PendingCreate>> =
            pending.iter().map(Entry::pending_create).collect();
        let known: Vec<PendingCreate> = creates.iter().flatten().cloned().collect();
        let mut found = journal::recover(&known, &listing.records, &claimed).into_iter();
        for (entry, create) in pending.into_iter().zip(creates) {
            let recovery = match create {
                Some(_) => found.next().unwrap_or(Recovery::NotFound),
                None => Recovery::NotFound,
            };
            let (state, id, candidates) = described(recovery);
            if let Some(id) = id {
                let named = Entry {
                    id: Some(id),
                    ..entry.clone()
                };
                if let Err(e) = journal.append(&named) {
                    ctx.warn(format!("job {id} found, but {shown} cannot record it: {e}"));
                }
            }
            rows.push((entry, state, id, candidates));
        }
    }
    if ctx.json() {
        let items: Vec<_> = rows
            .iter()
            .map(|(e, state, id, candidates)| {
                let mut item = json!({
                    "target": e.target, "memo": e.memo, "tag": e.tag,
                    "sent_at": e.sent_at, "id": id, "state": state,
                });
                if *state == "ambiguous" {
                    item["candidates"] = json!(candidates);
                }
                item
            })
            .collect();
        ctx.print_json(&json!(items));
    } else if rows.is_empty() {
        ctx.print(format!("no create is waiting for its job ({shown})"));
    } else {
        let table: Vec<Vec<String>> = rows
            .iter()
            .map(|(e, state, id, candidates)| {
                vec![
                    e.sent_at.clone(),
                    e.target.clone(),
                    e.memo.clone().unwrap_or_default(),
                    e.tag.clone().unwrap_or_else(|| "-".into()),
                    match (id, *state) {
                        (Some(id), _) => id.to_string(),
                        (None, "ambiguous") => candidates
                            .iter()
                            .map(u64::to_string)
                            .collect::<Vec<_>>()
                            .join(" or "),
                        _ => "-".into(),
                    },
                    state.replace('_', " "),
                ]
            })
            .collect();
        ctx.print(output::table(
            &["SENT (UTC)", "TARGET", "MEMO", "TAG", "ID", "STATE"],
            &table,
        ));
    }
    Ok(OK)
}
