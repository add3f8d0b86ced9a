//! The engine alone, without files or processes: criterion times parsing
//! generated course and plan texts into documents, and auditing parsed
//! documents against the built-in policies. Whole-process runs are timed
//! with hyperfine (docs/performance.md). Run with `cargo bench`.

#[path = "corpus/mod.rs"]
mod corpus;

use blcheck::audit::{audit_document, AuditTerms};
use blcheck::commands::{load_model, load_policies};
use blcheck::document::Document;
use blcheck::policy::Catalogue;
use blcheck::selection::RuleFilter;
use blcheck::source::{parse, FileContent, FileLimits};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;

/// The texts of 90 courses and 10 plans, as the generator writes them.
fn texts() -> Vec<String> {
    let mut rng = corpus::Rng::new(1);
    let mut out: Vec<String> = (0..90).map(|i| corpus::course(i, &mut rng).0).collect();
    out.extend((0..10).map(|i| corpus::plan(i, &corpus::course_id(i), &mut rng).0));
    out
}

fn documents(texts: &[String]) -> Vec<Document> {
    let limits = FileLimits::default();
    texts
        .iter()
        .enumerate()
        .flat_map(
            |(i, text)| match parse(text.as_bytes(), format!("f{i}.yaml").into(), &limits) {
                FileContent::Documents(docs) => docs,
                _ => Vec::new(),
            },
        )
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = texts();
    let policies = load_policies(&[], Path::new(".")).expect("built-in policies load");
    let catalogue = Catalogue::built_in();
    let model = load_model().expect("built-in model loads");
    let filter = RuleFilter::default();
    let ctx = AuditTerms {
        policies: &policies,
        catalogue: &catalogue,
        as_of: chrono::NaiveDate::from_ymd_opt(2025, 11, 1).expect("a date"),
        filter: &filter,
        content_checks: &[&model],
        keep_results: true,
        group_by: None,
    };
    let docs = documents(&texts);
    assert_eq!(
        docs.len(),
        texts.len(),
        "every generated text is a document"
    );

    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function("parse 100 documents", |b| {
        b.iter(|| black_box(documents(black_box(&texts))))
    });
    group.bench_function("audit 100 parsed documents", |b| {
        b.iter(|| {
            for doc in &docs {
                black_box(audit_document(black_box(doc), &ctx));
            }
        })
    });
    group.bench_function("parse, audit and drop 100 documents", |b| {
        b.iter(|| {
            for doc in documents(black_box(&texts)) {
                black_box(audit_document(&doc, &ctx));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
