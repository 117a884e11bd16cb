//! The hostile replies: a seeded choice among malformed status lines and headers, broken
//! bodies and framing, lying lengths, endless and stalled bodies, odd `Retry-After`s, bodies
//! that are not the JSON the call expects, and error envelopes of the wrong types.

use std::time::Duration;

use super::server::{Expect, Reply, Step};

pub use discogen_tests::Rng;

/// What the generator needs to know about the call under attack.
pub struct Target {
    /// The JSON body of a valid success reply.
    pub valid: String,
    /// The client's `max_response_bytes`.
    pub limit: usize,
    /// A pause long enough to exceed the client's per-attempt timeout.
    pub stall: Duration,
}

/// Every kind, for the summary (in the order of [`hostile`]).
pub const KINDS: [&str; 17] = [
    "malformed-status-line",
    "bad-headers",
    "invalid-utf8",
    "truncated-chunked",
    "endless-chunked",
    "slow-drip",
    "oversize-body",
    "lying-content-length",
    "retry-after",
    "non-json-200",
    "wrong-shape-200",
    "error-envelope",
    "empty-or-reset",
    "stalled",
    "informational-and-odd-status",
    "deep-nesting",
    "redirect",
];

/// A seeded hostile reply for `target`.
pub fn hostile(rng: &mut Rng, target: &Target) -> Reply {
    match rng.below(KINDS.len()) {
        0 => malformed_status_line(rng),
        1 => bad_headers(rng, target),
        2 => invalid_utf8(rng),
        3 => truncated_chunked(rng, target),
        4 => endless_chunked(rng),
        5 => slow_drip(rng),
        6 => oversize_body(rng, target),
        7 => lying_content_length(rng, target),
        8 => retry_after(rng),
        9 => non_json(rng),
        10 => wrong_shape(rng),
        11 => error_envelope(rng),
        12 => empty_or_reset(rng),
        13 => stalled(rng, target),
        14 => informational_and_odd_status(rng, target),
        15 => deep_nesting(rng),
        _ => redirect(rng),
    }
}

/// A well-formed reply with `status` and a JSON `body`.
pub fn valid(status: u16, body: &str) -> Reply {
    reply("valid", "valid", vec![Step::Write(response(status, &[], body.as_bytes()))], Expect::Ok)
}

fn reply(kind: &'static str, variant: &'static str, steps: Vec<Step>, expect: Expect) -> Reply {
    Reply { kind, variant, steps, expect }
}

/// A complete response: status line, `headers`, `Content-Length`, `Connection: close`, body.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = head(&format!("HTTP/1.1 {status} X"), headers);
    out.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out
}

/// A status line and headers (with `Content-Type` and `Connection: close`), not terminated.
fn head(status_line: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut out = format!("{status_line}\r\ncontent-type: application/json; charset=UTF-8\r\nconnection: close\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.into_bytes()
}

fn chunk(data: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

fn chunked_head(status: u16) -> Vec<u8> {
    let mut out = head(&format!("HTTP/1.1 {status} X"), &[]);
    out.extend_from_slice(b"transfer-encoding: chunked\r\n\r\n");
    out
}

fn malformed_status_line(rng: &mut Rng) -> Reply {
    let variants: [(&'static str, Vec<u8>); 9] = [
        ("letters-for-digits", b"HTTP/1.1 2OO OK\r\n\r\n".to_vec()),
        ("status-1000", b"HTTP/1.1 1000 Big\r\ncontent-length: 0\r\n\r\n".to_vec()),
        ("status-99", b"HTTP/1.1 099 Low\r\ncontent-length: 0\r\n\r\n".to_vec()),
        ("unknown-protocol", b"ICY 200 OK\r\n\r\n{}".to_vec()),
        ("http-9", b"HTTP/9.9 200 OK\r\ncontent-length: 2\r\n\r\n{}".to_vec()),
        ("random-bytes", {
            let len = 1 + rng.below(300);
            rng.bytes(len)
        }),
        ("nul-bytes", b"HTTP/1.1 200 OK\0\0\r\n\r\n".to_vec()),
        ("no-status-line", b"content-length: 2\r\n\r\n{}".to_vec()),
        ("html-instead-of-http", b"<html><body>hello</body></html>\r\n\r\n".to_vec()),
    ];
    let (variant, bytes) = rng.pick(&variants).clone();
    reply("malformed-status-line", variant, vec![Step::Write(bytes)], Expect::Transport)
}

fn bad_headers(rng: &mut Rng, target: &Target) -> Reply {
    let body = target.valid.as_bytes();
    let with = |variant: &'static str, extra: Vec<u8>, expect: Expect| {
        let mut out = b"HTTP/1.1 200 OK\r\nconnection: close\r\n".to_vec();
        out.extend_from_slice(&extra);
        out.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
        out.extend_from_slice(body);
        reply("bad-headers", variant, vec![Step::Write(out)], expect)
    };
    match rng.below(9) {
        0 => with("no-colon", b"x-broken header line\r\n".to_vec(), Expect::Transport),
        1 => with("space-in-name", b"x bad: 1\r\n".to_vec(), Expect::Transport),
        2 => with("header-of-1-mib", format!("x-big: {}\r\n", "a".repeat(1 << 20)).into_bytes(), Expect::Transport),
        3 => with(
            "500-headers",
            (0..500).flat_map(|i| format!("x-h{i}: v\r\n").into_bytes()).collect(),
            Expect::Transport,
        ),
        4 => with("two-content-lengths", b"content-length: 3\r\n".to_vec(), Expect::Transport),
        5 => with("content-length-not-a-number", b"content-length: lots\r\n".to_vec(), Expect::Transport),
        6 => with("invalid-utf8-value", b"x-name: \xff\xfe\xfd\r\ncontent-type: \xc3\x28\r\n".to_vec(), Expect::Either),
        7 => with("obs-fold", b"x-folded: a\r\n  b\r\n".to_vec(), Expect::Either),
        _ => with("nul-in-value", b"x-nul: a\0b\r\n".to_vec(), Expect::Transport),
    }
}

fn invalid_utf8(rng: &mut Rng) -> Reply {
    match rng.below(3) {
        0 => {
            let body = b"{\"name\": \"\xff\xfe\xc3\x28\"}";
            reply("invalid-utf8", "in-a-json-string", vec![Step::Write(response(200, &[], body))], Expect::Decode)
        }
        1 => {
            let body = rng.bytes(64).into_iter().map(|b| b | 0x80).collect::<Vec<u8>>();
            reply("invalid-utf8", "whole-body", vec![Step::Write(response(200, &[], &body))], Expect::Decode)
        }
        _ => {
            let body = b"{\"error\": {\"code\": 400, \"message\": \"bad \xff\xfe\", \"status\": \"INVALID_ARGUMENT\"}}";
            reply("invalid-utf8", "in-an-error-body", vec![Step::Write(response(400, &[], body))], Expect::Api(400))
        }
    }
}

fn truncated_chunked(rng: &mut Rng, target: &Target) -> Reply {
    let body = target.valid.as_bytes();
    let cut = 1 + rng.below(body.len().max(2) - 1);
    let mut out = chunked_head(200);
    match rng.below(3) {
        0 => {
            // A chunk announcing more than it holds.
            out.extend_from_slice(format!("{:x}\r\n", body.len() + 100).as_bytes());
            out.extend_from_slice(&body[..cut]);
            reply("truncated-chunked", "short-chunk", vec![Step::Write(out)], Expect::Transport)
        }
        1 => {
            // Whole chunks, no terminating zero chunk.
            out.extend_from_slice(&chunk(&body[..cut]));
            reply("truncated-chunked", "no-last-chunk", vec![Step::Write(out)], Expect::Transport)
        }
        _ => {
            out.extend_from_slice(b"zz\r\nnot hex\r\n");
            reply("truncated-chunked", "bad-chunk-size", vec![Step::Write(out)], Expect::Transport)
        }
    }
}

fn endless_chunked(rng: &mut Rng) -> Reply {
    let mut start = chunked_head(200);
    start.extend_from_slice(&chunk(b"{\"name\": \""));
    let piece = chunk(&vec![b'a'; 1024 + rng.below(16 * 1024)]);
    let steps = vec![Step::Write(start), Step::Forever { chunk: piece, pause: Duration::ZERO }];
    reply("endless-chunked", "fast", steps, Expect::TooLarge)
}

fn slow_drip(rng: &mut Rng) -> Reply {
    let mut start = chunked_head(200);
    start.extend_from_slice(&chunk(b"{\"name\": \""));
    let pause = Duration::from_millis(5 + rng.below(20) as u64);
    reply(
        "slow-drip",
        "byte-by-byte",
        vec![Step::Write(start), Step::Forever { chunk: chunk(b"a"), pause }],
        Expect::Timeout,
    )
}

fn oversize_body(rng: &mut Rng, target: &Target) -> Reply {
    let size = target.limit + 1 + rng.below(target.limit);
    let mut body = b"{\"name\": \"".to_vec();
    body.resize(size - 2, b'a');
    body.extend_from_slice(b"\"}");
    match rng.below(2) {
        0 => reply(
            "oversize-body",
            "with-content-length",
            vec![Step::Write(response(200, &[], &body))],
            Expect::TooLarge,
        ),
        _ => {
            // No length at all: the body ends when the connection does.
            let mut out = b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n".to_vec();
            out.extend_from_slice(&body);
            reply("oversize-body", "close-delimited", vec![Step::Write(out)], Expect::TooLarge)
        }
    }
}

fn lying_content_length(rng: &mut Rng, target: &Target) -> Reply {
    let body = target.valid.as_bytes();
    let lie = |variant: &'static str, declared: usize, then: Step, expect: Expect| {
        let mut out = head("HTTP/1.1 200 OK", &[]);
        out.extend_from_slice(format!("content-length: {declared}\r\n\r\n").as_bytes());
        out.extend_from_slice(body);
        reply("lying-content-length", variant, vec![Step::Write(out), then], expect)
    };
    let extra = 1 + rng.below(1000);
    match rng.below(5) {
        0 => lie("longer-then-close", body.len() + extra, Step::Pause(Duration::ZERO), Expect::Transport),
        1 => lie("longer-then-hang", body.len() + extra, Step::Hang, Expect::Timeout),
        2 => lie("shorter", body.len() / 2, Step::Pause(Duration::ZERO), Expect::Decode),
        3 => lie("petabyte", 1 << 50, Step::Pause(Duration::ZERO), Expect::TooLarge),
        // hyper keeps u64::MAX for itself and refuses the head.
        _ => lie("u64-max", u64::MAX as usize, Step::Pause(Duration::ZERO), Expect::Transport),
    }
}

fn retry_after(rng: &mut Rng) -> Reply {
    let values: [(&'static str, &str); 10] = [
        ("seconds-1e9", "1000000000"),
        ("seconds-u64-max", "18446744073709551615"),
        ("seconds-beyond-u64", "99999999999999999999999999999"),
        ("garbage", "soon, maybe"),
        ("negative", "-30"),
        ("fraction", "0.5"),
        ("http-date-year-9999", "Fri, 31 Dec 9999 23:59:59 GMT"),
        ("http-date-past", "Sun, 06 Nov 1994 08:49:37 GMT"),
        ("http-date-malformed", "Sun, 99 Foo 1994 99:99:99 GMT"),
        ("empty", ""),
    ];
    let (variant, value) = *rng.pick(&values);
    let status = *rng.pick(&[429u16, 503]);
    let body = format!(r#"{{"error": {{"code": {status}, "message": "slow down", "status": "UNAVAILABLE"}}}}"#);
    reply(
        "retry-after",
        variant,
        vec![Step::Write(response(status, &[("retry-after", value)], body.as_bytes()))],
        Expect::Api(status),
    )
}

fn non_json(rng: &mut Rng) -> Reply {
    let bodies: [(&'static str, &[u8], Expect); 6] = [
        ("html", b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", Expect::Decode),
        ("plain-text", b"OK", Expect::Decode),
        ("truncated-json", b"{\"name\": \"projects/p/lo", Expect::Decode),
        ("xml", b"<?xml version=\"1.0\"?><Error><Code>x</Code></Error>", Expect::Decode),
        ("nan", b"NaN", Expect::Decode),
        ("two-documents", b"{} {}", Expect::Decode),
    ];
    let (variant, body, expect) = *rng.pick(&bodies);
    reply("non-json-200", variant, vec![Step::Write(response(200, &[], body))], expect)
}

fn wrong_shape(rng: &mut Rng) -> Reply {
    let bodies: [(&'static str, &str); 7] = [
        ("array", "[1, 2, 3]"),
        ("string", "\"hello\""),
        ("number-for-string", r#"{"name": 5}"#),
        ("object-for-string", r#"{"name": {"a": 1}}"#),
        ("string-for-map", r#"{"labels": "not a map"}"#),
        ("huge-number", r#"{"name": 1e999999}"#),
        ("labels-of-numbers", r#"{"labels": {"a": 1}}"#),
    ];
    let (variant, body) = *rng.pick(&bodies);
    reply("wrong-shape-200", variant, vec![Step::Write(response(200, &[], body.as_bytes()))], Expect::Decode)
}

fn error_envelope(rng: &mut Rng) -> Reply {
    let bodies: [(&'static str, &str); 8] = [
        ("error-is-a-string", r#"{"error": "nope"}"#),
        ("code-is-a-string", r#"{"error": {"code": "x", "message": 5}}"#),
        ("details-not-a-list", r#"{"error": {"code": 400, "message": "m", "details": 5}}"#),
        (
            "retry-info-huge",
            r#"{"error": {"code": 503, "message": "m", "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "99999999999999999999s"}]}}"#,
        ),
        (
            "retry-info-garbage",
            r#"{"error": {"code": 503, "message": "m", "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "NaNs"}]}}"#,
        ),
        (
            "retry-info-negative",
            r#"{"error": {"code": 503, "message": "m", "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "-5s"}]}}"#,
        ),
        ("status-name-unknown", r#"{"error": {"code": 999, "message": "m", "status": "EXPLODED"}}"#),
        ("empty-object", "{}"),
    ];
    let (variant, body) = *rng.pick(&bodies);
    let status = *rng.pick(&[400u16, 404, 409, 429, 500, 503, 599]);
    reply("error-envelope", variant, vec![Step::Write(response(status, &[], body.as_bytes()))], Expect::Api(status))
}

fn empty_or_reset(rng: &mut Rng) -> Reply {
    match rng.below(3) {
        0 => reply("empty-or-reset", "close-at-once", vec![], Expect::Transport),
        1 => reply("empty-or-reset", "reset", vec![Step::Reset], Expect::Transport),
        _ => {
            let partial = b"HTTP/1.1 200 OK\r\ncontent-le".to_vec();
            reply("empty-or-reset", "reset-mid-head", vec![Step::Write(partial), Step::Reset], Expect::Transport)
        }
    }
}

fn stalled(rng: &mut Rng, target: &Target) -> Reply {
    match rng.below(3) {
        0 => reply("stalled", "no-reply", vec![Step::Hang], Expect::Timeout),
        1 => {
            let head = b"HTTP/1.1 200 OK\r\ncontent-".to_vec();
            reply("stalled", "mid-head", vec![Step::Write(head), Step::Hang], Expect::Timeout)
        }
        _ => {
            let mut out = head("HTTP/1.1 200 OK", &[]);
            out.extend_from_slice(format!("content-length: {}\r\n\r\n", target.valid.len()).as_bytes());
            let reply_steps =
                vec![Step::Write(out), Step::Pause(target.stall), Step::Write(target.valid.clone().into_bytes())];
            reply("stalled", "body-late", reply_steps, Expect::Timeout)
        }
    }
}

fn informational_and_odd_status(rng: &mut Rng, target: &Target) -> Reply {
    let valid = response(200, &[], target.valid.as_bytes());
    match rng.below(5) {
        0 => {
            let mut out = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </x>\r\n\r\n".to_vec();
            out.extend_from_slice(&valid);
            reply("informational-and-odd-status", "1xx-then-200", vec![Step::Write(out)], Expect::Ok)
        }
        1 => {
            let step =
                Step::Forever { chunk: b"HTTP/1.1 100 Continue\r\n\r\n".to_vec(), pause: Duration::from_millis(1) };
            reply("informational-and-odd-status", "endless-1xx", vec![step], Expect::AnyError)
        }
        2 => reply(
            "informational-and-odd-status",
            "status-299",
            vec![Step::Write(response(299, &[], target.valid.as_bytes()))],
            Expect::Ok,
        ),
        3 => reply(
            "informational-and-odd-status",
            "status-600",
            vec![Step::Write(response(600, &[], b"{}"))],
            Expect::Either,
        ),
        _ => {
            let mut out = head("HTTP/1.1 204 No Content", &[]);
            out.extend_from_slice(b"\r\n");
            reply("informational-and-odd-status", "204-no-body", vec![Step::Write(out)], Expect::Either)
        }
    }
}

fn deep_nesting(rng: &mut Rng) -> Reply {
    // Deep, yet under the suite's limit (the depth is what is under test here).
    let depth = 1_000 + rng.below(30_000);
    let body = match rng.below(2) {
        0 => format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        _ => format!("{{\"labels\": {}", "{\"a\": ".repeat(depth)),
    };
    reply("deep-nesting", "nested", vec![Step::Write(response(200, &[], body.as_bytes()))], Expect::Decode)
}

/// A redirect whose target carries a secret in its query: API calls refuse it
/// (`Error::Redirect`, target shown without its query); a download follows it to a port where
/// nothing listens, without credentials. Either way the secret appears in no error or span.
/// (Same-origin targets are `tests/redirects_e2e.rs`'s: here they would lose the case path.)
fn redirect(rng: &mut Rng) -> Reply {
    let status = *rng.pick(&[301u16, 302, 303, 307, 308]);
    let location = match rng.below(3) {
        0 => format!("http://127.0.0.1:9/elsewhere?sig={}", super::secrets::QUERY_SECRET),
        1 => format!("https://user:{}@127.0.0.1:9/x#frag", super::secrets::QUERY_SECRET),
        // Scheme-relative: resolved against the request's scheme.
        _ => format!("//127.0.0.1:9/scheme-relative?sig={}", super::secrets::QUERY_SECRET),
    };
    let variant = match status {
        301 => "301",
        302 => "302",
        303 => "303",
        307 => "307",
        _ => "308",
    };
    reply("redirect", variant, vec![Step::Write(response(status, &[("location", &location)], b""))], Expect::AnyError)
}
