//! `sluice rules`: what sluice learned from pairings (this payer is that customer); `--remove`
//! takes one back.

use std::path::PathBuf;

use sluice::decide;
use sluice::run::RunOptions;

#[derive(clap::Args)]
pub struct RulesArgs {
    /// The pipeline file, e.g. pipelines/demo.toml
    #[arg(long)]
    pipeline: PathBuf,
    /// Remove the learned rule with this id (the pairing it came from)
    #[arg(long)]
    remove: Option<String>,
    /// Who decides a removal (default: the operating system's user)
    #[arg(long)]
    by: Option<String>,
    /// Print the rules as JSON
    #[arg(long)]
    json: bool,
}

pub fn main(args: RulesArgs) -> u8 {
    let Some(pipeline) = super::load_pipeline(&args.pipeline) else {
        return 2;
    };
    if let Some(id) = &args.remove {
        let who = super::pair::who(args.by, RunOptions::now().now);
        return match decide::forget_rule(&pipeline, id, &who) {
            Ok(rule) => {
                println!(
                    "removed rule {}: {} is no longer taken for customer {}",
                    rule.id,
                    payer(&rule),
                    rule.customer_id
                );
                0
            }
            Err(e) => super::decide_failed("rules", &e),
        };
    }
    let Some(facts) = super::load_facts("rules", &pipeline) else {
        return 1;
    };
    let rules = decide::rules(&facts);
    if args.json {
        super::print_json(&rules);
        return 0;
    }
    if rules.is_empty() {
        println!(
            "no learned rules: `sluice pair` teaches one when it pairs a payer with a customer"
        );
        return 0;
    }
    for r in &rules {
        println!(
            "{}  {} is customer {}  (learned from bank line {} by {} on {})",
            r.id,
            payer(r),
            r.customer_id,
            r.bank_line,
            r.by,
            r.learned_on
        );
    }
    0
}

fn payer(rule: &decide::LearnedRule) -> String {
    if rule.counterparty_account.is_empty() {
        format!("payer \"{}\"", rule.counterparty_name)
    } else {
        format!("account {}", rule.counterparty_account)
    }
}
