//! gmail `users.labels.list`.
pub async fn call(client: &google_gmail_v1::Client) -> google_gmail_v1::Result<()> {
    let labels = client.users().labels().list("me").send().await?;
    println!("{:?}", labels.labels);
    Ok(())
}
