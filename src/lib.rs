//! sluice: bank statements and billing exports in; a reconciled Parquet ledger and staged,
//! verifiable batches for accounting platforms out. See DESIGN.md for the data flow.

pub mod decide;
pub mod delivery;
pub mod durable;
pub mod intake;
pub mod ledger;
pub mod line_index;
pub mod model;
pub mod outbox;
pub mod pipeline;
pub mod rebuild;
pub mod reconcile;
pub mod report;
pub mod review;
pub mod run;
pub mod sources;
pub mod status;
pub mod synthetic;
pub mod targets;
pub mod watch;
