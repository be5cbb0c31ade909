//! What a person looks at, read from the committed ledger alone (no lock, safe beside a
//! run): the money waiting for them, with suggestions (`unmatched`), and the whole story of
//! one bank line or invoice (`explain`).

mod explain;
mod suggest;
mod unmatched;

pub use explain::{ExplainError, Explained, InvoiceStory, LineStory, MatchFact, explain};
pub use suggest::{Suggester, Suggestion};
pub use unmatched::{Waiting, unmatched};
