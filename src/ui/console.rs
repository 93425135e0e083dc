//! The console pane: `aws stepfunctions <subcommand> --flags` lines run against the page's
//! service (playground::console reads them the way the AWS CLI does), answers printed as JSON.
//! ↑/↓ walk through earlier lines, Tab completes subcommands and flags.

use super::state::ConsoleEntry;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub entries: Rc<Vec<ConsoleEntry>>,
    pub on_run: Callback<String>,
    /// The editor's definition, for the suggested create-state-machine line.
    #[prop_or_default]
    pub definition: AttrValue,
    /// The state machines there are (ARNs, oldest first), for the suggested lines.
    #[prop_or_default]
    pub machines: Vec<String>,
}

/// `s` quoted for the console's POSIX-shell reading of a line.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Lines worth trying now: on a cold page, create a machine from the editor's text; then run
/// and list it.
fn suggested(definition: &str, machines: &[String]) -> Vec<String> {
    match machines.last() {
        None => {
            let compact = crate::asl::definition_json::parse(definition).map(|v| v.to_string()).unwrap_or_else(|_| definition.to_string());
            vec![format!(
                "create-state-machine --name FromConsole --role-arn arn:aws:iam::123456789012:role/sfnsim --definition {}",
                shell_quote(&compact)
            )]
        }
        Some(arn) => vec![
            format!("start-execution --state-machine-arn {arn} --input '{{}}'"),
            format!("list-executions --state-machine-arn {arn}"),
            "list-state-machines".to_string(),
        ],
    }
}

/// The longest common prefix of the candidates.
fn common_prefix(c: &[String]) -> String {
    let Some(first) = c.first() else { return String::new() };
    let mut n = first.len();
    for s in &c[1..] {
        n = n.min(first.bytes().zip(s.bytes()).take_while(|(a, b)| a == b).count());
    }
    first[..n].to_string()
}

/// `line` with its last word replaced by `word` (and a space after a whole completion).
fn with_last_word(line: &str, word: &str, whole: bool) -> String {
    let start = line.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    format!("{}{}{}", &line[..start], word, if whole { " " } else { "" })
}

#[component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let line = use_state(String::new);
    let log = use_node_ref();
    // The newest answer in view.
    {
        let log = log.clone();
        use_effect_with(props.entries.len(), move |_| {
            if let Some(el) = log.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    // Position in the earlier lines while walking with ↑/↓ (None: editing a new line).
    let recall = use_state(|| None::<usize>);
    let suggestions = use_state(Vec::<String>::new);
    let input = use_node_ref();

    let on_input = {
        let (line, suggestions) = (line.clone(), suggestions.clone());
        Callback::from(move |e: InputEvent| {
            line.set(e.target_unchecked_into::<HtmlInputElement>().value());
            suggestions.set(Vec::new());
        })
    };
    let on_key = {
        let (line, recall, suggestions, entries, on_run) =
            (line.clone(), recall.clone(), suggestions.clone(), props.entries.clone(), props.on_run.clone());
        Callback::from(move |e: KeyboardEvent| {
            let previous: Vec<&String> = entries.iter().map(|(l, _)| l).collect();
            match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    let text = (*line).trim().to_string();
                    if !text.is_empty() && text != "aws stepfunctions" {
                        on_run.emit(text);
                        line.set(String::new());
                    }
                    recall.set(None);
                    suggestions.set(Vec::new());
                }
                "ArrowUp" if !previous.is_empty() => {
                    e.prevent_default();
                    let i = match *recall {
                        None => previous.len() - 1,
                        Some(i) => i.saturating_sub(1),
                    };
                    recall.set(Some(i));
                    line.set(previous[i].clone());
                }
                "ArrowDown" => {
                    e.prevent_default();
                    match *recall {
                        Some(i) if i + 1 < previous.len() => {
                            recall.set(Some(i + 1));
                            line.set(previous[i + 1].clone());
                        }
                        _ => {
                            recall.set(None);
                            line.set(String::new());
                        }
                    }
                }
                "Tab" => {
                    e.prevent_default();
                    let found = crate::playground::console::complete(&line);
                    match found.len() {
                        0 => suggestions.set(Vec::new()),
                        1 => {
                            line.set(with_last_word(&line, &found[0], true));
                            suggestions.set(Vec::new());
                        }
                        _ => {
                            let prefix = common_prefix(&found);
                            if !line.ends_with(char::is_whitespace) || !prefix.is_empty() {
                                line.set(with_last_word(&line, &prefix, false));
                            }
                            suggestions.set(found);
                        }
                    }
                }
                _ => {}
            }
        })
    };
    let focus = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(i) = input.cast::<HtmlInputElement>() {
                let _ = i.focus();
            }
        })
    };
    html! {
        <div class="console" onclick={focus}>
            <div id="console-log" ref={log} class="console-log" role="log" aria-live="polite">
                if props.entries.is_empty() {
                    <p class="note">{ "AWS CLI lines, with or without the leading `aws stepfunctions`. Tab completes, ↑ recalls; --definition takes the JSON text itself (file:// cannot be read here)." }</p>
                }
                { for props.entries.iter().map(|(l, answer)| html! {
                    <div class="console-entry">
                        <div class="console-line"><span aria-hidden="true">{ "$ " }</span>{ l.clone() }</div>
                        { match answer {
                            Ok(v) if v.is_null() => html! {},
                            Ok(v) => html! { <pre class="console-out">{ serde_json::to_string_pretty(v).unwrap_or_default() }</pre> },
                            Err(e) => html! { <pre class="console-out error">{ e.clone() }</pre> },
                        } }
                    </div>
                }) }
            </div>
            <div class="console-prompt">
                <label for="console-input" class="visually-hidden">{ "Console command" }</label>
                <span aria-hidden="true">{ "$" }</span>
                <input id="console-input" ref={input.clone()} type="text" spellcheck="false" autocomplete="off"
                    placeholder="list-state-machines" value={(*line).clone()} oninput={on_input} onkeydown={on_key} />
            </div>
            <div id="console-try" class="console-try">
                <span class="note">{ "Try:" }</span>
                { for suggested(&props.definition, &props.machines).into_iter().map(|l| {
                    let (line, input) = (line.clone(), input.clone());
                    let fill = l.clone();
                    let shown = if l.len() > 90 { format!("{}…", &l[..l.char_indices().nth(88).map_or(l.len(), |(i, _)| i)]) } else { l.clone() };
                    html! {
                        <button type="button" class="link console-suggestion" title={l.clone()} onclick={Callback::from(move |e: MouseEvent| {
                            e.stop_propagation();
                            line.set(fill.clone());
                            if let Some(i) = input.cast::<HtmlInputElement>() { let _ = i.focus(); }
                        })}><code>{ shown }</code></button>
                    }
                }) }
            </div>
            if !suggestions.is_empty() {
                <ul id="console-suggestions" class="console-suggestions">
                    { for suggestions.iter().map(|c| html! { <li>{ c.clone() }</li> }) }
                </ul>
            }
        </div>
    }
}
