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
    #[cfg(feature = "mimalloc")]
    return_freed_memory_at_once();
}

/// mimalloc returns the pages a program frees to the system a second later,
/// in case they are wanted again; an audit frees each file's tree as soon
/// as it is audited, on every thread, and with the delay a 100,000-file
/// audit held about 15 MB more at its peak (152 MB, not 137), for no
/// measurable gain in speed (docs/performance.md).
#[cfg(feature = "mimalloc")]
fn return_freed_memory_at_once() {
    // `mi_option_purge_delay` in the mimalloc v3 that libmimalloc-sys
    // 0.1.49 builds (include/mimalloc.h, `mi_option_e`), which the crate
    // does not name.
    const PURGE_DELAY: std::os::raw::c_int = 15;
    unsafe extern "C" {
        fn mi_option_set(option: std::os::raw::c_int, value: std::os::raw::c_long);
        fn mi_option_get(option: std::os::raw::c_int) -> std::os::raw::c_long;
    }
    // SAFETY: both take and return plain integers; mimalloc allows options
    // to be set at any time. The default is read back first: only an
    // option that holds 1000 (ms), as purge_delay does, is the one meant
    // (`MIMALLOC_VERBOSE=1 blcheck --version` lists the options in order).
    unsafe {
        if mi_option_get(PURGE_DELAY) == 1000 {
            mi_option_set(PURGE_DELAY, 0);
        }
    }
}
