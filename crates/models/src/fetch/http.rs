//! One HTTP GET of a model file into its partial file, resumed with `Range` where the partial
//! file already holds bytes.

use super::{FetchError, FetchEvent};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

/// How long connecting, waiting for the answer, and each read of the body may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(60);
const READ_TIMEOUT: Duration = Duration::from_secs(60);

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_recv_response(Some(RESPONSE_TIMEOUT))
        .timeout_per_read(Some(READ_TIMEOUT))
        .user_agent(concat!("medlyt/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent()
}

/// The first byte of a `Content-Range: bytes FIRST-LAST/TOTAL` value.
fn range_start(value: &str) -> Option<u64> {
    let spec = value.trim().strip_prefix("bytes")?.trim_start();
    spec.split('-').next()?.trim().parse().ok()
}

/// Downloads `url` into `part`, which holds `have` bytes from an earlier run. Asks for the
/// rest with `Range: bytes=HAVE-`: a 206 answer is appended, a 200 answer (the server ignores
/// ranges) starts the file again, and a 416 answer (nothing left) keeps the file as it is.
/// Returns the bytes kept from the earlier run and the length of `part` afterwards. Whatever
/// arrived before the connection broke off stays in `part`.
pub(super) fn download(
    url: &str,
    part: &Path,
    have: u64,
    progress: &mut dyn FnMut(FetchEvent),
) -> Result<(u64, u64), FetchError> {
    let network = |reason: String, kept: u64| FetchError::Network {
        url: url.to_string(),
        reason,
        kept,
    };
    let mut request = agent().get(url);
    if have > 0 {
        request = request.header("Range", format!("bytes={have}-"));
    }
    let response = request.call().map_err(|e| network(e.to_string(), have))?;
    let status = response.status().as_u16();
    let content_range = response
        .headers()
        .get("content-range")
        .and_then(|v| v.to_str().ok())
        .and_then(range_start);
    let offset = match status {
        206 if have > 0 && content_range == Some(have) => have,
        206 if have > 0 => {
            // A range other than the one asked for: start again from the first byte.
            drop(response);
            truncate(part)?;
            return download(url, part, 0, progress);
        }
        200 | 206 => 0,
        416 if have > 0 => return Ok((have, have)),
        _ => {
            return Err(FetchError::HttpStatus {
                url: url.to_string(),
                status,
            })
        }
    };
    let length = response.body().content_length();
    let mut file = if offset == 0 {
        File::create(part)
    } else {
        OpenOptions::new().append(true).open(part)
    }
    .map_err(|e| FetchError::io(part, e))?;
    progress(FetchEvent::Started {
        url: url.to_string(),
        resumed_from: offset,
        total: length.map(|l| l + offset),
    });

    let mut reader = response.into_body().into_reader();
    let mut buf = vec![0u8; 1 << 18];
    let mut done = offset;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                file.sync_all().map_err(|e| FetchError::io(part, e))?;
                let reason = format!("the connection broke off after {done} bytes ({e})");
                return Err(network(reason, done));
            }
        };
        file.write_all(&buf[..n])
            .map_err(|e| FetchError::io(part, e))?;
        done += n as u64;
        progress(FetchEvent::Received { done });
    }
    file.sync_all().map_err(|e| FetchError::io(part, e))?;
    Ok((offset, done))
}

fn truncate(part: &Path) -> Result<(), FetchError> {
    File::create(part)
        .map(drop)
        .map_err(|e| FetchError::io(part, e))
}

#[cfg(test)]
mod tests {
    use super::range_start;

    #[test]
    fn content_range_start_is_read() {
        assert_eq!(range_start("bytes 1000-1999/2000"), Some(1000));
        assert_eq!(range_start(" bytes 0-9/10"), Some(0));
        assert_eq!(range_start("bytes */2000"), None);
        assert_eq!(range_start("items 1-2/3"), None);
    }
}
