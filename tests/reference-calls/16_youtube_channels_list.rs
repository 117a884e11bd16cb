//! youtube `channels.list`: `snippet.publishedAt` is a `date-time`.
pub async fn call(client: &google_youtube_v3::Client) -> google_youtube_v3::Result<()> {
    let channels = client.channels().list(["snippet"]).mine(true).send().await?;
    for channel in channels.items.unwrap_or_default() {
        let published: Option<google_youtube_v3::Timestamp> = channel.snippet.and_then(|s| s.published_at);
        println!("{published:?}");
    }
    Ok(())
}
