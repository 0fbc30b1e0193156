//! Listings as streams of items: the request builders of the paged operations gain an `items`
//! method that fetches page after page and yields the items one by one.
//!
//! Two styles exist. The job list (4.1.20) numbers its pages (`cur_page`, `per_page`); the
//! comparison listings (4.1.24, 4.1.28-4.1.32, 4.1.35) take an item `offset` and a `limit`.
//! Either way a stream stops after a page shorter than asked for, once the total the service
//! reports has been reached, or after the first error, which it yields.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;

use futures_core::Stream;
use futures_util::stream;

use crate::error::{DecodeError, Error, InvalidInput};
use crate::operations::{
    ListDataCompareTasks, ListJobs, ShowContentCompareDetails, ShowContentCompareDifferences,
    ShowContentCompareOverview, ShowObjectCompareDetails, ShowRowCountCompareDetails,
    ShowRowCountCompareOverview,
};
use crate::types;

/// The items of a listing, fetched page by page as the stream is polled. Each item is
/// `Ok`, until the first error, which ends the stream.
pub type ItemStream<'a, T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'a>>;

/// One page of a listing.
struct Page<T> {
    items: Vec<T>,
    /// The number of items of the whole listing, when the answer gives it.
    total: Option<u64>,
}

impl<T> Page<T> {
    fn new(items: Option<Vec<T>>, total: Option<impl TryInto<u64>>) -> Self {
        Self {
            items: items.unwrap_or_default(),
            total: total.and_then(|total| total.try_into().ok()),
        }
    }
}

/// How the position of the next page is counted.
#[derive(Clone, Copy)]
enum Style {
    /// Pages numbered from 1.
    PageNumber,
    /// The offset of the next item, from 0.
    Offset,
}

impl Style {
    /// The request parameter that says which page is wanted.
    fn parameter(self) -> &'static str {
        match self {
            Self::PageNumber => "cur_page",
            Self::Offset => "offset",
        }
    }
}

struct Pager<T, F> {
    operation: &'static str,
    style: Style,
    size: i32,
    /// The page number or offset of the next request.
    position: i64,
    seen: u64,
    /// The fingerprint of the last page, to stop a service that repeats it.
    previous_page: Option<u64>,
    buffer: VecDeque<T>,
    done: bool,
    fetch: F,
}

/// Fetches with `fetch(position, size)` until a page is short, the total is reached or a
/// request fails.
fn paged<'a, T, F, Fut>(
    operation: &'static str,
    style: Style,
    size: u32,
    fetch: F,
) -> ItemStream<'a, T>
where
    T: serde::Serialize + Send + 'a,
    F: FnMut(i32, i32) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
{
    let pager = Pager {
        operation,
        style,
        size: i32::try_from(size).unwrap_or(i32::MAX),
        position: match style {
            Style::PageNumber => 1,
            Style::Offset => 0,
        },
        seen: 0,
        previous_page: None,
        buffer: VecDeque::new(),
        done: false,
        fetch,
    };
    Box::pin(stream::unfold(pager, |mut pager| async move {
        loop {
            if let Some(item) = pager.buffer.pop_front() {
                return Some((Ok(item), pager));
            }
            if pager.done {
                return None;
            }
            pager.done = true;
            let Ok(position) = i32::try_from(pager.position) else {
                let field = pager.style.parameter();
                let error = invalid(pager.operation, field, "at most 2147483647", pager.position);
                return Some((Err(error), pager));
            };
            let page = match (pager.fetch)(position, pager.size).await {
                Ok(page) => page,
                Err(error) => return Some((Err(error), pager)),
            };
            let count = page.items.len();
            // A service that ignores the page asked for sends the same full page again and
            // again, and without a total the listing would never end. A short page or a total
            // ends the listing anyway, so only a full page without a total is fingerprinted.
            let full = count > 0 && count >= pager.size as usize;
            let fingerprint = (full && page.total.is_none()).then(|| fingerprint(&page.items));
            if fingerprint.is_some() && pager.previous_page == fingerprint {
                let error = Error::Decode(DecodeError {
                    operation: pager.operation,
                    status: 200,
                    path: ".".into(),
                    message: format!(
                        "the page at {} {position} repeats the page before it: the service \
                         seems to ignore the paging parameters",
                        pager.style.parameter()
                    ),
                    request_id: None,
                    body_excerpt: String::new(),
                });
                return Some((Err(error), pager));
            }
            pager.previous_page = fingerprint;
            pager.seen += count as u64;
            pager.position += match pager.style {
                Style::PageNumber => 1,
                Style::Offset => count as i64,
            };
            let short = count == 0 || count < pager.size as usize;
            let complete = page.total.is_some_and(|total| pager.seen >= total);
            pager.done = short || complete;
            pager.buffer.extend(page.items);
        }
    }))
}

/// A hash of a page's items as they encode, to tell a repeated page.
fn fingerprint<T: serde::Serialize>(items: &[T]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_vec(items)
        .unwrap_or_default()
        .hash(&mut hasher);
    hasher.finish()
}

fn invalid(operation: &'static str, field: &str, expected: &str, found: impl ToString) -> Error {
    Error::InvalidInput(InvalidInput {
        operation,
        field: field.to_string(),
        expected: expected.to_string(),
        found: found.to_string(),
    })
}

/// A stream whose only item is `error`.
fn failed<'a, T: Send + 'a>(error: Error) -> ItemStream<'a, T> {
    Box::pin(stream::once(async move { Err(error) }))
}

/// Checks a page size against the documented bounds of the operation's `limit`.
fn check_limit(operation: &'static str, limit: u32, max: Option<u32>) -> Result<(), Error> {
    let max = max.unwrap_or(i32::MAX as u32);
    if (1..=max).contains(&limit) {
        Ok(())
    } else {
        Err(invalid(
            operation,
            "limit",
            &format!("between 1 and {max}"),
            limit,
        ))
    }
}

impl<'a> ListJobs<'a> {
    /// Every job the request's body matches (4.1.20), fetched `per_page` (1 to 100) at a time
    /// from page 1; `cur_page` and `per_page` of the body are replaced. Stops after a short page
    /// or once `total_record` jobs have come.
    pub fn items(self, per_page: u32) -> ItemStream<'a, types::JobListItem> {
        const OPERATION: &str = "list_jobs";
        if !(1..=100).contains(&per_page) {
            return failed(invalid(
                OPERATION,
                "per_page",
                "between 1 and 100",
                per_page,
            ));
        }
        paged(OPERATION, Style::PageNumber, per_page, move |page, size| {
            let request = self
                .clone()
                .body_map(move |body| body.cur_page(page).per_page(size));
            async move {
                let body = request.send().await?.into_inner();
                Ok(Page::new(body.jobs, body.total_record))
            }
        })
    }
}

/// `items` for an offset/limit listing: the builder, the operation, the documented maximum of
/// `limit`, the item type, and how a page's items and total are read from its body.
macro_rules! offset_items {
    ($builder:ident, $operation:literal, $max:expr, $item:ty, |$body:ident| ($items:expr, $total:expr), $doc:literal) => {
        impl<'a> $builder<'a> {
            #[doc = $doc]
            ///
            /// Items are fetched `limit` at a time from offset 0; an `offset` or `limit` set on
            /// the builder is replaced. The stream stops after a short page or once the total
            /// the service reports has come.
            pub fn items(self, limit: u32) -> ItemStream<'a, $item> {
                if let Err(error) = check_limit($operation, limit, $max) {
                    return failed(error);
                }
                paged($operation, Style::Offset, limit, move |offset, limit| {
                    let request = self.clone().offset(offset).limit(limit);
                    async move {
                        let $body = request.send().await?.into_inner();
                        Ok(Page::new($items, $total))
                    }
                })
            }
        }
    };
}

offset_items!(
    ListDataCompareTasks,
    "list_data_compare_tasks",
    None,
    types::DataCompareTask,
    |body| (body.compare_jobs, body.count),
    "Every data-level table comparison task of the job (4.1.24). The reference gives `limit` no maximum (default 1000); the total is `count`."
);
offset_items!(
    ShowRowCountCompareOverview,
    "show_row_count_compare_overview",
    None,
    types::DataCompareOverviewInfo,
    |body| (body.data_compare_overview_infos, body.total_count),
    "Every database of a row count comparison (4.1.28). The reference gives `limit` no maximum (default 1000); the total is `total_count`."
);
offset_items!(
    ShowRowCountCompareDetails,
    "show_row_count_compare_details",
    None,
    types::TableLineCompareResultInfo,
    |body| (body.table_line_compare_result_infos, body.total_count),
    "Every table of a row count comparison (4.1.29). The reference gives `limit` no maximum (default 1000); the total is `total_count`."
);
offset_items!(
    ShowContentCompareOverview,
    "show_content_compare_overview",
    None,
    types::ContentCompareOverviewInfo,
    |body| (body.content_compare_result_infos, body.total_count),
    "Every database of a content comparison (4.1.30). The reference gives `limit` no maximum (default 1000); the total is `total_count`."
);
offset_items!(
    ShowContentCompareDetails,
    "show_content_compare_details",
    None,
    types::ContentCompareResultInfo,
    |body| (body.content_compare_result_infos, body.total_count),
    "Every table of a content comparison (4.1.31). The reference gives `limit` no maximum (default 1000); the total is `total_count`."
);
offset_items!(
    ShowContentCompareDifferences,
    "show_content_compare_differences",
    Some(1000),
    types::ContentsInfo,
    |body| (body.contents_infos, body.count),
    "Every difference a content comparison found in a table (4.1.32). `limit` is 1 to 1000; the total is `count`."
);
offset_items!(
    ShowObjectCompareDetails,
    "show_object_compare_details",
    Some(1000),
    types::ObjectCompareResultDetails,
    |body| (body.compare_detail, body.count),
    "Every object of an object-level comparison (4.1.35). `limit` is 1 to 1000; the total is `count`."
);
