//! The ISO 20022 external status reason codes SEPA direct debits come back with, in words a
//! finance person can act on. An unknown code is shown as it is.

pub fn describe(code: &str) -> String {
    let words = match code {
        "AC01" => "account number incorrect",
        "AC04" => "account closed",
        "AC06" => "account blocked",
        "AC13" => "debtor account is a consumer account",
        "AG01" => "transaction forbidden on this account",
        "AG02" => "invalid bank operation code",
        "AM04" => "insufficient funds",
        "AM05" => "duplicate collection",
        "BE05" => "creditor identifier unknown",
        "CNOR" => "creditor bank not registered",
        "DNOR" => "debtor bank not registered",
        "FF01" => "invalid file format",
        "FOCR" => "cancellation requested by the creditor",
        "FRAD" => "fraudulent origin",
        "MD01" => "no valid mandate",
        "MD02" => "mandate data missing or incorrect",
        "MD06" => "refund requested by the debtor",
        "MD07" => "debtor deceased",
        "MS02" => "refused by the debtor",
        "MS03" => "reason not specified",
        "RC01" => "BIC incorrect",
        "RR01" => "debtor account or identification missing",
        "RR02" => "debtor name or address missing",
        "RR03" => "creditor name or address missing",
        "RR04" => "regulatory reason",
        "SL01" => "specific service offered by the debtor bank",
        "TECH" => "technical problem",
        _ => "",
    };
    match (code.is_empty(), words.is_empty()) {
        (true, _) => "no reason given".to_string(),
        (false, true) => code.to_string(),
        (false, false) => format!("{code} ({words})"),
    }
}
