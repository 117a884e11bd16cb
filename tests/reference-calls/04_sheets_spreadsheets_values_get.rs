//! sheets `spreadsheets.values.get`.
pub async fn call(client: &google_sheets_v4::Client) -> google_sheets_v4::Result<()> {
    let range = client.spreadsheets().values().get("spreadsheet-id", "Sheet1!A1:D5").send().await?;
    println!("{:?}", range.values);
    Ok(())
}
