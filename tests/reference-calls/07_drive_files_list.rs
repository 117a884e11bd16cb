//! drive `files.list`: `modifiedTime` is a `date-time`.
pub async fn call(client: &google_drive_v3::Client) -> google_drive_v3::Result<()> {
    let list = client.files().list().q("trashed = false").fields("files(id,name,modifiedTime)").page_size(10).send().await?;
    for file in list.files.unwrap_or_default() {
        let modified: Option<google_drive_v3::Timestamp> = file.modified_time;
        println!("{:?} {modified:?}", file.name);
    }
    Ok(())
}
