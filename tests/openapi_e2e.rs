//! Clients generated from OpenAPI documents, against Prism (`@stoplight/prism-cli` 5.16.0,
//! installed under `target/` by `tests/openapi/prism.rs`) mocking the same document with
//! request validation on (`--errors`). Every operation of the Swagger Petstore and of the
//! expanded Petstore (`allOf` models, a `default` error schema) is called once, and for each
//! call Prism's own log must say the request passed its validation rules, and the response
//! (or the documented error status when the operation documents no success) must decode.
//! One deliberately invalid call checks the other side: Prism flags it, and its body decodes
//! as the operation's documented error type.

#[path = "openapi/prism.rs"]
mod prism;

use std::fmt::Debug;
use std::future::Future;

use prism::Prism;

/// What a valid call must come back with.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// A success response, decoded.
    Success,
    /// The operation documents no success response: Prism answers with its first documented
    /// status, which the client reports as an API error with that status.
    Status(u16),
}

/// Sends one call, checks Prism validated it and the outcome; returns the decoded value.
async fn call<T: Debug>(
    prism: &Prism,
    name: &str,
    expect: Expect,
    request: impl Future<Output = discogen_runtime::Result<T>>,
) -> Option<T> {
    let mark = prism.mark();
    let result = request.await;
    let log = prism.request_log(mark);
    let passed = log.iter().any(|line| line.contains("The request passed the validation rules"));
    let violations: Vec<&String> = log.iter().filter(|line| flags_a_violation(line)).collect();
    assert!(passed && violations.is_empty(), "{name}: Prism did not accept the request:\n{}", log.join("\n"));
    match (expect, result) {
        (Expect::Success, Ok(value)) => Some(value),
        (Expect::Status(status), Err(err)) if err.status() == Some(status) => None,
        (expect, outcome) => panic!("{name}: expected {expect:?}, got {outcome:?}\nPrism:\n{}", log.join("\n")),
    }
}

/// A validator line refusing the request. Prism words it `Violation: request.body ...` or, in
/// some runs (seen once in CI, same pinned version), `Request did not pass the validation rules`
/// followed by the error without the `Violation:` prefix.
fn flags_a_violation(line: &str) -> bool {
    line.contains("Violation") || line.contains("did not pass the validation rules")
}

async fn start(spec: &'static str) -> Prism {
    tokio::task::spawn_blocking(move || Prism::start(spec)).await.expect("start Prism")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_petstore_operation_is_accepted_by_prism_and_decodes() {
    use swagger_petstore::{Order, OrderStatus, Pet, PetStatus, RetryPolicy, User};
    use Expect::{Status, Success};

    let prism = start("tests/fixtures/openapi/petstore.json").await;
    // `petstore_auth` (OAuth 2.0) takes any bearer token, `api_key` a header: Prism checks
    // that each operation's scheme is present.
    let client = swagger_petstore::Client::builder()
        .endpoint(prism.endpoint())
        .bearer_token("e2e-token")
        .header("api_key", "e2e-key")
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let (pets, store, users) = (client.pet(), client.store(), client.user());
    // `name` and `photoUrls` are required.
    let pet = Pet {
        name: Some("doggie".into()),
        photo_urls: Some(vec!["https://example.com/photo.png".into()]),
        status: Some(PetStatus::Available),
        ..Default::default()
    };
    let user = User { username: Some("e2e".into()), email: Some("e2e@example.com".into()), ..Default::default() };
    let mut operations = 0;
    let mut count = |_: &str| operations += 1;

    count("addPet");
    call(&prism, "addPet", Status(405), pets.add_pet(pet.clone()).send()).await;
    count("updatePet");
    call(&prism, "updatePet", Status(400), pets.update_pet(pet.clone()).send()).await;
    count("findPetsByStatus");
    let found = call(
        &prism,
        "findPetsByStatus",
        Success,
        pets.find_pets_by_status(vec![PetStatus::Available, PetStatus::Sold]).send(),
    )
    .await
    .unwrap();
    assert!(found.iter().all(|p| p.name.is_some()), "{found:?}");
    count("findPetsByTags");
    call(&prism, "findPetsByTags", Success, pets.find_pets_by_tags(["tag1", "tag2"]).send()).await;
    count("getPetById");
    let got = call(&prism, "getPetById", Success, pets.get_pet_by_id("10").send()).await.unwrap();
    assert!(
        got.name.is_some() && got.photo_urls.as_ref().is_some_and(|urls| !urls.is_empty()),
        "the example pet decodes: {got:?}"
    );
    count("updatePetWithForm");
    call(&prism, "updatePetWithForm", Status(405), pets.update_pet_with_form("10").send()).await;
    count("deletePet");
    // `api_key` is also a header parameter of this operation: its typed setter.
    call(&prism, "deletePet", Status(400), pets.delete_pet("10").api_key("e2e-key").send()).await;
    count("uploadFile");
    call(&prism, "uploadFile", Success, pets.upload_file("10").send()).await;
    count("getInventory");
    let inventory = call(&prism, "getInventory", Success, store.get_inventory().send()).await.unwrap();
    println!("inventory: {inventory:?}");
    count("placeOrder");
    let order = Order { pet_id: Some(10), quantity: Some(1), status: Some(OrderStatus::Placed), ..Default::default() };
    call(&prism, "placeOrder", Success, store.place_order(order).send()).await;
    count("getOrderById");
    let order = call(&prism, "getOrderById", Success, store.get_order_by_id("5").send()).await.unwrap();
    assert!(order.id.is_some(), "int64 ids decode from JSON numbers: {order:?}");
    count("deleteOrder");
    call(&prism, "deleteOrder", Status(400), store.delete_order("5").send()).await;
    count("createUser");
    call(&prism, "createUser", Success, users.create_user(user.clone()).send()).await;
    count("createUsersWithArrayInput");
    call(&prism, "createUsersWithArrayInput", Success, users.create_users_with_array_input(vec![user.clone()]).send())
        .await;
    count("createUsersWithListInput");
    call(&prism, "createUsersWithListInput", Success, users.create_users_with_list_input(vec![user.clone()]).send())
        .await;
    count("loginUser");
    call(&prism, "loginUser", Success, users.login_user("e2e", "secret").send()).await;
    count("logoutUser");
    call(&prism, "logoutUser", Success, users.logout_user().send()).await;
    count("getUserByName");
    call(&prism, "getUserByName", Success, users.get_user_by_name("e2e").send()).await;
    count("updateUser");
    call(&prism, "updateUser", Status(400), users.update_user("e2e", user.clone()).send()).await;
    count("deleteUser");
    call(&prism, "deleteUser", Status(400), users.delete_user("e2e").send()).await;
    assert_eq!(operations, 20, "every operation of the document");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expanded_petstore_decodes_all_of_models_and_documented_errors() {
    use swagger_petstore_expanded::{ErrorSchema, NewPet, RetryPolicy};
    use Expect::Success;

    let prism = start("tests/fixtures/openapi/petstore-expanded.json").await;
    let client = swagger_petstore_expanded::Client::builder()
        .endpoint(prism.endpoint())
        .no_auth()
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let pets = client.service();

    let found = call(&prism, "findPets", Success, pets.find_pets().tags(["dog".to_owned()]).limit(5).send()).await;
    println!("findPets: {found:?}");
    let new_pet = NewPet { name: Some("doggie".into()), tag: Some("dog".into()), ..Default::default() };
    // `Pet` is `allOf: [NewPet, {id}]`: one struct with the fields of both.
    let added = call(&prism, "addPet", Success, pets.add_pet(new_pet).send()).await.unwrap();
    assert!(added.id.is_some() && added.name.is_some(), "allOf members' fields decode into one struct: {added:?}");
    let got = call(&prism, "find pet by id", Success, pets.get("1").send()).await.unwrap();
    assert!(got.id.is_some(), "{got:?}");
    call(&prism, "deletePet", Success, pets.delete_pet("1").send()).await;

    // An invalid request (`name` is required): Prism answers with the `default` response,
    // whose body is the documented `Error` schema.
    let mark = prism.mark();
    let err = pets.add_pet(NewPet::default()).send().await.expect_err("Prism refuses a pet without a name");
    let log = prism.request_log(mark);
    assert!(log.iter().any(|line| flags_a_violation(line)), "Prism flagged it:\n{}", log.join("\n"));
    let problem: ErrorSchema = err.decode_body().expect("an API error").expect("the documented error body");
    assert!(problem.code.is_some() && problem.message.is_some(), "{problem:?}");
}
