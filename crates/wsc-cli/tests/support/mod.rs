//! What the CLI test files share: a wsc-mock server, a temporary HOME, and a
//! runner that checks no secret and no panic reached the output.

#![allow(dead_code)]

use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use wsc_mock::{MockConfig, MockServer, Phase};

pub const ACCESS: &str = "CLITESTACCESSKEY";
pub const SECRET: &str = "cli-test-secret-Zq9x7W";

pub struct World {
    pub server: MockServer,
    pub home: tempfile::TempDir,
}

pub fn world_with(config: MockConfig) -> World {
    let server = MockServer::start(MockConfig {
        access_key: ACCESS.into(),
        secret_key: SECRET.into(),
        ..config
    })
    .unwrap();
    World {
        server,
        home: tempfile::tempdir().unwrap(),
    }
}

pub fn world() -> World {
    world_with(MockConfig {
        preload_demo_jobs: true,
        ..MockConfig::default()
    })
}

impl World {
    /// `wsc` with only the environment we give it.
    pub fn bare(&self) -> Command {
        let mut c = Command::cargo_bin("wsc").unwrap();
        c.env_clear()
            .env("HOME", self.home.path())
            .env("NO_COLOR", "1")
            .timeout(Duration::from_secs(60));
        c
    }

    /// `wsc` pointed at the mock with valid keys in the environment.
    pub fn wsc(&self) -> Command {
        let mut c = self.bare();
        c.env("WSC_ENDPOINT", self.server.base_url())
            .env("NCLOUD_ACCESS_KEY_ID", ACCESS)
            .env("NCLOUD_SECRET_ACCESS_KEY", SECRET);
        c
    }

    /// A std `Command` for `wsc` with the same environment as [`World::wsc`],
    /// for tests that need their own stdio.
    pub fn std_wsc(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("wsc"));
        c.env_clear()
            .env("HOME", self.home.path())
            .env("NO_COLOR", "1")
            .env("WSC_ENDPOINT", self.server.base_url())
            .env("NCLOUD_ACCESS_KEY_ID", ACCESS)
            .env("NCLOUD_SECRET_ACCESS_KEY", SECRET);
        c
    }

    pub fn id_with_phase(&self, phase: Phase) -> String {
        self.server
            .job_ids()
            .into_iter()
            .find(|id| self.server.phase(*id) == Some(phase))
            .unwrap()
            .to_string()
    }

    pub fn config_path(&self) -> std::path::PathBuf {
        self.home.path().join(".ncloud").join("configure")
    }

    pub fn write_config(&self, text: &str) -> std::path::PathBuf {
        let path = self.config_path();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        path
    }
}

/// Checks no secret leaked and nothing panicked; returns (code, stdout, stderr).
pub fn check(output: Output) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = output;
    let (out, err) = (
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    );
    for text in [&out, &err] {
        assert!(!text.contains(SECRET), "the secret leaked:\n{text}");
        assert!(!text.contains("panicked"), "a panic:\n{text}");
    }
    (status.code().unwrap_or(-1), out, err)
}

/// Runs and [`check`]s.
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    check(cmd.output().unwrap())
}

pub fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{text}"))
}
