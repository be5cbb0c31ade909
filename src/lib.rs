//! sluice: bank statements and billing exports in; a reconciled Parquet ledger and staged,
//! verifiable batches for accounting platforms out. See DESIGN.md for the data flow.

pub mod model;
pub mod pipeline;
pub mod sources;
