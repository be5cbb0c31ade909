//! The billing system's invoice export as CSV: one row per invoice, and one row per line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    for layout in ["billing-invoices", "billing-lines"] {
        sluice_fuzz::parse_with_source(layout, bytes);
    }
});
