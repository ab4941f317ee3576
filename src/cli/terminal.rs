//! Text for the terminal. Every plain-text line the command line prints goes through
//! [`terminal_safe`], because it quotes the files it reads: an ESC or BEL byte in a CSV field
//! would otherwise reach the terminal as a command (change the title, clear the screen, write
//! the clipboard through OSC 52). `--json` output is escaped by serde_json instead.

use std::borrow::Cow;

/// Whether `c` could act on a terminal: C0 controls other than line break and tab, DEL, and the
/// C1 controls (U+0080–U+009F; U+009B is a one-character CSI to some terminals).
fn is_terminal_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c)
}

/// `text` with every control character written as an escape (`\u{1b}`), so it prints as text.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_terminal_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_terminal_control(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `println!` for plain text, control characters escaped.
macro_rules! say {
    ($($arg:tt)*) => {
        println!("{}", $crate::cli::terminal::terminal_safe(&format!($($arg)*)))
    };
}

/// `eprintln!` for plain text, control characters escaped.
macro_rules! tell {
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::cli::terminal::terminal_safe(&format!($($arg)*)))
    };
}

pub(crate) use {say, tell};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_would_obey_and_nothing_else() {
        let attack = "Kəlbəcər\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}31m\u{7f}";
        let safe = terminal_safe(attack);
        assert!(!safe.chars().any(is_terminal_control), "{safe}");
        assert_eq!(
            safe,
            "Kəlbəcər\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\u{1b}]52;c;ZXZpbA==\\u{7}\\u{9b}31m\\u{7f}"
        );
        // Line breaks, tabs and every script print as they are, without a copy.
        let plain = "line 2:\tКельбаджар / Քարվաճառ\n";
        assert!(matches!(terminal_safe(plain), Cow::Borrowed(p) if p == plain));
    }
}
