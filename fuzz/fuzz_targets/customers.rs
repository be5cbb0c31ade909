//! The billing system's customer export (IBANs, mandates, partners).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    sluice_fuzz::parse_with_source("billing-customers", bytes);
});
