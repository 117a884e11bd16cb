//! gmail `users.messages.list`: the ids of the ten newest messages.
pub async fn call(client: &google_gmail_v1::Client) -> google_gmail_v1::Result<()> {
    let list = client.users().messages().list("me").max_results(10).send().await?;
    for message in list.messages.unwrap_or_default() {
        println!("{:?}", message.id);
    }
    Ok(())
}
