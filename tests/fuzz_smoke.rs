//! A short, deterministic fuzz run of the three fuzz targets, on stable and
//! without libFuzzer: each target's seeds (fuzz/seeds/, the fixtures, the
//! built-in policies) and a few thousand seeded mutations of them. It is
//! the smoke run of every `cargo test` and `.ci/run`; long runs use
//! cargo-fuzz on nightly (docs/security.md). An input that panics is saved
//! under target/fuzz-smoke/ and named in the failure, to become a fixture.

#[allow(dead_code)] // each test uses one of the harness's functions
#[path = "../fuzz/harness.rs"]
mod harness;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// xorshift64*: small, seeded, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Fragments that steer mutations towards what the parsers find hard.
const TOKENS: &[&[u8]] = &[
    b"---\n",
    b"...\n",
    b": ",
    b"- ",
    b"? ",
    b"&a ",
    b"*a",
    b"!!str ",
    b"!custom ",
    b"[",
    b"]",
    b"{",
    b"}",
    b"\"",
    b"'",
    b"\t",
    b"\r\n",
    b"|\n",
    b">-\n",
    b"%YAML 1.2\n",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\x00",
    b"\x1b[2J",
    b"kind: Course\n",
    b"kind: LearnerPlan\n",
    b"id: X\n",
    b"delivery:\n  mode: blended\n",
    b"waivers:\n  - rule: BLP013\n",
    b"2025-02-30",
    b"29/02/2024",
    b"1/1/0000",
    b"9999-12-31",
    b"\\e]8;;",
    b"1e999",
    b"-0",
    b"0x7fffffffffffffff",
    b"99999999999999999999",
    b".inf",
    b"~",
    b"null",
    b" = ",
    b"[[rules]]\n",
    b"checks = [{ check = \"",
    b"path = \"a.b[*].c[type=x]\"",
    b"\"\"\"",
];

const MAX_LEN: usize = 64 * 1024;

/// One random change to `data`, sometimes taking a piece of `other`.
fn mutate(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    let at = |rng: &mut Rng, data: &Vec<u8>| rng.below(data.len() + 1);
    match rng.below(7) {
        0 if !data.is_empty() => {
            let i = rng.below(data.len());
            data[i] ^= 1 << rng.below(8);
        }
        1 if !data.is_empty() => {
            let i = rng.below(data.len());
            data[i] = TOKENS[rng.below(TOKENS.len())][0];
        }
        2 | 3 => {
            let i = at(rng, data);
            let token = TOKENS[rng.below(TOKENS.len())];
            data.splice(i..i, token.iter().copied());
        }
        4 if !data.is_empty() => {
            let i = rng.below(data.len());
            let end = (i + 1 + rng.below(64)).min(data.len());
            data.drain(i..end);
        }
        5 if !data.is_empty() => {
            // Repeat a piece: deeper nesting, more items, longer values.
            let i = rng.below(data.len());
            let end = (i + 1 + rng.below(32)).min(data.len());
            let piece = data[i..end].repeat(1 + rng.below(64));
            let j = at(rng, data);
            data.splice(j..j, piece);
        }
        _ if !other.is_empty() => {
            let i = rng.below(other.len());
            let end = (i + 1 + rng.below(256)).min(other.len());
            let j = at(rng, data);
            data.splice(j..j, other[i..end].iter().copied());
        }
        _ => data.push(b'\n'),
    }
    data.truncate(MAX_LEN);
}

/// Every file under `dir`, recursively, in name order.
fn files(dir: &Path, out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            files(&path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push(bytes);
        }
    }
}

/// How many mutations a run makes: a few thousand by default, more with
/// BLCHECK_FUZZ_ITERATIONS for a longer run on stable.
fn iterations(default: usize) -> usize {
    std::env::var("BLCHECK_FUZZ_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// Runs `target` on every seed, then on `count` mutated seeds.
fn smoke(name: &str, target: fn(&[u8]), seed_dirs: &[&str], count: usize) {
    let mut seeds = Vec::new();
    for dir in seed_dirs {
        files(&root().join(dir), &mut seeds);
    }
    smoke_seeds(name, target, seeds, count);
}

/// [`smoke`] on seeds already read.
fn smoke_seeds(name: &str, target: fn(&[u8]), seeds: Vec<Vec<u8>>, count: usize) {
    assert!(!seeds.is_empty(), "no seeds for {name}");
    let seed = std::env::var("BLCHECK_FUZZ_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0x5eed_b1c4_ec4b_1e55);
    let mut rng = Rng(seed);
    let run = |input: &[u8]| {
        if catch_unwind(AssertUnwindSafe(|| target(input))).is_err() {
            let dir = root().join("target/fuzz-smoke");
            let _ = std::fs::create_dir_all(&dir);
            let path = dir.join(format!("{name}-crash-{:016x}", fnv(input)));
            let _ = std::fs::write(&path, input);
            panic!("{name} panicked on the input saved as {}", path.display());
        }
    };
    for input in &seeds {
        run(input);
    }
    for _ in 0..count {
        let mut input = seeds[rng.below(seeds.len())].clone();
        let other = &seeds[rng.below(seeds.len())];
        for _ in 0..1 + rng.below(4) {
            mutate(&mut rng, &mut input, other);
        }
        run(&input);
    }
}

/// FNV-1a, to name a saved input.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[test]
fn document_loader_and_validation() {
    smoke(
        "document",
        harness::document,
        &[
            "fuzz/seeds/document",
            "fuzz/regressions/document",
            "fixtures/hostile",
            "fixtures/spec",
            "fixtures/courses",
        ],
        iterations(3_000),
    );
}

#[test]
fn policy_loader() {
    smoke(
        "policy",
        harness::policy,
        &["fuzz/seeds/policy", "fuzz/regressions/policy", "policies"],
        iterations(1_500),
    );
}

#[test]
fn date_parsing() {
    smoke(
        "date",
        harness::date,
        &["fuzz/seeds/date", "fuzz/regressions/date"],
        iterations(20_000),
    );
}

/// File names built to break a report: bytes that are not UTF-8, a line
/// break with a Markdown heading, table pipes, HTML, backticks, escape
/// sequences, bidirectional controls, XML noncharacters, workflow
/// commands, backslashes that read like escapes.
const HOSTILE_NAMES: &[&[u8]] = &[
    b"course\xfe",
    b"course\xff",
    b"course\\xfe",
    b"bad|name\n## Injected <img src=x onerror=alert(1)>",
    b"esc\x1b[2J\x07",
    b"\xe2\x80\xaeevil",
    b"nonchar \xef\xbf\xbe \xef\xbf\xbf",
    b"x\n::error file=a,line=1::forged",
    b"```tick`|\\|",
    b"</script><script>",
    b"a\r\nb\tc",
    b"%41 #?:,;",
];

#[test]
fn discovery_to_render() {
    // Each hostile name on a fixture, two or three files to an input, so
    // that names meet (and sort against) each other.
    let mut contents = Vec::new();
    for dir in [
        "fuzz/seeds/document",
        "fixtures/courses",
        "fixtures/hostile",
    ] {
        files(&root().join(dir), &mut contents);
    }
    // Small files only: an input is written to disk and rendered eight ways.
    contents.retain(|c| c.len() < 16 * 1024);
    let mut seeds = Vec::new();
    for (i, name) in HOSTILE_NAMES.iter().enumerate() {
        let first = &contents[i % contents.len()];
        let second = &contents[(i * 7 + 3) % contents.len()];
        let other = HOSTILE_NAMES[(i + 1) % HOSTILE_NAMES.len()];
        seeds.push(harness::encode_files(&[(name, first), (other, second)]));
    }
    // The committed seeds of the cargo-fuzz target, and any crash kept as
    // a regression, in the same layout.
    for dir in [
        "fuzz/seeds/discovery_to_render",
        "fuzz/regressions/discovery_to_render",
    ] {
        files(&root().join(dir), &mut seeds);
    }
    smoke_seeds(
        "discovery_to_render",
        harness::discovery_to_render,
        seeds,
        iterations(100),
    );
}
