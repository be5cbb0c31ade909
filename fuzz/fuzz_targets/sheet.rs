//! Workbooks (XLSX, XLS, ODS through calamine) read with the invoice export's mapping, as
//! a run reads a billing export saved as a spreadsheet.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        // libFuzzer's hook aborts on every panic, even one that is caught. sluice catches
        // calamine's panics and refuses the workbook as damaged (sources/sheet), so only a
        // panic elsewhere — in sluice itself — is a finding here; calamine's are printed.
        let abort_on_panic = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_calamine = info.location().is_some_and(|l| l.file().contains("/calamine-"));
            if in_calamine {
                eprintln!("caught in calamine (refused as damaged): {info}");
            } else {
                abort_on_panic(info);
            }
        }));
    },
    |bytes: &[u8]| {
        sluice_fuzz::parse_with_source("billing-invoices", bytes);
    }
);
