//! Configuration resolution: credentials, profile and endpoint from explicit
//! values, an environment map and the text of `~/.ncloud/configure`.
//!
//! Pure: the caller reads the process environment and the file and passes them
//! in, so every precedence rule is tested without touching the machine.
//!
//! Precedence, for each setting independently: **explicit > environment >
//! profile file > default**.
//!
//! | setting | explicit | environment | profile file | default |
//! |---|---|---|---|---|
//! | profile | `--profile` | `NCLOUD_PROFILE` | — | `DEFAULT` |
//! | access key | (embedder) | `NCLOUD_ACCESS_KEY_ID`, `NCLOUD_ACCESS_KEY` | `ncloud_access_key_id` | — (error) |
//! | secret key | (embedder / stdin) | `NCLOUD_SECRET_ACCESS_KEY`, `NCLOUD_SECRET_KEY` | `ncloud_secret_access_key` | — (error) |
//! | endpoint | `--endpoint`, then `--site` | `WSC_ENDPOINT`, then `NCLOUD_SITE` | `wsc_endpoint`, then the site of `ncloud_api_url` | public site |

mod ini;
mod types;

use std::collections::HashMap;

pub(crate) use ini::Section;
pub use ini::{ConfigFile, section_count, upsert_profile};
pub use types::{ConfigError, Overrides, ResolvedConfig, Source};

use crate::Credentials;
use crate::endpoint::{Endpoint, Site};
use crate::invalid_input::InvalidInput;

/// Environment variables for the access key, in order of preference.
pub(crate) const ACCESS_KEY_VARS: [&str; 2] = ["NCLOUD_ACCESS_KEY_ID", "NCLOUD_ACCESS_KEY"];
/// Environment variables for the secret key, in order of preference.
pub(crate) const SECRET_KEY_VARS: [&str; 2] = ["NCLOUD_SECRET_ACCESS_KEY", "NCLOUD_SECRET_KEY"];
/// Profile selection.
pub(crate) const PROFILE_VAR: &str = "NCLOUD_PROFILE";
/// Site selection (`public`, `gov`, `fin`).
pub(crate) const SITE_VAR: &str = "NCLOUD_SITE";
/// A custom WSC base URL.
pub(crate) const ENDPOINT_VAR: &str = "WSC_ENDPOINT";
/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "DEFAULT";

/// Profile file key of the access key.
pub const FILE_ACCESS_KEY: &str = "ncloud_access_key_id";
/// Profile file key of the secret key.
pub const FILE_SECRET_KEY: &str = "ncloud_secret_access_key";
/// Profile file key of the (core gateway) API URL; used only to infer the site.
pub const FILE_API_URL: &str = "ncloud_api_url";
/// Profile file key of a WSC base URL (this tool's own addition).
pub const FILE_WSC_ENDPOINT: &str = "wsc_endpoint";

/// Whether two profile names are one profile, as the configure file reads
/// them: the same name, or [`DEFAULT_PROFILE`] in any case.
///
/// ```
/// use wsc_core::config::same_profile;
/// assert!(same_profile("DEFAULT", "default") && same_profile("ci", "ci"));
/// assert!(!same_profile("ci", "CI"));
/// ```
pub fn same_profile(a: &str, b: &str) -> bool {
    ini::same_profile(a, b)
}

/// Checks a profile name: 1 to 64 of `A-Z a-z 0-9 _ . -`, so that it can
/// never break out of its `[section]` line in the configure file.
///
/// ```
/// use wsc_core::config::validate_profile_name;
/// assert!(validate_profile_name("ci-prod_2.eu").is_ok());
/// assert!(validate_profile_name("x]\n[default").is_err());
/// assert!(validate_profile_name("").is_err());
/// ```
pub fn validate_profile_name(name: &str) -> Result<(), InvalidInput> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    if (1..=64).contains(&name.len()) && name.chars().all(allowed) {
        Ok(())
    } else {
        Err(InvalidInput::new(
            "profile",
            "must be 1 to 64 letters, digits, '_', '.' or '-'",
        ))
    }
}

/// Resolves the configuration (see the module docs for precedence).
///
/// `env` is the process environment (or a test's map); `file` the parsed
/// `~/.ncloud/configure`, if one exists.
///
/// ```
/// use std::collections::HashMap;
/// use wsc_core::config::{resolve, ConfigFile, Overrides};
/// let env = HashMap::from([("NCLOUD_PROFILE".to_string(), "ci".to_string())]);
/// let file = ConfigFile::parse("~/.ncloud/configure", "[ci]\nncloud_access_key_id = AK\nncloud_secret_access_key = SK\n");
/// let cfg = resolve(&Overrides::default(), &env, Some(&file)).unwrap();
/// assert_eq!(cfg.profile, "ci");
/// assert_eq!(cfg.credentials.access_key().as_str(), "AK");
/// ```
pub fn resolve(
    overrides: &Overrides,
    env: &HashMap<String, String>,
    file: Option<&ConfigFile>,
) -> Result<ResolvedConfig, ConfigError> {
    let get_env = |var: &'static str| env_value(env, var);

    let (profile, profile_explicit) = match (&overrides.profile, get_env(PROFILE_VAR)) {
        (Some(p), _) => (p.clone(), true),
        (None, Some((_, p))) => (p.to_owned(), true),
        (None, None) => (DEFAULT_PROFILE.to_owned(), false),
    };
    validate_profile_name(&profile).map_err(|error| ConfigError::Invalid {
        source_desc: match overrides.profile {
            Some(_) => "--profile".into(),
            None => PROFILE_VAR.into(),
        },
        error,
    })?;

    let section = match file {
        Some(f) => {
            let section = f.profile(&profile);
            if section.is_none() && profile_explicit && profile != DEFAULT_PROFILE {
                return Err(ConfigError::ProfileNotFound {
                    profile,
                    file: f.path().to_owned(),
                    available: f.profiles().map(str::to_owned).collect(),
                });
            }
            section
        }
        None if profile_explicit && profile != DEFAULT_PROFILE => {
            return Err(ConfigError::ProfileNotFound {
                profile,
                file: "(no configure file)".into(),
                available: vec![],
            });
        }
        None => None,
    };
    let file_value = |key: &str| file_value(section, key);

    let (credentials, credentials_source) =
        resolve_credentials(overrides, env, section, &profile, file)?;

    let invalid = |source: &Source| {
        let source_desc = source.to_string();
        move |error: InvalidInput| ConfigError::Invalid {
            source_desc: source_desc.clone(),
            error,
        }
    };
    let site_endpoint = |site: &str, source: Source| -> Result<(Endpoint, Source), ConfigError> {
        let site: Site = site.parse().map_err(invalid(&source))?;
        Ok((Endpoint::from_site(site), source))
    };
    let url_endpoint = |url: &str, source: Source| -> Result<(Endpoint, Source), ConfigError> {
        Ok((Endpoint::parse(url).map_err(invalid(&source))?, source))
    };
    let (endpoint, endpoint_source) = if let Some(url) = &overrides.endpoint {
        url_endpoint(url, Source::Explicit)?
    } else if let Some(site) = &overrides.site {
        site_endpoint(site, Source::Explicit)?
    } else if let Some((var, url)) = get_env(ENDPOINT_VAR) {
        url_endpoint(url, Source::Env(var))?
    } else if let Some((var, site)) = get_env(SITE_VAR) {
        site_endpoint(site, Source::Env(var))?
    } else if let Some(url) = file_value(FILE_WSC_ENDPOINT) {
        url_endpoint(url, Source::Profile(profile.clone()))?
    } else if let Some(api_url) = file_value(FILE_API_URL) {
        site_endpoint(site_of_api_url(api_url), Source::Profile(profile.clone()))?
    } else {
        (Endpoint::from_site(Site::Public), Source::Default)
    };

    Ok(ResolvedConfig {
        credentials,
        credentials_source,
        endpoint,
        endpoint_source,
        profile,
    })
}

fn env_value<'e>(
    env: &'e HashMap<String, String>,
    var: &'static str,
) -> Option<(&'static str, &'e str)> {
    env.get(var)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(|v| (var, v))
}

fn file_value<'s>(section: Option<&'s Section>, key: &str) -> Option<&'s str> {
    section
        .and_then(|s| s.get(key))
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The site an `ncloud_api_url` belongs to (`ncloud.apigw.gov-ntruss.com` → gov).
fn site_of_api_url(url: &str) -> &'static str {
    let url = url.to_ascii_lowercase();
    if url.contains("gov-ntruss") {
        "gov"
    } else if url.contains("fin-ntruss") {
        "fin"
    } else {
        "public"
    }
}

fn resolve_credentials(
    overrides: &Overrides,
    env: &HashMap<String, String>,
    section: Option<&Section>,
    profile: &str,
    file: Option<&ConfigFile>,
) -> Result<(Credentials, Source), ConfigError> {
    let get_env = |var: &'static str| env_value(env, var);
    let file_value = |key: &str| file_value(section, key);
    if let Some(c) = &overrides.credentials {
        return Ok((c.clone(), Source::Explicit));
    }
    let env_access = ACCESS_KEY_VARS.iter().find_map(|v| get_env(v));
    let env_secret = SECRET_KEY_VARS.iter().find_map(|v| get_env(v));
    let file_access = file_value(FILE_ACCESS_KEY);
    let file_secret = file_value(FILE_SECRET_KEY);
    let file_source = Source::Profile(profile.to_owned());

    let invalid = |source: &Source, error: InvalidInput| ConfigError::Invalid {
        source_desc: source.to_string(),
        error,
    };
    let build = |access: &str,
                 access_source: Source,
                 secret: Option<crate::SecretKey>,
                 secret_text: Option<&str>,
                 secret_source: &Source| {
        let access_key = crate::AccessKey::new(access).map_err(|e| invalid(&access_source, e))?;
        let secret_key = match secret {
            Some(s) => s,
            None => crate::SecretKey::new(secret_text.unwrap_or_default())
                .map_err(|e| invalid(secret_source, e))?,
        };
        Ok((
            Credentials::from_parts(access_key, secret_key),
            access_source,
        ))
    };

    // The access key decides the source; its secret must come from the same
    // place (or be given explicitly), never mixed silently across sources.
    match (env_access, file_access) {
        (Some((var, access)), _) => {
            if let Some(secret) = overrides.secret_key.clone() {
                return build(
                    access,
                    Source::Env(var),
                    Some(secret),
                    None,
                    &Source::Explicit,
                );
            }
            match env_secret {
                Some((svar, secret)) => build(
                    access,
                    Source::Env(var),
                    None,
                    Some(secret),
                    &Source::Env(svar),
                ),
                None => Err(ConfigError::IncompleteCredentials {
                    found: var.to_owned(),
                    missing: format!(
                        "secret key ({} or {})",
                        SECRET_KEY_VARS[0], SECRET_KEY_VARS[1]
                    ),
                }),
            }
        }
        (None, Some(access)) => {
            if let Some(secret) = overrides.secret_key.clone() {
                return build(access, file_source, Some(secret), None, &Source::Explicit);
            }
            match file_secret {
                Some(secret) => build(
                    access,
                    file_source.clone(),
                    None,
                    Some(secret),
                    &file_source,
                ),
                None => Err(ConfigError::IncompleteCredentials {
                    found: format!("{FILE_ACCESS_KEY} in profile [{profile}]"),
                    missing: format!("{FILE_SECRET_KEY} in the same profile"),
                }),
            }
        }
        (None, None) => {
            if let Some((svar, _)) = env_secret {
                return Err(ConfigError::IncompleteCredentials {
                    found: svar.to_owned(),
                    missing: format!(
                        "access key ({} or {})",
                        ACCESS_KEY_VARS[0], ACCESS_KEY_VARS[1]
                    ),
                });
            }
            let file_desc = match file {
                Some(f) => format!("profile [{profile}] in {}", f.path()),
                None => "~/.ncloud/configure (not found)".to_owned(),
            };
            Err(ConfigError::MissingCredentials {
                looked_at: format!(
                    "environment variables {}/{} and {}/{}, and {file_desc}",
                    ACCESS_KEY_VARS[0], ACCESS_KEY_VARS[1], SECRET_KEY_VARS[0], SECRET_KEY_VARS[1]
                ),
            })
        }
    }
}

#[cfg(test)]
mod tests;
