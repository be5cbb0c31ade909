//! The billing system's debit/credit transaction export.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    sluice_fuzz::parse_with_source("billing-transactions", bytes);
});
