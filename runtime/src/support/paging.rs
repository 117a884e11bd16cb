//! The macros that make a generated list response a page and a list call builder a pager.

/// Implements [`PageToken`](crate::paging::PageToken) for a list response from its token field (after `=`, the token's
/// JSON name when it is not `nextPageToken`) and, given `items => Type`, [`Page`](crate::paging::Page) from its list
/// field (an `Option<Vec<Type>>`, as generated models hold lists; `None` is no items).
/// Generated crates invoke it once per paged response.
///
/// ```
/// use discogen_runtime::paging::{Page, PageToken};
///
/// struct QueryResponse { page_token: Option<String>, rows: Option<Vec<String>> }
/// discogen_runtime::page!(QueryResponse, page_token = "pageToken", rows => String);
///
/// let page = QueryResponse { page_token: Some("2".into()), rows: Some(vec!["a".into()]) };
/// assert_eq!(QueryResponse::NEXT_PAGE_TOKEN, "pageToken");
/// assert_eq!(page.next_page_token(), Some("2"));
/// assert_eq!(page.into_items(), ["a"]);
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! page {
    ($response:ty, $token:ident $(= $name:literal)?) => {
        impl $crate::paging::PageToken for $response {
            $(const NEXT_PAGE_TOKEN: &'static str = $name;)?

            fn next_page_token(&self) -> ::std::option::Option<&str> {
                self.$token.as_deref()
            }
        }
    };
    ($response:ty, $token:ident $(= $name:literal)?, $items:ident => $item:ty) => {
        $crate::page!($response, $token $(= $name)?);

        impl $crate::paging::Page for $response {
            type Item = $item;

            fn into_items(self) -> ::std::vec::Vec<$item> {
                self.$items.unwrap_or_default()
            }
        }
    };
}

/// Adds `pages()` and `items()` to a paged list builder that is `Clone`, holds its
/// [`Call`](crate::__support::Call) in a field `call`, has an `Option<String>` page-token field and a
/// `send()` returning a [`Page`](crate::paging::Page). Generated crates invoke it once per paged list method,
/// naming the page and item types of the crate (`crate::` is implied) or, after `type`, any
/// type. Without an item type (a response with several lists) only `pages()` is added, and the
/// response need only be a [`PageToken`](crate::paging::PageToken).
///
/// `pages()` adds the response's token field to a `fields` mask that leaves it out.
///
/// ```
/// use discogen_runtime::__support::Call;
/// use discogen_runtime::Client;
/// use discogen_runtime::paging::{Page, PageToken, TryStreamExt};
///
/// #[derive(Debug)]
/// struct Numbers { items: Vec<u32>, next: Option<String> }
/// impl PageToken for Numbers {
///     fn next_page_token(&self) -> Option<&str> { self.next.as_deref() }
/// }
/// impl Page for Numbers {
///     type Item = u32;
///     fn into_items(self) -> Vec<u32> { self.items }
/// }
///
/// #[derive(Clone)]
/// struct ListNumbers { call: Call, page_token: Option<String> }
/// impl ListNumbers {
///     async fn send(self) -> discogen_runtime::Result<Numbers> {
///         Ok(match self.page_token.as_deref() {
///             None => Numbers { items: vec![1, 2], next: Some("b".into()) },
///             _ => Numbers { items: vec![3], next: None },
///         })
///     }
/// }
/// discogen_runtime::paginated!(ListNumbers, page_token, type Numbers, type u32);
///
/// # async fn demo() -> discogen_runtime::Result<()> {
/// let client = Client::builder("https://numbers.example.com/").no_auth().build()?;
/// let list = ListNumbers { call: Call::new(&client), page_token: None };
/// let all: Vec<u32> = list.items().try_collect().await?;
/// assert_eq!(all, [1, 2, 3]);
/// # Ok(())
/// # }
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(demo()).unwrap();
/// ```
// `crate::` names the generated crate that invokes the macro, on purpose.
#[allow(clippy::crate_in_macro_def)]
#[doc(hidden)]
#[macro_export]
macro_rules! paginated {
    ($builder:ident, $token:ident, type $page:ty, type $item:ty) => {
        $crate::paginated!($builder, $token, type $page);

        impl $builder {
            /// All items of all pages, one by one.
            pub fn items(self) -> $crate::paging::ItemStream<'static, $item> {
                $crate::paging::page_items(self.pages())
            }
        }
    };
    ($builder:ident, $token:ident, type $page:ty) => {
        impl $builder {
            /// All pages, following the next-page token from this call's page token on.
            pub fn pages(self) -> $crate::paging::PageStream<'static, $page> {
                let mut first = self;
                first.call.options = first
                    .call
                    .options
                    .with_field_selected(<$page as $crate::paging::PageToken>::NEXT_PAGE_TOKEN);
                let token = first.$token.clone();
                $crate::paging::paginate(token, move |token| {
                    let mut call = first.clone();
                    call.$token = token;
                    call.send()
                })
            }
        }
    };
    ($builder:ident, $token:ident, $page:ident, $item:ident) => {
        $crate::paginated!($builder, $token, type crate::$page, type crate::$item);
    };
    ($builder:ident, $token:ident, $page:ident, type $item:ty) => {
        $crate::paginated!($builder, $token, type crate::$page, type $item);
    };
    ($builder:ident, $token:ident, $page:ident) => {
        $crate::paginated!($builder, $token, type crate::$page);
    };
}
