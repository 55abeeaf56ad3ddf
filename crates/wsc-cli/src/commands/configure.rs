//! `wsc configure`: prompts for keys, site and endpoint (or reads them piped,
//! one a line; site and endpoint optional) and writes `~/.ncloud/configure`, preserving every other profile, key and
//! comment; atomic, under a lock, mode 0600 in a 0700 directory.

use std::io::{BufRead, Write};

use serde_json::json;
use wsc_core::config::{
    DEFAULT_PROFILE, FILE_ACCESS_KEY, FILE_API_URL, FILE_SECRET_KEY, FILE_WSC_ENDPOINT,
    section_count, upsert_profile,
};
use wsc_core::sans_io::{AccessKey, REDACTED, SecretKey};
use wsc_core::{Endpoint, Site};

use crate::context::Ctx;
use crate::exit::{Failure, OK, OTHER, USAGE};

/// One answer; `None` at the end of input.
fn read_answer(prompt: &str, ctx: &Ctx) -> Result<Option<String>, Failure> {
    if ctx.stdin_tty {
        eprint!("{prompt}");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    let n = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::new(OTHER, format!("cannot read input: {e}")))?;
    if n == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim_end_matches(['\r', '\n']).to_owned()))
}

fn read_line(prompt: &str, ctx: &Ctx) -> Result<String, Failure> {
    read_answer(prompt, ctx)?.ok_or_else(|| {
        Failure::usage("input ended before every answer was given")
            .hint("give the access key and the secret key on separate lines")
    })
}

/// The secret: a hidden prompt on a terminal (echo comes back even on
/// Ctrl-C), the next line otherwise.
fn read_secret(ctx: &Ctx) -> Result<String, Failure> {
    if !ctx.stdin_tty {
        return read_line("", ctx);
    }
    crate::terminal::save();
    let secret = rpassword::prompt_password("NCP secret key (hidden): ")
        .map_err(|e| Failure::new(OTHER, format!("cannot read the secret key: {e}")));
    crate::terminal::forget();
    secret
}

fn api_url(site: Site) -> &'static str {
    match site {
        Site::Gov => "https://ncloud.apigw.gov-ntruss.com",
        _ => "https://ncloud.apigw.ntruss.com",
    }
}

pub fn run(ctx: &Ctx) -> Result<u8, Failure> {
    let path = ctx
        .config_path()
        .ok_or_else(|| Failure::new(OTHER, "cannot find the home directory (HOME is not set)"))?;
    let profile = ctx
        .global
        .profile
        .clone()
        .unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
    wsc_core::config::validate_profile_name(&profile)
        .map_err(|e| Failure::usage(format!("--profile: {e}")))?;
    // Flags are checked before any prompt.
    let endpoint = ctx
        .global
        .endpoint
        .as_deref()
        .map(Endpoint::parse)
        .transpose()
        .map_err(|e| Failure::usage(format!("--endpoint: {e}")))?;
    if ctx.stdin_tty {
        eprintln!(
            "Saving credentials to profile [{profile}] of {}",
            path.display()
        );
    }
    let access = read_line("NCP access key id: ", ctx)?;
    let access = AccessKey::new(access.trim()).map_err(|e| Failure::new(USAGE, e.to_string()))?;
    let secret = read_secret(ctx)?;
    let secret = SecretKey::new(secret.trim()).map_err(|e| Failure::new(USAGE, e.to_string()))?;
    // The site: --site, else a third answer (prompted on a terminal, an
    // optional third line when piped).
    let site_text = match &ctx.global.site {
        Some(site) => site.clone(),
        None if endpoint.is_some() => String::new(),
        None => read_answer("Site (public/gov) [public]: ", ctx)?.unwrap_or_default(),
    };
    let site: Option<Site> = if site_text.trim().is_empty() {
        None
    } else {
        Some(
            site_text
                .parse()
                .map_err(|e: wsc_core::InvalidInput| Failure::usage(e.to_string()))?,
        )
    };
    // The endpoint: --endpoint, else an optional answer (a fourth line when
    // piped): a fin site, or any base URL the presets do not cover.
    let endpoint = match (endpoint, &ctx.global.site) {
        (Some(e), _) => Some(e),
        (None, Some(_)) => None,
        (None, None) => {
            let answer =
                read_answer("WSC endpoint URL (blank: the site's) []: ", ctx)?.unwrap_or_default();
            let answer = answer.trim();
            (!answer.is_empty())
                .then(|| Endpoint::parse(answer))
                .transpose()
                .map_err(|e| {
                    Failure::usage(format!("the endpoint: {e}")).hint(
                        "an https:// base URL (http:// only for loopback), or blank for the site's",
                    )
                })?
        }
    };

    let mut entries = vec![
        (FILE_ACCESS_KEY, access.as_str().to_owned()),
        (FILE_SECRET_KEY, secret.expose_secret().to_owned()),
    ];
    if let Some(site) = site {
        entries.push((FILE_API_URL, api_url(site).to_owned()));
    }
    if let Some(endpoint) = &endpoint {
        entries.push((FILE_WSC_ENDPOINT, endpoint.to_string()));
    }
    let pairs: Vec<(&str, &str)> = entries.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let summary = |dry_run: bool| {
        json!({
            "profile": profile,
            "path": path.display().to_string(),
            "dry_run": dry_run,
            "access_key": access.masked(),
            "secret_key": REDACTED,
            "site": site.map(Site::name),
            "api_url": site.map(api_url),
            "endpoint": endpoint.as_ref().map(Endpoint::to_string),
        })
    };

    if ctx.global.dry_run {
        if ctx.json() {
            ctx.print_json(&summary(true));
        } else {
            let mut out = format!(
                "# dry run: profile [{profile}] of {} — nothing was written\n[{profile}]\n",
                path.display()
            );
            for (key, value) in &entries {
                let shown = match *key {
                    FILE_SECRET_KEY => REDACTED.to_owned(),
                    FILE_ACCESS_KEY => access.masked(),
                    _ => value.clone(),
                };
                out.push_str(&format!("{key} = {shown}\n"));
            }
            ctx.print(out.trim_end());
        }
        return Ok(OK);
    }

    let cannot_write =
        |e: std::io::Error| Failure::new(OTHER, format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        crate::fsutil::create_private_dir(dir).map_err(cannot_write)?;
    }
    // Fail before taking the lock when the path cannot be written.
    crate::fsutil::write_target(&path).map_err(cannot_write)?;
    let copies = {
        let _lock = crate::fsutil::FileLock::acquire(&path).map_err(cannot_write)?;
        let read = crate::fsutil::read_limited(&path, 1 << 20).and_then(|bytes| {
            String::from_utf8(bytes).map_err(|_| std::io::Error::other("is not UTF-8 text"))
        });
        let existing = match read {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(Failure::new(
                    OTHER,
                    format!("cannot read {}: {e}", path.display()),
                ));
            }
        };
        let updated = upsert_profile(&existing, &profile, &pairs);
        crate::fsutil::write_atomic(&path, updated.as_bytes(), true).map_err(cannot_write)?;
        section_count(&existing, &profile)
    };
    if copies > 1 {
        ctx.warn(format!(
            "profile [{profile}] appears {copies} times in {}; every copy was updated",
            path.display()
        ));
    }
    if ctx.json() {
        ctx.print_json(&summary(false));
    } else {
        ctx.note(format!(
            "saved profile [{profile}] (access key {}) to {}",
            access.masked(),
            path.display()
        ));
    }
    Ok(OK)
}
