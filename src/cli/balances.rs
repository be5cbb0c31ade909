//! `sluice balances`: each customer's balance as the billing system's transactions in the
//! ledger say it (the latest version of each transaction), per currency.

use std::path::PathBuf;

use serde_json::json;
use sluice::ledger::{self, CustomerBalance, Ledger};
use sluice::pipeline;

#[derive(clap::Args)]
pub struct BalancesArgs {
    /// The pipeline file, e.g. pipelines/demo.toml
    #[arg(long)]
    pipeline: PathBuf,
    /// Only this customer (the billing system's customer number)
    #[arg(long)]
    customer: Option<String>,
    /// Print the balances as one JSON array (for scripts)
    #[arg(long)]
    json: bool,
}

pub fn main(args: BalancesArgs) -> u8 {
    let pipeline = match pipeline::load(&args.pipeline) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            eprintln!(
                "fix the pipeline file first (`sluice check --pipeline {}`)",
                args.pipeline.display()
            );
            return 2;
        }
    };
    let facts = match Ledger::new(&pipeline.ledger).load() {
        Ok(facts) => facts,
        Err(e) => {
            eprintln!("sluice balances: the ledger cannot be read: {e}");
            return 1;
        }
    };
    let balances: Vec<CustomerBalance> = ledger::balances(&facts.transactions)
        .into_iter()
        .filter(|b| args.customer.as_ref().is_none_or(|c| &b.customer_id == c))
        .collect();
    if let (Some(customer), true) = (&args.customer, balances.is_empty()) {
        eprintln!("sluice balances: no transaction of customer \"{customer}\" in the ledger");
        return 1;
    }
    if args.json {
        let out: Vec<serde_json::Value> = balances.iter().map(balance_json).collect();
        println!("{}", serde_json::Value::Array(out));
    } else {
        print!("{}", text(&balances));
    }
    0
}

fn balance_json(b: &CustomerBalance) -> serde_json::Value {
    let per_currency: serde_json::Map<String, serde_json::Value> = b
        .balances
        .iter()
        .map(|(c, a)| (c.code().to_string(), json!(a.to_string())))
        .collect();
    json!({
        "customer_id": b.customer_id,
        "balances": per_currency,
        "transactions": b.transactions,
    })
}

fn text(balances: &[CustomerBalance]) -> String {
    if balances.is_empty() {
        return "no billing transactions in the ledger yet\n".to_string();
    }
    let mut out = format!("{:<14} {:>16}  transactions\n", "customer", "balance");
    for b in balances {
        for (currency, amount) in &b.balances {
            out.push_str(&format!(
                "{:<14} {:>16}  {}\n",
                b.customer_id,
                format!("{currency} {amount}"),
                b.transactions
            ));
        }
    }
    out
}
