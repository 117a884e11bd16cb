//! Media: uploading file contents to methods with `mediaUpload` and downloading them from
//! methods with `supportsMediaDownload`. Streaming and resumable; every request goes through
//! `http` to the client's [`Transport::send_streaming`](crate::transport::Transport::send_streaming).

mod download;
mod http;
mod resumable;
mod source;
mod upload;

pub use download::{ByteStream, MediaDownload};
pub use resumable::ResumableSession;
pub use source::MediaSource;
pub use upload::{MediaUpload, SessionCallback, CHUNK_GRANULARITY, DEFAULT_CHUNK_SIZE, DEFAULT_RESUMABLE_THRESHOLD};
