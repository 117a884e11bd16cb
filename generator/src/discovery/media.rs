//! A Discovery method's media fields -> [`Media`]: upload protocols and `maxSize`.

use crate::ir::media::{Media, MediaUpload};
use crate::ir::PathTemplate;

/// Parses a Discovery `maxSize` (`5TB`, `10MB`, `512KB`, `100GB`, `1073741824`): binary units,
/// as Google's clients read them.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let digits_end = trimmed.find(|c: char| !c.is_ascii_digit()).unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(digits_end);
    let number: u64 = number.parse().map_err(|_| format!("maxSize {text:?} does not start with a number"))?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "KB" | "K" => 10,
        "MB" | "M" => 20,
        "GB" | "G" => 30,
        "TB" | "T" => 40,
        "PB" | "P" => 50,
        _ => return Err(format!("maxSize {text:?} has an unknown unit {:?} (B, KB, MB, GB, TB or PB)", unit.trim())),
    };
    number.checked_mul(1u64 << shift).ok_or_else(|| format!("maxSize {text:?} does not fit in 64 bits"))
}

/// The media description of a method; `Err` names what is wrong with `maxSize` or the upload
/// template.
pub fn lower(method: &super::Method) -> Result<Media, String> {
    let upload = match (&method.media_upload, method.supports_media_upload) {
        (Some(upload), true) => {
            let max_size = upload.max_size.as_deref().map(parse_size).transpose()?;
            fn relative(protocol: &super::MediaProtocol) -> Option<&str> {
                Some(protocol.path.trim_start_matches('/')).filter(|p| !p.is_empty())
            }
            let protocols = &upload.protocols;
            // Google's own clients send every upload type to the simple protocol's path.
            let path = protocols
                .simple
                .as_ref()
                .and_then(relative)
                .or_else(|| protocols.resumable.as_ref().and_then(relative));
            match path {
                Some(path) => Some(MediaUpload {
                    accept: upload.accept.clone(),
                    max_size,
                    path: PathTemplate::parse(path).map_err(|problem| format!("{problem} in upload path {path:?}"))?,
                    multipart: protocols.simple.as_ref().is_some_and(|p| p.multipart)
                        || protocols.resumable.as_ref().is_some_and(|p| p.multipart),
                }),
                None => None,
            }
        }
        _ => None,
    };
    Ok(Media {
        upload,
        download: method.supports_media_download,
        use_download_service: method.use_media_download_service,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_use_binary_units() {
        assert_eq!(parse_size("5TB"), Ok(5 << 40));
        assert_eq!(parse_size("10MB"), Ok(10 << 20));
        assert_eq!(parse_size("512kb"), Ok(512 << 10));
        assert_eq!(parse_size("1073741824"), Ok(1 << 30));
        assert!(parse_size("lots").unwrap_err().contains("does not start with a number"));
        assert!(parse_size("5XB").unwrap_err().contains("unknown unit"));
        assert!(parse_size("99999999PB").unwrap_err().contains("64 bits"));
    }
}
