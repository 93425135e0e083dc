//! A lesson's Markdown as HTML for the page. Teachers' files are not trusted: raw HTML in them is
//! shown as text, and links or images with a script-running scheme (`javascript:`, `data:`,
//! `vbscript:`) point nowhere.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

/// The Markdown as HTML (CommonMark, with tables and strikethrough), raw HTML escaped.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => Event::Start(Tag::Link { link_type, dest_url: safe(dest_url), title, id }),
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => Event::Start(Tag::Image { link_type, dest_url: safe(dest_url), title, id }),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

fn safe(url: CowStr<'_>) -> CowStr<'_> {
    let scheme: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).take(12).collect::<String>().to_ascii_lowercase();
    if ["javascript:", "data:", "vbscript:"].iter().any(|s| scheme.starts_with(s)) {
        CowStr::Borrowed("#")
    } else {
        url
    }
}
