//! The words of the site's own interface, in Chinese and English. The law's
//! text comes from the policies; duty sentences are generated in English.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// The BCP 47 tag for `lang` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-Hans",
            Lang::En => "en",
        }
    }

    /// The code used in policies' texts (`zh`, `en`) and in file suffixes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The language's own name, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Zh => "中文",
            Lang::En => "English",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Interface words: `t(lang, Key)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    SiteTitle,
    Instruments,
    Instrument,
    Status,
    Dates,
    IssuedBy,
    Number,
    Draft,
    InForce,
    Published,
    CommentsUntil,
    Issued,
    Effective,
    Comparison,
    Amendments,
    Cases,
    Contents,
    Text,
    Duties,
    NoDuty,
    NoDutyEncoded,
    Deadline,
    Conditions,
    Exceptions,
    Penalty,
    NoPenalty,
    Note,
    TextMissing,
    Topic,
    Differs,
    OnlyHere,
    Change,
    Duty,
    Before,
    After,
    Cite,
    NoChanges,
    Findings,
    Actor,
    Trigger,
    Due,
    LastDay,
    Done,
    Remarks,
    Timeline,
    Events,
    AsOf,
    Language,
    ExcerptNote,
    Imports,
    ReadingNotes,
    NotBinding,
    Calendar,
    RestDay,
    ExtendedBy,
    Penalties,
}

pub fn t(lang: Lang, k: Key) -> &'static str {
    use Key::*;
    match lang {
        Lang::En => match k {
            SiteTitle => "Vulnerability law, as encoded",
            Instruments => "Instruments",
            Instrument => "Instrument",
            Status => "Status",
            Dates => "Dates",
            IssuedBy => "Issued by",
            Number => "Document number",
            Draft => "draft",
            InForce => "in force",
            Published => "published",
            CommentsUntil => "comments until",
            Issued => "issued",
            Effective => "in force from",
            Comparison => "Comparison",
            Amendments => "Amendments",
            Cases => "Case reports",
            Contents => "Contents",
            Text => "Text",
            Duties => "Duties encoded",
            NoDuty => "No duty",
            NoDutyEncoded => "No duty encoded from this article.",
            Deadline => "Deadline",
            Conditions => "Applies when",
            Exceptions => "Does not apply when",
            Penalty => "Penalty exposure",
            NoPenalty => "no penalty attached",
            Note => "Note",
            TextMissing => "text not encoded",
            Topic => "Topic",
            Differs => "differs",
            OnlyHere => "only here",
            Change => "Change",
            Duty => "Duty",
            Before => "Before",
            After => "After",
            Cite => "Citation",
            NoChanges => "The two versions mean the same: no duty changed.",
            Findings => "Findings",
            Actor => "Actor",
            Trigger => "Triggered",
            Due => "Due (exclusive)",
            LastDay => "Last day",
            Done => "Done",
            Remarks => "Remarks",
            Timeline => "Timeline",
            Events => "Events",
            AsOf => "as of",
            Language => "Language",
            ExcerptNote => "Excerpt",
            Imports => "Uses",
            ReadingNotes => "Readings chosen",
            NotBinding => "A draft does not bind: findings say how it would apply if it were in force.",
            Calendar => "Calendar",
            RestDay => "rest day",
            ExtendedBy => "extended over rest days",
            Penalties => "Penalties",
        },
        Lang::Zh => match k {
            SiteTitle => "漏洞管理法规（编码版）",
            Instruments => "法规文件",
            Instrument => "文件",
            Status => "状态",
            Dates => "日期",
            IssuedBy => "发布机关",
            Number => "文号",
            Draft => "征求意见稿",
            InForce => "现行有效",
            Published => "公布",
            CommentsUntil => "意见反馈截止",
            Issued => "印发",
            Effective => "施行",
            Comparison => "对照",
            Amendments => "修改对照",
            Cases => "案例报告",
            Contents => "目录",
            Text => "条文",
            Duties => "编码的义务",
            NoDuty => "不设义务",
            NoDutyEncoded => "本条未编码义务。",
            Deadline => "期限",
            Conditions => "适用条件",
            Exceptions => "除外情形",
            Penalty => "法律责任",
            NoPenalty => "未设罚则",
            Note => "注",
            TextMissing => "条文未收录",
            Topic => "事项",
            Differs => "有差异",
            OnlyHere => "仅此文件",
            Change => "变化",
            Duty => "义务",
            Before => "修改前",
            After => "修改后",
            Cite => "条款",
            NoChanges => "两个版本含义相同：没有义务变化。",
            Findings => "结论",
            Actor => "主体",
            Trigger => "起算事件",
            Due => "截止（不含）",
            LastDay => "期间最后一日",
            Done => "履行",
            Remarks => "说明",
            Timeline => "时间线",
            Events => "事件",
            AsOf => "截至",
            Language => "语言",
            ExcerptNote => "节选",
            Imports => "引用",
            ReadingNotes => "所采解释",
            NotBinding => "征求意见稿不具约束力：结论仅说明其若施行将如何适用。",
            Calendar => "日历",
            RestDay => "休息日",
            ExtendedBy => "因休息日顺延",
            Penalties => "罚则",
        },
    }
}

/// "Article 7" / "第7条".
pub fn article_heading(lang: Lang, n: u32) -> String {
    match lang {
        Lang::En => format!("Article {n}"),
        Lang::Zh => format!("第{n}条"),
    }
}

/// "Paragraph 2" / "第2款", "Item 1" / "第1项".
pub fn paragraph_label(lang: Lang, n: u32) -> String {
    match lang {
        Lang::En => format!("¶{n}"),
        Lang::Zh => format!("第{n}款"),
    }
}

pub fn item_label(lang: Lang, n: u32) -> String {
    match lang {
        Lang::En => format!("item ({n})"),
        Lang::Zh => format!("第{n}项"),
    }
}

/// "1 duty", "5 duties" / "5 项义务".
pub fn duty_count(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 duty".into(),
        (Lang::En, n) => format!("{n} duties"),
        (Lang::Zh, n) => format!("{n} 项义务"),
    }
}

/// "55 changes" / "55 处变化".
pub fn change_count(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 change".into(),
        (Lang::En, n) => format!("{n} changes"),
        (Lang::Zh, n) => format!("{n} 处变化"),
    }
}

/// The column header of an event's type.
pub fn event_header(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Event",
        Lang::Zh => "事件",
    }
}
