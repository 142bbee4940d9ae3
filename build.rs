// The default theme is embedded in the binary (include_dir!); rebuild when
// any of its files change, which include_dir cannot tell Cargo on stable.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
