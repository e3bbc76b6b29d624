//! The reads that cover every trial, those that left a history window included:
//! they come from storage (the trials table, the journal), not from memory.

use edgetune_api::failure::Failure;
use edgetune_core::analysis::{csv_line, TableLayout};
use edgetune_core::{optuna, TrialState};
use serde_json::Value;
use worker::Response;

use super::{journal, trials, StudyObject};
use crate::http::{ok, ApiResult};

impl StudyObject {
    /// `GET …/trials`: a page from the trials table. O(limit) rows.
    pub(super) fn trials_page(
        &self,
        states: &[TrialState],
        offset: usize,
        limit: usize,
        descending: bool,
    ) -> ApiResult {
        self.with_study(|_| Ok(()))?;
        ok(&trials::page(
            &self.sql(),
            states,
            offset,
            limit,
            descending,
        )?)
    }

    /// `GET …/trials/table`: the table of every trial, from the trials table, streamed:
    /// one pass over the trials a page at a time gathers the columns, a second writes
    /// the rows as it is pulled. O(n) time, O(page + columns) memory at any size.
    pub(super) fn table(&self, csv: bool) -> ApiResult {
        const PAGE: usize = 1000;
        let n_objectives = self.with_study(|s| Ok(s.directions().len()))?;
        let mut layout = TableLayout::new(n_objectives);
        for page in trials::pages(self.sql(), PAGE) {
            page?.iter().for_each(|t| layout.add(t));
        }
        let columns = layout.columns();
        let (head, content_type) = if csv {
            let header: Vec<Value> = columns.into_iter().map(Value::String).collect();
            (csv_line(&header), "text/csv; charset=utf-8")
        } else {
            let columns =
                serde_json::to_string(&columns).map_err(|e| Failure::internal(e.to_string()))?;
            (
                format!("{{\"columns\":{columns},\"rows\":["),
                "application/json; charset=utf-8",
            )
        };
        let mut first = true;
        let rows = trials::pages(self.sql(), PAGE).map(move |page| {
            let trials = page.map_err(|e| worker::Error::RustError(e.message))?;
            let mut text = String::new();
            for t in &trials {
                let row = layout.row(t);
                if csv {
                    text += &csv_line(&row);
                } else {
                    if !first {
                        text.push(',');
                    }
                    first = false;
                    // JSON values and numbers only: it always serializes.
                    text += &serde_json::to_string(&row).unwrap_or_default();
                }
            }
            Ok::<_, worker::Error>(text.into_bytes())
        });
        let tail = (!csv).then(|| Ok(b"]}".to_vec()));
        let body = std::iter::once(Ok(head.into_bytes()))
            .chain(rows)
            .chain(tail);
        let mut response = Response::from_stream(futures_util::stream::iter(body))
            .map_err(|e| Failure::internal(e.to_string()))?;
        response.headers_mut().set("content-type", content_type)?;
        Ok(response)
    }

    /// `GET …/journal?format=optuna`: the study as an Optuna journal, its trials
    /// streamed from the trials table a page at a time.
    pub(super) fn export_optuna(&self) -> ApiResult {
        let (head, n_objectives) = self.with_study(|s| {
            let names = s.metric_names();
            let lines =
                optuna::study_lines(s.name(), s.directions(), s.user_attrs(), names.as_deref());
            Ok((lines, s.directions().len()))
        })?;
        let head = head.into_iter().map(|l| Ok((l + "\n").into_bytes()));
        let pages = trials::pages(self.sql(), 1000).map(move |page| {
            page.map(|trials| {
                let mut text = String::new();
                for t in &trials {
                    text += &optuna::trial_line(t, n_objectives);
                    text.push('\n');
                }
                text.into_bytes()
            })
            .map_err(|e| worker::Error::RustError(e.message))
        });
        let mut response = Response::from_stream(futures_util::stream::iter(head.chain(pages)))
            .map_err(|e| Failure::internal(e.to_string()))?;
        response
            .headers_mut()
            .set("content-type", "application/x-ndjson; charset=utf-8")?;
        Ok(response)
    }

    /// `GET …/journal`: the whole journal, streamed from storage.
    pub(super) fn export(&self) -> ApiResult {
        self.with_study(|_| Ok(()))?;
        let pieces = journal::export(&self.sql(), self.packed.get())?;
        let mut response = Response::from_stream(futures_util::stream::iter(pieces))
            .map_err(|e| Failure::internal(e.to_string()))?;
        response
            .headers_mut()
            .set("content-type", "application/json; charset=utf-8")?;
        Ok(response)
    }
}
