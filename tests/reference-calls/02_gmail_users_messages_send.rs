//! gmail `users.messages.send`: a raw RFC 2822 message.
pub async fn call(client: &google_gmail_v1::Client) -> google_gmail_v1::Result<()> {
    let email = b"To: a@example.com\r\nSubject: hi\r\n\r\nhello".to_vec();
    let message = google_gmail_v1::Message { raw: Some(email.into()), ..Default::default() };
    let sent = client.users().messages().send("me", message).send().await?;
    println!("{:?}", sent.id);
    Ok(())
}
