//! The `sluice` command: parses arguments, calls the library, maps outcomes to exit codes
//! (0 ok; 3 committed but something was quarantined; 1 failure; 2 usage or pipeline error).

mod cli;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "sluice",
    version,
    about = "Bank statements and billing exports in; a reconciled ledger and accounting batches out"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// One run over everything in the inbox: parse, reconcile, append to the ledger, stage batches
    Run(cli::run::RunArgs),
    /// Run whenever files settle in the inbox, until Ctrl-C or SIGTERM
    Watch(cli::watch::WatchArgs),
    /// Check a pipeline file and report every problem with its key and line
    Check(cli::check::CheckArgs),
    /// Show what sluice reads in one file: its format, statements, balances and records
    Inspect(cli::inspect::InspectArgs),
    /// Check a batch folder against its manifest.json (every SHA-256 and count)
    Verify(cli::verify::VerifyArgs),
    /// Build the ledger again from the archived inputs and people's decisions, and compare
    Rebuild(cli::rebuild::RebuildArgs),
    /// Render a committed batch again from the ledger and prove it is byte for byte the same
    Replay(cli::replay::ReplayArgs),
    /// Where things stand: each account's last statement, missing statements, ledger totals
    Status(cli::status::StatusArgs),
    /// Each customer's balance (credit − debit) from the billing system's transactions in the ledger
    Balances(cli::balances::BalancesArgs),
    /// The money waiting for a person, with what each rule said and suggestions
    Unmatched(cli::unmatched::UnmatchedArgs),
    /// Place a bank line's waiting money by hand on invoices (or a customer's credit)
    Pair(cli::pair::PairArgs),
    /// Undo what was placed on a bank line; its money waits for a person again
    Unpair(cli::unpair::UnpairArgs),
    /// The rules learned from pairings (payer → customer); --remove takes one back
    Rules(cli::rules::RulesArgs),
    /// The whole story of one bank line or invoice
    Explain(cli::explain::ExplainArgs),
    /// Send the API requests staged in the outbox that the platform has not answered yet
    Push(cli::push::PushArgs),
    /// Take the payments received in Xero that sluice did not push into the inbox, for the next run
    Pull(cli::pull::PullArgs),
    /// A self-contained HTML page for controllers and auditors: totals, matches, charts, files, batches
    Report(cli::report::ReportArgs),
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // The watcher runs unattended: its one line per run is what its log is for. With
    // --quiet the problems are printed once, in the summary, so the log says only errors.
    init_logging(match &args.command {
        Command::Run(r) if r.quiet() => "error",
        Command::Watch(w) if w.quiet() => "error",
        Command::Watch(_) => "info",
        _ => "warn",
    });
    let code = match args.command {
        Command::Run(a) => cli::run::main(a),
        Command::Watch(a) => cli::watch::main(a),
        Command::Check(a) => cli::check::main(a),
        Command::Verify(a) => cli::verify::main(a),
        Command::Replay(a) => cli::replay::main(a),
        Command::Rebuild(a) => cli::rebuild::main(a),
        Command::Status(a) => cli::status::main(a),
        Command::Balances(a) => cli::balances::main(a),
        Command::Inspect(a) => cli::inspect::main(a),
        Command::Unmatched(a) => cli::unmatched::main(a),
        Command::Pair(a) => cli::pair::main(a),
        Command::Unpair(a) => cli::unpair::main(a),
        Command::Rules(a) => cli::rules::main(a),
        Command::Explain(a) => cli::explain::main(a),
        Command::Push(a) => cli::push::main(a),
        Command::Pull(a) => cli::pull::main(a),
        Command::Report(a) => cli::report::main(a),
    };
    ExitCode::from(code)
}

/// `default` and worse to stderr; `SLUICE_LOG=info` (or `debug`, `warn`) says more or less.
fn init_logging(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SLUICE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .without_time()
        .init();
}
