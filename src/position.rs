//! Byte offsets to the 1-based `line:column` that every message shows, for
//! every stage that counts by itself: the checks before parsing (NUL,
//! control characters, bad UTF-8), policy TOML, `blcheck.toml` and the
//! maturity model. It counts as the YAML parser does, so that a file's
//! positions agree whichever stage reports them: CR LF, LF and a lone CR
//! each end a line; a byte-order mark is not a column; columns are
//! characters, not bytes.

use crate::yaml::Pos;

/// Where each line of a text starts.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, byte) in bytes.iter().enumerate() {
            let ends_line = match byte {
                b'\n' => true,
                b'\r' => bytes.get(i + 1) != Some(&b'\n'),
                _ => false,
            };
            if ends_line {
                starts.push(i + 1);
            }
        }
        LineIndex { text, starts }
    }

    /// The position of the byte at `offset` (or of the end, past it).
    pub(crate) fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let mut start = self.starts[line - 1];
        if start == 0 && self.text.starts_with('\u{feff}') {
            start = '\u{feff}'.len_utf8().min(offset);
        }
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        Pos {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }

    /// The position just after the whole text.
    pub(crate) fn end(&self) -> Pos {
        self.pos(self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, offset: usize) -> (u32, u32) {
        let pos = LineIndex::new(text).pos(offset);
        (pos.line, pos.column)
    }

    #[test]
    fn lf_crlf_and_a_lone_cr_each_end_a_line() {
        let text = "a: 1\nb: 2\r\nc: 3\rd: x";
        assert_eq!(at(text, text.find('b').unwrap()), (2, 1));
        assert_eq!(at(text, text.find('c').unwrap()), (3, 1));
        assert_eq!(at(text, text.find('x').unwrap()), (4, 4));
    }

    #[test]
    fn a_bom_is_no_column_and_columns_are_characters() {
        let text = "\u{feff}é: ü";
        assert_eq!(at(text, text.find('ü').unwrap()), (1, 4));
        assert_eq!(at("\u{feff}", 3), (1, 1));
    }

    /// The YAML parser's own positions, for the same texts.
    #[test]
    fn agrees_with_the_yaml_parser() {
        for text in [
            "a: 1\nb: [x\n",
            "a: 1\r\nb: [x\r\n",
            "a: 1\rb: [x\r",
            "\u{feff}a: 1\nb: [x\n",
        ] {
            let stripped = text.strip_prefix('\u{feff}').unwrap_or(text);
            let error = crate::yaml::load(stripped, crate::yaml::Limits::default())
                .expect_err("unterminated flow sequence");
            // Where the parser says the error is, the index says the same
            // of the same offset in the unstripped text.
            let index = LineIndex::new(text);
            let bom = text.len() - stripped.len();
            let offset = LineIndex::new(stripped);
            let found = (0..=stripped.len())
                .find(|&i| offset.pos(i) == error.pos)
                .expect("the parser's position is in the text");
            assert_eq!(index.pos(found + bom), error.pos, "{text:?}");
        }
    }
}
