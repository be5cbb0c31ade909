//! The one pass over the XML with quick-xml's streaming `Reader`. An element stack gives
//! every value its line and path (`/Document/BkToCstmrStmt/Stmt/Ntry[3]/Amt`; `[n]` from
//! the second sibling of a name on). Four kinds of scope — statement, balance, entry and
//! transaction details — collect the leaf values below them keyed by their path relative to
//! the scope (`Amt`, `Amt/@Ccy`, `BookgDt/Dt`), so `build` can ask for each value the way
//! every version spells it. A statement is handed over as soon as it closes: memory holds
//! one statement at a time, never a tree of the file.
//!
//! No DTD is ever read: a DOCTYPE refuses the file, and the only entities are XML's five and
//! character references — an entity bomb has nothing to expand.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::reader::Reader;

use super::{ASK_AGAIN, Message, NAMESPACE_PREFIX, refusal};
use crate::line_index::LineIndex;
use crate::sources::{InputFile, SourceError};

/// Far deeper than any camt document nests (about 12 levels); bounds work on hostile input.
const MAX_DEPTH: usize = 64;

const SUPPORTED: &str = "sluice reads camt.052, camt.053 and camt.054, versions 001.01 to 001.13";

/// One leaf value, where it stands.
#[derive(Debug)]
pub(super) struct Field {
    pub value: String,
    pub line: u64,
    pub path: String,
}

/// The leaf values below a scope, in document order, keyed by their relative path.
#[derive(Debug, Default)]
pub(super) struct Fields(Vec<(String, Field)>);

impl Fields {
    /// The first value found under the first of `keys` that has one.
    pub fn first(&self, keys: &[&str]) -> Option<&Field> {
        keys.iter()
            .find_map(|key| self.0.iter().find(|(rel, _)| rel == key).map(|(_, f)| f))
    }

    /// Whether any value lies below `element` (`RtrInf` has `RtrInf/Rsn/Cd` …).
    pub fn any_under(&self, element: &str) -> bool {
        self.0.iter().any(|(rel, _)| {
            rel.strip_prefix(element)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }

    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Field> + 'a {
        self.0
            .iter()
            .filter(move |(rel, _)| rel == key)
            .map(|(_, f)| f)
    }
}

/// A scope element: where it starts and what is below it.
#[derive(Debug)]
pub(super) struct Element {
    pub line: u64,
    pub path: String,
    pub fields: Fields,
}

impl Element {
    fn new(line: u64, path: &str) -> Element {
        Element {
            line,
            path: path.to_string(),
            fields: Fields::default(),
        }
    }
}

#[derive(Debug)]
pub(super) struct RawStatement {
    pub element: Element,
    pub balances: Vec<Element>,
    pub entries: Vec<RawEntry>,
}

#[derive(Debug)]
pub(super) struct RawEntry {
    pub element: Element,
    /// 1-based number of the entry in the file (all statements counted).
    pub number: usize,
    /// `NtryDtls/TxDtls`: one per payment in a batch booked as one entry.
    pub transactions: Vec<Element>,
}

struct Frame {
    name: String,
    path: String,
    line: u64,
    text: String,
    has_children: bool,
    /// How many children of each name were opened so far: the `[n]` of the next one.
    children: Vec<(String, u32)>,
}

/// Streams `text` and calls `on_statement` for every statement as it closes. Returns which
/// message the document is.
pub(super) fn walk(
    file: &InputFile<'_>,
    text: &str,
    mut on_statement: impl FnMut(&Message, RawStatement) -> Result<(), SourceError>,
) -> Result<Message, SourceError> {
    let mut reader = Reader::from_str(text);
    let mut walker = Walker {
        file,
        lines: LineIndex::new(text),
        text_len: text.len(),
        stack: Vec::new(),
        message: None,
        root_closed: false,
        statement: None,
        balance: None,
        entry: None,
        transaction: None,
        entries_seen: 0,
    };
    loop {
        let line = walker.line(reader.buffer_position());
        let event = reader
            .read_event()
            .map_err(|e| walker.not_xml(&e, reader.error_position()))?;
        let closed = match event {
            Event::Start(e) => {
                walker.open(&e, line)?;
                None
            }
            Event::Empty(e) => {
                walker.open(&e, line)?;
                walker.close()
            }
            Event::End(_) => walker.close(),
            Event::Text(t) => {
                walker.text(&t.xml10_content(), line)?;
                None
            }
            Event::CData(c) => {
                walker.text(&c.xml10_content(), line)?;
                None
            }
            Event::GeneralRef(r) => {
                let resolved = walker.reference(&r, line)?;
                walker.text(&resolved.to_string(), line)?;
                None
            }
            Event::DocType(_) => return Err(walker.doctype(line)),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => None,
            Event::Eof => break,
        };
        // A statement only opens below the root, whose namespace set the message.
        if let (Some(statement), Some(message)) = (closed, walker.message.as_ref()) {
            on_statement(message, statement)?;
        }
    }
    walker.finish()
}

struct Walker<'f, 'a> {
    file: &'f InputFile<'a>,
    lines: LineIndex,
    text_len: usize,
    stack: Vec<Frame>,
    message: Option<Message>,
    root_closed: bool,
    /// Open scopes with the depth of their element (the root is depth 1).
    statement: Option<(usize, RawStatement)>,
    balance: Option<(usize, Element)>,
    entry: Option<(usize, RawEntry)>,
    transaction: Option<(usize, Element)>,
    entries_seen: usize,
}

impl Walker<'_, '_> {
    fn line(&self, offset: u64) -> u64 {
        let offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text_len);
        self.lines.line(offset) as u64
    }

    fn refuse(&self, line: u64, path: Option<String>, message: String, hint: &str) -> SourceError {
        refusal(self.file, Some(line), path, message, hint)
    }

    fn innermost_path(&self) -> Option<String> {
        self.stack.last().map(|f| f.path.clone())
    }

    fn open(&mut self, e: &BytesStart<'_>, line: u64) -> Result<(), SourceError> {
        let name = e.local_name().as_ref().to_string();
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.refuse(
                line,
                self.innermost_path(),
                format!("elements are nested more than {MAX_DEPTH} deep: this is no bank file"),
                ASK_AGAIN,
            ));
        }
        let path = match self.stack.last_mut() {
            Some(parent) => {
                parent.has_children = true;
                let n = match parent.children.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, count)) => {
                        *count += 1;
                        *count
                    }
                    None => {
                        parent.children.push((name.clone(), 1));
                        1
                    }
                };
                if n > 1 {
                    format!("{}/{name}[{n}]", parent.path)
                } else {
                    format!("{}/{name}", parent.path)
                }
            }
            None if self.root_closed => {
                return Err(self.refuse(
                    line,
                    Some(format!("/{name}")),
                    "holds a second document after </Document>".to_string(),
                    ASK_AGAIN,
                ));
            }
            None => format!("/{name}"),
        };
        let parent_name = self
            .stack
            .last()
            .map(|f| f.name.clone())
            .unwrap_or_default();
        self.stack.push(Frame {
            name: name.clone(),
            path: path.clone(),
            line,
            text: String::new(),
            has_children: false,
            children: Vec::new(),
        });
        let depth = self.stack.len();
        match depth {
            1 => self.message = Some(self.root(e, &name, line, &path)?),
            2 => self.check_wrapper(&name, line, &path)?,
            _ => {}
        }
        let item = self.message.as_ref().map(|m| m.kind.item());
        if depth == 3 && Some(name.as_str()) == item {
            let statement = RawStatement {
                element: Element::new(line, &path),
                balances: Vec::new(),
                entries: Vec::new(),
            };
            self.statement = Some((depth, statement));
        } else if depth == 4 && self.statement.is_some() && name == "Bal" {
            self.balance = Some((depth, Element::new(line, &path)));
        } else if depth == 4 && self.statement.is_some() && name == "Ntry" {
            self.entries_seen += 1;
            let entry = RawEntry {
                element: Element::new(line, &path),
                number: self.entries_seen,
                transactions: Vec::new(),
            };
            self.entry = Some((depth, entry));
        } else if self.entry.is_some()
            && self.transaction.is_none()
            && name == "TxDtls"
            && parent_name == "NtryDtls"
        {
            self.transaction = Some((depth, Element::new(line, &path)));
        } else {
            for attribute in e.attributes() {
                let attribute = attribute.map_err(|err| {
                    self.refuse(
                        line,
                        Some(path.clone()),
                        format!("has a malformed attribute: {err}"),
                        ASK_AGAIN,
                    )
                })?;
                if attribute.key.as_namespace_binding().is_some() {
                    continue;
                }
                let value = attribute
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|err| {
                        self.refuse(
                            line,
                            Some(path.clone()),
                            format!("has an attribute that cannot be read: {err}"),
                            ASK_AGAIN,
                        )
                    })?;
                let Some(element) = self.relative_key() else {
                    break;
                };
                let name = attribute.key.local_name().as_ref().to_string();
                let field = Field {
                    value: value.trim().to_string(),
                    line,
                    path: format!("{path}/@{name}"),
                };
                self.file_value(format!("{element}/@{name}"), field);
            }
        }
        Ok(())
    }

    /// Closes the innermost element; returns the statement if it was one.
    fn close(&mut self) -> Option<RawStatement> {
        let depth = self.stack.len();
        let key = self.relative_key();
        let frame = self.stack.pop()?;
        if depth == 1 {
            self.root_closed = true;
        }
        if self.transaction.as_ref().is_some_and(|(d, _)| *d == depth) {
            let (_, transaction) = self.transaction.take()?;
            if let Some((_, entry)) = self.entry.as_mut() {
                entry.transactions.push(transaction);
            }
        } else if self.entry.as_ref().is_some_and(|(d, _)| *d == depth) {
            let (_, entry) = self.entry.take()?;
            if let Some((_, statement)) = self.statement.as_mut() {
                statement.entries.push(entry);
            }
        } else if self.balance.as_ref().is_some_and(|(d, _)| *d == depth) {
            let (_, balance) = self.balance.take()?;
            if let Some((_, statement)) = self.statement.as_mut() {
                statement.balances.push(balance);
            }
        } else if self.statement.as_ref().is_some_and(|(d, _)| *d == depth) {
            return self.statement.take().map(|(_, statement)| statement);
        } else if !frame.has_children
            && let Some(key) = key
        {
            let field = Field {
                value: frame.text.trim().to_string(),
                line: frame.line,
                path: frame.path,
            };
            self.file_value(key, field);
        }
        None
    }

    /// The depth of the innermost open scope's element.
    fn scope_depth(&self) -> Option<usize> {
        [
            self.transaction.as_ref().map(|(d, _)| *d),
            self.entry.as_ref().map(|(d, _)| *d),
            self.balance.as_ref().map(|(d, _)| *d),
            self.statement.as_ref().map(|(d, _)| *d),
        ]
        .into_iter()
        .flatten()
        .next()
    }

    /// The path of the innermost element relative to the innermost scope (`BookgDt/Dt`).
    fn relative_key(&self) -> Option<String> {
        let below = self.stack.get(self.scope_depth()?..)?;
        let names: Vec<&str> = below.iter().map(|f| f.name.as_str()).collect();
        Some(names.join("/"))
    }

    /// Files a value in the innermost open scope.
    fn file_value(&mut self, key: String, field: Field) {
        let fields = if let Some((_, t)) = self.transaction.as_mut() {
            &mut t.fields
        } else if let Some((_, e)) = self.entry.as_mut() {
            &mut e.element.fields
        } else if let Some((_, b)) = self.balance.as_mut() {
            &mut b.fields
        } else if let Some((_, s)) = self.statement.as_mut() {
            &mut s.element.fields
        } else {
            return;
        };
        fields.0.push((key, field));
    }

    fn text(&mut self, text: &str, line: u64) -> Result<(), SourceError> {
        match self.stack.last_mut() {
            Some(frame) => frame.text.push_str(text),
            None if text.trim().is_empty() => {}
            None => {
                return Err(self.refuse(
                    line,
                    None,
                    "holds text outside the <Document> element: this is not an XML bank file"
                        .to_string(),
                    "check that the file dropped is the camt export and not another file",
                ));
            }
        }
        Ok(())
    }

    /// A character reference or one of XML's five entities; nothing else is defined.
    fn reference(&self, r: &BytesRef<'_>, line: u64) -> Result<char, SourceError> {
        let bad = |message: String| self.refuse(line, self.innermost_path(), message, ASK_AGAIN);
        if r.is_char_ref() {
            return match r.resolve_char_ref() {
                Ok(Some(c)) => Ok(c),
                _ => Err(bad(format!(
                    "\"&{};\" is not a valid character reference",
                    r.xml10_content()
                ))),
            };
        }
        match r.xml10_content().as_ref() {
            "amp" => Ok('&'),
            "lt" => Ok('<'),
            "gt" => Ok('>'),
            "apos" => Ok('\''),
            "quot" => Ok('"'),
            other => Err(bad(format!(
                "refers to the entity \"&{other};\", which is not defined: sluice reads no DTD, so a bank file can only use &amp; &lt; &gt; &apos; &quot;"
            ))),
        }
    }

    fn doctype(&self, line: u64) -> SourceError {
        self.refuse(
            line,
            None,
            "declares a DOCTYPE: sluice refuses DTDs and entity declarations in bank files, since they can expand to gigabytes (\"billion laughs\") or read other files".to_string(),
            "a camt file from a bank has no DOCTYPE: check where this file came from",
        )
    }

    fn not_xml(&self, error: &quick_xml::Error, offset: u64) -> SourceError {
        self.refuse(
            self.line(offset),
            self.innermost_path(),
            format!("is not well-formed XML ({error})"),
            ASK_AGAIN,
        )
    }

    /// `Document` in a supported camt namespace.
    fn root(
        &self,
        e: &BytesStart<'_>,
        name: &str,
        line: u64,
        path: &str,
    ) -> Result<Message, SourceError> {
        if name != "Document" {
            return Err(self.refuse(
                line,
                Some(path.to_string()),
                format!(
                    "the document element is <{name}>, not an ISO 20022 <Document>: {SUPPORTED}"
                ),
                "check that the file dropped is the camt export and not another file",
            ));
        }
        let prefix = e.name().prefix().map(|p| p.as_ref().to_string());
        let mut namespace = None;
        for attribute in e.attributes().flatten() {
            let binds = match attribute.key.as_namespace_binding() {
                Some(quick_xml::name::PrefixDeclaration::Default) => prefix.is_none(),
                Some(quick_xml::name::PrefixDeclaration::Named(p)) => prefix.as_deref() == Some(p),
                None => false,
            };
            if binds {
                namespace = Some(attribute.value.trim().to_string());
            }
        }
        let Some(namespace) = namespace else {
            return Err(self.refuse(
                line,
                Some(path.to_string()),
                format!("<Document> has no ISO 20022 namespace, so its message and version are unknown: {SUPPORTED}"),
                "ask the bank for a camt export with its namespace (xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\" or similar)",
            ));
        };
        let known = namespace
            .strip_prefix(NAMESPACE_PREFIX)
            .and_then(Message::from_namespace);
        known.ok_or_else(|| {
            self.refuse(
                line,
                Some(path.to_string()),
                format!("the namespace is \"{namespace}\": {SUPPORTED}"),
                "check that the file dropped is a bank statement (camt.05x), not a payment order or status report",
            )
        })
    }

    fn check_wrapper(&self, name: &str, line: u64, path: &str) -> Result<(), SourceError> {
        let Some(message) = &self.message else {
            return Ok(());
        };
        let wrapper = message.kind.wrapper();
        let version_suffix = name
            .strip_prefix(wrapper)
            .is_some_and(|rest| rest.is_empty() || rest == "V01");
        if version_suffix {
            return Ok(());
        }
        Err(self.refuse(
            line,
            Some(path.to_string()),
            format!(
                "a {} document holds <{wrapper}>, but this one holds <{name}>",
                message.name
            ),
            ASK_AGAIN,
        ))
    }

    fn finish(self) -> Result<Message, SourceError> {
        let last_line = self.line(self.text_len.saturating_sub(1) as u64);
        if let Some(open) = self.stack.last() {
            return Err(self.refuse(
                last_line,
                Some(open.path.clone()),
                format!(
                    "the file ends inside <{}> (opened on line {}): it was cut short",
                    open.name, open.line
                ),
                ASK_AGAIN,
            ));
        }
        self.message.ok_or_else(|| {
            refusal(
                self.file,
                Some(last_line),
                None,
                format!("holds no XML element: {SUPPORTED}"),
                "check that the file dropped is the camt export and not an empty or other file",
            )
        })
    }
}
