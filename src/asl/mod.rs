//! The Amazon States Language: pure functions over `serde_json::Value`.

pub mod choice;
pub mod definition_json;
pub mod errors;
pub mod intrinsics;
pub mod jsonata_eval;
pub mod meter;
pub mod model;
pub mod path;
pub mod query;
pub mod template;
pub mod timestamp;
pub mod locate;
pub mod validate;
