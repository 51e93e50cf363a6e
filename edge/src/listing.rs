//! Every key under a KV prefix, following the list cursor page by page (wasm32
//! only). The one place that knows how KV pagination ends.

use worker::kv::{Key, KvError, KvStore};

/// All keys under `prefix`, in key order, with their metadata.
pub(crate) async fn all_keys(kv: &KvStore, prefix: &str) -> Result<Vec<Key>, KvError> {
    let mut keys = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut list = kv.list().prefix(prefix.to_owned());
        if let Some(cursor) = cursor.take() {
            list = list.cursor(cursor);
        }
        let page = list.execute().await?;
        keys.extend(page.keys);
        match page.cursor {
            Some(next) if !page.list_complete && !next.is_empty() => cursor = Some(next),
            _ => return Ok(keys),
        }
    }
}
