//! `wsc`: the command-line tool for the NAVER Cloud Platform Web Security Checker.
//!
//! A thin layer: clap parses, `wsc-core` resolves configuration and builds and
//! parses requests, `wsc-ureq` sends them. See `docs/cli.md`.

mod cli;
mod commands;
mod context;
mod exit;
mod fsutil;
mod interrupt;
mod output;
mod report;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

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
        | Command::History { timeout, .. } => timeout.timeout.or(cli.timeout),
        Command::Create(args) => args.timeout.timeout.or(cli.timeout),
        _ => cli.timeout,
    };
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
            timeout,
            wait,
            gate,
        } => commands::wait::run(&ctx, id, *timeout, wait, gate),
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
        Command::Configure => commands::configure::run(&ctx),
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .map_err(|e| {
                    Failure::new(exit::OTHER, format!("cannot render the man page: {e}"))
                })?;
            std::io::Write::write_all(&mut std::io::stdout(), &page)
                .map_err(|e| Failure::new(exit::OTHER, e.to_string()))?;
            Ok(exit::OK)
        }
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "wsc", &mut std::io::stdout());
            Ok(exit::OK)
        }
    };
    // The recording is saved whatever happened: failures are what it is for.
    let saved = ctx.save_recording();
    match (result, saved) {
        (Ok(code), Ok(())) => Ok(code),
        (Ok(_), Err(f)) | (Err(f), _) => Err(f),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(exit::USAGE));
        }
    };
    init_logging(cli.global.verbose);
    interrupt::install();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            if let Some(hint) = failure.hint {
                eprintln!("hint: {hint}");
            }
            ExitCode::from(failure.code)
        }
    }
}
