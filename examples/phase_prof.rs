use std::time::Instant;
fn main() {
    let root = std::path::Path::new("/tmp/bench10k/content/reports");
    let mut files = vec![];
    for e in walkdir::WalkDir::new(root) { let e = e.unwrap(); if e.file_type().is_file() { files.push(e.path().to_path_buf()); } }
    let t = Instant::now();
    let texts: Vec<String> = files.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    println!("read {:?}", t.elapsed());
    let t = Instant::now();
    let splits: Vec<_> = texts.iter().map(|t| gongkai::frontmatter::split(t).unwrap()).collect();
    println!("split {:?}", t.elapsed());
    let t = Instant::now();
    for s in &splits { let _v: serde_yaml::Value = serde_yaml::from_str(s.yaml).unwrap(); }
    println!("serde_yaml {:?}", t.elapsed());
    let t = Instant::now();
    for s in &splits { let _l = gongkai::frontmatter::Locator::scan(s.yaml, 2); }
    println!("locator {:?}", t.elapsed());
    let t = Instant::now();
    let nodes: Vec<_> = splits.iter().map(|s| gongkai::frontmatter::parse(s.yaml, 2).unwrap()).collect();
    println!("parse total {:?}", t.elapsed());
    let today = chrono::NaiveDate::from_ymd_opt(2026,6,1).unwrap();
    let t = Instant::now();
    let reps: Vec<_> = nodes.iter().zip(&splits).map(|(n,s)| gongkai::report::parse::parse_report("x", n, s.body, s.body_line, today).0.unwrap()).collect();
    println!("parse_report {:?}", t.elapsed());
    let t = Instant::now();
    for r in &reps { let _ = gongkai::report::checks::check_report(r); }
    println!("check_report {:?}", t.elapsed());
    let t = Instant::now();
    for r in &reps { let _ = gongkai::report::similarity::fingerprint(&r.body); }
    println!("fingerprint {:?}", t.elapsed());
}
