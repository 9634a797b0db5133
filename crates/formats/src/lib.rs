//! Readers and writers for outside data: OFAC SDN CSV, UN consolidated XML, linkwatch JSONL/CSV; good records plus per-record errors.
