//! sheets `spreadsheets.get`.
pub async fn call(client: &google_sheets_v4::Client) -> google_sheets_v4::Result<()> {
    let sheet = client.spreadsheets().get("spreadsheet-id").include_grid_data(false).send().await?;
    println!("{:?}", sheet.properties.and_then(|p| p.title));
    Ok(())
}
