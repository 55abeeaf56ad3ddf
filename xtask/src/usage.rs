//! What each `cargo xtask` command takes, in one table: its `--help`, and the
//! check that refuses an argument it does not know (rather than running with
//! the argument ignored).

/// One command: its name, what it does, and the arguments it takes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Spec {
    /// The command's name (`cargo xtask NAME`).
    pub name: &'static str,
    /// One line: what it does.
    pub about: &'static str,
    /// Flags without a value, each with what it does.
    pub flags: &'static [(&'static str, &'static str)],
    /// Options that take a value (`--out DIR`), each with what it does.
    pub options: &'static [(&'static str, &'static str)],
    /// Words it takes as they are (the fuzz targets), if any.
    pub words: &'static [&'static str],
}

/// Every command.
pub(crate) const COMMANDS: &[Spec] = &[
    Spec {
        name: "ci",
        about: "what CI checks: fmt, clippy, tests, docs, packaging, features, the public API, the README's tour",
        flags: &[],
        options: &[],
        words: &[],
    },
    Spec {
        name: "demo",
        about: "the real `wsc` binary against wsc-mock, offline",
        flags: &[
            (
                "--keep-running",
                "leave the mock running and print how to use it",
            ),
            ("--readme", "write the tour into README.md"),
            (
                "--check-readme",
                "fail if README.md's tour is not the demo's output",
            ),
        ],
        options: &[],
        words: &[],
    },
    Spec {
        name: "bench",
        about: "every benchmark against its baseline, one table",
        flags: &[
            ("--quick", "fewer samples (a smoke run)"),
            ("--no-callgrind", "skip the instruction counts"),
            ("--processes", "only the whole-process rows"),
        ],
        options: &[],
        words: &[],
    },
    Spec {
        name: "fuzz",
        about: "the cargo-fuzz targets for a time budget each (all, or those named)",
        flags: &[],
        options: &[("--seconds", "N: seconds per target (default 60)")],
        words: crate::fuzz::TARGETS,
    },
    Spec {
        name: "soak",
        about: "the fault soak of the hyper client (release build)",
        flags: &[],
        options: &[],
        words: &[],
    },
    Spec {
        name: "features",
        about: "no library crate pulls a server or signal handling into its users' builds",
        flags: &[],
        options: &[],
        words: &[],
    },
    Spec {
        name: "public-api",
        about: "each library's public API against its snapshot",
        flags: &[("--bless", "rewrite the snapshots")],
        options: &[],
        words: &[],
    },
    Spec {
        name: "completions",
        about: "shell completions into target/completions",
        flags: &[],
        options: &[],
        words: &[],
    },
    Spec {
        name: "man",
        about: "the man pages into target/man",
        flags: &[],
        options: &[],
        words: &[],
    },
    Spec {
        name: "wheels",
        about: "the Python wheels (ncloud-wsc, ncloud-wsc-cli) into target/wheels; --check installs them in a fresh venv and runs the Python suite",
        flags: &[(
            "--check",
            "install both wheels in a fresh venv and run stubtest, mypy --strict and pytest against wsc-mock",
        )],
        options: &[],
        words: &[],
    },
    Spec {
        name: "dist",
        about: "release archives of `wsc` with SHA256SUMS, installed and run as a check",
        flags: &[
            ("--no-check", "do not install and run the archives"),
            ("--sums-only", "only rewrite SHA256SUMS"),
        ],
        options: &[
            (
                "--target",
                "TRIPLE: a target to build (repeatable; default the host)",
            ),
            ("--out", "DIR: where the archives go (default target/dist)"),
        ],
        words: &[],
    },
];

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Asked<'a> {
    /// Run `spec` with these arguments.
    Run(&'a Spec),
    /// Print this help and stop (exit 0).
    Help(String),
}

fn is_help(arg: &str) -> bool {
    matches!(arg, "-h" | "--help" | "help")
}

/// Every command, one line each.
pub(crate) fn overview() -> String {
    let mut out = String::from("usage: cargo xtask <command> [options]\n\ncommands:\n");
    for spec in COMMANDS {
        out.push_str(&format!("  {:<12} {}\n", spec.name, spec.about));
    }
    out.push_str("\n`cargo xtask <command> --help` shows a command's options.");
    out
}

/// One command's help.
pub(crate) fn help(spec: &Spec) -> String {
    let mut synopsis = format!("usage: cargo xtask {}", spec.name);
    for (flag, _) in spec.flags {
        synopsis.push_str(&format!(" [{flag}]"));
    }
    for (option, what) in spec.options {
        let value = what.split(':').next().unwrap_or("VALUE");
        synopsis.push_str(&format!(" [{option} {value}]"));
    }
    if !spec.words.is_empty() {
        synopsis.push_str(" [TARGET]...");
    }
    let mut out = format!("{synopsis}\n\n{}\n", spec.about);
    if !spec.flags.is_empty() || !spec.options.is_empty() {
        out.push_str("\noptions:\n");
        for (name, what) in spec.flags.iter().chain(spec.options) {
            out.push_str(&format!("  {name:<16} {what}\n"));
        }
    }
    if !spec.words.is_empty() {
        out.push_str(&format!("\ntargets: {}\n", spec.words.join(", ")));
    }
    out.trim_end().to_owned()
}

/// Reads the command line (without the program name): which command, or its
/// help; an unknown command or argument is an error with the usage.
pub(crate) fn parse(args: &[String]) -> Result<Asked<'static>, String> {
    let Some(name) = args.first() else {
        return Err(overview());
    };
    if is_help(name) {
        return Ok(Asked::Help(overview()));
    }
    let Some(spec) = COMMANDS.iter().find(|s| s.name == name) else {
        return Err(format!("unknown command {name:?}\n\n{}", overview()));
    };
    let mut rest = args[1..].iter();
    while let Some(arg) = rest.next() {
        let arg = arg.as_str();
        if is_help(arg) {
            return Ok(Asked::Help(help(spec)));
        }
        if spec.flags.iter().any(|(f, _)| *f == arg) || spec.words.contains(&arg) {
            continue;
        }
        if spec.options.iter().any(|(o, _)| *o == arg) {
            if rest.next().is_none() {
                return Err(format!("{arg} needs a value\n\n{}", help(spec)));
            }
            continue;
        }
        return Err(format!(
            "`{}` does not take {arg:?}\n\n{}",
            spec.name,
            help(spec)
        ));
    }
    Ok(Asked::Run(spec))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn every_command_prints_its_help_instead_of_running() {
        for spec in COMMANDS {
            for flag in ["--help", "-h"] {
                match parse(&args(&[spec.name, flag])) {
                    Ok(Asked::Help(text)) => {
                        assert!(text.starts_with(&format!("usage: cargo xtask {}", spec.name)));
                        for (name, _) in spec.flags.iter().chain(spec.options) {
                            assert!(text.contains(name), "{}: {name}", spec.name);
                        }
                    }
                    other => panic!("{} {flag}: {other:?}", spec.name),
                }
            }
            // After other arguments too.
            let mut line = vec![spec.name];
            line.extend(spec.flags.iter().map(|(f, _)| *f));
            line.push("--help");
            assert!(matches!(parse(&args(&line)), Ok(Asked::Help(_))));
        }
        assert!(matches!(parse(&args(&["--help"])), Ok(Asked::Help(_))));
    }

    #[test]
    fn an_unknown_argument_is_refused_not_ignored() {
        for spec in COMMANDS {
            let err = parse(&args(&[spec.name, "--kep-running"])).unwrap_err();
            assert!(
                err.contains("--kep-running") && err.contains("usage:"),
                "{err}"
            );
        }
        assert!(
            parse(&args(&["dist", "--out"]))
                .unwrap_err()
                .contains("needs a value")
        );
        assert!(
            parse(&args(&["nope"]))
                .unwrap_err()
                .contains("unknown command")
        );
        assert!(parse(&[]).is_err());
    }

    #[test]
    fn what_each_command_takes_is_accepted() {
        for line in [
            &["demo", "--keep-running"][..],
            &["bench", "--quick", "--no-callgrind"],
            &["fuzz", "--seconds", "5", crate::fuzz::TARGETS[0]],
            &[
                "dist",
                "--target",
                "x86_64-unknown-linux-musl",
                "--out",
                "d",
                "--no-check",
            ],
            &["public-api", "--bless"],
            &["ci"],
        ] {
            assert!(
                matches!(parse(&args(line)), Ok(Asked::Run(s)) if s.name == line[0]),
                "{line:?}"
            );
        }
    }
}
