//! Data parallelism for the few loops big enough to pay for a thread: contiguous
//! chunks of a slice mapped on scoped threads, the results joined in order. Each item's
//! result does not depend on how the slice was split, so suggestions are the same bit
//! for bit with one thread or many, and on wasm, which has none.
//!
//! Natively the thread count is `std::thread::available_parallelism()`, at most 8;
//! the `EDGETUNE_THREADS` environment variable overrides it (`EDGETUNE_THREADS=1`
//! keeps every ask on the calling thread; a value that is not a whole number is
//! ignored, and 0 counts as 1).

/// How many threads [`map_chunks`] splits into: 1 on wasm.
pub fn threads() -> usize {
    #[cfg(target_arch = "wasm32")]
    {
        1
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        /// The most threads one map uses.
        const MAX_THREADS: usize = 8;
        static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        *THREADS.get_or_init(|| {
            let env = std::env::var("EDGETUNE_THREADS").ok();
            env.and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
                .clamp(1, MAX_THREADS)
        })
    }
}

/// `f` over contiguous chunks of `items`, concatenated in order. Chunk boundaries fall
/// on multiples of `align` items. With `parallel` false, or one thread, it is just
/// `f(items)`; otherwise the chunks run on scoped threads, the first on the caller's.
/// A chunk whose thread cannot be started runs on the caller's thread instead.
pub fn map_chunks<T: Sync, R: Send>(
    items: &[T],
    align: usize,
    parallel: bool,
    f: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    map_chunks_on(if parallel { threads() } else { 1 }, items, align, f)
}

/// [`map_chunks`] on at most `threads` threads.
fn map_chunks_on<T: Sync, R: Send>(
    threads: usize,
    items: &[T],
    align: usize,
    f: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let units = items.len().div_ceil(align.max(1));
    if threads < 2 || units < 2 {
        return f(items);
    }
    let per = units.div_ceil(threads) * align.max(1);
    let mut chunks = items.chunks(per);
    let first = chunks.next().unwrap_or_default();
    std::thread::scope(|scope| {
        let f = &f;
        let rest: Vec<_> = chunks
            .map(|c| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || f(c))
                    .map_err(|_| c)
            })
            .collect();
        let mut out = f(first);
        for part in rest {
            match part {
                Ok(handle) => match handle.join() {
                    Ok(part) => out.extend(part),
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                Err(chunk) => out.extend(f(chunk)),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_aligned_and_joined_in_order() {
        let items: Vec<usize> = (0..103).collect();
        // Whatever this machine's core count: two, three and eight threads.
        for (threads, chunks) in [(2, 2), (3, 3), (8, 7)] {
            let starts = std::sync::Mutex::new(Vec::new());
            let out = map_chunks_on(threads, &items, 8, |c| {
                starts.lock().unwrap().push(c[0]);
                c.iter().map(|v| v * 2).collect()
            });
            assert_eq!(out, (0..103).map(|v| v * 2).collect::<Vec<_>>());
            let mut starts = starts.into_inner().unwrap();
            starts.sort_unstable();
            assert_eq!(starts.len(), chunks, "{threads} threads");
            assert!(starts.iter().all(|s| s % 8 == 0), "{starts:?}");
        }
        let serial = map_chunks(&items, 8, false, |c| vec![c.len()]);
        assert_eq!(serial, vec![103]);
        assert!(map_chunks_on(4, &[] as &[u8], 4, |c| c.to_vec()).is_empty());
    }
}
