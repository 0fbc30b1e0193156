//! Reads the text of the reference PDF (chapter 4, up to the appendix): each operation's section
//! with its URI, its parameter and body tables, and its request and response examples.
//!
//! The text has the artefacts of a PDF, which the reader undoes:
//! - a table cell wraps at about 14 characters, so a field name can continue on the next lines
//!   (`incre_trans_de` / `lay`), with the rest of the row after a blank line;
//! - a page break repeats a table's header row in the middle of the table;
//! - an enumeration value in a bullet list can wrap (`FULL_TRANSFER_COMPLE` / `TE：...`);
//! - a line of an example wraps inside a JSON string (the line break is not part of the value),
//!   and a long URL wraps onto the next line.

use serde_json::Value;

/// One operation of chapter 4.
#[derive(Debug, Default)]
pub struct Section {
    /// "4.1.14"
    pub number: String,
    pub title: String,
    /// 1-based line of the heading.
    pub line: usize,
    /// "DELETE", from the URI part.
    pub method: String,
    /// "/v3/{project_id}/jobs/batch-jobs"
    pub path: String,
    pub tables: Vec<Table>,
    pub request_examples: Vec<Example>,
    pub response_examples: Vec<Example>,
}

/// What a table documents, from its title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableKind {
    PathParameters,
    QueryParameters,
    HeaderParameters,
    /// A request or response body, or a structure inside one.
    Body,
}

#[derive(Debug)]
pub struct Table {
    /// "4-95"
    pub number: String,
    /// "jobs 字段数据结构说明"
    pub title: String,
    pub line: usize,
    pub kind: TableKind,
    pub rows: Vec<Row>,
}

#[derive(Debug)]
pub struct Row {
    /// The field name, with its wrapped pieces joined.
    pub name: String,
    pub line: usize,
    /// The values of the bullet list of the description (`● value：meaning`), in order.
    pub values: Vec<String>,
    /// Whether the description introduces a list of values (取值 / 枚举值).
    pub lists_values: bool,
}

#[derive(Debug)]
pub struct Example {
    /// The line before the example that names it ("● 删除指定任务"), without the bullet.
    pub title: String,
    pub line: usize,
    /// The status code of a response example.
    pub status: String,
    /// The URL of a request example, without `https://{endpoint}`.
    pub url: Option<String>,
    /// The body as JSON, or the parser's complaint when the printed text is not JSON.
    pub body: Option<Result<Value, String>>,
}

/// The parts of a section, in the order the reference prints them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Description,
    Parameters,
    RequestExamples,
    ResponseExamples,
    Statuses,
}

const HOST: &str = "https://{endpoint}";
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];

/// Every operation section of the reference text.
pub fn sections(text: &str) -> Vec<Section> {
    let lines: Vec<&str> = text.lines().collect();
    let mut sections: Vec<Section> = Vec::new();
    let mut part = Part::Description;
    let mut status = String::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index].trim();
        if is_appendix_heading(line) {
            break;
        }
        if let Some((number, title)) = heading(&lines, index) {
            sections.push(Section {
                number,
                title,
                line: index + 1,
                ..Section::default()
            });
            part = Part::Description;
            index += 1;
            continue;
        }
        let Some(section) = sections.last_mut() else {
            index += 1;
            continue;
        };
        match line {
            "功能介绍" | "接口约束" => part = Part::Description,
            "URI" | "请求参数" | "响应参数" => part = Part::Parameters,
            "请求示例" => part = Part::RequestExamples,
            "响应示例" => part = Part::ResponseExamples,
            "状态码" | "错误码" => part = Part::Statuses,
            _ => {}
        }
        if let Some(code) = line.strip_prefix("状态码：") {
            status = code.trim().to_string();
        }
        if section.method.is_empty()
            && let Some((method, path)) = line.split_once(' ')
            && METHODS.contains(&method)
            && path.starts_with('/')
        {
            section.method = method.to_string();
            section.path = path.trim().to_string();
        }
        index = match part {
            Part::Parameters if is_table_title(line) => {
                let (table, next) = table(&lines, index);
                section.tables.extend(table);
                next
            }
            Part::RequestExamples => request_example(&lines, index, section),
            Part::ResponseExamples => response_example(&lines, index, &status, section),
            _ => index + 1,
        };
    }
    sections
}

/// A section heading ("4.1.14 批量结束任务或删除任务"): a chapter-4 number whose section starts
/// with 功能介绍 within a few lines. A sentence that starts with a section number does not.
fn heading(lines: &[&str], index: usize) -> Option<(String, String)> {
    let (number, title) = lines[index].trim().split_once(' ')?;
    let parts: Vec<&str> = number.split('.').collect();
    let numbered =
        parts.len() == 3 && parts[0] == "4" && parts.iter().all(|part| part.parse::<u32>().is_ok());
    let opens_section = lines
        .iter()
        .skip(index + 1)
        .map(|line| line.trim())
        .filter(|line| !line.is_empty())
        .take(2)
        .any(|line| line == "功能介绍");
    (numbered && opens_section).then(|| (number.to_string(), title.trim().to_string()))
}

/// "A 附录": the appendix, where chapter 4 ends. A lettered heading has a Chinese title.
fn is_appendix_heading(line: &str) -> bool {
    line.split_once(' ').is_some_and(|(letter, title)| {
        letter.len() == 1
            && letter.chars().all(|c| c.is_ascii_uppercase())
            && !title.is_empty()
            && title.chars().all(|c| !c.is_ascii())
    })
}

fn is_table_title(line: &str) -> bool {
    table_title(line).is_some()
}

/// "表 4-95 jobs 字段数据结构说明" as ("4-95", "jobs 字段数据结构说明").
fn table_title(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("表 ")?;
    let (number, title) = rest.split_once(' ').unwrap_or((rest, ""));
    let (chapter, index) = number.split_once('-')?;
    let numbered = !chapter.is_empty()
        && index.parse::<u32>().is_ok()
        && chapter.chars().all(|c| c.is_ascii_alphanumeric());
    numbered.then_some((number, title.trim()))
}

/// Whether a line ends the table that runs into it.
fn ends_table(line: &str) -> bool {
    matches!(
        line,
        "请求参数" | "响应参数" | "请求示例" | "响应示例" | "状态码" | "错误码"
    ) || line.starts_with("状态码：")
        || is_table_title(line)
}

/// The table whose title is at `start`, and the index of the first line after it.
fn table(lines: &[&str], start: usize) -> (Option<Table>, usize) {
    let Some((number, title)) = table_title(lines[start].trim()) else {
        return (None, start + 1);
    };
    let kind = if title.contains("路径参数") {
        TableKind::PathParameters
    } else if title.contains("Query") {
        TableKind::QueryParameters
    } else if title.contains("Header") {
        TableKind::HeaderParameters
    } else {
        TableKind::Body
    };
    let mut end = start + 1;
    while end < lines.len() && !ends_table(lines[end].trim()) && heading(lines, end).is_none() {
        end += 1;
    }
    // The header row says whether the table has a requiredness column; a page break repeats
    // it, and its repetitions count as blank lines.
    let mut with_required = None;
    let body: Vec<&str> = lines[start + 1..end]
        .iter()
        .map(|line| line.trim())
        .map(|line| match header_row(line) {
            Some(Header::Columns { required }) => {
                with_required.get_or_insert(required);
                ""
            }
            Some(Header::Piece) => "",
            None => line,
        })
        .collect();
    let rows = rows(&body, start + 2, with_required.unwrap_or(false));
    let table = Table {
        number: number.to_string(),
        title: title.to_string(),
        line: start + 1,
        kind,
        rows,
    };
    (Some(table), end)
}

/// A line of a table's header row.
enum Header {
    /// The line that says whether the table has a requiredness column.
    Columns { required: bool },
    /// Another piece of a header printed over several lines.
    Piece,
}

/// Whether a line belongs to a table's header row. Headers come as "参数 是否必选 参数类型 描述",
/// "名称 是否必选 参数类型 说明", "参数 参数类型 描述", or with 是否必选 printed one character a
/// line ("名称 是", "否", "必", "选", "参数类型 说明").
fn header_row(line: &str) -> Option<Header> {
    match line {
        "名称 是" => Some(Header::Columns { required: true }),
        "否" | "必" | "选" | "参数类型 说明" | "参数类型 描述" => {
            Some(Header::Piece)
        }
        _ if (line.starts_with("参数 ") || line.starts_with("名称 "))
            && line.contains("参数类型") =>
        {
            Some(Header::Columns {
                required: line.contains("是否必选"),
            })
        }
        _ => None,
    }
}

/// The rows of a table's body; `first_line` is the 1-based line number of `body[0]`.
fn rows(body: &[&str], first_line: usize, with_required: bool) -> Vec<Row> {
    // Each row as (index of its first line, name).
    let mut starts: Vec<(usize, String)> = Vec::new();
    let mut index = 0;
    while index < body.len() {
        if let Some(name) = single_line_row(body[index], with_required) {
            starts.push((index, name.to_string()));
            index += 1;
            continue;
        }
        let after_blank = index == 0 || body[index - 1].is_empty();
        if after_blank && is_name_piece(body[index]) {
            let mut end = index;
            while end < body.len() && is_name_piece(body[end]) {
                end += 1;
            }
            let mut next = end;
            while next < body.len() && body[next].is_empty() {
                next += 1;
            }
            if next < body.len() && continues_row(body[next], with_required) {
                starts.push((index, body[index..end].concat()));
                index = next + 1;
                continue;
            }
        }
        index += 1;
    }

    let mut rows = Vec::new();
    for (position, (start, name)) in starts.iter().enumerate() {
        let end = starts.get(position + 1).map_or(body.len(), |next| next.0);
        let description = &body[*start..end];
        rows.push(Row {
            name: name.clone(),
            line: first_line + start,
            values: bullet_values(description),
            lists_values: description
                .iter()
                .any(|line| line.contains("取值") || line.contains("枚举值")),
        });
    }
    rows
}

/// A piece of a field name: identifier characters only (header names have dashes).
fn is_name_piece(line: &str) -> bool {
    !line.is_empty()
        && line
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

fn is_type(word: &str) -> bool {
    const TYPES: [&str; 9] = [
        "string", "integer", "long", "boolean", "object", "double", "float", "number", "array",
    ];
    TYPES.contains(&word.to_ascii_lowercase().as_str())
        || word.starts_with("Map<")
        || word.starts_with("Array<")
        || word.starts_with("List<")
}

/// "job_id 是 String 任务ID。" (or "job_id String 任务ID。" without the requiredness column).
fn single_line_row(line: &str, with_required: bool) -> Option<&str> {
    let (name, rest) = line.split_once(' ')?;
    let named =
        is_name_piece(name) && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    (named && continues_row(rest, with_required)).then_some(name)
}

/// What follows the name in a row, or the line that carries on a row whose name wrapped:
/// "是 String ..." (with the requiredness column) or "String ...".
fn continues_row(line: &str, with_required: bool) -> bool {
    let words: Vec<&str> = line.split(' ').collect();
    match (with_required, words.as_slice()) {
        (true, [required, kind, ..]) => matches!(*required, "是" | "否") && is_type(kind),
        (false, [kind, ..]) => is_type(kind),
        _ => false,
    }
}

/// The values of the bullet lists of a description: the identifier that opens a bullet line
/// (`● cloudDataGuard：实时灾备`, `● RUNNING-运行中`, `● en-us`), joined with its wrapped end
/// (`● FULL_TRANSFER_COMPLE` / `TE：...`). Bullets that open with prose give nothing.
fn bullet_values(description: &[&str]) -> Vec<String> {
    let mut values = Vec::new();
    for (index, line) in description.iter().enumerate() {
        let Some(rest) = line.strip_prefix('●') else {
            continue;
        };
        let rest = rest.trim_start();
        // `● ""：不过滤`: the empty string is a value too.
        if let Some(after) = rest.strip_prefix("\"\"")
            && (after.is_empty() || after.starts_with([':', '：']))
        {
            values.push(String::new());
            continue;
        }
        let token: String = rest.chars().take_while(|c| is_value_char(*c)).collect();
        // "● ls ： 分片数据库": a space may stand before the colon, and only there.
        let spaced = rest[token.len()..].trim_start_matches(' ');
        let after = match spaced.chars().next() {
            Some(c @ (':' | '：')) => Some(c),
            _ => rest[token.len()..].chars().next(),
        };
        let mut value = token.trim_end_matches(['-', '.']).to_string();
        match after {
            None => {
                let next = description[index + 1..]
                    .iter()
                    .find(|next| !next.is_empty());
                if let Some(end) = next.and_then(|next| wrapped_end(next)) {
                    value.push_str(end);
                }
            }
            // A value ends at its meaning: a colon, a dash or bracket, or prose right after it.
            Some(c) if c == ':' || c == '(' || !c.is_ascii() => {}
            Some(_) => continue,
        }
        if !value.is_empty() {
            values.push(value);
        }
    }
    values
}

fn is_value_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '+')
}

/// The end of a wrapped bullet value on the next line: identifier characters alone ("TE") or up
/// to the colon that opens the meaning ("TE：全量完成").
fn wrapped_end(line: &str) -> Option<&str> {
    let piece = line.find(['：', ':']).map_or(line, |end| &line[..end]);
    (!piece.is_empty() && piece.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(piece)
}

/// Reads a request example starting at `index` (a URL or a JSON body), or skips the line.
fn request_example(lines: &[&str], index: usize, section: &mut Section) -> usize {
    let line = lines[index].trim();
    if let Some(rest) = line.strip_prefix(HOST) {
        let mut url = rest.to_string();
        let mut next = index + 1;
        // A long URL wraps onto the next line, which then holds URL characters only.
        while let Some(piece) = lines.get(next).map(|piece| piece.trim())
            && !piece.is_empty()
            && piece.chars().all(|c| c.is_ascii_graphic())
            && !piece.starts_with(['{', '['])
        {
            url.push_str(piece);
            next += 1;
        }
        section.request_examples.push(Example {
            title: title_before(lines, index),
            line: index + 1,
            status: String::new(),
            url: Some(url),
            body: None,
        });
        return next;
    }
    if !opens_json(line) {
        return index + 1;
    }
    let (body, next) = json_body(lines, index);
    // A body belongs to the URL printed just before it, if that URL has no body yet.
    match section.request_examples.last_mut() {
        Some(example) if example.body.is_none() => example.body = Some(body),
        _ => section.request_examples.push(Example {
            title: title_before(lines, index),
            line: index + 1,
            status: String::new(),
            url: None,
            body: Some(body),
        }),
    }
    next
}

fn response_example(lines: &[&str], index: usize, status: &str, section: &mut Section) -> usize {
    let line = lines[index].trim();
    if !opens_json(line) {
        return index + 1;
    }
    let (body, next) = json_body(lines, index);
    section.response_examples.push(Example {
        title: title_before(lines, index),
        line: index + 1,
        status: status.to_string(),
        url: None,
        body: Some(body),
    });
    next
}

/// The example body that starts at `start` as JSON, or the parser's complaint, and the index of
/// the line after it.
fn json_body(lines: &[&str], start: usize) -> (Result<Value, String>, usize) {
    let (text, next) = json_text(lines, start);
    let body = serde_json::from_str(&text).map_err(|error| error.to_string());
    (body, next)
}

fn opens_json(line: &str) -> bool {
    line.starts_with(['{', '[']) || line == "\"\""
}

/// The line above `index` that names an example (skipping blank lines and its URL), or
/// nothing when the line above closes the previous example.
fn title_before(lines: &[&str], index: usize) -> String {
    lines[..index]
        .iter()
        .rev()
        .map(|line| line.trim())
        .find(|line| !line.is_empty() && !line.starts_with(HOST))
        .filter(|line| !line.ends_with(['}', ']']))
        .map(|line| {
            line.trim_start_matches('●')
                .trim()
                .trim_end_matches(['：', ':'])
                .trim()
                .to_string()
        })
        .unwrap_or_default()
}

/// The JSON text that starts at `start`, up to the line where its brackets close, and the
/// index of the line after it. A line break inside a string is a wrap, not part of the value;
/// the text stops early at a part of the section, so that an unbalanced example cannot swallow
/// the rest.
fn json_text(lines: &[&str], start: usize) -> (String, usize) {
    let mut text = String::new();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut index = start;
    while index < lines.len() {
        let line = lines[index];
        if index > start && ends_table(line.trim()) {
            break;
        }
        for c in line.chars() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
            } else {
                match c {
                    '"' => in_string = true,
                    '{' | '[' => depth += 1,
                    '}' | ']' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            text.push(c);
        }
        index += 1;
        if !in_string {
            if depth == 0 {
                break;
            }
            text.push('\n');
        }
    }
    (text, index)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn wrapped_names_join_and_repeated_headers_are_skipped() {
        let body = [
            "",
            "job_id String 任务ID。",
            "",
            "incre_trans_de",
            "lay_millis",
            "",
            "String 增量迁移时延，单位：ms。",
            "",
            "",
            "progress_map Map<String,P",
            "rogressInfo>",
        ];
        let names: Vec<String> = rows(&body, 10, false)
            .into_iter()
            .map(|row| row.name)
            .collect();
        assert_eq!(
            names,
            ["job_id", "incre_trans_delay_millis", "progress_map"]
        );
    }

    #[test]
    fn bullet_values_end_at_their_meaning_and_rejoin_when_wrapped() {
        let description = [
            "status String 状态。取值：",
            "● RUNNING-运行中",
            "● FULL_TRANSFER_COMPLE",
            "TE：全量完成",
            "● RELEASE_RESOURCE_STAR",
            "",
            "TED",
            "● cloudDataGuard-mysql：",
            "● ls ： 分片数据库。",
            "● en-us",
            "● \"\"：不过滤。",
            "● 最小长度：4",
            "● db_use_type 是其他类型时",
        ];
        assert_eq!(
            bullet_values(&description),
            [
                "RUNNING",
                "FULL_TRANSFER_COMPLETE",
                "RELEASE_RESOURCE_STARTED",
                "cloudDataGuard-mysql",
                "ls",
                "en-us",
                ""
            ]
        );
    }

    #[test]
    fn json_strings_that_wrap_lose_the_line_break() {
        let lines = [
            "{",
            "  \"error_msg\" : \"the task is ",
            "abnormal.\"",
            "}",
            "next",
        ];
        let (text, next) = json_text(&lines, 0);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value, json!({ "error_msg": "the task is abnormal." }));
        assert_eq!(next, 4);
    }
}
