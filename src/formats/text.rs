//! Bytes to text: UTF-8 with or without a byte-order mark; UTF-16 with a byte-order mark (Excel's
//! "Unicode text"); anything else that is not valid UTF-8 is read as Windows-1252, with a warning.

use std::borrow::Cow;

/// A file's text and, when it was not UTF-8, what it was read as.
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// A warning for the load report, when the text was not plain UTF-8.
    pub warning: Option<String>,
}

/// Decodes a file's bytes. Never fails: every byte sequence is some Windows-1252 text.
pub(crate) fn decode(bytes: &[u8]) -> Decoded<'_> {
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(body) {
        return Decoded {
            text: Cow::Borrowed(text),
            warning: None,
        };
    }
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes)
        && encoding != encoding_rs::UTF_8
    {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Decoded {
            text,
            warning: Some(format!(
                "the file is {} text (byte-order mark); read as such{}",
                encoding.name(),
                if had_errors {
                    ", with some invalid sequences replaced by \u{fffd}"
                } else {
                    ""
                }
            )),
        };
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(body);
    Decoded {
        text,
        warning: Some(not_utf8_warning(first_invalid_line(body))),
    }
}

/// The report's warning for a file read as Windows-1252 because it was not UTF-8.
pub(crate) fn not_utf8_warning(line: usize) -> String {
    format!(
        "the file is not UTF-8 (first invalid byte on line {line}); read as Windows-1252 — check accented letters and non-Latin names"
    )
}

/// The line (from 1) of the first byte that is not UTF-8.
pub(crate) fn first_invalid_line(bytes: &[u8]) -> usize {
    let valid = std::str::from_utf8(bytes)
        .err()
        .map_or(bytes.len(), |e| e.valid_up_to());
    bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("a,b\nKəlbəcər,1\n".as_bytes());
        assert!(plain.warning.is_none());
        assert_eq!(plain.text, "a,b\nKəlbəcər,1\n");
        let bom = decode(b"\xef\xbb\xbfa,b\n");
        assert_eq!(bom.text, "a,b\n");
        assert!(bom.warning.is_none());
    }

    #[test]
    fn windows_1252_is_read_with_a_warning() {
        let d = decode(b"place,date\nGoranboy \x96 Naftalan,2021-05-26\nCaf\xe9,2021-05-27\n");
        assert_eq!(
            d.text,
            "place,date\nGoranboy \u{2013} Naftalan,2021-05-26\nCafé,2021-05-27\n"
        );
        let warning = d.warning.expect("a warning");
        assert!(warning.contains("Windows-1252") && warning.contains("line 2"));
    }

    #[test]
    fn utf16_with_bom() {
        let bytes: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("a\tb\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let d = decode(&bytes);
        assert_eq!(d.text, "a\tb\n");
        assert!(d.warning.is_some_and(|w| w.contains("UTF-16LE")));
    }
}
