//! drive `files.create` with media.
pub async fn call(client: &google_drive_v3::Client) -> google_drive_v3::Result<()> {
    let metadata = google_drive_v3::File { name: Some("notes.txt".into()), ..Default::default() };
    let media = google_drive_v3::MediaSource::from_bytes("hello", "text/plain");
    let file = client.files().create(metadata).upload(media).send().await?;
    println!("{:?}", file.id);
    Ok(())
}
