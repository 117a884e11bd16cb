//! bigquery `datasets.list`.
pub async fn call(client: &google_bigquery_v2::Client) -> google_bigquery_v2::Result<()> {
    let datasets = client.datasets().list("my-project").all(true).send().await?;
    println!("{:?}", datasets.datasets);
    Ok(())
}
