//! Reading what the user names: a policy path or bundled id, and the files a
//! policy imports. The only place besides `fmt` that reads the disk.

use crate::report::ToolError;
use std::path::{Path, PathBuf};
use vpl_core::bundled;

/// A policy's display name and text.
pub struct PolicySource {
    pub name: String,
    pub text: String,
}

/// Reads a file as UTF-8 text; binary or non-UTF-8 input becomes a
/// diagnostic at the offending byte rather than a panic.
pub fn read_text(path: &Path) -> Result<Result<String, (Vec<u8>, usize)>, ToolError> {
    let bytes = std::fs::read(path).map_err(|e| ToolError::Read { path: path.display().to_string(), reason: e.to_string() })?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) if !s.contains('\0') => Ok(s),
        Ok(s) => {
            let at = s.find('\0').unwrap_or(0);
            Err((s.into_bytes(), at))
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Err((e.into_bytes(), at))
        }
    })
}

pub fn load_policy(given: &str) -> Result<Result<PolicySource, (String, String, usize)>, ToolError> {
    let path = Path::new(given);
    if path.is_file() {
        return Ok(match read_text(path)? {
            Ok(text) => Ok(PolicySource { name: given.to_string(), text }),
            Err((bytes, at)) => Err((given.to_string(), String::from_utf8_lossy(&bytes).into_owned(), at)),
        });
    }
    if let Some(b) = bundled::policy(given) {
        return Ok(Ok(PolicySource { name: b.name.to_string(), text: b.text.to_string() }));
    }
    let help = vpl_core::diag::did_you_mean(given, bundled::POLICIES.iter().map(|b| b.id))
        .map(|s| format!("did you mean the bundled instrument `{s}`?"))
        .or_else(|| Some("`vplc table --list` lists the bundled instruments".to_string()));
    Err(ToolError::UnknownPolicy { given: given.to_string(), help })
}

/// Finds `use ID` targets that are not bundled: `ID.vpl`, then the last part
/// of the id, next to the importing file.
pub fn resolve_import(id: &str, from: &str) -> Option<(String, String)> {
    let dir = Path::new(from).parent().map(Path::to_path_buf).unwrap_or_default();
    let last = id.rsplit('/').next().unwrap_or(id);
    let candidates: [PathBuf; 2] = [dir.join(format!("{id}.vpl")), dir.join(format!("{last}.vpl"))];
    candidates.iter().find_map(|p| {
        let text = std::fs::read_to_string(p).ok()?;
        Some((p.display().to_string(), text))
    })
}

/// Writes a file atomically: a temporary file in the same directory, then a
/// rename, so a crash never leaves half a file.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), ToolError> {
    use std::io::Write;
    let err = |e: &dyn std::fmt::Display| ToolError::Write { path: path.display().to_string(), reason: e.to_string() };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| err(&e))?;
    tmp.write_all(contents).map_err(|e| err(&e))?;
    tmp.as_file().sync_all().map_err(|e| err(&e))?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| err(&e.error))?;
    Ok(())
}
