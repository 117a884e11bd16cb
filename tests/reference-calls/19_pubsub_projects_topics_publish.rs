//! pubsub `projects.topics.publish`.
use google_pubsub_v1::{PublishRequest, PubsubMessage};

pub async fn call(client: &google_pubsub_v1::Client) -> google_pubsub_v1::Result<()> {
    let message = PubsubMessage { data: Some(b"hello".to_vec().into()), ..Default::default() };
    let request = PublishRequest { messages: Some(vec![message]), ..Default::default() };
    let published = client.projects().topics().publish("projects/my-project/topics/my-topic", request).send().await?;
    println!("{:?}", published.message_ids);
    Ok(())
}
