//! The command line, as clap sees it. Subcommands and flags are a public
//! contract (see docs/cli.md): extend, don't rename.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "vplc",
    version,
    about = "The VPL compiler: type-checks vulnerability-law policies, lowers them to decision tables, checks cases against them.",
    after_help = "POLICY is a path to a .vpl file or the id of a bundled instrument (see `vplc table --list`).\n\nExit codes: 0 success; 1 findings (fmt --check: files would change); 2 bad usage or bad input."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct Global {
    /// How to print diagnostics: rich with source snippets, one plain line each, or JSON lines.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human, global = true)]
    pub error_format: ErrorFormat,
    /// When to use colour; `auto` honours NO_COLOR and whether stderr is a terminal.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,
    /// Treat warnings as errors (exit 2 when any is reported).
    #[arg(long, global = true)]
    pub deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ErrorFormat {
    Human,
    Plain,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile a policy to its decision table, as JSON.
    Compile {
        /// Path to a .vpl file, or a bundled instrument id.
        policy: String,
        /// Write the table here (atomically) instead of to standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Print a policy's decision table; several policies in Markdown give a comparison matrix.
    Table {
        /// Paths to .vpl files, or bundled instrument ids.
        #[arg(required_unless_present = "list", value_name = "POLICY")]
        policies: Vec<String>,
        #[arg(long, value_enum, default_value_t = TableFormat::Text)]
        format: TableFormat,
        /// List the bundled instruments and exit.
        #[arg(long)]
        list: bool,
    },
    /// Format .vpl files in place in the canonical layout.
    Fmt {
        /// Files or directories (searched for .vpl files).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Change nothing; list the files that would change and exit 1 if any.
        #[arg(long)]
        check: bool,
    },
    /// Print the long description of a diagnostic code.
    Explain {
        /// A code such as E0101 or W0001; `--list` for all.
        #[arg(required_unless_present = "list")]
        code: Option<String>,
        /// List every code with its title.
        #[arg(long)]
        list: bool,
    },
    /// Check case timelines against policies: which duties were met, are late, missed, pending.
    #[command(after_help = "Arguments ending in .json or .jsonl, and directories, are case files; the others are policies \
(paths to .vpl files or bundled ids). Several policies check each case side by side.\n\n\
Exit codes: 0 nothing late, missed or breached; 1 something is; 2 bad input.")]
    Check {
        /// Policies, then case files (.json: one case; .jsonl: one case per line) or directories.
        #[arg(required = true, value_name = "POLICY|CASE")]
        args: Vec<String>,
        /// Judge as of this time (RFC 3339 or a date) instead of each case's `as_of`, or now.
        #[arg(long, value_name = "TIME")]
        as_of: Option<String>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// Show how each verdict was reached: conditions, events used, how deadlines were counted.
        #[arg(long)]
        explain: bool,
        /// Read case times written without an offset as times in this zone (e.g. Asia/Shanghai).
        #[arg(long, value_name = "ZONE")]
        tz: Option<String>,
        /// Show a progress bar for large batches (default: only on a terminal).
        #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
        progress: ColorWhen,
        /// Threads checking the lines of a .jsonl batch (default: the available cores); output order does not change.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
    },
    /// Run case files that carry `expect`, and report expectations that fail.
    Test {
        /// Case files or directories (default: examples/cases).
        paths: Vec<std::path::PathBuf>,
        /// Also load these policies (paths), for expectations naming instruments that are not bundled.
        #[arg(long = "policy", value_name = "POLICY")]
        policies: Vec<String>,
        #[arg(long, value_enum, default_value_t = TestFormat::Human)]
        format: TestFormat,
        /// Judge as of this time instead of each case's `as_of`.
        #[arg(long, value_name = "TIME")]
        as_of: Option<String>,
    },
    /// What an amendment means: compare two versions of an instrument duty by duty.
    #[command(after_help = "OLD and NEW are paths, bundled ids, or `-` for standard input, so that \
`git show REV:policy.vpl | vplc diff - policy.vpl` works. With --cases, every case is checked under both \
versions and the cases whose verdicts change are listed; each changed duty no case exercises gets a witness \
case file, checked under both versions. See docs/git.md for `git diff` on .vpl files.\n\n\
Exit codes: 0 same meaning; 1 they differ; 2 bad input (also a bad case file). With --git-external: 0 \
whether or not they differ, as git expects.")]
    Diff {
        /// The old version: a .vpl path, a bundled id, or `-` (standard input).
        #[arg(required_unless_present = "git_external")]
        old: Option<String>,
        /// The new version: a .vpl path, a bundled id, or `-` (standard input).
        #[arg(required_unless_present = "git_external")]
        new: Option<String>,
        #[arg(long, value_enum, default_value_t = TableFormat::Text)]
        format: TableFormat,
        /// Case files (.json, .jsonl) or directories to check under both versions.
        #[arg(long, value_name = "DIR|FILE")]
        cases: Vec<String>,
        /// Judge the cases as of this time instead of each case's `as_of`, or now.
        #[arg(long, value_name = "TIME")]
        as_of: Option<String>,
        /// Git's external-diff calling convention (diff.<driver>.command): PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE.
        #[arg(long, num_args = 1..=7, value_name = "GIT-ARG", conflicts_with_all = ["old", "new"])]
        git_external: Option<Vec<String>>,
    },
    /// Render policies as a static site for readers: instruments, comparison, amendments, case reports.
    #[command(after_help = "Writes plain HTML and CSS (readable from file:// without JavaScript) or Markdown into DIR: \
index, one page per instrument (anchors #art-7, #art-7-1-2, #duty-ID), compare, one page per --diff pair, one per case.\n\n\
Exit codes: 0 written; 2 bad input or a file could not be written.")]
    Doc {
        /// Paths to .vpl files, or bundled instrument ids.
        #[arg(required = true, value_name = "POLICY")]
        policies: Vec<String>,
        /// The directory to write the site into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long, value_enum, default_value_t = DocFormat::Html)]
        format: DocFormat,
        /// Add an amendment page: what changed from OLD to NEW (repeatable).
        #[arg(long, num_args = 2, value_names = ["OLD", "NEW"], action = clap::ArgAction::Append)]
        diff: Vec<String>,
        /// Case files (.json, .jsonl) or directories: one report page per case, checked against the POLICYs.
        #[arg(long, value_name = "PATH", num_args = 1..)]
        cases: Vec<PathBuf>,
        /// Language of the unsuffixed pages; HTML also gets the other language as NAME.zh.html / NAME.en.html.
        #[arg(long, value_enum, default_value_t = DocLang::En)]
        lang: DocLang,
        /// Judge cases as of this time instead of each case's `as_of`, or now.
        #[arg(long, value_name = "TIME")]
        as_of: Option<String>,
    },
    /// Print a JSON Schema of one of vplc's JSON formats.
    Schema {
        #[arg(value_enum)]
        which: SchemaKind,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Text,
    Json,
    Md,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    Html,
    Md,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocLang {
    En,
    Zh,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    /// One JSON object per case and instrument, one per line.
    Json,
    /// Per case and instrument one JSON line of verdicts only (duty, cite, actor, status, due): the lean path, for screening batches.
    Verdicts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    Human,
    /// JUnit XML, for CI systems.
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// Case files (`vplc check`).
    Case,
    /// Findings (`vplc check --format json`).
    Findings,
    /// Verdicts (`vplc check --format verdicts`).
    Verdicts,
    /// The decision table (`vplc compile`).
    Table,
    /// Diagnostics (`--error-format json`).
    Diagnostic,
}
