//! youtube `videos.list` with two parts.
pub async fn call(client: &google_youtube_v3::Client) -> google_youtube_v3::Result<()> {
    let videos = client.videos().list(["snippet", "statistics"]).id(["dQw4w9WgXcQ"]).send().await?;
    println!("{:?}", videos.items);
    Ok(())
}
