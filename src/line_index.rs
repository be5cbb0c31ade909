//! Byte offsets to 1-based line numbers, the one way sluice names a line in a message.
//! (The csv crate's own line counter is off by one after `\r\n` and blank lines, so sources
//! count lines from byte offsets themselves.)

pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The line holding the byte at `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// Where line `line` (1-based) starts; the end of the text past the last line.
    pub fn start(&self, line: usize, text_len: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(text_len)
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn lines_are_counted_the_way_an_editor_shows_them() {
        let text = "a\r\nb\n\nc";
        let index = LineIndex::new(text);
        assert_eq!(index.line(0), 1);
        assert_eq!(index.line(3), 2);
        assert_eq!(index.line(5), 3);
        assert_eq!(index.line(6), 4);
        assert_eq!(index.start(2, text.len()), 3);
        assert_eq!(index.start(9, text.len()), text.len());
    }
}
