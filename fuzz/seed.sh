#!/usr/bin/env bash
# Fills corpus/<target>/ with the project's own small test inputs, the starting points the
# fuzzer mutates: the shipped samples and tests/fixtures (their origins and licences are in
# each fixture folder's SOURCES.md), plus seeds/ for formats no fixture covers. The corpus
# itself is not committed: it grows with every fuzzing session.
set -euo pipefail
cd "$(dirname "$0")"
root=..
small() { find "$@" -type f -size -64k ! -name 'SOURCES.md' ! -name '*.md' ! -name LICENSE; }
put() {
  local target=$1; shift
  mkdir -p "corpus/$target"
  while IFS= read -r f; do
    cp "$f" "corpus/$target/$(sha256sum "$f" | cut -c1-16)-$(basename "$f")"
  done
}
small "$root"/samples/bank-*.csv "$root"/tests/fixtures/bank_csv "$root"/tests/fixtures/journal/bank-*.csv | put bank_csv
small "$root"/samples/camt*.xml "$root"/tests/fixtures/camt | put camt
small "$root"/samples/mt940*.sta "$root"/tests/fixtures/mt940 | put mt940
{ small "$root"/samples/pain008*.xml; small "$root"/tests/fixtures/pain | xargs grep -l 'pain\.008'; } | put pain008
{ small "$root"/samples/pain002*.xml; small "$root"/tests/fixtures/pain | xargs grep -l 'pain\.002'; } | put pain002
small "$root"/samples/invoices-*.xlsx "$root"/tests/fixtures/sheets -name '*.xls*' -o -name '*.ods' | put sheet
small "$root"/tests/fixtures/sheets/invoices.csv "$root"/samples/billing/invoice-lines-*.csv "$root"/tests/fixtures/journal/invoice-lines-*.csv | put invoice_csv
small "$root"/samples/customers-*.csv "$root"/tests/fixtures/journal/customers-*.csv | put customers
small "$root"/samples/billing/transactions-*.csv | put transactions
small "$root"/samples/stripe-*.csv "$root"/samples/gateways "$root"/tests/fixtures/gateway | put gateway
small seeds/xero_payments | put xero_payments
for d in corpus/*/; do echo "$(ls "$d" | wc -l) seed(s) in $d"; done
