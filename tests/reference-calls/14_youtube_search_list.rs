//! youtube `search.list`.
pub async fn call(client: &google_youtube_v3::Client) -> google_youtube_v3::Result<()> {
    let results = client.search().list(["snippet"]).q("rust").max_results(5).send().await?;
    println!("{:?}", results.items);
    Ok(())
}
