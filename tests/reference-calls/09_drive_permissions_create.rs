//! drive `permissions.create`: anyone with the link can read.
pub async fn call(client: &google_drive_v3::Client) -> google_drive_v3::Result<()> {
    let permission = google_drive_v3::Permission {
        role: Some("reader".into()),
        r#type: Some("anyone".into()),
        ..Default::default()
    };
    client.permissions().create("file-id", permission).send().await?;
    Ok(())
}
