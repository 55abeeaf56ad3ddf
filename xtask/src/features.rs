//! `cargo xtask features`: the library crates' users get no server and no
//! signal handling, and the adapters no random source of their own.
//! Workspace dependencies declare no features; each crate enables its own,
//! and this checks the result with `cargo tree`.

use std::process::Command;

/// The published library crates, checked one by one as a user would build them.
const LIBRARIES: [&str; 4] = ["wsc-core", "wsc-rustls", "wsc-ureq", "wsc-hyper"];

/// The adapters, and what they must not depend on themselves: a create's tag
/// is drawn by the core, so no adapter needs a random source of its own.
const ADAPTERS: [&str; 2] = ["wsc-ureq", "wsc-hyper"];
const NOT_IN_ADAPTERS: [&str; 1] = ["getrandom"];

/// `(crate, feature)` pairs no library may enable for its users.
const FORBIDDEN: [(&str, &str); 4] = [
    ("hyper", "server"),
    ("hyper-util", "server"),
    ("tokio", "signal"),
    ("tokio", "process"),
];

/// Runs `cargo tree` for each library (normal dependencies only) and fails
/// naming every forbidden feature found.
pub(crate) fn check() -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut found = Vec::new();
    for library in LIBRARIES {
        eprintln!("$ cargo tree -p {library} -e normal (features)");
        let out = Command::new(&cargo)
            .args([
                "tree",
                "-p",
                library,
                "-e",
                "normal",
                "--prefix",
                "none",
                "-f",
                "{p} [{f}]",
            ])
            .output()
            .map_err(|e| format!("could not run cargo tree: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "cargo tree -p {library} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        for (krate, feature) in forbidden_in(&String::from_utf8_lossy(&out.stdout)) {
            found.push(format!("{library} enables {krate}/{feature}"));
        }
    }
    for adapter in ADAPTERS {
        let out = Command::new(&cargo)
            .args(["tree", "-p", adapter, "-e", "normal", "--depth", "1"])
            .args(["--prefix", "none", "-f", "{p}"])
            .output()
            .map_err(|e| format!("could not run cargo tree: {e}"))?;
        let tree = String::from_utf8_lossy(&out.stdout);
        for line in tree.lines().skip(1) {
            let name = line.split_whitespace().next().unwrap_or("");
            if NOT_IN_ADAPTERS.contains(&name) {
                found.push(format!("{adapter} depends on {name} itself"));
            }
        }
    }
    if found.is_empty() {
        Ok(())
    } else {
        found.sort();
        found.dedup();
        Err(format!(
            "features leak into users' builds: {}",
            found.join(", ")
        ))
    }
}

/// The forbidden `(crate, feature)` pairs in `cargo tree -f "{p} [{f}]"` output.
fn forbidden_in(tree: &str) -> Vec<(&'static str, &'static str)> {
    let mut hits = Vec::new();
    for line in tree.lines() {
        let Some((name, rest)) = line.trim().split_once(' ') else {
            continue;
        };
        let features = rest
            .split_once('[')
            .and_then(|(_, f)| f.split_once(']'))
            .map(|(f, _)| f)
            .unwrap_or("");
        for (krate, feature) in FORBIDDEN {
            if name == krate
                && features.split(',').any(|f| f.trim() == feature)
                && !hits.contains(&(krate, feature))
            {
                hits.push((krate, feature));
            }
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::forbidden_in;

    #[test]
    fn finds_forbidden_features_and_only_those() {
        let tree = "wsc-hyper v0.1.0 (/w/crates/wsc-hyper) []\n\
                    hyper v1.12.0 [client,default,http1,server]\n\
                    hyper-util v0.1.21 [client,client-legacy,http1,tokio]\n\
                    tokio v1.54.1 [default,net,rt,signal,time]\n\
                    tokio v1.54.1 [default,net,rt,signal,time] (*)\n\
                    serde v1.0.0 [server]\n";
        assert_eq!(
            forbidden_in(tree),
            [("hyper", "server"), ("tokio", "signal")]
        );
        let clean = "hyper v1.12.0 [client,default,http1]\n\
                     hyper-util v0.1.21 [client,client-legacy,client-proxy,http1,tokio]\n\
                     tokio v1.54.1 [default,libc,mio,net,rt,socket2,sync,time]\n";
        assert!(forbidden_in(clean).is_empty());
    }
}
