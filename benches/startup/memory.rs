//! Memory of a process tree, read from /proc: PSS per process and per mapping.

use std::collections::BTreeMap;

use crate::median;

/// kB of PSS per process name for `pid` and every descendant.
pub fn tree_pss(pid: u32) -> BTreeMap<String, u64> {
    let mut by_name = BTreeMap::new();
    for member in descendants(pid) {
        let pss = std::fs::read_to_string(format!("/proc/{member}/smaps_rollup"))
            .ok()
            .and_then(|text| {
                text.lines()
                    .find_map(|l| l.strip_prefix("Pss:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            });
        let name = std::fs::read_to_string(format!("/proc/{member}/comm"))
            .map(|n| n.trim().to_owned())
            .unwrap_or_default();
        if let Some(pss) = pss {
            *by_name.entry(name).or_insert(0) += pss;
        }
    }
    by_name
}

/// kB of PSS per "process: mapping" for `pid` and every descendant; a mapping is named by its
/// file's name, or `[heap]`, `[anon]` and the like.
pub fn tree_mappings(pid: u32) -> BTreeMap<String, u64> {
    let mut by_mapping = BTreeMap::new();
    let binary = process_binary(pid);
    for member in descendants(pid) {
        let Ok(smaps) = std::fs::read_to_string(format!("/proc/{member}/smaps")) else {
            continue;
        };
        // The app's own process under one name, so that both subjects' rows meet.
        let process = if member == pid {
            "app process".to_owned()
        } else {
            std::fs::read_to_string(format!("/proc/{member}/comm"))
                .map(|n| n.trim().to_owned())
                .unwrap_or_default()
        };
        let mut mapping = String::new();
        for line in smaps.lines() {
            if let Some(kb) = line.strip_prefix("Pss:") {
                let kb: u64 = kb.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
                *by_mapping
                    .entry(format!("{process}: {mapping}"))
                    .or_insert(0) += kb;
            } else if line
                .split_whitespace()
                .next()
                .is_some_and(|f| f.contains('-'))
            {
                // A mapping's header: address range, permissions, offset, device, inode, name.
                let name = line.split_whitespace().nth(5).unwrap_or("[anon]");
                mapping = name.rsplit('/').next().unwrap_or(name).to_owned();
                if member == pid && name.ends_with(&binary) {
                    mapping = "the app's binary".to_owned();
                }
            }
        }
    }
    by_mapping
}

/// The file name of `pid`'s executable.
fn process_binary(pid: u32) -> String {
    std::fs::read_link(format!("/proc/{pid}/exe"))
        .ok()
        .and_then(|path| Some(path.file_name()?.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// Whether `pid` runs (a zombie has exited).
pub fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| Some(stat.rsplit_once(')')?.1.trim_start().starts_with('Z')))
        .is_some_and(|zombie| !zombie)
}

pub fn descendants(root: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // Field 4, after the parenthesised command name (which may hold spaces).
            let after_name = stat.rsplit_once(')')?.1;
            let ppid = after_name.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut tree = vec![root];
    let mut at = 0;
    while at < tree.len() {
        let parent = tree[at];
        tree.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        at += 1;
    }
    tree
}

pub fn per_process_median(pss: &[BTreeMap<String, u64>]) -> BTreeMap<String, f64> {
    let names: std::collections::BTreeSet<&String> = pss.iter().flat_map(|p| p.keys()).collect();
    names
        .into_iter()
        .map(|name| {
            let values: Vec<f64> = pss
                .iter()
                .map(|p| *p.get(name).unwrap_or(&0) as f64)
                .collect();
            (name.clone(), median(&values))
        })
        .collect()
}
