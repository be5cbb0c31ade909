//! The one pass over the XML with quick-xml's streaming `Reader`. An element stack gives
//! every value its line and path (`/Document/CstmrDrctDbtInitn/PmtInf[2]/DrctDbtTxInf[3]`;
//! `[n]` from the second sibling of a name on). The format names its scopes — the elements
//! whose values belong together: a statement entry, one collection — and gets each one as it
//! closes, with the leaf values below it keyed by their path relative to the scope (`Amt`,
//! `Amt/@Ccy`, `BookgDt/Dt`), so it can ask for each value the way every version spells it.
//! A value belongs to the innermost open scope only. Memory holds the open scopes, never a
//! tree of the file.
//!
//! No DTD is ever read: a DOCTYPE refuses the file, and the only entities are XML's five and
//! character references — an entity bomb has nothing to expand.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::PrefixDeclaration;
use quick_xml::reader::Reader;

use super::values::{Element, Field, Fields};
use super::{Texts, refusal};
use crate::sources::{InputFile, SourceError};

/// Far deeper than any ISO 20022 document nests (about 15 levels); bounds work on hostile
/// input.
const MAX_DEPTH: usize = 64;

/// What a format tells the walk, and what it is told.
pub(crate) trait Visitor {
    /// Which message and version a document is.
    type Message;

    /// The message `<Document>`'s namespace names, if the format reads it.
    fn message(&self, namespace: &str) -> Option<Self::Message>;

    /// Called as each element below `<Document>` opens; `names` is the stack of local names
    /// from `Document` down to the new element. `Ok(true)` makes the element a scope.
    fn open(
        &mut self,
        message: &Self::Message,
        names: &[&str],
        line: u64,
        path: &str,
    ) -> Result<bool, SourceError>;

    /// A scope closed, with the values below it that no inner scope took.
    fn close(&mut self, message: &Self::Message, scope: Element) -> Result<(), SourceError>;
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

/// Streams `text`, telling `visitor` of every scope; returns which message the document is.
pub(crate) fn walk<V: Visitor>(
    file: &InputFile<'_>,
    text: &str,
    texts: &Texts,
    visitor: &mut V,
) -> Result<V::Message, SourceError> {
    let mut reader = Reader::from_str(text);
    let mut walker = Walker {
        file,
        texts,
        visitor,
        text,
        stack: Vec::new(),
        message: None,
        root_closed: false,
        scopes: Vec::new(),
    };
    // Events only move forward, so the line is counted on from the last event rather than
    // looked up: a lookup per event was a fifth of the whole parse of a large statement.
    let (mut counted_to, mut line) = (0usize, 1u64);
    loop {
        let position = usize::try_from(reader.buffer_position())
            .unwrap_or(usize::MAX)
            .min(text.len());
        line += newlines(&text.as_bytes()[counted_to..position]);
        counted_to = position;
        let event = reader
            .read_event()
            .map_err(|e| walker.not_xml(&e, reader.error_position()))?;
        match event {
            Event::Start(e) => walker.open(&e, line)?,
            Event::Empty(e) => {
                walker.open(&e, line)?;
                walker.close()?;
            }
            Event::End(_) => walker.close()?,
            Event::Text(t) => walker.text(&t.xml10_content(), line)?,
            Event::CData(c) => walker.text(&c.xml10_content(), line)?,
            Event::GeneralRef(r) => {
                let resolved = walker.reference(&r, line)?;
                walker.text(&resolved.to_string(), line)?;
            }
            Event::DocType(_) => return Err(walker.doctype(line)),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    walker.finish()
}

struct Walker<'w, 'a, V: Visitor> {
    file: &'w InputFile<'a>,
    texts: &'w Texts,
    visitor: &'w mut V,
    text: &'w str,
    stack: Vec<Frame>,
    message: Option<V::Message>,
    root_closed: bool,
    /// Open scopes, outermost first, with the depth of their element (the root is 1).
    scopes: Vec<(usize, Element)>,
}

impl<V: Visitor> Walker<'_, '_, V> {
    /// The line of any byte, for refusals (rare, so counting from the start is fine).
    fn line(&self, offset: u64) -> u64 {
        let offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        1 + newlines(&self.text.as_bytes()[..offset])
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
                self.texts.ask_again,
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
                    self.texts.ask_again,
                ));
            }
            None => format!("/{name}"),
        };
        self.stack.push(Frame {
            name: name.clone(),
            path: path.clone(),
            line,
            text: String::new(),
            has_children: false,
            children: Vec::new(),
        });
        match &self.message {
            None => self.message = Some(self.root(e, &name, line, &path)?),
            Some(message) => {
                let names: Vec<&str> = self.stack.iter().map(|f| f.name.as_str()).collect();
                if self.visitor.open(message, &names, line, &path)? {
                    let scope = Element {
                        name,
                        line,
                        path,
                        fields: Fields::default(),
                    };
                    self.scopes.push((self.stack.len(), scope));
                    return Ok(());
                }
            }
        }
        self.attributes(e, line, &path)
    }

    /// Checks every attribute of an element that is not a scope, and files those below a
    /// scope (`Amt/@Ccy`). A malformed one refuses the file wherever it stands.
    fn attributes(&mut self, e: &BytesStart<'_>, line: u64, path: &str) -> Result<(), SourceError> {
        // The element's path relative to its scope, worked out at its first attribute.
        let mut element = None;
        for attribute in e.attributes() {
            let attribute = attribute.map_err(|err| {
                self.refuse(
                    line,
                    Some(path.to_string()),
                    format!("has a malformed attribute: {err}"),
                    self.texts.ask_again,
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
                        Some(path.to_string()),
                        format!("has an attribute that cannot be read: {err}"),
                        self.texts.ask_again,
                    )
                })?;
            if element.is_none() {
                element = self.relative_key();
            }
            let Some(element) = &element else {
                continue;
            };
            let name = attribute.key.local_name().as_ref().to_string();
            let field = Field {
                value: value.trim().to_string(),
                line,
                path: format!("{path}/@{name}"),
            };
            self.file_value(format!("{element}/@{name}"), field);
        }
        Ok(())
    }

    /// Closes the innermost element: hands a scope to the visitor, files a leaf value.
    fn close(&mut self) -> Result<(), SourceError> {
        let depth = self.stack.len();
        let key = self.relative_key();
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        if depth == 1 {
            self.root_closed = true;
        }
        if self.scopes.last().is_some_and(|(d, _)| *d == depth) {
            if let (Some((_, scope)), Some(message)) = (self.scopes.pop(), &self.message) {
                self.visitor.close(message, scope)?;
            }
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
        Ok(())
    }

    /// The path of the innermost element relative to the innermost scope (`BookgDt/Dt`);
    /// `None` outside every scope and for the scope element itself.
    fn relative_key(&self) -> Option<String> {
        let (depth, _) = self.scopes.last()?;
        let below = self.stack.get(*depth..)?;
        if below.is_empty() {
            return None;
        }
        let names: Vec<&str> = below.iter().map(|f| f.name.as_str()).collect();
        Some(names.join("/"))
    }

    fn file_value(&mut self, key: String, field: Field) {
        if let Some((_, scope)) = self.scopes.last_mut() {
            scope.fields.push(key, field);
        }
    }

    fn text(&mut self, text: &str, line: u64) -> Result<(), SourceError> {
        match self.stack.last_mut() {
            Some(frame) => frame.text.push_str(text),
            None if text.trim().is_empty() => {}
            None => {
                return Err(self.refuse(
                    line,
                    None,
                    "holds text outside the <Document> element: this is not an ISO 20022 XML file"
                        .to_string(),
                    self.texts.wrong_file,
                ));
            }
        }
        Ok(())
    }

    /// A character reference or one of XML's five entities; nothing else is defined.
    fn reference(&self, r: &BytesRef<'_>, line: u64) -> Result<char, SourceError> {
        let bad = |message: String| {
            self.refuse(line, self.innermost_path(), message, self.texts.ask_again)
        };
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
            self.texts.doctype,
        )
    }

    fn not_xml(&self, error: &quick_xml::Error, offset: u64) -> SourceError {
        self.refuse(
            self.line(offset),
            self.innermost_path(),
            format!("is not well-formed XML ({error})"),
            self.texts.ask_again,
        )
    }

    /// `Document` in a namespace the format reads.
    fn root(
        &self,
        e: &BytesStart<'_>,
        name: &str,
        line: u64,
        path: &str,
    ) -> Result<V::Message, SourceError> {
        let supported = self.texts.supported;
        if name != "Document" {
            return Err(self.refuse(
                line,
                Some(path.to_string()),
                format!(
                    "the document element is <{name}>, not an ISO 20022 <Document>: {supported}"
                ),
                self.texts.wrong_file,
            ));
        }
        let prefix = e.name().prefix().map(|p| p.as_ref().to_string());
        let mut namespace = None;
        for attribute in e.attributes().flatten() {
            let binds = match attribute.key.as_namespace_binding() {
                Some(PrefixDeclaration::Default) => prefix.is_none(),
                Some(PrefixDeclaration::Named(p)) => prefix.as_deref() == Some(p),
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
                format!("<Document> has no ISO 20022 namespace, so its message and version are unknown: {supported}"),
                self.texts.no_namespace,
            ));
        };
        self.visitor.message(&namespace).ok_or_else(|| {
            self.refuse(
                line,
                Some(path.to_string()),
                format!("the namespace is \"{namespace}\": {supported}"),
                self.texts.other_namespace,
            )
        })
    }

    fn finish(self) -> Result<V::Message, SourceError> {
        let last_line = self.line(self.text.len().saturating_sub(1) as u64);
        if let Some(open) = self.stack.last() {
            return Err(self.refuse(
                last_line,
                Some(open.path.clone()),
                format!(
                    "the file ends inside <{}> (opened on line {})",
                    open.name, open.line
                ),
                self.texts.ask_again,
            ));
        }
        self.message.ok_or_else(|| {
            refusal(
                self.file,
                Some(last_line),
                None,
                format!("holds no XML element: {}", self.texts.supported),
                self.texts.wrong_file,
            )
        })
    }
}

fn newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}
