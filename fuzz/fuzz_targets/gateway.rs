//! The payment gateways' exports: the same bytes as PayPal, Braintree, GoCardless and
//! Stripe, since each reader must refuse the others' files as calmly as its own broken ones.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sluice::pipeline::SourceFormat;

fuzz_target!(|bytes: &[u8]| {
    for format in [
        SourceFormat::PayPal,
        SourceFormat::Braintree,
        SourceFormat::GoCardless,
        SourceFormat::Stripe,
    ] {
        sluice_fuzz::parse_standard(format, bytes);
    }
});
