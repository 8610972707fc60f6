//! placeholder: the UI diagnostics suite is being written.
