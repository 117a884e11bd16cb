//! What a generated client offers in place of a resource whose cargo feature is off: a call
//! that says which feature to enable, instead of a bare "no method named ...".

/// What a resource accessor returns while its cargo feature is off. It has no methods: the
/// compiler reports the next call on it as missing, right after a warning from the accessor
/// naming the feature to enable.
#[derive(Debug, Clone, Copy)]
pub struct FeatureOff;

/// Declares, in a generated `impl Client`, the stand-in accessor of a resource for when its
/// cargo feature is off: hidden from the docs, and deprecated with `note`, which names the
/// feature, so that calling it warns where the user wrote the call.
///
/// ```
/// pub struct Client;
/// impl Client {
///     discogen_runtime::feature_off!(
///         zone_operations,
///         "zone-operations",
///         "compiled out: enable the cargo feature `zone-operations` of google-compute-v1"
///     );
/// }
/// # #[allow(deprecated)]
/// # let _: discogen_runtime::__support::FeatureOff = Client.zone_operations();
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! feature_off {
    ($accessor:ident, $feature:literal, $note:literal) => {
        #[cfg(not(feature = $feature))]
        #[doc(hidden)]
        #[deprecated(note = $note)]
        pub fn $accessor(&self) -> $crate::__support::FeatureOff {
            $crate::__support::FeatureOff
        }
    };
}
