//! pubsub `projects.subscriptions.pull`.
pub async fn call(client: &google_pubsub_v1::Client) -> google_pubsub_v1::Result<()> {
    let request = google_pubsub_v1::PullRequest { max_messages: Some(10), ..Default::default() };
    let pulled = client
        .projects()
        .subscriptions()
        .pull("projects/my-project/subscriptions/my-subscription", request)
        .send()
        .await?;
    println!("{:?}", pulled.received_messages);
    Ok(())
}
