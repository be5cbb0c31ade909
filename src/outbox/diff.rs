//! The first differences between a file as staged and as replayed, for a person to read:
//! a unified diff of the lines that differ, with their line numbers. Batch files run to
//! thousands of lines, so the lines both versions share at the start and at the end are
//! left out and only the first few differing lines are shown — enough to see what changed.

/// How many differing lines are shown before the rest is only counted.
const SHOWN: usize = 5;

/// A unified diff of the first differences between `staged` and `replayed`, headed by the
/// names of the two sides.
pub fn first_differences(name: &str, staged: &[u8], replayed: &[u8]) -> String {
    if staged.contains(&0) || replayed.contains(&0) {
        return format!(
            "binary file: {} bytes in the batch, {} replayed\n",
            staged.len(),
            replayed.len()
        );
    }
    // Lines keep their ending, so a CRLF turned LF is a difference too.
    let old: Vec<&[u8]> = staged.split_inclusive(|b| *b == b'\n').collect();
    let new: Vec<&[u8]> = replayed.split_inclusive(|b| *b == b'\n').collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let old = &old[prefix..old.len() - suffix];
    let new = &new[prefix..new.len() - suffix];

    let mut text = format!("--- {name} (in the batch)\n+++ {name} (replayed from the ledger)\n");
    let mut shown = 0;
    let mut differing = 0;
    for i in 0..old.len().max(new.len()) {
        let (a, b) = (old.get(i), new.get(i));
        if a == b {
            continue;
        }
        differing += 1;
        if shown == SHOWN {
            continue;
        }
        shown += 1;
        let line = prefix + i + 1;
        let count = |side: Option<&&[u8]>| usize::from(side.is_some());
        text.push_str(&format!(
            "@@ -{line},{} +{line},{} @@\n",
            count(a),
            count(b)
        ));
        // Lines alike but for their ending say which ending each has.
        let only_ending = matches!((a, b), (Some(x), Some(y)) if body(x) == body(y));
        for (sign, side) in [('-', a), ('+', b)] {
            if let Some(bytes) = side {
                text.push(sign);
                text.push_str(&String::from_utf8_lossy(body(bytes)));
                if only_ending {
                    text.push_str(&format!("  [ends {}]", ending(bytes)));
                }
                text.push('\n');
            }
        }
    }
    if differing > shown {
        text.push_str(&format!(
            "… {} more differing line(s) not shown\n",
            differing - shown
        ));
    }
    text
}

/// A line without its ending.
fn body(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn ending(line: &[u8]) -> &'static str {
    if line.ends_with(b"\r\n") {
        "CRLF"
    } else if line.ends_with(b"\n") {
        "LF"
    } else {
        "without a newline"
    }
}

#[cfg(test)]
mod tests {
    use super::first_differences;

    #[test]
    fn a_changed_line_is_shown_with_its_number() {
        let staged = b"a\nb\nc\nd\n";
        let replayed = b"a\nb\nX\nd\n";
        let diff = first_differences("f.csv", staged, replayed);
        assert!(diff.contains("@@ -3,1 +3,1 @@\n-c\n+X\n"), "{diff}");
        assert!(!diff.contains("-a"), "{diff}");
    }

    #[test]
    fn a_changed_line_ending_is_named() {
        let diff = first_differences("f", b"a\r\nb\r\n", b"a\r\nb\n");
        assert!(diff.contains("-b  [ends CRLF]\n+b  [ends LF]\n"), "{diff}");
    }

    #[test]
    fn an_inserted_line_is_shown_alone() {
        let diff = first_differences("f", b"a\nc\n", b"a\nb\nc\n");
        assert!(diff.contains("@@ -2,0 +2,1 @@\n+b\n"), "{diff}");
        assert!(!diff.contains("more differing"), "{diff}");
    }

    #[test]
    fn only_the_first_differences_of_a_long_file_are_shown() {
        let staged: String = (0..100).map(|i| format!("{i}\n")).collect();
        let replayed: String = (0..100).map(|i| format!("{}\n", i * 2)).collect();
        let diff = first_differences("f", staged.as_bytes(), replayed.as_bytes());
        assert_eq!(diff.matches("@@").count(), 10, "{diff}");
        assert!(
            diff.contains("… 94 more differing line(s) not shown"),
            "{diff}"
        );
    }
}
