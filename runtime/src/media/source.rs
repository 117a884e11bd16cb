//! Where upload bytes come from: memory, a file, an `AsyncRead` or a byte stream.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};
use tokio::io::{AsyncRead, AsyncReadExt};

use crate::error::{BoxError, Error, Result};

/// How much one read from a file or reader asks for.
pub(crate) const READ_SIZE: usize = 256 * 1024;

/// The bytes of an upload, their content type and (when known) their length.
///
/// Files and readers are read chunk by chunk while uploading; only the chunk
/// being sent and the next one (read while it is sent) are held in memory.
///
/// ```
/// use discogen_runtime::media::MediaSource;
///
/// let media = MediaSource::from_bytes("hello", "text/plain");
/// assert_eq!(media.len(), Some(5));
/// assert_eq!(media.content_type(), "text/plain");
/// ```
pub struct MediaSource {
    content_type: String,
    length: Option<u64>,
    body: Body,
}

enum Body {
    Bytes(Bytes),
    File(PathBuf),
    Reader(Pin<Box<dyn AsyncRead + Send>>),
    Stream(Pin<Box<dyn Stream<Item = std::result::Result<Bytes, BoxError>> + Send>>),
}

impl MediaSource {
    /// Bytes already in memory.
    pub fn from_bytes(bytes: impl Into<Bytes>, content_type: impl Into<String>) -> Self {
        let bytes = bytes.into();
        MediaSource { content_type: content_type.into(), length: Some(bytes.len() as u64), body: Body::Bytes(bytes) }
    }

    /// The contents of the file at `path`; its length is read now.
    pub async fn from_path(path: impl Into<PathBuf>, content_type: impl Into<String>) -> Result<Self> {
        let path = path.into();
        let metadata = tokio::fs::metadata(&path).await.map_err(|e| file_error(&path, "cannot read", e))?;
        if !metadata.is_file() {
            return Err(Error::InvalidRequest(format!("media file {}: not a regular file", path.display())));
        }
        Ok(MediaSource { content_type: content_type.into(), length: Some(metadata.len()), body: Body::File(path) })
    }

    /// Bytes read from `reader`; `length` when known (an unknown length
    /// always uploads resumably).
    pub fn from_reader(
        reader: impl AsyncRead + Send + 'static,
        content_type: impl Into<String>,
        length: Option<u64>,
    ) -> Self {
        MediaSource { content_type: content_type.into(), length, body: Body::Reader(Box::pin(reader)) }
    }

    /// Bytes from a stream of chunks; `length` when known.
    pub fn from_stream<S, E>(stream: S, content_type: impl Into<String>, length: Option<u64>) -> Self
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        let stream = stream.map(|item| item.map_err(Into::into));
        MediaSource { content_type: content_type.into(), length, body: Body::Stream(Box::pin(stream)) }
    }

    /// The MIME type sent with the media.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The length in bytes, when known.
    pub fn len(&self) -> Option<u64> {
        self.length
    }

    /// True when the length is known to be zero.
    pub fn is_empty(&self) -> bool {
        self.length == Some(0)
    }

    /// The source as something that can be read again from any offset (bytes in memory, a
    /// file, of known length), for [`Rereadable::rest_from`]; `None` for readers and streams.
    pub(crate) fn rereadable(&self) -> Option<Rereadable> {
        let length = self.length?;
        let body = match &self.body {
            Body::Bytes(bytes) => RereadableBody::Bytes(bytes.clone()),
            Body::File(path) => RereadableBody::File(path.clone()),
            _ => return None,
        };
        Some(Rereadable { body, length })
    }

    /// Starts reading.
    pub(crate) async fn open(self) -> Result<MediaReader> {
        let inner = match self.body {
            Body::Bytes(bytes) => Reader::Bytes(bytes),
            Body::File(path) => {
                let file = tokio::fs::File::open(&path).await.map_err(|e| file_error(&path, "cannot open", e))?;
                Reader::File(Some(file.into_std().await))
            }
            Body::Reader(reader) => Reader::Async(reader),
            Body::Stream(stream) => Reader::Stream(stream, Bytes::new()),
        };
        Ok(MediaReader { inner, declared: self.length, read: 0, ended: false })
    }
}

impl fmt::Debug for MediaSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.body {
            Body::Bytes(_) => "bytes",
            Body::File(_) => "file",
            Body::Reader(_) => "reader",
            Body::Stream(_) => "stream",
        };
        f.debug_struct("MediaSource")
            .field("kind", &kind)
            .field("content_type", &self.content_type)
            .field("length", &self.length)
            .finish()
    }
}

fn file_error(path: &std::path::Path, what: &str, error: std::io::Error) -> Error {
    Error::InvalidRequest(format!("media file {}: {what}: {error}", path.display()))
}

/// A source that can be read again from any offset: [`MediaSource::rereadable`].
#[derive(Clone)]
pub(crate) struct Rereadable {
    body: RereadableBody,
    length: u64,
}

#[derive(Clone)]
enum RereadableBody {
    Bytes(Bytes),
    File(PathBuf),
}

impl Rereadable {
    /// The declared length.
    pub(crate) fn len(&self) -> u64 {
        self.length
    }

    /// The bytes from `offset` to the declared end: bytes in memory as one uncopied slice; a
    /// file in pieces of [`PIECE_SIZE`], each read on the blocking pool while the one before
    /// is sent (two pieces held). A file that turns out shorter or longer than its declared
    /// length ends the stream with an error. `None` when `offset` is past the end.
    pub(crate) fn rest_from(&self, offset: u64) -> Option<RestStream> {
        let end = self.length;
        if offset > end {
            return None;
        }
        let state = match &self.body {
            RereadableBody::Bytes(bytes) => {
                let start = usize::try_from(offset).ok().filter(|start| *start <= bytes.len())?;
                Rest::Bytes(Some(bytes.slice(start..)).filter(|rest| !rest.is_empty()))
            }
            RereadableBody::File(path) => {
                Rest::File { path: path.clone(), file: None, next: offset, end, read: None, done: false }
            }
        };
        Some(RestStream { state })
    }
}

/// How much of a file one read of [`Rereadable::rest_from`] asks for.
pub(crate) const PIECE_SIZE: usize = 1 << 20;

/// A piece read on the blocking pool: the file (to read the next piece from) and the bytes.
type PieceRead = tokio::task::JoinHandle<std::io::Result<(std::fs::File, Vec<u8>)>>;

/// The stream of [`Rereadable::rest_from`].
pub(crate) struct RestStream {
    state: Rest,
}

enum Rest {
    Bytes(Option<Bytes>),
    File {
        path: PathBuf,
        /// The open file between reads (`None` before the first and while one is out).
        file: Option<std::fs::File>,
        /// Where the next read starts.
        next: u64,
        end: u64,
        read: Option<PieceRead>,
        done: bool,
    },
}

impl Rest {
    /// Starts reading the piece at `next` (the file is opened and positioned first if
    /// needed; the last piece also checks that the file ends there).
    fn start_read(&mut self) {
        let Rest::File { path, file, next, end, read, .. } = self else { return };
        let (start, want) = (*next, (*end - *next).min(PIECE_SIZE as u64) as usize);
        let last = start + want as u64 == *end;
        let (path, file) = (path.clone(), file.take());
        *read = Some(tokio::task::spawn_blocking(move || {
            use std::io::{Read, Seek};
            let mut file = match file {
                Some(file) => file,
                None => {
                    let mut file = std::fs::File::open(&path)?;
                    file.seek(std::io::SeekFrom::Start(start))?;
                    file
                }
            };
            // Read into the spare capacity: nothing is zeroed first.
            let mut piece = Vec::with_capacity(want);
            (&mut file).take(want as u64).read_to_end(&mut piece)?;
            if piece.len() < want {
                let message = format!(
                    "media file {} ended at byte {}, before its declared length",
                    path.display(),
                    start + piece.len() as u64
                );
                return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, message));
            }
            if last && file.read(&mut [0u8])? > 0 {
                let message = format!("media file {} is longer than its declared length", path.display());
                return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, message));
            }
            Ok((file, piece))
        }));
    }
}

impl Stream for RestStream {
    type Item = std::result::Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let state = &mut self.state;
        match state {
            Rest::Bytes(rest) => Poll::Ready(rest.take().map(Ok)),
            Rest::File { done: true, .. } => Poll::Ready(None),
            Rest::File { next, end, read, done, .. } => {
                if next == end {
                    *done = true;
                    return Poll::Ready(None);
                }
                if read.is_none() {
                    state.start_read();
                }
                let Rest::File { file, next, end, read, done, .. } = state else { unreachable!() };
                let Some(pending) = read.as_mut() else { unreachable!() };
                let finished = std::task::ready!(Pin::new(pending).poll(cx));
                *read = None;
                let piece = match finished {
                    Ok(Ok((opened, piece))) => {
                        *file = Some(opened);
                        piece
                    }
                    Ok(Err(error)) => {
                        *done = true;
                        return Poll::Ready(Some(Err(source_error(&error).into())));
                    }
                    Err(error) => {
                        *done = true;
                        return Poll::Ready(Some(Err(source_error(&error).into())));
                    }
                };
                *next += piece.len() as u64;
                if next < end {
                    // The next piece is read while this one is sent.
                    state.start_read();
                }
                Poll::Ready(Some(Ok(Bytes::from(piece))))
            }
        }
    }
}

impl Drop for RestStream {
    fn drop(&mut self) {
        // A read still out finishes on the blocking pool and its piece is dropped there.
        if let Rest::File { read: Some(read), .. } = &self.state {
            read.abort();
        }
    }
}

enum Reader {
    Bytes(Bytes),
    /// A file, read on the blocking pool straight into the caller's buffer, as much as
    /// asked in one go (`None` while a read is out, or after one was abandoned).
    File(Option<std::fs::File>),
    Async(Pin<Box<dyn AsyncRead + Send>>),
    /// The stream and the rest of its last item.
    Stream(Pin<Box<dyn Stream<Item = std::result::Result<Bytes, BoxError>> + Send>>, Bytes),
}

/// Reads a [`MediaSource`] forward, checking it against its declared length.
pub(crate) struct MediaReader {
    inner: Reader,
    declared: Option<u64>,
    read: u64,
    /// The source said it has no more: it is not read again (a stream may not be polled
    /// after its end).
    ended: bool,
}

impl MediaReader {
    /// Appends bytes to `buf` until it holds `target` bytes or the source ends.
    pub(crate) async fn fill(&mut self, buf: &mut BytesMut, target: usize) -> Result<()> {
        while buf.len() < target && !self.ended {
            let want = target - buf.len();
            let got = match &mut self.inner {
                Reader::Bytes(bytes) => {
                    let piece = bytes.split_to(want.min(bytes.len()));
                    buf.extend_from_slice(&piece);
                    piece.len()
                }
                Reader::File(slot) => {
                    let file = slot.take().ok_or_else(|| {
                        Error::InvalidRequest("media file: an earlier read of it was abandoned".to_owned())
                    })?;
                    let mut owned = std::mem::take(buf);
                    let (file, owned, got) = tokio::task::spawn_blocking(move || {
                        let got = read_file(&file, &mut owned, target);
                        (file, owned, got)
                    })
                    .await
                    .map_err(|e| source_error(&e))?;
                    *slot = Some(file);
                    *buf = owned;
                    got.map_err(|e| source_error(&e))?
                }
                Reader::Async(reader) => {
                    let before = buf.len();
                    buf.reserve(want.min(READ_SIZE));
                    let mut limited = reader.as_mut().take(want.min(READ_SIZE) as u64);
                    limited.read_buf(buf).await.map_err(|e| source_error(&e))?;
                    buf.len() - before
                }
                Reader::Stream(stream, rest) => {
                    if rest.is_empty() {
                        if let Some(item) = next_non_empty(stream.as_mut()).await? {
                            *rest = item;
                        }
                    }
                    let piece = rest.split_to(want.min(rest.len()));
                    buf.extend_from_slice(&piece);
                    piece.len()
                }
            };
            if got == 0 {
                self.ended = true;
                break;
            }
            self.read += got as u64;
            if let Some(declared) = self.declared {
                if self.read > declared {
                    return Err(Error::InvalidRequest(format!(
                        "media source is longer than its declared length of {declared} bytes"
                    )));
                }
            }
        }
        if buf.len() < target {
            self.check_complete()?;
        }
        Ok(())
    }

    fn check_complete(&self) -> Result<()> {
        match self.declared {
            Some(declared) if declared != self.read => Err(Error::InvalidRequest(format!(
                "media source ended after {} bytes, but its declared length is {declared}",
                self.read
            ))),
            _ => Ok(()),
        }
    }
}

/// Appends bytes of `file` to `buf` until it holds `target` bytes or the file ends: how many.
fn read_file(mut file: &std::fs::File, buf: &mut BytesMut, target: usize) -> std::io::Result<usize> {
    use std::io::Read;
    let before = buf.len();
    let mut filled = before;
    buf.reserve(target.saturating_sub(before));
    while filled < target {
        // Zeroed a piece at a time, so that the read finds the piece still in the cache.
        buf.resize(target.min(filled + READ_SIZE), 0);
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.truncate(filled);
                return Err(e);
            }
        }
    }
    buf.truncate(filled);
    Ok(filled - before)
}

/// The next item that has bytes, `None` at the end of the stream.
async fn next_non_empty(
    mut stream: Pin<&mut (dyn Stream<Item = std::result::Result<Bytes, BoxError>> + Send)>,
) -> Result<Option<Bytes>> {
    loop {
        match stream.next().await {
            Some(Ok(item)) if item.is_empty() => continue,
            Some(Ok(item)) => return Ok(Some(item)),
            Some(Err(e)) => return Err(source_error(&*e)),
            None => return Ok(None),
        }
    }
}

fn source_error(error: &(dyn std::error::Error + 'static)) -> Error {
    Error::InvalidRequest(format!("reading the media source failed: {}", crate::error::error_chain(error)))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read_all(source: MediaSource, step: usize) -> Result<Vec<u8>> {
        let mut reader = source.open().await?;
        let mut out = BytesMut::new();
        loop {
            let before = out.len();
            reader.fill(&mut out, before + step).await?;
            if out.len() < before + step {
                return Ok(out.to_vec());
            }
        }
    }

    #[tokio::test]
    async fn every_kind_of_source_reads_the_same_bytes() {
        let data: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
        let bytes = MediaSource::from_bytes(data.clone(), "a/b");
        assert_eq!(read_all(bytes, 70_000).await.unwrap(), data);
        let reader = MediaSource::from_reader(std::io::Cursor::new(data.clone()), "a/b", None);
        assert_eq!(read_all(reader, 70_000).await.unwrap(), data);
        let pieces: Vec<std::result::Result<Bytes, std::io::Error>> =
            data.chunks(33_333).map(|c| Ok(Bytes::copy_from_slice(c))).chain([Ok(Bytes::new())]).collect();
        let stream = MediaSource::from_stream(futures_util::stream::iter(pieces), "a/b", Some(data.len() as u64));
        assert_eq!(read_all(stream, 70_000).await.unwrap(), data);
        let path = std::env::temp_dir().join(format!("discogen-source-{}.bin", std::process::id()));
        std::fs::write(&path, &data).unwrap();
        let file = MediaSource::from_path(&path, "a/b").await.unwrap();
        // Steps across the pieces the file is zeroed and read in.
        let read = read_all(file, READ_SIZE + 70_000).await;
        std::fs::remove_file(&path).unwrap();
        assert_eq!(read.unwrap(), data);
    }

    /// A stream that has ended is not polled again (a stream may panic then), however often
    /// the reader is asked for more.
    #[tokio::test]
    async fn an_ended_stream_is_not_polled_again() {
        let mut items = vec![Ok::<_, std::io::Error>(Bytes::from_static(b"abc"))].into_iter();
        let mut ended = false;
        let stream = futures_util::stream::poll_fn(move |_| match items.next() {
            Some(item) => std::task::Poll::Ready(Some(item)),
            None => {
                assert!(!ended, "polled after its end");
                ended = true;
                std::task::Poll::Ready(None)
            }
        });
        let mut reader = MediaSource::from_stream(stream, "a/b", None).open().await.unwrap();
        let mut buf = BytesMut::new();
        reader.fill(&mut buf, 10).await.unwrap();
        reader.fill(&mut buf, 10).await.unwrap();
        reader.fill(&mut buf, 20).await.unwrap();
        assert_eq!(&buf[..], b"abc");
    }

    /// The rest of a file from any offset, across the pieces it is read in: exactly its
    /// bytes from there; a file shorter or longer than declared ends the stream in an error.
    #[tokio::test]
    async fn the_rest_of_a_file_from_any_offset_is_its_bytes_from_there() {
        let data: Vec<u8> = (0..2 * PIECE_SIZE as u32 + 4_321).map(|i| (i % 251) as u8).collect();
        let path = std::env::temp_dir().join(format!("discogen-rest-{}.bin", std::process::id()));
        std::fs::write(&path, &data).unwrap();
        let collect = |rest: RestStream| async move {
            let pieces: Vec<_> = rest.collect().await;
            let mut all = Vec::new();
            for piece in pieces {
                all.extend_from_slice(&piece.map_err(|e| e.to_string())?);
            }
            Ok::<_, String>(all)
        };
        let file = MediaSource::from_path(&path, "a/b").await.unwrap().rereadable().unwrap();
        let bytes = MediaSource::from_bytes(data.clone(), "a/b").rereadable().unwrap();
        for offset in [0, 1, PIECE_SIZE - 1, PIECE_SIZE, PIECE_SIZE + 7, data.len() - 1, data.len()] {
            assert_eq!(collect(file.rest_from(offset as u64).unwrap()).await.unwrap(), &data[offset..], "{offset}");
            assert_eq!(collect(bytes.rest_from(offset as u64).unwrap()).await.unwrap(), &data[offset..], "{offset}");
        }
        assert!(file.rest_from(data.len() as u64 + 1).is_none());
        // The file changes after its length was taken.
        std::fs::write(&path, &data[..PIECE_SIZE + 10]).unwrap();
        let err = collect(file.rest_from(5).unwrap()).await.unwrap_err();
        assert!(err.contains("before its declared length"), "{err}");
        std::fs::write(&path, [&data[..], b"more"].concat()).unwrap();
        let err = collect(file.rest_from(5).unwrap()).await.unwrap_err();
        assert!(err.contains("longer than its declared length"), "{err}");
        std::fs::remove_file(&path).unwrap();
        assert!(MediaSource::from_reader(std::io::Cursor::new(data), "a/b", Some(5)).rereadable().is_none());
    }

    #[tokio::test]
    async fn a_wrong_declared_length_is_an_error() {
        let short = MediaSource::from_reader(std::io::Cursor::new(vec![1u8; 10]), "a/b", Some(20));
        let err = read_all(short, 4).await.unwrap_err();
        assert!(err.to_string().contains("declared length is 20"), "{err}");
        let long = MediaSource::from_reader(std::io::Cursor::new(vec![1u8; 30]), "a/b", Some(20));
        let err = read_all(long, 4).await.unwrap_err();
        assert!(err.to_string().contains("longer than its declared length"), "{err}");
    }
}
