//! The stdlib and the bundled instruments, embedded in the binary so that
//! `vplc` works from any directory. Each has a pseudo-path such as
//! `<stdlib/vocabulary.vpl>` that diagnostics show.

/// A bundled source file.
#[derive(Debug, Clone, Copy)]
pub struct Bundled {
    /// `cn/provisions-2021` for instruments; the pseudo-path for stdlib files.
    pub id: &'static str,
    /// `<policies/cn/vuln-provisions-2021.vpl>`
    pub name: &'static str,
    pub text: &'static str,
}

macro_rules! bundle {
    ($id:literal, $path:literal) => {
        Bundled { id: $id, name: concat!("<", $path, ">"), text: include_str!(concat!("../../../", $path)) }
    };
}

/// Loaded before every policy, in this order.
pub const STDLIB: &[Bundled] = &[
    bundle!("std/units", "stdlib/units.vpl"),
    bundle!("std/vocabulary", "stdlib/vocabulary.vpl"),
    bundle!("std/calendars/cn", "stdlib/calendars/cn.vpl"),
    bundle!("std/calendars/exact", "stdlib/calendars/exact.vpl"),
];

/// Instruments a policy may `use` or `vplc` may be given by id.
pub const POLICIES: &[Bundled] = &[
    bundle!("cn/csl-2016", "policies/cn/csl-2016.vpl"),
    bundle!("cn/csl-2025", "policies/cn/csl-2025.vpl"),
    bundle!("cn/vuln-draft-2019", "policies/cn/vuln-draft-2019.vpl"),
    bundle!("cn/provisions-2021", "policies/cn/vuln-provisions-2021.vpl"),
    bundle!("cn/threat-info-draft-2019", "policies/cn/threat-info-draft-2019.vpl"),
];

pub fn policy(id: &str) -> Option<&'static Bundled> {
    POLICIES.iter().find(|b| b.id == id)
}
