//! Why a handler stopped early, and the ONE conversion of that into an answer: a
//! domain refusal keeps its status and code; an API route answers the JSON of
//! `protocol::ApiError`, a page answers an HTML page in the visitor's language with
//! the same status and code. A fault (storage, mail, configuration, a bug) is an
//! opaque 500 of the same two kinds.

use protocol::{ApiError, ErrorCode, Lang};

use super::Ctx;
use crate::http::reply::Reply;
use crate::owner::html;
use crate::platform::PlatformError;
use crate::store::SealError;

/// Where a request came in, which decides how its failures answer.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// JSON, `{"error":{...}}`.
    Api,
    /// An HTML page in this language.
    Page(Lang),
}

/// What a handler returns.
pub type Outcome = Result<Reply, Failure>;

/// A handler's early stop.
pub enum Failure {
    /// A refusal the visitor is told about (status and code from `protocol`).
    Answer(ApiError),
    /// Something that should not happen: answered as 500 `internal`, logged.
    Fault(Fault),
}

/// An infrastructure failure or a bug. Its text never holds personal data other
/// than what the platform quoted, which the log line redacts.
#[derive(Debug, thiserror::Error)]
pub enum Fault {
    #[error(transparent)]
    Platform(#[from] PlatformError),
    #[error("{0}")]
    Config(String),
    /// A stored record that cannot be opened or sealed (the key holds no personal data).
    #[error("{key}: {source}")]
    Record {
        key: String,
        #[source]
        source: SealError,
    },
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A mail to a requester held back on purpose (the hourly cap, one verification
    /// mail a day per address): it stays queued for a later cron run.
    #[error("held: {0}")]
    Held(&'static str),
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Failure {
        Failure::Answer(error)
    }
}

impl From<Fault> for Failure {
    fn from(fault: Fault) -> Failure {
        Failure::Fault(fault)
    }
}

impl From<PlatformError> for Failure {
    fn from(error: PlatformError) -> Failure {
        Failure::Fault(Fault::Platform(error))
    }
}

impl From<serde_json::Error> for Failure {
    fn from(error: serde_json::Error) -> Failure {
        Failure::Fault(Fault::Json(error))
    }
}

impl Failure {
    /// The answer: JSON on the API, a page on pages.
    pub(crate) fn reply(&self, ctx: &Ctx) -> Reply {
        let error = match self {
            Failure::Answer(error) => error.clone(),
            Failure::Fault(_) => ApiError::new(ErrorCode::Internal, ctx.lang),
        };
        match ctx.surface {
            Surface::Api => Reply::error(&error),
            Surface::Page(lang) => {
                let error = ApiError::new(error.error.code, lang);
                // The page keeps what the JSON answer carries besides its body.
                let mut reply = Reply::error(&error);
                let page = html::error_page(lang, &error);
                reply.headers.retain(|(name, _)| *name != "Cache-Control");
                reply = reply.html(page);
                reply
            }
        }
    }

    /// For a log line: the code of a refusal, the redacted text of a fault.
    pub(crate) fn describe(&self) -> String {
        match self {
            Failure::Answer(error) => error.error.code.code().to_owned(),
            Failure::Fault(fault) => crate::redact::addresses(&fault.to_string()),
        }
    }
}
