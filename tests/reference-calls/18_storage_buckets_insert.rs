//! storage `buckets.insert` with `predefinedDefaultObjectAcl=publicRead`.
use google_storage_v1::{Bucket, PredefinedDefaultObjectAcl};

pub async fn call(client: &google_storage_v1::Client) -> google_storage_v1::Result<()> {
    let bucket = Bucket { name: Some("my-bucket".into()), ..Default::default() };
    client
        .buckets()
        .insert("my-project", bucket)
        .predefined_default_object_acl(PredefinedDefaultObjectAcl::PublicRead)
        .send()
        .await?;
    Ok(())
}
