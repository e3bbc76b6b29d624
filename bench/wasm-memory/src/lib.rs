//! What a study holds per trial in wasm32, as a Durable Object or the npm package holds
//! it: a study of n trials (five parameters, TPE) is woken from its packed journal in
//! chunks of 4,096 events, as the Worker wakes one, then asked once. A counting
//! allocator measures what is allocated (requested sizes, vector headroom included).
//!
//! ```sh
//! cargo build --release --target wasm32-unknown-unknown --manifest-path bench/wasm-memory/Cargo.toml
//! node bench/wasm-memory/run.mjs      # 10,000 and 100,000 trials
//! ```
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use edgetune_core::{
    packed, Distribution, Event, Outcome, Param, ParamValue, SearchSpace, Study, StudyConfig,
};

struct Counting;
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator, only counting.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let now = ALLOCATED.fetch_add(l.size(), Ordering::Relaxed) + l.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        ALLOCATED.fetch_sub(l.size(), Ordering::Relaxed);
        System.dealloc(p, l)
    }
}

#[global_allocator]
static A: Counting = Counting;

/// Bytes per trial: woken, the first ask's peak, after the first ask, and the growth
/// of the linear memory itself (what the host's resident set sees: allocator
/// overhead and fragmentation included).
static RESULTS: [AtomicU32; 5] = [
    AtomicU32::new(0),
    AtomicU32::new(0),
    AtomicU32::new(0),
    AtomicU32::new(0),
    AtomicU32::new(0),
];

/// The packed journal [`prepare`] wrote: each chunk's length (u32, little-endian),
/// then the chunk.
static PREPARED: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());

fn space() -> SearchSpace {
    let p = |name: &str, distribution: Distribution| Param {
        name: name.into(),
        distribution,
    };
    SearchSpace(vec![
        p("x", Distribution::float(-5.0, 5.0, false, None).unwrap()),
        p("lr", Distribution::float(1e-5, 1.0, true, None).unwrap()),
        p("n", Distribution::int(1, 10, false, 1).unwrap()),
        p(
            "opt",
            Distribution::categorical(vec!["adam".into(), "sgd".into(), "rmsprop".into()]).unwrap(),
        ),
        p(
            "dropout",
            Distribution::float(0.0, 0.5, false, Some(0.05)).unwrap(),
        ),
    ])
}

/// Writes the packed journal of a study of `n` trials, in chunks of 4,096 events as
/// the Worker stores them, and answers its length; read it with [`prepared`].
#[no_mangle]
pub extern "C" fn prepare(n: u32) -> u32 {
    let space = space();
    let config = StudyConfig::new("s")
        .with_sampler(serde_json::from_str(r#"{"type":"tpe"}"#).unwrap())
        .with_seed(1);
    let mut study = Study::create(config).unwrap();
    let mut s: u64 = 1;
    let mut r = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    for _ in 0..n {
        let (x, lr, k) = (
            r() * 10.0 - 5.0,
            10f64.powf(r() * 5.0 - 5.0),
            1 + (r() * 10.0) as i64,
        );
        let opt = ["adam", "sgd", "rmsprop"][(r() * 3.0) as usize];
        let dropout = (r() * 10.0).round() * 0.05;
        let params: BTreeMap<String, ParamValue> = [
            ("x".to_string(), ParamValue::Float(x)),
            ("lr".to_string(), ParamValue::Float(lr)),
            ("n".to_string(), ParamValue::Int(k)),
            ("opt".to_string(), ParamValue::Str(opt.to_string())),
            (
                "dropout".to_string(),
                ParamValue::Float((dropout * 100.0).round() / 100.0),
            ),
        ]
        .into();
        let value = x * x + lr.log10().powi(2) / 10.0 + k as f64 / 10.0;
        study
            .add_trial(&params, &space, Outcome::value(value))
            .unwrap();
    }
    let events = study.events();
    let mut out = Vec::new();
    for chunk in std::iter::once(&events[..1]).chain(events[1..].chunks(4096)) {
        let bytes = packed::pack(chunk);
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(&bytes);
    }
    let len = out.len() as u32;
    *PREPARED.lock().unwrap() = out;
    len
}

/// Where [`prepare`]'s bytes are.
#[no_mangle]
pub extern "C" fn prepared() -> *const u8 {
    PREPARED.lock().unwrap().as_ptr()
}

/// Room for `len` bytes of a packed journal, for [`wake`].
#[no_mangle]
pub extern "C" fn input(len: u32) -> *mut u8 {
    let mut buffer = PREPARED.lock().unwrap();
    *buffer = vec![0; len as usize];
    buffer.as_mut_ptr()
}

#[cfg(target_arch = "wasm32")]
fn linear_memory() -> usize {
    core::arch::wasm32::memory_size(0) * 65536
}

#[cfg(not(target_arch = "wasm32"))]
fn linear_memory() -> usize {
    0
}

/// Wakes a study of `n` trials from the packed journal written at [`input`], a chunk
/// at a time as the Worker does, asks once, and measures; read the results with
/// [`result`]. Run it in a fresh instance, so the linear memory grows only for it.
#[no_mangle]
pub extern "C" fn wake(n: u32) {
    let n = n as usize;
    let input = std::mem::take(&mut *PREPARED.lock().unwrap());
    let (memory, base) = (linear_memory(), ALLOCATED.load(Ordering::Relaxed));
    let mut rest = &input[..];
    let mut next = || -> Option<Vec<Event>> {
        let len = u32::from_le_bytes(rest.get(..4)?.try_into().unwrap()) as usize;
        // Each chunk is copied in, as a row read from SQLite is.
        let chunk = rest[4..4 + len].to_vec();
        rest = &rest[4 + len..];
        let mut events = Vec::new();
        packed::unpack(&chunk, &mut events).unwrap();
        Some(events)
    };
    let mut woken = Study::replay(next().unwrap()).unwrap();
    woken.forget_events();
    // As the Worker does: it knows how many trials its table holds.
    woken.reserve_trials(n);
    while let Some(events) = next() {
        woken.apply_stored(events).unwrap();
    }
    let now = ALLOCATED.load(Ordering::Relaxed);
    PEAK.store(now, Ordering::Relaxed);
    RESULTS[4].store(((linear_memory() - memory) / n) as u32, Ordering::Relaxed);
    let first = woken.ask_with_space(&space()).unwrap();
    let per_trial = |bytes: usize| ((bytes - base) / n) as u32;
    RESULTS[0].store(per_trial(now), Ordering::Relaxed);
    RESULTS[1].store(per_trial(PEAK.load(Ordering::Relaxed)), Ordering::Relaxed);
    RESULTS[2].store(
        per_trial(ALLOCATED.load(Ordering::Relaxed)),
        Ordering::Relaxed,
    );
    RESULTS[3].store(((linear_memory() - memory) / n) as u32, Ordering::Relaxed);
    drop(input);
    woken.tell(first, Outcome::value(1.0)).unwrap();
    *WOKEN.lock().unwrap() = Some(woken);
}

/// The study [`wake`] woke, for [`again`].
static WOKEN: std::sync::Mutex<Option<Study>> = std::sync::Mutex::new(None);

/// A warm ask (and its tell) of the study [`wake`] woke: time it from the host.
#[no_mangle]
pub extern "C" fn again() {
    let mut guard = WOKEN.lock().unwrap();
    let study = guard.as_mut().expect("wake first");
    let n = study.ask_with_space(&space()).unwrap();
    study.tell(n, Outcome::value(1.0)).unwrap();
}

/// Result `i` of the last [`wake`]: 0 woken, 1 the first ask's peak, 2 after it,
/// 3 the linear memory's growth, 4 its growth when woken.
#[no_mangle]
pub extern "C" fn result(i: u32) -> u32 {
    RESULTS[i as usize % 5].load(Ordering::Relaxed)
}
