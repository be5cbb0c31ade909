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

use std::fmt::Write as _;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::PrefixDeclaration;
use quick_xml::reader::Reader;

use super::values::{Element, Fields};
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

/// One open element. Frames are reused as elements open and close, buffers and all, so
/// opening an element allocates nothing once the walk is under way.
#[derive(Default)]
struct Frame<'t> {
    /// The local name, a slice of the document.
    name: &'t str,
    /// Where this element's path ends in `Walker::path`.
    path_end: usize,
    line: u64,
    text: String,
    has_children: bool,
    /// How many children of each name were opened so far: the `[n]` of the next one.
    children: Vec<(&'t str, u32)>,
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
        frames: Vec::new(),
        depth: 0,
        names: Vec::new(),
        path: String::new(),
        scratch: String::new(),
        message: None,
        root_closed: false,
        scopes: Vec::new(),
    };
    // Events only move forward, so the line of each element is counted on from the last
    // one rather than looked up (a lookup per event was a fifth of the whole parse of a
    // large statement). Other events need a line only for a refusal, worked out then.
    let (mut counted_to, mut line) = (0usize, 1u64);
    loop {
        let start = usize::try_from(reader.buffer_position())
            .unwrap_or(usize::MAX)
            .min(text.len());
        let event = reader
            .read_event()
            .map_err(|e| walker.not_xml(&e, reader.error_position()))?;
        let mut line_here = || {
            line += newlines(&text.as_bytes()[counted_to..start]);
            counted_to = start;
            line
        };
        match event {
            Event::Start(e) => walker.open(&e, line_here())?,
            Event::Empty(e) => {
                walker.open(&e, line_here())?;
                walker.close()?;
            }
            Event::End(_) => walker.close()?,
            // The indentation between elements is most of a file's text events and no
            // value (an element with children has none): it is passed over undecoded.
            Event::Text(_) if walker.between_children() => {}
            Event::Text(t) => walker.text(&t.xml10_content(), start)?,
            Event::CData(c) => walker.text(&c.xml10_content(), start)?,
            Event::GeneralRef(r) => {
                let resolved = walker.reference(&r, start)?;
                walker.text(&resolved.to_string(), start)?;
            }
            Event::DocType(_) => return Err(walker.doctype(line_here())),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    walker.finish()
}

struct Walker<'w, 'a, 't, V: Visitor> {
    file: &'w InputFile<'a>,
    texts: &'w Texts,
    visitor: &'w mut V,
    text: &'t str,
    /// The open elements are `frames[..depth]`; the rest wait to be reused.
    frames: Vec<Frame<'t>>,
    depth: usize,
    /// The local names of the open elements, from `Document` down.
    names: Vec<&'t str>,
    /// The path of the innermost open element; each frame knows where its own ends.
    path: String,
    /// Where an attribute's path below its scope is put together.
    scratch: String,
    message: Option<V::Message>,
    root_closed: bool,
    /// Open scopes, outermost first, with the depth of their element (the root is 1).
    scopes: Vec<(usize, Element)>,
}

impl<'t, V: Visitor> Walker<'_, '_, 't, V> {
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
        (self.depth > 0).then(|| self.path.clone())
    }

    /// Where the path of the element at `depth` (the root is 1) ends; 0 above the root.
    fn path_end(&self, depth: usize) -> usize {
        depth
            .checked_sub(1)
            .and_then(|i| self.frames.get(i))
            .map_or(0, |f| f.path_end)
    }

    /// The element's local name as a slice of the document, which is what quick-xml hands
    /// out when reading from a `&str`: names then cost no allocation.
    fn name_of(&self, e: &BytesStart<'_>, line: u64) -> Result<&'t str, SourceError> {
        let name = e.local_name();
        let name = name.as_ref();
        let start = (name.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
        start
            .checked_add(name.len())
            .and_then(|end| self.text.get(start..end))
            .filter(|found| *found == name)
            .ok_or_else(|| {
                self.refuse(
                    line,
                    self.innermost_path(),
                    "has an element name that could not be read".to_string(),
                    self.texts.ask_again,
                )
            })
    }

    fn open(&mut self, e: &BytesStart<'_>, line: u64) -> Result<(), SourceError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.refuse(
                line,
                self.innermost_path(),
                format!("elements are nested more than {MAX_DEPTH} deep: this is no bank file"),
                self.texts.ask_again,
            ));
        }
        let name = self.name_of(e, line)?;
        if self.depth == 0 && self.root_closed {
            return Err(self.refuse(
                line,
                Some(format!("/{name}")),
                "holds a second document after </Document>".to_string(),
                self.texts.ask_again,
            ));
        }
        let sibling = match self.depth.checked_sub(1).map(|i| &mut self.frames[i]) {
            Some(parent) => {
                parent.has_children = true;
                match parent.children.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, count)) => {
                        *count += 1;
                        *count
                    }
                    None => {
                        parent.children.push((name, 1));
                        1
                    }
                }
            }
            None => 1,
        };
        self.path.truncate(self.path_end(self.depth));
        self.path.push('/');
        self.path.push_str(name);
        if sibling > 1 {
            let _ = write!(self.path, "[{sibling}]");
        }
        if self.frames.len() == self.depth {
            self.frames.push(Frame::default());
        }
        let frame = &mut self.frames[self.depth];
        frame.name = name;
        frame.path_end = self.path.len();
        frame.line = line;
        frame.text.clear();
        frame.has_children = false;
        frame.children.clear();
        self.depth += 1;
        self.names.push(name);
        match &self.message {
            None => self.message = Some(self.root(e, name, line)?),
            Some(message) => {
                if self.visitor.open(message, &self.names, line, &self.path)? {
                    let scope = Element {
                        name: name.to_string(),
                        line,
                        path: self.path.clone(),
                        fields: Fields::new(self.path.clone()),
                    };
                    self.scopes.push((self.depth, scope));
                    return Ok(());
                }
            }
        }
        self.attributes(e, line)
    }

    /// Checks every attribute of an element that is not a scope, and files those below a
    /// scope (`Amt/@Ccy`). A malformed one refuses the file wherever it stands.
    fn attributes(&mut self, e: &BytesStart<'_>, line: u64) -> Result<(), SourceError> {
        let below_scope = self
            .scopes
            .last()
            .map(|(depth, _)| *depth)
            .filter(|depth| *depth < self.depth);
        for attribute in e.attributes() {
            let attribute = attribute.map_err(|err| {
                self.refuse(
                    line,
                    self.innermost_path(),
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
                        self.innermost_path(),
                        format!("has an attribute that cannot be read: {err}"),
                        self.texts.ask_again,
                    )
                })?;
            let Some(scope_depth) = below_scope else {
                continue;
            };
            let scope_end = self.path_end(scope_depth);
            self.scratch.clear();
            self.scratch.push_str(&self.path[scope_end..]);
            self.scratch.push_str("/@");
            self.scratch.push_str(attribute.key.local_name().as_ref());
            if let Some((_, scope)) = self.scopes.last_mut() {
                scope.fields.push(&self.scratch, value.trim(), line);
            }
        }
        Ok(())
    }

    /// Closes the innermost element: hands a scope to the visitor, files a leaf value.
    fn close(&mut self) -> Result<(), SourceError> {
        let depth = self.depth;
        let Some(frame) = depth.checked_sub(1).and_then(|i| self.frames.get(i)) else {
            return Ok(());
        };
        if depth == 1 {
            self.root_closed = true;
        }
        match self.scopes.last_mut() {
            Some((scope_depth, _)) if *scope_depth == depth => {
                if let (Some((_, scope)), Some(message)) = (self.scopes.pop(), &self.message) {
                    self.visitor.close(message, scope)?;
                }
            }
            Some((scope_depth, scope)) if !frame.has_children => {
                let scope_end = scope_depth
                    .checked_sub(1)
                    .and_then(|i| self.frames.get(i))
                    .map_or(0, |f| f.path_end);
                scope
                    .fields
                    .push(&self.path[scope_end..], frame.text.trim(), frame.line);
            }
            _ => {}
        }
        self.depth -= 1;
        self.names.pop();
        self.path.truncate(self.path_end(self.depth));
        Ok(())
    }

    fn between_children(&self) -> bool {
        self.depth
            .checked_sub(1)
            .and_then(|i| self.frames.get(i))
            .is_some_and(|f| f.has_children)
    }

    /// Text at byte `start` (its line is worked out only for a refusal).
    fn text(&mut self, text: &str, start: usize) -> Result<(), SourceError> {
        match self.depth.checked_sub(1).map(|i| &mut self.frames[i]) {
            Some(frame) => frame.text.push_str(text),
            None if text.trim().is_empty() => {}
            None => {
                return Err(self.refuse(
                    self.line(start as u64),
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
    fn reference(&self, r: &BytesRef<'_>, start: usize) -> Result<char, SourceError> {
        let bad = |message: String| {
            self.refuse(
                self.line(start as u64),
                self.innermost_path(),
                message,
                self.texts.ask_again,
            )
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
    fn root(&self, e: &BytesStart<'_>, name: &str, line: u64) -> Result<V::Message, SourceError> {
        let path = format!("/{name}");
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
        if let Some(open) = self.depth.checked_sub(1).and_then(|i| self.frames.get(i)) {
            return Err(self.refuse(
                last_line,
                Some(self.path.clone()),
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

/// Lines are counted over every byte of the file: in blocks whose count fits a byte, which
/// the compiler turns into vector code.
fn newlines(bytes: &[u8]) -> u64 {
    let count = |block: &[u8]| block.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>();
    let mut blocks = bytes.chunks_exact(128);
    let whole: u64 = blocks.by_ref().map(|block| u64::from(count(block))).sum();
    whole + u64::from(count(blocks.remainder()))
}

#[cfg(test)]
mod tests {
    use super::newlines;

    #[test]
    fn newlines_are_counted_across_blocks_and_their_remainder() {
        // 255 newlines in one block would still fit the byte a block is counted in.
        let text: Vec<u8> = (0..1000u32)
            .map(|i| if i % 3 == 0 || i < 128 { b'\n' } else { b'x' })
            .collect();
        for end in [0, 1, 127, 128, 129, 255, 256, 257, 1000] {
            let naive = text[..end].iter().filter(|&&b| b == b'\n').count() as u64;
            assert_eq!(newlines(&text[..end]), naive, "{end}");
        }
    }
}
