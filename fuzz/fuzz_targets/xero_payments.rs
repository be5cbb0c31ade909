//! Payments pulled from Xero (`xero-payments-*.jsonl`: a header line, then one payment per
//! line in Xero's own JSON).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    sluice_fuzz::parse_with_source("xero-received", bytes);
});
