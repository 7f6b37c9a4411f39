//! The manager's words live in `src/text.rs` alone, so a translation misses none. This
//! reads every other source file and fails on a string literal that reads as words.

use std::fs;
use std::path::Path;

/// Files whose literals are not shown words: the words themselves, and the export, a
/// data format that stays the same in every language.
const EXEMPT: [&str; 2] = ["text.rs", "export.rs"];

/// The string literals on `line` (escapes kept as written).
fn literals(line: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut start = None;
    let mut escaped = false;
    for (at, c) in line.char_indices() {
        match (start, c) {
            (Some(_), _) if escaped => escaped = false,
            (Some(_), '\\') => escaped = true,
            (Some(from), '"') => {
                found.push(&line[from..at]);
                start = None;
            }
            (None, '"') => start = Some(at + 1),
            _ => {}
        }
    }
    found
}

/// A capitalised word standing alone ("Title", "Sign in"), or three lowercase words in a
/// row: what a person reads. Class lists ("badge danger") and ids are neither.
fn reads_as_words(literal: &str) -> bool {
    let first: String = literal.chars().take_while(|c| c.is_alphabetic()).collect();
    let capitalised = first.chars().count() >= 2
        && first.chars().next().is_some_and(char::is_uppercase)
        && first.chars().skip(1).all(char::is_lowercase);
    let ends_there = literal[first.len()..].chars().next().is_none_or(|c| c.is_whitespace() || ".,:;!?…".contains(c));
    let lowercase_words =
        literal.split(' ').filter(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_lowercase())).count();
    (capitalised && ends_there) || lowercase_words >= 3
}

#[test]
fn the_detector_tells_words_from_code() {
    for words in ["Title", "Sign in", "No key.", "the key stops working"] {
        assert!(reads_as_words(words), "{words}");
    }
    for code in ["badge danger", "KeyManagerOptions", "{hint} {error_id}", "create-title", "—", ""] {
        assert!(!reads_as_words(code), "{code}");
    }
    assert_eq!(literals(r#"view! { <p class="hint">"Say \"hi\""</p> }"#), ["hint", r#"Say \"hi\""#]);
}

#[test]
fn every_shown_word_is_in_text_rs() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stray = Vec::new();
    let mut checked = 0;
    for path in sources(&src) {
        let name = path.strip_prefix(&src).expect("under src").to_string_lossy().into_owned();
        if EXEMPT.contains(&name.as_str()) {
            continue;
        }
        checked += 1;
        let source = fs::read_to_string(&path).expect("a source file");
        for (number, line) in source.lines().enumerate() {
            if line.contains("#[cfg(test)]") {
                break; // tests assert on English; they are not shown
            }
            // Comments, and panics that say what the code assumed, are for engineers; a
            // key name compared with `KeyboardEvent.key` ("Enter") is never shown.
            if line.trim_start().starts_with("//") || line.contains(".expect(") || line.contains(".key() ==") {
                continue;
            }
            for literal in literals(line).into_iter().filter(|l| reads_as_words(l)) {
                stray.push(format!("{name}:{}: {literal:?}", number + 1));
            }
        }
    }
    assert!(checked > 20, "every source file, in src and its folders ({checked})");
    assert!(stray.is_empty(), "words outside src/text.rs; move them into `Text`:\n{}", stray.join("\n"));
}

/// Every `.rs` file under `dir`, folders included (`detail/slot.rs`).
fn sources(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).expect("a readable folder") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            found.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found
}
