//! `media-emulator [PORT]`: serves on 127.0.0.1 and prints `listening on http://ADDR/` once
//! ready; runs until killed.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    let emulator = media_emulator::MediaEmulator::start_on(port).await?;
    println!("listening on {}", emulator.root());
    std::future::pending::<()>().await;
    Ok(())
}
