//! `bytes` fields: base64 in JSON. [`Bytes`] (Discovery `format: byte`) is sent in the URL-safe
//! alphabet, [`StandardBytes`] (OpenAPI `format: byte`) in the standard one; both read either.

use std::fmt;
use std::ops::Deref;

use base64::engine::general_purpose::{STANDARD, STANDARD_PAD_INDIFFERENT, URL_SAFE};
use base64::Engine;
use serde::de::{self, Deserializer, Unexpected};
use serde::{Deserialize, Serialize, Serializer};

/// Decodes base64 in either alphabet, padding optional.
fn decode_either(text: &str) -> Option<Vec<u8>> {
    let standard: String = text
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            other => other,
        })
        .collect();
    STANDARD_PAD_INDIFFERENT.decode(standard).ok()
}

/// One bytes type per alphabet sent: they differ only in the engine that encodes (and in docs).
macro_rules! base64_bytes {
    ($(#[$doc:meta])* $name:ident, $engine:ident, $form:literal) => {
        $(#[$doc])*
        #[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Vec<u8>);

        impl $name {
            /// Wraps raw bytes.
            pub fn new(data: impl Into<Vec<u8>>) -> Self {
                $name(data.into())
            }

            /// The raw bytes.
            pub fn as_slice(&self) -> &[u8] {
                &self.0
            }

            /// The raw bytes, by value.
            pub fn into_vec(self) -> Vec<u8> {
                self.0
            }

            /// Decodes base64 (either alphabet, padding optional).
            pub fn from_base64(text: &str) -> Option<Self> {
                decode_either(text).map($name)
            }

            #[doc = concat!("Encodes as ", $form, " base64: the form sent.")]
            pub fn to_base64(&self) -> String {
                $engine.encode(&self.0)
            }
        }

        impl Deref for $name {
            type Target = [u8];
            fn deref(&self) -> &[u8] {
                &self.0
            }
        }

        impl From<Vec<u8>> for $name {
            fn from(data: Vec<u8>) -> Self {
                $name(data)
            }
        }

        impl From<&[u8]> for $name {
            fn from(data: &[u8]) -> Self {
                $name(data.to_vec())
            }
        }

        impl fmt::Debug for $name {
            /// Shows the length, not the content (which may be large or secret).
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "(<{} bytes>)"), self.0.len())
            }
        }

        #[doc = concat!("The ", $form, " base64 form, as sent in URLs and JSON.")]
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.to_base64())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.to_base64())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                $name::from_base64(&text)
                    .ok_or_else(|| de::Error::invalid_value(Unexpected::Str(&text), &"base64 data"))
            }
        }
    };
}

base64_bytes! {
    /// Binary data (Discovery `format: byte`), sent as base64.
    ///
    /// **Sent** (JSON and query parameters) as URL-safe base64 with padding: `-` and `_` for
    /// `+` and `/` (RFC 4648 section 5), `=` padding kept. URL-safe because some APIs accept
    /// nothing else (Gmail's `users.messages.send` documents `raw` as base64url and answers the
    /// standard alphabet with 400 "Invalid value for ByteString") and Google's front ends decode
    /// it for every `bytes` field (proto JSON accepts both alphabets); google-cloud-rust sends it
    /// too. Padded because a decoder that requires padding then accepts it and one that does not
    /// ignores it (Python's `urlsafe_b64encode`, used by Gmail's own samples, pads as well).
    ///
    /// **Received**: either alphabet, with or without padding.
    ///
    /// ```
    /// use discogen_runtime::wkt::Bytes;
    ///
    /// let data = Bytes::from(b"hi?>".to_vec());
    /// assert_eq!(serde_json::to_string(&data).unwrap(), r#""aGk_Pg==""#);
    /// let standard: Bytes = serde_json::from_str(r#""aGk/Pg==""#).unwrap();
    /// let unpadded: Bytes = serde_json::from_str(r#""aGk_Pg""#).unwrap();
    /// assert_eq!((&*standard, &*unpadded), (&b"hi?>"[..], &b"hi?>"[..]));
    /// ```
    Bytes, URL_SAFE, "URL-safe, padded"
}

base64_bytes! {
    /// Binary data (OpenAPI `format: byte`), sent as base64 in the standard alphabet.
    ///
    /// **Sent** (JSON and query parameters) as standard base64 with padding: `+` and `/`
    /// (RFC 4648 section 4), `=` padding kept. The OpenAPI specification defines `format: byte`
    /// so, and a server outside Google's front ends may reject `-` and `_` or decode them to
    /// other bytes. Discovery documents get [`Bytes`] (URL-safe) instead.
    ///
    /// **Received**: either alphabet, with or without padding.
    ///
    /// ```
    /// use discogen_runtime::wkt::StandardBytes;
    ///
    /// let data = StandardBytes::from(b"hi?>".to_vec());
    /// assert_eq!(serde_json::to_string(&data).unwrap(), r#""aGk/Pg==""#);
    /// let url_safe: StandardBytes = serde_json::from_str(r#""aGk_Pg==""#).unwrap();
    /// let unpadded: StandardBytes = serde_json::from_str(r#""aGk/Pg""#).unwrap();
    /// assert_eq!((&*url_safe, &*unpadded), (&b"hi?>"[..], &b"hi?>"[..]));
    /// ```
    StandardBytes, STANDARD, "standard, padded"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sent_url_safe_with_padding() {
        // 0xfb 0xff: `+/` in the standard alphabet, `-_` in the URL-safe one.
        let data = Bytes::new(vec![0xfb, 0xff]);
        assert_eq!(data.to_base64(), "-_8=");
        assert_eq!(data.to_string(), "-_8=");
        assert_eq!(serde_json::to_string(&data).unwrap(), r#""-_8=""#);
    }

    #[test]
    fn base64_in_both_alphabets() {
        let all: Vec<u8> = (0..=255).collect();
        let encoded = Bytes::new(all.clone()).to_base64();
        assert_eq!(Bytes::from_base64(&encoded).unwrap().into_vec(), all);
        let standard = encoded.replace('-', "+").replace('_', "/");
        assert_eq!(Bytes::from_base64(&standard).unwrap().as_slice(), &all[..]);
        for unpadded in [encoded.trim_end_matches('='), standard.trim_end_matches('=')] {
            assert_eq!(Bytes::from_base64(unpadded).unwrap().as_slice(), &all[..]);
        }
        assert!(Bytes::from_base64("not base64!").is_none());
        assert!(serde_json::from_str::<Bytes>("\"@@\"").is_err());
        assert_eq!(format!("{:?}", Bytes::new(vec![1, 2, 3])), "Bytes(<3 bytes>)");
    }

    #[test]
    fn standard_bytes_sent_in_the_standard_alphabet() {
        let data = StandardBytes::new(vec![0xfb, 0xff]);
        assert_eq!(data.to_base64(), "+/8=");
        assert_eq!(data.to_string(), "+/8=");
        assert_eq!(serde_json::to_string(&data).unwrap(), r#""+/8=""#);
    }

    #[test]
    fn standard_bytes_read_in_both_alphabets() {
        let all: Vec<u8> = (0..=255).collect();
        let encoded = StandardBytes::new(all.clone()).to_base64();
        let url_safe = encoded.replace('+', "-").replace('/', "_");
        assert_ne!(encoded, url_safe);
        for text in [&encoded, &url_safe] {
            assert_eq!(StandardBytes::from_base64(text).unwrap().as_slice(), &all[..]);
            assert_eq!(StandardBytes::from_base64(text.trim_end_matches('=')).unwrap().into_vec(), all);
            let json = serde_json::to_string(text).unwrap();
            assert_eq!(*serde_json::from_str::<StandardBytes>(&json).unwrap(), all[..]);
        }
        assert!(serde_json::from_str::<StandardBytes>("\"@@\"").is_err());
        assert_eq!(format!("{:?}", StandardBytes::new(vec![1, 2, 3])), "StandardBytes(<3 bytes>)");
    }
}
