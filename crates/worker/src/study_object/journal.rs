//! The study's journal in SQLite: compacted chunks of packed events (`packed`), the
//! latest events as JSON rows (`events`), and the latest snapshot (`snapshot`), which
//! a windowed study wakes from without replaying what came before it.

use edgetune_core::{packed, Event};
use serde::Deserialize;
use worker::{SqlStorage, SqlStorageValue};

use crate::http::ApiResult;
use edgetune_api::failure::Failure;

/// Events per packed chunk: a chunk is written once the JSON rows reach this many, so
/// a cold start parses at most this many events as JSON.
pub(super) const PACK_EVENTS: usize = 4096;

/// The largest packed chunk or snapshot part, under the 2 MB a Durable Object's
/// SQLite value may hold.
const MAX_VALUE_BYTES: usize = 1_000_000;

/// Creates the journal's tables if they are missing.
pub(super) fn create_tables(sql: &SqlStorage) -> ApiResult<()> {
    for statement in [
        "CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS packed \
         (start INTEGER PRIMARY KEY, until INTEGER NOT NULL, data BLOB NOT NULL)",
        "CREATE TABLE IF NOT EXISTS snapshot \
         (part INTEGER PRIMARY KEY, covers INTEGER NOT NULL, data TEXT NOT NULL)",
    ] {
        sql.exec(statement, None)?;
    }
    Ok(())
}

pub(super) fn unreadable(e: impl std::fmt::Display) -> Failure {
    Failure::internal(format!("stored journal is unreadable: {e}"))
}

/// The latest snapshot and how many events it covers, if the study has one.
pub(super) fn read_snapshot(sql: &SqlStorage) -> ApiResult<Option<(String, usize)>> {
    #[derive(Deserialize)]
    struct Part {
        covers: f64,
        data: String,
    }
    let parts: Vec<Part> = sql
        .exec("SELECT covers, data FROM snapshot ORDER BY part", None)?
        .to_array()?;
    let Some(covers) = parts.first().map(|p| p.covers as usize) else {
        return Ok(None);
    };
    if parts.iter().any(|p| p.covers as usize != covers) {
        return Err(unreadable("the snapshot's parts disagree"));
    }
    Ok(Some((parts.into_iter().map(|p| p.data).collect(), covers)))
}

/// Replaces the snapshot, in parts of at most [`MAX_VALUE_BYTES`].
pub(super) fn write_snapshot(sql: &SqlStorage, text: &str, covers: usize) -> ApiResult<()> {
    sql.exec("DELETE FROM snapshot", None)?;
    let mut rest = text;
    let mut part = 0i64;
    while !rest.is_empty() {
        let mut cut = rest.len().min(MAX_VALUE_BYTES);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (head, tail) = rest.split_at(cut);
        sql.exec(
            "INSERT INTO snapshot (part, covers, data) VALUES (?, ?, ?)",
            vec![part.into(), (covers as i64).into(), head.into()],
        )?;
        rest = tail;
        part += 1;
    }
    Ok(())
}

/// Hands the stored events from sequence number `from` on to `apply`, a packed chunk
/// (then the JSON rows after the chunks) at a time, so memory never holds the whole
/// journal; returns where the packed chunks end.
pub(super) fn for_each_stored(
    sql: &SqlStorage,
    from: usize,
    mut apply: impl FnMut(Vec<Event>) -> ApiResult<()>,
) -> ApiResult<usize> {
    let (seen, packed) = read_packed(sql, from, &mut apply)?;
    let rows = read_rows(sql, from.max(seen), None)?;
    if !rows.is_empty() {
        apply(rows)?;
    }
    Ok(packed)
}

/// Hands the packed events from sequence number `from` on to `apply`, a chunk at a
/// time; returns the sequence number after the last event handed over (or `from`), and
/// where the packed chunks end. The chunks must follow each other from 0 without a
/// gap; those that end before `from` are checked but not read.
fn read_packed(
    sql: &SqlStorage,
    from: usize,
    apply: &mut impl FnMut(Vec<Event>) -> ApiResult<()>,
) -> ApiResult<(usize, usize)> {
    #[derive(Deserialize)]
    struct Span {
        start: f64,
        until: f64,
    }
    let spans: Vec<Span> = sql
        .exec("SELECT start, until FROM packed ORDER BY start", None)?
        .to_array()?;
    let mut end = 0;
    for span in &spans {
        if span.start as usize != end {
            return Err(unreadable(format!(
                "a packed chunk starts at {}, after {end} events",
                span.start
            )));
        }
        end = span.until as usize;
    }
    let mut seen = from;
    for row in sql
        .exec(
            "SELECT start, until, data FROM packed WHERE until > ? ORDER BY start",
            vec![(from as i64).into()],
        )?
        .raw()
    {
        let row = row?;
        let (start, until, data) = match row.as_slice() {
            [SqlStorageValue::Integer(s), SqlStorageValue::Integer(u), SqlStorageValue::Blob(d)] => {
                (*s as usize, *u as usize, d)
            }
            other => return Err(unreadable(format!("a packed row is {other:?}"))),
        };
        let mut chunk = Vec::with_capacity(until - start);
        packed::unpack(data, &mut chunk).map_err(unreadable)?;
        if chunk.len() != until - start {
            return Err(unreadable(format!(
                "the packed chunk from {start} holds {} events, not {}",
                chunk.len(),
                until - start
            )));
        }
        seen = until;
        apply(chunk.into_iter().skip(from.saturating_sub(start)).collect())?;
    }
    Ok((seen, end))
}

/// The JSON rows from sequence number `from` on, which must follow each other without
/// a gap. Rows that a chunk already holds (a compaction whose deletion did not happen)
/// are before `from`, and left out.
pub(super) fn read_rows(
    sql: &SqlStorage,
    from: usize,
    limit: Option<usize>,
) -> ApiResult<Vec<Event>> {
    let rows: Vec<Row> = sql
        .exec(
            "SELECT seq, body FROM events WHERE seq >= ? ORDER BY seq LIMIT ?",
            vec![
                (from as i64).into(),
                (limit.map_or(-1, |l| l as i64)).into(),
            ],
        )?
        .to_array()?;
    let mut events = Vec::with_capacity(rows.len());
    for row in rows {
        if row.seq as usize != from + events.len() {
            return Err(unreadable(format!(
                "event {} follows {} events",
                row.seq,
                from + events.len()
            )));
        }
        events.push(serde_json::from_str(&row.body).map_err(unreadable)?);
    }
    Ok(events)
}

/// A JSON row of the journal: its sequence number and the event's JSON.
#[derive(Deserialize)]
struct Row {
    seq: f64,
    body: String,
}

/// Appends `events`, numbered from `seq`, as JSON rows.
pub(super) fn append(sql: &SqlStorage, seq: usize, events: &[Event]) -> ApiResult<()> {
    for (i, event) in events.iter().enumerate() {
        let body = serde_json::to_string(event)
            .map_err(|e| Failure::internal(format!("event not serializable: {e}")))?;
        sql.exec(
            "INSERT INTO events (seq, body) VALUES (?, ?)",
            vec![((seq + i) as i64).into(), body.into()],
        )?;
    }
    Ok(())
}

/// Packs the JSON rows from `packed` on into chunks of [`PACK_EVENTS`] events (fewer
/// when they would pass [`MAX_VALUE_BYTES`]) while `stored - packed` is at least that
/// many, and deletes the rows. Reads the rows back from storage, so the study need
/// not hold them in memory. Returns where the packed chunks now end. O(PACK_EVENTS)
/// per chunk, once per chunk.
pub(super) fn compact(sql: &SqlStorage, mut packed: usize, stored: usize) -> ApiResult<usize> {
    while stored - packed >= PACK_EVENTS {
        let events = read_rows(sql, packed, Some(PACK_EVENTS))?;
        let mut n = events.len();
        let mut data = packed::pack(&events[..n]);
        while data.len() > MAX_VALUE_BYTES && n > 1 {
            n /= 2;
            data = packed::pack(&events[..n]);
        }
        let until = packed + n;
        sql.exec(
            "INSERT INTO packed (start, until, data) VALUES (?, ?, ?)",
            vec![
                (packed as i64).into(),
                (until as i64).into(),
                SqlStorageValue::Blob(data),
            ],
        )?;
        sql.exec(
            "DELETE FROM events WHERE seq < ?",
            vec![(until as i64).into()],
        )?;
        packed = until;
    }
    Ok(packed)
}

/// The stored journal as JSON text, in pieces, for a streamed answer: the packed
/// chunks up to `packed` are read as the stream is pulled (they never change), the
/// JSON rows after them now (a compaction could delete them meanwhile), so a journal
/// longer than memory streams out in chunks of [`PACK_EVENTS`] events. The text is
/// exactly what [`edgetune_core::Journal::to_json`] writes.
pub(super) fn export(
    sql: &SqlStorage,
    packed: usize,
) -> ApiResult<impl Iterator<Item = Result<Vec<u8>, worker::Error>> + 'static> {
    #[derive(Deserialize)]
    struct Start {
        start: f64,
    }
    let starts: Vec<Start> = sql
        .exec(
            "SELECT start FROM packed WHERE until <= ? ORDER BY start",
            vec![(packed as i64).into()],
        )?
        .to_array()?;
    let rows: Vec<Row> = sql
        .exec(
            "SELECT seq, body FROM events WHERE seq >= ? ORDER BY seq",
            vec![(packed as i64).into()],
        )?
        .to_array()?;
    let head = format!(
        "{{\"format\":{:?},\"version\":{},\"events\":[",
        edgetune_core::JOURNAL_FORMAT,
        edgetune_core::JOURNAL_VERSION
    );
    let sql = sql.clone();
    let chunks = starts.into_iter().map(move |s| {
        let start = s.start as i64;
        let chunk = (|| -> ApiResult<Vec<u8>> {
            let row = sql
                .exec(
                    "SELECT data FROM packed WHERE start = ?",
                    vec![start.into()],
                )?
                .raw()
                .next()
                .ok_or_else(|| unreadable(format!("the packed chunk at {start} is gone")))??;
            let [SqlStorageValue::Blob(data)] = row.as_slice() else {
                return Err(unreadable(format!("a packed row is {row:?}")));
            };
            let mut events = Vec::new();
            packed::unpack(data, &mut events).map_err(unreadable)?;
            let mut text = String::new();
            for (i, event) in events.iter().enumerate() {
                if start > 0 || i > 0 {
                    text.push(',');
                }
                text.push_str(&serde_json::to_string(event).map_err(unreadable)?);
            }
            Ok(text.into_bytes())
        })();
        chunk.map_err(|e| worker::Error::RustError(e.message))
    });
    let tail = rows.into_iter().map(|r| {
        let comma = if r.seq > 0.0 { "," } else { "" };
        Ok(format!("{comma}{}", r.body).into_bytes())
    });
    Ok(std::iter::once(Ok(head.into_bytes()))
        .chain(chunks)
        .chain(tail)
        .chain(std::iter::once(Ok(b"]}".to_vec()))))
}
