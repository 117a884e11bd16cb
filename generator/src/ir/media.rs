//! What a method does with media (file contents) besides JSON: Discovery's `mediaUpload`,
//! `supportsMediaUpload`, `supportsMediaDownload` and `useMediaDownloadService`. Plain data;
//! the Discovery reader fills it in (`crate::discovery::media`).

/// Media capabilities of one method. Plain data; the emitter decides what to generate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Media {
    /// Present when the method takes media (`supportsMediaUpload` with a `mediaUpload`).
    pub upload: Option<MediaUpload>,
    /// `alt=media` returns the resource's bytes instead of its JSON.
    pub download: bool,
    /// Google serves those bytes from its download service (`download/...`); the same
    /// `alt=media` request on the method's own path works everywhere, so it is only recorded.
    pub use_download_service: bool,
}

/// Where and what a method uploads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaUpload {
    /// Accepted MIME patterns (`*/*`, `image/*`, `video/mp4`); empty means anything.
    pub accept: Vec<String>,
    /// Largest accepted media in bytes, when Discovery says.
    pub max_size: Option<u64>,
    /// The URI template uploads are sent to, relative to the root URL
    /// (`upload/storage/v1/b/{bucket}/o`), without the leading `/`. Google's own clients use
    /// the simple protocol's path for every upload type (the resumable one differs only by a
    /// `/resumable` prefix the front ends also accept), so the reader takes it when both exist.
    pub path: super::PathTemplate,
    /// Metadata may travel with the media (`multipart/related`).
    pub multipart: bool,
}
