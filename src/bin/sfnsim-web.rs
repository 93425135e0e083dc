//! The browser app: trunk builds this binary for wasm32 and mounts the page.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    yew::Renderer::<sfnsim::ui::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("sfnsim-web is the browser build of sfnsim: run `make serve` and open http://127.0.0.1:8080");
}
