//! JSONata text → AST: a tokenizer and a Pratt parser with the reference binding powers.
//! Nesting is bounded so that hostile input cannot overflow the stack.

use super::Error;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Num(f64),
    Str(String),
    Name(String),
    Var(String),
    Op(&'static str),
    Regex(String, String),
    /// A lexical error: reported when the parser reaches it (a syntax error before it wins).
    Err(Error),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Num(f64),
    Str(String),
    Bool(bool),
    Null,
    /// A field name step.
    Name(String),
    /// `$name`; `$` alone is the context (""), `$$` the root ("$").
    Var(String),
    Wildcard,
    Descendants,
    /// `%`: its slot gets the label of the ancestor it refers to (resolve.rs).
    Parent(super::resolve::SlotRef),
    Regex(String, String),
    Neg(Box<Node>),
    Binary(&'static str, Box<Node>, Box<Node>),
    /// A path: steps applied left to right with mapping over sequences.
    Path(Vec<Node>),
    /// `expr[pred]`.
    Filter(Box<Node>, Box<Node>),
    /// `expr[]`: keep a singleton array.
    KeepArray(Box<Node>),
    Array(Vec<Node>),
    Object(Vec<(Node, Node)>),
    /// `expr{k: v}` group-by.
    Group(Box<Node>, Vec<(Node, Node)>),
    Block(Vec<Node>),
    Cond(Box<Node>, Box<Node>, Option<Box<Node>>),
    Bind(String, Box<Node>),
    Call(Box<Node>, Vec<Node>),
    /// `?` in an argument list (partial application).
    Placeholder,
    Lambda(Vec<String>, Box<Node>, Option<std::rc::Rc<super::signature::Signature>>),
    Chain(Box<Node>, Box<Node>),
    Range(Box<Node>, Box<Node>),
    /// `expr^(<a, >b)`: (expr, [(key, descending)]).
    Sort(Box<Node>, Vec<(Node, bool)>),
    /// `| loc | update [, delete] |`
    Transform(Box<Node>, Box<Node>, Option<Box<Node>>),
    /// `expr@$v` / `expr#$i`.
    FocusBind(Box<Node>, String),
    IndexBind(Box<Node>, String),
    /// A path after resolution (resolve.rs): steps with their stages and bindings.
    TPath(Box<super::resolve::TPath>),
    /// A block whose last expression gives a tuple stream to the step it is in.
    TBlock(Vec<Node>),
}

const MAX_DEPTH: usize = 200;

fn err(code: &str, msg: impl Into<String>, pos: usize) -> Error {
    Error::new(code, msg).at(pos)
}

pub fn tokenize(src: &str) -> Result<Vec<(Tok, usize)>, Error> {
    let mut out = Vec::new();
    if let Err(e) = lex(src, &mut out) {
        let at = e.position.unwrap_or(src.len());
        out.push((Tok::Err(e), at));
    }
    Ok(out)
}

fn lex(src: &str, out: &mut Vec<(Tok, usize)>) -> Result<(), Error> {
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    const OPS2: [&str; 9] = ["..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"];
    const OPS1: &str = ".[]{}(),@#;:?+-*/%|=<>^&!~";
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            let mut j = i + 2;
            while j + 1 < chars.len() && !(chars[j] == '*' && chars[j + 1] == '/') {
                j += 1;
            }
            if j + 1 >= chars.len() {
                return Err(err("S0106", "Comment has no closing tag", i));
            }
            i = j + 2;
            continue;
        }
        // A regex literal can only start where an operand is expected.
        let operand_expected = match out.last() {
            None => true,
            Some((Tok::Op(o), _)) => !matches!(*o, ")" | "]" | "}"),
            _ => false,
        };
        if c == '/' && operand_expected {
            let start = i;
            i += 1;
            let mut pat = String::new();
            let mut in_class = false;
            loop {
                let Some(&ch) = chars.get(i) else {
                    return Err(err("S0302", "No terminating / in regular expression", start));
                };
                if ch == '\\' {
                    pat.push(ch);
                    if let Some(&n) = chars.get(i + 1) {
                        pat.push(n);
                    }
                    i += 2;
                    continue;
                }
                if ch == '[' {
                    in_class = true;
                } else if ch == ']' {
                    in_class = false;
                } else if ch == '/' && !in_class {
                    break;
                }
                pat.push(ch);
                i += 1;
            }
            i += 1;
            let mut flags = String::new();
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                flags.push(chars[i]);
                i += 1;
            }
            if pat.is_empty() {
                return Err(err("S0301", "Empty regular expressions are not allowed", start));
            }
            out.push((Tok::Regex(pat, flags), start));
            continue;
        }
        if c == '"' || c == '\'' {
            let start = i;
            i += 1;
            let mut s = String::new();
            loop {
                let Some(&ch) = chars.get(i) else {
                    return Err(err("S0101", "String literal must be terminated by a matching quote", start));
                };
                i += 1;
                if ch == c {
                    break;
                }
                if ch == '\\' {
                    let Some(&e) = chars.get(i) else {
                        return Err(err("S0101", "String literal must be terminated by a matching quote", start));
                    };
                    i += 1;
                    match e {
                        '"' | '\\' | '/' | '\'' => s.push(e),
                        'b' => s.push('\u{8}'),
                        'f' => s.push('\u{c}'),
                        'n' => s.push('\n'),
                        'r' => s.push('\r'),
                        't' => s.push('\t'),
                        'u' => {
                            let hex: String = chars.get(i..i + 4).map(|h| h.iter().collect()).unwrap_or_default();
                            let Ok(code) = u32::from_str_radix(&hex, 16) else {
                                return Err(err("S0104", "The escape sequence \\u must be followed by 4 hex digits", i));
                            };
                            i += 4;
                            // Surrogate pairs.
                            if (0xD800..0xDC00).contains(&code) && chars.get(i) == Some(&'\\') && chars.get(i + 1) == Some(&'u') {
                                let hex2: String = chars.get(i + 2..i + 6).map(|h| h.iter().collect()).unwrap_or_default();
                                if let Ok(low) = u32::from_str_radix(&hex2, 16) {
                                    let cp = 0x10000 + ((code - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF);
                                    if let Some(ch) = char::from_u32(cp) {
                                        s.push(ch);
                                        i += 6;
                                        continue;
                                    }
                                }
                            }
                            s.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        other => return Err(err("S0103", format!("Unsupported escape sequence: \\{other}"), i)),
                    }
                } else {
                    s.push(ch);
                }
            }
            out.push((Tok::Str(s), start));
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j + 1 < chars.len() && chars[j] == '.' && chars[j + 1].is_ascii_digit() {
                j += 1;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                }
            }
            if j < chars.len() && (chars[j] == 'e' || chars[j] == 'E') {
                let mut k = j + 1;
                if k < chars.len() && (chars[k] == '+' || chars[k] == '-') {
                    k += 1;
                }
                if k < chars.len() && chars[k].is_ascii_digit() {
                    while k < chars.len() && chars[k].is_ascii_digit() {
                        k += 1;
                    }
                    j = k;
                }
            }
            let text: String = chars[i..j].iter().collect();
            let n: f64 = text.parse().map_err(|_| err("S0102", format!("Number out of range: {text}"), start))?;
            if !n.is_finite() {
                return Err(err("S0102", format!("Number out of range: {text}"), start));
            }
            out.push((Tok::Num(n), start));
            i = j;
            continue;
        }
        if c == '`' {
            let start = i;
            let end = chars[i + 1..].iter().position(|&x| x == '`').ok_or_else(|| err("S0105", "Quoted property name must be terminated with a backquote (`)", start))?;
            out.push((Tok::Name(chars[i + 1..i + 1 + end].iter().collect()), start));
            i += end + 2;
            continue;
        }
        if let Some(op) = OPS2.iter().find(|o| chars.get(i..i + 2).map(|s| s.iter().collect::<String>()).as_deref() == Some(**o)) {
            out.push((Tok::Op(op), i));
            i += 2;
            continue;
        }
        if c == '!' || c == '~' {
            return Err(err("S0204", format!("Unknown operator: \"{c}\""), i));
        }
        if OPS1.contains(c) && c != '$' {
            let op: &'static str = OPS1_STATIC.iter().find(|o| o.starts_with(c)).copied().unwrap_or(".");
            out.push((Tok::Op(op), i));
            i += 1;
            continue;
        }
        if c == '$' {
            let start = i;
            let mut j = i + 1;
            if chars.get(j) == Some(&'$') {
                out.push((Tok::Var("$".into()), start));
                i = j + 1;
                continue;
            }
            while j < chars.len() && !is_delim(chars[j]) {
                j += 1;
            }
            out.push((Tok::Var(chars[i + 1..j].iter().collect()), start));
            i = j;
            continue;
        }
        let start = i;
        let mut j = i;
        while j < chars.len() && !is_delim(chars[j]) {
            j += 1;
        }
        if j == i {
            return Err(err("S0204", format!("Unknown operator: \"{c}\""), i));
        }
        let word: String = chars[i..j].iter().collect();
        let tok = match word.as_str() {
            "and" | "or" | "in" => Tok::Op(match word.as_str() {
                "and" => "and",
                "or" => "or",
                _ => "in",
            }),
            _ => Tok::Name(word),
        };
        out.push((tok, start));
        i = j;
    }
    Ok(())
}

const OPS1_STATIC: [&str; 26] = [
    ".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|", "=", "<", ">", "^", "&", "!", "~",
];

fn is_delim(c: char) -> bool {
    c.is_whitespace() || ".[]{}(),@#;:?+-*/%|=<>^&!~\"'`$".contains(c)
}

fn bp(op: &str) -> u8 {
    match op {
        "." => 75,
        "[" | "(" | "@" | "#" => 80,
        "{" => 70,
        "*" | "/" | "%" => 60,
        "+" | "-" | "&" => 50,
        "=" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "~>" | "^" => 40,
        "and" => 30,
        "or" => 25,
        "?" | "..=" | "?:" | "??" => 20,
        ".." => 20,
        ":=" => 10,
        _ => 0,
    }
}

pub struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    depth: usize,
    len: usize,
}

impl Parser {
    pub fn new(toks: Vec<(Tok, usize)>, len: usize) -> Parser {
        Parser { toks, pos: 0, depth: 0, len }
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.0)
    }

    fn here(&self) -> usize {
        self.toks.get(self.pos).map(|t| t.1).unwrap_or(self.len)
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }

    fn expect(&mut self, op: &str) -> Result<(), Error> {
        if let Some(Tok::Err(e)) = self.peek() {
            return Err(e.clone());
        }
        if self.is_op(op) {
            self.pos += 1;
            Ok(())
        } else {
            match self.peek() {
                None => Err(err("S0203", format!("Expected \"{op}\" before end of expression"), self.here())),
                Some(t) => Err(err("S0202", format!("Expected \"{op}\", got {}", show(t)), self.here())),
            }
        }
    }

    pub fn parse_all(&mut self) -> Result<Node, Error> {
        let n = self.expr(0)?;
        if let Some(Tok::Err(e)) = self.peek() {
            return Err(e.clone());
        }
        if let Some(t) = self.peek() {
            return Err(err("S0201", format!("Syntax error: {}", show(t)), self.here()));
        }
        Ok(n)
    }

    pub fn expr(&mut self, rbp: u8) -> Result<Node, Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(err("U1001", "Expression nesting is too deep", self.here()));
        }
        let mut left = self.prefix()?;
        // A name or literal right after an operand is a syntax error the caller reports.
        while let Some(Tok::Op(op)) = self.peek().cloned() {
            let b = bp(op);
            if b <= rbp {
                break;
            }
            self.pos += 1;
            left = self.infix(op, left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    fn args(&mut self, close: &str) -> Result<Vec<Node>, Error> {
        let mut out = Vec::new();
        if self.is_op(close) {
            self.pos += 1;
            return Ok(out);
        }
        loop {
            if self.is_op("?") && matches!(self.toks.get(self.pos + 1).map(|t| &t.0), Some(Tok::Op(",")) | Some(Tok::Op(")"))) {
                self.pos += 1;
                out.push(Node::Placeholder);
            } else {
                out.push(self.expr(0)?);
            }
            if self.is_op(",") {
                self.pos += 1;
                continue;
            }
            self.expect(close)?;
            return Ok(out);
        }
    }

    fn pairs(&mut self) -> Result<Vec<(Node, Node)>, Error> {
        let mut out = Vec::new();
        if self.is_op("}") {
            self.pos += 1;
            return Ok(out);
        }
        loop {
            let k = self.expr(0)?;
            self.expect(":")?;
            let v = self.expr(0)?;
            out.push((k, v));
            if self.is_op(",") {
                self.pos += 1;
                continue;
            }
            self.expect("}")?;
            return Ok(out);
        }
    }

    fn prefix(&mut self) -> Result<Node, Error> {
        let at = self.here();
        let Some(t) = self.peek().cloned() else {
            return Err(err("S0207", "Unexpected end of expression", at));
        };
        self.pos += 1;
        Ok(match t {
            Tok::Num(n) => Node::Num(n),
            Tok::Str(s) => Node::Str(s),
            Tok::Regex(p, f) => Node::Regex(p, f),
            Tok::Var(v) => Node::Var(v),
            Tok::Name(n) => match n.as_str() {
                "true" => Node::Bool(true),
                "false" => Node::Bool(false),
                "null" => Node::Null,
                "function" | "λ" if self.is_op("(") => self.lambda()?,
                _ => Node::Name(n),
            },
            // Operators spelled as words are field names where an operand is expected.
            Tok::Op(w @ ("and" | "or" | "in")) => Node::Name(w.to_string()),
            Tok::Op("-") => Node::Neg(Box::new(self.expr(70)?)),
            Tok::Op("*") => Node::Wildcard,
            Tok::Op("**") => Node::Descendants,
            Tok::Op("%") => Node::Parent(Default::default()),
            Tok::Op("(") => {
                let mut items = Vec::new();
                while !self.is_op(")") {
                    items.push(self.expr(0)?);
                    if !self.is_op(";") {
                        break;
                    }
                    self.pos += 1;
                }
                self.expect(")")?;
                Node::Block(items)
            }
            Tok::Op("[") => {
                let mut items = Vec::new();
                if !self.is_op("]") {
                    loop {
                        let a = self.expr(0)?;
                        if self.is_op("..") {
                            self.pos += 1;
                            let b = self.expr(0)?;
                            items.push(Node::Range(Box::new(a), Box::new(b)));
                        } else {
                            items.push(a);
                        }
                        if self.is_op(",") {
                            self.pos += 1;
                            continue;
                        }
                        break;
                    }
                }
                self.expect("]")?;
                Node::Array(items)
            }
            Tok::Op("{") => Node::Object(self.pairs()?),
            Tok::Op("|") => {
                let loc = self.expr(0)?;
                self.expect("|")?;
                let upd = self.expr(0)?;
                let del = if self.is_op(",") {
                    self.pos += 1;
                    Some(Box::new(self.expr(0)?))
                } else {
                    None
                };
                self.expect("|")?;
                Node::Transform(Box::new(loc), Box::new(upd), del)
            }
            Tok::Err(e) => return Err(e),
            other => return Err(err("S0211", format!("The symbol {} cannot be used as a unary operator", show(&other)), at)),
        })
    }

    fn lambda(&mut self) -> Result<Node, Error> {
        self.expect("(")?;
        let mut params = Vec::new();
        while !self.is_op(")") {
            match self.peek().cloned() {
                Some(Tok::Var(v)) => {
                    self.pos += 1;
                    params.push(v);
                }
                Some(Tok::Err(e)) => return Err(e),
                _ => return Err(err("S0208", "Parameter of a function definition must be a variable name (start with $)", self.here())),
            }
            if self.is_op(",") {
                self.pos += 1;
            }
        }
        self.pos += 1;
        // An optional signature `<n-n:n>`, rebuilt from its tokens.
        let mut sig = None;
        if self.is_op("<") {
            let start = self.here();
            let mut depth = 0;
            let mut text = String::new();
            while let Some(t) = self.peek().cloned() {
                self.pos += 1;
                match &t {
                    Tok::Op("<") => depth += 1,
                    Tok::Op(">") => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                match t {
                    Tok::Op("<") if depth == 1 => {}
                    Tok::Op(o) => text.push_str(o),
                    Tok::Name(n) => text.push_str(&n),
                    other => return Err(err("S0401", format!("Unexpected {} in a function signature", show(&other)), start)),
                }
            }
            sig = Some(std::rc::Rc::new(super::signature::Signature::parse(&text).map_err(|e| e.at(start))?));
        }
        self.expect("{")?;
        let body = self.expr(0)?;
        self.expect("}")?;
        Ok(Node::Lambda(params, Box::new(body), sig))
    }

    fn infix(&mut self, op: &'static str, left: Node) -> Result<Node, Error> {
        let at = self.here();
        Ok(match op {
            "." => {
                let right = match self.expr(75)? {
                    // A quoted string after a dot is a field name: `a."b.c"`.
                    Node::Str(s) => Node::Name(s),
                    other => other,
                };
                let mut steps = match left {
                    Node::Path(s) => s,
                    other => vec![other],
                };
                match right {
                    Node::Path(s) => steps.extend(s),
                    other => steps.push(other),
                }
                Node::Path(steps)
            }
            "[" => {
                if self.is_op("]") {
                    self.pos += 1;
                    Node::KeepArray(Box::new(left))
                } else {
                    let pred = self.expr(0)?;
                    self.expect("]")?;
                    Node::Filter(Box::new(left), Box::new(pred))
                }
            }
            "{" => Node::Group(Box::new(left), self.pairs()?),
            "(" => Node::Call(Box::new(left), self.args(")")?),
            "^" => {
                self.expect("(")?;
                let mut keys = Vec::new();
                loop {
                    let mut desc = false;
                    if self.is_op("<") {
                        self.pos += 1;
                    } else if self.is_op(">") {
                        self.pos += 1;
                        desc = true;
                    }
                    keys.push((self.expr(0)?, desc));
                    if self.is_op(",") {
                        self.pos += 1;
                        continue;
                    }
                    break;
                }
                self.expect(")")?;
                Node::Sort(Box::new(left), keys)
            }
            "@" | "#" => match self.peek().cloned() {
                Some(Tok::Var(v)) => {
                    self.pos += 1;
                    if op == "@" {
                        Node::FocusBind(Box::new(left), v)
                    } else {
                        Node::IndexBind(Box::new(left), v)
                    }
                }
                _ => return Err(err("S0214", format!("The right side of {op} must be a variable name (start with $)"), at)),
            },
            "?" => {
                let then = self.expr(0)?;
                let other = if self.is_op(":") {
                    self.pos += 1;
                    Some(Box::new(self.expr(0)?))
                } else {
                    None
                };
                Node::Cond(Box::new(left), Box::new(then), other)
            }
            ":=" => {
                let Node::Var(name) = left else {
                    return Err(err("S0212", "The left side of := must be a variable name (start with $)", at));
                };
                Node::Bind(name, Box::new(self.expr(9)?))
            }
            "~>" => Node::Chain(Box::new(left), Box::new(self.expr(40)?)),
            ".." => Node::Range(Box::new(left), Box::new(self.expr(20)?)),
            "?:" | "??" => Node::Binary(op, Box::new(left), Box::new(self.expr(20)?)),
            _ => {
                let right = self.expr(bp(op))?;
                Node::Binary(op, Box::new(left), Box::new(right))
            }
        })
    }
}

fn show(t: &Tok) -> String {
    match t {
        Tok::Num(n) => n.to_string(),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::Name(n) => n.clone(),
        Tok::Var(v) => format!("${v}"),
        Tok::Op(o) => o.to_string(),
        Tok::Regex(p, _) => format!("/{p}/"),
        Tok::Err(e) => e.message.clone(),
    }
}
