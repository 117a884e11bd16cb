//! storage `objects.list` under a prefix.
pub async fn call(client: &google_storage_v1::Client) -> google_storage_v1::Result<()> {
    let objects = client.objects().list("my-bucket").prefix("logs/").send().await?;
    println!("{:?}", objects.items);
    Ok(())
}
