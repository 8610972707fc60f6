//! The duties of `cn/provisions-2021` that Cedar and Rego can express, in the
//! order the sweep takes them (the first 1, the first 10, all).

/// One duty: its id in the VPL policy (also the Cedar and Rego file name),
/// the role it binds, the article, and the Cedar context keys its policies read.
pub struct Duty {
    pub id: &'static str,
    pub role: &'static str,
    pub cite: &'static str,
    pub cedar_keys: &'static [&'static str],
}

pub const DUTIES: &[Duty] = &[
    Duty { id: "provider_report_to_platform", role: "product_provider", cite: "art 7(1)(2)", cedar_keys: &["aware", "report"] },
    Duty {
        id: "no_publication_before_fix",
        role: "collector",
        cite: "art 9(1)(1)",
        cedar_keys: &["pub_any", "pub_any_eff", "fix", "approved"],
    },
    Duty {
        id: "early_publication_consult_provider",
        role: "collector",
        cite: "art 9(1)(1)",
        cedar_keys: &["pub_any", "notified", "fix"],
    },
    Duty {
        id: "early_publication_report_miit",
        role: "collector",
        cite: "art 9(1)(1)",
        cedar_keys: &["pub_any", "rep_miit", "fix"],
    },
    Duty {
        id: "early_publication_report_mps",
        role: "collector",
        cite: "art 9(1)(1)",
        cedar_keys: &["pub_any", "rep_mps", "fix"],
    },
    Duty {
        id: "no_operator_system_details",
        role: "collector",
        cite: "art 9(1)(2)",
        cedar_keys: &["pub_details", "pub_details_eff"],
    },
    Duty { id: "no_exaggeration", role: "collector", cite: "art 9(1)(3)", cedar_keys: &["pub_exag", "pub_exag_eff"] },
    Duty { id: "no_exploit_tool_publication", role: "collector", cite: "art 9(1)(4)", cedar_keys: &["pub_tool", "pub_tool_eff"] },
    Duty {
        id: "publish_remedy_with_vulnerability",
        role: "collector",
        cite: "art 9(1)(5)",
        cedar_keys: &["pub_noremedy", "pub_noremedy_eff"],
    },
    Duty {
        id: "no_publication_during_major_event",
        role: "collector",
        cite: "art 9(1)(6)",
        cedar_keys: &["pub_major", "pub_major_eff", "approved_mps"],
    },
    Duty { id: "provider_intake_channel", role: "product_provider", cite: "art 5", cedar_keys: &["intake"] },
    Duty { id: "no_misuse_of_information", role: "collector", cite: "art 9(1)(3)", cedar_keys: &["misuse", "misuse_eff"] },
    Duty { id: "no_exploit_tool_provision", role: "collector", cite: "art 9(1)(4)", cedar_keys: &["tool_prov", "tool_prov_eff"] },
    Duty {
        id: "no_overseas_disclosure",
        role: "collector",
        cite: "art 9(1)(7)",
        cedar_keys: &["overseas_disc", "overseas_disc_eff"],
    },
    Duty {
        id: "publication_per_other_rules",
        role: "collector",
        cite: "art 9(1)(8)",
        cedar_keys: &["pub_unlawful", "pub_unlawful_eff"],
    },
    Duty { id: "platform_filing", role: "collector", cite: "art 10(1)", cedar_keys: &["filed"] },
    Duty { id: "internal_management", role: "collector", cite: "art 11", cedar_keys: &["leakctl"] },
    Duty { id: "no_exploitation", role: "anyone", cite: "art 4", cedar_keys: &["exploited", "exploited_eff"] },
    Duty { id: "no_unlawful_collection", role: "anyone", cite: "art 4", cedar_keys: &["collected_unl", "collected_unl_eff"] },
    Duty { id: "no_unlawful_sale", role: "anyone", cite: "art 4", cedar_keys: &["sold_unl", "sold_unl_eff"] },
    Duty { id: "no_unlawful_publication", role: "anyone", cite: "art 4", cedar_keys: &["pub_unlawful", "pub_unlawful_eff"] },
    Duty { id: "no_knowing_assistance", role: "anyone", cite: "art 4", cedar_keys: &["assist_knowing", "assist_knowing_eff"] },
];

/// The first `n` duties of the sweep.
pub fn first(n: usize) -> &'static [Duty] {
    DUTIES.get(..n.min(DUTIES.len())).unwrap_or(DUTIES)
}
