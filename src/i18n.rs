//! The language the tool speaks: English, or Chinese (zh-CN) under a Chinese
//! locale or `--lang zh`. Owns the choice (the environment's `LC_ALL`,
//! `LC_MESSAGES` and `LANG` in POSIX order, else the system's locale on
//! Windows and macOS; `--lang` overrides both) and holds it for the run.
//! Every message a user reads is looked up by a stable key in `locales/*.yml`,
//! where each key carries both texts side by side; the lookup is rust-i18n's
//! `t!` macro (compiled in, so the binary needs no files at run time). Ids
//! that machines read (rule ids, JSON keys) never change with the language.
//!
//! The language is one per process, set once by the command line before any
//! message is made. Library code and tests that never set it get English.

use std::cell::Cell;
use std::sync::atomic::{AtomicU8, Ordering};

/// A language of the tool's messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The locale name of `locales/*.yml`.
    pub fn locale(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// `zh`, `zh-CN`, `zh_CN.UTF-8`, `zh-Hans`… are Chinese; `en`, `C`,
    /// `POSIX`, `en_US.UTF-8`… are English; anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") || s == "c" || s.starts_with("c.") || s == "posix" {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language of a locale's name: Chinese when it starts with `zh`,
    /// English otherwise.
    fn of_locale(s: &str) -> Lang {
        if s.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The language the environment asks for: the first of `LC_ALL`,
    /// `LC_MESSAGES` and `LANG` that is set and not empty decides (as POSIX
    /// orders them); when none is, the system's own locale (Windows and
    /// macOS keep it outside the environment).
    pub fn from_env() -> Lang {
        Lang::from_vars(|k| std::env::var(k).ok()).unwrap_or_else(|| {
            sys_locale::get_locale()
                .map(|l| Lang::of_locale(&l))
                .unwrap_or_default()
        })
    }

    /// [`Lang::from_env`] over any lookup of variables; `None` when no
    /// variable decides.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Option<Lang> {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| var(k))
            .find(|v| !v.trim().is_empty())
            .map(|v| Lang::of_locale(&v))
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

thread_local! {
    /// A language this thread speaks for a moment ([`with_lang`]).
    static OVERRIDE: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// Sets the language of every message made from now on.
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
    rust_i18n::set_locale(lang.locale());
}

/// The language messages are made in: this thread's for the moment
/// ([`with_lang`]), else the run's.
pub fn current() -> Lang {
    if let Some(lang) = OVERRIDE.with(Cell::get) {
        return lang;
    }
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Zh,
        _ => Lang::En,
    }
}

/// Runs `f` with this thread's messages in `lang`, then goes back to what
/// it spoke before (also when `f` panics). For what must be in a language
/// other than the run's: the portal's pages are in the site's language
/// whatever the language of the person building it. Other threads (rayon's
/// workers) are not affected: call it inside the closure they run.
pub fn with_lang<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            OVERRIDE.with(|o| o.set(self.0));
        }
    }
    let _restore = Restore(OVERRIDE.with(|o| o.replace(Some(lang))));
    f()
}

/// One message in the current language, by key, for code that cannot use
/// the `t!` macro (the binary, which has no `i18n!` of its own).
pub fn text(key: &str) -> String {
    t!(key).into_owned()
}

/// One message in the given language, by key; `None` when no file of
/// `locales/` declares the key (so a caller can keep its own English).
pub fn lookup(lang: Lang, key: &str) -> Option<String> {
    crate::_rust_i18n_try_translate(lang.locale(), key).map(|s| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_decides_in_posix_order() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        assert_eq!(Lang::from_vars(env(&[("LANG", "zh_CN.UTF-8")])), Some(Lang::Zh));
        assert_eq!(Lang::from_vars(env(&[("LANG", "C.UTF-8")])), Some(Lang::En));
        // LC_ALL wins over LANG, LC_MESSAGES over LANG.
        assert_eq!(
            Lang::from_vars(env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN.UTF-8")])),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_vars(env(&[("LC_MESSAGES", "zh_TW.UTF-8"), ("LANG", "en_US")])),
            Some(Lang::Zh)
        );
        // Set but empty is not set.
        assert_eq!(
            Lang::from_vars(env(&[("LC_ALL", ""), ("LANG", "zh_CN.GB18030")])),
            Some(Lang::Zh)
        );
        assert_eq!(Lang::from_vars(env(&[])), None);
    }

    #[test]
    fn lang_flag_values() {
        assert_eq!(Lang::parse("zh"), Some(Lang::Zh));
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }

    #[test]
    fn both_languages_are_compiled_in() {
        assert_eq!(lookup(Lang::En, "common.error").as_deref(), Some("error"));
        assert_eq!(lookup(Lang::Zh, "common.error").as_deref(), Some("错误"));
        assert_eq!(lookup(Lang::Zh, "no.such.key"), None);
        assert_eq!(t!("common.warning", locale = "zh-CN"), "警告");
    }

    #[test]
    fn a_thread_speaks_another_language_for_a_moment() {
        // The run's language is never set in unit tests: English.
        assert_eq!(t!("common.error"), "error");
        let inner = with_lang(Lang::Zh, || {
            let nested = with_lang(Lang::En, || t!("common.error").into_owned());
            (t!("common.error").into_owned(), nested, current())
        });
        assert_eq!(inner, ("错误".to_string(), "error".to_string(), Lang::Zh));
        assert_eq!(t!("common.error"), "error");
        assert_eq!(current(), Lang::En);
        // Restored after a panic too.
        let _ = std::panic::catch_unwind(|| with_lang(Lang::Zh, || panic!("boom")));
        assert_eq!(current(), Lang::En);
    }
}
