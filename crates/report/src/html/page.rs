//! The page shell shared by the call report and the summary: inline styles and scripts only.

use super::text::esc;
use medlyt_core::Lang;

const STYLE: &str = include_str!("style.css");
/// Collects script errors before anything else runs, so the self-check can report them.
const ERRORS: &str = "window.medlytErrors=[];\
window.addEventListener('error',function(e){window.medlytErrors.push(String(e.message||e.type));});\
window.addEventListener('unhandledrejection',function(e){window.medlytErrors.push(String(e.reason));});\
(function(){var f=console.error;console.error=function(){window.medlytErrors.push(Array.prototype.join.call(arguments,' '));return f.apply(console,arguments);};})();";

/// A whole page: `body` followed by the self-check element and `script`.
pub(crate) fn shell(lang: Lang, title: &str, body: &str, script: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"generator\" content=\"medlyt {}\">\
         <title>{}</title><style>{STYLE}</style><script>{ERRORS}</script></head>\
         <body>{body}<pre id=\"selfcheck\" hidden></pre><script>{script}</script></body></html>\n",
        lang.code(),
        env!("CARGO_PKG_VERSION"),
        esc(title),
    )
}
