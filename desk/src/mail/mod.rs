//! What each mail says and how it is encoded: the privacy contact's mail for a new
//! request (`contact`) and the mails to requesters and the reminder digest
//! (`requester`). Not how it is sent: that is the shell's.

pub mod contact;
pub mod mime;
pub mod requester;
