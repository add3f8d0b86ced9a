//! A finding's message, and the store that keeps a run's messages once
//! each, packed into blocks.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A finding's message. The messages of a run are most of what it keeps
/// (80 bytes each on average, hundreds of thousands of them), so the run
/// keeps them in a [`MessageStore`]: a range of a shared block of text,
/// with no allocation of its own, and once for all findings that read the
/// same. Reads as the text.
#[derive(Clone)]
pub struct Message {
    block: Arc<Box<str>>,
    start: u32,
    len: u32,
}

impl Message {
    pub fn new(text: impl Into<Box<str>>) -> Message {
        let text: Box<str> = text.into();
        // Messages are bounded by the run's limits (the longest names 20
        // values); a longer text is cut at a character boundary.
        let mut len = text.len().min(u32::MAX as usize);
        while !text.is_char_boundary(len) {
            len -= 1;
        }
        Message {
            block: Arc::new(text),
            start: 0,
            len: len as u32,
        }
    }

    pub fn as_str(&self) -> &str {
        let start = self.start as usize;
        &self.block[start..start + self.len as usize]
    }
}

impl std::ops::Deref for Message {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Message {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Message) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Message {}

impl PartialOrd for Message {
    fn partial_cmp(&self, other: &Message) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Message {
    fn cmp(&self, other: &Message) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<String> for Message {
    fn from(text: String) -> Message {
        Message::new(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Message {
        Message::new(text)
    }
}

/// Where a run's messages are kept, a chunk of files at a time as the run
/// merges them. The same fault in many documents reads the same (`'learner_support.pastoral'
/// is missing`): a message equal to one already kept shares its text,
/// and the rest of a chunk's messages are moved into one block, so that
/// none keeps an allocation of its own or is left scattered among the
/// freed trees of the files it was written beside.
#[derive(Default)]
pub struct MessageStore {
    /// Texts kept so far, by a hash of the text. Bounded, so that a run
    /// whose messages never repeat does not pay for remembering them all.
    kept: HashMap<u64, Message>,
}

impl MessageStore {
    /// How many distinct texts are remembered for sharing: a few MB.
    const REMEMBERED: usize = 1 << 16;
    /// The size of a block of text.
    const BLOCK: usize = 1 << 20;

    pub fn new() -> MessageStore {
        MessageStore::default()
    }

    /// Keeps `messages`: each then shares the text of an equal message kept
    /// before, or is a range of a block of this call's new texts.
    pub fn keep<'a>(&mut self, messages: impl IntoIterator<Item = &'a mut Message>) {
        let mut blocks: Vec<String> = Vec::new();
        let mut current = String::new();
        // New texts: the message, its hash, its block and start.
        let mut new: Vec<(&'a mut Message, u64, usize, u32)> = Vec::new();
        // Messages equal to a new text of this call (an index into `new`).
        let mut repeats: Vec<(&'a mut Message, usize)> = Vec::new();
        let mut in_call: HashMap<u64, usize> = HashMap::new();
        for message in messages {
            let hash = text_hash(message.as_str());
            if let Some(kept) = self.kept.get(&hash) {
                if kept.as_str() == message.as_str() {
                    *message = kept.clone();
                    continue;
                }
            }
            if let Some(&first) = in_call.get(&hash) {
                if new[first].0.as_str() == message.as_str() {
                    repeats.push((message, first));
                    continue;
                }
            }
            let len = message.len as usize;
            if !current.is_empty() && current.len() + len > Self::BLOCK {
                blocks.push(std::mem::take(&mut current));
            }
            let start = current.len() as u32;
            current.push_str(message.as_str());
            in_call.entry(hash).or_insert(new.len());
            new.push((message, hash, blocks.len(), start));
        }
        if !current.is_empty() {
            blocks.push(current);
        }
        let blocks: Vec<Arc<Box<str>>> = blocks
            .into_iter()
            .map(|text| Arc::new(text.into_boxed_str()))
            .collect();
        for (message, _, block, start) in &mut new {
            message.block = blocks[*block].clone();
            message.start = *start;
        }
        for (message, first) in repeats {
            *message = new[first].0.clone();
        }
        for (message, hash, _, _) in &new {
            if self.kept.len() >= Self::REMEMBERED {
                break;
            }
            self.kept
                .entry(*hash)
                .or_insert_with(|| (**message).clone());
        }
    }
}

/// A hash of a message's text, only to find the kept texts it may equal.
fn text_hash(text: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(messages: &[Message]) -> Vec<&str> {
        messages.iter().map(Message::as_str).collect()
    }

    #[test]
    fn kept_messages_read_as_they_were_written() {
        let mut messages: Vec<Message> = ["first", "", "é ü", "last one"]
            .into_iter()
            .map(Message::from)
            .collect();
        MessageStore::new().keep(messages.iter_mut());
        assert_eq!(texts(&messages), ["first", "", "é ü", "last one"]);
        assert!(Arc::ptr_eq(&messages[0].block, &messages[3].block));
    }

    #[test]
    fn equal_messages_share_their_text_within_and_across_calls() {
        let mut store = MessageStore::new();
        let mut first: Vec<Message> = ["a is missing", "b is 1", "a is missing"]
            .into_iter()
            .map(Message::from)
            .collect();
        store.keep(first.iter_mut());
        let mut second: Vec<Message> = ["b is 1", "c is new"]
            .into_iter()
            .map(Message::from)
            .collect();
        store.keep(second.iter_mut());
        assert_eq!(texts(&first), ["a is missing", "b is 1", "a is missing"]);
        assert_eq!(texts(&second), ["b is 1", "c is new"]);
        assert_eq!(first[0].block.len(), "a is missingb is 1".len());
        assert!(Arc::ptr_eq(&first[0].block, &first[2].block));
        assert_eq!((first[0].start, first[2].start), (0, 0));
        assert!(Arc::ptr_eq(&first[1].block, &second[0].block));
        assert_eq!(second[1].block.len(), "c is new".len());
    }

    #[test]
    fn a_long_run_of_distinct_messages_fills_blocks_of_bounded_size() {
        let mut messages: Vec<Message> = (0..40_000)
            .map(|i| Message::from(format!("{i:040}")))
            .collect();
        let mut store = MessageStore::new();
        store.keep(messages.iter_mut());
        for (i, message) in messages.iter().enumerate() {
            assert_eq!(message.as_str(), format!("{i:040}"));
            assert!(message.block.len() <= MessageStore::BLOCK);
        }
        assert!(!Arc::ptr_eq(&messages[0].block, &messages[39_999].block));
        assert!(store.kept.len() <= MessageStore::REMEMBERED);
    }
}
