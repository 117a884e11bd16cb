//! Response bodies that are generated or cut short without holding them whole.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};

use crate::DropConnection;

/// Length of the pattern generated objects repeat.
pub const PATTERN_LEN: usize = 1 << 20;

/// One period of the generated objects' content (pseudo-random bytes, computed once), so
/// that serving them costs no more than slicing a buffer.
pub fn pattern() -> &'static Bytes {
    static PATTERN: std::sync::OnceLock<Bytes> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let bytes: Vec<u8> = (0..PATTERN_LEN)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        Bytes::from(bytes)
    })
}

/// The byte at `position` of every generated object.
pub fn generated_byte(position: u64) -> u8 {
    pattern()[(position % PATTERN_LEN as u64) as usize]
}

const FRAME: usize = 256 * 1024;

/// A body from stored bytes or a generated pattern, optionally cut (the connection then drops)
/// after `cut_after` bytes.
pub struct MediaBody {
    source: Source,
    position: u64,
    end: u64,
    cut_after: Option<u64>,
    sent: u64,
    /// Before cutting, a pause lets the server flush what was sent, so that the client really
    /// receives the first `cut_after` bytes.
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
}

pub enum Source {
    Stored(Bytes),
    Generated(Bytes),
}

impl MediaBody {
    pub fn stored(bytes: Bytes, start: u64, end: u64, cut_after: Option<u64>) -> Self {
        MediaBody { source: Source::Stored(bytes), position: start, end, cut_after, sent: 0, pause: None }
    }

    pub fn generated(start: u64, end: u64, cut_after: Option<u64>) -> Self {
        MediaBody {
            source: Source::Generated(pattern().clone()),
            position: start,
            end,
            cut_after,
            sent: 0,
            pause: None,
        }
    }
}

impl Body for MediaBody {
    type Data = Bytes;
    type Error = DropConnection;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, DropConnection>>> {
        let this = &mut *self;
        if let Some(cut) = this.cut_after {
            if this.sent >= cut {
                let pause = this
                    .pause
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(std::time::Duration::from_millis(30))));
                return match pause.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Some(Err(DropConnection))),
                    Poll::Pending => Poll::Pending,
                };
            }
        }
        if this.position >= this.end {
            return Poll::Ready(None);
        }
        let mut len = (this.end - this.position).min(FRAME as u64);
        if let Some(cut) = this.cut_after {
            len = len.min(cut - this.sent);
        }
        let frame = match &mut this.source {
            Source::Stored(bytes) => bytes.slice(this.position as usize..(this.position + len) as usize),
            Source::Generated(pattern) => {
                let offset = (this.position % PATTERN_LEN as u64) as usize;
                len = len.min((PATTERN_LEN - offset) as u64);
                pattern.slice(offset..offset + len as usize)
            }
        };
        this.position += len;
        this.sent += len;
        Poll::Ready(Some(Ok(Frame::data(frame))))
    }

    fn is_end_stream(&self) -> bool {
        self.cut_after.is_none() && self.position >= self.end
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.end - self.position)
    }
}
