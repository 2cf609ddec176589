//! The three audiences gatewise speaks to.
//!
//! # Example
//! ```
//! use gatewise_core::Audience;
//! assert_eq!(Audience::Owner.name(), "owner");
//! ```

use serde::{Deserialize, Serialize};

use crate::hop::named_enum;

named_enum! {
    /// Who a text is written for.
    Audience {
        /// The person who landed on the error page.
        Visitor = "visitor",
        /// The site owner or operator.
        Owner = "owner",
        /// The developer of the application.
        Developer = "developer",
    }
}
