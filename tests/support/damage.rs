//! Deterministic damage for the damaged-input suites (`tests/cases.rs`,
//! `tests/ui.rs`): a small xorshift generator, so that a failure reproduces,
//! and one mutation at a time of a good file's text.

#![allow(dead_code, reason = "each suite uses what it needs")]
#![allow(clippy::indexing_slicing, reason = "test code: every index is below the length it was drawn from")]

pub struct Damage {
    seed: u64,
    /// The characters a replaced one becomes (the punctuation of the format).
    punctuation: &'static [char],
    /// The longest stretch dropped or doubled.
    span: usize,
}

impl Damage {
    pub fn new(seed: u64, punctuation: &'static [char], span: usize) -> Damage {
        Damage { seed: seed.max(1), punctuation, span }
    }

    /// A number below `n` (0 if `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.seed ^= self.seed >> 12;
        self.seed ^= self.seed << 25;
        self.seed ^= self.seed >> 27;
        (self.seed.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1) as u64) as usize
    }

    /// `text` with one mutation: cut short, a stretch dropped or doubled, a
    /// character replaced by punctuation, or a digit changed.
    pub fn apply(&mut self, text: &str) -> String {
        let mut c: Vec<char> = text.chars().collect();
        if c.is_empty() {
            return String::new();
        }
        let (a, b) = (self.below(c.len()), self.below(c.len()));
        let (lo, hi) = (a.min(b), a.max(b).min(a.min(b) + self.span));
        match self.below(5) {
            0 => c.truncate(lo),
            1 => {
                c.drain(lo..hi);
            }
            2 => {
                let copy: Vec<char> = c[lo..hi].to_vec();
                c.splice(hi..hi, copy);
            }
            3 => c[lo] = self.punctuation[self.below(self.punctuation.len())],
            _ => {
                if let Some(d) = c.iter().skip(lo).position(char::is_ascii_digit) {
                    c[lo + d] = char::from(b'0' + self.below(10) as u8);
                }
            }
        }
        c.into_iter().collect()
    }
}
