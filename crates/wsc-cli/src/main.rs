//! `wsc`: the command-line tool for the NAVER Cloud Platform Web Security Checker.
//!
//! A thin layer: clap parses, `wsc-core` resolves configuration and builds and
//! parses requests, `wsc-ureq` sends them. See `docs/cli.md`.

mod cli;
mod commands;
mod context;
mod exit;
mod fsutil;
mod gate;
mod interrupt;
mod journal;
mod man;
mod output;
mod report;
mod schema;
mod terminal;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command};
use crate::context::Ctx;
use crate::exit::Failure;

fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => return,
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = format!("wsc={level},wsc_ureq={level},wsc_core={level}");
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

fn run(cli: Cli) -> Result<u8, Failure> {
    let request_timeout = match &cli.command {
        Command::List { timeout, .. }
        | Command::Search { timeout, .. }
        | Command::Get { timeout, .. }
        | Command::Cancel { timeout, .. }
        | Command::Stop { timeout, .. }
        | Command::Report { timeout, .. }
        | Command::History { timeout, .. }
        | Command::Recover { timeout } => timeout.timeout.or(cli.timeout),
        Command::Create(args) => args.timeout.timeout.or(cli.timeout),
        Command::Wait { timeout, .. } => timeout.timeout.or(cli.timeout),
        _ => cli.timeout,
    };
    if let Command::Create(args) = &cli.command {
        if args.wait_args.interval.is_some() && !args.wait {
            return Err(Failure::usage("--interval needs --wait"));
        }
    }
    // Files that will be written are checked before anything is sent: a
    // fifo, a device or a link to one is refused, never replaced.
    let outputs = [
        cli.global.record.as_deref().map(|p| ("--record", p)),
        match &cli.command {
            Command::Report { out: Some(p), .. } => Some(("--out", p.as_path())),
            _ => None,
        },
    ];
    for (flag, path) in outputs.into_iter().flatten() {
        fsutil::write_target(path).map_err(|e| Failure::usage(format!("{flag}: {e}")))?;
    }
    if cli.global.output.report_only() && !matches!(cli.command, Command::Report { .. }) {
        return Err(Failure::usage(format!(
            "-o {} is a report format: only `wsc report` writes it (other commands take -o table or json)",
            cli.global.output.name()
        )));
    }
    let ctx = Ctx::new(cli.global.clone(), request_timeout);
    let result = match &cli.command {
        Command::List { paging, .. } => commands::jobs::list(&ctx, paging),
        Command::Search {
            url,
            memo,
            status,
            paging,
            ..
        } => commands::jobs::search(
            &ctx,
            url.as_deref(),
            memo.as_deref(),
            status.as_deref(),
            paging,
        ),
        Command::Get { id, .. } => commands::jobs::get(&ctx, id),
        Command::Create(args) => commands::create::run(&ctx, args),
        Command::Cancel { id, .. } => commands::jobs::act(&ctx, id, false),
        Command::Stop { id, .. } => commands::jobs::act(&ctx, id, true),
        Command::Wait {
            id,
            wait_timeout,
            wait,
            gate,
            ..
        } => commands::wait::run(&ctx, id, *wait_timeout, wait, gate),
        Command::Report {
            id,
            out,
            fail_on,
            gate,
            history,
            ..
        } => commands::report::run(
            &ctx,
            id,
            &commands::report::Options {
                out: out.as_deref(),
                fail_on: *fail_on,
                gate,
                history: *history,
            },
        ),
        Command::History { url, limit, .. } => commands::history::run(&ctx, url, *limit),
        Command::Recover { .. } => commands::recover::run(&ctx),
        Command::Configure => commands::configure::run(&ctx),
        Command::Man { dir: Some(dir) } => {
            let failed = |e: std::io::Error| {
                Failure::new(
                    exit::OTHER,
                    format!("cannot write the man pages into {}: {e}", dir.display()),
                )
                .hint("pass a directory you can write to")
            };
            std::fs::create_dir_all(dir).map_err(failed)?;
            man::write_pages(command(), dir).map_err(failed)?;
            ctx.note(format!("wrote the man pages into {}", dir.display()));
            Ok(exit::OK)
        }
        Command::Man { dir: None } => {
            let page = man::main_page(command()).map_err(|e| {
                Failure::new(exit::OTHER, format!("cannot render the man page: {e}"))
            })?;
            ctx.print_bytes(&page);
            Ok(exit::OK)
        }
        Command::Completions { shell } => {
            // Generated into memory: clap_complete panics on a write error.
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut command(), "wsc", &mut script);
            ctx.print_bytes(&script);
            Ok(exit::OK)
        }
    };
    // The recording is saved whatever happened: failures are what it is for.
    let saved = ctx.save_recording();
    match (result, saved, ctx.stdout_failure()) {
        (Ok(_), _, Some(f)) => Err(f),
        (Ok(code), Ok(()), None) => Ok(code),
        (Ok(_), Err(f), None) | (Err(f), _, _) => Err(f),
    }
}

/// The command line, with each command's help listing only the global
/// flags it uses.
fn command() -> clap::Command {
    let mut cmd = Cli::command();
    let globals: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        let ignored = cli::ignored_globals(&name);
        let helps = cli::global_help(&name);
        if ignored.is_empty() && helps.is_empty() {
            continue;
        }
        // A subcommand that has an argument of a global's id keeps its own
        // copy when globals are propagated: a hidden one, or one with this
        // command's help, here.
        cmd = cmd.mut_subcommand(&name, |mut sub| {
            for arg in &globals {
                let id = arg.get_id().as_str();
                if ignored.contains(&id) {
                    sub = sub.arg(arg.clone().hide(true));
                } else if let Some((_, help)) = helps.iter().find(|(h, _)| *h == id) {
                    let arg = arg.clone().help(*help).long_help(None::<&str>);
                    let arg = if arg.get_action().takes_values() {
                        arg.hide_possible_values(true)
                    } else {
                        arg
                    };
                    sub = sub.arg(arg);
                }
            }
            sub
        });
    }
    cmd
}

/// Keeps the secret key out of core dumps: no core file (RLIMIT_CORE 0),
/// and on Linux the process is not dumpable (nor attachable by other
/// processes of the user). Best effort: a refusal changes nothing else.
fn no_core_dumps() {
    #[cfg(unix)]
    {
        let none = rustix::process::Rlimit {
            current: Some(0),
            maximum: Some(0),
        };
        let _ = rustix::process::setrlimit(rustix::process::Resource::Core, none);
    }
    #[cfg(target_os = "linux")]
    let _ = rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable);
}

fn main() -> ExitCode {
    no_core_dumps();
    let cli = match command()
        .try_get_matches()
        .and_then(|mut m| Cli::from_arg_matches_mut(&mut m))
    {
        Ok(cli) => cli,
        Err(e) => {
            let code = u8::try_from(e.exit_code()).unwrap_or(exit::USAGE);
            // `--help` and `--version` go to stdout: a write error there is
            // an error like any other command's output.
            return match e.print() {
                Err(io) if code == exit::OK && io.kind() == std::io::ErrorKind::BrokenPipe => {
                    ExitCode::from(exit::BROKEN_PIPE)
                }
                Err(io) if code == exit::OK => {
                    eprintln!("error: cannot write the output: {io}");
                    ExitCode::from(exit::OTHER)
                }
                _ => ExitCode::from(code),
            };
        }
    };
    init_logging(cli.global.verbose);
    interrupt::install();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(failure) if failure.silent => ExitCode::from(failure.code),
        Err(failure) => {
            eprintln!("error: {}", output::terminal_safe_lines(&failure.message));
            if let Some(hint) = failure.hint {
                eprintln!("hint: {}", output::terminal_safe_lines(&hint));
            }
            ExitCode::from(failure.code)
        }
    }
}
