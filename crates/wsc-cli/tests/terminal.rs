//! On a real terminal (a pseudo-terminal here): Ctrl-C at the hidden secret
//! prompt puts echo back and exits 130; `wait` draws a progress bar.

#![cfg(target_os = "linux")]

mod support;

use std::fs::File;
use std::io::{Read, Write};
use std::process::{Child, Command};

use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use rustix::termios::{LocalModes, tcgetattr};
use support::{SECRET, world};
use wsc_mock::Phase;

/// A pseudo-terminal: (master, path of the slave).
fn pty() -> (File, std::path::PathBuf) {
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let path = std::path::PathBuf::from(name.to_str().unwrap());
    (File::from(master), path)
}

/// `wsc args` in a new session whose controlling terminal is the slave.
fn spawn_on(slave: &std::path::Path, env: &[(&str, &str)], args: &[&str]) -> Child {
    let open = || {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(slave)
            .unwrap()
    };
    let mut cmd = Command::new("setsid");
    cmd.arg("-c")
        .arg(assert_cmd::cargo::cargo_bin("wsc"))
        .args(args)
        .env_clear()
        .env("TERM", "xterm")
        .stdin(open())
        .stdout(open())
        .stderr(open());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().unwrap()
}

/// Reads the master until `needle` shows (bounded by a byte count).
fn read_until(master: &mut File, needle: &str) -> String {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while seen.len() < 1 << 20 {
        let n = master.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&buf[..n]);
        if String::from_utf8_lossy(&seen).contains(needle) {
            break;
        }
    }
    String::from_utf8_lossy(&seen).into_owned()
}

#[test]
fn ctrl_c_at_the_secret_prompt_restores_echo() {
    let w = world();
    let (mut master, slave) = pty();
    let slave_file = File::open(&slave).unwrap();
    let home = w.home.path().to_str().unwrap().to_owned();
    let mut child = spawn_on(&slave, &[("HOME", &home)], &["configure"]);
    let seen = read_until(&mut master, "access key id");
    assert!(seen.contains("access key id"), "{seen}");
    master.write_all(b"AKTERMINAL\n").unwrap();
    let seen = read_until(&mut master, "(hidden)");
    assert!(seen.contains("(hidden)"), "{seen}");
    // The prompt turns echo off; give it a moment to do so (bounded).
    let mut echo_off = false;
    for _ in 0..250 {
        echo_off = !tcgetattr(&slave_file)
            .unwrap()
            .local_modes
            .contains(LocalModes::ECHO);
        if echo_off {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(echo_off, "the prompt hides what is typed");
    let pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(
        tcgetattr(&slave_file)
            .unwrap()
            .local_modes
            .contains(LocalModes::ECHO),
        "echo is back on"
    );
    assert!(!w.home.path().join(".ncloud").exists(), "nothing saved");
}

#[test]
fn wait_draws_a_progress_bar_on_a_terminal() {
    let w = world();
    let running = w.id_with_phase(Phase::Diagnosing);
    let (mut master, slave) = pty();
    let home = w.home.path().to_str().unwrap().to_owned();
    let mut child = spawn_on(
        &slave,
        &[
            ("HOME", &home),
            ("WSC_ENDPOINT", w.server.base_url()),
            ("NCLOUD_ACCESS_KEY_ID", support::ACCESS),
            ("NCLOUD_SECRET_ACCESS_KEY", SECRET),
        ],
        &["wait", &running, "--interval", "1", "--wait-timeout", "2"],
    );
    let seen = read_until(&mut master, "stopped waiting");
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(3), "{seen}");
    assert!(seen.contains('%') && seen.contains('█'), "a bar: {seen:?}");
    assert!(!seen.contains(SECRET));
}
