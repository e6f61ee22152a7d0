//! Integration tests of `medlyt-batch`: one test binary, a module per area.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "batch/archive.rs"]
mod archive;
#[path = "batch/compare.rs"]
mod compare;
#[path = "batch/corpus.rs"]
mod corpus;
#[path = "batch/fake.rs"]
mod fake;
#[path = "batch/isolate.rs"]
mod isolate;
#[path = "batch/resume.rs"]
mod resume;
#[path = "batch/shard.rs"]
mod shard;
