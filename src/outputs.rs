//! What every output of the build shares: a rendered file ([`Rendered`]).

/// One file to write: its path in the output folder and its bytes.
pub struct Rendered {
    pub path: String,
    pub bytes: Vec<u8>,
}
