//! Streams over paginated list methods (`pageToken` / `nextPageToken`, or an API's own names).

use std::collections::HashSet;
use std::future::Future;

use futures_util::stream::{self, BoxStream};

/// Stream traits re-exported so generated crates and their users need no direct `futures`
/// dependency to consume a [`PageStream`] or an [`ItemStream`].
pub use futures_util::{Stream, StreamExt, TryStreamExt};

use crate::error::{Error, Result};

/// A response of a paged list: it says where the next page starts. Generated list-response
/// types implement it; those with one unambiguous list of items implement [`Page`] too.
pub trait PageToken {
    /// The response field holding the next page's token, as named on the wire. A page stream
    /// adds it to a `fields` mask that leaves it out, so such a mask cannot end a listing
    /// after its first page.
    const NEXT_PAGE_TOKEN: &'static str = "nextPageToken";

    /// The token of the next page; `None` or `""` on the last page.
    fn next_page_token(&self) -> Option<&str>;
}

/// A page of a list response with its items.
///
/// ```
/// use discogen_runtime::paging::{Page, PageToken};
///
/// struct ListJobsResponse {
///     jobs: Vec<String>,
///     next_page_token: Option<String>,
/// }
///
/// impl PageToken for ListJobsResponse {
///     fn next_page_token(&self) -> Option<&str> {
///         self.next_page_token.as_deref()
///     }
/// }
///
/// impl Page for ListJobsResponse {
///     type Item = String;
///     fn into_items(self) -> Vec<String> {
///         self.jobs
///     }
/// }
/// ```
pub trait Page: PageToken {
    /// The listed resource type.
    type Item;

    /// The items of this page.
    fn into_items(self) -> Vec<Self::Item>;
}

/// A stream of pages; it ends after the last page or the first error.
pub type PageStream<'a, P> = BoxStream<'a, Result<P>>;

/// A stream of items across pages; it ends after the last item or the first
/// error.
pub type ItemStream<'a, T> = BoxStream<'a, Result<T>>;

enum Cursor {
    /// Fetch the page with this token (`None`: the first page).
    Fetch(Option<String>),
    /// Report a protocol error, then stop.
    Fail(String),
    Done,
}

/// Turns `fetch` ("get the page for this page token") into a stream of pages.
///
/// The first call gets `first_token` (usually `None`); each later call gets
/// the previous page's `nextPageToken`. The stream ends when a page has no
/// (or an empty) next token, after the first error, or with an
/// [`Error::InvalidResponse`] if the server returns a token this stream has
/// already followed (`A -> B -> A` would loop forever).
///
/// ```
/// use discogen_runtime::paging::{paginate, PageToken};
/// use discogen_runtime::Result;
/// use discogen_runtime::paging::TryStreamExt;
///
/// struct Numbers(Vec<u32>, Option<String>);
/// impl PageToken for Numbers {
///     fn next_page_token(&self) -> Option<&str> { self.1.as_deref() }
/// }
///
/// # async fn demo() -> Result<()> {
/// let pages = paginate(None, |token: Option<String>| async move {
///     Ok(match token.as_deref() {
///         None => Numbers(vec![1, 2], Some("p2".into())),
///         Some(_) => Numbers(vec![3], None),
///     })
/// });
/// let pages: Vec<Numbers> = pages.try_collect().await?;
/// assert_eq!(pages.len(), 2);
/// # Ok(())
/// # }
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(demo()).unwrap();
/// ```
pub fn paginate<'a, P, F, Fut>(first_token: Option<String>, fetch: F) -> PageStream<'a, P>
where
    P: PageToken + Send + 'a,
    F: FnMut(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<P>> + Send + 'a,
{
    // Every token followed so far: tokens are short, and a list long enough for them to
    // matter is long enough to be worth the memory.
    let seen: HashSet<String> = first_token.iter().cloned().collect();
    stream::unfold((Cursor::Fetch(first_token), fetch, seen), |(cursor, mut fetch, mut seen)| async move {
        let token = match cursor {
            Cursor::Done => return None,
            Cursor::Fail(message) => {
                return Some((Err(Error::InvalidResponse(message)), (Cursor::Done, fetch, seen)));
            }
            Cursor::Fetch(token) => token,
        };
        match fetch(token).await {
            Ok(page) => {
                let next = match page.next_page_token().filter(|t| !t.is_empty()) {
                    None => Cursor::Done,
                    Some(next) if !seen.insert(next.to_owned()) => Cursor::Fail(format!(
                        "the server returned page token {} again: following it would never end",
                        shorten(next)
                    )),
                    Some(next) => Cursor::Fetch(Some(next.to_owned())),
                };
                Some((Ok(page), (next, fetch, seen)))
            }
            Err(error) => Some((Err(error), (Cursor::Done, fetch, seen))),
        }
    })
    .boxed()
}

/// A token as shown in an error: quoted, and cut if the server sent a long one.
fn shorten(token: &str) -> String {
    const SHOWN: usize = 64;
    match token.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{:?}…", &token[..cut]),
        None => format!("{token:?}"),
    }
}

/// Like [`paginate`], but yields the items of the pages one by one.
pub fn paginate_items<'a, P, F, Fut>(first_token: Option<String>, fetch: F) -> ItemStream<'a, P::Item>
where
    P: Page + Send + 'a,
    P::Item: Send + 'a,
    F: FnMut(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<P>> + Send + 'a,
{
    page_items(paginate(first_token, fetch))
}

/// The items of a page stream, one by one (what [`paginate_items`] returns, from pages
/// already being fetched).
pub fn page_items<'a, P>(pages: PageStream<'a, P>) -> ItemStream<'a, P::Item>
where
    P: Page + Send + 'a,
    P::Item: Send + 'a,
{
    pages.map_ok(|page| stream::iter(page.into_items().into_iter().map(Ok))).try_flatten().boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Debug)]
    struct Numbers(Vec<u32>, Option<String>);

    impl PageToken for Numbers {
        fn next_page_token(&self) -> Option<&str> {
            self.1.as_deref()
        }
    }

    impl Page for Numbers {
        type Item = u32;
        fn into_items(self) -> Vec<u32> {
            self.0
        }
    }

    type Calls = Arc<Mutex<Vec<Option<String>>>>;

    /// Serves `pages` in order; records the tokens it was called with.
    fn server(
        pages: Vec<(Vec<u32>, Option<&'static str>)>,
    ) -> (Calls, impl FnMut(Option<String>) -> std::future::Ready<Result<Numbers>> + Send) {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let seen = calls.clone();
        let fetch = move |token: Option<String>| {
            let index = seen.lock().unwrap().len();
            seen.lock().unwrap().push(token);
            let (items, next) = pages[index].clone();
            std::future::ready(Ok(Numbers(items, next.map(str::to_owned))))
        };
        (calls, fetch)
    }

    #[tokio::test]
    async fn follows_tokens_until_the_last_page() {
        let (calls, fetch) = server(vec![(vec![1, 2], Some("a")), (vec![], Some("b")), (vec![3], Some(""))]);
        let items: Vec<u32> = paginate_items(None, fetch).try_collect().await.unwrap();
        assert_eq!(items, [1, 2, 3]);
        assert_eq!(*calls.lock().unwrap(), [None, Some("a".to_owned()), Some("b".to_owned())]);
    }

    #[tokio::test]
    async fn starts_from_the_given_token() {
        let (calls, fetch) = server(vec![(vec![7], None)]);
        let pages: Vec<Numbers> = paginate(Some("t".into()), fetch).try_collect().await.unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(*calls.lock().unwrap(), [Some("t".to_owned())]);
    }

    #[tokio::test]
    async fn a_repeated_token_ends_with_an_error() {
        let (_, fetch) = server(vec![(vec![1], Some("a")), (vec![2], Some("a"))]);
        let results: Vec<Result<u32>> = paginate_items(None, fetch).collect().await;
        assert_eq!(results.len(), 3);
        assert!(matches!(results[2], Err(Error::InvalidResponse(_))));
    }

    #[tokio::test]
    async fn a_token_cycle_ends_with_an_error_naming_the_token() {
        let pages = vec![(vec![1], Some("a")), (vec![2], Some("b")), (vec![3], Some("c")), (vec![4], Some("a"))];
        let (calls, fetch) = server(pages);
        let results: Vec<Result<u32>> = paginate_items(None, fetch).collect().await;
        assert_eq!(results.len(), 5, "{results:?}");
        assert!(results[..4].iter().all(Result::is_ok));
        let error = results[4].as_ref().unwrap_err().to_string();
        assert!(error.contains(r#"page token "a" again"#), "{error}");
        assert_eq!(calls.lock().unwrap().len(), 4, "the repeated token is not fetched");
    }

    #[tokio::test]
    async fn the_first_token_counts_as_seen() {
        let (calls, fetch) = server(vec![(vec![1], Some("b")), (vec![2], Some("t"))]);
        let results: Vec<Result<u32>> = paginate_items(Some("t".into()), fetch).collect().await;
        assert!(matches!(results.last(), Some(Err(Error::InvalidResponse(_)))), "{results:?}");
        assert_eq!(calls.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream() {
        let mut calls = 0;
        let fetch = move |_token: Option<String>| {
            calls += 1;
            let result = if calls == 1 {
                Ok(Numbers(vec![1], Some("a".into())))
            } else {
                Err(Error::InvalidResponse("boom".into()))
            };
            std::future::ready(result)
        };
        let results: Vec<Result<u32>> = paginate_items(None, fetch).collect().await;
        assert_eq!(results.len(), 2);
        assert!(results[0].is_ok());
        assert!(results[1].is_err());
    }
}
