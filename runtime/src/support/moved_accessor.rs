//! What a generated client keeps of an accessor that moved: the old name, deprecated and
//! hidden, for one release after resources nested under their parents (`client.messages()`
//! became `client.users().messages()`).

/// Declares, in a generated `impl Client`, the accessor `old` returning the handle it always
/// returned, deprecated with `note` (which names the new call) and hidden from the docs.
///
/// ```
/// mod messages {
///     pub struct Messages {
///         pub(crate) client: u8,
///     }
/// }
/// pub struct Client {
///     inner: u8,
/// }
/// impl Client {
///     discogen_runtime::moved_accessor!(
///         messages,
///         messages::Messages,
///         "accessors follow the method id: use `client.users().messages()`"
///     );
/// }
/// # #[allow(deprecated)]
/// # let _: messages::Messages = Client { inner: 0 }.messages();
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! moved_accessor {
    ($old:ident, $module:ident :: $handle:ident, $note:literal) => {
        #[doc(hidden)]
        #[deprecated(note = $note)]
        pub fn $old(&self) -> $module::$handle {
            $module::$handle { client: self.inner.clone() }
        }
    };
}
