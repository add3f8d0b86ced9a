//! How the process takes its memory: the allocator every binary built on
//! this library uses (blcheck itself, the benchmark's parse-only floor, so
//! that the two are compared on equal terms, and the tests), and the page
//! size the system backs it with. See docs/performance.md.

/// mimalloc: parsing YAML allocates a string per scalar, and its
/// per-thread free lists make a large audit about a fifth faster than the
/// system allocator.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Called first thing in `main`. Turns transparent huge pages off for the
/// process: where the system backs every large mapping with 2 MB pages
/// (`/sys/kernel/mm/transparent_hugepage/enabled` set to `always`), a
/// 100,000-file audit's peak memory rose from 95 to 113 MB, for no gain in
/// speed. Where the call is refused, nothing else changes.
pub fn configure() {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
}
