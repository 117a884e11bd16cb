//! bigquery `jobs.query`.
pub async fn call(client: &google_bigquery_v2::Client) -> google_bigquery_v2::Result<()> {
    let request = google_bigquery_v2::QueryRequest {
        query: Some("SELECT 1".into()),
        use_legacy_sql: Some(false),
        ..Default::default()
    };
    let response = client.jobs().query("my-project", request).send().await?;
    println!("{:?}", response.rows);
    Ok(())
}
