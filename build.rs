// The default theme is embedded in the binary (include_dir!), and the
// messages of `locales/` are read by rust-i18n's `i18n!` macro at compile
// time; rebuild when any of their files change, which neither can tell Cargo
// on stable.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=locales");
}
