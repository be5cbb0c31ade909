//! SWIFT MT940/MT942 as a run reads it, and content detection on the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sluice::pipeline::SourceFormat;

fuzz_target!(|bytes: &[u8]| {
    sluice_fuzz::parse_standard(SourceFormat::Mt940, bytes);
});
