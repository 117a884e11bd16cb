//! youtube `videos.update`: make a video private (`status.privacyStatus`).
use google_youtube_v3::{PrivacyStatus, Video, VideoStatus};

pub async fn call(client: &google_youtube_v3::Client) -> google_youtube_v3::Result<()> {
    let video = Video {
        id: Some("dQw4w9WgXcQ".into()),
        status: Some(VideoStatus { privacy_status: Some(PrivacyStatus::Private), ..Default::default() }),
        ..Default::default()
    };
    client.videos().update(["status"], video).send().await?;
    Ok(())
}
