//! From the levels of a report to `PaymentStatus`es. A level that gives no status of its
//! own takes the one of the level above (a transaction its block's, a block its message's),
//! and then that level's reason too: a status and its reason always come from the same
//! element, so a reason is never pinned on a status it was not given for.

use chrono::NaiveDate;

use super::ASK_AGAIN;
use crate::model::{Lineage, PaymentStatus};
use crate::sources::iso_xml::{self, Element, Field};
use crate::sources::{InputFile, SourceError};

/// The report's own group header.
pub(super) struct Header {
    message_id: String,
    created: Option<NaiveDate>,
}

pub(super) fn header(file: &InputFile<'_>, scope: Element) -> Result<Header, SourceError> {
    let message_id = required(
        file,
        &scope,
        "MsgId",
        "the group header has no message id (MsgId)",
    )?;
    let created = scope
        .fields
        .first(&["CreDtTm"])
        .map(|f| iso_xml::date(file, f, ASK_AGAIN))
        .transpose()?;
    Ok(Header {
        message_id: message_id.value.to_string(),
        created,
    })
}

/// A status as one level of the report gives it, with the reason beside it.
#[derive(Clone, Copy)]
struct Said<'e> {
    status: Field<'e>,
    /// The element whose `StsRsnInf` explains the status.
    level: &'e Element,
}

impl<'e> Said<'e> {
    /// The status `key` (`GrpSts`, `PmtInfSts`, `TxSts`) of `level`, if it gives one.
    fn at(
        file: &InputFile<'_>,
        level: &'e Element,
        key: &str,
    ) -> Result<Option<Self>, SourceError> {
        if level.fields.first(&[key]).is_none() {
            return Ok(None);
        }
        let status = required(
            file,
            level,
            key,
            &format!("the report gives no status ({key})"),
        )?;
        Ok(Some(Said { status, level }))
    }

    /// `Rsn/Cd`, else the proprietary `Rsn/Prtry`; and every `AddtlInf`, joined.
    fn reason(&self) -> (String, String) {
        let fields = &self.level.fields;
        let code = fields.text(&["StsRsnInf/Rsn/Cd", "StsRsnInf/Rsn/Prtry"]);
        let text: Vec<&str> = fields
            .all("StsRsnInf/AddtlInf")
            .map(|f| f.value)
            .filter(|v| !v.is_empty())
            .collect();
        (code, text.join(" "))
    }
}

/// The statuses of one `OrgnlPmtInfAndSts`: one per transaction it lists, or one for the
/// block when it lists none.
pub(super) fn for_block(
    file: &InputFile<'_>,
    header: &Header,
    group: &Element,
    block: &Element,
    transactions: &[Element],
) -> Result<Vec<PaymentStatus>, SourceError> {
    let original = original_message(file, group)?;
    let block_id = required(
        file,
        block,
        "OrgnlPmtInfId",
        "the payment block's status names no original block (OrgnlPmtInfId)",
    )?;
    let own = Said::at(file, block, "PmtInfSts")?;
    let above = match own {
        Some(_) => own,
        None => Said::at(file, group, "GrpSts")?,
    };
    let record =
        |said: &Said<'_>, line: u64| status(file, header, &original, block_id.value, said, line);
    if transactions.is_empty() {
        let said = above.ok_or_else(|| {
            iso_xml::missing(
                file,
                block,
                "PmtInfSts",
                "the payment block's report gives no status (PmtInfSts), lists no transaction, and the message has no status (GrpSts) either",
                ASK_AGAIN,
            )
        })?;
        // Lineage points at the status itself, or at the block when the message gave it.
        let line = match own {
            Some(_) => said.status.line,
            None => block.line,
        };
        return Ok(vec![record(&said, line)]);
    }
    let mut statuses = Vec::with_capacity(transactions.len());
    for tx in transactions {
        let said = match Said::at(file, tx, "TxSts")? {
            Some(said) => said,
            None => match above {
                Some(said) => said,
                None => {
                    return Err(iso_xml::missing(
                        file,
                        tx,
                        "TxSts",
                        "the transaction's report gives no status (TxSts), and neither its payment block (PmtInfSts) nor the message (GrpSts) has one",
                        ASK_AGAIN,
                    ));
                }
            },
        };
        let end_to_end_id = required(
            file,
            tx,
            "OrgnlEndToEndId",
            "the transaction's status names no original end-to-end id (OrgnlEndToEndId), so it is unknown which payment it concerns",
        )?;
        let amount = iso_xml::amount(
            file,
            tx,
            "OrgnlTxRef/Amt/InstdAmt",
            "the original transaction",
            ASK_AGAIN,
        )?;
        statuses.push(PaymentStatus {
            end_to_end_id: end_to_end_id.value.to_string(),
            instruction_id: tx.fields.text(&["OrgnlInstrId"]),
            amount,
            mandate_id: tx.fields.text(&["OrgnlTxRef/MndtRltdInf/MndtId"]),
            ..record(&said, tx.line)
        });
    }
    Ok(statuses)
}

/// The one status of a report that names no payment block: for the whole message.
pub(super) fn for_message(
    file: &InputFile<'_>,
    header: &Header,
    group: &Element,
) -> Result<PaymentStatus, SourceError> {
    let original = original_message(file, group)?;
    let said = Said::at(file, group, "GrpSts")?.ok_or_else(|| {
        iso_xml::missing(
            file,
            group,
            "GrpSts",
            "the report gives no status: none for the message (GrpSts), and no payment block or transaction",
            ASK_AGAIN,
        )
    })?;
    Ok(status(file, header, &original, "", &said, said.status.line))
}

/// A record of `said` for a block (`block_id`) or, with no block, the whole message.
fn status(
    file: &InputFile<'_>,
    header: &Header,
    original: &Original<'_>,
    block_id: &str,
    said: &Said<'_>,
    line: u64,
) -> PaymentStatus {
    let (reason_code, reason_text) = said.reason();
    PaymentStatus {
        message_id: header.message_id.clone(),
        created: header.created,
        original_message_id: original.id.to_string(),
        original_message_name: original.name.to_string(),
        original_payment_information_id: block_id.to_string(),
        end_to_end_id: String::new(),
        instruction_id: String::new(),
        status: said.status.value.to_string(),
        reason_code,
        reason_text,
        amount: None,
        mandate_id: String::new(),
        lineage: Lineage {
            file_sha256: file.sha256.to_string(),
            file_name: file.name.to_string(),
            line,
        },
    }
}

/// The message reported on: its id and its kind (`pain.008.001.02`, `pain.001`).
struct Original<'e> {
    id: &'e str,
    name: &'e str,
}

fn original_message<'e>(
    file: &InputFile<'_>,
    group: &'e Element,
) -> Result<Original<'e>, SourceError> {
    let id = required(
        file,
        group,
        "OrgnlMsgId",
        "the report names no original message (OrgnlGrpInfAndSts/OrgnlMsgId)",
    )?;
    let name = required(
        file,
        group,
        "OrgnlMsgNmId",
        "the report does not say which kind of message it answers (OrgnlGrpInfAndSts/OrgnlMsgNmId, e.g. pain.008.001.02), so it is unknown whether it concerns collections",
    )?;
    Ok(Original {
        id: id.value,
        name: name.value,
    })
}

fn required<'e>(
    file: &InputFile<'_>,
    element: &'e Element,
    key: &str,
    message: &str,
) -> Result<Field<'e>, SourceError> {
    iso_xml::required(file, element, key, message, ASK_AGAIN)
}
