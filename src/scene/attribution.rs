//! Attributions as walkers takes them: strings that live as long as the program.

use std::collections::BTreeSet;
use std::sync::Mutex;

/// `text` for walkers, which wants attributions that live as long as the program: each
/// distinct text is kept once, so switching between basemaps over a day keeps a few short
/// strings, not one more per switch.
pub(crate) fn kept(text: String) -> &'static str {
    static KEPT: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    // A poisoned lock only means a panic elsewhere while it was held; the set is whole.
    let mut kept = KEPT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&found) = kept.get(text.as_str()) {
        return found;
    }
    let new: &'static str = Box::leak(text.into_boxed_str());
    kept.insert(new);
    new
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attribution_is_kept_once_however_often_it_is_opened() {
        let first = kept("© OpenStreetMap contributors (test)".to_owned());
        let again = kept("© OpenStreetMap contributors (test)".to_owned());
        assert!(std::ptr::eq(first, again));
        let other = kept("Natural Earth (test)".to_owned());
        assert_eq!(other, "Natural Earth (test)");
        assert!(!std::ptr::eq(first, other));
    }
}
