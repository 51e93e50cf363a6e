//! The cron's part of delivery: an access package whose link has expired is
//! deleted. KV's TTL does it too; this step makes "gone when the link expires"
//! hold at the cron's time, whatever KV's expiry sweep does (and tests can pin it).

use crate::app::{App, Failure};
use crate::platform::{Guard, Level, Mailer, Store};
use crate::store::keys;
use crate::time::Timestamp;

impl<S: Store, M: Mailer, G: Guard> App<'_, S, M, G> {
    /// Deletes every package whose listing metadata says it expired by `now`.
    pub(crate) async fn purge_packages(&self, now: Timestamp) -> Result<(), Failure> {
        let mut deleted = 0;
        for key in self.all_keys(keys::PACKAGE_PREFIX).await? {
            let expires = key
                .metadata
                .as_ref()
                .and_then(|meta| meta.get("expires"))
                .and_then(serde_json::Value::as_u64);
            // A key without the metadata cannot be dated: it goes too.
            if expires.is_none_or(|expires| now.0 >= expires) {
                self.store.delete(&key.name).await?;
                deleted += 1;
            }
        }
        self.log(
            Level::Info,
            &format!("package purge: {deleted} expired package(s) deleted"),
        );
        Ok(())
    }
}
