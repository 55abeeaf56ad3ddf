//! `wsc configure`: prompts for keys and writes `~/.ncloud/configure`,
//! preserving every other profile, key and comment; atomic; mode 0600.

use std::io::{BufRead, Write};

use wsc_core::config::{
    DEFAULT_PROFILE, FILE_ACCESS_KEY, FILE_API_URL, FILE_SECRET_KEY, upsert_profile,
};
use wsc_core::{AccessKey, SecretKey, Site};

use crate::context::Ctx;
use crate::exit::{Failure, OK, OTHER, USAGE};

fn read_line(prompt: &str, ctx: &Ctx) -> Result<String, Failure> {
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
        return Err(Failure::usage("input ended before every answer was given")
            .hint("give the access key and the secret key on separate lines"));
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
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
    if ctx.stdin_tty {
        eprintln!(
            "Saving credentials to profile [{profile}] of {}",
            path.display()
        );
    }
    let access = read_line("NCP access key id: ", ctx)?;
    let access = AccessKey::new(access.trim()).map_err(|e| Failure::new(USAGE, e.to_string()))?;
    let secret = if ctx.stdin_tty {
        rpassword::prompt_password("NCP secret key (hidden): ")
            .map_err(|e| Failure::new(OTHER, format!("cannot read the secret key: {e}")))?
    } else {
        read_line("", ctx)?
    };
    let secret = SecretKey::new(secret.trim()).map_err(|e| Failure::new(USAGE, e.to_string()))?;
    let site_answer = if ctx.stdin_tty {
        read_line("Site (public/gov) [public]: ", ctx).unwrap_or_default()
    } else {
        String::new()
    };
    let site = ctx.global.site.clone().unwrap_or(site_answer);
    let site: Option<Site> = if site.trim().is_empty() {
        None
    } else {
        Some(
            site.parse()
                .map_err(|e: wsc_core::InvalidInput| Failure::usage(e.to_string()))?,
        )
    };

    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(Failure::new(
                OTHER,
                format!("cannot read {}: {e}", path.display()),
            ));
        }
    };
    let mut entries = vec![
        (FILE_ACCESS_KEY, access.as_str().to_owned()),
        (FILE_SECRET_KEY, secret.expose_secret().to_owned()),
    ];
    if let Some(site) = site {
        let api = match site {
            Site::Gov => "https://ncloud.apigw.gov-ntruss.com",
            _ => "https://ncloud.apigw.ntruss.com",
        };
        entries.push((FILE_API_URL, api.to_owned()));
    }
    let pairs: Vec<(&str, &str)> = entries.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let updated = upsert_profile(&existing, &profile, &pairs);
    crate::fsutil::write_atomic(&path, updated.as_bytes(), true)
        .map_err(|e| Failure::new(OTHER, format!("cannot write {}: {e}", path.display())))?;
    ctx.note(format!(
        "saved profile [{profile}] (access key {}) to {}",
        access.masked(),
        path.display()
    ));
    Ok(OK)
}
