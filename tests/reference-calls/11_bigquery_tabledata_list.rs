//! bigquery `tabledata.list`, every page.
use google_bigquery_v2::TryStreamExt;

pub async fn call(client: &google_bigquery_v2::Client) -> google_bigquery_v2::Result<()> {
    let mut pages = client.tabledata().list("my-project", "my_dataset", "my_table").max_results(100).pages();
    while let Some(page) = pages.try_next().await? {
        println!("{:?}", page.rows);
    }
    Ok(())
}
