//! Bank CSV through the three layouts of `pipeline.toml`: the demo bank's, a German
//! savings bank's (Windows-1252, Soll/Haben, preamble and totals rows) and one with a D/C
//! direction column.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    for layout in ["demo-bank", "sparkasse", "debit-credit-marks"] {
        sluice_fuzz::parse_with_source(layout, bytes);
    }
});
