use super::*;

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

const FILE: &str = "\
# written by ncloud
[DEFAULT]
ncloud_access_key_id = FILEAK
ncloud_secret_access_key = FILESK
ncloud_api_url = https://ncloud.apigw.ntruss.com

[gov]
ncloud_access_key_id = GOVAK
ncloud_secret_access_key = GOVSK
ncloud_api_url = https://ncloud.apigw.gov-ntruss.com
";

fn file() -> ConfigFile {
    ConfigFile::parse("/home/u/.ncloud/configure", FILE)
}

#[test]
fn env_beats_profile_and_every_spelling_works() {
    for (ak, sk) in [
        ("NCLOUD_ACCESS_KEY_ID", "NCLOUD_SECRET_ACCESS_KEY"),
        ("NCLOUD_ACCESS_KEY", "NCLOUD_SECRET_KEY"),
    ] {
        let cfg = resolve(
            &Overrides::default(),
            &env(&[(ak, "ENVAK"), (sk, "ENVSK")]),
            Some(&file()),
        )
        .unwrap();
        assert_eq!(cfg.credentials.access_key().as_str(), "ENVAK");
        assert_eq!(cfg.credentials.secret_key().expose_secret(), "ENVSK");
        assert_eq!(cfg.credentials_source, Source::Env(ak));
    }
}

#[test]
fn explicit_beats_env() {
    let creds = Credentials::new("XAK", "XSK").unwrap();
    let o = Overrides {
        credentials: Some(creds),
        endpoint: Some("http://127.0.0.1:1".into()),
        ..Default::default()
    };
    let cfg = resolve(
        &o,
        &env(&[
            ("NCLOUD_ACCESS_KEY_ID", "E"),
            ("NCLOUD_SECRET_KEY", "E"),
            ("WSC_ENDPOINT", "https://e.example"),
        ]),
        None,
    )
    .unwrap();
    assert_eq!(cfg.credentials.access_key().as_str(), "XAK");
    assert_eq!(cfg.endpoint.to_string(), "http://127.0.0.1:1");
    assert_eq!(cfg.endpoint_source, Source::Explicit);
}

#[test]
fn profile_from_env_selects_the_section_and_infers_the_site() {
    let cfg = resolve(
        &Overrides::default(),
        &env(&[("NCLOUD_PROFILE", "gov")]),
        Some(&file()),
    )
    .unwrap();
    assert_eq!(cfg.credentials.access_key().as_str(), "GOVAK");
    assert_eq!(cfg.endpoint, Endpoint::from_site(Site::Gov));
    assert_eq!(cfg.profile, "gov");
}

#[test]
fn default_profile_and_default_site() {
    let cfg = resolve(&Overrides::default(), &env(&[]), Some(&file())).unwrap();
    assert_eq!(cfg.credentials.access_key().as_str(), "FILEAK");
    assert_eq!(cfg.endpoint, Endpoint::from_site(Site::Public));
}

#[test]
fn section_less_files_are_the_default_profile() {
    let f = ConfigFile::parse("c", "ncloud_access_key_id=A\nncloud_secret_access_key=S\n");
    let cfg = resolve(&Overrides::default(), &env(&[]), Some(&f)).unwrap();
    assert_eq!(cfg.credentials.access_key().as_str(), "A");
}

#[test]
fn missing_credentials_say_where_we_looked() {
    let err = resolve(&Overrides::default(), &env(&[]), None)
        .unwrap_err()
        .to_string();
    for needle in ["NCLOUD_ACCESS_KEY_ID", "NCLOUD_SECRET_KEY", "configure"] {
        assert!(err.contains(needle), "{err}");
    }
}

#[test]
fn a_half_pair_is_reported_without_values() {
    let err = resolve(
        &Overrides::default(),
        &env(&[("NCLOUD_ACCESS_KEY_ID", "SHOWNOT")]),
        Some(&file()),
    )
    .unwrap_err();
    assert!(matches!(err, ConfigError::IncompleteCredentials { .. }));
    assert!(!err.to_string().contains("SHOWNOT"));
}

#[test]
fn unknown_profile_lists_the_available_ones() {
    let o = Overrides {
        profile: Some("nope".into()),
        ..Default::default()
    };
    let err = resolve(&o, &env(&[]), Some(&file()))
        .unwrap_err()
        .to_string();
    assert!(err.contains("[nope]") && err.contains("gov"), "{err}");
}

#[test]
fn fin_site_needs_an_endpoint() {
    let err = resolve(
        &Overrides::default(),
        &env(&[
            ("NCLOUD_SITE", "fin"),
            ("NCLOUD_ACCESS_KEY", "A"),
            ("NCLOUD_SECRET_KEY", "S"),
        ]),
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("NCLOUD_SITE") && err.contains("endpoint"),
        "{err}"
    );
}

#[test]
fn stdin_secret_pairs_with_an_env_access_key() {
    let o = Overrides {
        secret_key: Some(crate::SecretKey::new("FROMSTDIN").unwrap()),
        ..Default::default()
    };
    let cfg = resolve(&o, &env(&[("NCLOUD_ACCESS_KEY", "A")]), None).unwrap();
    assert_eq!(cfg.credentials.secret_key().expose_secret(), "FROMSTDIN");
}

#[test]
fn upsert_preserves_everything_else() {
    let out = upsert_profile(FILE, "gov", &[("ncloud_secret_access_key", "NEW")]);
    assert_eq!(out, FILE.replace("GOVSK", "NEW"));
    let out = upsert_profile(FILE, "ci", &[("ncloud_access_key_id", "C")]);
    assert!(out.starts_with(FILE));
    assert!(out.ends_with("\n[ci]\nncloud_access_key_id = C\n"), "{out}");
    let parsed = ConfigFile::parse("x", &out);
    assert_eq!(
        parsed.profile("gov").unwrap().get("ncloud_access_key_id"),
        Some("GOVAK")
    );
}

#[test]
fn upsert_into_a_section_less_file_keeps_it_section_less() {
    let out = upsert_profile(
        "# c\nncloud_access_key_id = A\n",
        "DEFAULT",
        &[("ncloud_secret_access_key", "S")],
    );
    assert_eq!(
        out,
        "# c\nncloud_access_key_id = A\nncloud_secret_access_key = S\n"
    );
}

#[test]
fn upsert_and_read_agree_on_duplicate_sections_and_keys() {
    let text = "ncloud_access_key_id = PRE\n[DEFAULT]\nncloud_access_key_id = A1\nncloud_access_key_id = A2\n[x]\ny = 1\n[default]\nncloud_access_key_id = A3\n";
    assert_eq!(super::section_count(text, "DEFAULT"), 3);
    let out = upsert_profile(
        text,
        "DEFAULT",
        &[(FILE_ACCESS_KEY, "NEW"), (FILE_SECRET_KEY, "S")],
    );
    let parsed = ConfigFile::parse("f", &out);
    let section = parsed.profile("DEFAULT").unwrap();
    assert_eq!(section.get(FILE_ACCESS_KEY), Some("NEW"), "{out}");
    assert_eq!(section.get(FILE_SECRET_KEY), Some("S"), "{out}");
    assert!(
        !out.contains("A1") && !out.contains("A3") && !out.contains("PRE"),
        "{out}"
    );
    assert!(out.contains("[x]\ny = 1\n"), "{out}");
}

#[test]
fn upsert_keeps_crlf_line_ends() {
    let text = "[DEFAULT]\r\nncloud_access_key_id = OLD\r\n\r\n[other]\r\nx = 1\r\n";
    let out = upsert_profile(text, "other", &[("x", "2"), ("z", "3")]);
    assert_eq!(
        out,
        "[DEFAULT]\r\nncloud_access_key_id = OLD\r\n\r\n[other]\r\nx = 2\r\nz = 3\r\n"
    );
    let out = upsert_profile("a = 1\n", "new", &[("k", "v")]);
    assert!(!out.contains('\r'), "{out:?}");
}
