// Writes a C header of the crate's `extern "C"` items with cbindgen.
// `rusty develop` reads it (from the build script's OUT_DIR, which cargo
// reports) to generate the TypeScript bindings in native/, so the two sides
// can never drift apart.
use std::{env, path::PathBuf};

fn main() {
  let crate_dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
  let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
  let config = cbindgen::Config::from_root_or_default(&crate_dir);
  cbindgen::Builder::new()
    .with_crate(&crate_dir)
    .with_config(config)
    .generate()
    .expect("cbindgen could not generate the C header")
    .write_to_file(out_dir.join("bindings.h"));
  println!("cargo:rerun-if-changed=src");
  println!("cargo:rerun-if-changed=cbindgen.toml");
}
