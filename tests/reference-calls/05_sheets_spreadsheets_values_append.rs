//! sheets `spreadsheets.values.append` with `valueInputOption=USER_ENTERED`.
use google_sheets_v4::{ValueInputOption, ValueRange};

pub async fn call(client: &google_sheets_v4::Client) -> google_sheets_v4::Result<()> {
    let row = ValueRange { values: Some(vec![vec![serde_json::json!("a"), serde_json::json!(1)]]), ..Default::default() };
    client
        .spreadsheets()
        .values()
        .append("spreadsheet-id", "Sheet1!A1", row)
        .value_input_option(ValueInputOption::UserEntered)
        .send()
        .await?;
    Ok(())
}
